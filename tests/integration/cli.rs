//! The binary end to end: index → search, bad lines reported with file and line, --strict.

use serde_json::Value;

use crate::common::{run, sample_path, write_jsonl};

#[test]
fn index_then_search_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let idx = idx.to_str().unwrap();
    let (ok, out, err) = run(&["index", "--index", idx, sample_path().to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains("indexed 51 articles (kk 19, ru 16, en 16)"),
        "{out}"
    );
    assert!(out.contains("rejected 0 line(s)"), "{out}");
    let (ok, out, err) = run(&["search", "--index", idx, "--json", "Qaraghandy"]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let langs: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["lang"].as_str().unwrap())
        .collect();
    for l in ["kk", "ru", "en"] {
        assert!(langs.contains(&l), "{l} missing in {langs:?}");
    }
    let (ok, out, _) = run(&["search", "--index", idx, "Алматыда"]);
    assert!(ok);
    assert!(out.contains("result(s) for «Алматыда»"), "{out}");
    let (ok, _, err) = run(&["search", "--index", idx, "\"unclosed"]);
    assert!(!ok);
    assert!(err.contains("unclosed quote"), "{err}");
}

#[test]
fn bad_lines_are_reported_and_strict_keeps_the_old_index() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let idx_s = idx.to_str().unwrap();
    let good = write_jsonl(
        dir.path(),
        "good.jsonl",
        &[
            r#"{"id":"a","title":"Астана","body":"Астанада жаңа саябақ ашылды.","lang":"kk"}"#,
            r#"{"id":"b","title":"Astana","body":"A new park opened in Astana.","lang":"en","date":"2024-05-01"}"#,
        ],
    );
    let (ok, out, err) = run(&["index", "--index", idx_s, good.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("indexed 2 articles"), "{out}");
    let bad = write_jsonl(
        dir.path(),
        "bad.jsonl",
        &[
            r#"{"id":"c","title":"Москва","body":"Новый парк в Москве."}"#,
            r#"not json"#,
            r#"{"id":"d","title":"x"}"#,
            r#"{"id":"e","body":"x","lang":"de"}"#,
            r#"{"id":"f","body":"x","date":"2024-13-45"}"#,
            r#"{"id":"c","title":"Москва","body":"Второй парк в Москве.","lang":"ru"}"#,
        ],
    );
    let path = bad.display().to_string();
    // --strict: stops at line 2, the old index still answers with its two articles.
    let (ok, _, err) = run(&["index", "--index", idx_s, "--strict", &path]);
    assert!(!ok);
    assert!(err.contains(&format!("{path}:2: not valid JSON")), "{err}");
    assert!(err.contains("old index is untouched"), "{err}");
    let (_, out, _) = run(&["search", "--index", idx_s, "--json", "Astana"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], 2);
    // Without --strict: each bad line named, the rest indexed, the duplicate id counted.
    let (ok, out, err) = run(&["index", "--index", idx_s, &path]);
    assert!(ok, "{err}");
    for (line, what) in [
        (2, "not valid JSON"),
        (3, "no body"),
        (4, "unknown lang \"de\""),
        (5, "bad date"),
    ] {
        assert!(
            err.contains(&format!("{path}:{line}: {what}")),
            "line {line}: {err}"
        );
    }
    assert!(
        out.contains("indexed 1 articles (kk 0, ru 1, en 0)"),
        "{out}"
    );
    assert!(
        out.contains("rejected 4 line(s); 1 duplicate id(s)"),
        "{out}"
    );
    let (_, out, _) = run(&["search", "--index", idx_s, "--json", "Москва"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], 1);
    assert!(
        v["hits"][0]["snippet"].as_str().unwrap().contains("Второй"),
        "the last duplicate wins"
    );
}

#[test]
fn analyze_and_detect_commands() {
    let (ok, out, _) = run(&["analyze", "--lang", "kk", "Тоқаевтың"]);
    assert!(ok);
    assert!(
        out.contains("exact=тоқаевтың") && out.contains("stem=тоқаев") && out.contains("key="),
        "{out}"
    );
    let (ok, out, _) = run(&["detect", "Қазақстан Республикасының Президенті"]);
    assert!(ok);
    assert!(out.starts_with("kk"), "{out}");
    let (ok, out, _) = run(&["detect", "--check", sample_path().to_str().unwrap()]);
    assert!(ok);
    assert!(out.contains("accuracy 100.00%"), "{out}");
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more output than a pipe holds, read only a little of.
    let mut child = crate::common::bin()
        .arg("analyze")
        .args(std::iter::repeat_n("Тоқаев Астанада болды.", 3000))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The reader is gone (dropped above); the command must not panic.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "{err}");
}
