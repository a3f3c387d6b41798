// Test harness for the browser tests: indexes the bundled sample corpus plus this folder's
// fixture.jsonl (articles the page tests need that the sample lacks: titleless ones with
// paragraphs, one without a date) into a fresh index directory with `kazsearch index`, starts
// the real `kazsearch serve` on it on a free loopback port, launches Debian's headless Chromium
// through playwright-core, and stops both at the end.
//
// Environment:
//   KAZSEARCH_BIN    the kazsearch binary (tests/browser/run sets it from cargo)
//   CHROMIUM         the browser (default /usr/bin/chromium)
//   SCREENSHOT_DIR   where screenshots go (default target/screenshots in the repository)

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
export const screenshotDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(repoRoot, "target/screenshots"));

/** The test corpus: the sample every new user sees, and the page tests' own articles. */
export const CORPUS = [path.join(repoRoot, "sample/articles.jsonl"), path.join(here, "fixture.jsonl")];

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

function kazsearchBin() {
  const candidates = [
    process.env.KAZSEARCH_BIN,
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, "debug/kazsearch"),
    path.join(repoRoot, "target/debug/kazsearch"),
  ].filter(Boolean);
  const bin = candidates.find((p) => fs.existsSync(p));
  if (!bin) throw new Error("no kazsearch binary: build it (cargo build) or set KAZSEARCH_BIN; tried " + candidates.join(", "));
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Indexes CORPUS, starts `kazsearch serve` on it and waits until /api/health answers. */
export async function startServer() {
  const bin = kazsearchBin();
  const index = fs.mkdtempSync(path.join(os.tmpdir(), "kazsearch-browser-index-"));
  const built = spawnSync(bin, ["index", "--strict", "--threads", "1", "--index", index, ...CORPUS], {
    encoding: "utf8", timeout: 120_000, env: Object.assign({}, process.env, { RUST_LOG: "warn" }),
  });
  if (built.status !== 0) {
    fs.rmSync(index, { recursive: true, force: true });
    throw new Error(`kazsearch index ${CORPUS.join(" ")} failed (${built.status ?? built.signal}):\n${built.stderr}${built.stdout}`);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = [];
  const child = spawn(bin, ["serve", "--index", index, "--addr", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
    env: Object.assign({}, process.env, { RUST_LOG: process.env.RUST_LOG || "warn" }),
  });
  let exited = null;
  child.on("exit", (code, signal) => { exited = { code, signal }; });
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (b) => log.push(b.toString()));
  const deadline = Date.now() + 90_000; // a debug build indexes the sample corpus in a few seconds
  for (;;) {
    if (exited) throw new Error(`kazsearch serve exited (${JSON.stringify(exited)}):\n${log.join("")}`);
    try {
      const r = await fetch(base + "/api/health");
      if (r.ok) break;
    } catch (_) { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("kazsearch serve did not answer /api/health within 90 s:\n" + log.join(""));
    }
    await sleep(150);
  }
  return {
    base,
    log,
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        for (let i = 0; i < 50 && !exited; i++) await sleep(100);
        if (!exited) child.kill("SIGKILL");
      }
      fs.rmSync(index, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with a fresh profile and no background networking. */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: apt-get install chromium (tests/browser/run does this)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage", "--lang=en-US",
    ],
  });
}

/**
 * A new page (own context, so no shared history or cache) that records everything a test
 * should fail on: script errors, console errors, CSP violations, dialogs (an alert() would
 * mean article text ran as code) and requests to any other origin.
 */
export async function openPage(browser, base, viewport = DESKTOP, extra = {}) {
  const context = await browser.newContext(Object.assign({ viewport, locale: "en-US" }, extra));
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const text = m.text();
    // A 400 or 404 answer is logged by Chromium as a failed resource; the tests that cause
    // one expect it. Everything else (CSP refusals above all) is a problem.
    if (/^Failed to load resource: the server responded with a status of (400|404)/.test(text)) return;
    problems.push("console error: " + text);
  });
  page.on("dialog", async (d) => {
    problems.push(`dialog opened: ${d.type()} ${JSON.stringify(d.message())}`);
    await d.dismiss();
  });
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(base + "/") && !u.startsWith("data:")) problems.push("request to another origin: " + u);
  });
  return { page, context, problems };
}

const shots = [];

/** Saves a screenshot (the whole page, or with `fullPage: false` the screen as a person
 *  sees it) under screenshotDir and remembers its path. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, name + ".png");
  await page.screenshot({ path: file, fullPage, animations: "disabled", caret: "initial" });
  shots.push(file);
  return file;
}

export function screenshotsTaken() {
  return shots.slice();
}

/** GET a JSON API route from the test itself (to compare the page with the API). */
export async function apiJson(base, route, params) {
  const u = new URL(base + route);
  for (const [k, v] of Object.entries(params || {})) u.searchParams.set(k, v);
  const r = await fetch(u);
  return { status: r.status, body: await r.json() };
}
