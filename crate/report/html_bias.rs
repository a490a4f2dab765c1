//! HTML of the bias section. Per breakdown, in reading order: which reference group was
//! used and why; a few plain-language sentences, ranked ([`super::sentences::ranked`]),
//! each number linked to its definition; the disparity chart of each gated metric
//! ([`super::html_bias_chart`]); the group table (n, selection rate, TPR, FPR, PPV with
//! Wilson intervals and counts); the group × metric grid ([`super::html_bias_grid`]); the
//! fairlearn between-groups summary; the comparisons with the reference (AIF360/Aequitas
//! convention, with the disadvantaged party) for the selection rate, TPR, FPR and the gated
//! metrics; LL144 impact ratios of the favourable selection. A selection-only audit (no
//! label) gets the same for the selection rate, with the four-fifths rule. Every string
//! from the data goes through [`esc`]; every number through [`super::fmt`].

use super::anchors;
use super::bias::{BiasReport, BreakdownReport, RatioBand};
use super::fmt;
use super::glossary_bias::terms;
use super::html::esc;
use super::html_bias_chart::{self as chart, Row};
use super::sentences::{ranked, sentence, Wording, PER_BREAKDOWN};
use crate::fairness::counts::{Confusion, GroupKey};
use crate::fairness::direction::Harm;
use crate::fairness::disparity::{BreakdownAudit, DisparityOptions, ReferencePolicy};
use crate::fairness::ll144::Ll144Summary;
use crate::fairness::metrics::{Metric, Rate};
use crate::fairness::selection::{FourFifths, SelectionAudit};
use crate::fairness::versus_reference::MetricVsReference;
use std::fmt::Write;

fn rate_cell(r: &Rate) -> String {
    match (r.value, r.wilson95) {
        (Some(v), Some(ci)) => format!(
            "{}<br><span class=\"muted\">{} · {} of {}</span>",
            fmt::pct(v),
            fmt::pct_interval(ci),
            fmt::count(r.numerator),
            fmt::count(r.denominator)
        ),
        _ => "undefined<br><span class=\"muted\">0 of 0</span>".to_string(),
    }
}

fn opt(v: Option<f64>, f: fn(f64) -> String) -> String {
    v.map_or_else(|| "undefined".to_string(), f)
}

/// Renders the bias section.
pub fn render(h: &mut String, b: &BiasReport) {
    let orientation = if b.positive_is_favourable { "favourable" } else { "unfavourable" };
    let direction = match (b.positive_is_favourable, b.label.is_some()) {
        (true, true) => "a lower selection rate harms a group, and so does a higher false negative rate",
        (false, true) => "a higher selection rate harms a group, and so does a higher false positive rate",
        (true, false) => "a lower selection rate harms a group",
        (false, false) => "a higher selection rate harms a group",
    };
    let harm = format!(
        "Because the positive prediction is the {orientation} outcome, {direction} (<a href=\"#{}\">harm direction</a>); every finding names the <a href=\"#{}\">disadvantaged group</a>, whichever side of the comparison it is on.",
        anchors::definition(terms::HARM_DIRECTION),
        anchors::definition(terms::DISADVANTAGED)
    );
    match (&b.label, &b.positive_label) {
        (Some(label), Some(positive)) => {
            let _ = write!(
                h,
                "<h2 id=\"{}\">Bias audit</h2><p>Outcome <b>{}</b>, positive class <b>{}</b> ({orientation}); prediction <b>{}</b>. Rows left out: {} with a missing label, {} with a missing prediction. Intervals are 95 %; 0/0 is shown as undefined (fairlearn would show 0). {harm}</p>",
                anchors::BIAS,
                esc(label),
                esc(positive),
                esc(&b.prediction),
                fmt::count(b.excluded_missing_label),
                fmt::count(b.excluded_missing_prediction)
            );
        }
        _ => {
            let _ = write!(
                h,
                "<h2 id=\"{}\">Bias audit (selection only)</h2><p>No label column: selection rates, impact ratios and their differences only. Positive prediction <b>{}</b> ({orientation}). Rows left out: {} with a missing prediction. Intervals are 95 %. {harm}</p><p class=\"muted\">{}</p>",
                anchors::BIAS,
                esc(&b.prediction),
                fmt::count(b.excluded_missing_prediction),
                esc(crate::fairness::selection::ABSENT)
            );
        }
    }
    if let Some(w) = &b.weight {
        super::html_weights::intro(h, w);
    }
    for br in &b.breakdowns {
        let _ = write!(h, "<h3 id=\"{}\">{}</h3>", anchors::breakdown(&br.attributes), esc(&br.attributes.join(" × ")));
        match (&br.audit, &br.selection) {
            (Some(a), _) => breakdown(h, b, br, a),
            (None, Some(s)) => selection(h, b, br, s),
            (None, None) => {
                let _ = write!(h, "<p class=\"muted\">{}</p>", esc(br.note.as_deref().unwrap_or("")));
            }
        }
        if let Some(w) = &br.weighted {
            super::html_weights::render(h, w);
        }
    }
    if let Some(p) = &b.proxies {
        super::html_proxies::render(h, p);
    }
    if let Some(s) = &b.scores {
        super::html_scores::render(h, s);
    }
}

