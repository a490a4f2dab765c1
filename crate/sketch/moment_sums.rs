//! The exact count, sum and sum of squares of a set of values, kept apart from any
//! accumulator so that one pass over the values can be added to several
//! [`MomentsAcc`](super::moments::MomentsAcc)s ([`MomentsAcc::add_sums`](super::moments::MomentsAcc::add_sums)).
//!
//! Proxy detection uses it for the cells of a batch split by every protected attribute at
//! once (sex × race): each cell's values are summed once and its sums added to the groups
//! of `sex`, of `race` and of `sex × race`, instead of three passes over the values.
//!
//! As in [`super::moments_batch`], values that share a binary exponent are integer
//! multiples of one power of two, so their mantissas and squared mantissas are summed in
//! `i128`/`u128` per exponent (32 direct-mapped slots); a slot evicted by another exponent
//! or near its term limit is spilled into exact sums of its own. Adding the sums to an
//! accumulator gives, as a value, exactly the state of adding the values one by one.

use super::exact_sum::ExactSum;
use super::moments_batch::BatchCounts;
use super::wide::mul_u64;

const SLOTS: usize = 32;
/// Terms per slot before it is spilled: keeps `Σ m²` below 2^128 (m < 2^53).
const SLOT_LIMIT: u32 = 1 << 20;
const FRAC_MASK: u64 = (1 << 52) - 1;

#[derive(Clone, Copy, Debug)]
struct Slot {
    field: u32,
    terms: u32,
    sum: i128,
    sum_sq: u128,
}

const EMPTY: Slot = Slot { field: u32::MAX, terms: 0, sum: 0, sum_sq: 0 };

/// See the module docs.
#[derive(Clone, Debug)]
pub struct MomentSums {
    slots: [Slot; SLOTS],
    /// Spilled slots (rare).
    spill: Option<Box<(ExactSum, ExactSum)>>,
    count: u64,
    zeros: u64,
    negatives: u64,
    pos_inf: u64,
    neg_inf: u64,
    /// Extrema as [`f64::total_cmp`] keys.
    lo: i64,
    hi: i64,
    /// Whole numbers below 2^31 in magnitude ([`MomentSums::add_int`]): how many, their
    /// sum and sum of squares as integers (exact: below 2^63 and 2^94), and their extrema.
    int_terms: u32,
    int_sum: i64,
    int_sum_sq: u128,
    int_lo: i64,
    int_hi: i64,
}

impl Default for MomentSums {
    fn default() -> Self {
        MomentSums {
            slots: [EMPTY; SLOTS],
            spill: None,
            count: 0,
            zeros: 0,
            negatives: 0,
            pos_inf: 0,
            neg_inf: 0,
            lo: i64::MAX,
            hi: i64::MIN,
            int_terms: 0,
            int_sum: 0,
            int_sum_sq: 0,
            int_lo: i64::MAX,
            int_hi: i64::MIN,
        }
    }
}

/// The [`f64::total_cmp`] order as signed integers (an involution).
#[inline]
fn order_key(bits: u64) -> i64 {
    let k = bits as i64;
    k ^ (((k >> 63) as u64) >> 1) as i64
}

/// The exponent of a slot's mantissa units: `2^(max(field, 1) − 1075)`.
fn unit_exp(field: u32) -> i32 {
    field.max(1) as i32 - 1075
}

impl MomentSums {
    /// Values added (infinities included; NaN is ignored, as by `MomentsAcc::update`).
    pub fn values(&self) -> u64 {
        self.count + self.pos_inf + self.neg_inf
    }

