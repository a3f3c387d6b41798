//! The baseline: the same articles in plain tantivy — the same schema and fields (built from
//! kazsearch's own schema, so the two never drift apart), the same documents, threads,
//! memory budget and final merge (`store::writer`'s own), but tantivy's `default` tokenizer (words, remove long, lowercase) instead
//! of kazsearch's analysis, and no language detection (the input's `lang` is trusted).
//!
//! Queries go through tantivy's `QueryParser` (all words required, titles boosted like
//! kazsearch's), the same language and date filters as term and range queries, top 10 plus
//! a count, and a highlighted snippet of each hit from `SnippetGenerator`: what a plain
//! tantivy search server would do for the same request.

use std::path::Path;
use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{FieldEntry, FieldType, IndexRecordOption, Schema, TantivyDocument, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, Index, IndexReader, ReloadPolicy, Term};

use super::probe;
use crate::error::{Error, Result};
use crate::ingest::Record;
use crate::lang::Lang;
use crate::search::{SearchParams, SNIPPET_CHARS};
use crate::store::schema::fields_of;
use crate::store::writer::{commit_merged, document, open_writer};
use crate::store::{build_schema, Fields};

/// Extra weight of title matches, as in kazsearch.
const TITLE_BOOST: f32 = crate::search::build::TITLE_BOOST;

/// kazsearch's schema with every analysed text field switched to tantivy's `default`
/// tokenizer (same names, same options, same order: the same [`Fields`] handles).
pub fn schema() -> (Schema, Fields) {
    let (kz, fields) = build_schema();
    let mut b = Schema::builder();
    for (_, entry) in kz.fields() {
        let entry = match entry.field_type() {
            FieldType::Str(opts) => match opts.get_indexing_options() {
                Some(indexing) => FieldEntry::new_text(
                    entry.name().to_string(),
                    opts.clone()
                        .set_indexing_options(indexing.clone().set_tokenizer("default")),
                ),
                None => entry.clone(),
            },
            _ => entry.clone(),
        };
        b.add_field(entry);
    }
    (b.build(), fields)
}

/// What building the baseline index did.
#[derive(Debug, Clone, Default)]
pub struct BuildStats {
    /// Articles indexed.
    pub indexed: u64,
    /// Bytes of title and body text.
    pub text_bytes: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// CPU time of this process while building (None off Linux).
    pub cpu: Option<Duration>,
}

/// Indexes `records` with plain tantivy into the (empty or missing) folder `path`.
pub fn build(
    path: &Path,
    records: impl Iterator<Item = Result<Record>>,
    threads: usize,
    heap_bytes: usize,
) -> Result<BuildStats> {
    let started = Instant::now();
    let cpu0 = probe::process_cpu();
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
    let (schema, fields) = schema();
    let index = Index::create_in_dir(path, schema)?;
    // The same writer set-up and final merge as kazsearch's rebuild: only the analysis and
    // the detection differ.
    let writer = open_writer(&index, threads, heap_bytes)?;
    let mut stats = BuildStats::default();
    for record in records {
        // Bad lines are kazsearch's reader's business; the baseline skips them silently.
        let Ok(record) = record else { continue };
        let lang = record.article.lang.unwrap_or(Lang::En);
        stats.text_bytes += (record.article.title.len() + record.article.body.len()) as u64;
        writer.add_document(document(&fields, &record, lang))?;
        stats.indexed += 1;
    }
    commit_merged(&index, writer)?;
    stats.elapsed = started.elapsed();
    stats.cpu = probe::process_cpu()
        .zip(cpu0)
        .map(|(b, a)| b.saturating_sub(a));
    Ok(stats)
}

/// A plain tantivy searcher over a baseline index.
pub struct PlainSearcher {
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
    /// The same parser with OR between words: BM25 over any of them.
    any_parser: QueryParser,
}

/// What one plain search returned (kept so the work cannot be optimised away).
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainResult {
    /// Matching articles.
    pub total: usize,
    /// Hits on the page.
    pub hits: usize,
    /// Bytes of snippet HTML produced.
    pub snippet_bytes: usize,
}

