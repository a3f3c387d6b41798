//! The name-rule check: does a change to the matching rules (keys, stripping, sound patterns)
//! join more real mentions of one entity without joining more different entities? Measured on
//! an annotated mention file in the format of `../shared/data/names.tsv` (surface form, type,
//! source type, article id, language, source, base form, entity id), not on the judged
//! queries, so that a rule which only fits the development queries shows up as one that gains
//! nothing here.
//!
//! Matching is emulated exactly as the search does it: an article word is analysed by
//! [`analyze_article_word`] in its article's language, a query word by [`query_terms`] for that
//! language's fields; the two join when they share a term.
//!
//! Figures (see [`NameFigures`]):
//! - **cross-script**: mentions whose entity id carries an English name (BSNLP:
//!   `PER-Boris-Johnson`), aligned word by word with the Russian mention (Бориса Джонсона):
//!   how many distinct (English word, Russian word) pairs the English word, typed as a query,
//!   finds by its terms (key, stripped key), and how many also by its sound pattern (the
//!   sound-alike tier). This is the en-cyr and ntrex-en direction.
//! - **inflection**: mentions with a base form (NEREL, BSNLP), aligned word by word (aligned
//!   words must start with the same two letters): how many distinct (base word, inflected
//!   word) pairs the base word finds.
//! - **lowercase derivatives**: Russian mention words written lowercase and aligned with a
//!   capitalised word of their base form (американские / Америка): how many the base word
//!   finds, with and without its adjective stems, and how many lowercase words of other
//!   entities those stems join.
//! - **collisions**: distinct capitalised words of base forms and English ids, each with the
//!   entities it names: pairs of different words that share an article term (a key or stripped
//!   key) but no entity. Lower is better; a rule that raises the joins and the collisions
//!   alike merges names, it does not read them better.
//!
//! Run it with `cargo test --release names_check -- --ignored --nocapture` (prints the
//! figures; skips when the data is absent). With `NAMES_MISSES=1` it also lists the inflection
//! pairs that do not join, with `NAMES_COLLISIONS=1` every collision (on stderr): diff the
//! lists of two builds to see what a rule joins and merges.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::analysis::sound::{transcription_terms, SoundPattern};
use crate::analysis::words::words;
use crate::analysis::{
    adjective_stems, analyze_article_word, query_terms, reading_stem, Terms, View,
};
use crate::error::{Error, Result};
use crate::lang::Lang;

/// The figures of one run of [`check`].
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct NameFigures {
    /// Distinct (English word, Russian word) pairs of one entity.
    pub cross_pairs: usize,
    /// Of those, joined by the query terms (key, stripped key).
    pub cross_terms: usize,
    /// Of those, joined by the terms or the sound pattern.
    pub cross_sound: usize,
    /// Of those, joined by the terms or the word's conventional transcription
    /// ([`transcriptions`], a direct match).
    pub cross_transcribed: usize,
    /// Distinct English words of ids that have a transcription.
    pub transcribed_words: usize,
    /// (English word, Russian word) pairs of different entities that the English word, typed
    /// as a query, finds in Russian fields by its terms: the cross-script wrong joins.
    pub cross_collisions: usize,
    /// (English word, Russian word) pairs of different entities that the English word's
    /// transcription joins (and its terms do not): the transcription's wrong joins.
    pub transcription_collisions: usize,
    /// Distinct (base word, inflected word) pairs of one entity, base ≠ inflected.
    pub inflection_pairs: usize,
    /// Of those, joined.
    pub inflection_joined: usize,
    /// Distinct words of base forms and English ids with at least one entity.
    pub words: usize,
    /// Pairs of those words that share a term but name no common entity.
    pub collisions: usize,
    /// Distinct (base word, inflected word) pairs of Russian mentions, the base word typed in
    /// its BGN/PCGN romanization (Алабама → alabama for Алабамы).
    pub romanized_pairs: usize,
    /// Of those, joined by the query terms in Russian articles (stems included).
    pub romanized_joined: usize,
    /// Of those, joined without the stem of the romanization's Russian reading
    /// ([`crate::analysis::reading_stem`]).
    pub romanized_joined_without_reading: usize,
    /// English id words whose reading's stem is the stem of a Russian name word of the same
    /// entity.
    pub reading_same: usize,
    /// English id words whose reading's stem is the stem of a Russian name word of no common
    /// entity (what the reading merges).
    pub reading_collisions: usize,
    /// Distinct (capitalised base word, lowercase mention word) pairs of Russian mentions: a
    /// name's adjective or other derivative as written (американские for Америка, бостонской
    /// for Бостон), which articles index by its exact form and stem only.
    pub lowercase_pairs: usize,
    /// Of those, joined by the base word's query terms.
    pub lowercase_joined: usize,
    /// Of those, joined without the adjective stems ([`crate::analysis::adjective_stems`]).
    pub lowercase_joined_without_adjectives: usize,
    /// (Base word, lowercase mention word of no common entity) pairs that the base word's
    /// adjective stems join: what the adjective rule merges.
    pub adjective_collisions: usize,
    /// Up to 20 examples of collisions (word, word, shared term).
    pub collision_examples: Vec<(String, String, String)>,
}

