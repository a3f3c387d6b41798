// The search page, used the way a person uses it: in headless Chromium against the real
// `kazsearch serve` with the bundled sample corpus. Each test keeps screenshots in
// target/screenshots/ (printed at the end). Expected results are read from the JSON API of the
// same server, so the tests follow the analysis as it improves; what they pin down is the page.
//
// Issue #6: a search page people enjoy, tested in a real browser.

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
  })));
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
        assert.equal(h.title, a.title || `Untitled article (${a.id})`);
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
      assert.match(await statusText(page), new RegExp(`^${api.total} articles · showing 1–10`));
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
      await search(page, "Tokayev Zhanaozen");
      const text = await statusText(page);
      assert.match(text, /No articles match “Tokayev Zhanaozen” in English\./);
      assert.match(text, /every word must match/);
      assert.equal(await page.locator("#results li").count(), 0);
      await screenshot(page, "3a-no-results-desktop");
      await page.click("#status a:has-text('Search all languages')");
      await ready(page);
      assert.deepEqual(query(page), { q: "Tokayev Zhanaozen" });
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
      const tags = await page.$$eval("#doc .body *", (es) => [...new Set(es.map((e) => e.localName))]);
      assert.deepEqual(tags, ["mark"], "only <mark> elements inside the article text");
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

// A last check that the run left its screenshots where the report says.
test("screenshots were written", () => {
  for (const f of screenshotsTaken()) assert.ok(fs.statSync(f).size > 1000, f);
});
