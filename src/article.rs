//! The ingest record: one article as read from a JSONL line, validated.
//!
//! Input format (DESIGN.md): `{"id","title","body","lang"?,"date"?,"source"?,"url"?}`.
//! Validation is strict about what would break search (no id, no body, an unknown language,
//! a date that is not ISO 8601) and lenient about what is optional (missing title, source,
//! url). Every rejection is a sentence naming the field, so `ingest` can prefix file and line.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::lang::Lang;

/// Largest accepted body, in bytes. Longer bodies are rejected, not truncated: a 50 MB
/// "article" is a broken export, and indexing part of it would hide the problem.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Largest accepted title, id, source or url, in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Largest accepted id, in bytes.
pub const MAX_ID_BYTES: usize = 512;

/// Earliest date the index can hold (tantivy stores nanoseconds in an i64): 1677-09-21.
pub const MIN_TIMESTAMP: i64 = i64::MIN / 1_000_000_000;
/// Latest date the index can hold: 2262-04-11.
pub const MAX_TIMESTAMP: i64 = i64::MAX / 1_000_000_000;

/// One validated article.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Article {
    /// Unique id (the last article with an id wins on reindex).
    pub id: String,
    /// Title; may be empty.
    pub title: String,
    /// Body text; empty only when the title is not (some exports put the text in the title).
    pub body: String,
    /// The language given in the input, if any (else it is detected).
    pub lang: Option<Lang>,
    /// The date as given (ISO 8601 date or date-time), if any.
    pub date: Option<String>,
    /// `date` as seconds since the Unix epoch (UTC), for range filters.
    #[serde(skip)]
    pub timestamp: Option<i64>,
    /// Where the article comes from; may be empty.
    pub source: String,
    /// Link to the original; may be empty.
    pub url: String,
}

impl Article {
    /// Parses and validates one JSON line. The error is a sentence without file or line.
    pub fn from_json_line(line: &str) -> Result<Article, String> {
        let value: Value =
            serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
        let Value::Object(map) = value else {
            return Err(format!("expected a JSON object, got {}", type_name(&value)));
        };
        Article::from_map(&map)
    }

    /// Validates an already parsed JSON object.
    pub fn from_map(map: &Map<String, Value>) -> Result<Article, String> {
        let id = opt_string(map, "id")?.unwrap_or_default();
        if id.trim().is_empty() {
            return Err("no id: every article needs a non-empty \"id\" string".into());
        }
        if id.len() > MAX_ID_BYTES {
            return Err(format!(
                "\"id\" is {} bytes long, over the {MAX_ID_BYTES}-byte limit",
                id.len()
            ));
        }
        let Some(body) = opt_string(map, "body")? else {
            return Err("no body: the \"body\" field is missing".into());
        };
        let title = opt_string(map, "title")?.unwrap_or_default();
        if body.trim().is_empty() && title.trim().is_empty() {
            return Err("empty article: \"body\" and \"title\" are both empty".into());
        }
        if body.len() > MAX_BODY_BYTES {
            return Err(format!(
                "\"body\" is {:.1} MB, over the {} MB limit",
                body.len() as f64 / (1024.0 * 1024.0),
                MAX_BODY_BYTES / (1024 * 1024)
            ));
        }
        let source = opt_string(map, "source")?.unwrap_or_default();
        let url = opt_string(map, "url")?.unwrap_or_default();
        for (name, v) in [("title", &title), ("source", &source), ("url", &url)] {
            if v.len() > MAX_FIELD_BYTES {
                return Err(format!(
                    "\"{name}\" is {} bytes long, over the {MAX_FIELD_BYTES}-byte limit",
                    v.len()
                ));
            }
        }
        let lang = match opt_string(map, "lang")? {
            None => None,
            Some(s) if s.trim().is_empty() => None,
            Some(s) => Some(Lang::from_code(&s).ok_or_else(|| {
                format!("unknown lang {s:?}: expected \"kk\", \"ru\" or \"en\", or no lang to detect it")
            })?),
        };
        let (date, timestamp) = match opt_string(map, "date")? {
            None => (None, None),
            Some(s) if s.trim().is_empty() => (None, None),
            Some(s) => {
                let ts = parse_date(s.trim()).map_err(|why| format!("bad date {s:?}: {why}"))?;
                if !(MIN_TIMESTAMP..=MAX_TIMESTAMP).contains(&ts) {
                    return Err(format!(
                        "bad date {s:?}: the index holds dates from {} to {}",
                        format_day(MIN_TIMESTAMP),
                        format_day(MAX_TIMESTAMP)
                    ));
                }
                (Some(s.trim().to_string()), Some(ts))
            }
        };
        Ok(Article {
            id,
            title,
            body,
            lang,
            date,
            timestamp,
            source,
            url,
        })
    }
}

