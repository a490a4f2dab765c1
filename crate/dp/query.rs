//! The public plan of a DP summary: for every query, its share of the budget, its
//! sensitivity, the noise scale and the accuracy it will have — computed from the
//! `[dp]` section alone, before any data is read (so the browser can show accuracies
//! live while the user moves sliders, and nothing is spent to see them).
//!
//! # Sensitivities (add or remove one person with at most c rows)
//! - count, histogram, quantile bins, fairness table: Δ₁ = c; Δ₂ = c (all c rows may
//!   fall in one cell);
//! - fixed-point sum of values clamped to [L, U] (in units of 10^-d): Δ₁ = Δ₂ =
//!   c · max(|L|, |U|);
//! - distinct persons per category (partition selection): a person is in at most c
//!   categories, once each: Δ₁ = c, and the keep threshold τ follows from δ.
//!
//! A `mean` spends half its share on the sum and half on the count of values. Pure ε
//! uses discrete Laplace noise b = Δ₁/ε; ρ-zCDP uses discrete Gaussian noise σ² = Δ₂²/(2ρ).

use serde::{Deserialize, Serialize};

use crate::dp::accounting::{epsilon_to_laplace_scale, rho_to_gaussian_sigma2, zcdp_to_approx_dp, PrivacyLoss};
use crate::dp::accuracy::{discrete_gaussian_scale_to_accuracy, discrete_laplace_scale_to_accuracy};
use crate::dp::threshold::{delta_to_threshold, threshold_to_delta};
use crate::dp::{DpError, Rational};
use crate::spec::{ColumnSpec, DpMeasure, DpQuery, DpSpec};

/// One noisy part of a query (a mean has two: the sum and the count).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// What is noised ("count", "sum", "count of values", "counts per key"…).
    pub what: String,
    /// How many noisy integers (`None` for categories, which depends on the data).
    pub cells: Option<usize>,
    /// L1 sensitivity in the component's integer units.
    pub l1_sensitivity: u64,
    /// L2 sensitivity in the same units.
    pub l2_sensitivity: u64,
    /// `discrete_laplace` or `discrete_gaussian`.
    pub mechanism: String,
    /// The privacy loss of this component.
    pub loss: PrivacyLoss,
    /// Laplace scale b, or Gaussian σ², exactly.
    pub scale: Rational,
    /// The scale as a decimal (display only).
    pub scale_approx: f64,
    /// Integer half-width h: |noisy − exact| ≤ h with probability ≥ 1 − α, per cell.
    pub half_width: u64,
    /// Half-width that holds for all cells at once (union bound, α / cells).
    pub simultaneous_half_width: Option<u64>,
    /// Partition selection: values are kept when their noisy count is ≥ τ.
    pub threshold: Option<u64>,
    /// Partition selection: its δ (inclusive tail P[Z ≥ τ − 1], over c categories).
    pub delta: Option<f64>,
    /// zCDP components: the ε this ρ implies at `dp.delta` (CKS20), alone.
    pub implied_epsilon: Option<f64>,
}

/// The public plan of one query.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryPlan {
    /// Position in `[[dp.queries]]`.
    pub index: usize,
    /// `count`, `histogram`, …
    pub kind: String,
    /// A human label ("histogram of region").
    pub label: String,
    /// Weight in the budget split.
    pub weight: u64,
    /// The query's share of the budget.
    pub loss: PrivacyLoss,
    /// Its noisy parts.
    pub components: Vec<Component>,
    /// A mean's accuracy, as ± on the mean (`mean` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<MeanAccuracy>,
}

/// The accuracy of a mean S̃/Ñ from a noisy sum S̃ and a noisy count Ñ. Each is taken at
/// 1 − α/2 (so both hold at once with probability ≥ 1 − α): |S̃ − S| ≤ h_S, |Ñ − N| ≤ h_N.
/// Every clamped value is in [L, U], so |S/N| ≤ B = max(|L|, |U|), and
/// |S̃/Ñ − S/N| = |(S̃ − S) + (S/N)(N − Ñ)| / Ñ ≤ (h_S + B·h_N) / Ñ.
/// The summary states the tighter interval over the corners of the box (see
/// [`crate::dp::derive::mean`]); this bound is what the plan can say before n is known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanAccuracy {
    /// h_S: the noisy sum's half-width at α/2, in the column's units.
    pub sum_half_width: f64,
    /// h_N: the noisy count's half-width at α/2.
    pub count_half_width: u64,
    /// B = max(|L|, |U|), in the column's units.
    pub bound: f64,
    /// h_S + B·h_N: the mean is within ± this ÷ Ñ (Ñ the released count of values) of the
    /// exact mean of the clamped values, with probability ≥ 1 − α.
    pub numerator: f64,
}

