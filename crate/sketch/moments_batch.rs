//! Batched updates of [`super::moments::MomentsAcc`]: the same state as updating value
//! by value, for a fraction of the work.
//!
//! Values that share a binary exponent are exact integer multiples of one power of two, so
//! their mantissas (and the squares of their mantissas) can be summed in `i128`/`u128`
//! exactly and deposited into the [`ExactSum`]s once per exponent instead of once per
//! value. Extrema are taken over the [`f64::total_cmp`] keys. The result is equal, as a
//! value, to value-by-value updates in any order (see the module docs of
//! [`super::moments`]).

use super::exact_sum::ExactSum;
#[cfg(test)]
use super::moments::MomentsAcc;
use super::power_sums::PowerSums;
use super::wide::{mul_i64, mul_u64};

const SLOTS: usize = 32;
/// Values summed before every slot is deposited: keeps `Σ m²` below 2^128 (m < 2^53).
const SLOT_LIMIT: usize = 1 << 20;
const FRAC_MASK: u64 = (1 << 52) - 1;
const SPLIT_MASK: u64 = (1 << 53) - 1;

/// Mantissa sums of the values whose biased exponent field is `field`. With `m² = a +
/// b·2^53` ([`super::power_sums::split_square`]), the cubes are kept as `Σ±a·m` and `Σ±b·m`, the fourth
/// powers as `Σa²`, `Σab`, `Σb²`: every term is below 2^106, so 2^20 of them fit.
#[derive(Clone, Copy)]
struct Slot {
    field: u32,
    terms: u32,
    sum: i128,
    sum_sq: u128,
    cube: [i128; 2],
    quart: [u128; 3],
}

const EMPTY: Slot = Slot { field: u32::MAX, terms: 0, sum: 0, sum_sq: 0, cube: [0; 2], quart: [0; 3] };

/// The exact sums a batch is added to.
pub(super) struct Sinks<'a> {
    pub sum: &'a mut ExactSum,
    pub sum_sq: &'a mut ExactSum,
    /// `Σx³`, `Σx⁴`, when kept.
    pub high: Option<&'a mut PowerSums>,
}

/// Per-exponent integer sums, direct-mapped by the low bits of the exponent field.
struct Buckets {
    slots: [Slot; SLOTS],
}

impl Buckets {
    #[inline]
    fn add<const HIGH: bool>(&mut self, field: u32, m: i64, sinks: &mut Sinks) {
        let slot = &mut self.slots[field as usize % SLOTS];
        if slot.field != field {
            deposit(slot, sinks);
            *slot = Slot { field, ..EMPTY };
        }
        slot.sum += i128::from(m);
        let a = m.unsigned_abs();
        let sq = mul_u64(a, a);
        slot.sum_sq += sq;
        if HIGH {
            slot.terms += 1;
            // `split_square` of the square just computed; signed 64×64-bit products give
            // the signed cube terms directly (|lo·m|, |hi·m| < 2^106).
            let (lo, hi) = ((sq as u64) & SPLIT_MASK, (sq >> 53) as u64);
            slot.cube[0] += mul_i64(lo as i64, m);
            slot.cube[1] += mul_i64(hi as i64, m);
            slot.quart[0] += mul_u64(lo, lo);
            slot.quart[1] += mul_u64(lo, hi);
            slot.quart[2] += mul_u64(hi, hi);
        }
    }

    fn flush(&mut self, sinks: &mut Sinks) {
        for slot in &mut self.slots {
            deposit(slot, sinks);
        }
    }
}

/// Adds a slot's sums (mantissa units of `2^(max(field, 1) - 1075)`) to the exact sums.
fn deposit(slot: &mut Slot, sinks: &mut Sinks) {
    if slot.field == u32::MAX {
        return;
    }
    let e = slot.field.max(1) as i32 - 1075;
    sinks.sum.add_wide(slot.sum < 0, slot.sum.unsigned_abs(), e);
    sinks.sum_sq.add_wide(false, slot.sum_sq, 2 * e);
    if let Some(h) = sinks.high.as_deref_mut() {
        h.deposit(slot.field, slot.terms, slot.cube, slot.quart);
    }
    *slot = EMPTY;
}

/// The [`f64::total_cmp`] order as signed integers (an involution).
#[inline]
fn order_key(bits: u64) -> i64 {
    let k = bits as i64;
    k ^ (((k >> 63) as u64) >> 1) as i64
}

