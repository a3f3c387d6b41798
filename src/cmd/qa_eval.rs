//! `kazsearch eval` on KazQAD questions (a .tsv): kazsearch next to plain BM25 baselines.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use kazsearch::qa_eval::{self, Bm25, Cut, QaSummary};
use kazsearch::search::{Engine, SearchApi};

/// Runs the KazQAD evaluation of `queries` over `engine` and prints it; the baselines are
/// built from `embedded`'s articles when given.
pub fn run(
    engine: &dyn SearchApi,
    embedded: Option<&Engine>,
    json: bool,
    queries: &Path,
) -> Result<()> {
    let qs = qa_eval::read_questions(queries)?;
    let t = Instant::now();
    let baselines = if let Some(embedded) = embedded {
        let snap = embedded.snapshot();
        Cut::ALL
            .iter()
            .map(|&cut| Bm25::build(&snap, cut))
            .collect::<kazsearch::Result<Vec<_>>>()?
    } else {
        Vec::new()
    };
    let built = t.elapsed();
    let t = Instant::now();
    let report = qa_eval::run(engine, &qs, &baselines)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "{} questions, {} articles; baselines built in {:.1}s, questions run in {:.1}s",
        qs.len(),
        engine.num_docs(),
        built.as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    println!(
        "{:<20} {:>7} {:>8} {:>7} {:>10}",
        "system", "R@10", "nDCG@10", "MRR@10", "no result"
    );
    let row = |name: &str, s: &QaSummary| {
        println!(
            "{:<20} {:>7.3} {:>8.3} {:>7.3} {:>9.1}%",
            name,
            s.recall,
            s.ndcg,
            s.mrr,
            100.0 * s.no_result
        );
    };
    row("kazsearch", &report.kazsearch);
    for b in &report.baselines {
        row(b.cut.label(), &b.summary);
    }
    if let Some(r) = report.ndcg_vs_prefix5 {
        println!("kazsearch nDCG@10 / 5-letter BM25: {r:.3}");
    }
    Ok(())
}
