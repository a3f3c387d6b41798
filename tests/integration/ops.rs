//! Issue 12, operations: a read-only index served (and no file opened for writing, which also
//! holds as root), /metrics as Prometheus text, every error answered as JSON, the access log
//! and JSON logs, the bind error before any "serving" line, progress lines off a terminal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{bin, run};
use crate::server::{index, synthetic_corpus, Conn, Server, MARKER};

/// Every directory under `root` (itself included).
fn dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        for e in std::fs::read_dir(&out[i]).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.push(p);
            }
        }
        i += 1;
    }
    out
}

/// chmod -R a-w (or back to u+w).
fn set_writable(root: &Path, writable: bool) {
    let mode = if writable { "u+w" } else { "a-w" };
    let ok = std::process::Command::new("chmod")
        .args(["-R", mode])
        .arg(root)
        .status()
        .unwrap()
        .success();
    assert!(ok, "chmod -R {mode}");
}

/// Watches directories with inotify for anything a writer would do.
struct Watch {
    fd: i32,
}

impl Watch {
    fn new(dirs: &[PathBuf]) -> Watch {
        // SAFETY: plain syscalls on a descriptor this struct owns.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        assert!(fd >= 0, "inotify_init1");
        let mask = libc::IN_CREATE
            | libc::IN_MODIFY
            | libc::IN_CLOSE_WRITE
            | libc::IN_DELETE
            | libc::IN_MOVED_TO
            | libc::IN_MOVED_FROM
            | libc::IN_ATTRIB;
        for d in dirs {
            let c = std::ffi::CString::new(d.to_str().unwrap()).unwrap();
            // SAFETY: c is a valid C string.
            let wd = unsafe { libc::inotify_add_watch(fd, c.as_ptr(), mask) };
            assert!(wd >= 0, "inotify_add_watch {}", d.display());
        }
        Watch { fd }
    }

    /// Names and masks of the events so far.
    fn events(&self) -> Vec<(String, u32)> {
        let mut buf = vec![0u8; 64 * 1024];
        // SAFETY: buf is writable for its length.
        let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
        let mut out = Vec::new();
        let mut at = 0usize;
        let head = std::mem::size_of::<libc::inotify_event>();
        while n > 0 && at + head <= n as usize {
            // SAFETY: the kernel wrote whole events; read_unaligned copes with alignment.
            let ev: libc::inotify_event =
                unsafe { std::ptr::read_unaligned(buf[at..].as_ptr().cast()) };
            let name = &buf[at + head..at + head + ev.len as usize];
            let name = String::from_utf8_lossy(name)
                .trim_end_matches('\0')
                .to_string();
            out.push((name, ev.mask));
            at += head + ev.len as usize;
        }
        out
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // SAFETY: closing our own descriptor.
        unsafe { libc::close(self.fd) };
    }
}

#[test]
fn a_read_only_index_is_served_and_searched_without_a_single_write() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let input = synthetic_corpus(&tmp.path().join("c.jsonl"), "ro", 60, 30);
    let (ok, _, err) = index(&idx, &input);
    assert!(ok, "{err}");
    // A writer leaves tantivy's lock files behind; a reader must not reopen them for writing.
    set_writable(&idx, false);
    let watch = Watch::new(&dirs(&idx));
    let logs = tempfile::tempdir().unwrap();
    {
        let server = Server::start(&idx, logs.path());
        let v = server
            .get(&format!("/api/search?q={MARKER}"))
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(v["total"], 60, "{v}");
        assert_eq!(server.get("/metrics").unwrap().status, 200);
        // Several reload polls go by.
        std::thread::sleep(Duration::from_millis(800));
        assert_eq!(
            server.get("/api/health").unwrap().json().unwrap()["docs"],
            60
        );
        let (ok, out, err) = run(&["search", "--index", idx.to_str().unwrap(), MARKER]);
        assert!(ok, "search on a read-only index: {err}");
        assert!(out.contains("60"), "{out}");
    } // the server is killed here: a file it had open for writing would show as closed now
    std::thread::sleep(Duration::from_millis(100));
    let events = watch.events();
    // Writers on a read-only directory say where and what (except as root, who may write).
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        let extra = tmp.path().join("x.jsonl");
        std::fs::copy(&input, &extra).unwrap();
        let (ok, _, err) = run(&[
            "add",
            "--index",
            idx.to_str().unwrap(),
            extra.to_str().unwrap(),
        ]);
        assert!(!ok);
        assert!(err.contains(idx.to_str().unwrap()), "{err}");
    }
    set_writable(&idx, true);
    assert!(
        events.is_empty(),
        "the server or search wrote into the index directory (as root: {root}): {events:?}"
    );
}

/// Parses Prometheus text: each sample's name (with labels) and value; panics on a bad line,
/// a sample without a # TYPE, or a histogram whose buckets are not cumulative.
fn parse_prometheus(text: &str) -> BTreeMap<String, f64> {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut samples = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{line}"
            );
            types.insert(name.into(), kind.into());
            continue;
        }
        if line.starts_with("# HELP ") || line.is_empty() {
            continue;
        }
        assert!(!line.starts_with('#'), "stray comment {line:?}");
        let (series, value) = line.rsplit_once(' ').expect("name value");
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            v => v
                .parse()
                .unwrap_or_else(|_| panic!("bad value in {line:?}")),
        };
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad name {line:?}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            if !labels.is_empty() {
                assert!(labels.starts_with('{') && labels.ends_with('}'), "{line:?}");
                for pair in labels[1..labels.len() - 1].split("\",") {
                    let (k, v) = pair.split_once("=\"").expect("label=\"value\"");
                    assert!(k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
                    assert!(!v.trim_end_matches('"').contains('"'), "{line:?}");
                }
            }
        }
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|f| types.contains_key(*f)))
            .unwrap_or(name);
        assert!(types.contains_key(family), "no # TYPE for {line:?}");
        samples.insert(series.to_string(), value);
    }
    // Buckets are cumulative.
    let mut last: BTreeMap<String, f64> = BTreeMap::new();
    for line in text.lines().filter(|l| l.contains("_bucket{")) {
        let (series, v) = line.rsplit_once(' ').unwrap();
        let key = series.split(",le=").next().unwrap().to_string();
        let v: f64 = v.parse().unwrap();
        let prev = last.insert(key, v).unwrap_or(0.0);
        assert!(v >= prev, "buckets not cumulative at {line}");
    }
    samples
}

