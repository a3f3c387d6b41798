//! Issue 10, parts 3 and 4: `kazsearch eval` on KazQAD questions (a TSV of query_id,
//! question_kk, relevant_doc_id, answer) and the dev-set floor for Kazakh questions, measured
//! beside the 5-letter-cut BM25 baseline of the same run.

use serde_json::Value;

use kazsearch::qa_eval::{self, Bm25, Cut};

use crate::common::{run, shared_data, write_jsonl};
use crate::matching::engine_over;

#[test]
fn eval_reads_kazqad_questions() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_jsonl(
        dir.path(),
        "qa.jsonl",
        &[
            r#"{"id":"p1","lang":"kk","title":"Аденозинүшфосфор қышқылы","body":"АТФ ағзалардың бүкіл пайдалы энергиясы іс жүзінде сол арқылы өтетін зат."}"#,
            r#"{"id":"p2","lang":"kk","title":"Сиыр цепені","body":"Финка сиыр цепенінің екінші дернәсілі. Ол бұлшық етте тіршілік етеді."}"#,
            r#"{"id":"p3","lang":"kk","title":"Алматы","body":"Алматы Қазақстандағы ең үлкен қала, тау етегінде орналасқан."}"#,
        ],
    );
    let idx = dir.path().join("idx");
    let idx = idx.to_str().unwrap();
    let (ok, _, err) = run(&["index", "--index", idx, corpus.to_str().unwrap()]);
    assert!(ok, "{err}");
    let tsv = dir.path().join("q.tsv");
    std::fs::write(
        &tsv,
        "query_id\tquestion_kk\trelevant_doc_id\tanswer\n\
         q1\tАғза қышқылы\tp1\tАТФ\n\
         q2\t\"Финка (\"\"цепен\"\")\"\tp2\tдернәсіл\n\
         q2\t\"Финка (\"\"цепен\"\")\"\tp9\tдернәсіл\n",
    )
    .unwrap();
    let (ok, out, err) = run(&["eval", "--index", idx, "--json", tsv.to_str().unwrap()]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["kazsearch"]["n"], 2, "{out}");
    assert_eq!(v["kazsearch"]["no_result"], 0.0, "{out}");
    // q1 found at rank 1; q2 finds one of its two passages.
    assert_eq!(v["kazsearch"]["recall"], 0.75, "{out}");
    let cuts: Vec<&str> = v["baselines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["cut"].as_str().unwrap())
        .collect();
    assert_eq!(cuts, ["whole", "prefix5", "kazsearch-stem"]);
    assert!(v["ndcg_vs_prefix5"].as_f64().is_some(), "{out}");
    // The table for a person names every system.
    let (ok, out, err) = run(&["eval", "--index", idx, tsv.to_str().unwrap()]);
    assert!(ok, "{err}");
    for s in [
        "kazsearch",
        "BM25 whole words",
        "BM25 5-letter cut",
        "nDCG@10",
    ] {
        assert!(out.contains(s), "{s}: {out}");
    }
    // A bad row is named by file and line.
    std::fs::write(
        &tsv,
        "query_id\tquestion_kk\trelevant_doc_id\tanswer\nq1 only\n",
    )
    .unwrap();
    let (ok, _, err) = run(&["eval", "--index", idx, tsv.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("q.tsv:2:"), "{err}");
}

/// KazQAD dev (../shared/data): Kazakh questions over 697 Wikipedia passages, each question
/// with the passages that answer it.
#[test]
fn kazqad_dev_set_floor() {
    let Some(data) = shared_data() else { return };
    let (_dir, engine) = engine_over(kazsearch::ingest::Reader::new(vec![
        data.join("kazqad.jsonl")
    ]));
    let qs = qa_eval::read_questions(&data.join("kazqad-dev-queries.tsv")).unwrap();
    let prefix5 = Bm25::build(&engine.snapshot(), Cut::Prefix5).unwrap();
    let report = qa_eval::run(&engine, &qs, &[prefix5]).unwrap();
    let (k, b) = (&report.kazsearch, &report.baselines[0].summary);
    eprintln!(
        "kazqad dev: n={} R@10={:.3} nDCG@10={:.3} MRR@10={:.3} no result={:.3}; \
         5-letter BM25 R@10={:.3} nDCG@10={:.3}",
        k.n, k.recall, k.ndcg, k.mrr, k.no_result, b.recall, b.ndcg
    );
    // The baseline is what the issue measured; the harness is sound.
    assert!(b.ndcg > 0.70 && b.recall > 0.85, "baseline {b:?}");
    assert!(k.recall >= FLOOR_RECALL, "R@10 slipped: {k:?}");
    assert!(
        k.ndcg >= FLOOR_NDCG_RATIO * b.ndcg,
        "nDCG@10 slipped under {FLOOR_NDCG_RATIO} x the 5-letter BM25 ({:.3}): {k:?}",
        b.ndcg
    );
    assert!(
        k.no_result <= FLOOR_NO_RESULT,
        "questions without a result: {k:?}"
    );
}

/// The floors: the issue 10 targets, nDCG@10 ≥ 1.05 × the 5-letter BM25 of the same run and
/// R@10 ≥ 0.90. When they were set the code had R@10 0.904, nDCG@10 0.790 (1.056 ×), 0.4 %
/// without a result.
const FLOOR_RECALL: f64 = 0.90;
const FLOOR_NDCG_RATIO: f64 = 1.05;
/// Under 1 % of the questions without a result (the issue 10 target).
const FLOOR_NO_RESULT: f64 = 0.01;
