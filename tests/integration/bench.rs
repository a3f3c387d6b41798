//! `kazsearch bench` end to end on the bundled sample corpus, tiny and quick: every section is
//! measured and printed, the JSON holds the targets, and no query of the set fails.

use serde_json::Value;

use crate::common::{run, sample_path};

#[test]
fn bench_smoke_run_on_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    let sample = sample.to_str().unwrap();
    let work = dir.path().join("work");
    let json = dir.path().join("bench.json");
    let (ok, out, err) = run(&[
        "bench",
        "--corpus",
        sample,
        "--accuracy",
        sample,
        "--scale",
        "2",
        "--rounds",
        "1",
        "--http-secs",
        "0.6",
        "--warmup-secs",
        "0",
        "--connections",
        "2",
        "--threads",
        "1",
        "--work",
        work.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert!(ok, "{err}\n{out}");
    for needle in [
        "Indexing 1× (51 articles",
        "Indexing 2× (102 articles",
        "Where indexing time goes",
        "Detection on",
        "Queries over 51 articles",
        "Queries over 102 articles",
        "HTTP: kazsearch serve over 102 articles, 2 connections",
        "Targets",
    ] {
        assert!(out.contains(needle), "{needle:?} missing in\n{out}");
    }
    assert!(!out.contains("FAILED"), "{out}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["targets"].as_array().map(Vec::len), Some(11), "{v}");
    // At a scale above one the server is also measured over the corpus once.
    assert!(
        v["report"]["http_small"]["search"]["ok"].as_u64() > Some(0),
        "{v}"
    );
    let http = &v["report"]["http"];
    assert!(http["search"]["ok"].as_u64() > Some(0), "{http}");
    assert_eq!(http["search"]["bad_status"].as_u64(), Some(0), "{http}");
    assert_eq!(http["search"]["io_errors"].as_u64(), Some(0), "{http}");
    // A chosen work folder is kept, with both engines' indexes.
    assert!(work.join("2x/kazsearch/CURRENT").exists());
    assert!(work.join("2x/plain/meta.json").exists());
}
