//! Reading articles from JSONL files and folders of them.
//!
//! Every line becomes a [`Record`] or an [`Error::BadArticle`] naming the file and line, so the
//! indexer can report and skip it (or stop, with `--strict`). Reading never loads a whole file:
//! lines are read one at a time with a length cap, invalid UTF-8 is reported per line, and
//! `.zst` files are decompressed on the fly.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::article::{Article, MAX_BODY_BYTES};
use crate::error::{Error, Result};

/// Longest line read into memory; a longer one is skipped and reported.
pub const MAX_LINE_BYTES: u64 = (MAX_BODY_BYTES as u64) * 4;

/// Why a UTF-16 file is rejected (once, as its line 1).
const UTF16: &str = "the file is UTF-16 (it starts with a UTF-16 byte order mark); kazsearch reads UTF-8: convert it, e.g. with iconv -f UTF-16 -t UTF-8; the file was skipped";

/// One article with where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    /// The validated article.
    pub article: Article,
    /// The input file.
    pub path: Arc<Path>,
    /// 1-based line number.
    pub line: u64,
}

/// Expands the command-line inputs: files are taken as they are, folders are searched
/// (recursively, sorted) for `*.jsonl`, `*.ndjson` and `*.jsonl.zst` files.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
        if meta.is_dir() {
            let before = out.len();
            walk(input, &mut out)?;
            if out.len() == before {
                return Err(Error::io(
                    input,
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "folder holds no .jsonl, .ndjson or .jsonl.zst files",
                    ),
                ));
            }
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .map(|e| e.map(|e| e.path()).map_err(|e| Error::io(dir, e)))
        .collect::<Result<_>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_input_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_input_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".jsonl.zst")
}

/// Total size in bytes of the inputs (compressed size for `.zst`), for progress bars.
pub fn total_bytes(paths: &[PathBuf]) -> u64 {
    paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Counts bytes as they are read from a file, for progress reporting.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads the records of several files in order.
pub struct Reader {
    paths: Vec<PathBuf>,
    next_path: usize,
    current: Option<(Arc<Path>, Box<dyn BufRead + Send>)>,
    line: u64,
    buf: Vec<u8>,
    /// Bytes read so far over all files (compressed bytes for `.zst`).
    pub bytes_read: Arc<AtomicU64>,
}

impl Reader {
    /// A reader over `paths` (already expanded with [`expand_inputs`]).
    pub fn new(paths: Vec<PathBuf>) -> Reader {
        Reader {
            paths,
            next_path: 0,
            current: None,
            line: 0,
            buf: Vec::new(),
            bytes_read: Arc::new(AtomicU64::new(0)),
        }
    }

    fn open_next(&mut self) -> Option<Result<()>> {
        let path = self.paths.get(self.next_path)?.clone();
        self.next_path += 1;
        self.line = 0;
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => return Some(Err(Error::io(path, e))),
        };
        let counting = Counting {
            inner: file,
            counter: self.bytes_read.clone(),
        };
        let reader: Box<dyn BufRead + Send> = if path.extension().is_some_and(|e| e == "zst") {
            match zstd::stream::read::Decoder::new(counting) {
                Ok(d) => Box::new(BufReader::with_capacity(1 << 16, d)),
                Err(e) => return Some(Err(Error::io(path, e))),
            }
        } else {
            Box::new(BufReader::with_capacity(1 << 16, counting))
        };
        self.current = Some((Arc::from(path.as_path()), reader));
        Some(Ok(()))
    }

    /// Reads one line into `self.buf`; returns false at end of file. Lines over the cap are
    /// consumed and reported as too long.
    fn read_line(&mut self) -> Result<Option<std::result::Result<(), String>>> {
        let Some((path, reader)) = self.current.as_mut() else {
            return Ok(None);
        };
        self.buf.clear();
        let n = reader
            .by_ref()
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::io(path.to_path_buf(), e))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        if n as u64 == MAX_LINE_BYTES && self.buf.last() != Some(&b'\n') {
            // Skip the rest of the over-long line.
            let mut skipped = 0u64;
            loop {
                let chunk = reader
                    .fill_buf()
                    .map_err(|e| Error::io(path.to_path_buf(), e))?;
                if chunk.is_empty() {
                    break;
                }
                match chunk.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        reader.consume(i + 1);
                        skipped += i as u64 + 1;
                        break;
                    }
                    None => {
                        let len = chunk.len();
                        reader.consume(len);
                        skipped += len as u64;
                    }
                }
            }
            self.buf.clear();
            return Ok(Some(Err(format!(
                "line is {} MB long, over the {} MB limit",
                (MAX_LINE_BYTES + skipped) / (1024 * 1024),
                MAX_LINE_BYTES / (1024 * 1024)
            ))));
        }
        Ok(Some(Ok(())))
    }
}

