//! HTML of the score section: per breakdown a group table (n, AUC with Hanley–McNeil and
//! DeLong intervals, Brier score, ECE, LL144 scoring rate, a small SVG histogram), the
//! threshold sweep as inline SVG line charts (selection rate, TPR, FPR vs threshold, one
//! line per group, the largest groups when there are more than eight), a reliability chart (observed rate vs mean score per calibration bin)
//! and the LL144 scoring-rate impact ratios. Every string from the data goes through
//! [`esc`].

use super::html::{esc, num};
use super::scores::{GroupScores, ScoreReport};
use crate::error::thousands;
use std::fmt::Write;

const PALETTE: [&str; 8] = ["#1f6feb", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4", "#57606a"];
const MAX_LINES: usize = 8;

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "undefined".to_string(), num)
}

fn ci(v: Option<(f64, f64)>) -> String {
    v.map_or_else(String::new, |(lo, hi)| format!("<br><span class=\"muted\">[{}, {}]</span>", num(lo), num(hi)))
}

fn label(g: &GroupScores) -> String {
    if g.group.levels.is_empty() {
        "all rows".to_string()
    } else {
        g.group.to_string()
    }
}

/// A small histogram of a group's scores (bar heights relative to its largest bin).
fn histogram_svg(g: &GroupScores) -> String {
    let counts = &g.distribution.histogram;
    let max = counts.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return String::new();
    }
    let (w, h) = (100.0, 24.0);
    let bw = w / counts.len() as f64;
    let mut s = format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"score histogram of {}\">",
        esc(&label(g))
    );
    for (i, &c) in counts.iter().enumerate() {
        let bh = h * c as f64 / max as f64;
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#1f6feb\"/>",
            i as f64 * bw,
            h - bh,
            (bw - 0.5).max(0.5)
        );
    }
    s.push_str("</svg>");
    s
}

/// One series of a line chart: label and points (None breaks the line).
type Series = (String, Vec<Option<(f64, f64)>>);

