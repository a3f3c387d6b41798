//! `kazsearch analyze`: every word of a text with its offsets and terms, per language — what
//! an article in that language is indexed under — and then what each word is searched for
//! when it is typed in a query (every language's fields, other languages' base forms too).

use anyhow::{bail, Result};
use kazsearch::analysis::{analyze_text, query_terms, words::words, View};
use kazsearch::lang::Lang;

fn view_name(v: View) -> &'static str {
    match v {
        View::Exact => "exact",
        View::Stem => "stem",
        View::Key => "key",
        View::Stripped => "stripped",
        View::Base => "base",
    }
}

fn show(terms: &[(View, String)]) -> String {
    terms
        .iter()
        .map(|(v, t)| format!("{}={t}", view_name(*v)))
        .collect::<Vec<_>>()
        .join("  ")
}

pub fn run(lang: Option<&str>, text: &str) -> Result<()> {
    let langs: Vec<Lang> = match lang {
        None => Lang::ALL.to_vec(),
        Some(code) => match Lang::from_code(code) {
            Some(l) => vec![l],
            None => bail!("--lang must be kk, ru or en, got {code:?}"),
        },
    };
    for &lang in &langs {
        println!("indexed in a {lang} article:");
        for w in analyze_text(text, lang) {
            println!(
                "  {:>3} {:>5}..{:<5} {:<20} {}",
                w.position,
                w.start,
                w.end,
                w.text,
                show(&w.terms)
            );
        }
    }
    println!("searched as a query:");
    let mut terms = Vec::new();
    for w in words(text) {
        println!("  {}", w.text);
        for &lang in &langs {
            query_terms(w.text, lang, &mut terms);
            println!("    in {lang} articles: {}", show(&terms));
        }
    }
    Ok(())
}
