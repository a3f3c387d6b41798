//! A plan's [`Node`]s compiled to OpenSearch query DSL.
//!
//! | plan node          | query DSL                                                        |
//! |--------------------|------------------------------------------------------------------|
//! | `All`              | `match_all`                                                      |
//! | `Term`             | `term` with its boost                                            |
//! | `Phrase`           | `span_near` (in order, its slop) of `span_term` / `span_or`      |
//! | `Bool`             | `bool` (`must`/`should`/`must_not`, `minimum_should_match`); a   |
//! |                    | date range under `must` goes to `filter`; no clauses: match_none |
//! | `Boost`            | `bool` with the one `must` clause and a `boost`                  |
//! | `PlusConst`        | `function_score` adding a `weight` (`boost_mode` sum)            |
//! | `DateRange`        | `range` on `date` (epoch seconds)                                |
//!
//! Scores: tantivy's BM25 multiplies each term's score by `k1 + 1` (2.2); Lucene's, since
//! version 8, does not. Boosts are factors and survive that unchanged, but a constant added to
//! a score does not: the coverage bonus is divided by [`BM25_SCALE`] here, so that it weighs
//! against the BM25 scores as it does in the embedded engine, and the cluster's scores are
//! multiplied by it when reported.
//!
//! An empty `bool` matches every document in OpenSearch but nothing in tantivy; the planner's
//! empty `Bool` (a word with no terms) compiles to `match_none`.

use std::ops::Bound;

use serde_json::{json, Map, Value};

use super::mapping::{body_field, title_field};
use crate::search::plan::{FieldRef, Node, Occur, Part};

/// tantivy's BM25 score over Lucene's for the same match: `k1 + 1`.
pub const BM25_SCALE: f32 = 2.2;

/// The index field of a plan's field.
pub fn field_name(f: FieldRef) -> String {
    match f.part {
        Part::Title => title_field(f.lang),
        Part::Body => body_field(f.lang),
    }
}

/// A JSON number of an f32 weight, rounded to 7 significant digits (golden tests and logs
/// read `1.2`, not `1.2000000476837158`).
fn num(x: f32) -> Value {
    let v: f64 = format!("{x:.6e}").parse().unwrap_or(f64::from(x));
    json!(v)
}

