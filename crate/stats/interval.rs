//! Confidence intervals for proportions, their differences and ratios, and the normal
//! distribution functions they need. No dependency: every special function is here.
//!
//! * [`wilson`]: Wilson (1927) score interval for one proportion x/n.
//! * [`newcombe_difference`]: Newcombe (1998) hybrid score interval for p₁ − p₂
//!   ("method 10"): Wilson limits of each proportion combined in quadrature. Equals
//!   statsmodels `confint_proportions_2indep(method="newcomb", compare="diff")`.
//! * [`katz_log_ratio`]: Katz et al. (1978) log interval for p₁ / p₂:
//!   exp(ln(p₁/p₂) ± z·√(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)). Equals statsmodels
//!   `confint_proportions_2indep(method="log", compare="ratio")` when x₁, x₂ > 0.
//!   **Zero counts**: when x₁ = 0 the estimate is 0 and the log-variance infinite, so the
//!   standard Haldane–Anscombe correction is applied to the whole 2×2 table: 0.5 is added to
//!   every cell, i.e. x → x + 0.5 and n → n + 1 in both rows (Pagano & Gauvreau,
//!   *Principles of Biostatistics*, §14.3). The corrected table gives the upper limit and the
//!   lower limit is reported as 0, the estimate. When x₂ = 0 the ratio is undefined (÷0) and
//!   so is its interval (Aequitas' "÷0 = 10" is not copied). statsmodels' `log-adjusted`
//!   (0.5 added to x and to n, always) is a different rule.
//! * [`mover_mean`]: MOVER-Wilson interval (Zou & Donner 2008, the construction behind
//!   Newcombe's method 10) for the mean of two independent proportions: used for balanced
//!   accuracy = (TPR + TNR) / 2.
//! * [`normal_quantile`] (Wichura 1988, AS 241 "PPND16", relative error ~1e-16),
//!   [`erfc`] (power series below 1, continued fraction above; relative error ~1e-15),
//!   [`normal_sf`] and [`normal_cdf`] (Mills-ratio continued fraction in z itself for the
//!   tail, so no rounding of z/√2), [`ln_erfc`] and [`ln_normal_sf`] (no underflow).
//!
//! Intervals are two-sided with z = Φ⁻¹(0.975) = [`Z95`], the value scipy's
//! `norm.isf(0.025)` gives, so they match statsmodels to ~1e-16.

use crate::math::Portable;
/// Φ⁻¹(0.975), the critical value of a two-sided 95 % interval.
pub const Z95: f64 = 1.959963984540054;

const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_3;

fn poly(coeffs: &[f64], x: f64) -> f64 {
    coeffs.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

/// Standard normal quantile Φ⁻¹(p) by Wichura's AS 241 (PPND16). −∞ at 0, +∞ at 1,
/// NaN outside [0, 1].
#[allow(clippy::excessive_precision)] // the coefficients exactly as published
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        133.141_667_891_784_377_45,
        1_971.590_950_306_551_442_7,
        13_731.693_765_509_461_125,
        45_921.953_931_549_871_457,
        67_265.770_927_008_700_853,
        33_430.575_583_588_128_105,
        2_509.080_928_730_122_672_7,
    ];
    const B: [f64; 8] = [
        1.0,
        42.313_330_701_600_911_252,
        687.187_007_492_057_908_3,
        5_394.196_021_424_751_107_7,
        21_213.794_301_586_595_867,
        39_307.895_800_092_710_61,
        28_729.085_735_721_942_674,
        5_226.495_278_852_854_561,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_9,
        5.769_497_221_460_691_405_5,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        0.241_780_725_177_450_611_77,
        0.022_723_844_989_269_184_583_3,
        7.745_450_142_783_414_076_4e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_4,
        0.689_767_334_985_100_004_55,
        0.148_103_976_427_480_074_59,
        0.015_198_666_563_616_457_196_6,
        5.475_938_084_995_344_946e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_2,
        5.463_784_911_164_114_369_9,
        1.784_826_539_917_291_335_8,
        0.296_560_571_828_504_891_23,
        0.026_532_189_526_576_123_093,
        0.001_242_660_947_388_078_438_6,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        0.599_832_206_555_887_937_69,
        0.136_929_880_922_735_805_31,
        0.014_875_361_290_850_614_852_5,
        7.868_691_311_456_132_591e-4,
        1.846_318_317_510_054_681_8e-5,
        1.421_511_758_316_445_888_7e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.p_ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

/// e^{−x²} without the rounding of x·x: x = h + l with h = ⌊16x⌋/16, so h² is exact
/// (W. J. Cody's device, as in R's `pnorm`).
fn exp_neg_sq(x: f64) -> f64 {
    let h = (x * 16.0).trunc() / 16.0;
    (-h * h).p_exp() * (-(x - h) * (x + h)).p_exp()
}

/// Continued fraction with `step` a_k = k·step: 1/(x + a₁/(x + a₂/(x + …))) by modified Lentz.
/// step ½ gives √π·e^{x²}·erfc(x); step 1 gives Mills' ratio (1 − Φ(x))/φ(x).
fn lentz(x: f64, step: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (mut f, mut c, mut d) = (x, x, 0.0);
    for k in 1..5000 {
        let a = k as f64 * step;
        d = x + a * d;
        d = if d == 0.0 { TINY } else { 1.0 / d };
        c = x + a / c;
        if c == 0.0 {
            c = TINY;
        }
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    1.0 / f
}

/// erf(x) for 0 ≤ x < 1 by the positive series erf x = 2/√π · e^{−x²} Σ 2ⁿx^{2n+1}/(2n+1)!!.
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    let mut n = 0.0;
    while term > 1e-17 * sum {
        n += 1.0;
        term *= 2.0 * x2 / (2.0 * n + 1.0);
        sum += term;
    }
    2.0 * FRAC_1_SQRT_PI * (-x2).p_exp() * sum
}

/// Complementary error function erfc(x) = 1 − erf(x), relative error ~1e-15.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 1.0 {
        return 1.0 - erf_series(x);
    }
    if x > 27.3 {
        return 0.0;
    }
    FRAC_1_SQRT_PI * exp_neg_sq(x) * lentz(x, 0.5)
}

