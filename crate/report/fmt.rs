//! Number formatting for people: one rule per kind of number, used by every rendering
//! (HTML sections, plain-language sentences, the executive summary).
//!
//! * counts: thousands separators (`12,345`);
//! * shares and rates: percentages with one decimal (`58.8 %`); a non-zero share that would
//!   round to 0.0 or 100.0 keeps two significant digits of its distance from 0 or 100
//!   (`0.013 %`, `99.987 %`), so "some" never reads as "none" or "all";
//! * p-values: `< 0.001`, else two significant digits (`0.032`, `0.45`);
//! * ratios: two decimals with a multiplication sign (`1.69×`), three significant digits
//!   below 0.1 (`0.0123×`);
//! * other numbers: up to six significant digits, thousands separators, no exponent between
//!   1e-4 and 1e15; outside that, `1.2 × 10⁻⁷` (tiny δ written readably).
//!
//! Non-finite values: NaN is `undefined`, ±∞ is `∞` / `−∞`. The minus sign is U+2212.

use crate::error::thousands;

/// A count with thousands separators.
pub fn count(n: u64) -> String {
    thousands(n)
}

/// A signed whole number with thousands separators.
pub fn int(n: i64) -> String {
    let t = thousands(n.unsigned_abs());
    if n < 0 {
        format!("−{t}")
    } else {
        t
    }
}

fn non_finite(x: f64) -> Option<String> {
    if x.is_nan() {
        Some("undefined".into())
    } else if x.is_infinite() {
        Some(if x > 0.0 { "∞".into() } else { "−∞".into() })
    } else {
        None
    }
}

/// A share in [0, 1] as a percentage (`0.588` → `58.8 %`).
pub fn pct(share: f64) -> String {
    if let Some(s) = non_finite(share) {
        return s;
    }
    let p = 100.0 * share;
    let one = format!("{p:.1}");
    let rounds_to_edge = (one == "0.0" || one == "-0.0" || one == "100.0") && p != 0.0 && p != 100.0;
    let body = if rounds_to_edge && p > 0.0 && p < 100.0 {
        let d = if p < 50.0 { p } else { 100.0 - p };
        // digits after the point for two significant digits of the distance to the edge
        let decimals = (2 - 1 - exponent(d)).clamp(1, 12) as usize;
        format!("{p:.decimals$}")
    } else {
        one
    };
    format!("{} %", minus(&body))
}

/// `n` of `d` as a percentage with the counts (`58.8 % (1,234 of 2,100)`), or
/// `undefined (0 of 0)`.
pub fn pct_of(n: u64, d: u64) -> String {
    if d == 0 {
        return "undefined (0 of 0)".into();
    }
    format!("{} ({} of {})", pct(n as f64 / d as f64), count(n), count(d))
}

/// A p-value: `< 0.001` or two significant digits.
pub fn p_value(p: f64) -> String {
    if let Some(s) = non_finite(p) {
        return s;
    }
    if p < 0.001 {
        return "< 0.001".into();
    }
    if p >= 1.0 {
        return "1".into();
    }
    sig(p, 2)
}

/// A ratio with a multiplication sign (`1.69×`).
pub fn ratio(x: f64) -> String {
    if let Some(s) = non_finite(x) {
        return s;
    }
    let body = if x != 0.0 && x.abs() < 0.1 { sig(x, 3) } else { format!("{x:.2}") };
    format!("{}×", minus(&body))
}

/// An interval of shares (`55.7 %–62.9 %`).
pub fn pct_interval((lo, hi): (f64, f64)) -> String {
    format!("{}–{}", pct(lo), pct(hi))
}

/// An interval of ratios (`1.56×–1.82×`).
pub fn ratio_interval((lo, hi): (f64, f64)) -> String {
    format!("{}–{}", ratio(lo), ratio(hi))
}

/// A difference of two shares in percentage points (`+24.0 pp`, `−3.1 pp`).
pub fn points(d: f64) -> String {
    if let Some(s) = non_finite(d) {
        return s;
    }
    let body = format!("{:.1}", 100.0 * d);
    if d > 0.0 && body != "0.0" {
        format!("+{body} pp")
    } else {
        format!("{} pp", minus(&body))
    }
}

