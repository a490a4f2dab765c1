//! Per-group confusion counts and group keys: the only inputs of the bias audit.
//!
//! Everything in [`crate::fairness`] is a pure function of these counts. The streaming
//! accumulator (one [`Confusion`] per [`GroupKey`], merged with `+=`) lives with the engine.
//!
//! "Positive" always means the class the user declared positive (label 1, prediction 1).
//! Whether that class is *favourable* to the person is a separate, explicit choice
//! (see [`crate::fairness::disparity::DisparityOptions::positive_is_favourable`]);
//! [`Confusion::flipped`] gives the counts seen with the other class as positive.

use crate::sketch::exact_sum::ExactSum;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::AddAssign;

/// Confusion counts of one group: true/false positives and negatives.
///
/// Serialized with the keys `tp`, `fp`, `tn`, `fn`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Confusion {
    /// Label positive, predicted positive.
    pub tp: u64,
    /// Label negative, predicted positive.
    pub fp: u64,
    /// Label negative, predicted negative.
    pub tn: u64,
    /// Label positive, predicted negative.
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Confusion {
    /// Counts from the four cells.
    pub const fn new(tp: u64, fp: u64, tn: u64, fn_: u64) -> Self {
        Self { tp, fp, tn, fn_ }
    }

    /// Adds one row.
    pub fn add_row(&mut self, label: bool, prediction: bool) {
        match (label, prediction) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
            (true, false) => self.fn_ += 1,
        }
    }

    /// Number of rows.
    pub const fn n(&self) -> u64 {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// Rows whose label is positive (TP + FN).
    pub const fn label_positive(&self) -> u64 {
        self.tp + self.fn_
    }

    /// Rows whose label is negative (FP + TN).
    pub const fn label_negative(&self) -> u64 {
        self.fp + self.tn
    }

    /// Rows predicted positive (TP + FP).
    pub const fn predicted_positive(&self) -> u64 {
        self.tp + self.fp
    }

    /// Rows predicted negative (TN + FN).
    pub const fn predicted_negative(&self) -> u64 {
        self.tn + self.fn_
    }

    /// Rows where prediction equals label (TP + TN).
    pub const fn correct(&self) -> u64 {
        self.tp + self.tn
    }

    /// The same rows with the other class taken as positive: TP ↔ TN and FP ↔ FN.
    ///
    /// On COMPAS, "positive = reoffended / predicted high risk" flipped gives
    /// "positive = did not reoffend / predicted low risk".
    pub const fn flipped(&self) -> Self {
        Self { tp: self.tn, fp: self.fn_, tn: self.tp, fn_: self.fp }
    }
}

impl AddAssign for Confusion {
    fn add_assign(&mut self, other: Self) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.tn += other.tn;
        self.fn_ += other.fn_;
    }
}

impl std::iter::Sum for Confusion {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::default(), |mut acc, c| {
            acc += c;
            acc
        })
    }
}

/// Sum of weights and sum of squared weights of the rows in one confusion cell, kept
/// exactly ([`ExactSum`]) so that merging in any order gives the same bits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedCell {
    /// Σ w.
    pub sum: ExactSum,
    /// Σ w², for Kish's effective sample size (Σ w)² / Σ w².
    pub sum_sq: ExactSum,
}

impl WeightedCell {
    /// Adds one row of finite weight `w`.
    pub fn add(&mut self, w: f64) {
        self.sum.add(w);
        self.sum_sq.add_square(w);
    }

    /// Merges another cell (exact, so commutative and associative).
    pub fn merge(&mut self, other: &Self) {
        self.sum.merge(&other.sum);
        self.sum_sq.merge(&other.sum_sq);
    }

    /// A cell of `k` rows of weight 1.
    pub fn unit(k: u64) -> Self {
        let mut cell = Self::default();
        // k = Σ 1 exactly: add the count in ≤ 2^53 steps so every addend is exact.
        let (mut rest, step) = (k, 1u64 << 53);
        while rest > 0 {
            let part = rest.min(step);
            cell.sum.add(part as f64);
            cell.sum_sq.add(part as f64);
            rest -= part;
        }
        cell
    }
}

/// Weighted confusion counts (`bias.weight`, survey or reweighing weights): Σw and Σw²
/// per cell, exact. The weighted audit ([`crate::fairness::weighted`]) reads its rates
/// from these; tests and the row-count tables use [`Confusion`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedConfusion {
    /// Label positive, predicted positive.
    pub tp: WeightedCell,
    /// Label negative, predicted positive.
    pub fp: WeightedCell,
    /// Label negative, predicted negative.
    pub tn: WeightedCell,
    /// Label positive, predicted negative.
    #[serde(rename = "fn")]
    pub fn_: WeightedCell,
}

impl WeightedConfusion {
    /// Adds one row of finite weight `w`.
    pub fn add_row(&mut self, label: bool, prediction: bool, w: f64) {
        match (label, prediction) {
            (true, true) => self.tp.add(w),
            (false, true) => self.fp.add(w),
            (false, false) => self.tn.add(w),
            (true, false) => self.fn_.add(w),
        }
    }

