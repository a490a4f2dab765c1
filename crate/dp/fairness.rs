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
use crate::dp::summary::{BetweenGroups, Disparity, Estimate, FourFifths, GroupRates, ReleaseResult};
use crate::dp::DpError;

const TN: usize = 0;
const FP: usize = 1;
const FN: usize = 2;
const TP: usize = 3;

/// `reference_rule` when the spec names the reference group.
pub const REFERENCE_CHOSEN: &str = "chosen in the spec";
/// `reference_rule` otherwise.
pub const REFERENCE_LARGEST: &str = "the declared group with the largest noisy size";

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
    alpha: f64,
    min: u64,
    comp: &Component,
    groups: &[String],
    reference: Option<&str>,
    positive_is_favourable: bool,
    noisy: &[i128],
) -> Result<ReleaseResult, DpError> {
    let names: Vec<String> = groups.iter().cloned().chain(["(other)".to_string(), "(unknown)".to_string()]).collect();
    let cell_h = u128::from(comp.half_width);
    let per_group: Vec<&[i128]> = noisy.chunks_exact(4).collect();
    // Half-widths per number of cells a statement uses (1..=8).
    let h_at = |m: usize| half_width(comp, alpha / m as f64);
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
        Some(r) => (groups.iter().position(|g| g == r), REFERENCE_CHOSEN),
        None => (
            (0..declared)
                .filter(|&g| !rates[g].suppressed)
                .max_by_key(|&g| (rates[g].n.estimate.unwrap_or(0), std::cmp::Reverse(g))),
            REFERENCE_LARGEST,
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
                disparities.push(Disparity {
                    group: names[g].clone(),
                    metric: (*metric).into(),
                    difference: derive::difference(&x, &y),
                    ratio,
                });
            }
        }
    }
    let between_groups = between(comp, alpha, &names[..declared], &per_group[..declared], &rates[..declared])?;
    let four_fifths = four_fifths(
        comp,
        alpha,
        positive_is_favourable,
        &names[..declared],
        &per_group[..declared],
        &rates[..declared],
    )?;
    Ok(ReleaseResult::Fairness {
        reference: reference.map(|r| names[r].clone()),
        reference_rule: rule.into(),
        table,
        groups: rates,
        disparities,
        positive_is_favourable,
        four_fifths,
        between_groups,
    })
}

/// max − min and min / max of rate `k` over the declared groups, each group's interval at
/// α split over all cells the compared rates use (so they hold at once).
fn spread(
    comp: &Component,
    alpha: f64,
    k: usize,
    names: &[String],
    cells: &[&[i128]],
    rates: &[GroupRates],
) -> Result<Option<BetweenGroups>, DpError> {
    let (metric, num, rest) = RATES[k];
    let groups: Vec<usize> =
        (0..names.len()).filter(|&g| !rates[g].suppressed && rate_of(cells[g], num, rest, 0).value.is_some()).collect();
    if groups.len() < 2 {
        return Ok(None);
    }
    let h = half_width(comp, alpha / (groups.len() * (num.len() + rest.len())) as f64)?;
    let est: Vec<Estimate> = groups.iter().map(|&g| rate_of(cells[g], num, rest, h)).collect();
    let max_of = |f: fn(&Estimate) -> Option<f64>| est.iter().filter_map(f).fold(f64::MIN, f64::max);
    let min_of = |f: fn(&Estimate) -> Option<f64>| est.iter().filter_map(f).fold(f64::MAX, f64::min);
    let (max_v, min_v) = (max_of(|e| e.value), min_of(|e| e.value));
    let (max_lo, max_hi) = (max_of(|e| e.lower), max_of(|e| e.upper));
    let (min_lo, min_hi) = (min_of(|e| e.lower), min_of(|e| e.upper));
    let difference =
        Estimate { value: Some(max_v - min_v), lower: Some((max_lo - min_hi).max(0.0)), upper: Some(max_hi - min_lo) };
    let div = |a: f64, b: f64| (b > 0.0).then(|| (a / b).min(1.0));
    let ratio = Estimate { value: div(min_v, max_v), lower: div(min_lo, max_hi), upper: div(min_hi, max_lo) };
    Ok(Some(BetweenGroups {
        metric: metric.into(),
        difference,
        ratio: Some(ratio),
        groups: groups.iter().map(|&g| names[g].clone()).collect(),
    }))
}

