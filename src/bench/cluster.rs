//! `kazsearch bench --engine opensearch`: the embedded engine and an OpenSearch cluster side by
//! side in one run — bulk indexing rate, then the query set through each engine's full
//! search path (plan, tiers, page text, highlighting), p50/p99 per engine.
//!
//! The cluster is the one `--url` names (e.g. `scripts/opensearch start`: two nodes on one
//! machine); the run loads the corpus into a new generation of the alias `--name` and switches
//! the alias to it, as `kazsearch index --engine opensearch` does.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::queries::QueryCase;
use crate::error::Result;
use crate::ingest::Reader;
use crate::lang::Detector;
use crate::opensearch::client::Client;
use crate::opensearch::indexer::{self, LoadOptions};
use crate::opensearch::search::OsEngine;
use crate::search::alias::Aliases;
use crate::search::{Engine, SearchApi};
use crate::store::writer::{rebuild, BuildOptions};
use crate::store::IndexDir;

/// What to run.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// The corpus files.
    pub corpus: Vec<PathBuf>,
    /// Where the embedded index is built.
    pub work: PathBuf,
    /// The cluster.
    pub url: String,
    /// The alias loaded and searched.
    pub name: String,
    /// Embedded indexing threads and memory.
    pub build: BuildOptions,
    /// Measured passes over the query set (after one warm-up pass).
    pub rounds: usize,
    /// The query set.
    pub queries: Vec<QueryCase>,
}

/// One engine's figures.
#[derive(Debug, Clone, Serialize)]
pub struct EngineFigures {
    /// Articles indexed.
    pub articles: u64,
    /// Seconds to index them (for the cluster: until the alias points at a green, refreshed
    /// generation with its replicas).
    pub index_secs: f64,
    /// Articles per second.
    pub articles_per_sec: f64,
    /// Searches measured.
    pub searches: usize,
    /// Searches that failed.
    pub errors: usize,
    /// Median search latency, ms.
    pub p50_ms: f64,
    /// 99th percentile search latency, ms.
    pub p99_ms: f64,
}

/// The run's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterReport {
    /// The embedded engine.
    pub embedded: EngineFigures,
    /// The cluster.
    pub cluster: EngineFigures,
    /// HTTP requests to the cluster per search, on average.
    pub requests_per_search: f64,
}

/// Runs the comparison.
pub fn run(opts: &ClusterOptions) -> Result<ClusterReport> {
    let detector = Detector::new();
    let dir = IndexDir::new(opts.work.join("embedded"));
    std::fs::create_dir_all(dir.path())
        .map_err(|e| crate::error::Error::io_while("creating", dir.path(), e))?;
    let t = Instant::now();
    let stats = rebuild(
        &dir,
        Reader::new(opts.corpus.clone()),
        &opts.build,
        &detector,
        &mut |_| {},
        &mut |_| {},
    )?;
    let embedded_secs = t.elapsed().as_secs_f64();
    let client = Client::new(&opts.url)?;
    let load = LoadOptions {
        name: opts.name.clone(),
        ..LoadOptions::default()
    };
    let t = Instant::now();
    let loaded = indexer::load(
        &client,
        Reader::new(opts.corpus.clone()),
        &load,
        &detector,
        &mut |_| {},
        &mut |_| {},
    )?;
    let cluster_secs = t.elapsed().as_secs_f64();
    let engine = Engine::open(dir, Aliases::builtin())?;
    let cluster = OsEngine::open(&opts.url, &opts.name, Aliases::builtin())?;
    let sent = cluster.requests();
    let (a, b) = latencies(&engine, &cluster, &opts.queries, opts.rounds);
    // Every round and the warm-up.
    let searches = (opts.rounds.max(1) + 1) * opts.queries.len();
    let requests_per_search = (cluster.requests() - sent) as f64 / searches.max(1) as f64;
    let figures = |articles: u64, secs: f64, lat: Latencies| EngineFigures {
        articles,
        index_secs: secs,
        articles_per_sec: articles as f64 / secs.max(1e-9),
        searches: lat.took.len(),
        errors: lat.errors,
        p50_ms: percentile(&lat.took, 0.50),
        p99_ms: percentile(&lat.took, 0.99),
    };
    Ok(ClusterReport {
        embedded: figures(stats.indexed, embedded_secs, a),
        cluster: figures(loaded.indexed, cluster_secs, b),
        requests_per_search,
    })
}

#[derive(Default)]
struct Latencies {
    took: Vec<Duration>,
    errors: usize,
}

/// Every query once to warm up, then `rounds` times measured, the two engines alternately.
fn latencies(
    a: &dyn SearchApi,
    b: &dyn SearchApi,
    cases: &[QueryCase],
    rounds: usize,
) -> (Latencies, Latencies) {
    let mut out = (Latencies::default(), Latencies::default());
    for round in 0..=rounds.max(1) {
        for case in cases {
            for (engine, lat) in [(a, &mut out.0), (b, &mut out.1)] {
                let t = Instant::now();
                let ok = engine.search(&case.params).is_ok();
                let took = t.elapsed();
                if round > 0 {
                    lat.took.push(took);
                    if !ok {
                        lat.errors += 1;
                    }
                }
            }
        }
    }
    out
}

/// The `q` quantile of `xs`, in ms (nearest rank).
fn percentile(xs: &[Duration], q: f64) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mut v: Vec<f64> = xs.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    v.sort_by(f64::total_cmp);
    let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    v[i]
}

/// The report as a table.
pub fn render(r: &ClusterReport) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "{:<10} {:>9} {:>9} {:>12} | {:>8} {:>6} {:>9} {:>9}\n",
        "engine", "articles", "index s", "articles/s", "searches", "failed", "p50 ms", "p99 ms"
    ));
    for (name, f) in [("embedded", &r.embedded), ("cluster", &r.cluster)] {
        s.push_str(&format!(
            "{:<10} {:>9} {:>9.1} {:>12.0} | {:>8} {:>6} {:>9.2} {:>9.2}\n",
            name,
            f.articles,
            f.index_secs,
            f.articles_per_sec,
            f.searches,
            f.errors,
            f.p50_ms,
            f.p99_ms
        ));
    }
    s.push_str(&format!(
        "cluster / embedded: indexing {:.2}x the time, p50 {:.1}x, p99 {:.1}x\n",
        r.cluster.index_secs / r.embedded.index_secs.max(1e-9),
        r.cluster.p50_ms / r.embedded.p50_ms.max(1e-9),
        r.cluster.p99_ms / r.embedded.p99_ms.max(1e-9),
    ));
    s.push_str(&format!(
        "cluster: {:.1} HTTP requests per search on average\n",
        r.requests_per_search
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&x| Duration::from_millis(x))
                .collect::<Vec<_>>()
        };
        for (xs, q, want) in [
            (ms(&[]), 0.5, 0.0),
            (ms(&[5]), 0.99, 5.0),
            (ms(&[4, 1, 3, 2]), 0.5, 2.0),
            (ms(&(1..=100).collect::<Vec<_>>()), 0.99, 99.0),
        ] {
            assert_eq!(percentile(&xs, q), want);
        }
    }
}
