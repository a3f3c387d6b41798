//! Mixed-word queries: three real words, each from a different article of a corpus, as a
//! reader who types keywords might combine them. They rarely meet in one article, so they
//! test relaxed matching: every such query must get results, and the first hit must hold at
//! least two of the three words wherever some article does.
//!
//! The queries are drawn with a fixed seed, so that every run (and the benchmark) sees the
//! same ones.

use serde::Serialize;

use crate::analysis::words::words;
use crate::article::Article;
use crate::error::Result;
use crate::search::{Engine, SearchParams};

/// Shortest word drawn, in letters: shorter ones are mostly function words and numbers.
pub const MIN_LETTERS: usize = 4;

/// One mixed-word query.
#[derive(Debug, Clone, Serialize)]
pub struct MixedQuery {
    /// The query: the three words joined by spaces.
    pub q: String,
    /// The articles the words were drawn from.
    pub from: [String; 3],
}

/// A small, fixed pseudo-random sequence (splitmix64): the same queries on every run,
/// without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The words of an article that may be drawn: letters only, at least [`MIN_LETTERS`].
fn drawable(a: &Article) -> Vec<String> {
    let mut out = Vec::new();
    for text in [&a.title, &a.body] {
        for w in words(text) {
            let t = w.text;
            if t.chars().count() >= MIN_LETTERS && t.chars().all(char::is_alphabetic) {
                out.push(t.to_string());
            }
        }
    }
    out
}

/// Draws `n` queries of three words from three different articles of `articles`.
///
/// ```
/// use kazsearch::article::Article;
/// use kazsearch::mixed::queries;
/// let mk = |id: &str, body: &str| Article { id: id.into(), body: body.into(), ..Default::default() };
/// let arts = [mk("a", "Астана қаласы"), mk("b", "Москва город"), mk("c", "London city")];
/// let qs = queries(&arts, 5, 1);
/// assert_eq!(qs.len(), 5);
/// assert!(qs.iter().all(|q| q.q.split(' ').count() == 3));
/// assert_eq!(queries(&arts, 5, 1)[0].q, qs[0].q, "the same seed draws the same queries");
/// ```
pub fn queries(articles: &[Article], n: usize, seed: u64) -> Vec<MixedQuery> {
    let pools: Vec<(usize, Vec<String>)> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (i, drawable(a)))
        .filter(|(_, ws)| !ws.is_empty())
        .collect();
    let mut out = Vec::with_capacity(n);
    if pools.len() < 3 {
        return out;
    }
    let mut rng = Rng(seed);
    while out.len() < n {
        let mut picked: Vec<usize> = Vec::with_capacity(3);
        while picked.len() < 3 {
            let p = rng.below(pools.len());
            if !picked.contains(&p) {
                picked.push(p);
            }
        }
        let mut ws = Vec::with_capacity(3);
        let mut from = Vec::with_capacity(3);
        for &p in &picked {
            let (i, pool) = &pools[p];
            ws.push(pool[rng.below(pool.len())].clone());
            from.push(articles[*i].id.clone());
        }
        out.push(MixedQuery {
            q: ws.join(" "),
            from: [from[0].clone(), from[1].clone(), from[2].clone()],
        });
    }
    out
}

/// How mixed-word queries fared.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MixedReport {
    /// Queries run.
    pub queries: usize,
    /// Queries with no result at all.
    pub zero: usize,
    /// Queries where some article holds at least two of the three words.
    pub two_possible: usize,
    /// Of those, queries whose first hit holds at least two of the words.
    pub two_first: usize,
}

impl MixedReport {
    /// Share of queries with no result.
    pub fn zero_share(&self) -> f64 {
        self.zero as f64 / self.queries.max(1) as f64
    }

    /// Share of the queries where two words can meet whose first hit has two.
    pub fn two_first_share(&self) -> f64 {
        self.two_first as f64 / self.two_possible.max(1) as f64
    }
}

/// Runs the queries through `engine`. Whether some article holds two of the words is asked
/// of the engine itself, with each pair of words required (`+a +b`), directly (not through a
/// near spelling).
pub fn evaluate(engine: &Engine, qs: &[MixedQuery]) -> Result<MixedReport> {
    let mut r = MixedReport::default();
    for q in qs {
        r.queries += 1;
        let resp = engine.search(&SearchParams {
            limit: 1,
            ..SearchParams::new(q.q.as_str())
        })?;
        if resp.total == 0 {
            r.zero += 1;
        }
        let ws: Vec<&str> = q.q.split(' ').collect();
        let mut possible = false;
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            let pair = format!("+{} +{}", ws[i], ws[j]);
            let p = engine.search(&SearchParams {
                limit: 1,
                ..SearchParams::new(pair)
            })?;
            // A direct match of both (near spellings, which rank below, do not count).
            if p.hits.first().is_some_and(|h| !h.near) {
                possible = true;
                break;
            }
        }
        if possible {
            r.two_possible += 1;
            if resp.hits.first().is_some_and(|h| h.missing.len() <= 1) {
                r.two_first += 1;
            }
        }
    }
    Ok(r)
}
