//! Search parameters (validated) and the response shapes of the JSON API.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::article::parse_date;
use crate::error::{Error, Result};
use crate::lang::Lang;

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 512;
/// Largest page.
pub const MAX_LIMIT: usize = 100;
/// Deepest page start.
pub const MAX_OFFSET: usize = 10_000;
/// Page size when none is given.
pub const DEFAULT_LIMIT: usize = 10;

/// The raw query-string parameters, all as strings so that every mistake gets our own
/// message naming the parameter.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawParams {
    /// The query.
    pub q: Option<String>,
    /// Language filter.
    pub lang: Option<String>,
    /// Page size.
    pub limit: Option<String>,
    /// Page start.
    pub offset: Option<String>,
    /// Earliest date (inclusive).
    pub from: Option<String>,
    /// Latest date (inclusive).
    pub to: Option<String>,
    /// Order: `relevance` (the default) or `date` (newest first).
    pub sort: Option<String>,
}

/// The order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (within each tier: all words, guesses, most words).
    #[default]
    Relevance,
    /// Newest first (within each tier); articles without a date last.
    Date,
}

impl Sort {
    /// Reads `relevance` or `date`.
    pub fn from_code(code: &str) -> Option<Sort> {
        match code.trim().to_ascii_lowercase().as_str() {
            "relevance" => Some(Sort::Relevance),
            "date" => Some(Sort::Date),
            _ => None,
        }
    }
}

/// Validated search parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchParams {
    /// The query string.
    pub q: String,
    /// Only articles in this language.
    pub lang: Option<Lang>,
    /// Page size, 1..=MAX_LIMIT.
    pub limit: usize,
    /// Page start, 0..=MAX_OFFSET.
    pub offset: usize,
    /// Earliest date, seconds since the epoch.
    pub from: Option<i64>,
    /// Latest date, seconds since the epoch (a bare date means the end of that day).
    pub to: Option<i64>,
    /// The order of results.
    pub sort: Sort,
}

impl SearchParams {
    /// Parameters for query `q` with the defaults.
    pub fn new(q: impl Into<String>) -> SearchParams {
        SearchParams {
            q: q.into(),
            lang: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
            from: None,
            to: None,
            sort: Sort::Relevance,
        }
    }

    /// True when there is no query: the articles that pass the filters are listed, newest
    /// first.
    pub fn is_browse(&self) -> bool {
        self.q.trim().is_empty()
    }

    /// Validates raw parameters.
    pub fn from_raw(raw: &RawParams) -> Result<SearchParams> {
        let q = raw.q.clone().unwrap_or_default();
        let n = q.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(Error::bad_query(
                "q",
                format!("the query is {n} characters long; at most {MAX_QUERY_CHARS} are allowed"),
            ));
        }
        let lang = match raw.lang.as_deref().map(str::trim) {
            None | Some("") | Some("all") => None,
            Some(code) => Some(Lang::from_code(code).ok_or_else(|| {
                Error::bad_query("lang", format!("lang must be kk, ru or en, got {code:?}"))
            })?),
        };
        let limit = number(raw.limit.as_deref(), "limit", 1, MAX_LIMIT)?.unwrap_or(DEFAULT_LIMIT);
        let offset = number(raw.offset.as_deref(), "offset", 0, MAX_OFFSET)?.unwrap_or(0);
        let from = date(raw.from.as_deref(), "from", false)?;
        let to = date(raw.to.as_deref(), "to", true)?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(Error::bad_query("from", "from is later than to"));
            }
        }
        let sort = match raw.sort.as_deref().map(str::trim) {
            None | Some("") => Sort::Relevance,
            Some(code) => Sort::from_code(code).ok_or_else(|| {
                Error::bad_query(
                    "sort",
                    format!("sort must be relevance or date, got {code:?}"),
                )
            })?,
        };
        if q.trim().is_empty() && lang.is_none() && from.is_none() && to.is_none() {
            return Err(Error::bad_query(
                "q",
                "the q parameter is missing or empty: give a query, or a filter (lang, from, to) to list articles",
            ));
        }
        Ok(SearchParams {
            q,
            lang,
            limit,
            offset,
            from,
            to,
            sort,
        })
    }
}

