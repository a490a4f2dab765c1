//! Renders a [`Report`] as one self-contained HTML document: inline CSS and SVG, no
//! script, no external resource. Every string that came from the data or the spec goes
//! through [`esc`].

use super::model::Report;
use crate::error::thousands;
use crate::ingest::dialect::LineEnding;
use crate::quality::checks::Status;
use crate::quality::profile::ColumnStats;
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

fn pct(n: u64, d: u64) -> String {
    if d == 0 {
        "undefined (0/0)".into()
    } else {
        format!("{:.2} %", 100.0 * n as f64 / d as f64)
    }
}

pub(crate) const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2430;margin:0;background:#f6f7f9}\
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dce3;padding-bottom:4px}\
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0}th,td{border:1px solid #e0e4ea;padding:4px 8px;text-align:left;vertical-align:top}\
th{background:#eef1f5;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#5b6574}\
.pass{color:#1a7f37}.warn{color:#9a6700}.fail{color:#cf222e;font-weight:600}.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600}\
.badge.pass{background:#dafbe1}.badge.fail{background:#ffebe9}code{background:#eef1f5;padding:0 3px;border-radius:3px}\
details{background:#fff;border:1px solid #e0e4ea;margin:6px 0;padding:4px 10px}summary{cursor:pointer;font-weight:600}";

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
    let verdict = if r.passed { ("pass", "all gate checks passed") } else { ("fail", "a gate check failed") };
    let _ = write!(
        h,
        "<p><span class=\"badge {}\">{}</span> <span class=\"muted\">schema {}</span></p>",
        verdict.0,
        verdict.1,
        esc(&r.schema)
    );
    super::html_quality::scorecard(&mut h, r);
    input_block(&mut h, r);
    if !r.notices.is_empty() {
        h.push_str("<h2>Notices</h2><ul>");
        for n in &r.notices {
            let _ = write!(h, "<li>{}</li>", esc(n));
        }
        h.push_str("</ul>");
    }
    checks(&mut h, r);
    findings(&mut h, r);
    if let Some(b) = &r.bias {
        super::html_bias::render(&mut h, b);
        super::html_ll144::render(&mut h, r);
    }
    if let Some(d) = &r.drift {
        super::drift::render_html(&mut h, d);
    }
    if let Some(d) = &r.dataset {
        super::html_dataset::render(&mut h, d);
    }
    if let Some(g) = &r.group_quality {
        super::html_corr::render_group_quality(&mut h, g);
    }
    if !r.representativeness.is_empty() {
        super::html_corr::render_representativeness(&mut h, &r.representativeness);
    }
    if let Some(c) = &r.correlations {
        super::html_corr::render_correlations(&mut h, c);
    }
    if let Some(risk) = r.privacy.as_ref().and_then(|p| p.risk.as_ref()) {
        super::html_risk::render(&mut h, risk);
    }
    missing_chart(&mut h, r);
    columns(&mut h, r);
    h.push_str("<h2>Definitions</h2><dl>");
    for d in &r.definitions {
        let _ = write!(h, "<dt><b>{}</b></dt><dd>{}</dd>", esc(&d.term), esc(&d.definition));
    }
    h.push_str("</dl></main></body></html>");
    h
}

fn row(h: &mut String, k: &str, v: &str) {
    let _ = write!(h, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", esc(k), esc(v));
}

fn input_block(h: &mut String, r: &Report) {
    let i = &r.input;
    h.push_str("<h2>Input</h2><table>");
    row(h, "file", &i.file_name);
    row(h, "size", &format!("{} bytes", thousands(i.size_bytes)));
    row(h, "sha256", i.sha256.as_deref().unwrap_or("not computed"));
    row(h, "rows × columns", &format!("{} × {}", thousands(i.rows), thousands(i.columns as u64)));
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
    row(h, "duration", &i.duration_ms.map_or("—".into(), |ms| format!("{} ms", num(ms.round()))));
    row(h, "passes over the file", &i.passes.to_string());
    h.push_str("</table>");
}

fn checks(h: &mut String, r: &Report) {
    h.push_str("<h2>Checks</h2><table><thead><tr><th>check</th><th>column</th><th>status</th><th>observed</th><th>threshold</th><th>n</th></tr></thead><tbody>");
    let subject = |c: &crate::quality::checks::CheckOutcome| match (&c.column, &c.group) {
        (Some(col), Some(g)) => format!("{col}: {g}"),
        (Some(col), None) => col.clone(),
        _ => "—".into(),
    };
    for c in r.checks.iter().filter(|c| c.status != Status::Pass || c.column.is_none()) {
        let st = match c.status {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skipped => "skipped",
        };
        let note =
            c.note.as_deref().map_or_else(String::new, |n| format!("<br><span class=\"muted\">{}</span>", esc(n)));
        let _ = write!(
            h,
            "<tr><td>{} <code>{}</code></td><td>{}{note}</td><td class=\"{st}\">{st}</td><td class=\"n\">{}</td><td class=\"n\">{} {}</td><td class=\"n\">{}</td></tr>",
            esc(&c.title),
            esc(&c.id),
            esc(&subject(c)),
            c.observed.map_or_else(|| "—".into(), num),
            esc(&c.bound),
            num(c.threshold),
            if c.bound == "max" && c.denominator > 0 {
                format!("{} / {}", thousands(c.numerator), thousands(c.denominator))
            } else {
                "—".into()
            }
        );
    }
    let passed = r.checks.iter().filter(|c| c.status == Status::Pass && c.column.is_some()).count();
    let _ = write!(
        h,
        "</tbody></table><p class=\"muted\">{passed} per-column and per-group checks passed and are not listed.</p>"
    );
}

fn findings(h: &mut String, r: &Report) {
    h.push_str("<h2>Row-level findings</h2><table><thead><tr><th>finding</th><th>count</th><th>first positions</th></tr></thead><tbody>");
    for f in &r.findings {
        let pos: Vec<String> = f.first.iter().map(|p| p.to_string()).collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&f.title),
            thousands(f.count),
            esc(&pos.join("; "))
        );
    }
    h.push_str("</tbody></table>");
}

fn missing_chart(h: &mut String, r: &Report) {
    let cols: Vec<_> = r.columns.iter().take(60).collect();
    if cols.is_empty() || r.input.rows == 0 {
        return;
    }
    let (bar_h, label_w, w) = (16, 220, 760);
    let height = cols.len() * (bar_h + 4) + 24;
    let _ = write!(
        h,
        "<h2>Missing share by column</h2><svg role=\"img\" aria-label=\"Missing share by column\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">"
    );
    for (k, c) in cols.iter().enumerate() {
        let y = k * (bar_h + 4);
        let share = c.stats.missing as f64 / c.stats.rows.max(1) as f64;
        let bw = (share * (w - label_w - 80) as f64).round();
        let label: String = c.name.chars().take(30).collect();
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{bw}\" height=\"{bar_h}\" fill=\"#8250df\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\">{}</text>",
            label_w - 6,
            y + 12,
            esc(&label),
            esc(&c.name),
            pct(c.stats.missing, c.stats.rows),
            label_w as f64 + bw + 4.0,
            y + 12,
            pct(c.stats.missing, c.stats.rows)
        );
    }
    h.push_str("</svg>");
}

fn columns(h: &mut String, r: &Report) {
    h.push_str("<h2>Columns</h2><table><thead><tr><th>column</th><th>type / role</th><th>missing</th><th>unparseable</th><th>distinct</th><th>summary</th></tr></thead><tbody>");
    for c in &r.columns {
        let s = &c.stats;
        let distinct = if s.distinct.exact {
            thousands(s.distinct.value)
        } else {
            format!("≈ {} (±{:.1} %)", thousands(s.distinct.value), 100.0 * s.distinct.relative_standard_error)
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{} / {}</td><td class=\"n\">{} ({}){}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&c.name),
            c.ty.name(),
            c.role.name(),
            thousands(s.missing),
            pct(s.missing, s.rows),
            missing_kinds(s),
            thousands(s.unparseable),
            esc(&distinct),
            summary(s) + &super::html_quality::column_extras(c)
        );
    }
    h.push_str("</tbody></table>");
}

/// The missing count by token (and absent fields), under the total.
fn missing_kinds(s: &ColumnStats) -> String {
    if s.missing_by_token.is_empty() {
        return String::new();
    }
    let parts: Vec<String> =
        s.missing_by_token.iter().map(|m| format!("{}: {}", esc(&m.what), thousands(m.count))).collect();
    format!("<br><span class=\"muted\">{}</span>", parts.join(" · "))
}

fn summary(s: &ColumnStats) -> String {
    let mut out = String::new();
    out.push_str(&super::html_numeric::numeric_summary(s));
    if let Some(b) = &s.boolean {
        let _ = write!(out, "true {} · false {}", thousands(b.trues), thousands(b.falses));
    }
    if let Some(t) = &s.temporal {
        let _ = write!(out, "{} … {}", esc(&t.min), esc(&t.max));
        match s.mode.as_ref().and_then(|m| m.count.zip(m.share)) {
            Some((c, share)) => {
                let _ = write!(out, "<br>most frequent date: {} ({} %)", thousands(c), num(share * 100.0));
            }
            None => {
                if let Some(n) = &s.mode_note {
                    let _ = write!(out, "<br><span class=\"muted\">most frequent date: {}</span>", esc(n));
                }
            }
        }
    }
    if let Some(l) = &s.lengths {
        let _ = write!(out, "length {}–{} (mean {}) ", l.min, l.max, num((l.mean * 10.0).round() / 10.0));
    }
    for (label, values) in [("top", &s.top_values), ("frequent", &s.frequent_values)] {
        let Some(values) = values.as_ref().filter(|v| !v.is_empty()) else { continue };
        let items: Vec<String> = values
            .iter()
            .map(|v| format!("<code>{}</code> {} ({})", esc(&v.value), thousands(v.count), pct(v.count, s.rows)))
            .collect();
        let _ = write!(out, "<br>{label}: {}", items.join(", "));
    }
    if let Some(n) = &s.top_values_note {
        let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(n));
    }
    out
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
