//! Scoring question answering retrieval on the KazQAD format: each question has the passage
//! that answers it, and kazsearch is scored with R@10, nDCG@10, MRR@10 and the share of
//! questions that get no result at all — beside plain BM25 baselines built in the same run
//! over the same passages (an OR of the question's words, ranked by tantivy's BM25):
//!
//! - whole words (`\w+` runs, lowercased),
//! - every word cut to its first 5 letters (a crude stem),
//! - every word reduced to kazsearch's own stem view ([`crate::analysis::stem`]), which
//!   measures the stemmer apart from kazsearch's ranking.
//!
//! The query file is a TSV with a header: `query_id`, `question_kk`, `relevant_doc_id`,
//! `answer` (`../shared/data/kazqad-dev-queries.tsv`). Rows sharing a `query_id` add
//! relevant passages to one question.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{doc, Index, TantivyDocument, Term};

use crate::analysis::{fold, stem};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::search::{SearchApi, SearchParams};
use crate::store::Snapshot;

/// Ranks considered.
pub const K: usize = 10;

/// The columns a KazQAD query file starts with.
const HEADER: [&str; 4] = ["query_id", "question_kk", "relevant_doc_id", "answer"];

/// One question and the passages that answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Query id.
    pub qid: String,
    /// The question text.
    pub question: String,
    /// The passages that answer it.
    pub relevant: Vec<String>,
}

/// True when `path` holds KazQAD questions: a `.tsv` name, or a first line that is the
/// KazQAD header. (The names set is JSONL, one object per line.)
pub fn is_qa_file(path: &Path) -> Result<bool> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
    {
        return Ok(true);
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok(text
        .lines()
        .next()
        .is_some_and(|l| l.trim_start_matches('\u{feff}').starts_with("query_id\t")))
}

/// Reads a KazQAD query file; errors name the line.
pub fn read_questions(path: &Path) -> Result<Vec<Question>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_questions(path, &text)
}

/// Parses the text of a KazQAD query file (`path` is only for error messages).
pub fn parse_questions(path: &Path, text: &str) -> Result<Vec<Question>> {
    let bad = |line: usize, reason: String| Error::BadArticle {
        path: path.to_path_buf(),
        line: line as u64 + 1,
        reason,
    };
    let mut out: Vec<Question> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if i == 0 && cols.first() == Some(&HEADER[0]) {
            continue;
        }
        if cols.len() < 3 {
            return Err(bad(
                i,
                format!(
                    "expected the tab-separated columns {}; found {} column(s)",
                    HEADER.join(", "),
                    cols.len()
                ),
            ));
        }
        let (qid, question, rel) = (cols[0].trim(), unquote(cols[1].trim()), cols[2].trim());
        let question = question.as_str();
        if qid.is_empty() || question.is_empty() || rel.is_empty() {
            return Err(bad(
                i,
                "query_id, question_kk and relevant_doc_id must not be empty".into(),
            ));
        }
        match out.iter_mut().find(|q| q.qid == qid) {
            Some(q) if q.question != question => {
                return Err(bad(
                    i,
                    format!("query_id {qid:?} appears earlier with another question"),
                ))
            }
            Some(q) => {
                if !q.relevant.iter().any(|r| r == rel) {
                    q.relevant.push(rel.to_string());
                }
            }
            None => out.push(Question {
                qid: qid.to_string(),
                question: question.to_string(),
                relevant: vec![rel.to_string()],
            }),
        }
    }
    Ok(out)
}

/// A field in CSV-style quotes (`"a ""b"" c"`) without them (`a "b" c`); any other field
/// as it is.
fn unquote(field: &str) -> String {
    match field
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .filter(|_| field.len() >= 2)
    {
        Some(inner) => inner.replace("\"\"", "\""),
        None => field.to_string(),
    }
}

