//! HTML of the `dataset` section. Every string from the data goes through [`esc`]; the
//! class-balance bars are inline SVG.

use super::html::{esc, num};
use crate::error::thousands;
use crate::fairness::proxy_stats::Measure;
use crate::quality::dataset::report::{DatasetReport, LabelReport};
use std::fmt::Write;

use super::fmt::pct;

/// Renders the dataset section.
pub fn render(h: &mut String, d: &DatasetReport) {
    h.push_str("<h2>Dataset</h2>");
    let r = &d.duplicate_rows;
    let approx = if r.exact {
        String::new()
    } else {
        format!(" (estimated, ± {} standard error)", num(r.standard_error.unwrap_or(f64::NAN)))
    };
    let records = r
        .duplicated_records
        .map_or_else(|| "not computed".to_string(), |n| format!("{} distinct rows occur more than once", thousands(n)));
    let _ = write!(
        h,
        "<p><b>Exact duplicate rows</b>: {} ({}) repeat an earlier row{}; {} distinct rows; {}.</p>",
        thousands(r.count),
        pct(r.share),
        esc(&approx),
        thousands(r.distinct),
        records
    );
    if let Some(n) = &r.note {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
    if !r.examples.is_empty() {
        h.push_str("<p>Examples (data rows numbered from 1; the first occurrences of the duplicated records that come first):</p><ul>");
        for e in &r.examples {
            let rows: Vec<String> = e.rows.iter().map(|&n| thousands(n)).collect();
            let _ = write!(h, "<li>rows {}</li>", rows.join(", "));
        }
        h.push_str("</ul>");
    }
    if d.duplicate_columns.is_empty() {
        h.push_str("<p><b>Duplicate columns</b>: none.</p>");
    } else {
        h.push_str("<p><b>Duplicate columns</b> (equal in every row):</p><ul>");
        for c in &d.duplicate_columns {
            let _ = write!(h, "<li><code>{}</code> = <code>{}</code></li>", esc(&c.column), esc(&c.duplicate_of));
        }
        h.push_str("</ul>");
    }
    if let Some(l) = &d.label {
        label(h, l);
    }
    if let Some(o) = &d.overlap {
        let _ = write!(h, "<h3>Overlap with the test file <code>{}</code></h3><p>", esc(&o.test_file));
        match (o.rows_in_train, o.share) {
            (Some(n), Some(s)) => {
                let _ = write!(
                    h,
                    "{} of {} test rows ({}) are also in this file.",
                    thousands(n),
                    thousands(o.test_rows),
                    pct(s)
                );
            }
            _ => h.push_str("Rows in both files: not computed."),
        }
        if let (Some(g), Some(r)) = (o.conflicting_groups, o.conflicting_rows) {
            let _ = write!(
                h,
                " {} feature combinations in both files carry different labels; {} labelled test rows are in them.",
                thousands(g),
                thousands(r)
            );
        }
        h.push_str("</p>");
        for n in &o.notes {
            let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
        }
    }
}

fn label(h: &mut String, l: &LabelReport) {
    let _ = write!(
        h,
        "<h3>Label <code>{}</code></h3><p>{} labelled rows, {} with a missing label.",
        esc(&l.column),
        thousands(l.labelled_rows),
        thousands(l.missing)
    );
    if let (Some(ratio), Some(min)) = (l.majority_minority_ratio, l.minority_share) {
        let _ = write!(h, " Majority/minority ratio {}; minority share {}.", num(ratio), pct(min));
    }
    h.push_str("</p>");
    if let Some(classes) = &l.classes {
        h.push_str("<table><thead><tr><th>value</th><th>rows</th><th>share</th><th></th></tr></thead><tbody>");
        for c in classes.iter().take(50) {
            let w = (200.0 * c.share).round();
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><svg width=\"200\" height=\"10\" role=\"img\" aria-label=\"{}\"><rect width=\"{w}\" height=\"10\" fill=\"#4a6fa5\"/></svg></td></tr>",
                esc(&c.value),
                thousands(c.rows),
                pct(c.share),
                esc(&pct(c.share))
            );
        }
        h.push_str("</tbody></table>");
        if classes.len() > 50 {
            let _ = write!(h, "<p class=\"muted\">{} more values not shown.</p>", classes.len() - 50);
        }
    }
    if let Some(c) = &l.conflicting_labels {
        let _ = write!(
            h,
            "<p><b>Conflicting labels</b>: {} of {} feature combinations carry more than one label; {} labelled rows ({}) are in them.</p>",
            thousands(c.conflicting_groups),
            thousands(c.feature_groups),
            thousands(c.rows),
            pct(c.share)
        );
        if !c.examples.is_empty() {
            h.push_str("<p>Examples (data rows numbered from 1, with their labels; the first rows of the conflicting combinations that come first):</p><ul>");
            for e in &c.examples {
                let rows: Vec<String> = e
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(i, &n)| match e.labels.get(i) {
                        Some(l) => format!("{} (<code>{}</code>)", thousands(n), esc(l)),
                        None => thousands(n),
                    })
                    .collect();
                let _ = write!(h, "<li>rows {}</li>", rows.join(", "));
            }
            h.push_str("</ul>");
        }
    }
    if !l.leakage.is_empty() {
        h.push_str("<p><b>Target leakage</b>: association of each feature with the label.</p><table><thead><tr><th>feature</th><th>measure</th><th>value</th><th>rows</th><th>leak?</th></tr></thead><tbody>");
        for a in &l.leakage {
            let measure = match a.measure {
                Measure::CramersVBiasCorrected => "Cramér's V (corrected)",
                Measure::CorrelationRatio => "η",
            };
            let value = a.value.map_or_else(|| esc(a.undefined_reason.as_deref().unwrap_or("undefined")), num);
            let flag = if a.flagged { "<span class=\"warn\">yes</span>" } else { "no" };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{measure}</td><td class=\"n\">{value}</td><td class=\"n\">{}</td><td>{flag}</td></tr>",
                esc(&a.column),
                thousands(a.n)
            );
        }
        h.push_str("</tbody></table>");
    }
    for s in &l.leakage_skipped {
        let _ = write!(
            h,
            "<p class=\"muted\">Not examined for leakage: <code>{}</code> ({})</p>",
            esc(&s.column),
            esc(&s.reason)
        );
    }
    for n in &l.notes {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
}
