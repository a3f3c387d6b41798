//! Prometheus metrics (GET /metrics) and the access log: one middleware sees every answered
//! request, counts it by route and status, times it into a histogram and logs one line.
//!
//! The text exposition format is written here by hand (about a hundred lines): the metrics
//! are a few counters and one histogram, and the `prometheus` crates would bring a registry,
//! macros and (for one of them) protobuf for nothing the server needs.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use super::AppState;
use crate::lang::Lang;
use crate::search::SearchResponse;

/// Upper bounds of the latency histogram's buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// How a search was answered, for `kazsearch_searches_total{kind}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    /// The words as typed matched.
    Direct,
    /// Results include articles that lack some query words.
    Relaxed,
    /// The query was read on another keyboard layout.
    Corrected,
    /// Near spellings or sound-alikes were added (marked guesses).
    Guessed,
}

impl SearchKind {
    const ALL: [SearchKind; 4] = [
        SearchKind::Direct,
        SearchKind::Relaxed,
        SearchKind::Corrected,
        SearchKind::Guessed,
    ];

    /// The label value.
    pub fn label(self) -> &'static str {
        match self {
            SearchKind::Direct => "direct",
            SearchKind::Relaxed => "relaxed",
            SearchKind::Corrected => "corrected",
            SearchKind::Guessed => "guessed",
        }
    }

    /// The kind of a response: a correction first, then guesses, then relaxed matching.
    pub fn of(resp: &SearchResponse) -> SearchKind {
        if resp.corrected.is_some() {
            SearchKind::Corrected
        } else if resp.fuzzy {
            SearchKind::Guessed
        } else if resp.relaxed {
            SearchKind::Relaxed
        } else {
            SearchKind::Direct
        }
    }
}

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    /// (route, status) → requests.
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    /// route → latency.
    latency: Mutex<BTreeMap<&'static str, Histogram>>,
    searches: [AtomicU64; 4],
}

static METRICS: OnceLock<Metrics> = OnceLock::new();
static LOG_QUERIES: AtomicBool = AtomicBool::new(false);

/// The process's metrics.
pub fn global() -> &'static Metrics {
    METRICS.get_or_init(Metrics::default)
}

/// Whether the access log shows query strings (`serve --log-queries`).
pub fn set_log_queries(on: bool) {
    LOG_QUERIES.store(on, Ordering::Relaxed);
}

