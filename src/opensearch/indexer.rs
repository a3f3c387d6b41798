//! `kazsearch index --engine opensearch`: analyse articles in-process and bulk-load them into
//! a new physical index (a generation), then switch the alias to it in one call.
//!
//! ```text
//! records ─► language (given, or detected) ─► mapping::Analyzer (the tantivy index's analysis)
//!         ─► _bulk batches, two in flight ─► <name>-gen-<millis> (no replicas, no refresh)
//!         ─► replicas on, refresh, wait for green, count check ─► lexicon parts
//!         ─► POST /_aliases: <name> moves to the new index in one call ─► old generations dropped
//! ```
//!
//! Until the alias moves, searches see the old generation; a load that fails deletes its
//! index, and one that is killed leaves it unaliased, to be dropped by the next successful
//! load. Either way the alias stays where it was, as the embedded rebuild leaves CURRENT.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::client::{reason, Client};
use super::lexicon::{self, Counter};
use super::mapping::{self, bulk_action, bulk_source, Analyzer};
use crate::error::{Error, Result};
use crate::ingest::Record;
use crate::lang::{Detector, Lang};
use crate::store::writer::{accept, language, Stats};

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The alias searches go through; generations are `<name>-gen-<millis>`.
    pub name: String,
    /// Stop at the first bad line (and leave the alias untouched).
    pub strict: bool,
    /// Detect every article's language, even when the input gives one.
    pub redetect: bool,
    /// Bytes of bulk lines per `_bulk` request.
    pub batch_bytes: usize,
    /// `_bulk` requests in flight at once.
    pub in_flight: usize,
    /// Seconds to wait for the new generation's replicas (green) before switching anyway.
    pub green_timeout_secs: u32,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            name: "kazsearch".into(),
            strict: false,
            redetect: false,
            batch_bytes: 4 << 20,
            in_flight: 2,
            green_timeout_secs: 120,
        }
    }
}

/// Checks an alias name against OpenSearch's index-name rules (kept stricter: lowercase
/// letters, digits, `_`, `-`, `.`, starting with a letter or digit, at most 100 bytes).
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::OpenSearch(format!(
            "--name {name:?}: an index name is lowercase letters, digits, _, - and ., starting with a letter or digit"
        )))
    }
}

/// The physical index of a new generation of `name`.
pub fn generation_name(name: &str, millis: u128) -> String {
    format!("{name}-gen-{millis}")
}

/// The indices the alias `name` points to now (none when it does not exist).
pub fn alias_targets(client: &Client, name: &str) -> Result<Vec<String>> {
    let path = format!("/_alias/{name}");
    let r = client.send("GET", &path, None, false)?;
    if r.status == 404 {
        return Ok(Vec::new());
    }
    let body = r.into_ok("GET", &path)?;
    Ok(body
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default())
}

/// The `_aliases` request that points `name` at `new` alone, in one atomic call.
pub fn switch_actions(name: &str, old: &[String], new: &str) -> Value {
    let mut actions: Vec<Value> = old
        .iter()
        .filter(|o| *o != new)
        .map(|o| json!({"remove": {"index": o, "alias": name}}))
        .collect();
    actions.push(json!({"add": {"index": new, "alias": name}}));
    json!({ "actions": actions })
}

/// The first failed item of a `_bulk` response, as "id: reason".
pub fn bulk_failure(response: &Value) -> Option<String> {
    if response["errors"].as_bool() != Some(true) {
        return None;
    }
    let items = response["items"].as_array()?;
    items.iter().find_map(|item| {
        let op = item.as_object()?.values().next()?;
        let err = op.get("error")?;
        let id = op["_id"].as_str().unwrap_or("?");
        Some(format!(
            "article {id:?}: {}",
            reason(&json!({ "error": err }))
        ))
    })
}

