// The search page, used the way a person uses it: in headless Chromium against the real
// `kazsearch serve` with the bundled sample corpus and tests/browser/fixture.jsonl. Each test keeps screenshots in
// target/screenshots/ (printed at the end). Expected results are read from the JSON API of the
// same server, so the tests follow the analysis as it improves; what they pin down is the page.
//
// Issue #6: a search page people enjoy, tested in a real browser. Issue #10 (section 7): what
// a result lacks, sorting by date, browsing without a query, titleless articles, ISO dates.

import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";

import {
  DESKTOP, PHONE, apiJson, launchBrowser, openPage, screenshot, screenshotDir, screenshotsTaken, startServer,
} from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  const shots = screenshotsTaken();
  if (shots.length) console.log(`\n${shots.length} screenshots in ${screenshotDir}:\n  ` + shots.map((f) => f.split("/").pop()).join("\n  "));
});

// ---------------------------------------------------------------------------------------------
// helpers

/** Opens a page; `fn` gets it; fails the test on any script error, CSP refusal or dialog. */
async function withPage(viewport, fn, extra) {
  const { page, context, problems } = await openPage(browser, server.base, viewport, extra);
  try {
    await fn(page);
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, [], "the page had problems");
}

async function ready(page) {
  await page.waitForSelector("body[data-ready]", { timeout: 15_000 });
}

async function visit(page, route) {
  await page.goto(server.base + route);
  await ready(page);
}

/** Types a query into the search box and presses Enter, as a person would. */
async function search(page, q) {
  await page.click("#q");
  await page.fill("#q", "");
  await page.keyboard.type(q);
  await page.keyboard.press("Enter");
  await ready(page);
}

function query(page) {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

/** What the page shows for each hit. */
function hitsOnPage(page) {
  return page.$$eval("#results > li.hit", (items) => items.map((li) => ({
    id: li.dataset.id,
    title: li.querySelector(".hit-title").textContent.trim(),
    titleMarks: Array.from(li.querySelectorAll(".hit-title mark"), (m) => m.textContent),
    badge: li.querySelector(".badge [aria-hidden]").textContent,
    date: (li.querySelector(".meta time") || {}).textContent || "",
    source: (li.querySelector(".meta .source") || {}).textContent || "",
    snippet: li.querySelector(".snippet").textContent,
    marks: Array.from(li.querySelectorAll(".snippet mark"), (m) => m.textContent),
    matched: (li.querySelector(".matched") || {}).textContent || "",
    lead: (li.querySelector(".hit-title .lead") || {}).textContent || "",
    missing: Array.from(li.querySelectorAll(".missing s"), (s) => s.textContent),
    missingLine: (li.querySelector(".missing") || {}).textContent || "",
  })));
}

/** The text of the server's escaped, marked HTML. */
function plain(html) {
  return (html || "").replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

async function apiSearch(params) {
  const { status, body } = await apiJson(server.base, "/api/search", params);
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

async function statusText(page) {
  return (await page.innerText("#status")).replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------
// 1. A name in any script

describe("1. a name in any script finds highlighted results", () => {
  test("Latin 'Tokayev' finds Kazakh and Russian articles, marked in their own script", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/");
      await search(page, "Tokayev");
      assert.equal(query(page).q, "Tokayev");
      const api = await apiSearch({ q: "Tokayev", limit: "10" });
      const hits = await hitsOnPage(page);
      assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id), "the page shows the API's hits in order");
      for (const [i, h] of hits.entries()) {
        const a = api.hits[i];
        assert.equal(h.title, a.title || plain(a.lead_html) || `Untitled article (${a.id})`);
        assert.equal(h.badge, a.lang);
        assert.equal(h.date, a.date.slice(0, 10));
        assert.equal(h.source, a.source);
        assert.ok(h.marks.length + h.titleMarks.length > 0, `${h.id}: something is highlighted`);
      }
      const langs = new Set(hits.map((h) => h.badge));
      assert.ok(langs.has("kk") && langs.has("ru") && langs.has("en"), "all three languages: " + [...langs]);

      // Every hit lists the spellings that matched where they differ from the query.
      for (const [i, h] of hits.entries()) {
        const other = api.hits[i].matched.filter((w) => w.toLowerCase() !== "tokayev");
        const label = api.hits[i].near ? "near spelling " : "matched ";
        assert.equal(h.matched, other.length ? label + other.join(", ") : "", h.id);
      }
      // The Kazakh article is highlighted in Cyrillic, and says which spelling matched.
      const kk = hits.find((h) => h.id === "kk-016");
      assert.ok(kk, "kk-016 (only inflected forms of Тоқаев in it) is found by 'Tokayev'");
      assert.ok(kk.marks.length > 0 && kk.marks.every((m) => m.startsWith("Тоқаев")), "kk-016 marks: " + kk.marks);
      assert.ok(kk.matched.startsWith("matched ") && kk.matched.includes("Тоқаевтың"), kk.matched);
      const ru = hits.find((h) => h.id === "ru-001");
      assert.ok(ru.marks.some((m) => /^Токаев/.test(m)), "Russian marks: " + ru.marks);
      // Where the article's spelling is the query's, no "matched" line.
      const en = hits.find((h) => h.id === "en-001");
      assert.deepEqual(en.titleMarks, ["Tokayev"]);
      assert.equal(en.matched, "");
      // "showing 1–10" only when the search found more than the page holds.
      const showing = api.total > api.hits.length ? ` · showing 1–${api.hits.length}` : "";
      assert.match(await statusText(page), new RegExp(`^${api.total} articles${showing}`));
      assert.equal(await page.title(), "Tokayev — kazsearch");
      await screenshot(page, "1a-results-latin-query-desktop");
    });
  });

  test("Kazakh Cyrillic 'Тоқаевтың' and Russian 'Токаева' find the same person", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/");
      for (const q of ["Тоқаевтың", "Токаева"]) {
        await search(page, q);
        assert.equal(query(page).q, q);
        const hits = await hitsOnPage(page);
        const api = await apiSearch({ q, limit: "10" });
        assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id), q);
        assert.ok(hits.length >= 3, `${q}: ${hits.length} hits`);
        const latn = hits.find((h) => h.id === "kk-latn-01");
        assert.ok(latn, `${q}: the Latin-script Kazakh article is found`);
        assert.ok(latn.marks.includes("Toqaev") || latn.titleMarks.includes("Toqaev"), `${q}: Toqaev is marked`);
        assert.ok(latn.matched.startsWith("matched Toqaev"), latn.matched);
      }
      await screenshot(page, "1b-results-russian-inflected-query-desktop");
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Filters, pages, the URL, Back and shared links

