//! The query language, parsed into a plain structure (no tantivy types).
//!
//! ```text
//! Тоқаев Астана          words: every one must match (in any field, any script)
//! "Қасым-Жомарт Тоқаев"  a phrase: the words next to each other, in this order, in any
//!                        script and inflection, without aliases or guesses
//! Nur-Sultan             a hyphenated word is a phrase of its parts
//! -Токарев  -"a b"       exclusion
//! lang:kk                only articles in this language (kk, ru or en)
//! ```
//! Words are found with the same UAX #29 segmentation as the articles, so punctuation in a
//! query is ignored rather than an error. What is an error: an unclosed quote, an unknown
//! `lang:`, two `lang:` filters, a query that only excludes, and a query with no words.

use crate::analysis::words::words;
use crate::error::{Error, Result};
use crate::lang::Lang;

/// Most words (counting phrase words) a query may have.
pub const MAX_QUERY_WORDS: usize = 32;

/// A unit of matching: one word, or a phrase of several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The words as typed (at least one).
    pub words: Vec<String>,
    /// Typed in quotes: an exact name. It matches the words in every script and inflection
    /// (their keys and stripped keys), but not their aliases and no guesses (near spellings,
    /// sound-alikes): `"Nur-Sultan"` finds Nur-Sultan and Нұр-Сұлтанда, not Astana.
    pub quoted: bool,
}

impl Unit {
    /// True for a phrase of two or more words.
    pub fn is_phrase(&self) -> bool {
        self.words.len() > 1
    }
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Units that must all match.
    pub must: Vec<Unit>,
    /// Units that must not match.
    pub must_not: Vec<Unit>,
    /// A `lang:` filter written in the query.
    pub lang: Option<Lang>,
}

