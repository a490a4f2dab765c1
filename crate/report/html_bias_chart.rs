//! The disparity chart of one breakdown and one metric (inline SVG, no script): each
//! group's rate as a dot with its Wilson 95 % whisker, the reference group's rate as a
//! dashed line, the four-fifths band around it (τ·ref to ref/τ) shaded, and the groups
//! named as disadvantaged in a flagged comparison in red (the reference included).
//!
//! **Which groups** (at most [`MAX_GROUPS`]): the reference, then the disadvantaged ones,
//! then the others by size, largest first — never alphabetically; a note says how many
//! were left out (the tables list them all). Groups of unknown category are not compared
//! and not drawn.

use super::bias::RatioBand;
use super::fmt;
use super::html::esc;
use crate::fairness::counts::GroupKey;
use crate::fairness::metrics::Rate;
use crate::fairness::versus_reference::MetricVsReference;
use std::fmt::Write;

/// Groups drawn per chart.
pub const MAX_GROUPS: usize = 12;

const RED: &str = "#cf222e";
const BLUE: &str = "#1f6feb";

/// One group: its key, its rate of the charted metric, its rows.
pub struct Row<'a> {
    /// The group.
    pub group: &'a GroupKey,
    /// Its rate.
    pub rate: &'a Rate,
    /// Its rows (for ordering by size).
    pub count: u64,
}

/// The groups to draw, in order (see the module doc), and how many were left out.
pub fn chosen<'a>(rows: &'a [Row<'a>], v: &MetricVsReference) -> (Vec<&'a Row<'a>>, usize) {
    let disadvantaged = |k: &GroupKey| v.comparisons.iter().any(|c| c.flagged && c.disadvantaged.as_ref() == Some(k));
    let mut known: Vec<&Row> = rows.iter().filter(|r| !r.group.is_unknown()).collect();
    let rank = |r: &Row| (v.reference.as_ref() != Some(r.group), !disadvantaged(r.group));
    known.sort_by(|a, b| rank(a).cmp(&rank(b)).then(b.count.cmp(&a.count)));
    let left_out = known.len().saturating_sub(MAX_GROUPS);
    known.truncate(MAX_GROUPS);
    (known, left_out)
}

