//! The benchmark's findings: the figures of one run ([`Report`], also written as JSON) and
//! the targets the team is judged on next to what this run measured ([`targets`]). The text
//! table is made in `render`. Every kazsearch figure stands next to its baseline from the
//! same run, because on a shared machine only ratios are stable.

use serde::Serialize;

use super::load::LoadResult;
use super::queries::QueryRun;
use super::stats::{fmt_num, group, mb, rate, ratio, share};
use super::steps::StepTimes;

/// How the run was set up.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Setup {
    /// The corpus files.
    pub corpus: String,
    /// The labelled file for detection accuracy.
    pub accuracy_file: Option<String>,
    /// Indexing threads (both engines).
    pub threads: usize,
    /// Indexing memory budget in MB (both engines).
    pub heap_mb: usize,
    /// The large corpus is the corpus this many times over.
    pub scale: usize,
    /// Measured passes over the query set.
    pub query_rounds: usize,
    /// Queries in the set.
    pub queries: usize,
    /// Built with optimisations (a debug build's figures mean nothing).
    pub release: bool,
    /// CPU cores the machine reports.
    pub cores: usize,
}

/// One index build.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Build {
    /// Articles indexed.
    pub articles: u64,
    /// Bytes of title and body text.
    pub text_bytes: u64,
    /// Wall time, seconds.
    pub seconds: f64,
    /// CPU time of the process while building, seconds.
    pub cpu_seconds: Option<f64>,
    /// Size of the index on disk, bytes.
    pub size_bytes: u64,
    /// Segments in the finished index.
    pub segments: usize,
    /// Time spent detecting languages (kazsearch only), seconds.
    pub detect_seconds: Option<f64>,
}

impl Build {
    /// Text MB per wall second.
    pub fn mb_per_s(&self) -> f64 {
        rate(mb(self.text_bytes), self.seconds)
    }

    /// Articles per wall second.
    pub fn articles_per_s(&self) -> f64 {
        rate(self.articles as f64, self.seconds)
    }
}

/// kazsearch and plain tantivy indexing the same articles.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Indexing {
    /// How many times over the corpus.
    pub scale: usize,
    /// kazsearch, everything on (detection of every article, all views).
    pub kazsearch: Option<Build>,
    /// Plain tantivy.
    pub plain: Option<Build>,
}

/// Detection against labelled articles.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Accuracy {
    /// Articles with a label.
    pub articles: u64,
    /// Detected as labelled.
    pub right: u64,
    /// Seconds spent detecting.
    pub seconds: f64,
    /// Articles decided by letters, lingua, fallback.
    pub by_method: [u64; 3],
}

impl Accuracy {
    /// Share detected right, in percent.
    pub fn percent(&self) -> f64 {
        share(self.right as f64, self.articles as f64).unwrap_or(0.0)
    }
}

/// The HTTP run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Http {
    /// Articles in the served index.
    pub docs: u64,
    /// Load on /api/search, cycling through the query set.
    pub search: LoadResult,
    /// Load on /api/health: the HTTP stack alone, the baseline.
    pub health: LoadResult,
    /// Resident memory after start, before any request, MB.
    pub rss_rest_mb: f64,
    /// Highest resident memory seen under load, MB.
    pub rss_load_mb: f64,
    /// Of that sample, anonymous memory (heap, stacks), MB.
    pub rss_load_anon_mb: f64,
    /// Of that sample, mapped index files, MB.
    pub rss_load_file_mb: f64,
    /// Peak resident memory over the server's life (VmHWM), MB.
    pub rss_peak_mb: f64,
    /// Resident memory a second after the load, MB.
    pub rss_after_mb: f64,
    /// CPU seconds the load generator (this process) used during the search load: it shares
    /// the machine with the server.
    pub generator_cpu_seconds: Option<f64>,
}

/// Everything one run measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The setup.
    pub setup: Setup,
    /// Detection accuracy on the labelled file.
    pub accuracy: Option<Accuracy>,
    /// Indexing the corpus once.
    pub indexing: Indexing,
    /// Stage timings over the corpus.
    pub steps: Option<StepTimes>,
    /// Indexing the corpus `scale` times over.
    pub indexing_scaled: Option<Indexing>,
    /// Query latencies over the index of the corpus once, and over the scaled one.
    pub queries: Vec<QueryRun>,
    /// The HTTP run over the scaled index (or the single one when there is no scale).
    pub http: Option<Http>,
    /// With a scale: the HTTP run over the corpus once, too.
    pub http_small: Option<Http>,
    /// Wall time of the whole run, seconds.
    pub seconds: f64,
}

/// A target and what this run measured against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// What is required.
    pub goal: &'static str,
    /// The figure measured, as shown.
    pub measured: String,
    /// Met, not met, or not measured in this run.
    pub met: Option<bool>,
}

