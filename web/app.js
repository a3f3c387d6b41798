// kazsearch search page. Plain JS, no framework, no external resources.
// The state lives in the URL (?q=&lang=&page=&doc=) so links can be shared and Back works.
// Article text only reaches the page through textContent, or as the server's HTML-escaped
// snippet/title with <mark> elements.
"use strict";

const PAGE_SIZE = 10;
const LANG_NAMES = { kk: "Қазақша", ru: "Русский", en: "English" };
const $ = (id) => document.getElementById(id);

function params() {
  const u = new URLSearchParams(location.search);
  return {
    q: u.get("q") || "",
    lang: u.get("lang") || "",
    page: Math.max(1, parseInt(u.get("page") || "1", 10) || 1),
    doc: u.get("doc") || "",
  };
}

function urlFor(p) {
  const u = new URLSearchParams();
  if (p.q) u.set("q", p.q);
  if (p.lang) u.set("lang", p.lang);
  if (p.page && p.page > 1) u.set("page", String(p.page));
  if (p.doc) u.set("doc", p.doc);
  const s = u.toString();
  return "/" + (s ? "?" + s : "");
}

function go(p) {
  history.pushState(null, "", urlFor(p));
  render();
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "html") e.innerHTML = v; // only for server-escaped snippet/title HTML
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function link(p, label, attrs) {
  return el("a", Object.assign({ href: urlFor(p), onclick: (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault(); go(p);
  } }, attrs || {}), label);
}

function setStatus(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await r.json(); } catch (_) { /* not JSON */ }
  if (!r.ok) {
    const msg = body && body.error ? body.error.message : "the server answered " + r.status;
    throw new Error(msg);
  }
  return body;
}

function clear() {
  for (const id of ["facets", "results", "pager"]) $(id).replaceChildren();
  $("doc").hidden = true;
  $("doc").replaceChildren();
}

async function render() {
  const p = params();
  $("q").value = p.q;
  $("lang-input").value = p.lang;
  document.title = p.q ? p.q + " — kazsearch" : "kazsearch";
  $("intro").hidden = !!p.q || !!p.doc;
  clear();
  setStatus("");
  if (p.doc) return renderDoc(p);
  if (!p.q.trim()) return;
  setStatus("Searching…");
  const qs = new URLSearchParams({ q: p.q, limit: String(PAGE_SIZE), offset: String((p.page - 1) * PAGE_SIZE) });
  if (p.lang) qs.set("lang", p.lang);
  let res;
  try {
    res = await api("/api/search?" + qs.toString());
  } catch (e) {
    if (params().q !== p.q) return;
    setStatus("Invalid search: " + e.message, true);
    return;
  }
  if (urlFor(params()) !== urlFor(p)) return; // a newer search started
  renderFacets(p, res);
  renderStatus(p, res);
  renderHits(p, res);
  renderPager(p, res);
}

function renderFacets(p, res) {
  const nav = $("facets");
  const all = Object.values(res.facets.lang).reduce((a, b) => a + b, 0);
  nav.append(link(Object.assign({}, p, { lang: "", page: 1 }), "All " + all, { "aria-current": p.lang === "" ? "true" : "false" }));
  for (const [code, n] of Object.entries(res.facets.lang)) {
    nav.append(link(Object.assign({}, p, { lang: code, page: 1 }), (LANG_NAMES[code] || code) + " " + n,
      { "aria-current": p.lang === code ? "true" : "false", lang: code }));
  }
}

function renderStatus(p, res) {
  const s = $("status");
  s.replaceChildren();
  s.className = "";
  if (res.corrected) {
    const c = el("span", { class: "corrected" }, "Showing results for ", el("strong", {}, res.corrected.to),
      " (typed on the wrong keyboard layout). ");
    s.append(c);
  }
  if (res.total === 0) {
    s.append("No articles match “" + res.query + "”" + (p.lang ? " in " + (LANG_NAMES[p.lang] || p.lang) : "") +
      ". Try fewer words, another spelling, or all languages.");
    return;
  }
  const from = res.offset + 1, to = res.offset + res.hits.length;
  s.append(res.total + (res.total === 1 ? " article" : " articles") + (res.total > res.hits.length ? ", " + from + "–" + to : "") +
    " · " + res.took_ms.toFixed(1) + " ms" + (res.fuzzy ? " · including near spellings" : ""));
}

function renderHits(p, res) {
  const ol = $("results");
  const query = res.query.trim().toLowerCase();
  for (const h of res.hits) {
    const meta = el("div", { class: "meta" },
      el("span", { class: "badge " + h.lang, title: LANG_NAMES[h.lang] || h.lang }, h.lang),
      h.date ? el("time", { datetime: h.date.slice(0, 10) }, h.date.slice(0, 10)) : null,
      h.source ? el("span", { class: "source" }, h.source) : null,
      h.url ? el("a", { href: safeUrl(h.url), rel: "noopener noreferrer nofollow" }, "original") : null);
    const title = link(Object.assign({}, p, { doc: h.id }), "", { class: "title", html: h.title_html || escapeText(h.id) });
    const differing = h.matched.filter((w) => w.toLowerCase() !== query);
    ol.append(el("li", {},
      title,
      meta,
      el("p", { class: "snippet", html: h.snippet }),
      differing.length ? el("p", { class: "matched" }, "matched " + differing.join(", ")) : null));
  }
}

function renderPager(p, res) {
  const nav = $("pager");
  const pages = Math.ceil(res.total / PAGE_SIZE);
  if (pages <= 1) return;
  if (p.page > 1) nav.append(link(Object.assign({}, p, { page: p.page - 1 }), "← Previous", { rel: "prev" }));
  nav.append(el("span", {}, "Page " + p.page + " of " + pages));
  if (p.page < pages) nav.append(link(Object.assign({}, p, { page: p.page + 1 }), "Next →", { rel: "next" }));
}

async function renderDoc(p) {
  const box = $("doc");
  setStatus("Loading…");
  let d;
  try {
    d = await api("/api/docs/" + encodeURIComponent(p.doc) + (p.q ? "?q=" + encodeURIComponent(p.q) : ""));
  } catch (e) {
    setStatus(e.message, true);
    return;
  }
  setStatus("");
  box.replaceChildren(
    link(Object.assign({}, p, { doc: "" }), "← Back to results"),
    el("h1", { html: d.title_html || escapeText(d.title || d.id) }),
    el("div", { class: "meta" },
      el("span", { class: "badge " + d.lang }, d.lang),
      d.date ? el("time", {}, d.date.slice(0, 10)) : null,
      d.source ? el("span", {}, d.source) : null,
      d.url ? el("a", { href: safeUrl(d.url), rel: "noopener noreferrer nofollow" }, "original") : null),
    d.matched && d.matched.length ? el("p", { class: "matched" }, "matched " + d.matched.join(", ")) : null,
    el("div", { class: "body", html: d.body_html || escapeText(d.body) }));
  box.hidden = false;
}

function escapeText(s) {
  const d = document.createElement("div");
  d.textContent = s;
  return d.innerHTML;
}

function safeUrl(u) {
  try {
    const x = new URL(u, location.href);
    return x.protocol === "http:" || x.protocol === "https:" ? x.href : "#";
  } catch (_) {
    return "#";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("q").value.trim();
    go({ q, lang: params().lang, page: 1, doc: "" });
  });
  window.addEventListener("popstate", render);
  render();
});
