//! What-if generalisation: for a level vector (one ladder level per quasi-identifier) the
//! class table is regrouped from the level-0 counts — no second read of the file — and
//! measured again (`shared/PRIVACY_RISK.md` §4–5).
//!
//! Information loss of the generalisation itself (0 % suppression, as ARX with a
//! suppression limit of 0):
//! - discernibility DM* = Σ_E |E|² (ARX `MetricSDNMDiscernability`, pycanon
//!   `discernability_metric` without suppression);
//! - non-uniform entropy NUE = Σ_QI −Σ_v a_v·log₂(a_v / b_{g(v)}), a_v the rows holding
//!   value v, b_G the rows whose value generalises to G (ARX `MetricMDNUEntropyPrecomputed`,
//!   aggregate SUM);
//! - precision = mean over quasi-identifiers of level / height (ARX `MetricMDNMPrecision`).
//!
//! "Rows to suppress" are the rows in classes smaller than the target k (the
//! `k_anonymity` gate's minimum): suppressing them (every quasi-identifier `*`, ARX's
//! outliers) makes the rest k-anonymous.

use super::diversity::diversity;
use super::key::{decode, push_value};
use super::ladder::Ladder;
use super::measures::{prosecutor, size_histogram, RowShare};
use super::spec::{RiskSpec, MAX_WHAT_IFS};
use super::table::ClassTable;
use crate::math::Portable;
use crate::sketch::fast_hash::MixMap;
use serde::{Deserialize, Serialize};

/// l and t of one sensitive attribute at a generalisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIfDiversity {
    /// The sensitive column.
    pub column: String,
    /// Distinct l.
    pub distinct_l: u64,
    /// Entropy l.
    pub entropy_l: f64,
    /// t (None: undefined).
    pub t: Option<f64>,
}

/// One generalisation tried.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// Level per quasi-identifier (in the spec's order).
    pub levels: Vec<u32>,
    /// What each level does, per quasi-identifier.
    pub steps: Vec<String>,
    /// `spec` (asked for) or `default`.
    pub source: String,
    /// Equivalence classes.
    pub classes: u64,
    /// k.
    pub k: u64,
    /// Rows in classes of size 1.
    pub sample_uniques: RowShare,
    /// Rows in classes smaller than the target k.
    pub rows_to_suppress: RowShare,
    /// The target k (the `k_anonymity` gate's minimum).
    pub target_k: u64,
    /// 1 / k.
    pub highest_risk: f64,
    /// classes / rows.
    pub average_risk: f64,
    /// Rows with 1/f above τ.
    pub records_at_risk: RowShare,
    /// l and t per sensitive attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive: Vec<WhatIfDiversity>,
    /// DM* = Σ |E|² (saturating).
    pub discernibility: u64,
    /// Non-uniform entropy (bits, summed over quasi-identifiers).
    pub non_uniform_entropy: f64,
    /// Mean of level / height.
    pub precision: f64,
}

/// The level vectors to try: the spec's, then the original, each quasi-identifier one
/// level up, all one level up and all two levels up; duplicates dropped, at most
/// [`MAX_WHAT_IFS`].
pub fn level_vectors(spec: &RiskSpec) -> Vec<(Vec<u32>, &'static str)> {
    let tops: Vec<u32> = spec.ladders.iter().map(Ladder::height).collect();
    let mut out: Vec<(Vec<u32>, &'static str)> = spec.what_ifs.iter().map(|w| (w.clone(), "spec")).collect();
    let mut push = |v: Vec<u32>| {
        if !out.iter().any(|(w, _)| *w == v) && out.len() < MAX_WHAT_IFS {
            out.push((v, "default"));
        }
    };
    push(vec![0; tops.len()]);
    for q in 0..tops.len() {
        let mut v = vec![0; tops.len()];
        v[q] = 1.min(tops[q]);
        push(v);
    }
    push(tops.iter().map(|&t| 1.min(t)).collect());
    push(tops.iter().map(|&t| 2.min(t)).collect());
    out
}

/// Per quasi-identifier: rows per level-0 value, and that value's label at `level`.
fn nue(ladder: &Ladder, level: u32, counts: &[(Box<[u8]>, u64)]) -> f64 {
    let mut labels = Vec::with_capacity(counts.len());
    let mut b: MixMap<Box<[u8]>, u64> = MixMap::default();
    for (v, a) in counts {
        let mut g = Vec::new();
        push_value(&mut g, &ladder.generalise(level, &decode(v), *a));
        *b.entry(g.clone().into_boxed_slice()).or_default() += a;
        labels.push(g);
    }
    counts
        .iter()
        .zip(&labels)
        .map(|((_, a), g)| {
            let a = *a as f64;
            let bg = b.get(&g[..]).copied().unwrap_or(1) as f64;
            -a * (a / bg).p_log2()
        })
        .sum()
}

/// Evaluates one level vector on the level-0 table.
#[allow(clippy::too_many_arguments)]
pub fn evaluate(
    table: &ClassTable,
    spec: &RiskSpec,
    names: &[String],
    ordered: &[bool],
    interned: &super::table::Interned,
    levels: &[u32],
    source: &str,
    target_k: u64,
) -> Option<WhatIf> {
    // Level 0 everywhere is the table itself.
    let regrouped;
    let g = if levels.iter().all(|&l| l == 0) {
        table
    } else {
        regrouped = table.generalise(interned, &spec.ladders, levels, false);
        &regrouped
    };
    let h = size_histogram(g);
    let p = prosecutor(&h, spec.threshold)?;
    let n = g.rows_in_classes();
    let rows_below = |s: u64| h.range(..s).map(|(j, c)| j * c).sum::<u64>();
    let dm = h.iter().fold(0u64, |acc, (&j, &c)| acc.saturating_add(j.saturating_mul(j).saturating_mul(c)));
    let sensitive = (0..spec.sensitive.len())
        .filter_map(|a| {
            diversity(g, a, ordered[a], spec.recursive_l).map(|d| WhatIfDiversity {
                column: names[spec.sensitive[a]].clone(),
                distinct_l: d.distinct_l,
                entropy_l: d.entropy_l,
                t: d.t,
            })
        })
        .collect();
    let tops: Vec<u32> = spec.ladders.iter().map(Ladder::height).collect();
    Some(WhatIf {
        levels: levels.to_vec(),
        steps: spec
            .qis
            .iter()
            .zip(&spec.ladders)
            .zip(levels)
            .map(|((&c, l), &lv)| format!("{}: {}", names[c], l.level_name(lv)))
            .collect(),
        source: source.into(),
        classes: h.values().sum(),
        k: *h.keys().next()?,
        sample_uniques: RowShare::of(rows_below(2), n),
        rows_to_suppress: RowShare::of(rows_below(target_k), n),
        target_k,
        highest_risk: p.highest,
        average_risk: p.average,
        records_at_risk: p.records_at_risk,
        sensitive,
        discernibility: dm,
        non_uniform_entropy: spec
            .ladders
            .iter()
            .zip(levels)
            .zip(&interned.values)
            .map(|((l, &lv), c)| nue(l, lv, c))
            .sum(),
        precision: levels.iter().zip(&tops).map(|(&l, &t)| f64::from(l) / f64::from(t)).sum::<f64>()
            / tops.len() as f64,
    })
}

impl ClassTable {
    /// Rows in the classes (the rows of the file unless the cap was exceeded).
    pub fn rows_in_classes(&self) -> u64 {
        self.classes.iter().map(|c| c.rows).sum()
    }
}