/// What a batch contributes besides the exact sums.
#[derive(Default)]
pub(super) struct BatchCounts {
    pub count: u64,
    pub zeros: u64,
    pub negatives: u64,
    pub pos_inf: u64,
    pub neg_inf: u64,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Sums `xs` into the exact sums and returns the other statistics of the batch.
pub(super) fn accumulate(xs: &[f64], mut sinks: Sinks) -> BatchCounts {
    if sinks.high.is_some() {
        accumulate_with::<true>(xs, &mut sinks)
    } else {
        accumulate_with::<false>(xs, &mut sinks)
    }
}

fn accumulate_with<const HIGH: bool>(xs: &[f64], sinks: &mut Sinks) -> BatchCounts {
    let mut b = Buckets { slots: [EMPTY; SLOTS] };
    let mut c = BatchCounts::default();
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for (i, &x) in xs.iter().enumerate() {
        if i % SLOT_LIMIT == SLOT_LIMIT - 1 {
            b.flush(sinks);
        }
        let bits = x.to_bits();
        let field = ((bits >> 52) & 0x7FF) as u32;
        if field == 0x7FF {
            if x == f64::INFINITY {
                c.pos_inf += 1;
            } else if x == f64::NEG_INFINITY {
                c.neg_inf += 1;
            }
            continue;
        }
        c.count += 1;
        let k = order_key(bits);
        lo = lo.min(k);
        hi = hi.max(k);
        let zero = bits << 1 == 0;
        c.zeros += u64::from(zero);
        c.negatives += u64::from(bits >> 63 == 1 && !zero);
        let m = ((bits & FRAC_MASK) | (u64::from(field != 0) << 52)) as i64;
        b.add::<HIGH>(field, if bits >> 63 == 1 { -m } else { m }, sinks);
    }
    b.flush(sinks);
    if c.count > 0 {
        c.min = Some(f64::from_bits(order_key(lo as u64) as u64));
        c.max = Some(f64::from_bits(order_key(hi as u64) as u64));
    }
    c
}

/// Integers of magnitude below this are summed as integers by [`accumulate_ints`]: their
/// fourth powers stay below 2^104, the bound of a [`PowerSums`] deposit term.
const SMALL_INT: u64 = 1 << 26;
/// Integers summed between deposits: keeps `Σv⁴ < 2^120` and `Σv² < 2^68`.
const INT_CHUNK: usize = 1 << 16;

/// Sums the integers `xs` (as the doubles `v as f64`, like [`accumulate`] of those):
/// those of magnitude below [`SMALL_INT`] are exact in `f64`, and their powers are summed
/// in `i128`/`u128` and deposited at exponent field 1075 (unit `2^0`); larger ones go
/// through the per-exponent buckets of [`accumulate`] after the same `as f64` rounding.
pub(super) fn accumulate_ints(xs: &[i64], mut sinks: Sinks) -> BatchCounts {
    if sinks.high.is_some() {
        accumulate_ints_with::<true>(xs, &mut sinks)
    } else {
        accumulate_ints_with::<false>(xs, &mut sinks)
    }
}

fn accumulate_ints_with<const HIGH: bool>(xs: &[i64], sinks: &mut Sinks) -> BatchCounts {
    let mut b = Buckets { slots: [EMPTY; SLOTS] };
    let mut c = BatchCounts::default();
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for (j, chunk) in xs.chunks(INT_CHUNK).enumerate() {
        if j > 0 {
            b.flush(sinks);
        }
        let (mut s1, mut s2, mut s3, mut s4, mut n) = (0i64, 0u128, 0i128, 0u128, 0u32);
        for &v in chunk {
            lo = lo.min(v);
            hi = hi.max(v);
            c.zeros += u64::from(v == 0);
            c.negatives += u64::from(v < 0);
            if v.unsigned_abs() < SMALL_INT {
                let sq = v.unsigned_abs() * v.unsigned_abs();
                s1 += v;
                s2 += u128::from(sq);
                if HIGH {
                    n += 1;
                    s3 += mul_i64(sq as i64, v);
                    s4 += mul_u64(sq, sq);
                }
            } else {
                let bits = (v as f64).to_bits();
                let field = ((bits >> 52) & 0x7FF) as u32;
                let m = ((bits & FRAC_MASK) | (1 << 52)) as i64;
                b.add::<HIGH>(field, if v < 0 { -m } else { m }, sinks);
            }
        }
        sinks.sum.add_wide(s1 < 0, u128::from(s1.unsigned_abs()), 0);
        sinks.sum_sq.add_wide(false, s2, 0);
        if let (true, Some(h)) = (n > 0, sinks.high.as_deref_mut()) {
            h.deposit(1075, n, [s3, 0], [s4, 0, 0]);
        }
    }
    b.flush(sinks);
    c.count = xs.len() as u64;
    if !xs.is_empty() {
        c.min = Some(lo as f64);
        c.max = Some(hi as f64);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_by_one(xs: &[f64]) -> MomentsAcc {
        let mut a = MomentsAcc::with_shape();
        xs.iter().for_each(|&x| a.update(x));
        a
    }

    #[test]
    fn equals_value_by_value() {
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        let special = [0.0, -0.0, f64::MAX, -f64::MAX, f64::MIN_POSITIVE, 5e-324, -5e-324, f64::INFINITY];
        for round in 0..40 {
            let n = (next() % 3000) as usize;
            let xs: Vec<f64> = (0..n)
                .map(|i| match (next() % 8, round % 4) {
                    (0, _) => special[i % special.len()],
                    (1, _) => f64::NAN,
                    (2, _) | (_, 0) => f64::from_bits(next()),
                    (3, _) => (next() % 100_000) as f64 / 100.0 - 500.0,
                    (4, _) => -((next() % 1000) as f64),
                    _ => (next() >> 11) as f64 * 1e-300,
                })
                .collect();
            let want = one_by_one(&xs);
            let mut got = MomentsAcc::with_shape();
            let cut = xs.len() / 3;
            got.update_slice(&xs[..cut]);
            got.update_slice(&xs[cut..]);
            assert_eq!(got, want, "round {round}");
            let (g, w) = (got.finish(), want.finish());
            assert_eq!(format!("{g:?}"), format!("{w:?}"));
            assert_eq!(g.min.map(f64::to_bits), w.min.map(f64::to_bits));
            assert_eq!(g.max.map(f64::to_bits), w.max.map(f64::to_bits));
        }
    }

    #[test]
    fn integers_equal_value_by_value() {
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let edge = [
            0,
            1,
            -1,
            (1 << 26) - 1,
            -(1 << 26) + 1,
            1 << 26,
            -(1 << 26),
            i64::MAX,
            i64::MIN,
            (1 << 53) + 1,
            -(1 << 53) - 1,
        ];
        for round in 0..40 {
            let n = match round {
                0 => 0,
                1 => 2 * INT_CHUNK + 5,
                _ => (next() % 3000) as usize,
            };
            let xs: Vec<i64> = (0..n)
                .map(|i| match next() % 6 {
                    0 => edge[i % edge.len()],
                    1 => next() as i64,
                    2 => (next() % 200) as i64 - 100,
                    3 if round == 1 => (1 << 26) - 1 - (next() % 4) as i64,
                    3 => (next() >> 38) as i64 - (1 << 25),
                    _ => (next() % 100_000) as i64,
                })
                .collect();
            let as_f64: Vec<f64> = xs.iter().map(|&v| v as f64).collect();
            for shape in [true, false] {
                let mut want = if shape { MomentsAcc::with_shape() } else { MomentsAcc::new() };
                let mut got = want.clone();
                as_f64.iter().for_each(|&x| want.update(x));
                let cut = xs.len() / 3;
                got.update_ints(&xs[..cut]);
                got.update_ints(&xs[cut..]);
                assert_eq!(got, want, "round {round}");
                let (g, w) = (got.finish(), want.finish());
                assert_eq!(format!("{g:?}"), format!("{w:?}"));
            }
        }
    }

    #[test]
    fn a_full_slot_is_deposited() {
        let xs: Vec<f64> =
            (0..2 * SLOT_LIMIT + 3).map(|i| f64::from_bits(0x433F_FFFF_FFFF_FFFF - (i as u64 & 7))).collect();
        let mut got = MomentsAcc::with_shape();
        got.update_slice(&xs);
        assert_eq!(got, one_by_one(&xs));
    }
}
