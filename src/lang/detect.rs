//! Language detection: is an article (or a short text) Kazakh, Russian or English?
//!
//! Script before language, as charabia does. Lingua alone will not do: it runs at 2–3 MB/s
//! on whole articles (indexing runs at about 11 MB/s) and has no model of Kazakh in Latin
//! script. So a cheap pass first counts letters in a bounded sample (the first `SCAN_BYTES`
//! bytes, cut on a char boundary, stopping early once the count is conclusive), and this
//! settles nearly every article on its own:
//!
//! - Each word belongs to the script of most of its letters, so Latin look-alikes inside
//!   Cyrillic words ("Моcква" with a Latin c) count as Cyrillic, and a Latin i, ı, ä, ö, ü
//!   or ə inside a Cyrillic word counts as the Kazakh letter it stands for. Words inside web
//!   and e-mail addresses are skipped. In mixed text, words starting with a lowercase letter
//!   (running text, not names) weigh double.
//! - Cyrillic text: the Kazakh-only letters ә ғ қ ң ө ұ ү һ і are 10–20 % of the letters of
//!   Kazakh text (never under 4 % in corpus-small and corpus-large) and next to none of
//!   Russian; в ё ф ц ч щ ъ ь э are 4–13 % of Russian and only loanwords' share of Kazakh.
//!   Each letter of one kind cancels one of the other; enough net letters, in a large enough
//!   share, decide.
//! - Latin text: rules decide alone. A word votes Kazakh for a letter of the 2021 Kazakh
//!   alphabet English lacks (ä ğ ñ ö ū ü ş ı), a q not followed by u, or a Kazakh function
//!   word; English for an English function word, or c, w, x or "th", which that alphabet does
//!   not use. The majority wins; Latin text without votes (a name) is English.
//!
//! Only Cyrillic text the letters leave open (short texts, Russian quoting Kazakh names,
//! Kazakh typed without its special letters) goes to lingua, restricted to Kazakh, Russian
//! and English, on at most `LINGUA_BYTES` of the sample's Cyrillic words with look-alikes
//! folded to Cyrillic. Text without letters (digits, punctuation, addresses) gets the
//! detector's default language.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use serde::Serialize;

use super::Lang;

/// Bytes of text the letter count looks at: a few sentences settle the script and the
/// Kazakh letters; more only costs time.
const SCAN_BYTES: usize = 4096;

/// Bytes of text given to lingua when the letters leave the language open. Lingua's cost
/// grows with the length of its input, and a paragraph is plenty for its n-gram models.
const LINGUA_BYTES: usize = 1024;

/// The language used when a text has no letters at all, unless another one is configured
/// with [`Detector::with_default`]: Russian, the language most of the region's press writes in.
const DEFAULT_LANG: Lang = Lang::Ru;

/// Net evidence letters (Kazakh-only letters minus Russian-marker letters, or the reverse)
/// needed before the letters alone decide a Cyrillic text.
const MIN_NET_LETTERS: f64 = 6.0;

/// The share of all Cyrillic letters the net Kazakh letters must reach for the letters alone
/// to decide Kazakh. Kazakh text has at least 4 % (corpus-small and corpus-large); a Russian
/// text quoting Kazakh names stays far below, its Russian-marker letters outweighing them.
const MIN_KAZAKH_SHARE: f64 = 0.025;

/// The share the net Russian-marker letters must reach for the letters alone to decide
/// Russian. Russian text has 4–13 %, nearly always more than 6 %; Kazakh typed without its
/// special letters has up to 5 % (loanwords), and lingua tells it from Russian well.
const MIN_RUSSIAN_SHARE: f64 = 0.05;

/// How often (in words) the letter count checks whether it can stop early.
const SETTLE_EVERY_WORDS: usize = 32;

/// Highest confidence reported for a decision by letters: rules are never certain.
const MAX_LETTER_CONFIDENCE: f64 = 0.999;

/// How a language was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Kazakh-only letters or the script decided it.
    Letters,
    /// The statistical model (lingua) decided, on a bounded sample of the text.
    Lingua,
    /// Nothing usable (no letters): the detector's default language.
    Fallback,
}

