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
        text,
        pos: 0,
        simple_end: 0,
        fallback: None,
        position: 0,
    }
}

/// The iterator [`words`] returns (a named type, so tokenizers hold it without boxing).
///
/// Most of a news text is letters, digits, spaces and punctuation that always breaks a word
/// (hyphens, brackets, quotes): there UAX #29 reduces to "a word is a run of letters and
/// digits", which is what this iterator reads. A stretch between ASCII spaces (a space is a
/// boundary on both sides, always) that holds anything else — `.` `'` `:` `,` `;` `_` (they
/// join letters or digits in some contexts), combining marks, other scripts — goes through
/// unicode-segmentation, so the words are exactly the standard's; a test checks the two
/// against each other.
pub struct Words<'a> {
    text: &'a str,
    /// Where reading continues.
    pos: usize,
    /// End of the simple stretch being read (`pos` ≥ it: none).
    simple_end: usize,
    /// A stretch being read by unicode-segmentation: its byte offset, and the iterator.
    fallback: Option<(usize, unicode_segmentation::UnicodeWordIndices<'a>)>,
    position: usize,
}

/// True for the letters and digits of simple stretches: ASCII, and Cyrillic letters
/// (Russian and Kazakh; U+0483–U+0489 are combining marks, U+0482 a symbol).
fn is_simple_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}')
}

/// True for characters of simple stretches: letters and digits, and punctuation that UAX #29
/// never lets join anything.
fn is_simple(c: char) -> bool {
    is_simple_alnum(c)
        || matches!(
            c,
            '!' | '"'
                | '#'
                | '$'
                | '%'
                | '&'
                | '('
                | ')'
                | '*'
                | '+'
                | '-'
                | '/'
                | '<'
                | '='
                | '>'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '^'
                | '`'
                | '{'
                | '|'
                | '}'
                | '~'
                | '«'
                | '»'
                | '–'
                | '—'
                | '“'
                | '”'
                | '„'
                | '…'
        )
}

/// True when every character of `s` [`is_simple`], read a byte at a time where it can be.
fn all_simple(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if !is_simple(b as char) {
                return false;
            }
            i += 1;
        } else if (0xD0..=0xD3).contains(&b) && i + 1 < bytes.len() {
            let c = (u32::from(b & 0x1F) << 6) | u32::from(bytes[i + 1] & 0x3F);
            if (0x482..=0x489).contains(&c) {
                return false;
            }
            i += 2;
        } else {
            let Some(c) = s[i..].chars().next() else {
                return false;
            };
            if !is_simple(c) {
                return false;
            }
            i += c.len_utf8();
        }
    }
    true
}

/// True for the first byte of a letter or digit of a simple stretch.
fn starts_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric() || (0xD0..=0xD3).contains(&b)
}

