//! One pass over the matching documents: language facet counts for every match, and the
//! total and top documents for the matches that pass the language filter. It can also record
//! which documents matched (so that a second, wider query counts only what the first did not
//! find) and skip the documents another query recorded.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{BitSet, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// Documents matched by a query, per segment (by ordinal).
pub type MatchSet = Arc<Vec<Option<BitSet>>>;

/// Wraps a collector: counts languages over all matches, passes on only the matches in
/// `lang` (all when None) and counts them.
pub struct Faceted<C> {
    /// The collector that sees the filtered matches.
    pub inner: C,
    /// The language filter, as [`crate::lang::Lang::index`].
    pub lang: Option<u64>,
    /// The `lang` column of each segment, by ordinal, already open (see
    /// [`crate::store::Snapshot::langs`]); a segment without one here opens its own.
    pub columns: Vec<Column<u64>>,
    /// Documents to leave out altogether (counted by earlier queries).
    pub skip: Vec<MatchSet>,
    /// Record every match (before the language filter) in the fruit's match set.
    pub record: bool,
}

impl<C> Faceted<C> {
    /// A collector with no skipping and no recording.
    pub fn new(inner: C, lang: Option<u64>, columns: Vec<Column<u64>>) -> Faceted<C> {
        Faceted {
            inner,
            lang,
            columns,
            skip: Vec::new(),
            record: false,
        }
    }
}

/// What [`Faceted`] found: the inner fruit, the filtered total, counts by language, (when
/// recording) the matches, and each language's best match.
pub type FacetedFruit<F> = (F, u64, [u64; 3], MatchSet, Best);

/// The best-scoring match of each language (by [`crate::lang::Lang::index`]), before the
/// language filter: the first of that language in a ranking by score, where equal scores go
/// to the earlier document.
pub type Best = [Option<(Score, DocAddress)>; 3];

/// True when `a` ranks above `b` (a higher score, or an equal one and an earlier document).
fn ranks_above(a: (Score, DocAddress), b: (Score, DocAddress)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}

impl<C: Collector> Collector for Faceted<C> {
    type Fruit = FacetedFruit<C::Fruit>;
    type Child = FacetedSegment<C::Child>;

    fn for_segment(
        &self,
        segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(FacetedSegment {
            inner: self.inner.for_segment(segment_local_id, segment)?,
            column: match self.columns.get(segment_local_id as usize) {
                Some(c) => c.clone(),
                None => segment.fast_fields().u64("lang")?,
            },
            lang: self.lang,
            total: 0,
            facets: [0; 3],
            best: [None; 3],
            ord: segment_local_id,
            skip: self
                .skip
                .iter()
                .filter_map(|s| s.get(segment_local_id as usize).cloned().flatten())
                .collect(),
            record: self
                .record
                .then(|| BitSet::with_max_value(segment.max_doc())),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut total = 0;
        let mut facets = [0u64; 3];
        let mut inner = Vec::with_capacity(fruits.len());
        let mut matched: Vec<Option<BitSet>> = Vec::new();
        let mut best: Best = [None; 3];
        for (f, t, fc, ord, set, seg_best) in fruits {
            for (b, s) in best.iter_mut().zip(seg_best) {
                if let Some((score, doc)) = s {
                    let here = (score, DocAddress::new(ord, doc));
                    if b.is_none_or(|b| ranks_above(here, b)) {
                        *b = Some(here);
                    }
                }
            }
            inner.push(f);
            total += t;
            for (a, b) in facets.iter_mut().zip(fc) {
                *a += b;
            }
            if let Some(set) = set {
                let ord = ord as usize;
                if matched.len() <= ord {
                    matched.resize_with(ord + 1, || None);
                }
                matched[ord] = Some(set);
            }
        }
        Ok((
            self.inner.merge_fruits(inner)?,
            total,
            facets,
            Arc::new(matched),
            best,
        ))
    }
}

/// Per-segment part of [`Faceted`].
pub struct FacetedSegment<S> {
    inner: S,
    column: Column<u64>,
    lang: Option<u64>,
    total: u64,
    facets: [u64; 3],
    best: [Option<(Score, DocId)>; 3],
    ord: SegmentOrdinal,
    skip: Vec<BitSet>,
    record: Option<BitSet>,
}

impl<S: SegmentCollector> SegmentCollector for FacetedSegment<S> {
    type Fruit = (
        S::Fruit,
        u64,
        [u64; 3],
        SegmentOrdinal,
        Option<BitSet>,
        [Option<(Score, DocId)>; 3],
    );

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.skip.iter().any(|s| s.contains(doc)) {
            return;
        }
        if let Some(set) = self.record.as_mut() {
            set.insert(doc);
        }
        let lang = self.column.first(doc).unwrap_or(0);
        if let Some(slot) = self.facets.get_mut(lang as usize) {
            *slot += 1;
        }
        // Documents come in order: a later one must score higher to rank above.
        if let Some(best) = self.best.get_mut(lang as usize) {
            if best.is_none_or(|(s, _)| score > s) {
                *best = Some((score, doc));
            }
        }
        if self.lang.is_none_or(|l| l == lang) {
            self.total += 1;
            self.inner.collect(doc, score);
        }
    }

    fn harvest(self) -> Self::Fruit {
        (
            self.inner.harvest(),
            self.total,
            self.facets,
            self.ord,
            self.record,
            self.best,
        )
    }
}
