//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use kazsearch::lang::Detector;
use kazsearch::search::alias::Aliases;
use kazsearch::search::Engine;
use kazsearch::store::IndexDir;
use tempfile::TempDir;

/// A temp dir holding an index of the bundled sample corpus, and an engine over it.
pub struct SampleIndex {
    pub _dir: TempDir,
    pub engine: Arc<Engine>,
}

impl SampleIndex {
    pub fn new() -> SampleIndex {
        let dir = tempfile::tempdir().expect("temp dir");
        let idx = IndexDir::new(dir.path().join("index"));
        kazsearch::sample::build(&idx, &Detector::new()).expect("sample index");
        let engine = Arc::new(Engine::open(idx, Aliases::builtin()).expect("engine"));
        SampleIndex { _dir: dir, engine }
    }
}

/// The kazsearch binary.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kazsearch"))
}

/// Runs the binary with `args`; returns (status ok, stdout, stderr).
pub fn run(args: &[&str]) -> (bool, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = bin()
        .args(args)
        .env("KAZSEARCH_LOG", "warn")
        .output()
        .expect("run kazsearch");
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Writes `lines` as a JSONL file in `dir`.
pub fn write_jsonl(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, lines.join("\n") + "\n").expect("write jsonl");
    p
}

/// The repository's sample corpus file.
pub fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/articles.jsonl")
}

/// ../shared/data, if present (tests that need it skip with a message otherwise).
pub fn shared_data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data is not here (the judged development set lives there)");
        None
    }
}

/// The ids of a JSON search response's hits, in order.
pub fn hit_ids(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}
