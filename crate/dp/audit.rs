//! Empirical privacy-loss audit (test-only).
//!
//! Run a count release on neighbouring datasets D (n rows) and D′ (n + 1 rows) many
//! times. For every event S = {output ≥ t}, ε-DP requires P[M(D′) ∈ S] ≤ e^ε P[M(D) ∈ S]
//! and, for the complement, P[M(D) ∉ S] ≤ e^ε P[M(D′) ∉ S]. One-sided Clopper–Pearson
//! bounds turn the observed frequencies into a lower bound on ε:
//! ε̂ = max over events of ln(lower bound of the larger probability / upper bound of the
//! smaller one). If every bound holds, ε̂ ≤ the true privacy loss; with m thresholds
//! there are 4m bounds, each at level α/(4m) (Bonferroni), so a mechanism that really
//! is ε-DP gives ε̂ > ε with probability at most α = 1e-6.
//! A mechanism with half the claimed scale is 2ε-DP, and the audit must notice it.

use crate::math::Portable;
use num_traits::ToPrimitive;

use crate::dp::accounting::epsilon_to_laplace_scale;
use crate::dp::rational::Rational;
use crate::dp::rng::test_rng::with_seeded_rng;
use crate::dp::sampler::sample_discrete_laplace;
use crate::dp::testing::{clopper_pearson_lower, clopper_pearson_upper, TEST_ALPHA};
use crate::dp::threshold::threshold_to_delta;

const RELEASES: usize = 200_000;

/// The ε lower bound from samples of M(D) and M(D′) over events {x ≥ t}.
pub(super) fn epsilon_lower_bound(on_d: &[i64], on_d_prime: &[i64], thresholds: &[i64], alpha: f64) -> f64 {
    let a = alpha / (4 * thresholds.len()) as f64;
    let n = on_d.len() as u64;
    let n_prime = on_d_prime.len() as u64;
    let mut best = f64::NEG_INFINITY;
    for &t in thresholds {
        let d_hits = on_d.iter().filter(|&&x| x >= t).count() as u64;
        let dp_hits = on_d_prime.iter().filter(|&&x| x >= t).count() as u64;
        // {x ≥ t} is likelier on D′ (one more row); {x < t} is likelier on D.
        let up = clopper_pearson_lower(dp_hits, n_prime, a) / clopper_pearson_upper(d_hits, n, a);
        let down = clopper_pearson_lower(n - d_hits, n, a) / clopper_pearson_upper(n_prime - dp_hits, n_prime, a);
        best = best.max(up.p_ln()).max(down.p_ln());
    }
    best
}

/// `RELEASES` noisy counts of a dataset with `count` rows, with noise of `scale`.
fn count_releases(seed: u64, count: i64, scale: &Rational) -> Vec<i64> {
    with_seeded_rng(seed, || {
        (0..RELEASES)
            .map(|_| sample_discrete_laplace(scale).ok().and_then(|z| z.to_i64()).map(|z| count + z))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default()
    })
}

fn audit(scale: &Rational, seed: u64) -> f64 {
    let n = 1000;
    let on_d = count_releases(seed, n, scale);
    let on_d_prime = count_releases(seed + 1, n + 1, scale);
    assert_eq!((on_d.len(), on_d_prime.len()), (RELEASES, RELEASES));
    let thresholds: Vec<i64> = (-2..=4).map(|k| n + k).collect();
    epsilon_lower_bound(&on_d, &on_d_prime, &thresholds, TEST_ALPHA)
}

#[test]
fn count_release_passes_and_a_mis_scaled_one_fails() {
    let claimed = Rational::from(1);
    let scale = epsilon_to_laplace_scale(&Rational::from(1), &claimed).unwrap();
    let correct = audit(&scale, 10);
    let half = scale.mul(&Rational::from_ratio(1, 2).unwrap());
    let mis_scaled = audit(&half, 20);
    println!("audit, claimed ε = 1: ε̂ = {correct:.4} (correct scale), {mis_scaled:.4} (half scale)");
    assert!(correct <= 1.0, "the correct mechanism's ε lower bound {correct} exceeds the claimed ε = 1");
    // The audit is tight: for tail events the loss of the discrete Laplace is exactly ε.
    assert!(correct > 0.8, "audit lost its power: {correct}");
    assert!(mis_scaled > 1.0, "the mis-scaled mechanism was not caught: {mis_scaled}");
}

#[test]
fn threshold_delta_matches_survival_rate() {
    // A key with one person survives the "≥ τ" rule with probability δ₁ = P[Z ≥ τ − 1].
    let (scale, tau) = (Rational::from(1), 3i64);
    let delta1 = threshold_to_delta(&scale, tau as u64, 1).unwrap();
    let kept = with_seeded_rng(30, || {
        (0..RELEASES as u64)
            .filter(|_| sample_discrete_laplace(&scale).ok().and_then(|z| z.to_i64()) >= Some(tau - 1))
            .count()
    }) as u64;
    let n = RELEASES as u64;
    let (lo, hi) = (clopper_pearson_lower(kept, n, TEST_ALPHA / 2.0), clopper_pearson_upper(kept, n, TEST_ALPHA / 2.0));
    assert!(lo <= delta1 && delta1 <= hi, "δ₁ = {delta1}, survival {kept}/{n} ([{lo}, {hi}])");
}
