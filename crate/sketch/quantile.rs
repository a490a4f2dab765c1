//! Exact quantiles in bounded memory, by radix selection over several passes.
//!
//! Definition (pandas `Series.quantile` / numpy `quantile` default, "linear", Hyndman–Fan
//! type 7) over the **finite** values x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎: with h = (n−1)·q, lo = ⌊h⌋,
//! t = h − lo, the quantile is x₍lo₎ + t·(x₍lo+1₎ − x₍lo₎), evaluated exactly as numpy's
//! `_lerp` does (for t ≥ ½ as x₍lo+1₎ − (1−t)·(x₍lo+1₎ − x₍lo₎)) so the results agree to
//! the last bit.
//!
//! Finding the order statistics x₍r₎ without holding the column: every value is mapped to
//! an order-preserving 64-bit key ([`key`]). The first pass counts keys by their top
//! [`DIGIT_BITS`] bits (sign and exponent) and also keeps the keys themselves while a
//! column has at most [`FIRST_PASS_CAP`] values — then everything is exact after one pass.
//! Otherwise each wanted rank is located in one bin, and the next pass ("probe") either
//! counts the next [`DIGIT_BITS`] bits of the keys in that bin or, once the bin holds at
//! most [`COLLECT_CAP`] values, collects them. Memory is bounded by the number of probes
//! (≤ 2 per quantile per column, 7 quantiles) times 4,096 counters or [`COLLECT_CAP`] keys, whatever the
//! file size. Typical cost: one extra pass for files up to a few hundred MB, two for
//! larger ones. Every tally is a function of the multiset of values, so splits and merge
//! order do not change anything.
//!
//! # Merge
//! Histograms add; collected keys concatenate (an overflowing collection becomes `None`
//! deterministically, since overflow depends only on the total count).

use super::fast_hash::MixMap as HashMap;
use super::log_buckets::LogBuckets;
use serde::{Deserialize, Serialize};

/// Probability points computed for every numeric column.
pub const PROBS: [f64; 7] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
/// Bits resolved per pass.
pub const DIGIT_BITS: u8 = 12;
/// Keys collected by a refinement probe at most.
pub const COLLECT_CAP: u64 = 4096;
/// Keys kept per column in the first pass (beyond, further passes are planned).
pub const FIRST_PASS_CAP: u64 = 250_000;

/// Order-preserving key of a finite value (`-0` is taken as `0`).
#[inline]
pub fn key(x: f64) -> u64 {
    let b = (if x == 0.0 { 0.0 } else { x }).to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The value of a key (inverse of [`key`]).
pub fn value_of(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Whether finite `x` is an integer: a round trip through `i64` (a conversion instruction;
/// `f64::fract` is a libm call on baseline x86-64); every double of magnitude ≥ 2^52 is one.
#[inline]
pub fn integral(x: f64) -> bool {
    x.abs() >= 4_503_599_627_370_496.0 || (x as i64) as f64 == x
}

/// Which keys a probe looks at: those of `column` whose top `len` bits equal `prefix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Probe {
    /// Column index.
    pub column: u32,
    /// Bits fixed so far.
    pub len: u8,
    /// Their value.
    pub prefix: u64,
    /// Collect the keys (true) or count the next digit (false).
    pub collect: bool,
    /// Most keys to collect (`None` when only counting).
    pub cap: u64,
    /// Also keep a [`LogBuckets`] sketch (first-pass probes when extra passes are off).
    #[serde(default)]
    pub sketch: bool,
}

impl Probe {
    #[inline]
    fn matches(&self, k: u64) -> bool {
        self.len == 0 || (k >> (64 - u32::from(self.len))) == self.prefix
    }
    fn width(&self) -> u8 {
        DIGIT_BITS.min(64 - self.len)
    }
    #[inline]
    fn digit(&self, k: u64) -> u16 {
        let rest = if self.len == 0 { k } else { k << self.len };
        (rest >> (64 - u32::from(self.width()))) as u16
    }
}

/// What a probe accumulated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Counts by next digit (counting probes and first-pass probes).
    pub hist: Option<HashMap<u16, u64>>,
    /// The keys themselves (collecting and first-pass probes), `None` after overflow.
    pub keys: Option<Vec<u64>>,
    /// Smallest and largest key seen (when equal, every value in the probe is the same,
    /// which settles ties without further passes).
    pub range: Option<(u64, u64)>,
    /// Approximate quantiles, when the probe asks for them.
    pub sketch: Option<LogBuckets>,
    /// Whether some value had a fractional part (first-pass probes only: the histogram's
    /// bin rule, see [`crate::quality::histogram::bin_count`]).
    #[serde(default)]
    pub fractional: bool,
}

/// Mutable tallies of a set of probes (one analysis of a pass).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RadixAcc {
    probes: Vec<Probe>,
    tallies: Vec<Tally>,
}