/// The [`MeanAccuracy`] of a mean's two components (sum, count) with public bounds in
/// units of 10^-decimals.
///
/// # Errors
/// When an accuracy cannot be computed.
pub fn mean_accuracy(
    sum: &Component,
    count: &Component,
    alpha: f64,
    bounds_units: [i64; 2],
    decimals: u32,
) -> Result<MeanAccuracy, DpError> {
    let unit = 10f64.powi(decimals as i32);
    let sum_half_width = accuracy(&sum.mechanism, &sum.scale, alpha / 2.0)? as f64 / unit;
    let count_half_width = accuracy(&count.mechanism, &count.scale, alpha / 2.0)?;
    let bound = bounds_units[0].unsigned_abs().max(bounds_units[1].unsigned_abs()) as f64 / unit;
    Ok(MeanAccuracy {
        sum_half_width,
        count_half_width,
        bound,
        numerator: sum_half_width + bound * count_half_width as f64,
    })
}

/// The public plan of a whole summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DpPlan {
    /// `pure` or `zcdp`.
    pub measure: DpMeasure,
    /// The total budget.
    pub total: PrivacyLoss,
    /// α of every accuracy.
    pub alpha: f64,
    /// The guarantee of the whole summary as (ε, δ)-DP: the ε sum and the δ sum of
    /// category discoveries (pure), or the CKS20 conversion of ρ at `dp.delta` (zCDP).
    pub epsilon: f64,
    /// See `epsilon`.
    pub delta: f64,
    /// Rows per person (c).
    pub max_rows_per_person: u64,
    /// The queries.
    pub queries: Vec<QueryPlan>,
    /// Warnings about the guarantee (ε above [`crate::dp::warning::WEAK_EPSILON`]).
    pub warnings: Vec<String>,
}

/// A label for a query, naming its columns.
pub fn label(q: &DpQuery, columns: &[ColumnSpec]) -> String {
    let name = |c: &usize| columns.get(*c).map_or("?", |c| c.name.as_str()).to_string();
    match q {
        DpQuery::Count => "number of rows".into(),
        DpQuery::Histogram { column, .. } => format!("histogram of {}", name(column)),
        DpQuery::Sum { column, mean: false, .. } => format!("sum of {}", name(column)),
        DpQuery::Sum { column, mean: true, .. } => format!("mean of {}", name(column)),
        DpQuery::Quantiles { column, .. } => format!("quantiles of {}", name(column)),
        DpQuery::Categories { column } => format!("categories of {}", name(column)),
        DpQuery::Fairness { protected, .. } => format!("fairness by {}", name(protected)),
    }
}

fn component(
    spec: &DpSpec,
    what: &'static str,
    cells: Option<usize>,
    sensitivity: u64,
    loss: PrivacyLoss,
) -> Result<Component, DpError> {
    let s = Rational::from(sensitivity);
    let (mechanism, scale) = match &loss {
        PrivacyLoss::Pure { epsilon } => (LAPLACE, epsilon_to_laplace_scale(&s, epsilon)?),
        PrivacyLoss::Zcdp { rho } => (GAUSSIAN, rho_to_gaussian_sigma2(&s.mul(&s), rho)?),
    };
    let half = accuracy(mechanism, &scale, spec.alpha)?;
    let simultaneous = match cells {
        Some(m) if m > 1 => Some(accuracy(mechanism, &scale, spec.alpha / m as f64)?),
        Some(_) => Some(half),
        None => None,
    };
    Ok(Component {
        what: what.into(),
        cells,
        l1_sensitivity: sensitivity,
        l2_sensitivity: sensitivity,
        mechanism: mechanism.into(),
        scale_approx: scale.to_f64(),
        scale,
        half_width: half,
        simultaneous_half_width: simultaneous,
        threshold: None,
        delta: None,
        implied_epsilon: match &loss {
            PrivacyLoss::Zcdp { rho } => Some(zcdp_to_approx_dp(rho, spec.delta)?),
            PrivacyLoss::Pure { .. } => None,
        },
        loss,
    })
}

