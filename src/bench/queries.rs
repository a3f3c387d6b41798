//! The fixed query set ([`QUERIES`], `src/bench/queries.tsv`) and the latency run over it:
//! every query through kazsearch's [`Engine::search`] (the full response, highlighting
//! included, exactly what the API returns) and, interleaved with it so that noise from other
//! processes hits both alike, through the plain tantivy baseline.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::plain::PlainSearcher;
use super::probe::ThreadClock;
use super::stats::Latency;
use crate::error::{Error, Result};
use crate::search::{Engine, RawParams, SearchParams};

/// The query set bundled with the benchmark.
pub const QUERIES: &str = include_str!("queries.tsv");

/// One query of the set.
#[derive(Debug, Clone)]
pub struct QueryCase {
    /// What kind of query it is (name, phrase, common, lang, date, fuzzy, layout…).
    pub kind: String,
    /// The raw parameters, as the HTTP API would receive them.
    pub raw: RawParams,
    /// The same, validated.
    pub params: SearchParams,
}

/// Parses a query set: one query per line, `kind TAB query [TAB lang [TAB from [TAB to]]]`;
/// `#` lines and blank lines are skipped. Errors name the line.
pub fn parse(name: &str, text: &str) -> Result<Vec<QueryCase>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: String| Error::BadArticle {
            path: name.into(),
            line: i as u64 + 1,
            reason,
        };
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() < 2 || cols.len() > 5 || cols[0].is_empty() {
            return Err(bad(format!(
                "expected `kind<TAB>query[<TAB>lang<TAB>from<TAB>to]`, got {} column(s)",
                cols.len()
            )));
        }
        let opt = |j: usize| cols.get(j).filter(|s| !s.is_empty()).map(|s| s.to_string());
        let raw = RawParams {
            q: Some(cols[1].to_string()),
            lang: opt(2),
            limit: None,
            offset: None,
            from: opt(3),
            to: opt(4),
            sort: None,
        };
        let params = SearchParams::from_raw(&raw).map_err(|e| bad(e.to_string()))?;
        out.push(QueryCase {
            kind: cols[0].to_string(),
            raw,
            params,
        });
    }
    if out.is_empty() {
        return Err(Error::BadArticle {
            path: name.into(),
            line: 0,
            reason: "no queries".into(),
        });
    }
    Ok(out)
}

impl QueryCase {
    /// True for the kinds whose words need not all match (questions, mixed words): the plain
    /// baseline runs them as BM25's OR query, kazsearch relaxes them.
    pub fn any_words(&self) -> bool {
        matches!(self.kind.as_str(), "question" | "mixed")
    }

    /// The request path of this query on the HTTP API.
    pub fn http_path(&self) -> String {
        let mut s = String::from("/api/search?q=");
        percent_encode(self.raw.q.as_deref().unwrap_or(""), &mut s);
        for (key, value) in [
            ("lang", &self.raw.lang),
            ("from", &self.raw.from),
            ("to", &self.raw.to),
        ] {
            if let Some(v) = value {
                s.push('&');
                s.push_str(key);
                s.push('=');
                percent_encode(v, &mut s);
            }
        }
        s
    }
}

/// Percent-encodes `text` for a URL query value (everything but RFC 3986 unreserved bytes).
pub fn percent_encode(text: &str, out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// Latencies of one run over the query set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueryRun {
    /// Articles in the kazsearch index.
    pub docs: u64,
    /// kazsearch, every sample (wall time).
    pub kazsearch: Latency,
    /// Plain tantivy, every sample (None without a baseline index).
    pub plain: Option<Latency>,
    /// kazsearch, CPU time of the searching thread: what the search cost, without the waits
    /// for a core that other processes cause.
    pub kazsearch_cpu: Latency,
    /// Plain tantivy, CPU time.
    pub plain_cpu: Option<Latency>,
    /// kazsearch by kind of query (wall time).
    pub by_kind: BTreeMap<String, Latency>,
    /// Plain tantivy by kind of query (wall time).
    pub plain_by_kind: BTreeMap<String, Latency>,
    /// kazsearch by kind of query, CPU time.
    pub by_kind_cpu: BTreeMap<String, Latency>,
    /// Plain tantivy by kind of query, CPU time.
    pub plain_by_kind_cpu: BTreeMap<String, Latency>,
    /// Queries that failed (they should not: the set is valid).
    pub errors: u64,
    /// Mean hits total per query, kazsearch and plain (what the work was).
    pub mean_total: (f64, f64),
}