    /// Adds one value.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let bits = x.to_bits();
        let field = ((bits >> 52) & 0x7FF) as u32;
        if field == 0x7FF {
            if x == f64::INFINITY {
                self.pos_inf += 1;
            } else if x == f64::NEG_INFINITY {
                self.neg_inf += 1;
            }
            return;
        }
        self.count += 1;
        let k = order_key(bits);
        self.lo = self.lo.min(k);
        self.hi = self.hi.max(k);
        let zero = bits << 1 == 0;
        self.zeros += u64::from(zero);
        self.negatives += u64::from(bits >> 63 == 1 && !zero);
        let m = (bits & FRAC_MASK) | (u64::from(field != 0) << 52);
        let slot = &mut self.slots[field as usize % SLOTS];
        if slot.field != field || slot.terms >= SLOT_LIMIT {
            Self::spill(&mut self.spill, slot);
            *slot = Slot { field, ..EMPTY };
        }
        slot.terms += 1;
        slot.sum += if bits >> 63 == 1 { -i128::from(m) } else { i128::from(m) };
        slot.sum_sq += mul_u64(m, m);
    }

    /// Adds one whole number: the same as `add(v as f64)`, cheaper. Below 2^31 in
    /// magnitude it is summed as an integer (its double is exact, and so are the integer
    /// sums); larger ones go to [`MomentSums::add`].
    #[inline]
    pub fn add_int(&mut self, v: i64) {
        if v.unsigned_abs() >= 1 << 31 || self.int_terms == u32::MAX {
            return self.add(v as f64);
        }
        self.count += 1;
        self.int_terms += 1;
        self.zeros += u64::from(v == 0);
        self.negatives += u64::from(v < 0);
        self.int_lo = self.int_lo.min(v);
        self.int_hi = self.int_hi.max(v);
        self.int_sum += v;
        self.int_sum_sq += u128::from((v * v) as u64);
    }

    #[cold]
    fn spill(spill: &mut Option<Box<(ExactSum, ExactSum)>>, slot: &Slot) {
        if slot.field == u32::MAX {
            return;
        }
        let (sum, sum_sq) = &mut **spill.get_or_insert_with(Box::default);
        deposit(slot, sum, sum_sq);
    }

    /// Empties the sums (keeping nothing).
    pub fn clear(&mut self) {
        *self = MomentSums::default();
    }

    /// Adds the exact sums to `sum` and `sum_sq` and returns the other statistics.
    pub(super) fn add_to(&self, sum: &mut ExactSum, sum_sq: &mut ExactSum) -> BatchCounts {
        for slot in &self.slots {
            deposit(slot, sum, sum_sq);
        }
        if let Some(s) = &self.spill {
            sum.merge(&s.0);
            sum_sq.merge(&s.1);
        }
        let (mut lo, mut hi) = (self.lo, self.hi);
        if self.int_terms > 0 {
            sum.add_wide(self.int_sum < 0, u128::from(self.int_sum.unsigned_abs()), 0);
            sum_sq.add_wide(false, self.int_sum_sq, 0);
            lo = lo.min(order_key((self.int_lo as f64).to_bits()));
            hi = hi.max(order_key((self.int_hi as f64).to_bits()));
        }
        let some = self.count > 0;
        BatchCounts {
            count: self.count,
            zeros: self.zeros,
            negatives: self.negatives,
            pos_inf: self.pos_inf,
            neg_inf: self.neg_inf,
            min: some.then(|| f64::from_bits(order_key(lo as u64) as u64)),
            max: some.then(|| f64::from_bits(order_key(hi as u64) as u64)),
        }
    }
}

fn deposit(slot: &Slot, sum: &mut ExactSum, sum_sq: &mut ExactSum) {
    if slot.field == u32::MAX || slot.terms == 0 {
        return;
    }
    let e = unit_exp(slot.field);
    sum.add_wide(slot.sum < 0, slot.sum.unsigned_abs(), e);
    sum_sq.add_wide(false, slot.sum_sq, 2 * e);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::moments::MomentsAcc;

    #[test]
    fn sums_added_to_several_accumulators_equal_value_by_value() {
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        let special = [0.0, -0.0, f64::MAX, -f64::MAX, f64::MIN_POSITIVE, 5e-324, -5e-324, f64::INFINITY];
        for round in 0..30 {
            let n = (next() % 3000) as usize;
            let xs: Vec<f64> = (0..n)
                .map(|i| match (next() % 6, round % 3) {
                    (0, _) => special[i % special.len()],
                    (1, _) | (_, 0) => f64::from_bits(next() & !(0x7FF << 52) | ((next() % 2046) << 52)),
                    (2, _) => (next() % 100_000) as f64 / 100.0 - 500.0,
                    (3, _) => (next() % 2_000) as f64 - 1_000.0,
                    (4, _) => (next() % (1 << 40)) as f64 - (1u64 << 39) as f64,
                    _ => -((next() % 1000) as f64),
                })
                .collect();
            let mut want = MomentsAcc::new();
            xs.iter().for_each(|&x| want.update(x));
            let mut sums = MomentSums::default();
            // Whole numbers (but the largest ones) also through the integer path.
            let whole = |x: f64| {
                (x.fract() == 0.0
                    && x.to_bits() != (-0.0f64).to_bits()
                    && x.abs() < 9e15
                    && (round % 2 == 1 || x.abs() < 1e9))
                    .then_some(x as i64)
            };
            xs.iter().for_each(|&x| match whole(x) {
                Some(v) if round % 3 != 2 => sums.add_int(v),
                _ => sums.add(x),
            });
            assert_eq!(sums.values(), n as u64);
            // Into an empty accumulator, and into one that already holds values.
            let mut got = MomentsAcc::new();
            got.add_sums(&sums);
            assert_eq!(got, want, "round {round}");
            let mut both = want.clone();
            both.add_sums(&sums);
            let mut twice = MomentsAcc::new();
            xs.iter().chain(&xs).for_each(|&x| twice.update(x));
            assert_eq!(both, twice, "round {round}");
        }
        let mut empty = MomentsAcc::new();
        empty.add_sums(&MomentSums::default());
        assert_eq!(empty, MomentsAcc::new());
    }

    #[test]
    fn whole_numbers_summed_as_integers_equal_value_by_value() {
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for round in 0..20 {
            let n = (next() % 3000) as usize;
            let span = [10, 2_000, 1 << 31, 1 << 40][round % 4];
            let vs: Vec<i64> = (0..n).map(|_| (next() % (2 * span)) as i64 - span as i64).collect();
            let mut want = MomentsAcc::new();
            vs.iter().for_each(|&v| want.update(v as f64));
            let mut sums = MomentSums::default();
            vs.iter().for_each(|&v| sums.add_int(v));
            let mut got = MomentsAcc::new();
            got.add_sums(&sums);
            assert_eq!(got, want, "round {round}");
        }
    }
}