/// The scores of one question's ranking.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QaScore {
    /// |relevant ∩ top K| / min(|relevant|, K).
    pub recall: f64,
    /// DCG@K over the ideal DCG@K (binary relevance, gain 1 / log2(rank + 1)).
    pub ndcg: f64,
    /// 1 / rank of the first relevant passage in the top K, or 0.
    pub rr: f64,
    /// The system returned nothing at all.
    pub empty: bool,
}

/// Scores `ranking` (ids, best first) against `relevant`.
pub fn score(relevant: &[String], ranking: &[String]) -> QaScore {
    let rel: HashSet<&str> = relevant.iter().map(String::as_str).collect();
    let gain = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let top = &ranking[..ranking.len().min(K)];
    let mut dcg = 0.0;
    let mut hits = 0;
    let mut first = None;
    let mut seen = HashSet::new();
    for (r, id) in top.iter().enumerate() {
        if rel.contains(id.as_str()) && seen.insert(id.as_str()) {
            dcg += gain(r);
            hits += 1;
            first.get_or_insert(r);
        }
    }
    let ideal: f64 = (0..rel.len().min(K)).map(gain).sum();
    let denom = rel.len().clamp(1, K);
    QaScore {
        recall: hits as f64 / denom as f64,
        ndcg: if ideal > 0.0 { dcg / ideal } else { 0.0 },
        rr: first.map_or(0.0, |r| 1.0 / (r + 1) as f64),
        empty: ranking.is_empty(),
    }
}

/// Averages over the questions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QaSummary {
    /// Questions.
    pub n: usize,
    /// Mean capped recall@K.
    pub recall: f64,
    /// Mean nDCG@K.
    pub ndcg: f64,
    /// Mean reciprocal rank @K.
    pub mrr: f64,
    /// Share of questions with no result at all.
    pub no_result: f64,
}

impl QaSummary {
    /// Summarises scores.
    pub fn of(scores: &[QaScore]) -> QaSummary {
        let n = scores.len();
        if n == 0 {
            return QaSummary::default();
        }
        let mean = |f: fn(&QaScore) -> f64| scores.iter().map(f).sum::<f64>() / n as f64;
        QaSummary {
            n,
            recall: mean(|s| s.recall),
            ndcg: mean(|s| s.ndcg),
            mrr: mean(|s| s.rr),
            no_result: mean(|s| f64::from(u8::from(s.empty))),
        }
    }
}

/// How a BM25 baseline turns a lowercased word into its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cut {
    /// The whole word.
    Whole,
    /// The first five letters.
    Prefix5,
    /// kazsearch's Kazakh stem view of the folded word.
    KazsearchStem,
}

impl Cut {
    /// Every baseline, in the order they are reported.
    pub const ALL: [Cut; 3] = [Cut::Whole, Cut::Prefix5, Cut::KazsearchStem];

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Cut::Whole => "BM25 whole words",
            Cut::Prefix5 => "BM25 5-letter cut",
            Cut::KazsearchStem => "BM25 kazsearch stem",
        }
    }
}

