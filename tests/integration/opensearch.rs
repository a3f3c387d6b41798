//! Issue 13: `kazsearch index --engine opensearch` against a real cluster — the sample corpus
//! behind an alias, stacked tokens found by term queries, the alias switch, the side lexicon,
//! and failed or killed loads that leave the alias where it was.
//!
//! Searches through the cluster rank as the embedded engine does; and a node stopped while
//! searches run (the fault test) fails no search once the cluster has noticed, and rejoins.
//!
//! They run when KAZSEARCH_OPENSEARCH_URL names a cluster (`scripts/opensearch start`;
//! scripts/test sets it) and otherwise skip with a message. Each test uses its own alias, and
//! they take turns (the fault test stops a node under everyone's feet).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use kazsearch::lang::Lang;
use kazsearch::opensearch::client::Client;
use kazsearch::opensearch::indexer::alias_targets;
use kazsearch::opensearch::lexicon;
use kazsearch::opensearch::mapping::{body_field, title_field, Analyzer};
use serde_json::{json, Value};

use crate::common::{bin, hit_ids, run, sample_path, write_jsonl};

/// One test on the cluster at a time.
static TURN: Mutex<()> = Mutex::new(());

fn turn() -> MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// The cluster, or None (with a message) when the tests should skip.
fn cluster() -> Option<(String, Client)> {
    match std::env::var("KAZSEARCH_OPENSEARCH_URL") {
        Ok(url) if !url.is_empty() => {
            let client = Client::new(&url).expect("KAZSEARCH_OPENSEARCH_URL");
            Some((url, client))
        }
        _ => {
            eprintln!(
                "skipped: KAZSEARCH_OPENSEARCH_URL is not set (start a cluster with `scripts/opensearch start` and set it to http://127.0.0.1:9200)"
            );
            None
        }
    }
}

/// An alias name of this test run, and the cleanup of everything under it.
struct Alias<'a> {
    name: String,
    client: &'a Client,
}