    /// Unit weights: the weighted counts of an unweighted table.
    pub fn unit(c: &Confusion) -> Self {
        let cell = WeightedCell::unit;
        Self { tp: cell(c.tp), fp: cell(c.fp), tn: cell(c.tn), fn_: cell(c.fn_) }
    }

    /// Merges another table (exact).
    pub fn merge(&mut self, other: &Self) {
        self.tp.merge(&other.tp);
        self.fp.merge(&other.fp);
        self.tn.merge(&other.tn);
        self.fn_.merge(&other.fn_);
    }
}

/// The value of one protected attribute in a group key.
///
/// Serialized as the string, or `null` for [`Level::Unknown`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Level {
    /// A value seen in the data.
    Known(String),
    /// The protected value is missing (empty cell, NA): LL144's "unknown" category.
    Unknown,
}

/// A group: one level per protected attribute, in the order of the audit spec
/// (one level for a single attribute, several for an intersection such as race × sex).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupKey {
    /// The levels, one per attribute.
    pub levels: Vec<Level>,
}

impl GroupKey {
    /// A key whose levels are all known.
    pub fn known<S: AsRef<str>>(values: &[S]) -> Self {
        Self { levels: values.iter().map(|v| Level::Known(v.as_ref().to_owned())).collect() }
    }

    /// The levels as cell texts (None: unknown), as the accumulators key rows.
    pub fn texts(&self) -> Vec<Option<String>> {
        self.levels
            .iter()
            .map(|l| match l {
                Level::Known(v) => Some(v.clone()),
                Level::Unknown => None,
            })
            .collect()
    }

    /// True when any level is [`Level::Unknown`]: such a group is listed and counted but
    /// never used as a reference, a maximum or a minimum.
    pub fn is_unknown(&self) -> bool {
        self.levels.contains(&Level::Unknown)
    }
}

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, level) in self.levels.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            match level {
                Level::Known(v) => f.write_str(v)?,
                Level::Unknown => f.write_str("(unknown)")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_row_merge_and_flip() {
        let mut a = Confusion::default();
        for (l, p) in [(true, true), (false, true), (false, false), (true, false), (true, true)] {
            a.add_row(l, p);
        }
        assert_eq!(a, Confusion::new(2, 1, 1, 1));
        let mut b = Confusion::new(1, 2, 3, 4);
        b += a;
        assert_eq!(b, Confusion::new(3, 3, 4, 5));
        assert_eq!(b.flipped(), Confusion::new(4, 5, 3, 3));
        assert_eq!(b.flipped().flipped(), b);
        assert_eq!([a, a].into_iter().sum::<Confusion>(), Confusion::new(4, 2, 2, 2));
        assert_eq!((b.n(), b.label_positive(), b.predicted_positive(), b.correct()), (15, 8, 6, 7));
    }

    #[test]
    fn keys_serialize_unknown_as_null() {
        let k = GroupKey { levels: vec![Level::Known("Female".into()), Level::Unknown] };
        assert!(k.is_unknown());
        assert_eq!(k.to_string(), "Female | (unknown)");
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, r#"["Female",null]"#);
        assert_eq!(serde_json::from_str::<GroupKey>(&json).unwrap(), k);
        let c = serde_json::to_string(&Confusion::new(1, 2, 3, 4)).unwrap();
        assert_eq!(c, r#"{"tp":1,"fp":2,"tn":3,"fn":4}"#);
    }

    #[test]
    fn weighted_cells() {
        let mut w = WeightedConfusion::default();
        w.add_row(true, true, 2.0);
        w.add_row(true, true, 0.5);
        assert_eq!((w.tp.sum.to_f64(), w.tp.sum_sq.to_f64()), (2.5, 4.25));
        let unit = WeightedConfusion::unit(&Confusion::new(3, 0, 0, 0));
        assert_eq!((unit.tp.sum.to_f64(), unit.tp.sum_sq.to_f64()), (3.0, 3.0));
        let mut a = WeightedConfusion::default();
        a.add_row(true, true, 0.5);
        a.merge(&WeightedConfusion::unit(&Confusion::new(2, 0, 0, 0)));
        assert_eq!((a.tp.sum.to_f64(), a.tp.sum_sq.to_f64()), (2.5, 2.25));
        // 1e16 + 1 is a rounding tie in f64, so `+=` depends on the order; the exact sum does not.
        let (mut x, mut y, mut z) =
            (WeightedConfusion::default(), WeightedConfusion::default(), WeightedConfusion::default());
        x.add_row(false, false, 1e16);
        x.add_row(false, false, 1.0);
        x.add_row(false, false, 1.0);
        y.add_row(false, false, 1.0);
        z.add_row(false, false, 1.0);
        z.add_row(false, false, 1e16);
        y.merge(&z);
        assert_eq!(x, y);
        assert_eq!(y.tn.sum.to_f64(), 1e16 + 2.0);
    }
}
