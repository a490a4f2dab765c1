//! The validator's side: checks a received `privaudit.dp-summary/1` for internal
//! consistency, with nothing but the summary itself.
//!
//! # What is checked (each a *claim*)
//! - **schema**: every field of the schema is there, with the right type;
//! - **sensitivity**: each noisy part's Δ follows from the public parameters (rows per
//!   person c; c × the largest |bound| in fixed-point units for a sum);
//! - **mechanism**: discrete Laplace for pure ε-DP, discrete Gaussian for ρ-zCDP;
//! - **scale**: b = Δ₁/ε or σ² = Δ₂²/(2ρ), exactly (rationals);
//! - **accuracy**: each ± is the half-width of that scale at the stated confidence, by the
//!   same functions the release used ([`crate::dp::query::accuracy`]); a mean's ± and
//!   derivation, every interval of a count, sum, rate, quantile or ratio;
//! - **composition**: the parts' losses add up to the release's, the releases' to the total,
//!   the ledger charges them, and the stated (ε, δ) follows from the total (CKS20 for ρ;
//!   δ = the partition selections' δ for pure ε);
//! - **interval containment**: every estimate lies in its interval;
//! - **integrality**: integer mechanisms gave integers (noisy counts, fixed-point sums);
//! - **threshold**: a category discovery's δ follows from its threshold τ, and every kept
//!   value's noisy count is at least τ;
//! - **derived values** (rates, ratios, differences, quantiles, four-fifths verdicts) and
//!   **warning** (a guarantee above ε = 10 carries the weak-guarantee warning).
//!
//! Everything is recomputed from the stated noisy integers and public parameters by the
//! release's own code (post-processing is [`crate::dp::release::post_process`]), so the
//! comparison is exact, with **no tolerance**: the functions are deterministic and give the
//! same bits natively and in wasm (`crate::math::Portable`). A summary made by another
//! privaudit version may differ where an algorithm changed; the verdict says which version
//! made it. What cannot be checked without the data — that the noise was really drawn, and
//! drawn once — is said in [`Verdict::notes`].

use serde::Serialize;
use serde_json::Value;
use std::fmt;

mod check;
mod components;
mod results;
#[cfg(test)]
mod test;

use crate::dp::accounting::{zcdp_to_approx_dp, Ledger, PrivacyLoss};
use crate::dp::{Measure, Rational};
use crate::spec::DpMeasure;
use check::{At, Checker};

/// One claim of the summary that does not follow from the rest of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    /// The release, as "release 2 (histogram of city)", or `None` for the whole summary.
    pub release: Option<String>,
    /// The part of it ("part 1 (counts per key)", "cells › `Leeds`").
    pub part: Option<String>,
    /// The kind of claim: `schema`, `scale`, `accuracy`, `composition`, …
    pub claim: String,
    /// What is wrong, with the expected value and how it follows.
    pub message: String,
    /// The stated value.
    pub stated: String,
    /// The value that follows from the rest of the summary.
    pub expected: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = match (&self.release, &self.part) {
            (Some(r), Some(p)) => format!("{r}, {p}"),
            (Some(r), None) => r.clone(),
            (None, Some(p)) => p.clone(),
            (None, None) => "the summary".into(),
        };
        write!(f, "{place}: {} claim fails: {}", self.claim, self.message)
    }
}

/// The verifier's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// No claim failed.
    pub consistent: bool,
    /// How many claims were checked.
    pub claims_checked: usize,
    /// The releases in the summary.
    pub releases: usize,
    /// The claims that failed.
    pub failures: Vec<Failure>,
    /// What could not be re-derived, and why.
    pub skipped: Vec<String>,
    /// What a consistent summary does and does not prove.
    pub notes: Vec<String>,
}