impl PlainSearcher {
    /// Opens the baseline index in `path`.
    pub fn open(path: &Path) -> Result<PlainSearcher> {
        let index = Index::open_in_dir(path)?;
        let fields = fields_of(&index.schema())?;
        let text_fields: Vec<_> = fields.title.iter().chain(&fields.body).copied().collect();
        let mut any_parser = QueryParser::for_index(&index, text_fields);
        for f in fields.title {
            any_parser.set_field_boost(f, TITLE_BOOST);
        }
        let mut parser = any_parser.clone();
        parser.set_conjunction_by_default();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(PlainSearcher {
            reader,
            fields,
            parser,
            any_parser,
        })
    }

    /// Articles in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs `p` the plain way: parse (every word required, or with `any` any word: BM25's OR
    /// query), filter, top `limit` + count, snippets of the hits.
    pub fn search(&self, p: &SearchParams, any: bool) -> Result<PlainResult> {
        let searcher = self.reader.searcher();
        let parser = if any { &self.any_parser } else { &self.parser };
        let (text_query, _errors) = parser.parse_query_lenient(&p.q);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        if let Some(lang) = p.lang {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(self.fields.lang, lang.index() as u64),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if p.from.is_some() || p.to.is_some() {
            let term = |secs: i64| {
                Term::from_field_date(self.fields.date, DateTime::from_timestamp_secs(secs))
            };
            let bound = |b: Option<i64>| {
                b.map_or(std::ops::Bound::Unbounded, |s| {
                    std::ops::Bound::Included(term(s))
                })
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(p.from), bound(p.to))),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let collector = (
            TopDocs::with_limit(p.offset + p.limit).order_by_score(),
            Count,
        );
        let (top, total) = searcher.search(&query, &collector)?;
        let mut generators: [Option<SnippetGenerator>; 3] = [None, None, None];
        let mut out = PlainResult {
            total,
            ..PlainResult::default()
        };
        for (_, addr) in top.into_iter().skip(p.offset) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let lang = doc
                .get_first(self.fields.lang)
                .and_then(|v| v.as_u64())
                .and_then(|i| Lang::ALL.get(i as usize).copied())
                .unwrap_or(Lang::En);
            let slot = &mut generators[lang.index()];
            if slot.is_none() {
                let mut g =
                    SnippetGenerator::create(&searcher, &query, self.fields.body[lang.index()])?;
                g.set_max_num_chars(SNIPPET_CHARS);
                *slot = Some(g);
            }
            if let Some(g) = slot {
                out.snippet_bytes += g.snippet_from_doc(&doc).to_html().len();
            }
            out.hits += 1;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_str;
    use crate::sample::ARTICLES;

    #[test]
    fn same_fields_default_tokenizer() {
        let (kz, _) = build_schema();
        let (plain, _) = schema();
        let names = |s: &Schema| {
            s.fields()
                .map(|(_, e)| e.name().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&kz), names(&plain));
        for (_, e) in plain.fields() {
            if let FieldType::Str(o) = e.field_type() {
                if let Some(i) = o.get_indexing_options() {
                    if e.name().starts_with("title_") || e.name().starts_with("body_") {
                        assert_eq!(i.tokenizer(), "default", "{}", e.name());
                    }
                }
            }
        }
    }

    #[test]
    fn builds_and_searches_the_sample() {
        let dir = tempfile::tempdir().unwrap();
        let records = read_str("sample", ARTICLES).into_iter();
        let stats = build(dir.path(), records, 1, 16 << 20).unwrap();
        assert_eq!(stats.indexed, 51);
        let s = PlainSearcher::open(dir.path()).unwrap();
        assert_eq!(s.num_docs(), 51);
        let r = s.search(&SearchParams::new("Tokayev"), false).unwrap();
        assert!(r.total > 0 && r.hits > 0 && r.snippet_bytes > 0, "{r:?}");
        // Plain tantivy does not find the Kazakh spelling from the Latin one: the gap
        // kazsearch exists for.
        let mut p = SearchParams::new("Tokayev");
        p.lang = Some(Lang::Kk);
        assert_eq!(s.search(&p, false).unwrap().total, 0);
        let bad = s.search(&SearchParams::new("\"unclosed"), false).unwrap();
        assert!(bad.total <= 51);
    }
}
