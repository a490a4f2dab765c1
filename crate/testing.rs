//! Test helpers shared by the unit tests of several modules (compiled for tests only).

/// Marsaglia's xorshift64 (13, 7, 17): a cheap, deterministic stream of pseudo-random
/// `u64`s for test data (never for anything a user sees: DP noise uses the CSPRNG and the
/// sample generator its own xoshiro). `seed` must not be 0.
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn xorshift_is_marsaglias_stream() {
        // The first outputs for seed 1, by hand: 1 ^ 1 << 13 = 8193; ^ >> 7 = 8257;
        // ^ << 17 = 1082269761.
        let mut next = super::xorshift(1);
        assert_eq!(next(), 1_082_269_761);
        assert_ne!(next(), 1_082_269_761);
    }
}
