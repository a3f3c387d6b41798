//! Bad input files through the real `kazsearch index`. Issue #5, point 2: every bad line is
//! reported with its file, line and a sentence naming what is wrong; the good lines around
//! it are indexed; a repeated id is replaced by its last occurrence and counted in the
//! summary; `--strict` stops at the first bad line and leaves the old index untouched.

use std::path::Path;

use serde_json::Value;

use crate::common::run;

/// One input line: its bytes, and the reason it must be rejected with (None: indexed).
type Case = (Vec<u8>, Option<String>);

fn good(id: &str, body: &str) -> Case {
    (
        format!(r#"{{"id":"{id}","title":"t {id}","body":"{body}","lang":"en"}}"#).into_bytes(),
        None,
    )
}

fn bad(line: &str, reason: &str) -> Case {
    (line.as_bytes().to_vec(), Some(reason.to_string()))
}

/// Writes `cases` as one file; returns the `path:line: reason` messages expected, in order.
fn write(path: &Path, cases: &[Case]) -> Vec<String> {
    let mut data = Vec::new();
    let mut want = Vec::new();
    for (i, (line, reason)) in cases.iter().enumerate() {
        data.extend_from_slice(line);
        data.push(b'\n');
        if let Some(r) = reason {
            want.push(format!("{}:{}: {r}", path.display(), i + 1));
        }
    }
    std::fs::write(path, data).unwrap();
    want
}

/// The `skipped: …` lines the indexer printed.
fn skipped(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("skipped: "))
        .map(str::to_string)
        .collect()
}

fn search(idx: &str, q: &str) -> Value {
    let (ok, out, err) = run(&["search", "--index", idx, "--json", "--limit", "50", q]);
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn listing(idx: &Path) -> Vec<(String, Option<String>)> {
    let mut v: Vec<_> = std::fs::read_dir(idx)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let content = std::fs::read_to_string(e.path()).ok();
            (name, content)
        })
        .collect();
    v.sort();
    v
}

