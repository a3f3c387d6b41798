//! Rebuilds killed with SIGKILL at many points, and two rebuilds at once, against a running
//! server. Issue #5, point 4: the old index keeps serving, the next rebuild succeeds without
//! manual cleanup (a stale LOCK file and half-written generations included), and the second
//! of two concurrent rebuilds is refused with a clear message while nothing is corrupted.

use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kazsearch::store::IndexDir;

use crate::common::bin;
use crate::server::{current, index, synthetic_corpus, Conn, Server, MARKER};

fn spawn_index(idx: &Path, input: &Path) -> Child {
    bin()
        .arg("index")
        .arg("--index")
        .arg(idx)
        .arg(input)
        .env("KAZSEARCH_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kazsearch index")
}

/// Number of articles of the live generation, read from disk the way the server opens it.
fn live_docs(idx: &Path) -> u64 {
    IndexDir::new(idx)
        .open_current()
        .expect("the live generation opens")
        .expect("there is a live generation")
        .num_docs()
}

/// Entries of the index directory, sorted.
fn listing(idx: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(idx)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Waits until the server answers from `generation` and returns its total for [`MARKER`].
fn served_total(server: &Server, generation: &str) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.generation() != generation {
        assert!(
            Instant::now() < deadline,
            "the server never moved to {generation}: {}",
            server.log_text()
        );
        std::thread::sleep(Duration::from_millis(30));
    }
    let v = server
        .get(&format!("/api/search?q={MARKER}"))
        .unwrap()
        .json()
        .unwrap();
    v["total"].as_u64().unwrap()
}

/// When to kill a rebuild.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This fraction of a full rebuild's time after it started.
    Fraction(f64),
    /// As soon as the new generation's `.tmp` directory exists.
    TmpCreated,
    /// As soon as the new generation has been renamed into place (CURRENT not yet switched,
    /// or just switched).
    Renamed,
}

