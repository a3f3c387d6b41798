//! kazsearch's integration tests: one test binary (as ripgrep and meilisearch do).

// Shared helpers: a sample index in a temp dir, the HTTP app, the binary.
mod common;

// The HTTP routes, through the same `configure` the server uses.
mod api;
// `kazsearch bench` on the sample corpus: a smoke run of the benchmark harness.
mod bench;
// The binary: index → search, bad lines, --strict.
mod cli;
// Rebuilds seen by an open engine; locks; killed rebuilds.
mod reindex;
