//! `search`, `eval` and `serve` with `--engine opensearch`: the same tiers, plans and
//! response as the embedded engine ([`crate::search::Tiers`]), run on a cluster.
//!
//! ```text
//! query ─► parse, aliases ─► prepare: document frequencies of every view of every word
//!        (one _search of `filters` counts) ─► planner (search::build) ─► plan
//!        ─► query::compile ─► _search (dfs_query_then_fetch; earlier tiers as must_not;
//!           language as post_filter; facets from a terms aggregation) ─► next tier …
//!        ─► page: _mget of the hits' stored text ─► highlight by re-analysis in Rust
//!        ─► relaxed hits: one _search of named clause queries says what each lacks
//! ```
//!
//! Near spellings and sound-alikes walk the generation's side lexicon ([`super::lexicon`]),
//! loaded once into an FST per language, with the same automata the embedded engine runs
//! over its term dictionaries.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use arc_swap::ArcSwap;
use rustc_hash::FxHashMap;
use serde_json::{json, Value};
use tantivy_fst::{Automaton, IntoStreamer, Map, Streamer};

use super::client::Client;
use super::indexer::{alias_targets, check_name};
use super::lexicon;
use super::query::{compile, BM25_SCALE};
use crate::analysis::{fold::fold, query_terms, sound::transcription_terms};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::search::alias::Aliases;
use crate::search::plan::{FieldRef, Node, Plan, Stats};
use crate::search::{
    doc_terms, highlight, response, Backend, DocResponse, Hit, Ranked, Run, SearchParams,
    SearchResponse, Sort, Stored, Tier, Tiers,
};

/// Most cached document frequencies before the cache starts over.
const MAX_CACHED_DFS: usize = 1 << 20;

/// The OpenSearch engine: a cluster, the alias searched, and what the planner knows of the
/// generation behind it (swapped when the alias moves or articles are added or deleted; see
/// [`OsEngine::watch`]).
pub struct OsEngine {
    client: Client,
    name: String,
    aliases: Aliases,
    state: ArcSwap<Generation>,
    dfs: Mutex<FxHashMap<(FieldRef, String), u64>>,
}

/// The generation an engine plans for: its physical index, article count and lexicon.
struct Generation {
    index: String,
    num_docs: u64,
    lexicon: [Map<Vec<u8>>; 3],
}

impl Generation {
    /// Reads the generation the alias `name` points to now.
    fn read(client: &Client, name: &str) -> Result<Generation> {
        let url = client.url();
        let targets = alias_targets(client, name)?;
        let generation = match targets.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(Error::OpenSearch(format!(
                    "{url}: no alias {name:?}: load one with `kazsearch index --engine opensearch --name {name} INPUT...`"
                )))
            }
            more => {
                return Err(Error::OpenSearch(format!(
                    "{url}: the alias {name:?} points to {} indices",
                    more.len()
                )))
            }
        };
        let count = client.ok("GET", &format!("/{generation}/_count"), None)?;
        let num_docs = count["count"].as_u64().unwrap_or(0);
        let parts = lexicon::fetch(client, name, &generation)?;
        let mut maps: Vec<Map<Vec<u8>>> = Vec::with_capacity(3);
        for terms in parts {
            let map = Map::from_iter(terms.iter().map(|(t, n)| (t.as_bytes(), u64::from(*n))))
                .map_err(|e| Error::OpenSearch(format!("{name}: the lexicon: {e}")))?;
            maps.push(map);
        }
        let lexicon: [Map<Vec<u8>>; 3] = maps
            .try_into()
            .map_err(|_| Error::OpenSearch(format!("{name}: the lexicon has no 3 languages")))?;
        Ok(Generation {
            index: generation,
            num_docs,
            lexicon,
        })
    }
}

impl OsEngine {
    /// Opens the alias `name` on the cluster at `url`: its generation, article count and
    /// lexicon.
    pub fn open(url: &str, name: &str, aliases: Aliases) -> Result<OsEngine> {
        check_name(name)?;
        let client = Client::new(url)?;
        let state = Generation::read(&client, name)?;
        Ok(OsEngine {
            client,
            name: name.to_string(),
            aliases,
            state: ArcSwap::from_pointee(state),
            dfs: Mutex::new(FxHashMap::default()),
        })
    }

