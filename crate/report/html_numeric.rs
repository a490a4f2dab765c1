//! The numeric part of a column's profile in the HTML report and its glossary entries.

use super::fmt::{number as num, pct};
use super::html::esc;
use super::model::Definition;
use crate::error::thousands;
use crate::quality::profile::ColumnStats;
use std::fmt::Write;

/// Summary of a numeric column: count, moments, range, shape, quantiles, infinities.
pub(crate) fn numeric_summary(s: &ColumnStats) -> String {
    let mut out = String::new();
    let Some(m) = &s.numeric else { return out };
    let o = |v: Option<f64>| v.map_or("—".to_string(), num);
    let _ = write!(
        out,
        "n {} · mean {} · std {} · min {} · max {}",
        thousands(m.count),
        o(m.mean),
        o(m.std),
        o(m.min),
        o(m.max)
    );
    let _ = write!(out, "<br>sum {} · zeros {} · negatives {}", num(m.sum), thousands(m.zeros), thousands(m.negatives));
    if m.count >= 3 {
        let _ = write!(out, " · skew {} · excess kurtosis {}", o(m.skewness), o(m.kurtosis));
    }
    if let Some(q) = &s.quantiles {
        let parts: Vec<String> = q
            .iter()
            .map(|p| match p.relative_error {
                None => format!("p{:02} {}", (p.q * 100.0).round(), num(p.value)),
                Some(a) => format!("p{:02} ≈ {} (±{})", (p.q * 100.0).round(), num(p.value), pct(a)),
            })
            .collect();
        let _ = write!(out, "<br>{}", parts.join(" · "));
    }
    if let Some(n) = &s.quantiles_note {
        let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(n));
    }
    if m.positive_infinities + m.negative_infinities > 0 {
        let _ = write!(out, " · ±∞ {}", thousands(m.positive_infinities + m.negative_infinities));
    }
    out.push_str(&super::html_histogram::shape_html(s));
    out
}

/// Why a column's quantiles are not exact: too many values for one pass.
pub(crate) fn skipped_note(cap: u64, estimated: bool) -> String {
    if estimated {
        format!(
            "approximate quantiles: more than {cap} values (profile.quantile_values_in_memory); estimated by a log-bucket sketch (DDSketch-style), each within {} % of the larger neighbouring order statistic; set profile.quantile_passes = true for exact quantiles from extra passes over the file",
            num(crate::sketch::log_buckets::ALPHA * 100.0)
        )
    } else {
        format!("quantiles not computed: more than {cap} values (profile.quantile_values_in_memory); set profile.quantile_passes = true for exact quantiles from extra passes over the file")
    }
}

/// Glossary entries of the numeric profile.
pub fn numeric_definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("quantiles (p01 … p99)", "exact p01, p05, p25, p50, p75, p95 and p99 of the finite values with linear interpolation (numpy/pandas default, Hyndman–Fan type 7: virtual index (n − 1)·q, as numpy computes it), found by radix selection over extra passes when a column has more than 250,000 values; integers above 2^53 are rounded to the nearest double first"),
        d("approximate quantiles", "when a column has more values than profile.quantile_values_in_memory and profile.quantile_passes is off, p01 … p99 are estimated in the same pass by a log-bucket histogram in the manner of DDSketch (Masson et al. 2019): buckets by sign, binary exponent and 6 mantissa bits (width ratio ≤ 1 + 2^-6), each represented by 2·lo·hi/(lo + hi), zeros exact; the estimate interpolates the representatives of the two order statistics numpy would interpolate, so |estimate − exact| ≤ α·max(|x₍⌊h⌋₎|, |x₍⌊h⌋+1₎|) with α = 1/128 (0.78 %), shown next to each value (relative_error in JSON); subnormal values add at most 2^-1028; estimates are clamped to [min, max]. Counts add exactly on merge, so the estimates do not depend on how the file was split (unlike KLL or t-digest)"),
        d("skew", "adjusted Fisher–Pearson skewness G₁ = n·√(n−1)/(n−2) · m₃/m₂^{3/2} with mₖ = Σ(x − mean)ᵏ over the finite values (pandas Series.skew); computed exactly from exact sums of x, x², x³ and rounded once; undefined (null) below 3 values, 0 when every value is equal (as pandas; pandas also zeroes m₂, m₃ below 1e-14, which exact sums do not need)"),
        d("excess kurtosis", "bias-corrected excess kurtosis G₂ = n(n+1)(n−1)·m₄ / ((n−2)(n−3)·m₂²) − 3(n−1)²/((n−2)(n−3)) (pandas Series.kurt, Fisher's definition: 0 for a normal distribution); computed exactly from exact sums of x … x⁴ and rounded once; undefined (null) below 4 values, 0 when every value is equal"),
        d("sum / zeros / negatives", "exact sum of the finite values rounded once; counts of finite values equal to 0 (or −0) and of finite values below 0; ±infinity are counted apart and excluded from every statistic"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(quantiles: &str) -> ColumnStats {
        let json = format!(
            r#"{{"rows": 6, "valid": 5, "missing": 1, "unparseable": 0,
            "distinct": {{"value": 5, "exact": true, "relative_standard_error": 0.0}},
            "numeric": {{"count": 5, "sum": 20.5, "mean": 4.1, "variance": 2.0, "std": 1.5, "min": -1.0, "max": 9.0,
              "zeros": 1, "negatives": 1, "positive_infinities": 0, "negative_infinities": 0,
              "skewness": 1.25, "kurtosis": -0.5}},
            "quantiles": {quantiles}}}"#
        );
        serde_json::from_str(&json).expect("stats")
    }

    #[test]
    fn renders_shape_sums_and_quantiles() {
        let mut big = stats(r#"[{"q": 0.5, "value": 55004.04}]"#);
        big.numeric.as_mut().expect("numeric").sum = 3_172_823_626.54;
        let h = numeric_summary(&big);
        // Six significant digits with separators (the JSON keeps every bit).
        assert!(h.contains("sum 3,172,823,627") && h.contains("p50 55,004"), "thousands separators: {h}");
        let h = numeric_summary(&stats(r#"[{"q": 0.01, "value": -0.5}, {"q": 0.5, "value": 3.0}]"#));
        assert!(h.contains(&format!("skew 1.25 · excess kurtosis {}", num(-0.5))), "{h}");
        assert!(h.contains("sum 20.5 · zeros 1 · negatives 1"), "{h}");
        assert!(h.contains(&format!("p01 {} · p50 3", num(-0.5))), "{h}");
        assert!(!h.contains('≈'));
    }

    #[test]
    fn approximate_quantiles_state_their_bound() {
        let h = numeric_summary(&stats(r#"[{"q": 0.99, "value": 8.5, "relative_error": 0.0078125}]"#));
        assert!(h.contains("p99 ≈ 8.5 (±0.8 %)"), "{h}");
        assert!(skipped_note(100, true).contains("0.78125 %"));
        assert!(skipped_note(100, false).starts_with("quantiles not computed"));
    }
}
