//! Issue 12: `kazsearch add` and `kazsearch delete` on a live index. Totals and facets after
//! add, replace and delete; commits seen by a server under load within a second; SIGKILL in
//! the middle of an add; two writers at once.

use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kazsearch::search::alias::Aliases;
use kazsearch::search::{Engine, RawParams, SearchParams};
use kazsearch::store::IndexDir;

use crate::common::{bin, run, write_jsonl};
use crate::server::{enc, index, synthetic_corpus, Conn, Server, MARKER};

/// The total and the per-language facets of `q`.
fn totals(engine: &Engine, q: &str) -> (u64, [u64; 3]) {
    let p = SearchParams::from_raw(&RawParams {
        q: Some(q.into()),
        ..Default::default()
    })
    .expect("params");
    let r = engine.search(&p).expect("search");
    let f = |l| r.facets.lang.get(l).copied().unwrap_or(0);
    (r.total, [f("kk"), f("ru"), f("en")])
}

fn add(idx: &Path, input: &Path) -> (bool, String, String) {
    run(&[
        "add",
        "--index",
        idx.to_str().unwrap(),
        input.to_str().unwrap(),
    ])
}

fn article(id: &str, lang: &str, title: &str, body: &str) -> String {
    serde_json::json!({"id": id, "title": title, "body": body, "lang": lang,
        "date": "2024-05-01", "source": "test"})
    .to_string()
}

/// A small index of the synthetic corpus, built with `kazsearch index`.
fn base(tmp: &Path, n: usize) -> std::path::PathBuf {
    let idx = tmp.join("index");
    let input = synthetic_corpus(&tmp.join("base.jsonl"), "base", n, 40);
    let (ok, _, err) = index(&idx, &input);
    assert!(ok, "index failed: {err}");
    idx
}

#[test]
fn add_replace_delete_keep_totals_and_facets() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = base(tmp.path(), 30);
    let engine = Engine::open(IndexDir::new(&idx), Aliases::builtin()).unwrap();
    assert_eq!(engine.num_docs(), 30);
    assert_eq!(totals(&engine, "quokkaword").0, 0);

    // Add three, one per language, plus a bad line (reported with file:line, skipped).
    let input = write_jsonl(
        tmp.path(),
        "new.jsonl",
        &[
            &article("n1", "kk", "Жаңа мақала", "quokkaword мектеп ашылды"),
            &article("n2", "ru", "Новая статья", "quokkaword школа открылась"),
            "{not json",
            &article("n3", "en", "New article", "quokkaword school opened"),
        ],
    );
    let (ok, out, err) = add(&idx, &input);
    assert!(ok, "add failed: {err}");
    assert!(out.contains("added 3 and replaced 0"), "{out}");
    assert!(err.contains("new.jsonl:3:"), "{err}");
    assert!(engine.reload_if_changed().unwrap());
    assert_eq!(engine.num_docs(), 33);
    assert_eq!(totals(&engine, "quokkaword"), (3, [1, 1, 1]));
    let generation = engine.snapshot().generation.clone();

    // Replace n3 (now Russian, without the word) and an article of the base.
    let input = write_jsonl(
        tmp.path(),
        "replace.jsonl",
        &[
            &article("n3", "ru", "Замена", "другой текст про реку"),
            &article("base-0", "en", "Replaced base", "quokkaword replaced"),
        ],
    );
    let (ok, out, err) = add(&idx, &input);
    assert!(ok, "add failed: {err}");
    assert!(out.contains("added 0 and replaced 2"), "{out}");
    assert!(engine.reload_if_changed().unwrap());
    assert_eq!(engine.snapshot().generation, generation, "same generation");
    assert_eq!(engine.num_docs(), 33);
    assert_eq!(totals(&engine, "quokkaword"), (3, [1, 1, 1]));
    assert_eq!(totals(&engine, "Замена").0, 1);
    let doc = engine.doc("n3", None).unwrap();
    assert_eq!(doc.title, "Замена");
    assert_eq!(doc.lang.code(), "ru");
    // The base article's old text is gone everywhere: the synthetic title word no longer
    // finds base-0 (its id appears once).
    assert_eq!(engine.doc("base-0", None).unwrap().title, "Replaced base");

    // Delete two known ids and one unknown: one commit, the unknown one reported.
    let ids = write_jsonl(tmp.path(), "ids.txt", &["n1", "", "nope-1"]);
    let (ok, out, err) = run(&[
        "delete",
        "--index",
        idx.to_str().unwrap(),
        "n2",
        "--ids",
        ids.to_str().unwrap(),
    ]);
    assert!(ok, "delete failed: {err}");
    assert!(out.contains("deleted 2 article(s)"), "{out}");
    assert!(
        err.contains("unknown id (no article has it): nope-1"),
        "{err}"
    );
    assert!(engine.reload_if_changed().unwrap());
    assert_eq!(engine.num_docs(), 31);
    assert_eq!(totals(&engine, "quokkaword"), (1, [0, 0, 1]));
    assert!(engine.doc("n1", None).is_err(), "a deleted article is gone");
    assert_eq!(
        engine
            .snapshot()
            .docs_by_lang()
            .unwrap()
            .iter()
            .sum::<u64>(),
        31
    );

    // Only unknown ids: nothing committed, not an error.
    let (ok, out, _) = run(&["delete", "--index", idx.to_str().unwrap(), "nope-2"]);
    assert!(ok);
    assert!(out.contains("nothing deleted"), "{out}");
    assert!(!engine.reload_if_changed().unwrap());

    // --strict: a bad line stops the add before anything is committed.
    let input = write_jsonl(
        tmp.path(),
        "strict.jsonl",
        &[&article("s1", "en", "Strict", "quokkaword strict"), "{bad"],
    );
    let (ok, _, err) = run(&[
        "add",
        "--strict",
        "--index",
        idx.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("strict.jsonl:2:"), "{err}");
    assert!(!engine.reload_if_changed().unwrap());
    assert_eq!(engine.num_docs(), 31);

    // `add` into an empty directory builds the first generation.
    let fresh = tmp.path().join("fresh");
    let (ok, out, err) = add(&fresh, &input.with_file_name("new.jsonl"));
    assert!(ok, "{err}");
    assert!(out.contains("added 3"), "{out}");
}

