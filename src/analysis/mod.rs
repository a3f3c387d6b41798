//! Analysis: how a text becomes the terms it is indexed and searched under.
//!
//! ```text
//! text ─► words (UAX #29) ─► fold (lowercase, NFC, ё→е, look-alikes)  = exact view
//!                                 ├─► stem (kk suffix stripper | ru/en Snowball) = stem view
//!                                 └─► key (script-independent skeleton)          = key view
//!                                       └─► strip (kk case/plural/possessive, ru endings)
//! ```
//!
//! Every view of a word is emitted at the word's position, so one index field answers exact,
//! stemmed, cross-script and phrase queries. Documents and queries go through the same
//! [`analyze_word`]: a query word is analysed once per language field it is searched in.
//! Everything here is pure and free of tantivy types except the adapter in `tokenizer`.

pub mod fold;
pub mod kazakh;
pub mod key;
pub mod layout;
pub mod question;
pub mod reading;
pub mod sound;
pub mod stem;
pub mod tokenizer;
pub mod words;

use crate::lang::Lang;

/// Which view of a word a term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The folded surface form (Тоқаевтың → тоқаевтың).
    Exact,
    /// The language's stem (тоқаевтың → тоқаев).
    Stem,
    /// The transliteration skeleton key (Тоқаевтың → tokaevtin).
    Key,
    /// The key with the language's inflection stripped (tokaevtin → tokaev).
    Stripped,
    /// Query words only: the key with another language's inflection stripped, searched in
    /// this language's articles (Тоқаевтың → tokaev in Russian and English articles).
    Base,
    /// A Kazakh word's first [`ROOT_LETTERS`] letters, marked with [`ROOT_MARK`]
    /// (энергетикалық → энерг…): the crude root that joins a word with its derivations
    /// (энергия, энергетикалық), which the suffix stripper keeps apart. Searched only when a
    /// query is relaxed (a question or a sentence), never for names.
    Root,
}

impl View {
    /// The views an article's word is indexed under, from the most to the least exact.
    pub const ALL: [View; 5] = [
        View::Exact,
        View::Stem,
        View::Key,
        View::Stripped,
        View::Root,
    ];

    /// The slot of [`Terms`] this view's term is kept in (Base terms are never indexed).
    fn slot(self) -> Option<usize> {
        match self {
            View::Exact => Some(0),
            View::Stem => Some(1),
            View::Key => Some(2),
            View::Stripped => Some(3),
            View::Root => Some(4),
            View::Base => None,
        }
    }
}

/// Letters kept by [`View::Root`]. Cutting words to their first five letters is the classic
/// strong baseline for Turkish retrieval (Can et al., "Information retrieval on Turkish
/// texts", 2008), as good as a lemmatiser there; Kazakh is built the same way. On the KazQAD
/// dev questions, BM25 over stems plus these roots reached nDCG@10 0.78, stems alone 0.76.
pub const ROOT_LETTERS: usize = 5;

/// Ends a [`View::Root`] term, so that it never equals a word's exact form (the root энерг…
/// of энергия is not the word энерг).
pub const ROOT_MARK: char = '…';

/// The [`View::Root`] term of a folded Kazakh word, into `out` (emptied first): its first
/// [`ROOT_LETTERS`] letters (all of a shorter word) and [`ROOT_MARK`], for a word of letters
/// only; nothing for numbers or for words in other languages (Russian and English have their
/// Snowball stems). A short word has a root too, so that финка finds финкаға by it as
/// финкаға finds финка; without it the roots gained half as much (nDCG@10 0.759 against
/// 0.763), for an index 6 % smaller.
///
/// ```
/// use kazsearch::analysis::root;
/// use kazsearch::lang::Lang;
/// let mut out = String::new();
/// root("энергетикалық", Lang::Kk, &mut out);
/// assert_eq!(out, "энерг…");
/// root("финка", Lang::Kk, &mut out);
/// assert_eq!(out, "финка…");
/// root("2020", Lang::Kk, &mut out);
/// assert_eq!(out, "");
/// root("энергетика", Lang::Ru, &mut out);
/// assert_eq!(out, "");
/// ```
pub fn root(folded: &str, lang: Lang, out: &mut String) {
    out.clear();
    if lang != Lang::Kk || !folded.chars().all(char::is_alphabetic) {
        return;
    }
    out.extend(folded.chars().take(ROOT_LETTERS));
    if !out.is_empty() {
        out.push(ROOT_MARK);
    }
}

