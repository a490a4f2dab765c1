//! Puts a reference side and a current side together: per column the test Evidently would
//! choose, its verdict, PSI, the raw statistics; then the dataset verdict.

use super::ks::{ks_2samp_pvalue, KsMethod};
use super::side::{DriftSide, SideColumn, SideValues};
use super::stats;
use super::{DriftReport, Excluded, PsiBand, RawStats};
use crate::ingest::value::ColumnType;
use serde::{Deserialize, Serialize};

/// Reference rows up to which Evidently uses p-value tests.
pub const SMALL_REFERENCE: u64 = 1000;
/// Significance level of the p-value tests.
pub const ALPHA: f64 = 0.05;
/// Threshold of the distances (normed Wasserstein, Jensen–Shannon).
pub const DISTANCE_THRESHOLD: f64 = 0.1;
/// Share of drifted columns at which the dataset drifts.
pub const DATASET_SHARE: f64 = 0.5;

/// The test used for a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftMethod {
    /// Two-sample Kolmogorov–Smirnov p-value (drift if p ≤ 0.05).
    Ks,
    /// χ² goodness-of-fit p-value (drift if p < 0.05).
    ChiSquare,
    /// Two-proportion z-test p-value (drift if p < 0.05).
    ZTest,
    /// W₁ / max(std_ref, 0.001) (drift if ≥ 0.1).
    WassersteinNormed,
    /// Jensen–Shannon distance (drift if ≥ 0.1).
    JensenShannon,
}

/// Drift of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnDrift {
    /// Column name.
    pub column: String,
    /// Column type.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// The test chosen.
    pub method: DriftMethod,
    /// Why this test (Evidently's rule).
    pub why: String,
    /// The statistic compared with the threshold (a p-value or a distance).
    pub value: f64,
    /// The threshold.
    pub threshold: f64,
    /// Drift detected.
    pub drifted: bool,
    /// Counted in the dataset share.
    pub in_share: bool,
    /// Valid values in the reference.
    pub n_ref: u64,
    /// Valid values in the current file.
    pub n_cur: u64,
    /// Distinct values of both files together.
    pub distinct: u64,
    /// PSI over 10 reference-decile bins (numbers) or categories.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psi: Option<f64>,
    /// Its band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psi_band: Option<PsiBand>,
    /// Every statistic computed for the column.
    pub raw: RawStats,
    /// False when a side's values were binned (over 100,000 distinct values).
    pub exact: bool,
    /// When binned: a bound on the error of the chosen statistic (KS D or normed W₁).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_bound: Option<f64>,
    /// Reference and current counts in a few bins or categories, for a chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<super::view::MiniDistribution>,
    /// Why there is no distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution_note: Option<String>,
    /// When the test and PSI disagree (one says drift, the other stable): which decides
    /// and why (written by the report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

fn psi_band(p: f64) -> PsiBand {
    if p < 0.1 {
        PsiBand::Stable
    } else if p < 0.25 {
        PsiBand::Moderate
    } else {
        PsiBand::Significant
    }
}

/// Aligns two category count lists over the union of categories (sorted).
fn align<K: Ord + Clone>(a: &[(K, u64)], b: &[(K, u64)]) -> (Vec<u64>, Vec<u64>) {
    let mut keys: Vec<K> = a.iter().chain(b).map(|p| p.0.clone()).collect();
    keys.sort();
    keys.dedup();
    let get = |v: &[(K, u64)], k: &K| v.binary_search_by(|p| p.0.cmp(k)).map_or(0, |i| v[i].1);
    (keys.iter().map(|k| get(a, k)).collect(), keys.iter().map(|k| get(b, k)).collect())
}

fn by_bits(v: &[(f64, u64)]) -> Vec<(u64, u64)> {
    v.iter().map(|&(x, c)| (crate::sketch::quantile::key(x), c)).collect()
}

/// Category-style tests (χ², z, JS) over aligned counts.
fn categorical(raw: &mut RawStats, r: &[u64], c: &[u64]) {
    if let Some((s, p)) = stats::chi_square(r, c) {
        raw.chi_square = Some(s);
        raw.chi_square_p_value = Some(p);
    }
    if let Some((z, p)) = stats::z_test(r, c) {
        raw.z = Some(z);
        raw.z_p_value = Some(p);
    }
    raw.jensen_shannon = stats::jensen_shannon(r, c);
}