    /// HTTP requests sent to the cluster so far.
    pub fn requests(&self) -> usize {
        self.client.requests()
    }

    /// The alias searched.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The physical index behind the alias, as last read.
    pub fn generation(&self) -> String {
        self.state.load().index.clone()
    }

    /// Articles in the generation, as last counted.
    pub fn num_docs(&self) -> u64 {
        self.state.load().num_docs
    }

    /// Reads the generation again when the alias moved or its article count changed (a new
    /// load, an add or a delete); true when it did.
    pub fn reload_if_changed(&self) -> Result<bool> {
        let now = self.state.load_full();
        let targets = alias_targets(&self.client, &self.name)?;
        let moved = targets.as_slice() != [now.index.clone()];
        if !moved {
            let count = self
                .client
                .ok("GET", &format!("/{}/_count", now.index), None)?;
            if count["count"].as_u64() == Some(now.num_docs) {
                return Ok(false);
            }
        }
        let next = Generation::read(&self.client, &self.name)?;
        if let Ok(mut dfs) = self.dfs.lock() {
            dfs.clear();
        }
        self.state.store(Arc::new(next));
        Ok(true)
    }

    /// Polls the alias from a background thread (see [`OsEngine::reload_if_changed`]). The
    /// thread ends when the engine is dropped.
    pub fn watch(self: &Arc<Self>, every: std::time::Duration) {
        let weak = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("kazsearch-os-reload".into())
            .spawn(move || loop {
                std::thread::sleep(every);
                let Some(engine) = weak.upgrade() else { return };
                match engine.reload_if_changed() {
                    Ok(true) => tracing::info!(
                        generation = %engine.generation(),
                        docs = engine.num_docs(),
                        "serving a new state of the cluster's index"
                    ),
                    Ok(false) => {}
                    Err(e) => tracing::warn!("kept the cluster's index as it was: {e}"),
                }
            })
            .ok();
    }

