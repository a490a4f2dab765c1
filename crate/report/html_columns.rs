//! HTML of the per-column profile: the missing-share chart and one collapsible
//! `<details id=…>` per column ([`anchors::column`]) whose summary line gives type, role,
//! missing share and distinct count, and whose body holds the statistics.

use super::anchors;
use super::fmt;
use super::html::esc;
use super::model::{ColumnReport, Report};
use crate::quality::profile::ColumnStats;
use std::fmt::Write;

/// The missing share of the first 60 columns as a bar chart (inline SVG, shrinks to fit).
pub(crate) fn missing_chart(h: &mut String, r: &Report) {
    let cols: Vec<_> = r.columns.iter().take(60).collect();
    if cols.is_empty() || r.input.rows == 0 {
        return;
    }
    let (bar_h, label_w, w) = (16, 220, 760);
    let height = cols.len() * (bar_h + 4) + 24;
    let _ = write!(
        h,
        "<h3>Missing share by column</h3><figure><svg role=\"img\" aria-label=\"Missing share by column\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">"
    );
    for (k, c) in cols.iter().enumerate() {
        let y = k * (bar_h + 4);
        let share = c.stats.missing as f64 / c.stats.rows.max(1) as f64;
        let bw = (share * (w - label_w - 80) as f64).round();
        let label: String = c.name.chars().take(30).collect();
        let text = fmt::pct_of(c.stats.missing, c.stats.rows);
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{bw}\" height=\"{bar_h}\" fill=\"#8250df\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\">{}</text>",
            label_w - 6,
            y + 12,
            esc(&label),
            esc(&c.name),
            esc(&text),
            label_w as f64 + bw + 4.0,
            y + 12,
            esc(&fmt::pct(share))
        );
    }
    h.push_str("</svg></figure>");
}

/// The distinct count: exact, or the estimate with its standard error, capped at the
/// valid values (a HyperLogLog estimate can exceed them).
pub(crate) fn distinct(c: &ColumnReport) -> String {
    let (s, d) = (&c.stats, &c.stats.distinct);
    if d.exact {
        return fmt::count(d.value);
    }
    let rse = fmt::number((1000.0 * d.relative_standard_error).round() / 10.0);
    match c.distinct_estimate {
        Some(e) => format!(
            "≈ {} (approximate: the estimate {} ± {rse} % exceeds the {} valid values, so it is capped at them)",
            fmt::count(d.value),
            fmt::count(e),
            fmt::count(s.valid)
        ),
        None => format!("≈ {} (approximate, ± {rse} %)", fmt::count(d.value)),
    }
}

/// The profile: the missing chart, then one collapsible entry per column.
pub(crate) fn columns(h: &mut String, r: &Report) {
    if r.columns.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h2>Columns</h2><p class=\"muted\">{} columns; each line opens to its statistics.</p>",
        fmt::count(r.columns.len() as u64)
    );
    missing_chart(h, r);
    for c in &r.columns {
        column(h, c);
    }
}

fn column(h: &mut String, c: &ColumnReport) {
    let s = &c.stats;
    let flags = if c.flags.is_empty() {
        String::new()
    } else {
        let ids: Vec<&str> = c.flags.iter().map(|f| f.id.as_str()).collect();
        format!(" · <span class=\"warn\">{}</span>", esc(&ids.join(", ")))
    };
    let missing = if s.rows == 0 { "—".to_string() } else { fmt::pct(s.missing as f64 / s.rows as f64) };
    let approx = if s.distinct.exact { "" } else { "≈ " };
    let _ = write!(
        h,
        "<details class=\"col\" id=\"{}\"><summary><b>{}</b> · {} / {} · missing {missing} · distinct {approx}{}{flags}</summary>",
        anchors::column(&c.name),
        esc(&c.name),
        c.ty.name(),
        c.role.name(),
        fmt::count(s.distinct.value)
    );
    let _ = write!(
        h,
        "<p>missing: {}{} · unparseable: {} · distinct values: {}</p><p>{}</p></details>",
        esc(&fmt::pct_of(s.missing, s.rows)),
        missing_kinds(s),
        fmt::count(s.unparseable),
        esc(&distinct(c)),
        summary(s) + &super::html_quality::column_extras(c)
    );
}

/// The missing count by token (and absent fields), after the total.
fn missing_kinds(s: &ColumnStats) -> String {
    if s.missing_by_token.is_empty() {
        return String::new();
    }
    let parts: Vec<String> =
        s.missing_by_token.iter().map(|m| format!("{}: {}", esc(&m.what), fmt::count(m.count))).collect();
    format!(" <span class=\"muted\">({})</span>", parts.join(" · "))
}

fn summary(s: &ColumnStats) -> String {
    let mut out = String::new();
    out.push_str(&super::html_numeric::numeric_summary(s));
    if let Some(b) = &s.boolean {
        let _ = write!(out, "true {} · false {}", fmt::count(b.trues), fmt::count(b.falses));
    }
    if let Some(t) = &s.temporal {
        let _ = write!(out, "{} … {}", esc(&t.min), esc(&t.max));
        match s.mode.as_ref().and_then(|m| m.count.zip(m.share)) {
            Some((c, share)) => {
                let _ = write!(
                    out,
                    "<br>most frequent date (not shown) occurs in {} rows ({} of valid dates)",
                    fmt::count(c),
                    fmt::pct(share)
                );
            }
            None => {
                if let Some(n) = &s.mode_note {
                    let _ = write!(out, "<br><span class=\"muted\">most frequent date: {}</span>", esc(n));
                }
            }
        }
    }
    if let Some(l) = &s.lengths {
        let _ = write!(
            out,
            "length {}–{} characters (mean {}) ",
            fmt::count(l.min),
            fmt::count(l.max),
            fmt::number((l.mean * 10.0).round() / 10.0)
        );
    }
    for (label, values) in [("top", &s.top_values), ("frequent", &s.frequent_values)] {
        let Some(values) = values.as_ref().filter(|v| !v.is_empty()) else { continue };
        let items: Vec<String> = values
            .iter()
            .map(|v| {
                format!(
                    "<code>{}</code> {} ({})",
                    esc(&v.value),
                    fmt::count(v.count),
                    fmt::pct(v.count as f64 / s.rows.max(1) as f64)
                )
            })
            .collect();
        let _ = write!(out, "<br>{label}: {}", items.join(", "));
    }
    if let Some(n) = &s.top_values_note {
        let _ = write!(out, "<br><span class=\"muted\">{}</span>", esc(n));
    }
    out
}
