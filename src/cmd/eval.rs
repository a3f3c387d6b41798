//! `kazsearch eval`: judged queries through the search path, next to a plain baseline.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use kazsearch::eval::{self, Baseline};
use kazsearch::search::Engine;
use kazsearch::store::IndexDir;

use crate::cli::AliasArg;

pub fn run(
    index: &Path,
    aliases: &AliasArg,
    with_baseline: bool,
    json: bool,
    misses: Option<&str>,
    queries: &Path,
) -> Result<()> {
    let engine = Engine::open(IndexDir::new(index), super::aliases(aliases)?)?;
    if kazsearch::qa_eval::is_qa_file(queries)? {
        return super::qa_eval::run(&engine, with_baseline, json, queries);
    }
    let qs = eval::read_queries(queries)?;
    let t = Instant::now();
    let baseline = if with_baseline {
        Some(Baseline::build(&engine.snapshot())?)
    } else {
        None
    };
    let built = t.elapsed();
    let t = Instant::now();
    let report = eval::run(&engine, &qs, baseline.as_ref())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "{} queries, {} articles; baseline built in {:.1}s, queries run in {:.1}s",
        qs.len(),
        engine.num_docs(),
        built.as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    println!(
        "{:<12} {:>5} | {:>7} {:>7} {:>6} {:>9} | {:>7} {:>7} {:>6} {:>9}",
        "kind",
        "n",
        "R@10",
        "MRR@10",
        "zero",
        "decoy>rel",
        "base R",
        "base MRR",
        "zero",
        "decoy>rel"
    );
    let mut kinds: Vec<_> = report
        .kinds
        .iter()
        .filter(|(k, _)| k.as_str() != "all")
        .collect();
    kinds.extend(report.kinds.iter().filter(|(k, _)| k.as_str() == "all"));
    for (kind, (a, b)) in kinds {
        let d = |s: &eval::Summary| {
            if s.with_decoys == 0 {
                "-".to_string()
            } else {
                format!("{:.1}%/{}", 100.0 * s.decoy_first, s.with_decoys)
            }
        };
        println!(
            "{:<12} {:>5} | {:>7.3} {:>7.3} {:>5.1}% {:>9} | {:>7.3} {:>7.3} {:>5.1}% {:>9}",
            kind,
            a.n,
            a.recall,
            a.mrr,
            100.0 * a.zero,
            d(a),
            b.recall,
            b.mrr,
            100.0 * b.zero,
            d(b)
        );
    }
    // Guesses: sound-alike and near-spelling hits on the first page, and how many of them the
    // judgments call relevant.
    println!();
    println!(
        "{:<12} {:>8} {:>8} {:>10}",
        "kind", "queries", "guesses", "precision"
    );
    for (kind, (a, _)) in report
        .kinds
        .iter()
        .filter(|(k, _)| k.as_str() != "all")
        .chain(report.kinds.iter().filter(|(k, _)| k.as_str() == "all"))
    {
        if a.guessed > 0 {
            println!(
                "{:<12} {:>8} {:>8} {:>10.3}",
                kind, a.with_guesses, a.guessed, a.guess_precision
            );
        }
    }
    if let Some(kind) = misses {
        println!();
        for ((qid, k, a, _), q) in report.queries.iter().zip(&qs) {
            if (kind == "all" || kind == k) && a.recall < 1.0 {
                let ids = engine
                    .rank_ids(&kazsearch::search::SearchParams {
                        limit: 10,
                        ..kazsearch::search::SearchParams::new(q.query.clone())
                    })
                    .unwrap_or_default();
                println!(
                    "{qid} {k} {:?} recall {:.2} rel {} top: {}",
                    q.query,
                    a.recall,
                    q.relevant.len(),
                    ids.iter()
                        .map(|id| if q.relevant.contains(id) {
                            format!("+{id}")
                        } else if q.decoys.contains(id) {
                            format!("!{id}")
                        } else {
                            id.clone()
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
        }
    }
    Ok(())
}

/// `kazsearch eval --mixed N CORPUS`: mixed-word queries drawn from the corpus.
pub fn mixed(index: &Path, aliases: &AliasArg, n: usize, json: bool, corpus: &Path) -> Result<()> {
    let engine = Engine::open(IndexDir::new(index), super::aliases(aliases)?)?;
    let mut articles = Vec::new();
    for rec in kazsearch::ingest::Reader::new(vec![corpus.to_path_buf()]) {
        articles.push(rec?.article);
    }
    let qs = kazsearch::mixed::queries(&articles, n, 1);
    let t = Instant::now();
    let r = kazsearch::mixed::evaluate(&engine, &qs)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    println!(
        "{} mixed-word queries from {} articles, over {} indexed, in {:.1}s",
        r.queries,
        articles.len(),
        engine.num_docs(),
        t.elapsed().as_secs_f64()
    );
    println!(
        "no result: {} ({:.1} %); some article holds two of the words: {}; first hit holds two: {} ({:.1} %)",
        r.zero,
        100.0 * r.zero_share(),
        r.two_possible,
        r.two_first,
        100.0 * r.two_first_share()
    );
    Ok(())
}