impl Method {
    /// A lowercase name for logs and the command line: "letters", "lingua" or "fallback".
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Letters => "letters",
            Method::Lingua => "lingua",
            Method::Fallback => "fallback",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of detection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Detection {
    /// The detected language.
    pub lang: Lang,
    /// How sure the detector is, from 0 (a guess) to 1.
    pub confidence: f64,
    /// What decided it.
    pub method: Method,
}

/// Detects kk/ru/en. Build once and share: the lingua detector is built lazily, once, on
/// first need. `Detector` is `Send + Sync`, so the indexer can call it from several threads.
pub struct Detector {
    default: Lang,
    lingua: OnceLock<LanguageDetector>,
}

impl Default for Detector {
    fn default() -> Self {
        Detector::new()
    }
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector")
            .field("default", &self.default)
            .field("lingua_built", &self.lingua.get().is_some())
            .finish()
    }
}

impl Detector {
    /// A detector whose fallback for text without letters is Russian, the language most of
    /// the region's press writes in. Cheap: lingua is built on first need.
    pub fn new() -> Detector {
        Detector::with_default(DEFAULT_LANG)
    }

    /// A detector whose fallback for text without letters is `default`.
    pub fn with_default(default: Lang) -> Detector {
        Detector {
            default,
            lingua: OnceLock::new(),
        }
    }

    /// Detect the language of an article from its title and body. The title (often empty,
    /// or spelled as in Russian in Kazakh Wikipedia) counts as the first words of the text.
    pub fn detect(&self, title: &str, body: &str) -> Detection {
        self.detect_parts(&[title, body])
    }

    /// Detect the language of a short text (a query, a sentence).
    pub fn detect_text(&self, text: &str) -> Detection {
        self.detect_parts(&[text])
    }

    fn detect_parts(&self, parts: &[&str]) -> Detection {
        let counts = Counts::of(parts, SCAN_BYTES);
        match decide(&counts) {
            Verdict::Decided(lang, confidence) => Detection {
                lang,
                confidence,
                method: Method::Letters,
            },
            Verdict::AskLingua => self.ask_lingua(parts, &counts),
            Verdict::NoLetters => Detection {
                lang: self.default,
                confidence: 0.0,
                method: Method::Fallback,
            },
        }
    }

    /// Kazakh or Russian, by lingua, on the Cyrillic words of the sample.
    fn ask_lingua(&self, parts: &[&str], counts: &Counts) -> Detection {
        let sample = cyrillic_sample(parts, SCAN_BYTES, LINGUA_BYTES);
        let lingua = self.lingua.get_or_init(|| {
            LanguageDetectorBuilder::from_languages(&[
                Language::Kazakh,
                Language::Russian,
                Language::English,
            ])
            .build()
        });
        let best = lingua
            .compute_language_confidence_values(sample)
            .into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((language, confidence)) if confidence > 0.0 => Detection {
                lang: from_lingua(language),
                confidence,
                method: Method::Lingua,
            },
            // Lingua found nothing it knows: the letters' lean, at a coin-flip confidence.
            _ => Detection {
                lang: if counts.kk_cyr > counts.ru_cyr {
                    Lang::Kk
                } else {
                    Lang::Ru
                },
                confidence: 0.5,
                method: Method::Letters,
            },
        }
    }
}

fn from_lingua(language: Language) -> Lang {
    match language {
        Language::Kazakh => Lang::Kk,
        Language::Russian => Lang::Ru,
        _ => Lang::En,
    }
}

/// What the letter count says.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict {
    /// The letters decided, with this confidence.
    Decided(Lang, f64),
    /// Cyrillic text the letters leave open: lingua decides between Kazakh and Russian.
    AskLingua,
    /// No letters at all.
    NoLetters,
}

/// Letter and word counts over the sample, each word counted in the script of most of its
/// letters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Counts {
    /// Letters of Cyrillic words.
    cyr: u32,
    /// Kazakh-only letters in Cyrillic words, Latin look-alikes of them included.
    kk_cyr: u32,
    /// Letters common in Russian and rare in native Kazakh words (в ё ф ц ч щ ъ ь э).
    ru_cyr: u32,
    /// Letters of Latin words.
    lat: u32,
    /// Letters of Cyrillic words, those of words starting with a lowercase letter (running
    /// text rather than names) counted twice.
    cyr_weight: u32,
    /// Letters of Latin words, weighted the same way.
    lat_weight: u32,
    /// Latin words that look Kazakh (see [`latin_evidence`]).
    kk_lat_words: u32,
    /// Latin words that look English.
    en_words: u32,
}