#[test]
fn metrics_errors_and_access_log_through_the_real_server() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let input = synthetic_corpus(&tmp.path().join("c.jsonl"), "m", 30, 20);
    let (ok, _, err) = index(&idx, &input);
    assert!(ok, "{err}");
    let server = Server::start(&idx, tmp.path());
    for q in [MARKER, "zebracorm", "%22unclosed"] {
        server.get(&format!("/api/search?q={q}")).unwrap();
    }
    // Every error is JSON: routing, methods, parameters, the API's URL limit, and what the
    // HTTP layer refuses itself (a URL over 64 KB, a head over 128 KB).
    let mut errors = vec![
        server.get("/nope").unwrap(),
        server.get("/api/docs/nope").unwrap(),
        server.get("/api/search?q=x&limit=0").unwrap(),
        server.get("/api/search?q=%22x").unwrap(),
        Conn::open(server.addr)
            .unwrap()
            .request("DELETE", "/api/search")
            .unwrap(),
        server
            .get(&format!("/api/search?q={}", "a".repeat(64_600)))
            .unwrap(),
        server
            .get(&format!("/api/search?q={}", "a".repeat(70_000)))
            .unwrap(),
        server
            .get(&format!("/api/search?q={}", "a".repeat(100_000)))
            .unwrap(),
    ];
    let mut c = Conn::open(server.addr).unwrap();
    c.send(
        format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
            "b".repeat(140_000)
        )
        .as_bytes(),
    )
    .unwrap();
    errors.push(c.read_response(false).unwrap());
    let mut c = Conn::open(server.addr).unwrap();
    c.send(b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
        .unwrap();
    errors.push(c.read_response(false).unwrap());
    let mut statuses = Vec::new();
    for r in &errors {
        let v = r.json().unwrap_or_else(|e| panic!("{e}"));
        assert!(v["error"]["code"].is_string(), "{v}");
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{:?}",
            r.headers
        );
        statuses.push(r.status);
    }
    assert_eq!(statuses, [404, 404, 400, 400, 405, 414, 414, 414, 431, 400]);

    let r = server.get("/metrics").unwrap();
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    let text = String::from_utf8(r.body).unwrap();
    let m = parse_prometheus(&text);
    let get = |k: &str| *m.get(k).unwrap_or_else(|| panic!("{k} missing in\n{text}"));
    assert_eq!(
        get("kazsearch_http_requests_total{route=\"/api/search\",status=\"200\"}"),
        2.0
    );
    assert!(get("kazsearch_http_requests_total{route=\"/api/search\",status=\"400\"}") >= 2.0);
    assert!(get("kazsearch_http_requests_total{route=\"other\",status=\"404\"}") >= 1.0);
    let kinds: f64 = ["direct", "relaxed", "corrected", "guessed"]
        .iter()
        .map(|k| get(&format!("kazsearch_searches_total{{kind=\"{k}\"}}")))
        .sum();
    assert_eq!(kinds, 2.0, "two searches answered");
    assert!(get("kazsearch_searches_total{kind=\"direct\"}") >= 1.0);
    assert_eq!(get("kazsearch_index_generation"), 1.0);
    assert_eq!(
        get("kazsearch_index_docs{lang=\"kk\"}")
            + get("kazsearch_index_docs{lang=\"ru\"}")
            + get("kazsearch_index_docs{lang=\"en\"}"),
        30.0
    );
    assert!(get("kazsearch_http_request_duration_seconds_count{route=\"/api/search\"}") >= 4.0);

    // One access-log line per request, without the query string.
    let log = server.log_text();
    assert!(
        log.contains(&"GET /api/search 200".to_string()),
        "no access line in {log}"
    );
    assert!(
        !log.contains(MARKER),
        "the query reached the access log: {log}"
    );
}

#[test]
fn bind_errors_come_first_and_json_logs_are_json() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let input = synthetic_corpus(&tmp.path().join("c.jsonl"), "b", 10, 10);
    let (ok, _, err) = index(&idx, &input);
    assert!(ok, "{err}");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = bin()
        .args(["serve", "--log-format", "json", "--addr", &addr, "--index"])
        .arg(&idx)
        .env("KAZSEARCH_LOG", "info")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
    assert!(
        !err.contains("serving"),
        "a serving line before the bind error: {err}"
    );
    for line in err.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            v["level"].is_string() && v["timestamp"].is_string(),
            "{line}"
        );
    }
    // Indexing progress shows as plain lines when stderr is not a terminal (every 5 s: only
    // the JSON form of the log is checked here, on a short run).
    let out = bin()
        .args(["--log-format", "json", "index", "--index"])
        .arg(tmp.path().join("idx2"))
        .arg(&input)
        .env("KAZSEARCH_LOG", "info")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}'), "terminal codes in a pipe: {err:?}");
    // Text logs into a pipe: plain lines, no colour codes.
    let out = bin()
        .args(["index", "--index"])
        .arg(tmp.path().join("idx3"))
        .arg(&input)
        .env("KAZSEARCH_LOG", "info")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}'), "terminal codes in a pipe: {err:?}");
}