/// ln erfc(x), finite for every finite x (no underflow where erfc(x) < 1e-308).
pub fn ln_erfc(x: f64) -> f64 {
    if x < 1.0 {
        return erfc(x).p_ln();
    }
    -x * x + FRAC_1_SQRT_PI.p_ln() + lentz(x, 0.5).p_ln()
}

const SQRT_2PI: f64 = 2.506_628_274_631_000_5;

/// Upper tail of the standard normal, 1 − Φ(z). Computed from z itself (Mills' ratio above
/// z = √2), not from erfc(z/√2), whose rounded argument would cost ~z²·1e-16 relative.
pub fn normal_sf(z: f64) -> f64 {
    if z < std::f64::consts::SQRT_2 {
        return 0.5 * erfc(z / std::f64::consts::SQRT_2);
    }
    if z > 38.5 {
        return 0.0;
    }
    exp_half_neg_sq(z) / SQRT_2PI * lentz(z, 1.0)
}

/// e^{−z²/2} with the same exact-split device as [`exp_neg_sq`].
fn exp_half_neg_sq(z: f64) -> f64 {
    let h = (z * 16.0).trunc() / 16.0;
    (-0.5 * h * h).p_exp() * (-0.5 * (z - h) * (z + h)).p_exp()
}

/// ln(1 − Φ(z)), finite for every finite z.
pub fn ln_normal_sf(z: f64) -> f64 {
    if z < std::f64::consts::SQRT_2 {
        return normal_sf(z).p_ln();
    }
    -0.5 * z * z - SQRT_2PI.p_ln() + lentz(z, 1.0).p_ln()
}

/// Standard normal distribution function Φ(z).
pub fn normal_cdf(z: f64) -> f64 {
    normal_sf(-z)
}

/// Wilson score interval for the proportion p on n trials (n may be a Kish effective
/// sample size). None when n ≤ 0 or p is not in [0, 1].
pub fn wilson_p(p: f64, n: f64, z: f64) -> Option<(f64, f64)> {
    if n.is_nan() || n <= 0.0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    let lo = if p == 0.0 { 0.0 } else { (center - half).max(0.0) };
    let hi = if p == 1.0 { 1.0 } else { (center + half).min(1.0) };
    Some((lo, hi))
}

/// Wilson score interval for x successes in n trials; None for 0/0 (undefined).
pub fn wilson(x: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 || x > n {
        return None;
    }
    wilson_p(x as f64 / n as f64, n as f64, z)
}

