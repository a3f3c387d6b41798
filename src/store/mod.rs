//! The on-disk index directory: immutable generations and an atomic pointer to the live one.
//!
//! ```text
//! DIR/CURRENT        the name of the live generation ("gen-000003"), replaced atomically
//! DIR/gen-000003/    a complete tantivy index (plus FORMAT, the layout version)
//! DIR/gen-000002/    the previous generation, kept until the next rebuild
//! DIR/gen-000004.tmp a rebuild in progress (or one killed midway: removed by the next)
//! DIR/LOCK           held (flock) by the one process writing (index, add or delete); it
//!                    holds that process's pid and command, for the message of the next one
//! ```
//!
//! A rebuild writes a whole new generation and only then switches CURRENT with a rename, so a
//! reader sees the old index or the new one, never a half-built one; a rebuild that fails or
//! is killed leaves CURRENT as it was. `add` and `delete` ([`update`]) instead commit into the
//! live generation: tantivy writes the new segment files first and then replaces `meta.json`
//! atomically, so a reader sees the commit whole or not at all, and files of a killed commit
//! are unreferenced and removed by the next writer. The lock is an OS file lock: it dies with
//! its process, so there are no stale locks to clean. Readers open a generation through
//! [`readonly::ReadOnlyDirectory`] and never write (not even tantivy's lock files), so a
//! read-only index directory can be searched and served. The helpers here are the only place
//! an `Index` is opened, and they always register kazsearch's tokenizers.

pub mod readonly;
pub mod schema;
pub mod update;
pub mod writer;

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analysis::{tokenizer::KzTokenizer, tokenizer_name};
use crate::error::{Error, Result};
use crate::lang::Lang;
pub use schema::{build_schema, Fields, FORMAT_VERSION};

/// Registers kazsearch's analyzers (one per language) with tantivy.
pub fn register(manager: &TokenizerManager) {
    for lang in Lang::ALL {
        manager.register(
            tokenizer_name(lang),
            TextAnalyzer::from(KzTokenizer::new(lang)),
        );
    }
}

/// An open generation at one commit: the index, a reader over it and its fields.
pub struct Snapshot {
    /// Generation name, e.g. `gen-000003`.
    pub generation: String,
    /// The index.
    pub index: Index,
    /// A reader (at one commit: it never reloads; a new commit gets a new snapshot).
    pub reader: IndexReader,
    /// Field handles.
    pub fields: Fields,
    /// The `lang` fast-field column of each segment, by segment ordinal. Opening a column
    /// decodes its block index (about a thousand blocks at 500,000 articles), so it is done
    /// once per snapshot here rather than for every hit of every search.
    pub langs: Vec<Column<u64>>,
    /// The commit's opstamp (tantivy's count of operations, increasing with every commit).
    pub opstamp: u64,
    /// What `meta.json` said when the snapshot was opened: opstamp, then each segment and its
    /// deletions. A different value on disk means a commit or a merge landed since.
    version: Version,
}

/// A commit's identity as `meta.json` gives it: see [`Snapshot::changed_on_disk`].
type Version = (u64, Vec<(SegmentId, u32)>);

fn version_of(index: &Index) -> tantivy::Result<Version> {
    let metas = index.load_metas()?;
    let segments = metas
        .segments
        .iter()
        .map(|s| (s.id(), s.num_deleted_docs()))
        .collect();
    Ok((metas.opstamp, segments))
}

impl Snapshot {
    /// Hands every live article's stored document to `each`, and a getter for its text
    /// fields ("" when absent): the plain baselines of `eval` are built from these.
    pub fn for_each_stored(
        &self,
        mut each: impl FnMut(&dyn Fn(tantivy::schema::Field) -> String) -> Result<()>,
    ) -> Result<()> {
        use tantivy::schema::Value;
        let searcher = self.reader.searcher();
        for seg in searcher.segment_readers() {
            let store = seg
                .get_store_reader(16)
                .map_err(|e| Error::io("baseline store", e))?;
            for doc_id in seg.doc_ids_alive() {
                let d: tantivy::TantivyDocument = store.get(doc_id)?;
                let text = |field| {
                    d.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string()
                };
                each(&text)?;
            }
        }
        Ok(())
    }