/// One annotated mention.
struct Mention {
    surface: String,
    lang: Lang,
    base: String,
    entity: String,
}

fn read(path: &Path) -> Result<Vec<Mention>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 8 {
            return Err(Error::BadArticle {
                path: path.to_path_buf(),
                line: i as u64 + 1,
                reason: format!(
                    "a mention line needs 8 tab-separated fields, not {}",
                    f.len()
                ),
            });
        }
        let Some(lang) = Lang::from_code(f[4]) else {
            continue;
        };
        out.push(Mention {
            surface: f[0].to_string(),
            lang,
            base: f[6].to_string(),
            entity: f[7].to_string(),
        });
    }
    Ok(out)
}

/// The words of a name, lowercased.
fn name_words(text: &str) -> Vec<String> {
    words(text).map(|w| w.text.to_lowercase()).collect()
}

/// The capitalised words of a name (its proper-name words), lowercased.
fn capitalised(text: &str) -> Vec<String> {
    words(text)
        .filter(|w| w.text.chars().next().is_some_and(char::is_uppercase))
        .map(|w| w.text.to_lowercase())
        .collect()
}

/// The English words of a BSNLP entity id (`PER-Boris-Johnson` → Boris, Johnson).
fn english_id(entity: &str) -> Option<Vec<String>> {
    let (kind, rest) = entity.split_once('-')?;
    if !matches!(kind, "PER" | "GPE" | "LOC" | "ORG" | "EVT" | "PRO") {
        return None;
    }
    let ws: Vec<String> = rest
        .split('-')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    (!ws.is_empty() && ws.iter().all(|w| w.is_ascii())).then_some(ws)
}

/// The terms an article word in `lang` is indexed under: its name views (key, stripped key),
/// and its stem when `stem`.
fn article_terms(word: &str, lang: Lang, stem: bool) -> Vec<String> {
    let mut t = Terms::default();
    let mut cap = String::new();
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        cap.extend(first.to_uppercase());
        cap.push_str(chars.as_str());
    }
    analyze_article_word(&cap, lang, &mut t);
    t.iter()
        .filter(|(v, _)| matches!(v, View::Key | View::Stripped) || (stem && *v == View::Stem))
        .map(|(_, s)| s.to_string())
        .collect()
}

/// A Latin word's transcriptions as the search asks them in Russian articles.
fn ru_transcriptions(word: &str) -> Vec<String> {
    let mut by_lang = transcription_terms(word);
    std::mem::take(&mut by_lang[Lang::Ru.index()])
}

/// True when `query`, typed as a query word, finds the article word `word` of language `lang`
/// by its terms.
fn joins(query: &str, word: &str, lang: Lang, qbuf: &mut Vec<(View, String)>) -> bool {
    let doc = article_terms(word, lang, false);
    query_terms(query, lang, qbuf);
    qbuf.iter().any(|(_, t)| doc.contains(t))
}

/// The BGN/PCGN romanization of a lowercase Russian word (as the ru-bgn queries write names).
fn romanize_bgn(word: &str) -> String {
    let mut out = String::new();
    let mut prev_vowel = true;
    for c in word.chars() {
        let vowel = "аеёиоуыэюя".contains(c);
        let s = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' if prev_vowel => "ye",
            'е' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphabetic() => {
                out.push(c);
                prev_vowel = "aeiou".contains(c);
                continue;
            }
            _ => "",
        };
        out.push_str(s);
        prev_vowel = vowel;
    }
    out
}