impl Counts {
    /// Counts the words of `parts` (a word never spans two parts) in their first
    /// `limit` bytes altogether.
    fn of(parts: &[&str], limit: usize) -> Counts {
        let mut counts = Counts::default();
        let mut budget = limit;
        for part in parts {
            if budget == 0 {
                break;
            }
            let text = prefix(part, budget);
            budget -= text.len();
            for (i, word) in Words::new(text).enumerate() {
                counts.add(&WordLetters::of(word));
                if i % SETTLE_EVERY_WORDS == SETTLE_EVERY_WORDS - 1 && counts.is_settled() {
                    return counts;
                }
            }
        }
        counts
    }

    /// Whether the letters already decide with the highest confidence they can give, so
    /// the rest of the sample cannot change the answer in practice.
    fn is_settled(&self) -> bool {
        matches!(decide(self), Verdict::Decided(_, c) if c >= MAX_LETTER_CONFIDENCE)
    }

    fn add(&mut self, w: &WordLetters) {
        let letters = w.cyr + w.lat;
        let weight = if w.lowercase { 2 * letters } else { letters };
        match w.script() {
            Some(Script::Cyrillic) => {
                self.cyr += letters;
                self.cyr_weight += weight;
                self.kk_cyr += w.kk_cyr + w.kk_alike;
                self.ru_cyr += w.ru;
            }
            Some(Script::Latin) => {
                self.lat += letters;
                self.lat_weight += weight;
                match w.evidence {
                    Some(Lang::Kk) => self.kk_lat_words += 1,
                    Some(Lang::En) => self.en_words += 1,
                    _ => {}
                }
            }
            None => {}
        }
    }
}

fn decide(c: &Counts) -> Verdict {
    if c.cyr == 0 && c.lat == 0 {
        return Verdict::NoLetters;
    }
    // Mixed script. Names and brands are what crosses scripts ("The New York Times пишет",
    // "Google және Apple"), so running text, words starting with a lowercase letter, counts
    // twice; and Latin words that say nothing about their language leave the decision to
    // the Cyrillic ones ("Vladimir Putin (Владимир Путин)").
    let latin_says_something = c.kk_lat_words + c.en_words > 0;
    if c.cyr == 0 || (c.lat_weight > c.cyr_weight && latin_says_something) {
        decide_latin(c)
    } else {
        decide_cyrillic(c)
    }
}

fn decide_latin(c: &Counts) -> Verdict {
    let kk = f64::from(c.kk_lat_words);
    let en = f64::from(c.en_words);
    // A third of English words and two thirds of Kazakh ones carry evidence, and almost
    // never the other language's: the majority decides. Latin text without evidence
    // (a name) is English, at a coin-flip confidence.
    if kk > en {
        Verdict::Decided(Lang::Kk, confidence_from_net(kk - en + 1.0))
    } else {
        Verdict::Decided(Lang::En, confidence_from_net(en - kk + 1.0))
    }
}

fn decide_cyrillic(c: &Counts) -> Verdict {
    let net = f64::from(c.kk_cyr) - f64::from(c.ru_cyr);
    let share = net / f64::from(c.cyr.max(1));
    if net >= MIN_NET_LETTERS && share >= MIN_KAZAKH_SHARE {
        Verdict::Decided(Lang::Kk, confidence_from_net(net))
    } else if -net >= MIN_NET_LETTERS && -share >= MIN_RUSSIAN_SHARE {
        Verdict::Decided(Lang::Ru, confidence_from_net(-net))
    } else {
        Verdict::AskLingua
    }
}

/// Each net piece of evidence halves the doubt: 1 → 0.5, 2 → 0.75, 6 → 0.98.
fn confidence_from_net(net: f64) -> f64 {
    (1.0 - 0.5f64.powf(net)).clamp(0.0, MAX_LETTER_CONFIDENCE)
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Up to `limit` bytes of the Cyrillic words in the first `scan` bytes of `parts`, look-alike
/// Latin letters folded to Cyrillic, separated by spaces: what lingua gets.
fn cyrillic_sample(parts: &[&str], scan: usize, limit: usize) -> String {
    let mut out = String::with_capacity(limit + 8);
    let mut budget = scan;
    for part in parts {
        let text = prefix(part, budget);
        budget -= text.len();
        for word in Words::new(text) {
            if WordLetters::of(word).script() != Some(Script::Cyrillic) {
                continue;
            }
            let end = out.len();
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().map(fold_to_cyrillic));
            if out.len() > limit {
                out.truncate(end);
                return out;
            }
        }
        if budget == 0 {
            break;
        }
    }
    out
}

/// Latin look-alikes inside Cyrillic words, and the Cyrillic letters they stand for (in
/// the same order).
const FOLD_FROM: &str = "aceopxyiıəäöüABCEHKMOPTXYIİƏÄÖÜ";
const FOLD_TO: &str = "асеорхуііәәөүАВСЕНКМОРТХУІІӘӘӨҮ";