/// The distinct terms of one word, one slot per view (an empty slot repeats an earlier view).
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub(crate) slots: [String; 5],
}

impl Terms {
    /// Empties every slot.
    pub fn clear(&mut self) {
        for s in &mut self.slots {
            s.clear();
        }
    }

    /// The term of `view`, or None when it equals a more exact view's term or is empty.
    pub fn view(&self, view: View) -> Option<&str> {
        let s = self.slots.get(view.slot()?)?;
        (!s.is_empty()).then_some(s.as_str())
    }

    /// The i-th non-empty term (0 is always the exact term, when the word has one).
    pub fn get(&self, i: usize) -> Option<&str> {
        self.iter().nth(i).map(|(_, t)| t)
    }

    /// The distinct terms with their views, most exact first.
    pub fn iter(&self) -> impl Iterator<Item = (View, &str)> {
        View::ALL
            .into_iter()
            .filter_map(move |v| self.view(v).map(|t| (v, t)))
    }

    /// True when any view of this word equals `term`.
    pub fn contains(&self, term: &str) -> bool {
        self.slots.iter().any(|s| !s.is_empty() && s == term)
    }
}

/// Analyses one word (as written) under the grammar of `lang` into `out`.
///
/// ```
/// use kazsearch::analysis::{analyze_word, Terms, View};
/// use kazsearch::lang::Lang;
/// let mut t = Terms::default();
/// analyze_word("Тоқаевтың", Lang::Kk, &mut t);
/// assert_eq!(t.view(View::Exact), Some("тоқаевтың"));
/// assert_eq!(t.view(View::Stem), Some("тоқаев"));
/// ```
pub fn analyze_word(word: &str, lang: Lang, out: &mut Terms) {
    analyze(word, lang, Views::All, out);
}

/// Which views a word gets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Views {
    /// A query word: every view.
    All,
    /// A capitalised word of an article: key and stripped key (and the stem, but in English).
    Name,
    /// A lowercase word of an article: the stem.
    Word,
}

/// Analyses one word of an article: like [`analyze_word`], but the cross-script views (key
/// and stripped key) only for capitalised words — the names — and no English stem for them
/// (English names do not inflect; the key covers the possessive). A query word always gets
/// every view, so a lowercase query still finds the capitalised name; the index is about a
/// third smaller than with every view of every word.
///
/// ```
/// use kazsearch::analysis::{analyze_article_word, Terms, View};
/// use kazsearch::lang::Lang;
/// let mut t = Terms::default();
/// analyze_article_word("министров", Lang::Ru, &mut t);
/// assert_eq!((t.view(View::Stem), t.view(View::Key)), (Some("министр"), None));
/// analyze_article_word("Токаева", Lang::Ru, &mut t);
/// assert_eq!(t.view(View::Key), Some("tokaeva"));
/// ```
pub fn analyze_article_word(word: &str, lang: Lang, out: &mut Terms) {
    let name_like = word.chars().next().is_some_and(char::is_uppercase) && !is_acronym(word);
    let views = if name_like { Views::Name } else { Views::Word };
    analyze(word, lang, views, out);
}

/// True for a short all-capitals word (ООН, ЕС, БҰҰ, UK): an acronym, which is matched as
/// written — its skeleton key would be a common word's (ООН → "on", ЕС → "es"). Acronyms
/// that name the same thing across languages are joined by the exonym table instead.
///
/// ```
/// use kazsearch::analysis::is_acronym;
/// assert!(is_acronym("ООН") && is_acronym("NATO"));
/// assert!(!is_acronym("Астана") && !is_acronym("ЮНЕСКО") && !is_acronym("2020"));
/// ```
pub fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (2..=4).contains(&letters) && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

