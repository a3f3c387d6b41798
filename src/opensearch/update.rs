//! `kazsearch add` and `delete` with `--engine opensearch`: articles added to, replaced in or
//! deleted from the generation the alias points to, and the change to its side lexicon.
//!
//! ```text
//! add:    records ─► language ─► mapping::Analyzer ─► _bulk index (id = _id: a known id is
//!         replaced) ─► _refresh ─► lexicon delta (+ new bodies, − replaced ones)
//! delete: ids ─► _mget (which exist; their bodies) ─► _bulk delete ─► _refresh
//!         ─► lexicon delta (− deleted bodies)
//! ```
//!
//! The lexicon delta is one more part per language (`term\t±n` lines) beside the
//! generation's parts; [`super::lexicon::fetch`] sums them. The articles of a replaced or
//! deleted id are read back (`_source`) and analysed again to know what to subtract.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::{json, Value};

use super::client::Client;
use super::indexer::{alias_targets, bulk_failure, check_name};
use super::lexicon::{self, Counter};
use super::mapping::{bulk_action, bulk_source, Analyzer};
use crate::error::{Error, Result};
use crate::ingest::Record;
use crate::lang::{Detector, Lang};
use crate::store::writer::{accept, language, Stats};

/// Ids looked up per `_mget`.
const MGET_IDS: usize = 1000;

/// What an add or delete did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateStats {
    /// The generation changed.
    pub generation: String,
    /// New articles.
    pub added: u64,
    /// Articles that replaced one with the same id.
    pub replaced: u64,
    /// Articles deleted.
    pub deleted: u64,
    /// Ids to delete that no article has.
    pub unknown: Vec<String>,
    /// Lines rejected (add).
    pub rejected: u64,
    /// Articles added or replaced, by [`Lang::index`].
    pub by_lang: [u64; 3],
    /// Articles in the generation afterwards.
    pub docs: u64,
    /// Seconds in all, until searches see the change.
    pub secs: f64,
}

/// The one generation the alias `name` points to.
pub fn live_generation(client: &Client, name: &str) -> Result<String> {
    check_name(name)?;
    match alias_targets(client, name)?.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::OpenSearch(format!(
            "no alias {name:?} on {}: load one with `kazsearch index --engine opensearch --name {name} INPUT...`",
            client.url()
        ))),
        more => Err(Error::OpenSearch(format!(
            "the alias {name:?} points to {} indices",
            more.len()
        ))),
    }
}

/// Adds `records` to the live generation of `name` (an article with a known id replaces it).
pub fn add(
    client: &Client,
    name: &str,
    records: impl Iterator<Item = Result<Record>>,
    strict: bool,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
) -> Result<UpdateStats> {
    let started = Instant::now();
    let generation = live_generation(client, name)?;
    let mut stats = Stats::default();
    let mut out = UpdateStats {
        generation: generation.clone(),
        ..UpdateStats::default()
    };
    let mut analyzer = Analyzer::new();
    let mut plus = Counter::new();
    let mut lines = String::new();
    let mut ids: Vec<String> = Vec::new();
    let (mut title, mut body) = (String::new(), String::new());
    for record in records {
        let Some(record) = accept(record, strict, &mut stats.rejected, on_error)? else {
            continue;
        };
        let a = &record.article;
        let lang = language(a, false, detector, &mut stats);
        title.clear();
        body.clear();
        analyzer.tokens(&a.title, lang, &mut title, &mut |_| {});
        analyzer.tokens(&a.body, lang, &mut body, &mut |t| plus.term(t));
        plus.end_doc(lang);
        lines.push_str(&bulk_action(&generation, &a.id));
        lines.push('\n');
        lines.push_str(&bulk_source(&record, lang, &title, &body));
        lines.push('\n');
        ids.push(a.id.clone());
        out.by_lang[lang.index()] += 1;
    }
    out.rejected = stats.rejected;
    // What the replaced articles held, before they are overwritten.
    let (found, minus) = existing(client, &generation, &ids, &mut analyzer)?;
    ids.sort();
    ids.dedup();
    out.replaced = found.len() as u64;
    out.added = ids.len() as u64 - out.replaced;
    if !lines.is_empty() {
        bulk(client, &lines)?;
    }
    finish(client, name, &generation, &plus, &minus, &mut out)?;
    out.secs = started.elapsed().as_secs_f64();
    Ok(out)
}

