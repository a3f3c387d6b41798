//! The benchmark corpus at any size: the input files read once, or read N times over with new
//! ids (`id`, `id~2`, … `id~N`), so a 10× index holds ten distinct copies of every article —
//! posting lists ten times as long, the same vocabulary — without ever holding the corpus in
//! memory.

use std::path::PathBuf;

use crate::error::Result;
use crate::ingest::{Reader, Record};

/// The records of `paths`, `passes` times over; pass k > 1 suffixes every id with `~k`.
pub struct Scaled {
    paths: Vec<PathBuf>,
    passes: usize,
    pass: usize,
    reader: Option<Reader>,
}

impl Scaled {
    /// `passes` passes over `paths` (already expanded); 0 passes yield nothing.
    pub fn new(paths: Vec<PathBuf>, passes: usize) -> Scaled {
        Scaled {
            paths,
            passes,
            pass: 0,
            reader: None,
        }
    }
}

/// The id of `id` in pass `pass` (1-based).
pub fn scaled_id(id: &str, pass: usize) -> String {
    if pass <= 1 {
        id.to_string()
    } else {
        format!("{id}~{pass}")
    }
}

impl Iterator for Scaled {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        loop {
            if self.reader.is_none() {
                if self.pass >= self.passes {
                    return None;
                }
                self.pass += 1;
                self.reader = Some(Reader::new(self.paths.clone()));
            }
            match self.reader.as_mut()?.next() {
                Some(Ok(mut rec)) => {
                    if self.pass > 1 {
                        rec.article.id = scaled_id(&rec.article.id, self.pass);
                    }
                    return Some(Ok(rec));
                }
                // A bad line is reported once, on the first pass, like `kazsearch index` would.
                Some(Err(e)) if self.pass == 1 => return Some(Err(e)),
                Some(Err(_)) => {}
                None => self.reader = None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        let cases = [
            ("a", 0, "a"),
            ("a", 1, "a"),
            ("a", 2, "a~2"),
            ("x-1", 10, "x-1~10"),
        ];
        for (id, pass, want) in cases {
            assert_eq!(scaled_id(id, pass), want);
        }
    }

    #[test]
    fn passes_repeat_with_new_ids_and_errors_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        std::fs::write(
            &p,
            "{\"id\":\"a\",\"body\":\"x\"}\nnot json\n{\"id\":\"b\",\"body\":\"y\"}\n",
        )
        .unwrap();
        let got: Vec<String> = Scaled::new(vec![p.clone()], 3)
            .map(|r| match r {
                Ok(rec) => rec.article.id,
                Err(_) => "ERR".into(),
            })
            .collect();
        assert_eq!(got, ["a", "ERR", "b", "a~2", "b~2", "a~3", "b~3"]);
        assert_eq!(Scaled::new(vec![p], 0).count(), 0);
    }
}