/// An inline SVG line chart with y in [0, 1] and x in [x0, x1]; a legend below.
fn line_chart(h: &mut String, title: &str, x_label: &str, (x0, x1): (f64, f64), series: &[Series], diagonal: bool) {
    let (w, ht, pad) = (300.0, 180.0, 30.0);
    let span = if x1 > x0 { x1 - x0 } else { 1.0 };
    let px = |x: f64| pad + (x - x0) / span * (w - pad - 10.0);
    let py = |y: f64| ht - pad - y * (ht - pad - 10.0);
    let _ = write!(
        h,
        "<svg width=\"{w}\" height=\"{}\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\"><text x=\"{pad}\" y=\"9\" font-weight=\"600\">{}</text>",
        ht + 14.0 * series.len() as f64,
        ht + 14.0 * series.len() as f64,
        esc(title),
        esc(title)
    );
    let _ = write!(
        h,
        "<rect x=\"{pad}\" y=\"10\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#fff\" stroke=\"#d8dce3\"/><text x=\"2\" y=\"{:.1}\">1</text><text x=\"2\" y=\"{:.1}\">0</text><text x=\"{pad}\" y=\"{:.1}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        w - pad - 10.0,
        ht - pad - 10.0,
        py(1.0) + 4.0,
        py(0.0),
        ht - pad + 12.0,
        esc(&num(x0)),
        w - 10.0,
        ht - pad + 12.0,
        esc(&num(x1)),
        w / 2.0 + pad / 2.0,
        ht - pad + 24.0,
        esc(x_label)
    );
    if diagonal {
        let _ = write!(
            h,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#d8dce3\" stroke-dasharray=\"3 3\"/>",
            px(x0),
            py(0.0),
            px(x1),
            py(1.0)
        );
    }
    for (i, (name, points)) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let mut d = String::new();
        let mut pen_down = false;
        for p in points {
            match p {
                Some((x, y)) => {
                    let _ = write!(d, "{}{:.1} {:.1} ", if pen_down { "L" } else { "M" }, px(*x), py(*y));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(h, "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"/>", d.trim_end());
        let y = ht + 14.0 * i as f64 + 4.0;
        let _ = write!(
            h,
            "<rect x=\"{pad}\" y=\"{:.1}\" width=\"10\" height=\"3\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            y - 4.0,
            pad + 14.0,
            y,
            esc(name)
        );
    }
    h.push_str("</svg> ");
}

/// Renders the score section.
pub fn render(h: &mut String, s: &ScoreReport) {
    let median = s
        .full_sample_median
        .map_or_else(|| format!("undefined ({})", s.full_sample_median_note.as_deref().unwrap_or("")), num);
    let _ = write!(
        h,
        "<h3>Scores: <code>{}</code></h3><p>{}. Rows left out: {} with a missing score, {} with an infinite score. Full-sample median score {} (LL144 scoring rate = share strictly above it). A higher score is read as more likely the positive class.</p>",
        esc(&s.score),
        esc(&s.resolution.note),
        thousands(s.excluded_missing_score),
        thousands(s.excluded_infinite_score),
        esc(&median)
    );
    let mut all = vec![(vec!["all rows".to_string()], std::slice::from_ref(&s.overall), None, None, &[][..])];
    for b in &s.breakdowns {
        let t = b.group_thresholds.as_slice();
        all.push((b.attributes.clone(), b.groups.as_slice(), b.ll144_scoring.as_ref(), b.note.as_deref(), t));
    }
    for (attrs, groups, ll, note, thresholds) in all {
        let _ = write!(h, "<h4>{}</h4>", esc(&attrs.join(" × ")));
        if let Some(n) = note {
            let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
            continue;
        }
        group_table(h, groups, s.full_sample_median.is_some());
        charts(h, s, groups);
        if let Some(l) = ll {
            h.push_str("<p><b>NYC LL144 impact ratios of the scoring rate</b> (share strictly above the full-sample median ÷ that of the highest-scoring category; the law sets no pass mark)</p><table><thead><tr><th>category</th><th>n</th><th>scoring rate</th><th>impact ratio</th></tr></thead><tbody>");
            for r in &l.rows {
                let ir = if r.excluded {
                    "excluded (2 % rule)".to_string()
                } else {
                    r.impact_ratio.map_or_else(|| "undefined".into(), |x| format!("{x:.3}"))
                };
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    esc(&r.category.to_string()),
                    thousands(r.n),
                    r.rate.value.map_or_else(|| "undefined".to_string(), |v| format!("{:.2} %", 100.0 * v)),
                    esc(&ir)
                );
            }
            let _ = write!(
                h,
                "</tbody></table><p class=\"muted\">unknown category: {} rows</p>",
                thousands(l.unknown_count)
            );
        }
        for t in thresholds {
            group_thresholds(h, groups, t);
        }
    }
    if let Some(n) = &s.ll144_note {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
}

/// A mitigation hint: per-group thresholds and their accuracy cost.
fn group_thresholds(h: &mut String, groups: &[GroupScores], t: &crate::fairness::thresholds::GroupThresholds) {
    use crate::fairness::thresholds::Target;
    let what = match t.target {
        Target::EqualOpportunity => "true positive rate (equal opportunity)",
        Target::DemographicParity => "selection rate (demographic parity)",
    };
    let pct = |v: Option<f64>| v.map_or_else(|| "undefined".to_string(), |x| format!("{:.1} %", 100.0 * x));
    let _ = write!(
        h,
        "<p><b>Group thresholds equalising the {what}</b> at the whole sample's {} (a hint, not a recommendation: group-specific thresholds may be unlawful where you operate). Accuracy {} with the single threshold, {} with these.</p><table><thead><tr><th>group</th><th>select score ≥</th><th>rate</th><th>within 1 point</th><th>selection rate</th><th>TPR</th><th>FPR</th></tr></thead><tbody>",
        pct(t.target_rate),
        pct(t.accuracy_single),
        pct(t.accuracy_group)
    );
    for (g, r) in groups.iter().zip(&t.groups) {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&label(g)),
            r.threshold.map_or_else(|| "nobody".to_string(), num),
            pct(r.rate),
            if r.within_tolerance { "yes" } else { "no" },
            pct(r.selection_rate),
            pct(r.true_positive_rate),
            pct(r.false_positive_rate)
        );
    }
    h.push_str("</tbody></table>");
}

fn group_table(h: &mut String, groups: &[GroupScores], with_median: bool) {
    h.push_str("<table><thead><tr><th>group</th><th>n (positive / negative / unlabelled)</th><th>AUC [Hanley–McNeil 95 %]</th><th>DeLong 95 %</th><th>Brier score</th><th>ECE</th><th>scoring rate</th><th>distribution</th></tr></thead><tbody>");
    for g in groups {
        let auc = match g.auc.value {
            Some(v) => format!("{}{}", num(v), ci(g.auc.hanley_mcneil.map(|i| i.ci95))),
            None => format!(
                "undefined<br><span class=\"muted\">{}</span>",
                esc(g.auc.undefined_reason.as_deref().unwrap_or(""))
            ),
        };
        let scoring = match (with_median, g.above_median) {
            (true, Some(a)) if g.n > 0 => format!(
                "{:.2} %<br><span class=\"muted\">{}/{}</span>",
                100.0 * a as f64 / g.n as f64,
                thousands(a),
                thousands(g.n)
            ),
            _ => "undefined".to_string(),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}<br><span class=\"muted\">{} / {} / {}</span></td><td class=\"n\">{auc}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{scoring}</td><td>{}</td></tr>",
            esc(&label(g)),
            thousands(g.n),
            thousands(g.positives),
            thousands(g.negatives),
            thousands(g.unlabelled),
            g.auc.delong.map_or_else(|| "undefined".to_string(), |i| ci(Some(i.ci95)).replace("<br>", "")),
            opt(g.calibration.brier_score),
            opt(g.calibration.expected_calibration_error),
            histogram_svg(g)
        );
    }
    h.push_str("</tbody></table>");
    if let Some(why) = groups.first().and_then(|g| g.calibration.undefined_reason.as_deref()) {
        let _ = write!(h, "<p class=\"muted\">Calibration: {}</p>", esc(why));
    }
}