/// Parses a query string.
///
/// ```
/// use kazsearch::search::query::parse;
/// let q = parse(r#"Тоқаев "Нұр-Сұлтан" -Токарев lang:kk"#).unwrap();
/// assert_eq!(q.must.len(), 2);
/// assert_eq!(q.must_not[0].words, ["Токарев"]);
/// assert_eq!(q.lang.map(|l| l.code()), Some("kk"));
/// ```
pub fn parse(q: &str) -> Result<ParsedQuery> {
    let mut out = ParsedQuery::default();
    let chars: Vec<(usize, char)> = q.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let negated = c == '-' && chars.get(i + 1).is_some_and(|(_, n)| !n.is_whitespace());
        if negated {
            i += 1;
        }
        let (text, quoted) = if chars.get(i).is_some_and(|(_, c)| is_quote(*c)) {
            let open = chars[i].0;
            let body_start = open + chars[i].1.len_utf8();
            let close = chars[i + 1..].iter().find(|(_, c)| is_quote(*c));
            let Some(&(close_at, _)) = close else {
                return Err(Error::bad_query(
                    "q",
                    format!(
                        "unclosed quote: the quote at character {} has no closing quote",
                        q[..open].chars().count() + 1
                    ),
                ));
            };
            i = chars
                .iter()
                .position(|(b, _)| *b == close_at)
                .unwrap_or(chars.len())
                + 1;
            (&q[body_start..close_at], true)
        } else {
            let from = chars[i].0;
            while i < chars.len() && !chars[i].1.is_whitespace() && !is_quote(chars[i].1) {
                i += 1;
            }
            let to = chars.get(i).map_or(q.len(), |(b, _)| *b);
            (&q[from..to], false)
        };
        if !quoted {
            if let Some(code) = text.strip_prefix("lang:") {
                if negated {
                    return Err(Error::bad_query(
                        "q",
                        "-lang: is not supported; use lang:xx to pick one language",
                    ));
                }
                let lang = Lang::from_code(code).ok_or_else(|| {
                    Error::bad_query("q", format!("unknown language {code:?} in lang:{code}: use lang:kk, lang:ru or lang:en"))
                })?;
                if out.lang.is_some_and(|l| l != lang) {
                    return Err(Error::bad_query(
                        "q",
                        "the query has two different lang: filters; give one",
                    ));
                }
                out.lang = Some(lang);
                continue;
            }
        }
        let ws: Vec<String> = words(text).map(|w| w.text.to_string()).collect();
        if ws.is_empty() {
            continue;
        }
        let unit = Unit { words: ws, quoted };
        if negated {
            out.must_not.push(unit);
        } else {
            out.must.push(unit);
        }
    }
    let n: usize = out
        .must
        .iter()
        .chain(&out.must_not)
        .map(|u| u.words.len())
        .sum();
    if n > MAX_QUERY_WORDS {
        return Err(Error::bad_query(
            "q",
            format!("the query has {n} words; at most {MAX_QUERY_WORDS} are allowed"),
        ));
    }
    if out.must.is_empty() {
        return Err(Error::bad_query(
            "q",
            if out.must_not.is_empty() {
                "the query has no words to search for"
            } else {
                "the query only excludes words; add a word to search for"
            },
        ));
    }
    Ok(out)
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(us: &[Unit]) -> Vec<String> {
        us.iter().map(|u| u.words.join(" ")).collect()
    }

    #[test]
    fn table() {
        // (query, must, must_not, lang)
        let ok: &[(&str, &[&str], &[&str], Option<&str>)] = &[
            ("Тоқаев", &["Тоқаев"], &[], None),
            ("  Tokayev   Astana ", &["Tokayev", "Astana"], &[], None),
            (
                r#""Қасым-Жомарт Тоқаев" саммит"#,
                &["Қасым Жомарт Тоқаев", "саммит"],
                &[],
                None,
            ),
            ("Nur-Sultan", &["Nur Sultan"], &[], None),
            ("Tokayev -Tokarev", &["Tokayev"], &["Tokarev"], None),
            (
                r#"Tokayev -"Nur Sultan""#,
                &["Tokayev"],
                &["Nur Sultan"],
                None,
            ),
            ("Tokayev lang:KK", &["Tokayev"], &[], Some("kk")),
            ("Tokayev - Astana", &["Tokayev", "Astana"], &[], None),
            ("«Астана» && ||", &["Астана"], &[], None),
            ("Tokayev's", &["Tokayev"], &[], None),
            ("a \"\" b", &["a", "b"], &[], None),
            ("lang:ru lang:ru x", &["x"], &[], Some("ru")),
            (
                "<script>alert(1)</script>",
                &["script alert 1 script"],
                &[],
                None,
            ),
        ];
        for (q, must, must_not, lang) in ok {
            let p = parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(units(&p.must), *must, "{q}");
            assert_eq!(units(&p.must_not), *must_not, "{q}");
            assert_eq!(p.lang.map(|l| l.code()), *lang, "{q}");
        }
        let bad: &[(&str, &str)] = &[
            ("", "no words"),
            ("   ", "no words"),
            ("!!! ???", "no words"),
            ("-Tokarev", "only excludes"),
            ("\"Tokayev", "unclosed quote: the quote at character 1"),
            ("ab \"cd", "character 4"),
            ("x lang:de", "unknown language \"de\""),
            ("x lang:", "unknown language"),
            ("x lang:kk lang:ru", "two different lang"),
            ("x -lang:kk", "-lang: is not supported"),
        ];
        for (q, want) in bad {
            let e = parse(q).unwrap_err().to_string();
            assert!(e.contains(want), "{q:?}: {e}");
        }
        let quoted = parse(r#""Nur-Sultan" Astana"#).unwrap();
        assert_eq!(
            quoted.must.iter().map(|u| u.quoted).collect::<Vec<_>>(),
            [true, false]
        );
        let long = "a ".repeat(MAX_QUERY_WORDS + 1);
        assert!(parse(&long).unwrap_err().to_string().contains("at most 32"));
    }
}
