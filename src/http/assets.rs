//! The search page's files, embedded in the binary (no runtime path, no build step).

use actix_web::{http::header, HttpResponse};

/// `web/index.html`.
pub const INDEX_HTML: &str = include_str!("../../web/index.html");
/// `web/app.js`.
pub const APP_JS: &str = include_str!("../../web/app.js");
/// `web/style.css`.
pub const STYLE_CSS: &str = include_str!("../../web/style.css");

fn asset(body: &'static str, content_type: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}

/// GET / — the page (it reads `q`, `lang` and `page` from the URL itself).
pub async fn index() -> HttpResponse {
    asset(INDEX_HTML, "text/html; charset=utf-8")
}

/// GET /app.js
pub async fn app_js() -> HttpResponse {
    asset(APP_JS, "text/javascript; charset=utf-8")
}

/// GET /style.css
pub async fn style_css() -> HttpResponse {
    asset(STYLE_CSS, "text/css; charset=utf-8")
}