/// Loads `records` into a new generation of `opts.name` and switches the alias to it.
/// `on_error` sees every rejected line; `on_doc` is called after each article.
pub fn load(
    client: &Client,
    records: impl Iterator<Item = Result<Record>>,
    opts: &LoadOptions,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
    on_doc: &mut dyn FnMut(&Stats),
) -> Result<Stats> {
    let started = Instant::now();
    check_name(&opts.name)?;
    let alias = &opts.name;
    // An index (not an alias) under the alias's name would make the switch fail at the end.
    let probe = client.send("GET", &format!("/{alias}"), None, false)?;
    if probe.status == 200 && alias_targets(client, alias)?.is_empty() {
        return Err(Error::OpenSearch(format!(
            "{}: an index named {alias:?} exists and is not an alias; delete it or choose another --name",
            client.url()
        )));
    }
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let generation = generation_name(alias, millis);
    client.ok(
        "PUT",
        &format!("/{generation}"),
        Some(&mapping::index_definition(0)),
    )?;
    match fill_and_switch(
        client,
        records,
        opts,
        detector,
        on_error,
        on_doc,
        &generation,
    ) {
        Ok(mut stats) => {
            stats.generation = generation;
            stats.elapsed = started.elapsed();
            Ok(stats)
        }
        Err(e) => {
            // The alias never moved; drop the half-loaded generation.
            let _ = client.send("DELETE", &format!("/{generation}"), None, false);
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn fill_and_switch(
    client: &Client,
    records: impl Iterator<Item = Result<Record>>,
    opts: &LoadOptions,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
    on_doc: &mut dyn FnMut(&Stats),
    generation: &str,
) -> Result<Stats> {
    let alias = &opts.name;
    let mut lexicon = Counter::new();
    let t = Instant::now();
    let stats = fill(
        client,
        records,
        opts,
        detector,
        on_error,
        on_doc,
        generation,
        &mut lexicon,
    )?;
    if stats.indexed == 0 {
        return Err(Error::OpenSearch(format!(
            "no article could be indexed ({} lines rejected); the alias {alias:?} is untouched",
            stats.rejected
        )));
    }
    tracing::info!(
        "{generation}: {} articles sent in {:.1}s",
        stats.indexed,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let gen_path = format!("/{generation}");
    client.ok(
        "PUT",
        &format!("{gen_path}/_settings"),
        Some(&mapping::after_load_settings()),
    )?;
    client.ok("POST", &format!("{gen_path}/_refresh"), None)?;
    let health = client.send(
        "GET",
        &format!(
            "/_cluster/health/{generation}?wait_for_status=green&timeout={}s",
            opts.green_timeout_secs
        ),
        None,
        false,
    )?;
    if health.body["status"] != "green" {
        tracing::warn!(
            "{generation} is {} after {}s (too few nodes for its replicas?); switching anyway",
            health.body["status"],
            opts.green_timeout_secs
        );
    }
    tracing::info!(
        "{generation}: refreshed and replicated in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    let count = client.ok("GET", &format!("{gen_path}/_count"), None)?;
    if count["count"].as_u64() != Some(stats.indexed) {
        return Err(Error::OpenSearch(format!(
            "{generation} holds {} articles, {} were sent; the alias {alias:?} is untouched",
            count["count"], stats.indexed
        )));
    }
    write_lexicon(client, alias, generation, &lexicon)?;
    let old = alias_targets(client, alias)?;
    client.ok(
        "POST",
        "/_aliases",
        Some(&switch_actions(alias, &old, generation)),
    )?;
    drop_old(client, alias, generation);
    Ok(stats)
}

/// Deletes every generation of `alias` but `keep` (the previous one, and any a killed load
/// left), and their lexicon parts. Failures only warn: the switch is done.
fn drop_old(client: &Client, alias: &str, keep: &str) {
    let path = format!("/_cat/indices/{alias}-gen-*?format=json&h=index");
    match client.ok("GET", &path, None) {
        Ok(list) => {
            for idx in list.as_array().into_iter().flatten() {
                let Some(idx) = idx["index"].as_str() else {
                    continue;
                };
                if idx != keep {
                    if let Err(e) = client.ok("DELETE", &format!("/{idx}"), None) {
                        tracing::warn!("could not delete the old generation {idx}: {e}");
                    }
                }
            }
        }
        Err(e) => tracing::warn!("could not list old generations: {e}"),
    }
    if let Err(e) = drop_old_lexicon(client, alias, keep) {
        tracing::warn!("could not delete old lexicon parts: {e}");
    }
}

/// Deletes the lexicon parts of every generation but `keep` (by id: `_delete_by_query`
/// belongs to the reindex module, which a cluster may not have).
fn drop_old_lexicon(client: &Client, alias: &str, keep: &str) -> Result<()> {
    let index = lexicon::index_name(alias);
    let query = json!({
        "query": {"bool": {"must_not": {"term": {"generation": keep}}}},
        "_source": false, "size": 1000
    });
    let r = client.send(
        "POST",
        &format!("/{index}/_search"),
        Some(&query.to_string()),
        false,
    )?;
    if r.status == 404 {
        return Ok(());
    }
    let r = r.into_ok("POST", &format!("/{index}/_search"))?;
    let mut body = String::new();
    for hit in r["hits"]["hits"].as_array().into_iter().flatten() {
        if let Some(id) = hit["_id"].as_str() {
            body.push_str(&json!({"delete": {"_index": index, "_id": id}}).to_string());
            body.push('\n');
        }
    }
    if body.is_empty() {
        return Ok(());
    }
    send_bulk(client, &body, true)
}

fn write_lexicon(client: &Client, alias: &str, generation: &str, counter: &Counter) -> Result<()> {
    let index = lexicon::index_name(alias);
    let probe = client.send("HEAD", &format!("/{index}"), None, false)?;
    if probe.status == 404 {
        let r = client.send(
            "PUT",
            &format!("/{index}"),
            Some(&lexicon::index_definition().to_string()),
            false,
        )?;
        // Another load may have created it meanwhile.
        if r.status != 200 && !reason(&r.body).contains("already_exists") {
            r.into_ok("PUT", &format!("/{index}"))?;
        }
    }
    let lines = lexicon::bulk_lines(counter, &index, generation);
    let mut batch = String::new();
    for pair in lines.chunks(2) {
        for line in pair {
            batch.push_str(line);
            batch.push('\n');
        }
        if batch.len() > 8 << 20 {
            send_bulk(client, &std::mem::take(&mut batch), false)?;
        }
    }
    if !batch.is_empty() {
        send_bulk(client, &batch, true)?;
    }
    Ok(())
}

fn send_bulk(client: &Client, body: &str, refresh: bool) -> Result<()> {
    let path = if refresh {
        "/_bulk?refresh=true"
    } else {
        "/_bulk"
    };
    let r = client
        .send("POST", path, Some(body), true)?
        .into_ok("POST", path)?;
    match bulk_failure(&r) {
        Some(f) => Err(Error::OpenSearch(format!("bulk load: {f}"))),
        None => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn fill(
    client: &Client,
    records: impl Iterator<Item = Result<Record>>,
    opts: &LoadOptions,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
    on_doc: &mut dyn FnMut(&Stats),
    generation: &str,
    lexicon: &mut Counter,
) -> Result<Stats> {
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let (tx, rx) = crossbeam_channel::bounded::<String>(opts.in_flight.max(1));
    std::thread::scope(|scope| {
        for _ in 0..opts.in_flight.max(1) {
            let rx = rx.clone();
            let failure = &failure;
            scope.spawn(move || {
                for batch in rx {
                    if let Err(e) = send_bulk(client, &batch, false) {
                        let mut f = failure.lock().unwrap_or_else(|p| p.into_inner());
                        f.get_or_insert(e);
                        return;
                    }
                }
            });
        }
        drop(rx);
        let result = produce(
            records, opts, detector, on_error, on_doc, generation, lexicon, &tx, &failure,
        );
        drop(tx);
        result
    })
    .and_then(
        |stats| match failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(e) => Err(e),
            None => Ok(stats),
        },
    )
}

#[allow(clippy::too_many_arguments)]
fn produce(
    records: impl Iterator<Item = Result<Record>>,
    opts: &LoadOptions,
    detector: &Detector,
    on_error: &mut dyn FnMut(&Error),
    on_doc: &mut dyn FnMut(&Stats),
    generation: &str,
    lexicon: &mut Counter,
    tx: &crossbeam_channel::Sender<String>,
    failure: &Mutex<Option<Error>>,
) -> Result<Stats> {
    let mut stats = Stats::default();
    let mut seen: HashMap<String, Lang> = HashMap::new();
    let mut analyzer = Analyzer::new();
    let mut batch = String::with_capacity(opts.batch_bytes + (1 << 20));
    let (mut title, mut body) = (String::new(), String::new());
    let failed = || failure.lock().map(|f| f.is_some()).unwrap_or(true);
    for record in records {
        let Some(record) = accept(record, opts.strict, &mut stats.rejected, on_error)? else {
            continue;
        };
        let a = &record.article;
        let lang = language(a, opts.redetect, detector, &mut stats);
        if let Some(old) = seen.insert(a.id.clone(), lang) {
            stats.duplicates += 1;
            stats.indexed -= 1;
            stats.by_lang[old.index()] -= 1;
        }
        title.clear();
        body.clear();
        analyzer.tokens(&a.title, lang, &mut title, &mut |_| {});
        analyzer.tokens(&a.body, lang, &mut body, &mut |t| lexicon.term(t));
        lexicon.end_doc(lang);
        batch.push_str(&bulk_action(generation, &a.id));
        batch.push('\n');
        batch.push_str(&bulk_source(&record, lang, &title, &body));
        batch.push('\n');
        stats.indexed += 1;
        stats.by_lang[lang.index()] += 1;
        stats.text_bytes += (a.title.len() + a.body.len()) as u64;
        on_doc(&stats);
        if batch.len() >= opts.batch_bytes {
            if failed() || tx.send(std::mem::take(&mut batch)).is_err() {
                break;
            }
            batch.reserve(opts.batch_bytes + (1 << 20));
        }
    }
    if !batch.is_empty() && !failed() {
        let _ = tx.send(batch);
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (name, ok) in [
            ("kazsearch", true),
            ("news-2024.v2", true),
            ("News", false),
            ("-x", false),
            ("", false),
            ("a b", false),
            ("a*", false),
        ] {
            assert_eq!(check_name(name).is_ok(), ok, "{name:?}");
        }
        assert_eq!(
            generation_name("news", 1_700_000_000_123),
            "news-gen-1700000000123"
        );
    }

    #[test]
    fn golden_switch() {
        assert_eq!(
            switch_actions("news", &[], "news-gen-2"),
            json!({"actions": [{"add": {"index": "news-gen-2", "alias": "news"}}]})
        );
        assert_eq!(
            switch_actions("news", &["news-gen-1".into()], "news-gen-2"),
            json!({"actions": [
                {"remove": {"index": "news-gen-1", "alias": "news"}},
                {"add": {"index": "news-gen-2", "alias": "news"}}
            ]})
        );
    }

    #[test]
    fn bulk_failures() {
        assert_eq!(bulk_failure(&json!({"errors": false, "items": []})), None);
        let r = json!({"errors": true, "items": [
            {"index": {"_id": "a", "status": 201}},
            {"index": {"_id": "b", "status": 400,
                       "error": {"type": "mapper_parsing_exception", "reason": "bad date"}}}
        ]});
        assert_eq!(
            bulk_failure(&r).as_deref(),
            Some("article \"b\": mapper_parsing_exception: bad date")
        );
    }
}
