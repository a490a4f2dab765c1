//! Population uniqueness: how many people of a population of N are unique on the
//! quasi-identifiers, estimated from the sample's class-size histogram c_j
//! (`shared/PRIVACY_RISK.md` §3; ARX `RiskModelPopulationUniqueness`). Every model assumes
//! the file is a simple random sample of the population; π = n/N.
//!
//! - **Zayatz (1991)**: P(PU | SU) = c₁·h(1) / Σ_j c_j·h(j) with h(j) the hypergeometric
//!   probability that exactly one of a population class of size j is drawn; U = c₁·P/π.
//!   Computed through h(j)/h(1) = j·Π_{i<j} (N − n − i + 1)/(N − i), without factorials.
//! - **Pitman (Hoshino 2001)**: maximum-likelihood (θ, α) of the two-parameter Pitman
//!   partition by Newton–Raphson from ARX's moment guess, U = Γ(θ+1)/Γ(θ+α)·N^α; α < 0 is
//!   admissible. Not estimable when Newton does not converge, α = 0, θ + α ≤ 0, or U is
//!   outside [0, N] (ARX then returns 0; privaudit says "not estimable").
//! - **Dankar et al. (2012)** decision rule, as ARX: no sample unique → 0; π ≤ 0.1 →
//!   Pitman, or Zayatz when Pitman is not estimable; π > 0.1 → min(Zayatz, SNB) when SNB
//!   converges, else Zayatz. privaudit does not compute SNB (it often fails to converge),
//!   so it always takes Zayatz above 0.1 — ARX's answer whenever SNB fails, and never
//!   below ARX's otherwise.

use crate::dp::special::ln_gamma;
use crate::math::Portable;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One model's estimate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelEstimate {
    /// `Pitman`, `Zayatz` or `SNB`.
    pub model: String,
    /// Estimated population uniques (None: not estimable).
    pub uniques: Option<f64>,
    /// uniques / N.
    pub share: Option<f64>,
    /// Fitted parameters, or why the model is not estimable.
    pub detail: String,
}

/// The population-uniqueness estimate for a population of N.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PopulationEstimate {
    /// N, as given by the user.
    pub population: u64,
    /// π = n / N.
    pub sampling_fraction: f64,
    /// The model Dankar's rule picks (None: no estimate).
    pub model: Option<String>,
    /// Its estimate of population uniques (None: not estimable).
    pub uniques: Option<f64>,
    /// uniques / N.
    pub share: Option<f64>,
    /// Why the rule chose that model (or why there is no estimate).
    pub rule: String,
    /// Every model's estimate (the alternatives).
    pub models: Vec<ModelEstimate>,
}

/// Fitted Pitman parameters and estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pitman {
    /// θ.
    pub theta: f64,
    /// α.
    pub alpha: f64,
    /// U (None: outside [0, N] or not computable).
    pub uniques: Option<f64>,
}

fn digamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    let series = f
        * (-1.0 / 12.0
            + f * (1.0 / 120.0 + f * (-1.0 / 252.0 + f * (1.0 / 240.0 + f * (-1.0 / 132.0 + f * (691.0 / 32760.0))))));
    acc + x.p_ln() - 0.5 / x + series
}

fn trigamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 10.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    let series = 1.0 / x
        + f / 2.0
        + f / x * (1.0 / 6.0 + f * (-1.0 / 30.0 + f * (1.0 / 42.0 + f * (-1.0 / 30.0 + f * (5.0 / 66.0)))));
    acc + series
}

/// Zayatz: (P(PU | SU), U); None when not computable.
pub fn zayatz(h: &BTreeMap<u64, u64>, n: u64, population: u64) -> Option<(f64, f64)> {
    let c1 = *h.get(&1)? as f64;
    if population < n || n == 0 {
        return None;
    }
    let (nn, big) = (n as f64, population as f64);
    let mut denom = 0.0;
    let mut ratio = 1.0; // h(j)/h(1) / j
    let mut j_prev = 1u64;
    for (&j, &c) in h {
        while j_prev < j && ratio > 0.0 {
            let i = j_prev as f64;
            ratio *= ((big - nn - i + 1.0) / (big - i)).max(0.0);
            j_prev += 1;
        }
        if ratio <= 0.0 {
            break;
        }
        denom += c as f64 * j as f64 * ratio;
    }
    let p = c1 / denom;
    let u = c1 * p / (nn / big);
    (p.is_finite() && u.is_finite()).then_some((p, u))
}

