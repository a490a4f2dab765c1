//! Platform-independent arithmetic for the generators: `exp`, the logistic
//! function and rounding from `+ - * /` only, so every platform gets the same bits.

// ---------------------------------------------------------------------------
// Platform-independent arithmetic
// ---------------------------------------------------------------------------

/// `e^x` from `+ - * /` only, so the result is bit-identical on every
/// platform (std's `exp` defers to the platform libm natively and to a libm
/// port on wasm32, which may differ in the last bit). Range reduction
/// `x = k ln2 + r` with `|r| <= ln2 / 2`, then a degree-14 Taylor polynomial
/// (truncation error < 1e-17 relative). Input is clamped to `[-700, 700]`.
pub(super) fn exp_det(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let kf = x / std::f64::consts::LN_2;
    let k = if kf >= 0.0 { (kf + 0.5) as i64 } else { (kf - 0.5) as i64 };
    let r = x - k as f64 * std::f64::consts::LN_2;
    let mut sum = 1.0;
    let mut i = 14;
    while i >= 1 {
        sum = 1.0 + r * sum / f64::from(i);
        i -= 1;
    }
    // |k| <= 1010, so the biased exponent stays within 13..=2033 (normal).
    let two_k = f64::from_bits(((1023 + k) as u64) << 52);
    sum * two_k
}

/// Logistic function built on [`exp_det`].
pub(super) fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + exp_det(-x))
}

/// Rounds a finite non-negative float to the nearest integer (half up);
/// negative input gives 0.
pub(super) fn round_u64(x: f64) -> u64 {
    if x <= 0.0 {
        0
    } else {
        (x + 0.5) as u64
    }
}
