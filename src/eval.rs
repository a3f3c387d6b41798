//! Scoring judged queries: capped recall@10, MRR@10, the share of queries with nothing
//! relevant in the top 10, the share whose decoys outrank every relevant article, and the
//! precision of guesses (sound-alike and near-spelling hits on the first page that are judged
//! relevant) — for kazsearch and, in the same run, for a plain baseline (tantivy's default
//! tokenizer over the same articles).
//!
//! The query file is the format of `../shared/data/eval/dev-queries.jsonl`:
//! `{"qid","query","kind","relevant":[ids],"decoys":[ids],"unjudged":[ids]}`. A query's
//! unjudged ids are dropped from its ranking before scoring.

pub mod names;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, Value, STORED, STRING, TEXT};
use tantivy::{doc, Index, TantivyDocument};

use crate::error::{Error, Result};
use crate::search::{SearchApi, SearchParams};
use crate::store::Snapshot;

/// Ranks considered.
pub const K: usize = 10;

/// One judged query.
#[derive(Debug, Clone, Deserialize)]
pub struct JudgedQuery {
    /// Query id.
    pub qid: String,
    /// The query text.
    pub query: String,
    /// Its kind (kk-cyr, ru-icao…).
    pub kind: String,
    /// Relevant article ids.
    pub relevant: Vec<String>,
    /// Articles naming a different entity one letter away.
    #[serde(default)]
    pub decoys: Vec<String>,
    /// Articles to ignore.
    #[serde(default)]
    pub unjudged: Vec<String>,
}

/// Reads a judged query file; errors name the line.
pub fn read_queries(path: &Path) -> Result<Vec<JudgedQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| Error::BadArticle {
                path: path.to_path_buf(),
                line: i as u64 + 1,
                reason: format!("not a judged query: {e}"),
            })
        })
        .collect()
}

/// The scores of one query's ranking.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QueryScore {
    /// |relevant ∩ top K| / min(|relevant|, K).
    pub recall: f64,
    /// 1 / rank of the first relevant article in the top K, or 0.
    pub rr: f64,
    /// Nothing relevant in the top K.
    pub zero: bool,
    /// For queries with decoys: a decoy ranks above every relevant article (in the top K).
    pub decoy_first: Option<bool>,
    /// Guessed hits (sound-alike or near spelling) in the top K.
    pub guessed: u32,
    /// Of those, the ones judged relevant.
    pub guessed_relevant: u32,
}

/// Scores `ranking` (ids, best first, as long as available) for `q`.
pub fn score(q: &JudgedQuery, ranking: &[String]) -> QueryScore {
    score_with_guesses(q, ranking, &HashSet::new())
}

/// Scores `ranking` for `q`, where the ids in `guessed` were found only as guesses (sound-alike
/// or near spelling).
pub fn score_with_guesses(
    q: &JudgedQuery,
    ranking: &[String],
    guessed: &HashSet<&str>,
) -> QueryScore {
    let unjudged: HashSet<&str> = q.unjudged.iter().map(String::as_str).collect();
    let relevant: HashSet<&str> = q.relevant.iter().map(String::as_str).collect();
    let decoys: HashSet<&str> = q.decoys.iter().map(String::as_str).collect();
    let top: Vec<&str> = ranking
        .iter()
        .map(String::as_str)
        .filter(|id| !unjudged.contains(id))
        .take(K)
        .collect();
    let hits = top.iter().filter(|id| relevant.contains(*id)).count();
    let first_rel = top.iter().position(|id| relevant.contains(id));
    let first_decoy = top.iter().position(|id| decoys.contains(id));
    let denom = relevant.len().clamp(1, K);
    let guesses: Vec<&&str> = top.iter().filter(|id| guessed.contains(*id)).collect();
    QueryScore {
        guessed: guesses.len() as u32,
        guessed_relevant: guesses.iter().filter(|id| relevant.contains(**id)).count() as u32,
        recall: if relevant.is_empty() {
            0.0
        } else {
            hits as f64 / denom as f64
        },
        rr: first_rel.map_or(0.0, |r| 1.0 / (r + 1) as f64),
        zero: first_rel.is_none(),
        decoy_first: (!decoys.is_empty()).then_some(match (first_decoy, first_rel) {
            (Some(d), Some(r)) => d < r,
            (Some(_), None) => true,
            _ => false,
        }),
    }
}

