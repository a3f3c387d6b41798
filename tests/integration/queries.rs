//! Hostile queries through the HTTP app (the server's own `configure`). Issue #5, point 1:
//! whatever the query string holds — random bytes, unbalanced quotes, lone operators, 10,000
//! characters, control characters, mixed scripts, SQL- and HTML-looking text, any parameter
//! out of range — the answer is a 200 or a 4xx with the JSON error, never a 5xx, a panic or
//! a hang.

use std::time::Duration;

use actix_web::test as at;
use actix_web::{web, App};
use kazsearch::http::{configure, AppState};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

use crate::common::SampleIndex;
use crate::props::text;
use crate::server::enc;

/// The longest a request may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(20);

/// What one request got.
#[derive(Debug)]
struct Answer {
    status: u16,
    body: Value,
}

/// Checks the contract for one answer; returns it for further checks.
fn check(uri: &str, status: u16, body: &[u8]) -> Answer {
    let body: Value = serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!(
            "{uri}: status {status}, body not JSON ({e}): {}",
            String::from_utf8_lossy(body)
        )
    });
    match status {
        200 => {
            // A search's hits, or a document (its HTML fields exist when q was given).
            let docs = match body["hits"].as_array() {
                Some(hits) => hits.clone(),
                None => vec![body.clone()],
            };
            for d in &docs {
                for key in ["snippet", "title_html", "body_html"] {
                    let html = d[key].as_str().unwrap_or_default();
                    let bare = html.replace("<mark>", "").replace("</mark>", "");
                    assert!(!bare.contains(['<', '>']), "{uri}: {key} {html:?}");
                }
            }
        }
        400 | 404 | 414 => {
            let e = &body["error"];
            assert!(
                e["code"].as_str().is_some_and(|c| !c.is_empty())
                    && e["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{uri}: {body}"
            );
            if status == 400 {
                assert!(
                    e["param"].is_string(),
                    "{uri}: a 400 names its parameter: {body}"
                );
            }
        }
        _ => panic!("{uri}: status {status}: {body}"),
    }
    Answer { status, body }
}

/// The sample index's app on a runtime of its own, for synchronous (proptest) callers.
struct Harness {
    rt: actix_web::rt::SystemRunner,
    app:
        Box<dyn Fn(String) -> std::pin::Pin<Box<dyn std::future::Future<Output = (u16, Vec<u8>)>>>>,
    _sample: SampleIndex,
}

impl Harness {
    fn new() -> Harness {
        let sample = SampleIndex::new();
        let rt = actix_web::rt::System::new();
        let engine = sample.engine.clone();
        let app = rt.block_on(at::init_service(
            App::new()
                .app_data(web::Data::new(AppState::embedded(engine)))
                .configure(configure),
        ));
        let app = std::rc::Rc::new(app);
        Harness {
            rt,
            app: Box::new(move |uri: String| {
                let app = app.clone();
                Box::pin(async move {
                    let req = at::TestRequest::get().uri(&uri).to_request();
                    let resp = at::call_service(&*app, req).await;
                    let status = resp.status().as_u16();
                    (status, at::read_body(resp).await.to_vec())
                })
            }),
            _sample: sample,
        }
    }

    fn get(&self, uri: &str) -> Answer {
        let fut = (self.app)(uri.to_string());
        let (status, body) = self
            .rt
            .block_on(async { actix_web::rt::time::timeout(HANG, fut).await })
            .unwrap_or_else(|_| panic!("{uri}: no answer within {HANG:?}"));
        check(uri, status, &body)
    }
}

