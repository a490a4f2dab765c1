//! The privacy budget ledger: every release is charged before it happens, in exact
//! arithmetic, and a release that does not fit is refused with a sentence.
//!
//! A budget is kept either in ε (pure DP: only pure releases, ε adds up) or in ρ
//! (zCDP: a pure ε release costs ε²/2, a zCDP release costs its ρ; ρ adds up and is
//! converted to (ε, δ) once, at the end, by CKS20). Splitting a budget by weights is
//! exact, so the parts add up to the whole and the last release never fails on rounding.

use crate::dp::accounting::{pure_to_zcdp, zcdp_to_approx_dp};
use crate::dp::rational::Rational;
use crate::dp::{DpError, Measure};

/// The privacy cost of one release, or a total budget.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrivacyLoss {
    /// ε-differential privacy.
    Pure {
        /// ε.
        epsilon: Rational,
    },
    /// ρ-zero-concentrated differential privacy.
    Zcdp {
        /// ρ.
        rho: Rational,
    },
}

impl PrivacyLoss {
    /// The measure this loss is expressed in.
    pub fn measure(&self) -> Measure {
        match self {
            PrivacyLoss::Pure { .. } => Measure::Epsilon,
            PrivacyLoss::Zcdp { .. } => Measure::Rho,
        }
    }

    /// The amount (ε or ρ).
    pub fn amount(&self) -> &Rational {
        match self {
            PrivacyLoss::Pure { epsilon } => epsilon,
            PrivacyLoss::Zcdp { rho } => rho,
        }
    }

    fn with_amount(&self, amount: Rational) -> PrivacyLoss {
        match self {
            PrivacyLoss::Pure { .. } => PrivacyLoss::Pure { epsilon: amount },
            PrivacyLoss::Zcdp { .. } => PrivacyLoss::Zcdp { rho: amount },
        }
    }
}

/// One charged release.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerEntry {
    /// What was released (a query label, for people).
    pub label: String,
    /// The release's own privacy loss.
    pub loss: PrivacyLoss,
    /// What it cost in the budget's measure (ε, or ρ after ε → ε²/2).
    pub charged: Rational,
}

/// A privacy budget and the releases charged to it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ledger {
    total: PrivacyLoss,
    entries: Vec<LedgerEntry>,
}

impl Ledger {
    /// An empty ledger with this total budget.
    pub fn new(total: PrivacyLoss) -> Ledger {
        Ledger { total, entries: Vec::new() }
    }

    /// The total budget.
    pub fn total(&self) -> &PrivacyLoss {
        &self.total
    }

    /// The releases charged so far, in order.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// The sum of the charges, in the budget's measure.
    pub fn spent(&self) -> Rational {
        self.entries.iter().fold(Rational::zero(), |acc, e| acc.add(&e.charged))
    }

    /// What remains of the budget, in its measure.
    pub fn remaining(&self) -> Rational {
        self.total.amount().checked_sub(&self.spent()).unwrap_or_else(Rational::zero)
    }

    /// What `loss` would cost in the budget's measure.
    ///
    /// # Errors
    /// [`DpError::IncompatibleMeasure`] for a zCDP release against a pure-ε budget.
    pub fn charge_of(&self, loss: &PrivacyLoss) -> Result<Rational, DpError> {
        match (&self.total, loss) {
            (PrivacyLoss::Pure { .. }, PrivacyLoss::Pure { epsilon }) => Ok(epsilon.clone()),
            (PrivacyLoss::Zcdp { .. }, PrivacyLoss::Pure { epsilon }) => Ok(pure_to_zcdp(epsilon)),
            (PrivacyLoss::Zcdp { .. }, PrivacyLoss::Zcdp { rho }) => Ok(rho.clone()),
            (PrivacyLoss::Pure { .. }, PrivacyLoss::Zcdp { .. }) => {
                Err(DpError::IncompatibleMeasure { budget: Measure::Epsilon, release: Measure::Rho })
            }
        }
    }

    /// Charges a release, or refuses it (leaving the ledger unchanged) when it does not fit.
    ///
    /// # Errors
    /// [`DpError::BudgetExceeded`] or [`DpError::IncompatibleMeasure`].
    pub fn spend(&mut self, label: impl Into<String>, loss: PrivacyLoss) -> Result<(), DpError> {
        let charged = self.charge_of(&loss)?;
        let remaining = self.remaining();
        if charged > remaining {
            return Err(DpError::BudgetExceeded {
                measure: self.total.measure(),
                requested: charged.to_f64_up(),
                remaining: remaining.to_f64_down(),
            });
        }
        self.entries.push(LedgerEntry { label: label.into(), loss, charged });
        Ok(())
    }

    /// The remaining budget split in proportion to `weights`, in the budget's measure.
    ///
    /// # Errors
    /// When the weights are empty or all zero.
    pub fn split_remaining(&self, weights: &[u64]) -> Result<Vec<PrivacyLoss>, DpError> {
        let parts = split_budget(&self.remaining(), weights)?;
        Ok(parts.into_iter().map(|p| self.total.with_amount(p)).collect())
    }

    /// The ε of everything spent so far as (ε, δ)-DP: the ε sum for a pure budget (δ
    /// unused), the CKS20 conversion of the ρ sum otherwise. Rounded up.
    ///
    /// # Errors
    /// When δ is not in (0, 1].
    pub fn spent_as_approx_dp(&self, delta: f64) -> Result<f64, DpError> {
        match self.total {
            PrivacyLoss::Pure { .. } => Ok(self.spent().to_f64_up()),
            PrivacyLoss::Zcdp { .. } => zcdp_to_approx_dp(&self.spent(), delta),
        }
    }
}

/// `total · wᵢ / Σw` for each weight, exactly (the parts add up to `total`).
///
/// # Errors
/// When the weights are empty or all zero.
pub fn split_budget(total: &Rational, weights: &[u64]) -> Result<Vec<Rational>, DpError> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return Err(DpError::invalid("weights", format!("{weights:?}"), "non-empty with a positive weight"));
    }
    let sum = Rational::new(sum.into(), 1u32.into())?;
    weights.iter().map(|&w| total.mul(&Rational::from(w)).div(&sum)).collect()
}
