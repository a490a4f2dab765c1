//! Renders a [`Report`] as one self-contained HTML document: inline CSS and SVG, no
//! script, no external resource. Every string that came from the data or the spec goes
//! through [`esc`].

use super::anchors;
use super::html_layout::Sections;
use super::model::Report;
use crate::error::thousands;
use crate::quality::checks::Status;
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Formats a number for display (significant digits, no exponent for ordinary values).
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "undefined".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let a = x.abs();
    if a != 0.0 && !(1e-4..1e12).contains(&a) {
        format!("{x:.4e}")
    } else if x.fract() == 0.0 {
        thousands_i(x)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn thousands_i(x: f64) -> String {
    let t = thousands(x.abs() as u64);
    if x < 0.0 {
        format!("−{t}")
    } else {
        t
    }
}

pub(crate) use super::html_layout::CSS;

/// Renders the report.
pub fn render(r: &Report) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let title = format!("privaudit report — {}", r.input.file_name);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"><title>{}</title><style>{CSS}</style></head><body><main>",
        esc(&title)
    );
    let _ = write!(h, "<h1>{}</h1>", esc(&title));
    super::html_summary::render(&mut h, r);
    let mut parts = Sections::default();
    parts.list_above(anchors::SUMMARY, "Summary", "");
    let status = |s: Status| r.checks.iter().filter(|c| c.status == s).count();
    let warned = format!("{} failed, {} warnings", status(Status::Fail), status(Status::Warn));
    parts.add(anchors::SCORECARD, "Scorecard", &warned, |h| super::html_quality::scorecard(h, r));
    parts.add(anchors::INPUT, "Input", "", |h| super::html_checks::input_block(h, r));
    if !r.notices.is_empty() {
        parts.add(anchors::NOTICES, "Notices", &r.notices.len().to_string(), |h| {
            h.push_str("<h2>Notices</h2><ul>");
            for n in &r.notices {
                let _ = write!(h, "<li>{}</li>", esc(n));
            }
            h.push_str("</ul>");
        });
    }
    parts.add(anchors::CHECKS, "Checks", &format!("{} outcomes", r.checks.len()), |h| super::html_checks::checks(h, r));
    parts.add(anchors::FINDINGS, "Row-level findings", "", |h| super::html_checks::findings(h, r));
    if let Some(b) = &r.bias {
        parts.add(anchors::BIAS, "Bias audit", "", |h| super::html_bias::render(h, b));
        parts.add(anchors::LL144, "NYC Local Law 144 summary", "", |h| super::html_ll144::render(h, r));
    }
    if let Some(d) = &r.drift {
        parts.add(anchors::DRIFT, "Drift against the reference", "", |h| super::html_drift::render(h, r, d));
    }
    if let Some(d) = &r.dataset {
        parts.add(anchors::DATASET, "Dataset", "", |h| super::html_dataset::render(h, d));
    }
    if let Some(g) = &r.group_quality {
        parts.add(anchors::GROUP_QUALITY, "Quality by protected group", "", |h| {
            super::html_corr::render_group_quality(h, g)
        });
    }
    if !r.representativeness.is_empty() {
        parts.add(anchors::REPRESENTATIVENESS, "Representativeness", "", |h| {
            super::html_corr::render_representativeness(h, &r.representativeness)
        });
    }
    if let Some(c) = &r.correlations {
        parts.add(anchors::CORRELATIONS, "Correlations", "", |h| super::html_corr::render_correlations(h, c));
    }
    if let Some(p) = &r.privacy {
        parts.add(anchors::PRIVACY, "Personal data", "", |h| super::html_privacy::render(h, p));
    }
    parts.add(anchors::COLUMNS, "Columns", &format!("{} columns", r.columns.len()), |h| {
        super::html_columns::columns(h, r)
    });
    parts.add(anchors::GLOSSARY, "Definitions", &format!("{} terms", r.definitions.len()), |h| glossary(h, r));
    parts.finish(&mut h);
    h.push_str("</main></body></html>");
    h
}

/// The glossary, collapsed; each term carries its anchor ([`anchors::definition`]), the
/// first of equal terms only.
fn glossary(h: &mut String, r: &Report) {
    let _ = write!(
        h,
        "<h2>Definitions</h2><details><summary>{} terms: how every number is defined</summary><dl class=\"glossary\">",
        r.definitions.len()
    );
    let mut seen = std::collections::BTreeSet::new();
    for d in &r.definitions {
        let id = anchors::definition(&d.term);
        let id = if seen.insert(id.clone()) { format!(" id=\"{id}\"") } else { String::new() };
        let _ = write!(h, "<dt{id}><b>{}</b></dt><dd>{}</dd>", esc(&d.term), esc(&d.definition));
    }
    h.push_str("</dl></details>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(esc("a\"b'c&"), "a&quot;b&#39;c&amp;");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(num(1234.0), "1,234");
        assert_eq!(num(-3.0), "−3");
        assert_eq!(num(0.125), "0.125");
        assert_eq!(num(1e308), "1.0000e308");
        assert_eq!(num(f64::NAN), "undefined");
    }
}
