//! JUnit XML for CI systems: one test case per check outcome; `fail` is a failure,
//! `warn` is reported in `system-out` and passes, `skipped` (a disparity check on a small
//! group or an undefined rate) is a skipped test case with the reason.

use super::model::Report;
use crate::quality::checks::Status;
use std::fmt::Write;

fn xml(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\t' || c == '\n' || c == '\r' || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Renders the checks as a JUnit XML document.
pub fn render(r: &Report) -> String {
    let failures = r.checks.iter().filter(|c| c.status == Status::Fail).count();
    let skipped = r.checks.iter().filter(|c| c.status == Status::Skipped).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites><testsuite name=\"privaudit: {}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
        xml(&r.input.file_name),
        r.checks.len()
    );
    for c in &r.checks {
        let name = match (&c.column, &c.group) {
            (Some(col), Some(g)) => match &c.disparity {
                Some(d) => format!("{} [{col}: {g}; {}]", c.id, d.metric.name()),
                None => format!("{} [{col}: {g}]", c.id),
            },
            (Some(col), None) => format!("{} [{}]", c.id, col),
            _ => c.id.clone(),
        };
        let observed = c.observed.map_or_else(|| "none".to_string(), |v| v.to_string());
        let mut detail = format!(
            "{}: observed {observed} ({} / {}), {} {}",
            c.title, c.numerator, c.denominator, c.bound, c.threshold
        );
        if let Some(n) = &c.note {
            detail = format!("{detail}; {n}");
        }
        let _ = write!(out, "<testcase classname=\"privaudit.{}\" name=\"{}\">", xml(&c.id), xml(&name));
        match c.status {
            Status::Fail => {
                let _ = write!(out, "<failure message=\"{}\"/>", xml(&detail));
            }
            Status::Warn => {
                let _ = write!(out, "<system-out>warning: {}</system-out>", xml(&detail));
            }
            Status::Skipped => {
                let _ = write!(out, "<skipped message=\"{}\"/>", xml(&detail));
            }
            Status::Pass => {}
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("</testsuite></testsuites>\n");
    out
}