describe("2. language filter, pages, URL, Back and shared links", () => {
  test("facets show counts and filter; pages move; Back and Forward replay the URL", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/");
      await search(page, "Almaty");
      const api = await apiSearch({ q: "Almaty" });
      assert.ok(api.total > 10, "Almaty has more than one page in the sample: " + api.total);

      const facets = await page.$$eval("#facets a", (as) => as.map((a) => ({
        text: a.textContent.replace(/\s+/g, " ").trim(), current: a.getAttribute("aria-current"),
      })));
      const f = api.facets.lang;
      assert.deepEqual(facets, [
        { text: `All ${f.kk + f.ru + f.en}`, current: "true" },
        { text: `Қазақша ${f.kk}`, current: null },
        { text: `Русский ${f.ru}`, current: null },
        { text: `English ${f.en}`, current: null },
      ]);

      // Page 2.
      await page.click("#pager a[rel=next]");
      await ready(page);
      assert.deepEqual(query(page), { q: "Almaty", page: "2" });
      const page2 = await apiSearch({ q: "Almaty", offset: "10" });
      assert.deepEqual((await hitsOnPage(page)).map((h) => h.id), page2.hits.map((h) => h.id));
      assert.match(await statusText(page), new RegExp(`showing 11–${10 + page2.hits.length}`));
      assert.equal(await page.textContent("#pager [aria-current=page]"), "Page 2");

      // The English filter starts again at page 1.
      await page.click("#facets a:has-text('English')");
      await ready(page);
      assert.deepEqual(query(page), { q: "Almaty", lang: "en" });
      const en = await hitsOnPage(page);
      assert.equal(en.length, f.en);
      assert.ok(en.every((h) => h.badge === "en"), "only English hits");
      assert.equal(await page.getAttribute("#facets a:has-text('English')", "aria-current"), "true");
      await screenshot(page, "2a-filtered-english-desktop");

      // Back: page 2 of all languages, then page 1; Forward: the filter again.
      await page.goBack();
      await ready(page);
      assert.deepEqual(query(page), { q: "Almaty", page: "2" });
      assert.deepEqual((await hitsOnPage(page)).map((h) => h.id), page2.hits.map((h) => h.id));
      await page.goBack();
      await ready(page);
      assert.deepEqual(query(page), { q: "Almaty" });
      assert.equal((await hitsOnPage(page)).length, 10);
      await page.goForward();
      await ready(page);
      await page.goForward();
      await ready(page);
      assert.deepEqual(query(page), { q: "Almaty", lang: "en" });
      assert.equal(await page.inputValue("#q"), "Almaty");
    });
  });

  test("a shared link opens the same query, filter and page", async () => {
    const api = await apiSearch({ q: "the", lang: "en", offset: "10" });
    assert.ok(api.hits.length > 0, "the English 'the' has a second page");
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/?q=the&lang=en&page=2");
      assert.equal(await page.inputValue("#q"), "the");
      assert.deepEqual((await hitsOnPage(page)).map((h) => h.id), api.hits.map((h) => h.id));
      assert.equal(await page.getAttribute("#facets a:has-text('English')", "aria-current"), "true");
      assert.equal(await page.textContent("#pager [aria-current=page]"), "Page 2");
      await screenshot(page, "2b-shared-link-page-2-desktop");
    });
  });

  test("a date range filters and lives in the URL", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/?q=Tokayev");
      const label = async () => (await page.textContent("#dates-toggle")).replace(/\s+/g, " ").trim();
      assert.equal(await label(), "Date filter: Any date");
      await page.click("#dates-toggle");
      assert.equal(await page.evaluate(() => document.activeElement.id), "from");
      await page.fill("#from", "2023-01-01");
      await page.press("#from", "Enter");
      await ready(page);
      assert.deepEqual(query(page), { q: "Tokayev", from: "2023-01-01" });
      const api = await apiSearch({ q: "Tokayev", from: "2023-01-01" });
      const hits = await hitsOnPage(page);
      assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id));
      assert.ok(hits.every((h) => h.date >= "2023-01-01"), hits.map((h) => h.date).join(" "));
      assert.match(await statusText(page), /since 2023-01-01/);
      assert.equal(await label(), "Date filter: since 2023-01-01");
      await screenshot(page, "2c-date-filter-desktop", { fullPage: false });
      await page.click("#clear-dates");
      await ready(page);
      assert.deepEqual(query(page), { q: "Tokayev" });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Nothing found, invalid queries, corrected queries