fn analyze(word: &str, lang: Lang, views: Views, out: &mut Terms) {
    let [exact, stem_slot, key_slot, stripped, root_slot] = &mut out.slots;
    fold::fold(word, exact);
    root(exact, lang, root_slot);
    let keys = views != Views::Word;
    if views != Views::Name || lang != Lang::En {
        stem::stem(lang, exact, stem_slot);
    } else {
        stem_slot.clear();
    }
    key_slot.clear();
    stripped.clear();
    if keys {
        key::key(exact, key_slot);
        if let Some(s) = key::strip(key_slot, lang) {
            stripped.push_str(s);
        }
    }
    // Drop repeats so each distinct term is emitted once per position.
    if stem_slot == exact {
        stem_slot.clear();
    }
    if key_slot.is_empty() || *key_slot == *exact || *key_slot == *stem_slot {
        key_slot.clear();
    }
    if stripped.is_empty()
        || *stripped == *exact
        || *stripped == *stem_slot
        || *stripped == *key_slot
    {
        stripped.clear();
    }
}

/// The terms a query word is searched under in `lang`'s fields: the word's views under
/// `lang`, plus its key with the inflection stripped under each language the word could be
/// written in ([`written_in`]) — a query's language is unknown, and a Kazakh-inflected name
/// (Тоқаевтың) must still find the Russian article that writes Токаев. A Latin word is not
/// stripped by Russian rules outside Russian fields: "Neva" must not become "nev" and meet
/// every English "new".
///
/// ```
/// use kazsearch::analysis::{query_terms, View};
/// use kazsearch::lang::Lang;
/// let mut out = Vec::new();
/// query_terms("Тоқаевтың", Lang::Ru, &mut out);
/// assert!(out.contains(&(View::Base, "tokaev".to_string())));
/// // In Kazakh articles, the bare and inflected forms of a Kazakh name meet.
/// query_terms("Қарағанды", Lang::Kk, &mut out);
/// assert!(out.contains(&(View::Base, "karagand".to_string())));
/// query_terms("Қарағандыда", Lang::Kk, &mut out);
/// assert!(out.contains(&(View::Base, "karagandi".to_string())));
/// ```
pub fn query_terms(word: &str, lang: Lang, out: &mut Vec<(View, String)>) {
    out.clear();
    let mut t = Terms::default();
    let views = if is_acronym(word) {
        Views::Word
    } else {
        Views::All
    };
    analyze(word, lang, views, &mut t);
    out.extend(t.iter().map(|(v, s)| (v, s.to_string())));
    let key = t
        .view(View::Key)
        .or(t.view(View::Exact))
        .unwrap_or("")
        .to_string();
    let could_be = written_in(word);
    for other in Lang::ALL {
        if other == lang || key.is_empty() || !could_be[other.index()] {
            continue;
        }
        // The base form under the other language's grammar. Not stripped again under
        // `lang`'s: Kazakh stripping already cuts a final vowel as Russian does
        // (Қарағандыда → karagand, like Караганде), and a second cut reaches other words
        // (Turkey → turke → turk, the stem of Туркам).
        // Both with and without the final vowel Kazakh stripping cuts (Қарағандыда →
        // karagand for Караганде, karagandi for English Karagandy).
        for base in [key::strip(&key, other), key::strip_endings(&key, other)]
            .into_iter()
            .flatten()
        {
            add_base(out, base);
        }
    }
    if lang != Lang::En && word.is_ascii() {
        // A Latin c before e, i or y is ц in the Russian and Kazakh forms of names that came
        // through Latin or German (France = Франция, Greece = Греция, Florence = Флоренция,
        // Central = Центральная), where the key reads the English с (Cecil = Сесил): Cyrillic
        // fields also search the key with ц, bare and stripped.
        let mut tse_key = None;
        if let Some(tse) = c_as_tse(word) {
            let mut k2 = String::new();
            key::key(&tse, &mut k2);
            add_base(out, &k2);
            if let Some(stripped) = key::strip(&k2, lang) {
                add_base(out, stripped);
            }
            tse_key = Some(k2);
        }
        // An English adjective in -al is a Russian one in -альный: Federal = Федеральная,
        // Episcopal = Епископальная, Mineral = Минеральные (and Central = Центральная through
        // its ц key). Its stem, as Russian stripping leaves it (federaln), is what the Russian
        // articles share. Only a capitalised Russian adjective has a key, as the first word
        // of a name does.
        if lang == Lang::Ru {
            for k in std::iter::once(&key).chain(&tse_key) {
                if k.len() >= 4 && k.ends_with("al") {
                    add_base(out, &format!("{k}n"));
                }
            }
        }
    }
    // In Russian articles, a romanized word is also searched under the stem of its Russian
    // reading (Ufa → уфа → уф, the stem of Уфы and Уфе), as the Cyrillic word would be: the
    // key's stripping cannot reach every inflection (too short a key, or a case ending that
    // reads like another once keyed: Алабамы → alabami → alab).
    // Weighed as another script's base form, below the word's own views: a reading is one
    // guess among the romanizations.
    if lang == Lang::Ru && views == Views::All {
        if let Some(stem) = t.view(View::Exact).and_then(reading_stem) {
            add_base(out, &stem);
        }
    }
    // In Russian articles, a place's adjective is written lowercase (бостонской, американские:
    // no key), so only its stem meets a name: a capitalised word also searches the stems of
    // the adjectives Russian makes from its Russian form (the word, or the reading of a Latin
    // word's key: London → лондон → лондонск, America → amerika → американск).
    if lang == Lang::Ru
        && views == Views::All
        && word.chars().next().is_some_and(char::is_uppercase)
    {
        let mut cyr = String::new();
        let russian = if could_be == [true, true, false] {
            t.view(View::Exact)
        } else if reading::reading(&key, &mut cyr) {
            Some(cyr.as_str())
        } else {
            None
        };
        for stem in russian.map(adjective_stems).unwrap_or_default() {
            add_base(out, &stem);
        }
    }
    // In Kazakh articles, a Kazakh name's forms must meet whether the query is bare or
    // inflected, though Kazakh stripping takes a bare name's -ды for an accusative
    // (Қарағанды → karagan, Қарағандыда → karagand): the bare query also searches its key
    // with the final vowel cut (karagand), the inflected one its base form with the vowel
    // kept (karagandi, the key of the bare name).
    if lang == Lang::Kk && could_be[Lang::Kk.index()] && !key.is_empty() {
        for base in [
            key::strip_final_vowel_kk(&key),
            key::strip_endings(&key, Lang::Kk),
        ]
        .into_iter()
        .flatten()
        {
            add_base(out, base);
        }
    }
}

