//! The HTTP server's routes, exactly as DESIGN.md lists them, in one `configure` that both
//! `kazsearch serve` and the tests use.
//!
//! ```text
//! GET /                 the search page (web/, embedded)
//! GET /api/search       JSON search
//! GET /api/docs/{id}    one stored article
//! GET /api/health       {"status":"ok","docs":N,"generation","commit"}
//! GET /metrics          Prometheus text
//! ```
//! Every route is GET-only; there is no route that writes. Responses carry security headers
//! (a strict Content-Security-Policy: the page loads nothing from elsewhere). A URL longer
//! than [`MAX_URI_BYTES`] gets a 414 before any parameter is read, request bodies are capped
//! at 1 KB (no route reads one), and actix-http refuses a request head over 128 KB (431).

pub mod assets;
pub mod conn;
pub mod error;
pub mod listen;
pub mod metrics;
pub mod routes;

use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, DefaultHeaders, Next};
use actix_web::{error::QueryPayloadError, web, HttpRequest, ResponseError};

use crate::search::Engine;
use error::ApiError;

/// Longest accepted path plus query string, in bytes. A maximal query (512 characters of
/// four-byte UTF-8, percent-encoded) and every other parameter fit with room to spare.
/// (Just under the 65,534 bytes the `http` crate parses at all: room for a 10,000-character
/// Cyrillic query, which then gets the API's own 400 naming the query length.)
pub const MAX_URI_BYTES: usize = 63 * 1024;

/// Shared state of the server's workers.
pub struct AppState {
    /// The search engine (shared; it swaps index generations by itself); none when a
    /// cluster serves.
    pub engine: Option<Arc<Engine>>,
    /// With `serve --engine opensearch`: the cluster, which answers searches and documents
    /// in place of `engine`.
    pub cluster: Option<Arc<crate::opensearch::search::OsEngine>>,
}

impl AppState {
    /// The state of a server of the embedded engine.
    pub fn embedded(engine: Arc<Engine>) -> AppState {
        AppState {
            engine: Some(engine),
            cluster: None,
        }
    }
}

/// The security headers every response carries.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "no-referrer"))
        .add((
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}

/// Answers 414 with the API's JSON error when the URL is over [`MAX_URI_BYTES`], so that no
/// handler ever parses (or echoes back) a parameter of unbounded size.
async fn limit_uri<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let len = req.path().len() + req.query_string().len();
    if len > MAX_URI_BYTES {
        let resp = ApiError::UriTooLong(len).error_response();
        return Ok(req.into_response(resp).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest {
        code: "invalid_parameter",
        param: "query string",
        message: format!("the query string could not be read: {err}"),
    }
    .into()
}

/// Registers every route. The caller provides `web::Data<AppState>`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(|e, _| {
            ApiError::BadRequest {
                code: "invalid_parameter",
                param: "path",
                message: e.to_string(),
            }
            .into()
        }))
        .app_data(web::PayloadConfig::new(1024))
        .service(
            web::scope("")
                .wrap(from_fn(limit_uri))
                .wrap(security_headers())
                .wrap(from_fn(metrics::observe))
                .service(get("/", assets::index))
                .service(get("/app.js", assets::app_js))
                .service(get("/style.css", assets::style_css))
                .service(get("/api/search", routes::search))
                .service(get("/api/docs/{id}", routes::doc))
                .service(get("/api/health", routes::health))
                .service(get("/metrics", metrics::metrics))
                .default_service(web::route().to(routes::not_found)),
        );
}

fn get<F, Args>(path: &str, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    web::resource(path)
        .route(web::get().to(handler.clone()))
        .route(web::head().to(handler))
        .default_service(web::route().to(routes::method_not_allowed))
}
