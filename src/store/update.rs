//! Changing the live index in place: `add` (new articles, or replacements by id) and `delete`,
//! each as one tantivy commit into the live generation, then a merge of the small segments.
//!
//! Atomicity comes from tantivy's commit: the new segment files and deletion bitsets are
//! written and synced first, then `meta.json` is replaced by a rename. A reader (or a process
//! killed at any point) sees the old `meta.json` or the new one; files a killed command left
//! behind are named by neither and removed by the next writer's garbage collection, so nothing
//! needs cleaning. kazsearch writes nothing else into the generation. The merge that follows a
//! commit is a second, independent switch of `meta.json` (same articles, fewer segments).
//!
//! ## Merge policy
//!
//! Every commit makes one small segment, and each segment costs every query a term
//! dictionary lookup (and a walk, for near spellings). tantivy's default policy merges in
//! levels of similar sizes in background threads that a short command would kill, so
//! kazsearch plans its merges itself ([`merge_plan`]) and waits for them: a segment stays as
//! it is when it holds at least [`MERGE_FACTOR`]× the articles of all smaller segments
//! together and at most a third of it is deleted; everything smaller than the first segment
//! that fails this is merged into one. Sizes then fall geometrically (the rebuilt base, then a
//! few ever smaller ones), a commit rewrites on average a few times its own size, and a full
//! rebuild's single segment is only merged again once the articles added since reach 1/8 of
//! it (that one `add` then takes about as long as merging the whole index).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::writer::{accept, document, open_writer, rebuild_locked, BuildOptions};
use super::{register, schema, IndexDir, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::ingest::Record;
use crate::lang::{Detector, Lang};

/// A segment stays unmerged while it holds at least this many times the articles of all
/// smaller segments together (see the module docs).
pub const MERGE_FACTOR: u64 = 8;

/// What an `add` did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AddStats {
    /// Articles whose id was new.
    pub added: u64,
    /// Articles that replaced one with the same id.
    pub replaced: u64,
    /// Added or replaced articles, by [`Lang::index`].
    pub by_lang: [u64; 3],
    /// Lines rejected.
    pub rejected: u64,
    /// The generation changed.
    pub generation: String,
    /// The commit's opstamp.
    pub opstamp: u64,
    /// Segments merged after the commit (0: none).
    pub merged_segments: usize,
    /// Segments in the index afterwards.
    pub segments: usize,
    /// Articles in the index afterwards.
    pub docs: u64,
    /// Wall time until the commit was durable (and visible to readers).
    #[serde(skip)]
    pub commit_time: Duration,
    /// Wall time of the whole command, merge included.
    #[serde(skip)]
    pub elapsed: Duration,
}

/// What a `delete` did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DeleteStats {
    /// Articles deleted.
    pub deleted: u64,
    /// Ids that no article has (reported, not an error).
    pub unknown: Vec<String>,
    /// The generation changed.
    pub generation: String,
    /// The commit's opstamp (unchanged when nothing was deleted).
    pub opstamp: u64,
    /// Segments merged after the commit.
    pub merged_segments: usize,
    /// Articles in the index afterwards.
    pub docs: u64,
    /// Wall time of the whole command.
    #[serde(skip)]
    pub elapsed: Duration,
}

/// The live generation, opened for writing.
struct Live {
    path: PathBuf,
    generation: String,
    index: Index,
    fields: schema::Fields,
    searcher: Searcher,
}

fn store_err<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl Fn(tantivy::TantivyError) -> Error + 'a {
    move |source| Error::Store {
        action,
        path: path.to_path_buf(),
        source,
    }
}

fn open_live(dir: &IndexDir, generation: String) -> Result<Live> {
    let path = dir.path().join(&generation);
    let format = std::fs::read_to_string(path.join("FORMAT"))
        .map_err(|e| Error::io_while("reading", path.join("FORMAT"), e))?;
    if format.trim() != FORMAT_VERSION.to_string() {
        return Err(Error::BadIndexDir {
            path,
            reason: format!(
                "built by another kazsearch version (format {:?}, this one writes {FORMAT_VERSION}); run `kazsearch index` to rebuild it",
                format.trim()
            ),
        });
    }
    let index = Index::open_in_dir(&path).map_err(store_err("opening for writing", &path))?;
    register(index.tokenizers());
    let fields = schema::fields_of(&index.schema())?;
    let reader: tantivy::IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(store_err("reading", &path))?;
    Ok(Live {
        searcher: reader.searcher(),
        path,
        generation,
        index,
        fields,
    })
}

