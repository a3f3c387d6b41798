//! Search: the one code path behind `kazsearch search`, `kazsearch eval` and the HTTP API.
//!
//! [`Engine`] holds the live index generation and swaps in a new one when a rebuild commits
//! (the server polls `CURRENT`); every request works on the snapshot it started with. A
//! search parses the query, expands aliases, runs one tantivy query with a faceting collector,
//! and then, only when the results are few: retries the query as typed on another keyboard
//! layout, and adds near spellings (fuzzy keys) as a last tier below every exact one.

pub mod alias;
pub mod build;
pub mod collect;
pub mod highlight;
pub mod query;
pub mod request;

use std::collections::HashSet;
use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::analysis::layout::{self, Layout};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::store::{Fields, IndexDir, Snapshot};
use alias::Aliases;
use build::{Alternative, Guesses, Plan};
use collect::{Faceted, MatchSet};
use query::ParsedQuery;
use request::{Correction, Facets};
pub use request::{DocResponse, Hit, RawParams, SearchParams, SearchResponse};

/// Characters of a snippet.
pub const SNIPPET_CHARS: usize = 240;
/// Matched words listed per hit, at most.
pub const MAX_MATCHED: usize = 12;
/// Near spellings (fuzzy keys) are added when fewer articles than this match exactly: a fixed
/// number, so that every page of one search reports the same total.
pub const FUZZY_FILL_BELOW: u64 = 50;
/// A query with at most this many matches is retried on other keyboard layouts.
pub const LAYOUT_RETRY_MAX_HITS: u64 = 2;

/// The search engine over an index directory.
pub struct Engine {
    dir: IndexDir,
    snapshot: ArcSwap<Snapshot>,
    aliases: Aliases,
}

/// A ranked search: the page's documents and how the query was understood.
struct Ranked {
    query: String,
    run: Run,
    page: Vec<(f32, DocAddress, Lang)>,
    corrected: Option<Correction>,
    fuzzy: bool,
    /// Hits found only through near spellings.
    near: HashSet<DocAddress>,
}

/// The query read as typed on another keyboard layout, and its results.
struct Reading {
    query: String,
    layout: Layout,
    parsed: ParsedQuery,
    run: Run,
}

