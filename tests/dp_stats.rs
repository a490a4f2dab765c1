//! `privaudit::dp` against OpenDP 0.16: every scale, accuracy and conversion at the
//! reference points of DEFINITIONS.md §3, from the committed fixture
//! `tests/data/reference/dp_opendp.json`.
//!
//! Regenerate the fixture (pinned `opendp==0.16.*`) from the repository root with:
//! `python3 -m venv /tmp/venv-opendp && /tmp/venv-opendp/bin/pip install "opendp==0.16.*"
//! && /tmp/venv-opendp/bin/python scripts/reference/dp_opendp.py`.
//!
//! The statistical tests of the samplers (chi-square, Bernoulli frequencies, the
//! privacy-loss audit) need the test-only seeded generator, so they are unit tests in
//! `crate/dp/` (`sampler/test.rs`, `audit.rs`).

use privaudit::dp::{accounting, accuracy, sampler, Rational};
use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/reference/dp_opendp.json");

fn fixture() -> Value {
    let text = std::fs::read_to_string(FIXTURE).unwrap_or_else(|e| {
        panic!(
            "{FIXTURE}: {e}. Regenerate it with `python3 -m venv /tmp/venv-opendp && \
             /tmp/venv-opendp/bin/pip install \"opendp==0.16.*\" && \
             /tmp/venv-opendp/bin/python scripts/reference/dp_opendp.py`"
        )
    });
    serde_json::from_str(&text).expect("the fixture is valid JSON")
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("a number in the fixture")
}

fn r(x: f64) -> Rational {
    Rational::from_f64(x).unwrap()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs()
}

#[test]
fn fixture_is_from_the_pinned_opendp() {
    let data = fixture();
    assert!(data["opendp_version"].as_str().unwrap().starts_with("0.16."));
    assert_eq!((f(&data["alpha"]), f(&data["delta"])), (0.05, 1e-6));
}

#[test]
fn discrete_laplace_matches_opendp() {
    let data = fixture();
    let one = Rational::from(1);
    let table = [30, 6, 3, 1]; // DEFINITIONS.md: ε 0.1/0.5/1/2 → ±30/±6/±3/±1
    for (row, expected_h) in data["discrete_laplace"].as_array().unwrap().iter().zip(table) {
        let eps = r(f(&row["epsilon"]));
        let scale = accounting::epsilon_to_laplace_scale(&one, &eps).unwrap();
        assert_eq!(scale.to_f64(), f(&row["scale"]));
        assert_eq!(accounting::laplace_scale_to_epsilon(&one, &scale).unwrap().to_f64(), f(&row["map_epsilon"]));
        assert!(close(accounting::pure_to_zcdp(&eps).to_f64(), f(&row["zcdp_rho"]), 1e-15));
        // OpenDP: |err| < a; privaudit: |err| ≤ h = ⌈a⌉ − 1.
        let h = accuracy::discrete_laplace_scale_to_accuracy(&scale, 0.05).unwrap();
        assert_eq!(h as f64, f(&row["accuracy"]).ceil() - 1.0);
        assert_eq!(h, expected_h);
    }
    for pair in data["accuracy_to_discrete_laplace_scale"].as_array().unwrap() {
        let (a, b) = (f(&pair[0]) as u64, f(&pair[1]));
        let ours = accuracy::accuracy_to_discrete_laplace_scale(a - 1, 0.05).unwrap().to_f64();
        assert!(ours <= b * (1.0 + 1e-12) && close(ours, b, 1e-9), "a = {a}: {ours} vs OpenDP {b}");
    }
}

#[test]
fn discrete_gaussian_matches_opendp() {
    let data = fixture();
    let one = Rational::from(1);
    let table = [20, 6, 2]; // DEFINITIONS.md: ρ 0.005/0.05/0.5 → ±20/±6/±2
    for (row, expected_h) in data["discrete_gaussian"].as_array().unwrap().iter().zip(table) {
        let rho = r(f(&row["rho"]));
        let sigma2 = accounting::rho_to_gaussian_sigma2(&one, &rho).unwrap();
        assert!(close(sigma2.to_f64().sqrt(), f(&row["sigma"]), 1e-15));
        assert!(close(accounting::gaussian_sigma2_to_rho(&one, &sigma2).unwrap().to_f64(), f(&row["map_rho"]), 1e-15));
        let h = accuracy::discrete_gaussian_scale_to_accuracy(&sigma2, 0.05).unwrap();
        assert_eq!((h as f64, h), (f(&row["accuracy"]) - 1.0, expected_h));
        let eps = accounting::zcdp_to_approx_dp(&rho, 1e-6).unwrap();
        assert!(
            close(eps, f(&row["epsilon_at_delta"]), 1e-9),
            "ρ = {rho}: {eps} vs OpenDP {}",
            row["epsilon_at_delta"]
        );
        let simple = accounting::zcdp_to_approx_dp_simple(&rho, 1e-6).unwrap();
        assert!(close(simple, f(&row["simple_epsilon_at_delta"]), 1e-11));
        for pair in row["delta_at_epsilon"].as_array().unwrap() {
            let (e, d) = (f(&pair[0]), f(&pair[1]));
            let ours = accounting::zcdp_delta(&rho, e).unwrap();
            if d > 1e-300 {
                assert!(close(ours, d, 1e-9), "ρ = {rho}, ε = {e}: δ {ours} vs OpenDP {d}");
            } else {
                assert!(ours > 0.0 && ours < 1e-300);
            }
        }
    }
}

#[test]
fn large_gaussian_accuracy_is_never_below_opendp() {
    // Above σ² = 2²⁴ privaudit uses a conservative bound: h may exceed OpenDP's a − 1 by one.
    for pair in fixture()["discrete_gaussian_accuracy"].as_array().unwrap() {
        let (sigma, a) = (f(&pair[0]), f(&pair[1]));
        let s = r(sigma);
        let h = accuracy::discrete_gaussian_scale_to_accuracy(&s.mul(&s), 0.05).unwrap() as f64;
        assert!(h == a - 1.0 || (sigma > 4096.0 && h == a), "σ = {sigma}: h = {h}, OpenDP a = {a}");
    }
    for pair in fixture()["accuracy_to_discrete_gaussian_scale"].as_array().unwrap() {
        let (a, sigma) = (f(&pair[0]) as u64, f(&pair[1]));
        let ours = accuracy::accuracy_to_discrete_gaussian_sigma2(a - 1, 0.05).unwrap().to_f64().sqrt();
        assert!(close(ours, sigma, 1e-6), "a = {a}: σ {ours} vs OpenDP {sigma}");
    }
}

#[test]
fn samplers_run_on_os_entropy() {
    // Through the public API with the real CSPRNG: values are integers near 0.
    let scale = Rational::from(3);
    let draws: Vec<i64> =
        (0..2000).map(|_| i64::try_from(sampler::sample_discrete_laplace(&scale).unwrap()).unwrap()).collect();
    assert!(draws.iter().all(|x| x.abs() < 200));
    let g = sampler::sample_discrete_gaussian(&Rational::from(9)).unwrap();
    assert!(i64::try_from(g).unwrap().abs() < 100);
}
