//! HTML of the drift section: the dataset verdict (the gate's, with the counted and the
//! compared shares side by side), the compared columns most severe first
//! ([`crate::drift::view::ranked`]) with their reference-vs-current distributions as small
//! inline SVG bar charts, where the test and PSI disagree which decides, and the columns
//! not compared or not counted. Every string from the data goes through [`esc`].

use super::drift::{band, method, statistic};
use super::fmt;
use super::html::esc;
use super::model::Report;
use crate::drift::view::{ranked, MiniDistribution};
use crate::drift::{ColumnDrift, DriftReport};
use crate::ingest::value::{civil_from_days, ColumnType};
use crate::quality::checks::Status;
use std::fmt::Write;

const REF: &str = "#8c9bb0";
const CUR: &str = "#d1772e";

/// A value of a column of type `ty` as people read it (dates from days, date-times from
/// seconds since 1970).
fn value(ty: ColumnType, x: f64) -> String {
    let date = |days: i64| {
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}-{m:02}-{d:02}")
    };
    match ty {
        ColumnType::Date if x.is_finite() => date(x as i64),
        ColumnType::Datetime if x.is_finite() => {
            let s = x as i64;
            format!("{} {:02}:{:02}", date(s.div_euclid(86_400)), s.rem_euclid(86_400) / 3600, s.rem_euclid(3600) / 60)
        }
        _ => fmt::number(x),
    }
}

/// The label of bin `i` of `d`.
fn label(d: &MiniDistribution, ty: ColumnType, i: usize) -> String {
    if !d.edges.is_empty() {
        let (lo, hi) = (d.edges[i], d.edges[i + 1]);
        return if d.integer && hi - lo == 1.0 {
            value(ty, lo)
        } else if d.integer {
            format!("{} … {}", value(ty, lo), value(ty, hi - 1.0))
        } else {
            let close = if i + 2 == d.edges.len() { "]" } else { ")" };
            format!("[{}, {}{close}", value(ty, lo), value(ty, hi))
        };
    }
    match d.categories.get(i) {
        Some(c) => c.clone(),
        None => format!("{} other values", fmt::count(d.others)),
    }
}