/// Which reference group the comparisons use, and why.
fn reference_note(
    h: &mut String,
    options: &DisparityOptions,
    vs: &[MetricVsReference],
    counts: &[(GroupKey, Confusion)],
) {
    let Some(v) = vs.first() else { return };
    let name = v.reference.as_ref().map_or_else(|| "none".to_string(), |k| format!("“{k}”"));
    let n = v.reference.as_ref().and_then(|k| counts.iter().find(|g| &g.0 == k)).map(|g| g.1.n());
    let why = match &options.reference {
        ReferencePolicy::Largest => format!(
            "{name}, the largest group ({} rows; bias.reference = largest, the default, as in Aequitas: stable across metrics and not itself chosen for its rate)",
            n.map_or_else(|| "?".into(), fmt::count)
        ),
        ReferencePolicy::Chosen(_) => format!("{name}, named in the spec (bias.reference_group)"),
        ReferencePolicy::BestRate => {
            "per metric, the group with the most favourable rate among groups of at least bias.min_group_size rows (bias.reference = best_rate)".to_string()
        }
        ReferencePolicy::LowestRate => {
            "per metric, the group with the lowest rate (bias.reference = lowest_rate, Aequitas' min_metric)".to_string()
        }
    };
    let _ =
        write!(h, "<p><a href=\"#{}\">Reference group</a>: {}.</p>", anchors::definition(terms::REFERENCE), esc(&why));
}

/// The first few sentences of a breakdown, linked; how many more there are.
fn plain_language(h: &mut String, w: &Wording, vs: &[MetricVsReference], fav: bool, counts: &[(GroupKey, Confusion)]) {
    let all = ranked(vs, fav);
    if all.is_empty() {
        h.push_str("<p><b>In plain language</b>: no comparison is outside the four-fifths band or significant.</p>");
        return;
    }
    h.push_str("<p><b>In plain language</b> (largest disparities first)</p><ul class=\"sentences\">");
    for (v, c) in all.iter().take(PER_BREAKDOWN) {
        if let Some(s) = sentence(w, v.metric, c, counts) {
            let _ = write!(h, "<li>{}</li>", s.html());
        }
    }
    h.push_str("</ul>");
    if all.len() > PER_BREAKDOWN {
        let _ = write!(
            h,
            "<p class=\"muted\">{} more comparisons outside the band or significant are in the grid and tables below (and in the JSON report, each with its sentence).</p>",
            fmt::count((all.len() - PER_BREAKDOWN) as u64)
        );
    }
}

/// One chart per gated metric present in `vs`.
fn charts<'a>(
    h: &mut String,
    b: &BiasReport,
    br: &BreakdownReport,
    vs: &[MetricVsReference],
    rows: &dyn Fn(Metric) -> Vec<Row<'a>>,
    band: &RatioBand,
) {
    for metric in &b.gated_metrics {
        let Some(v) = vs.iter().find(|v| v.metric == *metric) else { continue };
        let title = format!("{} by {}", metric.label(), br.attributes.join(" × "));
        chart::render(h, &title, &rows(*metric), v, band);
    }
}

