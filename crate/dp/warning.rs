//! Warnings about the strength of a summary's guarantee: computed with the public plan
//! (so the page shows them before anything is spent) and repeated in the summary.
//!
//! # The level
//! ε-DP bounds how much one person can change the probability of any outcome: by a factor
//! of at most e^ε. At ε = 1 that is 2.7; at ε = 10 it is e^10 ≈ 22,026, a bound so loose
//! that it says little about what an observer can learn about one person. privaudit warns
//! when the whole summary, stated as (ε, δ)-DP, has ε above [`WEAK_EPSILON`] = 10: for pure
//! ε-DP that ε is the total budget; for ρ-zCDP it is the ε that ρ implies at the summary's δ
//! (CKS20, [`crate::dp::accounting::zcdp_to_approx_dp`]) — so ρ ≈ 1.1 at δ = 10⁻⁷ is
//! already "weak", while ρ = ε²/2 = 50 (the pure-to-zCDP conversion of ε = 10) would hide
//! an (ε ≈ 106, δ)-guarantee.

use crate::dp::error::significant;
use crate::spec::DpMeasure;

/// ε (of the summary as (ε, δ)-DP) above which the guarantee is called weak.
pub const WEAK_EPSILON: f64 = 10.0;

/// The warnings for a summary whose guarantee is (ε, δ)-DP with this measure and budget
/// (`budget` is the total ε or ρ, as a decimal).
pub fn guarantee_warnings(measure: DpMeasure, budget: f64, epsilon: f64, delta: f64) -> Vec<String> {
    if epsilon <= WEAK_EPSILON {
        return Vec::new();
    }
    let stated = match measure {
        DpMeasure::Pure => format!("ε = {}", significant(epsilon)),
        DpMeasure::Zcdp => {
            format!("ρ = {} amounts to (ε = {}, δ = {delta:e})-DP, and ε", significant(budget), significant(epsilon))
        }
    };
    vec![format!(
        "Weak guarantee: {stated} is above {WEAK_EPSILON}, the level above which privaudit warns. The summary may change \
         the odds of anything about one person by a factor of up to e^ε (e^10 ≈ 22,026), so it protects little; \
         lower the budget unless you accept this."
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_above_ten_only() {
        assert!(guarantee_warnings(DpMeasure::Pure, 10.0, 10.0, 0.0).is_empty());
        let w = guarantee_warnings(DpMeasure::Pure, 50.0, 50.0, 0.0);
        assert!(w[0].starts_with("Weak guarantee: ε = 50 is above 10"), "{w:?}");
        let w = guarantee_warnings(DpMeasure::Zcdp, 5.0, 26.27, 1e-7);
        assert!(
            w[0].starts_with("Weak guarantee: ρ = 5 amounts to (ε = 26.27, δ = 1e-7)-DP, and ε is above 10"),
            "{w:?}"
        );
    }
}
