//! The text table `kazsearch bench` prints: each section of the [`Report`] with kazsearch
//! beside its baseline and the ratio, then the targets with met / NOT MET.

use std::fmt::Write as _;

use super::queries::QueryRun;
use super::report::{targets, Build, Http, Indexing, Report};
use super::stats::{fmt_num, fmt_ratio, group, mb, rate, ratio, share, Latency};
use super::steps::{StepTimes, DEFAULT_TOKENIZER, FIRST_ANALYSIS, KZ_TOKENIZER};

/// The report as the text `kazsearch bench` prints.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let s = &r.setup;
    let _ = writeln!(
        o,
        "kazsearch bench — {} · {} threads · {} MB heap · {} cores · {} queries × {} rounds · {}",
        s.corpus,
        s.threads,
        s.heap_mb,
        s.cores,
        s.queries,
        s.query_rounds,
        if s.release {
            "release build"
        } else {
            "DEBUG BUILD: figures mean nothing, use --release"
        }
    );
    for ix in std::iter::once(&r.indexing).chain(r.indexing_scaled.as_ref()) {
        indexing(&mut o, ix);
    }
    if let Some(st) = &r.steps {
        steps(
            &mut o,
            st,
            r.indexing.kazsearch.as_ref(),
            r.indexing.plain.as_ref(),
        );
    }
    if let Some(a) = &r.accuracy {
        let _ = writeln!(
            o,
            "\nDetection on {}: {:.2} % right ({} of {}), {:.2} ms per article (letters {}, lingua {}, fallback {})",
            s.accuracy_file.as_deref().unwrap_or("?"),
            a.percent(),
            a.right,
            a.articles,
            rate(a.seconds * 1e3, a.articles as f64),
            a.by_method[0],
            a.by_method[1],
            a.by_method[2],
        );
    }
    for q in &r.queries {
        queries(&mut o, q);
    }
    for h in r.http_small.iter().chain(&r.http) {
        let q = r.queries.iter().find(|q| q.docs == h.docs);
        http(&mut o, h, s.cores, q);
    }
    if let Some(u) = &r.updates {
        updates(&mut o, u);
    }
    let _ = writeln!(o, "\nTargets");
    let _ = writeln!(o, "  {:<58} {:<50} result", "target", "measured");
    for t in targets(r) {
        let verdict = match t.met {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "–",
        };
        let _ = writeln!(o, "  {:<58} {:<50} {verdict}", t.goal, t.measured);
    }
    let _ = writeln!(o, "\n(whole run {:.0} s)", r.seconds);
    o
}

fn updates(o: &mut String, u: &crate::bench::updates::Updates) {
    let _ = writeln!(o, "\nUpdates on {} articles", group(u.docs as i64));
    let _ = writeln!(
        o,
        "  add 1,000 articles         {:>8.2} s (commit visible after {:.2} s){}",
        u.add_seconds,
        u.add_commit_seconds,
        u.rebuild_seconds
            .map_or(String::new(), |r| format!("; full rebuild {r:.1} s"))
    );
    let _ = writeln!(
        o,
        "  delete 1,000 ids           {:>8.2} s",
        u.delete_seconds
    );
    if let Some(l) = &u.stream_load {
        let _ = writeln!(
            o,
            "  {} commits under load     {} searches ({:.0}/s), {} failed; commit → visible: median {:.0} ms, worst {:.0} ms",
            u.stream_commits,
            l.ok,
            l.rps,
            l.errors(),
            u.visible_median_ms,
            u.visible_worst_ms
        );
    }
    if let (Some(a), Some(f)) = (&u.after_commits, &u.fresh) {
        let _ = writeln!(
            o,
            "  after {} commits of 10 ({} segments) vs a fresh rebuild: p50 {:.2} / {:.2} ms, p99 {:.2} / {:.2} ms ({})",
            u.small_commits,
            u.segments,
            a.kazsearch.p50,
            f.kazsearch.p50,
            a.kazsearch.p99,
            f.kazsearch.p99,
            fmt_ratio(ratio(a.kazsearch.p99, f.kazsearch.p99))
        );
    }
}

fn row(o: &mut String, name: &str, k: Option<f64>, p: Option<f64>, better_high: bool) {
    row_with(o, name, k, p, better_high, fmt_num);
}

fn row_with(
    o: &mut String,
    name: &str,
    k: Option<f64>,
    p: Option<f64>,
    better_high: bool,
    fmt: fn(f64) -> String,
) {
    let cell = |x: Option<f64>| x.map_or("–".to_string(), fmt);
    let r = k.zip(p).and_then(|(k, p)| ratio(k, p));
    let note = match (r, better_high) {
        (Some(_), true) => "",
        (Some(_), false) => "  (lower is better)",
        _ => "",
    };
    let _ = writeln!(
        o,
        "  {name:<26} {:>12} {:>14} {:>9}{note}",
        cell(k),
        cell(p),
        fmt_ratio(r)
    );
}

