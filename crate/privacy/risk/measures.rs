//! Class-size measures and prosecutor re-identification risk (`shared/PRIVACY_RISK.md`
//! §2.2–2.3), as ARX defines them (`RiskModelHistogram`, `RiskModelSampleSummary`,
//! `RiskModelAttributes`):
//!
//! - k = the smallest class; sample uniques = rows in classes of size 1 (c₁);
//! - prosecutor highest risk = 1/k; average risk (ARX success rate) = classes / rows, the
//!   mean over **rows** of 1/f (pycanon's `average_rir` averages over classes instead:
//!   0.3056 against 0.3 on the §9.2 example); lowest risk = 1 / largest class; records
//!   at risk = rows whose 1/f is **strictly above** τ;
//! - α-distinction = classes / rows, α-separation = 1 − Σ C(f, 2) / C(n, 2).
//!
//! With no population table the journalist risk is the prosecutor risk (ARX sets the
//! population to the sample) and the marketer risk is the average risk; the report says
//! "same as prosecutor" rather than showing them as other numbers.

use super::table::ClassTable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rows and their share of the file.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowShare {
    /// Rows.
    pub rows: u64,
    /// rows / all rows.
    pub share: f64,
}

impl RowShare {
    /// `rows` out of `n` (share 0 when `n` is 0).
    pub fn of(rows: u64, n: u64) -> Self {
        RowShare { rows, share: if n == 0 { 0.0 } else { rows as f64 / n as f64 } }
    }
}

/// One bucket of the class-size histogram (Google DLP's k-anonymity histogram shape).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SizeBucket {
    /// Smallest class size in the bucket.
    pub min_size: u64,
    /// Largest class size in the bucket (None: no upper bound).
    pub max_size: Option<u64>,
    /// Classes in the bucket.
    pub classes: u64,
    /// Rows in those classes.
    pub rows: u64,
}

/// Class-size statistics of a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassSizes {
    /// Rows (n).
    pub rows: u64,
    /// Equivalence classes (u).
    pub classes: u64,
    /// k: the smallest class.
    pub k: u64,
    /// The largest class.
    pub largest: u64,
    /// Rows in classes of size 1 (sample uniques).
    pub sample_uniques: RowShare,
    /// Rows in classes smaller than 5.
    pub below_5: RowShare,
    /// Rows in classes smaller than 10.
    pub below_10: RowShare,
    /// Histogram of class sizes with row counts, non-empty buckets only.
    pub histogram: Vec<SizeBucket>,
    /// α-distinction = classes / rows.
    pub distinction: f64,
    /// α-separation = 1 − Σ C(f, 2) / C(n, 2) (undefined below 2 rows).
    pub separation: Option<f64>,
}

/// Prosecutor risk (ARX `RiskModelSampleSummary.ProsecutorRisk`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProsecutorRisk {
    /// 1 / k.
    pub highest: f64,
    /// classes / rows (mean over rows of 1 / class size).
    pub average: f64,
    /// 1 / largest class.
    pub lowest: f64,
    /// τ.
    pub threshold: f64,
    /// Rows whose risk 1/f is strictly above τ.
    pub records_at_risk: RowShare,
    /// Rows in the smallest classes (those with the highest risk).
    pub records_at_highest_risk: RowShare,
}

/// Bucket bounds of the histogram.
const BUCKETS: [(u64, Option<u64>); 10] = [
    (1, Some(1)),
    (2, Some(2)),
    (3, Some(4)),
    (5, Some(9)),
    (10, Some(19)),
    (20, Some(49)),
    (50, Some(99)),
    (100, Some(999)),
    (1000, Some(9999)),
    (10000, None),
];

/// c_j: classes per class size.
pub fn size_histogram(t: &ClassTable) -> BTreeMap<u64, u64> {
    let mut h = BTreeMap::new();
    for c in &t.classes {
        *h.entry(c.rows).or_insert(0u64) += 1;
    }
    h
}

