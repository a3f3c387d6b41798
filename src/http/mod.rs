//! The HTTP server's routes, exactly as DESIGN.md lists them, in one `configure` that both
//! `kazsearch serve` and the tests use.
//!
//! ```text
//! GET /                 the search page (web/, embedded)
//! GET /api/search       JSON search
//! GET /api/docs/{id}    one stored article
//! GET /api/health       {"status":"ok","docs":N}
//! ```
//! Every route is GET-only; there is no route that writes. Responses carry security headers
//! (a strict Content-Security-Policy: the page loads nothing from elsewhere).

pub mod assets;
pub mod error;
pub mod routes;

use std::sync::Arc;

use actix_web::middleware::DefaultHeaders;
use actix_web::{error::QueryPayloadError, web, HttpRequest};

use crate::search::Engine;
use error::ApiError;

/// Shared state of the server's workers.
pub struct AppState {
    /// The search engine (shared; it swaps index generations by itself).
    pub engine: Arc<Engine>,
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
                .wrap(security_headers())
                .service(get("/", assets::index))
                .service(get("/app.js", assets::app_js))
                .service(get("/style.css", assets::style_css))
                .service(get("/api/search", routes::search))
                .service(get("/api/docs/{id}", routes::doc))
                .service(get("/api/health", routes::health))
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