    fn tiers(&self) -> Tiers<'_, OsEngine> {
        Tiers {
            b: self,
            aliases: &self.aliases,
        }
    }

    /// Runs a search.
    pub fn search(&self, p: &SearchParams) -> Result<SearchResponse> {
        let started = Instant::now();
        let ranked = self.tiers().ranked(p)?;
        let hits = self.hits(&ranked)?;
        Ok(response(ranked, hits, p, started))
    }

    /// The ids of a search's page, in order (the search path without highlighting).
    pub fn rank_ids(&self, p: &SearchParams) -> Result<Vec<String>> {
        let ranked = self.tiers().ranked(p)?;
        Ok(ranked.page.into_iter().map(|h| h.addr).collect())
    }

    /// The stored article `id`; with `q`, its matched words marked throughout.
    pub fn doc(&self, id: &str, q: Option<&str>) -> Result<DocResponse> {
        let r = self.client.send(
            "GET",
            &format!("/{}/_doc/{}", self.name, urlencode(id)),
            None,
            false,
        )?;
        if r.status == 404 || r.body["found"].as_bool() == Some(false) {
            return Err(Error::NotFound(id.to_string()));
        }
        let body = r.into_ok("GET", "/_doc")?;
        let src = &body["_source"];
        let lang = src["lang"]
            .as_str()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::Kk);
        let stored = stored_of(src, id);
        let positions = match q.filter(|q| !q.trim().is_empty()) {
            Some(q) => {
                let parsed = crate::search::query::parse(q)?;
                let words: Vec<String> = parsed.units().flat_map(|u| u.words.clone()).collect();
                self.fetch_dfs(df_pairs(&words))?;
                let terms = doc_terms(self, &self.aliases, q)?;
                let terms = &terms[lang.index()];
                Some((
                    highlight::analysed_positions(&stored.title, lang, terms),
                    highlight::analysed_positions(&stored.body, lang, terms),
                ))
            }
            None => None,
        };
        Ok(stored.into_doc(lang, positions.as_ref().map(|(t, b)| (t, b))))
    }

    /// Runs searches in one `_msearch` round trip (`dfs`: with term statistics over all
    /// shards); each answer checked as one `_search`'s would be.
    fn msearch(&self, bodies: &[Value], dfs: bool) -> Result<Vec<Value>> {
        let header = if dfs {
            json!({"search_type": "dfs_query_then_fetch"})
        } else {
            json!({})
        };
        let mut lines = String::new();
        for b in bodies {
            lines.push_str(&header.to_string());
            lines.push('\n');
            lines.push_str(&b.to_string());
            lines.push('\n');
        }
        let path = self.path("_msearch");
        let r = self
            .client
            .send("POST", &path, Some(&lines), true)?
            .into_ok("POST", &path)?;
        let responses = r["responses"].as_array().cloned().unwrap_or_default();
        if responses.len() != bodies.len() {
            return Err(Error::OpenSearch(format!(
                "{path}: {} answers to {} searches",
                responses.len(),
                bodies.len()
            )));
        }
        for resp in &responses {
            if resp.get("error").is_some() {
                return Err(Error::OpenSearch(format!(
                    "{path}: {}",
                    super::client::reason(resp)
                )));
            }
            whole(resp, &path)?;
        }
        Ok(responses)
    }

    fn path(&self, endpoint: &str) -> String {
        // Through the alias: a load that switches it (and drops the old index) mid-search
        // leaves nothing to miss.
        format!("/{}/{endpoint}", self.name)
    }

    /// Fetches the document frequencies of `pairs` not yet cached, in one request.
    fn fetch_dfs(&self, pairs: Vec<(FieldRef, String)>) -> Result<()> {
        let missing: Vec<(FieldRef, String)> = {
            let cache = self.dfs.lock().map_err(|_| poisoned())?;
            let mut seen = BTreeSet::new();
            pairs
                .into_iter()
                .filter(|k| !cache.contains_key(k) && seen.insert(k.clone()))
                .collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        let mut filters = serde_json::Map::new();
        for (i, (f, t)) in missing.iter().enumerate() {
            filters.insert(
                i.to_string(),
                compile(&Node::Term {
                    field: *f,
                    term: t.clone(),
                    boost: 1.0,
                }),
            );
        }
        let body = json!({
            "size": 0,
            "track_total_hits": false,
            "aggs": {"df": {"filters": {"filters": filters}}}
        });
        let r = self.client.ok("POST", &self.path("_search"), Some(&body))?;
        whole(&r, "_search (document frequencies)")?;
        let buckets = &r["aggregations"]["df"]["buckets"];
        let mut cache = self.dfs.lock().map_err(|_| poisoned())?;
        if cache.len() + missing.len() > MAX_CACHED_DFS {
            cache.clear();
        }
        for (i, k) in missing.into_iter().enumerate() {
            let n = buckets[i.to_string()]["doc_count"].as_u64().unwrap_or(0);
            cache.insert(k, n);
        }
        Ok(())
    }

    /// The page's hits: stored text from `_mget`, marks by re-analysis, and what the
    /// relaxed ones lack.
    fn hits(&self, ranked: &Ranked<String>) -> Result<Vec<Hit>> {
        if ranked.page.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = ranked.page.iter().map(|h| h.addr.as_str()).collect();
        let relaxed: Vec<&str> = ranked
            .page
            .iter()
            .filter(|h| h.tier == Tier::Relaxed)
            .map(|h| h.addr.as_str())
            .collect();
        // The page's stored text and what its relaxed hits lack: one round trip.
        let mut bodies = vec![json!({
            "query": {"ids": {"values": ids}},
            "size": ids.len(),
            "_source": ["id", "title", "body", "date_text", "source", "url"]
        })];
        let lacks = missing_body(&ranked.clauses, &relaxed);
        bodies.extend(lacks.clone());
        let mut responses = self.msearch(&bodies, false)?.into_iter();
        let page = responses.next().unwrap_or_default();
        let mut missing = match (lacks, responses.next()) {
            (Some(_), Some(r)) => missing_of(&ranked.clauses, &relaxed, &r),
            _ => FxHashMap::default(),
        };
        let mut sources: FxHashMap<String, Value> = FxHashMap::default();
        for hit in page["hits"]["hits"].as_array().into_iter().flatten() {
            if let Some(id) = hit["_id"].as_str() {
                sources.insert(id.to_string(), hit["_source"].clone());
            }
        }
        let mut out = Vec::with_capacity(ranked.page.len());
        for h in &ranked.page {
            let stored = stored_of(sources.get(&h.addr).unwrap_or(&Value::Null), &h.addr);
            let terms = &ranked.terms[h.lang.index()];
            let title_pos = highlight::analysed_positions(&stored.title, h.lang, terms);
            let body_pos = highlight::analysed_positions(&stored.body, h.lang, terms);
            let missing = missing.remove(&h.addr).unwrap_or_default();
            out.push(stored.into_hit(h, &title_pos, &body_pos, missing));
        }
        Ok(out)
    }
}