fn reason(kind: &str, n_ref: u64) -> String {
    let size = if n_ref <= SMALL_REFERENCE { "≤ 1,000" } else { "> 1,000" };
    format!("{size} reference values, {kind}")
}

/// Compares one column present on both sides; `Err` names why it is not compared.
fn column(r: &SideColumn, c: &SideColumn) -> Result<ColumnDrift, String> {
    if matches!(r.values, SideValues::Skipped) || matches!(c.values, SideValues::Skipped) {
        return Err("not compared (identifier, free text or ignored column)".into());
    }
    if r.valid == 0 || c.valid == 0 {
        return Err("no valid values in one of the files".into());
    }
    let mut raw = RawStats::default();
    let small = r.valid <= SMALL_REFERENCE;
    let (method, why, distinct, psi, exact, error_bound) = match (&r.values, &c.values) {
        (SideValues::Numbers { values: rv, bits: rb, std }, SideValues::Numbers { values: cv, bits: cb, .. }) => {
            let (ra, ca) = align(&by_bits(rv), &by_bits(cv));
            let distinct = ra.len() as u64;
            let d = stats::ks_statistic(rv, cv);
            let ks = ks_2samp_pvalue(d, r.valid, c.valid);
            raw.ks_statistic = Some(ks.statistic);
            raw.ks_p_value = Some(ks.p_value);
            raw.ks_exact_p = Some(ks.method == KsMethod::Exact);
            let w = stats::wasserstein(rv, cv);
            let norm = std.unwrap_or(0.0).max(0.001);
            raw.wasserstein = Some(w);
            raw.reference_std = *std;
            raw.wasserstein_normed = Some(w / norm);
            let edges = stats::decile_edges(rv);
            let psi = stats::psi(&stats::bin_counts(rv, &edges), &stats::bin_counts(cv, &edges));
            raw.psi_bins = Some(edges.len() as u64 + 1);
            let exact = rb.is_none() && cb.is_none();
            let numeric = distinct > 5;
            if !numeric {
                categorical(&mut raw, &ra, &ca);
            }
            let (method, kind) = match (small, numeric) {
                (true, true) => (DriftMethod::Ks, "numeric with more than 5 distinct values"),
                (false, true) => (DriftMethod::WassersteinNormed, "numeric with more than 5 distinct values"),
                (true, false) if distinct > 2 => (DriftMethod::ChiSquare, "numeric with 3–5 distinct values"),
                (true, false) => (DriftMethod::ZTest, "at most 2 distinct values"),
                (false, false) => (DriftMethod::JensenShannon, "numeric with at most 5 distinct values"),
            };
            let mass = |bits: &Option<u32>, v: &[(f64, u64)]| bits.map_or(0.0, |_| stats::largest_mass(v));
            let error_bound = (!exact).then(|| match method {
                DriftMethod::Ks => mass(rb, rv) + mass(cb, cv),
                DriftMethod::WassersteinNormed => {
                    let rel =
                        |b: &Option<u32>| b.map_or(0.0, |k| 2f64.powi(-(k as i32)) * (1.0 + 2f64.powi(1 - k as i32)));
                    (rel(rb) * stats::mean_abs(rv) + rel(cb) * stats::mean_abs(cv)) / norm
                }
                _ => 0.0,
            });
            (method, reason(kind, r.valid), distinct, psi, exact, error_bound)
        }
        (SideValues::Categories(Some(rc)), SideValues::Categories(Some(cc))) => {
            let (ra, ca) = align(rc, cc);
            let distinct = ra.len() as u64;
            categorical(&mut raw, &ra, &ca);
            let psi = stats::psi(&ra, &ca);
            raw.psi_bins = Some(distinct);
            let method = match (small, distinct) {
                (true, d) if d > 2 => DriftMethod::ChiSquare,
                (true, _) => DriftMethod::ZTest,
                (false, _) => DriftMethod::JensenShannon,
            };
            let kind = if distinct > 2 { "categorical with more than 2 values" } else { "at most 2 distinct values" };
            (method, reason(kind, r.valid), distinct, psi, true, None)
        }
        (SideValues::Categories(_), SideValues::Categories(_)) => {
            return Err("more than 10,000 categories: identifier-like, not compared".into())
        }
        _ => return Err("not compared (identifier, free text or ignored column)".into()),
    };
    let (value, threshold, drifted) = match method {
        DriftMethod::Ks => {
            let p = raw.ks_p_value.unwrap_or(f64::NAN);
            (p, ALPHA, p <= ALPHA)
        }
        DriftMethod::ChiSquare => {
            let p = raw.chi_square_p_value.unwrap_or(f64::NAN);
            (p, ALPHA, p < ALPHA)
        }
        DriftMethod::ZTest => {
            let p = raw.z_p_value.unwrap_or(f64::NAN);
            (p, ALPHA, p < ALPHA)
        }
        DriftMethod::WassersteinNormed => {
            let w = raw.wasserstein_normed.unwrap_or(f64::NAN);
            (w, DISTANCE_THRESHOLD, w >= DISTANCE_THRESHOLD)
        }
        DriftMethod::JensenShannon => {
            let j = raw.jensen_shannon.unwrap_or(f64::NAN);
            (j, DISTANCE_THRESHOLD, j >= DISTANCE_THRESHOLD)
        }
    };
    let in_share = not_counted(r).is_none();
    let (distribution, distribution_note) = match super::view::distribution(r, c) {
        Ok(d) => (Some(d), None),
        Err(why) => (None, Some(why)),
    };
    Ok(ColumnDrift {
        column: r.name.clone(),
        ty: r.ty,
        method,
        why,
        value,
        threshold,
        drifted,
        in_share,
        n_ref: r.valid,
        n_cur: c.valid,
        distinct,
        psi,
        psi_band: psi.map(psi_band),
        raw,
        exact,
        error_bound,
        distribution,
        distribution_note,
        disagreement: None,
    })
}

