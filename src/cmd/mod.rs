//! The subcommands, each a thin layer over the library that prints for a person.

mod add;
mod analyze;
mod bench;
mod delete;
mod detect;
mod eval;
mod index;
mod progress;
mod qa_eval;
mod search;
mod serve;

use anyhow::{Context, Result};
use kazsearch::search::alias::Aliases;

use crate::cli::{AliasArg, Command};

/// Runs one subcommand.
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Index {
            index,
            engine,
            strict,
            redetect,
            threads,
            heap_mb,
            json,
            inputs,
        } => index::run(
            &index.index,
            &engine,
            strict,
            redetect,
            threads,
            heap_mb,
            json,
            &inputs,
        ),
        Command::Add {
            index,
            engine,
            strict,
            threads,
            heap_mb,
            json,
            inputs,
        } => match engine.engine {
            crate::cli::Engine::Tantivy => {
                add::run(&index.index, strict, threads, heap_mb, json, &inputs)
            }
            crate::cli::Engine::Opensearch => add::cluster(&engine, strict, json, &inputs),
        },
        Command::Delete {
            index,
            engine,
            ids_file,
            json,
            ids,
        } => delete::run(&index.index, &engine, ids_file.as_deref(), ids, json),
        Command::Serve {
            index,
            engine,
            aliases,
            log_queries,
            addr,
            workers,
        } => serve::run(&index.index, &engine, &aliases, &addr, workers, log_queries),
        Command::Search {
            index,
            engine,
            aliases,
            lang,
            limit,
            offset,
            from,
            to,
            sort,
            json,
            query,
        } => search::run(
            &index.index,
            &engine,
            &aliases,
            search::Opts {
                lang,
                limit,
                offset,
                from,
                to,
                sort,
                json,
                query: query.join(" "),
            },
        ),
        Command::Analyze { lang, json, text } => {
            analyze::run(lang.as_deref(), json, &text.join(" "))
        }
        Command::Detect { check, input } => detect::run(check, &input),
        Command::Bench(args) => bench::run(args),
        Command::Eval {
            index,
            engine: _,
            aliases,
            no_baseline: _,
            compare: _,
            json,
            misses: _,
            mixed: Some(n),
            queries,
        } => eval::mixed(&index.index, &aliases, n, json, &queries),
        Command::Eval {
            index,
            engine,
            aliases,
            no_baseline,
            compare,
            json,
            misses,
            mixed: None,
            queries,
        } => eval::run(
            &index.index,
            &engine,
            compare,
            &aliases,
            !no_baseline,
            json,
            misses.as_deref(),
            &queries,
        ),
    }
}

/// The alias table: built-in, plus the user's file when given.
fn aliases(arg: &AliasArg) -> Result<Aliases> {
    match &arg.aliases {
        Some(p) => Aliases::with_file(p).context("reading the alias file"),
        None => Ok(Aliases::builtin()),
    }
}

/// The engine `--engine` names: the embedded index in `index`, or the cluster's alias.
fn open_engine(
    index: &std::path::Path,
    engine: &crate::cli::EngineArg,
    aliases: &AliasArg,
) -> Result<Box<dyn kazsearch::search::SearchApi>> {
    let aliases = self::aliases(aliases)?;
    Ok(match engine.engine {
        crate::cli::Engine::Tantivy => Box::new(kazsearch::search::Engine::open(
            kazsearch::store::IndexDir::new(index),
            aliases,
        )?),
        crate::cli::Engine::Opensearch => Box::new(
            kazsearch::opensearch::search::OsEngine::open(&engine.url, &engine.name, aliases)
                .with_context(|| format!("opening the OpenSearch index {:?}", engine.name))?,
        ),
    })
}

/// Articles per language for a summary line: `kk 19, ru 16, en 16`.
fn by_lang(counts: &[u64; 3]) -> String {
    kazsearch::lang::Lang::ALL
        .iter()
        .map(|l| format!("{l} {}", counts[l.index()]))
        .collect::<Vec<_>>()
        .join(", ")
}