/// Adds `term` to a word's query terms as a base form, unless it is empty or already there
/// under some view.
fn add_base(out: &mut Vec<(View, String)>, term: &str) {
    if !term.is_empty() && !out.iter().any(|(_, t)| t == term) {
        out.push((View::Base, term.to_string()));
    }
}

/// The word with each c before e, i or y written ts (France → Frantse), when it has one.
fn c_as_tse(word: &str) -> Option<String> {
    let b = word.as_bytes();
    let soft = |i: usize| {
        b[i].eq_ignore_ascii_case(&b'c')
            && b.get(i + 1)
                .is_some_and(|n| matches!(n.to_ascii_lowercase(), b'e' | b'i' | b'y'))
    };
    if !(0..b.len()).any(soft) {
        return None;
    }
    let mut out = String::with_capacity(word.len() + 2);
    for (i, ch) in word.char_indices() {
        if soft(i) {
            out.push_str("ts");
        } else {
            out.push(ch);
        }
    }
    Some(out)
}

/// The stems of the adjectives Russian makes from a name in lowercase Cyrillic, as the Russian
/// stemmer leaves them (американские → американск): -ия becomes -ийск or -ск (Австралия →
/// австралийск, Болгария → болгарск), -а or -я -ск or -анск (Вена → венск, Америка →
/// американск), a consonant -ск (Бостон → бостонск), a ь -ск with or without it (Брюссель →
/// брюссельск, Казань → казанск). None for other endings, nor for a name of fewer than four
/// letters (Рим makes римск, but Ош or Уфа would make too short a stem to tell apart).
///
/// ```
/// use kazsearch::analysis::adjective_stems;
/// assert_eq!(adjective_stems("америка"), ["америкск", "американск"]);
/// assert_eq!(adjective_stems("бостон"), ["бостонск"]);
/// assert!(adjective_stems("токио").is_empty());
/// ```
pub fn adjective_stems(noun: &str) -> Vec<String> {
    if noun.chars().count() < 4 {
        return Vec::new();
    }
    let cut = |n: usize| {
        noun.char_indices()
            .rev()
            .nth(n - 1)
            .map_or("", |(i, _)| &noun[..i])
    };
    let last = noun.chars().next_back().unwrap_or(' ');
    if let Some(root) = noun.strip_suffix("ия") {
        return vec![format!("{root}ийск"), format!("{root}ск")];
    }
    match last {
        'а' | 'я' => {
            let root = cut(1);
            vec![format!("{root}ск"), format!("{root}анск")]
        }
        'о' | 'е' | 'ё' | 'и' | 'у' | 'ы' | 'э' | 'ю' | 'ъ' => Vec::new(),
        // Брюссель → брюссельск, Казань → казанск.
        'ь' => vec![format!("{noun}ск"), format!("{}ск", cut(1))],
        _ => vec![format!("{noun}ск")],
    }
}

