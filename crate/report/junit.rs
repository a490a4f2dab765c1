//! JUnit XML for CI systems: one test case per check outcome; `fail` is a failure,
//! `warn` is reported in `system-out` and passes.

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
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites><testsuite name=\"privaudit: {}\" tests=\"{}\" failures=\"{failures}\">",
        xml(&r.input.file_name),
        r.checks.len()
    );
    for c in &r.checks {
        let name = match &c.column {
            Some(col) => format!("{} [{}]", c.id, col),
            None => c.id.clone(),
        };
        let detail = format!(
            "{}: observed {} ({} / {}), threshold {}",
            c.title, c.observed, c.numerator, c.denominator, c.threshold
        );
        let _ = write!(out, "<testcase classname=\"privaudit.{}\" name=\"{}\">", xml(&c.id), xml(&name));
        match c.status {
            Status::Fail => {
                let _ = write!(out, "<failure message=\"{}\"/>", xml(&detail));
            }
            Status::Warn => {
                let _ = write!(out, "<system-out>warning: {}</system-out>", xml(&detail));
            }
            Status::Pass => {}
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("</testsuite></testsuites>\n");
    out
}
