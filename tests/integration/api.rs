//! The HTTP API, through `http::configure` (the server's own routes).

use actix_web::{test, web, App};
use kazsearch::http::{configure, AppState};
use serde_json::Value;

use crate::common::{hit_ids as ids, SampleIndex};

macro_rules! app {
    ($sample:expr) => {
        test::init_service(
            App::new()
                .app_data(web::Data::new(AppState::embedded($sample.engine.clone())))
                .configure(configure),
        )
        .await
    };
}

async fn get_json(
    app: &impl actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
    >,
    uri: &str,
) -> (u16, Value) {
    let resp = test::call_service(app, test::TestRequest::get().uri(uri).to_request()).await;
    let status = resp.status().as_u16();
    let body = test::read_body(resp).await;
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("{uri}: not JSON: {}", String::from_utf8_lossy(&body)));
    (status, v)
}

#[actix_web::test]
async fn health_counts_the_sample() {
    let s = SampleIndex::new();
    let app = app!(s);
    let (status, v) = get_json(&app, "/api/health").await;
    assert_eq!(status, 200);
    assert_eq!(v["status"], "ok");
    assert!(v["docs"].as_u64().unwrap() >= 48, "{v}");
}

#[actix_web::test]
async fn any_spelling_finds_all_three_languages_with_marks() {
    let s = SampleIndex::new();
    let app = app!(s);
    for q in ["Tokayev", "Токаев", "Тоқаев", "Toqaev"] {
        let uri = format!("/api/search?q={}", urlencode(q));
        let (status, v) = get_json(&app, &uri).await;
        assert_eq!(status, 200, "{v}");
        for lang in ["kk", "ru", "en"] {
            assert!(
                v["facets"]["lang"][lang].as_u64().unwrap() >= 2,
                "{q}: {lang} facet in {}",
                v["facets"]
            );
        }
        let hits = v["hits"].as_array().unwrap();
        assert!(
            hits.iter()
                .all(|h| h["snippet"].as_str().unwrap().contains("<mark>")
                    || h["title_html"].as_str().unwrap().contains("<mark>")),
            "{q}: every hit is highlighted"
        );
        // The Tokarev articles are never above a Tokayev one.
        let list = ids(&v);
        if let Some(pos) = list.iter().position(|id| id == "ru-015" || id == "en-016") {
            assert!(
                list[..pos].len() >= 5,
                "{q}: a Tokarev article ranks at {pos}: {list:?}"
            );
        }
        for h in hits {
            for key in [
                "id", "title", "lang", "date", "source", "url", "score", "snippet", "matched",
            ] {
                assert!(h.get(key).is_some(), "hit lacks {key}: {h}");
            }
        }
    }
}

