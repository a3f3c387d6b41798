//! Rebuilds while an engine is open: it keeps answering from the old generation and switches
//! to the new one when it is committed; failed rebuilds leave it alone.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kazsearch::ingest;
use kazsearch::lang::Detector;
use kazsearch::search::alias::Aliases;
use kazsearch::search::{Engine, SearchParams};
use kazsearch::store::writer::{rebuild, BuildOptions};
use kazsearch::store::IndexDir;

fn build(dir: &IndexDir, text: &str) -> kazsearch::Result<()> {
    let records = ingest::read_str("t.jsonl", text);
    rebuild(
        dir,
        records.into_iter(),
        &BuildOptions::default(),
        &Detector::new(),
        &mut |_| {},
        &mut |_| {},
    )
    .map(|_| ())
}

fn total(engine: &Engine, q: &str) -> u64 {
    engine.search(&SearchParams::new(q)).unwrap().total
}

#[test]
fn an_open_engine_sees_a_rebuild_and_keeps_the_old_one_until_then() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = IndexDir::new(tmp.path().join("idx"));
    build(
        &dir,
        r#"{"id":"old","body":"Орал қаласында жаңбыр жауды.","lang":"kk"}"#,
    )
    .unwrap();
    let engine = Arc::new(Engine::open(dir.clone(), Aliases::builtin()).unwrap());
    assert_eq!(total(&engine, "Oral"), 1);
    let old_snapshot = engine.snapshot();

    build(&dir, "{\"id\":\"new1\",\"body\":\"Snow in Oral.\",\"lang\":\"en\"}\n{\"id\":\"new2\",\"body\":\"Снег в Уральске.\",\"lang\":\"ru\"}").unwrap();
    // Until it reloads, the engine answers from the old generation.
    assert_eq!(total(&engine, "Oral"), 1);
    engine.watch(Duration::from_millis(20));
    let deadline = Instant::now() + Duration::from_secs(10);
    while total(&engine, "Oral") != 2 {
        assert!(Instant::now() < deadline, "the rebuild was never picked up");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(engine.num_docs(), 2);
    // A search that started on the old snapshot still reads it.
    assert_eq!(old_snapshot.num_docs(), 1);

    // A failed rebuild (nothing valid) changes nothing.
    let err = build(&dir, "not json\n").unwrap_err();
    assert!(err.to_string().contains("old index is untouched"), "{err}");
    assert!(!engine.reload_if_changed().unwrap());
    assert_eq!(engine.num_docs(), 2);
}

#[test]
fn leftovers_of_a_killed_rebuild_are_cleaned_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = IndexDir::new(tmp.path().join("idx"));
    build(&dir, r#"{"id":"a","body":"one","lang":"en"}"#).unwrap();
    // What a SIGKILL midway leaves: a half-written generation (and a LOCK file, unlocked).
    let stale = dir.path().join("gen-000002.tmp");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("junk"), "half").unwrap();
    build(&dir, r#"{"id":"b","body":"two","lang":"en"}"#).unwrap();
    assert!(!stale.exists());
    let engine = Engine::open(dir, Aliases::builtin()).unwrap();
    assert_eq!(total(&engine, "two"), 1);
}

#[test]
fn a_second_rebuild_at_once_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = IndexDir::new(tmp.path().join("idx"));
    let _held = dir.lock("add").unwrap();
    let err = build(&dir, r#"{"id":"a","body":"one","lang":"en"}"#).unwrap_err();
    assert!(err.to_string().contains("is held by pid"), "{err}");
}
