//! `kazsearch add`: add or replace articles in the live index, in one commit.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use anyhow::Result;
use kazsearch::ingest::{self, Reader};
use kazsearch::lang::Detector;
use kazsearch::store::update;
use kazsearch::store::writer::BuildOptions;
use kazsearch::store::IndexDir;

pub fn run(
    index: &Path,
    strict: bool,
    threads: Option<usize>,
    heap_mb: usize,
    json: bool,
    inputs: &[PathBuf],
) -> Result<()> {
    let paths = ingest::expand_inputs(inputs)?;
    let reader = Reader::new(paths.clone());
    let bytes = reader.bytes_read.clone();
    let mut opts = BuildOptions {
        strict,
        heap_bytes: heap_mb.max(16) * 1024 * 1024,
        ..BuildOptions::default()
    };
    if let Some(t) = threads {
        opts.threads = t.max(1);
    }
    let mut progress = super::progress::Progress::new("adding", ingest::total_bytes(&paths));
    let stats = {
        let bar = RefCell::new(&mut progress);
        update::add(
            &IndexDir::new(index),
            reader,
            &opts,
            &Detector::new(),
            &mut |e| bar.borrow().println(&format!("skipped: {e}")),
            &mut |n| {
                if n % 256 == 0 {
                    bar.borrow_mut().update(n, bytes.load(Ordering::Relaxed));
                }
            },
        )
    };
    progress.finish();
    let stats = stats?;
    if json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(());
    }
    let by_lang = super::by_lang(&stats.by_lang);
    println!(
        "added {} and replaced {} article(s) ({by_lang}) in {}, commit {} in {:.2}s; {} articles now",
        stats.added,
        stats.replaced,
        index.join(&stats.generation).display(),
        stats.opstamp,
        stats.commit_time.as_secs_f64(),
        stats.docs,
    );
    if stats.merged_segments > 0 {
        println!(
            "merged {} small segments ({} left) in {:.2}s in all",
            stats.merged_segments,
            stats.segments,
            stats.elapsed.as_secs_f64()
        );
    }
    if stats.rejected > 0 {
        println!("rejected {} line(s)", stats.rejected);
    }
    Ok(())
}

/// `add --engine opensearch`: the articles into the generation behind the alias.
pub fn cluster(
    engine: &crate::cli::EngineArg,
    strict: bool,
    json: bool,
    inputs: &[PathBuf],
) -> Result<()> {
    let paths = ingest::expand_inputs(inputs)?;
    let client = kazsearch::opensearch::client::Client::new(&engine.url)?;
    let stats = kazsearch::opensearch::update::add(
        &client,
        &engine.name,
        Reader::new(paths),
        strict,
        &Detector::new(),
        &mut |e| eprintln!("skipped: {e}"),
    )?;
    if json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(());
    }
    let by_lang = super::by_lang(&stats.by_lang);
    println!(
        "added {} and replaced {} article(s) ({by_lang}) in {}/{} (alias {}) in {:.2}s; {} articles now",
        stats.added,
        stats.replaced,
        client.url(),
        stats.generation,
        engine.name,
        stats.secs,
        stats.docs,
    );
    if stats.rejected > 0 {
        println!("rejected {} line(s)", stats.rejected);
    }
    Ok(())
}