/// Why a compared column is left out of the dataset share (`None` when it is counted):
/// date and datetime columns, and columns identifier-like in the reference file (the
/// profile flag's test, [`crate::quality::flags::identifier_like`], on the reference's
/// valid and distinct counts; the current file's do not matter).
fn not_counted(r: &SideColumn) -> Option<String> {
    if matches!(r.ty, ColumnType::Date | ColumnType::Datetime) {
        return Some("date column: compared, but not counted in the dataset share (Evidently counts it)".into());
    }
    r.identifier_like.as_ref().map(|evidence| {
        format!(
            "identifier-like in the reference file ({evidence}): compared, but not counted in the dataset share (Evidently counts it)"
        )
    })
}

/// Compares the two files column by column (matched by name) and decides dataset drift.
pub fn compare(reference: &DriftSide, current: &DriftSide) -> DriftReport {
    let mut columns = Vec::new();
    let mut excluded = Vec::new();
    let mut notes = Vec::new();
    for r in &reference.columns {
        if r.role == crate::spec::Role::Ignore {
            continue;
        }
        let why = match current.columns.iter().find(|c| c.name == r.name) {
            None => Err("not in the current file".to_string()),
            Some(c) if c.ty != r.ty => {
                Err(format!("type {} in the reference, {} in the current file", r.ty.name(), c.ty.name()))
            }
            Some(c) => column(r, c),
        };
        match why {
            Ok(d) => {
                if let Some(reason) = not_counted(r) {
                    excluded.push(Excluded { column: d.column.clone(), reason });
                }
                columns.push(d);
            }
            Err(reason) => excluded.push(Excluded { column: r.name.clone(), reason }),
        }
    }
    for c in &current.columns {
        if c.role != crate::spec::Role::Ignore && !reference.columns.iter().any(|r| r.name == c.name) {
            excluded.push(Excluded { column: c.name.clone(), reason: "not in the reference file".into() });
        }
    }
    let counted = columns.iter().filter(|c| c.in_share).count() as u64;
    let drifted = columns.iter().filter(|c| c.in_share && c.drifted).count() as u64;
    let share = (counted > 0).then(|| drifted as f64 / counted as f64);
    if counted == 0 {
        notes.push("no column could be counted in the dataset share: dataset drift is not decided".into());
    }
    if columns.iter().any(|c| !c.exact) {
        notes.push(
            "some numeric columns have more than 100,000 distinct values: their values were binned and their statistics carry an error bound".into(),
        );
    }
    DriftReport {
        reference_rows: reference.rows,
        current_rows: current.rows,
        columns,
        counted,
        drifted,
        share,
        share_threshold: DATASET_SHARE,
        dataset_drift: share.is_some_and(|s| s >= DATASET_SHARE),
        excluded,
        notes,
    }
}
