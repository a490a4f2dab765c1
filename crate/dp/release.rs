//! The release: exact tables in, the DP summary out. This is the only place noise is
//! drawn, once per cell, after the final merge of every worker's state.
//!
//! Order of events: the public plan ([`crate::dp::query::plan`]) fixes each query's
//! share, scale and accuracy; each query is charged to a fresh [`Ledger`] *before* its
//! noise is drawn (a release that does not fit is refused); then every cell of the exact
//! table gets independent noise of exactly the charged scale; then post-processing
//! ([`crate::dp::derive`]) turns noisy integers into estimates and intervals.

#[cfg(test)]
use crate::math::Portable;
use num_traits::ToPrimitive;

use crate::dp::collect::{Exact, Table};
use crate::dp::query::{plan, Component, QueryPlan};
use crate::dp::sampler::{sample_discrete_gaussian, sample_discrete_laplace};
use crate::dp::summary::*;

pub mod post;
use crate::dp::{DpError, Ledger};
use crate::error::{Error, Result};
use crate::spec::{DpQuery, DpSpec, Prediction, ValidSpec};
pub use post::{post_process, Noisy};

/// One draw of the component's noise.
fn noise(c: &Component) -> std::result::Result<i128, DpError> {
    let z = if c.mechanism == crate::dp::query::GAUSSIAN {
        sample_discrete_gaussian(&c.scale)?
    } else {
        sample_discrete_laplace(&c.scale)?
    };
    z.to_i128().ok_or(DpError::Numerical { what: "the noise" })
}

fn noisy_cells(exact: &[u64], c: &Component) -> std::result::Result<Vec<i128>, DpError> {
    exact.iter().map(|&x| Ok(i128::from(x) + noise(c)?)).collect()
}

/// What the caller knows about the input besides its bytes.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReleaseMeta {
    /// SHA-256 of the input (used only with `dp.include_sha256`).
    pub sha256: Option<String>,
    /// Release time (ISO 8601).
    pub created_at: Option<String>,
}

/// Releases the summary of `spec`'s `[dp]` section from the exact tables.
///
/// # Errors
/// When the spec has no `[dp]` section, a parameter is out of range, the budget does not
/// cover a query, or the CSPRNG fails. Nothing is released on error.
pub fn release(spec: &ValidSpec, exact: Exact<Vec<Table>>, meta: &ReleaseMeta) -> Result<DpSummary> {
    let dp = spec.dp.as_ref().ok_or_else(|| Error::spec("dp", "the spec has no [dp] section"))?;
    let tables = exact.into_inner();
    let public = plan(dp, &spec.columns)?;
    let mut ledger = Ledger::new(public.total.clone());
    let mut releases = Vec::with_capacity(dp.queries.len());
    for (((q, _), qp), table) in dp.queries.iter().zip(&public.queries).zip(&tables) {
        ledger.spend(qp.label.clone(), qp.loss.clone())?;
        let result = release_one(spec, dp, q, qp, table)?;
        releases.push(Release {
            index: qp.index,
            kind: qp.kind.clone(),
            label: qp.label.clone(),
            parameters: parameters(spec, q),
            loss: qp.loss.clone(),
            components: qp.components.clone(),
            result,
        });
    }
    let name = |c: usize| spec.columns[c].name.clone();
    let mut columns_used: Vec<String> = Vec::new();
    let mut use_col = |c: usize| {
        if !columns_used.contains(&name(c)) {
            columns_used.push(name(c));
        }
    };
    dp.person_column.into_iter().for_each(&mut use_col);
    for (q, _) in &dp.queries {
        match q {
            DpQuery::Count => {}
            DpQuery::Histogram { column, .. }
            | DpQuery::Sum { column, .. }
            | DpQuery::Quantiles { column, .. }
            | DpQuery::Categories { column } => use_col(*column),
            DpQuery::Fairness { protected, label, prediction, .. } => {
                use_col(*protected);
                use_col(*label);
                match prediction {
                    Prediction::Column { column, .. } | Prediction::Score { column, .. } => use_col(*column),
                }
            }
        }
    }
    let c = dp.max_rows_per_person;
    let unit = match dp.person_column {
        None => "one row is one person: the guarantee covers adding or removing any one row".to_string(),
        Some(p) => format!(
            "one person is all rows with the same `{}`, at most {c} of them kept (chosen at random): \
             the guarantee covers adding or removing any one person",
            name(p)
        ),
    };
    let mut id = [0u8; 16];
    crate::dp::rng::fill_bytes(&mut id)?;
    Ok(DpSummary {
        schema: DP_SCHEMA.into(),
        tool: format!("privaudit {}", crate::version::VERSION),
        created_at: meta.created_at.clone(),
        release_id: Some(id.iter().map(|b| format!("{b:02x}")).collect()),
        dataset: DatasetBlock {
            description: dp.dataset.clone(),
            sha256: if dp.include_sha256 { meta.sha256.clone() } else { None },
            columns_used,
        },
        privacy: PrivacyBlock {
            measure: dp.measure,
            unit,
            person_column: dp.person_column.map(name),
            max_rows_per_person: c,
            total: public.total.clone(),
            epsilon: public.epsilon,
            delta: public.delta,
            alpha: dp.alpha,
            min_noisy_count: dp.min_noisy_count,
            ledger: ledger.entries().to_vec(),
        },
        warnings: public.warnings.clone(),
        reveals: reveals(dp, &public.queries),
        does_not_reveal: does_not_reveal(dp),
        notes: notes(dp),
        releases,
    })
}

