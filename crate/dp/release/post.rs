//! Post-processing of one query's noisy integers into its released values: counts
//! clamped at 0 with intervals, sums, the mean with its ±, quantiles, partition selection
//! and the fairness tables. A function of noisy values and public parameters only, so the
//! release and the verifier ([`crate::dp::verify`]) call the same code: the verifier
//! re-derives every stated number from the stated noisy integers.

use crate::dp::derive;
use crate::dp::query::QueryPlan;
use crate::dp::summary::{NoisyCount, ReleaseResult};
use crate::error::{Error, Result};
use crate::spec::DpQuery;

/// The noisy integers of one query, before post-processing.
#[derive(Clone, Debug, PartialEq)]
pub enum Noisy {
    /// A noisy count.
    Count(i128),
    /// One noisy integer per cell (histogram keys, quantile bins, the fairness table).
    Cells(Vec<i128>),
    /// A noisy fixed-point sum and, for a mean, the noisy count of values.
    Sum {
        /// The sum in units of 10^-decimals.
        units: i128,
        /// The count of values (`mean` only).
        count: Option<i128>,
    },
    /// Noisy distinct-person counts per value (partition selection keeps those ≥ τ).
    Categories(Vec<(String, i128)>),
}

/// The released values of query `q` (planned as `qp`) from its noisy integers, with
/// intervals at level `alpha` and noisy counts below `min` suppressed (0 = off).
///
/// # Errors
/// When the noisy values do not fit the query, or an accuracy cannot be computed.
pub fn post_process(alpha: f64, min: u64, q: &DpQuery, qp: &QueryPlan, noisy: Noisy) -> Result<ReleaseResult> {
    let mismatch = || Error::state("the noisy tables do not match the [dp] queries");
    let comp = qp.components.first().ok_or_else(mismatch)?;
    let h = u128::from(comp.half_width);
    Ok(match (q, noisy) {
        (DpQuery::Count, Noisy::Count(noisy)) => ReleaseResult::Count { count: derive::count(None, noisy, h, min) },
        (DpQuery::Histogram { keys, .. }, Noisy::Cells(noisy)) => {
            if noisy.len() != keys.len() + 2 {
                return Err(mismatch());
            }
            let names = keys.iter().cloned().chain(["(other)".to_string(), "(missing)".to_string()]);
            ReleaseResult::Histogram {
                cells: names.zip(noisy).map(|(k, v)| derive::count(Some(k), v, h, min)).collect(),
            }
        }
        (DpQuery::Sum { lower_units, upper_units, decimals, mean, .. }, Noisy::Sum { units: noisy_sum, count }) => {
            let unit = 10f64.powi(*decimals as i32);
            if !mean {
                ReleaseResult::Sum { sum: derive::sum(noisy_sum, h, unit) }
            } else {
                let cc = qp.components.get(1).ok_or_else(mismatch)?;
                let noisy_count = count.ok_or_else(mismatch)?;
                // The mean's interval uses both components at α/2 each.
                let hs = derive::half_width(comp, alpha / 2.0)?;
                let hc = derive::half_width(cc, alpha / 2.0)?;
                let bounds = [*lower_units as f64 / unit, *upper_units as f64 / unit];
                let mean = derive::mean(noisy_sum, hs, noisy_count, hc, unit, bounds);
                // A mean whose count may be 0 says only the public bounds: no ±.
                let bounded = noisy_count - hc as i128 >= 1;
                ReleaseResult::Mean {
                    sum: derive::sum(noisy_sum, h, unit),
                    count: derive::count(None, noisy_count, u128::from(cc.half_width), min),
                    plus_minus: if bounded { derive::plus_minus(&mean) } else { None },
                    mean,
                    accuracy: qp.mean.clone().ok_or_else(mismatch)?,
                }
            }
        }
        (DpQuery::Quantiles { lower, upper, bins, probabilities, .. }, Noisy::Cells(noisy)) => {
            if noisy.len() != *bins as usize {
                return Err(mismatch());
            }
            let hsim = u128::from(comp.simultaneous_half_width.unwrap_or(comp.half_width));
            let width = (upper - lower) / f64::from(*bins);
            let bins_out = noisy
                .iter()
                .enumerate()
                .map(|(j, &v)| {
                    let key = format!("[{}, {})", lower + width * j as f64, lower + width * (j + 1) as f64);
                    derive::count(Some(key), v, h, min)
                })
                .collect();
            ReleaseResult::Quantiles {
                bins: bins_out,
                estimates: derive::quantiles(&noisy, hsim, *lower, *upper, probabilities),
            }
        }
        (DpQuery::Categories { .. }, Noisy::Categories(values)) => {
            let tau = comp.threshold.ok_or_else(mismatch)?;
            let mut kept: Vec<NoisyCount> = values
                .into_iter()
                .filter(|(_, noisy)| *noisy >= tau as i128)
                .map(|(value, noisy)| derive::count(Some(value), noisy, h, min))
                .collect();
            kept.sort_by(|a, b| b.noisy.cmp(&a.noisy).then_with(|| a.key.cmp(&b.key)));
            ReleaseResult::Categories { threshold: tau, kept }
        }
        (DpQuery::Fairness { groups, reference_group, positive_is_favourable, .. }, Noisy::Cells(noisy)) => {
            if noisy.len() != 4 * (groups.len() + 2) {
                return Err(mismatch());
            }
            crate::dp::fairness::summarise(
                alpha,
                min,
                comp,
                groups,
                reference_group.as_deref(),
                *positive_is_favourable,
                &noisy,
            )?
        }
        _ => return Err(mismatch()),
    })
}
