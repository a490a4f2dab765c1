//! The drift section of a report: attaching a [`DriftReport`] (gate, glossary, where the
//! test and PSI disagree, which decides and why). Its HTML is [`super::html_drift`].

use super::fmt;
use super::model::{Definition, Report};
use crate::drift::{ColumnDrift, DriftMethod, DriftReport, PsiBand};
use crate::quality::checks::{self, Status};

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
        d("dataset drift", "at least 50 % of the counted columns drift (Evidently's default share; the threshold of checks.dataset_drift, which the section and the gate both use). The share counts only counted columns: the section also gives the share of all compared columns, which includes the columns not counted. Unlike Evidently, date and datetime columns, and columns identifier-like in the reference file (the identifier_like flag's definition applied to the reference file's valid and distinct counts, whatever the current file holds), are compared but not counted, and identifier and free-text columns are not compared; every such column is listed with the reason. Gate: checks.dataset_drift (default warn; severity = \"fail\" makes audit exit 1)"),
        d("PSI", "population stability index Σ (c_i − r_i)·ln(c_i/r_i) for every compared column: numbers on 10 bins cut at the reference deciles (probabilities i/10, numpy linear; equal deciles merged; a value on an edge in the lower bin; first and last bins open), categories per value over both files; an empty bin's share is replaced by 10⁻⁴ (no renormalisation). Bands: < 0.1 stable, 0.1–0.25 moderate, ≥ 0.25 significant (rule of thumb). Evidently's own PSI bins differently (Sturges bins over both files)"),
        d("drift ranking", "compared columns are listed most severe first: drifted columns first, then by the deciding statistic relative to its threshold (distance ÷ threshold for normed Wasserstein and Jensen–Shannon, threshold ÷ p-value for the KS, χ² and z tests; 1 at the threshold), then PSI, then name"),
        d("drift distributions", "per compared column, the reference and current shares in the same bins: numbers, dates and date-times on the profile's histogram bins over the range of both files (integer edges when all values are whole numbers), categories as the 9 most frequent values of both files together and the rest pooled; not shown for columns identifier-like in the reference or whose header names personal data"),
        d("test and PSI disagree", "the column's test (Evidently's default for its kind and reference size) decides drift; PSI is a second opinion on a different scale. Where one says drift and the other stable, the report says so and why: p-values measure evidence, not size (large samples make small shifts significant, small ones hide large PSI); normed Wasserstein measures how far values moved in reference standard deviations, PSI how shares moved between reference-decile bins; PSI weighs relative changes in rare bins heavily"),
        d("binned drift values", "numeric columns are compared on their exact values up to 100,000 distinct values per file; beyond, values become the lower ends of bins keeping 12 (then 8, 4, 0) mantissa bits, exact is false, and error_bound bounds the error of the chosen statistic: for KS D the largest bin share of each binned side added, for normed W₁ 2^−bits(1 + 2^(1−bits))·mean|x| per binned side over the norm"),
    ]
}

/// Adds the drift section to `report`: the `dataset_drift` gate, the glossary, the
/// explanations where the test and PSI disagree, and the pass/fail verdict recomputed.
///
/// The section's dataset verdict uses the gate's threshold (`checks.dataset_drift`,
/// default 0.5, violated at or above it), so the section and the gate always agree.
pub fn attach(report: &mut Report, mut drift: DriftReport) {
    let raw = &report.input.spec.checks;
    if let Some(t) = checks::threshold(raw, "dataset_drift", None) {
        drift.share_threshold = t;
    }
    drift.dataset_drift = drift.share.is_some_and(|s| s >= drift.share_threshold);
    for c in &mut drift.columns {
        c.disagreement = disagreement(c);
    }
    if drift.share.is_some() {
        report.checks.extend(checks::outcome(raw, "dataset_drift", None, drift.drifted, drift.counted));
    }
    report.definitions.extend(definitions());
    report.passed = report.checks.iter().all(|o| o.status != Status::Fail);
    report.drift = Some(drift);
}

/// The name of a column's test.
pub fn method(m: DriftMethod) -> &'static str {
    match m {
        DriftMethod::Ks => "KS p-value",
        DriftMethod::ChiSquare => "χ² p-value",
        DriftMethod::ZTest => "z-test p-value",
        DriftMethod::WassersteinNormed => "normed Wasserstein",
        DriftMethod::JensenShannon => "Jensen–Shannon distance",
    }
}

/// The PSI band in words.
pub fn band(b: Option<PsiBand>) -> &'static str {
    match b {
        Some(PsiBand::Stable) => "stable",
        Some(PsiBand::Moderate) => "moderate",
        Some(PsiBand::Significant) => "significant",
        None => "",
    }
}

/// The deciding statistic as people read it: p-values as p-values, distances as numbers.
pub fn statistic(c: &ColumnDrift) -> String {
    match c.method {
        DriftMethod::Ks | DriftMethod::ChiSquare | DriftMethod::ZTest => fmt::p_value(c.value),
        DriftMethod::WassersteinNormed | DriftMethod::JensenShannon => fmt::number(c.value),
    }
}

/// When the column's test and its PSI band disagree (one says drift, the other stable):
/// which decides, and why they can differ. `None` when they agree or PSI is absent.
pub fn disagreement(c: &ColumnDrift) -> Option<String> {
    let (psi, b) = (c.psi?, c.psi_band?);
    if (b != PsiBand::Stable) == c.drifted {
        return None;
    }
    let (v, t, p) = (statistic(c), fmt::number(c.threshold), fmt::number(psi));
    let band = band(Some(b));
    let decides = format!(
        "The {} decides (the test Evidently uses for this column: {}); PSI is shown for comparison and does not decide.",
        method(c.method),
        c.why
    );
    let why = match (c.drifted, c.method) {
        (true, DriftMethod::Ks | DriftMethod::ChiSquare | DriftMethod::ZTest) => format!(
            "The test finds a difference unlikely to be chance (p = {v}, threshold {t}), but a p-value measures evidence, not size: PSI {p} ({band}) says the shares moved little."
        ),
        (true, DriftMethod::WassersteinNormed) => format!(
            "Values moved by {v} reference standard deviations on average (drift from {t}), while PSI {p} ({band}) only compares shares in the reference's decile bins: a shift smaller than those bins moves few values across their edges."
        ),
        (true, DriftMethod::JensenShannon) => format!(
            "The per-value shares differ by a Jensen–Shannon distance of {v} (drift from {t}), while PSI {p} ({band}) weighs each share change by its log-ratio, so changes among frequent values weigh little."
        ),
        (false, DriftMethod::Ks | DriftMethod::ChiSquare | DriftMethod::ZTest) => format!(
            "With {} reference and {} current values the difference could be chance (p = {v}, threshold {t}); PSI {p} ({band}) makes no allowance for sampling error and is large by chance in small samples.",
            fmt::count(c.n_ref),
            fmt::count(c.n_cur)
        ),
        (false, DriftMethod::WassersteinNormed) => format!(
            "Values moved by only {v} reference standard deviations on average (drift from {t}), while PSI {p} ({band}) grows with relative changes in thin bins: a few values moving into or out of a thin bin raise it."
        ),
        (false, DriftMethod::JensenShannon) => format!(
            "The per-value shares differ by a Jensen–Shannon distance of only {v} (drift from {t}), while PSI {p} ({band}) grows with relative changes of rare values (an empty bin counts as 10⁻⁴)."
        ),
    };
    Some(format!("{decides} {why}"))
}

#[cfg(test)]
#[path = "drift_tests.rs"]
mod tests;