/// An article's stored fields from its `_source` (`id` when the source lacks one).
fn stored_of(src: &Value, id: &str) -> Stored {
    let text = |k: &str| src[k].as_str().map(str::to_string);
    Stored {
        id: text("id").unwrap_or_else(|| id.to_string()),
        title: text("title").unwrap_or_default(),
        body: text("body").unwrap_or_default(),
        date: text("date_text"),
        source: text("source"),
        url: text("url"),
    }
}

/// The search that says which clauses the relaxed hits `ids` match: the ids, with each clause
/// a named query (None when there is nothing to ask).
fn missing_body(clauses: &[(String, Node)], ids: &[&str]) -> Option<Value> {
    if ids.is_empty() || clauses.is_empty() {
        return None;
    }
    let should: Vec<Value> = clauses
        .iter()
        .enumerate()
        .map(|(i, (_, node))| json!({"bool": {"must": [compile(node)], "_name": i.to_string()}}))
        .collect();
    Some(json!({
        "size": ids.len(),
        "_source": false,
        "query": {"bool": {"filter": [{"ids": {"values": ids}}], "should": should}}
    }))
}

/// For each of `ids`, the display forms of the clauses it does not match, in query order,
/// from the answer to [`missing_body`]'s search.
fn missing_of(
    clauses: &[(String, Node)],
    ids: &[&str],
    r: &Value,
) -> FxHashMap<String, Vec<String>> {
    let mut out = FxHashMap::default();
    {
        for id in ids {
            out.insert(
                id.to_string(),
                clauses.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(),
            );
        }
        for hit in r["hits"]["hits"].as_array().into_iter().flatten() {
            let Some(id) = hit["_id"].as_str() else {
                continue;
            };
            let matched: BTreeSet<usize> = hit["matched_queries"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str()?.parse().ok())
                .collect();
            let lacks = clauses
                .iter()
                .enumerate()
                .filter(|(i, _)| !matched.contains(i))
                .map(|(_, (t, _))| t.clone())
                .collect();
            out.insert(id.to_string(), lacks);
        }
    }
    out
}

/// `s` percent-encoded for a URL path segment (all but unreserved ASCII).
fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An error when some shards did not answer: partial counts and hits would be wrong, not
/// merely fewer (a node going down before the cluster has noticed).
fn whole(r: &Value, what: &str) -> Result<()> {
    let failed = r["_shards"]["failed"].as_u64().unwrap_or(0);
    if failed > 0 {
        return Err(Error::OpenSearch(format!(
            "{what}: {failed} of {} shards failed",
            r["_shards"]["total"].as_u64().unwrap_or(0)
        )));
    }
    Ok(())
}

fn poisoned() -> Error {
    Error::OpenSearch("the document-frequency cache was poisoned by a panic".into())
}

impl crate::search::SearchApi for OsEngine {
    fn search(&self, p: &SearchParams) -> Result<SearchResponse> {
        OsEngine::search(self, p)
    }

    fn rank_ids(&self, p: &SearchParams) -> Result<Vec<String>> {
        OsEngine::rank_ids(self, p)
    }

    fn num_docs(&self) -> u64 {
        self.num_docs()
    }
}

impl Stats for OsEngine {
    fn num_docs(&self) -> u64 {
        self.num_docs()
    }

