//! The subcommands, each a thin layer over the library that prints for a person.

mod analyze;
mod bench;
mod detect;
mod eval;
mod index;
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
        Command::Serve {
            index,
            aliases,
            addr,
            workers,
        } => serve::run(&index.index, &aliases, &addr, workers),
        Command::Search {
            index,
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
            aliases,
            no_baseline: _,
            json,
            misses: _,
            mixed: Some(n),
            queries,
        } => eval::mixed(&index.index, &aliases, n, json, &queries),
        Command::Eval {
            index,
            aliases,
            no_baseline,
            json,
            misses,
            mixed: None,
            queries,
        } => eval::run(
            &index.index,
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