/// Averages over a set of queries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Queries.
    pub n: usize,
    /// Mean capped recall@K.
    pub recall: f64,
    /// Mean reciprocal rank @K.
    pub mrr: f64,
    /// Share of queries with nothing relevant in the top K.
    pub zero: f64,
    /// Queries that have decoys.
    pub with_decoys: usize,
    /// Share of those whose decoys outrank every relevant article.
    pub decoy_first: f64,
    /// Queries with a guessed hit in the top K.
    pub with_guesses: usize,
    /// Guessed hits in the top K over all queries.
    pub guessed: u64,
    /// Share of those judged relevant (0 when there are none).
    pub guess_precision: f64,
}

impl Summary {
    /// Summarises scores.
    pub fn of(scores: &[QueryScore]) -> Summary {
        let n = scores.len();
        if n == 0 {
            return Summary::default();
        }
        let d: Vec<bool> = scores.iter().filter_map(|s| s.decoy_first).collect();
        let guessed: u64 = scores.iter().map(|s| u64::from(s.guessed)).sum();
        let guessed_relevant: u64 = scores.iter().map(|s| u64::from(s.guessed_relevant)).sum();
        Summary {
            with_guesses: scores.iter().filter(|s| s.guessed > 0).count(),
            guessed,
            guess_precision: if guessed == 0 {
                0.0
            } else {
                guessed_relevant as f64 / guessed as f64
            },
            n,
            recall: scores.iter().map(|s| s.recall).sum::<f64>() / n as f64,
            mrr: scores.iter().map(|s| s.rr).sum::<f64>() / n as f64,
            zero: scores.iter().filter(|s| s.zero).count() as f64 / n as f64,
            with_decoys: d.len(),
            decoy_first: if d.is_empty() {
                0.0
            } else {
                d.iter().filter(|x| **x).count() as f64 / d.len() as f64
            },
        }
    }
}

/// Per-kind and overall summaries for kazsearch and the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// kind → (kazsearch, baseline); the key "all" holds the overall figures.
    pub kinds: BTreeMap<String, (Summary, Summary)>,
    /// Every query's scores: (qid, kind, kazsearch, baseline).
    pub queries: Vec<(String, String, QueryScore, QueryScore)>,
}

