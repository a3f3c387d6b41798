//! Issue 11, item 1: every script on the first page. Over corpus-small plus the sample
//! articles, every name of the sample whose direct matches span several languages has at
//! least one article of each of those languages among its first 10 hits. A language counts
//! when its articles have a strong direct match (the word's exact form, stem, key, or a base
//! form cutting a case ending: `Engine::strong_match_langs`); languages reached only through
//! another word's stem or a cut final letter (Election → Елек, Dinara → dinars) are listed,
//! not required. Over the same index: a Latin spelling that finds its name's articles through
//! the key is not "corrected" to a keyboard-layout reading that finds other words.

use std::collections::BTreeSet;

use kazsearch::lang::Lang;
use kazsearch::search::{Engine, SearchParams};

use crate::common::shared_data;
use crate::matching::engine_over;

/// The sample's names: its capitalised words of three letters or more that do not open a
/// sentence (a title's or the body's first word, or one after `.`, `!`, `?`, `:`, a quote or a
/// line break), each once.
fn sample_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in kazsearch::sample::ARTICLES.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        for field in ["title", "body"] {
            let text = v[field].as_str().unwrap_or_default();
            let mut opens = true;
            let mut word = String::new();
            for c in text.chars().chain(std::iter::once(' ')) {
                if c.is_alphanumeric() {
                    word.push(c);
                    continue;
                }
                if !word.is_empty() {
                    let capital = word.chars().next().is_some_and(char::is_uppercase);
                    if capital && !opens && word.chars().count() >= 3 {
                        names.insert(word.clone());
                    }
                    word.clear();
                    opens = false;
                }
                if matches!(c, '.' | '!' | '?' | ':' | '\n' | '«' | '"' | '“') {
                    opens = true;
                }
            }
        }
    }
    names
}

/// The languages that have a direct match (not a guess) of `q`: a search narrowed to the
/// language whose first hit is not a guess. None when the query is read on another layout.
fn direct_langs(engine: &Engine, q: &str) -> Option<BTreeSet<Lang>> {
    let mut langs = BTreeSet::new();
    for lang in Lang::ALL {
        let r = engine
            .search(&SearchParams {
                lang: Some(lang),
                limit: 1,
                ..SearchParams::new(q)
            })
            .ok()?;
        if r.corrected.is_some() {
            return None;
        }
        if r.hits.first().is_some_and(|h| !h.near) {
            langs.insert(lang);
        }
    }
    Some(langs)
}

#[test]
fn every_language_of_a_names_direct_matches_is_on_the_first_page() {
    let Some(data) = shared_data() else { return };
    let small = data.join("corpus-small.jsonl");
    if !small.is_file() {
        eprintln!("skipped: {} is not here", small.display());
        return;
    }
    let sample = crate::common::sample_path();
    let (_dir, engine) = engine_over(kazsearch::ingest::Reader::new(vec![small, sample]));
    // Aqtobe occurs nowhere as typed, but finds Ақтөбе and Aktobe by its key; read on the
    // Russian layout (Фйещиу) it found 68 English articles with "few".
    let r = engine
        .search(&SearchParams::new("Aqtobe"))
        .unwrap_or_else(|e| panic!("Aqtobe: {e}"));
    assert!(r.corrected.is_none(), "Aqtobe read as {:?}", r.corrected);
    assert!(
        r.facets.lang.get("kk").is_some_and(|n| *n > 10),
        "{:?}",
        r.facets
    );
    let names = sample_names();
    assert!(names.len() > 100, "{} names", names.len());
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut weak_only = Vec::new();
    for name in &names {
        let Some(direct) = direct_langs(&engine, name) else {
            continue;
        };
        let strong: BTreeSet<Lang> = engine
            .strong_match_langs(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .into_iter()
            .collect();
        assert!(
            strong.is_subset(&direct),
            "{name}: strong {strong:?}, direct {direct:?}"
        );
        if direct.len() < 2 {
            continue;
        }
        checked += 1;
        let r = engine
            .search(&SearchParams {
                limit: 10,
                ..SearchParams::new(name.as_str())
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let shown: BTreeSet<Lang> = r.hits.iter().map(|h| h.lang).collect();
        let missing: Vec<&Lang> = strong.difference(&shown).collect();
        if !missing.is_empty() {
            failures.push(format!(
                "{name}: strong matches in {strong:?}, first 10 lack {missing:?}"
            ));
        }
        let weak: Vec<&Lang> = direct
            .difference(&shown)
            .filter(|l| !strong.contains(l))
            .collect();
        if !weak.is_empty() {
            weak_only.push(format!("{name} {weak:?}"));
        }
    }
    eprintln!(
        "{} names, {checked} with direct matches in several languages, {} failing; \
         weak matches only, not on the first page: {}",
        names.len(),
        failures.len(),
        weak_only.join(", ")
    );
    assert!(checked > 100, "only {checked} names span several languages");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