/// The route label of a path pattern: one of the server's routes, or "other".
fn route_label(pattern: Option<&str>) -> &'static str {
    const ROUTES: [&str; 7] = [
        "/",
        "/app.js",
        "/style.css",
        "/api/search",
        "/api/docs/{id}",
        "/api/health",
        "/metrics",
    ];
    pattern
        .and_then(|p| ROUTES.iter().find(|r| **r == p))
        .copied()
        .unwrap_or("other")
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &'static str, status: u16, secs: f64) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route, status)).or_default() += 1;
        }
        if let Ok(mut m) = self.latency.lock() {
            let h = m.entry(route).or_default();
            h.count += 1;
            h.sum += secs;
            for (b, le) in h.buckets.iter_mut().zip(BUCKETS) {
                if secs <= le {
                    *b += 1;
                }
            }
        }
    }

    /// Counts one search by its kind.
    pub fn search(&self, kind: SearchKind) {
        self.searches[kind as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// The metrics in Prometheus' text format, with the index's gauges from `state`.
    pub fn render(&self, state: Option<&AppState>) -> String {
        let mut out = String::new();
        let head = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        head(
            &mut out,
            "kazsearch_http_requests_total",
            "counter",
            "HTTP requests answered, by route and status.",
        );
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "kazsearch_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        let name = "kazsearch_http_request_duration_seconds";
        head(
            &mut out,
            name,
            "histogram",
            "Time from the request's arrival to its response, by route.",
        );
        if let Ok(m) = self.latency.lock() {
            for (route, h) in m.iter() {
                for (le, n) in BUCKETS.iter().zip(h.buckets) {
                    let _ = writeln!(out, "{name}_bucket{{route=\"{route}\",le=\"{le}\"}} {n}");
                }
                let _ = writeln!(
                    out,
                    "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n{name}_sum{{route=\"{route}\"}} {}\n{name}_count{{route=\"{route}\"}} {}",
                    h.count, h.sum, h.count
                );
            }
        }
        head(
            &mut out,
            "kazsearch_searches_total",
            "counter",
            "Searches answered, by how: direct, relaxed (some words missing), corrected (keyboard layout), guessed (near spellings).",
        );
        for kind in SearchKind::ALL {
            let _ = writeln!(
                out,
                "kazsearch_searches_total{{kind=\"{}\"}} {}",
                kind.label(),
                self.searches[kind as usize].load(Ordering::Relaxed)
            );
        }
        let Some(engine) = state.and_then(|s| s.engine.as_ref()) else {
            return out;
        };
        let snap = engine.snapshot();
        head(
            &mut out,
            "kazsearch_index_generation",
            "gauge",
            "The live index generation (the number in gen-NNNNNN).",
        );
        let number = snap
            .generation
            .strip_prefix("gen-")
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
        let _ = writeln!(out, "kazsearch_index_generation {number}");
        head(
            &mut out,
            "kazsearch_index_commit",
            "gauge",
            "The opstamp of the commit served (grows with every add or delete).",
        );
        let _ = writeln!(out, "kazsearch_index_commit {}", snap.opstamp);
        head(
            &mut out,
            "kazsearch_index_commits_loaded_total",
            "counter",
            "Commits and generations the server has switched to since it started.",
        );
        let _ = writeln!(
            out,
            "kazsearch_index_commits_loaded_total {}",
            engine.reloads()
        );
        head(
            &mut out,
            "kazsearch_index_docs",
            "gauge",
            "Articles in the index served, by language.",
        );
        match snap.docs_by_lang() {
            Ok(by_lang) => {
                for l in Lang::ALL {
                    let _ = writeln!(
                        out,
                        "kazsearch_index_docs{{lang=\"{}\"}} {}",
                        l.code(),
                        by_lang[l.index()]
                    );
                }
            }
            Err(e) => tracing::warn!("counting articles by language: {e}"),
        }
        out
    }
}

/// GET /metrics
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(global().render(Some(&state)))
}

/// Middleware: counts, times and logs every request the app answers.
pub async fn observe<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let target = if LOG_QUERIES.load(Ordering::Relaxed) && !req.query_string().is_empty() {
        format!("{}?{}", req.path(), req.query_string())
    } else {
        req.path().to_string()
    };
    let route = route_label(req.match_pattern().as_deref());
    let res = next.call(req).await;
    let status = match &res {
        Ok(r) => r.status().as_u16(),
        Err(e) => e.as_response_error().status_code().as_u16(),
    };
    let secs = started.elapsed().as_secs_f64();
    global().request(route, status, secs);
    tracing::info!(
        target: "kazsearch::access",
        method = %method,
        path = %target,
        status,
        ms = (secs * 1e5).round() / 100.0,
        "{method} {target} {status} {:.2}ms",
        secs * 1e3
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_labelled_by_pattern() {
        let cases = [
            (Some("/api/docs/{id}"), "/api/docs/{id}"),
            (Some("/api/search"), "/api/search"),
            (Some("/nope/{x}"), "other"),
            (None, "other"),
        ];
        for (pattern, want) in cases {
            assert_eq!(route_label(pattern), want);
        }
    }

    #[test]
    fn counters_and_histogram_render() {
        let m = Metrics::default();
        m.request("/api/search", 200, 0.003);
        m.request("/api/search", 200, 0.2);
        m.request("/api/search", 400, 0.0001);
        m.search(SearchKind::Guessed);
        let text = m.render(None);
        for want in [
            "kazsearch_http_requests_total{route=\"/api/search\",status=\"200\"} 2",
            "kazsearch_http_requests_total{route=\"/api/search\",status=\"400\"} 1",
            "kazsearch_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.0005\"} 1",
            "kazsearch_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.005\"} 2",
            "kazsearch_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 3",
            "kazsearch_http_request_duration_seconds_count{route=\"/api/search\"} 3",
            "kazsearch_searches_total{kind=\"guessed\"} 1",
            "kazsearch_searches_total{kind=\"direct\"} 0",
            "# TYPE kazsearch_http_request_duration_seconds histogram",
        ] {
            assert!(text.contains(want), "{want} missing in\n{text}");
        }
    }
}
