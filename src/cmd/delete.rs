//! `kazsearch delete`: delete articles by id from the live index, in one commit.

use std::path::Path;

use anyhow::{Context, Result};
use kazsearch::store::update;
use kazsearch::store::IndexDir;

pub fn run(
    index: &Path,
    engine: &crate::cli::EngineArg,
    ids_file: Option<&Path>,
    mut ids: Vec<String>,
    json: bool,
) -> Result<()> {
    if let Some(p) = ids_file {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("reading the ids in {}", p.display()))?;
        ids.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    if ids.is_empty() {
        anyhow::bail!("no ids to delete (give ids as arguments or in --ids FILE)");
    }
    if engine.engine == crate::cli::Engine::Opensearch {
        let client = kazsearch::opensearch::client::Client::new(&engine.url)?;
        let stats = kazsearch::opensearch::update::delete(&client, &engine.name, &ids)?;
        if json {
            println!("{}", serde_json::to_string_pretty(&stats)?);
            return Ok(());
        }
        println!(
            "deleted {} article(s) from {}/{} (alias {}) in {:.2}s; {} articles now",
            stats.deleted,
            client.url(),
            stats.generation,
            engine.name,
            stats.secs,
            stats.docs
        );
        for id in &stats.unknown {
            eprintln!("unknown id (no article has it): {id}");
        }
        return Ok(());
    }
    let stats = update::delete(&IndexDir::new(index), &ids)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
        return Ok(());
    }
    if stats.deleted > 0 {
        println!(
            "deleted {} article(s) from {}, commit {} in {:.2}s; {} articles now",
            stats.deleted,
            index.join(&stats.generation).display(),
            stats.opstamp,
            stats.elapsed.as_secs_f64(),
            stats.docs
        );
    } else {
        println!("nothing deleted; the index is unchanged");
    }
    for id in &stats.unknown {
        eprintln!("unknown id (no article has it): {id}");
    }
    Ok(())
}