/// The terms of `text` under `cut`: runs of letters, digits and `_` (as `\w+`), lowercased,
/// then cut.
///
/// ```
/// use kazsearch::qa_eval::{terms, Cut};
/// assert_eq!(terms("АТФ-ны ағзалардың", Cut::Whole), ["атф", "ны", "ағзалардың"]);
/// assert_eq!(terms("ағзалардың", Cut::Prefix5), ["ағзал"]);
/// assert_eq!(terms("ағзалардың", Cut::KazsearchStem), ["ағза"]);
/// ```
pub fn terms(text: &str, cut: Cut) -> Vec<String> {
    let mut folded = String::new();
    let mut stemmed = String::new();
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| match cut {
            Cut::Whole => w.to_lowercase(),
            Cut::Prefix5 => w.to_lowercase().chars().take(5).collect(),
            Cut::KazsearchStem => {
                fold::fold(w, &mut folded);
                stem::stem(Lang::Kk, &folded, &mut stemmed);
                stemmed.clone()
            }
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// A plain BM25 baseline: the passages' title and body in one field of a RAM index, terms
/// made by [`terms`], queried with an OR of the question's terms.
pub struct Bm25 {
    cut: Cut,
    index: Index,
    id: tantivy::schema::Field,
    text: tantivy::schema::Field,
}

impl Bm25 {
    /// Builds it from every article of `snap`.
    pub fn build(snap: &Snapshot, cut: Cut) -> Result<Bm25> {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | STORED);
        let text = b.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("ws")
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let index = Index::create_in_ram(b.build());
        index
            .tokenizers()
            .register("ws", TextAnalyzer::from(WhitespaceTokenizer::default()));
        let mut writer = index.writer::<TantivyDocument>(50_000_000)?;
        let f = &snap.fields;
        snap.for_each_stored(|get| {
            let mut all = String::new();
            for field in f.title.iter().chain(&f.body) {
                all.push_str(&get(*field));
                all.push('\n');
            }
            writer.add_document(doc!(id => get(f.id), text => terms(&all, cut).join(" ")))?;
            Ok(())
        })?;
        writer.commit()?;
        Ok(Bm25 {
            cut,
            index,
            id,
            text,
        })
    }

    /// The baseline's ranking of ids for `question`, at most `depth` long.
    pub fn rank(&self, question: &str, depth: usize) -> Result<Vec<String>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms(question, self.cut)
            .into_iter()
            .map(|t| {
                let q = TermQuery::new(
                    Term::from_field_text(self.text, &t),
                    IndexRecordOption::WithFreqs,
                );
                (Occur::Should, Box::new(q) as Box<dyn Query>)
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(depth.max(1)).order_by_score(),
        )?;
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = d.get_first(self.id).and_then(|v| v.as_str()) {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }
}

/// One question's scores: kazsearch's, then each baseline's in [`Cut::ALL`] order.
#[derive(Debug, Clone, Serialize)]
pub struct QaQuestion {
    /// Query id.
    pub qid: String,
    /// kazsearch's scores.
    pub kazsearch: QaScore,
    /// The baselines' scores.
    pub baselines: Vec<QaScore>,
}

/// A baseline's summary, with its name.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineSummary {
    /// Which baseline.
    pub cut: Cut,
    /// Its figures.
    #[serde(flatten)]
    pub summary: QaSummary,
}

/// The figures of a KazQAD run.
#[derive(Debug, Clone, Serialize)]
pub struct QaReport {
    /// kazsearch.
    pub kazsearch: QaSummary,
    /// The BM25 baselines built in the same run (empty with `--no-baseline`).
    pub baselines: Vec<BaselineSummary>,
    /// kazsearch's nDCG@10 over the 5-letter-cut baseline's (the issue 10 target is 1.05).
    pub ndcg_vs_prefix5: Option<f64>,
    /// Every question's scores.
    pub questions: Vec<QaQuestion>,
}

/// Runs every question through kazsearch's search path and through `baselines`.
pub fn run(engine: &dyn SearchApi, questions: &[Question], baselines: &[Bm25]) -> Result<QaReport> {
    let mut out = Vec::with_capacity(questions.len());
    for q in questions {
        let ours = match engine.rank_ids(&SearchParams {
            limit: K,
            ..SearchParams::new(q.question.clone())
        }) {
            Ok(ids) => ids,
            Err(Error::BadQuery { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut base = Vec::with_capacity(baselines.len());
        for b in baselines {
            base.push(score(&q.relevant, &b.rank(&q.question, K)?));
        }
        out.push(QaQuestion {
            qid: q.qid.clone(),
            kazsearch: score(&q.relevant, &ours),
            baselines: base,
        });
    }
    let ours: Vec<QaScore> = out.iter().map(|q| q.kazsearch).collect();
    let kazsearch = QaSummary::of(&ours);
    let summaries: Vec<BaselineSummary> = baselines
        .iter()
        .enumerate()
        .map(|(i, b)| BaselineSummary {
            cut: b.cut,
            summary: QaSummary::of(&out.iter().map(|q| q.baselines[i]).collect::<Vec<_>>()),
        })
        .collect();
    let ndcg_vs_prefix5 = summaries
        .iter()
        .find(|b| b.cut == Cut::Prefix5 && b.summary.ndcg > 0.0)
        .map(|b| kazsearch.ndcg / b.summary.ndcg);
    Ok(QaReport {
        kazsearch,
        baselines: summaries,
        ndcg_vs_prefix5,
        questions: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scoring_table() {
        let g = |r: f64| 1.0 / (r + 1.0).log2();
        // (relevant, ranking, recall, ndcg, rr, empty)
        let cases = [
            (ids(&["a"]), ids(&["a", "x"]), 1.0, 1.0, 1.0, false),
            (ids(&["a"]), ids(&["x", "a"]), 1.0, g(2.0), 0.5, false),
            (ids(&["a"]), ids(&["x"]), 0.0, 0.0, 0.0, false),
            (ids(&["a"]), ids(&[]), 0.0, 0.0, 0.0, true),
            (
                ids(&["a", "b"]),
                ids(&["x", "b"]),
                0.5,
                g(2.0) / (1.0 + g(2.0)),
                0.5,
                false,
            ),
        ];
        for (rel, ranking, recall, ndcg, rr, empty) in cases {
            let s = score(&rel, &ranking);
            assert_eq!(
                (s.recall, s.rr, s.empty),
                (recall, rr, empty),
                "{ranking:?}"
            );
            assert!((s.ndcg - ndcg).abs() < 1e-12, "{ranking:?}: {}", s.ndcg);
        }
        // Beyond rank 10 nothing counts.
        let mut late = ids(&["x"; 10]);
        late.push("a".into());
        assert_eq!(score(&ids(&["a"]), &late).recall, 0.0);
        let s = QaSummary::of(&[score(&ids(&["a"]), &ids(&["a"])), score(&ids(&["a"]), &[])]);
        assert_eq!((s.n, s.recall, s.ndcg, s.no_result), (2, 0.5, 0.5, 0.5));
    }

    #[test]
    fn parsing() {
        let p = Path::new("q.tsv");
        let text = "query_id\tquestion_kk\trelevant_doc_id\tanswer\n\
                    q1\tФинка дегеніміз не?\tkazqad-1\tдернәсіл\n\
                    \n\
                    q2\t\"Сұрақ (\"\"кітап\"\")?\"\tkazqad-2\t\n\
                    q1\tФинка дегеніміз не?\tkazqad-3\tx\r\n";
        let qs = parse_questions(p, text).unwrap();
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].relevant, ids(&["kazqad-1", "kazqad-3"]));
        assert_eq!(qs[1].question, "Сұрақ (\"кітап\")?");
        for (text, line) in [
            (
                "query_id\tquestion_kk\trelevant_doc_id\tanswer\nq1 only\n",
                2,
            ),
            ("q1\t\tkazqad-1\ta\n", 1),
            ("q1\tA?\tk1\ta\nq1\tB?\tk2\ta\n", 2),
        ] {
            let e = parse_questions(p, text).unwrap_err().to_string();
            assert!(e.starts_with(&format!("q.tsv:{line}: ")), "{e}");
        }
    }

    #[test]
    fn cuts() {
        assert_eq!(terms("Қышқылы, H2O_x!", Cut::Whole), ["қышқылы", "h2o_x"]);
        assert_eq!(terms("Қышқылы ел", Cut::Prefix5), ["қышқы", "ел"]);
        assert_eq!(terms("Қышқылы", Cut::KazsearchStem), ["қышқыл"]);
    }
}
