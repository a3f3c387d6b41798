// kazsearch search page. Plain JS, no framework, nothing loaded from elsewhere.
//
// The state lives in the URL (?q=&lang=&page=&from=&to=&sort=&doc=&hl=), so a link can be shared
// and Back works: every change of view is a history entry, and render() draws whatever the
// URL says.
//
// Escaping: article text reaches the page only through textContent, or through appendMarked(),
// which rebuilds the server's HTML-escaped snippets from text nodes and <mark> elements only.
// Nothing is assigned to innerHTML, and no element gets a style attribute (the server's CSP
// is script-src 'self'; style-src 'self').
"use strict";

const PAGE_SIZE = 10;
const MAX_OFFSET = 10000; // the API's deepest page start
const LANGS = ["kk", "ru", "en"];
const LANG_NATIVE = { kk: "Қазақша", ru: "Русский", en: "English" };
const LANG_ENGLISH = { kk: "Kazakh", ru: "Russian", en: "English" };

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// URL state

function readState() {
  const u = new URLSearchParams(location.search);
  const lang = (u.get("lang") || "").toLowerCase();
  return {
    q: u.get("q") || "",
    lang: LANGS.includes(lang) ? lang : "",
    page: Math.max(1, parseInt(u.get("page") || "1", 10) || 1),
    from: u.get("from") || "",
    to: u.get("to") || "",
    sort: u.get("sort") === "date" ? "date" : "", // "" is relevance, the API's default
    doc: u.get("doc") || "",
    hl: u.get("hl") || "", // the query to highlight in an article when it differs from q
  };
}

function urlFor(s) {
  const u = new URLSearchParams();
  if (s.q) u.set("q", s.q);
  if (s.lang) u.set("lang", s.lang);
  if (s.from) u.set("from", s.from);
  if (s.to) u.set("to", s.to);
  if (s.sort) u.set("sort", s.sort);
  if (s.page > 1) u.set("page", String(s.page));
  if (s.doc) u.set("doc", s.doc);
  if (s.doc && s.hl && s.hl !== s.q) u.set("hl", s.hl);
  const qs = u.toString();
  return "/" + (qs ? "?" + qs : "");
}

const withState = (s, changes) => Object.assign({}, s, changes);

// A state with no query but a filter lists the filtered articles, newest first.
const filtered = (s) => !!(s.lang || s.from || s.to);
const browsing = (s) => !s.q.trim() && filtered(s);
const HOME = { q: "", lang: "", page: 1, from: "", to: "", sort: "", doc: "", hl: "" };

// What to focus once the next render is done: set by whoever starts a navigation.
let pendingFocus = null;

function navigate(s, focus) {
  pendingFocus = focus || null;
  const url = urlFor(s);
  if (url === location.pathname + location.search) {
    history.replaceState(history.state, "", url); // the same search again: refresh, no new entry
  } else {
    history.pushState({ fromResults: !!s.doc && !readState().doc }, "", url);
  }
  render();
}

// ---------------------------------------------------------------------------------------------
// Dates, written as the API and the summary line write them: 2022-01-05

const pad = (n) => String(n).padStart(2, "0");
const isoDay = (d) => d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());

// The date filter's presets: articles since this day last week, month or year.
const PRESETS = [
  { key: "week", label: "Last week", days: 7 },
  { key: "month", label: "Last month", months: 1 },
  { key: "year", label: "Last year", months: 12 },
];

// The first day of a preset, counted back from `today` (local time). A month back from the
// 31st lands on the month's last day (31 March → 28 or 29 February).
function presetFrom(p, today = new Date()) {
  const y = today.getFullYear(), m = today.getMonth(), d = today.getDate();
  if (p.days) return isoDay(new Date(y, m, d - p.days));
  const lastDay = new Date(y, m - p.months + 1, 0).getDate();
  return isoDay(new Date(y, m - p.months, Math.min(d, lastDay)));
}