/// Reference and current shares per bin, side by side (reference grey, current orange).
fn mini_svg(c: &ColumnDrift, d: &MiniDistribution) -> String {
    let (nr, nc) = (d.reference.iter().sum::<u64>().max(1) as f64, d.current.iter().sum::<u64>().max(1) as f64);
    let k = d.reference.len().max(1);
    let top =
        d.reference.iter().map(|&x| x as f64 / nr).chain(d.current.iter().map(|&x| x as f64 / nc)).fold(0.0, f64::max);
    let top = if top > 0.0 { top } else { 1.0 };
    let (w, h) = (180.0, 44.0);
    let slot = w / k as f64;
    let mut out = format!(
        "<svg role=\"img\" aria-label=\"{}: reference and current distribution in {k} bins\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(&c.column)
    );
    for i in 0..d.reference.len() {
        let (r, cu) = (d.reference[i], d.current.get(i).copied().unwrap_or(0));
        if r == 0 && cu == 0 {
            continue;
        }
        let tip = format!(
            "{}: reference {} ({}), current {} ({})",
            label(d, c.ty, i),
            fmt::pct(r as f64 / nr),
            fmt::count(r),
            fmt::pct(cu as f64 / nc),
            fmt::count(cu)
        );
        let bar = (slot / 2.0 - 0.5).max(0.5);
        let _ = write!(out, "<g><title>{}</title>", esc(&tip));
        for (j, (n, total, colour)) in [(r, nr, REF), (cu, nc, CUR)].into_iter().enumerate() {
            if n == 0 {
                continue;
            }
            let height = (n as f64 / total / top * (h - 1.0)).max(1.0);
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{height:.1}\" fill=\"{colour}\"/>",
                i as f64 * slot + j as f64 * (bar + 0.5),
                h - height
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

fn verdict(h: &mut String, r: &Report, d: &DriftReport) {
    let gate = r.checks.iter().find(|c| c.id == "dataset_drift").map(|c| c.status);
    let class = match gate {
        Some(Status::Fail) => "fail",
        Some(Status::Warn) => "warn",
        _ => "pass",
    };
    let t = fmt::pct(d.share_threshold);
    match d.share {
        Some(s) => {
            let word = if d.dataset_drift { "dataset drift" } else { "no dataset drift" };
            let cmp = if d.dataset_drift { "at or above" } else { "below" };
            let _ = write!(
                h,
                "<p><span class=\"badge {class}\">{word}</span> {} of {} counted columns drifted: {}, {cmp} the threshold of {t} (gate <code>dataset_drift</code>: {}).</p>",
                fmt::count(d.drifted),
                fmt::count(d.counted),
                fmt::pct(s),
                gate.map_or("not evaluated", |g| match g {
                    Status::Pass => "pass",
                    Status::Warn => "warning",
                    Status::Fail => "fail",
                    Status::Skipped => "skipped",
                })
            );
        }
        None => h.push_str("<p>No column could be counted: dataset drift is not decided.</p>"),
    }
    let all = d.columns.iter().filter(|c| c.drifted).count() as u64;
    let not_counted: Vec<&ColumnDrift> = d.columns.iter().filter(|c| !c.in_share).collect();
    if !not_counted.is_empty() {
        let _ = write!(
            h,
            "<p>Of all {} compared columns, {} drifted ({}): that share also includes {} columns compared but not counted (dates and columns identifier-like in the reference; Evidently would count them), {} of which drifted. The dataset verdict reads the counted share only.</p>",
            fmt::count(d.columns.len() as u64),
            fmt::count(all),
            fmt::pct(all as f64 / d.columns.len().max(1) as f64),
            fmt::count(not_counted.len() as u64),
            fmt::count(not_counted.iter().filter(|c| c.drifted).count() as u64)
        );
    }
}

/// Renders the drift section.
pub fn render(h: &mut String, r: &Report, d: &DriftReport) {
    h.push_str("<h2>Drift against the reference</h2>");
    verdict(h, r, d);
    let _ = write!(
        h,
        "<p>Reference {} rows, current {} rows. Tests as Evidently's defaults (the test decides); PSI on reference deciles for comparison. Columns most severe first (drifted ones first, then by the test's statistic relative to its threshold). Bars: <span style=\"color:{REF}\">■</span> reference, <span style=\"color:{CUR}\">■</span> current, shares of each file's valid values.</p>",
        fmt::count(d.reference_rows),
        fmt::count(d.current_rows)
    );
    h.push_str("<table><thead><tr><th>column</th><th>test</th><th>value</th><th>threshold</th><th>drift</th><th>PSI</th><th>n ref</th><th>n cur</th><th>distributions</th><th>why</th></tr></thead><tbody>");
    for c in ranked(&d.columns) {
        let drift = if c.drifted { "<span class=\"warn\">yes</span>" } else { "no" };
        let counted = if c.in_share { "" } else { " <span class=\"muted\">(not counted)</span>" };
        let approx =
            if c.exact { String::new() } else { format!(" ± {}", fmt::number(c.error_bound.unwrap_or(f64::NAN))) };
        let chart = match (&c.distribution, &c.distribution_note) {
            (Some(dist), _) => mini_svg(c, dist),
            (None, Some(n)) => format!("<span class=\"muted\">{}</span>", esc(n)),
            (None, None) => String::new(),
        };
        let disagree = c.disagreement.as_ref().map_or_else(String::new, |x| {
            format!("<tr><td></td><td colspan=\"9\"><b>Test and PSI disagree.</b> {}</td></tr>", esc(x))
        });
        let _ = write!(
            h,
            "<tr><td>{}{counted}</td><td>{}</td><td class=\"n\">{}{}</td><td class=\"n\">{}</td><td>{drift}</td><td class=\"n\">{} {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{chart}</td><td class=\"muted\">{}</td></tr>{disagree}",
            esc(&c.column),
            method(c.method),
            statistic(c),
            esc(&approx),
            fmt::number(c.threshold),
            c.psi.map_or_else(String::new, fmt::number),
            band(c.psi_band),
            fmt::count(c.n_ref),
            fmt::count(c.n_cur),
            esc(&c.why)
        );
    }
    h.push_str("</tbody></table>");
    if !d.excluded.is_empty() {
        h.push_str("<h3>Not compared or not counted</h3><ul>");
        for e in &d.excluded {
            let _ = write!(h, "<li><code>{}</code>: {}</li>", esc(&e.column), esc(&e.reason));
        }
        h.push_str("</ul>");
    }
    for n in &d.notes {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
}
