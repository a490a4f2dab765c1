//! Claims of a release's noisy parts: each part's sensitivity follows from the query's
//! public parameters, its scale from its ε (or ρ) and sensitivity, its accuracy from its
//! scale and the confidence, and the parts' losses add up to the release's.

use serde_json::Value;

use super::check::{At, Checker};
use super::Context;
use crate::dp::accounting::{epsilon_to_laplace_scale, rho_to_gaussian_sigma2, zcdp_to_approx_dp, PrivacyLoss};
use crate::dp::query::{accuracy, Component, GAUSSIAN, LAPLACE};
use crate::dp::threshold::threshold_to_delta;
use crate::dp::Rational;
use crate::spec::DpMeasure;

/// What a release's parts must be, from its kind and public parameters.
pub(super) struct Expected {
    /// (what, cells, sensitivity) per part.
    pub parts: Vec<(&'static str, Option<usize>, u64)>,
    /// Fixed-point decimals and bounds in units (sum and mean).
    pub units: Option<(u32, [i64; 2])>,
}

/// The parts a release of `kind` with these parameters has.
pub(super) fn expected(ck: &mut Checker, at: &At, kind: &str, params: &Value, c: u64) -> Option<Expected> {
    let keys = |ck: &mut Checker| ck.array(at, params, "keys").map(Vec::len);
    let one = |what, cells, sens| Some(Expected { parts: vec![(what, cells, sens)], units: None });
    match kind {
        "count" => one("count", Some(1), c),
        "histogram" => one("counts per key", Some(keys(ck)? + 2), c),
        "quantiles" => one("counts per bin", Some(usize::try_from(ck.u64(at, params, "bins")?).ok()?), c),
        "fairness" => one("confusion table", Some(4 * (keys(ck)? + 2)), c),
        "categories" => one("distinct persons per value", None, c),
        "sum" | "mean" => {
            let decimals = ck.u64(at, params, "decimals")?;
            if decimals > 9 {
                ck.fail(
                    at,
                    "schema",
                    "a fixed-point sum keeps at most 9 decimals",
                    decimals.to_string(),
                    "0 to 9".into(),
                );
                return None;
            }
            let decimals = decimals as u32;
            let bounds = ck.array(at, params, "bounds")?;
            let unit = 10f64.powi(decimals as i32);
            let units: Vec<i64> = bounds.iter().filter_map(Value::as_f64).map(|b| (b * unit).round() as i64).collect();
            let [lower, upper] = units[..] else {
                ck.fail(
                    at,
                    "schema",
                    "`bounds` should be two numbers",
                    super::check::short(&bounds.clone().into()),
                    "[lower, upper]".into(),
                );
                return None;
            };
            let sens = c.checked_mul(lower.unsigned_abs().max(upper.unsigned_abs()))?;
            let mut parts = vec![("sum", Some(1), sens)];
            if kind == "mean" {
                parts.push(("count of values", Some(1), c));
            }
            Some(Expected { parts, units: Some((decimals, [lower, upper])) })
        }
        other => {
            ck.fail(
                at,
                "schema",
                format!("`{other}` is not a kind of release"),
                other.into(),
                "count, histogram, sum, mean, quantiles, categories or fairness".into(),
            );
            None
        }
    }
}

/// Checks every part of a release; returns the parts when they could all be read.
pub(super) fn check(
    ck: &mut Checker,
    cx: &Context,
    at: &At,
    expected: &Expected,
    components: &[Value],
    release_loss: &PrivacyLoss,
) -> Option<Vec<Component>> {
    ck.equal(at, "schema", "the number of noisy parts", components.len(), expected.parts.len(), "the kind of release");
    let mut parts = Vec::new();
    let mut sum = Rational::zero();
    for (k, (v, &(what, cells, sens))) in components.iter().zip(&expected.parts).enumerate() {
        let here = at.part(format!("part {} ({what})", k + 1));
        if let Some(p) = one(ck, cx, &here, v, what, cells, sens) {
            sum = sum.add(p.loss.amount());
            parts.push(p);
        }
    }
    if parts.len() != expected.parts.len() || parts.len() != components.len() {
        return None;
    }
    ck.equal(
        at,
        "composition",
        "the release's privacy loss",
        release_loss.amount().clone(),
        sum,
        "the sum of its parts' losses",
    );
    if parts.len() == 2 {
        ck.equal(
            at,
            "composition",
            "the count's share",
            parts[1].loss.amount().clone(),
            parts[0].loss.amount().clone(),
            "half of the mean's loss (the sum's share)",
        );
    }
    Some(parts)
}

/// Checks one part; returns it as it should be (every derived field recomputed from the
/// stated loss and the expected sensitivity), so that the claims built on it are checked
/// against the right values and one wrong number is reported once.
fn one(
    ck: &mut Checker,
    cx: &Context,
    at: &At,
    v: &Value,
    what: &'static str,
    cells: Option<usize>,
    sens: u64,
) -> Option<Component> {
    // Read every field (a missing one is a schema failure) before giving up.
    let (l1, l2) = (ck.u64(at, v, "l1_sensitivity"), ck.u64(at, v, "l2_sensitivity"));
    let mechanism = ck.str(at, v, "mechanism");
    let loss = ck.loss(at, v, "loss");
    let scale = ck.rational(at, v, "scale");
    let approx = ck.f64(at, v, "scale_approx");
    let half = ck.u64(at, v, "half_width");
    let simultaneous = ck.opt_u64(at, v, "simultaneous_half_width");
    let threshold = ck.opt_u64(at, v, "threshold");
    let delta = ck.opt_f64(at, v, "delta");
    let implied = ck.opt_f64(at, v, "implied_epsilon");
    let stated_cells = ck.opt_u64(at, v, "cells");
    let stated_what = ck.str(at, v, "what");
    let (l1, l2, mechanism, loss, scale, approx, half) = (l1?, l2?, mechanism?, loss?, scale?, approx?, half?);
    let (simultaneous, threshold, delta, implied, stated_cells, stated_what) =
        (simultaneous?, threshold?, delta?, implied?, stated_cells?, stated_what?);
    ck.equal(at, "schema", "what is noised", stated_what, what, "the kind of release");
    let params = "the public parameters (rows per person; × the largest |bound| for a sum)";
    ck.equal(at, "sensitivity", "the L1 sensitivity", l1, sens, params);
    ck.equal(at, "sensitivity", "the L2 sensitivity", l2, sens, params);
    ck.equal(
        at,
        "schema",
        "the number of cells",
        opt(stated_cells),
        opt(cells.map(|c| c as u64)),
        "the public parameters",
    );
    let (want_mechanism, want_kind) = match cx.measure {
        DpMeasure::Pure => (LAPLACE, "pure"),
        DpMeasure::Zcdp => (GAUSSIAN, "zcdp"),
    };
    ck.equal(
        at,
        "mechanism",
        "the mechanism",
        mechanism,
        want_mechanism,
        &format!("the summary's measure ({want_kind})"),
    );
    ck.holds(at, "mechanism", loss.measure() == cx.measure_symbol(), || {
        (
            format!(
                "the privacy loss is in {}, the summary in {}",
                loss.measure().symbol(),
                cx.measure_symbol().symbol()
            ),
            loss.amount().to_string(),
            want_kind.into(),
        )
    });
    // The scale from the loss and the sensitivity, exactly.
    let s = Rational::from(sens);
    let (expected_scale, how) = match &loss {
        PrivacyLoss::Pure { epsilon } => {
            (epsilon_to_laplace_scale(&s, epsilon).ok(), format!("Δ₁/ε = {sens} / ({epsilon})"))
        }
        PrivacyLoss::Zcdp { rho } => {
            (rho_to_gaussian_sigma2(&s.mul(&s), rho).ok(), format!("Δ₂²/(2ρ) = {sens}² / (2 × {rho})"))
        }
    };
    let Some(scale_exp) = expected_scale else {
        ck.fail(
            at,
            "scale",
            "the privacy loss is zero, so no noise scale follows from it",
            loss.amount().to_string(),
            "a positive ε or ρ".into(),
        );
        return None;
    };
    ck.equal(at, "scale", "the noise scale", scale, scale_exp.clone(), &how);
    ck.equal(at, "scale", "the scale as a decimal", approx, scale_exp.to_f64(), "the exact scale");
    // Accuracies from the scale and the confidence (the same functions as the release).
    let at_alpha = |a: f64| accuracy(want_mechanism, &scale_exp, a).ok();
    let Some(half_exp) = at_alpha(cx.alpha) else {
        ck.fail(at, "accuracy", "no accuracy follows from this scale", half.to_string(), "a finite half-width".into());
        return None;
    };
    let conf = format!("the scale at α = {} ({} % confidence)", cx.alpha, 100.0 * (1.0 - cx.alpha));
    ck.equal(at, "accuracy", "the half-width (±)", half, half_exp, &conf);
    let sim_exp = match cells {
        Some(m) if m > 1 => at_alpha(cx.alpha / m as f64),
        Some(_) => Some(half_exp),
        None => None,
    };
    ck.equal(
        at,
        "accuracy",
        "the half-width for all cells at once",
        opt(simultaneous),
        opt(sim_exp),
        "the scale at α ÷ cells (union bound)",
    );
    // Partition selection: δ from the threshold; zCDP: the ε that ρ implies.
    let mut delta_exp = None;
    if what == "distinct persons per value" {
        match threshold {
            Some(tau) => {
                delta_exp = threshold_to_delta(&scale_exp, tau, cx.max_rows_per_person).ok();
                ck.equal(
                    at,
                    "threshold",
                    "the δ of the threshold",
                    opt(delta),
                    opt(delta_exp),
                    &format!("the threshold τ = {tau} and the scale"),
                );
            }
            None => ck.fail(
                at,
                "schema",
                "a category discovery needs its threshold τ",
                "null".into(),
                "a whole number".into(),
            ),
        }
    } else {
        ck.equal(
            at,
            "schema",
            "the threshold",
            opt(threshold),
            opt(None),
            "the kind of release (no partition selection)",
        );
    }
    let implied_exp = match &loss {
        PrivacyLoss::Zcdp { rho } => zcdp_to_approx_dp(rho, cx.delta).ok(),
        PrivacyLoss::Pure { .. } => None,
    };
    ck.equal(
        at,
        "composition",
        "the ε this ρ implies",
        opt(implied),
        opt(implied_exp),
        "the CKS20 conversion at the summary's δ",
    );
    Some(Component {
        what: what.into(),
        cells,
        l1_sensitivity: sens,
        l2_sensitivity: sens,
        mechanism: want_mechanism.into(),
        scale_approx: scale_exp.to_f64(),
        scale: scale_exp,
        half_width: half_exp,
        simultaneous_half_width: sim_exp,
        threshold,
        delta: delta_exp,
        implied_epsilon: implied_exp,
        loss,
    })
}

/// An optional number for messages: the value or "none".
pub(super) struct Opt<T>(pub Option<T>);

impl<T: std::fmt::Display> std::fmt::Display for Opt<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(x) => write!(f, "{x}"),
            None => f.write_str("none"),
        }
    }
}

impl<T: PartialEq> PartialEq for Opt<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

pub(super) fn opt<T>(x: Option<T>) -> Opt<T> {
    Opt(x)
}
