//! The query language, parsed into a plain structure (no tantivy types).
//!
//! ```text
//! Тоқаев Астана          words: articles with every word rank first, then those with most
//! "Қасым-Жомарт Тоқаев"  a phrase: the words next to each other, in this order, in any
//!                        script and inflection, without aliases or guesses
//! Nur-Sultan             a hyphenated word is a phrase of its parts
//! Astana OR Nur-Sultan   either may match (also `|`); binds tighter than the space
//! +Жаңаөзен ереуіл       `+`: must be present even when the rest of the query is relaxed
//! -Токарев  -"a b"       exclusion
//! lang:kk                only articles in this language (kk, ru or en)
//! ```
//! Words are found with the same UAX #29 segmentation as the articles, so punctuation in a
//! query is ignored rather than an error. What is an error: an unclosed quote, an unknown
//! `lang:`, two `lang:` filters, a query that only excludes, a query with no words, an `OR`
//! with nothing on one side, and `OR` next to an exclusion or a `+`.

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

    /// The unit as a reader would write it: a word, or a phrase in quotes.
    pub fn display(&self) -> String {
        if self.is_phrase() {
            format!("\"{}\"", self.words.join(" "))
        } else {
            self.words.join(" ")
        }
    }
}

/// One clause of a query: units joined by `OR` (any one matches it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The alternatives, at least one.
    pub any: Vec<Unit>,
    /// Written with `+`: required even when the query is relaxed.
    pub required: bool,
}

impl Clause {
    /// The clause as a reader would write it (`a OR "b c"`).
    pub fn display(&self) -> String {
        let parts: Vec<String> = self.any.iter().map(Unit::display).collect();
        parts.join(" OR ")
    }
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Clauses to match: all of them in the first tier of results, most of them below.
    pub clauses: Vec<Clause>,
    /// Units that must not match.
    pub must_not: Vec<Unit>,
    /// A `lang:` filter written in the query.
    pub lang: Option<Lang>,
    /// The query ends with a question mark: a question, not a list of keywords.
    pub question: bool,
}

impl ParsedQuery {
    /// Every unit to match, in order (the alternatives of each clause).
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.clauses.iter().flat_map(|c| &c.any)
    }

    /// True when the query has one clause of one unit: nothing to relax.
    pub fn is_single(&self) -> bool {
        self.clauses.len() == 1 && self.clauses[0].any.len() == 1
    }
}

/// One item of the query as written, before `OR`s join items into clauses.
enum Item {
    Unit {
        unit: Unit,
        negated: bool,
        plus: bool,
    },
    Or,
}

