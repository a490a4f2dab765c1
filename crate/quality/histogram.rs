//! Histograms and outlier counts of numeric columns, computed exactly from a column's
//! sorted finite values when they were all kept in memory by the first pass
//! (`profile.quantile_values_in_memory`, see [`crate::quality::quantiles`]), else by a
//! planned passes ([`crate::quality::histogram_pass`], the MAD by radix selection over
//! `|x − m|`) when `profile.quantile_passes` is on, else not at all (the report says so).
//!
//! - *Histogram*: numpy.histogram's convention, bins half-open `[eᵢ, eᵢ₊₁)` except the
//!   last, which is closed. When every value is an integer, integer edges: bins of `w`
//!   integers from `min` (`w` = 1 while there are at most 20 integers in [min, max], else
//!   the smallest whole width giving at most 20 bins), as numpy.histogram with
//!   `bins=numpy.arange(min, min + k·w + 1, w)`. Otherwise 20 equal-width bins over [min,
//!   max] (numpy widens an empty range to [min − ½, max + ½]), edges as `numpy.linspace`
//!   computes them (`eᵢ = i·step + min`, the last edge `max`). Each value is binned as
//!   numpy does for equal bins (index from the scaled offset, then corrected against the
//!   edges), so counts agree exactly.
//! - *IQR outliers* (Tukey fences): `x < Q1 − 1.5·IQR` or `x > Q3 + 1.5·IQR` with the exact
//!   (numpy "linear") p25 and p75, the fences evaluated in floating point as written.
//! - *Robust z outliers* (Iglewicz & Hoaglin 1993): `|x − m| / (1.4826·MAD) > 3.5` with `m`
//!   the exact median (numpy "linear" p50) and MAD the exact median of `|x − m|`; undefined
//!   when MAD = 0 (pandas/scipy would divide by zero).
//!
//! Every result is a function of the sorted multiset of values, so it does not depend on
//! how the file was split.

use super::quantiles::{lerp, ranks};
use serde::{Deserialize, Serialize};

/// Bins of a histogram unless the integer rule applies.
pub const BINS: usize = 20;
/// The Iglewicz–Hoaglin cut-off of the robust z-score.
pub const ROBUST_Z_CUTOFF: f64 = 3.5;
/// The consistency constant 1.4826 ≈ 1/Φ⁻¹(¾) that scales the MAD to σ for normal data.
pub const MAD_SCALE: f64 = 1.4826;

/// A histogram (numpy.histogram convention).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// `k + 1` bin edges, increasing.
    pub edges: Vec<f64>,
    /// `k` counts; bins are `[eᵢ, eᵢ₊₁)`, the last one closed.
    pub counts: Vec<u64>,
    /// True when the counts are exact (always, today: histograms come from the values in
    /// memory or a planned pass, never from a sketch).
    pub exact: bool,
}

/// Values outside the Tukey fences.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct IqrOutliers {
    /// Q1 − 1.5·IQR.
    pub low_fence: f64,
    /// Q3 + 1.5·IQR.
    pub high_fence: f64,
    /// Values below the low fence or above the high fence.
    pub count: u64,
    /// `count` over the finite values.
    pub share: f64,
}

/// Values with a robust z-score above 3.5.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RobustZOutliers {
    /// The median `m`.
    pub median: f64,
    /// The median absolute deviation from `m` (unscaled).
    pub mad: f64,
    /// Values with `|x − m| / (1.4826·MAD) > 3.5`.
    pub count: u64,
    /// `count` over the finite values.
    pub share: f64,
}

/// Outlier counts of a column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outliers {
    /// Tukey fences.
    pub iqr: IqrOutliers,
    /// Robust z (absent when MAD = 0, see `robust_z_note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robust_z: Option<RobustZOutliers>,
    /// Why there is no robust z count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robust_z_note: Option<String>,
}

/// The integer bin width for integers in [`min`, `max`]: one integer per bin while there
/// are at most [`BINS`] of them, else the smallest whole width that needs at most
/// [`BINS`] bins.
fn integer_width(min: f64, max: f64) -> f64 {
    ((max - min + 1.0) / BINS as f64).ceil().max(1.0)
}

/// The number of bins for finite values `min ≤ max`, all integers or not.
pub fn bin_count(min: f64, max: f64, integral: bool) -> usize {
    if integral {
        // Whole numbers: `(max − min + 1) / width` is at most 20 here.
        ((max - min + 1.0) / integer_width(min, max)).ceil() as usize
    } else {
        BINS
    }
}