fn number(v: Option<&str>, name: &'static str, min: usize, max: usize) -> Result<Option<usize>> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    match v.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(Error::bad_query(
            name,
            format!("{name} must be a whole number from {min} to {max}, got {v:?}"),
        )),
    }
}

fn date(v: Option<&str>, name: &'static str, end_of_day: bool) -> Result<Option<i64>> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let secs = parse_date(v).map_err(|why| {
        Error::bad_query(
            name,
            format!("{name} must be a date like 2020-06-10: {why}"),
        )
    })?;
    if !end_of_day {
        return Ok(Some(secs));
    }
    // An inclusive end: the last second of the day, month or year given.
    let next = match v.len() {
        10 => Some(secs + 86_400),
        7 | 4 => {
            let (y, m) = (
                v[..4].parse::<i64>().unwrap_or(0),
                v.get(5..7).and_then(|m| m.parse::<i64>().ok()),
            );
            let (ny, nm) = match m {
                Some(12) => (y + 1, 1),
                Some(m) => (y, m + 1),
                None => (y + 1, 1),
            };
            parse_date(&format!("{ny:04}-{nm:02}")).ok()
        }
        _ => None,
    };
    Ok(Some(if let Some(n) = next { n - 1 } else { secs }))
}

/// A query that was replaced by a corrected one.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Correction {
    /// The query as typed.
    pub from: String,
    /// The query the results are for.
    pub to: String,
    /// Why: `keyboard_layout`.
    pub reason: &'static str,
    /// The layout the keys were read on (`ru`, `kk` or `en`).
    pub layout: &'static str,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Title (plain text).
    pub title: String,
    /// Title, HTML-escaped, with matched words in `<mark>`.
    pub title_html: String,
    /// Language.
    pub lang: Lang,
    /// Date as given, if any.
    pub date: Option<String>,
    /// Source, if any.
    pub source: Option<String>,
    /// URL, if any.
    pub url: Option<String>,
    /// Relevance score (higher is better; comparable within one response only).
    pub score: f32,
    /// HTML-escaped excerpt with `<mark>` around matched words.
    pub snippet: String,
    /// When the title is empty: the body's first sentence, escaped and marked like
    /// `title_html`, to show in the title's place (left out otherwise).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lead_html: String,
    /// The words of this article that matched, as written in it.
    pub matched: Vec<String>,
    /// True when the article was found only through a near spelling (one letter off).
    pub near: bool,
    /// The query's words (or "phrases", or `a OR b` groups) this article lacks; empty when it
    /// has them all.
    pub missing: Vec<String>,
}

/// Facet counts.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Facets {
    /// Matches by language (before the language filter).
    pub lang: BTreeMap<&'static str, u64>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    /// The query the results are for (the corrected one, if corrected).
    pub query: String,
    /// Matching articles (after the language filter).
    pub total: u64,
    /// Time taken, in milliseconds.
    pub took_ms: f64,
    /// Page start.
    pub offset: usize,
    /// Page size.
    pub limit: usize,
    /// The page of hits.
    pub hits: Vec<Hit>,
    /// Facet counts.
    pub facets: Facets,
    /// Set when the results are for a corrected query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<Correction>,
    /// True when near spellings (one letter off) were added because exact ones were few.
    pub fuzzy: bool,
    /// True when articles lacking some of the query's words were added, because fewer than a
    /// fixed number had them all.
    pub relaxed: bool,
    /// The order of the hits.
    pub sort: Sort,
}