/// Any other number: up to six significant digits, thousands separators, no exponent for
/// magnitudes in [1e-4, 1e15); otherwise `m × 10ᵉ` with superscript digits.
pub fn number(x: f64) -> String {
    if let Some(s) = non_finite(x) {
        return s;
    }
    let a = x.abs();
    if x == 0.0 {
        return "0".into();
    }
    if !(1e-4..1e15).contains(&a) {
        return scientific(x);
    }
    if x.fract() == 0.0 {
        return int(x as i64);
    }
    let s = sig(a, 6);
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let whole = whole.parse::<u64>().map(thousands).unwrap_or_else(|_| whole.to_string());
    let body = if frac.is_empty() { whole } else { format!("{whole}.{frac}") };
    if x < 0.0 {
        format!("−{body}")
    } else {
        body
    }
}

/// `m × 10ᵉ` with two significant digits (`1 × 10⁻⁷`, `2.5 × 10⁻¹²`).
pub fn scientific(x: f64) -> String {
    if let Some(s) = non_finite(x) {
        return s;
    }
    if x == 0.0 {
        return "0".into();
    }
    let s = format!("{:.1e}", x.abs());
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let m = m.trim_end_matches('0').trim_end_matches('.');
    let sign = if x < 0.0 { "−" } else { "" };
    format!("{sign}{m} × 10{}", superscript(e))
}

fn superscript(e: &str) -> String {
    e.chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            other => other,
        })
        .collect()
}

/// `x` (finite, non-zero) with `digits` significant digits, trailing zeros dropped.
fn sig(x: f64, digits: i32) -> String {
    let decimals = (digits - 1 - exponent(x)).max(0) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    minus(&s)
}

/// The decimal exponent of `x` (finite, non-zero) after rounding to two significant
/// digits, read from Rust's own formatting (no platform `log10`).
fn exponent(x: f64) -> i32 {
    let s = format!("{:.1e}", x.abs());
    s.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0)
}

fn minus(s: &str) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        Some(rest) => format!("−{rest}"),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(pct(0.588), "58.8 %");
        assert_eq!(pct(0.0), "0.0 %");
        assert_eq!(pct(1.0), "100.0 %");
        assert_eq!(pct(0.00013), "0.013 %");
        assert_eq!(pct(0.0000012), "0.00012 %");
        assert_eq!(pct(0.99987), "99.987 %");
        assert_eq!(pct(f64::NAN), "undefined");
        assert_eq!(pct_of(805, 1795), "44.8 % (805 of 1,795)");
        assert_eq!(pct_of(0, 0), "undefined (0 of 0)");
    }

    #[test]
    fn p_values() {
        assert_eq!(p_value(2.12e-184), "< 0.001");
        assert_eq!(p_value(0.00123), "0.0012");
        assert_eq!(p_value(0.0321), "0.032");
        assert_eq!(p_value(0.456), "0.46");
        assert_eq!(p_value(1.0), "1");
    }

    #[test]
    fn ratios_and_points() {
        assert_eq!(ratio(1.6914), "1.69×");
        assert_eq!(ratio(0.591638), "0.59×");
        assert_eq!(ratio(0.01234), "0.0123×");
        assert_eq!(ratio(0.0), "0.00×");
        assert_eq!(ratio_interval((1.556, 1.82)), "1.56×–1.82×");
        assert_eq!(pct_interval((0.557, 0.62851)), "55.7 %–62.9 %");
        assert_eq!(points(0.24), "+24.0 pp");
        assert_eq!(points(-0.031), "−3.1 pp");
        assert_eq!(points(-0.0001), "0.0 pp");
    }

    #[test]
    fn numbers() {
        assert_eq!(number(1234567.0), "1,234,567");
        assert_eq!(number(-42.0), "−42");
        assert_eq!(number(1234.56789), "1,234.57");
        assert_eq!(number(0.000123456), "0.000123456");
        assert_eq!(number(1e-7), "1 × 10⁻⁷");
        assert_eq!(number(2.5e-12), "2.5 × 10⁻¹²");
        assert_eq!(number(3e20), "3 × 10²⁰");
        assert_eq!(number(0.0), "0");
        assert_eq!(int(-1234), "−1,234");
        assert_eq!(count(52494), "52,494");
    }
}
