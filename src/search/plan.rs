//! The engine-neutral query plan: what the planner ([`super::build`]) decides, as plain data
//! that either engine runs — the embedded tantivy index ([`super::tantivy_exec`]) or an
//! OpenSearch cluster (`crate::opensearch::query`).
//!
//! A plan is a small tree of [`Node`]s over the per-language `title`/`body` fields: terms
//! (every view of every word, aliases, near spellings and sound-alikes already expanded to
//! explicit terms with their weights), phrases (per position, the terms any of which may
//! stand there), boolean combinations, constant bonuses (relaxed coverage) and the date
//! range. Whatever the planner needs to know about the index while it decides (document
//! frequencies, which near spellings exist) it asks through [`Stats`], which each engine
//! answers from its own data: tantivy's term dictionaries, or the cluster and its side
//! lexicon.

use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy_fst::Automaton;

use crate::lang::Lang;

/// Which field of a language an indexed term is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The title field.
    Title,
    /// The body field.
    Body,
}

/// One of the six text fields: a language's title or body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldRef {
    /// The language.
    pub lang: Lang,
    /// Title or body.
    pub part: Part,
}

impl FieldRef {
    /// `lang`'s title field.
    pub fn title(lang: Lang) -> FieldRef {
        FieldRef {
            lang,
            part: Part::Title,
        }
    }

    /// `lang`'s body field.
    pub fn body(lang: Lang) -> FieldRef {
        FieldRef {
            lang,
            part: Part::Body,
        }
    }
}

/// How a boolean node's child counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Must match; adds its score.
    Must,
    /// May match; adds its score. A node with no `Must` child needs at least one `Should`.
    Should,
    /// Must not match; scores nothing.
    MustNot,
}

/// A node of a query plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Every article.
    All,
    /// A term in a field, scored by BM25 times `boost`.
    Term {
        /// The field.
        field: FieldRef,
        /// The indexed term.
        term: String,
        /// Weight.
        boost: f32,
    },
    /// Words in order: at each position any one of its terms; at most `slop` words moved.
    Phrase {
        /// The field.
        field: FieldRef,
        /// Per position, the terms that may stand there (at least one each).
        positions: Vec<Vec<String>>,
        /// How far apart the words may stand (0: next to each other).
        slop: u32,
    },
    /// A boolean combination.
    Bool {
        /// The children and how each counts.
        clauses: Vec<(Occur, Node)>,
        /// At least this many `Should` children must match (0: the default rule).
        min_should: usize,
    },
    /// The child's score times a weight.
    Boost(Box<Node>, f32),
    /// The child's score plus a constant for matching (see [`super::coverage`]).
    PlusConst(Box<Node>, f32),
    /// Articles dated within the bounds (seconds since the epoch, already clamped).
    DateRange(Bound<i64>, Bound<i64>),
}

impl Node {
    /// A boolean node of `clauses` with the default rule.
    pub fn bool(clauses: Vec<(Occur, Node)>) -> Node {
        Node::Bool {
            clauses,
            min_should: 0,
        }
    }

    /// A node matching nothing (a boolean with no clauses).
    pub fn nothing() -> Node {
        Node::bool(Vec::new())
    }

    /// `self` weighted by `boost` (itself when the weight is 1).
    pub fn boosted(self, boost: f32) -> Node {
        if (boost - 1.0).abs() < f32::EPSILON {
            self
        } else {
            Node::Boost(Box::new(self), boost)
        }
    }

    /// The node over the fields of the languages marked in `langs` (by [`Lang::index`]) only:
    /// terms and phrases of other languages' fields dropped (None when nothing is left that
    /// could match). Every article's text is in its own language's fields, so on those
    /// languages' articles the node matches and scores exactly as `self` does; an engine then
    /// reads only their postings.
    pub fn within_langs(&self, langs: [bool; 3]) -> Option<Node> {
        match self {
            Node::All | Node::DateRange(..) => Some(self.clone()),
            Node::Term { field, .. } | Node::Phrase { field, .. } => {
                langs[field.lang.index()].then(|| self.clone())
            }
            Node::Bool {
                clauses,
                min_should,
            } => {
                let mut kept = Vec::with_capacity(clauses.len());
                let mut should = 0;
                for (occur, c) in clauses {
                    match (occur, c.within_langs(langs)) {
                        (Occur::Must, None) => return None,
                        (Occur::MustNot | Occur::Should, None) => {}
                        (o, Some(n)) => {
                            should += usize::from(*o == Occur::Should);
                            kept.push((*o, n));
                        }
                    }
                }
                // Too few `Should` children left to meet the rule, or nothing left to match
                // (a node of exclusions only matches nothing).
                let must = kept.iter().any(|(o, _)| *o == Occur::Must);
                if should < *min_should || (!must && should == 0) {
                    return None;
                }
                Some(Node::Bool {
                    clauses: kept,
                    min_should: *min_should,
                })
            }
            Node::Boost(c, b) => c.within_langs(langs).map(|n| Node::Boost(Box::new(n), *b)),
            Node::PlusConst(c, k) => c
                .within_langs(langs)
                .map(|n| Node::PlusConst(Box::new(n), *k)),
        }
    }