fn indexing(o: &mut String, ix: &Indexing) {
    let k = ix.kazsearch.as_ref();
    let p = ix.plain.as_ref();
    let Some(any) = k.or(p) else { return };
    let _ = writeln!(
        o,
        "\nIndexing {}× ({} articles, {:.1} MB of text)",
        ix.scale,
        group(any.articles as i64),
        mb(any.text_bytes)
    );
    let _ = writeln!(
        o,
        "  {:<26} {:>12} {:>14} {:>9}",
        "", "kazsearch", "plain tantivy", "ratio"
    );
    row(
        o,
        "MB/s",
        k.map(Build::mb_per_s),
        p.map(Build::mb_per_s),
        true,
    );
    row(
        o,
        "articles/s",
        k.map(Build::articles_per_s),
        p.map(Build::articles_per_s),
        true,
    );
    row(
        o,
        "wall s",
        k.map(|b| b.seconds),
        p.map(|b| b.seconds),
        false,
    );
    row(
        o,
        "CPU s",
        k.and_then(|b| b.cpu_seconds),
        p.and_then(|b| b.cpu_seconds),
        false,
    );
    row(
        o,
        "index size MB",
        k.map(|b| mb(b.size_bytes)),
        p.map(|b| mb(b.size_bytes)),
        false,
    );
    row_with(
        o,
        "segments",
        k.map(|b| b.segments as f64),
        p.map(|b| b.segments as f64),
        false,
        |x| group(x as i64),
    );
    if let Some(d) = k.and_then(|b| Some((b.detect_seconds?, b.seconds))) {
        let _ = writeln!(
            o,
            "  language detection: {:.2} s, {:.1} % of kazsearch's indexing wall time (on the thread that feeds the writer)",
            d.0,
            share(d.0, d.1).unwrap_or(0.0)
        );
    }
}

fn steps(o: &mut String, st: &StepTimes, kz: Option<&Build>, plain: Option<&Build>) {
    let cpu = kz.and_then(|b| b.cpu_seconds);
    let _ = writeln!(
        o,
        "\nWhere indexing time goes (each stage alone, CPU time on one thread, over the same {} articles / {:.1} MB; {} words → {} kazsearch terms vs {} default tokens = {})",
        group(st.articles as i64),
        mb(st.text_bytes),
        group(st.words as i64),
        group(st.kazsearch_tokens as i64),
        group(st.default_tokens as i64),
        fmt_ratio(ratio(st.kazsearch_tokens as f64, st.default_tokens as f64)),
    );
    let _ = writeln!(
        o,
        "  {:<32} {:>8} {:>9} {:>14}",
        "stage", "CPU s", "MB/s", "% indexing CPU"
    );
    for (i, (name, secs)) in st.seconds.iter().enumerate() {
        if i == FIRST_ANALYSIS {
            let _ = writeln!(o, "  -- analysis steps, each fed the previous one's output");
        }
        if i == KZ_TOKENIZER {
            let _ = writeln!(o, "  -- whole tokenizers, as tantivy drives them");
        }
        let pct = cpu
            .and_then(|c| share(*secs, c))
            .map_or("–".into(), |p| format!("{p:.1} %"));
        let _ = writeln!(
            o,
            "  {name:<32} {:>8.2} {:>9} {:>14}",
            secs,
            fmt_num(rate(mb(st.text_bytes), *secs)),
            pct
        );
    }
    let get = |i: usize| st.seconds.get(i).map(|(_, s)| *s);
    if let (Some(k), Some(d)) = (get(KZ_TOKENIZER), get(DEFAULT_TOKENIZER)) {
        let _ = writeln!(
            o,
            "  kazsearch tokenizer / tantivy default tokenizer: {}",
            fmt_ratio(ratio(k, d))
        );
        if let Some(extra) = extra_cpu(kz, plain) {
            let detect = get(1).unwrap_or(0.0);
            let tokenize = k - d;
            let _ = writeln!(
                o,
                "  kazsearch's extra indexing CPU over plain: {extra:+.1} s = tokenizer {tokenize:+.1} s + detection {detect:+.1} s + the rest {:+.1} s (tantivy indexing {} the terms, merging a bigger index)",
                extra - tokenize - detect,
                fmt_ratio(ratio(st.kazsearch_tokens as f64, st.default_tokens as f64)),
            );
        }
    }
}

/// kazsearch's indexing CPU seconds minus plain tantivy's.
fn extra_cpu(kz: Option<&Build>, plain: Option<&Build>) -> Option<f64> {
    Some(kz?.cpu_seconds? - plain?.cpu_seconds?)
}

