//! The thin tantivy adapter: a `Tokenizer` that runs kazsearch's analysis on a text and emits,
//! for each word, every view of it (exact, stem, key, stripped key) at the word's position.
//!
//! This is the only analysis file that knows tantivy. Offsets point into the original text,
//! so highlighting can always find the words again.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::words::{words, Words};
use super::{analyze_article_word, Terms};
use crate::lang::Lang;

/// How many distinct words a tokenizer remembers the analysis of. News follows Zipf's law:
/// the first few tens of thousands of distinct words seen cover most of the running text, and
/// a word seen again is looked up instead of folded, stemmed and keyed again.
pub const MEMO_WORDS: usize = 1 << 15;

/// Tokenizer for one language's fields; registered under [`super::tokenizer_name`].
#[derive(Clone)]
pub struct KzTokenizer {
    lang: Lang,
    scratch: Scratch,
}

/// The current word's terms and the memo of words already analysed.
#[derive(Clone, Default)]
struct Scratch {
    terms: Terms,
    memo: FxHashMap<Box<str>, Memo>,
}

/// One word's terms, kept in one allocation: the slots end at `ends`.
#[derive(Clone)]
struct Memo {
    text: Box<str>,
    ends: [u32; 5],
}

impl Memo {
    fn of(terms: &Terms) -> Memo {
        let mut text = String::with_capacity(terms.slots.iter().map(String::len).sum());
        let mut ends = [0u32; 5];
        for (end, slot) in ends.iter_mut().zip(&terms.slots) {
            text.push_str(slot);
            *end = text.len() as u32;
        }
        Memo {
            text: text.into_boxed_str(),
            ends,
        }
    }

    fn fill(&self, terms: &mut Terms) {
        let mut start = 0;
        for (&end, slot) in self.ends.iter().zip(&mut terms.slots) {
            slot.clear();
            slot.push_str(&self.text[start..end as usize]);
            start = end as usize;
        }
    }
}

impl KzTokenizer {
    /// A tokenizer for articles in `lang`.
    pub fn new(lang: Lang) -> KzTokenizer {
        KzTokenizer {
            lang,
            scratch: Scratch::default(),
        }
    }
}

/// The token stream of one text.
pub struct KzTokenStream<'a> {
    lang: Lang,
    words: Words<'a>,
    scratch: &'a mut Scratch,
    next_view: usize,
    token: Token,
}

impl Tokenizer for KzTokenizer {
    type TokenStream<'a> = KzTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KzTokenStream<'a> {
        self.scratch.terms.clear();
        KzTokenStream {
            lang: self.lang,
            words: words(text),
            scratch: &mut self.scratch,
            next_view: usize::MAX,
            token: Token::default(),
        }
    }
}

impl TokenStream for KzTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            while let Some(slot) = self.scratch.terms.slots.get(self.next_view) {
                self.next_view += 1;
                if !slot.is_empty() {
                    self.token.text.clear();
                    self.token.text.push_str(slot);
                    return true;
                }
            }
            let Some(word) = self.words.next() else {
                return false;
            };
            let Scratch { terms, memo } = &mut *self.scratch;
            if let Some(known) = memo.get(word.text) {
                known.fill(terms);
            } else {
                analyze_article_word(word.text, self.lang, terms);
                if memo.len() < MEMO_WORDS {
                    memo.insert(word.text.into(), Memo::of(terms));
                }
            }
            self.next_view = 0;
            self.token.offset_from = word.start;
            self.token.offset_to = word.end;
            self.token.position = word.position;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emits_views_at_one_position_with_original_offsets() {
        let mut tok = KzTokenizer::new(Lang::Ru);
        let mut stream = tok.token_stream("Премьер Токаева");
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        assert!(got.iter().any(|(t, p, ..)| t == "токаева" && *p == 1));
        assert!(got.iter().any(|(t, p, ..)| t == "tokaev" && *p == 1));
        assert!(got.iter().all(|(_, p, f, _)| (*p == 0) == (*f == 0)));
        assert!(got
            .iter()
            .filter(|(_, p, ..)| *p == 1)
            .all(|(.., f, t)| (*f, *t) == (15, 29)));
    }

    fn terms_of(tok: &mut KzTokenizer, text: &str) -> Vec<(String, usize)> {
        let mut stream = tok.token_stream(text);
        let mut got = Vec::new();
        while stream.advance() {
            got.push((stream.token().text.clone(), stream.token().position));
        }
        got
    }

    #[test]
    fn remembered_words_give_the_same_terms_as_fresh_ones() {
        let text = "Тоқаев Тоқаевтың тоқаев Тоқаев, ал Астанада Астана; Тоқаевтың";
        for lang in [Lang::Kk, Lang::Ru, Lang::En] {
            let mut warm = KzTokenizer::new(lang);
            let first = terms_of(&mut warm, text);
            let again = terms_of(&mut warm, text);
            assert!(!warm.scratch.memo.is_empty());
            assert_eq!(first, again, "{lang:?}");
            // Each word analysed on its own, with nothing remembered.
            let fresh: Vec<_> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .enumerate()
                .flat_map(|(i, w)| {
                    let mut t = Terms::default();
                    analyze_article_word(w, lang, &mut t);
                    t.iter()
                        .map(|(_, s)| (s.to_string(), i))
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(again, fresh, "{lang:?}");
        }
    }

    #[test]
    fn the_memo_stops_growing_at_its_bound() {
        let mut tok = KzTokenizer::new(Lang::En);
        let text: String = (0..MEMO_WORDS + 100).map(|i| format!("w{i} ")).collect();
        let n = terms_of(&mut tok, &text).len();
        assert_eq!(tok.scratch.memo.len(), MEMO_WORDS);
        assert_eq!(n, MEMO_WORDS + 100);
    }
}