/// Runs the check over a mention file.
pub fn check(path: &Path) -> Result<NameFigures> {
    let mentions = read(path)?;
    let mut fig = NameFigures::default();
    let mut qbuf = Vec::new();

    // Cross-script: English id words against the Russian mention, word by word.
    let mut cross: BTreeSet<(String, String)> = BTreeSet::new();
    for m in &mentions {
        let (Some(en), Lang::Ru) = (english_id(&m.entity), m.lang) else {
            continue;
        };
        let ru = name_words(&m.surface);
        if ru.len() == en.len() {
            for (e, r) in en.iter().zip(&ru) {
                cross.insert((e.to_lowercase(), r.clone()));
            }
        }
    }
    // NAMES_MISSES=1 prints the pairs that nothing joins, and those only a guess joins.
    let show_misses = std::env::var_os("NAMES_MISSES").is_some();
    for (e, r) in &cross {
        fig.cross_pairs += 1;
        let by_terms = joins(e, r, Lang::Ru, &mut qbuf);
        let doc = article_terms(r, Lang::Ru, false);
        let by_sound =
            by_terms || SoundPattern::to_guess(e).is_some_and(|p| doc.iter().any(|t| p.matches(t)));
        let transcribed = ru_transcriptions(e);
        let by_transcription = by_terms || transcribed.iter().any(|t| doc.contains(t));
        fig.cross_terms += usize::from(by_terms);
        fig.cross_sound += usize::from(by_sound);
        fig.cross_transcribed += usize::from(by_transcription);
        if show_misses && !by_transcription {
            if by_sound {
                eprintln!("untranscribed {e} {r} {transcribed:?} {doc:?}");
            } else {
                eprintln!("cross miss {e} {r} {transcribed:?}");
            }
        }
    }

    // Inflection: the base form typed as a query finds the inflected mention.
    let mut infl: BTreeSet<(String, String, Lang)> = BTreeSet::new();
    for m in mentions.iter().filter(|m| !m.base.is_empty()) {
        let (s, b) = (name_words(&m.surface), name_words(&m.base));
        if s.len() == b.len() {
            for (sw, bw) in s.iter().zip(&b) {
                // Aligned words of one name start alike (this skips "нет данных" and
                // descriptions: Deutsche / немецкая).
                let start = |w: &str| w.chars().take(2).collect::<String>();
                if sw != bw && start(sw) == start(bw) {
                    infl.insert((bw.clone(), sw.clone(), m.lang));
                }
            }
        }
    }
    for (b, s, lang) in &infl {
        fig.inflection_pairs += 1;
        let j = joins(b, s, *lang, &mut qbuf);
        if !j && show_misses {
            eprintln!("miss {b} {s}");
        }
        fig.inflection_joined += usize::from(j);
    }

    // Romanized inflection: the base word in BGN romanization finds the Russian inflection,
    // with and without the stem of its Russian reading.
    for (b, sw, _) in infl.iter().filter(|(_, _, l)| *l == Lang::Ru) {
        let q = romanize_bgn(b);
        if q.is_empty() || !q.bytes().all(|c| c.is_ascii_lowercase()) {
            continue;
        }
        fig.romanized_pairs += 1;
        let doc = article_terms(sw, Lang::Ru, true);
        query_terms(&q, Lang::Ru, &mut qbuf);
        let reading = reading_stem(&q);
        let with = qbuf.iter().any(|(_, t)| doc.contains(t));
        let without = qbuf
            .iter()
            .any(|(_, t)| doc.contains(t) && Some(t) != reading.as_ref());
        fig.romanized_joined += usize::from(with);
        fig.romanized_joined_without_reading += usize::from(without);
    }

    // Lowercase derivatives: a Russian mention word written lowercase, aligned with a
    // capitalised word of its base form (американские / Америка), typed as the query.
    let mut lower: BTreeSet<(String, String)> = BTreeSet::new();
    let mut lower_entities: BTreeMap<String, HashSet<&str>> = BTreeMap::new();
    for m in mentions.iter().filter(|m| m.lang == Lang::Ru) {
        let as_written = |t: &str| words(t).map(|w| w.text.to_string()).collect::<Vec<_>>();
        let s = as_written(&m.surface);
        for sw in s
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        {
            if !m.entity.is_empty() {
                lower_entities
                    .entry(sw.clone())
                    .or_default()
                    .insert(&m.entity);
            }
        }
        let b = as_written(&m.base);
        if m.base.is_empty() || s.len() != b.len() {
            continue;
        }
        for (sw, bw) in s.iter().zip(&b) {
            let start = |w: &str| w.to_lowercase().chars().take(2).collect::<String>();
            let lower_word = sw.chars().next().is_some_and(char::is_lowercase);
            let name_word = bw.chars().next().is_some_and(char::is_uppercase);
            if lower_word && name_word && start(sw) == start(bw) {
                lower.insert((bw.clone(), sw.clone()));
            }
        }
    }
    let written_terms = |w: &str| {
        let mut t = Terms::default();
        analyze_article_word(w, Lang::Ru, &mut t);
        t.iter().map(|(_, s)| s.to_string()).collect::<Vec<_>>()
    };
    for (b, sw) in &lower {
        fig.lowercase_pairs += 1;
        let doc = written_terms(sw);
        query_terms(b, Lang::Ru, &mut qbuf);
        let adjectives = adjective_stems(&b.to_lowercase());
        let with = qbuf.iter().any(|(_, t)| doc.contains(t));
        let without = qbuf
            .iter()
            .any(|(_, t)| doc.contains(t) && !adjectives.contains(t));
        fig.lowercase_joined += usize::from(with);
        fig.lowercase_joined_without_adjectives += usize::from(without);
    }
    // What the adjective stems merge: each capitalised base word's stems against the
    // lowercase mention words of entities it does not name.
    let mut base_entities: BTreeMap<String, HashSet<&str>> = BTreeMap::new();
    for m in mentions
        .iter()
        .filter(|m| m.lang == Lang::Ru && !m.entity.is_empty())
    {
        for w in words(&m.base).filter(|w| w.text.chars().next().is_some_and(char::is_uppercase)) {
            base_entities
                .entry(w.text.to_string())
                .or_default()
                .insert(&m.entity);
        }
    }
    let lower_terms: Vec<(&String, Vec<String>, &HashSet<&str>)> = lower_entities
        .iter()
        .map(|(w, e)| (w, written_terms(w), e))
        .collect();
    for (b, ents) in &base_entities {
        let stems = adjective_stems(&b.to_lowercase());
        if stems.is_empty() {
            continue;
        }
        for (w, terms, wents) in &lower_terms {
            if ents.is_disjoint(wents) && stems.iter().any(|s| terms.contains(s)) {
                fig.adjective_collisions += 1;
                if std::env::var_os("NAMES_COLLISIONS").is_some() {
                    eprintln!("adjective collision {b} {w}");
                }
            }
        }
    }

    // Collisions: distinct words of names, with their entities and article terms.
    let mut entities: BTreeMap<(String, Lang), HashSet<&str>> = BTreeMap::new();
    for m in mentions.iter().filter(|m| !m.entity.is_empty()) {
        let base = if m.base.is_empty() {
            &m.surface
        } else {
            &m.base
        };
        for w in capitalised(base) {
            entities.entry((w, m.lang)).or_default().insert(&m.entity);
        }
        if let Some(en) = english_id(&m.entity) {
            for w in en {
                entities
                    .entry((w.to_lowercase(), Lang::En))
                    .or_default()
                    .insert(&m.entity);
            }
        }
    }
    let words: Vec<(&(String, Lang), &HashSet<&str>)> = entities.iter().collect();
    fig.words = words.len();
    // What the reading stem joins: English id words against Russian name words by stem.
    let mut ru_stems: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, ((w, lang), _)) in words.iter().enumerate() {
        if *lang == Lang::Ru {
            let mut t = Terms::default();
            analyze_article_word(w, Lang::Ru, &mut t);
            if let Some(stem) = t.view(View::Stem) {
                ru_stems.entry(stem.to_string()).or_default().push(i);
            }
        }
    }
    for ((w, lang), ents) in &words {
        if *lang != Lang::En {
            continue;
        }
        let Some(stem) = reading_stem(w) else {
            continue;
        };
        for &j in ru_stems.get(&stem).into_iter().flatten() {
            if ents.is_disjoint(words[j].1) {
                fig.reading_collisions += 1;
                if std::env::var_os("NAMES_COLLISIONS").is_some() {
                    eprintln!("reading collision {w} {} {stem}", words[j].0 .0);
                }
            } else {
                fig.reading_same += 1;
            }
        }
    }
    let mut by_term: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, ((w, lang), _)) in words.iter().enumerate() {
        for t in article_terms(w, *lang, false) {
            let v = by_term.entry(t).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
    }
    // Cross-script wrong joins: an English word's query terms in Russian fields against the
    // Russian words of other entities.
    for ((w, lang), ents) in &words {
        if *lang != Lang::En {
            continue;
        }
        query_terms(w, Lang::Ru, &mut qbuf);
        let mut met: BTreeSet<usize> = BTreeSet::new();
        for (_, t) in &qbuf {
            for &j in by_term.get(t).map(Vec::as_slice).unwrap_or_default() {
                let ((rw, rlang), rents) = words[j];
                if *rlang == Lang::Ru
                    && ents.is_disjoint(rents)
                    && met.insert(j)
                    && std::env::var_os("NAMES_COLLISIONS").is_some()
                {
                    eprintln!("cross collision {w} {rw} {t}");
                }
            }
        }
        fig.cross_collisions += met.len();
    }
    // Transcriptions: an English word's transcription against the Russian words of other
    // entities that have it as a term.
    for ((w, lang), ents) in &words {
        if *lang != Lang::En {
            continue;
        }
        let ts = ru_transcriptions(w);
        if ts.is_empty() {
            continue;
        }
        fig.transcribed_words += 1;
        let own = article_terms(w, Lang::Ru, false);
        let mut met: BTreeSet<usize> = BTreeSet::new();
        for t in ts.iter().filter(|t| !own.contains(t)) {
            for &j in by_term.get(t).map(Vec::as_slice).unwrap_or_default() {
                let ((rw, rlang), rents) = words[j];
                if *rlang == Lang::Ru && ents.is_disjoint(rents) && met.insert(j) {
                    fig.transcription_collisions += 1;
                    if std::env::var_os("NAMES_COLLISIONS").is_some() {
                        eprintln!("transcription collision {w} {rw} {t}");
                    }
                }
            }
        }
    }
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut terms: Vec<(&String, &Vec<usize>)> = by_term.iter().collect();
    terms.sort();
    for (t, ids) in terms {
        for (x, &i) in ids.iter().enumerate() {
            for &j in &ids[x + 1..] {
                let (a, b) = (words[i], words[j]);
                if a.0 .0 == b.0 .0 || !a.1.is_disjoint(b.1) || !seen.insert((i, j)) {
                    continue;
                }
                fig.collisions += 1;
                if std::env::var_os("NAMES_COLLISIONS").is_some() {
                    eprintln!("collision {} {} {t}", a.0 .0, b.0 .0);
                }
                if fig.collision_examples.len() < 20 {
                    fig.collision_examples
                        .push((a.0 .0.clone(), b.0 .0.clone(), t.clone()));
                }
            }
        }
    }
    Ok(fig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_ids_and_alignment() {
        assert_eq!(
            english_id("PER-Boris-Johnson"),
            Some(vec!["Boris".to_string(), "Johnson".to_string()])
        );
        assert_eq!(english_id("Wikidata:Q76"), None);
        assert_eq!(english_id(""), None);
        let mut q = Vec::new();
        assert!(joins("tokayev", "токаева", Lang::Ru, &mut q));
        assert!(!joins("tokayev", "токарева", Lang::Ru, &mut q));
    }

    #[test]
    fn small_file() {
        let dir = std::env::temp_dir().join(format!("kazsearch-names-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("names.tsv");
        let rows = [
            "surface\ttype\tsource_type\tdoc_id\tlang\tsource\tbase_form\tentity_id\tin_small",
            "Бориса Джонсона\tPER\tPER\td1\tru\tBSNLP-2021\tБорис Джонсон\tPER-Boris-Johnson\t0",
            "Путина\tPER\tPER\td1\tru\tNEREL\tПутин\tWikidata:Q7747\t0",
            "Путиной\tPER\tPER\td1\tru\tNEREL\tПутина\tWikidata:Q1\t0",
            "бостонской\tLOC\tCITY\td2\tru\tNEREL\tБостон\tWikidata:Q100\t0",
            "бостонский\tLOC\tCITY\td2\tru\tNEREL\tБостон\tWikidata:Q100\t0",
            "Бостонская\tLOC\tCITY\td2\tru\tNEREL\tБостон\tWikidata:Q100\t0",
        ];
        std::fs::write(&path, rows.join("\n")).unwrap();
        let f = check(&path).unwrap();
        assert_eq!(f.cross_pairs, 2);
        assert_eq!(f.cross_sound, 2, "{f:?}");
        assert_eq!(f.inflection_pairs, 7);
        // The two lowercase adjectives of Бостон, joined only through its adjective stem.
        assert_eq!(
            (
                f.lowercase_pairs,
                f.lowercase_joined,
                f.lowercase_joined_without_adjectives
            ),
            (2, 2, 0),
            "{f:?}"
        );
        // Путин and Путина are different entities that share the stripped key.
        assert!(f.collisions >= 1, "{f:?}");
        std::fs::remove_dir_all(&dir).ok();
        std::fs::write(dir.with_extension("bad"), "h\nx\ty\n").unwrap();
        let err = check(&dir.with_extension("bad")).unwrap_err().to_string();
        assert!(err.contains(":2:"), "{err}");
        std::fs::remove_file(dir.with_extension("bad")).ok();
    }

    #[test]
    #[ignore = "reads ../shared/data/names.tsv; run with --ignored --nocapture for the figures"]
    fn names_check() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/names.tsv");
        if !path.exists() {
            eprintln!("skipped: {} is absent", path.display());
            return;
        }
        let f = check(&path).unwrap_or_else(|e| panic!("{e}"));
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        println!(
            "cross-script pairs {}: joined by terms {} ({:.1}%), by terms or sound {} ({:.1}%)",
            f.cross_pairs,
            f.cross_terms,
            pct(f.cross_terms, f.cross_pairs),
            f.cross_sound,
            pct(f.cross_sound, f.cross_pairs)
        );
        println!(
            "cross-script pairs joined by terms or transcription {} ({:.1}%); \
             English words transcribed {}, joined to other entities' Russian words {}",
            f.cross_transcribed,
            pct(f.cross_transcribed, f.cross_pairs),
            f.transcribed_words,
            f.transcription_collisions
        );
        println!(
            "cross-script wrong joins (English word, Russian word of another entity): {}",
            f.cross_collisions
        );
        println!(
            "inflection pairs {}: joined {} ({:.1}%)",
            f.inflection_pairs,
            f.inflection_joined,
            pct(f.inflection_joined, f.inflection_pairs)
        );
        println!(
            "romanized (BGN) Russian inflection pairs {}: joined {} ({:.1}%), without the reading stem {} ({:.1}%)",
            f.romanized_pairs,
            f.romanized_joined,
            pct(f.romanized_joined, f.romanized_pairs),
            f.romanized_joined_without_reading,
            pct(f.romanized_joined_without_reading, f.romanized_pairs)
        );
        println!(
            "English id words whose Russian reading's stem is a Russian name word's stem: same entity {}, other entities {}",
            f.reading_same, f.reading_collisions
        );
        println!(
            "Russian lowercase derivatives {}: joined {} ({:.1}%), without the adjective stems {}; \
             adjective stems joining other entities' words {}",
            f.lowercase_pairs,
            f.lowercase_joined,
            pct(f.lowercase_joined, f.lowercase_pairs),
            f.lowercase_joined_without_adjectives,
            f.adjective_collisions
        );
        println!(
            "name words {}: colliding pairs of different entities {}",
            f.words, f.collisions
        );
        for (a, b, t) in &f.collision_examples {
            println!("  {a} / {b}: {t}");
        }
    }
}
