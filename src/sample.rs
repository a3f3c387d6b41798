//! The sample corpus bundled in the binary: original short articles written for the project,
//! in Kazakh, Russian and English, naming the same people and places in different scripts,
//! spellings and inflections. `serve` indexes it when the index directory is empty, so a new
//! user sees results at once.

use crate::error::Result;
use crate::ingest;
use crate::lang::Detector;
use crate::store::writer::{self, BuildOptions, Stats};
use crate::store::IndexDir;

/// The corpus, one JSON article per line (`sample/articles.jsonl`).
pub const ARTICLES: &str = include_str!("../sample/articles.jsonl");

/// Builds an index of the sample corpus in `dir`.
pub fn build(dir: &IndexDir, detector: &Detector) -> Result<Stats> {
    let records = ingest::read_str("sample/articles.jsonl", ARTICLES);
    let opts = BuildOptions {
        strict: true,
        ..BuildOptions::default()
    };
    writer::rebuild(
        dir,
        records.into_iter(),
        &opts,
        detector,
        &mut |_| {},
        &mut |_| {},
    )
}
