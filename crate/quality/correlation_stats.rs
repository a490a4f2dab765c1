//! Correlations between columns, statistics: from the exact sums and counts of
//! [`super::correlation::CorrelationAcc`] to the report's pair list.
//!
//! * Pearson r = C / √(A·B) with A = n·Σx² − (Σx)², B = n·Σy² − (Σy)², C = n·Σxy − Σx·Σy
//!   over the rows where both are finite, evaluated exactly in big integers and rounded once
//!   (pandas `df.corr()` computes the same quantity in floating point).
//! * Spearman ρ = Pearson r of the average ranks (pandas `corr(method="spearman")`), ranks
//!   taken within the rows where both are finite, exactly in integers (2·rank). On a sample
//!   (the file has more rows than `spearman_rows`) the approximate standard error is
//!   (1 − ρ²)·√((1 + ρ²/2)/(m − 3))·√(1 − M/N) (Bonett & Wright 2000, with the
//!   finite-population correction for M sampled rows out of N; m = rows used by the pair).
//! * Cramér's V (bias-corrected) and η: [`crate::stats::association`].

use super::correlation::{pair_index, CorrelationAcc};
use crate::sketch::exact_sum::ExactSum;
use crate::sketch::moments::{ratio_sqrt_to_f64, MomentsAcc};
use crate::stats::association::{correlation_ratio, cramers_v_corrected};
use num_bigint::{BigInt, BigUint, Sign};
use serde::{Deserialize, Serialize};

/// The measure of one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrMeasure {
    /// Pearson's r (numeric pairs).
    Pearson,
    /// Spearman's ρ (numeric pairs).
    Spearman,
    /// Bias-corrected Cramér's V (categorical pairs).
    CramersVBiasCorrected,
    /// Correlation ratio η (numeric `a`, categorical `b`).
    CorrelationRatio,
}

/// One pair of columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrPair {
    /// First column (the numeric one for η).
    pub a: String,
    /// Second column.
    pub b: String,
    /// The measure.
    pub measure: CorrMeasure,
    /// r and ρ in [−1, 1], V and η in [0, 1]; None when undefined.
    pub value: Option<f64>,
    /// Rows used (both values known; for Spearman on a sample, sampled rows).
    pub n: u64,
    /// Spearman on a sample: approximate standard error of ρ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_error: Option<f64>,
    /// Why the value is undefined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined_reason: Option<String>,
}

/// One column of the matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrColumn {
    /// Name.
    pub name: String,
    /// `numeric` or `categorical`.
    pub kind: String,
    /// Why the column has no associations, if it has none (e.g. too many levels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How Spearman's ρ was computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpearmanSample {
    /// Rows in the file.
    pub rows: u64,
    /// Rows kept (`correlations.spearman_rows`).
    pub budget: u64,
    /// Rows used: every row when `exact`, else the rows with the smallest row hashes.
    pub sample_rows: u64,
    /// True when every row was used.
    pub exact: bool,
}

/// The correlation section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrelationReport {
    /// Columns of the matrix (numeric first, then categorical, file order within each).
    pub columns: Vec<CorrColumn>,
    /// Every pair, strongest (|value|) first; undefined last.
    pub pairs: Vec<CorrPair>,
    /// Eligible columns left out by the column caps, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<(String, String)>,
    /// Level cap of categorical columns.
    pub max_levels: usize,
    /// Spearman's rows.
    pub spearman: SpearmanSample,
}

type Big = (BigInt, i32);

fn big(e: &ExactSum) -> Big {
    e.to_big()
}

fn sub(a: &Big, b: &Big) -> Big {
    let base = a.1.min(b.1);
    ((&a.0 << (a.1 - base).unsigned_abs()) - (&b.0 << (b.1 - base).unsigned_abs()), base)
}

fn mul(a: &Big, b: &Big) -> Big {
    (&a.0 * &b.0, a.1 + b.1)
}

/// Exactly C / √(A·B) rounded once, from n, Σx, Σx², Σy, Σy², Σxy.
fn pearson_exact(n: u64, sx: &Big, sxx: &Big, sy: &Big, syy: &Big, sxy: &Big) -> Result<f64, String> {
    if n < 2 {
        return Err(format!("{n} row(s) with both values"));
    }
    let nb: Big = (BigInt::from(n), 0);
    let a = sub(&mul(&nb, sxx), &mul(sx, sx));
    let b = sub(&mul(&nb, syy), &mul(sy, sy));
    let c = sub(&mul(&nb, sxy), &mul(sx, sy));
    let (Some(au), Some(bu)) = (a.0.to_biguint(), b.0.to_biguint()) else {
        return Err("inconsistent sums".into());
    };
    if au == BigUint::ZERO || bu == BigUint::ZERO {
        return Err("a column is constant on the rows used".into());
    }
    let c2 = c.0.magnitude() * c.0.magnitude();
    let r = ratio_sqrt_to_f64(&c2, &(au * bu), 2 * c.1 - a.1 - b.1).min(1.0);
    Ok(if c.0.sign() == Sign::Minus { -r } else { r })
}

