//! `kazsearch bench`: how much kazsearch's extra work — language detection, three views of
//! every word, query expansion across scripts — costs next to plain tantivy, measured in one
//! run on one machine, every figure beside its baseline from the same run.
//!
//! ```text
//! detection accuracy   Detector over a labelled file (corpus-small)
//! indexing 1×          plain tantivy, then kazsearch (detection on): MB/s, CPU, size
//! stages               read, detect, words, fold, stem, key, strip, tokenizers, one thread
//! queries 1×           the fixed query set, kazsearch and plain alternately: p50/p95/p99
//! indexing N×          the corpus N times over with new ids (both engines)
//! queries N×           the same, over the big indexes
//! HTTP N×              `kazsearch serve` as a child: /api/search and /api/health under
//!                      load from 16 connections; its resident memory at rest and under load
//! updates N×           add 1,000 and delete 1,000 on (a hard-linked copy of) the N× index,
//!                      100 commits under search load, query p99 after many small commits
//!                      against a fresh rebuild of the same articles ([`updates`])
//! ```
//!
//! The figures are noisy on a shared machine; the ratios are what to read. The targets of
//! issue #4 are printed next to the measured figures ([`report::targets`], [`render`]).

pub mod cluster;
pub mod corpus;
pub mod load;
pub mod plain;
pub mod probe;
pub mod queries;
pub mod render;
pub mod report;
pub mod server;
pub mod stats;
pub mod steps;
pub mod updates;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::ingest::{self, Reader};
use crate::lang::Detector;
use crate::search::alias::Aliases;
use crate::search::Engine;
use crate::store::writer::{self, BuildOptions};
use crate::store::IndexDir;
use corpus::Scaled;
use queries::QueryCase;
use report::{Accuracy, Build, Http, Indexing, Report, Setup};

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The corpus files (expanded like `kazsearch index` inputs).
    pub corpus: Vec<PathBuf>,
    /// A labelled JSONL file for detection accuracy (None: skipped).
    pub accuracy: Option<PathBuf>,
    /// Build and query a second index of the corpus this many times over (≤ 1: none).
    pub scale: usize,
    /// Indexing threads and memory, for both engines.
    pub threads: usize,
    /// Indexing memory budget in bytes.
    pub heap_bytes: usize,
    /// Measured passes over the query set (after one warm-up pass).
    pub query_rounds: usize,
    /// The query set.
    pub queries: Vec<QueryCase>,
    /// Where the indexes are built.
    pub work: PathBuf,
    /// Use the scaled indexes already in `work` when there are some (for quick reruns).
    pub reuse: bool,
    /// The HTTP run (None: skipped).
    pub http: Option<HttpOptions>,
    /// Small commits of the updates section (0 skips the section).
    pub update_commits: usize,
}

/// The HTTP run's settings.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// The kazsearch binary to start as `serve`.
    pub exe: PathBuf,
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Measured seconds of search load (health gets a third of it).
    pub duration: Duration,
    /// Unmeasured seconds of load first.
    pub warmup: Duration,
}