describe("3. messages: nothing found, invalid query, corrected query", () => {
  test("nothing found: a helpful message", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/?q=Tokayev&lang=en");
      await search(page, "Qwxzyv Zhqqptk"); // no word of it is in any article, in any spelling
      const text = await statusText(page);
      assert.match(text, /No articles match “Qwxzyv Zhqqptk” in English\./);
      assert.match(text, /Check the spelling, or use fewer words/);
      assert.equal(await page.locator("#results li").count(), 0);
      await screenshot(page, "3a-no-results-desktop");
      await page.click("#status a:has-text('Search all languages')");
      await ready(page);
      assert.deepEqual(query(page), { q: "Qwxzyv Zhqqptk" });
    });
  });

  test("invalid query: a clear message naming the problem", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/");
      await search(page, '"Tokayev');
      const api = await apiJson(server.base, "/api/search", { q: '"Tokayev' });
      assert.equal(api.status, 400);
      const notice = page.locator("#status .notice.error");
      assert.equal(await notice.count(), 1);
      const text = (await notice.textContent()).replace(/\s+/g, " ");
      assert.ok(text.includes("This search can’t be run: " + api.body.error.message), text);
      assert.match(text, /"quoted phrases"/);
      await screenshot(page, "3b-invalid-query-desktop");
    });
  });

  test("keyboard layout: 'Nj0ftd' shows results for Тоқаев (end to end)", async (t) => {
    const api = await apiSearch({ q: "Nj0ftd" });
    if (!api.corrected) {
      // The layout module on this branch is a placeholder that proposes nothing; the test
      // runs for real once the server corrects the query.
      t.skip("the server does not correct keyboard layouts yet (API answered without `corrected`)");
      return;
    }
    assert.match(api.corrected.to, /^тоқаев$/i);
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/");
      await search(page, "Nj0ftd");
      const corrected = (await page.textContent("#status .corrected")).replace(/\s+/g, " ");
      assert.ok(corrected.startsWith("Showing results for " + api.corrected.to), corrected);
      assert.ok(corrected.includes(": Nj0ftd as typed on a"), corrected);
      assert.equal(await page.inputValue("#q"), "Nj0ftd", "the box keeps what was typed");
      const hits = await hitsOnPage(page);
      assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id));
      assert.ok(hits.some((h) => h.marks.some((m) => m.startsWith("Тоқаев"))));
      await screenshot(page, "3c-corrected-layout-desktop");
      // The article opened from corrected results is marked with the corrected query.
      await page.click("#results .hit-link >> nth=0");
      await ready(page);
      assert.ok(await page.locator("#doc .body mark").count() > 0);
    });
  });

  test("keyboard layout: the page renders a correction (API answer stubbed)", async () => {
    // The page's half of the feature, independent of the layout module: the answer for
    // 'Nj0ftd' is the server's real answer for 'Тоқаев' plus the `corrected` field.
    await withPage(DESKTOP, async (page) => {
      await page.route((url) => url.pathname === "/api/search" && url.searchParams.get("q") === "Nj0ftd", async (route) => {
        const u = new URL(route.request().url());
        u.searchParams.set("q", "Тоқаев");
        const real = await (await fetch(u)).json();
        real.corrected = { from: "Nj0ftd", to: "Тоқаев", reason: "keyboard_layout", layout: "kk" };
        await route.fulfill({ json: real });
      });
      await visit(page, "/");
      await search(page, "Nj0ftd");
      const corrected = (await page.textContent("#status .corrected")).replace(/\s+/g, " ");
      assert.equal(corrected, "Showing results for Тоқаев: Nj0ftd as typed on a Kazakh keyboard.");
      assert.equal(await page.inputValue("#q"), "Nj0ftd");
      const hits = await hitsOnPage(page);
      assert.ok(hits.length > 0);
      // "matched" compares with the corrected query, not with what was typed.
      assert.equal(hits.find((h) => h.id === "kk-001").matched, "matched Тоқаевқа, Тоқаевтың");
      await screenshot(page, "3d-corrected-rendering-desktop");
      // Opening an article highlights the corrected query, and the link says so.
      await page.click("#results .hit-link[data-id='kk-001']");
      await ready(page);
      assert.deepEqual(query(page), { q: "Nj0ftd", doc: "kk-001", hl: "Тоқаев" });
      assert.ok(await page.locator("#doc .body mark").count() >= 3);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 4. One article

describe("4. an article, highlighted throughout", () => {
  test("open a result: every matched word is marked; Back returns to the result", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/?q=Tokayev");
      await page.click("#results .hit-link[data-id='kk-001']");
      await ready(page);
      assert.deepEqual(query(page), { q: "Tokayev", doc: "kk-001" });
      const doc = await apiJson(server.base, "/api/docs/kk-001", { q: "Tokayev" });
      const marks = await page.$$eval("#doc .body mark", (ms) => ms.map((m) => m.textContent));
      assert.equal(marks.length, (doc.body.body_html.match(/<mark>/g) || []).length);
      for (const w of ["Тоқаев", "Тоқаевқа", "Тоқаевтың"]) assert.ok(marks.includes(w), `${w} marked: ${marks}`);
      assert.deepEqual(await page.$$eval("#doc h1 mark", (ms) => ms.map((m) => m.textContent)), ["Тоқаев"]);
      assert.equal((await page.textContent("#doc .body")), doc.body.body, "the whole body, as stored");
      assert.doesNotMatch(await page.innerText("#doc"), /\b(null|undefined)\b/);
      assert.equal(await page.evaluate(() => document.activeElement.id), "doc-title");
      assert.match(await page.textContent("#doc .matched"), /^matched Тоқаев, Тоқаевқа, Тоқаевтың$/);
      assert.equal(await page.title(), doc.body.title + " — kazsearch");
      await screenshot(page, "4a-article-desktop");

      // "Next match" walks through the marks.
      await page.click("#doc button[data-step='1']");
      await page.click("#doc button[data-step='1']");
      assert.equal(await page.$$eval("#doc mark", (ms) => ms.findIndex((m) => m.classList.contains("current"))), 1);

      await page.click("#doc a.back");
      await ready(page);
      assert.deepEqual(query(page), { q: "Tokayev" });
      assert.equal(await page.evaluate(() => document.activeElement.dataset.id), "kk-001", "focus is back on the result");
    });
  });

  test("a shared article link works without the results, and an unknown id says so", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/?q=Qaraghandy&doc=kk-001");
      const marks = await page.$$eval("#doc .body mark", (ms) => ms.map((m) => m.textContent));
      assert.ok(marks.includes("Қарағанды"), String(marks));
      await page.click("#doc a.back");
      await ready(page);
      assert.deepEqual(query(page), { q: "Qaraghandy" });
      assert.ok((await hitsOnPage(page)).some((h) => h.id === "kk-001"));

      await visit(page, "/?q=Tokayev&doc=no-such-article");
      assert.equal(await page.textContent("#doc h1"), "No article with this id");
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Phone, keyboard, speed, CSP

describe("5. phone, keyboard alone, fast and strict", () => {
  test("phone: fits the screen, large enough to tap", async () => {
    await withPage(PHONE, async (page) => {
      await visit(page, "/");
      await screenshot(page, "5a-home-phone");
      await page.tap("#q");
      await page.keyboard.type("Караганда");
      await page.keyboard.press("Enter");
      await ready(page);
      assert.equal(query(page).q, "Караганда");
      const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      assert.ok(fits, "no sideways scrolling");
      for (const sel of ["#q", "#search button", "#facets a", ".hit-link"]) {
        const boxes = await page.$$eval(sel, (es) => es.map((e) => e.getBoundingClientRect().height));
        assert.ok(boxes.length && boxes.every((h) => h >= 24), `${sel} is tall enough to tap: ${boxes}`);
      }
      assert.ok((await page.locator("#search button").boundingBox()).height >= 40);
      await screenshot(page, "5b-results-phone-screen", { fullPage: false });
      await screenshot(page, "5b-results-phone-full");
      await page.tap("#facets a:has-text('Русский')");
      await ready(page);
      assert.equal(query(page).lang, "ru");
      await page.tap("#results .hit-link >> nth=0");
      await ready(page);
      assert.ok(await page.locator("#doc .body mark").count() > 0);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
      await screenshot(page, "5c-article-phone-screen", { fullPage: false });
    }, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  });

  test("keyboard alone: / to search, arrows through results, Enter opens, Esc comes back", async () => {
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/");
      await page.keyboard.press("Tab"); // away from the autofocused box, as a person might
      await page.keyboard.press("/");
      assert.equal(await page.evaluate(() => document.activeElement.id), "q");
      await page.keyboard.type("Qaraghandy");
      await page.keyboard.press("Enter");
      await ready(page);
      const ids = (await hitsOnPage(page)).map((h) => h.id);
      assert.ok(ids.length >= 3, String(ids));
      const focused = () => page.evaluate(() => document.activeElement.dataset.id || document.activeElement.id);
      await page.keyboard.press("ArrowDown");
      assert.equal(await focused(), ids[0]);
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      assert.equal(await focused(), ids[2]);
      await page.keyboard.press("ArrowUp");
      assert.equal(await focused(), ids[1]);
      // The focused result is clearly drawn.
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, "none");
      await screenshot(page, "5d-keyboard-focus-desktop");
      await page.keyboard.press("Enter");
      await ready(page);
      assert.equal(query(page).doc, ids[1]);
      assert.equal(await focused(), "doc-title");
      await page.keyboard.press("n");
      assert.equal(await page.locator("#doc mark.current").count(), 1);
      await page.keyboard.press("Escape");
      await ready(page);
      assert.deepEqual(query(page), { q: "Qaraghandy" });
      assert.equal(await focused(), ids[1], "focus returns to the article's result");

      // Tab reaches the language filter; Enter applies it and focus stays on it.
      await page.focus("#search button");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.dataset.focus), "facet-all");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await ready(page);
      assert.equal(query(page).lang, "kk");
      assert.equal(await page.evaluate(() => document.activeElement.dataset.focus), "facet-kk");
    });
  });

  test("loads fast, from this server only, under a strict CSP", async () => {
    const r = await fetch(server.base + "/");
    const csp = r.headers.get("content-security-policy") || "";
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    const html = await r.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, "no inline script");
    assert.doesNotMatch(html, /\sstyle=/i, "no style attributes");
    assert.doesNotMatch(html, /\son[a-z]+=/i, "no inline event handlers");
    assert.doesNotMatch(html, /https?:\/\//i, "nothing from elsewhere");

    await withPage(DESKTOP, async (page) => {
      const bytes = [];
      page.on("response", async (res) => {
        try { bytes.push((await res.body()).length); } catch (_) { /* redirects have none */ }
      });
      await visit(page, "/?q=Tokayev");
      const t = await page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0];
        return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd };
      });
      assert.ok(t.load < 1500, "loaded in " + t.load + " ms");
      const total = bytes.reduce((a, b) => a + b, 0);
      assert.ok(total < 100_000, `everything the page loaded: ${total} bytes`);
      assert.equal(await page.locator("[style]").count(), 0, "no element has a style attribute");
      await page.click("#results .hit-link >> nth=0");
      await ready(page);
      assert.equal(await page.locator("[style]").count(), 0);
    });
  });

  test("dark colour scheme: readable, marks still visible", async () => {
    await withPage(PHONE, async (page) => {
      await visit(page, "/?q=Tokayev");
      const colours = await page.evaluate(() => ({
        bg: getComputedStyle(document.body).backgroundColor,
        fg: getComputedStyle(document.body).color,
        mark: getComputedStyle(document.querySelector("mark")).backgroundColor,
      }));
      const lum = (c) => c.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0) / 3;
      assert.ok(lum(colours.bg) < 60 && lum(colours.fg) > 180, JSON.stringify(colours));
      assert.notEqual(colours.mark, colours.bg);
      await screenshot(page, "5e-results-dark-phone-screen", { fullPage: false });
    }, { colorScheme: "dark", isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Article text is text

describe("6. HTML in articles shows as text and never runs", () => {
  test("en-015's <script>, <a href=…>, & and quotes appear as written", async () => {
    const stored = (await apiJson(server.base, "/api/docs/en-015")).body;
    for (const s of ["<script>alert(1)</script>", '<a href="/search?q=Tom & Jerry">', '"Code & Steppe"']) {
      assert.ok(stored.body.includes(s), "the sample still contains " + s);
    }
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/");
      await search(page, "Tom & Jerry");
      const hits = await hitsOnPage(page);
      assert.equal(hits[0].id, "en-015");
      assert.ok(hits[0].snippet.includes('<a href="/search?q=Tom & Jerry">'), hits[0].snippet);
      assert.deepEqual(hits[0].marks, ["Tom", "Jerry"]);
      await screenshot(page, "6a-html-in-snippet-desktop");
      await page.click("#results .hit-link >> nth=0");
      await ready(page);
      assert.doesNotMatch(await page.innerText("#doc"), /\b(null|undefined)\b/);
      const body = await page.textContent("#doc .body");
      assert.equal(body, stored.body, "the body reads exactly as stored");
      const tags = await page.$$eval("#doc .body *", (es) => [...new Set(es.map((e) => e.localName))].sort());
      assert.deepEqual(tags, ["mark", "p"], "only paragraphs and <mark> elements inside the article text");
      assert.equal(await page.locator("script:not([src])").count(), 0);
      assert.equal(await page.locator("main a[href^='/search']").count(), 0);
      await screenshot(page, "6b-html-in-article-desktop");
    });
  });

  test("a query holding HTML is shown as text too", async () => {
    await withPage(DESKTOP, async (page) => {
      const q = "<img src=x onerror=alert(1)>";
      await visit(page, "/?q=" + encodeURIComponent(q));
      assert.equal(await page.locator("main img").count(), 0);
      assert.match(await statusText(page), /No articles match “<img src=x onerror=alert\(1\)>”/);
      assert.equal(await page.inputValue("#q"), q);
      assert.equal(await page.title(), q + " — kazsearch");
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Issue #10: what a result lacks, newest first, browsing without a query, titleless
//    articles, ISO dates. Each at desktop and phone width.

const SIZES = [
  ["desktop", DESKTOP, {}],
  ["phone", PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
];

// Whether the server has issue #10's backend (main's "Relaxed ranking" commit): hits that say
// what they lack, and an empty query with a filter listing articles. "" when it has.
let backendProbe = null;
function issue10Backend() {
  backendProbe ||= (async () => {
    const browse = await apiJson(server.base, "/api/search", { q: "", lang: "ru", limit: "1" });
    if (browse.status !== 200) return `an empty q with lang=ru answers ${browse.status}, not a list of articles`;
    const r = await apiJson(server.base, "/api/search", { q: "Балхаш Медеу" });
    if (r.status !== 200 || !r.body.hits.length || !Array.isArray(r.body.hits[0].missing)) return "hits carry no `missing`";
    return "";
  })();
  return backendProbe;
}

/** Skips the test, saying why, when the server lacks issue #10's backend. */
async function needsBackend(t) {
  const why = await issue10Backend();
  if (why) t.skip("waits for the issue #10 backend (\"Relaxed ranking\" on main): " + why);
  return !why;
}

/** Newest first, articles without a date last. */
function assertNewestFirst(hits, label) {
  const dates = hits.map((h) => h.date);
  const undated = dates.indexOf("");
  if (undated >= 0) assert.ok(dates.slice(undated).every((d) => d === ""), `${label}: undated articles last: ${dates}`);
  const dated = undated >= 0 ? dates.slice(0, undated) : dates;
  assert.deepEqual(dated, dated.slice().sort().reverse(), `${label}: newest first: ${dates}`);
}

/** Nothing scrolls sideways. */
async function assertFits(page, label) {
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, label + ": no sideways scrolling");
}

/** Local today less some days or months, as the page computes its presets. */
function daysBack({ days = 0, months = 0 }) {
  const t = new Date();
  const y = t.getFullYear(), m = t.getMonth(), d = t.getDate();
  const last = new Date(y, m - months + 1, 0).getDate();
  const x = days ? new Date(y, m, d - days) : new Date(y, m - months, Math.min(d, last));
  return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, "0")}-${String(x.getDate()).padStart(2, "0")}`;
}

describe("7. issue #10: missing words, newest first, browsing, titleless articles, ISO dates", () => {
  for (const [size, viewport, extra] of SIZES) {
    test(`a result that lacks a query word says "Missing:" with the word struck through (${size})`, async (t) => {
      if (!(await needsBackend(t))) return;
      const q = "Балхаш Медеу"; // no article has both words
      const api = await apiSearch({ q });
      assert.equal(api.relaxed, true, "the query was relaxed");
      assert.ok(api.hits.some((h) => h.missing.length), "some hit lacks a word");
      await withPage(viewport, async (page) => {
        await visit(page, "/");
        await search(page, q);
        const hits = await hitsOnPage(page);
        assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id));
        for (const [i, h] of hits.entries()) {
          const want = api.hits[i].missing;
          assert.deepEqual(h.missing, want, h.id);
          if (!want.length) assert.equal(h.missingLine, "", h.id);
          else assert.ok(h.missingLine.startsWith("Missing: " + want.join(" ")), `${h.id}: ${h.missingLine}`);
        }
        const struck = await page.$eval("#results .missing s", (s) => getComputedStyle(s).textDecorationLine);
        assert.match(struck, /line-through/);
        assert.match(await page.innerText("#status .relaxed"), /Not every result has all of your words/);
        await assertFits(page, size);
        await screenshot(page, `7a-missing-words-${size}`, { fullPage: size === "desktop" });

        // "Must include" searches again with the word required.
        const lacking = api.hits.find((h) => h.missing.length);
        const word = lacking.missing[0];
        await page.click(`#results li[data-id="${lacking.id}"] .missing a.must:text-is("${word}")`);
        await ready(page);
        assert.equal(query(page).q, q.replace(word, "+" + word));
        const required = await apiSearch({ q: query(page).q });
        assert.deepEqual((await hitsOnPage(page)).map((h) => h.id), required.hits.map((h) => h.id));
        assert.ok(required.hits.every((h) => !h.missing.includes(word)), `every hit has ${word}`);
      }, extra);
    });

    test(`sort by date: newest first, kept in the URL and across pages (${size})`, async (t) => {
      if (!(await needsBackend(t))) return;
      await withPage(viewport, async (page) => {
        await visit(page, "/?q=Almaty");
        assert.equal(await page.getAttribute("#sort a[aria-current=true]", "data-focus"), "sort-relevance");
        await page.click("#sort a[data-focus=sort-date]");
        await ready(page);
        assert.deepEqual(query(page), { q: "Almaty", sort: "date" });
        const api = await apiSearch({ q: "Almaty", sort: "date" });
        const hits = await hitsOnPage(page);
        assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id), "the page shows the API's order");
        assertNewestFirst(hits, "page 1");
        assert.equal(await page.getAttribute("#sort a[aria-current=true]", "data-focus"), "sort-date");
        assert.match(await statusText(page), new RegExp(`^${api.total} articles · newest first · showing 1–10`));
        await assertFits(page, size);
        await screenshot(page, `7b-sorted-by-date-${size}`, { fullPage: false });

        // Page 2 keeps the order, and continues it.
        await page.click("#pager a[rel=next]");
        await ready(page);
        assert.deepEqual(query(page), { q: "Almaty", sort: "date", page: "2" });
        const page2 = await hitsOnPage(page);
        assert.deepEqual(page2.map((h) => h.id), (await apiSearch({ q: "Almaty", sort: "date", offset: "10" })).hits.map((h) => h.id));
        assertNewestFirst(hits.concat(page2), "pages 1 and 2");

        // Back to relevance: the first page again, in the API's relevance order.
        await page.click("#sort a[data-focus=sort-relevance]");
        await ready(page);
        assert.deepEqual(query(page), { q: "Almaty" });
        assert.deepEqual((await hitsOnPage(page)).map((h) => h.id), (await apiSearch({ q: "Almaty" })).hits.map((h) => h.id));
      }, extra);
    });

    test(`browsing: no query and a filter lists the newest articles (${size})`, async (t) => {
      if (!(await needsBackend(t))) return;
      await withPage(viewport, async (page) => {
        // The start page stays the start page, and offers ways to browse.
        await visit(page, "/");
        assert.equal(await page.getAttribute("body", "data-view"), "home");
        await page.click("#browse a:has-text('Русский')");
        await ready(page);
        assert.deepEqual(query(page), { lang: "ru" });
        assert.equal(await page.inputValue("#q"), "");
        const api = await apiSearch({ q: "", lang: "ru" });
        const hits = await hitsOnPage(page);
        assert.deepEqual(hits.map((h) => h.id), api.hits.map((h) => h.id));
        assert.ok(hits.length === 10 && hits.every((h) => h.badge === "ru"), "a page of Russian articles");
        assertNewestFirst(hits, "Russian");
        assert.match(await statusText(page), new RegExp(`^${api.total} articles in Russian · newest first`));
        assert.equal(await page.title(), "Newest articles in Russian — kazsearch");
        assert.equal(await page.isVisible("#sort"), false, "no sort choice without a query");
        const facets = await page.$$eval("#facets a", (as) => as.map((a) => a.dataset.focus));
        assert.deepEqual(facets, ["facet-kk", "facet-ru", "facet-en"], "no 'All': that would be the start page");
        await assertFits(page, size);
        await screenshot(page, `7c-browse-russian-${size}`, { fullPage: false });

        // A date range narrows it; the box stays empty and Enter in it keeps the list.
        await page.click("#dates-toggle");
        await page.fill("#from", "2023-01-01");
        await page.press("#from", "Enter");
        await ready(page);
        await page.fill("#to", "31.12.2023"); // day first, as often written: taken as 2023-12-31
        await page.press("#to", "Enter");
        await ready(page);
        assert.deepEqual(query(page), { lang: "ru", from: "2023-01-01", to: "2023-12-31" });
        assert.equal(await page.inputValue("#to"), "2023-12-31");
        const in2023 = await hitsOnPage(page);
        assert.deepEqual(in2023.map((h) => h.id), (await apiSearch({ q: "", lang: "ru", from: "2023-01-01", to: "2023-12-31" })).hits.map((h) => h.id));
        assert.ok(in2023.length && in2023.every((h) => h.date.startsWith("2023")), in2023.map((h) => h.date).join());
        assertNewestFirst(in2023, "Russian 2023");
        await page.click("#q");
        await page.keyboard.press("Enter");
        await ready(page);
        assert.deepEqual(query(page), { lang: "ru", from: "2023-01-01", to: "2023-12-31" });
        await screenshot(page, `7d-browse-dates-${size}`, { fullPage: false });

        // All languages, one year.
        await page.click("#facets a[data-focus=facet-all]");
        await ready(page);
        assert.deepEqual(query(page), { from: "2023-01-01", to: "2023-12-31" });
        const all = await hitsOnPage(page);
        assert.ok(new Set(all.map((h) => h.badge)).size > 1, "more than one language");
        assertNewestFirst(all, "2023");

        // An article opened from the list comes back to it.
        const first = all[0].id;
        await page.click("#results .hit-link >> nth=0");
        await ready(page);
        assert.equal(await page.textContent("#doc a.back"), "← Back to results");
        await page.click("#doc a.back");
        await ready(page);
        assert.deepEqual(query(page), { from: "2023-01-01", to: "2023-12-31" });
        assert.equal(await page.evaluate(() => document.activeElement.dataset.id), first);

        // Without any filter left, the start page again.
        await page.click("#clear-dates");
        await ready(page);
        assert.deepEqual(query(page), {});
        assert.equal(await page.getAttribute("body", "data-view"), "home");
      }, extra);
    });
  }

  for (const [size, viewport, extra] of SIZES) {
    test(`a titleless article shows its first sentence on one line, and its paragraphs (${size})`, async () => {
      const api = await apiSearch({ q: "Балхаш" });
      const apiHit = api.hits.find((h) => h.id === "fx-ru-untitled");
      assert.ok(apiHit && apiHit.title === "", "the fixture's titleless Russian article is found");
      const stored = (await apiJson(server.base, "/api/docs/fx-ru-untitled")).body;
      const sentence = stored.body.slice(0, stored.body.indexOf("ветров.") + "ветров.".length);
      assert.equal(plain(apiHit.lead_html), sentence, "the API's lead is the first sentence");
      await withPage(viewport, async (page) => {
        await visit(page, "/");
        await search(page, "Балхаш");
        const hits = await hitsOnPage(page);
        const hit = hits.find((h) => h.id === "fx-ru-untitled");
        assert.equal(hit.lead, sentence);
        assert.equal(hit.title, sentence);
        assert.doesNotMatch(await page.innerText("#results"), /Untitled article/);
        const line = await page.$eval('#results li[data-id="fx-ru-untitled"] .hit-title .lead', (e) => {
          const cs = getComputedStyle(e);
          return {
            height: e.getBoundingClientRect().height, lineHeight: parseFloat(cs.lineHeight),
            cut: e.scrollWidth > e.clientWidth, overflow: cs.textOverflow, marks: Array.from(e.querySelectorAll("mark"), (m) => m.textContent),
            tooltip: e.title,
          };
        });
        assert.ok(line.height < line.lineHeight * 1.5, "one line: " + JSON.stringify(line));
        assert.ok(line.cut && line.overflow === "ellipsis", "cut with an ellipsis: " + JSON.stringify(line));
        assert.deepEqual(line.marks, ["Балхаш"]);
        assert.equal(line.tooltip, sentence);
        await assertFits(page, size);
        await screenshot(page, `7e-titleless-results-${size}`, { fullPage: false });

        // The article: the sentence as its heading, and the body's paragraphs kept.
        await page.click('#results .hit-link[data-id="fx-ru-untitled"]');
        await ready(page);
        assert.equal(await page.textContent("#doc h1"), sentence);
        assert.equal(await page.title(), sentence + " — kazsearch");
        const paras = await page.$$eval("#doc .body > p", (ps) => ps.map((p) => p.textContent));
        assert.deepEqual(paras, stored.body.split(/\n\n/));
        const gap = await page.$eval("#doc .body > p", (p) => parseFloat(getComputedStyle(p).marginBottom));
        assert.ok(gap > 8, "paragraphs are spaced: " + gap);
        assert.deepEqual(await page.$$eval("#doc .body mark", (ms) => ms.map((m) => m.textContent)), ["Балхаш"]);
        await assertFits(page, size);
        await screenshot(page, `7f-titleless-article-${size}`, { fullPage: false });

        // A single line break starts a paragraph too (the Kazakh fixture has both kinds).
        const kk = (await apiJson(server.base, "/api/docs/fx-kk-untitled")).body;
        await visit(page, "/?doc=fx-kk-untitled");
        assert.deepEqual(await page.$$eval("#doc .body > p", (ps) => ps.map((p) => p.textContent)), kk.body.split(/\n+/));
        assert.equal(await page.textContent("#doc h1"), kk.body.split(/\n/)[0]);
        assert.equal(await page.textContent("#doc a.back"), "← New search");
      }, extra);
    });
  }

  test("titleless sample articles (as in KazNERD) read as their first sentence", async () => {
    const stored = (await apiJson(server.base, "/api/docs/kk-006")).body;
    assert.equal(stored.title, "", "kk-006 has no title");
    const sentence = stored.body.slice(0, stored.body.indexOf(". ") + 1);
    await withPage(DESKTOP, async (page) => {
      await visit(page, "/?q=" + encodeURIComponent("Ақтөбе боран"));
      const hit = (await hitsOnPage(page)).find((h) => h.id === "kk-006");
      assert.ok(hit, "kk-006 is found");
      assert.equal(hit.lead, sentence);
    });
  });

  for (const [size, viewport, extra] of SIZES) {
    test(`the date filter shows and takes ISO dates, and has presets (${size})`, async () => {
      await withPage(viewport, async (page) => {
        await visit(page, "/?q=Almaty");
        await page.click("#dates-toggle");
        for (const id of ["#from", "#to"]) {
          assert.equal(await page.getAttribute(id, "type"), "text", "no locale-formatted date input");
          assert.equal(await page.getAttribute(id, "placeholder"), "YYYY-MM-DD");
        }
        assert.deepEqual(await page.$$eval("#date-fields .preset", (bs) => bs.map((b) => b.textContent)),
          ["Last week", "Last month", "Last year"]);
        await screenshot(page, `7g-date-filter-open-${size}`, { fullPage: false });

        await page.fill("#from", "2023/1/5");
        await page.press("#from", "Enter");
        await ready(page);
        assert.deepEqual(query(page), { q: "Almaty", from: "2023-01-05" });
        assert.equal(await page.inputValue("#from"), "2023-01-05");
        assert.equal(await page.textContent("#dates-label"), "since 2023-01-05");
        assert.match(await statusText(page), /articles since 2023-01-05/);
        const since = await hitsOnPage(page);
        assert.ok(since.length && since.every((h) => h.date >= "2023-01-05"), since.map((h) => h.date).join());

        await page.fill("#to", "2023-12-31");
        await page.press("#to", "Tab"); // leaving the field applies it too
        await ready(page);
        assert.deepEqual(query(page), { q: "Almaty", from: "2023-01-05", to: "2023-12-31" });
        assert.equal(await page.textContent("#dates-label"), "from 2023-01-05 to 2023-12-31");

        // A preset: since this day last month, relative to today; the range's end goes.
        await page.click("#preset-month");
        await ready(page);
        assert.deepEqual(query(page), { q: "Almaty", from: daysBack({ months: 1 }) });
        assert.equal(await page.getAttribute("#preset-month", "aria-pressed"), "true");
        assert.equal(await page.getAttribute("#preset-week", "aria-pressed"), "false");
        assert.equal(await page.inputValue("#from"), daysBack({ months: 1 }));
        for (const [key, back] of [["week", { days: 7 }], ["year", { months: 12 }]]) {
          await page.click("#preset-" + key);
          await ready(page);
          assert.deepEqual(query(page), { q: "Almaty", from: daysBack(back) }, key);
        }
        await assertFits(page, size);
        await screenshot(page, `7h-date-preset-${size}`, { fullPage: false });

        // A date the server cannot read is refused with a message naming the field.
        await page.fill("#to", "next spring");
        await page.press("#to", "Enter");
        await ready(page);
        assert.equal(await page.getAttribute("#to", "aria-invalid"), "true");
        assert.match(await statusText(page), /to must be a date like 2020-06-10/);
        await page.click("#clear-dates");
        await ready(page);
        assert.deepEqual(query(page), { q: "Almaty" });
      }, extra);
    });
  }
});

// A last check that the run left its screenshots where the report says.
test("screenshots were written", () => {
  for (const f of screenshotsTaken()) assert.ok(fs.statSync(f).size > 1000, f);
});
