//! The histogram (inline SVG bar chart) and outlier counts of a numeric column in the HTML
//! report, and their glossary entries.

use super::html::{esc, num};
use super::model::Definition;
use crate::error::thousands;
use crate::quality::histogram::{Histogram, Outliers};
use crate::quality::profile::ColumnStats;
use std::fmt::Write;

const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 48.0;

/// An inline SVG bar chart: one bar per bin, heights relative to the largest count, a
/// `<title>` tooltip with the bin's edges and count.
pub(crate) fn histogram_svg(h: &Histogram) -> String {
    let k = h.counts.len();
    let top = h.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bar = WIDTH / k.max(1) as f64;
    let mut out = format!(
        "<svg role=\"img\" aria-label=\"histogram, {k} bins from {} to {}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(&num(h.edges.first().copied().unwrap_or(0.0))),
        esc(&num(h.edges.last().copied().unwrap_or(0.0))),
    );
    for (i, (&c, e)) in h.counts.iter().zip(h.edges.windows(2)).enumerate() {
        let height = if c == 0 { 0.0 } else { (c as f64 / top * (HEIGHT - 1.0)).max(1.0) };
        let close = if i + 1 == k { "]" } else { ")" };
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\" fill=\"#4a6fa5\"><title>[{}, {}{close}: {}</title></rect>",
            i as f64 * bar,
            HEIGHT - height,
            (bar - 1.0).max(0.5),
            esc(&super::fmt::number(e[0])),
            esc(&super::fmt::number(e[1])),
            thousands(c)
        );
    }
    out.push_str("</svg>");
    out
}

/// One line of outlier counts.
pub(crate) fn outlier_line(o: &Outliers) -> String {
    let (pct, num) = (super::fmt::pct, super::fmt::number);
    let mut out = format!(
        "outliers: IQR {} ({}, outside [{}, {}])",
        thousands(o.iqr.count),
        pct(o.iqr.share),
        num(o.iqr.low_fence),
        num(o.iqr.high_fence)
    );
    match (&o.robust_z, &o.robust_z_note) {
        (Some(z), _) => {
            let _ = write!(out, " · robust z {} ({}, MAD {})", thousands(z.count), pct(z.share), num(z.mad));
        }
        (None, Some(n)) => {
            let _ = write!(out, " · {n}");
        }
        (None, None) => {}
    }
    esc(&out)
}

/// The histogram, outliers and why they are missing, as HTML lines (empty when none).
pub(crate) fn shape_html(s: &ColumnStats) -> String {
    let mut out = String::new();
    if let Some(h) = &s.histogram {
        let _ = write!(out, "<br>{}", histogram_svg(h));
    }
    if let Some(o) = &s.outliers {
        let _ = write!(out, "<br>{}", outlier_line(o));
    }
    if let Some(n) = &s.shape_note {
        let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(n));
    }
    match s.mode.as_ref().map(|m| (m.count, m.share)) {
        Some((Some(c), Some(share))) => {
            let _ = write!(
                out,
                "<br>most frequent value (the median) occurs in {} rows ({} of valid values)",
                thousands(c),
                super::fmt::pct(share)
            );
        }
        Some(_) => out.push_str("<br>no value holds more than half of the valid values"),
        None => {}
    }
    out
}

/// Glossary entries of histograms and outliers.
pub fn histogram_definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("histogram", "numpy.histogram convention over the finite values, bins [eᵢ, eᵢ₊₁) except the last, which is closed: when every value is an integer, integer edges min, min + w, …, min + k·w (w = 1 while [min, max] holds at most 20 integers, else the smallest whole width giving at most 20 bins; numpy.histogram with bins = numpy.arange(min, min + k·w + 1, w)), so a bin holds whole numbers eᵢ … eᵢ₊₁ − 1; otherwise 20 equal-width bins over [min, max] ([min − ½, max + ½] when min = max) with edges as numpy.linspace computes them; exact counts, from the values kept in memory (profile.quantile_values_in_memory) or, for larger columns, from one more pass over the file when profile.quantile_passes is on; otherwise not computed (a log-bucket estimate would misplace values in buckets straddling a bin edge)"),
        d("IQR outliers", "Tukey fences: values x < Q1 − 1.5·IQR or x > Q3 + 1.5·IQR, IQR = Q3 − Q1, with the exact p25 and p75 (numpy \"linear\"); count and share of the finite values; exact from the values in memory or from one more pass (profile.quantile_passes), else not computed"),
        d("robust z outliers", "Iglewicz–Hoaglin modified z-score: values with |x − m| / (1.4826·MAD) > 3.5, m the exact median (numpy \"linear\" p50; numpy.median agrees up to the last bit), MAD the exact median of |x − m| (unscaled; 1.4826·MAD ≈ scipy median_abs_deviation(scale=\"normal\"), which uses 1/Φ⁻¹(¾) = 1.482602…); not defined when MAD = 0, where pandas/scipy would divide by zero; exact from the values in memory (profile.quantile_values_in_memory) or, for larger columns with profile.quantile_passes on, from planned passes (a radix selection over the keys of |x − m|, then one counting pass), else not computed"),
        d("mode (numbers)", "the most frequent valid value's count and share, known exactly without value counts when it holds more than half of the valid values: it is then the exact median (or ±∞), whose occurrences are counted from the values in memory or in the histogram pass (profile.quantile_passes); otherwise the share is at most 0.5 (share_at_most); pandas value_counts().iloc[0]"),
        d("mode (dates)", "the most frequent valid date's (or date-time's) count and share, from exact counts of the values (days or seconds) while the column has at most 10,000 distinct values, else not computed; the date itself is not shown; pandas value_counts().iloc[0] of the parsed values"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::histogram::{histogram, outliers};

    #[test]
    fn svg_has_a_bar_and_tooltip_per_bin() {
        let h = histogram(&[0.0, 1.0, 1.0, 3.0]).expect("histogram");
        let svg = histogram_svg(&h);
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("<title>[0, 1): 1</title>"), "{svg}");
        assert!(svg.contains("<title>[3, 4]: 1</title>"), "{svg}");
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn outlier_line_states_undefined_robust_z() {
        let line = outlier_line(&outliers(&[1.0, 1.0, 1.0, 9.0]).expect("outliers"));
        assert!(line.starts_with("outliers: IQR 1 (25.0 %"), "{line}");
        assert!(line.contains("robust z not defined"), "{line}");
    }
}
