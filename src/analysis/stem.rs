//! Per-language stemming of a folded word: Snowball for Russian and English (through
//! rust-stemmers, the crate tantivy's `Stemmer` wraps), kazsearch's own suffix stripper for
//! Kazakh. Each stemmer only touches words of its script, so an English name inside a
//! Russian article is left alone.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

use super::kazakh;
use crate::lang::Lang;

fn snowball(lang: Lang) -> &'static Stemmer {
    static RU: OnceLock<Stemmer> = OnceLock::new();
    static EN: OnceLock<Stemmer> = OnceLock::new();
    match lang {
        Lang::Ru => RU.get_or_init(|| Stemmer::create(Algorithm::Russian)),
        _ => EN.get_or_init(|| Stemmer::create(Algorithm::English)),
    }
}

/// Writes the stem of `word` (already folded: lowercase, NFC, ё→е) under `lang` into `out`.
///
/// ```
/// use kazsearch::{analysis::stem::stem, lang::Lang};
/// let mut out = String::new();
/// stem(Lang::Ru, "министров", &mut out);
/// assert_eq!(out, "министр");
/// stem(Lang::En, "ministers", &mut out);
/// assert_eq!(out, "minist");
/// ```
pub fn stem(lang: Lang, word: &str, out: &mut String) {
    out.clear();
    match lang {
        Lang::Kk => out.push_str(kazakh::stem(word)),
        Lang::Ru if word.chars().any(super::fold::is_cyrillic) => {
            out.push_str(&snowball(Lang::Ru).stem(word))
        }
        Lang::En if word.bytes().all(|b| b.is_ascii_alphabetic()) => {
            out.push_str(&snowball(Lang::En).stem(word))
        }
        _ => out.push_str(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            (Lang::Ru, "президента", "президент"),
            (Lang::Ru, "казахстане", "казахстан"),
            (Lang::Ru, "tokayev", "tokayev"),
            (Lang::En, "elections", "elect"),
            (Lang::En, "президента", "президента"),
            (Lang::En, "2020", "2020"),
            (Lang::Kk, "тоқаевтың", "тоқаев"),
        ];
        let mut out = String::new();
        for (lang, word, want) in cases {
            stem(lang, word, &mut out);
            assert_eq!(out, want, "{lang} {word}");
        }
    }
}