/// The four-fifths rule (UGESP 29 CFR §1607.4(D), as the bias audit applies it): each
/// declared group's favourable-decision rate ÷ the highest group's. With every group's
/// rate r_g in [l_g, u_g] at once (α split over all their cells), the highest rate is in
/// [max l, max u], so the ratio is in [l_g / max u, min(1, u_g / max l)].
fn four_fifths(
    comp: &Component,
    alpha: f64,
    positive_is_favourable: bool,
    names: &[String],
    cells: &[&[i128]],
    rates: &[GroupRates],
) -> Result<Vec<FourFifths>, DpError> {
    let (num, rest): (&[usize], &[usize]) =
        if positive_is_favourable { (&[TP, FP], &[FN, TN]) } else { (&[FN, TN], &[TP, FP]) };
    let groups: Vec<usize> =
        (0..names.len()).filter(|&g| !rates[g].suppressed && rate_of(cells[g], num, rest, 0).value.is_some()).collect();
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let h = half_width(comp, alpha / (groups.len() * 4) as f64)?;
    let est: Vec<Estimate> = groups.iter().map(|&g| rate_of(cells[g], num, rest, h)).collect();
    let max_of = |f: fn(&Estimate) -> Option<f64>| est.iter().filter_map(f).fold(f64::MIN, f64::max);
    let (max_v, max_lo, max_hi) = (max_of(|e| e.value), max_of(|e| e.lower), max_of(|e| e.upper));
    let div = |a: Option<f64>, b: f64| a.filter(|_| b > 0.0).map(|a| (a / b).min(1.0));
    Ok(groups
        .iter()
        .zip(est)
        .map(|(&g, e)| {
            let impact_ratio =
                Estimate { value: div(e.value, max_v), lower: div(e.lower, max_hi), upper: div(e.upper, max_lo) };
            let verdict = match (impact_ratio.lower, impact_ratio.upper) {
                (_, Some(u)) if u < 0.8 => "below",
                (Some(l), _) if l >= 0.8 => "not_below",
                _ => "inconclusive",
            };
            FourFifths { group: names[g].clone(), favourable_rate: e, impact_ratio, verdict: verdict.into() }
        })
        .collect())
}

/// fairlearn's between-groups summaries: demographic parity (selection rate), equal
/// opportunity (TPR), FPR, and equalized odds = max(TPR gap, FPR gap), whose interval
/// takes each gap at α/2 so that both hold at once.
fn between(
    comp: &Component,
    alpha: f64,
    names: &[String],
    cells: &[&[i128]],
    rates: &[GroupRates],
) -> Result<Vec<BetweenGroups>, DpError> {
    let mut out = Vec::new();
    for k in [0, 2, 3] {
        out.extend(spread(comp, alpha, k, names, cells, rates)?);
    }
    let tpr = spread(comp, alpha / 2.0, 2, names, cells, rates)?;
    let fpr = spread(comp, alpha / 2.0, 3, names, cells, rates)?;
    if let (Some(t), Some(f)) = (tpr, fpr) {
        let both = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a.max(b));
        let groups = t.groups.iter().filter(|g| f.groups.contains(g)).cloned().collect();
        let (t, f) = (t.difference, f.difference);
        out.push(BetweenGroups {
            metric: "equalized_odds".into(),
            difference: Estimate {
                value: both(t.value, f.value),
                lower: both(t.lower, f.lower),
                upper: both(t.upper, f.upper),
            },
            ratio: None,
            groups,
        });
    }
    Ok(out)
}
