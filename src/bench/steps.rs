//! Where indexing time goes: each stage of the pipeline timed on its own, on one thread, over
//! the same corpus — reading (decompress + parse + validate), language detection, and each
//! pure analysis step (words → fold → stem → key → strip), then the whole per-word analysis,
//! kazsearch's tokenizer as tantivy drives it, and tantivy's default tokenizer for scale.
//!
//! Every step consumes the previous step's output, kept in reused buffers, so each figure is
//! the cost of that step alone. tantivy's own work (postings, store, merges) is what remains
//! of the indexing time.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream, Tokenizer,
    TokenizerManager,
};

use super::probe::ThreadClock;
use crate::analysis::tokenizer::KzTokenizer;
use crate::analysis::{analyze_article_word, fold, key, stem, words, Terms};
use crate::ingest::Reader;
use crate::lang::{Detector, Lang};

/// CPU time of each stage over the corpus, on one thread.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StepTimes {
    /// Articles read.
    pub articles: u64,
    /// Bytes of title and body text.
    pub text_bytes: u64,
    /// Words found.
    pub words: u64,
    /// Terms kazsearch's tokenizer emitted (every view of every word).
    pub kazsearch_tokens: u64,
    /// Tokens tantivy's default tokenizer emitted.
    pub default_tokens: u64,
    /// CPU seconds per stage, in pipeline order.
    pub seconds: Vec<(String, f64)>,
}

/// The stage names, in order.
pub const STAGES: [&str; 10] = [
    "read (zstd + JSON + validate)",
    "language detection",
    "words (UAX #29)",
    "fold",
    "stem",
    "key",
    "strip",
    "analyze_article_word (all views)",
    "kazsearch tokenizer",
    "tantivy default tokenizer",
];

/// Index of the first analysis stage and of the tokenizers in [`STAGES`].
pub const FIRST_ANALYSIS: usize = 2;
/// Index of kazsearch's tokenizer in [`STAGES`].
pub const KZ_TOKENIZER: usize = 8;
/// Index of tantivy's default tokenizer in [`STAGES`].
pub const DEFAULT_TOKENIZER: usize = 9;

/// Times every stage over the articles of `paths` (thread CPU time, so that other processes
/// on the machine do not inflate one stage more than another).
pub fn run(paths: Vec<PathBuf>, detector: &Detector) -> StepTimes {
    let mut out = StepTimes::default();
    let mut time = [Duration::ZERO; STAGES.len()];
    let mut reader = Reader::new(paths);
    let mut spans: Vec<(bool, usize, usize)> = Vec::new();
    let (mut folded, mut stemmed, mut keyed) = (Vec::new(), Vec::new(), Vec::new());
    let mut terms = Terms::default();
    let mut kz = Lang::ALL.map(KzTokenizer::new);
    let mut plain = TokenizerManager::default()
        .get("default")
        .unwrap_or_else(|| {
            // tantivy's definition of `default`, should a version ever stop registering it.
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build()
        });
    let mut clock = ThreadClock::start();
    loop {
        clock.lap();
        let Some(record) = reader.next() else { break };
        time[0] += clock.lap();
        let Ok(record) = record else { continue };
        let a = &record.article;
        out.articles += 1;
        out.text_bytes += (a.title.len() + a.body.len()) as u64;
        let text = |in_body: bool| if in_body { &a.body } else { &a.title };

        clock.lap();
        let detected = detector.detect(&a.title, &a.body);
        let lang = a.lang.unwrap_or(detected.lang);
        time[1] += clock.lap();

        spans.clear();
        for in_body in [false, true] {
            spans.extend(words::words(text(in_body)).map(|w| (in_body, w.start, w.end)));
        }
        time[2] += clock.lap();
        let n = spans.len();
        out.words += n as u64;
        if folded.len() < n {
            folded.resize(n, String::new());
            stemmed.resize(n, String::new());
            keyed.resize(n, String::new());
        }
        clock.lap();
        for (i, &(b, s, e)) in spans.iter().enumerate() {
            fold::fold(&text(b)[s..e], &mut folded[i]);
        }
        time[3] += clock.lap();
        for i in 0..n {
            stem::stem(lang, &folded[i], &mut stemmed[i]);
        }
        time[4] += clock.lap();
        for i in 0..n {
            key::key(&folded[i], &mut keyed[i]);
        }
        time[5] += clock.lap();
        for k in &keyed[..n] {
            std::hint::black_box(key::strip(k, lang));
        }
        time[6] += clock.lap();
        for &(b, s, e) in &spans {
            analyze_article_word(&text(b)[s..e], lang, &mut terms);
            std::hint::black_box(&terms);
        }
        time[7] += clock.lap();
        for s in [&a.title, &a.body] {
            let mut stream = kz[lang.index()].token_stream(s);
            while stream.advance() {
                out.kazsearch_tokens += 1;
            }
        }
        time[8] += clock.lap();
        for s in [&a.title, &a.body] {
            let mut stream = plain.token_stream(s);
            while stream.advance() {
                out.default_tokens += 1;
            }
        }
        time[9] += clock.lap();
    }
    out.seconds = STAGES
        .iter()
        .zip(time)
        .map(|(name, d)| (name.to_string(), d.as_secs_f64()))
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_every_stage_of_the_sample() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/articles.jsonl");
        let t = run(vec![path], &Detector::new());
        assert_eq!(t.articles, 51);
        assert_eq!(t.seconds.len(), STAGES.len());
        assert!(t.words > 1000, "{t:?}");
        // Every word gives at least its exact term.
        assert!(t.kazsearch_tokens >= t.words, "{t:?}");
        assert!(t.default_tokens > 0);
        assert!(t.seconds.iter().all(|(_, s)| *s >= 0.0));
    }
}