    /// Opens the tantivy index in `path`, for reading only.
    pub fn open(path: &Path, generation: String) -> Result<Snapshot> {
        let format = std::fs::read_to_string(path.join("FORMAT")).unwrap_or_default();
        if format.trim() != FORMAT_VERSION.to_string() {
            return Err(Error::BadIndexDir {
                path: path.to_path_buf(),
                reason: format!(
                    "built by another kazsearch version (format {:?}, this one reads {FORMAT_VERSION}); run `kazsearch index` again",
                    format.trim()
                ),
            });
        }
        let opening = |source| Error::Store {
            action: "opening the index",
            path: path.to_path_buf(),
            source,
        };
        let directory = readonly::ReadOnlyDirectory::open(path).map_err(opening)?;
        let index = Index::open(directory).map_err(opening)?;
        register(index.tokenizers());
        Snapshot::at_commit(index, path, generation)
    }

    /// A snapshot of `index` (already open, tokenizers registered) at its latest commit.
    fn at_commit(index: Index, path: &Path, generation: String) -> Result<Snapshot> {
        let opening = |source| Error::Store {
            action: "opening the index",
            path: path.to_path_buf(),
            source,
        };
        let fields = schema::fields_of(&index.schema())?;
        // Read before the reader opens the segments: if a commit lands in between, the next
        // poll sees a different version and opens it (never the other way round).
        let version = version_of(&index).map_err(opening)?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(opening)?;
        let langs = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("lang"))
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(opening)?;
        Ok(Snapshot {
            generation,
            index,
            reader,
            fields,
            langs,
            opstamp: version.0,
            version,
        })
    }

    /// True when `meta.json` names another commit than this snapshot's (a commit or a merge
    /// landed in this generation since it was opened).
    pub fn changed_on_disk(&self) -> Result<bool> {
        let now = version_of(&self.index).map_err(|source| Error::Store {
            action: "reading the commit point (meta.json) of",
            path: PathBuf::from(&self.generation),
            source,
        })?;
        Ok(now != self.version)
    }

    /// The same generation at its latest commit (shares the open files of unchanged
    /// segments).
    pub fn reopen(&self, dir: &IndexDir) -> Result<Snapshot> {
        Snapshot::at_commit(
            self.index.clone(),
            &dir.path().join(&self.generation),
            self.generation.clone(),
        )
    }

    /// Number of articles.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Number of articles in each language, by [`Lang::index`] (deleted ones not counted).
    pub fn docs_by_lang(&self) -> Result<[u64; 3]> {
        let searcher = self.reader.searcher();
        let mut out = [0u64; 3];
        for lang in Lang::ALL {
            let q = tantivy::query::TermQuery::new(
                tantivy::Term::from_field_u64(self.fields.lang, lang.index() as u64),
                tantivy::schema::IndexRecordOption::Basic,
            );
            out[lang.index()] = searcher.search(&q, &tantivy::collector::Count)? as u64;
        }
        Ok(out)
    }
}

/// The index directory.
#[derive(Debug, Clone)]
pub struct IndexDir {
    path: PathBuf,
}

impl IndexDir {
    /// The directory at `path` (it need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> IndexDir {
        IndexDir { path: path.into() }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The live generation's name, or None when nothing was ever built here.
    pub fn current(&self) -> Result<Option<String>> {
        let p = self.path.join("CURRENT");
        match std::fs::read_to_string(&p) {
            Ok(s) => {
                let name = s.trim().to_string();
                if !is_generation_name(&name) {
                    return Err(Error::BadIndexDir {
                        path: p,
                        reason: format!("does not name a generation: {name:?}"),
                    });
                }
                Ok(Some(name))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io_while("reading", p, e)),
        }
    }

    /// Opens the live generation, or None when there is none yet.
    pub fn open_current(&self) -> Result<Option<Snapshot>> {
        match self.current()? {
            Some(gen) => Snapshot::open(&self.path.join(&gen), gen).map(Some),
            None => Ok(None),
        }
    }