/// Pearson of columns `i`, `j` from the exact sums.
fn pearson(acc: &CorrelationAcc, i: usize, j: usize) -> (Result<f64, String>, u64) {
    let p = acc.spec.numeric.len();
    let Some(s) = acc.pairs.get(pair_index(i.min(j), i.max(j), p)) else {
        return (Err("inconsistent state".into()), 0);
    };
    let empty = MomentsAcc::new();
    let side = |i: usize, j: usize| {
        let (_, s1, q1) = acc.columns.get(i).unwrap_or(&empty).sums();
        let (_, s2, q2) = acc.absent.get(i * p + j).unwrap_or(&empty).sums();
        (sub(&big(s1), &big(s2)), sub(&big(q1), &big(q2)))
    };
    let ((sx, sxx), (sy, syy)) = (side(i, j), side(j, i));
    (pearson_exact(s.n, &sx, &sxx, &sy, &syy, &big(&s.xy)), s.n)
}

/// Twice the average ranks (1-based) of `v`, ties averaged.
fn ranks2(v: &[f64]) -> Vec<i128> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_unstable_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut out = vec![0i128; v.len()];
    let mut s = 0;
    while s < idx.len() {
        let mut e = s;
        while e + 1 < idx.len() && v[idx[e + 1]] == v[idx[s]] {
            e += 1;
        }
        for &k in &idx[s..=e] {
            out[k] = (s + e + 2) as i128;
        }
        s = e + 1;
    }
    out
}

/// Pearson of two integer vectors, exactly.
fn pearson_int(x: &[i128], y: &[i128]) -> Result<f64, String> {
    let n = x.len() as u64;
    let sum = |v: &[i128]| (BigInt::from(v.iter().sum::<i128>()), 0);
    let dot = |a: &[i128], b: &[i128]| (BigInt::from(a.iter().zip(b).map(|(p, q)| p * q).sum::<i128>()), 0);
    pearson_exact(n, &sum(x), &dot(x, x), &sum(y), &dot(y, y), &dot(x, y))
}

fn spearman(sample: &[&(u64, Vec<f64>)], i: usize, j: usize) -> (Result<f64, String>, u64) {
    let (x, y): (Vec<f64>, Vec<f64>) = sample
        .iter()
        .map(|r| (r.1.get(i).copied().unwrap_or(f64::NAN), r.1.get(j).copied().unwrap_or(f64::NAN)))
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .unzip();
    (pearson_int(&ranks2(&x), &ranks2(&y)), x.len() as u64)
}

fn cramers_v(acc: &CorrelationAcc, a: usize, b: usize) -> (Result<f64, String>, u64) {
    let (c, max) = (acc.spec.categorical.len(), acc.spec.max_levels);
    let Some(t) = acc.tables.get(pair_index(a, b, c)) else { return (Err("inconsistent state".into()), 0) };
    let (Some(la_names), Some(lb_names)) = (acc.levels.get(a), acc.levels.get(b)) else {
        return (Err("inconsistent state".into()), 0);
    };
    let n: u64 = t.iter().sum();
    let used = |names: &[String], other: usize| -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = names
            .iter()
            .enumerate()
            .filter(|(l, _)| {
                (0..max).any(|m| t.get(if other == 0 { l * max + m } else { m * max + l }).is_some_and(|&k| k > 0))
            })
            .map(|(l, name)| (name.clone(), l))
            .collect();
        v.sort();
        v
    };
    let (ra, rb) = (used(&la_names.names, 0), used(&lb_names.names, 1));
    let table: Vec<Vec<u64>> = ra
        .iter()
        .map(|(_, la)| rb.iter().map(|(_, lb)| t.get(la * max + lb).copied().unwrap_or(0)).collect())
        .collect();
    if n == 0 {
        return (Err("no row has both values".into()), 0);
    }
    (cramers_v_corrected(&table), n)
}

