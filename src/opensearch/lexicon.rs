//! The side lexicon of a generation: the terms the query planner's near spellings and
//! sound-alikes walk, with their document frequencies, per language.
//!
//! The embedded engine walks its body-field term dictionaries with two automata: near
//! spellings (within one edit of a word's key, first letter kept) and sound-alikes (a Latin
//! name's consonant pattern over key letters). Both only ever match terms written in the key
//! alphabet, so the lexicon holds exactly those: every body-field term that starts with an
//! ASCII letter or digit (the key and stripped-key views of names, and the plain-ASCII words
//! of English articles), with the number of articles of that language whose body has it.
//! OpenSearch has no API to walk its dictionary with a custom automaton (fuzzy queries know
//! only edit distance), so the planner loads the lexicon once per generation, builds an
//! automaton-searchable set in Rust, and sends the terms it picks as plain term queries.
//!
//! Where it lives: in the cluster, in the index `<name>-lexicon`, as documents of about
//! [`PART_BYTES`] (`"term\tdf\n"` lines, sorted), one set per generation and language. A
//! server may run on another machine than `kazsearch index`, so a local file would not do;
//! and kept beside the alias it is replaced with the same generation: the planner reads the
//! parts whose `generation` is the physical index the alias points to, never a mix.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{json, Value};

use super::client::Client;
use crate::error::{Error, Result};
use crate::lang::Lang;

/// Largest text of one lexicon document, in bytes.
pub const PART_BYTES: usize = 1 << 20;

/// The name of the lexicon index of the alias `name`.
pub fn index_name(name: &str) -> String {
    format!("{name}-lexicon")
}

/// True for a term the lexicon keeps: one that starts with an ASCII letter or digit.
pub fn keeps(term: &str) -> bool {
    term.as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric)
}

/// Document frequencies being counted during a load.
#[derive(Default)]
pub struct Counter {
    df: [FxHashMap<Box<str>, u32>; 3],
    doc: FxHashSet<Box<str>>,
}

impl Counter {
    /// An empty counter.
    pub fn new() -> Counter {
        Counter::default()
    }

    /// Notes a term of the current article's body.
    pub fn term(&mut self, term: &str) {
        if keeps(term) && !self.doc.contains(term) {
            self.doc.insert(term.into());
        }
    }

    /// Ends the current article (in `lang`): each distinct term counts once.
    pub fn end_doc(&mut self, lang: Lang) {
        let df = &mut self.df[lang.index()];
        for t in self.doc.drain() {
            *df.entry(t).or_insert(0) += 1;
        }
    }

    /// The document frequency of `term` in `lang`'s articles.
    pub fn df(&self, lang: Lang, term: &str) -> u32 {
        self.df[lang.index()].get(term).copied().unwrap_or(0)
    }

    /// Distinct terms, all languages together.
    pub fn len(&self) -> usize {
        self.df.iter().map(FxHashMap::len).sum()
    }

    /// True when no term was counted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What adding this counter's articles and removing `minus`'s changes in `lang`: sorted
    /// `term\t±n` lines, terms whose count does not change left out.
    pub fn delta(&self, minus: &Counter, lang: Lang) -> String {
        let mut d: BTreeMap<&str, i64> = BTreeMap::new();
        for (t, n) in &self.df[lang.index()] {
            *d.entry(t).or_insert(0) += i64::from(*n);
        }
        for (t, n) in &minus.df[lang.index()] {
            *d.entry(t).or_insert(0) -= i64::from(*n);
        }
        let mut out = String::new();
        for (t, n) in d {
            if n != 0 {
                out.push_str(&format!("{t}\t{n}\n"));
            }
        }
        out
    }

    /// The lexicon's parts for `lang`: sorted `term\tdf\n` lines cut into texts of at most
    /// [`PART_BYTES`] (a single line is never split).
    pub fn parts(&self, lang: Lang) -> Vec<String> {
        let sorted: BTreeMap<&str, u32> = self.df[lang.index()]
            .iter()
            .map(|(t, n)| (&**t, *n))
            .collect();
        let mut parts = vec![String::new()];
        for (t, n) in sorted {
            let line = format!("{t}\t{n}\n");
            let last = parts.last_mut().expect("parts is never empty");
            if !last.is_empty() && last.len() + line.len() > PART_BYTES {
                parts.push(line);
            } else {
                last.push_str(&line);
            }
        }
        parts.retain(|p| !p.is_empty());
        parts
    }
}

/// The settings and mappings of the lexicon index: stored text only, nothing indexed but
/// the generation and language the planner selects by.
pub fn index_definition() -> Value {
    json!({
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": 1}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "generation": {"type": "keyword"},
                "lang": {"type": "keyword"},
                "part": {"type": "integer"},
                "parts": {"type": "integer"},
                "terms": {"type": "text", "index": false}
            }
        }
    })
}

