//! The command line (clap derive): doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// kazsearch: search news in Kazakh, Russian and English — any spelling finds every article.
#[derive(Debug, Parser)]
#[command(name = "kazsearch", version, about, long_about = None)]
pub struct Cli {
    /// Log lines as text (default) or as one JSON object per line.
    #[arg(long, global = true, env = "KAZSEARCH_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How log lines are written (to standard error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// `2026-01-01T00:00:00Z  INFO target: message key=value`.
    Text,
    /// `{"timestamp":…,"level":…,"target":…,"message":…,"key":value…}`.
    Json,
}

/// Where the index lives.
#[derive(Debug, Clone, Args)]
pub struct IndexArg {
    /// Index directory.
    #[arg(long, env = "KAZSEARCH_INDEX", default_value = "index")]
    pub index: PathBuf,
}

/// Extra aliases.
#[derive(Debug, Clone, Args)]
pub struct AliasArg {
    /// Extra alias groups (lines of `Name = Other name = …`), added to the built-in table.
    #[arg(long, env = "KAZSEARCH_ALIASES")]
    pub aliases: Option<PathBuf>,
}

/// Which engine holds the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// The embedded tantivy index in --index DIR.
    Tantivy,
    /// An OpenSearch cluster at --url, behind the alias --name.
    Opensearch,
}