impl Live {
    /// Live articles with this id (0 or 1, as ids are unique).
    fn count(&self, id: &str) -> Result<u64> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        Ok(self.searcher.search(&q, &Count)? as u64)
    }

    /// Commits with `payload` (kept in meta.json, for whoever reads it), then merges as
    /// [`merge_plan`] says. Returns (opstamp, time to commit, segments merged, segments after).
    fn commit_and_merge(
        &self,
        mut writer: IndexWriter<TantivyDocument>,
        payload: String,
        started: Instant,
    ) -> Result<(u64, Duration, usize, usize)> {
        let committing = store_err("committing to", &self.path);
        let mut prepared = writer.prepare_commit().map_err(&committing)?;
        prepared.set_payload(&payload);
        let opstamp = prepared.commit().map_err(&committing)?;
        let commit_time = started.elapsed();
        let merging = store_err("merging segments of", &self.path);
        let metas = self.index.searchable_segment_metas().map_err(&merging)?;
        let sizes: Vec<(u64, u64)> = metas
            .iter()
            .map(|m| (m.num_docs() as u64, m.num_deleted_docs() as u64))
            .collect();
        let plan = merge_plan(&sizes);
        if !plan.is_empty() {
            let ids: Vec<_> = plan.iter().map(|&i| metas[i].id()).collect();
            writer.merge(&ids).wait().map_err(&merging)?;
        }
        writer.wait_merging_threads().map_err(&merging)?;
        let segments = self
            .index
            .searchable_segment_ids()
            .map_err(store_err("reading", &self.path))?
            .len();
        Ok((opstamp, commit_time, plan.len(), segments))
    }

    fn docs_now(&self) -> Result<u64> {
        let reader: tantivy::IndexReader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(store_err("reading", &self.path))?;
        Ok(reader.searcher().num_docs())
    }
}