/// Spawns `kazsearch add` (or another writer) with piped stderr.
fn spawn(args: &[&str]) -> Child {
    bin()
        .args(args)
        .env("KAZSEARCH_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kazsearch")
}

fn live_docs(idx: &Path) -> u64 {
    IndexDir::new(idx)
        .open_current()
        .expect("the live generation opens")
        .expect("there is a live generation")
        .num_docs()
}

#[test]
fn add_killed_at_any_point_leaves_before_or_after_and_the_next_add_works() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = base(tmp.path(), 60);
    let batch = synthetic_corpus(&tmp.path().join("batch.jsonl"), "batch", 2000, 60);
    let i = idx.to_str().unwrap();
    let b = batch.to_str().unwrap();
    // A full add's time, to spread the kills over it (then undone by deleting the batch).
    let started = Instant::now();
    let (ok, _, err) = run(&["add", "--index", i, b]);
    assert!(ok, "{err}");
    let full = started.elapsed();
    assert_eq!(live_docs(&idx), 2060);
    let ids: Vec<String> = (0..2000).map(|n| format!("batch-{n}")).collect();
    let mut args = vec!["delete", "--index", i];
    args.extend(ids.iter().map(String::as_str));
    let (ok, _, err) = run(&args);
    assert!(ok, "{err}");
    assert_eq!(live_docs(&idx), 60);

    let mut outcomes = Vec::new();
    for frac in [0.05, 0.3, 0.6, 0.8, 0.9, 0.95, 1.0] {
        let before = live_docs(&idx);
        let mut child = spawn(&["add", "--index", i, b]);
        std::thread::sleep(full.mul_f64(frac));
        let _ = child.kill();
        let _ = child.wait();
        let after = live_docs(&idx);
        assert!(
            after == before || after == 2060,
            "killed at {frac}: {before} → {after} articles (neither before nor after)"
        );
        outcomes.push((frac, after == 2060));
        if after == 2060 {
            let (ok, _, err) = run(&args);
            assert!(ok, "{err}");
        }
    }
    // And the next add needs no cleanup.
    let (ok, out, err) = run(&["add", "--index", i, b]);
    assert!(ok, "add after kills failed: {err}");
    assert!(out.contains("added 2000"), "{out}");
    assert_eq!(live_docs(&idx), 2060);
    println!("kills (fraction of a {full:?} add, committed?): {outcomes:?}");
}

