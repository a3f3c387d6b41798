//! What kazsearch sends to OpenSearch: the index settings and mappings, each article word as
//! one pre-analysed token, and the `_bulk` lines of an article.
//!
//! Each word of a title or body goes as one token `exact|stem|key|stripped` (its distinct
//! views, most exact first, as [`crate::analysis::analyze_article_word`] gives them to the
//! tantivy index). In the cluster a whitespace tokenizer splits the words and a
//! `pattern_capture` filter `([^|]+)` (preserve_original false) stacks the forms at the
//! word's position, so a term query on any view, and a phrase over any mix of views, match
//! as they do in the embedded index. A word the analysis skips (longer than
//! [`crate::analysis::words::MAX_WORD_BYTES`]) still takes a position: it is sent as the
//! placeholder [`GAP`], which a stop filter removes while keeping the position gap, so a
//! phrase never joins words that were apart.

use rustc_hash::FxHashMap;
use serde_json::{json, Value};

use crate::analysis::words::words;
use crate::analysis::{analyze_article_word, Terms};
use crate::article::{MAX_TIMESTAMP, MIN_TIMESTAMP};
use crate::ingest::Record;
use crate::lang::Lang;

/// The name of the analyzer of the per-language title and body fields.
pub const ANALYZER: &str = "kazsearch_forms";

/// The token standing for a word the analysis skipped: removed in the cluster, its position
/// kept.
pub const GAP: &str = "|";

/// Primary shards of a generation.
pub const SHARDS: u32 = 2;

/// Replicas of each shard, once the load is complete (the load itself runs without them).
pub const REPLICAS: u32 = 1;

/// The `title_<lang>` field of `lang`.
pub fn title_field(lang: Lang) -> String {
    format!("title_{lang}")
}

/// The `body_<lang>` field of `lang`.
pub fn body_field(lang: Lang) -> String {
    format!("body_{lang}")
}