    /// True when the directory is missing, empty, or holds only dot files (`.gitkeep`).
    pub fn is_blank(&self) -> Result<bool> {
        match std::fs::read_dir(&self.path) {
            Ok(entries) => {
                for e in entries {
                    let e = e.map_err(|e| Error::io_while("listing", &self.path, e))?;
                    if !e.file_name().to_string_lossy().starts_with('.') {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
            Err(e) => Err(Error::io_while("listing", &self.path, e)),
        }
    }

    /// Takes the writers' lock (for `index`, `add` or `delete`: `command` names which), or
    /// fails with [`Error::Busy`] naming the process that holds it.
    pub fn lock(&self, command: &str) -> Result<RebuildLock> {
        std::fs::create_dir_all(&self.path)
            .map_err(|e| Error::io_while("creating", &self.path, e))?;
        let p = self.path.join("LOCK");
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&p)
            .map_err(|e| Error::io_while("opening the write lock", &p, e))?;
        match file.try_lock() {
            Ok(()) => {
                // Who holds it, for the message of the one refused. Not part of the index:
                // losing it (a kill midway) only makes that message vaguer.
                let who = format!(
                    "pid {} (`kazsearch {command}`, since {}s after the epoch)\n",
                    std::process::id(),
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0)
                );
                let _ = file
                    .set_len(0)
                    .and_then(|_| file.rewind())
                    .and_then(|_| file.write_all(who.as_bytes()));
                Ok(RebuildLock { _file: file })
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                Err(Error::Busy {
                    path: p.clone(),
                    holder: if holder.is_empty() {
                        "another kazsearch process".into()
                    } else {
                        holder.to_string()
                    },
                })
            }
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io_while("locking", p, e)),
        }
    }

    /// Names of the generations on disk (complete ones), sorted.
    fn generations(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let entries =
            std::fs::read_dir(&self.path).map_err(|e| Error::io_while("listing", &self.path, e))?;
        for e in entries {
            let e = e.map_err(|e| Error::io_while("listing", &self.path, e))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if is_generation_name(&name) || name.ends_with(".tmp") && name.starts_with("gen-") {
                out.push(name);
            }
        }
        out.sort();
        Ok(out)
    }

    /// Points CURRENT at `generation`, atomically and durably.
    fn set_current(&self, generation: &str) -> Result<()> {
        let tmp = self.path.join("CURRENT.tmp");
        let mut f = File::create(&tmp).map_err(|e| Error::io_while("creating", &tmp, e))?;
        f.write_all(format!("{generation}\n").as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::io_while("writing", &tmp, e))?;
        let cur = self.path.join("CURRENT");
        std::fs::rename(&tmp, &cur).map_err(|e| Error::io_while("replacing", &cur, e))?;
        sync_dir(&self.path)
    }
}

/// Holds the writers' lock until dropped.
pub struct RebuildLock {
    _file: File,
}

impl Drop for RebuildLock {
    /// Clears the holder's name (the lock itself goes with the file handle).
    fn drop(&mut self) {
        let _ = self._file.set_len(0);
    }
}

fn is_generation_name(name: &str) -> bool {
    name.strip_prefix("gen-")
        .is_some_and(|n| n.len() == 6 && n.bytes().all(|b| b.is_ascii_digit()))
}

fn sync_dir(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io_while("syncing", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let idx = IndexDir::new(dir.path());
        let first = idx.lock("add").unwrap();
        let err = idx.lock("delete").err().unwrap();
        assert!(matches!(err, Error::Busy { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.contains("LOCK"), "{msg}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        assert!(msg.contains("kazsearch add"), "{msg}");
        drop(first);
        idx.lock("index").unwrap();
    }

    #[test]
    fn blank_and_current() {
        let dir = tempfile::tempdir().unwrap();
        let idx = IndexDir::new(dir.path().join("idx"));
        assert!(idx.is_blank().unwrap());
        std::fs::create_dir_all(idx.path()).unwrap();
        std::fs::write(idx.path().join(".gitkeep"), "").unwrap();
        assert!(idx.is_blank().unwrap());
        assert_eq!(idx.current().unwrap(), None);
        std::fs::write(idx.path().join("CURRENT"), "../etc\n").unwrap();
        assert!(idx.current().is_err());
        assert!(!idx.is_blank().unwrap());
    }
}
