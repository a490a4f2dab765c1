//! HTML of the weighted bias audit (`bias.weight`): per breakdown, a table of n, Σw, n_eff
//! and the weighted selection rate, TPR, FPR and PPV with their n_eff Wilson intervals,
//! then the weighted fairlearn disparities, the comparisons with the reference and the
//! LL144 impact ratios. Every string from the data goes through [`esc`].

use super::bias::WeightInfo;
use super::html::{esc, num};
use crate::error::thousands;
use crate::fairness::metrics::{Metric, WeightedRate};
use crate::fairness::weighted::WeightedAudit;
use std::fmt::Write;

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "undefined".to_string(), |x| format!("{:.2} %", 100.0 * x))
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "undefined".to_string(), |x| format!("{x:.3}"))
}

/// Kish's n_eff to one decimal.
fn one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

fn rate_cell(r: Option<&WeightedRate>) -> String {
    match r.and_then(|r| r.value.zip(r.wilson95).map(|v| (r, v))) {
        Some((r, (v, (lo, hi)))) => format!(
            "{}<br><span class=\"muted\">[{:.1}, {:.1}] · Σw {}/{} · n_eff {}</span>",
            pct(Some(v)),
            100.0 * lo,
            100.0 * hi,
            num(r.numerator),
            num(r.denominator),
            one_decimal(r.effective_n)
        ),
        None => "undefined<br><span class=\"muted\">Σw = 0</span>".to_string(),
    }
}

/// The paragraph that introduces the weighted audit.
pub fn intro(h: &mut String, w: &WeightInfo) {
    let _ = write!(
        h,
        "<p>Row weights: <code>{}</code>. Rows left out: {} with a missing weight, {} with an unparseable, negative or infinite weight. Each breakdown has a row-count table and a weighted one.</p><ul class=\"muted\">",
        esc(&w.column),
        thousands(w.excluded_missing_weight),
        thousands(w.excluded_invalid_weight)
    );
    for n in &w.notes {
        let _ = write!(h, "<li>{}</li>", esc(n));
    }
    h.push_str("</ul>");
}

/// The weighted audit of one breakdown.
pub fn render(h: &mut String, a: &WeightedAudit) {
    let labelled = a.overall.rates.contains_key(&Metric::TruePositiveRate);
    let metrics: &[Metric] = if labelled {
        &[Metric::SelectionRate, Metric::TruePositiveRate, Metric::FalsePositiveRate, Metric::PositivePredictiveValue]
    } else {
        &[Metric::SelectionRate]
    };
    h.push_str("<h4>Weighted</h4><table><thead><tr><th>group</th><th>n</th><th>Σw</th><th>n_eff</th>");
    for m in metrics {
        let _ = write!(h, "<th>weighted {}</th>", m.name().replace('_', " "));
    }
    h.push_str("</tr></thead><tbody>");
    for g in a.groups.iter().chain(std::iter::once(&a.overall)) {
        let name = if g.group.levels.is_empty() { "overall".to_string() } else { g.group.to_string() };
        let small = if g.small { " <span class=\"warn\">small</span>" } else { "" };
        let _ = write!(
            h,
            "<tr><td>{}{small}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            esc(&name),
            thousands(g.n),
            num(g.weight),
            one_decimal(g.effective_n)
        );
        for m in metrics {
            let _ = write!(h, "<td class=\"n\">{}</td>", rate_cell(g.rates.get(m)));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    let f = &a.fairlearn;
    let _ = write!(
        h,
        "<p>Weighted, fairlearn between groups: demographic parity difference {}, ratio {}",
        opt(f.demographic_parity_difference),
        opt(f.demographic_parity_ratio)
    );
    if labelled {
        let _ = write!(
            h,
            "; equalized odds difference {}, ratio {}; equal opportunity difference {}, ratio {}",
            opt(f.equalized_odds_difference),
            opt(f.equalized_odds_ratio),
            opt(f.equal_opportunity_difference),
            opt(f.equal_opportunity_ratio)
        );
    }
    h.push_str(".</p>");
    if let Some(sr) = a.vs_reference.iter().find(|v| v.metric == Metric::SelectionRate) {
        let reference = sr.reference.as_ref().map_or_else(|| "none".to_string(), |k| k.to_string());
        let _ = write!(
            h,
            "<table><thead><tr><th>group vs {} (weighted selection rate {})</th><th>rate</th><th>difference [95 %]</th><th>ratio</th><th>disadvantaged</th><th>LL144 impact ratio (favourable selection)</th></tr></thead><tbody>",
            esc(&reference),
            pct(sr.reference_value)
        );
        for c in &sr.comparisons {
            let ci = c.difference_ci95.map_or_else(String::new, |(lo, hi)| format!(" [{lo:.3}, {hi:.3}]"));
            let ll = a.ll144.iter().find(|l| l.group == c.group);
            let four_fifths = if ll.and_then(|l| l.below_four_fifths) == Some(true) {
                " <span class=\"warn\">below 4/5</span>"
            } else {
                ""
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}{ci}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}{four_fifths}</td></tr>",
                esc(&c.group.to_string()),
                pct(c.value),
                opt(c.difference),
                opt(c.ratio),
                c.disadvantaged.as_ref().map_or_else(|| "—".to_string(), |d| esc(&d.to_string())),
                opt(ll.and_then(|l| l.impact_ratio))
            );
        }
        h.push_str("</tbody></table>");
    }
}