/// The Russian stem of a romanized word's Russian reading (see [`reading`]), when the stem
/// cuts only a final vowel off the reading and keeps two letters or more; None otherwise, and
/// for a word that is not lowercase Latin letters.
///
/// ```
/// use kazsearch::analysis::reading_stem;
/// assert_eq!(reading_stem("ufa").as_deref(), Some("уф"));
/// assert_eq!(reading_stem("alabama").as_deref(), Some("алабам"));
/// // The stem must cut only a final vowel: Syria is not read as сыр, "cheese".
/// assert_eq!(reading_stem("syria"), None);
/// assert_eq!(reading_stem("уфа"), None);
/// ```
pub fn reading_stem(folded: &str) -> Option<String> {
    let mut cyr = String::new();
    if !reading::reading(folded, &mut cyr) {
        return None;
    }
    let mut out = String::new();
    stem::stem(Lang::Ru, &cyr, &mut out);
    // Only a final vowel cut: a nominative ending the key's stripping could not take off.
    let cut = cyr.strip_prefix(out.as_str())?;
    let vowel_cut = matches!(cut, "а" | "я" | "о" | "е" | "ы" | "и" | "у");
    (out.chars().count() >= 2 && vowel_cut).then_some(out)
}

/// Drops the stem from a name's query terms (`terms`, from [`query_terms`]) when it cuts
/// deeper than the key's inflection stripping: the stemmer took part of the name for a suffix
/// (Қарағанды → қара, "black", whose articles are not about Karaganda, where the stripped key
/// keeps karagan; Иванов → иван). The key, stripped key and base forms still find the name's
/// inflections. Only for capitalised words, and only where the query is read as a name (not
/// in relaxed matching, where words are general vocabulary: there dropping stems cost KazQAD
/// R@10 0.886 → 0.876). A word too short to strip keeps its stem (Уфа: уф finds Уфе, Уфы).
pub fn drop_name_overstem(word: &str, lang: Lang, terms: &mut Vec<(View, String)>) {
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return;
    }
    let find = |v: View| terms.iter().find(|(w, _)| *w == v).map(|(_, t)| t.as_str());
    let (Some(stem), Some(key)) = (find(View::Stem), find(View::Key).or(find(View::Exact))) else {
        return;
    };
    let Some(base) = key::strip(key, lang) else {
        return;
    };
    let mut stem_key = String::new();
    key::key(stem, &mut stem_key);
    if stem_key.chars().count() < base.chars().count() {
        terms.retain(|(v, _)| *v != View::Stem);
    }
}

