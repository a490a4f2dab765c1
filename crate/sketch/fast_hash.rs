//! Fast, deterministic hashing for the in-memory maps of accumulators.
//!
//! The maps hold XXH3 hashes, small integers and the bits of typed values (a double's
//! bits may end in 40 zeros), and no key comes from an adversary who could choose
//! collisions to slow us down more than a crafted CSV already could, so the default SipHash
//! (about 20 ns per lookup) is wasted work on the hot path. [`Mix`] multiplies per word
//! (FxHash-style) and finishes with an xor-shift, a multiply and an xor-shift, so that
//! every bit of the key reaches hashbrown's bucket index and control bytes. Results never
//! depend on the hasher: every output is sorted before it is reported.

use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mix(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;
const FOLD: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for Mix {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        let mut w = [0u8; 8];
        let rest = chunks.remainder();
        w[..rest.len()].copy_from_slice(rest);
        self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w) ^ (rest.len() as u64) << 56).wrapping_mul(K);
    }
    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
    }
    #[inline]
    fn write_u16(&mut self, v: u16) {
        self.write_u64(u64::from(v));
    }
    #[inline]
    fn finish(&self) -> u64 {
        // An xor-shift, a multiply and an xor-shift (a one-multiply splitmix finaliser):
        // the first shift brings the high half down before the multiply, the second the
        // mixed high bits into the low ones (hashbrown's bucket index), and the top 7 bits
        // (its control bytes) come out of the multiply. A shift-fold of the state alone is
        // not enough: a whole number stored as a double has some 40 low zero bits, and so
        // has its product with `K`, which left all such values in a handful of buckets
        // (probe sequences thousands of entries long). No 128-bit product: wasm32 has none.
        let h = self.0 ^ (self.0 >> 32);
        let h = h.wrapping_mul(FOLD);
        h ^ (h >> 29)
    }
}

/// `BuildHasher` for [`Mix`].
pub type MixBuild = BuildHasherDefault<Mix>;
/// A `HashMap` with [`Mix`].
pub type MixMap<K, V> = std::collections::HashMap<K, V, MixBuild>;
/// A `HashSet` with [`Mix`].
pub type MixSet<K> = std::collections::HashSet<K, MixBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_keys_spread() {
        let mut s = MixSet::default();
        for i in 0..10_000u64 {
            s.insert(i);
        }
        assert_eq!(s.len(), 10_000);
        let mut m: MixMap<String, u32> = MixMap::default();
        m.insert("a".into(), 1);
        m.insert("ab".into(), 2);
        assert_eq!((m["a"], m["ab"]), (1, 2));
    }

    /// The buckets (low 14 bits) and control bytes (top 7 bits) hashbrown would give 10,000
    /// keys, as (distinct buckets, distinct control bytes).
    fn spread(keys: impl Iterator<Item = u64>) -> (usize, usize) {
        let hashes: Vec<u64> = keys
            .map(|k| {
                let mut h = Mix::default();
                h.write_u64(k);
                h.finish()
            })
            .collect();
        let buckets: std::collections::HashSet<u64> = hashes.iter().map(|h| h & 0x3fff).collect();
        let tops: std::collections::HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
        (buckets.len(), tops.len())
    }

    #[test]
    fn keys_with_many_low_zero_bits_spread_over_the_buckets() {
        // 10,000 random keys fill about 7,500 of 16,384 buckets. Whole numbers stored as
        // doubles (about 40 low zero bits), small integers, and multiples of 2^32 must do
        // about as well; the old shift-fold put the doubles (and the quarters) in 16.
        for (what, keys) in [
            ("whole doubles", (0..10_000u64).map(|i| (i as f64).to_bits()).collect::<Vec<_>>()),
            ("quarters", (0..10_000u64).map(|i| (i as f64 * 0.25).to_bits()).collect()),
            ("integers", (0..10_000u64).collect()),
            ("multiples of 2^32", (0..10_000u64).map(|i| i << 32).collect()),
        ] {
            let (buckets, tops) = spread(keys.into_iter());
            assert!(buckets > 6_500, "{what}: {buckets} buckets");
            assert!(tops > 120, "{what}: {tops} control bytes");
        }
    }
}
