//! The one randomness seam of privaudit.
//!
//! Every random bit that reaches a DP release comes from [`fill_bytes`], which is the
//! operating system's CSPRNG through `getrandom` (`getrandom(2)` on Linux,
//! `crypto.getRandomValues` in the browser through the `wasm_js` backend). If the
//! platform cannot give entropy the call fails, and so does the release: there is no
//! fallback generator.
//!
//! A seeded generator exists only in this crate's own unit tests (`cfg(test)`), where
//! `with_seeded_rng` swaps a thread-local xoshiro256++ in for reproducible statistical
//! tests. Non-test builds contain no seeded path at all.
//!
//! On top of raw bytes: uniform integers below a bound by rejection sampling (never
//! `x % n`, which is biased unless `n` divides the range).

use num_bigint::BigUint;
use num_traits::ToPrimitive;

use crate::dp::DpError;

/// Fills `buf` with bytes from the operating system's CSPRNG.
///
/// # Errors
/// [`DpError::Entropy`] when the platform's generator fails; callers must abort the release.
pub fn fill_bytes(buf: &mut [u8]) -> Result<(), DpError> {
    #[cfg(test)]
    if let Some(result) = test_rng::fill(buf) {
        return result;
    }
    getrandom::fill(buf).map_err(|e| DpError::Entropy { detail: e.to_string() })
}

/// A uniform integer in `0..bound`, by rejection on the smallest covering power of two.
///
/// # Errors
/// Fails on an entropy failure or when `bound` is zero.
pub fn uniform_below_u64(bound: u64) -> Result<u64, DpError> {
    if bound == 0 {
        return Err(DpError::invalid("bound", 0, "a positive integer"));
    }
    if bound == 1 {
        return Ok(0);
    }
    let bits = 64 - (bound - 1).leading_zeros();
    let n_bytes = bits.div_ceil(8) as usize;
    let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let mut buf = [0u8; 8];
    loop {
        fill_bytes(&mut buf[..n_bytes])?;
        let x = u64::from_le_bytes(buf) & mask;
        // Each try succeeds with probability bound / 2^bits > 1/2.
        if x < bound {
            return Ok(x);
        }
    }
}

/// A uniform big integer in `0..bound`, by rejection (same scheme as [`uniform_below_u64`]).
///
/// # Errors
/// Fails on an entropy failure or when `bound` is zero.
pub fn uniform_below(bound: &BigUint) -> Result<BigUint, DpError> {
    if let Some(b) = bound.to_u64() {
        return uniform_below_u64(b).map(BigUint::from);
    }
    let bits = (bound - 1u32).bits();
    let n_bytes = bits.div_ceil(8) as usize;
    let excess = (n_bytes as u64 * 8 - bits) as u32;
    let mut buf = vec![0u8; n_bytes];
    loop {
        fill_bytes(&mut buf)?;
        if let Some(top) = buf.last_mut() {
            *top &= 0xffu8 >> excess;
        }
        let x = BigUint::from_bytes_le(&buf);
        if &x < bound {
            return Ok(x);
        }
    }
}

/// Test-only replacement generators, selected per thread.
#[cfg(test)]
pub(crate) mod test_rng {
    use std::cell::RefCell;

    use crate::dp::DpError;

    /// What the current thread's [`super::fill_bytes`] returns instead of OS entropy.
    enum Replacement {
        Seeded(Xoshiro256PlusPlus),
        Failing,
    }

    thread_local! {
        static REPLACEMENT: RefCell<Option<Replacement>> = const { RefCell::new(None) };
    }

    /// `Some` when a replacement is installed on this thread.
    pub(super) fn fill(buf: &mut [u8]) -> Option<Result<(), DpError>> {
        REPLACEMENT.with(|r| match r.borrow_mut().as_mut()? {
            Replacement::Seeded(rng) => {
                rng.fill(buf);
                Some(Ok(()))
            }
            Replacement::Failing => Some(Err(DpError::Entropy { detail: "simulated failure".into() })),
        })
    }

