//! The "updates" section of `kazsearch bench`: `add` and `delete` on the big index, against
//! the full rebuild of the same run.
//!
//! ```text
//! add 1,000            1,000 corpus articles with new ids, one commit (+ merge)
//! delete 1,000         1,000 ids of the base, one commit
//! stream of commits    `kazsearch serve` under search load while 100 adds of 10 articles
//!                      commit: failed requests, and each commit's delay until a search sees it
//! many small commits   more adds of 10 up to N commits in all, then the query set over that
//!                      index and over a fresh rebuild of the same articles (p99 ratio)
//! ```
//!
//! It works on a copy of the served index made of hard links (tantivy never changes a file
//! once written, and replaces `meta.json` by a rename), so the big index stays as built.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::corpus::Scaled;
use super::load::{self, LoadResult};
use super::queries::{self, QueryCase, QueryRun};
use super::{server, HttpOptions, Options};
use crate::error::{Error, Result};
use crate::ingest::Record;
use crate::lang::Detector;
use crate::search::alias::Aliases;
use crate::search::Engine;
use crate::store::update::{self, AddStats};
use crate::store::writer::{self, BuildOptions};
use crate::store::IndexDir;

/// Articles per commit in the stream and in the many small commits.
pub const SMALL_COMMIT: usize = 10;
/// Commits in the stream measured under load.
pub const STREAM_COMMITS: usize = 100;
/// Articles of the big add and ids of the big delete.
pub const BIG_BATCH: usize = 1000;

/// The section's figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Updates {
    /// Articles in the index before.
    pub docs: u64,
    /// Seconds of the full rebuild of that index in this run (None when reused).
    pub rebuild_seconds: Option<f64>,
    /// Seconds of the add of [`BIG_BATCH`] articles (lock to merged), and to the commit.
    pub add_seconds: f64,
    /// Of which until the commit was durable and visible.
    pub add_commit_seconds: f64,
    /// Seconds of the delete of [`BIG_BATCH`] ids.
    pub delete_seconds: f64,
    /// Commits in the stream under load.
    pub stream_commits: usize,
    /// The search load during the stream.
    pub stream_load: Option<LoadResult>,
    /// Each stream commit's delay from commit to first seen by a search, ms: worst and median.
    pub visible_worst_ms: f64,
    /// Median of those delays, ms.
    pub visible_median_ms: f64,
    /// Small commits in all (stream included).
    pub small_commits: usize,
    /// Segments after them.
    pub segments: usize,
    /// The query set after the small commits.
    pub after_commits: Option<QueryRun>,
    /// The query set over a fresh rebuild of the same articles.
    pub fresh: Option<QueryRun>,
}

/// A hard-linked copy of the index directory `from` at `to`.
fn link_copy(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to).map_err(|e| Error::io_while("removing", to, e))?;
    }
    std::fs::create_dir_all(to).map_err(|e| Error::io_while("creating", to, e))?;
    for e in std::fs::read_dir(from).map_err(|e| Error::io_while("listing", from, e))? {
        let e = e.map_err(|e| Error::io_while("listing", from, e))?;
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            link_copy(&src, &dst)?;
        } else if std::fs::hard_link(&src, &dst).is_err() {
            std::fs::copy(&src, &dst).map_err(|e| Error::io_while("copying", &src, e))?;
        }
    }
    Ok(())
}

/// The articles updates are made of: the corpus's first articles, read once.
struct Pool(Vec<Record>);

impl Pool {
    fn new(paths: &[PathBuf], n: usize) -> Result<Pool> {
        let records: Vec<Record> = Scaled::new(paths.to_vec(), 1)
            .filter_map(|r| r.ok())
            .take(n)
            .collect();
        if records.is_empty() {
            return Err(Error::BadIndexDir {
                path: paths.first().cloned().unwrap_or_default(),
                reason: "the corpus has no valid article to add".into(),
            });
        }
        Ok(Pool(records))
    }

    /// `n` articles from position `skip` (round the pool), with ids suffixed `~tag`; the
    /// first carries a word found nowhere else, `updmark{tag}`, to tell when a search sees
    /// the commit.
    fn batch(&self, tag: &str, skip: usize, n: usize) -> Vec<Result<Record>> {
        (skip..skip + n)
            .enumerate()
            .map(|(i, at)| {
                let mut r = self.0[at % self.0.len()].clone();
                r.article.id = format!("{}~{tag}", r.article.id);
                if i == 0 {
                    r.article.body.push_str(&format!(" updmark{tag}"));
                }
                Ok(r)
            })
            .collect()
    }
}

