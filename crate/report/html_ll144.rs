//! The NYC Local Law 144 "summary of results" (6 RCNY §5-303): the layout employers
//! publish — date of the audit, source of the data, number of applicants per category,
//! selection (or scoring) rates and impact ratios for each attribute and their
//! intersection, the unknown category — built only from numbers the bias section already
//! holds, so both always agree. No pass mark: the law has none.

use super::html::esc;
use super::model::Report;
use crate::error::thousands;
use crate::fairness::ll144::{Ll144Summary, RateKind};
use std::fmt::Write;

/// Appends the summary of results when the report has a bias section with LL144 tables.
pub fn render(h: &mut String, r: &Report) {
    let Some(b) = &r.bias else { return };
    let mut tables: Vec<(String, &Ll144Summary)> = Vec::new();
    for br in &b.breakdowns {
        let l = br.audit.as_ref().map(|a| &a.ll144).or_else(|| br.selection.as_ref().map(|s| &s.ll144));
        if let Some(l) = l {
            tables.push((br.attributes.join(" × "), l));
        }
    }
    if let Some(s) = &b.scores {
        for sb in &s.breakdowns {
            if let Some(l) = &sb.ll144_scoring {
                tables.push((sb.attributes.join(" × "), l));
            }
        }
    }
    if tables.is_empty() {
        return;
    }
    let date = r.input.started_at.as_deref().map_or("not recorded", |s| s.get(..10).unwrap_or(s));
    let _ = write!(
        h,
        "<h3 id=\"{}\">NYC Local Law 144: summary of results</h3><table class=\"facts\"><tbody><tr><th>Date of the bias audit</th><td>{}</td></tr><tr><th>Data used</th><td>{} ({} rows, SHA-256 {}): the historical data of this file, as given; the employer states its source and the AEDT's distribution date</td></tr><tr><th>Selection</th><td>{}</td></tr></tbody></table>",
        super::anchors::LL144,
        esc(date),
        esc(&r.input.file_name),
        thousands(r.input.rows),
        esc(r.input.sha256.as_deref().unwrap_or("not computed")),
        esc(&selection_words(&tables, b)),
    );
    for (attributes, l) in tables {
        let rate = match l.rate_kind {
            RateKind::SelectionRate => "Selection rate",
            RateKind::ScoringRate => "Scoring rate",
        };
        let _ = write!(
            h,
            "<p><b>{}</b> ({})</p><table><thead><tr><th>Category</th><th>Number of applicants</th><th>{rate}</th><th>Impact ratio</th></tr></thead><tbody>",
            esc(&attributes),
            rate.to_lowercase()
        );
        for row in &l.rows {
            let ratio = if row.excluded {
                "excluded (under 2 % of applicants)".to_string()
            } else {
                row.impact_ratio.map_or_else(|| "undefined".into(), |x| format!("{x:.3}"))
            };
            let value = row.rate.value.map_or_else(|| "undefined".into(), |v| format!("{:.1} %", v * 100.0));
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&row.category.to_string()),
                thousands(row.n),
                esc(&value),
                esc(&ratio)
            );
        }
        let _ = write!(
            h,
            "</tbody></table><p class=\"muted\">Applicants in the unknown category: {} (in no category above).</p>",
            thousands(l.unknown_count)
        );
    }
    if let Some(n) = b.scores.as_ref().and_then(|s| s.ll144_note.as_deref()) {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
    h.push_str("<p class=\"muted\">Impact ratio = the category's rate ÷ the highest category's rate. Local Law 144 sets no threshold; the four-fifths rule (EEOC) is shown separately in the tables above.</p>");
}

/// The selection of the summary in words (the favourable decision).
fn selection_words(tables: &[(String, &Ll144Summary)], b: &super::bias::BiasReport) -> String {
    let selection = tables.iter().find(|t| t.1.rate_kind == RateKind::SelectionRate);
    match selection {
        Some((_, l)) => super::html_bias::selected_words(l, b),
        None => b.prediction.clone(),
    }
}
