//! Aliases: names that no letter rule can join — renamed places (Tselinograd → Astana),
//! exonyms (Uralsk = Oral), Soviet forms (Guryev = Atyrau). A table of groups, shipped in
//! `lexicon/aliases.txt` and extendable with the user's own file, applied at query time: a
//! query word or phrase that is one name of a group also searches for the group's other names.
//!
//! Names are compared by skeleton key, so one spelling per name covers its other scripts and
//! romanizations; the last word of a query may be inflected (Оралда, Уральске).

use std::collections::HashMap;
use std::path::Path;

use super::build::Alternative;
use super::query::{Clause, ParsedQuery, Unit};
use crate::analysis::{analyze_word, key, words::words, Terms, View};
use crate::error::{Error, Result};
use crate::lang::Lang;

/// The built-in table of renamed places and old names.
pub const BUILTIN: &str = include_str!("../../lexicon/aliases.txt");
/// The built-in table of exonyms: countries, cities, regions, seas and organisations under
/// their English, Russian and Kazakh names (Turkey = Турция = Түркия).
pub const EXONYMS: &str = include_str!("../../lexicon/exonyms.txt");
/// Weight of an alias match relative to the name as typed: low, so that articles with the
/// name as typed rank first (Ақмола the region before Astana, once called Akmola).
pub const ALIAS_BOOST: f32 = 0.15;

/// The alias groups, indexed by the key sequence of each name.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    groups: Vec<Vec<Unit>>,
    by_key: HashMap<Vec<String>, Vec<usize>>,
}

impl Aliases {
    /// The built-in tables (renames and exonyms).
    pub fn builtin() -> Aliases {
        let mut a = Aliases::default();
        // The built-in tables are part of the binary and tested; a bad line cannot reach users.
        for (name, text) in [
            ("lexicon/aliases.txt", BUILTIN),
            ("lexicon/exonyms.txt", EXONYMS),
        ] {
            if let Err(e) = a.add_text(name, text) {
                tracing::error!("built-in alias table: {e}");
            }
        }
        a
    }

    /// The built-in table plus the groups of `path`.
    pub fn with_file(path: &Path) -> Result<Aliases> {
        let mut a = Aliases::builtin();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        a.add_text(&path.display().to_string(), &text)?;
        Ok(a)
    }

    /// Adds the groups of an alias file's text (`name` is used in errors).
    pub fn add_text(&mut self, name: &str, text: &str) -> Result<()> {
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let names: Vec<&str> = line.split('=').map(str::trim).collect();
            let bad = |reason: String| Error::BadArticle {
                path: name.into(),
                line: i as u64 + 1,
                reason,
            };
            if names.len() < 2 {
                return Err(bad(
                    "an alias line needs two or more names separated by \" = \"".into(),
                ));
            }
            let mut group = Vec::new();
            for n in names {
                let ws: Vec<String> = words(n).map(|w| w.text.to_string()).collect();
                if ws.is_empty() {
                    return Err(bad(format!("empty name in {line:?}")));
                }
                group.push(Unit {
                    words: ws,
                    quoted: false,
                });
            }
            let gi = self.groups.len();
            for unit in &group {
                let keys = base_keys(unit);
                let entry = self.by_key.entry(keys).or_default();
                if !entry.contains(&gi) {
                    entry.push(gi);
                }
            }
            self.groups.push(group);
        }
        Ok(())
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The ways `unit` may match: itself, then the other names of every group it belongs to
    /// (none for a quoted unit: quotes ask for the name as written).
    pub fn alternatives(&self, unit: &Unit) -> Vec<Alternative> {
        let mut out = vec![Alternative {
            unit: unit.clone(),
            boost: 1.0,
            aliased_as: Vec::new(),
        }];
        if unit.quoted {
            return out;
        }
        let mut groups: Vec<usize> = Vec::new();
        for keys in key_variants(unit) {
            if let Some(gs) = self.by_key.get(&keys) {
                for g in gs {
                    if !groups.contains(g) {
                        groups.push(*g);
                    }
                }
            }
        }
        let own = base_keys(unit);
        // The languages in which a name of the unit's groups is spelt with its own key
        // (Chechnya and Чечня): there the word itself is the name.
        let mut same = [false; 3];
        for g in groups {
            for other in &self.groups[g] {
                let k = base_keys(other);
                if k == own {
                    for w in &other.words {
                        for (s, can) in same.iter_mut().zip(crate::analysis::written_in(w)) {
                            *s |= can;
                        }
                    }
                } else if !out.iter().any(|a| base_keys(&a.unit) == k) {
                    out.push(Alternative {
                        unit: other.clone(),
                        boost: ALIAS_BOOST,
                        aliased_as: Vec::new(),
                    });
                }
            }
        }
        // The other names' words, where they name the unit in a language its own spelling
        // does not (Румыния for Romania in Russian; not Шешенстан for Chechnya, which Kazakh
        // news also spell Чечня).
        let aliased_as: Vec<String> = out[1..]
            .iter()
            .flat_map(|a| a.unit.words.iter())
            .filter(|w| {
                crate::analysis::written_in(w)
                    .iter()
                    .zip(same)
                    .any(|(can, s)| *can && !s)
            })
            .cloned()
            .collect();
        out[0].aliased_as = aliased_as;
        out
    }
}

