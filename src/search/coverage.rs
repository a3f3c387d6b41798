//! A query that scores as another query plus a constant for matching: the "coverage" part of
//! relaxed ranking. In the relaxed tier each clause of the query is wrapped in one, with a
//! constant that grows with the clause's rarity, so that an article with more of the query's
//! content words ranks above one with fewer, whatever their term frequencies, while a common
//! word ("в", "қандай") adds almost nothing. Within equal coverage, BM25 orders.
//!
//! tantivy has `ConstScoreQuery` (the constant instead of the score) but nothing that adds
//! one; adding a second, constant-scored copy of each clause would read its postings twice.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, COLLECT_BLOCK_BUFFER_LEN};

/// `query`'s score plus `bonus` for every document it matches.
pub struct PlusConst {
    query: Box<dyn Query>,
    bonus: Score,
}

impl PlusConst {
    /// Wraps `query`.
    pub fn new(query: Box<dyn Query>, bonus: Score) -> PlusConst {
        PlusConst { query, bonus }
    }
}

impl Clone for PlusConst {
    fn clone(&self) -> Self {
        PlusConst {
            query: self.query.box_clone(),
            bonus: self.bonus,
        }
    }
}

impl fmt::Debug for PlusConst {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "PlusConst(bonus={}, query={:?})", self.bonus, self.query)
    }
}

impl Query for PlusConst {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let scoring = enable_scoring.is_scoring_enabled();
        let inner = self.query.weight(enable_scoring)?;
        Ok(if scoring {
            Box::new(PlusConstWeight {
                inner,
                bonus: self.bonus,
            })
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct PlusConstWeight {
    inner: Box<dyn Weight>,
    bonus: Score,
}

impl Weight for PlusConstWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PlusConstScorer {
            inner: self.inner.scorer(reader, boost)?,
            bonus: boost * self.bonus,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut e = Explanation::new("PlusConst", inner.value() + self.bonus);
        e.add_detail(inner);
        e.add_const("bonus", self.bonus);
        Ok(e)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct PlusConstScorer {
    inner: Box<dyn Scorer>,
    bonus: Score,
}

impl DocSet for PlusConstScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        self.inner.fill_buffer(buffer)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for PlusConstScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.bonus
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    use super::*;

    #[test]
    fn adds_the_bonus_to_matches_only() {
        let mut b = Schema::builder();
        let f = b.add_text_field("t", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for t in ["a b", "a", "b c"] {
            w.add_document(doc!(f => t)).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let top = TopDocs::with_limit(10).order_by_score();
        let plain = searcher.search(&*term("a"), &top).unwrap();
        let plus = searcher
            .search(&PlusConst::new(term("a"), 10.0), &top)
            .unwrap();
        assert_eq!(plain.len(), 2);
        assert_eq!(plus.len(), 2, "no new matches");
        for ((s, a), (p, b)) in plain.iter().zip(&plus) {
            assert_eq!(a, b);
            assert!((p - s - 10.0).abs() < 1e-4, "{p} = {s} + 10");
        }
    }
}
