//! The thin tantivy adapter: a `Tokenizer` that runs kazsearch's analysis on a text and emits,
//! for each word, every view of it (exact, stem, key, stripped key) at the word's position.
//!
//! This is the only analysis file that knows tantivy. Offsets point into the original text,
//! so highlighting can always find the words again.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::words::{words, Words};
use super::{analyze_article_word, Terms};
use crate::lang::Lang;

/// Tokenizer for one language's fields; registered under [`super::tokenizer_name`].
#[derive(Clone)]
pub struct KzTokenizer {
    lang: Lang,
    terms: Terms,
}

impl KzTokenizer {
    /// A tokenizer for articles in `lang`.
    pub fn new(lang: Lang) -> KzTokenizer {
        KzTokenizer {
            lang,
            terms: Terms::default(),
        }
    }
}

/// The token stream of one text.
pub struct KzTokenStream<'a> {
    lang: Lang,
    words: Words<'a>,
    terms: &'a mut Terms,
    next_view: usize,
    token: Token,
}

impl Tokenizer for KzTokenizer {
    type TokenStream<'a> = KzTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KzTokenStream<'a> {
        self.terms.clear();
        KzTokenStream {
            lang: self.lang,
            words: words(text),
            terms: &mut self.terms,
            next_view: usize::MAX,
            token: Token::default(),
        }
    }
}

impl TokenStream for KzTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            while let Some(slot) = self.terms.slots.get(self.next_view) {
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
            analyze_article_word(word.text, self.lang, self.terms);
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
}