    fn doc_freq(&self, field: FieldRef, term: &str) -> u64 {
        let key = (field, term.to_string());
        if let Some(n) = self.dfs.lock().ok().and_then(|c| c.get(&key).copied()) {
            return n;
        }
        tracing::debug!(?field, term, "document frequency not prefetched");
        if let Err(e) = self.fetch_dfs(vec![key.clone()]) {
            tracing::warn!("document frequency of {term:?}: {e}");
            return 0;
        }
        self.dfs
            .lock()
            .ok()
            .and_then(|c| c.get(&key).copied())
            .unwrap_or(0)
    }

    fn walk_terms<A>(&self, lang: Lang, automaton: &A, take: &mut dyn FnMut(&str, u32) -> bool)
    where
        A: Automaton,
        A::State: Clone,
    {
        let state = self.state.load();
        let mut stream = state.lexicon[lang.index()].search(automaton).into_stream();
        while let Some((k, v)) = stream.next() {
            if let Ok(t) = std::str::from_utf8(k) {
                if !take(t, u32::try_from(v).unwrap_or(u32::MAX)) {
                    return;
                }
            }
        }
    }
}

/// The `(field, term)` pairs the planner may ask about for `words`: every view of each word
/// in every language's title and body, the word as written (folded), and a Latin word's
/// transcription in the Cyrillic fields.
pub fn df_pairs(words: &[String]) -> Vec<(FieldRef, String)> {
    let mut out = Vec::new();
    let mut qterms = Vec::new();
    let mut folded = String::new();
    for w in words {
        fold(w, &mut folded);
        // A Latin word's transcriptions, which the planner searches in Cyrillic fields.
        let transcribed = transcription_terms(w);
        for lang in Lang::ALL {
            query_terms(w, lang, &mut qterms);
            for f in [FieldRef::title(lang), FieldRef::body(lang)] {
                out.push((f, folded.clone()));
                for (_, t) in &qterms {
                    out.push((f, t.clone()));
                }
                if lang != Lang::En {
                    out.extend(transcribed[lang.index()].iter().map(|t| (f, t.clone())));
                }
            }
        }
    }
    out
}

/// The `_search` body of one tier.
pub fn tier_body(query: &Node, lang: Option<Lang>, sort: Sort, top: usize, skip: &[Node]) -> Value {
    let mut q = compile(query);
    if !skip.is_empty() {
        q = json!({"bool": {"must": [q], "must_not": skip.iter().map(compile).collect::<Vec<_>>()}});
    }
    let mut body = json!({
        "query": q,
        "size": top.max(1),
        "track_total_hits": true,
        "_source": ["lang"],
        "aggs": {"lang": {"terms": {"field": "lang", "size": 3}}}
    });
    if let Some(l) = lang {
        body["post_filter"] = json!({"term": {"lang": l.code()}});
    }
    match sort {
        Sort::Date => body["sort"] = json!([{"date": {"order": "desc", "missing": "_last"}}]),
        // Each language's best match, for the first-page rule (`Run::best`).
        Sort::Relevance => {
            body["aggs"]["lang"]["aggs"] =
                json!({"best": {"top_hits": {"size": 1, "_source": ["lang"]}}})
        }
    }
    body
}

impl Backend for OsEngine {
    type Addr = String;
    type Matched = Node;

    fn execute(
        &self,
        plan: Plan,
        lang: Option<Lang>,
        sort: Sort,
        top: usize,
        skip: &[Node],
    ) -> Result<Run<Self>> {
        let body = tier_body(&plan.query, lang, sort, top, skip);
        // Term statistics over both shards, as one index has them.
        let path = self.path("_search?search_type=dfs_query_then_fetch");
        let r = self.client.ok("POST", &path, Some(&body))?;
        whole(&r, &path)?;
        Ok(run_of(&r, plan, sort))
    }

    fn matched_before(&self, plan: &Plan) -> Option<Node> {
        Some(plan.query.clone())
    }