impl RadixAcc {
    /// Tallies for `probes`.
    pub fn new(mut probes: Vec<Probe>) -> Self {
        probes.sort();
        probes.dedup();
        let tallies = probes
            .iter()
            .map(|p| Tally {
                hist: (!p.collect || p.len == 0).then(HashMap::default),
                keys: (p.collect).then(Vec::new),
                range: None,
                sketch: p.sketch.then(LogBuckets::default),
                fractional: false,
            })
            .collect();
        RadixAcc { probes, tallies }
    }

    /// The probes.
    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    /// Counts one finite value of `column`.
    #[inline]
    pub fn add(&mut self, column: u32, x: f64) {
        let (lo, hi) = self.column_span(column);
        self.add_in(lo, hi, x);
    }

    /// Probes are sorted by column: the index range of `column`'s probes.
    fn column_span(&self, column: u32) -> (usize, usize) {
        let lo = self.probes.partition_point(|p| p.column < column);
        let hi = self.probes.partition_point(|p| p.column <= column);
        (lo, hi)
    }

    #[inline]
    fn add_in(&mut self, lo: usize, hi: usize, x: f64) {
        let k = key(x);
        for (p, t) in self.probes[lo..hi].iter().zip(self.tallies[lo..hi].iter_mut()) {
            if !p.matches(k) {
                continue;
            }
            t.range = Some(t.range.map_or((k, k), |(a, b)| (a.min(k), b.max(k))));
            t.fractional |= p.len == 0 && !integral(x);
            if let Some(s) = t.sketch.as_mut() {
                s.add(x);
            }
            if let Some(h) = t.hist.as_mut() {
                *h.entry(p.digit(k)).or_default() += 1;
            }
            if let Some(v) = t.keys.as_mut() {
                if (v.len() as u64) < p.cap {
                    v.push(k);
                } else {
                    t.keys = None;
                }
            }
        }
    }