/// Newcombe hybrid score interval for p₁ − p₂ = x₁/n₁ − x₂/n₂ (method 10 of Newcombe 1998).
/// None when either proportion is undefined.
pub fn newcombe_difference(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> Option<(f64, f64)> {
    let (l1, u1) = wilson(x1, n1, z)?;
    let (l2, u2) = wilson(x2, n2, z)?;
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let d = p1 - p2;
    let lo = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let hi = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    Some((lo, hi))
}

/// Katz log interval for the ratio (x₁/n₁) / (x₂/n₂), with the 0.5 correction described
/// in the module doc when a count is 0. None when the ratio is undefined (n₁ = 0, n₂ = 0
/// or x₂ = 0).
pub fn katz_log_ratio(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> Option<(f64, f64)> {
    if n1 == 0 || n2 == 0 || x2 == 0 || x1 > n1 || x2 > n2 {
        return None;
    }
    let corr = if x1 == 0 { 0.5 } else { 0.0 };
    let (a, m) = (x1 as f64 + corr, n1 as f64 + 2.0 * corr);
    let (b, k) = (x2 as f64 + corr, n2 as f64 + 2.0 * corr);
    let ln_ratio = (a / m).p_ln() - (b / k).p_ln();
    let se = (1.0 / a - 1.0 / m + 1.0 / b - 1.0 / k).sqrt();
    let lo = if x1 == 0 { 0.0 } else { (ln_ratio - z * se).p_exp() };
    Some((lo, (ln_ratio + z * se).p_exp()))
}

/// MOVER-Wilson interval for (p₁ + p₂)/2 from each proportion's estimate and Wilson limits.
pub fn mover_mean(p1: f64, (l1, u1): (f64, f64), p2: f64, (l2, u2): (f64, f64)) -> (f64, f64) {
    let m = (p1 + p2) / 2.0;
    let lo = m - 0.5 * ((p1 - l1).powi(2) + (p2 - l2).powi(2)).sqrt();
    let hi = m + 0.5 * ((u1 - p1).powi(2) + (u2 - p2).powi(2)).sqrt();
    (lo.max(0.0), hi.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_and_cdf_round_trip() {
        assert!((normal_quantile(0.975) - Z95).abs() < 1e-15);
        for &p in &[1e-300, 1e-20, 1e-5, 0.01, 0.3, 0.5, 0.8, 0.99] {
            let z = normal_quantile(p);
            // |Δp/p| ≈ |z|·|Δz|: AS 241's ~1e-16 relative error in z shows up as 1e-13 at p = 1e-300.
            assert!((normal_cdf(z) / p - 1.0).abs() <= 1e-14 * (1.0 + z * z), "p={p} z={z}");
        }
        assert_eq!(normal_quantile(0.5), 0.0);
        assert!(normal_quantile(1.5).is_nan());
    }

    #[test]
    fn erfc_branches_meet() {
        let below = 1.0 - erf_series(1.0);
        let above = FRAC_1_SQRT_PI * (-1.0f64).p_exp() * lentz(1.0, 0.5);
        assert!((below / above - 1.0).abs() < 3e-15, "{below:e} {above:e}");
        assert!((ln_erfc(30.0) - (-900.0 - 30.0f64.p_ln() - 0.5 * std::f64::consts::PI.p_ln())).abs() < 1e-3);
        assert!((erfc(-1.0) - (2.0 - erfc(1.0))).abs() < 1e-16);
    }

    #[test]
    fn normal_tail_to_the_last_digits() {
        // Q(5) = 2.8665157187919391167e-7, Q(10) = 7.6198530241605260659e-24 (published tables).
        assert!((normal_sf(5.0) / 2.866_515_718_791_939e-7 - 1.0).abs() < 1e-15);
        assert!((normal_sf(10.0) / 7.619_853_024_160_526e-24 - 1.0).abs() < 1e-15);
        assert!((ln_normal_sf(10.0) - 7.619_853_024_160_526e-24f64.p_ln()).abs() < 1e-13);
        assert!((normal_cdf(-1.0) + normal_cdf(1.0) - 1.0).abs() < 1e-16);
    }

    #[test]
    fn wilson_edges() {
        assert_eq!(wilson(0, 0, Z95), None);
        let (lo, hi) = wilson(0, 10, Z95).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775327998628892).abs() < 1e-12);
        assert_eq!(wilson(10, 10, Z95).unwrap().1, 1.0);
    }

    #[test]
    fn katz_zero_counts() {
        assert_eq!(katz_log_ratio(3, 10, 0, 10, Z95), None);
        let (lo, hi) = katz_log_ratio(0, 10, 5, 10, Z95).unwrap();
        assert_eq!(lo, 0.0);
        // 0.5 added to every cell: 0.5/11 vs 5.5/11, ratio 1/11, se² = 1/0.5 − 1/11 + 1/5.5 − 1/11.
        let se = (1.0 / 0.5 - 1.0 / 11.0 + 1.0 / 5.5 - 1.0 / 11.0f64).sqrt();
        assert!((hi - ((1.0f64 / 11.0).p_ln() + Z95 * se).p_exp()).abs() < 1e-12);
    }
}