/// Adds `records` to the live index, replacing articles with the same id, in one commit
/// (then merges small segments). Bad lines are reported to `on_error` and skipped, or with
/// `opts.strict` stop the command before anything is committed. `on_doc` sees the number of
/// articles read so far. Into a directory with no index yet, this is a first rebuild.
pub fn add(
    dir: &IndexDir,
    records: impl Iterator<Item = Result<Record>>,
    opts: &BuildOptions,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
    on_doc: &mut dyn FnMut(u64),
) -> Result<AddStats> {
    let started = Instant::now();
    let _lock = dir.lock("add")?;
    let Some(generation) = dir.current()? else {
        let s = rebuild_locked(dir, records, opts, detector, on_error, &mut |s| {
            on_doc(s.indexed)
        })?;
        return Ok(AddStats {
            added: s.indexed,
            by_lang: s.by_lang,
            rejected: s.rejected,
            generation: s.generation,
            segments: 1,
            docs: s.indexed,
            commit_time: s.elapsed,
            elapsed: s.elapsed,
            ..AddStats::default()
        });
    };
    let live = open_live(dir, generation)?;
    let writer = open_writer(&live.index, opts.threads, opts.heap_bytes).map_err(|e| match e {
        Error::Tantivy(source) => Error::Store {
            action: "opening a writer on",
            path: live.path.clone(),
            source,
        },
        e => e,
    })?;
    let mut stats = AddStats {
        generation: live.generation.clone(),
        ..AddStats::default()
    };
    // Ids of this command, with the language and whether the index had it before.
    let mut seen: HashMap<String, (Lang, bool)> = HashMap::new();
    let mut read = 0u64;
    for record in records {
        let Some(record) = accept(record, opts.strict, &mut stats.rejected, on_error)? else {
            continue;
        };
        let a = &record.article;
        let lang = a
            .lang
            .unwrap_or_else(|| detector.detect(&a.title, &a.body).lang);
        let existed = match seen.get(&a.id) {
            // Repeated within the input: the last occurrence wins, as in a rebuild.
            Some(&(old, existed)) => {
                stats.by_lang[old.index()] -= 1;
                if existed {
                    stats.replaced -= 1;
                } else {
                    stats.added -= 1;
                }
                existed
            }
            None => live.count(&a.id)? > 0,
        };
        seen.insert(a.id.clone(), (lang, existed));
        writer.delete_term(Term::from_field_text(live.fields.id, &a.id));
        writer.add_document(document(&live.fields, &record, lang))?;
        if existed {
            stats.replaced += 1;
        } else {
            stats.added += 1;
        }
        stats.by_lang[lang.index()] += 1;
        read += 1;
        on_doc(read);
    }
    if seen.is_empty() {
        return Err(Error::BadIndexDir {
            path: dir.path().to_path_buf(),
            reason: format!(
                "no article could be added ({} lines rejected); the index is untouched",
                stats.rejected
            ),
        });
    }
    let payload = serde_json::json!({
        "command": "add", "added": stats.added, "replaced": stats.replaced,
    })
    .to_string();
    let (opstamp, commit_time, merged, segments) =
        live.commit_and_merge(writer, payload, started)?;
    stats.opstamp = opstamp;
    stats.commit_time = commit_time;
    stats.merged_segments = merged;
    stats.segments = segments;
    stats.docs = live.docs_now()?;
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// Deletes the articles with these ids in one commit; ids no article has are listed in the
/// result, not an error. Nothing is committed when no id is known.
pub fn delete(dir: &IndexDir, ids: &[String]) -> Result<DeleteStats> {
    let started = Instant::now();
    let _lock = dir.lock("delete")?;
    let generation = dir.current()?.ok_or_else(|| Error::BadIndexDir {
        path: dir.path().to_path_buf(),
        reason: "no index here to delete from (no CURRENT file)".into(),
    })?;
    let live = open_live(dir, generation)?;
    let mut stats = DeleteStats {
        generation: live.generation.clone(),
        ..DeleteStats::default()
    };
    let mut done = std::collections::HashSet::new();
    let mut doomed = Vec::new();
    for id in ids {
        if !done.insert(id.as_str()) {
            continue;
        }
        match live.count(id)? {
            0 => stats.unknown.push(id.clone()),
            n => {
                stats.deleted += n;
                doomed.push(id);
            }
        }
    }
    if doomed.is_empty() {
        stats.opstamp = live
            .index
            .load_metas()
            .map_err(store_err("reading", &live.path))?
            .opstamp;
        stats.docs = live.searcher.num_docs();
        stats.elapsed = started.elapsed();
        return Ok(stats);
    }
    let writer = open_writer(&live.index, 1, 0)?;
    for id in &doomed {
        writer.delete_term(Term::from_field_text(live.fields.id, id));
    }
    let payload = serde_json::json!({"command": "delete", "deleted": stats.deleted}).to_string();
    let (opstamp, _, merged, _) = live.commit_and_merge(writer, payload, started)?;
    stats.opstamp = opstamp;
    stats.merged_segments = merged;
    stats.docs = live.docs_now()?;
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// Which segments to merge into one, given each segment's (live, deleted) article counts:
/// indices into `segments`, empty for none. See the module docs for the rule.
pub fn merge_plan(segments: &[(u64, u64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(segments[i].0), i));
    let mut rest: u64 = segments.iter().map(|s| s.0).sum();
    for (k, &i) in order.iter().enumerate() {
        let (alive, deleted) = segments[i];
        rest -= alive;
        let heavy_deletes = deleted * 3 > alive + deleted;
        if alive >= MERGE_FACTOR * rest && !heavy_deletes {
            continue;
        }
        let plan = order[k..].to_vec();
        if plan.len() >= 2 || heavy_deletes {
            return plan;
        }
        return Vec::new();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_plans() {
        let cases: &[(&[(u64, u64)], &[usize])] = &[
            (&[], &[]),
            (&[(100, 0)], &[]),
            // A big segment and one small one stay.
            (&[(500_000, 0), (10, 0)], &[]),
            // Two small ones merge, the big one stays.
            (&[(500_000, 0), (10, 0), (10, 0)], &[1, 2]),
            (&[(10, 0), (500_000, 0), (20, 0)], &[2, 0]),
            // A small one 8× the newer ones stays.
            (&[(500_000, 0), (80, 0), (10, 0)], &[]),
            (&[(500_000, 0), (80, 0), (10, 0), (10, 0)], &[1, 2, 3]),
            // The base merges once the rest reaches 1/8 of it.
            (&[(790, 0), (60, 0), (40, 0)], &[0, 1, 2]),
            (&[(800, 0), (60, 0), (40, 0)], &[1, 2]),
            // A third deleted: compacted even alone.
            (&[(1000, 600)], &[0]),
            (&[(1000, 400)], &[]),
        ];
        for (segments, want) in cases {
            assert_eq!(merge_plan(segments), *want, "{segments:?}");
        }
    }

    /// 1,000 commits of 10 articles onto a rebuilt base: few segments, little rewriting.
    #[test]
    fn many_small_commits_keep_few_segments() {
        let mut segs: Vec<(u64, u64)> = vec![(520_550, 0)];
        let (mut rewritten, mut most) = (0u64, 0usize);
        for _ in 0..1000 {
            segs.push((10, 0));
            let plan = merge_plan(&segs);
            if !plan.is_empty() {
                let merged: u64 = plan.iter().map(|&i| segs[i].0).sum();
                rewritten += merged;
                let mut keep: Vec<_> = (0..segs.len())
                    .filter(|i| !plan.contains(i))
                    .map(|i| segs[i])
                    .collect();
                keep.push((merged, 0));
                segs = keep;
            }
            most = most.max(segs.len());
        }
        assert!(most <= 6, "{most} segments at most");
        assert_eq!(segs.iter().map(|s| s.0).sum::<u64>(), 530_550);
        assert!(segs.iter().any(|s| s.0 == 520_550), "the base was merged");
        // Each article is rewritten a bounded number of times (about 15 for 8×: merges of a
        // few hundred articles, milliseconds each).
        assert!(rewritten <= 10_000 * 20, "{rewritten} articles rewritten");
    }
}
