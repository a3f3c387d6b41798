//! Search: the one code path behind `kazsearch search`, `kazsearch eval` and the HTTP API.
//!
//! [`Engine`] holds a snapshot of the live index and swaps in a new one when a rebuild switches
//! generations (`CURRENT`) or an `add`/`delete` commits inside the generation (`meta.json`);
//! the server polls both. Every request works on the snapshot it started with. A
//! search parses the query, expands aliases, and ranks in tiers, each an engine-neutral
//! [`plan::Plan`] (made by [`build`]) that a [`Backend`] runs, skipping what earlier tiers
//! matched: the embedded tantivy index ([`tantivy_exec`]) or an OpenSearch cluster
//! (`crate::opensearch::search`).
//!
//! 1. articles with every clause of the query (aliases below the names as typed);
//! 2. when those are few ([`FUZZY_FILL_BELOW`]): articles with every clause through a guess
//!    (near spellings, sound-alikes), marked `near`;
//! 3. when articles with every clause are fewer than [`RELAX_BELOW`]: articles with most of
//!    the query, each word weighing by its rarity, each hit saying what it lacks (`missing`).
//!
//! A query that finds almost nothing is also retried as typed on another keyboard layout. An
//! empty query with filters lists articles, newest first.

pub mod alias;
pub mod build;
pub mod collect;
pub mod coverage;
pub mod highlight;
pub mod missing;
pub mod plan;
pub mod query;
pub mod request;
pub mod tantivy_exec;

use std::collections::{BTreeSet, HashSet};
use std::ops::Bound;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, TantivyDocument, Term};

use crate::analysis::layout::{self, Layout};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::store::{Fields, IndexDir, Snapshot};
use alias::Aliases;
use build::{Alternative, ClauseAlts, Guesses, Mode, Plan};
use plan::{FieldRef, Node, Stats};
use query::ParsedQuery;
use request::{Correction, Facets};
pub use request::{DocResponse, Hit, RawParams, SearchParams, SearchResponse, Sort};
use tantivy_exec::{TantivyBackend, TantivyStats};

/// Characters of a snippet.
pub const SNIPPET_CHARS: usize = 240;
/// Matched words listed per hit, at most.
pub const MAX_MATCHED: usize = 12;
/// Near spellings (fuzzy keys) are added when fewer articles than this match exactly: a fixed
/// number, so that every page of one search reports the same total.
pub const FUZZY_FILL_BELOW: u64 = 50;
/// Articles with most of the query's words are added below those with all of them when
/// fewer than this many have them all: a fixed number, so that every page of one search
/// reports the same total.
pub const RELAX_BELOW: u64 = 50;
/// Queries of more clauses than this get no guessing tier (near spellings, sound-alikes).
pub const MAX_GUESS_CLAUSES: usize = 3;
/// The first page [`diversify`] arranges: the best direct match of every language that has
/// one is among the first this many hits of a search.
pub const DIVERSE_TOP: usize = 10;
/// A query with at most this many matches is retried on other keyboard layouts.
pub const LAYOUT_RETRY_MAX_HITS: u64 = 2;

/// What `search`, `eval` and the server ask of either engine.
pub trait SearchApi: Send + Sync {
    /// Runs a search.
    fn search(&self, p: &SearchParams) -> Result<SearchResponse>;
    /// The ids of a search's page, in order (the search path without highlighting).
    fn rank_ids(&self, p: &SearchParams) -> Result<Vec<String>>;
    /// Articles searched.
    fn num_docs(&self) -> u64;
}

impl SearchApi for Engine {
    fn search(&self, p: &SearchParams) -> Result<SearchResponse> {
        Engine::search(self, p)
    }

    fn rank_ids(&self, p: &SearchParams) -> Result<Vec<String>> {
        Engine::rank_ids(self, p)
    }

    fn num_docs(&self) -> u64 {
        Engine::num_docs(self)
    }
}

/// The search engine over an index directory.
pub struct Engine {
    dir: IndexDir,
    snapshot: ArcSwap<Snapshot>,
    aliases: Aliases,
    /// Snapshots swapped in since the engine opened (new commits and new generations).
    reloads: AtomicU64,
}

/// Which tier of results a hit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// Every clause of the query matched directly (exact, stem, key, alias).
    All,
    /// Every clause matched, some only through a guess (near spelling, sound-alike).
    Guessed,
    /// Some clauses are missing (relaxed matching).
    Relaxed,
}

/// One hit of a ranked search, before its document is loaded.
#[derive(Debug, Clone)]
pub(crate) struct Ranked1<A> {
    pub(crate) score: f32,
    pub(crate) addr: A,
    pub(crate) lang: Lang,
    pub(crate) tier: Tier,
}

/// A ranked search: the page's documents and how the query was understood.
pub(crate) struct Ranked<A> {
    pub(crate) query: String,
    pub(crate) total: u64,
    pub(crate) facets: [u64; 3],
    pub(crate) page: Vec<Ranked1<A>>,
    pub(crate) corrected: Option<Correction>,
    pub(crate) fuzzy: bool,
    pub(crate) relaxed: bool,
    /// Terms searched for in each language (for highlighting), all tiers together.
    pub(crate) terms: [BTreeSet<String>; 3],
    /// Each query clause's own query (direct views and aliases), and how it reads: whether a
    /// relaxed hit matches it says what the hit lacks.
    pub(crate) clauses: Vec<(String, Node)>,
}