#[test]
fn two_writers_at_once_one_is_refused_with_who_holds_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = base(tmp.path(), 30);
    let batch = synthetic_corpus(&tmp.path().join("batch.jsonl"), "batch", 3000, 60);
    let i = idx.to_str().unwrap();
    let mut first = spawn(&["add", "--index", i, batch.to_str().unwrap()]);
    let pid = first.id();
    // Wait until it holds the lock (its pid is written into LOCK).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(idx.join("LOCK")).is_ok_and(|s| s.contains(&pid.to_string())) {
        assert!(Instant::now() < deadline, "the add never took the lock");
        std::thread::sleep(Duration::from_millis(5));
    }
    let (ok, _, err) = run(&["delete", "--index", i, "base-1"]);
    let (ok2, _, err2) = index(&idx, &batch);
    let status = first.wait().unwrap();
    assert!(status.success(), "the first writer failed");
    for (ok, err) in [(ok, &err), (ok2, &err2)] {
        assert!(!ok, "a second writer ran at once");
        assert!(err.contains(&format!("pid {pid}")), "{err}");
        assert!(err.contains("kazsearch add"), "{err}");
        assert!(err.contains("LOCK"), "{err}");
    }
    assert_eq!(
        live_docs(&idx),
        3030,
        "base-1 was not deleted, the add is whole"
    );
}

#[test]
fn a_server_under_load_sees_every_add_within_a_second_and_fails_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = base(tmp.path(), 200);
    let server = Server::start(&idx, tmp.path());
    let stop = Arc::new(AtomicBool::new(false));
    let (ok_count, failures) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let load: Vec<_> = (0..3)
        .map(|_| {
            let (stop, ok_count, failures) = (stop.clone(), ok_count.clone(), failures.clone());
            let addr = server.addr;
            std::thread::spawn(move || {
                let mut conn = Conn::open(addr).unwrap();
                while !stop.load(Ordering::Relaxed) {
                    match conn.get(&format!("/api/search?q={MARKER}+{}", enc("Астана"))) {
                        Ok(r) if r.status == 200 => ok_count.fetch_add(1, Ordering::Relaxed),
                        _ => {
                            conn = Conn::open(addr).unwrap();
                            failures.fetch_add(1, Ordering::Relaxed)
                        }
                    };
                }
            })
        })
        .collect();
    let mut lags = Vec::new();
    for round in 0..8 {
        let word = format!("visibleword{round}x");
        let input = write_jsonl(
            tmp.path(),
            &format!("r{round}.jsonl"),
            &[
                &article(
                    &format!("r{round}-a"),
                    "en",
                    "Round",
                    &format!("{word} one"),
                ),
                &article(
                    &format!("r{round}-b"),
                    "ru",
                    "Раунд",
                    &format!("{word} два"),
                ),
            ],
        );
        let (ok, _, err) = add(&idx, &input);
        let committed = Instant::now();
        assert!(ok, "{err}");
        loop {
            let v = server
                .get(&format!("/api/search?q={word}"))
                .unwrap()
                .json()
                .unwrap();
            if v["total"] == 2 {
                break;
            }
            assert!(
                committed.elapsed() < Duration::from_secs(5),
                "commit {round} not visible: {v}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        lags.push(committed.elapsed());
    }
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
    let health = server.get("/api/health").unwrap().json().unwrap();
    assert_eq!(health["docs"], 216, "{health}");
    assert_eq!(failures.load(Ordering::Relaxed), 0, "failed requests");
    let worst = lags.iter().max().unwrap();
    println!(
        "{} searches during 8 adds, 0 failed; commit → visible: worst {worst:?} ({lags:?})",
        ok_count.load(Ordering::Relaxed)
    );
    // The server polls every 300 ms; a debug build on a busy machine gets slack.
    assert!(*worst < Duration::from_secs(2), "{lags:?}");
}
