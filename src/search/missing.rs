//! What a relaxed hit lacks: the query clauses (words, "phrases", `a OR b` groups) whose own
//! query does not match the article.
//!
//! Only the page's relaxed hits are checked, each clause's query once per segment, seeking
//! through the hits of that segment in ascending order, so the cost is a few postings seeks
//! per hit, not another search.

use std::collections::HashMap;

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, DocSet, Searcher};

/// For each of `hits`, the display forms of the clauses it does not match, in query order.
pub fn missing(
    searcher: &Searcher,
    clauses: &[(String, Box<dyn Query>)],
    hits: &[DocAddress],
) -> tantivy::Result<HashMap<DocAddress, Vec<String>>> {
    let mut out: HashMap<DocAddress, Vec<String>> = HashMap::new();
    if hits.is_empty() || clauses.is_empty() {
        return Ok(out);
    }
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for h in hits {
        by_segment.entry(h.segment_ord).or_default().push(h.doc_id);
        out.entry(*h).or_default();
    }
    for (text, query) in clauses {
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        for (&segment_ord, docs) in by_segment.iter_mut() {
            docs.sort_unstable();
            let reader = searcher.segment_reader(segment_ord);
            let mut scorer = weight.scorer(reader, 1.0)?;
            for &doc in docs.iter() {
                let at = if scorer.doc() < doc {
                    scorer.seek(doc)
                } else {
                    scorer.doc()
                };
                if at != doc {
                    out.entry(DocAddress::new(segment_ord, doc))
                        .or_default()
                        .push(text.clone());
                }
            }
        }
    }
    Ok(out)
}