/// The Cyrillic letter a Latin look-alike stands for inside a Cyrillic word.
fn fold_to_cyrillic(c: char) -> char {
    FOLD_FROM
        .chars()
        .position(|from| from == c)
        .and_then(|i| FOLD_TO.chars().nth(i))
        .unwrap_or(c)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Cyrillic,
    Latin,
}

/// Kazakh letters Russian lacks.
const KAZAKH_CYRILLIC: &str = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";

/// Letters frequent in Russian that native Kazakh words do not use.
const RUSSIAN_MARKERS: &str = "вёфцчщъьэВЁФЦЧЩЪЬЭ";

/// Latin letters typed for a Kazakh letter inside a Cyrillic word (i for і, ä or ə for ә…).
const KAZAKH_LOOKALIKES: &str = "iIıİəƏäÄöÖüÜ";

/// Latin letters that look like Cyrillic ones.
const CYRILLIC_LOOKALIKES: &str = "aceopxyABCEHKMOPTXY";

/// Letters of the Kazakh Latin alphabets (2021, and the acute-accent one of 2018 still in
/// use) that English does not use.
const KAZAKH_LATIN: &str = "äğñöūüşıİÄĞÑÖŪÜŞáǵńóúýÁǴŃÓÚÝ";

/// Flag: a Kazakh-only Cyrillic letter, or a Latin letter typed for one.
const KK: u8 = 1;
/// Flag: a Russian-marker letter.
const RU: u8 = 2;
/// Flag: a Latin letter that looks like a Cyrillic one.
const LOOKS_CYRILLIC: u8 = 4;
/// Flag: a letter of a Kazakh Latin alphabet that English lacks.
const KK_LATIN: u8 = 8;

/// Flags of ASCII characters, looked up for every letter of the sample.
static ASCII_FLAGS: [u8; 128] = flag_table(0, &[("iI", KK), (CYRILLIC_LOOKALIKES, LOOKS_CYRILLIC)]);
/// Flags of the characters U+0400..U+04FF (Russian and Kazakh Cyrillic).
static CYRILLIC_FLAGS: [u8; 256] =
    flag_table(0x400, &[(KAZAKH_CYRILLIC, KK), (RUSSIAN_MARKERS, RU)]);

/// A table of flags for the characters `base..base + N`, from strings of one- and two-byte
/// characters (a longer one fails the build, not a run).
const fn flag_table<const N: usize>(base: u32, sets: &[(&str, u8)]) -> [u8; N] {
    let mut table = [0u8; N];
    let mut s = 0;
    while s < sets.len() {
        let (text, flag) = sets[s];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = if bytes[i] < 0x80 {
                (bytes[i] as u32, 1)
            } else {
                (
                    (((bytes[i] & 0x1F) as u32) << 6) | (bytes[i + 1] & 0x3F) as u32,
                    2,
                )
            };
            table[(code - base) as usize] |= flag;
            i += len;
        }
        s += 1;
    }
    table
}

/// What a character is to the letter count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Letter {
    /// Not part of a word.
    None,
    /// A combining mark or a letter of another script: part of a word, not counted.
    Uncounted,
    /// A Cyrillic letter, with its flags.
    Cyrillic(u8),
    /// A Latin letter, with its flags.
    Latin(u8),
}

fn letter(c: char) -> Letter {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            Letter::Latin(ASCII_FLAGS[c as usize])
        } else {
            Letter::None
        };
    }
    match c {
        '\u{0482}'..='\u{0489}' | '\u{0300}'..='\u{036F}' => Letter::Uncounted,
        '\u{0400}'..='\u{04FF}' => Letter::Cyrillic(CYRILLIC_FLAGS[(c as u32 - 0x400) as usize]),
        '\u{0500}'..='\u{052F}' => Letter::Cyrillic(0),
        '\u{00C0}'..='\u{02AF}' | '\u{1E00}'..='\u{1EFF}' if c.is_alphabetic() => {
            let mut flags = 0;
            if KAZAKH_LOOKALIKES.contains(c) {
                flags |= KK;
            }
            if KAZAKH_LATIN.contains(c) {
                flags |= KK_LATIN;
            }
            Letter::Latin(flags)
        }
        _ if c.is_alphabetic() => Letter::Uncounted,
        _ => Letter::None,
    }
}