/// Parses a query string.
///
/// ```
/// use kazsearch::search::query::parse;
/// let q = parse(r#"Тоқаев "Нұр-Сұлтан" OR Астана +Ақорда -Токарев lang:kk"#).unwrap();
/// assert_eq!(q.clauses.len(), 3);
/// assert_eq!(q.clauses[1].display(), r#""Нұр Сұлтан" OR Астана"#);
/// assert!(q.clauses[2].required);
/// assert_eq!(q.must_not[0].words, ["Токарев"]);
/// assert_eq!(q.lang.map(|l| l.code()), Some("kk"));
/// ```
pub fn parse(q: &str) -> Result<ParsedQuery> {
    let mut out = ParsedQuery {
        question: q.trim_end().ends_with(['?', '？']),
        ..ParsedQuery::default()
    };
    let items = scan(q, &mut out.lang)?;
    // Join `a OR b OR c` into one clause.
    let mut pending_or = false;
    for item in items {
        match item {
            Item::Or => {
                let last_ok = out.clauses.last().is_some_and(|_| !pending_or);
                if !last_ok {
                    return Err(Error::bad_query(
                        "q",
                        if pending_or {
                            "two ORs in a row: put a word or a \"phrase\" between them"
                        } else {
                            "OR at the start of the query: put a word or a \"phrase\" before it"
                        },
                    ));
                }
                pending_or = true;
            }
            Item::Unit {
                unit,
                negated,
                plus,
            } => {
                if negated {
                    if pending_or {
                        return Err(Error::bad_query(
                            "q",
                            format!(
                                "OR cannot join an exclusion (-{}): exclude it outside the OR",
                                unit.display()
                            ),
                        ));
                    }
                    out.must_not.push(unit);
                    continue;
                }
                if pending_or {
                    pending_or = false;
                    let Some(last) = out.clauses.last_mut() else {
                        continue;
                    };
                    if plus || last.required {
                        return Err(Error::bad_query(
                            "q",
                            "+ and OR cannot be combined: +word requires one word; write the alternatives without +",
                        ));
                    }
                    last.any.push(unit);
                } else {
                    out.clauses.push(Clause {
                        any: vec![unit],
                        required: plus,
                    });
                }
            }
        }
    }
    if pending_or {
        return Err(Error::bad_query(
            "q",
            "OR at the end of the query: put a word or a \"phrase\" after it",
        ));
    }
    let n: usize = out
        .units()
        .chain(&out.must_not)
        .map(|u| u.words.len())
        .sum();
    if n > MAX_QUERY_WORDS {
        return Err(Error::bad_query(
            "q",
            format!("the query has {n} words; at most {MAX_QUERY_WORDS} are allowed"),
        ));
    }
    if out.clauses.is_empty() {
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

/// Reads the query into words, phrases and ORs (and the `lang:` filter).
fn scan(q: &str, lang: &mut Option<Lang>) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    let chars: Vec<(usize, char)> = q.char_indices().collect();
    let mut i = 0;
    let mut last_negated = false;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '|' {
            while i < chars.len() && chars[i].1 == '|' {
                i += 1;
            }
            if last_negated {
                return Err(or_after_exclusion());
            }
            items.push(Item::Or);
            continue;
        }
        let next_is_text = chars
            .get(i + 1)
            .is_some_and(|(_, n)| !n.is_whitespace() && *n != '|');
        let negated = c == '-' && next_is_text;
        let plus = c == '+' && next_is_text;
        if negated || plus {
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
            while i < chars.len()
                && !chars[i].1.is_whitespace()
                && !is_quote(chars[i].1)
                && chars[i].1 != '|'
            {
                i += 1;
            }
            let to = chars.get(i).map_or(q.len(), |(b, _)| *b);
            (&q[from..to], false)
        };
        if !quoted {
            if text == "OR" && !negated && !plus {
                if last_negated {
                    return Err(or_after_exclusion());
                }
                items.push(Item::Or);
                continue;
            }
            if let Some(code) = text.strip_prefix("lang:") {
                if negated {
                    return Err(Error::bad_query(
                        "q",
                        "-lang: is not supported; use lang:xx to pick one language",
                    ));
                }
                let l = Lang::from_code(code).ok_or_else(|| {
                    Error::bad_query("q", format!("unknown language {code:?} in lang:{code}: use lang:kk, lang:ru or lang:en"))
                })?;
                if lang.is_some_and(|have| have != l) {
                    return Err(Error::bad_query(
                        "q",
                        "the query has two different lang: filters; give one",
                    ));
                }
                *lang = Some(l);
                continue;
            }
        }
        let ws: Vec<String> = words(text).map(|w| w.text.to_string()).collect();
        if ws.is_empty() {
            continue;
        }
        last_negated = negated;
        items.push(Item::Unit {
            unit: Unit { words: ws, quoted },
            negated,
            plus,
        });
    }
    Ok(items)
}