    /// Visits every term and phrase term of the node (not under `MustNot`).
    pub fn terms(&self, out: &mut dyn FnMut(FieldRef, &str)) {
        match self {
            Node::All | Node::DateRange(..) => {}
            Node::Term { field, term, .. } => out(*field, term),
            Node::Phrase {
                field, positions, ..
            } => {
                for t in positions.iter().flatten() {
                    out(*field, t);
                }
            }
            Node::Bool { clauses, .. } => {
                for (occur, c) in clauses {
                    if *occur != Occur::MustNot {
                        c.terms(out);
                    }
                }
            }
            Node::Boost(c, _) | Node::PlusConst(c, _) => c.terms(out),
        }
    }
}

/// A query ready to run, and what it searched for.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The query.
    pub query: Node,
    /// Terms searched for in each language's fields (by [`Lang::index`]): highlighting marks
    /// the words holding them.
    pub terms: [BTreeSet<String>; 3],
    /// Each clause's own query, in the order given (relaxed plans only; empty when every
    /// clause is required): whether a hit matches it says which query words the hit lacks.
    pub clauses: Vec<Node>,
}

/// What the planner asks of an index while it decides.
pub trait Stats {
    /// Articles in the index.
    fn num_docs(&self) -> u64;

    /// Articles whose `field` holds `term`.
    fn doc_freq(&self, field: FieldRef, term: &str) -> u64;

    /// Walks `lang`'s body-field terms that `automaton` matches (at least those in the key
    /// alphabet, which is all the planner's automata can match), handing each and its
    /// document frequency to `take` until that returns false.
    fn walk_terms<A>(&self, lang: Lang, automaton: &A, take: &mut dyn FnMut(&str, u32) -> bool)
    where
        A: Automaton,
        A::State: Clone;

    /// True when `field` holds `term` in some article.
    fn has(&self, field: FieldRef, term: &str) -> bool {
        self.doc_freq(field, term) > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_skip_exclusions() {
        let t = |term: &str| Node::Term {
            field: FieldRef::body(Lang::Ru),
            term: term.into(),
            boost: 1.0,
        };
        let n = Node::bool(vec![
            (Occur::Must, t("a").boosted(2.0)),
            (Occur::MustNot, t("b")),
            (
                Occur::Should,
                Node::PlusConst(
                    Box::new(Node::Phrase {
                        field: FieldRef::title(Lang::Kk),
                        positions: vec![vec!["c".into(), "d".into()], vec!["e".into()]],
                        slop: 0,
                    }),
                    1.0,
                ),
            ),
        ]);
        let mut seen = Vec::new();
        n.terms(&mut |f, t| seen.push((f.lang, t.to_string())));
        let want: Vec<(Lang, String)> = [
            (Lang::Ru, "a"),
            (Lang::Kk, "c"),
            (Lang::Kk, "d"),
            (Lang::Kk, "e"),
        ]
        .iter()
        .map(|(l, s)| (*l, s.to_string()))
        .collect();
        assert_eq!(seen, want);
        assert_eq!(t("x").boosted(1.0), t("x"));
    }

    #[test]
    fn a_node_within_one_language() {
        let t = |lang: Lang, term: &str| Node::Term {
            field: FieldRef::body(lang),
            term: term.into(),
            boost: 1.0,
        };
        let any =
            |nodes: Vec<Node>| Node::bool(nodes.into_iter().map(|n| (Occur::Should, n)).collect());
        let two = Node::bool(vec![
            (Occur::Must, any(vec![t(Lang::Kk, "a"), t(Lang::Ru, "a")])),
            (Occur::Must, any(vec![t(Lang::Kk, "b"), t(Lang::En, "b")])),
            (Occur::MustNot, t(Lang::En, "c")),
        ]);
        // (node, language, what is left)
        let cases: Vec<(Node, Lang, Option<Node>)> = vec![
            (t(Lang::Kk, "a"), Lang::Kk, Some(t(Lang::Kk, "a"))),
            (t(Lang::Kk, "a"), Lang::Ru, None),
            (
                two.clone(),
                Lang::Kk,
                Some(Node::bool(vec![
                    (Occur::Must, any(vec![t(Lang::Kk, "a")])),
                    (Occur::Must, any(vec![t(Lang::Kk, "b")])),
                ])),
            ),
            // A required clause with nothing in the language: nothing can match.
            (two.clone(), Lang::Ru, None),
            (two, Lang::En, None),
            // Too few optional clauses left for the rule.
            (
                Node::Bool {
                    clauses: vec![
                        (Occur::Should, t(Lang::Kk, "a")),
                        (Occur::Should, t(Lang::Ru, "b")),
                    ],
                    min_should: 2,
                },
                Lang::Kk,
                None,
            ),
            (
                Node::Boost(Box::new(t(Lang::Ru, "a")), 2.0),
                Lang::Ru,
                Some(Node::Boost(Box::new(t(Lang::Ru, "a")), 2.0)),
            ),
            (
                Node::bool(vec![(
                    Occur::Must,
                    Node::DateRange(Bound::Unbounded, Bound::Included(5)),
                )]),
                Lang::En,
                Some(Node::bool(vec![(
                    Occur::Must,
                    Node::DateRange(Bound::Unbounded, Bound::Included(5)),
                )])),
            ),
        ];
        for (node, lang, want) in cases {
            let langs = Lang::ALL.map(|l| l == lang);
            assert_eq!(node.within_langs(langs), want, "{node:?} within {lang:?}");
        }
    }
}
