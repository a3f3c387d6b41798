//! The `kazsearch` binary: parse the command line, set up logging, dispatch, and turn errors
//! into a message and exit code 2. The only place `anyhow` is used.

mod cli;
mod cmd;
mod logging;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // A command whose output is piped into `head` ends quietly when the reader goes, as Unix
    // filters do (Rust ignores SIGPIPE, so every print would panic instead). Not the server:
    // a client closing its socket must never stop it.
    #[cfg(unix)]
    if !matches!(cli.command, cli::Command::Serve { .. }) {
        // SAFETY: restoring the default action of one signal, before any thread is started.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    logging::init(cli.log_format);
    match cmd::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`kazsearch search … | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("kazsearch: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes joined with ": ", leaving out a cause whose text the message
/// already holds (the library's errors print their source themselves: `{e:#}` would say
/// "x.jsonl: No such file or directory (os error 2): No such file or directory (os error 2)").
fn message(e: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if msg.contains(&text) {
            continue;
        }
        if !msg.is_empty() {
            msg.push_str(": ");
        }
        msg.push_str(&text);
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_printed_once() {
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let cases: Vec<(anyhow::Error, &str)> = vec![
            (
                kazsearch::Error::io("a.jsonl", io()).into(),
                "a.jsonl: gone",
            ),
            (
                anyhow::Error::from(kazsearch::Error::io("a.jsonl", io())).context("reading"),
                "reading: a.jsonl: gone",
            ),
            (
                anyhow::Error::from(io()).context("reading"),
                "reading: gone",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(message(&e), want);
        }
    }
}
