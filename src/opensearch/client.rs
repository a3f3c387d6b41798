//! A small blocking HTTP client for the OpenSearch REST API (ureq): JSON in, JSON out, and
//! every failure an [`Error::OpenSearch`] that names the request and what the cluster said.
//!
//! `--url` may name several nodes, comma-separated: a request that cannot reach one (refused,
//! timed out) goes to the next, which then serves the following requests too.

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, Result};

/// Longest a request may take before it counts as failed (a bulk batch on a busy cluster
/// takes seconds; waiting for green takes up to the `timeout` the request itself gives).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// How many times a request answered 429 (Too Many Requests: the cluster's write queue is
/// full) is sent again, with a growing pause, before the load gives up.
const MAX_RETRIES: u32 = 8;

/// Marks a failure to reach a node (internal: the next node is tried, and the mark removed).
const TRANSPORT: &str = "\u{1}transport: ";

/// A connection to one OpenSearch cluster.
#[derive(Clone)]
pub struct Client {
    bases: Vec<String>,
    /// The node requests go to first (the last one that answered).
    current: Arc<AtomicUsize>,
    /// Requests sent (for `bench`: round trips per search).
    sent: Arc<AtomicUsize>,
    agent: ureq::Agent,
}

/// A response: the HTTP status and the body parsed as JSON (`Null` when it is empty).
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Value,
}

impl Client {
    /// A client for the cluster at `url` (`http://host:port`, no trailing path needed; several
    /// nodes separated by commas).
    pub fn new(url: &str) -> Result<Client> {
        let mut bases = Vec::new();
        for one in url.split(',').map(str::trim).filter(|u| !u.is_empty()) {
            let base = one.trim_end_matches('/').to_string();
            if !base.starts_with("http://") {
                return Err(Error::OpenSearch(format!(
                    "--url must be http:// URLs of the cluster's nodes (comma-separated), got {one:?} (https is not supported by this build)"
                )));
            }
            bases.push(base);
        }
        if bases.is_empty() {
            return Err(Error::OpenSearch(
                "--url names no node: give http://host:port".into(),
            ));
        }
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout(REQUEST_TIMEOUT)
            .build();
        Ok(Client {
            bases,
            current: Arc::new(AtomicUsize::new(0)),
            sent: Arc::new(AtomicUsize::new(0)),
            agent,
        })
    }

    /// Requests sent so far (by this client and its clones).
    pub fn requests(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
    }

    /// The base URL of the node requests go to now.
    pub fn url(&self) -> &str {
        &self.bases[self.current.load(Ordering::Relaxed) % self.bases.len()]
    }

    /// Sends `method path` with an optional body (JSON or, with `ndjson`, bulk lines), and
    /// returns the response whatever its status; transport failures are errors.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        ndjson: bool,
    ) -> Result<Response> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let first = self.current.load(Ordering::Relaxed);
        let mut result = Err(Error::OpenSearch("no node".into()));
        for i in 0..self.bases.len() {
            let at = (first + i) % self.bases.len();
            result = self.send_to(&self.bases[at], method, path, body, ndjson);
            match &result {
                Err(Error::OpenSearch(m)) if m.starts_with(TRANSPORT) => {
                    tracing::debug!("{m}; trying the next node");
                }
                _ => {
                    if at != first {
                        self.current.store(at, Ordering::Relaxed);
                    }
                    break;
                }
            }
        }
        result.map_err(|e| match e {
            Error::OpenSearch(m) => Error::OpenSearch(m.trim_start_matches(TRANSPORT).to_string()),
            other => other,
        })
    }

    /// [`Client::send`] to one node.
    fn send_to(
        &self,
        base: &str,
        method: &str,
        path: &str,
        body: Option<&str>,
        ndjson: bool,
    ) -> Result<Response> {
        let url = format!("{base}{path}");
        let mut attempt = 0;
        loop {
            let req = self.agent.request(method, &url);
            let result = match body {
                Some(b) => req
                    .set(
                        "Content-Type",
                        if ndjson {
                            "application/x-ndjson"
                        } else {
                            "application/json"
                        },
                    )
                    .send_string(b),
                None => req.call(),
            };
            let resp = match result {
                Ok(r) => r,
                Err(ureq::Error::Status(429, _)) if attempt < MAX_RETRIES => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(200 << attempt.min(5)));
                    continue;
                }
                Err(ureq::Error::Status(_, r)) => r,
                Err(ureq::Error::Transport(t)) => {
                    return Err(Error::OpenSearch(format!("{TRANSPORT}{method} {url}: {t}")))
                }
            };
            let status = resp.status();
            let mut text = String::new();
            resp.into_reader().read_to_string(&mut text).map_err(|e| {
                Error::OpenSearch(format!("{method} {url}: reading the answer: {e}"))
            })?;
            let body = if text.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            };
            return Ok(Response { status, body });
        }
    }

    /// Like [`Client::send`] with a JSON body, but a status outside 2xx is an error.
    pub fn ok(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let text = body.map(Value::to_string);
        let r = self.send(method, path, text.as_deref(), false)?;
        r.into_ok(method, path)
    }
}

impl Response {
    /// The body when the status is 2xx, else an error quoting the cluster's reason.
    pub fn into_ok(self, method: &str, path: &str) -> Result<Value> {
        if (200..300).contains(&self.status) {
            Ok(self.body)
        } else {
            Err(Error::OpenSearch(format!(
                "{method} {path}: HTTP {}: {}",
                self.status,
                reason(&self.body)
            )))
        }
    }
}

/// The most useful sentence of an OpenSearch error body (`error.root_cause[0].reason`, else
/// `error.reason`, else the body itself, shortened).
pub fn reason(body: &Value) -> String {
    let err = &body["error"];
    let pick = |v: &Value| -> Option<String> {
        let r = v["reason"].as_str()?;
        Some(match v["type"].as_str() {
            Some(t) => format!("{t}: {r}"),
            None => r.to_string(),
        })
    };
    pick(&err["root_cause"][0])
        .or_else(|| pick(err))
        .or_else(|| err.as_str().map(str::to_string))
        .unwrap_or_else(|| {
            let s = body.to_string();
            s.chars().take(300).collect()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reasons() {
        let cases = [
            (
                json!({"error": {"root_cause": [{"type": "x", "reason": "deep"}], "reason": "top"}}),
                "x: deep",
            ),
            (json!({"error": {"reason": "top"}}), "top"),
            (json!({"error": "plain"}), "plain"),
            (json!({"acknowledged": false}), "{\"acknowledged\":false}"),
        ];
        for (body, want) in cases {
            assert_eq!(reason(&body), want);
        }
    }

    #[test]
    fn only_http_urls() {
        assert!(Client::new("http://127.0.0.1:9200/").is_ok());
        assert_eq!(
            Client::new("http://127.0.0.1:9200/").unwrap().url(),
            "http://127.0.0.1:9200"
        );
        assert!(Client::new("127.0.0.1:9200").is_err());
        assert!(Client::new("https://x").is_err());
        assert!(Client::new(" , ").is_err());
        let two = Client::new("http://127.0.0.1:9200, http://127.0.0.1:9201/").unwrap();
        assert_eq!(
            two.bases,
            vec!["http://127.0.0.1:9200", "http://127.0.0.1:9201"]
        );
    }
}
