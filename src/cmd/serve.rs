//! `kazsearch serve`: the HTTP server. Builds the sample corpus into an empty index first.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{web, App, HttpServer};
use anyhow::{Context, Result};
use kazsearch::http::{self, AppState};
use kazsearch::lang::Detector;
use kazsearch::search::Engine;
use kazsearch::store::IndexDir;

use crate::cli::AliasArg;

pub fn run(index: &Path, aliases: &AliasArg, addr: &str, workers: Option<usize>) -> Result<()> {
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
    engine.watch(Duration::from_millis(300));
    tracing::info!(
        docs = engine.num_docs(),
        "serving {} on http://{addr}/",
        index.display()
    );
    let state = web::Data::new(AppState { engine });
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(http::configure)
    })
    .shutdown_timeout(30);
    if let Some(w) = workers {
        server = server.workers(w.max(1));
    }
    let server = server
        .bind(addr)
        .with_context(|| format!("cannot listen on {addr}"))?;
    actix_web::rt::System::new().block_on(server.run())?;
    Ok(())
}