impl Reading {
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
fn occurs(searcher: &Searcher, fields: &Fields, parsed: &ParsedQuery) -> Result<bool> {
    let mut folded = String::new();
    for unit in &parsed.must {
        for w in &unit.words {
            crate::analysis::fold::fold(w, &mut folded);
            let mut found = false;
            for field in fields.title.iter().chain(&fields.body) {
                if searcher.doc_freq(&Term::from_field_text(*field, &folded))? > 0 {
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
struct Run {
    hits: Vec<(f32, DocAddress, Lang)>,
    total: u64,
    facets: [u64; 3],
    plan: Plan,
}

impl Engine {
    /// Opens the live generation of `dir`; fails when there is none.
    pub fn open(dir: IndexDir, aliases: Aliases) -> Result<Engine> {
        let snapshot = dir.open_current()?.ok_or_else(|| Error::BadIndexDir {
            path: dir.path().to_path_buf(),
            reason: "no index here yet: run `kazsearch index FILE.jsonl` first".into(),
        })?;
        Ok(Engine {
            dir,
            snapshot: ArcSwap::from_pointee(snapshot),
            aliases,
        })
    }

    /// The generation in use now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Switches to the live generation if a rebuild changed it; true when it switched.
    pub fn reload_if_changed(&self) -> Result<bool> {
        let Some(current) = self.dir.current()? else {
            return Ok(false);
        };
        if current == self.snapshot.load().generation {
            return Ok(false);
        }
        let snap = Snapshot::open(&self.dir.path().join(&current), current)?;
        self.snapshot.store(Arc::new(snap));
        Ok(true)
    }

    /// Watches the directory from a background thread and switches generations as rebuilds
    /// commit. The thread ends when the engine is dropped.
    pub fn watch(self: &Arc<Self>, every: Duration) {
        let weak = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("kazsearch-reload".into())
            .spawn(move || loop {
                std::thread::sleep(every);
                let Some(engine) = weak.upgrade() else { return };
                match engine.reload_if_changed() {
                    Ok(true) => tracing::info!(
                        generation = %engine.snapshot().generation,
                        docs = engine.snapshot().num_docs(),
                        "switched to the rebuilt index"
                    ),
                    Ok(false) => {}
                    Err(e) => tracing::warn!("kept the old index: {e}"),
                }
            })
            .ok();
    }

    /// Runs a search.
    pub fn search(&self, p: &SearchParams) -> Result<SearchResponse> {
        let started = Instant::now();
        let snap = self.snapshot();
        let searcher = snap.reader.searcher();
        let ranked = self.ranked(&snap, &searcher, p)?;
        let mut hits = self.hits(&searcher, &snap.fields, &ranked.run.plan, &ranked.page)?;
        for (hit, (_, addr, _)) in hits.iter_mut().zip(&ranked.page) {
            hit.near = ranked.near.contains(addr);
        }
        let mut facets = Facets::default();
        for l in Lang::ALL {
            facets.lang.insert(l.code(), ranked.run.facets[l.index()]);
        }
        Ok(SearchResponse {
            query: ranked.query,
            total: ranked.run.total,
            took_ms: (started.elapsed().as_secs_f64() * 1e5).round() / 100.0,
            offset: p.offset,
            limit: p.limit,
            hits,
            facets,
            corrected: ranked.corrected,
            fuzzy: ranked.fuzzy,
        })
    }

    /// The ids of a search's page, in order (the search path without highlighting).
    pub fn rank_ids(&self, p: &SearchParams) -> Result<Vec<String>> {
        let snap = self.snapshot();
        let searcher = snap.reader.searcher();
        let ranked = self.ranked(&snap, &searcher, p)?;
        let mut out = Vec::with_capacity(ranked.page.len());
        for (_, addr, _) in &ranked.page {
            let doc: TantivyDocument = searcher.doc(*addr)?;
            if let Some(id) = doc.get_first(snap.fields.id).and_then(|v| v.as_str()) {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }

    fn ranked(&self, snap: &Snapshot, searcher: &Searcher, p: &SearchParams) -> Result<Ranked> {
        let need = p.offset + p.limit;
        let mut shown_query = p.q.clone();
        let mut corrected = None;
        // A query that does not parse, finds almost nothing, or whose words occur nowhere as
        // typed may have been typed with the keyboard on the wrong layout: try its readings.
        let (mut parsed, mut run) = match query::parse(&p.q) {
            Ok(parsed) => {
                let lang = query_lang(p, &parsed)?;
                let run = self.run(searcher, snap, &parsed, lang, p, Guesses::NONE, need)?;
                (parsed, run)
            }
            Err(e) => match self.best_layout(searcher, snap, p, need, None)? {
                Some(best) => {
                    corrected = Some(best.correction(p));
                    shown_query = best.query;
                    (best.parsed, best.run)
                }
                None => return Err(e),
            },
        };
        if corrected.is_none() {
            let found: u64 = run.facets.iter().sum();
            let occurs = occurs(searcher, &snap.fields, &parsed)?;
            if found <= LAYOUT_RETRY_MAX_HITS || !occurs {
                let at_least = occurs.then_some(found * 3 + 1);
                if let Some(best) = self.best_layout(searcher, snap, p, need, at_least)? {
                    corrected = Some(best.correction(p));
                    shown_query = best.query;
                    parsed = best.parsed;
                    run = best.run;
                }
            }
        }
        let lang = query_lang(p, &parsed)?;
        let mut fuzzy = false;
        let mut near = HashSet::new();
        // Guesses fill in below every direct match: near spellings when few articles match,
        // sound-alike transcriptions of Latin names when the direct matches do not fill the
        // page asked for.
        let found: u64 = run.facets.iter().sum();
        let guesses = Guesses {
            near: found < FUZZY_FILL_BELOW,
            sound: (found < FUZZY_FILL_BELOW || run.total < need as u64)
                && parsed.must.iter().any(build::sounds_like),
        };
        if guesses != Guesses::NONE {
            let wide = self.run(
                searcher,
                snap,
                &parsed,
                lang,
                p,
                guesses,
                need + run.hits.len(),
            )?;
            let (before, after): (u64, u64) = (run.facets.iter().sum(), wide.facets.iter().sum());
            if after > before {
                fuzzy = true;
                // Every direct hit first (there are fewer than a page), then the guessed ones.
                let seen: HashSet<DocAddress> = run.hits.iter().map(|h| h.1).collect();
                let mut hits = std::mem::take(&mut run.hits);
                hits.extend(wide.hits.into_iter().filter(|h| !seen.contains(&h.1)));
                near = hits
                    .iter()
                    .map(|h| h.1)
                    .filter(|a| !seen.contains(a))
                    .collect();
                run = Run {
                    hits,
                    total: wide.total,
                    facets: wide.facets,
                    plan: wide.plan,
                };
            }
        }
        let page: Vec<(f32, DocAddress, Lang)> = std::mem::take(&mut run.hits)
            .into_iter()
            .skip(p.offset)
            .take(p.limit)
            .collect();
        Ok(Ranked {
            query: shown_query,
            run,
            page,
            corrected,
            fuzzy,
            near,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        searcher: &Searcher,
        snap: &Snapshot,
        parsed: &ParsedQuery,
        lang: Option<Lang>,
        p: &SearchParams,
        guesses: Guesses,
        top: usize,
    ) -> Result<Run> {
        let must: Vec<Vec<Alternative>> = parsed
            .must
            .iter()
            .map(|u| self.aliases.alternatives(u))
            .collect();
        let with_aliases = must.iter().filter(|alts| alts.len() > 1).count();
        if with_aliases == 0 {
            let (run, _) = self.run_plan(
                searcher, snap, &must, parsed, lang, p, guesses, top, None, false,
            )?;
            return Ok(run);
        }
        // Aliases rank below the names as typed, strictly: the articles that have the name
        // come first, then those found only under another name (Ақмола the region before
        // Astana, once Akmola). The second query skips what the first matched, so totals and
        // facets count every article once; when one word has aliases it only needs them.
        let typed: Vec<Vec<Alternative>> = must.iter().map(|alts| alts[..1].to_vec()).collect();
        let (direct, matched) = self.run_plan(
            searcher, snap, &typed, parsed, lang, p, guesses, top, None, true,
        )?;
        let others: Vec<Vec<Alternative>> = if with_aliases == 1 {
            must.iter()
                .map(|alts| {
                    if alts.len() > 1 {
                        alts[1..].to_vec()
                    } else {
                        alts.clone()
                    }
                })
                .collect()
        } else {
            must
        };
        let (rest, _) = self.run_plan(
            searcher,
            snap,
            &others,
            parsed,
            lang,
            p,
            guesses,
            top,
            Some(matched),
            false,
        )?;
        let mut hits = direct.hits;
        hits.extend(rest.hits);
        hits.truncate(top.max(1));
        let mut facets = direct.facets;
        for (a, b) in facets.iter_mut().zip(rest.facets) {
            *a += b;
        }
        let mut plan = rest.plan;
        for (a, b) in plan.terms.iter_mut().zip(direct.plan.terms) {
            a.extend(b);
        }
        Ok(Run {
            hits,
            total: direct.total + rest.total,
            facets,
            plan,
        })
    }

    /// Builds and runs one plan: the top hits, total and facets, skipping the documents in
    /// `skip`; with `record`, also every document it matched.
    #[allow(clippy::too_many_arguments)]
    fn run_plan(
        &self,
        searcher: &Searcher,
        snap: &Snapshot,
        must: &[Vec<Alternative>],
        parsed: &ParsedQuery,
        lang: Option<Lang>,
        p: &SearchParams,
        guesses: Guesses,
        top: usize,
        skip: Option<MatchSet>,
        record: bool,
    ) -> Result<(Run, MatchSet)> {
        let plan = build::build(
            searcher,
            &snap.fields,
            must,
            &parsed.must_not,
            dates(p),
            guesses,
        );
        let mut collector = Faceted::new(
            TopDocs::with_limit(top.max(1)).order_by_score(),
            lang.map(|l| l.index() as u64),
            snap.langs.clone(),
        );
        collector.skip = skip;
        collector.record = record;
        let (top_docs, total, facets, matched) = searcher.search(&*plan.query, &collector)?;
        let hits = top_docs
            .into_iter()
            .map(|(score, addr)| (score, addr, lang_of(&snap.langs, addr)))
            .collect();
        Ok((
            Run {
                hits,
                total,
                facets,
                plan,
            },
            matched,
        ))
    }

    /// Tries the query as typed on other keyboard layouts. A reading qualifies when it finds
    /// something (at least `at_least` articles when given); the one that finds most wins.
    fn best_layout(
        &self,
        searcher: &Searcher,
        snap: &Snapshot,
        p: &SearchParams,
        need: usize,
        at_least: Option<u64>,
    ) -> Result<Option<Reading>> {
        let mut best: Option<Reading> = None;
        for (layout, candidate) in layout::candidates(&p.q) {
            let Ok(parsed) = query::parse(&candidate) else {
                continue;
            };
            let Ok(lang) = query_lang(p, &parsed) else {
                continue;
            };
            let run = self.run(searcher, snap, &parsed, lang, p, Guesses::NONE, need)?;
            let n: u64 = run.facets.iter().sum();
            let better = best.as_ref().is_none_or(|b| n > b.run.facets.iter().sum());
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

    fn hits(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        plan: &Plan,
        page: &[(f32, DocAddress, Lang)],
    ) -> Result<Vec<Hit>> {
        let addrs: Vec<(DocAddress, Lang)> = page.iter().map(|h| (h.1, h.2)).collect();
        let matches = highlight::matches(searcher, fields, plan, &addrs)?;
        let mut out = Vec::with_capacity(page.len());
        for ((score, addr, lang), m) in page.iter().zip(matches) {
            let doc: TantivyDocument = searcher.doc(*addr)?;
            let stored = Stored::read(&doc, fields, *lang);
            let title_spans = highlight::spans(&stored.title, &m.title);
            let body_spans = highlight::snippet_spans(&stored.body, &m.body);
            out.push(Hit {
                title_html: highlight::mark_all(&stored.title, &title_spans),
                snippet: highlight::snippet(&stored.body, &body_spans, SNIPPET_CHARS),
                lead_html: lead_html(&stored, &body_spans),
                matched: matched_words(&stored, &title_spans, &body_spans),
                id: stored.id,
                title: stored.title,
                lang: *lang,
                date: stored.date,
                source: stored.source,
                url: stored.url,
                score: *score,
                near: false,
            });
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
        let mut resp = DocResponse {
            id: stored.id.clone(),
            title: stored.title.clone(),
            body: stored.body.clone(),
            lang,
            date: stored.date.clone(),
            source: stored.source.clone(),
            url: stored.url.clone(),
            title_html: None,
            body_html: None,
            matched: None,
            lead_html: None,
        };
        let mut body_spans = Vec::new();
        if let Some(q) = q.filter(|q| !q.trim().is_empty()) {
            let parsed = query::parse(q)?;
            let must: Vec<Vec<Alternative>> = parsed
                .must
                .iter()
                .map(|u| self.aliases.alternatives(u))
                .collect();
            let plan = build::build(
                &searcher,
                fields,
                &must,
                &[],
                (Bound::Unbounded, Bound::Unbounded),
                Guesses {
                    near: true,
                    sound: true,
                },
            );
            let m = highlight::matches(&searcher, fields, &plan, &[(addr, lang)])?
                .pop()
                .unwrap_or_default();
            let ts = highlight::spans(&stored.title, &m.title);
            let bs = highlight::spans(&stored.body, &m.body);
            resp.title_html = Some(highlight::mark_all(&stored.title, &ts));
            resp.body_html = Some(highlight::mark_all(&stored.body, &bs));
            resp.matched = Some(matched_words(&stored, &ts, &bs));
            body_spans = bs;
        }
        if stored.title.trim().is_empty() {
            resp.lead_html = Some(lead_html(&stored, &body_spans));
        }
        Ok(resp)
    }

    /// Number of articles in the live generation.
    pub fn num_docs(&self) -> u64 {
        self.snapshot().num_docs()
    }
}

/// The first sentence of a titleless article, to show in its title's place ("" when it has
/// a title).
fn lead_html(stored: &Stored, body_spans: &[(usize, usize)]) -> String {
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
struct Stored {
    id: String,
    title: String,
    body: String,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
}

impl Stored {
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
fn matched_words(
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