/// English function words: frequent in any English text and not Kazakh words (so not "on",
/// ten, or "as", food, which Latin-script Kazakh writes).
const ENGLISH_WORDS: &[&str] = &[
    "a", "an", "and", "are", "at", "be", "but", "by", "for", "from", "has", "have", "he", "his",
    "in", "is", "it", "its", "not", "of", "or", "said", "that", "the", "this", "to", "was", "were",
    "which", "will", "with",
];

/// Kazakh function words as written in Latin without the special letters (the 2021 spellings
/// with them are counted by their letters already).
const KAZAKH_WORDS: &[&str] = &[
    "arqyly", "biraq", "boiynsha", "bolyp", "boyynsha", "dep", "degen", "emes", "jane", "osy",
    "sondai", "turaly", "ushin", "zhane",
];

/// Letter counts of one word.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct WordLetters {
    /// Cyrillic letters.
    cyr: u32,
    /// Latin letters.
    lat: u32,
    /// Latin letters that look like no Cyrillic or Kazakh letter.
    lat_distinct: u32,
    /// Kazakh-only Cyrillic letters.
    kk_cyr: u32,
    /// Latin letters typed for Kazakh-only ones.
    kk_alike: u32,
    /// Russian-marker letters.
    ru: u32,
    /// Letters of a Kazakh Latin alphabet that English lacks.
    kk_lat: u32,
    /// The word starts with a lowercase letter.
    lowercase: bool,
    /// What a Latin word says about its language.
    evidence: Option<Lang>,
}

impl WordLetters {
    fn of(word: &str) -> WordLetters {
        let mut w = WordLetters::default();
        for c in word.chars() {
            match letter(c) {
                Letter::Cyrillic(flags) => {
                    w.cyr += 1;
                    if flags & KK != 0 {
                        w.kk_cyr += 1;
                    } else if flags & RU != 0 {
                        w.ru += 1;
                    }
                }
                Letter::Latin(flags) => {
                    w.lat += 1;
                    if flags & KK != 0 {
                        w.kk_alike += 1;
                    } else if flags & LOOKS_CYRILLIC == 0 {
                        w.lat_distinct += 1;
                    }
                    if flags & KK_LATIN != 0 {
                        w.kk_lat += 1;
                    }
                }
                Letter::Uncounted | Letter::None => {}
            }
        }
        w.lowercase = word.chars().next().is_some_and(char::is_lowercase);
        if w.script() == Some(Script::Latin) {
            w.evidence = latin_evidence(word, w.kk_lat > 0);
        }
        w
    }

    /// The script of most of the word's letters; a tie goes to Cyrillic when every Latin
    /// letter is a Cyrillic look-alike.
    fn script(&self) -> Option<Script> {
        if self.cyr > self.lat || (self.cyr > 0 && self.cyr == self.lat && self.lat_distinct == 0) {
            Some(Script::Cyrillic)
        } else if self.lat > 0 {
            Some(Script::Latin)
        } else {
            None
        }
    }
}

/// What a Latin word says about its language. Kazakh: a letter of a Kazakh Latin alphabet
/// English lacks, a Kazakh function word, or in a lowercase word a q not followed by u
/// (jaqty, aqparat; English has it only in names and abbreviations: Iraq, Qatar, QTR).
/// English: an English function word, or c, w, x or "th", which the 2021 Kazakh alphabet does
/// not use. Two thirds of the words of Kazakh Latin text and a third of English words say
/// something, and almost never for the other language.
fn latin_evidence(word: &str, has_kazakh_letter: bool) -> Option<Lang> {
    if has_kazakh_letter {
        return Some(Lang::Kk);
    }
    if ENGLISH_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
        return Some(Lang::En);
    }
    if KAZAKH_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
        return Some(Lang::Kk);
    }
    let lowercase = !word.bytes().any(|b| b.is_ascii_uppercase());
    let mut kk = false;
    let mut en = false;
    let mut prev = b' ';
    for c in word.bytes().map(|b| b.to_ascii_lowercase()) {
        match c {
            b'c' | b'w' | b'x' => en = true,
            b'h' if prev == b't' => en = true,
            _ => {}
        }
        if prev == b'q' && c != b'u' {
            kk |= lowercase;
        }
        prev = c;
    }
    if prev == b'q' {
        kk |= lowercase;
    }
    match (kk, en) {
        (true, false) => Some(Lang::Kk),
        (false, true) => Some(Lang::En),
        _ => None,
    }
}

