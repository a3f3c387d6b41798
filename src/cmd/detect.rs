//! `kazsearch detect`: the language of a text, or accuracy against labelled JSONL.

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use kazsearch::ingest::{self, Reader};
use kazsearch::lang::{Detector, Lang};

pub fn run(check: bool, input: &[String]) -> Result<()> {
    let detector = Detector::new();
    if !check {
        let text = if input.len() == 1 && input[0] == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("reading standard input")?;
            s
        } else {
            input.join(" ")
        };
        let d = detector.detect_text(&text);
        println!(
            "{}\tconfidence {:.3}\t({:?})",
            d.lang, d.confidence, d.method
        );
        return Ok(());
    }
    let paths = ingest::expand_inputs(&input.iter().map(PathBuf::from).collect::<Vec<_>>())?;
    let (mut n, mut right, mut bytes) = (0u64, 0u64, 0u64);
    let mut confusion = [[0u64; 3]; 3];
    let mut by_method = [0u64; 3];
    let mut errors = Vec::new();
    let mut elapsed = std::time::Duration::ZERO;
    for rec in Reader::new(paths) {
        let Ok(rec) = rec else { continue };
        let Some(truth) = rec.article.lang else {
            continue;
        };
        let t = Instant::now();
        let d = detector.detect(&rec.article.title, &rec.article.body);
        elapsed += t.elapsed();
        n += 1;
        bytes += (rec.article.title.len() + rec.article.body.len()) as u64;
        by_method[d.method as usize] += 1;
        confusion[truth.index()][d.lang.index()] += 1;
        if d.lang == truth {
            right += 1;
        } else {
            errors.push(format!(
                "{}\ttruth {truth}\tguess {}\t{:?}",
                rec.article.id, d.lang, d.method
            ));
        }
    }
    for e in &errors {
        println!("wrong: {e}");
    }
    println!(
        "accuracy {:.2}% ({right} of {n}); {:.1} MB/s ({:.2}s for {:.1} MB); letters {}, lingua {}, fallback {}",
        100.0 * right as f64 / n.max(1) as f64,
        bytes as f64 / 1e6 / elapsed.as_secs_f64().max(1e-9),
        elapsed.as_secs_f64(),
        bytes as f64 / 1e6,
        by_method[0],
        by_method[1],
        by_method[2],
    );
    println!("truth \\ guess  kk      ru      en");
    for l in Lang::ALL {
        let row = confusion[l.index()];
        println!("{l:<14} {:<7} {:<7} {:<7}", row[0], row[1], row[2]);
    }
    Ok(())
}
