//! Issue #5, point 5: hostile article text comes back escaped; no route writes; URLs, request
//! heads and bodies are bounded; every response carries the security headers; the server
//! binds to 127.0.0.1 unless told otherwise.

use std::io::Write;
use std::time::{Duration, Instant};

use actix_web::test as at;
use actix_web::{web, App};
use kazsearch::http::{configure, AppState};
use kazsearch::ingest;
use kazsearch::lang::Detector;
use kazsearch::search::alias::Aliases;
use kazsearch::search::Engine;
use kazsearch::store::writer::{rebuild, BuildOptions};
use kazsearch::store::IndexDir;
use serde_json::Value;

use crate::common::run;
use crate::server::{enc, Conn, Server};

const TITLE: &str = r#"<script>alert('t')</script> "Tokayev" <img src=x onerror=alert(1)>"#;
const BODY: &str = r#"Tokayev said <script>document.location='//evil'</script> and <img src="x" onerror="alert(2)"> with 'single' & "double" quotes. </textarea><svg onload=alert(3)> <a href="javascript:alert(4)">link</a>"#;
const EVIL_ID: &str = r#""><img src=x onerror=alert(5)>"#;

fn hostile_index(dir: &std::path::Path) -> IndexDir {
    let idx = IndexDir::new(dir.join("idx"));
    let lines = [
        serde_json::json!({"id": "xss-1", "title": TITLE, "body": BODY, "lang": "en"}),
        serde_json::json!({"id": EVIL_ID, "title": "Tokayev <b>bold</b>", "body": "Tokayev <i>x</i> \"q\"", "lang": "en",
                           "source": "<script>s</script>", "url": "javascript:alert(6)"}),
    ]
    .map(|v| v.to_string())
    .join("\n");
    let records = ingest::read_str("hostile.jsonl", &lines);
    rebuild(
        &idx,
        records.into_iter(),
        &BuildOptions::default(),
        &Detector::new(),
        &mut |e| panic!("{e}"),
        &mut |_| {},
    )
    .unwrap();
    idx
}

/// An HTML field the page inserts as markup: only `<mark>` may be a tag, and no quote or
/// angle bracket survives unescaped.
fn assert_inert(what: &str, html: &str) {
    let bare = html.replace("<mark>", "").replace("</mark>", "");
    assert!(
        !bare.contains(['<', '>', '"', '\'']),
        "{what} is not inert: {html}"
    );
}

const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("content-security-policy", "default-src 'none'"),
];