    /// Merges tallies of the same probes.
    pub fn merge(&mut self, other: RadixAcc) -> crate::error::Result<()> {
        if other.probes != self.probes {
            return Err(crate::error::Error::state("quantile states probe different values"));
        }
        for ((p, a), b) in self.probes.iter().zip(self.tallies.iter_mut()).zip(other.tallies) {
            if let (Some(x), Some(y)) = (a.hist.as_mut(), b.hist) {
                for (d, c) in y {
                    *x.entry(d).or_default() += c;
                }
            }
            if let (Some(x), Some(y)) = (a.sketch.as_mut(), b.sketch.as_ref()) {
                x.merge(y);
            }
            a.fractional |= b.fractional;
            a.range = match (a.range, b.range) {
                (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
                (x, y) => x.or(y),
            };
            a.keys = match (a.keys.take(), b.keys) {
                (Some(mut x), Some(y)) if (x.len() + y.len()) as u64 <= p.cap => {
                    x.extend(y);
                    Some(x)
                }
                _ => None,
            };
        }
        Ok(())
    }

    /// Frozen tallies by probe.
    pub fn finish(self) -> Vec<(Probe, Tally)> {
        self.probes.into_iter().zip(self.tallies).collect()
    }
}

/// Per-batch digit counts (a batch has at most 2³² − 1 values per column, so `u32` cannot
/// overflow) and the digits whose count left zero.
struct DenseCounts {
    counts: Vec<u32>,
    touched: Vec<u16>,
}

/// Adds finite `values` to probe `p`'s tally: the same result as [`RadixAcc::add`] for
/// each value in turn.
#[inline]
fn tally_values(p: &Probe, t: &mut Tally, values: impl Iterator<Item = f64>, dense: &mut DenseCounts) {
    // `p.matches` and `p.digit` with the probe's constants hoisted out of the loop.
    let len = u32::from(p.len);
    let shift = 64 - u32::from(p.width());
    let (mut lo, mut hi, mut seen) = (u64::MAX, 0u64, false);
    let hist = t.hist.is_some();
    let mut keys = t.keys.take();
    let mut sketch = t.sketch.take();
    let first = len == 0;
    let mut fractional = false;
    for x in values {
        let k = key(x);
        if len != 0 && k >> (64 - len) != p.prefix {
            continue;
        }
        seen = true;
        fractional |= first && !integral(x);
        if let Some(s) = sketch.as_mut() {
            s.add_key(k);
        }
        lo = lo.min(k);
        hi = hi.max(k);
        if hist {
            let d = ((k << len) >> shift) as u16;
            if let Some(c) = dense.counts.get_mut(usize::from(d)) {
                if *c == 0 {
                    dense.touched.push(d);
                }
                *c += 1;
            }
        }
        if let Some(v) = keys.as_mut() {
            if (v.len() as u64) < p.cap {
                v.push(k);
            } else {
                keys = None;
            }
        }
    }
    t.keys = keys;
    t.sketch = sketch;
    t.fractional |= fractional;
    if seen {
        t.range = Some(t.range.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
    }
    for d in dense.touched.drain(..) {
        let c = dense.counts.get_mut(usize::from(d)).map_or(0, std::mem::take);
        if let Some(h) = t.hist.as_mut() {
            *h.entry(d).or_default() += u64::from(c);
        }
    }
}

impl RadixAcc {
    /// Adds a batch: `values(column)` gives the finite values of a column (every probe of
    /// that column takes them; the same result as [`RadixAcc::add`] value by value).
    pub fn add_columns<I: Iterator<Item = f64>>(&mut self, values: impl Fn(u32) -> I) {
        // Digits are counted in a dense array for the batch, then added to the map once per
        // digit seen (a map update per value was the cost of this accumulator).
        let mut dense = DenseCounts { counts: vec![0; 1 << DIGIT_BITS], touched: Vec::new() };
        for (p, t) in self.probes.iter().zip(self.tallies.iter_mut()) {
            tally_values(p, t, values(p.column), &mut dense);
        }
    }

    /// The tallies, in the order of the (sorted, deduplicated) probes.
    pub fn tallies(&self) -> &[Tally] {
        &self.tallies
    }
}

/// The 0-based ranks needed for probability `q` among `n` values, and the weight `t`.
pub(crate) fn ranks(n: u64, q: f64) -> (u64, u64, f64) {
    // numpy "linear": virtual index (n - 1)·q in floating point, as numpy computes it
    // (`_QuantileMethods["linear"]`), so p01 and p99 pick the same ranks and weights.
    let h = (n.saturating_sub(1) as f64) * q;
    let lo = h.floor();
    let hi = (lo as u64 + 1).min(n - 1);
    (lo as u64, hi, h - lo)
}

/// numpy's `_lerp`.
pub(crate) fn lerp(a: f64, b: f64, t: f64) -> f64 {
    if t == 0.0 {
        return a;
    }
    let d = b - a;
    if t >= 0.5 {
        b - d * (1.0 - t)
    } else {
        a + d * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_agrees_with_fract() {
        let xs = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -3.0,
            2.5e-310,
            4503599627370495.5,
            4503599627370496.0,
            9.3e18,
            -9.3e18,
            1e300,
            f64::MAX,
            -f64::MAX,
            f64::MIN_POSITIVE,
        ];
        for x in xs {
            assert_eq!(integral(x), x.fract() == 0.0, "{x}");
        }
    }

    #[test]
    fn keys_preserve_order_and_invert() {
        let xs = [f64::MIN, -1e300, -2.5, -1e-310, 0.0, 1e-310, 1.0, 2.5, 1e300, f64::MAX];
        for w in xs.windows(2) {
            assert!(key(w[0]) < key(w[1]), "{} {}", w[0], w[1]);
        }
        for &x in &xs {
            assert_eq!(value_of(key(x)).to_bits(), x.to_bits());
        }
        assert_eq!(key(-0.0), key(0.0));
    }

    #[test]
    fn probe_digits_cover_all_bits() {
        let k = 0xABCD_EF01_2345_6789u64;
        let mut p = Probe { column: 0, len: 0, prefix: 0, collect: false, cap: 0, sketch: false };
        let mut rebuilt = 0u64;
        while p.len < 64 {
            let d = p.digit(k);
            assert!(p.matches(k));
            rebuilt = (rebuilt << p.width()) | u64::from(d);
            p = Probe { len: p.len + p.width(), prefix: rebuilt, ..p };
        }
        assert_eq!(rebuilt, k);
    }
}
