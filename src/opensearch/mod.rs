//! OpenSearch as a second engine, for archives past one machine: kazsearch keeps the
//! analysis in Rust and sends each article word pre-analysed (see [`mapping`]), so the
//! cluster indexes exactly the terms the embedded tantivy index has.
//!
//! - [`client`]: a small blocking HTTP client for the REST API.
//! - [`mapping`]: index settings and mappings, word tokens, `_bulk` lines.
//! - [`indexer`]: a load into a new generation behind an alias, switched in one call.
//! - [`lexicon`]: the side lexicon of each generation (terms of the key alphabet with
//!   document frequencies) for the planner's near spellings and sound-alikes.
//! - [`query`]: a search plan ([`crate::search::plan`]) compiled to query DSL.
//! - [`search`]: the search engine over a cluster (the tiers, page, highlighting).
//! - [`update`]: `add` and `delete` on the generation behind the alias.

pub mod client;
pub mod indexer;
pub mod lexicon;
pub mod mapping;
pub mod query;
pub mod search;
pub mod update;
