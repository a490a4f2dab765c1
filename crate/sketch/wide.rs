//! Exact 64 × 64 → 128-bit products for the power sums of [`super::moments_batch`] and
//! [`super::power_sums`].
//!
//! Natively `u128::from(a) * u128::from(b)` is one widening multiply instruction. On
//! wasm32 there is none, and LLVM lowers the same expression to a call of `__multi3`, a
//! full 128 × 128-bit product: in Chromium that call was 7 % of a profile run. Here the
//! wasm build multiplies four 32-bit limbs inline instead. Both paths are exact integer
//! arithmetic, so they give the same bits (a test compares them on every target).

/// `a · b` exactly.
#[inline(always)]
pub(crate) fn mul_u64(a: u64, b: u64) -> u128 {
    #[cfg(target_arch = "wasm32")]
    {
        mul_u64_limbs(a, b)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        u128::from(a) * u128::from(b)
    }
}

/// `a · b` exactly (signs included; `i64::MIN` too: `2^126` fits).
#[inline(always)]
pub(crate) fn mul_i64(a: i64, b: i64) -> i128 {
    let p = mul_u64(a.unsigned_abs(), b.unsigned_abs()) as i128;
    if (a < 0) != (b < 0) {
        -p
    } else {
        p
    }
}

/// Schoolbook product of 32-bit limbs; no partial sum overflows 64 bits.
#[inline(always)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn mul_u64_limbs(a: u64, b: u64) -> u128 {
    const LOW: u64 = 0xFFFF_FFFF;
    let (a0, a1) = (a & LOW, a >> 32);
    let (b0, b1) = (b & LOW, b >> 32);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    // Each term below 2^32, so their sum is below 2^34.
    let mid = (p00 >> 32) + (p01 & LOW) + (p10 & LOW);
    let lo = (p00 & LOW) | (mid << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    (u128::from(hi) << 64) | u128::from(lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EDGES: [u64; 9] = [0, 1, 2, 0xFFFF_FFFF, 1 << 32, (1 << 53) - 1, 1 << 63, u64::MAX - 1, u64::MAX];

    #[test]
    fn limbs_equal_the_widening_product_on_edges() {
        for a in EDGES {
            for b in EDGES {
                assert_eq!(mul_u64_limbs(a, b), u128::from(a) * u128::from(b), "{a} · {b}");
                assert_eq!(mul_u64(a, b), u128::from(a) * u128::from(b), "{a} · {b}");
            }
        }
    }

    #[test]
    fn signed_products_on_edges() {
        for a in [0, 1, -1, i64::MAX, i64::MIN, i64::MIN + 1, -(1 << 53), 1 << 26] {
            for b in [0, 1, -1, i64::MAX, i64::MIN, 3, -(1 << 40)] {
                assert_eq!(mul_i64(a, b), i128::from(a) * i128::from(b), "{a} · {b}");
            }
        }
    }

    proptest! {
        #[test]
        fn limbs_equal_the_widening_product(a: u64, b: u64) {
            prop_assert_eq!(mul_u64_limbs(a, b), u128::from(a) * u128::from(b));
        }

        #[test]
        fn signed_product_is_exact(a: i64, b: i64) {
            prop_assert_eq!(mul_i64(a, b), i128::from(a) * i128::from(b));
        }
    }
}