/// Compiles a plan's node to query DSL.
pub fn compile(node: &Node) -> Value {
    match node {
        Node::All => json!({"match_all": {}}),
        Node::Term { field, term, boost } => {
            json!({"term": {field_name(*field): {"value": term, "boost": num(*boost)}}})
        }
        Node::Phrase {
            field,
            positions,
            slop,
        } => {
            let f = field_name(*field);
            let clauses: Vec<Value> = positions
                .iter()
                .map(|alts| match alts.as_slice() {
                    [one] => json!({"span_term": {&f: one}}),
                    many => json!({"span_or": {"clauses": many
                        .iter()
                        .map(|t| json!({"span_term": {&f: t}}))
                        .collect::<Vec<_>>()}}),
                })
                .collect();
            json!({"span_near": {"clauses": clauses, "slop": slop, "in_order": true}})
        }
        Node::Bool {
            clauses,
            min_should,
        } => {
            if clauses.is_empty() {
                return json!({"match_none": {}});
            }
            let mut must = Vec::new();
            let mut filter = Vec::new();
            let mut should = Vec::new();
            let mut must_not = Vec::new();
            for (occur, c) in clauses {
                match (occur, c) {
                    (Occur::Must, Node::DateRange(..)) => filter.push(compile(c)),
                    (Occur::Must, _) => must.push(compile(c)),
                    (Occur::Should, _) => should.push(compile(c)),
                    (Occur::MustNot, _) => must_not.push(compile(c)),
                }
            }
            // A bool of only exclusions matches nothing in tantivy; OpenSearch would add
            // match_all.
            if must.is_empty() && filter.is_empty() && should.is_empty() {
                return json!({"match_none": {}});
            }
            let mut b = Map::new();
            for (k, v) in [
                ("must", must),
                ("filter", filter),
                ("should", should),
                ("must_not", must_not),
            ] {
                if !v.is_empty() {
                    b.insert(k.into(), Value::Array(v));
                }
            }
            if *min_should > 0 {
                b.insert("minimum_should_match".into(), json!(min_should));
            }
            json!({ "bool": b })
        }
        Node::Boost(c, boost) => json!({"bool": {"must": [compile(c)], "boost": num(*boost)}}),
        Node::PlusConst(c, bonus) => json!({"function_score": {
            "query": compile(c),
            "functions": [{"weight": num(*bonus / BM25_SCALE)}],
            "score_mode": "sum",
            "boost_mode": "sum"
        }}),
        Node::DateRange(from, to) => {
            let mut r = Map::new();
            match from {
                Bound::Included(x) => _ = r.insert("gte".into(), json!(x)),
                Bound::Excluded(x) => _ = r.insert("gt".into(), json!(x)),
                Bound::Unbounded => {}
            }
            match to {
                Bound::Included(x) => _ = r.insert("lte".into(), json!(x)),
                Bound::Excluded(x) => _ = r.insert("lt".into(), json!(x)),
                Bound::Unbounded => {}
            }
            r.insert("format".into(), json!("epoch_second"));
            json!({"range": {"date": r}})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::search::alias::Aliases;
    use crate::search::build::{build, ClauseAlts, Guesses, Mode};
    use crate::search::plan::Stats;

    fn term(lang: Lang, t: &str, boost: f32) -> Node {
        Node::Term {
            field: FieldRef::body(lang),
            term: t.into(),
            boost,
        }
    }

    #[test]
    fn golden_nodes() {
        let cases: Vec<(Node, &str)> = vec![
            (Node::All, r#"{"match_all":{}}"#),
            (Node::nothing(), r#"{"match_none":{}}"#),
            (
                term(Lang::Kk, "tokaev", 1.2),
                r#"{"term":{"body_kk":{"boost":1.2,"value":"tokaev"}}}"#,
            ),
            (
                Node::Phrase {
                    field: FieldRef::title(Lang::Ru),
                    positions: vec![vec!["нур".into()], vec!["султан".into(), "sultan".into()]],
                    slop: 0,
                },
                r#"{"span_near":{"clauses":[{"span_term":{"title_ru":"нур"}},{"span_or":{"clauses":[{"span_term":{"title_ru":"султан"}},{"span_term":{"title_ru":"sultan"}}]}}],"in_order":true,"slop":0}}"#,
            ),
            (
                Node::Boost(Box::new(term(Lang::En, "astana", 1.0)), 0.5),
                r#"{"bool":{"boost":0.5,"must":[{"term":{"body_en":{"boost":1.0,"value":"astana"}}}]}}"#,
            ),
            (
                Node::PlusConst(Box::new(term(Lang::Ru, "нева", 4.0)), 22.0),
                r#"{"function_score":{"boost_mode":"sum","functions":[{"weight":10.0}],"query":{"term":{"body_ru":{"boost":4.0,"value":"нева"}}},"score_mode":"sum"}}"#,
            ),
            (
                Node::DateRange(Bound::Included(0), Bound::Excluded(86400)),
                r#"{"range":{"date":{"format":"epoch_second","gte":0,"lt":86400}}}"#,
            ),
            (
                Node::bool(vec![
                    (Occur::Must, term(Lang::Kk, "a", 1.0)),
                    (
                        Occur::Must,
                        Node::DateRange(Bound::Unbounded, Bound::Included(5)),
                    ),
                    (Occur::MustNot, term(Lang::Kk, "b", 1.0)),
                ]),
                r#"{"bool":{"filter":[{"range":{"date":{"format":"epoch_second","lte":5}}}],"must":[{"term":{"body_kk":{"boost":1.0,"value":"a"}}}],"must_not":[{"term":{"body_kk":{"boost":1.0,"value":"b"}}}]}}"#,
            ),
            (
                Node::Bool {
                    clauses: vec![
                        (Occur::Should, term(Lang::Kk, "a", 1.0)),
                        (Occur::Should, term(Lang::Kk, "b", 1.0)),
                    ],
                    min_should: 2,
                },
                r#"{"bool":{"minimum_should_match":2,"should":[{"term":{"body_kk":{"boost":1.0,"value":"a"}}},{"term":{"body_kk":{"boost":1.0,"value":"b"}}}]}}"#,
            ),
            (
                Node::bool(vec![(Occur::MustNot, term(Lang::Kk, "b", 1.0))]),
                r#"{"match_none":{}}"#,
            ),
        ];
        for (node, want) in cases {
            assert_eq!(compile(&node).to_string(), want, "{node:?}");
        }
    }

    /// A compact reading of query DSL, for golden tests of whole plans.
    fn sketch(v: &Value) -> String {
        let list = |v: &Value| -> String {
            v.as_array()
                .into_iter()
                .flatten()
                .map(sketch)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let Some((kind, body)) = v.as_object().and_then(|o| o.iter().next()) else {
            return v.to_string();
        };
        match kind.as_str() {
            "match_all" => "ALL".into(),
            "match_none" => "NONE".into(),
            "term" => {
                let (f, t) = body.as_object().unwrap().iter().next().unwrap();
                format!("{f}:{}^{}", t["value"].as_str().unwrap(), t["boost"])
            }
            "span_term" => {
                let (f, t) = body.as_object().unwrap().iter().next().unwrap();
                format!("{f}:{}", t.as_str().unwrap())
            }
            "span_or" => format!("({})", list(&body["clauses"]).replace(' ', "|")),
            "span_near" => format!("\"{}\"~{}", list(&body["clauses"]), body["slop"]),
            "bool" => {
                let mut parts = Vec::new();
                for k in ["must", "filter", "should", "must_not"] {
                    if body.get(k).is_some() {
                        parts.push(format!("{k}[{}]", list(&body[k])));
                    }
                }
                for k in ["minimum_should_match", "boost"] {
                    if let Some(x) = body.get(k) {
                        parts.push(format!("{k}={x}"));
                    }
                }
                format!("bool({})", parts.join(" "))
            }
            "function_score" => format!(
                "plus({}, {})",
                sketch(&body["query"]),
                body["functions"][0]["weight"]
            ),
            "range" => format!("date{}", body["date"]),
            other => format!("{other}?"),
        }
    }

    /// Index statistics for planning without an index: every term listed occurs in 10 of 10,000
    /// articles, in the fields listed; the lexicon holds the terms listed for near spellings.
    struct FakeStats {
        terms: Vec<(FieldRef, &'static str)>,
        lexicon: Vec<&'static str>,
    }

    impl Stats for FakeStats {
        fn num_docs(&self) -> u64 {
            10_000
        }

        fn doc_freq(&self, field: FieldRef, term: &str) -> u64 {
            if self.terms.iter().any(|(f, t)| *f == field && *t == term) {
                10
            } else {
                0
            }
        }

        fn walk_terms<A>(&self, lang: Lang, automaton: &A, take: &mut dyn FnMut(&str, u32) -> bool)
        where
            A: tantivy_fst::Automaton,
            A::State: Clone,
        {
            if lang != Lang::En {
                return;
            }
            let mut sorted = self.lexicon.clone();
            sorted.sort_unstable();
            for t in sorted {
                let mut state = automaton.start();
                for b in t.bytes() {
                    state = automaton.accept(&state, b);
                }
                if automaton.is_match(&state) && !take(t, 10) {
                    return;
                }
            }
        }
    }

    /// Whole plans from the planner, compiled: a word (exact form in title and body), a near
    /// spelling (lexicon terms one edit off, at the fuzzy weight), a phrase with an
    /// exclusion, two words with their proximity bonus, and the relaxed tier's coverage
    /// bonus (scaled by [`BM25_SCALE`]). These change with the planner's weights, on purpose.
    #[test]
    fn golden_plans() {
        let en = |t| (FieldRef::body(Lang::En), t);
        let stats = FakeStats {
            terms: vec![
                en("tokaev"),
                en("parliament"),
                en("parliam"),
                (FieldRef::title(Lang::En), "tokaev"),
            ],
            lexicon: vec!["parliament", "tokaev", "tokaeva", "tokayev"],
        };
        let aliases = Aliases::builtin();
        let plan = |q: &str, guesses: Guesses, mode: Mode| -> String {
            let parsed = crate::search::query::parse(q).unwrap();
            let clauses: Vec<ClauseAlts> = parsed
                .clauses
                .iter()
                .map(|c| ClauseAlts {
                    alts: c.any.iter().flat_map(|u| aliases.alternatives(u)).collect(),
                    required: c.required,
                })
                .collect();
            let p = build(
                &stats,
                &clauses,
                &parsed.must_not,
                (Bound::Included(0), Bound::Unbounded),
                guesses,
                mode,
            );
            // The English fields only, for a readable golden line.
            sketch(&compile(
                &p.query
                    .within_langs(Lang::ALL.map(|l| l == Lang::En))
                    .unwrap(),
            ))
        };
        let near = Guesses {
            near: [true; 3],
            sound: [false; 3],
        };
        let cases = [
            (
                plan("Tokaev", Guesses::NONE, Mode::All),
                r#"bool(must[bool(must[bool(should[bool(should[title_en:tokaev^8.0 body_en:tokaev^4.0])])])] filter[date{"format":"epoch_second","gte":0}])"#,
            ),
            (
                plan("Tokaevv", near, Mode::All),
                r#"bool(must[bool(must[bool(should[bool(should[title_en:tokaevv^8.0 body_en:tokaevv^4.0 title_en:tokaev^0.001 body_en:tokaev^0.001 title_en:tokaeva^0.001 body_en:tokaeva^0.001])])])] filter[date{"format":"epoch_second","gte":0}])"#,
            ),
            (
                plan("\"Tokaev parliament\" -Almaty", Guesses::NONE, Mode::All),
                r#"bool(must[bool(must[bool(should[bool(should[bool(must[bool(must["body_en:tokaev body_en:parliament"~0] boost=1.0)] should[body_en:tokaev^2.0 body_en:parliament^2.0])])])])] filter[date{"format":"epoch_second","gte":0}] must_not[bool(should[title_en:almaty^8.0 body_en:almaty^4.0 title_en:almati^0.6 body_en:almati^0.3])])"#,
            ),
            (
                plan("Tokaev parliament", Guesses::NONE, Mode::All),
                r#"bool(must[bool(must[bool(should[bool(should[title_en:tokaev^8.0 body_en:tokaev^4.0])]) bool(should[bool(should[title_en:parliament^8.0 body_en:parliament^4.0])])])] filter[date{"format":"epoch_second","gte":0}] should[bool(must["body_en:tokaev body_en:parliament"~3] boost=0.5)])"#,
            ),
            (
                plan("Tokaev parliament", Guesses::NONE, Mode::Relaxed),
                r#"bool(must[bool(should[plus(bool(should[bool(should[title_en:tokaev^1.0 body_en:tokaev^1.0])]), 2.272727) plus(bool(should[bool(should[title_en:parliament^1.0 body_en:parliament^1.0])]), 2.272727)])] filter[date{"format":"epoch_second","gte":0}])"#,
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn weights_are_rounded() {
        assert_eq!(num(0.001).to_string(), "0.001");
        assert_eq!(num(4.0 * 2.0 * 0.25).to_string(), "2.0");
        assert_eq!(num(50.0 / BM25_SCALE).to_string(), "22.72727");
    }
}
