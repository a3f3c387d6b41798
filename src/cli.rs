//! The command line (clap derive): doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// kazsearch: search news in Kazakh, Russian and English — any spelling finds every article.
#[derive(Debug, Parser)]
#[command(name = "kazsearch", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
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

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rebuild the index from JSONL files or folders of them (.jsonl, .ndjson, .jsonl.zst).
    Index {
        #[command(flatten)]
        index: IndexArg,
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
    /// Serve the search page and the JSON API (builds the sample corpus into an empty index).
    Serve {
        #[command(flatten)]
        index: IndexArg,
        #[command(flatten)]
        aliases: AliasArg,
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
        /// Print the API's JSON response.
        #[arg(long)]
        json: bool,
        /// The query (words, "phrases", -exclusions, lang:xx).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
    },
    /// Show how a text is analysed: words, offsets, and every term (exact, stem, key).
    Analyze {
        /// Analyse under this language only (default: all three).
        #[arg(long)]
        lang: Option<String>,
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
    /// Score judged queries against the index, next to a plain-tantivy baseline.
    Eval {
        #[command(flatten)]
        index: IndexArg,
        #[command(flatten)]
        aliases: AliasArg,
        /// Skip the baseline.
        #[arg(long)]
        no_baseline: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// List each query that misses (recall < 1) with what ranked instead.
        #[arg(long)]
        misses: Option<String>,
        /// The judged queries (JSONL).
        queries: PathBuf,
    },
}