/// An engine that runs plans: the embedded tantivy index, or an OpenSearch cluster.
pub trait Backend: Stats + Sized {
    /// How the engine addresses a hit.
    type Addr: Clone + PartialEq + std::fmt::Debug;
    /// What a run matched, for later tiers to skip.
    type Matched: Clone;

    /// Runs one plan: the top hits in the order asked for, the total and facets, and what it
    /// matched, skipping what the runs in `skip` matched.
    fn execute(
        &self,
        plan: Plan,
        lang: Option<Lang>,
        sort: Sort,
        top: usize,
        skip: &[Self::Matched],
    ) -> Result<Run<Self>>;

    /// Called with the words of a query before it is planned (aliases and exclusions
    /// included), so that an engine can fetch what [`Stats`] will be asked in one go.
    fn prepare(&self, _words: &[String]) -> Result<()> {
        Ok(())
    }

    /// What a run of `plan` will have matched, when an engine knows it before the run (one
    /// that skips by query); then later plans need not wait for it, and run in one batch.
    fn matched_before(&self, _plan: &Plan) -> Option<Self::Matched> {
        None
    }

    /// Runs plans together, in one round trip where the engine can; each as
    /// [`Backend::execute`] with its (lang, sort, top, skip).
    #[allow(clippy::type_complexity)]
    fn execute_all(
        &self,
        jobs: Vec<(Plan, Option<Lang>, Sort, usize, Vec<Self::Matched>)>,
    ) -> Result<Vec<Run<Self>>> {
        jobs.into_iter()
            .map(|(plan, lang, sort, top, skip)| self.execute(plan, lang, sort, top, &skip))
            .collect()
    }
}

/// The query read as typed on another keyboard layout, and its results.
struct Reading<B: Backend> {
    query: String,
    layout: Layout,
    parsed: ParsedQuery,
    run: Run<B>,
}

impl<B: Backend> Reading<B> {
    fn correction(&self, p: &SearchParams) -> Correction {
        Correction {
            from: p.q.clone(),
            to: self.query.clone(),
            reason: "keyboard_layout",
            layout: match self.layout {
                Layout::Russian => "ru",
                Layout::Kazakh => "kk",
                Layout::English => "en",
            },
        }
    }
}

/// The date filter of a search, as bounds in seconds since the epoch.
fn dates(p: &SearchParams) -> (Bound<i64>, Bound<i64>) {
    (
        p.from.map_or(Bound::Unbounded, Bound::Included),
        p.to.map_or(Bound::Unbounded, Bound::Included),
    )
}

/// The language filter: the `lang` parameter or `lang:` in the query (they must agree).
fn query_lang(p: &SearchParams, parsed: &ParsedQuery) -> Result<Option<Lang>> {
    match (p.lang, parsed.lang) {
        (Some(a), Some(b)) if a != b => Err(Error::bad_query(
            "lang",
            format!("lang={a} and lang:{b} in the query disagree"),
        )),
        (a, b) => Ok(a.or(b)),
    }
}