/// Class-size statistics; None when the table has no rows (every measure undefined).
pub fn class_sizes(h: &BTreeMap<u64, u64>) -> Option<ClassSizes> {
    let n: u64 = h.iter().map(|(j, c)| j * c).sum();
    let u: u64 = h.values().sum();
    let (&k, &largest) = (h.keys().next()?, h.keys().next_back()?);
    let rows_below = |s: u64| h.range(..s).map(|(j, c)| j * c).sum::<u64>();
    let histogram = BUCKETS
        .iter()
        .filter_map(|&(lo, hi)| {
            let r = h.range(lo..=hi.unwrap_or(u64::MAX));
            let (classes, rows) = r.fold((0, 0), |(c, s), (j, m)| (c + m, s + j * m));
            (classes > 0).then_some(SizeBucket { min_size: lo, max_size: hi, classes, rows })
        })
        .collect();
    // Σ C(f, 2) exactly in 128 bits, then one division.
    let pairs: u128 =
        h.iter().map(|(&j, &c)| u128::from(c) * u128::from(j) * u128::from(j.saturating_sub(1)) / 2).sum();
    let all = u128::from(n) * u128::from(n.saturating_sub(1)) / 2;
    Some(ClassSizes {
        rows: n,
        classes: u,
        k,
        largest,
        sample_uniques: RowShare::of(rows_below(2), n),
        below_5: RowShare::of(rows_below(5), n),
        below_10: RowShare::of(rows_below(10), n),
        histogram,
        distinction: u as f64 / n as f64,
        separation: (all > 0).then(|| 1.0 - pairs as f64 / all as f64),
    })
}

/// Prosecutor risk at threshold `tau`; None without rows.
pub fn prosecutor(h: &BTreeMap<u64, u64>, tau: f64) -> Option<ProsecutorRisk> {
    let n: u64 = h.iter().map(|(j, c)| j * c).sum();
    let u: u64 = h.values().sum();
    let (&k, &largest) = (h.keys().next()?, h.keys().next_back()?);
    let at_risk: u64 = h.iter().filter(|(&j, _)| 1.0 / j as f64 > tau).map(|(j, c)| j * c).sum();
    Some(ProsecutorRisk {
        highest: 1.0 / k as f64,
        average: u as f64 / n as f64,
        lowest: 1.0 / largest as f64,
        threshold: tau,
        records_at_risk: RowShare::of(at_risk, n),
        records_at_highest_risk: RowShare::of(k * h[&k], n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(sizes: &[u64]) -> BTreeMap<u64, u64> {
        let mut h = BTreeMap::new();
        for &s in sizes {
            *h.entry(s).or_insert(0) += 1;
        }
        h
    }

    /// `shared/PRIVACY_RISK.md` §9.2: classes of 3, 4 and 3 rows.
    #[test]
    fn worked_example_matches_arx_and_pycanon() {
        let h = hist(&[3, 4, 3]);
        let s = class_sizes(&h).unwrap();
        assert_eq!((s.rows, s.classes, s.k, s.largest, s.sample_uniques.rows), (10, 3, 3, 4, 0));
        assert_eq!(s.distinction, 0.3);
        assert!((s.separation.unwrap() - (1.0 - 12.0 / 45.0)).abs() < 1e-15);
        let p = prosecutor(&h, 0.3).unwrap();
        assert!((p.highest - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!((p.average, p.lowest), (0.3, 0.25));
        assert_eq!(p.records_at_risk, RowShare::of(6, 10));
    }

    /// §8.1: one more row (age missing) forms its own class: ARX highest 1.0, average
    /// 4/11, records at risk at τ = 0.3 7/11.
    #[test]
    fn missing_value_example_matches_arx() {
        let p = prosecutor(&hist(&[3, 4, 3, 1]), 0.3).unwrap();
        assert_eq!(p.highest, 1.0);
        assert_eq!(p.average, 4.0 / 11.0);
        assert_eq!(p.records_at_risk, RowShare::of(7, 11));
        assert_eq!(p.records_at_highest_risk, RowShare::of(1, 11));
    }

    #[test]
    fn threshold_is_strict_and_empty_tables_are_undefined() {
        // 1/5 = 0.2 is not above τ = 0.2.
        let p = prosecutor(&hist(&[5, 4]), 0.2).unwrap();
        assert_eq!(p.records_at_risk.rows, 4);
        assert!(prosecutor(&BTreeMap::new(), 0.2).is_none());
        assert!(class_sizes(&BTreeMap::new()).is_none());
        let s = class_sizes(&hist(&[1, 1, 2, 7, 12000])).unwrap();
        assert_eq!((s.sample_uniques.rows, s.below_5.rows, s.below_10.rows), (2, 4, 11));
        let b: Vec<(u64, u64, u64)> = s.histogram.iter().map(|b| (b.min_size, b.classes, b.rows)).collect();
        assert_eq!(b, vec![(1, 2, 2), (2, 1, 2), (5, 1, 7), (10000, 1, 12000)]);
    }
}