/// Renders the chart of `v` (one metric of one breakdown) over `rows`; `band` is the
/// disparity_ratio check's band (τ·reference to reference/τ shaded; a party is red when the
/// check flags it). Nothing when the metric has no reference rate.
pub fn render(h: &mut String, title: &str, rows: &[Row], v: &MetricVsReference, band: &RatioBand) {
    let Some(ref_rate) = v.reference_value else { return };
    let (shown, left_out) = chosen(rows, v);
    if shown.is_empty() {
        return;
    }
    let flagged = |k: &GroupKey| v.comparisons.iter().any(|c| band.flagged(c) && c.disadvantaged.as_ref() == Some(k));
    let (tau, band_name) = (band.min, super::html_bias_grid::band_name(band));
    let band = (ref_rate * tau, (ref_rate / tau).min(1.0));
    let top = shown.iter().filter_map(|r| r.rate.wilson95.map(|w| w.1)).fold(band.1, f64::max);
    let xmax = ((top * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
    let (label_w, plot_x, plot_w, row_h, head) = (190.0, 200.0, 380.0, 22.0, 30.0);
    let x = |p: f64| plot_x + plot_w * (p / xmax).clamp(0.0, 1.0);
    let height = head + row_h * shown.len() as f64 + 34.0;
    let _ = write!(
        h,
        "<figure class=\"disparity-chart\" style=\"overflow-x:auto;margin:8px 0\"><svg role=\"img\" aria-label=\"{}\" width=\"660\" height=\"{height}\" viewBox=\"0 0 660 {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\"><title>{}</title>",
        esc(title),
        esc(title)
    );
    let plot_h = row_h * shown.len() as f64;
    let _ = write!(
        h,
        "<rect x=\"{:.1}\" y=\"{head}\" width=\"{:.1}\" height=\"{plot_h}\" fill=\"#dafbe1\"><title>{band_name} band of the disparity_ratio check (τ = {}): {} to {}</title></rect>",
        x(band.0),
        (x(band.1) - x(band.0)).max(0.5),
        fmt::number(tau),
        fmt::pct(band.0),
        fmt::pct(band.1)
    );
    for t in [0.0, xmax / 2.0, xmax] {
        let _ = write!(
            h,
            "<line x1=\"{0:.1}\" y1=\"{1}\" x2=\"{0:.1}\" y2=\"{2:.1}\" stroke=\"#d8dce3\"/><text x=\"{0:.1}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#5b6574\">{4}</text>",
            x(t),
            head,
            head + plot_h,
            head - 6.0,
            esc(&fmt::pct(t))
        );
    }
    let _ = write!(
        h,
        "<line x1=\"{0:.1}\" y1=\"{1}\" x2=\"{0:.1}\" y2=\"{2:.1}\" stroke=\"#1d2430\" stroke-dasharray=\"4 3\"><title>reference rate {3}</title></line>",
        x(ref_rate),
        head - 2.0,
        head + plot_h + 2.0,
        esc(&fmt::pct(ref_rate))
    );
    for (i, r) in shown.iter().enumerate() {
        let y = head + row_h * (i as f64 + 0.5);
        let is_ref = v.reference.as_ref() == Some(r.group);
        let colour = if flagged(r.group) { RED } else { BLUE };
        let name: String = r.group.to_string().chars().take(28).collect();
        let mark = match (is_ref, flagged(r.group)) {
            (true, true) => " (reference, disadvantaged)",
            (true, false) => " (reference)",
            (false, true) => " (disadvantaged)",
            (false, false) => "",
        };
        let weight = if flagged(r.group) || is_ref { " font-weight=\"600\"" } else { "" };
        let _ =
            write!(h, "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\"{weight}>{}</text>", label_w, y + 4.0, esc(&name));
        let Some((value, (lo, hi))) = r.rate.value.zip(r.rate.wilson95) else {
            let _ = write!(h, "<text x=\"{plot_x}\" y=\"{:.1}\" fill=\"#5b6574\">undefined (0 of 0)</text>", y + 4.0);
            continue;
        };
        let _ = write!(
            h,
            "<g><title>{}{mark}: {}, 95 % interval {}</title><line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"2\"/><circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}</text></g>",
            esc(&r.group.to_string()),
            esc(&fmt::pct_of(r.rate.numerator, r.rate.denominator)),
            esc(&fmt::pct_interval((lo, hi))),
            x(lo),
            x(hi),
            x(value),
            plot_x + plot_w + 8.0,
            y + 4.0,
            esc(&fmt::pct(value))
        );
    }
    let legend_y = head + plot_h + 22.0;
    let _ = write!(
        h,
        "<circle cx=\"{plot_x}\" cy=\"{:.1}\" r=\"4\" fill=\"{RED}\"/><text x=\"{:.1}\" y=\"{legend_y:.1}\">disadvantaged (flagged)</text><line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1d2430\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"{legend_y:.1}\">reference</text><rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"10\" fill=\"#dafbe1\"/><text x=\"{:.1}\" y=\"{legend_y:.1}\">{band_name} band (τ = {})</text></svg>",
        legend_y - 4.0,
        plot_x + 8.0,
        plot_x + 165.0,
        legend_y - 10.0,
        plot_x + 165.0,
        legend_y + 2.0,
        plot_x + 172.0,
        plot_x + 245.0,
        legend_y - 9.0,
        plot_x + 263.0,
        fmt::number(tau)
    );
    let more = if left_out > 0 {
        format!(
            " {left_out} more groups are in the tables (shown: the reference, the disadvantaged, then the largest)."
        )
    } else {
        String::new()
    };
    let _ = write!(h, "<figcaption class=\"muted\">{}.{}</figcaption></figure>", esc(title), esc(&more));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::counts::Confusion;
    use crate::fairness::disparity::{audit_breakdown, DisparityOptions};
    use crate::fairness::metrics::Metric;

    /// 15 groups named so that alphabetical order would pick the wrong ones.
    #[test]
    fn groups_are_chosen_by_reference_flag_and_size_never_by_name() {
        let mut groups: Vec<(GroupKey, Confusion)> = (0..14)
            .map(|i| (GroupKey::known(&[format!("a{i:02}")]), Confusion::new(10 + i, 10 + i, 10 + i, 10 + i)))
            .collect();
        groups.push((GroupKey::known(&["zz big"]), Confusion::new(100, 100, 100, 100)));
        groups.push((GroupKey::known(&["zz low"]), Confusion::new(5, 5, 90, 90)));
        let opts = DisparityOptions { positive_is_favourable: true, ..Default::default() };
        let a = audit_breakdown(&groups, &opts);
        let v = &a.vs_reference[0];
        let rows: Vec<Row> = a
            .groups
            .iter()
            .map(|g| Row { group: &g.group, rate: &g.metrics.selection_rate, count: g.metrics.count })
            .collect();
        let (shown, left_out) = chosen(&rows, v);
        let names: Vec<String> = shown.iter().map(|r| r.group.to_string()).collect();
        assert_eq!(names[0], "zz big", "the reference first");
        assert_eq!(names[1], "zz low", "then the disadvantaged");
        assert_eq!((names.len(), left_out), (MAX_GROUPS, 4));
        assert_eq!(names[2], "a13", "then the largest: {names:?}");
        let mut h = String::new();
        let band = RatioBand { band: crate::quality::disparity_gates::Band::Adverse, min: 0.8, min_group_size: 30 };
        render(&mut h, "selection rate by g", &rows, v, &band);
        assert!(h.contains("zz low (disadvantaged)") && h.contains(RED), "{h}");
        assert!(h.contains("4 more groups are in the tables"));
        assert!(!h.contains("a00<"), "a small early name is left out");
        assert_eq!(Metric::SelectionRate, v.metric);
    }
}