#[actix_web::test]
async fn filters_paging_and_phrases() {
    let s = SampleIndex::new();
    let app = app!(s);
    let (_, all) = get_json(&app, "/api/search?q=Tokayev").await;
    let (_, kk) = get_json(&app, "/api/search?q=Tokayev&lang=kk").await;
    assert!(ids(&kk).len() >= 2);
    assert!(kk["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["lang"] == "kk"));
    assert_eq!(kk["total"], all["facets"]["lang"]["kk"]);
    assert_eq!(
        kk["facets"], all["facets"],
        "facets ignore the language filter"
    );
    let (_, in_query) = get_json(&app, "/api/search?q=Tokayev%20lang:kk").await;
    assert_eq!(ids(&in_query), ids(&kk));

    let (_, p1) = get_json(&app, "/api/search?q=Tokayev&limit=2").await;
    let (_, p2) = get_json(&app, "/api/search?q=Tokayev&limit=2&offset=2").await;
    assert_eq!(ids(&p1), ids(&all)[..2]);
    assert_eq!(ids(&p2), ids(&all)[2..4]);

    let (_, dated) = get_json(&app, "/api/search?q=Tokayev&from=2023-01-01&to=2023-12-31").await;
    for h in dated["hits"].as_array().unwrap() {
        assert!(h["date"].as_str().unwrap().starts_with("2023"), "{h}");
    }
    assert!(dated["total"].as_u64().unwrap() < all["total"].as_u64().unwrap());

    let (_, excl) = get_json(&app, "/api/search?q=Tokayev%20-Karaganda").await;
    for id in ids(&excl) {
        assert!(
            !["en-001", "ru-001", "kk-001"].contains(&id.as_str()),
            "{id} names Karaganda"
        );
    }
    let (_, phrase) = get_json(&app, "/api/search?q=%22Kassym-Jomart%20Tokayev%22").await;
    assert!(phrase["total"].as_u64().unwrap() >= 4, "{phrase}");
}

#[actix_web::test]
async fn bad_requests_are_400_json() {
    let s = SampleIndex::new();
    let app = app!(s);
    let long = "a".repeat(600);
    let cases = [
        ("/api/search", "invalid_query"),
        ("/api/search?q=", "invalid_query"),
        ("/api/search?q=%22unclosed", "invalid_query"),
        ("/api/search?q=-only", "invalid_query"),
        ("/api/search?q=x%20lang:de", "invalid_query"),
        ("/api/search?q=x&lang=de", "invalid_parameter"),
        ("/api/search?q=x&limit=0", "invalid_parameter"),
        ("/api/search?q=x&limit=abc", "invalid_parameter"),
        ("/api/search?q=x&offset=-3", "invalid_parameter"),
        ("/api/search?q=x&from=tomorrow", "invalid_parameter"),
        ("/api/search?q=x&q=y", "invalid_parameter"),
        ("/api/search?q=%FF", "invalid_query"),
    ];
    for (uri, code) in cases {
        let (status, v) = get_json(&app, uri).await;
        assert_eq!(status, 400, "{uri}: {v}");
        assert_eq!(v["error"]["code"], code, "{uri}: {v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    let (status, _) = get_json(&app, &format!("/api/search?q={long}")).await;
    assert_eq!(status, 400);
}

#[actix_web::test]
async fn docs_route_and_unknown_routes() {
    let s = SampleIndex::new();
    let app = app!(s);
    let (status, v) = get_json(&app, "/api/docs/kk-001?q=Tokayev").await;
    assert_eq!(status, 200);
    assert_eq!(v["lang"], "kk");
    assert!(
        v["body_html"]
            .as_str()
            .unwrap()
            .contains("<mark>Тоқаевтың</mark>"),
        "{v}"
    );
    let (status, v) = get_json(&app, "/api/docs/ru-004").await;
    assert_eq!(
        (status, v["lang"].as_str()),
        (200, Some("ru")),
        "a detected language is stored"
    );
    let (status, v) = get_json(&app, "/api/docs/nope").await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, v) = get_json(&app, "/api/nothing").await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let resp = test::call_service(
        &app,
        test::TestRequest::post()
            .uri("/api/search?q=x")
            .to_request(),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 405);
}

#[actix_web::test]
async fn page_is_served_with_security_headers_and_text_is_escaped() {
    let s = SampleIndex::new();
    let app = app!(s);
    let resp = test::call_service(
        &app,
        test::TestRequest::get().uri("/?q=Tokayev").to_request(),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    let h = resp.headers();
    assert!(h
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    let body = String::from_utf8(test::read_body(resp).await.to_vec()).unwrap();
    assert!(body.contains("<script src=\"/app.js\""));
    for asset in ["/app.js", "/style.css"] {
        let resp = test::call_service(&app, test::TestRequest::get().uri(asset).to_request()).await;
        assert_eq!(resp.status().as_u16(), 200, "{asset}");
    }
    // en-015 quotes a <script> tag: it comes back escaped, never as markup.
    let (_, v) = get_json(&app, "/api/search?q=script%20alert").await;
    assert!(ids(&v).contains(&"en-015".to_string()), "{v}");
    for h in v["hits"].as_array().unwrap() {
        let snippet = h["snippet"].as_str().unwrap();
        assert!(!snippet.contains("<script"), "{snippet}");
        assert!(snippet.contains("&lt;"), "{snippet}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