/// The histogram edges for finite values in [`min`, `max`]; `None` when the range
/// overflows (max − min is not finite).
///
/// Integers get integer edges `min, min + w, …, min + k·w` with the width `w` of
/// `integer_width` (numpy.histogram with `bins=numpy.arange(min, min + k·w + 1, w)`): each
/// bin `[eᵢ, eᵢ₊₁)` holds the integers `eᵢ … eᵢ₊₁ − 1`, so a bin never has a fractional
/// edge such as `[1.9, 2.8)`. Other values get numpy.histogram's 20 equal-width bins over
/// [min, max] (edges as `numpy.linspace` computes them; [min − ½, max + ½] when min = max).
pub fn edges(min: f64, max: f64, integral: bool) -> Option<Vec<f64>> {
    if !(max - min).is_finite() {
        return None;
    }
    if integral {
        let w = integer_width(min, max);
        let k = bin_count(min, max, true);
        return Some((0..=k).map(|i| min + i as f64 * w).collect());
    }
    let k = BINS;
    let (first, last) = if min == max { (min - 0.5, max + 0.5) } else { (min, max) };
    let delta = last - first;
    // numpy.linspace(first, last, k + 1).
    let step = delta / k as f64;
    let mut edges: Vec<f64> = (0..=k)
        .map(|i| if step == 0.0 { i as f64 / k as f64 * delta + first } else { i as f64 * step + first })
        .collect();
    edges[k] = last;
    Some(edges)
}

/// The bin of finite `x` in `[edges[0], edges[k]]` (at least two edges), as numpy.histogram
/// computes it for equal bins: the index from the scaled offset, then corrected against
/// the edges (the last bin is closed).
#[inline]
pub fn bin_of(edges: &[f64], x: f64) -> usize {
    let k = edges.len() - 1;
    let (first, delta) = (edges[0], edges[k] - edges[0]);
    let f = (x - first) / delta * k as f64;
    let mut i = if f.is_finite() && f > 0.0 { (f as usize).min(k) } else { 0 };
    if i == k {
        i -= 1;
    }
    if i > 0 && x < edges[i] {
        i -= 1;
    }
    if i + 1 < k && x >= edges[i + 1] {
        i += 1;
    }
    i
}

/// numpy.histogram over sorted finite values; `None` without values or when the range
/// overflows (max − min is not finite).
pub fn histogram(sorted: &[f64]) -> Option<Histogram> {
    let (&min, &max) = (sorted.first()?, sorted.last()?);
    let integral = sorted.iter().all(|&x| crate::sketch::quantile::integral(x));
    let edges = edges(min, max, integral)?;
    let mut counts = vec![0u64; edges.len() - 1];
    for &x in sorted {
        counts[bin_of(&edges, x)] += 1;
    }
    Some(Histogram { edges, counts, exact: true })
}

/// Tukey fences `(Q1 − 1.5·IQR, Q3 + 1.5·IQR)`.
pub fn fences(q1: f64, q3: f64) -> (f64, f64) {
    let iqr = q3 - q1;
    (q1 - 1.5 * iqr, q3 + 1.5 * iqr)
}

/// The numpy "linear" quantile `q` of sorted values (at least one).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let (lo, hi, t) = ranks(sorted.len() as u64, q);
    lerp(sorted[lo as usize], sorted[hi as usize], t)
}

/// Outlier counts over sorted finite values; `None` without values.
pub fn outliers(sorted: &[f64]) -> Option<Outliers> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as f64;
    let (q1, q3) = (quantile(sorted, 0.25), quantile(sorted, 0.75));
    let (low_fence, high_fence) = fences(q1, q3);
    let count = sorted.iter().filter(|&&x| x < low_fence || x > high_fence).count() as u64;
    let iqr = IqrOutliers { low_fence, high_fence, count, share: count as f64 / n };
    let median = quantile(sorted, 0.5);
    let mut dev: Vec<f64> = sorted.iter().map(|&x| (x - median).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let mad = quantile(&dev, 0.5);
    let (robust_z, robust_z_note) = if robust_z_defined(mad) {
        let count = sorted.iter().filter(|&&x| robust_z_outlier(x, median, mad)).count() as u64;
        (Some(RobustZOutliers { median, mad, count, share: count as f64 / n }), None)
    } else {
        (None, Some(MAD_ZERO_NOTE.to_string()))
    };
    Some(Outliers { iqr, robust_z, robust_z_note })
}

/// Why a column has no robust-z count.
pub const MAD_ZERO_NOTE: &str = "robust z not defined: the median absolute deviation is 0 (more than half of the values equal the median; pandas/scipy would divide by zero)";

/// Whether the robust z is defined for this MAD (positive; an infinite MAD, from
/// deviations that overflow, counts no outlier either, so it is treated as undefined).
pub fn robust_z_defined(mad: f64) -> bool {
    mad > 0.0 && mad.is_finite()
}