/// A stored article, as `/api/docs/{id}` returns it.
#[derive(Debug, Clone, Serialize)]
pub struct DocResponse {
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Language (given or detected).
    pub lang: Lang,
    /// Date as given.
    pub date: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// With `q`: the title, escaped, with matches marked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_html: Option<String>,
    /// With `q`: the body, escaped, with matches marked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// With `q`: the words that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Vec<String>>,
    /// When the title is empty: the body's first sentence, escaped (and with `q` marked), to
    /// show in the title's place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_html: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawParams {
        let mut r = RawParams::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "q" => r.q = v,
                "lang" => r.lang = v,
                "limit" => r.limit = v,
                "offset" => r.offset = v,
                "from" => r.from = v,
                "to" => r.to = v,
                "sort" => r.sort = v,
                _ => unreachable!(),
            }
        }
        r
    }

    #[test]
    fn validation() {
        let p = SearchParams::from_raw(&raw(&[
            ("q", "x"),
            ("lang", "RU"),
            ("limit", "5"),
            ("to", "2020-01-01"),
        ]))
        .unwrap();
        assert_eq!(
            (p.lang, p.limit, p.offset, p.to, p.sort),
            (Some(Lang::Ru), 5, 0, Some(1_577_923_199), Sort::Relevance)
        );
        // An empty query with a filter lists articles; sort is case-insensitive.
        for pairs in [
            &[("lang", "kk")][..],
            &[("q", " "), ("from", "2020")],
            &[("to", "2020-01-01"), ("sort", "DATE")],
        ] {
            let p = SearchParams::from_raw(&raw(pairs)).unwrap();
            assert!(p.is_browse(), "{pairs:?}");
        }
        let p = SearchParams::from_raw(&raw(&[("q", "x"), ("sort", "date")])).unwrap();
        assert_eq!(p.sort, Sort::Date);
        for (to, end) in [
            ("2019", "2020-01-01"),
            ("2019-12", "2020-01-01"),
            ("2020-02", "2020-03-01"),
        ] {
            let p = SearchParams::from_raw(&raw(&[("q", "x"), ("to", to)])).unwrap();
            assert_eq!(p.to, Some(parse_date(end).unwrap() - 1), "{to}");
        }
        let long = "я".repeat(MAX_QUERY_CHARS + 1);
        let bad: &[(&[(&str, &str)], &str, &str)] = &[
            (&[], "q", "missing or empty"),
            (&[("q", " ")], "q", "missing or empty"),
            (&[("q", &long)], "q", "at most 512"),
            (
                &[("q", "x"), ("sort", "newest")],
                "sort",
                "relevance or date",
            ),
            (&[("sort", "date")], "q", "or a filter"),
            (
                &[("q", "x"), ("lang", "de")],
                "lang",
                "lang must be kk, ru or en",
            ),
            (&[("q", "x"), ("limit", "0")], "limit", "from 1 to 100"),
            (&[("q", "x"), ("limit", "1000")], "limit", "from 1 to 100"),
            (&[("q", "x"), ("limit", "-1")], "limit", "got \"-1\""),
            (
                &[("q", "x"), ("offset", "abc")],
                "offset",
                "from 0 to 10000",
            ),
            (
                &[("q", "x"), ("offset", "10001")],
                "offset",
                "from 0 to 10000",
            ),
            (
                &[("q", "x"), ("from", "yesterday")],
                "from",
                "from must be a date",
            ),
            (&[("q", "x"), ("to", "2020-02-30")], "to", "day 30"),
            (
                &[("q", "x"), ("from", "2021-01-01"), ("to", "2020-01-01")],
                "from",
                "later than",
            ),
        ];
        for (pairs, param, want) in bad {
            match SearchParams::from_raw(&raw(pairs)) {
                Err(Error::BadQuery { param: p, message }) => {
                    assert_eq!(p, *param, "{pairs:?}");
                    assert!(message.contains(want), "{pairs:?}: {message}");
                }
                other => panic!("{pairs:?}: {other:?}"),
            }
        }
    }
}