/// Pitman by Newton–Raphson; None when it does not converge (c₁ > 0 required).
pub fn pitman(h: &BTreeMap<u64, u64>, population: u64) -> Option<Pitman> {
    let c1 = *h.get(&1)? as f64;
    let c2 = h.get(&2).map_or(1.0, |&c| c as f64);
    let n: f64 = h.iter().map(|(&j, &c)| j as f64 * c as f64).sum();
    let u: u64 = h.values().sum();
    let uf = u as f64;
    let c = c1 * (c1 - 1.0) / c2;
    let mut t = (n * uf * c - c1 * (n - 1.0) * (2.0 * uf + c)) / (2.0 * c1 * uf + c1 * c - n * c);
    let mut a = (t * (c1 - n) + (n - 1.0) * c1) / (n * uf);
    let sizes: Vec<(f64, f64)> = h.iter().filter(|(&j, _)| j > 1).map(|(&j, &c)| (j as f64, c as f64)).collect();
    let eval = |t: f64, a: f64| {
        let (mut o1, mut o3, mut d1, mut d3, mut d5) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for i in 1..u {
            let i = i as f64;
            let v = 1.0 / (t + i * a);
            o1 += v;
            o3 += i * v;
            d1 += v * v;
            d5 += i * v * v;
            d3 += i * i * v * v;
        }
        let o2 = digamma(t + n) - digamma(t + 1.0);
        let d2 = trigamma(t + 1.0) - trigamma(t + n);
        let (psi1, tri1) = (digamma(1.0 - a), trigamma(1.0 - a));
        let o4: f64 = sizes.iter().map(|&(j, c)| c * (digamma(j - a) - psi1)).sum();
        let d4: f64 = sizes.iter().map(|&(j, c)| c * (tri1 - trigamma(j - a))).sum();
        ([o1 - o2, o3 - o4], [[d2 - d1, -d5], [-d5, -d3 - d4]])
    };
    let mut converged = false;
    for _ in 0..200 {
        if !(t.is_finite() && a.is_finite()) || a >= 1.0 {
            return None;
        }
        let (f, j) = eval(t, a);
        let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
        let dt = (f[0] * j[1][1] - f[1] * j[0][1]) / det;
        let da = (j[0][0] * f[1] - j[1][0] * f[0]) / det;
        t -= dt;
        a -= da;
        if dt.abs() <= 1e-12 * t.abs().max(1.0) && da.abs() <= 1e-12 {
            converged = true;
            break;
        }
    }
    let (f, _) = eval(t, a);
    let fitted = converged && f[0].abs() <= 1e-6 && f[1].abs() <= 1e-6 && a != 0.0 && t + a > 0.0;
    if !fitted {
        return None;
    }
    let big = population as f64;
    let est = (ln_gamma(t + 1.0) - ln_gamma(t + a)).p_exp() * big.p_powf(a);
    Some(Pitman { theta: t, alpha: a, uniques: (est >= 0.0 && est <= big).then_some(est) })
}

