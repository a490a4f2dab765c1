//! HTML of the quality scorecard (check counts by status and by check) and of each
//! column's string and date checks, flags, and hidden values.

use super::html::esc;
use super::model::{ColumnReport, Report};
use crate::error::thousands;
use crate::quality::checks::{Status, CHECKS};
use std::fmt::Write;

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Warn => "warn",
        Status::Fail => "fail",
        Status::Skipped => "skipped",
    }
}

const ORDER: [Status; 4] = [Status::Pass, Status::Warn, Status::Fail, Status::Skipped];

/// The scorecard: how many check outcomes passed, warned, failed or were skipped, overall
/// and per check (in registry order); the evidence of each is in the checks table.
pub fn scorecard(h: &mut String, r: &Report) {
    let count = |id: Option<&str>, s: Status| {
        r.checks.iter().filter(|c| c.status == s && id.is_none_or(|id| c.id == id)).count() as u64
    };
    h.push_str("<h2>Scorecard</h2><p>");
    let parts: Vec<String> = ORDER
        .iter()
        .map(|&s| format!("<span class=\"{0}\">{0} {1}</span>", status_name(s), thousands(count(None, s))))
        .collect();
    h.push_str(&parts.join(" · "));
    h.push_str("</p><table><thead><tr><th>check</th><th>pass</th><th>warn</th><th>fail</th><th>skipped</th><th>worst observed</th></tr></thead><tbody>");
    for def in CHECKS {
        let mine: Vec<_> = r.checks.iter().filter(|c| c.id == def.id).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = write!(h, "<tr><td>{} <code>{}</code></td>", esc(def.title), esc(def.id));
        for s in ORDER {
            let n = count(Some(def.id), s);
            let class = if n > 0 && s != Status::Pass { status_name(s) } else { "n" };
            let _ = write!(h, "<td class=\"n {class}\">{}</td>", thousands(n));
        }
        // The outcome furthest past its threshold (or nearest to it, when all pass).
        let worst = mine
            .iter()
            .filter_map(|c| {
                c.observed.map(|v| (if c.bound == "min" { c.threshold - v } else { v - c.threshold }, c, v))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let evidence = worst.map_or_else(
            || "—".to_string(),
            |(_, c, v)| {
                let subject = c.column.as_deref().map(|col| format!("{col}: ")).unwrap_or_default();
                let subject = match &c.group {
                    Some(g) => format!("{subject}{g}: "),
                    None => subject,
                };
                let value = |x| super::html_checks::value(c, x);
                format!("{}{} ({} {})", esc(&subject), value(v), esc(&c.bound), value(c.threshold))
            },
        );
        let _ = write!(h, "<td>{evidence}</td></tr>");
    }
    h.push_str("</tbody></table>");
}

use super::fmt::pct;

/// A column's string and date checks, flags, and what was hidden (HTML, after its summary).
pub fn column_extras(c: &ColumnReport) -> String {
    let mut out = String::new();
    if let Some(s) = &c.strings {
        let _ = write!(
            out,
            "<br>whitespace {} (leading {}, trailing {}) · numeric-looking {} ({})",
            thousands(s.whitespace),
            thousands(s.leading_whitespace),
            thousands(s.trailing_whitespace),
            thousands(s.numeric_looking),
            pct(s.numeric_share)
        );
        if let Some(g) = &s.case_groups {
            let _ = write!(out, " · case-inconsistent groups {} ({} rows)", thousands(g.groups), thousands(g.rows));
            for group in &g.examples {
                let items: Vec<String> =
                    group.iter().map(|v| format!("<code>{}</code> {}", esc(&v.value), thousands(v.count))).collect();
                let _ = write!(out, "<br><span class=\"muted\">case:</span> {}", items.join(" / "));
            }
        }
        if let Some(n) = &s.case_note {
            let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(n));
        }
    }
    if let Some(d) = &c.dates {
        let _ = write!(out, "<br>unparseable dates {}", pct(d.unparseable_share));
        if let (Some(f), Some(a)) = (d.future, &d.as_of) {
            let _ = write!(out, " · {} dates after {}", thousands(f), esc(a));
        }
        if let Some(n) = &d.note {
            let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(n));
        }
    }
    for f in &c.flags {
        let _ = write!(out, "<br><span class=\"warn\">flag {}</span>: {}", esc(&f.id), esc(&f.evidence));
    }
    for n in &c.hidden {
        let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(n));
    }
    out
}