/// The languages a word could be written in, judged by its letters (by [`Lang::index`]):
/// Kazakh-only letters (Cyrillic ә ғ қ ң ө ұ ү һ і, Latin ä ğ ñ ö ū ü ş ı) say Kazakh;
/// other Cyrillic, Russian or Kazakh; other Latin, English or Kazakh (2021 alphabet);
/// digits and other scripts, none.
///
/// ```
/// use kazsearch::analysis::written_in;
/// assert_eq!(written_in("Тоқаев"), [true, false, false]);
/// assert_eq!(written_in("Токаев"), [true, true, false]);
/// assert_eq!(written_in("Tokayev"), [true, false, true]);
/// ```
pub fn written_in(word: &str) -> [bool; 3] {
    let (mut cyr, mut lat) = (false, false);
    for c in word.chars() {
        match c {
            'ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' | 'і' | 'Ә' | 'Ғ' | 'Қ' | 'Ң' | 'Ө'
            | 'Ұ' | 'Ү' | 'Һ' | 'І' | 'ä' | 'ğ' | 'ñ' | 'ö' | 'ū' | 'ü' | 'ş' | 'ı' | 'Ä' | 'Ğ'
            | 'Ñ' | 'Ö' | 'Ū' | 'Ü' | 'Ş' => return [true, false, false],
            c if fold::is_cyrillic(c) => cyr = true,
            c if c.is_alphabetic() && c.is_ascii() => lat = true,
            _ => {}
        }
    }
    [cyr || lat, cyr, lat]
}

/// The tantivy tokenizer name of `lang`'s fields.
pub fn tokenizer_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "kazsearch_kk",
        Lang::Ru => "kazsearch_ru",
        Lang::En => "kazsearch_en",
    }
}

/// One analysed word, for `kazsearch analyze` and for tests.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnalyzedWord {
    /// The word as written.
    pub text: String,
    /// Byte offsets in the text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// Word position.
    pub position: usize,
    /// The distinct terms with their views.
    pub terms: Vec<(View, String)>,
}