/// Bytes of the UTF-8 character that starts with `b`.
fn utf8_width(b: u8) -> usize {
    match b {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

impl<'a> Words<'a> {
    /// Moves to the next stretch between spaces; false at the end of the text.
    fn next_stretch(&mut self) -> bool {
        let text = self.text;
        let bytes = text.as_bytes();
        while self.pos < bytes.len() && is_space(bytes[self.pos]) {
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return false;
        }
        let from = self.pos;
        let end = bytes[from..]
            .iter()
            .position(|&b| is_space(b))
            .map_or(bytes.len(), |n| from + n);
        if all_simple(&text[from..end]) {
            self.simple_end = end;
        } else {
            // With the space before it, so that a combining mark right after a space
            // attaches to the space as it does in the whole text.
            let base = from.saturating_sub(1);
            self.fallback = Some((base, text[base..end].unicode_word_indices()));
            self.pos = end;
        }
        true
    }

    /// Passes over words, counting without building them, until the next one [`Iterator::next`]
    /// gives is at `position` or later (later when the word at `position` is one that is
    /// skipped, such as an over-long one). Highlighting needs a few words deep in a text.
    ///
    /// ```
    /// use kazsearch::analysis::words::words;
    /// let mut w = words("one two, три; four");
    /// w.skip_to(2);
    /// assert_eq!(w.next().map(|w| (w.text, w.position)), Some(("три", 2)));
    /// ```
    pub fn skip_to(&mut self, position: usize) {
        while self.position < position {
            if let Some((_, it)) = &mut self.fallback {
                if it.next().is_some() {
                    self.position += 1;
                } else {
                    self.fallback = None;
                }
                continue;
            }
            if self.pos < self.simple_end {
                if self.next_run().is_some() {
                    self.position += 1;
                }
                continue;
            }
            if !self.next_stretch() {
                return;
            }
        }
    }

    /// The next run of letters and digits in the simple stretch being read, as a byte range;
    /// None (and the stretch done) when it has no more. Bytes suffice here: in a simple
    /// stretch every character that starts with 0xD0–0xD3 is a Cyrillic letter, every other
    /// non-ASCII one punctuation.
    fn next_run(&mut self) -> Option<(usize, usize)> {
        let bytes = &self.text.as_bytes()[..self.simple_end];
        let mut i = self.pos;
        while i < bytes.len() && !starts_alnum(bytes[i]) {
            i += utf8_width(bytes[i]);
        }
        let start = i.min(bytes.len());
        while i < bytes.len() && starts_alnum(bytes[i]) {
            i += utf8_width(bytes[i]);
        }
        let end = i.min(bytes.len());
        self.pos = end;
        (start < end).then_some((start, end))
    }

    /// The word at `start`, numbered; None (but numbered) when it is skipped.
    fn accept(&mut self, start: usize, w: &'a str) -> Option<Word<'a>> {
        let position = self.position;
        self.position += 1;
        let w = strip_possessive(w);
        if w.len() > MAX_WORD_BYTES || w.is_empty() {
            return None;
        }
        Some(Word {
            text: w,
            start,
            end: start + w.len(),
            position,
        })
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        let text = self.text;
        loop {
            if let Some((base, it)) = &mut self.fallback {
                let base = *base;
                match it.next() {
                    Some((s, w)) => match self.accept(base + s, w) {
                        Some(word) => return Some(word),
                        None => continue,
                    },
                    None => self.fallback = None,
                }
            }
            if self.pos < self.simple_end {
                let Some((start, end)) = self.next_run() else {
                    continue;
                };
                match self.accept(start, &text[start..end]) {
                    Some(word) => return Some(word),
                    None => continue,
                }
            }
            if !self.next_stretch() {
                return None;
            }
        }
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

    /// The words as unicode-segmentation alone gives them.
    fn reference(text: &str) -> Vec<(usize, &str)> {
        text.unicode_word_indices().collect()
    }

    /// Every word, skipped ones included, with its offset (through a long word limit that
    /// skips nothing, by comparing positions and texts of what is kept).
    fn fast(text: &str) -> Vec<(usize, usize, &str)> {
        words(text).map(|w| (w.position, w.start, w.text)).collect()
    }

    fn same_as_reference(text: &str) {
        let want: Vec<(usize, usize, &str)> = reference(text)
            .into_iter()
            .enumerate()
            .map(|(i, (s, w))| (i, s, strip_possessive(w)))
            .filter(|(_, _, w)| !w.is_empty() && w.len() <= MAX_WORD_BYTES)
            .collect();
        assert_eq!(fast(text), want, "{text:?}");
    }

    #[test]
    fn simple_characters_behave_as_the_standard_says() {
        // A simple letter joins letters; simple punctuation separates them.
        let chars = ('\0'..='\u{3000}').filter(|&c| is_simple(c));
        for c in chars {
            for context in [("a", "b"), ("б", "в"), ("1", "2"), ("a", "1")] {
                let text = format!("{}{c}{}", context.0, context.1);
                let got: Vec<&str> = text.unicode_word_indices().map(|(_, w)| w).collect();
                if is_simple_alnum(c) {
                    assert_eq!(got, [text.as_str()], "{c:?} U+{:04X}", c as u32);
                } else {
                    assert_eq!(got, [context.0, context.1], "{c:?} U+{:04X}", c as u32);
                }
            }
        }
    }

    #[test]
    fn the_same_words_as_unicode_segmentation() {
        for text in [
            "Президент Тоқаев (Tokayev) 2020-жылы «Астанада» болды — U.S. 3.14 1,000 a_b",
            "x:y don't Ural'sk Tokayev’s e\u{301}t \u{301}start  \n\r\n\tend",
            "日本語 テキスト 🇰🇿 a\u{200d}b ٣٤ עברית \u{a0}nbsp",
            "",
            "   ",
            "-",
        ] {
            same_as_reference(text);
        }
    }

    /// `skip_to(t)` then `next()` gives the first word at position t or later.
    fn skips_as_iterating(text: &str) {
        let all: Vec<Word> = words(text).collect();
        let last = all.last().map_or(0, |w| w.position) + 2;
        for t in 0..=last {
            let mut w = words(text);
            w.skip_to(t);
            let want = all.iter().find(|w| w.position >= t).copied();
            assert_eq!(w.next(), want, "{text:?} skip_to({t})");
        }
        // Skipping in steps lands where one skip does.
        let mut w = words(text);
        let mut got = Vec::new();
        for t in (0..=last).step_by(3) {
            w.skip_to(t);
            if let Some(word) = w.next() {
                got.push(word);
            }
        }
        let mut want = Vec::new();
        let mut cursor = 0;
        for t in (0..=last).step_by(3) {
            let Some(word) = all.iter().find(|w| w.position >= t.max(cursor)) else {
                break;
            };
            want.push(*word);
            cursor = word.position + 1;
        }
        assert_eq!(got, want, "{text:?} in steps of 3");
    }

    #[test]
    fn skipping_gives_the_same_words() {
        skips_as_iterating("one two, три; four Tokayev's x.y «Астана» 3.14");
        skips_as_iterating(&format!("a {} b c", "x".repeat(MAX_WORD_BYTES + 1)));
        let long = "y".repeat(MAX_WORD_BYTES + 1);
        skips_as_iterating(&format!("a {long} {long} {long} {long} b c d"));
        skips_as_iterating("");
    }

    proptest::proptest! {
        // Cheap cases, and a joiner between two letters is a rare draw: many of them.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8192))]
        #[test]
        fn random_text_splits_as_the_standard_says(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "7", "қ", "Ё", "і", " ", "  ", "\n", "\t", ".", "'", "’", ":", ",",
                ";", "_", "-", "«", "»", "—", "(", "\u{301}", "\u{200d}", "\u{a0}", "日",
                "ア", "ש", "\"", "'s", "🇰", "…", "\u{483}", "@", "٣",
            ]), 0..40)
        ) {
            same_as_reference(&parts.concat());
            skips_as_iterating(&parts.concat());
        }
    }

    #[test]
    fn long_words_are_skipped_but_keep_their_position() {
        let text = format!("a {} b", "x".repeat(MAX_WORD_BYTES + 1));
        let got: Vec<_> = words(&text).map(|w| (w.text, w.position)).collect();
        assert_eq!(got, vec![("a", 0), ("b", 2)]);
    }
}