/// The text is not a DP summary at all (not JSON, or another schema).
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable(pub String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

/// The public parameters every release's claims depend on.
pub(super) struct Context {
    measure: DpMeasure,
    alpha: f64,
    delta: f64,
    max_rows_per_person: u64,
    min_noisy_count: u64,
}

impl Context {
    fn measure_symbol(&self) -> Measure {
        match self.measure {
            DpMeasure::Pure => Measure::Epsilon,
            DpMeasure::Zcdp => Measure::Rho,
        }
    }
}

/// Checks a DP summary (its JSON text) for internal consistency.
///
/// # Errors
/// [`Unreadable`] when the text is not JSON or not a `privaudit.dp-summary/1`.
pub fn verify(text: &str) -> Result<Verdict, Unreadable> {
    let v = check::parse(text)?;
    let mut ck = Checker::default();
    let top = At::summary();
    let tool = ck.str(&top, &v, "tool").map(String::from);
    ck.field(&top, &v, "created_at");
    for key in ["reveals", "does_not_reveal", "notes"] {
        ck.array(&top, &v, key);
    }
    dataset(&mut ck, &v);
    let releases = ck.array(&top, &v, "releases").cloned().unwrap_or_default();
    if let Some(privacy) = ck.object(&top, &v, "privacy") {
        summary_claims(&mut ck, &v, privacy, &releases);
    }
    let mut notes = vec![
        "A consistent summary is internally coherent: its scales, accuracies, intervals and budget follow from its \
         stated ε (or ρ), δ, sensitivities and noisy values. It cannot prove that the noise was really drawn, or \
         drawn only once, or that the stated public parameters are the ones used: that rests on the tool."
            .to_string(),
    ];
    let ours = format!("privaudit {}", crate::version::VERSION);
    if let Some(t) = tool.filter(|t| *t != ours) {
        notes.push(format!(
            "The summary was made by {t}; this is {ours}. If an accuracy differs, an algorithm may have changed between \
             the versions: verify with {t}."
        ));
    }
    Ok(Verdict {
        consistent: ck.failures.is_empty(),
        claims_checked: ck.checked,
        releases: releases.len(),
        failures: ck.failures,
        skipped: ck.skipped,
        notes,
    })
}

fn dataset(ck: &mut Checker, v: &Value) {
    let at = At::summary().part("dataset");
    let Some(d) = ck.object(&At::summary(), v, "dataset") else { return };
    ck.field(&at, d, "description");
    ck.array(&at, d, "columns_used");
    if let Some(sha) = ck.field(&at, d, "sha256") {
        let ok =
            sha.is_null() || sha.as_str().is_some_and(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()));
        ck.holds(&at, "schema", ok, || {
            ("the SHA-256 should be null or 64 hexadecimal digits".into(), check::short(sha), "64 hex digits".into())
        });
    }
}

/// The privacy block, every release, and the composition of the budget.
fn summary_claims(ck: &mut Checker, v: &Value, privacy: &Value, releases: &[Value]) {
    let at = At::summary().part("privacy");
    let measure = ck.str(&at, privacy, "measure");
    let measure = match measure {
        Some("pure") => Some(DpMeasure::Pure),
        Some("zcdp") => Some(DpMeasure::Zcdp),
        Some(other) => {
            ck.fail(
                &at,
                "schema",
                format!("the measure `{other}` is neither pure nor zcdp"),
                other.into(),
                "pure or zcdp".into(),
            );
            None
        }
        None => None,
    };
    ck.str(&at, privacy, "unit");
    ck.field(&at, privacy, "person_column");
    let c = ck.u64(&at, privacy, "max_rows_per_person");
    let total = ck.loss(&at, privacy, "total");
    let epsilon = ck.f64(&at, privacy, "epsilon");
    let delta = ck.f64(&at, privacy, "delta");
    let alpha = ck.f64(&at, privacy, "alpha");
    let min = ck.u64(&at, privacy, "min_noisy_count");
    let ledger = ck.array(&at, privacy, "ledger");
    let warnings = ck.array(&At::summary(), v, "warnings");
    let (Some(measure), Some(c), Some(total), Some(epsilon), Some(delta), Some(alpha), Some(min)) =
        (measure, c, total, epsilon, delta, alpha, min)
    else {
        ck.skipped.push("the releases: the privacy block could not be read".into());
        return;
    };
    ck.holds(&at, "schema", alpha > 0.0 && alpha <= 0.5 && c >= 1, || {
        (
            format!("α = {alpha} must be in (0, 0.5] and rows per person = {c} at least 1"),
            alpha.to_string(),
            "α in (0, 0.5]".into(),
        )
    });
    if !(alpha > 0.0 && alpha < 1.0) || c == 0 {
        return;
    }
    let cx = Context { measure, alpha, delta, max_rows_per_person: c, min_noisy_count: min };
    let mut losses = Vec::new();
    let mut delta_sum = 0.0;
    for (i, r) in releases.iter().enumerate() {
        if let Some((loss, d)) = release(ck, &cx, i, r) {
            losses.push(loss);
            delta_sum += d.unwrap_or(0.0);
        }
    }
    // Composition: the releases add up to the total, the ledger charges each one.
    let spent = losses.iter().fold(Rational::zero(), |acc, l| acc.add(l.amount()));
    if losses.len() == releases.len() {
        ck.equal(
            &at,
            "composition",
            "the total budget",
            total.amount().clone(),
            spent,
            "the sum of the releases' losses",
        );
    }
    ck.holds(&at, "composition", total.measure() == cx.measure_symbol(), || {
        (
            "the total is not in the summary's measure".into(),
            total.amount().to_string(),
            cx.measure_symbol().symbol().into(),
        )
    });
    if let Some(ledger) = ledger {
        ledger_claims(ck, &at, &total, ledger, releases, &losses);
    }
    // The stated (ε, δ): from the total, and δ from the partition selections.
    let (eps_exp, delta_exp) = match (&total, measure) {
        (PrivacyLoss::Pure { epsilon }, DpMeasure::Pure) => (Some(epsilon.to_f64_up()), Some(delta_sum)),
        (PrivacyLoss::Zcdp { rho }, DpMeasure::Zcdp) => (zcdp_to_approx_dp(rho, delta).ok(), None),
        _ => (None, None),
    };
    if let Some(e) = eps_exp {
        let how = match measure {
            DpMeasure::Pure => "its total ε (rounded up)",
            DpMeasure::Zcdp => "its total ρ at its δ (CKS20)",
        };
        ck.equal(&at, "composition", "the summary's ε", epsilon, e, how);
    }
    match delta_exp {
        Some(d) => ck.equal(&at, "composition", "the summary's δ", delta, d, "the sum of the category discoveries' δ"),
        None => ck.holds(&at, "schema", delta > 0.0 && delta < 1e-3, || {
            (format!("δ = {delta} must be in (0, 0.001)"), delta.to_string(), "(0, 0.001)".into())
        }),
    }
    if let (Some(w), Some(e)) = (warnings, eps_exp) {
        let want = crate::dp::warning::guarantee_warnings(measure, total.amount().to_f64(), e, delta);
        let stated: Vec<String> = w.iter().filter_map(|x| x.as_str().map(String::from)).collect();
        ck.holds(&At::summary(), "warning", stated == want, || {
            (
                format!("the warnings are {stated:?}, but a guarantee of ε = {e} calls for {want:?}"),
                format!("{stated:?}"),
                format!("{want:?}"),
            )
        });
    }
}

