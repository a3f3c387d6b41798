//! Rebuilding the index: every article into a fresh generation, one commit, then an atomic
//! switch of CURRENT. Bad lines are reported and skipped (or, with `strict`, stop the rebuild
//! and leave the old index untouched); a repeated id replaces the earlier article.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tantivy::indexer::NoMergePolicy;
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};

use super::{build_schema, register, sync_dir, Fields, IndexDir, FORMAT_VERSION};
use crate::article::{Article, MAX_TIMESTAMP, MIN_TIMESTAMP};
use crate::error::{Error, Result};
use crate::ingest::Record;
use crate::lang::{Detector, Lang, Method};

/// How to rebuild.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Stop at the first bad line.
    pub strict: bool,
    /// Detect every article's language, even when the input gives one (and count
    /// disagreements with the given one).
    pub redetect: bool,
    /// Indexing threads.
    pub threads: usize,
    /// Indexing memory budget in bytes (shared by the threads).
    pub heap_bytes: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            strict: false,
            redetect: false,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(1, 8),
            heap_bytes: 256 * 1024 * 1024,
        }
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    /// Articles in the new index.
    pub indexed: u64,
    /// Articles in the new index, by [`Lang::index`].
    pub by_lang: [u64; 3],
    /// Lines rejected.
    pub rejected: u64,
    /// Articles that replaced an earlier one with the same id.
    pub duplicates: u64,
    /// Articles whose language was detected, by method: letters, lingua, fallback.
    pub detected: [u64; 3],
    /// With `redetect`: articles whose given language differs from the detected one.
    pub disagreements: u64,
    /// With `redetect`: articles that had a given language to compare with.
    pub compared: u64,
    /// Bytes of title and body text indexed.
    pub text_bytes: u64,
    /// Time spent detecting languages.
    #[serde(skip)]
    pub detect_time: Duration,
    /// Wall time of the whole rebuild.
    #[serde(skip)]
    pub elapsed: Duration,
    /// The new generation.
    pub generation: String,
}

/// Rebuilds the index in `dir` from `records`. `on_error` sees every rejected line; `on_doc`
/// is called after each article (for progress bars).
pub fn rebuild(
    dir: &IndexDir,
    records: impl Iterator<Item = Result<Record>>,
    opts: &BuildOptions,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
    on_doc: &mut dyn FnMut(&Stats),
) -> Result<Stats> {
    let _lock = dir.lock("index")?;
    rebuild_locked(dir, records, opts, detector, on_error, on_doc)
}

