//! # Differential privacy: exact noise, accounting, accuracy
//!
//! The foundation of every DP release privaudit makes.
//!
//! ## Invariants
//! 1. **Exact samplers only.** Noise is an integer drawn by the Canonne–Kamath–Steinke
//!    algorithms from uniform random integers and exact rationals ([`sampler`]); no
//!    float ever touches a random value, so the textbook `scale · ln(u)` attack
//!    (Mironov 2012, DEFINITIONS.md P1–P3) does not apply.
//! 2. **One randomness seam.** All random bytes come from [`rng::fill_bytes`], the OS
//!    CSPRNG (`getrandom`; `crypto.getRandomValues` in the browser). If entropy fails the
//!    release fails ([`DpError::Entropy`]). A seeded generator exists only under
//!    `cfg(test)`.
//! 3. **Public parameters only.** Scales, accuracies, thresholds and budgets are computed
//!    from ε, ρ, δ, α, sensitivities and bounds the user supplied, never from the data;
//!    accuracy and privacy bounds are rounded against the user (a reported half-width or
//!    ε is never smaller than the truth).
//! 4. **Noise once, after the final merge.** Accumulators hold exact statistics; noise is
//!    drawn when the merged result is released, never per worker.
//! 5. **Exact accounting.** ε, ρ and scales are [`Rational`]s: the ledger adds them
//!    exactly, and the sampler uses precisely the scale that was charged.
//!
//! ## Map
//! - [`rng`]: `fill_bytes`, unbiased uniform integers;
//! - [`sampler`]: Bernoulli(p), Bernoulli(exp(−γ)), discrete Laplace, discrete Gaussian;
//! - [`accuracy`]: integer 95 % half-widths and the tail probabilities behind them;
//! - [`accounting`]: calibration, ε ↔ ρ ↔ (ε, δ) conversions, the budget [`Ledger`] of
//!   one summary; [`budget`]: the shareable ledger of a dataset across summaries, with a cap;
//! - [`threshold`]: δ of partition selection, and the threshold for a target δ;
//! - [`rational`]: exact non-negative rationals; [`DpError`]: what can go wrong;
//! - the summary: [`collect`] (exact tables, contribution bounding, [`collect::Exact`]),
//!   [`query`] (the public plan: shares, sensitivities, scales, accuracies), [`mod@release`]
//!   (noise, once, after the final merge), [`mod@derive`] and [`fairness`] (post-processing),
//!   [`summary`] (the `privaudit.dp-summary/1` model), [`warning`] (a weak guarantee, ε > 10),
//!   [`verify`] (the validator's check of a received summary).
//!
//! ## Usage
//! ```
//! use privaudit::dp::{accounting, accuracy, sampler, Rational};
//! let eps = Rational::from_f64(0.5)?;
//! let scale = accounting::epsilon_to_laplace_scale(&Rational::from(1), &eps)?; // b = 2
//! assert_eq!(accuracy::discrete_laplace_scale_to_accuracy(&scale, 0.05)?, 6); // ±6 at 95 %
//! let noisy_count = 1234 + sampler::sample_discrete_laplace(&scale)?;
//! # let _ = noisy_count;
//! # Ok::<(), privaudit::dp::DpError>(())
//! ```
//!
//! ## References
//! - C. Canonne, G. Kamath, T. Steinke. *The Discrete Gaussian for Differential
//!   Privacy*, NeurIPS 2020, arXiv:2004.00010 ("CKS20").
//! - M. Bun, T. Steinke. *Concentrated Differential Privacy*, TCC 2016 ("BS16").
//! - I. Mironov. *On Significance of the Least Significant Bits for Differential
//!   Privacy*, CCS 2012.
//! - OpenDP 0.16 (`accuracy`, `cdp_delta`), the reference for the fixtures in
//!   `tests/data/reference/dp_opendp.json` (made by `scripts/reference/dp_opendp.py`).

pub mod accounting;
pub mod accuracy;
pub mod budget;
pub mod collect;
pub mod derive;
pub use crate::error::dp as error;
pub mod fairness;
pub mod query;
pub use crate::stats::rational;
pub mod release;
pub mod rng;
pub mod sampler;
pub(crate) use crate::stats::special;
pub mod summary;
pub mod threshold;
pub mod verify;
pub mod warning;

#[cfg(test)]
mod audit;
#[cfg(test)]
mod testing;

pub use accounting::{Ledger, PrivacyLoss};
pub use error::{DpError, Measure};
pub use rational::Rational;
pub use release::{release, ReleaseMeta};
pub use summary::{DpSummary, DP_SCHEMA};
