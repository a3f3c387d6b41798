//! `kazsearch eval`: judged queries through the search path, next to a plain baseline.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use kazsearch::eval::{self, Baseline};
use kazsearch::search::{Engine, SearchApi, SearchParams};
use kazsearch::store::IndexDir;

use crate::cli::{AliasArg, EngineArg};

#[allow(clippy::too_many_arguments)]
pub fn run(
    index: &Path,
    engine_arg: &EngineArg,
    compare: bool,
    aliases: &AliasArg,
    with_baseline: bool,
    json: bool,
    misses: Option<&str>,
    queries: &Path,
) -> Result<()> {
    let opensearch = engine_arg.engine == crate::cli::Engine::Opensearch;
    if compare && !opensearch {
        anyhow::bail!(
            "--compare runs the embedded engine (--index) next to a cluster: give --engine opensearch too"
        );
    }
    // The embedded engine: searched, or compared against, or (when --index holds one) the
    // baselines' articles.
    let has_index = || IndexDir::new(index).current().ok().flatten().is_some();
    let embedded = if !opensearch || compare || (with_baseline && has_index()) {
        Some(Engine::open(
            IndexDir::new(index),
            super::aliases(aliases)?,
        )?)
    } else {
        None
    };
    let cluster = if opensearch {
        Some(super::open_engine(index, engine_arg, aliases)?)
    } else {
        None
    };
    let engine: &dyn SearchApi = match (&cluster, &embedded) {
        (Some(c), _) => &**c,
        (None, Some(e)) => e,
        (None, None) => anyhow::bail!("no engine to evaluate"),
    };
    if let (true, Some(embedded)) = (compare, &embedded) {
        return compare_engines(engine, embedded, queries);
    }
    let for_baseline = embedded.as_ref().filter(|_| with_baseline);
    if kazsearch::qa_eval::is_qa_file(queries)? {
        return super::qa_eval::run(engine, for_baseline, json, queries);
    }
    let qs = eval::read_queries(queries)?;
    let t = Instant::now();
    let baseline = match for_baseline {
        Some(e) => Some(Baseline::build(&e.snapshot())?),
        None => None,
    };
    let built = t.elapsed();
    let t = Instant::now();
    let report = eval::run(engine, &qs, baseline.as_ref())?;
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

/// `eval --engine opensearch --compare`: the same queries through the cluster and the
/// embedded engine, the figures side by side, and how far their top 10s agree.
fn compare_engines(os: &dyn SearchApi, embedded: &Engine, queries: &Path) -> Result<()> {
    // (kind, query) of every judged query, and each engine's figures by kind.
    let (items, rows): (
        Vec<(String, String)>,
        Vec<(String, usize, f64, f64, String)>,
    ) = if kazsearch::qa_eval::is_qa_file(queries)? {
        let qs = kazsearch::qa_eval::read_questions(queries)?;
        let a = kazsearch::qa_eval::run(embedded, &qs, &[])?;
        let b = kazsearch::qa_eval::run(os, &qs, &[])?;
        let items = qs
            .iter()
            .map(|q| ("kazqad".to_string(), q.question.clone()))
            .collect();
        let rows = vec![
            (
                "kazqad R@10".to_string(),
                qs.len(),
                a.kazsearch.recall,
                b.kazsearch.recall,
                String::new(),
            ),
            (
                "kazqad nDCG@10".to_string(),
                qs.len(),
                a.kazsearch.ndcg,
                b.kazsearch.ndcg,
                String::new(),
            ),
        ];
        (items, rows)
    } else {
        let qs = eval::read_queries(queries)?;
        let a = eval::run(embedded, &qs, None)?;
        let b = eval::run(os, &qs, None)?;
        let items = qs
            .iter()
            .map(|q| (q.kind.clone(), q.query.clone()))
            .collect();
        let mut rows = Vec::new();
        let mut kinds: Vec<&String> = a.kinds.keys().filter(|k| *k != "all").collect();
        let all = "all".to_string();
        kinds.push(&all);
        for k in kinds {
            let (Some((ea, _)), Some((eb, _))) = (a.kinds.get(k), b.kinds.get(k)) else {
                continue;
            };
            rows.push((
                k.clone(),
                ea.n,
                ea.recall,
                eb.recall,
                format!("{:.3} {:.3}", ea.mrr, eb.mrr),
            ));
        }
        (items, rows)
    };
    // Top-10 overlap, per kind.
    let mut overlap: std::collections::BTreeMap<String, (f64, usize)> = Default::default();
    let (mut failed, mut bad) = (0, 0);
    for (kind, q) in &items {
        let p = SearchParams {
            limit: 10,
            ..SearchParams::new(q.clone())
        };
        let (a, b) = match (embedded.rank_ids(&p), os.rank_ids(&p)) {
            (Ok(a), Ok(b)) => (a, b),
            // A query both refuse (it does not parse): the same answer.
            (Err(_), Err(_)) => {
                bad += 1;
                continue;
            }
            _ => {
                failed += 1;
                continue;
            }
        };
        // Queries with fewer than 10 hits count the overlap of what there is, out of the
        // longer list (both empty: full agreement).
        let n = a.len().max(b.len());
        let common = a.iter().filter(|id| b.contains(id)).count();
        let c = if n == 0 {
            10.0
        } else {
            10.0 * common as f64 / n as f64
        };
        for k in [kind.as_str(), "all"] {
            let e = overlap.entry(k.to_string()).or_default();
            e.0 += c;
            e.1 += 1;
        }
    }
    println!(
        "{} queries; embedded {} articles, OpenSearch {} articles",
        items.len(),
        embedded.num_docs(),
        os.num_docs()
    );
    println!(
        "{:<16} {:>5} | {:>8} {:>8} {:>7} | {:>15} | {:>11}",
        "kind", "n", "embedded", "cluster", "diff", "MRR emb/cluster", "top-10 same"
    );
    for (kind, n, a, b, extra) in rows {
        let key = kind.split_whitespace().next().unwrap_or("").to_string();
        let ov = overlap
            .get(&key)
            .map(|(c, n)| format!("{:.2}/10", c / (*n).max(1) as f64))
            .unwrap_or_default();
        println!(
            "{:<16} {:>5} | {:>8.3} {:>8.3} {:>+7.3} | {:>15} | {:>11}",
            kind,
            n,
            a,
            b,
            b - a,
            extra,
            ov
        );
    }
    if failed > 0 {
        println!("{failed} queries failed on one engine only (not counted in the overlap)");
    }
    if bad > 0 {
        println!("{bad} queries refused by both engines (not counted in the overlap)");
    }
    Ok(())
}
