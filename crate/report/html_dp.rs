//! Renders a [`DpSummary`] as one self-contained HTML document (inline CSS, no script,
//! no external resource). It shows exactly what the JSON holds — public parameters and
//! noisy values — and every string goes through [`esc`].

use super::fmt;
use super::html::{esc, num, CSS};
use crate::dp::accounting::PrivacyLoss;
use crate::dp::query::QueryPlan;
use crate::dp::summary::{DpSummary, Estimate, FourFifths, NoisyCount, Release, ReleaseResult};
use std::fmt::Write;

/// Styles of the DP pages on top of the report's.
const DP_CSS: &str = ".callout{padding:8px 12px;border-radius:6px;margin:8px 0}.callout.warn{background:#fff8c5;border:1px solid #d4a72c;color:#1d2430}\
.callout.fail{background:#ffebe9;border:1px solid #cf222e}.callout.pass{background:#dafbe1;border:1px solid #1a7f37;color:#1d2430}.badge.warn{background:#fff8c5}";

fn loss(l: &PrivacyLoss) -> String {
    match l {
        PrivacyLoss::Pure { epsilon } => format!("ε = {} ({})", num(epsilon.to_f64()), epsilon),
        PrivacyLoss::Zcdp { rho } => format!("ρ = {} ({})", num(rho.to_f64()), rho),
    }
}

fn count_cell(c: &NoisyCount) -> String {
    match (c.estimate, c.interval) {
        (Some(e), Some([lo, hi])) => format!("{e}<br><span class=\"muted\">[{lo}, {hi}]</span>"),
        _ => "<span class=\"muted\">suppressed</span>".into(),
    }
}

fn est(e: &Estimate, pct: bool) -> String {
    let f = |x: f64| if pct { format!("{:.1} %", 100.0 * x) } else { num(x) };
    let v = e.value.map_or_else(|| "undefined".to_string(), f);
    let lo = e.lower.map_or_else(|| "−∞".to_string(), f);
    let hi = e.upper.map_or_else(|| "∞".to_string(), f);
    format!("{v}<br><span class=\"muted\">[{lo}, {hi}]</span>")
}

/// Renders the summary.
pub fn render(s: &DpSummary) -> String {
    let mut h = String::with_capacity(32 * 1024);
    let title = title(s);
    head(&mut h, &title);
    let _ = write!(h, "<h1>{}</h1>", esc(&title));
    body(&mut h, s);
    h.push_str("</main></body></html>");
    h
}

/// The summary's title.
fn title(s: &DpSummary) -> String {
    match &s.dataset.description {
        Some(d) => format!("Differentially private summary — {d}"),
        None => "Differentially private summary".to_string(),
    }
}

/// The document's start, up to `<main>`.
pub(crate) fn head(h: &mut String, title: &str) {
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>{0}</title><style>{CSS}{DP_CSS}</style></head><body><main>",
        esc(title)
    );
}

/// Everything the summary says, after its title.
pub(crate) fn body(h: &mut String, s: &DpSummary) {
    let p = &s.privacy;
    let _ = write!(
        h,
        "<p><span class=\"badge {}\">({}, {})-differentially private</span> <span class=\"muted\">schema {} · {} · {}</span></p>",
        if s.warnings.is_empty() { "pass" } else { "warn" },
        num(p.epsilon),
        super::fmt::number(p.delta),
        esc(&s.schema),
        esc(&s.tool),
        esc(s.created_at.as_deref().unwrap_or(""))
    );
    for w in &s.warnings {
        let _ = write!(h, "<p class=\"callout warn\"><b>Warning.</b> {}</p>", esc(w));
    }
    h.push_str("<h2>What this summary reveals</h2><ul>");
    for r in &s.reveals {
        let _ = write!(h, "<li>{}</li>", esc(r));
    }
    h.push_str("</ul><h2>What it does not reveal</h2><ul>");
    for r in &s.does_not_reveal {
        let _ = write!(h, "<li>{}</li>", esc(r));
    }
    h.push_str("</ul><h2>Privacy parameters</h2><table>");
    let row = |h: &mut String, k: &str, v: &str| {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", esc(k), esc(v));
    };
    row(h, "unit of privacy", &p.unit);
    row(h, "total budget", &loss(&p.total));
    row(h, "as (ε, δ)-DP", &format!("ε = {}, δ = {}", num(p.epsilon), super::fmt::number(p.delta)));
    row(h, "confidence of intervals", &format!("{} % (α = {})", num(100.0 * (1.0 - p.alpha)), num(p.alpha)));
    row(
        h,
        "suppression",
        &if p.min_noisy_count == 0 { "off".into() } else { format!("noisy counts below {}", p.min_noisy_count) },
    );
    row(h, "columns used", &s.dataset.columns_used.join(", "));
    if let Some(sha) = &s.dataset.sha256 {
        row(h, "input SHA-256 (opted in)", sha);
    }
    h.push_str("</table><h2>Ledger</h2><table><tr><th>release</th><th>privacy loss</th><th>charged</th></tr>");
    for e in &p.ledger {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.label),
            esc(&loss(&e.loss)),
            esc(&num(e.charged.to_f64()))
        );
    }
    h.push_str("</table>");
    for r in &s.releases {
        release(h, r, p.alpha);
    }
    h.push_str("<h2>Notes</h2><ul>");
    for n in &s.notes {
        let _ = write!(h, "<li>{}</li>", esc(n));
    }
    h.push_str("</ul>");
}

