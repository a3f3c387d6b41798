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
/// recording) the matches, and the best-scoring match of each language.
pub type FacetedFruit<F> = (F, u64, [u64; 3], MatchSet, Best);

/// The best-scoring matches of each language (by [`crate::lang::Lang::index`]), at most
/// [`BEST_PER_LANG`], best first, before the language filter; ties go to the earlier document.
pub type Best = [Vec<(Score, DocAddress)>; 3];

/// How many of each language's best matches [`Faceted`] keeps.
pub const BEST_PER_LANG: usize = 4;

/// Inserts `item` into `list` (best first, at most [`BEST_PER_LANG`]) when it ranks among the
/// best: a higher score, or an equal one with an earlier document.
fn keep_best<D: Copy + Ord>(list: &mut Vec<(Score, D)>, item: (Score, D)) {
    let better = |a: &(Score, D), b: &(Score, D)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
    if list.len() == BEST_PER_LANG && !list.last().is_some_and(|l| better(&item, l)) {
        return;
    }
    let at = list
        .iter()
        .position(|l| better(&item, l))
        .unwrap_or(list.len());
    list.insert(at, item);
    list.truncate(BEST_PER_LANG);
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
            best: Default::default(),
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
        let mut best: Best = Default::default();
        for (f, t, fc, ord, set, b) in fruits {
            for (have, got) in best.iter_mut().zip(b) {
                for (score, doc) in got {
                    keep_best(have, (score, DocAddress::new(ord, doc)));
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
    best: [Vec<(Score, DocId)>; 3],
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
        [Vec<(Score, DocId)>; 3],
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
        if let Some(best) = self.best.get_mut(lang as usize) {
            keep_best(best, (score, doc));
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