/// Whether `x` is a robust-z outlier for `median` and `mad`: `|x − m| / (1.4826·MAD) > 3.5`,
/// evaluated as written (the same expression in memory and in the planned pass).
#[inline]
pub fn robust_z_outlier(x: f64, median: f64, mad: f64) -> bool {
    (x - median).abs() / (MAD_SCALE * mad) > ROBUST_Z_CUTOFF
}

/// Why a numeric column with values has no histogram or outlier counts.
pub fn not_computed_note(cap: u64, passes: bool) -> String {
    if passes {
        "histogram and outlier counts not computed: the range max − min overflows".into()
    } else {
        format!("histogram and outlier counts not computed: more than {cap} values (profile.quantile_values_in_memory); set profile.quantile_passes = true for an exact histogram and IQR outlier count from extra passes over the file")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(xs: &[f64]) -> Vec<f64> {
        let mut v = xs.to_vec();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn histogram_matches_numpy() {
        // numpy.histogram([1.5, 2.5, 10.0, -3.0, 7.25, 2.5], bins=20)
        let h = histogram(&sorted(&[1.5, 2.5, 10.0, -3.0, 7.25, 2.5])).unwrap();
        assert_eq!(h.counts, vec![1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
        assert_eq!((h.edges[0], h.edges[1], h.edges[20]), (-3.0, -2.35, 10.0));
        // Integers with a small range: one bin per integer, integer edges (issue 13: no
        // [1.9, 2.8) for a 1–10 score).
        let h = histogram(&sorted(&[0.0, 1.0, 1.0, 3.0, 3.0, 3.0])).unwrap();
        assert_eq!(h.edges, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(h.counts, vec![1, 2, 0, 3]);
        let deciles: Vec<f64> = (1..=10).map(f64::from).collect();
        let h = histogram(&deciles).unwrap();
        assert_eq!(h.edges, (1..=11).map(f64::from).collect::<Vec<_>>());
        assert_eq!(h.counts, vec![1; 10]);
        // A wider integer range: whole widths. 0..=38 (39 integers) → width 2, 20 bins
        // [0, 2), [2, 4), …, [38, 40]; numpy.histogram(x, bins=numpy.arange(0, 41, 2)).
        let h = histogram(&sorted(&[0.0, 1.0, 2.0, 37.0, 38.0])).unwrap();
        assert_eq!(h.edges, (0..=20).map(|i| f64::from(2 * i)).collect::<Vec<_>>());
        assert_eq!((h.counts[0], h.counts[1], h.counts[18], h.counts[19]), (2, 1, 1, 1));
        assert!(h.edges.iter().all(|e| e.fract() == 0.0));
        // 0..=40 (41 integers) → width 3, 14 bins up to 42.
        let h = histogram(&[0.0, 40.0]).unwrap();
        assert_eq!((h.edges.len(), h.edges[13], h.edges[14]), (15, 39.0, 42.0));
        assert_eq!(h.counts[13], 1);
        // A constant integer column: one bin [x, x + 1]; a constant float one 20 bins over
        // [x − ½, x + ½] (numpy).
        let h = histogram(&[4.0, 4.0]).unwrap();
        assert_eq!((h.edges, h.counts), (vec![4.0, 5.0], vec![2]));
        let h = histogram(&[4.5, 4.5]).unwrap();
        assert_eq!((h.edges.len(), h.edges[0], h.edges[20], h.counts[10]), (21, 4.0, 5.0, 2));
        assert!(histogram(&[]).is_none());
        assert!(histogram(&[-f64::MAX, f64::MAX]).is_none());
    }

    #[test]
    fn outliers_follow_tukey_and_iglewicz_hoaglin() {
        let xs = sorted(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0, -50.0]);
        let o = outliers(&xs).unwrap();
        // q1 = 2.5, q3 = 7.5, iqr 5: fences -5 and 15.
        assert_eq!((o.iqr.low_fence, o.iqr.high_fence, o.iqr.count), (-5.0, 15.0, 2));
        let rz = o.robust_z.unwrap();
        // median 5, |x − 5| sorted: 0 1 1 2 2 3 3 4 4 55 95 → MAD 3; cut 3.5·1.4826·3 ≈ 15.6.
        assert_eq!((rz.median, rz.mad, rz.count), (5.0, 3.0, 2));
        let o = outliers(&[1.0, 1.0, 1.0, 2.0]).unwrap();
        assert!(o.robust_z.is_none() && o.robust_z_note.is_some());
        assert_eq!(o.iqr.count, 1);
    }
}
