//! HTML of the bias section: per breakdown, a group table (n, selection rate, TPR, FPR,
//! PPV with Wilson intervals and their numerators/denominators, SVG whiskers for the
//! selection rate), the fairlearn between-groups summary, the comparisons with the
//! reference group (AIF360/Aequitas convention) and LL144 impact ratios; for a
//! selection-only audit (no label) the selection rates, differences, impact ratios and the
//! four-fifths rule. Every string from the data goes through [`esc`].

use super::bias::BiasReport;
use super::html::{esc, num};
use crate::error::thousands;
use crate::fairness::disparity::BreakdownAudit;
use crate::fairness::ll144::Ll144Summary;
use crate::fairness::metrics::{Metric, Rate};
use crate::fairness::proxy_stats::{Measure, ProxyReport};
use crate::fairness::selection::{FourFifths, SelectionAudit};
use crate::fairness::versus_reference::MetricVsReference;
use std::fmt::Write;

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "undefined".to_string(), |x| format!("{:.2} %", 100.0 * x))
}

fn rate_cell(r: &Rate) -> String {
    match (r.value, r.wilson95) {
        (Some(v), Some((lo, hi))) => format!(
            "{}<br><span class=\"muted\">[{:.1}, {:.1}] · {}/{}</span>",
            pct(Some(v)),
            100.0 * lo,
            100.0 * hi,
            thousands(r.numerator),
            thousands(r.denominator)
        ),
        _ => "undefined<br><span class=\"muted\">0/0</span>".to_string(),
    }
}

fn whisker(r: &Rate) -> String {
    let (w, h) = (120.0, 14.0);
    let Some((v, (lo, hi))) = r.value.zip(r.wilson95) else { return String::new() };
    format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{} with 95 % interval\"><line x1=\"0\" y1=\"7\" x2=\"{w}\" y2=\"7\" stroke=\"#e0e4ea\"/><line x1=\"{:.1}\" y1=\"7\" x2=\"{:.1}\" y2=\"7\" stroke=\"#1f6feb\" stroke-width=\"2\"/><circle cx=\"{:.1}\" cy=\"7\" r=\"3\" fill=\"#1f6feb\"/></svg>",
        pct(Some(v)),
        lo * w,
        hi * w,
        v * w
    )
}

/// Renders the bias section.
pub fn render(h: &mut String, b: &BiasReport) {
    let orientation = if b.positive_is_favourable { "favourable" } else { "unfavourable" };
    match (&b.label, &b.positive_label) {
        (Some(label), Some(positive)) => {
            let _ = write!(
                h,
                "<h2>Bias audit</h2><p>Outcome <code>{}</code> positive class <code>{}</code> ({orientation}); prediction {}. Rows left out: {} with a missing label, {} with a missing prediction. Every rate is for the positive class as stated; intervals are Wilson 95 %; 0/0 is shown as undefined (fairlearn would show 0).</p>",
                esc(label),
                esc(positive),
                esc(&b.prediction),
                thousands(b.excluded_missing_label),
                thousands(b.excluded_missing_prediction)
            );
        }
        _ => {
            let _ = write!(
                h,
                "<h2>Bias audit (selection only)</h2><p>No label column: selection rates, impact ratios and their differences only. Positive prediction {} ({orientation}). Rows left out: {} with a missing prediction. Intervals are Wilson 95 %.</p><p class=\"muted\">{}</p>",
                esc(&b.prediction),
                thousands(b.excluded_missing_prediction),
                esc(crate::fairness::selection::ABSENT)
            );
        }
    }
    if let Some(w) = &b.weight {
        super::html_weights::intro(h, w);
    }
    for br in &b.breakdowns {
        let _ = write!(h, "<h3>{}</h3>", esc(&br.attributes.join(" × ")));
        match (&br.audit, &br.selection) {
            (Some(a), _) => breakdown(h, a),
            (None, Some(s)) => selection(h, s),
            (None, None) => {
                let _ = write!(h, "<p class=\"muted\">{}</p>", esc(br.note.as_deref().unwrap_or("")));
            }
        }
        if let Some(w) = &br.weighted {
            super::html_weights::render(h, w);
        }
    }
    if let Some(p) = &b.proxies {
        proxies(h, p);
    }
    if let Some(s) = &b.scores {
        super::html_scores::render(h, s);
    }
}