    fn execute_all(
        &self,
        jobs: Vec<(Plan, Option<Lang>, Sort, usize, Vec<Node>)>,
    ) -> Result<Vec<Run<Self>>> {
        let bodies: Vec<Value> = jobs
            .iter()
            .map(|(plan, lang, sort, top, skip)| tier_body(&plan.query, *lang, *sort, *top, skip))
            .collect();
        let responses = self.msearch(&bodies, true)?;
        Ok(jobs
            .into_iter()
            .zip(responses)
            .map(|((plan, _, sort, ..), r)| run_of(&r, plan, sort))
            .collect())
    }

    fn prepare(&self, words: &[String]) -> Result<()> {
        self.fetch_dfs(df_pairs(words))
    }
}

/// The run a tier's search response describes.
fn run_of(r: &Value, plan: Plan, sort: Sort) -> Run<OsEngine> {
    {
        let mut hits = Vec::new();
        for h in r["hits"]["hits"].as_array().into_iter().flatten() {
            let (Some(id), Some(l)) = (
                h["_id"].as_str(),
                h["_source"]["lang"].as_str().and_then(Lang::from_code),
            ) else {
                continue;
            };
            let score = match sort {
                Sort::Relevance => h["_score"].as_f64().unwrap_or(0.0) as f32 * BM25_SCALE,
                Sort::Date => 0.0,
            };
            hits.push((score, id.to_string(), l));
        }
        let total = r["hits"]["total"]["value"].as_u64().unwrap_or(0);
        let mut facets = [0u64; 3];
        let mut best: [Option<(f32, String)>; 3] = Default::default();
        for b in r["aggregations"]["lang"]["buckets"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let Some(l) = b["key"].as_str().and_then(Lang::from_code) {
                facets[l.index()] = b["doc_count"].as_u64().unwrap_or(0);
                let top = &b["best"]["hits"]["hits"][0];
                if let (Some(id), Some(score)) = (top["_id"].as_str(), top["_score"].as_f64()) {
                    best[l.index()] = Some((score as f32 * BM25_SCALE, id.to_string()));
                }
            }
        }
        Run {
            hits,
            total,
            facets,
            terms: plan.terms,
            matched: vec![plan.query],
            clauses: plan.clauses,
            best,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::plan::Occur;

    #[test]
    fn golden_tier_bodies() {
        let q = Node::Term {
            field: FieldRef::body(Lang::Kk),
            term: "tokaev".into(),
            boost: 1.0,
        };
        let earlier = Node::bool(vec![(Occur::Must, q.clone())]);
        let cases = [
            (
                tier_body(&q, None, Sort::Relevance, 10, &[]),
                r#"{"_source":["lang"],"aggs":{"lang":{"aggs":{"best":{"top_hits":{"_source":["lang"],"size":1}}},"terms":{"field":"lang","size":3}}},"query":{"term":{"body_kk":{"boost":1.0,"value":"tokaev"}}},"size":10,"track_total_hits":true}"#,
            ),
            (
                tier_body(&q, Some(Lang::Ru), Sort::Date, 0, &[earlier]),
                r#"{"_source":["lang"],"aggs":{"lang":{"terms":{"field":"lang","size":3}}},"post_filter":{"term":{"lang":"ru"}},"query":{"bool":{"must":[{"term":{"body_kk":{"boost":1.0,"value":"tokaev"}}}],"must_not":[{"bool":{"must":[{"term":{"body_kk":{"boost":1.0,"value":"tokaev"}}}]}}]}},"size":1,"sort":[{"date":{"missing":"_last","order":"desc"}}],"track_total_hits":true}"#,
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got.to_string(), want);
        }
    }

    #[test]
    fn df_pairs_cover_every_field() {
        let pairs = df_pairs(&["Астана".to_string()]);
        for lang in Lang::ALL {
            for f in [FieldRef::title(lang), FieldRef::body(lang)] {
                assert!(pairs.iter().any(|(g, t)| *g == f && t == "астана"));
            }
        }
        assert!(pairs.iter().any(|(_, t)| t == "astana"));
        // A Latin name's transcription, in Cyrillic fields only (Paul = Пол).
        let pairs = df_pairs(&["Paul".to_string()]);
        assert!(pairs.contains(&(FieldRef::body(Lang::Ru), "pol".to_string())));
        assert!(!pairs.contains(&(FieldRef::body(Lang::En), "pol".to_string())));
    }
}