    /// Runs `f` with a deterministic generator seeded by `seed` on this thread.
    pub(crate) fn with_seeded_rng<R>(seed: u64, f: impl FnOnce() -> R) -> R {
        with_replacement(Replacement::Seeded(Xoshiro256PlusPlus::new(seed)), f)
    }

    /// Runs `f` with a generator that always fails, as a broken OS generator would.
    pub(crate) fn with_failing_rng<R>(f: impl FnOnce() -> R) -> R {
        with_replacement(Replacement::Failing, f)
    }

    fn with_replacement<R>(rep: Replacement, f: impl FnOnce() -> R) -> R {
        struct Restore(Option<Replacement>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let old = self.0.take();
                REPLACEMENT.with(|r| *r.borrow_mut() = old);
            }
        }
        let _restore = Restore(REPLACEMENT.with(|r| r.borrow_mut().replace(rep)));
        f()
    }

    /// xoshiro256++ (Blackman & Vigna 2019), seeded through SplitMix64. Statistical
    /// quality only; never used outside tests.
    struct Xoshiro256PlusPlus {
        s: [u64; 4],
        buffer: [u8; 8],
        available: usize,
    }

    impl Xoshiro256PlusPlus {
        fn new(seed: u64) -> Self {
            let mut z = seed;
            let mut s = [0u64; 4];
            for word in &mut s {
                z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut x = z;
                x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                *word = x ^ (x >> 31);
            }
            Xoshiro256PlusPlus { s, buffer: [0; 8], available: 0 }
        }

        fn next_u64(&mut self) -> u64 {
            let s = &mut self.s;
            let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
            let t = s[1] << 17;
            s[2] ^= s[0];
            s[3] ^= s[1];
            s[1] ^= s[2];
            s[0] ^= s[3];
            s[2] ^= t;
            s[3] = s[3].rotate_left(45);
            result
        }

        fn fill(&mut self, buf: &mut [u8]) {
            for byte in buf {
                if self.available == 0 {
                    self.buffer = self.next_u64().to_le_bytes();
                    self.available = 8;
                }
                self.available -= 1;
                *byte = self.buffer[self.available];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_rng::{with_failing_rng, with_seeded_rng};
    use super::*;

    #[test]
    fn os_entropy_works_and_differs() {
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        fill_bytes(&mut a).unwrap();
        fill_bytes(&mut b).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn seeded_is_reproducible_and_scoped() {
        let draw = || (0..8).map(|_| uniform_below_u64(1000).unwrap()).collect::<Vec<_>>();
        assert_eq!(with_seeded_rng(7, draw), with_seeded_rng(7, draw));
        assert_ne!(with_seeded_rng(7, draw), with_seeded_rng(8, draw));
        // Outside the closure the OS generator is back.
        let mut buf = [0u8; 4];
        assert!(fill_bytes(&mut buf).is_ok());
    }

    #[test]
    fn entropy_failure_propagates() {
        let err = with_failing_rng(|| uniform_below_u64(10)).unwrap_err();
        assert!(matches!(err, DpError::Entropy { .. }));
        assert!(err.to_string().contains("no private value was released"));
    }

    #[test]
    fn uniform_is_in_range_and_unbiased() {
        with_seeded_rng(1, || {
            let mut counts = [0u32; 6];
            for _ in 0..60_000 {
                counts[uniform_below_u64(6).unwrap() as usize] += 1;
            }
            // Each cell ~ Binomial(60000, 1/6): sd ≈ 91; 6 sd is a 1e-9 event.
            assert!(counts.iter().all(|&c| (c as i64 - 10_000).abs() < 550), "{counts:?}");
            let big = BigUint::from(3u32) << 70u32;
            for _ in 0..1000 {
                assert!(uniform_below(&big).unwrap() < big);
            }
            assert_eq!(uniform_below_u64(1).unwrap(), 0);
            assert!(uniform_below_u64(0).is_err());
        });
    }
}
