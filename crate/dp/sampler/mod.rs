//! Exact samplers on the integers (Canonne, Kamath & Steinke 2020, "The Discrete Gaussian
//! for Differential Privacy", arXiv:2004.00010, Algorithms 1–3).
//!
//! Every sampler uses only integer comparisons of uniform random integers (from
//! [`crate::dp::rng`]) with exact rational parameters: no floating point touches a
//! random value, so the output distribution is exactly the stated one (no Mironov-2012
//! holes). Run time depends on the drawn value (P5 in DEFINITIONS.md: harmless for an
//! offline report, not for an interactive query server).
//!
//! - [`bernoulli`]: Bernoulli(p) for rational p; Bernoulli(exp(−γ)) for rational γ ≥ 0;
//! - [`discrete_laplace`]: P(x) ∝ exp(−|x|/b) for rational scale b > 0;
//! - [`discrete_gaussian`]: P(x) ∝ exp(−x²/(2σ²)) for rational σ² > 0.

pub mod bernoulli;
pub mod discrete_gaussian;
pub mod discrete_laplace;

pub use bernoulli::{sample_bernoulli, sample_bernoulli_exp};
pub use discrete_gaussian::sample_discrete_gaussian;
pub use discrete_laplace::sample_discrete_laplace;

#[cfg(test)]
mod test;