fn mixed_cases() -> Vec<Case> {
    let long_id = "i".repeat(600);
    let long_title = "t".repeat(70_000);
    vec![
        good("a1", "alpha one"),
        bad("not json", "not valid JSON: expected ident at line 1 column 2"),
        bad(
            r#"{"id":"x","body":"cut off"#,
            "not valid JSON: EOF while parsing a string at line 1 column 25",
        ),
        bad("[1,2]", "expected a JSON object, got an array"),
        bad(r#""just a string""#, "expected a JSON object, got a string"),
        bad("null", "expected a JSON object, got null"),
        bad("42", "expected a JSON object, got a number"),
        bad(
            r#"{"body":"no id"}"#,
            "no id: every article needs a non-empty \"id\" string",
        ),
        bad(
            r#"{"id":"","body":"empty id"}"#,
            "no id: every article needs a non-empty \"id\" string",
        ),
        bad(r#"{"id":"a2"}"#, "no body: the \"body\" field is missing"),
        bad(
            r#"{"id":"a3","body":"  ","title":""}"#,
            "empty article: \"body\" and \"title\" are both empty",
        ),
        bad(
            r#"{"id":7,"body":"b"}"#,
            "\"id\" must be a string, got a number",
        ),
        bad(
            r#"{"id":"a4","body":{"text":"b"}}"#,
            "\"body\" must be a string, got an object",
        ),
        bad(
            r#"{"id":"a5","body":"b","title":true}"#,
            "\"title\" must be a string, got a boolean",
        ),
        bad(
            r#"{"id":"a6","body":"b","lang":"fr"}"#,
            "unknown lang \"fr\": expected \"kk\", \"ru\" or \"en\", or no lang to detect it",
        ),
        bad(
            r#"{"id":"a7","body":"b","date":"2020-02-30"}"#,
            "bad date \"2020-02-30\": day 30 is not between 1 and 29",
        ),
        bad(
            r#"{"id":"a8","body":"b","date":"2021-13-01"}"#,
            "bad date \"2021-13-01\": month 13 is not between 1 and 12",
        ),
        bad(
            r#"{"id":"a9","body":"b","date":"yesterday"}"#,
            "bad date \"yesterday\": expected YYYY-MM-DD, YYYY-MM, YYYY or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]",
        ),
        bad(
            r#"{"id":"a10","body":"b","date":20200610}"#,
            "\"date\" must be a string, got a number",
        ),
        bad(
            &format!(r#"{{"id":"{long_id}","body":"b"}}"#),
            "\"id\" is 600 bytes long, over the 512-byte limit",
        ),
        bad(
            &format!(r#"{{"id":"a11","body":"b","title":"{long_title}"}}"#),
            "\"title\" is 70000 bytes long, over the 65536-byte limit",
        ),
        bad(
            "{\"id\":\"a12\",\"body\":\"raw\ttab\"}",
            "not valid JSON: control character (\\u0000-\\u001F) found while parsing a string at line 1 column 24",
        ),
        (
            b"{\"id\":\"a13\",\"body\":\"\xFF\xFE latin-1\"}".to_vec(),
            Some("not UTF-8: invalid byte at column 21".into()),
        ),
        good("dup", "first version"),
        good("a14", "alpha fourteen"),
        good("dup", "second version"),
        good("dup", "third version wins"),
        // Unknown fields are ignored, optional ones may be null.
        (
            br#"{"id":"a15","body":"extra fields","lang":null,"date":null,"tags":["x"]}"#.to_vec(),
            None,
        ),
    ]
}

#[test]
fn every_bad_line_is_reported_with_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let mut want = write(&inputs.join("a-mixed.jsonl"), &mixed_cases());

    // Whole files that are not UTF-8: Windows-1251 Russian and UTF-16 with a BOM.
    let cp1251 = inputs.join("b-cp1251.jsonl");
    std::fs::write(
        &cp1251,
        b"{\"id\":\"w1\",\"body\":\"\xcd\xee\xe2\xee\xf1\xf2\xe8\"}\n{\"id\":\"w2\",\"body\":\"ok ascii\"}\n",
    )
    .unwrap();
    want.push(format!(
        "{}:1: not UTF-8: invalid byte at column 20",
        cp1251.display()
    ));
    let utf16 = inputs.join("c-utf16.jsonl");
    let mut bytes = vec![0xFF, 0xFE];
    for u in "{\"id\":\"u1\",\"body\":\"x\"}\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    want.push(format!(
        "{}:1: the file is UTF-16 (it starts with a UTF-16 byte order mark); kazsearch reads UTF-8: convert it, e.g. with iconv -f UTF-16 -t UTF-8; the file was skipped",
        utf16.display()
    ));

    // Huge bodies: 5 MB (over the body limit) and 50 MB (over the line limit), then a good
    // line, which is still read.
    let huge = inputs.join("d-huge.jsonl");
    let mut data = Vec::new();
    for mb in [5usize, 50] {
        data.extend_from_slice(br#"{"id":"h","body":""#);
        data.extend(std::iter::repeat_n(b'x', mb * 1024 * 1024));
        data.extend_from_slice(b"\"}\n");
    }
    data.extend_from_slice(br#"{"id":"h3","body":"after the huge ones","lang":"en"}"#);
    std::fs::write(&huge, data).unwrap();
    want.push(format!(
        "{}:1: \"body\" is 5.0 MB, over the 4 MB limit",
        huge.display()
    ));
    want.push(format!(
        "{}:2: line is 50 MB long, over the 16 MB limit",
        huge.display()
    ));

    let idx = dir.path().join("idx");
    let idx_s = idx.to_str().unwrap();
    let (ok, out, err) = run(&["index", "--index", idx_s, inputs.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(skipped(&err), want, "the skipped lines, in order");
    // a1 a14 a15 dup (kept once) w2 h3; the UTF-16 file has no good line.
    assert!(
        out.contains("indexed 6 articles (kk 0, ru 0, en 6) from 4 file(s)"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "rejected {} line(s); 2 duplicate id(s) replaced by their last occurrence",
            want.len()
        )),
        "{out}"
    );
    let v = search(idx_s, "version");
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["hits"][0]["id"], "dup");
    assert!(
        v["hits"][0]["snippet"] == "third <mark>version</mark> wins",
        "the last duplicate wins: {v}"
    );
    println!(
        "bad articles: {} bad lines in 4 files, each reported with file and line; 6 articles indexed",
        want.len()
    );
}

#[test]
fn strict_stops_at_the_first_bad_line_and_leaves_the_old_index_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let idx_s = idx.to_str().unwrap();
    let first = dir.path().join("first.jsonl");
    write(
        &first,
        &[
            good("keep1", "original article"),
            good("keep2", "original too"),
        ],
    );
    let (ok, _, err) = run(&["index", "--index", idx_s, first.to_str().unwrap()]);
    assert!(ok, "{err}");
    let before = listing(&idx);
    let before_hits = search(idx_s, "original");

    let corrupt_zst = dir.path().join("corrupt.jsonl.zst");
    std::fs::write(&corrupt_zst, b"this is not zstd data").unwrap();
    let all_bad = dir.path().join("all-bad.jsonl");
    write(&all_bad, &[bad("nope", ""), bad("[]", "")]);
    let mixed = dir.path().join("mixed.jsonl");
    write(&mixed, &mixed_cases());
    let missing = dir.path().join("missing.jsonl");
    let cases: &[(&Path, bool, String)] = &[
        (
            &missing,
            false,
            format!(
                "kazsearch: {}: No such file or directory (os error 2)",
                missing.display()
            ),
        ),
        (
            &mixed,
            true,
            format!(
                "kazsearch: stopped at the first bad line (--strict); the old index is untouched: {}:2: not valid JSON: expected ident at line 1 column 2",
                mixed.display()
            ),
        ),
        (
            &all_bad,
            false,
            format!(
                "kazsearch: {}: no article could be indexed (2 lines rejected); the old index is untouched",
                idx.display()
            ),
        ),
        (
            &corrupt_zst,
            false,
            format!(
                "kazsearch: {}: Unknown frame descriptor",
                corrupt_zst.display()
            ),
        ),
    ];
    for (input, strict, want) in cases {
        let mut args = vec!["index", "--index", idx_s];
        if *strict {
            args.push("--strict");
        }
        args.push(input.to_str().unwrap());
        let (ok, out, err) = run(&args);
        assert!(!ok, "{input:?} should fail: {out}");
        assert_eq!(err.lines().last().unwrap_or(""), want, "{input:?}");
        assert_eq!(
            listing(&idx),
            before,
            "{input:?} changed the index directory"
        );
        assert_eq!(search(idx_s, "original")["hits"], before_hits["hits"]);
    }
    println!(
        "strict/failed rebuilds: {} tried, the old index untouched each time",
        cases.len()
    );
}