// A typed date as the API takes it: 2022-01-05, 2022/1/5, 20220105, 05.01.2022 (day first,
// as dates are written in Kazakhstan), 2022-01 or 2022. Anything else stays as typed, for
// the server to refuse with a message that names the field.
function isoDate(v) {
  const t = v.trim();
  let m = t.match(/^(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?$/) || t.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (m) return m[1] + (m[2] ? "-" + pad(m[2]) + (m[3] ? "-" + pad(m[3]) : "") : "");
  m = t.match(/^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/);
  if (m) return m[3] + "-" + pad(m[2]) + "-" + pad(m[1]);
  return t;
}

function dateRangeText(s) {
  if (s.from && s.to) return "from " + s.from + " to " + s.to;
  return s.from ? "since " + s.from : "until " + s.to;
}

// What a list of articles without a query shows: "Newest articles in Kazakh since 2022-01-05".
function browseText(s) {
  return "Newest articles" + (s.lang ? " in " + LANG_ENGLISH[s.lang] : "") + (s.from || s.to ? " " + dateRangeText(s) : "");
}

// ---------------------------------------------------------------------------------------------
// DOM helpers

// el("a", {href, class, lang, on: {click}}, ...children): children are nodes or plain text.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

// Appends the server's escaped HTML (text with <mark> around matched words) to `parent`,
// keeping only text and <mark>: whatever else the string might hold becomes plain text.
function appendMarked(parent, html) {
  const parsed = new DOMParser().parseFromString("<!doctype html><body>" + (html || ""), "text/html");
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE) return document.createTextNode("");
    const out = node.localName === "mark" ? document.createElement("mark") : document.createDocumentFragment();
    for (const child of node.childNodes) out.append(copy(child));
    return out;
  };
  for (const node of parsed.body.childNodes) parent.append(copy(node));
  return parent;
}

// A link to another state of the page; plain clicks stay in the page, modified clicks
// (new tab, new window) follow the href.
function stateLink(s, label, attrs, focus) {
  const a = el("a", Object.assign({ href: urlFor(s) }, attrs || {}), label);
  a.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate(s, typeof focus === "function" ? focus() : focus);
  });
  return a;
}

function langBadge(lang) {
  return el("span", { class: "badge " + lang, title: LANG_ENGLISH[lang] || lang },
    el("span", { "aria-hidden": "true" }, lang),
    el("span", { class: "visually-hidden" }, LANG_ENGLISH[lang] || lang));
}

function safeUrl(u) {
  try {
    const x = new URL(u, location.href);
    return x.protocol === "http:" || x.protocol === "https:" ? x.href : null;
  } catch (_) {
    return null;
  }
}

function meta(item) {
  const url = item.url ? safeUrl(item.url) : null;
  const day = item.date ? item.date.slice(0, 10) : "";
  return el("p", { class: "meta" },
    langBadge(item.lang),
    day ? el("time", { datetime: day }, day) : null,
    item.source ? el("span", { class: "source", lang: item.lang }, item.source) : null,
    url ? el("a", { class: "original", href: url, rel: "noopener noreferrer nofollow", target: "_blank" },
      "original", el("span", { class: "visually-hidden" }, " (opens in a new tab)")) : null);
}

// The words of a query, folded the way matched words are compared to it.
function queryWords(q) {
  return new Set((q.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []));
}

// "matched Тоқаев, Тоқаевтың": the spellings that matched, when they differ from the query.
// A hit found only through a near spelling says so ("near spelling Токарев").
function matchedLine(words, query, lang, near) {
  const typed = queryWords(query);
  const other = (words || []).filter((w) => !typed.has(w.normalize("NFC").toLowerCase()));
  if (!other.length) return null;
  const p = el("p", { class: near ? "matched near" : "matched" }, near ? "near spelling " : "matched ");
  other.forEach((w, i) => {
    if (i) p.append(", ");
    p.append(el("span", { class: "spelling", lang }, w));
  });
  return p;
}

