//! kazsearch's integration tests: one test binary (as ripgrep and meilisearch do).

// Shared helpers: a sample index in a temp dir, the HTTP app, the binary.
mod common;
// The real server as a child process, a tiny HTTP client, a synthetic corpus.
mod server;

// The HTTP routes, through the same `configure` the server uses.
mod api;
// `kazsearch bench` on the sample corpus: a smoke run of the benchmark harness.
mod bench;
// The binary: index → search, bad lines, --strict.
mod cli;
// Issue 3: names in every script, inflections, aliases, layouts, highlights, eval.
mod matching;
// Issue 11: every language of a name's direct matches on its first page.
mod scripts;
// Issue 10: KazQAD questions through `kazsearch eval`, and the dev-set floor.
mod qa;
// Rebuilds seen by an open engine; locks; killed rebuilds.
mod reindex;
// Issue #5, point 3 and 6: the real server under load during a rebuild; SIGTERM.
mod live;
// Issue #5, point 4: rebuilds killed with SIGKILL, two rebuilds at once.
mod crash;
// Issue #5, point 2: bad input lines and files, --strict.
mod articles;
// Issue #5, point 1: property tests of the analysis and the query path (the fuzz checks).
mod props;
// Issue #5, point 1: hostile and random query strings through the HTTP app.
mod queries;
// Issue 10: relaxed ranking, missing words, OR, +required, sort by date, browsing.
mod relaxed;
// Issue #5, point 5: escaping, no write route, size limits, security headers, bind address.
mod security;
// Issue 13: loads into a real OpenSearch cluster (skipped without KAZSEARCH_OPENSEARCH_URL).
mod opensearch;
// Issue 12: add, replace and delete on a live index; kills and two writers at once.
mod updates;
// Issue 12: a read-only index served, /metrics, JSON errors and logs, bind errors.
mod ops;