/// [`rebuild`], for a caller that holds the lock already.
pub(crate) fn rebuild_locked(
    dir: &IndexDir,
    records: impl Iterator<Item = Result<Record>>,
    opts: &BuildOptions,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
    on_doc: &mut dyn FnMut(&Stats),
) -> Result<Stats> {
    let started = Instant::now();
    // Leftovers of rebuilds that were killed: nobody else can be writing them (we hold the lock).
    for name in dir.generations()? {
        if name.ends_with(".tmp") {
            let p = dir.path().join(&name);
            std::fs::remove_dir_all(&p).map_err(|e| Error::io_while("removing", &p, e))?;
        }
    }
    let next = dir
        .generations()?
        .iter()
        .filter_map(|g| g.strip_prefix("gen-")?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let generation = format!("gen-{next:06}");
    let tmp = dir.path().join(format!("{generation}.tmp"));
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io_while("creating", &tmp, e))?;

    let result = fill(&tmp, records, opts, detector, on_error, on_doc);
    let mut stats = match result {
        Ok(stats) => stats,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if stats.indexed == 0 {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(Error::BadIndexDir {
            path: dir.path().to_path_buf(),
            reason: format!(
                "no article could be indexed ({} lines rejected); the old index is untouched",
                stats.rejected
            ),
        });
    }
    std::fs::write(tmp.join("FORMAT"), format!("{FORMAT_VERSION}\n"))
        .map_err(|e| Error::io_while("writing", tmp.join("FORMAT"), e))?;
    sync_dir(&tmp)?;
    let final_path = dir.path().join(&generation);
    std::fs::rename(&tmp, &final_path)
        .map_err(|e| Error::io_while("renaming into", &final_path, e))?;
    sync_dir(dir.path())?;
    let previous = dir.current().ok().flatten();
    dir.set_current(&generation)?;
    // Keep the new and the previous generation (a server may still be reading it); drop older.
    for name in dir.generations()? {
        if name != generation && Some(&name) != previous.as_ref() && !name.ends_with(".tmp") {
            let p = dir.path().join(&name);
            let _ = std::fs::remove_dir_all(&p);
        }
    }
    stats.generation = generation;
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// Bytes of stored articles compressed together. Every hit shown decompresses its whole
/// block: 4 KB (two or three articles) instead of tantivy's 16 KB costs the server about 6 %
/// less CPU per search at 1×, for an index 4 % larger.
pub const DOCSTORE_BLOCK_BYTES: usize = 4096;

fn fill(
    path: &std::path::Path,
    records: impl Iterator<Item = Result<Record>>,
    opts: &BuildOptions,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
    on_doc: &mut dyn FnMut(&Stats),
) -> Result<Stats> {
    let (schema, fields) = build_schema();
    let settings = tantivy::IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..Default::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(path)?;
    register(index.tokenizers());
    let writer = open_writer(&index, opts.threads, opts.heap_bytes)?;
    let mut stats = Stats::default();
    let mut seen: HashMap<String, Lang> = HashMap::new();
    for record in records {
        let Some(record) = accept(record, opts.strict, &mut stats.rejected, on_error)? else {
            continue;
        };
        let a = &record.article;
        let lang = language(a, opts.redetect, detector, &mut stats);
        if let Some(old) = seen.insert(a.id.clone(), lang) {
            writer.delete_term(Term::from_field_text(fields.id, &a.id));
            stats.duplicates += 1;
            stats.indexed -= 1;
            stats.by_lang[old.index()] -= 1;
        }
        writer.add_document(document(&fields, &record, lang))?;
        stats.indexed += 1;
        stats.by_lang[lang.index()] += 1;
        stats.text_bytes += (a.title.len() + a.body.len()) as u64;
        on_doc(&stats);
    }
    commit_merged(&index, writer)?;
    Ok(stats)
}

/// A writer for a full rebuild: `threads` indexing threads sharing `heap_bytes` (at least
/// 16 MB each, tantivy's floor), and no merges while indexing — [`commit_merged`] merges
/// everything once at the end instead.
pub fn open_writer(
    index: &Index,
    threads: usize,
    heap_bytes: usize,
) -> Result<IndexWriter<TantivyDocument>> {
    let threads = threads.max(1);
    let heap = heap_bytes.max(threads * 16 * 1024 * 1024);
    let writer = index.writer_with_num_threads(threads, heap)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    Ok(writer)
}

/// Commits, then merges every segment into one and waits for it.
///
/// A generation is written once and only read afterwards, so it is worth one merge at the
/// end: a single segment has one term dictionary per field instead of one per segment, and
/// every query walks them — term lookups, fuzzy expansion and regex phrases cost in
/// proportion to the number of segments, and the background merges of the default policy
/// left anywhere from 2 to 10 of them, at random. Measured with `kazsearch bench` on the
/// same 520,550-article index, 10 segments → 1: fuzzy-tier queries 5× faster, query p99
/// 0.5×, searches/s over HTTP 1.6×, the server's resident memory 0.6×. With no merges while
/// indexing, the final one costs about what the background ones did (indexing CPU +3 %).
pub fn commit_merged(index: &Index, mut writer: IndexWriter<TantivyDocument>) -> Result<()> {
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(())
}

/// The tantivy document of an article in `lang`.
pub fn document(fields: &Fields, record: &Record, lang: Lang) -> TantivyDocument {
    let a = &record.article;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &a.id);
    doc.add_u64(fields.lang, lang.index() as u64);
    if let (Some(ts), Some(text)) = (a.timestamp, &a.date) {
        // Validation keeps dates in range; clamp anyway, as the conversion would overflow.
        let ts = ts.clamp(MIN_TIMESTAMP, MAX_TIMESTAMP);
        doc.add_date(fields.date, DateTime::from_timestamp_secs(ts));
        doc.add_text(fields.date_text, text);
    }
    if !a.source.is_empty() {
        doc.add_text(fields.source, &a.source);
    }
    if !a.url.is_empty() {
        doc.add_text(fields.url, &a.url);
    }
    doc.add_text(fields.title[lang.index()], &a.title);
    doc.add_text(fields.body[lang.index()], &a.body);
    doc
}

/// One input record as the index commands take it: a valid article, or, for a bad line,
/// `None` after counting it in `rejected` and reporting it (an error with `strict`). Other
/// errors (a file that cannot be read) end the command.
pub fn accept(
    record: Result<Record>,
    strict: bool,
    rejected: &mut u64,
    on_error: &mut dyn FnMut(&Error),
) -> Result<Option<Record>> {
    match record {
        Ok(r) => Ok(Some(r)),
        Err(e @ Error::BadArticle { .. }) => {
            if strict {
                return Err(Error::Strict(Box::new(e)));
            }
            *rejected += 1;
            on_error(&e);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// An article's language: as given, or detected (always, with `redetect`), counting the
/// detection's time and method, and its disagreements with a given language, in `stats`.
pub fn language(a: &Article, redetect: bool, detector: &Detector, stats: &mut Stats) -> Lang {
    match (a.lang, redetect) {
        (Some(given), false) => given,
        (given, _) => {
            let t = Instant::now();
            let d = detector.detect(&a.title, &a.body);
            stats.detect_time += t.elapsed();
            stats.detected[match d.method {
                Method::Letters => 0,
                Method::Lingua => 1,
                Method::Fallback => 2,
            }] += 1;
            if let Some(given) = given {
                stats.compared += 1;
                if given != d.lang {
                    stats.disagreements += 1;
                }
            }
            d.lang
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_str;
    use crate::sample::ARTICLES;

    #[test]
    fn a_rebuild_leaves_one_segment() {
        let dir = tempfile::tempdir().unwrap();
        let idx = IndexDir::new(dir.path());
        let opts = BuildOptions {
            threads: 3,
            ..BuildOptions::default()
        };
        let stats = rebuild(
            &idx,
            read_str("sample", ARTICLES).into_iter(),
            &opts,
            &Detector::new(),
            &mut |_| {},
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(stats.indexed, 51);
        let snap = idx.open_current().unwrap().unwrap();
        assert_eq!(snap.index.searchable_segment_ids().unwrap().len(), 1);
        assert_eq!(snap.num_docs(), 51);
    }
}