fn parameters(spec: &ValidSpec, q: &DpQuery) -> Parameters {
    let name = |c: &usize| Some(spec.columns[*c].name.clone());
    match q {
        DpQuery::Count => Parameters::default(),
        DpQuery::Histogram { column, keys } => {
            Parameters { column: name(column), keys: Some(keys.clone()), ..Default::default() }
        }
        DpQuery::Sum { column, lower_units, upper_units, decimals, .. } => {
            let unit = 10f64.powi(*decimals as i32);
            Parameters {
                column: name(column),
                bounds: Some([*lower_units as f64 / unit, *upper_units as f64 / unit]),
                decimals: Some(*decimals),
                ..Default::default()
            }
        }
        DpQuery::Quantiles { column, lower, upper, bins, probabilities } => Parameters {
            column: name(column),
            bounds: Some([*lower, *upper]),
            bins: Some(*bins),
            probabilities: Some(probabilities.clone()),
            ..Default::default()
        },
        DpQuery::Categories { column } => Parameters { column: name(column), ..Default::default() },
        DpQuery::Fairness { protected, groups, label, positive_label, prediction, .. } => {
            let prediction = match prediction {
                Prediction::Column { column, positive } => {
                    format!("{} = {positive}", spec.columns[*column].name)
                }
                Prediction::Score { column, threshold, strict } => {
                    format!("{} {} {threshold}", spec.columns[*column].name, if *strict { ">" } else { ">=" })
                }
            };
            Parameters {
                column: name(protected),
                keys: Some(groups.clone()),
                label: Some(format!("{} = {positive_label}", spec.columns[*label].name)),
                prediction: Some(prediction),
                ..Default::default()
            }
        }
    }
}

fn release_one(spec: &ValidSpec, dp: &DpSpec, q: &DpQuery, qp: &QueryPlan, table: &Table) -> Result<ReleaseResult> {
    let comp = &qp.components[0];
    let mismatch = || Error::state("the exact tables do not match the [dp] queries");
    let noisy = match (q, table) {
        (DpQuery::Count, Table::Count(n)) => Noisy::Count(i128::from(*n) + noise(comp)?),
        (DpQuery::Histogram { .. } | DpQuery::Quantiles { .. } | DpQuery::Fairness { .. }, Table::Cells(cells)) => {
            Noisy::Cells(noisy_cells(cells, comp)?)
        }
        (DpQuery::Sum { mean, .. }, Table::Sum { units, count }) => {
            let units = units + noise(comp)?;
            let count = if *mean {
                let cc = qp.components.get(1).ok_or_else(mismatch)?;
                Some(i128::from(*count) + noise(cc)?)
            } else {
                None
            };
            Noisy::Sum { units, count }
        }
        // Cells are keyed by their text; a boolean column's `true`/`false` are released
        // with the file's own spelling (`yes`/`no`), like its groups in the bias audit.
        (DpQuery::Categories { column }, Table::Categories(map)) => Noisy::Categories(
            map.iter()
                .map(|(value, n)| Ok((spec.level_name(*column, value).to_string(), i128::from(*n) + noise(comp)?)))
                .collect::<Result<_>>()?,
        ),
        _ => return Err(mismatch()),
    };
    post::post_process(dp.alpha, dp.min_noisy_count, q, qp, noisy)
}

fn reveals(dp: &DpSpec, plans: &[QueryPlan]) -> Vec<String> {
    let pct = (1.0 - dp.alpha) * 100.0;
    let mut v: Vec<String> = plans
        .iter()
        .map(|p| {
            let parts: Vec<String> = p.components.iter().map(|c| format!("{} ±{}", c.what, c.half_width)).collect();
            format!(
                "{}: noisy values, each within the stated ± of the exact value with {pct:.0} % probability ({})",
                p.label,
                parts.join(", ")
            )
        })
        .collect();
    v.push(
        "The public parameters: the columns named, the declared keys, groups, bounds and bins, and the budget.".into(),
    );
    if dp.queries.iter().any(|(q, _)| matches!(q, DpQuery::Categories { .. })) {
        v.push(
            "Values of a `categories` column that enough people share to pass the noisy threshold (partition \
             selection); a value held by one person appears with probability at most δ."
                .into(),
        );
    }
    v
}

fn does_not_reveal(dp: &DpSpec) -> Vec<String> {
    let mut v = vec![
        "Any single record, or whether any one person is in the data (up to the stated ε and δ).".to_string(),
        "The exact number of rows, or any exact count, sum, minimum, maximum or quantile.".into(),
        "Values of a histogram column that were not declared: they are pooled in `(other)`.".into(),
        "The number of rows dropped by contribution bounding or with missing values.".into(),
    ];
    if !dp.include_sha256 {
        v.push("The file's SHA-256 (the hash of a small file can be brute-forced; it is opt-in).".into());
    }
    v
}

fn notes(dp: &DpSpec) -> Vec<String> {
    vec![
        format!(
            "Intervals hold with probability ≥ {:.0} % each; a derived statement that uses several noisy cells \
             splits α equally between them (union bound).",
            (1.0 - dp.alpha) * 100.0
        ),
        "Intervals cover the DP noise only: they bound the exact value in this file, not a population value, and \
         they do not include the bias of clamping values to the public bounds."
            .into(),
        "Noise is drawn once per cell, after all parts of the file were merged; each cell gets integer noise from \
         exact samplers (Canonne, Kamath & Steinke 2020) and the operating system's CSPRNG."
            .into(),
        "Counts are clamped at 0, rates and ratios are computed from noisy counts, and suppression compares noisy \
         counts with the minimum: all post-processing, which costs no privacy."
            .into(),
    ]
}

#[cfg(test)]
pub(crate) mod tests;
