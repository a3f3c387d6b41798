//! Splitting text into words: Unicode word boundaries (UAX #29), as unicode-segmentation
//! implements them.
//!
//! A word is a run the standard calls a word and that holds at least one letter or digit.
//! Two adjustments for news text: the English possessive `'s`/`’s` is left out of the word
//! (Tokayev's → Tokayev), and words longer than [`MAX_WORD_BYTES`] (URLs glued together,
//! base64) are skipped. Every word gets a position, skipped ones too, so phrase matching
//! never joins words that were apart.

use unicode_segmentation::UnicodeSegmentation;

/// Words longer than this many bytes are not indexed.
pub const MAX_WORD_BYTES: usize = 120;

/// One word of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offset of its first byte in the text.
    pub start: usize,
    /// Byte offset just past its last byte.
    pub end: usize,
    /// Its index among the words of the text (0, 1, 2…).
    pub position: usize,
}

/// The words of `text`, in order.
///
/// ```
/// use kazsearch::analysis::words::words;
/// let w: Vec<_> = words("Tokayev's visit to Нұр-Сұлтан").map(|w| w.text).collect();
/// assert_eq!(w, ["Tokayev", "visit", "to", "Нұр", "Сұлтан"]);
/// ```
pub fn words(text: &str) -> Words<'_> {
    Words {
        inner: text.unicode_word_indices(),
        position: 0,
    }
}

/// The iterator [`words`] returns (a named type, so tokenizers hold it without boxing).
pub struct Words<'a> {
    inner: unicode_segmentation::UnicodeWordIndices<'a>,
    position: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        for (start, w) in self.inner.by_ref() {
            let position = self.position;
            self.position += 1;
            let w = strip_possessive(w);
            if w.len() > MAX_WORD_BYTES || w.is_empty() {
                continue;
            }
            return Some(Word {
                text: w,
                start,
                end: start + w.len(),
                position,
            });
        }
        None
    }
}

/// Drops a trailing English possessive `'s` / `’s` from a Latin word.
fn strip_possessive(w: &str) -> &str {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            if stem
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphabetic())
            {
                return stem;
            }
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&str, &[(&str, usize, usize, usize)])] = &[
            ("", &[]),
            ("  ,. !", &[]),
            ("Тоқаев", &[("Тоқаев", 0, 12, 0)]),
            (
                "Tokayev's visit",
                &[("Tokayev", 0, 7, 0), ("visit", 10, 15, 1)],
            ),
            ("Ural'sk", &[("Ural'sk", 0, 7, 0)]),
            ("Нұр-Сұлтан", &[("Нұр", 0, 6, 0), ("Сұлтан", 7, 19, 1)]),
            ("2020 жылы", &[("2020", 0, 4, 0), ("жылы", 5, 13, 1)]),
            ("«Қазақстан»", &[("Қазақстан", 2, 20, 0)]),
            ("a's", &[("a", 0, 1, 0)]),
        ];
        for (text, want) in cases {
            let got: Vec<_> = words(text)
                .map(|w| (w.text, w.start, w.end, w.position))
                .collect();
            assert_eq!(&got, want, "{text:?}");
            for w in words(text) {
                assert_eq!(&text[w.start..w.end], w.text);
            }
        }
    }

    #[test]
    fn long_words_are_skipped_but_keep_their_position() {
        let text = format!("a {} b", "x".repeat(MAX_WORD_BYTES + 1));
        let got: Vec<_> = words(&text).map(|w| (w.text, w.position)).collect();
        assert_eq!(got, vec![("a", 0), ("b", 2)]);
    }
}