/// Where an OpenSearch index lives.
#[derive(Debug, Clone, Args)]
pub struct EngineArg {
    /// The engine: the embedded tantivy index, or an OpenSearch cluster.
    #[arg(long, value_enum, default_value = "tantivy")]
    pub engine: Engine,
    /// The OpenSearch cluster (with --engine opensearch).
    #[arg(
        long,
        env = "KAZSEARCH_OPENSEARCH_URL",
        default_value = "http://127.0.0.1:9200"
    )]
    pub url: String,
    /// The alias searches go through on OpenSearch; each rebuild is a new index behind it.
    #[arg(long, default_value = "kazsearch")]
    pub name: String,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rebuild the index from JSONL files or folders of them (.jsonl, .ndjson, .jsonl.zst);
    /// with --engine opensearch, load a new generation into the cluster and switch the alias.
    Index {
        #[command(flatten)]
        index: IndexArg,
        #[command(flatten)]
        engine: EngineArg,
        /// Stop at the first bad line and leave the old index untouched.
        #[arg(long)]
        strict: bool,
        /// Detect every article's language, even when the input gives one, and report how
        /// often detection disagrees with the given language.
        #[arg(long)]
        redetect: bool,
        /// Indexing threads (default: the number of cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Indexing memory budget in MB.
        #[arg(long, default_value_t = 256)]
        heap_mb: usize,
        /// Print a JSON summary instead of text.
        #[arg(long)]
        json: bool,
        /// Input files or folders.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Add articles to the live index, or replace those with the same id, in one atomic commit
    /// (same input and validation as `index`; a running server sees it within a second).
    Add {
        #[command(flatten)]
        index: IndexArg,
        #[command(flatten)]
        engine: EngineArg,
        /// Stop at the first bad line and leave the index untouched.
        #[arg(long)]
        strict: bool,
        /// Indexing threads (default: the number of cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Indexing memory budget in MB.
        #[arg(long, default_value_t = 256)]
        heap_mb: usize,
        /// Print a JSON summary instead of text.
        #[arg(long)]
        json: bool,
        /// Input files or folders.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Delete articles by id from the live index, in one atomic commit. Unknown ids are
    /// listed, and do not stop the others.
    Delete {
        #[command(flatten)]
        index: IndexArg,
        #[command(flatten)]
        engine: EngineArg,
        /// A file of ids, one per line (blank lines skipped).
        #[arg(long = "ids", value_name = "FILE", required_unless_present = "ids")]
        ids_file: Option<PathBuf>,
        /// Print a JSON summary instead of text.
        #[arg(long)]
        json: bool,
        /// Article ids.
        ids: Vec<String>,
    },
    /// Serve the search page and the JSON API (builds the sample corpus into an empty index).
    Serve {
        #[command(flatten)]
        index: IndexArg,
        #[command(flatten)]
        engine: EngineArg,
        #[command(flatten)]
        aliases: AliasArg,
        /// Write the query string into the access log too (default: the path only, as
        /// queries may be private).
        #[arg(long)]
        log_queries: bool,
        /// Address to listen on.
        #[arg(long, env = "KAZSEARCH_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// HTTP worker threads (default: the number of cores).
        #[arg(long)]
        workers: Option<usize>,
    },
    /// Search from the command line (the same code path as the API).
    Search {
        #[command(flatten)]
        index: IndexArg,
        #[command(flatten)]
        engine: EngineArg,
        #[command(flatten)]
        aliases: AliasArg,
        /// Only articles in this language (kk, ru or en).
        #[arg(long)]
        lang: Option<String>,
        /// Number of hits.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Skip this many hits.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Earliest date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Latest date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Order: relevance (the default) or date (newest first).
        #[arg(long)]
        sort: Option<String>,
        /// Print the API's JSON response.
        #[arg(long)]
        json: bool,
        /// The query (words, "phrases", a OR b, +required, -exclusions, lang:xx); empty or
        /// absent with --lang/--from/--to lists articles newest first.
        #[arg(num_args = 0..)]
        query: Vec<String>,
    },
    /// Show how a text is analysed: words, offsets, and every term (exact, stem, key).
    Analyze {
        /// Analyse under this language only (default: all three).
        #[arg(long)]
        lang: Option<String>,
        /// Print the same views as JSON.
        #[arg(long)]
        json: bool,
        /// The text.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Detect the language of a text (`-` reads standard input), or with --check, measure
    /// detection against the `lang` fields of JSONL files.
    Detect {
        /// Treat the arguments as JSONL files and report accuracy against their `lang` fields.
        #[arg(long)]
        check: bool,
        /// The text, `-`, or with --check the files.
        #[arg(required = true, num_args = 1..)]
        input: Vec<String>,
    },
    /// Benchmark indexing, queries and the server against plain tantivy, in one run, and
    /// print the figures next to the project's targets (see README, "Benchmarks").
    Bench(BenchArgs),
    /// Score judged queries against the index, next to a plain-tantivy baseline.
    Eval {
        #[command(flatten)]
        index: IndexArg,
        #[command(flatten)]
        engine: EngineArg,
        #[command(flatten)]
        aliases: AliasArg,
        /// Skip the baseline.
        #[arg(long)]
        no_baseline: bool,
        /// With --engine opensearch: also run the embedded engine (--index) on the same
        /// queries, and print both, their differences and the top-10 overlap.
        #[arg(long)]
        compare: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// List each query that misses (recall < 1) with what ranked instead.
        #[arg(long)]
        misses: Option<String>,
        /// Instead of judged queries, draw this many mixed-word queries (three words from
        /// three different articles) from the corpus file given, and report how many get no
        /// result and how often the first hit holds two of the words.
        #[arg(long)]
        mixed: Option<usize>,
        /// The judged queries: names JSONL, or KazQAD questions (.tsv: query_id,
        /// question_kk, relevant_doc_id, answer); with --mixed the corpus (JSONL) to draw from.
        queries: PathBuf,
    },
}

/// The options of `kazsearch bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// With --engine opensearch: the embedded engine and the cluster side by side (indexing
    /// rate, query p50/p99) on --corpus, instead of the full benchmark.
    #[command(flatten)]
    pub engine: EngineArg,
    /// The corpus to index and query (files or folders of .jsonl / .jsonl.zst).
    #[arg(long, default_value = "../shared/data/corpus-large.jsonl.zst")]
    pub corpus: Vec<PathBuf>,
    /// Labelled articles for detection accuracy (their `lang` is the truth).
    #[arg(long, default_value = "../shared/data/corpus-small.jsonl")]
    pub accuracy: PathBuf,
    /// Also index and query the corpus this many times over (new ids); 1 skips it.
    #[arg(long, default_value_t = 10)]
    pub scale: usize,
    /// Indexing threads for both engines (default: as `kazsearch index`).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Indexing memory budget in MB for both engines.
    #[arg(long, default_value_t = 256)]
    pub heap_mb: usize,
    /// Measured passes over the query set (after one warm-up pass).
    #[arg(long, default_value_t = 10)]
    pub rounds: usize,
    /// A query set in the format of src/bench/queries.tsv (default: that file, built in).
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// Concurrent HTTP connections.
    #[arg(long, default_value_t = 16)]
    pub connections: usize,
    /// Seconds of measured search load over HTTP (0 skips the HTTP run).
    #[arg(long, default_value_t = 10.0)]
    pub http_secs: f64,
    /// Seconds of unmeasured load before it.
    #[arg(long, default_value_t = 2.0)]
    pub warmup_secs: f64,
    /// Small commits (of 10 articles) in the updates section, then query p99 against a fresh
    /// rebuild; 0 skips the section.
    #[arg(long, default_value_t = 1000)]
    pub update_commits: usize,
    /// Where to build the indexes (default: a fresh folder in the system temp dir, removed
    /// afterwards; a given folder is kept).
    #[arg(long)]
    pub work: Option<PathBuf>,
    /// With --work: reuse the scaled indexes an earlier run left there.
    #[arg(long, requires = "work")]
    pub reuse: bool,
    /// Also write the figures as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}