/// A string field that may be absent or null; any other type is an error naming the field.
fn opt_string(map: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "\"{name}\" must be a string, got {}",
            type_name(other)
        )),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses an ISO 8601 date (`2020-06-10`) or date-time (`2020-06-10T12:30:00Z`,
/// `2020-06-10T12:30:00+06:00`, `2020-06-10 12:30`, fractional seconds allowed; no zone means
/// UTC) into seconds since the Unix epoch.
pub fn parse_date(s: &str) -> Result<i64, String> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    const WANT: &str = "expected YYYY-MM-DD, YYYY-MM, YYYY or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]";
    // Reduced precision (ISO 8601): a year, or a year and month, stands for its first day.
    if b.len() == 4 || (b.len() == 7 && b[4] == b'-') {
        let year = num(0, 4).ok_or_else(|| WANT.to_string())?;
        let month = if b.len() == 7 {
            num(5, 2).ok_or_else(|| WANT.to_string())?
        } else {
            1
        };
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not between 1 and 12"));
        }
        return Ok(days_from_civil(year, month, 1) * 86_400);
    }
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(WANT.into());
    }
    let (year, month, day) = match (num(0, 4), num(5, 2), num(8, 2)) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err(WANT.into()),
    };
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is not between 1 and 12"));
    }
    let dim = days_in_month(year, month);
    if day < 1 || day > dim {
        return Err(format!("day {day} is not between 1 and {dim}"));
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    if b.len() == 10 {
        return Ok(secs);
    }
    if b[10] != b'T' && b[10] != b' ' && b[10] != b't' {
        return Err(WANT.into());
    }
    let (hour, minute) = match (num(11, 2), b.get(13), num(14, 2)) {
        (Some(h), Some(b':'), Some(m)) => (h, m),
        _ => return Err(WANT.into()),
    };
    let mut i = 16;
    let mut second = 0;
    if b.get(i) == Some(&b':') {
        second = num(i + 1, 2).ok_or_else(|| WANT.to_string())?;
        i += 3;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return Err(WANT.into());
            }
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!(
            "time {hour:02}:{minute:02}:{second:02} is out of range"
        ));
    }
    secs += hour * 3600 + minute * 60 + second;
    match b.get(i) {
        None => Ok(secs),
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => Ok(secs),
        Some(&sign @ (b'+' | b'-')) => {
            let (oh, om) = match (num(i + 1, 2), b.get(i + 3)) {
                (Some(h), Some(b':')) => (h, num(i + 4, 2).ok_or_else(|| WANT.to_string())?),
                (Some(h), None) => (h, 0),
                (Some(h), Some(_)) => (h, num(i + 3, 2).ok_or_else(|| WANT.to_string())?),
                _ => return Err(WANT.into()),
            };
            let end = if b.get(i + 3) == Some(&b':') {
                i + 6
            } else if b.len() == i + 3 {
                i + 3
            } else {
                i + 5
            };
            if end != b.len() || oh > 14 || om > 59 {
                return Err(WANT.into());
            }
            let offset = oh * 3600 + om * 60;
            Ok(if sign == b'+' {
                secs - offset
            } else {
                secs + offset
            })
        }
        _ => Err(WANT.into()),
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Formats seconds since the epoch as `YYYY-MM-DD` (UTC).
pub fn format_day(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let ok: &[(&str, i64)] = &[
            ("1970-01-01", 0),
            ("2020-06-10", 1_591_747_200),
            ("2020-02-29", 1_582_934_400),
            ("2020-06-10T00:00:00Z", 1_591_747_200),
            ("2020-06-10T06:00:00+06:00", 1_591_747_200),
            ("2020-06-10T06:00+0600", 1_591_747_200),
            ("2020-06-09T23:00:00-01:00", 1_591_747_200),
            ("2020-06-10 00:00", 1_591_747_200),
            ("2020-06-10T00:00:00.123Z", 1_591_747_200),
            ("2020", 1_577_836_800),
            ("2020-06", 1_590_969_600),
        ];
        for (s, want) in ok {
            assert_eq!(parse_date(s), Ok(*want), "{s}");
        }
        for bad in [
            "",
            "202",
            "2020-13",
            "2020-1",
            "20x0",
            "2020-13-01",
            "2019-02-29",
            "2020-06-31",
            "10.06.2020",
            "2020-06-10T25:00",
            "2020-06-10Tnoon",
            "2020-06-10T00:00:00Zjunk",
            "２０２０-06-10",
            "2020-06-10T00:00+",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(format_day(1_591_747_200), "2020-06-10");
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(-86_400), "1969-12-31");
    }

    #[test]
    fn lines() {
        let good = r#"{"id":"a1","title":"T","body":"Тоқаев","lang":"KK","date":"2020-06-10","source":"s","url":"u","extra":1}"#;
        let a = Article::from_json_line(good).unwrap();
        assert_eq!(
            (a.id.as_str(), a.lang, a.timestamp),
            ("a1", Some(Lang::Kk), Some(1_591_747_200))
        );
        let minimal =
            Article::from_json_line(r#"{"id":"a","body":"b","lang":null,"date":""}"#).unwrap();
        assert_eq!(
            (minimal.title.as_str(), minimal.lang, minimal.date),
            ("", None, None)
        );

        let bad: &[(&str, &str)] = &[
            ("not json", "not valid JSON"),
            ("[1,2]", "expected a JSON object, got an array"),
            (r#"{"body":"b"}"#, "no id"),
            (r#"{"id":"  ","body":"b"}"#, "no id"),
            (r#"{"id":"a"}"#, "no body"),
            (r#"{"id":"a","body":"   "}"#, "empty article"),
            (r#"{"id":"a","body":null,"title":"t"}"#, "no body"),
            (
                r#"{"id":"a","body":5}"#,
                "\"body\" must be a string, got a number",
            ),
            (
                r#"{"id":7,"body":"b"}"#,
                "\"id\" must be a string, got a number",
            ),
            (
                r#"{"id":"a","body":"b","lang":"de"}"#,
                "unknown lang \"de\"",
            ),
            (
                r#"{"id":"a","body":"b","date":"June"}"#,
                "bad date \"June\"",
            ),
            (
                r#"{"id":"a","body":"b","date":"2300-01-01"}"#,
                "bad date \"2300-01-01\": the index holds dates from 1677-09-21 to 2262-04-11",
            ),
            (
                r#"{"id":"a","body":"b","date":"0001-01-01"}"#,
                "bad date \"0001-01-01\": the index holds dates from 1677-09-21 to 2262-04-11",
            ),
            (
                r#"{"id":"a","body":"b","title":["x"]}"#,
                "\"title\" must be a string, got an array",
            ),
        ];
        for (line, want) in bad {
            let err = Article::from_json_line(line).unwrap_err();
            assert!(err.contains(want), "{line}: {err} should contain {want}");
        }
        let huge = format!(
            r#"{{"id":"a","body":"{}"}}"#,
            "x".repeat(MAX_BODY_BYTES + 1)
        );
        assert!(Article::from_json_line(&huge)
            .unwrap_err()
            .contains("over the 4 MB limit"));
    }
}
