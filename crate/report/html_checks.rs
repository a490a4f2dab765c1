//! HTML of the input block, the gate checks (every outcome, passing ones included, each row
//! with its anchor [`anchors::check_outcome`]) and the row-level findings.

use super::anchors;
use super::fmt;
use super::html::esc;
use super::model::Report;
use crate::ingest::dialect::LineEnding;
use crate::quality::checks::{CheckOutcome, Status, CHECKS};
use std::collections::BTreeSet;
use std::fmt::Write;

fn row(h: &mut String, k: &str, v: &str) {
    let _ = write!(h, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", esc(k), esc(v));
}

/// The input block: file, size, hash, shape, dialect, tool, times.
pub(crate) fn input_block(h: &mut String, r: &Report) {
    let i = &r.input;
    h.push_str("<h2>Input</h2><table>");
    row(h, "file", &i.file_name);
    row(h, "size", &format!("{} bytes", fmt::count(i.size_bytes)));
    row(h, "sha256", i.sha256.as_deref().unwrap_or("not computed"));
    row(h, "rows × columns", &format!("{} × {}", fmt::count(i.rows), fmt::count(i.columns as u64)));
    if let Some(l) = &i.lines {
        row(h, "lines", &l.explanation);
    }
    let d = &i.dialect;
    let endings = match d.line_ending {
        LineEnding::Lf => "LF",
        LineEnding::Crlf => "CRLF",
        LineEnding::Cr => "CR",
        LineEnding::Mixed => "mixed",
        LineEnding::None => "none seen",
    };
    let header = if d.header { "first row is the header" } else { "no header row" };
    row(h, "dialect", &format!("delimiter {} · quote {} · {header} · line endings {endings}", d.delimiter, d.quote));
    row(h, "encoding", &i.encoding);
    row(h, "tool", &format!("privaudit {}", i.tool_version));
    row(h, "started", i.started_at.as_deref().unwrap_or("—"));
    row(h, "future dates after", i.as_of.as_deref().unwrap_or("— (no as_of date)"));
    row(h, "duration", &i.duration_ms.map_or("—".into(), |ms| format!("{} ms", fmt::number(ms.round()))));
    row(h, "passes over the file", &fmt::count(u64::from(i.passes)));
    h.push_str("</table>");
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Warn => "warn",
        Status::Fail => "fail",
        Status::Skipped => "skipped",
    }
}

/// A check's observed value or threshold as people read it: shares as percentages, counts
/// with thousands separators, other values as numbers.
/// Checks whose observed value is a ratio of two rates or shares (shown as `0.59×`).
const RATIO_CHECKS: [&str; 2] = ["disparity_ratio", "representation_ratio"];

/// An observed value or threshold of check `c` for people: shares as percentages, ratios
/// with ×, anything else as a number.
pub(crate) fn value(c: &CheckOutcome, x: f64) -> String {
    let share = CHECKS.iter().find(|d| d.id == c.id).is_some_and(|d| d.share);
    if share {
        fmt::pct(x)
    } else if RATIO_CHECKS.contains(&c.id.as_str()) {
        fmt::ratio(x)
    } else {
        fmt::number(x)
    }
}

fn subject(c: &CheckOutcome) -> String {
    match (&c.column, &c.group) {
        (Some(col), Some(g)) => format!("{col}: {g}"),
        (Some(col), None) => col.clone(),
        _ => "—".into(),
    }
}

fn table(h: &mut String, rows: &[&CheckOutcome], ids: &mut BTreeSet<String>) {
    h.push_str("<table><thead><tr><th>check</th><th>column</th><th>status</th><th>observed</th><th>threshold</th><th>n</th></tr></thead><tbody>");
    for c in rows {
        let st = status_name(c.status);
        let note =
            c.note.as_deref().map_or_else(String::new, |n| format!("<br><span class=\"muted\">{}</span>", esc(n)));
        let id = anchors::check_outcome(c);
        // Two outcomes of one check on one subject would share an id: only the first gets it.
        let id = if ids.insert(id.clone()) { format!(" id=\"{id}\"") } else { String::new() };
        let bound = if c.bound == "min" { "at least" } else { "at most" };
        let _ = write!(
            h,
            "<tr{id}><td>{} <code>{}</code></td><td>{}{note}</td><td class=\"{st}\">{st}</td><td class=\"n\">{}</td><td class=\"n\">{bound} {}</td><td class=\"n\">{}</td></tr>",
            esc(&c.title),
            esc(&c.id),
            esc(&subject(c)),
            c.observed.map_or_else(|| "—".into(), |v| value(c, v)),
            value(c, c.threshold),
            if c.denominator > 0 {
                format!("{} of {}", fmt::count(c.numerator), fmt::count(c.denominator))
            } else {
                "—".into()
            }
        );
    }
    h.push_str("</tbody></table>");
}

/// Every check outcome: those that did not pass first (open), then the passing ones
/// (collapsed). Each row carries the anchor of [`anchors::check_outcome`].
pub(crate) fn checks(h: &mut String, r: &Report) {
    let count = |s: Status| r.checks.iter().filter(|c| c.status == s).count() as u64;
    let _ = write!(
        h,
        "<h2>Checks</h2><p>{} outcomes: <span class=\"fail\">{} failed</span> · <span class=\"warn\">{} warnings</span> · {} skipped · <span class=\"pass\">{} passed</span>. A <b>fail</b> fails the audit; a <b>warning</b> only reports.</p>",
        fmt::count(r.checks.len() as u64),
        fmt::count(count(Status::Fail)),
        fmt::count(count(Status::Warn)),
        fmt::count(count(Status::Skipped)),
        fmt::count(count(Status::Pass))
    );
    let mut ids = BTreeSet::new();
    let mut open: Vec<&CheckOutcome> = r.checks.iter().filter(|c| c.status != Status::Pass).collect();
    // Failures, then warnings, then skipped; the report's order within each.
    open.sort_by_key(|c| match c.status {
        Status::Fail => 0,
        Status::Warn => 1,
        _ => 2,
    });
    if !open.is_empty() {
        let _ = write!(h, "<details open><summary>Not passed ({})</summary>", fmt::count(open.len() as u64));
        table(h, &open, &mut ids);
        h.push_str("</details>");
    }
    let passed: Vec<&CheckOutcome> = r.checks.iter().filter(|c| c.status == Status::Pass).collect();
    if !passed.is_empty() {
        let _ = write!(h, "<details><summary>Passed ({})</summary>", fmt::count(passed.len() as u64));
        table(h, &passed, &mut ids);
        h.push_str("</details>");
    }
}

/// Row-level findings (ragged rows, unparseable cells, undecodable fields).
pub(crate) fn findings(h: &mut String, r: &Report) {
    h.push_str("<h2>Row-level findings</h2><table><thead><tr><th>finding</th><th>count</th><th>first positions</th></tr></thead><tbody>");
    for f in &r.findings {
        let pos: Vec<String> = f
            .first
            .iter()
            .enumerate()
            .map(|(k, p)| match f.lines.get(k) {
                Some(&n) => format!("{p}: {} line{}", fmt::count(n), if n == 1 { "" } else { "s" }),
                None => p.to_string(),
            })
            .collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&f.title),
            fmt::count(f.count),
            esc(&pos.join("; "))
        );
    }
    h.push_str("</tbody></table>");
}