fn proxies(h: &mut String, p: &ProxyReport) {
    let _ = write!(
        h,
        "<h3>Proxies</h3><p>How strongly every other column is associated with each protected attribute: bias-corrected Cramér's V (Bergsma 2013) for categorical columns (at most {} levels per side, the rest pooled as (other)), correlation ratio η for numeric columns; 0 = none, 1 = the column determines the groups. Flagged at ≥ {}: such a column can stand in for the attribute.</p><table><thead><tr><th>protected</th><th>column</th><th>measure</th><th>value</th><th>n</th><th></th></tr></thead><tbody>",
        p.max_levels,
        num(p.threshold)
    );
    for a in &p.associations {
        let measure = match a.measure {
            Measure::CramersVBiasCorrected => "Cramér's V",
            Measure::CorrelationRatio => "η",
        };
        let value = a.value.map_or_else(
            || {
                format!(
                    "undefined<br><span class=\"muted\">{}</span>",
                    esc(a.undefined_reason.as_deref().unwrap_or(""))
                )
            },
            |v| format!("{v:.3}"),
        );
        let flag = if a.flagged { "<span class=\"fail\">proxy</span>" } else { "" };
        let pooled =
            a.pooled.as_deref().map_or_else(String::new, |n| format!("<br><span class=\"muted\">{}</span>", esc(n)));
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}{pooled}</td><td>{measure}</td><td class=\"n\">{value}</td><td class=\"n\">{}</td><td>{flag}</td></tr>",
            esc(&a.protected),
            esc(&a.column),
            thousands(a.n)
        );
    }
    h.push_str("</tbody></table>");
    if !p.skipped.is_empty() {
        let list: Vec<String> = p.skipped.iter().map(|s| format!("{} ({})", esc(&s.column), esc(&s.reason))).collect();
        let _ = write!(h, "<p class=\"muted\">Not examined: {}.</p>", list.join(", "));
    }
}

fn breakdown(h: &mut String, a: &BreakdownAudit) {
    h.push_str("<table><thead><tr><th>group</th><th>n</th><th>selection rate</th><th></th><th>true positive rate</th><th>false positive rate</th><th>positive predictive value</th></tr></thead><tbody>");
    for g in &a.groups {
        let m = &g.metrics;
        let small = if g.small { " <span class=\"warn\">small</span>" } else { "" };
        let _ = write!(
            h,
            "<tr><td>{}{small}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&g.group.to_string()),
            thousands(m.count),
            rate_cell(&m.selection_rate),
            whisker(&m.selection_rate),
            rate_cell(&m.true_positive_rate),
            rate_cell(&m.false_positive_rate),
            rate_cell(&m.positive_predictive_value)
        );
    }
    h.push_str("</tbody></table>");
    sentences(h, &a.vs_reference);
    let f = &a.fairlearn;
    let o = |v: Option<f64>| v.map_or_else(|| "undefined".to_string(), num);
    let _ = write!(
        h,
        "<p><b>fairlearn (between groups)</b>: demographic parity difference {} · ratio {} · equalized odds difference {} · ratio {} · equal opportunity difference {}</p>",
        o(f.demographic_parity_difference),
        o(f.demographic_parity_ratio),
        o(f.equalized_odds_difference),
        o(f.equalized_odds_ratio),
        o(f.equal_opportunity_difference)
    );
    for v in a
        .vs_reference
        .iter()
        .filter(|v| matches!(v.metric, Metric::SelectionRate | Metric::FalsePositiveRate | Metric::TruePositiveRate))
    {
        vs_reference(h, v);
    }
    ll144(h, &a.ll144, None);
}

