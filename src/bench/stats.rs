//! Small pure helpers for the benchmark: percentiles of latency samples, rates, ratios and
//! the number formats of the report. Table-tested, because a slip here (tantivy-cli once
//! subtracted its instants the wrong way round) silently turns every figure into nonsense.

use std::time::Duration;

use serde::Serialize;

/// The `p`-th percentile (0–100) of `sorted` samples by the nearest-rank method: the smallest
/// sample with at least `p` % of the samples at or below it. None for no samples.
///
/// ```
/// use kazsearch::bench::stats::percentile;
/// let s = [1.0, 2.0, 3.0, 4.0];
/// assert_eq!(percentile(&s, 50.0), Some(2.0));
/// assert_eq!(percentile(&s, 99.0), Some(4.0));
/// ```
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || p.is_nan() {
        return None;
    }
    let p = p.clamp(0.0, 100.0);
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// Latency percentiles of a set of samples, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Latency {
    /// Number of samples.
    pub n: usize,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Slowest sample.
    pub max: f64,
    /// Mean.
    pub mean: f64,
}

impl Latency {
    /// Summarises samples given in milliseconds (in any order).
    pub fn of_ms(samples: &[f64]) -> Latency {
        let mut s: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
        s.sort_by(f64::total_cmp);
        let at = |p| percentile(&s, p).unwrap_or(0.0);
        Latency {
            n: s.len(),
            p50: at(50.0),
            p95: at(95.0),
            p99: at(99.0),
            max: s.last().copied().unwrap_or(0.0),
            mean: if s.is_empty() {
                0.0
            } else {
                s.iter().sum::<f64>() / s.len() as f64
            },
        }
    }

    /// Summarises durations.
    pub fn of(samples: &[Duration]) -> Latency {
        let ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        Latency::of_ms(&ms)
    }
}

/// `amount / seconds`, or 0 when no time passed.
pub fn rate(amount: f64, secs: f64) -> f64 {
    if secs > 0.0 && secs.is_finite() {
        amount / secs
    } else {
        0.0
    }
}

/// `a / b`, or None when `b` is zero (the ratio is then meaningless, not infinite).
pub fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0 && a.is_finite() && b.is_finite()).then(|| a / b)
}

/// Share of `part` in `whole`, in percent; None when `whole` is zero.
pub fn share(part: f64, whole: f64) -> Option<f64> {
    ratio(part, whole).map(|r| r * 100.0)
}

/// A ratio for the report: `0.62×`, or `–` when there is none.
pub fn fmt_ratio(r: Option<f64>) -> String {
    match r {
        Some(r) if r >= 100.0 => format!("{r:.0}×"),
        Some(r) if r >= 10.0 => format!("{r:.1}×"),
        Some(r) => format!("{r:.2}×"),
        None => "–".into(),
    }
}

/// A number with a sensible number of digits for a table: 3 significant digits, thousands
/// grouped with a thin space for the large ones (`52 055`).
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    if a >= 10_000.0 {
        group(x.round() as i64)
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a == 0.0 {
        "0".into()
    } else {
        format!("{x:.3}")
    }
}

/// An integer with its thousands grouped by spaces: `1 234 567`.
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Bytes as MB (10^6), for sizes and throughputs.
pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_nearest_rank() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        let hundred: Vec<f64> = (1..=100).map(f64::from).collect();
        let cases: &[(&[f64], f64, Option<f64>)] = &[
            (&[], 50.0, None),
            (&[7.0], 0.0, Some(7.0)),
            (&[7.0], 50.0, Some(7.0)),
            (&[7.0], 100.0, Some(7.0)),
            (&[1.0, 2.0], 50.0, Some(1.0)),
            (&[1.0, 2.0], 51.0, Some(2.0)),
            (&ten, 50.0, Some(5.0)),
            (&ten, 90.0, Some(9.0)),
            (&ten, 95.0, Some(10.0)),
            (&ten, 0.0, Some(1.0)),
            (&ten, -5.0, Some(1.0)),
            (&ten, 250.0, Some(10.0)),
            (&ten, f64::NAN, None),
            (&hundred, 99.0, Some(99.0)),
            (&hundred, 99.5, Some(100.0)),
            (&hundred, 95.0, Some(95.0)),
        ];
        for (samples, p, want) in cases {
            assert_eq!(percentile(samples, *p), *want, "p{p} of {samples:?}");
        }
    }

    #[test]
    fn latency_summary() {
        let l = Latency::of_ms(&[3.0, 1.0, 2.0, f64::NAN, 4.0]);
        assert_eq!(
            l,
            Latency {
                n: 4,
                p50: 2.0,
                p95: 4.0,
                p99: 4.0,
                max: 4.0,
                mean: 2.5
            }
        );
        assert_eq!(Latency::of_ms(&[]), Latency::default());
        let d = Latency::of(&[Duration::from_micros(1500), Duration::from_millis(3)]);
        assert_eq!((d.p50, d.max), (1.5, 3.0));
    }

    #[test]
    fn rates_ratios_shares() {
        let cases: &[(f64, f64, f64, Option<f64>)] = &[
            (100.0, 2.0, 50.0, Some(50.0)),
            (1.0, 0.0, 0.0, None),
            (0.0, 4.0, 0.0, Some(0.0)),
            (3.0, f64::INFINITY, 0.0, None),
        ];
        for &(a, b, want_rate, want_ratio) in cases {
            assert_eq!(rate(a, b), want_rate, "rate {a}/{b}");
            assert_eq!(ratio(a, b), want_ratio, "ratio {a}/{b}");
        }
        assert_eq!(share(1.0, 4.0), Some(25.0));
        assert_eq!(share(1.0, 0.0), None);
    }

    #[test]
    fn formats() {
        let nums = [
            (0.0, "0"),
            (0.01234, "0.012"),
            (1.234, "1.23"),
            (12.34, "12.3"),
            (123.4, "123"),
            (9_999.0, "9999"),
            (52_055.0, "52 055"),
            (1_234_567.0, "1 234 567"),
            (-12_345.0, "-12 345"),
            (f64::NAN, "–"),
        ];
        for (x, want) in nums {
            assert_eq!(fmt_num(x), want, "{x}");
        }
        let ratios = [
            (Some(0.6234), "0.62×"),
            (Some(12.34), "12.3×"),
            (Some(250.0), "250×"),
            (None, "–"),
        ];
        for (r, want) in ratios {
            assert_eq!(fmt_ratio(r), want);
        }
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1 000");
        assert_eq!(mb(2_500_000), 2.5);
    }
}