/// True when every word the query requires occurs, as written (folded), in some article.
fn occurs<S: Stats>(stats: &S, parsed: &ParsedQuery) -> Result<bool> {
    let mut folded = String::new();
    for unit in parsed.units() {
        for w in &unit.words {
            crate::analysis::fold::fold(w, &mut folded);
            let mut found = false;
            let fields = Lang::ALL
                .into_iter()
                .flat_map(|l| [FieldRef::title(l), FieldRef::body(l)]);
            for field in fields {
                if stats.doc_freq(field, &folded) > 0 {
                    found = true;
                    break;
                }
            }
            if !found {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Results of one run of a query, before documents are loaded.
pub struct Run<B: Backend> {
    /// The top hits: score, address, language.
    pub hits: Vec<(f32, B::Addr, Lang)>,
    /// Articles matched, after the language filter.
    pub total: u64,
    /// Articles matched per language ([`Lang::index`]), before the language filter.
    pub facets: [u64; 3],
    /// Terms searched for (see [`Plan::terms`]).
    pub terms: [BTreeSet<String>; 3],
    /// Every document the run matched (before the language filter).
    pub matched: Vec<B::Matched>,
    /// Each clause's own query (see [`Plan::clauses`]).
    pub clauses: Vec<Node>,
    /// The best match of each language (by [`Lang::index`]) by score, before the language
    /// filter (relevance runs; none for the date order).
    pub best: [Option<(f32, B::Addr)>; 3],
}

impl<B: Backend> Run<B> {
    fn found(&self) -> u64 {
        self.facets.iter().sum()
    }

    /// Adds a run that skipped this one's matches: its hits rank below.
    fn append(&mut self, other: Run<B>, top: usize) {
        self.hits.extend(other.hits);
        self.hits.truncate(top.max(1));
        self.total += other.total;
        for (a, b) in self.facets.iter_mut().zip(other.facets) {
            *a += b;
        }
        for (a, b) in self.terms.iter_mut().zip(other.terms) {
            a.extend(b);
        }
        self.matched.extend(other.matched);
        // The other run's hits rank below: its best counts where this run has none.
        for (a, b) in self.best.iter_mut().zip(other.best) {
            if a.is_none() {
                *a = b;
            }
        }
    }
}

/// The alternatives of each clause of a query: its units (OR) and their aliases.
fn clause_alts(aliases: &Aliases, parsed: &ParsedQuery) -> Vec<ClauseAlts> {
    parsed
        .clauses
        .iter()
        .map(|c| ClauseAlts {
            alts: c.any.iter().flat_map(|u| aliases.alternatives(u)).collect(),
            required: c.required,
        })
        .collect()
}

/// The clauses searched after those as typed: with one clause that has aliases, only its
/// aliases; with more, everything (as [`Tiers::run`] has it).
fn aliased_others(clauses: &[ClauseAlts], parsed: &ParsedQuery) -> Vec<ClauseAlts> {
    let with_aliases = clauses
        .iter()
        .zip(&parsed.clauses)
        .filter(|(c, q)| c.alts.len() > q.any.len())
        .count();
    if with_aliases == 1 {
        split_aliases(clauses, parsed, false)
    } else {
        clauses.to_vec()
    }
}

/// The clauses with only the units as typed (`typed`), or only their aliases where a clause
/// has some (`!typed`).
fn split_aliases(clauses: &[ClauseAlts], parsed: &ParsedQuery, typed: bool) -> Vec<ClauseAlts> {
    clauses
        .iter()
        .zip(&parsed.clauses)
        .map(|(c, q)| {
            let is_typed = |a: &Alternative| q.any.contains(&a.unit);
            let alts: Vec<Alternative> = if typed {
                c.alts.iter().filter(|a| is_typed(a)).cloned().collect()
            } else {
                let aliases: Vec<Alternative> =
                    c.alts.iter().filter(|a| !is_typed(a)).cloned().collect();
                if aliases.is_empty() {
                    c.alts.clone()
                } else {
                    aliases
                }
            };
            ClauseAlts {
                alts,
                required: c.required,
            }
        })
        .collect()
}

impl Engine {
    /// Opens the live generation of `dir`; fails when there is none.
    pub fn open(dir: IndexDir, aliases: Aliases) -> Result<Engine> {
        // A writer's merge can delete a segment file between our reading meta.json and
        // opening the file (readers take no lock: see store::readonly); a retry reads the
        // new meta.json.
        let mut attempt = 0;
        let snapshot = loop {
            match dir.open_current() {
                Err(e @ Error::Store { .. }) if attempt < 3 => {
                    tracing::debug!("retrying the opening of the index: {e}");
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => break other?,
            }
        };
        let snapshot = snapshot.ok_or_else(|| Error::BadIndexDir {
            path: dir.path().to_path_buf(),
            reason: "no index here yet: run `kazsearch index FILE.jsonl` first".into(),
        })?;
        Ok(Engine {
            dir,
            snapshot: ArcSwap::from_pointee(snapshot),
            aliases,
            reloads: AtomicU64::new(0),
        })
    }

    /// The snapshot in use now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// How many times a new commit or generation was swapped in.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Swaps in the live index if a rebuild switched generations or a commit (or merge)
    /// landed in this one; true when it did.
    pub fn reload_if_changed(&self) -> Result<bool> {
        let Some(current) = self.dir.current()? else {
            return Ok(false);
        };
        let snap = self.snapshot.load();
        let next = if current != snap.generation {
            Snapshot::open(&self.dir.path().join(&current), current)?
        } else if snap.changed_on_disk()? {
            snap.reopen(&self.dir)?
        } else {
            return Ok(false);
        };
        self.snapshot.store(Arc::new(next));
        self.reloads.fetch_add(1, Ordering::Relaxed);
        Ok(true)
    }

    /// Watches the directory from a background thread and swaps in each commit and each new
    /// generation. The thread ends when the engine is dropped.
    pub fn watch(self: &Arc<Self>, every: Duration) {
        let weak = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("kazsearch-reload".into())
            .spawn(move || {
                let mut failures = 0u32;
                loop {
                    std::thread::sleep(every);
                    let Some(engine) = weak.upgrade() else { return };
                    match engine.reload_if_changed() {
                        Ok(true) => {
                            failures = 0;
                            let snap = engine.snapshot();
                            tracing::info!(
                                generation = %snap.generation,
                                commit = snap.opstamp,
                                docs = snap.num_docs(),
                                "serving a new commit of the index"
                            );
                        }
                        Ok(false) => failures = 0,
                        // Once can be a merge racing the reload: retried at the next poll.
                        Err(e) if failures == 0 => {
                            failures += 1;
                            tracing::debug!("kept the old index for now: {e}");
                        }
                        Err(e) => {
                            failures += 1;
                            tracing::warn!("kept the old index: {e}");
                        }
                    }
                }
            })
            .ok();
    }

    /// Runs a search.
    pub fn search(&self, p: &SearchParams) -> Result<SearchResponse> {
        let started = Instant::now();
        let snap = self.snapshot();
        let searcher = snap.reader.searcher();
        let backend = TantivyBackend::new(&searcher, &snap);
        let ranked = self.tiers(&backend).ranked(p)?;
        let hits = self.hits(&searcher, &snap.fields, &ranked)?;
        Ok(response(ranked, hits, p, started))
    }

    /// The ids of a search's page, in order (the search path without highlighting).
    pub fn rank_ids(&self, p: &SearchParams) -> Result<Vec<String>> {
        let snap = self.snapshot();
        let searcher = snap.reader.searcher();
        let backend = TantivyBackend::new(&searcher, &snap);
        let ranked = self.tiers(&backend).ranked(p)?;
        let mut out = Vec::with_capacity(ranked.page.len());
        for h in &ranked.page {
            let doc: TantivyDocument = searcher.doc(h.addr)?;
            if let Some(id) = doc.get_first(snap.fields.id).and_then(|v| v.as_str()) {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }

    /// The aliases the engine expands queries with.
    pub fn aliases(&self) -> &Aliases {
        &self.aliases
    }

    fn tiers<'a>(&'a self, backend: &'a TantivyBackend<'a>) -> Tiers<'a, TantivyBackend<'a>> {
        Tiers {
            b: backend,
            aliases: &self.aliases,
        }
    }
}

/// A search response from a ranked search and its page's hits.
pub(crate) fn response<A>(
    ranked: Ranked<A>,
    hits: Vec<Hit>,
    p: &SearchParams,
    started: Instant,
) -> SearchResponse {
    let mut facets = Facets::default();
    for l in Lang::ALL {
        facets.lang.insert(l.code(), ranked.facets[l.index()]);
    }
    SearchResponse {
        query: ranked.query,
        total: ranked.total,
        took_ms: (started.elapsed().as_secs_f64() * 1e5).round() / 100.0,
        offset: p.offset,
        limit: p.limit,
        hits,
        facets,
        corrected: ranked.corrected,
        fuzzy: ranked.fuzzy,
        relaxed: ranked.relaxed,
        sort: p.sort,
    }
}

/// The tiers of a search over one engine: the planning and ranking both engines share.
pub(crate) struct Tiers<'a, B> {
    /// The engine.
    pub(crate) b: &'a B,
    /// The aliases queries expand with.
    pub(crate) aliases: &'a Aliases,
}

impl<B: Backend> Tiers<'_, B> {
    /// Lists the articles that pass the filters, newest first (a search with no query).
    fn browse(&self, p: &SearchParams) -> Result<Ranked<B::Addr>> {
        let plan = build::browse(dates(p));
        let run = self.execute(plan, p.lang, Sort::Date, p.offset + p.limit, &[])?;
        Ok(Ranked {
            query: String::new(),
            total: run.total,
            facets: run.facets,
            page: page_of(vec![(run.hits, Tier::All)], p),
            corrected: None,
            fuzzy: false,
            relaxed: false,
            terms: Default::default(),
            clauses: Vec::new(),
        })
    }

    /// The tiers of a search, in order: articles with every clause of the query (then, when
    /// they are few, with every clause through a guess), then, when those are fewer than
    /// [`RELAX_BELOW`], articles with most of the query. Each tier skips what an earlier one
    /// matched, so totals and facets count every article once, and every rule that adds a
    /// tier depends on counts of the whole search, never on the page asked for: every page of
    /// one search reports the same total.
    pub(crate) fn ranked(&self, p: &SearchParams) -> Result<Ranked<B::Addr>> {
        if p.is_browse() {
            return self.browse(p);
        }
        // At least the first page, which diversify arranges, whatever page is asked for.
        let need = (p.offset + p.limit).max(DIVERSE_TOP);
        let mut shown_query = p.q.clone();
        let mut corrected = None;
        // A query that does not parse, finds almost nothing, or whose words occur nowhere as
        // typed may have been typed with the keyboard on the wrong layout: try its readings.
        let (mut parsed, mut run) = match query::parse(&p.q) {
            Ok(parsed) => {
                let parsed = self.aliases.join_name(&parsed).unwrap_or(parsed);
                let lang = query_lang(p, &parsed)?;
                self.prepare(&parsed)?;
                let run = self.run(&parsed, lang, p, Guesses::NONE, need, &[])?;
                (parsed, run)
            }
            Err(e) => match self.best_layout(p, need, None)? {
                Some(best) => {
                    corrected = Some(best.correction(p));
                    shown_query = best.query;
                    (best.parsed, best.run)
                }
                None => return Err(e),
            },
        };
        if corrected.is_none() {
            let found = run.found();
            let occurs = occurs(self.b, &parsed)?;
            if found <= LAYOUT_RETRY_MAX_HITS || !occurs {
                // A query that finds articles as typed (through its key, where its letters
                // occur nowhere as written: Aqtobe finds Ақтөбе and Aktobe) keeps them unless a
                // reading finds far more (Фйещиу, Aqtobe on the Russian layout, found 103
                // English articles with "few" instead of 85 about Aqtobe).
                let at_least = (occurs || found > LAYOUT_RETRY_MAX_HITS).then_some(found * 3 + 1);
                if let Some(best) = self.best_layout(p, need, at_least)? {
                    corrected = Some(best.correction(p));
                    shown_query = best.query;
                    parsed = best.parsed;
                    run = best.run;
                }
            }
        }
        let lang = query_lang(p, &parsed)?;
        let mut tiers = Vec::new();
        // Guesses fill in below every direct match when few articles match: near spellings,
        // and sound-alike transcriptions of Latin names. The rule looks at the whole search's
        // count only, never at the page asked for.
        let found = run.found();
        // Guesses are for names, which are short: a longer query is a sentence or a question,
        // and relaxed matching answers it instead.
        let short = parsed.clauses.len() <= MAX_GUESS_CLAUSES;
        // Sound-alikes are also asked per language: Russian or Kazakh articles with no direct
        // match of a Latin name spell it some other way, and get its transcription guesses
        // even where English articles have many (Charles: 50+ English articles, Чарльз in
        // none of them). Not where they have some: there the name's spelling is known, and
        // the extra search would cost every such query. (issue 11, item 6)
        let sounds = short && parsed.units().any(build::sounds_like);
        let few = found < FUZZY_FILL_BELOW;
        // Near spellings in English articles only where the words as typed find none: where
        // they find some, the spelling is known there, and an English word one edit away is
        // another word (Sharon: warn, Dustin: destin, Bruce: brush, Kennan: Kenyan).
        let guesses = Guesses {
            near: Lang::ALL.map(|l| short && few && (l != Lang::En || run.facets[l.index()] == 0)),
            sound: Lang::ALL
                .map(|l| l != Lang::En && sounds && (few || run.facets[l.index()] == 0)),
        };
        let mut fuzzy = false;
        let mut all = run;
        let mut direct_hits = std::mem::take(&mut all.hits);
        // Every language on the first page, when the search ranks by relevance over all of
        // them (a language filter or the date order has its own).
        if p.sort == Sort::Relevance && lang.is_none() {
            let promote = missing_langs(&direct_hits, &all.facets)
                .into_iter()
                .filter_map(|l| {
                    let (score, addr) = all.best[l.index()].clone()?;
                    Some((score, addr, l))
                })
                .collect();
            diversify(&mut direct_hits, promote);
        }
        tiers.push((direct_hits, Tier::All));
        if guesses != Guesses::NONE {
            let skip = all.matched.clone();
            let mut guessed = self.run(&parsed, lang, p, guesses, need, &skip)?;
            if guessed.found() > 0 {
                fuzzy = true;
                tiers.push((std::mem::take(&mut guessed.hits), Tier::Guessed));
                all.append(guessed, need);
            }
        }
        // Relaxed matching: fewer than a fixed number of articles have every clause.
        let mut relaxed = false;
        let relaxable = parsed.clauses.len() > 1 && parsed.clauses.iter().any(|c| !c.required);
        if relaxable && all.total < RELAX_BELOW {
            let clauses = clause_alts(self.aliases, &parsed);
            // Of three keywords, articles with two come first, then the rest: a reader's
            // keywords mostly meet two by two. Longer queries (sentences) rarely meet even
            // that far, and questions (ending with "?") are about their subject, which the
            // passages that answer them name without the question words ("Финка дегеніміз
            // не?", what is a finka: a passage on finkas seldom says "дегеніміз" or "не");
            // both are ranked in one tier, by coverage and BM25. On the KazQAD dev questions,
            // the two-of-three tier cost the 20 three-word questions 0.013 nDCG@10 overall.
            let optional = clauses.iter().filter(|c| !c.required).count();
            let modes: &[Mode] = if optional == 3 && !parsed.question {
                &[Mode::AtLeast(optional - 1), Mode::Relaxed]
            } else {
                &[Mode::Relaxed]
            };
            for &mode in modes {
                let skip = all.matched.clone();
                let plan = build::build(
                    self.b,
                    &clauses,
                    &parsed.must_not,
                    dates(p),
                    Guesses::NONE,
                    mode,
                );
                let mut more = self.execute(plan, lang, p.sort, need, &skip)?;
                if more.total > 0 {
                    relaxed = true;
                }
                tiers.push((std::mem::take(&mut more.hits), Tier::Relaxed));
                all.clauses = std::mem::take(&mut more.clauses);
                all.append(more, need);
            }
        }
        let clauses = if relaxed {
            parsed
                .clauses
                .iter()
                .map(query::Clause::display)
                .zip(std::mem::take(&mut all.clauses))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Ranked {
            query: shown_query,
            total: all.total,
            facets: all.facets,
            page: page_of(tiers, p),
            corrected,
            fuzzy,
            relaxed,
            terms: all.terms,
            clauses,
        })
    }

    /// Runs a query with every clause required. Aliases rank below the names as typed,
    /// strictly: the articles that have the name come first, then those found only under
    /// another name (Ақмола the region before Astana, once Akmola). The second query skips
    /// what the first matched; when one clause has aliases it only needs them.
    fn run(
        &self,
        parsed: &ParsedQuery,
        lang: Option<Lang>,
        p: &SearchParams,
        guesses: Guesses,
        top: usize,
        skip: &[B::Matched],
    ) -> Result<Run<B>> {
        let clauses = clause_alts(self.aliases, parsed);
        let plan = |clauses: &[ClauseAlts]| {
            let mut plan = build::build(
                self.b,
                clauses,
                &parsed.must_not,
                dates(p),
                guesses,
                Mode::All,
            );
            // Guesses (near spellings, sound-alikes) for some languages only: in the others the
            // plan can only find direct matches, which an earlier run has (and `skip` holds),
            // so it reads only the guessing languages' fields (Kishiniev: the 42,890 Russian
            // articles of Кишинев were read again for 20 Kazakh guesses).
            let guessing = Lang::ALL.map(|l| guesses.near[l.index()] || guesses.sound[l.index()]);
            if guesses != Guesses::NONE && guessing != [true; 3] {
                plan.query = plan
                    .query
                    .within_langs(guessing)
                    .unwrap_or_else(Node::nothing);
            }
            plan
        };
        let units: usize = parsed.clauses.iter().map(|c| c.any.len()).sum();
        let alts: usize = clauses.iter().map(|c| c.alts.len()).sum();
        if alts == units {
            return self.execute(plan(&clauses), lang, p.sort, top, skip);
        }
        let typed = split_aliases(&clauses, parsed, true);
        let typed_plan = plan(&typed);
        // An engine that skips by query runs both at once (one round trip).
        if let Some(m) = self.b.matched_before(&typed_plan) {
            let others = aliased_others(&clauses, parsed);
            let mut skip2 = skip.to_vec();
            skip2.push(m);
            let mut runs = self.b.execute_all(vec![
                (typed_plan, lang, p.sort, top, skip.to_vec()),
                (plan(&others), lang, p.sort, top, skip2),
            ])?;
            let rest = runs.pop();
            let (Some(mut direct), Some(rest)) = (runs.pop(), rest) else {
                return Err(Error::OpenSearch("a batch of two searches lost one".into()));
            };
            direct.append(rest, top);
            return Ok(direct);
        }
        let mut direct = self.execute(typed_plan, lang, p.sort, top, skip)?;
        let others = aliased_others(&clauses, parsed);
        let mut skip2 = skip.to_vec();
        skip2.extend(direct.matched.iter().cloned());
        let rest = self.execute(plan(&others), lang, p.sort, top, &skip2)?;
        direct.append(rest, top);
        Ok(direct)
    }

    /// Runs one plan (see [`Backend::execute`]).
    fn execute(
        &self,
        plan: Plan,
        lang: Option<Lang>,
        sort: Sort,
        top: usize,
        skip: &[B::Matched],
    ) -> Result<Run<B>> {
        self.b.execute(plan, lang, sort, top, skip)
    }

    /// Hands the engine the words a query will be planned with (its units, their aliases,
    /// its exclusions).
    fn prepare(&self, parsed: &ParsedQuery) -> Result<()> {
        let mut words: Vec<String> = Vec::new();
        for c in clause_alts(self.aliases, parsed) {
            for a in c.alts {
                words.extend(a.unit.words);
            }
        }
        for u in &parsed.must_not {
            words.extend(u.words.iter().cloned());
        }
        self.b.prepare(&words)
    }

    /// Tries the query as typed on other keyboard layouts. A reading qualifies when it finds
    /// something (at least `at_least` articles when given); the one that finds most wins.
    fn best_layout(
        &self,
        p: &SearchParams,
        need: usize,
        at_least: Option<u64>,
    ) -> Result<Option<Reading<B>>> {
        let mut best: Option<Reading<B>> = None;
        for (layout, candidate) in layout::candidates(&p.q) {
            let Ok(parsed) = query::parse(&candidate) else {
                continue;
            };
            let Ok(lang) = query_lang(p, &parsed) else {
                continue;
            };
            self.prepare(&parsed)?;
            let run = self.run(&parsed, lang, p, Guesses::NONE, need, &[])?;
            let n = run.found();
            let better = best.as_ref().is_none_or(|b| n > b.run.found());
            if n > 0 && n >= at_least.unwrap_or(0) && better {
                best = Some(Reading {
                    query: candidate,
                    layout,
                    parsed,
                    run,
                });
            }
        }
        Ok(best)
    }
}

impl Engine {
    fn hits(
        &self,
        searcher: &tantivy::Searcher,
        fields: &Fields,
        ranked: &Ranked<DocAddress>,
    ) -> Result<Vec<Hit>> {
        let addrs: Vec<(DocAddress, Lang)> = ranked.page.iter().map(|h| (h.addr, h.lang)).collect();
        let matches = highlight::matches(searcher, fields, &ranked.terms, &addrs)?;
        let relaxed: Vec<DocAddress> = ranked
            .page
            .iter()
            .filter(|h| h.tier == Tier::Relaxed)
            .map(|h| h.addr)
            .collect();
        let clauses: Vec<_> = ranked
            .clauses
            .iter()
            .map(|(text, node)| (text.clone(), tantivy_exec::compile(fields, node)))
            .collect();
        let mut missing = missing::missing(searcher, &clauses, &relaxed)?;
        let mut out = Vec::with_capacity(ranked.page.len());
        for (h, m) in ranked.page.iter().zip(matches) {
            let doc: TantivyDocument = searcher.doc(h.addr)?;
            let stored = Stored::read(&doc, fields, h.lang);
            let missing = missing.remove(&h.addr).unwrap_or_default();
            out.push(stored.into_hit(h, &m.title, &m.body, missing));
        }
        Ok(out)
    }

    /// The stored article `id`; with `q`, its matched words marked throughout.
    pub fn doc(&self, id: &str, q: Option<&str>) -> Result<DocResponse> {
        let snap = self.snapshot();
        let searcher = snap.reader.searcher();
        let fields = &snap.fields;
        let query = TermQuery::new(
            Term::from_field_text(fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some(&(_, addr)) = top.first() else {
            return Err(Error::NotFound(id.to_string()));
        };
        let lang = lang_of(&snap.langs, addr);
        let doc: TantivyDocument = searcher.doc(addr)?;
        let stored = Stored::read(&doc, fields, lang);
        let m = match q.filter(|q| !q.trim().is_empty()) {
            Some(q) => {
                let stats = TantivyStats {
                    searcher: &searcher,
                    fields,
                };
                let terms = doc_terms(&stats, &self.aliases, q)?;
                let m = highlight::matches(&searcher, fields, &terms, &[(addr, lang)])?.pop();
                Some(m.unwrap_or_default())
            }
            None => None,
        };
        Ok(stored.into_doc(lang, m.as_ref().map(|m| (&m.title, &m.body))))
    }

    /// Number of articles in the live generation.
    pub fn num_docs(&self) -> u64 {
        self.snapshot().num_docs()
    }
}

/// The first sentence of a titleless article, to show in its title's place ("" when it has
/// a title).
pub(crate) fn lead_html(stored: &Stored, body_spans: &[(usize, usize)]) -> String {
    if stored.title.trim().is_empty() {
        highlight::lead(&stored.body, body_spans, highlight::LEAD_CHARS)
    } else {
        String::new()
    }
}

/// The language of a hit, from the generation's open `lang` columns.
fn lang_of(columns: &[Column<u64>], addr: DocAddress) -> Lang {
    let v = columns
        .get(addr.segment_ord as usize)
        .and_then(|c| c.first(addr.doc_id))
        .unwrap_or(0);
    Lang::ALL.get(v as usize).copied().unwrap_or(Lang::Kk)
}

/// The stored fields of an article.
pub(crate) struct Stored {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) date: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) url: Option<String>,
}

impl Stored {
    /// The page's hit for this article: its title and snippet marked at the matched word
    /// positions of each field, and what it lacks. Both engines build their hits here.
    pub(crate) fn into_hit<A>(
        self,
        h: &Ranked1<A>,
        title_pos: &BTreeSet<u32>,
        body_pos: &BTreeSet<u32>,
        missing: Vec<String>,
    ) -> Hit {
        let title_spans = highlight::spans(&self.title, title_pos);
        let body_spans = highlight::snippet_spans(&self.body, body_pos);
        Hit {
            title_html: highlight::mark_all(&self.title, &title_spans),
            snippet: highlight::snippet(&self.body, &body_spans, SNIPPET_CHARS),
            lead_html: lead_html(&self, &body_spans),
            matched: matched_words(&self, &title_spans, &body_spans),
            id: self.id,
            title: self.title,
            lang: h.lang,
            date: self.date,
            source: self.source,
            url: self.url,
            score: h.score,
            near: h.tier == Tier::Guessed,
            missing,
        }
    }

    /// The article view: the stored text, with the matched words marked throughout when a
    /// query gave their positions (title, body). Both engines build their views here.
    pub(crate) fn into_doc(
        self,
        lang: Lang,
        positions: Option<(&BTreeSet<u32>, &BTreeSet<u32>)>,
    ) -> DocResponse {
        let mut resp = DocResponse {
            id: self.id.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            lang,
            date: self.date.clone(),
            source: self.source.clone(),
            url: self.url.clone(),
            title_html: None,
            body_html: None,
            matched: None,
            lead_html: None,
        };
        let mut body_spans = Vec::new();
        if let Some((title_pos, body_pos)) = positions {
            let ts = highlight::spans(&self.title, title_pos);
            let bs = highlight::spans(&self.body, body_pos);
            resp.title_html = Some(highlight::mark_all(&self.title, &ts));
            resp.body_html = Some(highlight::mark_all(&self.body, &bs));
            resp.matched = Some(matched_words(&self, &ts, &bs));
            body_spans = bs;
        }
        if self.title.trim().is_empty() {
            resp.lead_html = Some(lead_html(&self, &body_spans));
        }
        resp
    }

    fn read(doc: &TantivyDocument, fields: &Fields, lang: Lang) -> Stored {
        let text = |f| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        Stored {
            id: text(fields.id).unwrap_or_default(),
            title: text(fields.title[lang.index()]).unwrap_or_default(),
            body: text(fields.body[lang.index()]).unwrap_or_default(),
            date: text(fields.date_text),
            source: text(fields.source),
            url: text(fields.url),
        }
    }
}

/// Distinct matched words (as written), title first, at most [`MAX_MATCHED`].
pub(crate) fn matched_words(
    stored: &Stored,
    title: &[(usize, usize)],
    body: &[(usize, usize)],
) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let all = title
        .iter()
        .map(|&(s, e)| &stored.title[s..e])
        .chain(body.iter().map(|&(s, e)| &stored.body[s..e]));
    for w in all {
        if out.len() >= MAX_MATCHED {
            break;
        }
        if seen.insert(w.to_lowercase()) {
            out.push(w.to_string());
        }
    }
    out
}

/// The terms whose words a document view marks for the query `q` (as [`Engine::doc`] has
/// them: every clause, with guesses).
pub(crate) fn doc_terms<S: Stats>(
    stats: &S,
    aliases: &Aliases,
    q: &str,
) -> Result<[BTreeSet<String>; 3]> {
    let parsed = query::parse(q)?;
    let clauses = clause_alts(aliases, &parsed);
    let plan = build::build(
        stats,
        &clauses,
        &[],
        (Bound::Unbounded, Bound::Unbounded),
        Guesses {
            near: [true; 3],
            sound: [true; 3],
        },
        Mode::Relaxed,
    );
    Ok(plan.terms)
}

/// The languages with direct matches (`facets`, by [`Lang::index`]) that none of the first
/// [`DIVERSE_TOP`] `hits` is in.
fn missing_langs<A>(hits: &[(f32, A, Lang)], facets: &[u64; 3]) -> Vec<Lang> {
    let top = &hits[..hits.len().min(DIVERSE_TOP)];
    Lang::ALL
        .into_iter()
        .filter(|l| facets[l.index()] > 0 && !top.iter().any(|h| h.2 == *l))
        .collect()
}

/// Every language on the first page. Each of `promote` (the best direct match of a language
/// the first [`DIVERSE_TOP`] hits lack) takes one of the last places of the first page, best
/// first. It displaces the lowest hits of languages the page holds more than once (never a
/// language's only hit there), which move down in order just below it; the hits above keep
/// their order, so the match as typed still ranks first. A promoted hit found further down
/// leaves its old place. The rule reads the ranking as a whole, never the page asked for, so
/// every page of one search agrees.
fn diversify<A: PartialEq>(hits: &mut Vec<(f32, A, Lang)>, mut promote: Vec<(f32, A, Lang)>) {
    if promote.is_empty() {
        return;
    }
    promote.sort_by(|a, b| b.0.total_cmp(&a.0));
    hits.retain(|h| !promote.iter().any(|p| p.1 == h.1));
    let top = hits.len().min(DIVERSE_TOP);
    let mut counts = [0usize; 3];
    for h in &hits[..top] {
        counts[h.2.index()] += 1;
    }
    let mut displace = promote.len().saturating_sub(DIVERSE_TOP - top);
    let mut moved = vec![false; top];
    for j in (0..top).rev() {
        let l = hits[j].2.index();
        if displace > 0 && counts[l] > 1 {
            counts[l] -= 1;
            moved[j] = true;
            displace -= 1;
        }
    }
    let rest = hits.split_off(top);
    let first = std::mem::take(hits);
    let (down, stay): (Vec<_>, Vec<_>) = first.into_iter().zip(moved).partition(|(_, m)| *m);
    hits.extend(stay.into_iter().map(|(h, _)| h));
    hits.extend(promote);
    hits.extend(down.into_iter().map(|(h, _)| h));
    hits.extend(rest);
}

/// The page asked for, from the tiers' hits in order.
fn page_of<A>(tiers: Vec<(Vec<(f32, A, Lang)>, Tier)>, p: &SearchParams) -> Vec<Ranked1<A>> {
    tiers
        .into_iter()
        .flat_map(|(hits, tier)| {
            hits.into_iter().map(move |(score, addr, lang)| Ranked1 {
                score,
                addr,
                lang,
                tier,
            })
        })
        .skip(p.offset)
        .take(p.limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ranking written as languages ('k', 'r', 'e'), each hit numbered by its place.
    fn ranking(langs: &str) -> Vec<(f32, usize, Lang)> {
        langs
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let l = match c {
                    'k' => Lang::Kk,
                    'r' => Lang::Ru,
                    _ => Lang::En,
                };
                (100.0 - i as f32, i, l)
            })
            .collect()
    }

    #[test]
    fn diversify_puts_every_language_on_the_first_page() {
        // (ranking, promoted hits as (address, language letter), the addresses in order after)
        let cases: &[(&str, &[(usize, char)], &[usize])] = &[
            // Nothing to promote: unchanged.
            ("kkkkkkkkkkkk", &[], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
            // One language missing: its best takes the last place, the displaced hit follows.
            (
                "kkkkkkkkkkkk",
                &[(50, 'r')],
                &[0, 1, 2, 3, 4, 5, 6, 7, 8, 50, 9, 10, 11],
            ),
            // Two missing: both promoted, best score first; two hits move down.
            (
                "kkkkkkkkkkk",
                &[(60, 'e'), (50, 'r')],
                &[0, 1, 2, 3, 4, 5, 6, 7, 50, 60, 8, 9, 10],
            ),
            // A language's only hit on the page stays; the lowest hit of a repeated one moves.
            (
                "kkkkkkkkkekk",
                &[(50, 'r')],
                &[0, 1, 2, 3, 4, 5, 6, 7, 9, 50, 8, 10, 11],
            ),
            // A promoted hit found further down leaves its old place.
            (
                "kkkkkkkkkkkr",
                &[(11, 'r')],
                &[0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 9, 10],
            ),
            // Room left on the page: nothing moves down.
            ("kkkk", &[(50, 'r')], &[0, 1, 2, 3, 50]),
        ];
        for (langs, promote, want) in cases {
            let mut hits = ranking(langs);
            let promote: Vec<(f32, usize, Lang)> = promote
                .iter()
                .map(|&(addr, c)| {
                    let l = if c == 'r' { Lang::Ru } else { Lang::En };
                    (50.0 - (addr as f32) / 100.0, addr, l)
                })
                .collect();
            diversify(&mut hits, promote);
            let got: Vec<usize> = hits.iter().map(|h| h.1).collect();
            assert_eq!(&got, want, "{langs} {:?}", want);
        }
    }

    #[test]
    fn missing_languages_are_those_with_matches_off_the_first_page() {
        let cases: &[(&str, [u64; 3], &[Lang])] = &[
            ("kkkkkkkkkkr", [20, 5, 0], &[Lang::Ru]),
            ("kkkkkkkkkr", [20, 5, 3], &[Lang::En]),
            ("kkkkkkkkkkkk", [12, 0, 0], &[]),
            ("kre", [1, 1, 1], &[]),
        ];
        for (langs, facets, want) in cases {
            assert_eq!(missing_langs(&ranking(langs), facets), *want, "{langs}");
        }
    }
}
