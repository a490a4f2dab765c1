//! Exact accounting values. Reference numbers: DEFINITIONS.md §3 (OpenDP 0.16.0); the
//! full-precision comparison against the committed OpenDP fixture is in
//! `tests/dp_stats.rs`.

use super::*;
use crate::dp::Measure;

fn r(x: f64) -> Rational {
    Rational::from_f64(x).unwrap()
}

#[test]
fn calibration_is_exact() {
    let one = Rational::from(1);
    for (eps, b) in [(0.1, 10.0), (0.5, 2.0), (1.0, 1.0), (2.0, 0.5)] {
        let scale = epsilon_to_laplace_scale(&one, &r(eps)).unwrap();
        assert_eq!(scale.to_f64(), b);
        // Round trip is exact: the ε charged is the ε the scale gives.
        assert_eq!(laplace_scale_to_epsilon(&one, &scale).unwrap(), r(eps));
    }
    assert_eq!(epsilon_to_laplace_scale(&Rational::from(3), &r(0.5)).unwrap(), Rational::from(6));
    for (rho, sigma2) in [(0.005, 100.0), (0.05, 10.0), (0.5, 1.0)] {
        let s2 = rho_to_gaussian_sigma2(&one, &r(rho)).unwrap();
        assert!((s2.to_f64() / sigma2 - 1.0).abs() < 1e-15, "ρ = {rho}: σ² = {}", s2.to_f64());
        assert_eq!(gaussian_sigma2_to_rho(&one, &s2).unwrap(), r(rho));
    }
    assert!(epsilon_to_laplace_scale(&one, &Rational::zero()).is_err());
    assert!(rho_to_gaussian_sigma2(&one, &Rational::zero()).is_err());
}

#[test]
fn pure_to_zcdp_is_half_the_square() {
    assert_eq!(pure_to_zcdp(&Rational::from_ratio(1, 10).unwrap()), Rational::from_ratio(1, 200).unwrap());
    assert_eq!(pure_to_zcdp(&Rational::from(2)), Rational::from(2));
}

#[test]
fn cks20_conversion_reproduces_the_reference_table() {
    // DEFINITIONS.md §3: ε at δ = 1e-6 — ρ 0.005 → 0.430 / 0.531, 0.05 → 1.472 / 1.712,
    // 0.5 → 5.22 / 5.76 (CKS20 / simple).
    for (rho, tight, simple, tol) in [(0.005, 0.430, 0.531, 5e-4), (0.05, 1.472, 1.712, 5e-4), (0.5, 5.22, 5.76, 5e-3)]
    {
        let eps = zcdp_to_approx_dp(&r(rho), 1e-6).unwrap();
        let eps_simple = zcdp_to_approx_dp_simple(&r(rho), 1e-6).unwrap();
        assert!((eps - tight).abs() < tol, "ρ = {rho}: {eps}");
        assert!((eps_simple - simple).abs() < tol, "ρ = {rho}: {eps_simple}");
        assert!(eps < eps_simple);
    }
}

#[test]
fn cks20_conversion_is_conservative_and_tight() {
    for rho in [1e-4, 0.005, 0.05, 0.5, 3.0] {
        for delta in [1e-12, 1e-6, 1e-3] {
            let eps = zcdp_to_approx_dp(&r(rho), delta).unwrap();
            // At the reported ε the (rounded-up) bound meets δ …
            assert!(zcdp_delta(&r(rho), eps).unwrap() <= delta);
            // … and 1e-9 below it, it no longer does: the answer is not loose.
            assert!(zcdp_delta(&r(rho), eps * (1.0 - 1e-9)).unwrap() > delta, "ρ = {rho}, δ = {delta}");
        }
    }
    assert_eq!(zcdp_to_approx_dp(&Rational::zero(), 1e-6).unwrap(), 0.0);
    assert!(zcdp_to_approx_dp(&r(0.5), 0.0).is_err());
}

#[test]
fn approx_dp_to_zcdp_inverts_the_conversion() {
    let rho = approx_dp_to_zcdp(1.0, 1e-6).unwrap();
    let eps = zcdp_to_approx_dp(&rho, 1e-6).unwrap();
    assert!(eps <= 1.0 && eps > 1.0 - 1e-9, "{eps}");
}

#[test]
fn ledger_pure_budget() {
    let mut ledger = Ledger::new(PrivacyLoss::Pure { epsilon: r(1.0) });
    let parts = ledger.split_remaining(&[1, 1, 2]).unwrap();
    assert_eq!(parts[2], PrivacyLoss::Pure { epsilon: Rational::from_ratio(1, 2).unwrap() });
    for (i, part) in parts.into_iter().enumerate() {
        ledger.spend(format!("query {i}"), part).unwrap();
    }
    assert!(ledger.remaining().is_zero());
    assert_eq!(ledger.spent_as_approx_dp(1e-6).unwrap(), 1.0);
    let err = ledger.spend("one more", PrivacyLoss::Pure { epsilon: r(0.1) }).unwrap_err();
    assert_eq!(err, DpError::BudgetExceeded { measure: Measure::Epsilon, requested: 0.1, remaining: 0.0 });
    assert_eq!(ledger.entries().len(), 3);
    let err = ledger.spend("gaussian", PrivacyLoss::Zcdp { rho: r(0.1) }).unwrap_err();
    assert!(matches!(err, DpError::IncompatibleMeasure { .. }));
    assert!(err.to_string().contains("keep the budget in ρ"));
}

#[test]
fn ledger_zcdp_budget_mixes_measures() {
    let mut ledger = Ledger::new(PrivacyLoss::Zcdp { rho: r(0.5) });
    ledger.spend("count", PrivacyLoss::Pure { epsilon: r(0.5) }).unwrap(); // ρ = 1/8
    ledger.spend("sum", PrivacyLoss::Zcdp { rho: r(0.375) }).unwrap();
    assert!(ledger.remaining().is_zero());
    assert_eq!(ledger.entries()[0].charged, Rational::from_ratio(1, 8).unwrap());
    let eps = ledger.spent_as_approx_dp(1e-6).unwrap();
    assert!((eps - 5.2215).abs() < 1e-3, "{eps}");
    let json = serde_json::to_string(&ledger).unwrap();
    assert_eq!(serde_json::from_str::<Ledger>(&json).unwrap(), ledger);
    assert!(json.contains(r#"{"kind":"zcdp","rho":"1/2"}"#), "{json}");
}

#[test]
fn split_is_exact() {
    let total = r(0.1);
    let parts = split_budget(&total, &[1, 1, 1]).unwrap();
    let sum = parts.iter().fold(Rational::zero(), |acc, p| acc.add(p));
    assert_eq!(sum, total);
    assert!(split_budget(&total, &[]).is_err() && split_budget(&total, &[0, 0]).is_err());
}