fn breakdown(h: &mut String, b: &BiasReport, br: &BreakdownReport, a: &BreakdownAudit) {
    let counts: Vec<(GroupKey, Confusion)> = a.groups.iter().map(|g| (g.group.clone(), g.confusion)).collect();
    reference_note(h, &a.options, &a.vs_reference, &counts);
    plain_language(h, &Wording::of(b, &br.attributes), &a.vs_reference, a.positive_is_favourable, &counts);
    let rows = |m: Metric| -> Vec<Row> {
        a.groups.iter().map(|g| Row { group: &g.group, rate: g.metrics.get(m), count: g.metrics.count }).collect()
    };
    charts(h, b, br, &a.vs_reference, &rows, &RatioBand::of(b, &a.options));
    h.push_str("<div style=\"overflow-x:auto\"><table><thead><tr><th>group</th><th>n</th><th>selection rate</th><th>true positive rate</th><th>false positive rate</th><th>positive predictive value</th></tr></thead><tbody>");
    for g in &a.groups {
        let m = &g.metrics;
        let small = if g.small { " <span class=\"warn\">small</span>" } else { "" };
        let _ = write!(
            h,
            "<tr><td>{}{small}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&g.group.to_string()),
            fmt::count(m.count),
            rate_cell(&m.selection_rate),
            rate_cell(&m.true_positive_rate),
            rate_cell(&m.false_positive_rate),
            rate_cell(&m.positive_predictive_value)
        );
    }
    h.push_str("</tbody></table></div>");
    let mut keys: Vec<&GroupKey> = a.groups.iter().filter(|g| !g.group.is_unknown()).map(|g| &g.group).collect();
    keys.sort_by_key(|k| std::cmp::Reverse(counts.iter().find(|g| &g.0 == *k).map_or(0, |g| g.1.n())));
    super::html_bias_grid::render(h, &keys, &a.vs_reference, &RatioBand::of(b, &a.options));
    let f = &a.fairlearn;
    let _ = write!(
        h,
        "<p><b>fairlearn (between groups)</b>: demographic parity difference {} · ratio {} · equalized odds difference {} · ratio {} · equal opportunity difference {}</p>",
        opt(f.demographic_parity_difference, fmt::points),
        opt(f.demographic_parity_ratio, fmt::ratio),
        opt(f.equalized_odds_difference, fmt::points),
        opt(f.equalized_odds_ratio, fmt::ratio),
        opt(f.equal_opportunity_difference, fmt::points)
    );
    let shown = [Metric::SelectionRate, Metric::TruePositiveRate, Metric::FalsePositiveRate];
    for v in a.vs_reference.iter().filter(|v| shown.contains(&v.metric) || b.gated_metrics.contains(&v.metric)) {
        vs_reference(h, v);
    }
    ll144(h, &a.ll144, None, b);
}

fn vs_reference(h: &mut String, v: &MetricVsReference) {
    let reference = v.reference.as_ref().map_or_else(|| "none".to_string(), |r| r.to_string());
    let harm = match v.harm {
        Harm::HigherHarms => "a higher rate harms",
        Harm::LowerHarms => "a lower rate harms",
        Harm::NoDirection => "no harm direction",
    };
    let _ = write!(
        h,
        "<p><b>{} vs reference “{}”</b> ({harm}; AIF360/Aequitas: difference = group − reference, ratio = group ÷ reference; Newcombe and Katz 95 % intervals; Holm-adjusted p)</p><div style=\"overflow-x:auto\"><table><thead><tr><th>group</th><th>rate</th><th>difference [95 %]</th><th>ratio [95 %]</th><th>four-fifths</th><th>disadvantaged</th><th>p (Holm)</th></tr></thead><tbody>",
        esc(v.metric.label()),
        esc(&reference)
    );
    for c in &v.comparisons {
        let band = match c.within_four_fifths {
            Some(true) => "within",
            Some(false) if c.flagged => "<span class=\"fail\">outside</span>",
            Some(false) => "outside (small group)",
            None => "undefined",
        };
        let dis = c.disadvantaged.as_ref().map_or_else(|| "—".to_string(), |d| d.to_string());
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}{}</td><td class=\"n\">{}{}</td><td>{band}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&c.group.to_string()),
            opt(c.value, fmt::pct),
            opt(c.difference, fmt::points),
            c.difference_ci95.map_or_else(String::new, |(lo, hi)| format!(" [{}, {}]", fmt::points(lo), fmt::points(hi))),
            opt(c.ratio, fmt::ratio),
            c.ratio_ci95.map_or_else(String::new, |ci| format!(" [{}]", fmt::ratio_interval(ci))),
            esc(&dis),
            c.p_holm.map_or_else(|| "—".to_string(), fmt::p_value)
        );
    }
    h.push_str("</tbody></table></div>");
    for n in &v.notes {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
}

