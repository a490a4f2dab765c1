//! The DP fairness summary: per-group rates and disparities from the noisy confusion
//! table protected group × label × prediction, each with a noise-aware interval.
//!
//! Cells per group, in order: TN, FP, FN, TP (index 2·label + prediction). Rates use the
//! bias audit's definitions (fairlearn's names): selection rate (TP + FP)/n, base rate
//! (TP + FN)/n, TPR TP/(TP + FN), FPR FP/(FP + TN). A statement over m noisy cells takes
//! each at α/m (union bound), so each interval holds with probability ≥ 1 − α; a
//! comparison of two groups spans the cells of both. `(other)` and `(unknown)` are
//! listed but never the reference.

use crate::dp::derive::{self, half_width};
use crate::dp::query::Component;
use crate::dp::summary::{Disparity, Estimate, GroupRates, ReleaseResult};
use crate::dp::DpError;
use crate::spec::DpSpec;

const TN: usize = 0;
const FP: usize = 1;
const FN: usize = 2;
const TP: usize = 3;

/// Numerator and the rest of the denominator, as cell indices, of each rate.
const RATES: [(&str, &[usize], &[usize]); 4] = [
    ("selection_rate", &[TP, FP], &[FN, TN]),
    ("base_rate", &[TP, FN], &[FP, TN]),
    ("true_positive_rate", &[TP], &[FN]),
    ("false_positive_rate", &[FP], &[TN]),
];

fn rate_of(cells: &[i128], num: &[usize], rest: &[usize], h: u128) -> Estimate {
    let pick = |ix: &[usize]| ix.iter().map(|&i| cells[i]).collect::<Vec<_>>();
    derive::rate(&pick(num), &pick(rest), h)
}

/// Builds the fairness result from the noisy table (4 cells per group, declared groups
/// then `(other)` and `(unknown)`).
///
/// # Errors
/// When an accuracy cannot be computed for these parameters.
pub fn summarise(
    dp: &DpSpec,
    comp: &Component,
    groups: &[String],
    reference: Option<&str>,
    positive_is_favourable: bool,
    noisy: &[i128],
) -> Result<ReleaseResult, DpError> {
    let names: Vec<String> = groups.iter().cloned().chain(["(other)".to_string(), "(unknown)".to_string()]).collect();
    let cell_h = u128::from(comp.half_width);
    let min = dp.min_noisy_count;
    let per_group: Vec<&[i128]> = noisy.chunks_exact(4).collect();
    // Half-widths per number of cells a statement uses (1..=8).
    let h_at = |m: usize| half_width(comp, dp.alpha / m as f64);
    let (h2, h4, h8) = (h_at(2)?, h_at(4)?, h_at(8)?);
    let mut table = Vec::new();
    let mut rates = Vec::new();
    for (name, cells) in names.iter().zip(&per_group) {
        let count = |i: usize, what: &str| derive::count(Some(format!("{name}: {what}")), cells[i], cell_h, min);
        table.push([count(TN, "TN"), count(FP, "FP"), count(FN, "FN"), count(TP, "TP")]);
        let n_noisy: i128 = cells.iter().sum();
        let n = derive::count(Some(name.clone()), n_noisy, 4 * h4, min);
        let suppressed = n.suppressed;
        let r = |k: usize| {
            let (_, num, rest) = RATES[k];
            let h = if num.len() + rest.len() == 4 { h4 } else { h2 };
            if suppressed {
                Estimate { value: None, lower: None, upper: None }
            } else {
                rate_of(cells, num, rest, h)
            }
        };
        rates.push(GroupRates {
            group: name.clone(),
            n,
            suppressed,
            selection_rate: r(0),
            base_rate: r(1),
            true_positive_rate: r(2),
            false_positive_rate: r(3),
        });
    }
    let declared = groups.len();
    let (reference, rule) = match reference {
        Some(r) => (groups.iter().position(|g| g == r), "chosen in the spec"),
        None => (
            (0..declared)
                .filter(|&g| !rates[g].suppressed)
                .max_by_key(|&g| (rates[g].n.estimate.unwrap_or(0), std::cmp::Reverse(g))),
            "the declared group with the largest noisy size",
        ),
    };
    let mut disparities = Vec::new();
    if let Some(r) = reference.filter(|&r| !rates[r].suppressed) {
        for (g, cells) in per_group.iter().enumerate() {
            if g == r || rates[g].suppressed {
                continue;
            }
            for (k, (metric, num, rest)) in RATES.iter().enumerate() {
                if k == 1 {
                    continue; // base rates describe the data, not the model
                }
                // Both groups' cells: 8 for rates over a whole group, 4 for TPR/FPR.
                let h = if num.len() + rest.len() == 4 { h8 } else { h4 };
                let x = rate_of(cells, num, rest, h);
                let y = rate_of(per_group[r], num, rest, h);
                let ratio = derive::ratio(&x, &y);
                let verdict = match (ratio.lower, ratio.upper) {
                    (_, Some(u)) if u < 0.8 => "below",
                    (Some(l), _) if l >= 0.8 => "not_below",
                    _ => "inconclusive",
                };
                let four_fifths = (k == 0 && positive_is_favourable).then_some(verdict);
                disparities.push(Disparity {
                    group: names[g].clone(),
                    metric,
                    difference: derive::difference(&x, &y),
                    ratio,
                    four_fifths,
                });
            }
        }
    }
    Ok(ReleaseResult::Fairness {
        reference: reference.map(|r| names[r].clone()),
        reference_rule: rule,
        table,
        groups: rates,
        disparities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_table_gives_exact_rates_with_zero_noise_bounds() {
        let cells = [40i128, 10, 5, 45]; // TN FP FN TP
        let sel = rate_of(&cells, &[TP, FP], &[FN, TN], 0);
        assert_eq!((sel.value, sel.lower, sel.upper), (Some(0.55), Some(0.55), Some(0.55)));
        let tpr = rate_of(&cells, &[TP], &[FN], 0);
        assert_eq!(tpr.value, Some(0.9));
    }
}
