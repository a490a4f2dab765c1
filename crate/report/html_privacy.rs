//! HTML of the privacy section: personal data per column and the special-category
//! candidates. Only counts and shares are shown — never a value (the section holds none);
//! every name goes through [`esc`].

use super::fmt;
use super::html::esc;
use crate::privacy::detect::report::{PersonalDataReport, Source, Verdict};
use crate::privacy::PrivacyReport;
use std::fmt::Write;

/// Anchor id of the section (the report wraps it in `<section id>`).
pub const ANCHOR: &str = super::anchors::PRIVACY;

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::DirectIdentifier => "<span class=\"warn\">direct identifier</span>",
        Verdict::SpecialCategory => "<span class=\"warn\">special-category candidate</span>",
        Verdict::QuasiIdentifier => "quasi-identifier candidate",
        Verdict::None => "none",
    }
}

/// Renders the privacy section.
pub fn render(h: &mut String, p: &PrivacyReport) {
    let Some(pd) = &p.personal_data else { return };
    let _ = write!(
        h,
        "<h2>Personal data</h2><p>{} columns and {} non-missing values scanned. Verdicts are candidates for you to confirm; matched values are never shown, only counts.</p>",
        fmt::count(pd.columns_scanned as u64),
        fmt::count(pd.cells_scanned)
    );
    personal_data(h, pd);
    special(h, pd);
}

fn personal_data(h: &mut String, pd: &PersonalDataReport) {
    if pd.columns.is_empty() {
        h.push_str("<p>No personal data found.</p>");
        return;
    }
    h.push_str("<table><thead><tr><th>column</th><th>verdict</th><th>why</th><th>kinds found (validated of scanned)</th><th>quasi-identifier</th></tr></thead><tbody>");
    for c in &pd.columns {
        let mut found: Vec<String> = c
            .kinds
            .iter()
            .map(|k| {
                let status = if k.holds { "" } else { " — <span class=\"muted\">does not hold</span>" };
                format!(
                    "{}: {} matched, {} ({}){status}",
                    esc(k.kind.title()),
                    fmt::count(k.matched),
                    fmt::pct_of(k.validated, c.scanned),
                    esc(k.confidence.describe())
                )
            })
            .collect();
        found.extend(c.embedded.iter().map(|e| {
            format!(
                "{} in the text of {} ({} in all)",
                esc(e.kind.title()),
                fmt::pct_of(e.cells, c.scanned),
                fmt::count(e.occurrences)
            )
        }));
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.column),
            verdict(c.verdict),
            esc(&c.reason),
            if found.is_empty() { "—".to_string() } else { found.join("<br>") },
            if c.quasi_identifier { "yes" } else { "no" }
        );
    }
    h.push_str("</tbody></table>");
}

fn special(h: &mut String, pd: &PersonalDataReport) {
    if pd.special_categories.is_empty() {
        return;
    }
    h.push_str("<h3>Special categories (GDPR Art. 9) and criminal offences (Art. 10)</h3><p>Candidates from column names, values and roles; a pattern cannot prove them, so please confirm each.</p><table><thead><tr><th>column</th><th>category</th><th>article</th><th>evidence</th></tr></thead><tbody>");
    for s in &pd.special_categories {
        let evidence: Vec<String> = s
            .evidence
            .iter()
            .map(|e| {
                let from = match e.source {
                    Source::Role => "role",
                    Source::Header => "name",
                    Source::Values => "values",
                };
                format!("{from}: {}", esc(&e.detail))
            })
            .collect();
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&s.column),
            esc(s.category.title()),
            s.article,
            evidence.join("<br>")
        );
    }
    h.push_str("</tbody></table>");
}