fn release(h: &mut String, r: &Release, alpha: f64) {
    let _ = write!(h, "<h2>{}</h2><p class=\"muted\">", esc(&r.label));
    for c in &r.components {
        let _ = write!(
            h,
            "{}: {} noise, scale {} ({}), sensitivity {}, {}; ±{} per value at the stated confidence{}.<br>",
            esc(&c.what),
            esc(&c.mechanism.replace('_', " ")),
            esc(&num(c.scale_approx)),
            esc(&c.scale.to_string()),
            c.l1_sensitivity,
            esc(&loss(&c.loss)),
            c.half_width,
            c.threshold.map_or_else(String::new, |t| format!("; kept when the noisy count is ≥ {t}"))
        );
        if let Some(e) = c.implied_epsilon {
            let _ = write!(h, "Alone, this ρ implies (ε = {}, δ = the summary's δ)-DP.<br>", esc(&num(e)));
        }
    }
    if let Some(b) = r.parameters.bounds {
        let _ = write!(h, "Public bounds [{}, {}]; values outside are clamped.<br>", esc(&num(b[0])), esc(&num(b[1])));
    }
    h.push_str("</p>");
    match &r.result {
        ReleaseResult::Count { count } => {
            let _ = write!(
                h,
                "<table><tr><th>noisy count</th></tr><tr><td class=\"n\">{}</td></tr></table>",
                count_cell(count)
            );
        }
        ReleaseResult::Histogram { cells } | ReleaseResult::Categories { kept: cells, .. } => counts_table(h, cells),
        ReleaseResult::Sum { sum } => {
            let _ = write!(
                h,
                "<table><tr><th>noisy sum</th></tr><tr><td class=\"n\">{}</td></tr></table>",
                est(sum, false)
            );
        }
        ReleaseResult::Mean { sum, count, mean, plus_minus, accuracy } => {
            let pm = plus_minus.map_or_else(|| "—".to_string(), |x| format!("±{}", fmt::number(x)));
            let _ = write!(
                h,
                "<table><tr><th>mean</th><th>± on the mean</th><th>noisy sum</th><th>noisy count of values</th></tr><tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr></table>",
                est(mean, false),
                esc(&pm),
                est(sum, false),
                count_cell(count)
            );
            let _ = write!(
                h,
                "<p class=\"muted\">How the ± was derived: the mean is the noisy sum ÷ the noisy count; its interval covers \
                 every sum within the noisy sum ±{} and every count within the noisy count ±{} (each at {} %, so both hold at \
                 once at {} %), and ± is the larger distance from the estimate to an end of it. It is at most \
                 (±{} + {} × {}) ÷ count = ±{} ÷ count, {} being the largest |bound|.</p>",
                esc(&fmt::number(accuracy.sum_half_width)),
                esc(&fmt::count(accuracy.count_half_width)),
                esc(&fmt::number(100.0 * (1.0 - alpha / 2.0))),
                esc(&fmt::number(100.0 * (1.0 - alpha))),
                esc(&fmt::number(accuracy.sum_half_width)),
                esc(&fmt::number(accuracy.bound)),
                esc(&fmt::count(accuracy.count_half_width)),
                esc(&fmt::number(accuracy.numerator)),
                esc(&fmt::number(accuracy.bound)),
            );
        }
        ReleaseResult::Quantiles { bins, estimates } => {
            h.push_str("<table><tr><th>p</th><th>estimate [interval]</th></tr>");
            for q in estimates {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                    esc(&num(q.probability)),
                    est(&q.estimate, false)
                );
            }
            h.push_str("</table><details><summary>noisy bins</summary>");
            counts_table(h, bins);
            h.push_str("</details>");
        }
        ReleaseResult::Fairness {
            reference,
            reference_rule,
            groups,
            disparities,
            between_groups,
            positive_is_favourable,
            four_fifths,
            ..
        } => {
            let _ = write!(
                h,
                "<p>Reference group: <b>{}</b> ({}).</p><table><tr><th>group</th><th>noisy n</th><th>selection rate</th><th>base rate</th><th>TPR</th><th>FPR</th></tr>",
                esc(reference.as_deref().unwrap_or("none")),
                esc(reference_rule)
            );
            for g in groups {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    esc(&g.group),
                    count_cell(&g.n),
                    est(&g.selection_rate, true),
                    est(&g.base_rate, true),
                    est(&g.true_positive_rate, true),
                    est(&g.false_positive_rate, true)
                );
            }
            h.push_str("</table><table><tr><th>group</th><th>metric</th><th>difference vs reference</th><th>ratio vs reference</th></tr>");
            for d in disparities {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    esc(&d.group),
                    esc(&metric_name(&d.metric)),
                    est(&d.difference, false),
                    est(&d.ratio, false)
                );
            }
            four_fifths_table(h, *positive_is_favourable, four_fifths);
            h.push_str("</table><table><tr><th>between the declared groups (fairlearn)</th><th>max − min</th><th>min / max</th></tr>");
            for b in between_groups {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    esc(&metric_name(&b.metric)),
                    est(&b.difference, false),
                    b.ratio.as_ref().map_or_else(String::new, |r| est(r, false))
                );
            }
            h.push_str("</table>");
        }
    }
}

