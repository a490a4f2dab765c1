//! Fast, deterministic hashing for the in-memory maps of accumulators.
//!
//! The maps hold values that are already well mixed (XXH3 hashes) or tiny integers, and
//! no key comes from an adversary who could choose collisions to slow us down more than a
//! crafted CSV already could, so the default SipHash (about 20 ns per lookup) is wasted
//! work on the hot path. [`Mix`] multiplies and folds (FxHash-style for byte strings,
//! a single multiply for integers). Results never depend on the hasher: every output is
//! sorted before it is reported.

use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mix(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

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
        // Fold the high bits down: hashbrown uses the top 7 bits for its control bytes.
        self.0 ^ (self.0 >> 29)
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
}