impl Iterator for Reader {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        loop {
            if self.current.is_none() {
                if let Err(e) = self.open_next()? {
                    return Some(Err(e));
                }
            }
            let status = match self.read_line() {
                Ok(s) => s,
                Err(e) => {
                    self.current = None;
                    return Some(Err(e));
                }
            };
            let path = match &self.current {
                Some((p, _)) => p.clone(),
                None => continue,
            };
            let bad = |line, reason| Error::BadArticle {
                path: path.to_path_buf(),
                line,
                reason,
            };
            match status {
                None => {
                    self.current = None;
                    continue;
                }
                Some(Err(reason)) => return Some(Err(bad(self.line, reason))),
                Some(Ok(())) => {}
            }
            let mut bytes: &[u8] = &self.buf;
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                    // Every line of a UTF-16 file would fail; say it once and skip the file.
                    self.current = None;
                    return Some(Err(bad(1, UTF16.into())));
                }
            }
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    return Some(Err(bad(
                        self.line,
                        format!("not UTF-8: invalid byte at column {}", e.valid_up_to() + 1),
                    )))
                }
            };
            let text = text.trim_end_matches(['\n', '\r']);
            if text.trim().is_empty() {
                continue;
            }
            return Some(match Article::from_json_line(text) {
                Ok(article) => Ok(Record {
                    article,
                    path,
                    line: self.line,
                }),
                Err(reason) => Err(bad(self.line, reason)),
            });
        }
    }
}

/// Reads records from an in-memory JSONL text (the bundled sample corpus); `name` stands for
/// the file name in errors.
pub fn read_str(name: &str, text: &str) -> Vec<Result<Record>> {
    let path: Arc<Path> = Arc::from(Path::new(name));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let line = i as u64 + 1;
            Article::from_json_line(l)
                .map(|article| Record {
                    article,
                    path: path.clone(),
                    line,
                })
                .map_err(|reason| Error::BadArticle {
                    path: path.to_path_buf(),
                    line,
                    reason,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reports_file_and_line_and_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        let mut f = File::create(&path).unwrap();
        f.write_all(b"\xEF\xBB\xBF{\"id\":\"1\",\"body\":\"one\"}\n")
            .unwrap();
        f.write_all(b"\n").unwrap();
        f.write_all(b"{\"id\":\"2\",\"body\":\"\xFF\xFE\"}\n")
            .unwrap();
        f.write_all(b"{broken\r\n").unwrap();
        f.write_all(b"{\"id\":\"3\",\"body\":\"three\"}").unwrap();
        drop(f);
        let got: Vec<String> = Reader::new(vec![path])
            .map(|r| match r {
                Ok(rec) => format!("ok {} at {}", rec.article.id, rec.line),
                Err(e) => e.to_string(),
            })
            .collect();
        let name = dir.path().join("a.jsonl").display().to_string();
        assert_eq!(
            got,
            vec![
                "ok 1 at 1".to_string(),
                format!("{name}:3: not UTF-8: invalid byte at column 19"),
                format!("{name}:4: not valid JSON: key must be a string at line 1 column 2"),
                "ok 3 at 5".to_string(),
            ]
        );
    }

    #[test]
    fn folders_are_searched_and_missing_inputs_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.jsonl"), "").unwrap();
        std::fs::write(dir.path().join("a.jsonl"), "").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        let got = expand_inputs(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(
            got,
            vec![dir.path().join("a.jsonl"), dir.path().join("sub/b.jsonl")]
        );
        let missing = dir.path().join("nope.jsonl");
        let err = expand_inputs(std::slice::from_ref(&missing))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(&missing.display().to_string()), "{err}");
    }

    #[test]
    fn a_utf16_file_is_reported_once_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let mut got = Vec::new();
        for (name, bom) in [("le.jsonl", [0xFF, 0xFE]), ("be.jsonl", [0xFE, 0xFF])] {
            let path = dir.path().join(name);
            let mut bytes = bom.to_vec();
            for u in "{\"id\":\"1\",\"body\":\"x\"}\n{\"id\":\"2\",\"body\":\"y\"}\n".encode_utf16()
            {
                let b = if name == "le.jsonl" {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                bytes.extend_from_slice(&b);
            }
            std::fs::write(&path, bytes).unwrap();
            got.extend(Reader::new(vec![path]).map(|r| r.map(|_| ()).unwrap_err().to_string()));
        }
        let want: Vec<String> = ["le.jsonl", "be.jsonl"]
            .iter()
            .map(|n| format!("{}:1: {UTF16}", dir.path().join(n).display()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn zstd_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl.zst");
        let data = zstd::encode_all(&b"{\"id\":\"z\",\"body\":\"zipped\"}\n"[..], 3).unwrap();
        std::fs::write(&path, data).unwrap();
        let recs: Vec<_> = Reader::new(vec![path]).collect::<Result<_>>().unwrap();
        assert_eq!(recs[0].article.body, "zipped");
    }
}
