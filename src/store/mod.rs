//! The on-disk index directory: immutable generations and an atomic pointer to the live one.
//!
//! ```text
//! DIR/CURRENT        the name of the live generation ("gen-000003"), replaced atomically
//! DIR/gen-000003/    a complete tantivy index (plus FORMAT, the layout version)
//! DIR/gen-000002/    the previous generation, kept until the next rebuild
//! DIR/gen-000004.tmp a rebuild in progress (or one killed midway: removed by the next)
//! DIR/LOCK           held (flock) by the one process rebuilding
//! ```
//!
//! A rebuild writes a whole new generation and only then switches CURRENT with a rename, so a
//! reader sees the old index or the new one, never a half-built one; a rebuild that fails or
//! is killed leaves CURRENT as it was. The lock is an OS file lock: it dies with its process,
//! so there are no stale locks to clean. `open_or_create`-style helpers here are the only
//! place an `Index` is opened, and they always register kazsearch's tokenizers.

pub mod schema;
pub mod writer;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use tantivy::columnar::Column;
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

/// An open generation: the index, a reader over it and its fields.
pub struct Snapshot {
    /// Generation name, e.g. `gen-000003`.
    pub generation: String,
    /// The index.
    pub index: Index,
    /// A reader (the generation never changes, so it never reloads).
    pub reader: IndexReader,
    /// Field handles.
    pub fields: Fields,
    /// The `lang` fast-field column of each segment, by segment ordinal. Opening a column
    /// decodes its block index (about a thousand blocks at 500,000 articles), so it is done
    /// once per generation here rather than for every hit of every search.
    pub langs: Vec<Column<u64>>,
}

impl Snapshot {
    /// Opens the tantivy index in `path`.
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
        let index = Index::open_in_dir(path)?;
        register(index.tokenizers());
        let fields = schema::fields_of(&index.schema())?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let langs = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("lang"))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Snapshot {
            generation,
            index,
            reader,
            fields,
            langs,
        })
    }

    /// Number of articles.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
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
            Err(e) => Err(Error::io(p, e)),
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
                    let e = e.map_err(|e| Error::io(&self.path, e))?;
                    if !e.file_name().to_string_lossy().starts_with('.') {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
            Err(e) => Err(Error::io(&self.path, e)),
        }
    }

    /// Takes the rebuild lock, or fails with [`Error::Busy`] when another process holds it.
    pub fn lock(&self) -> Result<RebuildLock> {
        std::fs::create_dir_all(&self.path).map_err(|e| Error::io(&self.path, e))?;
        let p = self.path.join("LOCK");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&p)
            .map_err(|e| Error::io(&p, e))?;
        match file.try_lock() {
            Ok(()) => Ok(RebuildLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy(self.path.clone())),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(p, e)),
        }
    }

    /// Names of the generations on disk (complete ones), sorted.
    fn generations(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let entries = std::fs::read_dir(&self.path).map_err(|e| Error::io(&self.path, e))?;
        for e in entries {
            let e = e.map_err(|e| Error::io(&self.path, e))?;
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
        let mut f = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(format!("{generation}\n").as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::io(&tmp, e))?;
        let cur = self.path.join("CURRENT");
        std::fs::rename(&tmp, &cur).map_err(|e| Error::io(&cur, e))?;
        sync_dir(&self.path)
    }
}

/// Holds the rebuild lock until dropped.
pub struct RebuildLock {
    _file: File,
}

fn is_generation_name(name: &str) -> bool {
    name.strip_prefix("gen-")
        .is_some_and(|n| n.len() == 6 && n.bytes().all(|b| b.is_ascii_digit()))
}

fn sync_dir(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let idx = IndexDir::new(dir.path());
        let first = idx.lock().unwrap();
        let err = idx.lock().err().unwrap();
        assert!(matches!(err, Error::Busy(_)), "{err}");
        drop(first);
        idx.lock().unwrap();
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