#[test]
fn rebuild_killed_at_any_point_leaves_the_old_index_serving() {
    const N_OLD: u64 = 200;
    const N_BIG: u64 = 1800;
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("idx");
    let old = synthetic_corpus(&tmp.path().join("old.jsonl"), "old", N_OLD as usize, 40);
    let big = synthetic_corpus(&tmp.path().join("big.jsonl"), "big", N_BIG as usize, 150);

    // How long one full rebuild of the big corpus takes here (in another directory).
    let calib = tmp.path().join("calibration");
    let t = Instant::now();
    let (ok, _, err) = index(&calib, &big);
    assert!(ok, "{err}");
    let full = t.elapsed();

    let (ok, _, err) = index(&idx, &old);
    assert!(ok, "{err}");
    let server = Server::start(&idx, tmp.path());

    // A steady trickle of searches for the whole test: none may fail.
    let stop = Arc::new(AtomicBool::new(false));
    let (sent, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let load = {
        let (stop, sent, failed, addr) = (stop.clone(), sent.clone(), failed.clone(), server.addr);
        std::thread::spawn(move || {
            let mut conn = Conn::open(addr).expect("connect");
            let mut first_error = None;
            while !stop.load(Ordering::Relaxed) {
                sent.fetch_add(1, Ordering::Relaxed);
                let ok = match conn.get(&format!("/api/search?q={MARKER}&limit=3")) {
                    Ok(r) => {
                        let total = r.json().ok().and_then(|v| v["total"].as_u64());
                        r.status == 200 && (total == Some(N_OLD) || total == Some(N_BIG))
                    }
                    Err(e) => {
                        first_error.get_or_insert(e.to_string());
                        conn = Conn::open(addr).expect("reconnect");
                        false
                    }
                };
                if !ok {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            first_error
        })
    };

    let mut plan: Vec<KillAt> = [0.0, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95]
        .into_iter()
        .map(KillAt::Fraction)
        .collect();
    plan.insert(1, KillAt::TmpCreated);
    plan.push(KillAt::Renamed);
    let (mut before_switch, mut after_switch, mut finished_first) = (0, 0, 0);
    for at in &plan {
        let before = current(&idx);
        // The generation this rebuild will write (leftover .tmp directories do not count).
        let next = listing(&idx)
            .iter()
            .filter(|n| !n.ends_with(".tmp"))
            .filter_map(|n| n.strip_prefix("gen-")?.parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        let (tmp_name, gen_name) = (format!("gen-{next:06}.tmp"), format!("gen-{next:06}"));
        let mut child = spawn_index(&idx, &big);
        let started = Instant::now();
        let deadline = started + full * 3 + Duration::from_secs(10);
        match *at {
            KillAt::Fraction(f) => std::thread::sleep(full.mul_f64(f)),
            KillAt::TmpCreated | KillAt::Renamed => loop {
                let want = match at {
                    KillAt::TmpCreated => &tmp_name,
                    _ => &gen_name,
                };
                let hit = idx.join(want).exists();
                if hit || Instant::now() > deadline || child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            },
        }
        let exited_by_itself = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        if exited_by_itself {
            finished_first += 1;
        }
        let now = current(&idx);
        if now == before {
            before_switch += 1;
        } else {
            after_switch += 1;
        }
        // Whatever moment the kill hit, CURRENT names a complete generation…
        let docs = live_docs(&idx);
        assert!(
            docs == N_BIG || (now == before && docs == N_OLD),
            "{at:?}: CURRENT {now} (was {before}) has {docs} articles"
        );
        // …and the server answers from it.
        assert_eq!(served_total(&server, &now), docs, "{at:?}");
        assert!(idx.join("LOCK").exists(), "the LOCK file stays behind");
    }
    // The next rebuild needs no cleanup: stale LOCK, .tmp leftovers and all.
    let (ok, out, err) = index(&idx, &old);
    assert!(ok, "the rebuild after the kills failed: {err}");
    assert!(out.contains(&format!("indexed {N_OLD} articles")), "{out}");
    let names = listing(&idx);
    assert!(
        !names.iter().any(|n| n.ends_with(".tmp")),
        "leftovers: {names:?}"
    );
    let gens = names.iter().filter(|n| n.starts_with("gen-")).count();
    assert!(gens <= 2, "old generations pile up: {names:?}");
    assert_eq!(served_total(&server, &current(&idx)), N_OLD);

    stop.store(true, Ordering::Relaxed);
    let first_error = load.join().unwrap();
    let (sent, failed) = (sent.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!(
        "SIGKILL: {} rebuilds killed (full rebuild {:.1}s; {before_switch} before the switch, {after_switch} after it, {finished_first} had already finished), then a clean rebuild; {sent} requests served meanwhile, failures: {failed}",
        plan.len(),
        full.as_secs_f64()
    );
    assert_eq!(failed, 0, "first error: {first_error:?}");
    assert!(
        before_switch >= 4,
        "most kills should land before the switch"
    );
}

#[test]
fn a_second_rebuild_at_once_is_refused_and_nothing_is_corrupted() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("idx");
    let small = synthetic_corpus(&tmp.path().join("small.jsonl"), "old", 50, 20);
    let big = synthetic_corpus(&tmp.path().join("big.jsonl"), "big", 1500, 150);
    let (ok, _, err) = index(&idx, &small);
    assert!(ok, "{err}");

    let first = spawn_index(&idx, &big);
    // The first holds the lock once its .tmp generation exists.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !listing(&idx).iter().any(|n| n.ends_with(".tmp")) {
        assert!(Instant::now() < deadline, "the first rebuild never started");
        std::thread::sleep(Duration::from_millis(2));
    }
    let (ok, out, err) = index(&idx, &small);
    let first_pid = first.id();
    let out_first = first.wait_with_output().unwrap();
    assert!(!ok, "the second rebuild was not refused: {out}");
    let want = format!(
        "kazsearch: {} is held by pid {} (`kazsearch index`",
        idx.join("LOCK").display(),
        first_pid
    );
    assert!(err.trim().starts_with(&want), "{err}");
    assert!(err.contains("one writer at a time"), "{err}");
    assert!(
        out_first.status.success(),
        "the first rebuild failed: {}",
        String::from_utf8_lossy(&out_first.stderr)
    );
    assert_eq!(current(&idx), "gen-000002");
    assert_eq!(live_docs(&idx), 1500);
    assert_eq!(
        listing(&idx),
        ["CURRENT", "LOCK", "gen-000001", "gen-000002"],
        "the refused rebuild left nothing behind"
    );
    println!(
        "concurrent rebuilds: the second was refused (exit 2), the first committed 1500 articles"
    );
}
