//! Property tests for the analysis and the query path: the fuzz targets' invariants
//! (fuzz/src/lib.rs, included below) on random bytes, on random mixed-script text, and on
//! the fuzz seeds (fuzz/seeds/, where inputs that once crashed the fuzzer are kept).
//! Issue #5, point 1. Case counts are modest so CI stays fast; `PROPTEST_CASES` raises them.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

/// Letters and marks the analysis treats specially, and the query language's punctuation.
const ALPHABET: &[char] = &[
    'а',
    'ә',
    'ғ',
    'қ',
    'ң',
    'ө',
    'ұ',
    'ү',
    'һ',
    'і',
    'Қ',
    'Ә',
    'ё',
    'Ё',
    'й',
    'ы',
    'ъ',
    'ь',
    'щ',
    'a',
    'q',
    'z',
    'Z',
    'ş',
    'ı',
    'İ',
    'ä',
    'ö',
    '0',
    '9',
    ' ',
    ' ',
    ' ',
    '\t',
    '\n',
    '\u{a0}',
    '\u{3000}',
    '"',
    '«',
    '»',
    '„',
    '“',
    '”',
    '-',
    '–',
    ':',
    '\'',
    '’',
    '.',
    ',',
    '&',
    '<',
    '>',
    '\u{301}',
    '\u{306}',
    '\u{308}',
    '\u{200b}',
    '\u{200d}',
    '\u{202e}',
    '\u{feff}',
    '\u{0}',
    '\u{7f}',
    '\u{1f44d}',
    '\u{1f3fd}',
    '托',
    'ت',
    'ß',
    'ﬁ',
    'Ⅻ',
    '²',
];

/// Whole tokens worth combining.
const TOKENS: &[&str] = &[
    "lang:",
    "lang:kk",
    "lang:ru",
    "lang:en",
    "lang:xx",
    "-",
    "\"",
    "Тоқаев",
    "Тоқаевтың",
    "Токаева",
    "Tokayev's",
    "Nur-Sultan",
    "Нұр-Сұлтан",
    "<script>",
    "onerror=",
    "AND",
    "OR",
    "*",
    "?",
    "~2",
    "^3",
    "(",
    ")",
    "\\",
    "%",
    "+",
    "=",
    "&amp;",
    "\u{1}",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(ALPHABET).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        2 => prop::sample::select(TOKENS).prop_map(str::to_string),
    ]
}

/// Random text of up to `max` fragments.
pub fn text(max: usize) -> impl Strategy<Value = String> {
    vec(fragment(), 0..max).prop_map(|v| v.concat())
}

fn runner(cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Runs `check` on random bytes and on random text; returns the number of inputs tried.
fn run_both(check: fn(&[u8]), cases: u32, max: usize) -> u32 {
    runner(cases)
        .run(&vec(any::<u8>(), 0..max), |b| {
            check(&b);
            Ok(())
        })
        .unwrap();
    runner(cases)
        .run(&text(max), |s| {
            check(s.as_bytes());
            Ok(())
        })
        .unwrap();
    2 * cases
}

#[test]
fn analysis_invariants_hold_for_any_text() {
    let n = run_both(checks::analysis, 200, 300);
    println!("analysis: {n} random inputs, invariants held");
}

#[test]
fn query_parser_and_parameters_never_panic() {
    let n = run_both(checks::query, 500, 200);
    println!("query parser and parameters: {n} random inputs, invariants held");
}

#[test]
fn article_validation_and_dates_never_panic() {
    let n = run_both(checks::article, 300, 200);
    // Near-miss JSON lines and dates, which random bytes rarely produce.
    let line = (
        text(8),
        text(20),
        prop::option::of(prop::sample::select(&["kk", "ru", "en", "KK", "", "de"][..])),
        prop::option::of("[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:?[0-9]{2}|Z)?)?"),
    );
    runner(300)
        .run(&line, |(id, body, lang, date)| {
            let mut v = serde_json::json!({"id": id, "body": body});
            if let Some(l) = lang {
                v["lang"] = l.into();
            }
            if let Some(d) = date {
                v["date"] = d.clone().into();
                checks::article(d.as_bytes());
            }
            checks::article(v.to_string().as_bytes());
            Ok(())
        })
        .unwrap();
    println!(
        "articles and dates: {} random inputs, invariants held",
        n + 300
    );
}

#[test]
fn fuzz_seeds_replay() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let targets: [(&str, fn(&[u8])); 3] = [
        ("query", checks::query),
        ("analysis", checks::analysis),
        ("article", checks::article),
    ];
    let mut n = 0;
    for (name, check) in targets {
        let dir = root.join(name);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for e in entries {
            let path = e.unwrap().path();
            check(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    assert!(n >= 30, "only {n} seeds");
    println!("fuzz seeds: {n} replayed");
}

/// The fast word reader gives exactly unicode-segmentation's words on every article of the
/// real corpora (other scripts, URLs, numbers, quotes and all).
#[test]
fn words_are_the_standards_on_real_articles() {
    use unicode_segmentation::UnicodeSegmentation;
    let Some(data) = crate::common::shared_data() else {
        return;
    };
    let file = data.join("corpus-small.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut checked = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for field in ["title", "body"] {
            let s = v[field].as_str().unwrap_or("");
            let fast: Vec<(usize, usize)> = kazsearch::analysis::words::words(s)
                .map(|w| (w.position, w.start))
                .collect();
            let want: Vec<(usize, usize)> = s
                .unicode_word_indices()
                .enumerate()
                .filter(|(_, (_, w))| w.len() <= kazsearch::analysis::words::MAX_WORD_BYTES)
                .map(|(i, (start, _))| (i, start))
                .collect();
            assert_eq!(fast, want, "{}", v["id"]);
            checked += 1;
        }
    }
    println!("words: {checked} titles and bodies read as UAX #29 reads them");
}
