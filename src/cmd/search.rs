//! `kazsearch search`: the API's search, printed for a terminal (or as the API's JSON).

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use kazsearch::search::{RawParams, SearchParams};

use crate::cli::{AliasArg, EngineArg};

pub struct Opts {
    pub lang: Option<String>,
    pub limit: usize,
    pub offset: usize,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub json: bool,
    pub query: String,
}

pub fn run(index: &Path, engine: &EngineArg, aliases: &AliasArg, o: Opts) -> Result<()> {
    let params = SearchParams::from_raw(&RawParams {
        q: Some(o.query),
        lang: o.lang,
        limit: Some(o.limit.to_string()),
        offset: Some(o.offset.to_string()),
        from: o.from,
        to: o.to,
        sort: o.sort,
    })?;
    let engine = super::open_engine(index, engine, aliases)?;
    let resp = engine.search(&params)?;
    let mut out = std::io::stdout().lock();
    if o.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&resp)?)?;
        return Ok(());
    }
    if let Some(c) = &resp.corrected {
        writeln!(
            out,
            "showing results for «{}» (typed on the {} keyboard layout: «{}»)",
            c.to, c.layout, c.from
        )?;
    }
    let facets: Vec<String> = resp
        .facets
        .lang
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let what = if resp.query.is_empty() {
        "article(s), newest first".to_string()
    } else {
        format!("result(s) for «{}»", resp.query)
    };
    writeln!(
        out,
        "{} {} ({}){}{}{} in {:.1} ms",
        resp.total,
        what,
        facets.join(", "),
        if resp.fuzzy {
            ", with near spellings"
        } else {
            ""
        },
        if resp.relaxed {
            ", with articles lacking some words"
        } else {
            ""
        },
        if resp.sort == kazsearch::search::Sort::Date && !resp.query.is_empty() {
            ", newest first"
        } else {
            ""
        },
        resp.took_ms
    )?;
    for (i, h) in resp.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{:>3}. [{}] {}  {}{}",
            resp.offset + i + 1,
            h.lang,
            h.id,
            h.date.as_deref().unwrap_or(""),
            h.source
                .as_deref()
                .map(|s| format!("  {s}"))
                .unwrap_or_default()
        )?;
        writeln!(out, "     {}", terminal(&h.title_html))?;
        writeln!(out, "     {}", terminal(&h.snippet))?;
        if !h.matched.is_empty() {
            writeln!(out, "     matched: {}", h.matched.join(", "))?;
        }
        if !h.missing.is_empty() {
            writeln!(out, "     missing: {}", h.missing.join(", "))?;
        }
    }
    Ok(())
}

/// The API's escaped, marked HTML as terminal text: marks in bold, entities decoded.
fn terminal(html: &str) -> String {
    let bold = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    html.replace("<mark>", on)
        .replace("</mark>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace('\n', " ")
}