#[actix_web::test]
async fn hostile_article_text_is_escaped_and_no_route_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = hostile_index(tmp.path());
    let engine = std::sync::Arc::new(Engine::open(idx.clone(), Aliases::builtin()).unwrap());
    let app = at::init_service(
        App::new()
            .app_data(web::Data::new(AppState::embedded(engine.clone())))
            .configure(configure),
    )
    .await;
    let get = |uri: String| {
        let req = at::TestRequest::get().uri(&uri).to_request();
        let app = &app;
        async move {
            let resp = at::call_service(app, req).await;
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let body: Value = serde_json::from_slice(&at::read_body(resp).await).unwrap();
            (status, headers, body)
        }
    };

    let (status, headers, v) = get("/api/search?q=Tokayev".into()).await;
    assert_eq!(status, 200);
    assert!(headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2, "{v}");
    let mut checked = 0;
    for h in hits {
        assert_inert("title_html", h["title_html"].as_str().unwrap());
        assert_inert("snippet", h["snippet"].as_str().unwrap());
        checked += 2;
    }
    let xss = hits.iter().find(|h| h["id"] == "xss-1").unwrap();
    // The plain fields are the text as written (the page sets them with textContent).
    assert_eq!(xss["title"], TITLE);
    assert!(xss["snippet"]
        .as_str()
        .unwrap()
        .contains("&lt;script&gt;document.location=&#39;//evil&#39;&lt;/script&gt;"));
    assert!(xss["title_html"]
        .as_str()
        .unwrap()
        .contains("&quot;<mark>Tokayev</mark>&quot;"));

    for id in ["xss-1", EVIL_ID] {
        let (status, _, d) = get(format!("/api/docs/{}?q=Tokayev", enc(id))).await;
        assert_eq!(status, 200, "{d}");
        assert_eq!(d["id"], id);
        for key in ["title_html", "body_html"] {
            assert_inert(key, d[key].as_str().unwrap());
            checked += 1;
        }
    }
    let (_, _, d) = get("/api/docs/xss-1".into()).await;
    assert_eq!(d["body"], BODY);

    // No route writes: every other method on every route is refused, and nothing changes.
    let generation = engine.snapshot().generation.clone();
    let docs = engine.num_docs();
    let listing = || {
        let mut v: Vec<_> = std::fs::read_dir(idx.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    let files = listing();
    let mut refused = 0;
    for path in [
        "/",
        "/app.js",
        "/style.css",
        "/api/search?q=x",
        "/api/docs/xss-1",
        "/api/health",
        "/api/docs",
        "/api/index",
        "/api/reindex",
        "/admin",
    ] {
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            let req = at::TestRequest::default()
                .method(method.parse().unwrap())
                .uri(path)
                .set_payload(r#"{"id":"new","body":"injected"}"#)
                .to_request();
            let resp = at::call_service(&app, req).await;
            let status = resp.status().as_u16();
            for (h, want) in SECURITY_HEADERS {
                let got = resp
                    .headers()
                    .get(h)
                    .map(|v| v.to_str().unwrap().to_string());
                assert!(
                    got.is_some_and(|g| g.starts_with(want)),
                    "{method} {path}: {h}"
                );
            }
            let body: Value = serde_json::from_slice(&at::read_body(resp).await).unwrap();
            assert!(
                matches!(
                    (status, body["error"]["code"].as_str()),
                    (405, Some("method_not_allowed")) | (404, Some("not_found"))
                ),
                "{method} {path}: {status} {body}"
            );
            refused += 1;
        }
    }
    assert_eq!(engine.snapshot().generation, generation);
    assert_eq!(engine.num_docs(), docs);
    assert_eq!(listing(), files);

    // Security headers on every kind of answer.
    let long = format!("/api/search?q={}", "a".repeat(64_600));
    for (uri, status) in [
        ("/", 200),
        ("/app.js", 200),
        ("/api/health", 200),
        ("/api/search?q=Tokayev", 200),
        ("/api/search?q=%22", 400),
        ("/api/search?q=%FF", 400),
        ("/api/docs/nope", 404),
        ("/nope", 404),
        (long.as_str(), 414),
    ] {
        let resp = at::call_service(&app, at::TestRequest::get().uri(uri).to_request()).await;
        assert_eq!(resp.status().as_u16(), status, "{uri}");
        for (h, want) in SECURITY_HEADERS {
            let got = resp
                .headers()
                .get(h)
                .map(|v| v.to_str().unwrap().to_string());
            assert!(
                got.as_deref().is_some_and(|g| g.starts_with(want)),
                "{uri}: {h} is {got:?}"
            );
        }
    }
    let (status, _, v) = get(long.clone()).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (414, Some("uri_too_long")),
        "{v}"
    );
    println!(
        "escaping: {checked} HTML fields of hostile articles inert; {refused} write attempts refused, index unchanged"
    );
}

#[test]
fn the_server_binds_to_localhost_and_bounds_heads_and_bodies() {
    let (ok, help, _) = run(&["serve", "--help"]);
    assert!(ok);
    assert!(
        help.contains("[env: KAZSEARCH_ADDR=") && help.contains("[default: 127.0.0.1:8080]"),
        "{help}"
    );
    let tmp = tempfile::tempdir().unwrap();
    hostile_index(tmp.path());
    let server = Server::start(&tmp.path().join("idx"), tmp.path());
    assert!(server.addr.ip().is_loopback());

    // A 200 KB request line: refused by the HTTP layer (431), the server unharmed.
    let mut c = Conn::open(server.addr).unwrap();
    let huge = format!("/api/search?q={}", "a".repeat(200_000));
    let status = match c.get(&huge) {
        Ok(r) => r.status,
        Err(_) => 0, // the connection was closed on us: also a refusal
    };
    assert!(status == 431 || status == 0, "status {status}");
    // A URL just over the limit still fits the HTTP layer and gets the API's 414.
    let r = server
        .get(&format!("/api/search?q={}", "a".repeat(64_600)))
        .unwrap();
    assert_eq!(r.status, 414);
    assert_eq!(r.json().unwrap()["error"]["code"], "uri_too_long");

    // A 50 MB body announced on a POST: answered at once with a 405, never buffered.
    let mut c = Conn::open(server.addr).unwrap();
    let started = Instant::now();
    c.send(b"POST /api/search?q=x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n")
        .unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    for _ in 0..16 {
        if c.send(&chunk).is_err() {
            break;
        }
    }
    let r = c.read_response(false).unwrap();
    assert_eq!(r.status, 405);
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(c);

    // Still healthy.
    let r = server.get("/api/health").unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    let _ = std::io::stdout().flush();
    println!("limits: 200 KB head refused ({status}), 20 KB URL 414, 50 MB body 405 in {:?}; server healthy", started.elapsed());
}
