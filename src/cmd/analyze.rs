//! `kazsearch analyze`: every word of a text with its offsets and terms, per language.

use anyhow::{bail, Result};
use kazsearch::analysis::analyze;
use kazsearch::lang::Lang;

pub fn run(lang: Option<&str>, text: &str) -> Result<()> {
    let langs: Vec<Lang> = match lang {
        None => Lang::ALL.to_vec(),
        Some(code) => match Lang::from_code(code) {
            Some(l) => vec![l],
            None => bail!("--lang must be kk, ru or en, got {code:?}"),
        },
    };
    for lang in langs {
        println!("as {lang}:");
        for w in analyze(text, lang) {
            let terms: Vec<String> = w
                .terms
                .iter()
                .map(|(v, t)| {
                    format!(
                        "{}={t}",
                        serde_json::to_value(v)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    )
                })
                .collect();
            println!(
                "  {:>3} {:>5}..{:<5} {:<20} {}",
                w.position,
                w.start,
                w.end,
                w.text,
                terms.join("  ")
            );
        }
    }
    Ok(())
}