fn counts_table(h: &mut String, cells: &[NoisyCount]) {
    h.push_str("<table><tr><th>key</th><th>noisy count [interval]</th></tr>");
    for c in cells {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(c.key.as_deref().unwrap_or("")),
            count_cell(c)
        );
    }
    h.push_str("</table>");
}

/// A metric's name in words (`selection_rate` → `selection rate`).
fn metric_name(m: &str) -> String {
    match m {
        "true_positive_rate" => "true positive rate (TPR)".into(),
        "false_positive_rate" => "false positive rate (FPR)".into(),
        "equalized_odds" => "equalized odds (larger of the TPR and FPR gaps)".into(),
        other => other.replace('_', " "),
    }
}

/// The four-fifths rule per declared group, with its definition.
fn four_fifths_table(h: &mut String, positive_is_favourable: bool, rows: &[FourFifths]) {
    let favourable = if positive_is_favourable { "positive" } else { "negative" };
    let _ = write!(
        h,
        "<p><b>Four-fifths rule</b> (EEOC, UGESP 29 CFR §1607.4(D)): each declared group's rate of the favourable \
         decision (here the {favourable} prediction) ÷ the highest such rate among the declared groups; below 0.8 \
         suggests adverse impact. Intervals hold for all groups at once; the verdict is <i>inconclusive</i> when the \
         interval straddles 0.8.</p>"
    );
    if rows.is_empty() {
        h.push_str("<p class=\"muted\">No declared group has a defined rate (all suppressed or empty).</p>");
        return;
    }
    h.push_str("<table><tr><th>group</th><th>favourable rate</th><th>impact ratio</th><th>four-fifths rule</th></tr>");
    for r in rows {
        let verdict = match r.verdict.as_str() {
            "below" => "below 0.8 (adverse impact)",
            "not_below" => "not below 0.8",
            _ => "inconclusive (the interval straddles 0.8)",
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&r.group),
            est(&r.favourable_rate, true),
            est(&r.impact_ratio, false),
            esc(verdict)
        );
    }
    h.push_str("</table>");
}

/// The accuracy of a planned release in words, for the page's table before anything is
/// spent: each component's ± at 1 − α per value, and for a mean the ± on the mean as a
/// function of the number of values n (see [`crate::dp::query::MeanAccuracy`]).
pub fn plan_accuracy(p: &QueryPlan) -> String {
    if let Some(m) = &p.mean {
        let at = |n: u64| fmt::number(m.numerator / n as f64);
        return format!(
            "mean: ±({} + {} × {}) ÷ n = ±{} ÷ n for n values: ±{} at n = 1,000, ±{} at n = 100,000 \
             (from the sum ±{} and the count ±{}, each at half the error probability)",
            fmt::number(m.sum_half_width),
            fmt::number(m.bound),
            fmt::count(m.count_half_width),
            fmt::number(m.numerator),
            at(1_000),
            at(100_000),
            fmt::number(m.sum_half_width),
            fmt::count(m.count_half_width)
        );
    }
    p.components
        .iter()
        .map(|c| {
            let tail = c
                .threshold
                .map_or_else(String::new, |t| format!(" (values kept when their noisy count ≥ {})", fmt::count(t)));
            format!("{}: ±{}{tail}", c.what, fmt::count(c.half_width))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The guarantee of a planned summary in one sentence, for the page before anything is spent.
pub fn plan_guarantee(p: &crate::dp::query::DpPlan) -> String {
    let delta = if p.delta == 0.0 { "0".to_string() } else { fmt::number(p.delta) };
    let unit = if p.max_rows_per_person == 1 {
        "one row = one person".to_string()
    } else {
        format!("at most {} rows per person", fmt::count(p.max_rows_per_person))
    };
    format!(
        "The whole summary is (ε = {}, δ = {delta})-differentially private for {unit}; accuracies hold with {} % \
         probability per value.",
        fmt::number(p.epsilon),
        fmt::number(100.0 * (1.0 - p.alpha))
    )
}