/// Runs every query through kazsearch's search path and through the baseline.
pub fn run(
    engine: &dyn SearchApi,
    queries: &[JudgedQuery],
    baseline: Option<&Baseline>,
) -> Result<Report> {
    let mut queries_out = Vec::new();
    for q in queries {
        let depth = K + q.unjudged.len();
        // The search itself (not only its ids): it says which hits are guesses.
        let hits = match engine.search(&SearchParams {
            limit: depth,
            ..SearchParams::new(q.query.clone())
        }) {
            Ok(r) => r.hits,
            Err(Error::BadQuery { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
        let ours: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
        let guessed: HashSet<&str> = hits
            .iter()
            .filter(|h| h.near)
            .map(|h| h.id.as_str())
            .collect();
        let base = match baseline {
            Some(b) => b.rank(&q.query, depth)?,
            None => Vec::new(),
        };
        queries_out.push((
            q.qid.clone(),
            q.kind.clone(),
            score_with_guesses(q, &ours, &guessed),
            score(q, &base),
        ));
    }
    let mut kinds: BTreeMap<String, (Vec<QueryScore>, Vec<QueryScore>)> = BTreeMap::new();
    for (_, kind, a, b) in &queries_out {
        for k in [kind.as_str(), "all"] {
            let e = kinds.entry(k.to_string()).or_default();
            e.0.push(*a);
            e.1.push(*b);
        }
    }
    Ok(Report {
        kinds: kinds
            .into_iter()
            .map(|(k, (a, b))| (k, (Summary::of(&a), Summary::of(&b))))
            .collect(),
        queries: queries_out,
    })
}

/// The plain baseline: the same articles in a RAM index with tantivy's default tokenizer,
/// title and body fields, all words required.
pub struct Baseline {
    index: Index,
    id: tantivy::schema::Field,
    title: tantivy::schema::Field,
    body: tantivy::schema::Field,
}

impl Baseline {
    /// Builds it from every article of `snap`.
    pub fn build(snap: &Snapshot) -> Result<Baseline> {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | STORED);
        let title = b.add_text_field("title", TEXT);
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut writer = index.writer::<TantivyDocument>(100_000_000)?;
        let f = &snap.fields;
        snap.for_each_stored(|text| {
            let first = |fs: &[tantivy::schema::Field; 3]| {
                fs.iter()
                    .map(|&x| text(x))
                    .find(|s| !s.is_empty())
                    .unwrap_or_default()
            };
            writer.add_document(
                doc!(id => text(f.id), title => first(&f.title), body => first(&f.body)),
            )?;
            Ok(())
        })?;
        writer.commit()?;
        Ok(Baseline {
            index,
            id,
            title,
            body,
        })
    }

    /// The baseline's ranking of ids for `q`.
    pub fn rank(&self, q: &str, depth: usize) -> Result<Vec<String>> {
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, vec![self.title, self.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(self.title, 2.0);
        let (query, _) = parser.parse_query_lenient(q);
        let top = searcher.search(&query, &TopDocs::with_limit(depth.max(1)).order_by_score())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn q(relevant: &[&str], decoys: &[&str], unjudged: &[&str]) -> JudgedQuery {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        JudgedQuery {
            qid: "q".into(),
            query: "x".into(),
            kind: "k".into(),
            relevant: v(relevant),
            decoys: v(decoys),
            unjudged: v(unjudged),
        }
    }

    fn ids(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scoring_table() {
        // (query, ranking, recall, rr, zero, decoy_first)
        let cases = [
            (
                q(&["a", "b"], &[], &[]),
                ids(&["a", "x", "b"]),
                1.0,
                1.0,
                false,
                None,
            ),
            (
                q(&["a", "b"], &[], &[]),
                ids(&["x", "b"]),
                0.5,
                0.5,
                false,
                None,
            ),
            (
                q(&["a"], &["d"], &[]),
                ids(&["d", "a"]),
                1.0,
                0.5,
                false,
                Some(true),
            ),
            (
                q(&["a"], &["d"], &[]),
                ids(&["a", "d"]),
                1.0,
                1.0,
                false,
                Some(false),
            ),
            (
                q(&["a"], &["d"], &[]),
                ids(&["x"]),
                0.0,
                0.0,
                true,
                Some(false),
            ),
            (
                q(&["a"], &["d"], &[]),
                ids(&["d"]),
                0.0,
                0.0,
                true,
                Some(true),
            ),
            // unjudged ids are dropped before ranks are counted
            (
                q(&["a"], &[], &["u"]),
                ids(&["u", "a"]),
                1.0,
                1.0,
                false,
                None,
            ),
        ];
        for (query, ranking, recall, rr, zero, decoy) in cases {
            let s = score(&query, &ranking);
            assert_eq!(
                (s.recall, s.rr, s.zero, s.decoy_first),
                (recall, rr, zero, decoy),
                "{ranking:?}"
            );
        }
        // Recall is capped at what ten slots can hold.
        let many: Vec<String> = (0..20).map(|i| format!("r{i}")).collect();
        let query = q(
            &many.iter().map(String::as_str).collect::<Vec<_>>(),
            &[],
            &[],
        );
        assert_eq!(score(&query, &many).recall, 1.0);
        let s = Summary::of(&[score(&query, &many), score(&query, &[])]);
        assert_eq!((s.n, s.recall, s.zero), (2, 0.5, 0.5));
    }
}
