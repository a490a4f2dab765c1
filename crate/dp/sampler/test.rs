//! Statistical tests of the exact samplers, reproducible through the test-only seeded
//! generator. Each test is designed to fail a correct sampler with probability ≈ 1e-6
//! ([`TEST_ALPHA`]); the seeds are fixed, so a run either always passes or always fails.

use crate::math::Portable;
use num_bigint::BigUint;
use num_traits::ToPrimitive;

use super::*;
use crate::dp::rational::Rational;
use crate::dp::rng::test_rng::{with_failing_rng, with_seeded_rng};
use crate::dp::testing::{chi_square_test, clopper_pearson_lower, clopper_pearson_upper, TEST_ALPHA};
use crate::dp::DpError;

const DRAWS: usize = 50_000;

fn dl_pmf(b: f64) -> impl Fn(i64) -> f64 {
    let norm = (1.0 / (2.0 * b)).p_tanh();
    move |k| norm * (-(k.abs() as f64) / b).p_exp()
}

fn dg_pmf(sigma2: f64) -> impl Fn(i64) -> f64 {
    let f = move |k: i64| (-((k * k) as f64) / (2.0 * sigma2)).p_exp();
    let m = (sigma2.sqrt() * 40.0) as i64 + 10;
    let total: f64 = (-m..=m).map(f).sum();
    move |k| f(k) / total
}

fn draws(seed: u64, sample: impl Fn() -> Result<num_bigint::BigInt, DpError>) -> Vec<i64> {
    with_seeded_rng(seed, || (0..DRAWS).map(|_| sample().unwrap().to_i64().unwrap()).collect())
}

fn ratio(num: u64, den: u64) -> Rational {
    Rational::from_ratio(num, den).unwrap()
}

#[test]
fn discrete_laplace_fits_its_pmf() {
    for (i, scale) in [ratio(1, 2), ratio(3, 1), ratio(40, 1)].into_iter().enumerate() {
        let samples = draws(100 + i as u64, || sample_discrete_laplace(&scale));
        let chi = chi_square_test(&samples, dl_pmf(scale.to_f64()), TEST_ALPHA);
        println!(
            "discrete Laplace b = {scale}: X² = {:.1}, critical {:.1} (df {})",
            chi.statistic, chi.critical, chi.df
        );
        assert!(!chi.rejects(), "b = {scale}: {chi:?}");
    }
}

#[test]
fn discrete_laplace_big_integer_path_fits() {
    // t and s above 2^64 force the BigUint code path; b = (3·2^70 + 1)/2^70 ≈ 3.
    let two70 = BigUint::from(1u32) << 70u32;
    let scale = Rational::new(&two70 * 3u32 + 1u32, two70).unwrap();
    let samples = draws(7, || sample_discrete_laplace(&scale));
    let chi = chi_square_test(&samples, dl_pmf(scale.to_f64()), TEST_ALPHA);
    assert!(!chi.rejects(), "{chi:?}");
}

#[test]
fn discrete_gaussian_fits_its_pmf() {
    for (i, sigma2) in [ratio(1, 4), ratio(9, 1), ratio(1600, 1)].into_iter().enumerate() {
        let samples = draws(200 + i as u64, || sample_discrete_gaussian(&sigma2));
        let chi = chi_square_test(&samples, dg_pmf(sigma2.to_f64()), TEST_ALPHA);
        println!(
            "discrete Gaussian σ² = {sigma2}: X² = {:.1}, critical {:.1} (df {})",
            chi.statistic, chi.critical, chi.df
        );
        assert!(!chi.rejects(), "σ² = {sigma2}: {chi:?}");
    }
}

#[test]
fn chi_square_test_catches_a_ten_percent_scale_error() {
    // Power: the same test, same draw count, must reject samplers whose scale is 10 % off.
    let samples = draws(300, || sample_discrete_laplace(&ratio(33, 10)));
    let chi = chi_square_test(&samples, dl_pmf(3.0), TEST_ALPHA);
    println!("discrete Laplace b = 3.3 tested as b = 3: X² = {:.1}, critical {:.1}", chi.statistic, chi.critical);
    assert!(chi.rejects(), "{chi:?}");
    // σ 10 % too large: σ² = 9 · 1.21.
    let samples = draws(301, || sample_discrete_gaussian(&ratio(1089, 100)));
    let chi = chi_square_test(&samples, dg_pmf(9.0), TEST_ALPHA);
    println!("discrete Gaussian σ = 3.3 tested as σ = 3: X² = {:.1}, critical {:.1}", chi.statistic, chi.critical);
    assert!(chi.rejects(), "{chi:?}");
}

/// Checks that `hits` successes in `n` trials are consistent with probability `p`: `p`
/// lies in the two-sided Clopper–Pearson interval at level `alpha`.
fn assert_frequency(hits: u64, n: u64, p: f64, alpha: f64, what: &str) {
    let (lo, hi) = (clopper_pearson_lower(hits, n, alpha / 2.0), clopper_pearson_upper(hits, n, alpha / 2.0));
    assert!(lo <= p && p <= hi, "{what}: {hits}/{n} is not compatible with p = {p} ([{lo}, {hi}])");
}

#[test]
fn bernoulli_exp_frequencies() {
    let gammas = [ratio(0, 1), ratio(1, 2), ratio(1, 1), ratio(27, 10), ratio(10, 3), ratio(7, 1)];
    let n = 40_000u64;
    for (i, gamma) in gammas.iter().enumerate() {
        let hits =
            with_seeded_rng(400 + i as u64, || (0..n).filter(|_| sample_bernoulli_exp(gamma).unwrap()).count() as u64);
        // Bonferroni over the six γ: the whole test fails a correct sampler w.p. ≤ 1e-6.
        assert_frequency(hits, n, (-gamma.to_f64()).p_exp(), TEST_ALPHA / gammas.len() as f64, &format!("γ = {gamma}"));
    }
}

#[test]
fn bernoulli_rational_frequencies() {
    let big = (BigUint::from(1u32) << 80u32) + 7u32;
    let ps = [ratio(1, 3), ratio(999, 1000), Rational::new(&big / 3u32, big).unwrap()];
    let n = 40_000u64;
    for (i, p) in ps.iter().enumerate() {
        let hits = with_seeded_rng(500 + i as u64, || (0..n).filter(|_| sample_bernoulli(p).unwrap()).count() as u64);
        assert_frequency(hits, n, p.to_f64(), TEST_ALPHA / ps.len() as f64, &format!("p = {p}"));
    }
    assert!(sample_bernoulli(&ratio(3, 2)).is_err());
    with_seeded_rng(1, || {
        assert!(!sample_bernoulli(&ratio(0, 1)).unwrap());
        assert!(sample_bernoulli(&ratio(1, 1)).unwrap());
        assert!(sample_bernoulli_exp(&ratio(0, 1)).unwrap());
    });
}

#[test]
fn entropy_failure_fails_every_sampler() {
    with_failing_rng(|| {
        assert!(matches!(sample_discrete_laplace(&ratio(3, 1)), Err(DpError::Entropy { .. })));
        assert!(matches!(sample_discrete_gaussian(&ratio(9, 1)), Err(DpError::Entropy { .. })));
        assert!(matches!(sample_bernoulli_exp(&ratio(1, 2)), Err(DpError::Entropy { .. })));
    });
}

#[test]
fn zero_scales_are_refused() {
    assert!(sample_discrete_laplace(&Rational::zero()).is_err());
    assert!(sample_discrete_gaussian(&Rational::zero()).is_err());
}