fn ledger_claims(
    ck: &mut Checker,
    at: &At,
    total: &PrivacyLoss,
    ledger: &[Value],
    releases: &[Value],
    losses: &[PrivacyLoss],
) {
    let at = at.part("ledger");
    ck.equal(
        &at,
        "composition",
        "the number of ledger entries",
        ledger.len(),
        releases.len(),
        "the number of releases",
    );
    let book = Ledger::new(total.clone());
    for (k, ((e, r), loss)) in ledger.iter().zip(releases).zip(losses).enumerate() {
        let here = at.part(format!("entry {}", k + 1));
        let (label, l, charged) =
            (ck.str(&here, e, "label"), ck.loss(&here, e, "loss"), ck.rational(&here, e, "charged"));
        if let (Some(label), Some(want)) = (label, r.get("label").and_then(Value::as_str)) {
            ck.equal(&here, "composition", "the label", label, want, "the release in the same position");
        }
        if let Some(l) = l {
            ck.equal(&here, "composition", "the loss", l.amount().clone(), loss.amount().clone(), "the release's loss");
        }
        if let (Some(charged), Ok(want)) = (charged, book.charge_of(loss)) {
            ck.equal(&here, "composition", "the charge", charged, want, "the release's loss in the budget's measure");
        }
    }
}

/// One release: its fields, its parts and its values. Returns its loss and, for a
/// category discovery, its δ.
fn release(ck: &mut Checker, cx: &Context, i: usize, r: &Value) -> Option<(PrivacyLoss, Option<f64>)> {
    let label = r.get("label").and_then(Value::as_str).unwrap_or("?").to_string();
    let at = At::release(i + 1, &label);
    ck.str(&at, r, "label");
    if let Some(index) = ck.u64(&at, r, "index") {
        ck.equal(&at, "schema", "its index", index, i as u64, "its position in the list (counting from 0)");
    }
    let kind = ck.str(&at, r, "kind");
    let params = ck.object(&at, r, "parameters");
    let loss = ck.loss(&at, r, "loss");
    let comps = ck.array(&at, r, "components");
    let result = ck.object(&at, r, "result");
    let (kind, params, loss, comps) = (kind?, params?, loss?, comps?);
    let expected = components::expected(ck, &at, kind, params, cx.max_rows_per_person);
    let parts = expected.as_ref().and_then(|e| components::check(ck, cx, &at, e, comps, &loss).map(|p| (e, p)));
    let delta = parts.as_ref().and_then(|(_, p)| p.first().and_then(|c| c.delta));
    if let (Some(result), Some(threshold)) =
        (result, parts.as_ref().and_then(|(_, p)| p.first().and_then(|c| c.threshold)))
    {
        kept_pass_threshold(ck, &at, result, threshold);
    }
    if let Some(result) = result {
        results::check(ck, cx, &at, (kind, &label), params, parts, result);
    }
    Some((loss, delta))
}

fn kept_pass_threshold(ck: &mut Checker, at: &At, result: &Value, tau: u64) {
    if let Some(t) = result.get("threshold").and_then(Value::as_u64) {
        ck.equal(at, "threshold", "the result's threshold", t, tau, "its noisy part's threshold τ");
    }
    for c in result.get("kept").and_then(Value::as_array).into_iter().flatten() {
        if let Some(noisy) = c.get("noisy").and_then(Value::as_i64) {
            let key = c.get("key").and_then(Value::as_str).unwrap_or("?");
            ck.holds(at, "threshold", noisy >= tau as i64, || {
                (
                    format!("the kept value `{key}` has the noisy count {noisy}, below the threshold τ = {tau}"),
                    noisy.to_string(),
                    format!("≥ {tau}"),
                )
            });
        }
    }
}