fn charts(h: &mut String, s: &ScoreReport, groups: &[GroupScores]) {
    let (Some(&t0), Some(&t1)) = (s.thresholds.first(), s.thresholds.last()) else { return };
    // The largest groups (most rows first; ties in key order), never the first by name.
    let mut shown: Vec<&GroupScores> = groups.iter().collect();
    shown.sort_by_key(|g| std::cmp::Reverse(g.n));
    shown.truncate(MAX_LINES);
    let sweep = |pick: fn(&GroupScores) -> &Vec<Option<f64>>| -> Vec<Series> {
        shown
            .iter()
            .map(|g| (label(g), pick(g).iter().zip(&s.thresholds).map(|(v, &t)| v.map(|y| (t, y))).collect()))
            .collect()
    };
    h.push_str("<div>");
    let x = format!("threshold (selected when score {} t)", s.threshold_direction);
    line_chart(h, "selection rate", &x, (t0, t1), &sweep(|g| &g.sweep.selection_rate), false);
    line_chart(h, "true positive rate", &x, (t0, t1), &sweep(|g| &g.sweep.true_positive_rate), false);
    line_chart(h, "false positive rate", &x, (t0, t1), &sweep(|g| &g.sweep.false_positive_rate), false);
    if s.scores_are_probabilities {
        let rel: Vec<Series> = shown
            .iter()
            .map(|g| {
                let pts =
                    g.calibration.bins.iter().filter_map(|b| b.mean_score.zip(b.observed_rate)).map(Some).collect();
                (label(g), pts)
            })
            .collect();
        line_chart(h, "calibration (observed rate vs mean score)", "mean score per bin", (0.0, 1.0), &rel, true);
    }
    h.push_str("</div>");
    if groups.len() > MAX_LINES {
        let _ = write!(
            h,
            "<p class=\"muted\">charts show the {MAX_LINES} largest of {} groups (most rows first); the table and the JSON report have them all</p>",
            groups.len()
        );
    }
}