impl Aliases {
    /// A query of plain words that together spell a name of the table (Black Sea, White
    /// House, South Korea, Western Europe) asks for that name: the query as one phrase, with
    /// the name's other names (Чёрное море, Қара теңіз). Word by word, no alias could apply,
    /// and the articles that write the name another way were never found. None for anything
    /// else: one word, a quoted or hyphenated unit, `OR`, `+`, `-`, a question.
    pub fn join_name(&self, parsed: &ParsedQuery) -> Option<ParsedQuery> {
        if parsed.clauses.len() < 2 || !parsed.must_not.is_empty() || parsed.question {
            return None;
        }
        let mut words = Vec::with_capacity(parsed.clauses.len());
        for c in &parsed.clauses {
            match c.any.as_slice() {
                [u] if !c.required && !u.quoted && !u.is_phrase() => {
                    words.push(u.words.first()?.clone());
                }
                _ => return None,
            }
        }
        let unit = Unit {
            words,
            quoted: false,
        };
        if !key_variants(&unit)
            .iter()
            .any(|k| self.by_key.contains_key(k))
        {
            return None;
        }
        Some(ParsedQuery {
            clauses: vec![Clause {
                any: vec![unit],
                required: false,
            }],
            ..parsed.clone()
        })
    }
}

/// The skeleton keys of a name's words.
fn base_keys(unit: &Unit) -> Vec<String> {
    let mut t = Terms::default();
    unit.words
        .iter()
        .map(|w| {
            analyze_word(w, Lang::En, &mut t);
            t.view(View::Key)
                .or(t.view(View::Exact))
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// The key sequences a query unit could stand for: its keys as typed, and with the last word's
/// inflection stripped under each language.
fn key_variants(unit: &Unit) -> Vec<Vec<String>> {
    let base = base_keys(unit);
    let mut out = vec![base.clone()];
    if let Some(last) = base.last() {
        for lang in Lang::ALL {
            if let Some(stripped) = key::strip(last, lang) {
                let mut v = base.clone();
                if let Some(l) = v.last_mut() {
                    *l = stripped.to_string();
                }
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_that_spell_a_name_are_that_name() {
        let a = Aliases::builtin();
        let joined = |q: &str| {
            let parsed = crate::search::query::parse(q).unwrap();
            a.join_name(&parsed).map(|p| p.clauses[0].display())
        };
        for (q, want) in [
            ("Black Sea", Some("\"Black Sea\"")),
            ("white house", Some("\"white house\"")),
            ("Қара теңізде", Some("\"Қара теңізде\"")),
            ("Black cat", None),
            ("\"Black Sea\"", None),
            ("Black OR Sea", None),
            ("Black +Sea", None),
            ("Astana", None),
        ] {
            assert_eq!(joined(q).as_deref(), want, "{q}");
        }
    }

    fn alts(a: &Aliases, q: &str) -> Vec<String> {
        let unit = Unit {
            words: words(q).map(|w| w.text.to_string()).collect(),
            quoted: false,
        };
        a.alternatives(&unit)
            .into_iter()
            .map(|a| a.unit.words.join(" "))
            .collect()
    }

    #[test]
    fn builtin_tables_parse() {
        for (name, text) in [("aliases", BUILTIN), ("exonyms", EXONYMS)] {
            let mut a = Aliases::default();
            a.add_text(name, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(a.len() > 15, "{name}");
        }
        let a = Aliases::builtin();
        for (q, other) in [
            ("Turkey", "Түркия"),
            ("Netherlands", "Нидерланды"),
            ("Афины", "Athens"),
        ] {
            assert!(
                alts(&a, q).iter().any(|x| x == other),
                "{q}: {:?}",
                alts(&a, q)
            );
        }
    }

    #[test]
    fn builtin_groups() {
        let a = Aliases::builtin();
        assert!(a.len() > 15);
        let uralsk = alts(&a, "Уральск");
        assert_eq!(uralsk[0], "Уральск");
        assert!(uralsk.contains(&"Oral".to_string()), "{uralsk:?}");
        assert!(alts(&a, "Орал").contains(&"Uralsk".to_string()));
        assert!(alts(&a, "Оралда").contains(&"Uralsk".to_string()));
        assert!(alts(&a, "Nur-Sultan").contains(&"Astana".to_string()));
        assert_eq!(alts(&a, "Tokayev"), vec!["Tokayev".to_string()]);
        // Aral is not Oral.
        assert_eq!(alts(&a, "Aral"), vec!["Aral".to_string()]);
        // Renamings whose Kazakh and Russian forms differ.
        for (q, other) in [
            ("Шымкент", "Chimkent"),
            ("Чимкент", "Shymkent"),
            ("Өскемен", "Ust Kamenogorsk"),
            ("Усть-Каменогорске", "Öskemen"),
            ("Уральске", "Oral"),
        ] {
            assert!(
                alts(&a, q).iter().any(|x| x == other),
                "{q}: {:?}",
                alts(&a, q)
            );
        }
        // A quoted name has no aliases.
        let quoted = Unit {
            words: vec!["Nur".into(), "Sultan".into()],
            quoted: true,
        };
        assert_eq!(a.alternatives(&quoted).len(), 1);
    }

    #[test]
    fn a_name_knows_the_languages_its_aliases_name_it_in() {
        let a = Aliases::builtin();
        // (query, the alias words kept for narrowing its other forms)
        let cases: &[(&str, &[&str])] = &[
            // Russian names Romania otherwise: Румыния narrows Romania's forms there.
            ("Romania", &["Румыния"]),
            // Чечня shares Chechnya's key: in Kazakh and Russian the word is the name itself.
            ("Chechnya", &[]),
            // No group.
            ("Tokayev", &[]),
        ];
        for (q, want) in cases {
            let unit = crate::search::query::parse(q).unwrap().clauses[0].any[0].clone();
            let got = &a.alternatives(&unit)[0].aliased_as;
            assert_eq!(got, want, "{q}");
        }
    }

    #[test]
    fn user_file_errors_name_the_line() {
        let mut a = Aliases::default();
        let err = a.add_text("mine.txt", "# c\nA = B\nlonely\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "mine.txt:3: an alias line needs two or more names separated by \" = \""
        );
        assert!(a.add_text("mine.txt", "A = ,,").is_err());
    }
}
