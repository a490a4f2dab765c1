//! The drift section of a report: attaching a [`DriftReport`] (gate, glossary) and its HTML.
//! Every string from the data goes through [`esc`].

use super::html::{esc, num};
use super::model::{Definition, Report};
use crate::drift::{DriftMethod, DriftReport, PsiBand};
use crate::error::thousands;
use crate::quality::checks::{self, Status};
use std::fmt::Write;

/// The glossary of the drift section.
pub fn definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("drift test choice", "Evidently's defaults (registry._get_default_stattest): with at most 1,000 valid reference values, a numeric column with more than 5 distinct values (reference and current together) gets the two-sample KS test, other columns the χ² test (more than 2 distinct values) or the z-test (at most 2); above 1,000 reference values, numeric columns with more than 5 distinct values get the normed Wasserstein distance, the others the Jensen–Shannon distance. Missing, unparseable and ±infinite cells are dropped first; dates count as numbers (days or seconds since 1970)"),
        d("KS p-value", "scipy ks_2samp(method=\"auto\", two-sided): exact lattice-path probability when both samples have at most 10,000 values (D rounded to h/lcm(n_ref, n_cur)), else kstwo.sf(D, round(n_ref·n_cur/(n_ref+n_cur))); drift if p ≤ 0.05"),
        d("χ² p-value", "goodness of fit as Evidently: observed = current counts, expected = reference counts × n_cur/n_ref over the union of categories, df = categories − 1; a category absent from the reference makes χ² infinite (null in JSON) and p = 0, as Evidently; drift if p < 0.05"),
        d("z-test p-value", "pooled two-proportion z-test of the share of the second category (in sort order), two-sided p = 2(1 − Φ(|z|)); p = 1 when both files hold the same single value; drift if p < 0.05"),
        d("normed Wasserstein", "W₁ = ∫|F_ref − F_cur| dx (scipy wasserstein_distance) divided by max(reference standard deviation with ddof = 0, 0.001); drift if ≥ 0.1"),
        d("Jensen–Shannon distance", "scipy.spatial.distance.jensenshannon with the natural log over per-value shares of both files, no smoothing: the square root of the divergence, between 0 and √ln 2 ≈ 0.833; drift if ≥ 0.1"),
        d("dataset drift", "at least 50 % of the counted columns drift (Evidently's default share). Unlike Evidently, date and datetime columns, and columns identifier-like in the reference file (the identifier_like flag's definition applied to the reference file's valid and distinct counts, whatever the current file holds), are compared but not counted, and identifier and free-text columns are not compared; every such column is listed with the reason. Gate: checks.dataset_drift (default warn; severity = \"fail\" makes audit exit 1)"),
        d("PSI", "population stability index Σ (c_i − r_i)·ln(c_i/r_i) for every compared column: numbers on 10 bins cut at the reference deciles (probabilities i/10, numpy linear; equal deciles merged; a value on an edge in the lower bin; first and last bins open), categories per value over both files; an empty bin's share is replaced by 10⁻⁴ (no renormalisation). Bands: < 0.1 stable, 0.1–0.25 moderate, ≥ 0.25 significant (rule of thumb). Evidently's own PSI bins differently (Sturges bins over both files)"),
        d("binned drift values", "numeric columns are compared on their exact values up to 100,000 distinct values per file; beyond, values become the lower ends of bins keeping 12 (then 8, 4, 0) mantissa bits, exact is false, and error_bound bounds the error of the chosen statistic: for KS D the largest bin share of each binned side added, for normed W₁ 2^−bits(1 + 2^(1−bits))·mean|x| per binned side over the norm"),
    ]
}

/// Adds the drift section to `report`: the `dataset_drift` gate, the glossary, and the
/// pass/fail verdict recomputed.
pub fn attach(report: &mut Report, drift: DriftReport) {
    let raw = &report.input.spec.checks;
    if drift.share.is_some() {
        report.checks.extend(checks::outcome(raw, "dataset_drift", None, drift.drifted, drift.counted));
    }
    report.definitions.extend(definitions());
    report.passed = report.checks.iter().all(|o| o.status != Status::Fail);
    report.drift = Some(drift);
}

fn method(m: DriftMethod) -> &'static str {
    match m {
        DriftMethod::Ks => "KS p-value",
        DriftMethod::ChiSquare => "χ² p-value",
        DriftMethod::ZTest => "z-test p-value",
        DriftMethod::WassersteinNormed => "normed Wasserstein",
        DriftMethod::JensenShannon => "Jensen–Shannon distance",
    }
}

fn band(b: Option<PsiBand>) -> &'static str {
    match b {
        Some(PsiBand::Stable) => "stable",
        Some(PsiBand::Moderate) => "moderate",
        Some(PsiBand::Significant) => "significant",
        None => "",
    }
}

/// Renders the drift section.
pub fn render_html(h: &mut String, d: &DriftReport) {
    let verdict = match d.share {
        Some(s) if d.dataset_drift => format!(
            "<span class=\"badge fail\">dataset drift</span> {} of {} counted columns drifted ({:.0} % ≥ {:.0} %)",
            d.drifted,
            d.counted,
            100.0 * s,
            100.0 * d.share_threshold
        ),
        Some(s) => format!(
            "<span class=\"badge pass\">no dataset drift</span> {} of {} counted columns drifted ({:.0} % &lt; {:.0} %)",
            d.drifted,
            d.counted,
            100.0 * s,
            100.0 * d.share_threshold
        ),
        None => "no column could be counted".into(),
    };
    let _ = write!(
        h,
        "<h2>Drift against the reference</h2><p>{verdict}. Reference {} rows, current {} rows. Tests as Evidently's defaults; PSI on reference deciles.</p>",
        thousands(d.reference_rows),
        thousands(d.current_rows)
    );
    h.push_str("<table><thead><tr><th>column</th><th>test</th><th>value</th><th>threshold</th><th>drift</th><th>PSI</th><th>n ref</th><th>n cur</th><th>why</th></tr></thead><tbody>");
    for c in &d.columns {
        let drift = if c.drifted { "<span class=\"warn\">yes</span>" } else { "no" };
        let counted = if c.in_share { "" } else { " <span class=\"muted\">(not counted)</span>" };
        let approx = if c.exact { String::new() } else { format!(" ± {}", num(c.error_bound.unwrap_or(f64::NAN))) };
        let _ = write!(
            h,
            "<tr><td>{}{counted}</td><td>{}</td><td class=\"n\">{}{}</td><td class=\"n\">{}</td><td>{drift}</td><td class=\"n\">{} {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"muted\">{}</td></tr>",
            esc(&c.column),
            method(c.method),
            num(c.value),
            esc(&approx),
            num(c.threshold),
            c.psi.map_or_else(String::new, num),
            band(c.psi_band),
            thousands(c.n_ref),
            thousands(c.n_cur),
            esc(&c.why)
        );
    }
    h.push_str("</tbody></table>");
    if !d.excluded.is_empty() {
        h.push_str("<h3>Not compared or not counted</h3><ul>");
        for e in &d.excluded {
            let _ = write!(h, "<li><code>{}</code>: {}</li>", esc(&e.column), esc(&e.reason));
        }
        h.push_str("</ul>");
    }
    for n in &d.notes {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
    }
}
