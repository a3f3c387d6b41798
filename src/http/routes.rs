//! The API handlers: extract, validate, run the search on the blocking pool, answer JSON.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::AppState;
use crate::search::{RawParams, SearchParams};

/// GET /api/search?q=&lang=&limit=&offset=&from=&to=
pub async fn search(
    state: web::Data<AppState>,
    raw: web::Query<RawParams>,
) -> Result<HttpResponse, ApiError> {
    let params = SearchParams::from_raw(&raw)?;
    let resp = if let Some(cluster) = state.cluster.clone() {
        web::block(move || cluster.search(&params))
            .await
            .map_err(|_| ApiError::Unavailable)??
    } else {
        let engine = state.engine.clone().ok_or(ApiError::Unavailable)?;
        web::block(move || engine.search(&params))
            .await
            .map_err(|_| ApiError::Unavailable)??
    };
    super::metrics::global().search(super::metrics::SearchKind::of(&resp));
    Ok(HttpResponse::Ok().json(resp))
}

/// Query parameters of the document route.
#[derive(Debug, Deserialize)]
pub struct DocParams {
    /// Optional query whose matches are marked in the returned text.
    pub q: Option<String>,
}

/// GET /api/docs/{id}[?q=]
pub async fn doc(
    state: web::Data<AppState>,
    id: web::Path<String>,
    params: web::Query<DocParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let q = params.into_inner().q;
    if let Some(q) = &q {
        SearchParams::from_raw(&RawParams {
            q: Some(q.clone()),
            ..Default::default()
        })?;
    }
    let resp = if let Some(cluster) = state.cluster.clone() {
        web::block(move || cluster.doc(&id, q.as_deref()))
            .await
            .map_err(|_| ApiError::Unavailable)??
    } else {
        let engine = state.engine.clone().ok_or(ApiError::Unavailable)?;
        web::block(move || engine.doc(&id, q.as_deref()))
            .await
            .map_err(|_| ApiError::Unavailable)??
    };
    Ok(HttpResponse::Ok().json(resp))
}

/// GET /api/health
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    if let Some(cluster) = &state.cluster {
        return HttpResponse::Ok().json(json!({
            "status": "ok",
            "docs": cluster.num_docs(),
            "generation": cluster.generation(),
            "engine": "opensearch",
        }));
    }
    let Some(engine) = &state.engine else {
        return HttpResponse::ServiceUnavailable().json(json!({"status": "no engine"}));
    };
    let snap = engine.snapshot();
    HttpResponse::Ok().json(json!({
        "status": "ok",
        "docs": snap.num_docs(),
        "generation": snap.generation,
        "commit": snap.opstamp,
    }))
}

/// Any other method on a known route.
pub async fn method_not_allowed() -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed)
}

/// Any unknown path.
pub async fn not_found() -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::NotFound(
        "no such route; the API is /api/search, /api/docs/{id}, /api/health and /metrics".into(),
    ))
}