function setStatus(...parts) {
  $("status").replaceChildren(...parts.filter(Boolean));
}

// ---------------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, body) {
    const e = body && body.error;
    super(e && e.message ? e.message : "the server answered " + status);
    this.status = status;
    this.code = e ? e.code : "";
    this.param = e ? e.param : "";
  }
}

const cache = new Map(); // recent search answers, so Back and paging back are instant
const CACHE_MS = 60000;

async function api(path, useCache) {
  const hit = useCache && cache.get(path);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.body;
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await r.json(); } catch (_) { /* not JSON */ }
  if (!r.ok) throw new ApiError(r.status, body);
  if (useCache) {
    cache.set(path, { at: Date.now(), body });
    if (cache.size > 40) cache.delete(cache.keys().next().value);
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// Rendering

let renderCount = 0;
let shown = { view: "", doc: "" }; // what is on screen, to restore focus when coming back

async function render() {
  const s = readState();
  const my = ++renderCount;
  const previous = shown;
  shown = { view: s.doc ? "doc" : s.q.trim() || filtered(s) ? "results" : "home", doc: s.doc };
  $("q").value = s.q;
  $("from").value = s.from;
  $("to").value = s.to;
  $("clear-dates").hidden = !(s.from || s.to);
  $("dates-label").textContent = s.from || s.to ? dateRangeText(s) : "Any date";
  for (const p of PRESETS) {
    $("preset-" + p.key).setAttribute("aria-pressed", String(!s.to && s.from === presetFrom(p)));
  }
  if (s.from || s.to) showDates(true);
  $("intro").hidden = shown.view !== "home";
  $("filters").hidden = shown.view !== "results";
  $("doc").hidden = shown.view !== "doc";
  for (const id of ["results", "pager"]) $(id).hidden = shown.view !== "results";
  $("results-heading").hidden = shown.view !== "results";
  document.body.dataset.view = shown.view;
  delete document.body.dataset.ready; // set again when this render is complete (tests wait for it)

  if (shown.view === "home") {
    document.title = "kazsearch";
    setStatus();
    $("results").replaceChildren();
    $("pager").replaceChildren();
    $("facets").replaceChildren();
    renderBrowseLinks();
    loadDocCount();
    document.body.dataset.ready = "1";
    return;
  }
  if (shown.view === "doc") return renderDoc(s, my);

  // Coming back from an article: focus its result again.
  const focus = pendingFocus || (previous.view === "doc" ? { hit: previous.doc } : null);
  pendingFocus = null;
  document.title = (browsing(s) ? browseText(s) : s.q) + " — kazsearch";
  $("results").setAttribute("aria-busy", "true");
  $("results").classList.add("loading");
  const slow = setTimeout(() => { if (my === renderCount) setStatus("Searching…"); }, 150);
  // An empty q with a filter lists the filtered articles, newest first.
  const qs = new URLSearchParams({ q: browsing(s) ? "" : s.q, limit: String(PAGE_SIZE), offset: String((s.page - 1) * PAGE_SIZE) });
  for (const k of ["lang", "from", "to", "sort"]) if (s[k]) qs.set(k, s[k]);
  let res = null, err = null;
  try {
    res = await api("/api/search?" + qs.toString(), true);
  } catch (e) {
    err = e;
  }
  clearTimeout(slow);
  if (my !== renderCount) return; // a newer render started meanwhile
  $("results").removeAttribute("aria-busy");
  $("results").classList.remove("loading");
  for (const id of ["from", "to"]) $(id).removeAttribute("aria-invalid");
  if (err) {
    renderError(s, err);
  } else {
    renderFacets(s, res);
    renderSort(s);
    renderStatus(s, res);
    renderHits(s, res);
    renderPager(s, res);
  }
  finishFocus(focus);
  document.body.dataset.ready = "1";
}

function renderError(s, err) {
  $("results").replaceChildren();
  $("pager").replaceChildren();
  $("facets").replaceChildren();
  if (err instanceof ApiError && err.status === 400) {
    if (err.param === "from" || err.param === "to") $(err.param).setAttribute("aria-invalid", "true");
    setStatus(el("div", { class: "notice error" },
      el("p", { class: "headline" }, "This search can’t be run: ", el("span", { class: "reason" }, err.message)),
      el("p", {}, "Use words, ", el("code", {}, "\"quoted phrases\""), ", ", el("code", {}, "-exclude"), ", ",
        el("code", {}, "+required"), ", ", el("code", {}, "either OR other"), " and ", el("code", {}, "lang:kk"),
        " / ", el("code", {}, "lang:ru"), " / ", el("code", {}, "lang:en"), ".")));
    return;
  }
  const retry = el("button", { type: "button", class: "link", on: { click: () => render() } }, "Try again");
  setStatus(el("div", { class: "notice error" },
    el("p", { class: "headline" }, "The search failed: ", el("span", { class: "reason" }, err.message), ". "),
    retry));
}

function renderFacets(s, res) {
  const counts = res.facets && res.facets.lang ? res.facets.lang : {};
  const facet = (lang, n, ...label) => {
    const current = s.lang === lang;
    const key = "facet-" + (lang || "all");
    const a = stateLink(withState(s, { lang, page: 1 }), null, {
      class: "facet" + (n === 0 && !current ? " empty" : ""),
      "aria-current": current ? "true" : null,
      "data-focus": key,
    }, { key });
    a.append(...label, " ", el("span", { class: "count" }, String(n)));
    return a;
  };
  const all = LANGS.reduce((n, l) => n + (counts[l] || 0), 0);
  // Browsing one language with no dates, "All" would be no filter at all: the start page.
  const withAll = !browsing(s) || s.from || s.to;
  $("facets").replaceChildren(withAll ? facet("", all, "All") : "",
    ...LANGS.map((l) => facet(l, counts[l] || 0, el("span", { lang: l }, LANG_NATIVE[l]))));
}

// Relevance, or date (newest first). A list without a query is always newest first.
function renderSort(s) {
  const box = $("sort");
  box.hidden = browsing(s);
  if (box.hidden) return;
  const option = (sort, label) => {
    const key = "sort-" + (sort || "relevance");
    return stateLink(withState(s, { sort, page: 1 }), label, {
      class: "sort-option", "aria-current": s.sort === sort ? "true" : null, "data-focus": key,
    }, { key });
  };
  box.replaceChildren(el("span", { class: "sort-label", "aria-hidden": "true" }, "Sort:"),
    option("", "Relevance"), option("date", "Date"));
}

function renderStatus(s, res) {
  const parts = [];
  if (res.corrected) {
    const layout = LANG_ENGLISH[res.corrected.layout];
    parts.push(el("p", { class: "corrected" },
      "Showing results for ", el("strong", { class: "corrected-to" }, res.corrected.to),
      ": ", el("span", { class: "corrected-from" }, res.corrected.from),
      layout ? " as typed on a " + layout + " keyboard." : " as typed on another keyboard layout."));
  }
  if (res.total === 0) {
    const where = [];
    if (s.lang) where.push("in " + LANG_ENGLISH[s.lang]);
    if (s.from || s.to) where.push(dateRangeText(s));
    const ideas = el("ul", { class: "ideas" });
    const idea = (changes, label) => {
      const t = withState(s, Object.assign({ page: 1 }, changes));
      if (t.q.trim() || filtered(t)) ideas.append(el("li", {}, stateLink(t, label, {}, { heading: true })));
    };
    const verb = browsing(s) ? "Show" : "Search";
    if (s.lang) idea({ lang: "" }, verb + " all languages");
    if (s.from || s.to) idea({ from: "", to: "" }, verb + " any date");
    if (!browsing(s)) {
      ideas.append(el("li", {}, "Check the spelling, or use fewer words."));
      ideas.append(el("li", {}, "Names match in any script and form: ",
        el("span", { lang: "kk" }, "Тоқаев"), " = ", el("span", { lang: "ru" }, "Токаев"), " = Tokayev."));
    }
    const headline = browsing(s)
      ? el("p", { class: "headline" }, "No articles ", where.join(", "), ".")
      : el("p", { class: "headline" }, "No articles match “", el("span", { class: "query" }, res.query), "”",
        where.length ? " " + where.join(", ") : "", ".");
    parts.push(el("div", { class: "notice empty-result" }, headline, ideas.childNodes.length ? ideas : null));
  } else {
    const first = res.offset + 1;
    const last = res.offset + res.hits.length;
    const summary = el("p", { class: "summary" },
      el("strong", {}, String(res.total)), res.total === 1 ? " article" : " articles");
    if (s.lang) summary.append(" in " + LANG_ENGLISH[s.lang]);
    if (s.from || s.to) summary.append(" " + dateRangeText(s));
    if (browsing(s) || s.sort === "date") summary.append(" · newest first");
    if (res.total > res.hits.length && res.hits.length) summary.append(" · ", el("span", { class: "nowrap" }, "showing " + first + "–" + last));
    if (res.fuzzy) summary.append(" · including near spellings");
    if (typeof res.took_ms === "number") summary.append(el("span", { class: "took" }, " · " + res.took_ms.toFixed(1) + " ms"));
    parts.push(summary);
    if (res.relaxed && res.hits.length) {
      parts.push(el("p", { class: "relaxed" },
        "Not every result has all of your words: a result that lacks some says which."));
    }
    if (!res.hits.length) {
      const lastPage = Math.max(1, Math.ceil(Math.min(res.total, MAX_OFFSET + PAGE_SIZE) / PAGE_SIZE));
      parts.push(el("p", { class: "notice" }, "There is no page " + s.page + " of these results. ",
        stateLink(withState(s, { page: lastPage }), "Go to the last page (" + lastPage + ")", {}, { heading: true })));
    }
  }
  setStatus(...parts);
}

function showDates(open) {
  $("dates-toggle").setAttribute("aria-expanded", open ? "true" : "false");
  $("date-fields").hidden = !open;
}

function renderHits(s, res) {
  const hl = res.corrected ? res.query : "";
  const items = res.hits.map((h) => {
    const link = stateLink(withState(s, { doc: h.id, hl }), null,
      { class: "hit-link", lang: h.lang, "data-id": h.id }, { docTitle: true });
    titleInto(link, h);
    return el("li", { class: "hit", "data-id": h.id },
      el("h3", { class: "hit-title" }, link),
      meta(h),
      appendMarked(el("p", { class: "snippet", lang: h.lang }), h.snippet),
      matchedLine(h.matched, res.query, h.lang, h.near),
      missingLine(s, res.query, h.missing));
  });
  $("results").replaceChildren(...items);
}

// "Missing: ~~Казахстане~~ | Must include: Казахстане", as web search engines show a result
// that lacks some of the query's words. The link searches again with the word required.
function missingLine(s, query, missing) {
  if (!missing || !missing.length) return null;
  const p = el("p", { class: "missing" }, "Missing: ");
  missing.forEach((w, i) => p.append(i ? " " : "", el("s", {}, w)));
  const must = missing.map((w) => [w, requireWord(query, w)]).filter(([, q]) => q);
  if (must.length) {
    p.append(el("span", { class: "sep", "aria-hidden": "true" }, " | "),
      el("span", { class: "visually-hidden" }, ". "), "Must include: ");
    must.forEach(([w, q], i) => p.append(i ? " " : "",
      stateLink(withState(s, { q, page: 1 }), w, { class: "must" }, { heading: true })));
  }
  return p;
}

// The query with one of its words (or "quoted phrases", as typed) made required:
// "протесты в Казахстане" → "протесты в +Казахстане". Null when the word is not found as a
// whole in the query, or the query has alternatives (OR, |) that a + would change.
function requireWord(query, word) {
  if (/(^|\s)OR(\s|$)/.test(query) || query.includes("|")) return null;
  const forms = word.startsWith("\"") ? [word] : [word, "\"" + word + "\""];
  for (const w of forms) {
    for (let at = query.indexOf(w); at >= 0; at = query.indexOf(w, at + 1)) {
      const before = at ? query[at - 1] : " ";
      const after = query[at + w.length] || " ";
      if (/\s/.test(before) && /\s/.test(after)) return query.slice(0, at) + "+" + query.slice(at);
    }
  }
  return null;
}

// The title of a hit or an article, marked when the server marked it. An article without a
// title shows its first sentence (the server's lead_html) in its place.
function titleInto(parent, item) {
  if (item.title) {
    if (item.title_html) appendMarked(parent, item.title_html);
    else parent.textContent = item.title;
  } else if (item.lead_html) {
    const lead = appendMarked(el("span", { class: "lead" }), item.lead_html);
    lead.title = lead.textContent; // the whole sentence, where the line cuts it
    parent.append(lead);
  } else {
    parent.append(el("span", { class: "untitled" }, "Untitled article (" + item.id + ")"));
  }
  return parent;
}

// An article's text as paragraphs: every line break in the body (a blank line or a single
// newline) starts a new one. `html` is the server's marked text, or null for plain text.
function paragraphs(text, html) {
  const flat = html !== undefined && html !== null
    ? appendMarked(document.createDocumentFragment(), html)
    : el("div", {}, text || "");
  const out = [];
  let p = el("p");
  const flush = () => {
    if (p.textContent.trim()) out.push(p);
    p = el("p");
  };
  for (const node of Array.from(flat.childNodes)) {
    if (node.nodeType !== Node.TEXT_NODE) {
      p.append(node);
      continue;
    }
    node.data.split(/[^\S\n]*\n\s*/).forEach((part, i) => {
      if (i) flush();
      if (part) p.append(part);
    });
  }
  flush();
  return out;
}

function renderPager(s, res) {
  const pages = Math.min(Math.ceil(res.total / PAGE_SIZE), Math.floor(MAX_OFFSET / PAGE_SIZE) + 1);
  if (pages <= 1) {
    $("pager").replaceChildren();
    return;
  }
  const toPage = (n, label, attrs) => stateLink(withState(s, { page: n }), label,
    Object.assign({ "data-focus": "page-" + n }, attrs), { heading: true });
  const list = [];
  if (s.page > 1) list.push(toPage(Math.min(s.page - 1, pages), "← Previous", { rel: "prev", class: "step" }));
  let last = 0;
  for (let n = 1; n <= pages; n++) {
    if (n !== 1 && n !== pages && Math.abs(n - s.page) > 2) continue;
    if (n - last > 1) list.push(el("span", { class: "gap", "aria-hidden": "true" }, "…"));
    list.push(n === s.page
      ? el("span", { class: "current", "aria-current": "page" }, el("span", { class: "visually-hidden" }, "Page "), String(n))
      : toPage(n, String(n), { "aria-label": "Page " + n }));
    last = n;
  }
  if (s.page < pages) list.push(toPage(s.page + 1, "Next →", { rel: "next", class: "step" }));
  $("pager").replaceChildren(...list);
}

async function renderDoc(s, my) {
  pendingFocus = null;
  const box = $("doc");
  box.classList.add("loading");
  setStatus();
  const hl = (s.hl || s.q).trim();
  const path = "/api/docs/" + encodeURIComponent(s.doc);
  let d = null, err = null;
  try {
    d = await api(hl ? path + "?q=" + encodeURIComponent(hl) : path, false);
  } catch (e) {
    err = e;
    // An unreadable query must not hide the article: load it without highlights.
    if (hl && e instanceof ApiError && e.status === 400) {
      try { d = await api(path, false); err = null; } catch (e2) { err = e2; }
    }
  }
  if (my !== renderCount) return;
  box.classList.remove("loading");
  const back = backLink(s);
  if (err) {
    document.title = "Article not found — kazsearch";
    box.replaceChildren(back, el("h1", { id: "doc-title", tabindex: "-1" },
      err.status === 404 ? "No article with this id" : "The article could not be loaded"),
    el("p", { class: "notice error" }, err.message));
    box.hidden = false;
    finishFocus({ docTitle: true });
    document.body.dataset.ready = "1";
    return;
  }
  const h1 = titleInto(el("h1", { id: "doc-title", tabindex: "-1", lang: d.lang }), d);
  document.title = (d.title || (d.lead_html ? h1.textContent : d.id)) + " — kazsearch";
  const body = el("div", { class: "body", lang: d.lang }, ...paragraphs(d.body, d.body_html));
  const marks = body.querySelectorAll("mark").length + h1.querySelectorAll("mark").length;
  const tools = marks ? el("div", { class: "match-tools" },
    el("span", { class: "match-count" }, marks + (marks === 1 ? " highlight" : " highlights")),
    el("button", { type: "button", class: "link", "data-step": "-1", on: { click: () => stepMatch(-1) } }, "↑ Previous"),
    el("button", { type: "button", class: "link", "data-step": "1", on: { click: () => stepMatch(1) } }, "↓ Next match"),
    el("span", { class: "hint muted" }, "(or press n / N)")) : null;
  box.replaceChildren(...[back, h1, meta(d), matchedLine(d.matched, hl, d.lang), tools, body].filter(Boolean));
  box.hidden = false;
  finishFocus({ docTitle: true });
  document.body.dataset.ready = "1";
}

function backLink(s) {
  if (!s.q.trim() && !filtered(s)) return el("a", { class: "back", href: "/" }, "← New search");
  const a = el("a", { class: "back", href: urlFor(withState(s, { doc: "", hl: "" })) }, "← Back to results");
  a.addEventListener("click", (ev) => {
    if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    backToResults();
  });
  return a;
}

// Back to the results an article was opened from: through history when it came from them
// (so Forward works too), else to the results of the query in the URL.
function backToResults() {
  const s = readState();
  if (history.state && history.state.fromResults) history.back();
  else if (s.q.trim() || filtered(s)) navigate(withState(s, { doc: "", hl: "" }), { hit: s.doc });
  else navigate(HOME);
}

// Moves to the next (+1) or previous (-1) highlighted word of the open article.
function stepMatch(dir) {
  const marks = Array.from($("doc").querySelectorAll("mark"));
  if (!marks.length) return;
  const at = marks.findIndex((m) => m.classList.contains("current"));
  if (at >= 0) marks[at].classList.remove("current");
  const next = marks[(at + dir + marks.length) % marks.length];
  next.classList.add("current");
  next.scrollIntoView({ block: "center" });
}

function finishFocus(focus) {
  if (!focus) return;
  let target = null;
  if (focus.key) target = document.querySelector('[data-focus="' + focus.key + '"]');
  else if (focus.hit) target = document.querySelector('.hit-link[data-id="' + CSS.escape(focus.hit) + '"]');
  else if (focus.heading) {
    target = $("results").querySelector(".hit-link") ? $("results-heading") : $("q");
    window.scrollTo(0, 0);
  } else if (focus.docTitle) {
    target = $("doc-title");
    window.scrollTo(0, 0);
  }
  if (target) {
    target.focus({ preventScroll: !!(focus.heading || focus.docTitle) });
    if (focus.hit) target.scrollIntoView({ block: "center" });
  }
}

// The start page's ways into the newest articles: by language, or of the last week or month.
function renderBrowseLinks() {
  const link = (changes, label, attrs) => stateLink(withState(HOME, changes), label, attrs, { heading: true });
  $("browse").replaceChildren("Or browse the newest articles: in ",
    link({ lang: "kk" }, LANG_NATIVE.kk, { lang: "kk" }), ", ",
    link({ lang: "ru" }, LANG_NATIVE.ru, { lang: "ru" }), " or ",
    link({ lang: "en" }, LANG_NATIVE.en, { lang: "en" }), ", or all from the ",
    link({ from: presetFrom(PRESETS[0]) }, "last week"), " or ",
    link({ from: presetFrom(PRESETS[1]) }, "last month"), ".");
}

let docCountLoaded = false;
async function loadDocCount() {
  if (docCountLoaded) return;
  docCountLoaded = true;
  try {
    const h = await api("/api/health", false);
    if (typeof h.docs === "number") $("doc-count").textContent = h.docs.toLocaleString("en") + " articles in the index.";
  } catch (_) { /* the count is a nicety */ }
}

// ---------------------------------------------------------------------------------------------
// Keyboard

function typing(t) {
  return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
}

function onKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  const view = document.body.dataset.view;
  if (ev.key === "/" && !typing(t)) {
    ev.preventDefault();
    $("q").focus();
    $("q").select();
    return;
  }
  if (ev.key === "Escape" && view === "doc" && !typing(t)) {
    ev.preventDefault();
    backToResults();
    return;
  }
  if (view === "doc" && !typing(t) && (ev.key === "n" || ev.key === "N")) {
    ev.preventDefault();
    stepMatch(ev.key === "n" ? 1 : -1);
    return;
  }
  if (view === "results" && (ev.key === "ArrowDown" || ev.key === "ArrowUp")) {
    const links = Array.from($("results").querySelectorAll(".hit-link"));
    if (!links.length) return;
    const at = links.indexOf(t);
    if (t === $("q")) {
      if (ev.key !== "ArrowDown") return;
      ev.preventDefault();
      links[0].focus();
    } else if (at >= 0) {
      ev.preventDefault();
      const next = at + (ev.key === "ArrowDown" ? 1 : -1);
      if (next < 0) $("q").focus();
      else links[Math.min(next, links.length - 1)].focus();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Start

document.addEventListener("DOMContentLoaded", () => {
  history.scrollRestoration = "manual"; // render() places focus and scroll itself
  $("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const s = readState();
    const q = $("q").value.trim();
    // An empty box with a filter set lists the filtered articles; with none, nothing to do.
    if (!q && !filtered(s)) {
      $("q").focus();
      return;
    }
    navigate({ q, lang: s.lang, page: 1, from: s.from, to: s.to, sort: s.sort, doc: "", hl: "" }, null);
  });
  for (const id of ["from", "to"]) {
    const commit = () => {
      const s = readState();
      const v = isoDate($(id).value);
      $(id).value = v;
      if (v !== s[id]) navigate(withState(s, { [id]: v, page: 1, doc: "" }), null);
    };
    $(id).addEventListener("change", commit);
    $(id).addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      commit();
    });
  }
  for (const p of PRESETS) {
    $("preset-" + p.key).addEventListener("click", () => {
      const s = readState();
      navigate(withState(s, { from: presetFrom(p), to: "", page: 1, doc: "" }), { key: "preset-" + p.key });
    });
  }
  $("dates-toggle").addEventListener("click", () => {
    const open = $("date-fields").hidden;
    showDates(open);
    if (open) $("from").focus();
  });
  $("clear-dates").addEventListener("click", () => {
    navigate(withState(readState(), { from: "", to: "", page: 1 }), { key: "date-from" });
  });
  document.addEventListener("keydown", onKey);
  window.addEventListener("popstate", () => render());
  render();
});
