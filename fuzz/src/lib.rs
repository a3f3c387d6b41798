//! The invariants that kazsearch's fuzz targets check, shared with the test suite.
//!
//! Each function takes arbitrary bytes and panics when an invariant breaks. `cargo fuzz` runs
//! them under libFuzzer (fuzz/fuzz_targets/*.rs); the integration tests include this file
//! (`tests/integration/props.rs`) and run the same functions on proptest's random bytes and
//! on the seed inputs in `fuzz/seeds/`, so CI checks them without a nightly toolchain.
//!
//! What must hold for ANY input:
//! - `query`: the query parser and the parameter validation never panic; they either accept
//!   (with at most `MAX_QUERY_WORDS` non-empty words, each taken from the query) or refuse
//!   with a `BadQuery` naming a real parameter and a non-empty message.
//! - `analysis`: words and their terms lie on char boundaries, in order, with increasing
//!   positions, in every language; the tantivy tokenizer agrees; highlighting escapes all
//!   markup but its own `<mark>` and loses no text.
//! - `article`: validating a JSON line and parsing a date never panic; what is accepted is
//!   within the documented limits, and a plain date formats back to itself.

use std::collections::BTreeSet;

use kazsearch::analysis::{analyze_text, tokenizer::KzTokenizer, words::words};
use kazsearch::article::{format_day, parse_date, Article, MAX_BODY_BYTES, MAX_ID_BYTES};
use kazsearch::lang::Lang;
use kazsearch::search::highlight::{mark_all, snippet, spans};
use kazsearch::search::query::{parse, MAX_QUERY_WORDS};
use kazsearch::search::request::{MAX_LIMIT, MAX_OFFSET};
use kazsearch::search::{RawParams, SearchParams};
use kazsearch::Error;
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// The query parser and the search parameters.
pub fn query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match parse(&text) {
        Ok(p) => {
            assert!(
                !p.clauses.is_empty() && p.clauses.iter().all(|c| !c.any.is_empty()),
                "{text:?}: accepted with nothing to match"
            );
            let mut n = 0;
            for unit in p.units().chain(&p.must_not) {
                assert!(!unit.words.is_empty(), "{text:?}: an empty unit");
                for w in &unit.words {
                    assert!(
                        !w.is_empty() && text.contains(w.as_str()),
                        "{text:?}: word {w:?}"
                    );
                    n += 1;
                }
            }
            assert!(n <= MAX_QUERY_WORDS, "{text:?}: {n} words accepted");
        }
        Err(Error::BadQuery { param, message }) => {
            assert_eq!(param, "q", "{text:?}");
            assert!(!message.is_empty(), "{text:?}: an empty message");
        }
        Err(other) => panic!("{text:?}: parse failed with a non-query error: {other}"),
    }
    // The same bytes as the seven parameters, split on 0x01.
    let mut parts = text.split('\u{1}').map(|s| Some(s.to_string()));
    let mut next = || parts.next().flatten();
    let raw = RawParams {
        q: next(),
        lang: next(),
        limit: next(),
        offset: next(),
        from: next(),
        to: next(),
        sort: next(),
    };
    match SearchParams::from_raw(&raw) {
        Ok(p) => {
            assert!((1..=MAX_LIMIT).contains(&p.limit), "{raw:?}");
            assert!(p.offset <= MAX_OFFSET, "{raw:?}");
            if let (Some(f), Some(t)) = (p.from, p.to) {
                assert!(f <= t, "{raw:?}");
            }
        }
        Err(Error::BadQuery { param, message }) => {
            assert!(
                ["q", "lang", "limit", "offset", "from", "to"].contains(&param),
                "{raw:?}: {param}"
            );
            assert!(!message.is_empty());
        }
        Err(other) => panic!("{raw:?}: a non-query error: {other}"),
    }
}

/// Words, analysis, the tantivy tokenizer and highlighting.
pub fn analysis(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let mut last: Option<(usize, usize)> = None;
    for w in words(text) {
        assert!(w.start < w.end && w.end <= text.len(), "{text:?}: {w:?}");
        assert!(text.is_char_boundary(w.start) && text.is_char_boundary(w.end));
        assert_eq!(&text[w.start..w.end], w.text);
        if let Some((pos, end)) = last {
            assert!(
                w.position > pos && w.start >= end,
                "{text:?}: {w:?} after {last:?}"
            );
        }
        last = Some((w.position, w.end));
    }
    for lang in Lang::ALL {
        let analysed = analyze_text(text, lang);
        for (i, w) in analysed.iter().enumerate() {
            assert!(text.is_char_boundary(w.start) && text.is_char_boundary(w.end));
            assert_eq!(&text[w.start..w.end], w.text);
            if i > 0 {
                assert!(w.position > analysed[i - 1].position, "{text:?} {lang}");
            }
            for (view, term) in &w.terms {
                assert!(!term.is_empty(), "{text:?} {lang}: empty {view:?} term");
            }
        }
        let mut tokenizer = KzTokenizer::new(lang);
        let mut stream = tokenizer.token_stream(text);
        let mut prev_pos = None;
        let mut tokens = 0;
        while stream.advance() {
            let t = stream.token();
            assert!(t.offset_from < t.offset_to && t.offset_to <= text.len());
            assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
            assert!(!t.text.is_empty(), "{text:?} {lang}: an empty token");
            if let Some(p) = prev_pos {
                assert!(t.position >= p, "{text:?} {lang}: positions go back");
            }
            prev_pos = Some(t.position);
            tokens += 1;
        }
        let terms: usize = analysed.iter().map(|w| w.terms.len()).sum();
        assert_eq!(
            tokens, terms,
            "{text:?} {lang}: tokenizer and analyze disagree"
        );
    }
    // Highlighting: mark every other word.
    let positions: BTreeSet<u32> = words(text).step_by(2).map(|w| w.position as u32).collect();
    let marked = spans(text, &positions);
    for html in [mark_all(text, &marked), snippet(text, &marked, 240)] {
        let bare = html.replace("<mark>", "").replace("</mark>", "");
        assert!(
            !bare.contains(['<', '>', '"', '\'']),
            "{text:?}: markup escaped in {html:?}"
        );
    }
    let all = mark_all(text, &marked)
        .replace("<mark>", "")
        .replace("</mark>", "");
    assert_eq!(unescape(&all), text, "mark_all loses or changes text");
}

/// Article validation and dates.
pub fn article(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(a) = Article::from_json_line(&text) {
        assert!(!a.id.trim().is_empty() && a.id.len() <= MAX_ID_BYTES);
        assert!(a.body.len() <= MAX_BODY_BYTES);
        assert!(!(a.body.trim().is_empty() && a.title.trim().is_empty()));
        assert_eq!(a.date.is_some(), a.timestamp.is_some());
    }
    let s = text.trim();
    if let Ok(secs) = parse_date(s) {
        if s.len() == 10 {
            assert_eq!(format_day(secs), s, "a plain date formats back to itself");
        }
    }
}

/// Undoes `escape_html`.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