/// The `_bulk` lines writing the lexicon of `generation` into `index`.
pub fn bulk_lines(counter: &Counter, index: &str, generation: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for lang in Lang::ALL {
        let parts = counter.parts(lang);
        let total = parts.len();
        for (i, terms) in parts.into_iter().enumerate() {
            let id = format!("{generation}-{lang}-{i}");
            lines.push(json!({"index": {"_index": index, "_id": id}}).to_string());
            lines.push(
                json!({"generation": generation, "lang": lang.code(), "part": i,
                       "parts": total, "terms": terms})
                .to_string(),
            );
        }
    }
    lines
}

/// Reads the lexicon of `generation` back from the cluster: per language ([`Lang::index`]),
/// the terms with their document frequencies, sorted by term. The parts written by later adds
/// and deletes (`term\t±n`) are summed in; a term left with none is dropped.
pub fn fetch(client: &Client, name: &str, generation: &str) -> Result<[Vec<(String, u32)>; 3]> {
    let path = format!("/{}/_search", index_name(name));
    let mut sums: [BTreeMap<String, i64>; 3] = Default::default();
    let mut from = 0;
    loop {
        let body = json!({
            "query": {"term": {"generation": generation}},
            "sort": [{"lang": "asc"}, {"part": "asc"}],
            "from": from, "size": 20
        });
        let r = client.ok("POST", &path, Some(&body))?;
        let hits = r["hits"]["hits"].as_array().cloned().unwrap_or_default();
        if hits.is_empty() {
            break;
        }
        from += hits.len();
        for hit in hits {
            let src = &hit["_source"];
            let lang = src["lang"]
                .as_str()
                .and_then(Lang::from_code)
                .ok_or_else(|| Error::OpenSearch(format!("{path}: a lexicon part without lang")))?;
            for line in src["terms"].as_str().unwrap_or("").lines() {
                if let Some((t, n)) = line.split_once('\t') {
                    *sums[lang.index()].entry(t.to_string()).or_insert(0) +=
                        n.parse::<i64>().unwrap_or(0);
                }
            }
        }
    }
    Ok(sums.map(|m| {
        m.into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(t, n)| (t, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_not_occurrences() {
        let mut c = Counter::new();
        for t in ["astana", "astana", "астана", "tokaev"] {
            c.term(t);
        }
        c.end_doc(Lang::Kk);
        c.term("astana");
        c.end_doc(Lang::Kk);
        c.term("astana");
        c.end_doc(Lang::Ru);
        assert_eq!(c.df(Lang::Kk, "astana"), 2);
        assert_eq!(c.df(Lang::Kk, "tokaev"), 1);
        assert_eq!(c.df(Lang::Kk, "астана"), 0, "Cyrillic terms are not kept");
        assert_eq!(c.df(Lang::Ru, "astana"), 1);
        assert_eq!(
            c.parts(Lang::Kk),
            vec!["astana\t2\ntokaev\t1\n".to_string()]
        );
        assert!(c.parts(Lang::En).is_empty());
    }

    #[test]
    fn deltas() {
        let mut plus = Counter::new();
        plus.term("astana");
        plus.term("nursultan");
        plus.end_doc(Lang::Kk);
        let mut minus = Counter::new();
        minus.term("astana");
        minus.term("akmola");
        minus.end_doc(Lang::Kk);
        assert_eq!(plus.delta(&minus, Lang::Kk), "akmola\t-1\nnursultan\t1\n");
        assert_eq!(plus.delta(&minus, Lang::Ru), "");
    }

    #[test]
    fn kept_terms() {
        for (t, want) in [
            ("astana", true),
            ("2020", true),
            ("астана", false),
            ("", false),
            ("_x", false),
        ] {
            assert_eq!(keeps(t), want, "{t:?}");
        }
    }

    #[test]
    fn parts_split_between_lines() {
        let mut c = Counter::new();
        for i in 0..200_000 {
            c.term(&format!("term{i:06}"));
            c.end_doc(Lang::En);
        }
        let parts = c.parts(Lang::En);
        assert!(parts.len() > 1);
        assert!(parts
            .iter()
            .all(|p| p.len() <= PART_BYTES && p.ends_with('\n')));
        assert_eq!(
            parts.iter().map(|p| p.lines().count()).sum::<usize>(),
            200_000
        );
    }

    #[test]
    fn golden_bulk_lines() {
        let mut c = Counter::new();
        c.term("almaty");
        c.end_doc(Lang::Ru);
        assert_eq!(
            bulk_lines(&c, "news-lexicon", "news-gen-1"),
            vec![
                r#"{"index":{"_id":"news-gen-1-ru-0","_index":"news-lexicon"}}"#.to_string(),
                r#"{"generation":"news-gen-1","lang":"ru","part":0,"parts":1,"terms":"almaty\t1\n"}"#.to_string(),
            ]
        );
    }
}
