//! The library's one error type: every failure names what went wrong and where.
//!
//! Ingest errors carry the file and line; query errors say which parameter or which part of
//! the query; storage errors wrap tantivy's. The HTTP layer maps these onto status codes in
//! `http::error`, so a user mistake is a 400 and never a 5xx.

use std::path::PathBuf;

/// Everything that can go wrong in kazsearch.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A line of an input file could not be turned into an article.
    #[error("{}:{line}: {reason}", path.display())]
    BadArticle {
        /// The input file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong with the line.
        reason: String,
    },
    /// The search request is invalid (query syntax or a parameter out of range).
    #[error("{message}")]
    BadQuery {
        /// Which parameter was wrong (`q`, `limit`, `from`…).
        param: &'static str,
        /// A sentence a user can act on.
        message: String,
    },
    /// No article has this id.
    #[error("no article with id {0:?}")]
    NotFound(String),
    /// Another rebuild holds the index directory's lock.
    #[error("another `kazsearch index` is already rebuilding {}; wait for it to finish", .0.display())]
    Busy(PathBuf),
    /// The index directory exists but is not one kazsearch wrote.
    #[error("{}: {reason}", path.display())]
    BadIndexDir {
        /// The directory.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// An input or index file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `--strict` was given and a line was bad.
    #[error("stopped at the first bad line (--strict); the old index is untouched: {0}")]
    Strict(Box<Error>),
    /// The OpenSearch cluster refused a request or could not be reached.
    #[error("opensearch: {0}")]
    OpenSearch(String),
    /// The index engine failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// An `Io` error for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A `BadQuery` error for parameter `param`.
    pub fn bad_query(param: &'static str, message: impl Into<String>) -> Error {
        Error::BadQuery {
            param,
            message: message.into(),
        }
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_displays_its_context() {
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::BadArticle {
                    path: "a.jsonl".into(),
                    line: 7,
                    reason: "no body".into(),
                },
                "a.jsonl:7: no body",
            ),
            (
                Error::bad_query("limit", "limit must be between 1 and 100"),
                "limit must be between 1 and 100",
            ),
            (Error::NotFound("x1".into()), "no article with id \"x1\""),
            (
                Error::Busy("idx".into()),
                "another `kazsearch index` is already rebuilding idx; wait for it to finish",
            ),
            (
                Error::BadIndexDir {
                    path: "idx".into(),
                    reason: "not a kazsearch index".into(),
                },
                "idx: not a kazsearch index",
            ),
            (
                Error::io("f.jsonl", std::io::Error::other("boom")),
                "f.jsonl: boom",
            ),
            (
                Error::Strict(Box::new(Error::BadArticle {
                    path: "a.jsonl".into(),
                    line: 2,
                    reason: "not JSON".into(),
                })),
                "stopped at the first bad line (--strict); the old index is untouched: a.jsonl:2: not JSON",
            ),
            (
                Error::OpenSearch("GET /: connection refused".into()),
                "opensearch: GET /: connection refused",
            ),
            (
                Error::Tantivy(tantivy::TantivyError::InvalidArgument("x".into())),
                "index error: An invalid argument was passed: 'x'",
            ),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
        }
    }
}