fn or_after_exclusion() -> Error {
    Error::bad_query(
        "q",
        "OR cannot join an exclusion: write -word outside the OR",
    )
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(p: &ParsedQuery) -> Vec<String> {
        p.clauses
            .iter()
            .map(|c| format!("{}{}", if c.required { "+" } else { "" }, c.display()))
            .collect()
    }

    fn units(us: &[Unit]) -> Vec<String> {
        us.iter().map(|u| u.words.join(" ")).collect()
    }

    #[test]
    fn table() {
        // (query, clauses as displayed, must_not, lang)
        let ok: &[(&str, &[&str], &[&str], Option<&str>)] = &[
            ("Тоқаев", &["Тоқаев"], &[], None),
            ("  Tokayev   Astana ", &["Tokayev", "Astana"], &[], None),
            (
                r#""Қасым-Жомарт Тоқаев" саммит"#,
                &["\"Қасым Жомарт Тоқаев\"", "саммит"],
                &[],
                None,
            ),
            ("Nur-Sultan", &["\"Nur Sultan\""], &[], None),
            ("Tokayev -Tokarev", &["Tokayev"], &["Tokarev"], None),
            (
                r#"Tokayev -"Nur Sultan""#,
                &["Tokayev"],
                &["Nur Sultan"],
                None,
            ),
            ("Tokayev lang:KK", &["Tokayev"], &[], Some("kk")),
            ("Tokayev - Astana", &["Tokayev", "Astana"], &[], None),
            ("«Астана» &&", &["Астана"], &[], None),
            ("Tokayev's", &["Tokayev"], &[], None),
            ("a \"\" b", &["a", "b"], &[], None),
            ("lang:ru lang:ru x", &["x"], &[], Some("ru")),
            (
                "<script>alert(1)</script>",
                &["\"script alert 1 script\""],
                &[],
                None,
            ),
            // OR and |
            ("Astana OR Akmola", &["Astana OR Akmola"], &[], None),
            ("Astana | Akmola", &["Astana OR Akmola"], &[], None),
            ("Astana|Akmola", &["Astana OR Akmola"], &[], None),
            ("Astana || Akmola", &["Astana OR Akmola"], &[], None),
            (
                r#"Tokayev Astana OR "Nur-Sultan" OR Akmola"#,
                &["Tokayev", "Astana OR \"Nur Sultan\" OR Akmola"],
                &[],
                None,
            ),
            ("a or b", &["a", "or", "b"], &[], None),
            ("a Or b", &["a", "Or", "b"], &[], None),
            ("a \"OR\" b", &["a", "OR", "b"], &[], None),
            ("x OR y -z", &["x OR y"], &["z"], None),
            // +required
            ("+Жаңаөзен ереуіл", &["+Жаңаөзен", "ереуіл"], &[], None),
            (r#"+"Nur Sultan" x"#, &["+\"Nur Sultan\"", "x"], &[], None),
            ("a + b", &["a", "b"], &[], None),
            ("+OR x", &["+OR", "x"], &[], None),
            ("-OR x", &["x"], &["OR"], None),
        ];
        for (q, want, must_not, lang) in ok {
            let p = parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(clauses(&p), *want, "{q}");
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
            ("OR x", "OR at the start"),
            ("| x", "OR at the start"),
            ("x OR", "OR at the end"),
            ("x |", "OR at the end"),
            ("«Астана» && ||", "OR at the end"),
            ("x OR OR y", "two ORs in a row"),
            ("x | | y", "two ORs in a row"),
            ("x OR -y", "cannot join an exclusion"),
            ("-x OR y", "cannot join an exclusion"),
            ("+x OR y", "+ and OR cannot be combined"),
            ("x OR +y", "+ and OR cannot be combined"),
            ("lang:kk OR x", "OR at the start"),
        ];
        for (q, want) in bad {
            let e = parse(q).unwrap_err().to_string();
            assert!(e.contains(want), "{q:?}: {e}");
        }
        let quoted = parse(r#""Nur-Sultan" Astana"#).unwrap();
        assert_eq!(
            quoted.units().map(|u| u.quoted).collect::<Vec<_>>(),
            [true, false]
        );
        let long = "a ".repeat(MAX_QUERY_WORDS + 1);
        assert!(parse(&long).unwrap_err().to_string().contains("at most 32"));
    }
}