/// The settings and mappings of a new generation, as created for a load: `replicas` (0
/// during the load) and refreshes off; [`after_load_settings`] turns both on.
///
/// Stored (in `_source`): id, title, body, lang, date (epoch seconds, a `date` field),
/// date_text (as given), source, url. Indexed: id, lang and source as keywords, date, and
/// the token fields `title_<lang>` / `body_<lang>`, which are left out of `_source`.
pub fn index_definition(replicas: u32) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert("id".into(), json!({"type": "keyword"}));
    properties.insert("lang".into(), json!({"type": "keyword"}));
    properties.insert(
        "date".into(),
        json!({"type": "date", "format": "epoch_second"}),
    );
    properties.insert(
        "date_text".into(),
        json!({"type": "keyword", "index": false, "doc_values": false}),
    );
    properties.insert("source".into(), json!({"type": "keyword"}));
    properties.insert(
        "url".into(),
        json!({"type": "keyword", "index": false, "doc_values": false}),
    );
    properties.insert("title".into(), json!({"type": "text", "index": false}));
    properties.insert("body".into(), json!({"type": "text", "index": false}));
    let mut excludes = Vec::new();
    for lang in Lang::ALL {
        for field in [title_field(lang), body_field(lang)] {
            properties.insert(
                field.clone(),
                json!({"type": "text", "analyzer": ANALYZER, "index_options": "positions"}),
            );
            excludes.push(field);
        }
    }
    json!({
        "settings": {
            "index": {
                "number_of_shards": SHARDS,
                "number_of_replicas": replicas,
                "refresh_interval": "-1",
            },
            "analysis": {
                "tokenizer": {
                    "kazsearch_words": {"type": "whitespace", "max_token_length": 4096}
                },
                "filter": {
                    "kazsearch_stack": {
                        "type": "pattern_capture",
                        "preserve_original": false,
                        "patterns": ["([^|]+)"]
                    },
                    "kazsearch_gaps": {
                        "type": "stop",
                        "stopwords": [GAP],
                        "ignore_case": false
                    }
                },
                "analyzer": {
                    ANALYZER: {
                        "type": "custom",
                        "tokenizer": "kazsearch_words",
                        "filter": ["kazsearch_stack", "kazsearch_gaps"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_source": {"excludes": excludes},
            "properties": properties
        }
    })
}

/// The settings a generation gets when its load is complete: replicas, and the default
/// refresh interval.
pub fn after_load_settings() -> Value {
    json!({"index": {"number_of_replicas": REPLICAS, "refresh_interval": null}})
}

/// How many distinct words an [`Analyzer`] remembers the token of (as the tantivy
/// tokenizer's memo: news follows Zipf's law).
const MEMO_WORDS: usize = 1 << 16;

/// Turns texts into token strings, remembering the tokens of the words seen most.
#[derive(Default)]
pub struct Analyzer {
    terms: Terms,
    memo: [FxHashMap<Box<str>, Box<str>>; 3],
}

impl Analyzer {
    /// A fresh analyzer.
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Appends the tokens of `text` in `lang` to `out`, separated by spaces; `on_term` sees
    /// each distinct term of each word (for the lexicon).
    pub fn tokens(
        &mut self,
        text: &str,
        lang: Lang,
        out: &mut String,
        on_term: &mut dyn FnMut(&str),
    ) {
        let mut next = 0;
        for w in words(text) {
            // Skipped words keep their positions.
            while next < w.position {
                push_token(out, GAP);
                next += 1;
            }
            next = w.position + 1;
            let memo = &mut self.memo[lang.index()];
            if let Some(token) = memo.get(w.text) {
                push_token(out, token);
                token.split('|').for_each(&mut *on_term);
                continue;
            }
            analyze_article_word(w.text, lang, &mut self.terms);
            let token = word_token(&self.terms);
            push_token(out, &token);
            token.split('|').for_each(&mut *on_term);
            if memo.len() < MEMO_WORDS {
                memo.insert(w.text.into(), token.into_boxed_str());
            }
        }
    }

    /// The token string of a whole text (see [`Analyzer::tokens`]).
    pub fn token_string(&mut self, text: &str, lang: Lang) -> String {
        let mut out = String::with_capacity(text.len() * 2);
        self.tokens(text, lang, &mut out, &mut |_| {});
        out
    }
}

fn push_token(out: &mut String, token: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(token);
}

/// One word's token: its distinct terms joined by `|`. A term never holds a space or `|`
/// (words are runs of letters and digits, and folding keeps them so); any such character is
/// replaced by `_` all the same, so one word can never become two positions.
pub fn word_token(terms: &Terms) -> String {
    let mut token = String::new();
    for (_, t) in terms.iter() {
        if !token.is_empty() {
            token.push('|');
        }
        token.extend(t.chars().map(|c| {
            if c == '|' || c.is_whitespace() {
                '_'
            } else {
                c
            }
        }));
    }
    if token.is_empty() {
        token.push('_');
    }
    token
}

/// The `_bulk` action line for an article (its id is the document `_id`, so a repeated id
/// replaces the earlier article, as in the embedded index).
pub fn bulk_action(index: &str, id: &str) -> String {
    json!({"index": {"_index": index, "_id": id}}).to_string()
}

/// The `_bulk` source line of an article in `lang`, with the token strings of its title and
/// body.
pub fn bulk_source(record: &Record, lang: Lang, title_tokens: &str, body_tokens: &str) -> String {
    let a = &record.article;
    let mut doc = serde_json::Map::new();
    doc.insert("id".into(), json!(a.id));
    doc.insert("lang".into(), json!(lang.code()));
    if let (Some(ts), Some(text)) = (a.timestamp, &a.date) {
        doc.insert("date".into(), json!(ts.clamp(MIN_TIMESTAMP, MAX_TIMESTAMP)));
        doc.insert("date_text".into(), json!(text));
    }
    if !a.source.is_empty() {
        doc.insert("source".into(), json!(a.source));
    }
    if !a.url.is_empty() {
        doc.insert("url".into(), json!(a.url));
    }
    doc.insert("title".into(), json!(a.title));
    doc.insert("body".into(), json!(a.body));
    doc.insert(title_field(lang), json!(title_tokens));
    doc.insert(body_field(lang), json!(body_tokens));
    Value::Object(doc).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_str;

    #[test]
    fn words_become_stacked_tokens() {
        let mut a = Analyzer::new();
        let cases = [
            (
                Lang::Kk,
                "Тоқаевтың сөзі",
                "тоқаевтың|тоқаев|tokaevtin|tokaev|тоқае… сөзі|сөз|сөзі…",
            ),
            (
                Lang::Ru,
                "министров Токаева",
                "министров|министр токаева|токаев|tokaeva|tokaev",
            ),
            (Lang::En, "Tokayev's visit", "tokayev|tokaev visit"),
            (Lang::En, "the 2020 The", "the 2020 the|te"),
            (Lang::Ru, "", ""),
        ];
        for (lang, text, want) in cases {
            assert_eq!(a.token_string(text, lang), want, "{text:?} in {lang}");
            // Remembered words give the same tokens.
            assert_eq!(a.token_string(text, lang), want, "{text:?} again");
        }
    }

    #[test]
    fn a_skipped_word_keeps_its_position() {
        let long = "x".repeat(200);
        let text = format!("один {long} два");
        assert_eq!(
            Analyzer::new().token_string(&text, Lang::Ru),
            format!("один|один|odin {GAP} два|два|dva")
                .replace("один|один|odin", "один")
                .replace("два|два|dva", "два")
        );
    }

    #[test]
    fn terms_are_seen_for_the_lexicon() {
        let mut seen = Vec::new();
        let mut out = String::new();
        Analyzer::new().tokens("Астана", Lang::Kk, &mut out, &mut |t| {
            seen.push(t.to_string())
        });
        assert_eq!(out, seen.join("|"));
        assert!(seen.contains(&"astana".to_string()), "{seen:?}");
    }

    #[test]
    fn golden_index_definition() {
        let def = index_definition(0);
        let want = json!({
            "settings": {
                "index": {"number_of_shards": 2, "number_of_replicas": 0, "refresh_interval": "-1"},
                "analysis": {
                    "tokenizer": {"kazsearch_words": {"type": "whitespace", "max_token_length": 4096}},
                    "filter": {
                        "kazsearch_stack": {"type": "pattern_capture", "preserve_original": false, "patterns": ["([^|]+)"]},
                        "kazsearch_gaps": {"type": "stop", "stopwords": ["|"], "ignore_case": false}
                    },
                    "analyzer": {
                        "kazsearch_forms": {"type": "custom", "tokenizer": "kazsearch_words",
                                            "filter": ["kazsearch_stack", "kazsearch_gaps"]}
                    }
                }
            },
            "mappings": {
                "dynamic": "strict",
                "_source": {"excludes": ["title_kk", "body_kk", "title_ru", "body_ru", "title_en", "body_en"]},
                "properties": {
                    "id": {"type": "keyword"},
                    "lang": {"type": "keyword"},
                    "date": {"type": "date", "format": "epoch_second"},
                    "date_text": {"type": "keyword", "index": false, "doc_values": false},
                    "source": {"type": "keyword"},
                    "url": {"type": "keyword", "index": false, "doc_values": false},
                    "title": {"type": "text", "index": false},
                    "body": {"type": "text", "index": false},
                    "title_kk": {"type": "text", "analyzer": "kazsearch_forms", "index_options": "positions"},
                    "body_kk": {"type": "text", "analyzer": "kazsearch_forms", "index_options": "positions"},
                    "title_ru": {"type": "text", "analyzer": "kazsearch_forms", "index_options": "positions"},
                    "body_ru": {"type": "text", "analyzer": "kazsearch_forms", "index_options": "positions"},
                    "title_en": {"type": "text", "analyzer": "kazsearch_forms", "index_options": "positions"},
                    "body_en": {"type": "text", "analyzer": "kazsearch_forms", "index_options": "positions"}
                }
            }
        });
        assert_eq!(def, want);
        assert_eq!(
            after_load_settings(),
            json!({"index": {"number_of_replicas": 1, "refresh_interval": null}})
        );
    }

    #[test]
    fn golden_bulk_lines() {
        let line = r#"{"id":"a1","title":"Тоқаев Астанада","body":"Президент сөз сөйледі.","lang":"kk","date":"2020-06-10","source":"Egemen","url":"https://e.kz/1"}"#;
        let recs = read_str("t", line);
        let rec = recs[0].as_ref().unwrap();
        let mut an = Analyzer::new();
        let title = an.token_string(&rec.article.title, Lang::Kk);
        let body = an.token_string(&rec.article.body, Lang::Kk);
        assert_eq!(
            title,
            "тоқаев|tokaev|тоқае… астанада|астана|astanada|astan|астан…"
        );
        assert_eq!(
            bulk_action("news-gen-1", "a1"),
            r#"{"index":{"_id":"a1","_index":"news-gen-1"}}"#
        );
        let source: Value =
            serde_json::from_str(&bulk_source(rec, Lang::Kk, &title, &body)).unwrap();
        assert_eq!(
            source,
            json!({
                "id": "a1", "lang": "kk", "date": 1591747200, "date_text": "2020-06-10",
                "source": "Egemen", "url": "https://e.kz/1",
                "title": "Тоқаев Астанада", "body": "Президент сөз сөйледі.",
                "title_kk": title, "body_kk": body
            })
        );
        // An article without the optional fields sends none of them.
        let recs = read_str("t", r#"{"id":"b","body":"hello"}"#);
        let rec = recs[0].as_ref().unwrap();
        let source: Value = serde_json::from_str(&bulk_source(rec, Lang::En, "", "hello")).unwrap();
        assert_eq!(
            source,
            json!({"id": "b", "lang": "en", "title": "", "body": "hello", "title_en": "", "body_en": "hello"})
        );
    }
}