#[test]
fn hostile_queries_get_200_or_a_json_400() {
    let h = Harness::new();
    let long = |n: usize, s: &str| s.repeat(n);
    let queries: Vec<String> = [
        "\"",
        "\"\"",
        "\"\"\"",
        "\"a",
        "a\"",
        "«a",
        "a»",
        "„a“",
        "-",
        "--",
        "- -",
        "-\"",
        "-\"\"",
        "-a -b",
        "lang:",
        "lang:kk",
        "lang:KK x",
        "lang:kk lang:ru x",
        "-lang:kk x",
        "lang:xx x",
        "AND",
        "OR NOT",
        "a AND b OR c",
        "* ? ~ ^ :",
        "a*",
        "te?t",
        "a~2",
        "a^5",
        "title:x",
        "body:(x)",
        "(((",
        ")))",
        "[a TO b]",
        "{}",
        "\\",
        "\\\"",
        "%",
        "%%",
        "+",
        "&",
        "=",
        "#",
        "\u{0}",
        "a\u{0}b",
        "\u{1}\u{7f}\u{1b}[31m",
        "\t\n\r",
        "a\u{200b}b",
        "\u{202e}Tokayev",
        "\u{feff}Тоқаев",
        "e\u{301}\u{301}\u{301}\u{301}",
        "👍🏽 🔥",
        "Тоқаев Tokayev 托卡耶夫 توكاييف",
        "ҚАЗАҚСТАН",
        "Ёлка",
        "'; DROP TABLE articles; --",
        "1 OR 1=1",
        "\" OR \"\"=\"",
        "admin'--",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>",
        "javascript:alert(1)",
        "&lt;b&gt;",
        "{{7*7}}",
        "${jndi:x}",
        "../../etc/passwd",
        "Nj0ftd",
        "Ghbdtn",
        "ьфсрщу",
    ]
    .into_iter()
    .map(str::to_string)
    .chain([
        long(511, "я") + "\"",
        long(512, "𝕏"),
        long(513, "a"),
        long(10_000, "x"),
        long(300, "Тоқаев "),
        long(33, "a "),
        long(32, "a "),
        long(200, "\"a\" "),
        long(200, "-a "),
    ])
    .collect();
    let params: &[&str] = &[
        "limit=0",
        "limit=-1",
        "limit=101",
        "limit=100",
        "limit=1e3",
        "limit=99999999999999999999",
        "limit=",
        "limit=%20",
        "limit=abc",
        "offset=10001",
        "offset=10000",
        "offset=-1",
        "offset=18446744073709551616",
        "from=2020-02-30",
        "from=0000-01-01",
        "to=9999-12-31",
        "from=-0001-01-01",
        "to=2020-06-10T25:00",
        "from=2021&to=2020",
        "to=%2B5",
        "from=2020-06-10T00:00:00%2B14:00",
        "lang=KK",
        "lang=xx",
        "lang=",
        "lang=kk,ru",
        "lang=all",
        "q=a",
        "unknown=1",
        "limit=1&limit=2",
        "from=%FF",
        "lang=%00",
    ];
    let mut uris: Vec<String> = queries
        .iter()
        .map(|q| format!("/api/search?q={}", enc(q)))
        .collect();
    uris.extend(params.iter().map(|p| format!("/api/search?q=Tokayev&{p}")));
    uris.extend(
        [
            "/api/search?q=%",
            "/api/search?q=%zz",
            "/api/search?q=%FF%FE",
            "/api/search?q=%00",
            "/api/search?q=%C0%AF",
            "/api/search?q=%ED%A0%80",
            "/api/search?q",
            "/api/search?=x",
            "/api/search?&&&",
            "/api/search?q=a+b",
            "/api/search?q[]=x",
            "/api/search?Q=x",
            "/api/docs/%FF?q=x",
            "/api/docs/kk-001?q=%22",
            "/api/docs/kk-001?q=",
            "/api/docs/%00",
            "/api/docs/..%2F..%2Fetc",
            "/api/health?x=%FF",
        ]
        .map(str::to_string),
    );
    let (mut ok, mut refused) = (0, 0);
    for uri in &uris {
        match h.get(uri).status {
            200 => ok += 1,
            _ => refused += 1,
        }
    }
    // Dates past what the index holds are clamped, not an overflow (a 503 before the fix).
    let total = |uri: &str| h.get(uri).body["total"].as_u64().unwrap();
    assert_eq!(
        total("/api/search?q=Tokayev&from=0001-01-01&to=9999-12-31"),
        total("/api/search?q=Tokayev")
    );
    assert_eq!(total("/api/search?q=Tokayev&from=2300"), 0);
    // Spot checks of the messages a person sees.
    let msg = |uri: &str| {
        h.get(uri).body["error"]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        msg(&format!("/api/search?q={}", long(10_000, "x"))),
        "the query is 10000 characters long; at most 512 are allowed"
    );
    assert_eq!(
        msg(&format!("/api/search?q={}", long(10_000, "%D2%9B"))),
        "the query is 10000 characters long; at most 512 are allowed"
    );
    assert_eq!(
        msg(&format!("/api/search?q={}", long(513, "a"))),
        "the query is 513 characters long; at most 512 are allowed"
    );
    assert_eq!(
        msg("/api/search?q=Tokayev&limit=101"),
        "limit must be a whole number from 1 to 100, got \"101\""
    );
    assert_eq!(
        msg("/api/search?q=%22a"),
        "unclosed quote: the quote at character 1 has no closing quote"
    );
    println!(
        "hostile queries: {} requests, {ok} answered 200, {refused} refused with a JSON 4xx, 0 5xx",
        uris.len()
    );
}

#[test]
fn random_query_strings_get_200_or_a_json_400() {
    let h = Harness::new();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(150);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    // Random text as q (plus random other parameters), and random raw bytes.
    let param = prop_oneof![
        Just(String::new()),
        text(6).prop_map(|v| format!("&lang={}", enc(&v))),
        (-5i64..200).prop_map(|n| format!("&limit={n}")),
        (-5i64..20_000).prop_map(|n| format!("&offset={n}")),
        text(12).prop_map(|v| format!("&from={}", enc(&v))),
        "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?".prop_map(|v| format!("&to={v}")),
    ];
    let n = std::cell::Cell::new(0);
    TestRunner::new(config.clone())
        .run(&(text(150), vec(param, 0..4)), |(q, ps)| {
            let uri = format!("/api/search?q={}{}", enc(&q), ps.concat());
            let a = h.get(&uri);
            prop_assert!(a.status == 200 || a.status == 400, "{uri}: {}", a.status);
            n.set(n.get() + 1);
            Ok(())
        })
        .unwrap();
    TestRunner::new(config)
        .run(&vec(any::<u8>(), 0..300), |bytes| {
            let q: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
            let a = h.get(&format!("/api/search?q={q}"));
            prop_assert!(a.status == 200 || a.status == 400);
            n.set(n.get() + 1);
            Ok(())
        })
        .unwrap();
    println!(
        "random query strings: {} requests, all 200 or a JSON 400",
        n.get()
    );
}