fn vs_reference(h: &mut String, v: &MetricVsReference) {
    let o = |v: Option<f64>| v.map_or_else(|| "undefined".to_string(), num);
    let reference = v.reference.as_ref().map_or_else(|| "none".to_string(), |r| r.to_string());
    let _ = write!(
        h,
        "<p><b>{} vs reference <code>{}</code></b> (AIF360/Aequitas: difference = group − reference, ratio = group ÷ reference; Newcombe and Katz 95 % intervals; Holm-adjusted p)</p><table><thead><tr><th>group</th><th>rate</th><th>difference [95 %]</th><th>ratio [95 %]</th><th>four-fifths</th><th>p (Holm)</th></tr></thead><tbody>",
        esc(v.metric.name()),
        esc(&reference)
    );
    for c in &v.comparisons {
        let ci = |x: Option<(f64, f64)>| x.map_or_else(String::new, |(lo, hi)| format!(" [{}, {}]", num(lo), num(hi)));
        let band = match c.within_four_fifths {
            Some(true) => "within",
            Some(false) if c.flagged => "<span class=\"fail\">outside</span>",
            Some(false) => "outside (small group)",
            None => "undefined",
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}{}</td><td class=\"n\">{}{}</td><td>{band}</td><td class=\"n\">{}</td></tr>",
            esc(&c.group.to_string()),
            pct(c.value),
            o(c.difference),
            ci(c.difference_ci95),
            o(c.ratio),
            ci(c.ratio_ci95),
            c.p_holm.map_or_else(|| "—".to_string(), |p| format!("{p:.3e}"))
        );
    }
    h.push_str("</tbody></table>");
    for n in &v.notes {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
}

/// The LL144 table; with `four_fifths`, a column with the four-fifths verdict.
fn ll144(h: &mut String, l: &Ll144Summary, four_fifths: Option<&[FourFifths]>) {
    let ff_head = if four_fifths.is_some() { "<th>four-fifths rule</th>" } else { "" };
    let _ = write!(h, "<p><b>NYC LL144 impact ratios</b> (selection rate ÷ that of the most selected category; the law sets no pass mark)</p><table><thead><tr><th>category</th><th>n</th><th>selection rate</th><th>impact ratio</th>{ff_head}</tr></thead><tbody>");
    for r in &l.rows {
        let ff = four_fifths.and_then(|f| f.iter().find(|x| x.group == r.category)).map_or_else(String::new, |f| {
            let verdict = match (f.adverse_impact, f.small) {
                (Some(true), false) => "<span class=\"fail\">adverse impact</span>",
                (Some(true), true) => "below 4/5 (small group)",
                (Some(false), _) => "at least 4/5",
                (None, _) => "no verdict",
            };
            format!("<td>{verdict}</td>")
        });
        let ir = if r.excluded {
            "excluded (2 % rule)".to_string()
        } else {
            r.impact_ratio.map_or_else(|| "undefined".into(), |x| format!("{x:.3}"))
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{ff}</tr>",
            esc(&r.category.to_string()),
            thousands(r.n),
            pct(r.rate.value),
            esc(&ir)
        );
    }
    let _ = write!(h, "</tbody></table><p class=\"muted\">unknown category: {} rows</p>", thousands(l.unknown_count));
}

fn sentences(h: &mut String, vs: &[MetricVsReference]) {
    let sentences: Vec<&str> =
        vs.iter().flat_map(|v| v.comparisons.iter().filter_map(|c| c.sentence.as_deref())).collect();
    if !sentences.is_empty() {
        h.push_str("<p><b>In plain language</b> (comparisons outside the four-fifths band or with Holm-adjusted p &lt; 0.05)</p><ul class=\"sentences\">");
        for s in sentences {
            let _ = write!(h, "<li>{}</li>", esc(s));
        }
        h.push_str("</ul>");
    }
}

fn selection(h: &mut String, a: &SelectionAudit) {
    h.push_str("<table><thead><tr><th>group</th><th>n</th><th>selection rate</th><th></th></tr></thead><tbody>");
    for g in &a.groups {
        let small = if g.small { " <span class=\"warn\">small</span>" } else { "" };
        let _ = write!(
            h,
            "<tr><td>{}{small}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&g.group.to_string()),
            thousands(g.count),
            rate_cell(&g.selection_rate),
            whisker(&g.selection_rate)
        );
    }
    h.push_str("</tbody></table>");
    sentences(h, &a.vs_reference);
    let o = |v: Option<f64>| v.map_or_else(|| "undefined".to_string(), num);
    let _ = write!(
        h,
        "<p><b>fairlearn (between groups)</b>: demographic parity difference {} · ratio {}</p>",
        o(a.between_groups.difference),
        o(a.between_groups.ratio)
    );
    for v in &a.vs_reference {
        vs_reference(h, v);
    }
    ll144(h, &a.ll144, Some(&a.four_fifths));
    for n in &a.absent {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
}
