//! The sample generator's private, deterministic PRNG (SplitMix64-seeded
//! xoshiro256**): for synthetic data only, never for DP noise.

// ---------------------------------------------------------------------------
// Pseudo-random numbers
// ---------------------------------------------------------------------------

/// One SplitMix64 step (Steele, Lea & Flood 2014); used only to seed
/// [`SampleRng`].
pub(super) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman & Vigna 2018), seeded with four SplitMix64 outputs.
///
/// # WARNING: FOR SYNTHETIC SAMPLE DATA ONLY
///
/// **This generator is predictable by design. It must NEVER be used to draw
/// differential-privacy noise, keys, salts, or anything else whose security
/// depends on unpredictability.** Anyone who knows (or guesses) the seed can
/// reproduce every output, and the internal state can be recovered from a
/// handful of outputs. It exists only so that the synthetic tables in this
/// module are byte-for-byte reproducible on every platform. It is
/// deliberately private to this module.
pub(super) struct SampleRng {
    s: [u64; 4],
}

impl SampleRng {
    /// Seeds the state from `seed` through SplitMix64 (never all zero,
    /// because SplitMix64's output function is a bijection).
    pub(super) fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm)];
        Self { s }
    }

    /// Next 64 uniformly distributed bits.
    pub(super) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Integer in `0..n` (multiply-high; the bias of at most `n / 2^64` is
    /// irrelevant for sample data). Returns 0 when `n == 0`.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Float in `[0, 1)` with 53 random bits.
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `true` with probability `per_million / 1_000_000`.
    pub(super) fn chance(&mut self, per_million: u64) -> bool {
        self.below(1_000_000) < per_million
    }

    /// Approximately standard normal: Irwin–Hall sum of 12 uniforms minus 6
    /// (mean 0, variance 1, support [-6, 6]). Only `+` and `-`, so exact
    /// same bits everywhere.
    pub(super) fn normal(&mut self) -> f64 {
        let mut sum = 0.0;
        for _ in 0..12 {
            sum += self.unit();
        }
        sum - 6.0
    }
}