/// Every model and Dankar's choice, for a population of `population` (≥ 1).
pub fn estimate(h: &BTreeMap<u64, u64>, population: u64) -> PopulationEstimate {
    let n: u64 = h.iter().map(|(j, c)| j * c).sum();
    let big = population as f64;
    let pi = n as f64 / big;
    let share = |u: Option<f64>| u.map(|u| u / big);
    let base = PopulationEstimate {
        population,
        sampling_fraction: pi,
        model: None,
        uniques: None,
        share: None,
        rule: String::new(),
        models: Vec::new(),
    };
    if population < n {
        return PopulationEstimate {
            rule: format!("not estimable: the population size ({population}) is smaller than the rows ({n})"),
            ..base
        };
    }
    if !h.contains_key(&1) {
        return PopulationEstimate {
            model: Some("none needed".into()),
            uniques: Some(0.0),
            share: Some(0.0),
            rule: "no sample uniques, hence no population uniques (every model gives 0 by definition)".into(),
            ..base
        };
    }
    let z = zayatz(h, n, population);
    let p = pitman(h, population);
    let fmt = crate::report::fmt::number;
    let zm = ModelEstimate {
        model: "Zayatz".into(),
        uniques: z.map(|z| z.1),
        share: share(z.map(|z| z.1)),
        detail: z.map_or_else(
            || "not estimable".into(),
            |(p, _)| format!("P(population unique | sample unique) = {}", fmt(p)),
        ),
    };
    let pm = ModelEstimate {
        model: "Pitman".into(),
        uniques: p.and_then(|p| p.uniques),
        share: share(p.and_then(|p| p.uniques)),
        detail: match p {
            None => "not estimable: the maximum-likelihood fit did not converge".into(),
            Some(p) if p.uniques.is_none() => {
                format!("not estimable: θ = {}, α = {} give an estimate outside [0, N]", fmt(p.theta), fmt(p.alpha))
            }
            Some(p) => format!("θ = {}, α = {}", fmt(p.theta), fmt(p.alpha)),
        },
    };
    let snb = ModelEstimate {
        model: "SNB".into(),
        uniques: None,
        share: None,
        detail: "not computed by privaudit (ARX's rule then uses Zayatz)".into(),
    };
    let (model, uniques, rule) = if pi <= 0.1 {
        match pm.uniques {
            Some(u) => ("Pitman", Some(u), "π ≤ 0.1: Pitman (Dankar et al. 2012)"),
            None => ("Zayatz", zm.uniques, "π ≤ 0.1 but Pitman is not estimable: Zayatz (Dankar et al. 2012)"),
        }
    } else {
        (
            "Zayatz",
            zm.uniques,
            "π > 0.1: Zayatz (Dankar et al. 2012 take the smaller of Zayatz and SNB; SNB is not computed)",
        )
    };
    PopulationEstimate {
        model: uniques.map(|_| model.to_string()),
        uniques,
        share: share(uniques),
        rule: if uniques.is_some() { rule.into() } else { format!("{rule}, which is not estimable here either") },
        models: vec![pm, zm, snb],
        ..base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector() -> BTreeMap<u64, u64> {
        [(1, 50), (2, 30), (3, 20), (4, 10), (5, 5), (10, 3)].into_iter().collect()
    }

    /// `shared/PRIVACY_RISK.md` §3: ARX = scipy to 4 d.p.
    #[test]
    fn test_vector_reproduces_to_four_places() {
        let h = vector();
        let p = pitman(&h, 5300).unwrap();
        assert!((p.theta - 248.7881).abs() < 5e-5, "{p:?}");
        assert!((p.alpha + 1.2786).abs() < 5e-5, "{p:?}");
        for (big, pit, zay, pz, model, chosen) in [
            (5300, 4.9512, 212.9438, 0.2129, "Pitman", 4.9512),
            (1325, 29.1414, 72.9766, 0.2919, "Zayatz", 72.9766),
            (530, 94.0424, 49.1656, 0.4917, "Zayatz", 49.1656),
        ] {
            let e = estimate(&h, big);
            let got = |m: &str| e.models.iter().find(|x| x.model == m).unwrap().uniques.unwrap();
            assert!((got("Pitman") - pit).abs() < 5e-5, "N={big}: {e:?}");
            assert!((got("Zayatz") - zay).abs() < 5e-5, "N={big}: {e:?}");
            assert!((zayatz(&h, 265, big).unwrap().0 - pz).abs() < 5e-5);
            assert_eq!(e.model.as_deref(), Some(model));
            assert!((e.uniques.unwrap() - chosen).abs() < 5e-5);
        }
    }

    #[test]
    fn no_uniques_and_bad_populations_are_named() {
        let h: BTreeMap<u64, u64> = [(2, 4), (3, 1)].into_iter().collect();
        let e = estimate(&h, 100);
        assert_eq!((e.uniques, e.models.len()), (Some(0.0), 0));
        let e = estimate(&vector(), 100);
        assert_eq!(e.uniques, None);
        assert!(e.rule.contains("smaller than the rows"), "{}", e.rule);
    }

    #[test]
    fn special_functions_match_known_values() {
        assert!((digamma(1.0) + 0.577_215_664_901_532_9).abs() < 1e-13);
        assert!((trigamma(1.0) - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-13);
        assert!((digamma(0.25) - (-4.227_453_533_376_265)).abs() < 1e-12);
    }
}