impl<'a> Alias<'a> {
    fn new(client: &'a Client, test: &str) -> Alias<'a> {
        let a = Alias {
            name: format!("kz-test-{test}-{}", std::process::id()),
            client,
        };
        a.clean();
        a
    }

    fn clean(&self) {
        for path in [
            format!("/{}-gen-*", self.name),
            format!("/{}", lexicon::index_name(&self.name)),
        ] {
            let _ = self.client.send("DELETE", &path, None, false);
        }
    }

    fn generations(&self) -> Vec<String> {
        let r = self
            .client
            .ok(
                "GET",
                &format!("/_cat/indices/{}-gen-*?format=json&h=index", self.name),
                None,
            )
            .unwrap();
        let mut v: Vec<String> = r
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["index"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    }

    fn target(&self) -> String {
        let t = alias_targets(self.client, &self.name).unwrap();
        assert_eq!(t.len(), 1, "the alias points to one index: {t:?}");
        t[0].clone()
    }

    fn count(&self) -> u64 {
        let r = self
            .client
            .ok("GET", &format!("/{}/_count", self.name), None)
            .unwrap();
        r["count"].as_u64().unwrap()
    }

    fn search(&self, query: Value) -> Vec<String> {
        let r = self
            .client
            .ok(
                "POST",
                &format!("/{}/_search", self.name),
                Some(&json!({"query": query, "size": 100})),
            )
            .unwrap();
        let mut ids: Vec<String> = r["hits"]["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    }
}

impl Drop for Alias<'_> {
    fn drop(&mut self) {
        self.clean();
    }
}

fn index(url: &str, name: &str, input: &str) -> (bool, String, String) {
    run(&[
        "index",
        "--engine",
        "opensearch",
        "--url",
        url,
        "--name",
        name,
        input,
    ])
}

#[test]
fn sample_corpus_loads_behind_an_alias_and_switches() {
    let Some((url, client)) = cluster() else {
        return;
    };
    let _turn = turn();
    let alias = Alias::new(&client, "sample");
    let sample = sample_path();
    let (ok, out, err) = index(&url, &alias.name, sample.to_str().unwrap());
    assert!(ok, "{err}");
    assert!(
        out.contains("indexed 51 articles (kk 19, ru 16, en 16)"),
        "{out}"
    );
    let first = alias.target();
    assert!(
        first.starts_with(&format!("{}-gen-", alias.name)),
        "{first}"
    );
    assert_eq!(alias.count(), 51);
    // 2 shards, 1 replica.
    let settings = client
        .ok("GET", &format!("/{first}/_settings"), None)
        .unwrap();
    let s = &settings[&first]["settings"]["index"];
    assert_eq!(
        (
            s["number_of_shards"].as_str(),
            s["number_of_replicas"].as_str()
        ),
        (Some("2"), Some("1"))
    );

    // Every stacked form of a word is a term at the word's position: the Kazakh inflected
    // name, its stem, its key and its stripped key each find kk-001, and so does a phrase
    // mixing views (the key of one word, the stem of the next).
    let text = "Тоқаевтың";
    let token = Analyzer::new().token_string(text, Lang::Kk);
    assert_eq!(token, "тоқаевтың|тоқаев|tokaevtin|tokaev|тоқае…");
    for form in ["тоқаев", "tokaev"] {
        let ids = alias.search(json!({"term": {body_field(Lang::Kk): form}}));
        assert!(ids.contains(&"kk-001".to_string()), "{form}: {ids:?}");
        assert!(
            ids.iter().all(|id| id.starts_with("kk-")),
            "{form}: {ids:?}"
        );
    }
    // Қарағандыға in the title: its stripped key (the case ending and the final vowel cut).
    let ids = alias.search(json!({"term": {title_field(Lang::Kk): "karagand"}}));
    assert!(ids.contains(&"kk-001".to_string()), "{ids:?}");
    let ids = alias.search(json!({"match_phrase": {body_field(Lang::Kk): {"query": "tokaev қарағанды", "analyzer": "whitespace"}}}));
    assert!(
        ids.contains(&"kk-001".to_string()),
        "phrase over mixed views: {ids:?}"
    );
    // The stored article comes back whole, without the token fields.
    let doc = client
        .ok("GET", &format!("/{}/_doc/kk-001", alias.name), None)
        .unwrap();
    assert_eq!(doc["_source"]["lang"], "kk");
    assert!(doc["_source"]["title"]
        .as_str()
        .unwrap()
        .starts_with("Тоқаев"));
    assert!(doc["_source"].get("body_kk").is_none());

    // The lexicon of this generation: key-alphabet terms with document frequencies.
    let lex = lexicon::fetch(&client, &alias.name, &first).unwrap();
    let kk = &lex[Lang::Kk.index()];
    let df = kk.iter().find(|(t, _)| t == "tokaev").map(|(_, n)| *n);
    assert!(
        df.is_some_and(|n| n >= 1),
        "tokaev in the kk lexicon: {df:?}"
    );
    assert!(kk.iter().all(|(t, _)| lexicon::keeps(t)));

    // A second load: a new generation, the alias moved in one call, the old one dropped.
    let (ok, _, err) = index(&url, &alias.name, sample.to_str().unwrap());
    assert!(ok, "{err}");
    let second = alias.target();
    assert_ne!(first, second);
    assert_eq!(alias.generations(), vec![second.clone()]);
    assert_eq!(alias.count(), 51);
    assert!(lexicon::fetch(&client, &alias.name, &first)
        .unwrap()
        .iter()
        .all(Vec::is_empty));
    assert!(!lexicon::fetch(&client, &alias.name, &second).unwrap()[0].is_empty());
}

#[test]
fn failed_and_killed_loads_leave_the_alias() {
    let Some((url, client)) = cluster() else {
        return;
    };
    let _turn = turn();
    let alias = Alias::new(&client, "killed");
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    let (ok, _, err) = index(&url, &alias.name, sample.to_str().unwrap());
    assert!(ok, "{err}");
    let before = alias.target();

    // A bad line under --strict: the load fails, its index is deleted, the alias stays.
    let bad = write_jsonl(
        dir.path(),
        "bad.jsonl",
        &[r#"{"id":"a","body":"Астана","lang":"kk"}"#, "not json"],
    );
    let (ok, _, err) = run(&[
        "index",
        "--engine",
        "opensearch",
        "--url",
        &url,
        "--name",
        &alias.name,
        "--strict",
        bad.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("bad.jsonl:2"), "{err}");
    assert_eq!(alias.target(), before);
    assert_eq!(alias.generations(), vec![before.clone()]);

    // A load killed while it sends: its generation is left unaliased, the alias stays.
    let big = dir.path().join("big.jsonl");
    let lines: Vec<String> = (0..60_000)
        .map(|i| {
            json!({"id": format!("big-{i}"), "title": format!("Тоқаев {i}"),
                   "body": "Мемлекет басшысы Қасым-Жомарт Тоқаев Қарағанды облысына жұмыс сапарымен барды. ".repeat(4),
                   "lang": "kk"})
            .to_string()
        })
        .collect();
    std::fs::write(&big, lines.join("\n") + "\n").unwrap();
    let mut child = bin()
        .args([
            "index",
            "--engine",
            "opensearch",
            "--url",
            &url,
            "--name",
            &alias.name,
            big.to_str().unwrap(),
        ])
        .env("KAZSEARCH_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once its generation has documents in it.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let gens = alias.generations();
        if let Some(new) = gens.iter().find(|g| **g != before) {
            let r = client
                .send("GET", &format!("/{new}/_stats/indexing"), None, false)
                .unwrap();
            if r.body["_all"]["primaries"]["indexing"]["index_total"]
                .as_u64()
                .unwrap_or(0)
                > 0
            {
                break;
            }
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the load finished before it could be killed"
        );
        assert!(Instant::now() < deadline, "the load never started sending");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(
        alias.target(),
        before,
        "a killed load must not move the alias"
    );
    assert_eq!(alias.count(), 51);
    assert_eq!(
        alias.generations().len(),
        2,
        "the killed load's index is left behind"
    );

    // The next load drops the leftover.
    let (ok, _, err) = index(&url, &alias.name, sample.to_str().unwrap());
    assert!(ok, "{err}");
    let after = alias.target();
    assert_eq!(alias.generations(), vec![after]);
}

#[test]
fn an_unreachable_cluster_is_a_clear_error() {
    let (ok, _, err) = run(&[
        "index",
        "--engine",
        "opensearch",
        "--url",
        "http://127.0.0.1:1",
        "--name",
        "x",
        sample_path().to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains("opensearch: GET http://127.0.0.1:1/x"),
        "{err}"
    );
    let (ok, _, err) = run(&[
        "index",
        "--engine",
        "opensearch",
        "--name",
        "Bad Name",
        sample_path().to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("--name \"Bad Name\""), "{err}");
}

/// Queries of the sample corpus for the searches below.
const QUERIES: [&str; 6] = [
    "Астана",
    "Tokayev",
    "Алматы",
    "президент",
    "Karaganda",
    "Nur-Sultan Astana",
];

#[test]
fn searches_rank_as_the_embedded_engine_does() {
    let Some((url, client)) = cluster() else {
        return;
    };
    let _turn = turn();
    let alias = Alias::new(&client, "same");
    let input = sample_path();
    let (ok, _, err) = index(&url, &alias.name, input.to_str().unwrap());
    assert!(ok, "{err}");
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let (ok, _, err) = run(&[
        "index",
        "--index",
        idx.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    for q in QUERIES {
        let ids = |engine: &[&str]| -> Vec<String> {
            let mut args = vec!["search", "--json", "--limit", "10"];
            args.extend_from_slice(engine);
            args.push(q);
            let (ok, out, err) = run(&args);
            assert!(ok, "{q}: {err}");
            hit_ids(&serde_json::from_str(&out).unwrap())
        };
        let embedded = ids(&["--index", idx.to_str().unwrap()]);
        let cluster = ids(&[
            "--engine",
            "opensearch",
            "--url",
            &url,
            "--name",
            &alias.name,
        ]);
        let same = embedded.iter().filter(|id| cluster.contains(id)).count();
        assert!(
            same + 1 >= embedded.len().max(cluster.len()),
            "{q}: embedded {embedded:?} cluster {cluster:?}"
        );
    }

    // `serve --engine opensearch`: the same API, the same response shape.
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let ours = crate::server::Server::start(&idx, dir.path());
    let theirs = crate::server::Server::start_with(
        &[
            "--engine",
            "opensearch",
            "--url",
            &url,
            "--name",
            &alias.name,
        ],
        dir.path(),
    );
    let q = "/api/search?q=Tokayev%20Astana&limit=5";
    let a = ours.get(q).unwrap().json().unwrap();
    let b = theirs.get(q).unwrap();
    assert_eq!(b.status, 200);
    let b = b.json().unwrap();
    assert_eq!(keys(&a), keys(&b));
    assert_eq!(keys(&a["hits"][0]), keys(&b["hits"][0]));
    assert_eq!(a["total"], b["total"]);
    assert_eq!(a["facets"], b["facets"]);
    assert!(
        b["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"),
        "{b}"
    );
    let id = b["hits"][0]["id"].as_str().unwrap();
    let doc = theirs.get(&format!("/api/docs/{id}?q=Tokayev")).unwrap();
    assert_eq!(doc.status, 200);
    let doc = doc.json().unwrap();
    assert!(
        doc["body_html"].as_str().unwrap().contains("<mark>"),
        "{doc}"
    );
    assert_eq!(theirs.get("/api/docs/no-such-id").unwrap().status, 404);
    assert_eq!(theirs.get("/api/search?q=%22").unwrap().status, 400);

    // A running server follows the alias: a new load, then an add, within a poll or two.
    let health = || theirs.get("/api/health").unwrap().json().unwrap();
    let before = health();
    let (ok, _, err) = index(&url, &alias.name, input.to_str().unwrap());
    assert!(ok, "{err}");
    let added = write_jsonl(
        dir.path(),
        "more.jsonl",
        &[r#"{"id":"zz-watch","title":"Qwertyuiopname","body":"Qwertyuiopname.","lang":"en"}"#],
    );
    let (ok, _, err) = run(&[
        "add",
        "--engine",
        "opensearch",
        "--url",
        &url,
        "--name",
        &alias.name,
        added.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let h = health();
        if h["generation"] != before["generation"] && h["docs"] == json!(52) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server kept {h} (was {before})"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let r = theirs
        .get("/api/search?q=Qwertyuiopname")
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(r["total"], json!(1), "{r}");
}

/// The node to stop and the URL of the one kept: the elected cluster manager stays (with two
/// master-eligible nodes, only it is in the voting configuration).
fn fault_nodes(client: &Client) -> (u16, String) {
    let m = client
        .ok("GET", "/_cat/cluster_manager?format=json", None)
        .unwrap();
    let manager = m[0]["node"].as_str().unwrap_or("node-1").to_string();
    if manager == "node-2" {
        (1, "http://127.0.0.1:9201".into())
    } else {
        (2, "http://127.0.0.1:9200".into())
    }
}

/// Starts the stopped node again when the fault test ends early (a failed assertion), so that
/// the cluster is whole for what runs next.
struct Restart(Option<u16>);

impl Drop for Restart {
    fn drop(&mut self) {
        if let Some(n) = self.0.take() {
            let _ = opensearch_script(&["start-node", &n.to_string()]);
        }
    }
}

fn opensearch_script(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/opensearch"),
    )
    .args(args)
    .output()
    .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_node_stops_while_searches_run_and_rejoins() {
    let Some((url, client)) = cluster() else {
        return;
    };
    let _turn = turn();
    if !opensearch_script(&["status"]).0 {
        eprintln!("skipped: the cluster is not the one scripts/opensearch runs (it stops a node)");
        return;
    }
    let alias = Alias::new(&client, "fault");
    let (ok, _, err) = index(&url, &alias.name, sample_path().to_str().unwrap());
    assert!(ok, "{err}");
    client
        .ok(
            "GET",
            "/_cluster/health?wait_for_status=green&timeout=60s",
            None,
        )
        .unwrap();
    // A clean stop, then a kill (as a machine failing).
    for how in ["stop-node", "kill-node"] {
        fault_round(&client, &alias.name, how);
    }
}

/// Stops (`how`: stop-node or kill-node) the node that is not the cluster manager while
/// searches run (through it first, then the other); checks that none fails once the cluster has noticed, and
/// that the node rejoins.
fn fault_round(client: &Client, alias: &str, how: &str) {
    let (stop, keep_url) = fault_nodes(client);
    let keep = Client::new(&keep_url).unwrap();
    // The searches name both nodes, the one that goes down first: the client moves on to the
    // other when it cannot reach it.
    let stop_url = format!("http://127.0.0.1:{}", 9199 + stop);
    let both = format!("{stop_url},{keep_url}");
    let engine = kazsearch::opensearch::search::OsEngine::open(
        &both,
        alias,
        kazsearch::search::alias::Aliases::builtin(),
    )
    .unwrap();
    let running = Arc::new(AtomicBool::new(true));
    let searcher = {
        let running = running.clone();
        std::thread::spawn(move || {
            let mut log: Vec<(Instant, bool)> = Vec::new();
            let mut i = 0;
            while running.load(Ordering::Relaxed) {
                let p = kazsearch::search::SearchParams::new(QUERIES[i % QUERIES.len()]);
                let ok = engine.search(&p).is_ok_and(|r| r.total > 0);
                log.push((Instant::now(), ok));
                i += 1;
            }
            log
        })
    };
    std::thread::sleep(Duration::from_secs(2));
    let stopped = Instant::now();
    let mut restart = Restart(Some(stop));
    let (ok, out) = opensearch_script(&[how, &stop.to_string()]);
    assert!(ok, "{out}");
    // The cluster notices when its health counts one node.
    let noticed = loop {
        let h = keep.ok("GET", "/_cluster/health", None);
        if h.is_ok_and(|h| h["number_of_nodes"].as_u64() == Some(1)) {
            break Instant::now();
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(90),
            "the cluster never noticed"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    std::thread::sleep(Duration::from_secs(5));
    running.store(false, Ordering::Relaxed);
    let log = searcher.join().unwrap();
    let before = log.iter().filter(|(t, _)| *t < stopped).count();
    let gap: Vec<bool> = log
        .iter()
        .filter(|(t, _)| *t >= stopped && *t < noticed)
        .map(|(_, ok)| *ok)
        .collect();
    let after: Vec<bool> = log
        .iter()
        .filter(|(t, _)| *t >= noticed)
        .map(|(_, ok)| *ok)
        .collect();
    let failed = |v: &[bool]| v.iter().filter(|ok| !**ok).count();
    let failed_before = log.iter().filter(|(t, ok)| *t < stopped && !ok).count();
    eprintln!(
        "fault test ({how}): node-{stop} down; the cluster noticed after {:.2} s; searches: {} before \
         ({failed_before} failed), {} during the gap ({} failed), {} after ({} failed)",
        noticed.duration_since(stopped).as_secs_f64(),
        before,
        gap.len(),
        failed(&gap),
        after.len(),
        failed(&after)
    );
    restart.0 = None;
    let (ok, out) = opensearch_script(&["start-node", &stop.to_string()]);
    assert!(ok, "{out}");
    let h = keep
        .ok(
            "GET",
            "/_cluster/health?wait_for_status=green&wait_for_nodes=2&timeout=60s",
            None,
        )
        .unwrap();
    assert_eq!(h["number_of_nodes"].as_u64(), Some(2), "{h}");
    assert_eq!(h["status"].as_str(), Some("green"), "{h}");
    assert_eq!(failed_before, 0);
    assert!(!after.is_empty(), "searches ran after the cluster noticed");
    assert_eq!(
        failed(&after),
        0,
        "searches failed after the cluster noticed"
    );
}

#[test]
fn add_and_delete_go_to_the_aliased_index() {
    let Some((url, client)) = cluster() else {
        return;
    };
    let _turn = turn();
    let alias = Alias::new(&client, "update");
    let (ok, _, err) = index(&url, &alias.name, sample_path().to_str().unwrap());
    assert!(ok, "{err}");
    let before = alias.count();
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(
        dir.path(),
        "add.jsonl",
        &[
            r#"{"id":"zz-added","title":"Qwertyuiopname visits Almaty","body":"Qwertyuiopname spoke in Almaty.","lang":"en"}"#,
        ],
    );
    let engine = [
        "--engine",
        "opensearch",
        "--url",
        &url,
        "--name",
        &alias.name,
    ];
    let found = |q: &str| -> u64 {
        let mut args = vec!["search", "--json"];
        args.extend_from_slice(&engine);
        args.push(q);
        let (ok, out, err) = run(&args);
        assert!(ok, "{err}");
        serde_json::from_str::<Value>(&out).unwrap()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(found("Qwertyuiopname"), 0);
    let mut args = vec!["add"];
    args.extend_from_slice(&engine);
    args.push(input.to_str().unwrap());
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    assert!(out.contains("added 1 and replaced 0"), "{out}");
    assert_eq!(alias.count(), before + 1);
    assert_eq!(found("Qwertyuiopname"), 1);
    // A near spelling finds it through the lexicon's delta.
    assert_eq!(found("Qwertyuiopnam"), 1);
    let mut args = vec!["delete"];
    args.extend_from_slice(&engine);
    args.extend_from_slice(&["zz-added", "zz-unknown"]);
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    assert!(out.contains("deleted 1 article(s)"), "{out}");
    assert!(err.contains("zz-unknown"), "{err}");
    assert_eq!(alias.count(), before);
    assert_eq!(found("Qwertyuiopname"), 0);
}
