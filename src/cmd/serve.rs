//! `kazsearch serve`: the HTTP server. Builds the sample corpus into an empty index first.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use std::net::ToSocketAddrs;

use actix_web::web;
use anyhow::{Context, Result};
use kazsearch::http::{self, AppState};
use kazsearch::lang::Detector;
use kazsearch::search::Engine;
use kazsearch::store::IndexDir;

use crate::cli::{AliasArg, EngineArg};

/// Searches one server worker runs at once (see `run`).
const SEARCHES_PER_WORKER: usize = 2;

pub fn run(
    index: &Path,
    engine_arg: &EngineArg,
    aliases: &AliasArg,
    addr: &str,
    workers: Option<usize>,
    log_queries: bool,
) -> Result<()> {
    http::metrics::set_log_queries(log_queries);
    if engine_arg.engine == crate::cli::Engine::Opensearch {
        let cluster = kazsearch::opensearch::search::OsEngine::open(
            &engine_arg.url,
            &engine_arg.name,
            super::aliases(aliases)?,
        )
        .with_context(|| format!("opening the OpenSearch index {:?}", engine_arg.name))?;
        let docs = cluster.num_docs();
        let what = format!("{} (alias {})", engine_arg.url, engine_arg.name);
        let cluster = Arc::new(cluster);
        // A new load (the alias moves) or an add/delete is planned for within seconds.
        cluster.watch(Duration::from_secs(2));
        let state = web::Data::new(AppState {
            engine: None,
            cluster: Some(cluster),
        });
        return listen(state, addr, workers, docs, &what);
    }
    let dir = IndexDir::new(index);
    if dir.current()?.is_none() {
        if !dir.is_blank()? {
            anyhow::bail!(
                "{} holds files but no kazsearch index (no CURRENT file); point --index at an empty or kazsearch directory",
                index.display()
            );
        }
        let stats = kazsearch::sample::build(&dir, &Detector::new())
            .context("building the sample corpus into the empty index")?;
        tracing::info!(
            articles = stats.indexed,
            "index was empty: built the bundled sample corpus"
        );
    }
    let engine = Arc::new(Engine::open(dir, super::aliases(aliases)?)?);
    // Every commit is seen within a second: a poll reads CURRENT and meta.json (a few KB).
    engine.watch(Duration::from_millis(300));
    let docs = engine.num_docs();
    let state = web::Data::new(AppState {
        engine: Some(engine),
        cluster: None,
    });
    listen(state, addr, workers, docs, &index.display().to_string())
}

/// Listens on `addr` and serves `state` until stopped.
fn listen(
    state: web::Data<AppState>,
    addr: &str,
    workers: Option<usize>,
    docs: u64,
    what: &str,
) -> Result<()> {
    // Searches run on each worker's blocking pool, two at a time per worker: enough to keep
    // the cores busy, few enough that searches do not crowd each other out of the caches and
    // the allocator's per-thread arenas. actix's default allows hundreds of threads; with two,
    // `kazsearch bench --scale 1` went from 2,913–2,960 to 3,500–3,577 searches/s at 16
    // connections and the heap under load from about 60 MB to 15 MB.
    let addrs: Vec<std::net::SocketAddr> = addr
        .to_socket_addrs()
        .with_context(|| format!("cannot listen on {addr}: not an address"))?
        .collect();
    let first = addrs
        .first()
        .with_context(|| format!("cannot listen on {addr}: it names no address"))?;
    let listener =
        http::listen::bind(*first).with_context(|| format!("cannot listen on {addr}"))?;
    // Only now that the address is ours (a port in use fails above, before this line).
    tracing::info!(docs, "serving {what} on http://{addr}/");
    let system = actix_web::rt::System::new();
    let server = http::listen::server(listener, state, workers, SEARCHES_PER_WORKER)?;
    system.block_on(server)?;
    Ok(())
}