/// The discrete Laplace mechanism's name in plans and summaries.
pub const LAPLACE: &str = "discrete_laplace";
/// The discrete Gaussian mechanism's name in plans and summaries.
pub const GAUSSIAN: &str = "discrete_gaussian";

/// The integer half-width at level α of `mechanism`'s noise with this scale (b or σ²).
///
/// # Errors
/// When the scale is zero or α is out of range.
pub fn accuracy(mechanism: &str, scale: &Rational, alpha: f64) -> Result<u64, DpError> {
    if mechanism == GAUSSIAN {
        discrete_gaussian_scale_to_accuracy(scale, alpha)
    } else {
        discrete_laplace_scale_to_accuracy(scale, alpha)
    }
}

fn halve(loss: &PrivacyLoss) -> Result<PrivacyLoss, DpError> {
    let half = |x: &Rational| x.div(&Rational::from(2));
    Ok(match loss {
        PrivacyLoss::Pure { epsilon } => PrivacyLoss::Pure { epsilon: half(epsilon)? },
        PrivacyLoss::Zcdp { rho } => PrivacyLoss::Zcdp { rho: half(rho)? },
    })
}

/// The plan of every query: budget shares, sensitivities, scales and accuracies.
///
/// # Errors
/// When a parameter is out of range (for example a budget so small that no finite
/// accuracy exists).
pub fn plan(spec: &DpSpec, columns: &[ColumnSpec]) -> Result<DpPlan, DpError> {
    let total = match spec.measure {
        DpMeasure::Pure => PrivacyLoss::Pure { epsilon: spec.budget.clone() },
        DpMeasure::Zcdp => PrivacyLoss::Zcdp { rho: spec.budget.clone() },
    };
    let weights: Vec<u64> = spec.queries.iter().map(|(_, w)| *w).collect();
    let shares = crate::dp::Ledger::new(total.clone()).split_remaining(&weights)?;
    let c = spec.max_rows_per_person;
    let mut delta_sum = 0.0;
    let mut queries = Vec::with_capacity(spec.queries.len());
    for (index, ((q, weight), loss)) in spec.queries.iter().zip(shares).enumerate() {
        let mut mean_of = None;
        let components = match q {
            DpQuery::Count => vec![component(spec, "count", Some(1), c, loss.clone())?],
            DpQuery::Histogram { keys, .. } => {
                vec![component(spec, "counts per key", Some(keys.len() + 2), c, loss.clone())?]
            }
            DpQuery::Quantiles { bins, .. } => {
                vec![component(spec, "counts per bin", Some(*bins as usize), c, loss.clone())?]
            }
            DpQuery::Fairness { groups, .. } => {
                vec![component(spec, "confusion table", Some(4 * (groups.len() + 2)), c, loss.clone())?]
            }
            DpQuery::Sum { lower_units, upper_units, mean, decimals, .. } => {
                let bound = lower_units.unsigned_abs().max(upper_units.unsigned_abs());
                let sens = c.checked_mul(bound).ok_or(DpError::Numerical { what: "the sum's sensitivity" })?;
                if *mean {
                    let half = halve(&loss)?;
                    let (s, n) = (
                        component(spec, "sum", Some(1), sens, half.clone())?,
                        component(spec, "count of values", Some(1), c, half)?,
                    );
                    mean_of = Some(mean_accuracy(&s, &n, spec.alpha, [*lower_units, *upper_units], *decimals)?);
                    vec![s, n]
                } else {
                    vec![component(spec, "sum", Some(1), sens, loss.clone())?]
                }
            }
            DpQuery::Categories { .. } => {
                let mut comp = component(spec, "distinct persons per value", None, c, loss.clone())?;
                let tau = delta_to_threshold(&comp.scale, spec.delta, c)?;
                let delta = threshold_to_delta(&comp.scale, tau, c)?;
                delta_sum += delta;
                comp.threshold = Some(tau);
                comp.delta = Some(delta);
                vec![comp]
            }
        };
        queries.push(QueryPlan {
            index,
            kind: q.kind().into(),
            label: label(q, columns),
            weight: *weight,
            loss,
            components,
            mean: mean_of,
        });
    }
    let (epsilon, delta) = match &total {
        PrivacyLoss::Pure { epsilon } => (epsilon.to_f64_up(), delta_sum),
        PrivacyLoss::Zcdp { rho } => (zcdp_to_approx_dp(rho, spec.delta)?, spec.delta),
    };
    let warnings = crate::dp::warning::guarantee_warnings(spec.measure, spec.budget.to_f64(), epsilon, delta);
    Ok(DpPlan {
        measure: spec.measure,
        total,
        alpha: spec.alpha,
        epsilon,
        delta,
        max_rows_per_person: c,
        queries,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::value::DateOrder;
    use crate::spec::{ColumnSpec, Role};

    fn columns() -> Vec<ColumnSpec> {
        let col =
            |name: &str, ty| ColumnSpec { name: name.into(), ty, role: Role::Feature, date_order: DateOrder::Ymd };
        use crate::ingest::value::ColumnType;
        vec![col("g", ColumnType::Categorical), col("x", ColumnType::Float)]
    }

    fn spec(toml: &str) -> DpSpec {
        let raw: crate::spec::RawDp = toml::from_str(toml).unwrap();
        crate::spec::validate_dp(&raw, &columns(), None).unwrap()
    }

    #[test]
    fn shares_scales_and_accuracies_match_opendp_reference_values() {
        // ε = 2 split 1:1:2 → 1/2, 1/2, 1; the mean halves its share. OpenDP 0.16
        // (DEFINITIONS.md §7.1): ε = 0.5, Δ = 1 → b = 2, ±6 at 95 %.
        let p = plan(
            &spec("epsilon = 2.0\n[[queries]]\nkind = \"count\"\n[[queries]]\nkind = \"histogram\"\ncolumn = \"g\"\nkeys = [\"a\"]\n[[queries]]\nkind = \"mean\"\ncolumn = \"x\"\nlower = -50\nupper = 100\nweight = 2\n"),
            &columns(),
        )
        .unwrap();
        let b =
            |q: usize, c: usize| (p.queries[q].components[c].scale.to_string(), p.queries[q].components[c].half_width);
        assert_eq!(b(0, 0), ("2".into(), 6));
        assert_eq!(b(1, 0), ("2".into(), 6));
        assert_eq!(p.queries[1].components[0].simultaneous_half_width, Some(8)); // 3 cells at α/3
                                                                                 // Δ = max(|−50|, 100) = 100, ε = 1/2: b = 200; OpenDP a = b·ln(2/((e^{1/b} + 1)α)) + 1 = 599.65 → ±599.
        assert_eq!(b(2, 0), ("200".into(), 599));
        assert_eq!(b(2, 1), ("2".into(), 6));
        assert_eq!((p.epsilon, p.delta), (2.0, 0.0));
        // ρ = 0.5, Δ = 1 → σ² = 1, ±2; CKS20 at δ = 1e-6: ε = 5.22 (OpenDP 0.16).
        let z = plan(&spec("measure = \"zcdp\"\nrho = 0.5\ndelta = 1e-6\n[[queries]]\nkind = \"count\"\n"), &columns())
            .unwrap();
        let c = &z.queries[0].components[0];
        assert_eq!((c.scale.to_string(), c.half_width), ("1".into(), 2));
        assert!((z.epsilon - 5.22).abs() < 0.005 && z.epsilon == c.implied_epsilon.unwrap(), "{}", z.epsilon);
        // Category discovery: τ is the smallest threshold whose inclusive-tail δ ≤ 1e-7.
        let k = plan(&spec("epsilon = 1.0\n[[queries]]\nkind = \"categories\"\ncolumn = \"g\"\n"), &columns()).unwrap();
        let c = &k.queries[0].components[0];
        let tau = c.threshold.unwrap();
        assert!(c.delta.unwrap() <= 1e-7 && threshold_to_delta(&c.scale, tau - 1, 1).unwrap() > 1e-7);
        assert_eq!(k.delta, c.delta.unwrap());
    }
}
