//! `kazsearch analyze`: every word of a text with its offsets and terms, per language — what
//! an article in that language is indexed under — and then what each word is searched for
//! when it is typed in a query (every language's fields, other languages' base forms too).
//! `--json` prints the same views as one JSON object, for scripts and debugging.

use anyhow::{bail, Result};
use kazsearch::analysis::{analyze_text, query_terms, words::words, View};
use kazsearch::lang::Lang;
use serde_json::{json, Value};

fn view_name(v: View) -> &'static str {
    match v {
        View::Exact => "exact",
        View::Stem => "stem",
        View::Key => "key",
        View::Stripped => "stripped",
        View::Base => "base",
        View::Root => "root",
    }
}

fn show(terms: &[(View, String)]) -> String {
    terms
        .iter()
        .map(|(v, t)| format!("{}={t}", view_name(*v)))
        .collect::<Vec<_>>()
        .join("  ")
}

fn terms_json(terms: &[(View, String)]) -> Value {
    terms
        .iter()
        .map(|(v, t)| json!({"view": view_name(*v), "term": t}))
        .collect()
}

/// The views of `text` under `langs`, as JSON:
/// `{"text", "indexed": {lang: [{"word","start","end","position","terms":[{"view","term"}]}]},
///   "query": [{"word", "terms": {lang: [{"view","term"}]}}]}`.
pub fn views_json(text: &str, langs: &[Lang]) -> Value {
    let mut indexed = serde_json::Map::new();
    for &lang in langs {
        let words: Vec<Value> = analyze_text(text, lang)
            .into_iter()
            .map(|w| {
                json!({"word": w.text, "start": w.start, "end": w.end,
                       "position": w.position, "terms": terms_json(&w.terms)})
            })
            .collect();
        indexed.insert(lang.code().to_string(), Value::Array(words));
    }
    let mut terms = Vec::new();
    let query: Vec<Value> = words(text)
        .map(|w| {
            let mut by_lang = serde_json::Map::new();
            for &lang in langs {
                query_terms(w.text, lang, &mut terms);
                by_lang.insert(lang.code().to_string(), terms_json(&terms));
            }
            json!({"word": w.text, "terms": by_lang})
        })
        .collect();
    json!({"text": text, "indexed": indexed, "query": query})
}

pub fn run(lang: Option<&str>, json: bool, text: &str) -> Result<()> {
    let langs: Vec<Lang> = match lang {
        None => Lang::ALL.to_vec(),
        Some(code) => match Lang::from_code(code) {
            Some(l) => vec![l],
            None => bail!("--lang must be kk, ru or en, got {code:?}"),
        },
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&views_json(text, &langs))?
        );
        return Ok(());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_the_text_views() {
        let v = views_json("Тоқаевтың сөзі", &[Lang::Kk, Lang::Ru]);
        let first = &v["indexed"]["kk"][0];
        assert_eq!(first["word"], "Тоқаевтың");
        assert_eq!(
            (first["start"].as_u64(), first["end"].as_u64()),
            (Some(0), Some(18))
        );
        assert_eq!(
            first["terms"],
            json!([{"view": "exact", "term": "тоқаевтың"}, {"view": "stem", "term": "тоқаев"},
                   {"view": "key", "term": "tokaevtin"}, {"view": "stripped", "term": "tokaev"},
                   {"view": "root", "term": "тоқае…"}])
        );
        assert_eq!(v["indexed"]["ru"][1]["position"], 1);
        assert!(v["indexed"].get("en").is_none());
        assert_eq!(v["query"][0]["word"], "Тоқаевтың");
        assert!(v["query"][0]["terms"]["ru"]
            .as_array()
            .unwrap()
            .contains(&json!({"view": "base", "term": "tokaev"})));
    }
}
