//! The embedded engine: [`Stats`] answered from a tantivy searcher, a plan's [`Node`]s
//! compiled to tantivy queries, and [`TantivyBackend`] running them with a faceting collector
//! that skips what earlier tiers matched.

use std::ops::Bound;

use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur as TOccur, PhraseQuery, Query, RangeQuery,
    RegexPhraseQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, DocAddress, Searcher, Term};
use tantivy_fst::Automaton;

use super::collect::{Faceted, MatchSet};
use super::coverage::PlusConst;
use super::plan::{FieldRef, Node, Occur, Part, Plan, Stats};
use super::{lang_of, Backend, Run, Sort};
use crate::error::Result;
use crate::lang::Lang;
use crate::store::{Fields, Snapshot};

/// A tantivy searcher and the schema's fields: what the planner asks, answered from the
/// term dictionaries.
pub struct TantivyStats<'a> {
    /// The searcher of one snapshot.
    pub searcher: &'a Searcher,
    /// The schema's fields.
    pub fields: &'a Fields,
}

/// The tantivy field of a plan's field.
pub fn field(fields: &Fields, f: FieldRef) -> Field {
    match f.part {
        Part::Title => fields.title[f.lang.index()],
        Part::Body => fields.body[f.lang.index()],
    }
}

impl Stats for TantivyStats<'_> {
    fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    fn doc_freq(&self, f: FieldRef, term: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field(self.fields, f), term))
            .unwrap_or(0)
    }

    fn walk_terms<A>(&self, lang: Lang, automaton: &A, take: &mut dyn FnMut(&str, u32) -> bool)
    where
        A: Automaton,
        A::State: Clone,
    {
        let field = self.fields.body[lang.index()];
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    if !take(t, stream.value().doc_freq) {
                        return;
                    }
                }
            }
        }
    }
}

/// The embedded engine over one snapshot.
pub struct TantivyBackend<'a> {
    stats: TantivyStats<'a>,
    snap: &'a Snapshot,
}

impl<'a> TantivyBackend<'a> {
    /// The engine over `snap`, searched with `searcher` (one of its reader's).
    pub fn new(searcher: &'a Searcher, snap: &'a Snapshot) -> TantivyBackend<'a> {
        TantivyBackend {
            stats: TantivyStats {
                searcher,
                fields: &snap.fields,
            },
            snap,
        }
    }
}

impl Stats for TantivyBackend<'_> {
    fn num_docs(&self) -> u64 {
        self.stats.num_docs()
    }

    fn doc_freq(&self, f: FieldRef, term: &str) -> u64 {
        self.stats.doc_freq(f, term)
    }

    fn walk_terms<A>(&self, lang: Lang, automaton: &A, take: &mut dyn FnMut(&str, u32) -> bool)
    where
        A: Automaton,
        A::State: Clone,
    {
        self.stats.walk_terms(lang, automaton, take)
    }
}

impl Backend for TantivyBackend<'_> {
    type Addr = DocAddress;
    type Matched = MatchSet;

    fn execute(
        &self,
        plan: Plan,
        lang: Option<Lang>,
        sort: Sort,
        top: usize,
        skip: &[MatchSet],
    ) -> Result<Run<Self>> {
        let searcher = self.stats.searcher;
        let snap = self.snap;
        let query = compile(&snap.fields, &plan.query);
        let lang_filter = lang.map(|l| l.index() as u64);
        let (hits, total, facets, matched, best): (Vec<(f32, DocAddress)>, _, _, _, _) = match sort
        {
            Sort::Relevance => {
                let mut c = Faceted::new(
                    TopDocs::with_limit(top.max(1)).order_by_score(),
                    lang_filter,
                    snap.langs.clone(),
                );
                c.skip = skip.to_vec();
                c.record = true;
                searcher.search(&*query, &c)?
            }
            Sort::Date => {
                let mut c = Faceted::new(
                    TopDocs::with_limit(top.max(1))
                        .order_by_fast_field::<tantivy::DateTime>("date", tantivy::Order::Desc),
                    lang_filter,
                    snap.langs.clone(),
                );
                c.skip = skip.to_vec();
                c.record = true;
                let (top, total, facets, matched, _) = searcher.search(&*query, &c)?;
                let hits = top.into_iter().map(|(_, addr)| (0.0, addr)).collect();
                (hits, total, facets, matched, [None; 3])
            }
        };
        Ok(Run {
            hits: hits
                .into_iter()
                .map(|(score, addr)| (score, addr, lang_of(&snap.langs, addr)))
                .collect(),
            total,
            facets,
            terms: plan.terms,
            matched: vec![matched],
            clauses: plan.clauses,
            best,
        })
    }
}