fn add(
    dir: &IndexDir,
    records: Vec<Result<Record>>,
    threads: usize,
    d: &Detector,
) -> Result<AddStats> {
    let opts = BuildOptions {
        threads,
        heap_bytes: threads * 32 * 1024 * 1024,
        ..BuildOptions::default()
    };
    update::add(dir, records.into_iter(), &opts, d, &mut |_| {}, &mut |_| {})
}

/// Runs the section on a copy of `big/kazsearch` (built from the corpus `scale` times over,
/// in `rebuild_seconds` when this run built it), with `small_commits` commits of
/// [`SMALL_COMMIT`] articles in all.
pub fn run(
    opts: &Options,
    paths: &[PathBuf],
    big: &Path,
    scale: usize,
    rebuild_seconds: Option<f64>,
    small_commits: usize,
) -> Result<Updates> {
    let detector = Detector::new();
    let work = opts.work.join("updates");
    let dir = IndexDir::new(work.join("kazsearch"));
    link_copy(&big.join("kazsearch"), dir.path())?;
    let docs = Engine::open(dir.clone(), Aliases::builtin())?.num_docs();
    let mut out = Updates {
        docs,
        rebuild_seconds,
        small_commits,
        ..Updates::default()
    };
    // Articles added, and ids deleted, for the fresh rebuild of the same articles.
    let mut added: Vec<(String, usize, usize)> = Vec::new();
    let mut skip = 0usize;
    let pool = Pool::new(paths, BIG_BATCH + small_commits * SMALL_COMMIT)?;

    tracing::info!("bench: updates: adding {BIG_BATCH} articles");
    let s = add(
        &dir,
        pool.batch("big", skip, BIG_BATCH),
        opts.threads,
        &detector,
    )?;
    added.push(("big".into(), skip, BIG_BATCH));
    skip += BIG_BATCH;
    out.add_seconds = s.elapsed.as_secs_f64();
    out.add_commit_seconds = s.commit_time.as_secs_f64();

    tracing::info!("bench: updates: deleting {BIG_BATCH} ids");
    let doomed: Vec<String> = Scaled::new(paths.to_vec(), 1)
        .filter_map(|r| r.ok())
        .skip(5000)
        .take(BIG_BATCH)
        .map(|r| r.article.id)
        .collect();
    let started = Instant::now();
    let d = update::delete(&dir, &doomed)?;
    out.delete_seconds = started.elapsed().as_secs_f64();
    tracing::info!(deleted = d.deleted, "bench: updates: deleted");

    let mut commits = 0usize;
    if let Some(h) = &opts.http {
        tracing::info!("bench: updates: commits under search load");
        let n = STREAM_COMMITS.min(small_commits);
        let (load, lags) = stream(h, opts, &dir, &pool, n, &mut skip, &mut added, &detector)?;
        commits += n;
        out.stream_commits = n;
        out.stream_load = Some(load);
        let mut ms: Vec<f64> = lags.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        out.visible_worst_ms = ms.last().copied().unwrap_or(0.0);
        out.visible_median_ms = super::stats::percentile(&ms, 50.0).unwrap_or(0.0);
    }
    tracing::info!(
        "bench: updates: {} more commits of {SMALL_COMMIT}",
        small_commits.saturating_sub(commits)
    );
    while commits < small_commits {
        let tag = format!("c{commits}");
        add(&dir, pool.batch(&tag, skip, SMALL_COMMIT), 1, &detector)?;
        added.push((tag, skip, SMALL_COMMIT));
        skip += SMALL_COMMIT;
        commits += 1;
    }
    out.segments = dir
        .open_current()?
        .map_or(0, |s| s.reader.searcher().segment_readers().len());
    if small_commits == 0 {
        return Ok(out);
    }
    tracing::info!("bench: updates: queries after the commits");
    let engine = Engine::open(dir.clone(), Aliases::builtin())?;
    out.after_commits = Some(queries::run(
        &engine,
        None,
        &opts.queries,
        opts.query_rounds,
    ));
    drop(engine);

    tracing::info!("bench: updates: a fresh rebuild of the same articles");
    let fresh = IndexDir::new(work.join("fresh"));
    if fresh.path().exists() {
        std::fs::remove_dir_all(fresh.path())
            .map_err(|e| Error::io_while("removing", fresh.path(), e))?;
    }
    let doomed: HashSet<String> = doomed.into_iter().collect();
    let base = Scaled::new(paths.to_vec(), scale)
        .filter(|r| r.as_ref().map_or(true, |r| !doomed.contains(&r.article.id)));
    let extra: Vec<Result<Record>> = added
        .iter()
        .flat_map(|(tag, skip, n)| pool.batch(tag, *skip, *n))
        .collect();
    let build = BuildOptions {
        threads: opts.threads,
        heap_bytes: opts.heap_bytes,
        ..BuildOptions::default()
    };
    writer::rebuild(
        &fresh,
        base.chain(extra),
        &build,
        &detector,
        &mut |_| {},
        &mut |_| {},
    )?;
    let engine = Engine::open(fresh.clone(), Aliases::builtin())?;
    out.fresh = Some(queries::run(
        &engine,
        None,
        &opts.queries,
        opts.query_rounds,
    ));
    Ok(out)
}