/// Words: maximal runs of letters (combining marks kept inside, for a decomposed й), except
/// inside web and e-mail addresses, whose Latin letters say nothing about the text's language.
struct Words<'a> {
    /// The rest of the current whitespace-separated chunk.
    chunk: &'a str,
    /// The text after the current chunk.
    rest: &'a str,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Words<'a> {
        Words {
            chunk: "",
            rest: text,
        }
    }
}

fn is_word_char(c: char) -> bool {
    letter(c) != Letter::None
}

fn is_address(chunk: &str) -> bool {
    chunk.starts_with("www.")
        || (chunk.bytes().any(|b| b == b'/' || b == b'@')
            && (chunk.contains("://") || chunk.contains('@')))
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            if let Some(start) = self.chunk.find(is_word_char) {
                let rest = &self.chunk[start..];
                let end = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
                self.chunk = &rest[end..];
                return Some(&rest[..end]);
            }
            let text = self.rest.trim_start();
            if text.is_empty() {
                return None;
            }
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            self.chunk = &text[..end];
            self.rest = &text[end..];
            if is_address(self.chunk) {
                self.chunk = "";
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (what, text, language, method) for `detect_text`.
    const TEXTS: &[(&str, &str, Lang, Method)] = &[
        (
            "Kazakh sentence",
            "Қазақстан Республикасының Президенті бүгін Астанада шетелдік инвесторлармен кездесті.",
            Lang::Kk,
            Method::Letters,
        ),
        (
            "Russian sentence",
            "Президент России встретился с журналистами в Москве и ответил на их вопросы о будущем страны.",
            Lang::Ru,
            Method::Letters,
        ),
        (
            "English sentence",
            "The president met foreign investors in the capital on Monday and promised to cut taxes.",
            Lang::En,
            Method::Letters,
        ),
        (
            "Kazakh in the 2021 Latin alphabet",
            "Qazaqstan Respublikasynyñ Prezidentı büğın Astanada şeteldık investorlarmen kezdestı.",
            Lang::Kk,
            Method::Letters,
        ),
        (
            "Kazakh in the 2018 Latin alphabet (acute accents)",
            "Qazaqstan Respýblıkasynyń Prezıdenti búgin Astanada sheteldik ınvestorlarmen kezdesti.",
            Lang::Kk,
            Method::Letters,
        ),
        (
            "English text with Spanish and Turkish names",
            "José García and Recep Tayyip Erdoğan said the talks with the ministry were over.",
            Lang::En,
            Method::Letters,
        ),
        (
            "Latin-script Kazakh without the special letters",
            "Osy kelisim Qazaqstan jane Qytai arasyndagy saudany arttyrady",
            Lang::Kk,
            Method::Letters,
        ),
        (
            "Russian text with one Kazakh word",
            "Президент Казахстана Касым-Жомарт Токаев прибыл в Нұр-Сұлтан, где провёл совещание с правительством.",
            Lang::Ru,
            Method::Letters,
        ),
        (
            "Kazakh typed without its special letters",
            "Казакстан Республикасынын Президенти бугин Астанада шетелдик инвесторлармен кездести жане олармен келисимге кол койды.",
            Lang::Kk,
            Method::Lingua,
        ),
        (
            "Latin i for Kazakh і inside Cyrillic words",
            "Олар мектептерiмiздi бiтiрдi",
            Lang::Kk,
            Method::Letters,
        ),
        (
            "Latin look-alikes inside Russian words",
            "Моcква и Cанкт-Петербург стали лидерами рейтинга, сообщает пресс-служба правительства CША в четверг вечером.",
            Lang::Ru,
            Method::Letters,
        ),
        (
            "English text with a Russian name",
            "Vladimir Putin (Владимир Путин) said on Tuesday that talks would continue.",
            Lang::En,
            Method::Letters,
        ),
        (
            "Kazakh brands in a Kazakh sentence",
            "Google, Microsoft және Apple компаниялары жаңа келісімге қол қойды.",
            Lang::Kk,
            Method::Letters,
        ),
        ("Kazakh name as a query", "Тоқаев", Lang::Kk, Method::Lingua),
        ("empty text", "", DEFAULT_LANG, Method::Fallback),
        ("digits only", "12345 678", DEFAULT_LANG, Method::Fallback),
        ("punctuation and a date", "…!!! — 2024-01-01", DEFAULT_LANG, Method::Fallback),
        ("a web address", "https://example.com/news", DEFAULT_LANG, Method::Fallback),
    ];

    #[test]
    fn detects_texts() {
        let detector = Detector::new();
        for &(what, text, lang, method) in TEXTS {
            let d = detector.detect_text(text);
            assert_eq!(
                (d.lang, d.method),
                (lang, method),
                "{what}: {text:?} gave {d:?}\nhelp: see decide() and its share constants"
            );
            assert!((0.0..=1.0).contains(&d.confidence), "{what}: {d:?}");
            if method == Method::Fallback {
                assert_eq!(d.confidence, 0.0, "{what}");
            }
        }
    }

    /// (what, title, body, language) for `detect`.
    const ARTICLES: &[(&str, &str, &str, Lang)] = &[
        (
            "empty title, Kazakh body",
            "",
            "Елімізде жаңа мектептер салынып жатыр. Биыл облыс орталығында үш мектеп ашылады.",
            Lang::Kk,
        ),
        (
            "title spelled as in Russian, Kazakh body",
            "Мейоз",
            "Мейоз – жыныс жасушаларының бөлінуі, нәтижесінде хромосомалар саны екі есе азаяды.",
            Lang::Kk,
        ),
        (
            "English title, Russian body",
            "The New York Times",
            "Газета сообщает, что переговоры о новом договоре продолжатся в четверг в Вашингтоне.",
            Lang::Ru,
        ),
        (
            "Russian title, English body",
            "Путин",
            "The Kremlin said on Monday that the president would travel to the region next week.",
            Lang::En,
        ),
        (
            "Latin-script Kazakh title and body",
            "Jaña mektepter",
            "Elımızde jaña mektepter salynyp jatyr. Biyl oblys ortalyğynda üş mektep aşylady.",
            Lang::Kk,
        ),
    ];

    #[test]
    fn detects_articles() {
        let detector = Detector::new();
        for &(what, title, body, lang) in ARTICLES {
            let d = detector.detect(title, body);
            assert_eq!(d.lang, lang, "{what}: gave {d:?}");
        }
        let d = detector.detect("", "");
        assert_eq!((d.lang, d.method), (DEFAULT_LANG, Method::Fallback));
    }

    #[test]
    fn fallback_uses_the_configured_default() {
        for lang in Lang::ALL {
            let d = Detector::with_default(lang).detect("2024", "12:30 — 45 %");
            assert_eq!(
                (d.lang, d.method, d.confidence),
                (lang, Method::Fallback, 0.0)
            );
        }
    }

    #[test]
    fn long_texts_are_cut_on_char_boundaries() {
        // 3- and 4-byte characters straddle both sample limits.
        let kazakh = "Қазақ тілі € 😀 ".repeat(500);
        let plain = "Казак тили жане € адебиети 😀 ".repeat(200);
        let detector = Detector::new();
        assert_eq!(detector.detect_text(&kazakh).lang, Lang::Kk);
        assert_eq!(detector.detect("😀€", &plain).method, Method::Lingua);
        for limit in 0..12 {
            let p = prefix("a€😀ә", limit);
            assert!(p.len() <= limit && "a€😀ә".starts_with(p), "{limit}: {p:?}");
        }
        assert_eq!(prefix("әбв", 3), "ә");
        assert_eq!(prefix("abc", 10), "abc");
    }

    #[test]
    fn no_panic_on_any_input() {
        const POOL: &[char] = &[
            'a', 'q', 'Q', 'w', 'i', 'ı', 'İ', 'ñ', 'ş', 'ä', 'ə', 'Ə', 'а', 'я', 'В', 'ь', 'ә',
            'Қ', 'і', 'І', 'ё', '\u{0306}', '\u{0301}', '€', '😀', '中', 'Ω', '0', '9', ' ', '\n',
            '\t', '.', '-', '/', ':', '@', '|', '\u{200B}', '\u{FEFF}', '\0',
        ];
        let detector = Detector::new();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for round in 0..300 {
            let len = (round * 37) % 1500;
            let text: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    POOL[(seed % POOL.len() as u64) as usize]
                })
                .collect();
            let (title, body) = text.split_at(prefix(&text, len / 3).len());
            for d in [detector.detect(title, body), detector.detect_text(&text)] {
                assert!(d.confidence.is_finite() && (0.0..=1.0).contains(&d.confidence));
            }
        }
    }

    #[test]
    fn lingua_gets_the_cyrillic_words_folded() {
        let sample = cyrillic_sample(&["Reuters: Моcква", "и CША, https://x.ru/путь"], 100, 100);
        assert_eq!(sample, "Москва и США");
        let late = format!("{} Алматы", "Tokayev ".repeat(200));
        assert_eq!(
            cyrillic_sample(&[&late], SCAN_BYTES, LINGUA_BYTES),
            "Алматы"
        );
        let long = "сөз ".repeat(1000);
        let sample = cyrillic_sample(&["", &long], SCAN_BYTES, LINGUA_BYTES);
        assert!(sample.len() <= LINGUA_BYTES && sample.len() > LINGUA_BYTES - 10);
        assert_eq!(cyrillic_sample(&["12 345"], SCAN_BYTES, LINGUA_BYTES), "");
    }

    #[test]
    fn words_skip_addresses_and_keep_combining_marks() {
        let words: Vec<&str> =
            Words::new("Hello, мир! https://x.com/путь mail@x.kz www.x.kz a-b и\u{0306}ә 42")
                .collect();
        assert_eq!(words, ["Hello", "мир", "a", "b", "и\u{0306}ә"]);
        assert_eq!(Words::new("").count(), 0);
        assert_eq!(Words::new(" \n\t 12 ").count(), 0);
    }

    #[test]
    fn look_alike_letters_follow_their_word() {
        let cases: &[(&str, Option<Script>, u32)] = &[
            // (word, script, Kazakh letters counted)
            ("Моcква", Some(Script::Cyrillic), 0),
            ("CША", Some(Script::Cyrillic), 0),
            ("бiлiм", Some(Script::Cyrillic), 2),
            ("мəселе", Some(Script::Cyrillic), 1),
            ("Сi", Some(Script::Cyrillic), 1),
            ("Cq", Some(Script::Latin), 0),
            ("Toyota", Some(Script::Latin), 0),
            ("Tоyota", Some(Script::Latin), 0),
            ("ӘЙ", Some(Script::Cyrillic), 1),
            ("中文", None, 0),
        ];
        for &(word, script, kk) in cases {
            let w = WordLetters::of(word);
            assert_eq!(w.script(), script, "{word}");
            if script == Some(Script::Cyrillic) {
                assert_eq!(w.kk_cyr + w.kk_alike, kk, "{word}");
            }
        }
        let folded: String = "Моcква бiлiм CША".chars().map(fold_to_cyrillic).collect();
        assert_eq!(folded, "Москва білім США");
        assert_eq!(FOLD_FROM.chars().count(), FOLD_TO.chars().count());
        for (from, to) in FOLD_FROM.chars().zip(FOLD_TO.chars()) {
            assert!(matches!(letter(from), Letter::Latin(_)), "{from}");
            assert!(matches!(letter(to), Letter::Cyrillic(_)), "{to}");
        }
    }

    #[test]
    fn latin_words_give_evidence() {
        let cases: &[(&str, Option<Lang>)] = &[
            ("the", Some(Lang::En)),
            ("The", Some(Lang::En)),
            ("with", Some(Lang::En)),
            ("council", Some(Lang::En)),
            ("jaqty", Some(Lang::Kk)),
            ("Qazaqstan", None),
            ("Iraq", None),
            ("QTR", None),
            ("jane", Some(Lang::Kk)),
            ("büğın", Some(Lang::Kk)),
            ("Almaty", None),
            ("queen", None),
            ("Tokayev", None),
        ];
        for &(word, lang) in cases {
            let w = WordLetters::of(word);
            assert_eq!(w.evidence, lang, "{word}");
        }
    }

    #[test]
    fn confidence_grows_with_evidence() {
        let mut last = 0.0;
        for net in 0..40 {
            let c = confidence_from_net(f64::from(net));
            assert!(
                (0.0..=MAX_LETTER_CONFIDENCE).contains(&c) && c >= last,
                "{net}: {c}"
            );
            last = c;
        }
        assert_eq!(confidence_from_net(1.0), 0.5);
    }

    #[test]
    fn detector_is_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Detector>();
        let detector = Detector::new();
        std::thread::scope(|s| {
            let kk = s.spawn(|| detector.detect_text("Тоқаев").lang);
            let ru = s.spawn(|| detector.detect_text("Токаев заявил журналистам").lang);
            assert_eq!(kk.join().ok(), Some(Lang::Kk));
            assert_eq!(ru.join().ok(), Some(Lang::Ru));
        });
    }

    #[test]
    fn method_names() {
        for (method, name) in [
            (Method::Letters, "letters"),
            (Method::Lingua, "lingua"),
            (Method::Fallback, "fallback"),
        ] {
            assert_eq!(method.to_string(), name);
            assert_eq!(
                serde_json::to_string(&method).ok(),
                Some(format!("\"{name}\""))
            );
        }
    }
}
