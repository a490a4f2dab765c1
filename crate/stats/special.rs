//! Special functions in `f64` for the deterministic side of `dp` (accuracy of large
//! discrete Gaussians) and for its statistical tests: ln Γ, the regularized incomplete
//! gamma function, erfc, and (tests only) the regularized incomplete beta function.
//!
//! Algorithms: Lanczos (g = 7, 9 terms) for ln Γ (relative error ≈ 1e-15); series and
//! Lentz continued fractions for P(a, x) and I_x(a, b) (Press et al., *Numerical Recipes*,
//! 3rd ed., §6.1–6.4); erfc(x) = Q(½, x²). Callers that need a one-sided answer add
//! their own margin (see [`crate::dp::accuracy`]).

use crate::math::Portable;
const EPS: f64 = 1e-16;
const TINY: f64 = 1e-300;
const MAX_ITER: usize = 100_000;

/// ln Γ(x) for x > 0.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).p_sin()).p_ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut acc = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        acc += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).p_ln() + (x + 0.5) * t.p_ln() - t + acc.p_ln()
}

/// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), a > 0, x ≥ 0.
pub(crate) fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_fraction(a, x)
    }
}

fn gamma_prefactor(a: f64, x: f64) -> f64 {
    (-x + a * x.p_ln() - ln_gamma(a)).p_exp()
}

fn gamma_p_series(a: f64, x: f64) -> f64 {
    let (mut ap, mut del) = (a, 1.0 / a);
    let mut sum = del;
    for _ in 0..MAX_ITER {
        ap += 1.0;
        del *= x / ap;
        sum += del;
        if del.abs() < sum.abs() * EPS {
            break;
        }
    }
    sum * gamma_prefactor(a, x)
}

fn gamma_q_fraction(a: f64, x: f64) -> f64 {
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..MAX_ITER {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    gamma_prefactor(a, x) * h
}

/// erfc(x) = 1 − erf(x).
pub(crate) fn erfc(x: f64) -> f64 {
    if x < 0.0 {
        2.0 - gamma_q(0.5, x * x)
    } else {
        gamma_q(0.5, x * x)
    }
}

/// The regularized incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1 (only the
/// tests' Clopper–Pearson bounds need it).
#[cfg(test)]
pub(crate) fn beta_inc(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.p_ln() + b * (-x).p_ln_1p();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.p_exp() * beta_fraction(a, b, x) / a
    } else {
        1.0 - ln_front.p_exp() * beta_fraction(b, a, 1.0 - x) / b
    }
}

#[cfg(test)]
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let clamp = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / clamp(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..MAX_ITER {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / clamp(1.0 + aa * d);
        c = clamp(1.0 + aa / c);
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn known_values() {
        // Reference values: exact identities or R / scipy with 16 digits.
        assert!(ln_gamma(1.0).abs() < 1e-14 && ln_gamma(2.0).abs() < 1e-14);
        assert!(close(ln_gamma(10.0), 362_880f64.p_ln(), 1e-14));
        assert!(close(ln_gamma(0.5), std::f64::consts::PI.sqrt().p_ln(), 1e-14));
        assert!(close(ln_gamma(100_000.5), 1_051_293.465_435_139_4, 1e-13));
        // erfc(1) = 0.157299207050285130658…, erfc(3) = 2.20904969985854413727e-5.
        assert!(close(erfc(1.0), 0.157_299_207_050_285_13, 1e-13));
        assert!(close(erfc(3.0), 2.209_049_699_858_544e-5, 1e-12));
        assert!(close(erfc(-1.0), 2.0 - 0.157_299_207_050_285_13, 1e-14));
        // χ²(2 df) survival is exp(−x/2); Q(1, x) = e^{−x}.
        assert!(close(gamma_q(1.0, 30.0), (-30f64).p_exp(), 1e-12));
        assert!(close(gamma_q(1.0, 0.3), (-0.3f64).p_exp(), 1e-14));
        // I_x(1, b) = 1 − (1−x)^b; I_x(a, 1) = x^a.
        assert!(close(beta_inc(1.0, 50.0, 0.01), 1.0 - 0.99f64.powi(50), 1e-13));
        assert!(close(beta_inc(30.0, 1.0, 0.9), 0.9f64.powi(30), 1e-13));
        // Symmetry I_x(a, b) = 1 − I_{1−x}(b, a) at large parameters.
        let (a, b, x) = (20_000.0, 180_001.0, 0.1);
        assert!(close(beta_inc(a, b, x), 1.0 - beta_inc(b, a, 1.0 - x), 1e-10));
    }
}