/// Deletes the articles `ids` from the live generation of `name`.
pub fn delete(client: &Client, name: &str, ids: &[String]) -> Result<UpdateStats> {
    let started = Instant::now();
    let generation = live_generation(client, name)?;
    let mut out = UpdateStats {
        generation: generation.clone(),
        ..UpdateStats::default()
    };
    let mut analyzer = Analyzer::new();
    let (found, minus) = existing(client, &generation, ids, &mut analyzer)?;
    out.unknown = ids
        .iter()
        .filter(|id| !found.contains(id))
        .cloned()
        .collect();
    let mut lines = String::new();
    for id in &found {
        lines.push_str(&json!({"delete": {"_index": generation, "_id": id}}).to_string());
        lines.push('\n');
    }
    out.deleted = found.len() as u64;
    if !lines.is_empty() {
        bulk(client, &lines)?;
    }
    finish(client, name, &generation, &Counter::new(), &minus, &mut out)?;
    out.secs = started.elapsed().as_secs_f64();
    Ok(out)
}

/// Which of `ids` the generation has, and their bodies' terms counted (to subtract from the
/// lexicon).
fn existing(
    client: &Client,
    generation: &str,
    ids: &[String],
    analyzer: &mut Analyzer,
) -> Result<(Vec<String>, Counter)> {
    let mut found = Vec::new();
    let mut minus = Counter::new();
    let mut unique: Vec<&String> = ids.iter().collect();
    unique.sort();
    unique.dedup();
    let mut scratch = String::new();
    for chunk in unique.chunks(MGET_IDS) {
        let path = format!("/{generation}/_mget?_source_includes=lang,body");
        let r = client.ok("POST", &path, Some(&json!({ "ids": chunk })))?;
        for doc in r["docs"].as_array().into_iter().flatten() {
            if doc["found"].as_bool() != Some(true) {
                continue;
            }
            let Some(id) = doc["_id"].as_str() else {
                continue;
            };
            let src = &doc["_source"];
            let lang = src["lang"]
                .as_str()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::Kk);
            scratch.clear();
            analyzer.tokens(
                src["body"].as_str().unwrap_or(""),
                lang,
                &mut scratch,
                &mut |t| minus.term(t),
            );
            minus.end_doc(lang);
            found.push(id.to_string());
        }
    }
    Ok((found, minus))
}

fn bulk(client: &Client, lines: &str) -> Result<()> {
    let r = client
        .send("POST", "/_bulk", Some(lines), true)?
        .into_ok("POST", "/_bulk")?;
    match bulk_failure(&r) {
        Some(f) => Err(Error::OpenSearch(format!("_bulk: {f}"))),
        None => Ok(()),
    }
}

/// Refreshes the generation (searches see the change), writes the lexicon delta, counts.
fn finish(
    client: &Client,
    name: &str,
    generation: &str,
    plus: &Counter,
    minus: &Counter,
    out: &mut UpdateStats,
) -> Result<()> {
    client.ok("POST", &format!("/{generation}/_refresh"), None)?;
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let index = lexicon::index_name(name);
    let mut lines = String::new();
    for lang in Lang::ALL {
        let terms = plus.delta(minus, lang);
        if terms.is_empty() {
            continue;
        }
        let id = format!("{generation}-{lang}-delta-{millis}");
        lines.push_str(&json!({"index": {"_index": index, "_id": id}}).to_string());
        lines.push('\n');
        let doc: Value = json!({"generation": generation, "lang": lang.code(), "part": 0,
                                "parts": 0, "terms": terms});
        lines.push_str(&doc.to_string());
        lines.push('\n');
    }
    if !lines.is_empty() {
        bulk(client, &lines)?;
        client.ok("POST", &format!("/{index}/_refresh"), None)?;
    }
    let count = client.ok("GET", &format!("/{generation}/_count"), None)?;
    out.docs = count["count"].as_u64().unwrap_or(0);
    Ok(())
}
