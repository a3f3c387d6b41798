//! kazsearch: a search server for news in Kazakh, Russian and English where any spelling of a
//! name — any script, any romanization, any inflected form — finds every article.
//!
//! ```text
//! JSONL ─► ingest (validate; errors name file and line)
//!       ─► lang::Detector (Kazakh letters and script first, lingua for the rest)
//!       ─► store::writer: the text goes to title_<lang>/body_<lang>; tantivy runs that
//!          language's analyzer: words (UAX #29) → fold → stem → key → stripped key,
//!          every view at the word's position (analysis::tokenizer)
//!       ─► a new index generation, switched in atomically (store)
//! query ─► search::query::parse ─► aliases ─► search::build: every word analysed for every
//!          language field, exact > stem > key > stripped key (> fuzzy key, when few hits)
//!       ─► one pass: top docs + total + language facets (search::collect)
//!       ─► highlight from the postings (search::highlight) ─► JSON (http) ─► web/ page
//! ```
//!
//! Analysis ([`analysis`]) is pure and free of tantivy types except its thin tokenizer
//! adapter, so documents can be pre-analysed for another engine with the same matching.
#![warn(missing_docs)]

pub mod analysis;
pub mod article;
pub mod bench;
pub mod error;
pub mod eval;
pub mod http;
pub mod ingest;
pub mod lang;
pub mod mixed;
pub mod opensearch;
pub mod qa_eval;
pub mod sample;
pub mod search;
pub mod store;

pub use error::{Error, Result};