/// Runs the benchmark. Progress goes to the log (`tracing`); the findings are returned.
pub fn run(opts: &Options) -> Result<Report> {
    let started = Instant::now();
    let paths = ingest::expand_inputs(&opts.corpus)?;
    std::fs::create_dir_all(&opts.work).map_err(|e| Error::io(&opts.work, e))?;
    let detector = Detector::new();
    let mut report = Report {
        setup: Setup {
            corpus: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            accuracy_file: opts.accuracy.as_ref().map(|p| p.display().to_string()),
            threads: opts.threads,
            heap_mb: opts.heap_bytes / (1024 * 1024),
            scale: opts.scale,
            query_rounds: opts.query_rounds,
            queries: opts.queries.len(),
            release: !cfg!(debug_assertions),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        },
        ..Report::default()
    };

    if let Some(file) = &opts.accuracy {
        tracing::info!("bench: detection accuracy on {}", file.display());
        report.accuracy = Some(accuracy(file, &detector)?);
    }

    tracing::info!("bench: indexing 1× with plain tantivy, then kazsearch");
    let one = opts.work.join("1x");
    report.indexing = index_both(opts, &paths, 1, &one, &detector)?;

    tracing::info!("bench: timing each stage on one thread");
    report.steps = Some(steps::run(paths.clone(), &detector));

    tracing::info!("bench: queries over the 1× indexes");
    report.queries.push(query_run(opts, &one)?);

    let mut served = one.clone();
    if opts.scale > 1 {
        let big = opts.work.join(format!("{}x", opts.scale));
        let done = big.join("kazsearch/CURRENT").exists() && big.join("plain/meta.json").exists();
        if opts.reuse && done {
            tracing::info!(
                "bench: reusing the {}× indexes in {}",
                opts.scale,
                big.display()
            );
        } else {
            tracing::info!(
                "bench: indexing {}× with plain tantivy, then kazsearch",
                opts.scale
            );
            report.indexing_scaled = Some(index_both(opts, &paths, opts.scale, &big, &detector)?);
        }
        tracing::info!("bench: queries over the {}× indexes", opts.scale);
        report.queries.push(query_run(opts, &big)?);
        served = big;
    }

    if let Some(h) = &opts.http {
        tracing::info!("bench: HTTP load on kazsearch serve");
        let paths: Vec<String> = opts.queries.iter().map(QueryCase::http_path).collect();
        if served != one {
            report.http_small = Some(http(h, &one, &paths, &opts.work)?);
        }
        report.http = Some(http(h, &served, &paths, &opts.work)?);
    }
    if opts.update_commits > 0 {
        tracing::info!("bench: updates on the {}× index", opts.scale.max(1));
        let (scale, built) = if served == one {
            (1, Some(&report.indexing))
        } else {
            (opts.scale, report.indexing_scaled.as_ref())
        };
        let rebuild = built.and_then(|b| b.kazsearch.as_ref()).map(|b| b.seconds);
        report.updates = Some(updates::run(
            opts,
            &paths,
            &served,
            scale,
            rebuild,
            opts.update_commits,
        )?);
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Detection against the `lang` fields of `file`.
fn accuracy(file: &Path, detector: &Detector) -> Result<Accuracy> {
    let mut a = Accuracy::default();
    let mut time = Duration::ZERO;
    for rec in Reader::new(ingest::expand_inputs(&[file.to_path_buf()])?) {
        let Ok(rec) = rec else { continue };
        let Some(truth) = rec.article.lang else {
            continue;
        };
        let t = Instant::now();
        let d = detector.detect(&rec.article.title, &rec.article.body);
        time += t.elapsed();
        a.articles += 1;
        a.right += u64::from(d.lang == truth);
        a.by_method[d.method as usize] += 1;
    }
    a.seconds = time.as_secs_f64();
    Ok(a)
}

/// Builds `dir/plain` and `dir/kazsearch` from the corpus `scale` times over.
fn index_both(
    opts: &Options,
    paths: &[PathBuf],
    scale: usize,
    dir: &Path,
    detector: &Detector,
) -> Result<Indexing> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let plain_dir = dir.join("plain");
    let p = plain::build(
        &plain_dir,
        Scaled::new(paths.to_vec(), scale),
        opts.threads,
        opts.heap_bytes,
    )?;
    let plain = Build {
        articles: p.indexed,
        text_bytes: p.text_bytes,
        seconds: p.elapsed.as_secs_f64(),
        cpu_seconds: p.cpu.map(|d| d.as_secs_f64()),
        size_bytes: probe::dir_size(&plain_dir)?,
        segments: segments(&plain_dir)?,
        detect_seconds: None,
    };
    let kz_dir = IndexDir::new(dir.join("kazsearch"));
    let build_opts = BuildOptions {
        strict: false,
        redetect: true,
        threads: opts.threads,
        heap_bytes: opts.heap_bytes,
    };
    let cpu0 = probe::process_cpu();
    let s = writer::rebuild(
        &kz_dir,
        Scaled::new(paths.to_vec(), scale),
        &build_opts,
        detector,
        &mut |_| {},
        &mut |_| {},
    )?;
    let cpu = probe::process_cpu()
        .zip(cpu0)
        .map(|(b, a)| b.saturating_sub(a).as_secs_f64());
    let kazsearch = Build {
        articles: s.indexed,
        text_bytes: s.text_bytes,
        seconds: s.elapsed.as_secs_f64(),
        cpu_seconds: cpu,
        size_bytes: probe::dir_size(&kz_dir.path().join(&s.generation))?,
        segments: segments(&kz_dir.path().join(&s.generation))?,
        detect_seconds: Some(s.detect_time.as_secs_f64()),
    };
    Ok(Indexing {
        scale,
        kazsearch: Some(kazsearch),
        plain: Some(plain),
    })
}

/// Segments of the tantivy index in `path`.
fn segments(path: &Path) -> Result<usize> {
    Ok(tantivy::Index::open_in_dir(path)?
        .searchable_segment_ids()?
        .len())
}

/// The query set over `dir/kazsearch` and `dir/plain`.
fn query_run(opts: &Options, dir: &Path) -> Result<queries::QueryRun> {
    let engine = Engine::open(IndexDir::new(dir.join("kazsearch")), Aliases::builtin())?;
    let plain = plain::PlainSearcher::open(&dir.join("plain"))?;
    Ok(queries::run(
        &engine,
        Some(&plain),
        &opts.queries,
        opts.query_rounds,
    ))
}

/// `kazsearch serve` over `dir/kazsearch` under load.
fn http(h: &HttpOptions, dir: &Path, paths: &[String], work: &Path) -> Result<Http> {
    let index = dir.join("kazsearch");
    let docs = IndexDir::new(&index)
        .open_current()?
        .map_or(0, |s| s.num_docs());
    let server = server::Server::start(&h.exe, &index, &work.join("serve.log"))?;
    let pid = server.pid();
    let rss = || probe::rss(pid).unwrap_or_default();
    std::thread::sleep(Duration::from_secs(1));
    let rest = rss();
    let mut highest = rest;
    let mut sample = || {
        let now = rss();
        if now.now > highest.now {
            highest = now;
        }
    };
    if !h.warmup.is_zero() {
        load::run(server.addr, paths, h.connections, h.warmup, &mut sample);
    }
    let health_paths = ["/api/health".to_string()];
    let health = load::run(
        server.addr,
        &health_paths,
        h.connections,
        h.duration / 3,
        &mut sample,
    );
    let cpu0 = probe::process_cpu();
    let search = load::run(server.addr, paths, h.connections, h.duration, &mut sample);
    let generator_cpu = probe::process_cpu()
        .zip(cpu0)
        .map(|(b, a)| b.saturating_sub(a).as_secs_f64());
    std::thread::sleep(Duration::from_secs(1));
    let after = rss();
    drop(server);
    let mb = stats::mb;
    Ok(Http {
        docs,
        search,
        health,
        rss_rest_mb: mb(rest.now),
        rss_load_mb: mb(highest.now),
        rss_load_anon_mb: mb(highest.anon),
        rss_load_file_mb: mb(highest.file),
        rss_peak_mb: mb(after.peak),
        rss_after_mb: mb(after.now),
        generator_cpu_seconds: generator_cpu,
    })
}
