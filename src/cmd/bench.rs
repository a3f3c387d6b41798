//! `kazsearch bench`: set up the run from the command line, run it, print the table (and
//! optionally the JSON). The work folder is removed afterwards unless the user chose it.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use kazsearch::bench::{self, queries, render, report, HttpOptions, Options};
use kazsearch::store::writer::BuildOptions;

use crate::cli::BenchArgs;

pub fn run(args: BenchArgs) -> Result<()> {
    for p in args.corpus.iter().chain([&args.accuracy]) {
        if !p.exists() {
            bail!(
                "{} does not exist: the benchmark reads the shared corpora (../shared/data, see its README) — run it from the repository root or pass --corpus/--accuracy",
                p.display()
            );
        }
    }
    let query_set = match &args.queries {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            queries::parse(&p.display().to_string(), &text)?
        }
        None => queries::parse("src/bench/queries.tsv", queries::QUERIES)?,
    };
    let secs = |s: f64, name: &str| {
        Duration::try_from_secs_f64(s).with_context(|| format!("--{name} must be ≥ 0"))
    };
    let http = if args.http_secs > 0.0 {
        Some(HttpOptions {
            exe: std::env::current_exe().context("finding the kazsearch binary")?,
            connections: args.connections.max(1),
            duration: secs(args.http_secs, "http-secs")?,
            warmup: secs(args.warmup_secs, "warmup-secs")?,
        })
    } else {
        None
    };
    if args.engine.engine == crate::cli::Engine::Opensearch {
        return cluster(&args, query_set);
    }
    let (work, temporary) = match &args.work {
        Some(w) => (w.clone(), false),
        None => (
            std::env::temp_dir().join(format!("kazsearch-bench-{}", std::process::id())),
            true,
        ),
    };
    let opts = Options {
        corpus: args.corpus.clone(),
        accuracy: Some(args.accuracy.clone()),
        scale: args.scale,
        threads: args
            .threads
            .unwrap_or_else(|| BuildOptions::default().threads)
            .max(1),
        heap_bytes: args.heap_mb.max(16) * 1024 * 1024,
        query_rounds: args.rounds.max(1),
        queries: query_set,
        work: work.clone(),
        reuse: args.reuse,
        http,
        update_commits: args.update_commits,
    };
    let result = bench::run(&opts);
    if temporary {
        let _ = std::fs::remove_dir_all(&work);
    }
    let report = result?;
    print!("{}", render::render(&report));
    if let Some(path) = &args.json {
        let json = serde_json::json!({
            "report": report,
            "targets": report::targets(&report),
        });
        std::fs::write(path, serde_json::to_string_pretty(&json)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// `bench --engine opensearch`: both engines on `--corpus`, side by side.
fn cluster(args: &BenchArgs, queries: Vec<kazsearch::bench::queries::QueryCase>) -> Result<()> {
    use kazsearch::bench::cluster::{self, ClusterOptions};
    let (work, temporary) = match &args.work {
        Some(w) => (w.clone(), false),
        None => (
            std::env::temp_dir().join(format!("kazsearch-bench-{}", std::process::id())),
            true,
        ),
    };
    let opts = ClusterOptions {
        corpus: args.corpus.clone(),
        work: work.clone(),
        url: args.engine.url.clone(),
        name: args.engine.name.clone(),
        build: BuildOptions {
            threads: args
                .threads
                .unwrap_or_else(|| BuildOptions::default().threads)
                .max(1),
            heap_bytes: args.heap_mb.max(16) * 1024 * 1024,
            ..BuildOptions::default()
        },
        rounds: args.rounds.max(1),
        queries,
    };
    let result = cluster::run(&opts);
    if temporary {
        let _ = std::fs::remove_dir_all(&work);
    }
    let report = result?;
    print!("{}", cluster::render(&report));
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