fn queries(o: &mut String, q: &QueryRun) {
    let _ = writeln!(
        o,
        "\nQueries over {} articles (ms per search, wall time unless marked CPU; kazsearch = the full API response; plain = QueryParser + top 10 + count + snippets; {} samples each)",
        group(q.docs as i64),
        q.kazsearch.n
    );
    let _ = writeln!(
        o,
        "  {:<10} {:>7} {:>7} {:>7} {:>7} | {:>7} {:>7} {:>7} | {:>9} {:>9}",
        "kind",
        "p50",
        "p95",
        "p99",
        "max",
        "plain50",
        "plain95",
        "plain99",
        "p50 ratio",
        "p99 ratio"
    );
    let line = |o: &mut String, kind: &str, k: &Latency, p: Option<&Latency>| {
        let pc = |x: Option<f64>| x.map_or("–".into(), |v| format!("{v:.2}"));
        let _ = writeln!(
            o,
            "  {kind:<10} {:>7.2} {:>7.2} {:>7.2} {:>7.2} | {:>7} {:>7} {:>7} | {:>9} {:>9}",
            k.p50,
            k.p95,
            k.p99,
            k.max,
            pc(p.map(|p| p.p50)),
            pc(p.map(|p| p.p95)),
            pc(p.map(|p| p.p99)),
            fmt_ratio(p.and_then(|p| ratio(k.p50, p.p50))),
            fmt_ratio(p.and_then(|p| ratio(k.p99, p.p99))),
        );
    };
    line(o, "all", &q.kazsearch, q.plain.as_ref());
    line(o, "all (CPU)", &q.kazsearch_cpu, q.plain_cpu.as_ref());
    let _ = writeln!(
        o,
        "  -- by kind of query, CPU time (the wall-time figures of each kind are in the JSON)"
    );
    for (kind, l) in &q.by_kind_cpu {
        line(o, kind, l, q.plain_by_kind_cpu.get(kind));
    }
    let _ = writeln!(
        o,
        "  mean matches per query: kazsearch {}, plain {}{}",
        fmt_num(q.mean_total.0),
        fmt_num(q.mean_total.1),
        if q.errors > 0 {
            format!("; {} FAILED searches", q.errors)
        } else {
            String::new()
        }
    );
}

fn http(o: &mut String, h: &Http, cores: usize, q: Option<&QueryRun>) {
    let _ = writeln!(
        o,
        "\nHTTP: kazsearch serve over {} articles, {} connections, keep-alive",
        group(h.docs as i64),
        h.search.connections
    );
    let _ = writeln!(
        o,
        "  {:<28} {:>9} {:>8} {:>8} {:>8} {:>7}",
        "route", "req/s", "p50 ms", "p99 ms", "max ms", "errors"
    );
    for (name, l) in [
        ("/api/search (query set)", &h.search),
        ("/api/health (HTTP baseline)", &h.health),
    ] {
        let _ = writeln!(
            o,
            "  {name:<28} {:>9} {:>8.2} {:>8.2} {:>8.2} {:>7}",
            fmt_num(l.rps),
            l.latency.p50,
            l.latency.p99,
            l.latency.max,
            l.errors()
        );
    }
    let _ = writeln!(
        o,
        "  searches/s ÷ health/s: {}",
        fmt_ratio(ratio(h.search.rps, h.health.rps))
    );
    if let Some(q) = q.filter(|q| q.docs == h.docs && q.kazsearch_cpu.mean > 0.0) {
        let ceiling = cores as f64 * 1e3 / q.kazsearch_cpu.mean;
        let _ = writeln!(
            o,
            "  ceiling from the in-process runs: {} cores ÷ {:.2} ms mean CPU per search = {} searches/s; HTTP reached {} of it{}",
            cores,
            q.kazsearch_cpu.mean,
            fmt_num(ceiling),
            fmt_ratio(ratio(h.search.rps, ceiling)),
            h.generator_cpu_seconds
                .map(|c| format!(
                    " (the load generator itself used {:.0} % of a core)",
                    share(c, h.search.seconds).unwrap_or(0.0)
                ))
                .unwrap_or_default()
        );
        if let Some(p) = q.plain_cpu.filter(|p| p.mean > 0.0) {
            let _ = writeln!(
                o,
                "  plain tantivy's ceiling on this machine, for comparison: {} cores ÷ {:.2} ms = {} searches/s",
                cores,
                p.mean,
                fmt_num(cores as f64 * 1e3 / p.mean)
            );
        }
    }
    let _ = writeln!(
        o,
        "  resident memory: {:.0} MB at rest, {:.0} MB highest under load ({:.0} MB heap + {:.0} MB mapped index files), {:.0} MB peak (VmHWM), {:.0} MB after",
        h.rss_rest_mb,
        h.rss_load_mb,
        h.rss_load_anon_mb,
        h.rss_load_file_mb,
        h.rss_peak_mb,
        h.rss_after_mb
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::report::tests::report;

    #[test]
    fn renders_every_section() {
        let text = render(&report());
        for needle in [
            "Indexing 1×",
            "0.50×",
            "Queries over 520 000 articles",
            "HTTP: kazsearch serve over 520 000 articles",
            "NOT MET",
            "DEBUG BUILD",
        ] {
            assert!(text.contains(needle), "{needle} missing in\n{text}");
        }
    }
}
