//! `kazsearch index`: rebuild the index from JSONL, with a progress bar and a summary — into
//! the embedded tantivy index, or (`--engine opensearch`) a new generation on a cluster.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use anyhow::Result;
use kazsearch::ingest::{self, Reader};
use kazsearch::lang::Detector;
use kazsearch::opensearch::client::Client;
use kazsearch::opensearch::indexer::{self, LoadOptions};
use kazsearch::store::writer::{self, BuildOptions};
use kazsearch::store::IndexDir;

use crate::cli::{Engine, EngineArg};

#[allow(clippy::too_many_arguments)]
pub fn run(
    index: &Path,
    engine: &EngineArg,
    strict: bool,
    redetect: bool,
    threads: Option<usize>,
    heap_mb: usize,
    json: bool,
    inputs: &[PathBuf],
) -> Result<()> {
    let paths = ingest::expand_inputs(inputs)?;
    let total = ingest::total_bytes(&paths);
    let reader = Reader::new(paths.clone());
    let bytes = reader.bytes_read.clone();
    let bar = super::progress::Progress::new("indexing", total);
    let mut opts = BuildOptions {
        strict,
        redetect,
        heap_bytes: heap_mb.max(16) * 1024 * 1024,
        ..BuildOptions::default()
    };
    if let Some(t) = threads {
        opts.threads = t.max(1);
    }
    let detector = Detector::new();
    let mut shown = 0u64;
    let mut on_error = |e: &kazsearch::Error| bar.println(&format!("skipped: {e}"));
    let mut on_doc = |s: &writer::Stats| {
        if s.indexed >= shown + 256 {
            shown = s.indexed;
            bar.update(s.indexed, bytes.load(Ordering::Relaxed));
        }
    };
    let (stats, target) = match engine.engine {
        Engine::Tantivy => {
            let stats = writer::rebuild(
                &IndexDir::new(index),
                reader,
                &opts,
                &detector,
                &mut on_error,
                &mut on_doc,
            );
            bar.finish();
            let stats = stats?;
            let target = index.join(&stats.generation).display().to_string();
            (stats, target)
        }
        Engine::Opensearch => {
            let client = Client::new(&engine.url)?;
            let load = LoadOptions {
                name: engine.name.clone(),
                strict,
                redetect,
                ..LoadOptions::default()
            };
            let stats = indexer::load(
                &client,
                reader,
                &load,
                &detector,
                &mut on_error,
                &mut on_doc,
            );
            bar.finish();
            let stats = stats?;
            let target = format!(
                "{}/{} (alias {})",
                client.url(),
                stats.generation,
                engine.name
            );
            (stats, target)
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(());
    }
    let secs = stats.elapsed.as_secs_f64().max(1e-9);
    let by_lang = super::by_lang(&stats.by_lang);
    println!(
        "indexed {} articles ({by_lang}) from {} file(s) into {} in {:.1}s ({:.1} MB/s, {:.0} articles/s)",
        stats.indexed,
        paths.len(),
        target,
        secs,
        stats.text_bytes as f64 / 1e6 / secs,
        stats.indexed as f64 / secs,
    );
    println!(
        "rejected {} line(s); {} duplicate id(s) replaced by their last occurrence",
        stats.rejected, stats.duplicates
    );
    let detected: u64 = stats.detected.iter().sum();
    if detected > 0 {
        println!(
            "languages detected for {detected} article(s) (letters {}, lingua {}, fallback {}) in {:.2}s ({:.1}% of the rebuild)",
            stats.detected[0],
            stats.detected[1],
            stats.detected[2],
            stats.detect_time.as_secs_f64(),
            100.0 * stats.detect_time.as_secs_f64() / secs
        );
    }
    if stats.compared > 0 {
        println!(
            "detection agreed with the given lang for {} of {} ({:.2}%)",
            stats.compared - stats.disagreements,
            stats.compared,
            100.0 * (stats.compared - stats.disagreements) as f64 / stats.compared as f64
        );
    }
    Ok(())
}