fn target(goal: &'static str, value: Option<(f64, String)>, ok: impl Fn(f64) -> bool) -> Target {
    match value {
        Some((v, shown)) => Target {
            goal,
            measured: shown,
            met: Some(ok(v)),
        },
        None => Target {
            goal,
            measured: "not measured".into(),
            met: None,
        },
    }
}

/// The targets of issue #4, each next to this run's figure.
pub fn targets(r: &Report) -> Vec<Target> {
    let idx = &r.indexing;
    let throughput = idx
        .kazsearch
        .as_ref()
        .zip(idx.plain.as_ref())
        .and_then(|(k, p)| ratio(k.mb_per_s(), p.mb_per_s()))
        .map(|x| (x, format!("{x:.2} × plain")));
    let accuracy = r.accuracy.as_ref().filter(|a| a.articles > 0).map(|a| {
        let p = a.percent();
        (p, format!("{p:.2} % of {}", a.articles))
    });
    let detect_share = idx
        .kazsearch
        .as_ref()
        .and_then(|k| share(k.detect_seconds?, k.seconds))
        .map(|s| (s, format!("{s:.1} %")));
    let big = r
        .queries
        .iter()
        .max_by_key(|q| q.docs)
        .filter(|q| q.docs > 0);
    let big_docs = big.map_or(0, |q| q.docs);
    let at = |x: f64, cpu: f64| {
        (
            x,
            format!(
                "{x:.2} ms (CPU {cpu:.2}) over {} docs",
                group(big_docs as i64)
            ),
        )
    };
    let p99 = big.map(|q| at(q.kazsearch.p99, q.kazsearch_cpu.p99));
    // The slowest kind's p99, and questions against plain tantivy's OR query.
    let worst_kind = big.and_then(|q| {
        q.by_kind
            .iter()
            .max_by(|a, b| a.1.p99.total_cmp(&b.1.p99))
            .map(|(k, l)| {
                (
                    l.p99,
                    format!("{:.2} ms ({k}) over {} docs", l.p99, group(big_docs as i64)),
                )
            })
    });
    let question = big.and_then(|q| {
        let (k, p) = (q.by_kind.get("question")?, q.plain_by_kind.get("question")?);
        let x = ratio(k.p50, p.p50)?;
        Some((x, format!("{x:.2} × ({:.2} vs {:.2} ms)", k.p50, p.p50)))
    });
    let p50 = big.map(|q| at(q.kazsearch.p50, q.kazsearch_cpu.p50));
    let http = r.http.as_ref();
    // Searches/s of a server run, and whether it was at 16 connections or more.
    let searches = |h: Option<&Http>| {
        h.map(|h| {
            (
                h.search.rps,
                format!(
                    "{} /s, {} connections",
                    fmt_num(h.search.rps),
                    h.search.connections
                ),
            )
        })
    };
    let at_16 = |h: Option<&Http>| h.is_some_and(|h| h.search.connections >= 16);
    // Errors over every server run.
    let runs: Vec<&Http> = r.http_small.iter().chain(&r.http).collect();
    let errors = (!runs.is_empty()).then(|| {
        let e: u64 = runs.iter().map(|h| h.search.errors()).sum();
        let sent: u64 = runs.iter().map(|h| h.search.ok + h.search.errors()).sum();
        (e as f64, format!("{e} of {sent}"))
    });
    let rss = http.map(|h| {
        let peak = h.rss_load_mb.max(h.rss_rest_mb);
        (
            peak,
            format!(
                "{peak:.0} MB under load ({:.0} MB heap) over {} docs",
                h.rss_load_anon_mb,
                group(h.docs as i64)
            ),
        )
    });
    vec![
        target(
            "indexing throughput, everything on ≥ 0.6 × plain tantivy",
            throughput,
            |x| x >= 0.6,
        ),
        target(
            "detection accuracy on corpus-small ≥ 99.5 %",
            accuracy,
            |x| x >= 99.5,
        ),
        target("detection < 10 % of indexing time", detect_share, |x| {
            x < 10.0
        }),
        target("query p99 < 20 ms at 10× (> 500,000 articles)", p99, |x| {
            x < 20.0 && big_docs > 500_000
        }),
        target("query p50 < 3 ms at 10×", p50, |x| {
            x < 3.0 && big_docs > 500_000
        }),
        target("every kind's p99 < 20 ms at 10×", worst_kind, |x| {
            x < 20.0 && big_docs > 500_000
        }),
        target(
            "question p50 ≤ 1.5 × plain tantivy's OR query",
            question,
            |x| x <= 1.5 && big_docs > 500_000,
        ),
        target(
            "HTTP > 3,000 searches/s at 16 connections",
            searches(http),
            |x| x > 3000.0 && at_16(http),
        ),
        target(
            "  … the same over the corpus once",
            searches(r.http_small.as_ref()),
            |x| x > 3000.0 && at_16(r.http_small.as_ref()),
        ),
        target("HTTP: no errors", errors, |x| x == 0.0),
        target("serve resident memory < 300 MB at 10×", rss, |x| {
            x < 300.0 && http.is_some_and(|h| h.docs > 500_000)
        }),
    ]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bench::stats::Latency;

    /// A report with every section filled in, for the tests here and in `render`.
    pub(crate) fn report() -> Report {
        let build = |secs: f64, detect: Option<f64>| Build {
            articles: 100,
            text_bytes: 10_000_000,
            seconds: secs,
            cpu_seconds: Some(secs * 2.0),
            size_bytes: 1_000_000,
            segments: 1,
            detect_seconds: detect,
        };
        let lat = |p50: f64, p99: f64| Latency {
            n: 10,
            p50,
            p95: p99,
            p99,
            max: p99,
            mean: p50,
        };
        let load = |rps: f64, bad: u64| LoadResult {
            connections: 16,
            seconds: 1.0,
            ok: rps as u64,
            bad_status: bad,
            rps,
            ..LoadResult::default()
        };
        Report {
            accuracy: Some(Accuracy {
                articles: 1000,
                right: 996,
                seconds: 1.0,
                by_method: [500, 500, 0],
            }),
            indexing: Indexing {
                scale: 1,
                kazsearch: Some(build(10.0, Some(0.5))),
                plain: Some(build(5.0, None)),
            },
            queries: vec![
                QueryRun {
                    docs: 50_000,
                    kazsearch: lat(1.0, 50.0),
                    ..QueryRun::default()
                },
                QueryRun {
                    docs: 520_000,
                    kazsearch: lat(2.0, 19.0),
                    plain: Some(lat(1.0, 5.0)),
                    by_kind: [
                        ("name".to_string(), lat(1.0, 4.0)),
                        ("question".to_string(), lat(6.0, 21.0)),
                    ]
                    .into(),
                    plain_by_kind: [("question".to_string(), lat(5.0, 9.0))].into(),
                    ..QueryRun::default()
                },
            ],
            http: Some(Http {
                docs: 520_000,
                search: load(3500.0, 1),
                health: load(20_000.0, 0),
                rss_rest_mb: 100.0,
                rss_load_mb: 320.0,
                rss_load_anon_mb: 20.0,
                rss_load_file_mb: 300.0,
                rss_peak_mb: 330.0,
                rss_after_mb: 200.0,
                generator_cpu_seconds: Some(0.5),
            }),
            ..Report::default()
        }
    }

    #[test]
    fn targets_against_figures() {
        let got: Vec<(String, Option<bool>)> = targets(&report())
            .into_iter()
            .map(|t| (t.measured, t.met))
            .collect();
        let want: Vec<(String, Option<bool>)> = vec![
            ("0.50 × plain".into(), Some(false)),
            ("99.60 % of 1000".into(), Some(true)),
            ("5.0 %".into(), Some(true)),
            ("19.00 ms (CPU 0.00) over 520 000 docs".into(), Some(true)),
            ("2.00 ms (CPU 0.00) over 520 000 docs".into(), Some(true)),
            ("21.00 ms (question) over 520 000 docs".into(), Some(false)),
            ("1.20 × (6.00 vs 5.00 ms)".into(), Some(true)),
            ("3500 /s, 16 connections".into(), Some(true)),
            ("not measured".into(), None),
            ("1 of 3501".into(), Some(false)),
            (
                "320 MB under load (20 MB heap) over 520 000 docs".into(),
                Some(false),
            ),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn missing_figures_are_not_measured_and_small_indexes_do_not_count() {
        let empty = targets(&Report::default());
        assert!(empty.iter().all(|t| t.met.is_none()), "{empty:?}");
        let mut r = report();
        r.queries.truncate(1); // only the 50 000-document index: p99 50 ms, and too small
        r.queries[0].kazsearch.p99 = 1.0;
        let t = targets(&r);
        assert_eq!(t[3].met, Some(false), "{:?}", t[3]);
    }

    #[test]
    fn both_server_runs_count() {
        let mut r = report();
        let mut small = r.http.clone().unwrap();
        small.search.rps = 3200.0;
        small.search.ok = 100;
        small.search.bad_status = 0;
        small.search.io_errors = 2;
        r.http_small = Some(small);
        let t = targets(&r);
        let row = |goal: &str| t.iter().find(|t| t.goal.contains(goal)).unwrap();
        assert_eq!(row("corpus once").met, Some(true), "{t:?}");
        let errors = row("no errors");
        assert_eq!(errors.met, Some(false));
        assert_eq!(errors.measured, "3 of 3603", "{errors:?}");
    }
}
