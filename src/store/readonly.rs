//! A tantivy directory for readers that never writes: searching and serving work on an index
//! directory the process cannot write (a read-only volume, another user's files).
//!
//! tantivy's readers take `.tantivy-meta.lock` (creating it, opened for writing) while they
//! open a new set of segments, so that a writer's garbage collection cannot delete a segment
//! file between reading `meta.json` and opening the file. On a read-only directory that lock
//! fails ("Failed to acquire Lockfile"). kazsearch's readers skip it: every lock here is a
//! no-op and every write is refused. The race the lock guarded against becomes a failed
//! reload (a file listed in `meta.json` is already gone), which the engine retries on its next
//! poll while it keeps answering from the snapshot it has; segments already open stay readable
//! (their files are memory-mapped, and an unlinked file lives on while mapped).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// A memory-mapped directory opened for reading only.
#[derive(Debug, Clone)]
pub struct ReadOnlyDirectory {
    inner: MmapDirectory,
    path: PathBuf,
}

impl ReadOnlyDirectory {
    /// Opens `path` (which must exist) for reading.
    pub fn open(path: &Path) -> tantivy::Result<ReadOnlyDirectory> {
        Ok(ReadOnlyDirectory {
            inner: MmapDirectory::open(path)?,
            path: path.to_path_buf(),
        })
    }

    fn refused(&self, path: &Path) -> io::Error {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{}: kazsearch opened this index for reading only",
                self.path.join(path).display()
            ),
        )
    }
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(self.refused(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(self.refused(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(self.refused(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// No lock file: see the module docs.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    /// Readers poll instead (see `search::Engine::watch`): no watcher thread.
    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_refused_and_locks_create_no_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), b"x").unwrap();
        let ro = ReadOnlyDirectory::open(dir.path()).unwrap();
        assert!(ro.open_write(Path::new("b")).is_err());
        assert!(ro.atomic_write(Path::new("b"), b"y").is_err());
        assert!(ro.delete(Path::new("a")).is_err());
        let _lock = ro.acquire_lock(&tantivy::directory::META_LOCK).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a"]);
        assert_eq!(ro.atomic_read(Path::new("a")).unwrap(), b"x");
    }
}