/// Runs every query once to warm up, then `rounds` times measured, kazsearch and plain
/// alternately.
pub fn run(
    engine: &Engine,
    plain: Option<&PlainSearcher>,
    cases: &[QueryCase],
    rounds: usize,
) -> QueryRun {
    let mut kz: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut pl: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut kz_cpu: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut pl_cpu: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut clock = ThreadClock::start();
    let mut errors = 0;
    let (mut kz_total, mut pl_total) = (0u64, 0u64);
    for round in 0..=rounds {
        for case in cases {
            clock.lap();
            let t = Instant::now();
            match engine.search(&case.params) {
                Ok(r) => {
                    std::hint::black_box(&r);
                    if round > 0 {
                        kz_total += r.total;
                    }
                }
                Err(_) => errors += 1,
            }
            let took = t.elapsed();
            let cpu = clock.lap();
            if round > 0 {
                kz.entry(&case.kind).or_default().push(took);
                kz_cpu.entry(&case.kind).or_default().push(cpu);
            }
            if let Some(p) = plain {
                let t = Instant::now();
                match p.search(&case.params, case.any_words()) {
                    Ok(r) => {
                        std::hint::black_box(&r);
                        if round > 0 {
                            pl_total += r.total as u64;
                        }
                    }
                    Err(_) => errors += 1,
                }
                let took = t.elapsed();
                let cpu = clock.lap();
                if round > 0 {
                    pl.entry(&case.kind).or_default().push(took);
                    pl_cpu.entry(&case.kind).or_default().push(cpu);
                }
            }
        }
    }
    let all = |m: &BTreeMap<&str, Vec<Duration>>| {
        Latency::of(&m.values().flatten().copied().collect::<Vec<_>>())
    };
    let by_kind = |m: &BTreeMap<&str, Vec<Duration>>| {
        m.iter()
            .map(|(k, v)| (k.to_string(), Latency::of(v)))
            .collect()
    };
    let n = (cases.len() * rounds).max(1) as f64;
    QueryRun {
        docs: engine.num_docs(),
        kazsearch: all(&kz),
        plain: plain.map(|_| all(&pl)),
        kazsearch_cpu: all(&kz_cpu),
        plain_cpu: plain.map(|_| all(&pl_cpu)),
        by_kind: by_kind(&kz),
        plain_by_kind: by_kind(&pl),
        by_kind_cpu: by_kind(&kz_cpu),
        plain_by_kind_cpu: by_kind(&pl_cpu),
        errors,
        mean_total: (kz_total as f64 / n, pl_total as f64 / n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn the_bundled_set_parses_and_covers_every_kind() {
        let cases = parse("queries.tsv", QUERIES).unwrap();
        assert!(cases.len() >= 60, "{}", cases.len());
        let kinds: std::collections::BTreeSet<&str> =
            cases.iter().map(|c| c.kind.as_str()).collect();
        for k in [
            "name", "phrase", "words", "common", "lang", "date", "exclude", "fuzzy", "layout",
            "question", "mixed",
        ] {
            assert!(kinds.contains(k), "no {k} query");
        }
        let filtered = cases.iter().find(|c| c.kind == "date").unwrap();
        assert!(filtered.params.from.is_some() && filtered.params.to.is_some());
    }

    #[test]
    fn lines() {
        let cases: &[(
            &str,
            std::result::Result<(&str, &str, Option<Lang>, bool), &str>,
        )] = &[
            ("name\tТоқаев", Ok(("name", "Тоқаев", None, false))),
            (
                "lang\tPutin\tru",
                Ok(("lang", "Putin", Some(Lang::Ru), false)),
            ),
            ("date\toil\t\t1987-03-01", Ok(("date", "oil", None, true))),
            (
                "date\toil\t\t\t1987-03-01",
                Ok(("date", "oil", None, false)),
            ),
            ("oneword", Err("t:1: expected `kind<TAB>query")),
            ("name\t", Err("t:1: the q parameter is missing")),
            ("lang\tx\tde", Err("t:1: lang must be kk, ru or en")),
            ("date\tx\t\tyesterday", Err("t:1: ")),
        ];
        for (line, want) in cases {
            match (parse("t", line), want) {
                (Ok(got), Ok((kind, q, lang, from))) => {
                    assert_eq!(got.len(), 1);
                    let c = &got[0];
                    assert_eq!(
                        (c.kind.as_str(), c.params.q.as_str(), c.params.lang),
                        (*kind, *q, *lang),
                        "{line}"
                    );
                    assert_eq!(c.params.from.is_some(), *from, "{line}");
                }
                (Err(e), Err(prefix)) => {
                    assert!(e.to_string().starts_with(prefix), "{line}: {e}")
                }
                (got, want) => panic!("{line}: got {got:?}, want {want:?}"),
            }
        }
        assert!(parse("t", "# only a comment\n\n").is_err());
    }

    #[test]
    fn http_paths() {
        let cases = [
            ("name\tTokayev", "/api/search?q=Tokayev"),
            (
                "name\tТоқаев",
                "/api/search?q=%D0%A2%D0%BE%D2%9B%D0%B0%D0%B5%D0%B2",
            ),
            (
                "phrase\t\"New York\"\ten\t1987-01-01",
                "/api/search?q=%22New%20York%22&lang=en&from=1987-01-01",
            ),
            ("layout\t)fpf0cnfy", "/api/search?q=%29fpf0cnfy"),
            ("exclude\toil -gas", "/api/search?q=oil%20-gas"),
        ];
        for (line, want) in cases {
            let c = &parse("t", line).unwrap()[0];
            assert_eq!(c.http_path(), want, "{line}");
        }
    }
}