fn eta(acc: &CorrelationAcc, i: usize, k: usize) -> (Result<f64, String>, u64) {
    let c = acc.spec.categorical.len();
    let (Some(groups), Some(levels)) = (acc.eta.get(i * c + k), acc.levels.get(k)) else {
        return (Err("inconsistent state".into()), 0);
    };
    let mut named: Vec<(&String, &MomentsAcc)> = levels.names.iter().zip(groups).collect();
    named.sort_by(|x, y| x.0.cmp(y.0));
    let ms: Vec<&MomentsAcc> = named.into_iter().map(|(_, m)| m).collect();
    let (r, n, _) = correlation_ratio(&ms);
    (r, n)
}

fn pair(a: &str, b: &str, measure: CorrMeasure, (r, n): (Result<f64, String>, u64)) -> CorrPair {
    let (value, undefined_reason) = match r {
        Ok(v) => (Some(v), None),
        Err(e) => (None, Some(e)),
    };
    CorrPair { a: a.into(), b: b.into(), measure, value, n, standard_error: None, undefined_reason }
}

/// The correlation section.
pub fn finish(acc: &CorrelationAcc) -> CorrelationReport {
    let s = &acc.spec;
    let (nn, cn) = (&s.numeric_names, &s.categorical_names);
    let sample = acc.sorted_sample();
    let exact = acc.rows as usize <= s.spearman_rows;
    let mut pairs = Vec::new();
    for i in 0..nn.len() {
        for j in (i + 1)..nn.len() {
            pairs.push(pair(&nn[i], &nn[j], CorrMeasure::Pearson, pearson(acc, i, j)));
            let mut sp = pair(&nn[i], &nn[j], CorrMeasure::Spearman, spearman(&sample, i, j));
            if let (false, Some(rho)) = (exact, sp.value) {
                let (m, total) = (sample.len() as f64, acc.rows as f64);
                if sp.n > 3 {
                    let fpc = (1.0 - m / total).max(0.0).sqrt();
                    sp.standard_error =
                        Some((1.0 - rho * rho) * ((1.0 + rho * rho / 2.0) / (sp.n as f64 - 3.0)).sqrt() * fpc);
                }
            }
            pairs.push(sp);
        }
    }
    let over = |k: usize| acc.levels.get(k).is_none_or(|l| l.overflow);
    for a in 0..cn.len() {
        for b in (a + 1)..cn.len() {
            if !over(a) && !over(b) {
                pairs.push(pair(&cn[a], &cn[b], CorrMeasure::CramersVBiasCorrected, cramers_v(acc, a, b)));
            }
        }
    }
    for (i, x) in nn.iter().enumerate() {
        for (k, g) in cn.iter().enumerate().filter(|(k, _)| !over(*k)) {
            pairs.push(pair(x, g, CorrMeasure::CorrelationRatio, eta(acc, i, k)));
        }
    }
    pairs.sort_by(|p, q| {
        let key = |c: &CorrPair| c.value.map_or(-1.0, f64::abs);
        key(q).total_cmp(&key(p)).then_with(|| (&p.a, &p.b, p.measure).cmp(&(&q.a, &q.b, q.measure)))
    });
    let mut columns: Vec<CorrColumn> =
        nn.iter().map(|n| CorrColumn { name: n.clone(), kind: "numeric".into(), note: None }).collect();
    columns.extend(cn.iter().enumerate().map(|(k, n)| CorrColumn {
        name: n.clone(),
        kind: "categorical".into(),
        note:
            over(k).then(|| format!("more than {} distinct values (correlations.max_levels): left out", s.max_levels)),
    }));
    CorrelationReport {
        columns,
        pairs,
        left_out: s.left_out.clone(),
        max_levels: s.max_levels,
        spearman: SpearmanSample {
            rows: acc.rows,
            budget: s.spearman_rows as u64,
            sample_rows: sample.len() as u64,
            exact,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks2(&[10.0, 20.0, 10.0, 5.0]), vec![5, 8, 5, 2]);
    }

    #[test]
    fn pearson_of_known_vectors() {
        // x = 1..5, y = 2x + noise-free: r = 1; reversed: −1; constant: undefined.
        assert_eq!(pearson_int(&[1, 2, 3, 4, 5], &[2, 4, 6, 8, 10]), Ok(1.0));
        assert_eq!(pearson_int(&[1, 2, 3, 4, 5], &[5, 4, 3, 2, 1]), Ok(-1.0));
        assert!(pearson_int(&[1, 1, 1], &[1, 2, 3]).is_err());
        // numpy.corrcoef([1,2,3,4],[1,3,2,4])[0,1] = 0.8
        assert!((pearson_int(&[1, 2, 3, 4], &[1, 3, 2, 4]).unwrap() - 0.8).abs() < 1e-15);
    }
}
