//! Progress of a long command: a bar on a terminal, and plain log lines (every few seconds)
//! when standard error is a file or a pipe, where a bar would be invisible or garbage.

use std::cell::Cell;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Seconds between two progress lines when standard error is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// A progress report over the bytes of the input.
pub struct Progress {
    bar: Option<ProgressBar>,
    verb: &'static str,
    total: u64,
    started: Instant,
    last_line: Cell<Instant>,
}

impl Progress {
    /// Progress of `verb` ("indexing", "adding") over `total` input bytes.
    pub fn new(verb: &'static str, total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{spinner}} {verb} [{{bar:30}}] {{bytes}}/{{total_bytes}} {{binary_bytes_per_sec}} eta {{eta}} {{msg}}"
                ))
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            verb,
            total,
            started: now,
            last_line: Cell::new(now),
        }
    }

    /// `articles` done, `bytes` of the input read.
    pub fn update(&self, articles: u64, bytes: u64) {
        match &self.bar {
            Some(bar) => {
                bar.set_position(bytes);
                bar.set_message(format!("{articles} articles"));
            }
            None if self.last_line.get().elapsed() >= LINE_EVERY => {
                self.last_line.set(Instant::now());
                tracing::info!(
                    target: "kazsearch::progress",
                    articles,
                    bytes,
                    total_bytes = self.total,
                    "{}: {articles} articles, {:.0} of {:.0} MB ({:.0}%), {:.0}s",
                    self.verb,
                    bytes as f64 / 1e6,
                    self.total as f64 / 1e6,
                    100.0 * bytes as f64 / self.total.max(1) as f64,
                    self.started.elapsed().as_secs_f64()
                );
            }
            None => {}
        }
    }

    /// Prints `line` above the bar (or as is).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
