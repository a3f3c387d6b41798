//! Question words: the interrogatives of Kazakh, Russian and English (кім, не, қандай; кто,
//! что, какой; who, what, which…).
//!
//! A question's interrogative names what is asked, not what the answer is about: the passage
//! that answers «Финка дегеніміз не?» (what is a finka?) says what a finka is, and seldom
//! «не». Rarity cannot tell: in encyclopaedic or news prose question words are rare (не is in
//! 30 of the 697 KazQAD passages, idf 3.1, rarer than most content words), so BM25 weighs
//! them high. They are a closed grammatical class of a dozen words per language, listed here
//! once, not a stop list drawn from a corpus. Relaxed matching weighs them low
//! ([`crate::search::build::QUESTION_WORD_WEIGHT`]); a query whose every word must match
//! still requires them.

use super::fold;
use super::stem;
use crate::lang::Lang;

/// Kazakh interrogatives (base forms; inflected forms reach them through the stem: кімнің,
/// қайда, нені).
const KAZAKH: &[&str] = &[
    "кім",
    "не",
    "қай",
    "қайсы",
    "қандай",
    "қанша",
    "неше",
    "нешінші",
    "қашан",
    "қайда",
    "қайдан",
    "қалай",
    "неге",
    "неліктен",
    "несі",
    "нешеу",
];

/// Russian interrogatives, with the case forms of кто, что, какой, который, чей (Snowball
/// does not bring them to one stem).
const RUSSIAN: &[&str] = &[
    "кто",
    "кого",
    "кому",
    "кем",
    "ком",
    "что",
    "чего",
    "чему",
    "чем",
    "чём",
    "где",
    "куда",
    "откуда",
    "когда",
    "почему",
    "зачем",
    "как",
    "сколько",
    "какой",
    "какая",
    "какое",
    "какие",
    "какого",
    "каких",
    "каким",
    "какую",
    "каком",
    "какими",
    "который",
    "которая",
    "которое",
    "которые",
    "которого",
    "которых",
    "чей",
    "чья",
    "чьё",
    "чье",
    "чьи",
];

/// English interrogatives.
const ENGLISH: &[&str] = &[
    "who", "whom", "whose", "what", "which", "where", "when", "why", "how",
];

/// True when `word` (as typed) is an interrogative of Kazakh, Russian or English: its folded
/// form, or its Kazakh stem, is in the list. The query's language is unknown, so every
/// language is asked.
///
/// ```
/// use kazsearch::analysis::question::is_question_word;
/// for w in ["Қандай", "кімнің", "не", "Что", "сколько", "Which"] {
///     assert!(is_question_word(w), "{w}");
/// }
/// for w in ["қышқыл", "Токаев", "протесты", "energy", "the"] {
///     assert!(!is_question_word(w), "{w}");
/// }
/// ```
pub fn is_question_word(word: &str) -> bool {
    let mut folded = String::new();
    fold::fold(word, &mut folded);
    if [KAZAKH, RUSSIAN, ENGLISH]
        .iter()
        .any(|list| list.contains(&folded.as_str()))
    {
        return true;
    }
    let mut stemmed = String::new();
    stem::stem(Lang::Kk, &folded, &mut stemmed);
    stemmed != folded && KAZAKH.contains(&stemmed.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words() {
        let cases: &[(&str, bool)] = &[
            // Kazakh, as typed and inflected.
            ("кім", true),
            ("Кімнің", true),
            ("қайда", true),
            ("Қашан", true),
            ("нешінші", true),
            // Kazakh content words that begin like one.
            ("кітап", false),
            ("неміс", false),
            ("қайың", false),
            ("қазақ", false),
            // Russian, English.
            ("Кто", true),
            ("каких", true),
            ("которые", true),
            ("what", true),
            ("How", true),
            ("кот", false),
            ("house", false),
        ];
        for &(word, want) in cases {
            assert_eq!(is_question_word(word), want, "help: {word}");
        }
    }
}