/// Compiles a plan's node to a tantivy query.
pub fn compile(fields: &Fields, node: &Node) -> Box<dyn Query> {
    match node {
        Node::All => Box::new(AllQuery),
        Node::Term {
            field: f,
            term,
            boost,
        } => {
            let q = TermQuery::new(
                Term::from_field_text(field(fields, *f), term),
                IndexRecordOption::WithFreqs,
            );
            Box::new(BoostQuery::new(Box::new(q), *boost))
        }
        Node::Phrase {
            field: f,
            positions,
            slop,
        } => {
            let field = field(fields, *f);
            if positions.iter().all(|p| p.len() == 1) {
                let terms = positions
                    .iter()
                    .map(|p| Term::from_field_text(field, &p[0]))
                    .collect();
                let mut q = PhraseQuery::new(terms);
                if *slop > 0 {
                    q.set_slop(*slop);
                }
                Box::new(q)
            } else {
                let patterns = positions
                    .iter()
                    .map(|p| {
                        p.iter()
                            .map(|t| regex_escape(t))
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect();
                let mut q = RegexPhraseQuery::new(field, patterns);
                if *slop > 0 {
                    q.set_slop(*slop);
                }
                Box::new(q)
            }
        }
        Node::Bool {
            clauses,
            min_should,
        } => {
            let clauses: Vec<(TOccur, Box<dyn Query>)> = clauses
                .iter()
                .map(|(o, c)| (occur(*o), compile(fields, c)))
                .collect();
            if *min_should > 0 {
                Box::new(BooleanQuery::with_minimum_required_clauses(
                    clauses,
                    *min_should,
                ))
            } else {
                Box::new(BooleanQuery::new(clauses))
            }
        }
        Node::Boost(c, b) => Box::new(BoostQuery::new(compile(fields, c), *b)),
        Node::PlusConst(c, bonus) => Box::new(PlusConst::new(compile(fields, c), *bonus)),
        Node::DateRange(from, to) => {
            let term = |secs: &i64| {
                Term::from_field_date(fields.date, DateTime::from_timestamp_secs(*secs))
            };
            Box::new(RangeQuery::new(bound(from, term), bound(to, term)))
        }
    }
}

fn bound(b: &Bound<i64>, f: impl Fn(&i64) -> Term) -> Bound<Term> {
    match b {
        Bound::Included(x) => Bound::Included(f(x)),
        Bound::Excluded(x) => Bound::Excluded(f(x)),
        Bound::Unbounded => Bound::Unbounded,
    }
}

fn occur(o: Occur) -> TOccur {
    match o {
        Occur::Must => TOccur::Must,
        Occur::Should => TOccur::Should,
        Occur::MustNot => TOccur::MustNot,
    }
}

/// Escapes a term for tantivy's FST regexes.
fn regex_escape(term: &str) -> String {
    regex_syntax::escape(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(regex_escape("ural'sk"), "ural'sk");
        assert_eq!(regex_escape("a.b|c"), "a\\.b\\|c");
        assert_eq!(regex_escape("тоқаев"), "тоқаев");
    }
}