/// Analyses a whole text under `lang`, as an article is indexed.
pub fn analyze_text(text: &str, lang: Lang) -> Vec<AnalyzedWord> {
    let mut terms = Terms::default();
    words::words(text)
        .map(|w| {
            analyze_article_word(w.text, lang, &mut terms);
            AnalyzedWord {
                text: w.text.to_string(),
                start: w.start,
                end: w.end,
                position: w.position,
                terms: terms.iter().map(|(v, t)| (v, t.to_string())).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Asserts the views of each word of `text` under `lang` (charabia-style pipeline check).
    pub fn assert_views(lang: Lang, text: &str, want: &[&[(View, &str)]]) {
        let got = analyze_text(text, lang);
        assert_eq!(
            got.len(),
            want.len(),
            "help: word count of {text:?}: {got:?}"
        );
        for (w, want) in got.iter().zip(want) {
            let have: Vec<(View, &str)> = w.terms.iter().map(|(v, t)| (*v, t.as_str())).collect();
            assert_eq!(&have, want, "help: views of {:?} under {lang}", w.text);
        }
    }

    /// True when the query word `query`, searched in `lang`'s fields, shares a term with the
    /// Russian article word `word`.
    fn meets(query: &str, lang: Lang, word: &str) -> bool {
        let mut q = Vec::new();
        query_terms(query, lang, &mut q);
        let mut t = Terms::default();
        analyze_article_word(word, Lang::Ru, &mut t);
        q.iter().any(|(_, s)| t.contains(s))
    }

    /// A capitalised name meets its lowercase Russian adjective through the adjective's stem;
    /// a lowercase query word, a name too short, or another language's fields do not.
    #[test]
    fn names_meet_their_russian_adjectives() {
        for (query, lang, adjective, joins) in [
            ("Америка", Lang::Ru, "американские", true),
            ("Бостон", Lang::Ru, "бостонской", true),
            ("Австралия", Lang::Ru, "австралийский", true),
            ("Болгария", Lang::Ru, "болгарской", true),
            ("Брюссель", Lang::Ru, "брюссельского", true),
            ("Вена", Lang::Ru, "венский", true),
            ("London", Lang::Ru, "лондонских", true),
            ("America", Lang::Ru, "американской", true),
            ("бостон", Lang::Ru, "бостонской", false),
            ("Рим", Lang::Ru, "римский", false),
            ("Бостон", Lang::Kk, "бостонской", false),
        ] {
            assert_eq!(
                meets(query, lang, adjective),
                joins,
                "{query} / {adjective} in {lang}"
            );
        }
    }

    /// An English adjective in -al meets the Russian -альный, and a Latin c before e, i, y
    /// meets ц as well as с, in Russian fields only.
    #[test]
    fn latin_words_meet_russian_forms() {
        for (en, ru, joins) in [
            ("Episcopal", "Епископальная", true),
            ("Federal", "Федеральной", true),
            // Уральская is an -ский adjective, not -альный.
            ("Ural", "Уральская", false),
            ("Portugal", "Португалии", true),
            ("Global", "Глобус", false),
            ("France", "Франции", true),
            ("Greece", "Греция", true),
            ("Central", "Центральной", true),
            ("Cecil", "Сесила", true),
            ("Crimea", "Крым", false),
        ] {
            assert_eq!(meets(en, Lang::Ru, ru), joins, "{en} / {ru}");
        }
        let mut q = Vec::new();
        query_terms("Federal", Lang::En, &mut q);
        assert!(!q.iter().any(|(_, s)| s == "federaln"), "{q:?}");
    }

    #[test]
    fn pipeline() {
        use View::*;
        assert_views(
            Lang::Kk,
            "Тоқаевтың",
            &[&[
                (Exact, "тоқаевтың"),
                (Stem, "тоқаев"),
                (Key, "tokaevtin"),
                (Stripped, "tokaev"),
                (Root, "тоқае…"),
            ]],
        );
        // A lowercase Kazakh word: its stem and its root (the first five letters).
        assert_views(
            Lang::Kk,
            "энергетикалық",
            &[&[
                (Exact, "энергетикалық"),
                (Stem, "энергетикалы"),
                (Root, "энерг…"),
            ]],
        );
        // A lowercase Russian word is stemmed by Snowball and gets no key.
        assert_views(
            Lang::Ru,
            "министров",
            &[&[(Exact, "министров"), (Stem, "министр")]],
        );
        assert_views(
            Lang::Ru,
            "Токаева",
            &[&[
                (Exact, "токаева"),
                (Stem, "токаев"),
                (Key, "tokaeva"),
                (Stripped, "tokaev"),
            ]],
        );
        // A capitalised English word (a name) gets no Snowball stem: names do not inflect.
        assert_views(
            Lang::En,
            "Reuters",
            &[&[(Exact, "reuters"), (Stripped, "reuter")]],
        );
        assert_views(
            Lang::En,
            "Tokayev's",
            &[&[(Exact, "tokayev"), (Key, "tokaev")]],
        );
        assert_views(
            Lang::En,
            "the 2020 The",
            &[
                &[(Exact, "the")],
                &[(Exact, "2020")],
                &[(Exact, "the"), (Key, "te")],
            ],
        );
    }
}