/// What LL144 counted as selected, in words.
pub fn selected_words(l: &Ll144Summary, b: &BiasReport) -> String {
    if l.selected_is_positive {
        format!("selected = {}, the favourable decision", b.prediction)
    } else {
        let negative = if b.prediction_negative.is_empty() {
            format!("not {}", b.prediction)
        } else {
            b.prediction_negative.clone()
        };
        format!(
            "selected = {negative}: {} is the unfavourable outcome, so the favourable decision is its complement",
            b.prediction
        )
    }
}

/// The LL144 table; with `four_fifths`, a column with the four-fifths verdict.
fn ll144(h: &mut String, l: &Ll144Summary, four_fifths: Option<&[FourFifths]>, b: &BiasReport) {
    let ff_head = if four_fifths.is_some() { "<th>four-fifths rule</th>" } else { "" };
    let _ = write!(
        h,
        "<p><b><a href=\"#{}\">NYC LL144 impact ratios</a></b> (favourable selection rate ÷ that of the most selected category; {}; the law sets no pass mark)</p><table><thead><tr><th>category</th><th>n</th><th>selection rate</th><th>impact ratio</th>{ff_head}</tr></thead><tbody>",
        anchors::definition(terms::IMPACT_RATIO),
        esc(&selected_words(l, b))
    );
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
        let ir = if r.excluded { "excluded (2 % rule)".to_string() } else { opt(r.impact_ratio, fmt::ratio) };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{ff}</tr>",
            esc(&r.category.to_string()),
            fmt::count(r.n),
            opt(r.rate.value, fmt::pct),
            esc(&ir)
        );
    }
    let _ = write!(h, "</tbody></table><p class=\"muted\">unknown category: {} rows</p>", fmt::count(l.unknown_count));
}

fn selection(h: &mut String, b: &BiasReport, br: &BreakdownReport, a: &SelectionAudit) {
    let counts = a.confusions();
    reference_note(h, &a.options, &a.vs_reference, &counts);
    plain_language(h, &Wording::of(b, &br.attributes), &a.vs_reference, a.positive_is_favourable, &counts);
    let rows = |_: Metric| -> Vec<Row> {
        a.groups.iter().map(|g| Row { group: &g.group, rate: &g.selection_rate, count: g.count }).collect()
    };
    charts(h, b, br, &a.vs_reference, &rows, &RatioBand::of(b, &a.options));
    h.push_str("<table><thead><tr><th>group</th><th>n</th><th>selection rate</th></tr></thead><tbody>");
    for g in &a.groups {
        let small = if g.small { " <span class=\"warn\">small</span>" } else { "" };
        let _ = write!(
            h,
            "<tr><td>{}{small}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&g.group.to_string()),
            fmt::count(g.count),
            rate_cell(&g.selection_rate)
        );
    }
    h.push_str("</tbody></table>");
    let _ = write!(
        h,
        "<p><b>fairlearn (between groups)</b>: demographic parity difference {} · ratio {}</p>",
        opt(a.between_groups.difference, fmt::points),
        opt(a.between_groups.ratio, fmt::ratio)
    );
    for v in &a.vs_reference {
        vs_reference(h, v);
    }
    ll144(h, &a.ll144, Some(&a.four_fifths), b);
    for n in &a.absent {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
}