/// `kazsearch serve` on `dir` under search load while `commits` adds commit; the
/// load's result and each commit's delay until a search sees it.
#[allow(clippy::too_many_arguments)]
fn stream(
    h: &HttpOptions,
    opts: &Options,
    dir: &IndexDir,
    pool: &Pool,
    commits: usize,
    skip: &mut usize,
    added: &mut Vec<(String, usize, usize)>,
    detector: &Detector,
) -> Result<(LoadResult, Vec<Duration>)> {
    let server = server::Server::start(&h.exe, dir.path(), &opts.work.join("serve-updates.log"))?;
    let query_paths: Vec<String> = opts.queries.iter().map(QueryCase::http_path).collect();
    let done = AtomicBool::new(false);
    let mut lags = Vec::new();
    let load = std::thread::scope(|s| -> Result<LoadResult> {
        let loader = s.spawn(|| {
            let mut result = LoadResult::default();
            // In slices, so the load ends soon after the last commit.
            while !done.load(Ordering::Relaxed) {
                let r = load::run(
                    server.addr,
                    &query_paths,
                    h.connections.min(4),
                    Duration::from_secs(1),
                    &mut || {},
                );
                merge(&mut result, &r);
            }
            result
        });
        let outcome = (|| -> Result<()> {
            for k in 0..commits {
                let tag = format!("s{k}");
                add(dir, pool.batch(&tag, *skip, SMALL_COMMIT), 1, detector)?;
                let committed = Instant::now();
                added.push((tag.clone(), *skip, SMALL_COMMIT));
                *skip += SMALL_COMMIT;
                loop {
                    let body = fetch(server.addr, &format!("/api/search?q=updmark{tag}&limit=1"))
                        .map_err(|e| Error::io("the server", e))?;
                    // The marked article's id ends in ~tag (near spellings of other commits'
                    // markers may be listed too).
                    if body.contains(&format!("~{tag}\"")) {
                        break;
                    }
                    if committed.elapsed() > Duration::from_secs(30) {
                        return Err(Error::BadIndexDir {
                            path: dir.path().to_path_buf(),
                            reason: format!("commit {k} not seen by the server after 30 s"),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                lags.push(committed.elapsed());
            }
            Ok(())
        })();
        done.store(true, Ordering::Relaxed);
        let result = loader.join().unwrap_or_default();
        outcome.map(|()| result)
    })?;
    drop(server);
    Ok((load, lags))
}

/// The body of `GET path` on a fresh connection.
fn fetch(addr: std::net::SocketAddr, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut c = std::net::TcpStream::connect(addr)?;
    c.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    c.read_to_string(&mut out)?;
    Ok(out)
}

/// Adds `r` into `into` (counts and rates; latency of the larger sample).
fn merge(into: &mut LoadResult, r: &LoadResult) {
    let n = into.ok + r.ok;
    if r.ok > into.ok {
        into.latency = r.latency;
    }
    into.connections = r.connections;
    into.seconds += r.seconds;
    into.ok = n;
    into.bad_status += r.bad_status;
    into.io_errors += r.io_errors;
    into.body_bytes += r.body_bytes;
    into.rps = super::stats::rate(into.ok as f64, into.seconds);
}
