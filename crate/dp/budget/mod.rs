//! The budget of a dataset across DP summaries: a shareable ledger
//! (`privaudit.dp-ledger/1`) that the served page, the offline file and the command line
//! read, check and append to, so that every release of the same data is counted once,
//! wherever it was made.
//!
//! # Identity
//! A dataset is its file's SHA-256. The file's name is stored only when the user opts in
//! (`file_name`), since a name can say what the data are about.
//!
//! # Composition
//! Releases of the same data compose: the ledger adds their losses exactly ([`Rational`]),
//! in the dataset's measure — ε for pure summaries, or ρ (zCDP), where a pure summary
//! without δ counts ε²/2 (BS16 Prop. 1.4), as in [`crate::dp::Ledger::charge_of`]. A
//! zCDP summary cannot be charged to an ε budget, nor a pure summary with δ > 0 (category
//! discovery) to a ρ budget: those are refused. The whole as (ε, δ)-DP is the ε sum and
//! δ sum for ε (basic composition), or CKS20 of the ρ sum at the smallest δ of the
//! releases for ρ.
//!
//! # The cap
//! An optional total budget per dataset, in its measure. A summary is refused *before any
//! noise is drawn* when the spent budget plus its cost would exceed the cap
//! ([`BudgetLedger::check`]), with the numbers ([`DpError::OverCap`]).
//!
//! # Schema
//! ```json
//! {"schema": "privaudit.dp-ledger/1",
//!  "datasets": [{"sha256": "<64 hex>", "file_name": "opt-in only", "measure": "pure",
//!                "cap": "3",
//!                "releases": [{"summary_sha256": "<64 hex>", "released_at": "2026-…Z",
//!                              "tool": "privaudit 0.1.0",
//!                              "loss": {"kind": "pure", "epsilon": "1"}, "charged": "1",
//!                              "epsilon": 1.0, "delta": 0.0,
//!                              "queries": ["number of rows", "histogram of city"]}]}]}
//! ```
//! Rationals are exact strings (`"3/8"`). `summary_sha256` (the SHA-256 of the summary's
//! JSON text) identifies a release, so importing a ledger twice counts nothing twice.

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::dp::accounting::{pure_to_zcdp, zcdp_to_approx_dp, PrivacyLoss};
use crate::dp::summary::DpSummary;
use crate::dp::{DpError, Measure, Rational};
use crate::spec::DpMeasure;

mod merge;
#[cfg(test)]
mod test;

/// The schema name of the ledger.
pub const LEDGER_SCHEMA: &str = "privaudit.dp-ledger/1";

/// δ at which a ρ total is stated when no release gave one.
const DEFAULT_DELTA: f64 = 1e-7;

/// Every dataset's budget and releases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetLedger {
    /// Always [`LEDGER_SCHEMA`].
    pub schema: String,
    /// One entry per dataset (file SHA-256).
    pub datasets: Vec<DatasetBudget>,
}

/// The budget of one dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetBudget {
    /// SHA-256 of the data file, lower-case hex.
    pub sha256: String,
    /// The file's name, only when the user opted in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The measure of the cap and the charges.
    pub measure: DpMeasure,
    /// The cap on the total, in the measure (`None`: no cap).
    pub cap: Option<Rational>,
    /// The releases, oldest first.
    pub releases: Vec<BudgetEntry>,
}

/// One DP summary charged to a dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetEntry {
    /// SHA-256 of the summary's JSON text: the release's identity.
    pub summary_sha256: String,
    /// When it was released.
    pub released_at: Option<String>,
    /// The tool that released it.
    pub tool: String,
    /// Its total privacy loss.
    pub loss: PrivacyLoss,
    /// What it costs in the dataset's measure.
    pub charged: Rational,
    /// Its guarantee as (ε, δ)-DP.
    pub epsilon: f64,
    /// See `epsilon`.
    pub delta: f64,
    /// What it released (labels).
    pub queries: Vec<String>,
}

/// Where a dataset stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BudgetStatus {
    /// The measure (pure: ε; zcdp: ρ).
    pub measure: DpMeasure,
    /// The cap, if any.
    pub cap: Option<Rational>,
    /// Spent so far, exactly.
    pub spent: Rational,
    /// `cap − spent` (0 when over), if capped.
    pub remaining: Option<Rational>,
    /// Releases so far.
    pub releases: usize,
    /// Everything spent as (ε, δ)-DP.
    pub epsilon: f64,
    /// See `epsilon`.
    pub delta: f64,
}

impl Default for BudgetLedger {
    fn default() -> Self {
        BudgetLedger { schema: LEDGER_SCHEMA.into(), datasets: Vec::new() }
    }
}

fn invalid(message: String) -> DpError {
    DpError::Ledger { message }
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn symbol(m: DpMeasure) -> Measure {
    match m {
        DpMeasure::Pure => Measure::Epsilon,
        DpMeasure::Zcdp => Measure::Rho,
    }
}

/// What a summary of loss `loss` (with δ `delta`) costs in measure `measure`.
///
/// # Errors
/// [`DpError::IncompatibleMeasure`] for ρ in an ε budget or a pure summary with δ > 0 in a
/// ρ budget.
pub fn charge_in(measure: DpMeasure, loss: &PrivacyLoss, delta: f64) -> Result<Rational, DpError> {
    match (measure, loss) {
        (DpMeasure::Pure, PrivacyLoss::Pure { epsilon }) => Ok(epsilon.clone()),
        (DpMeasure::Zcdp, PrivacyLoss::Zcdp { rho }) => Ok(rho.clone()),
        (DpMeasure::Zcdp, PrivacyLoss::Pure { epsilon }) if delta == 0.0 => Ok(pure_to_zcdp(epsilon)),
        (DpMeasure::Pure, PrivacyLoss::Zcdp { .. }) => {
            Err(DpError::IncompatibleMeasure { budget: Measure::Epsilon, release: Measure::Rho })
        }
        (DpMeasure::Zcdp, PrivacyLoss::Pure { .. }) => Err(invalid(
            "a pure summary with category discovery (δ > 0) cannot be charged to a budget kept in ρ; keep this \
             file's budget in ε"
                .into(),
        )),
    }
}

impl BudgetLedger {
    /// Reads a ledger, checking its schema and that every charge follows from its loss.
    ///
    /// # Errors
    /// [`DpError::Ledger`] naming what is wrong.
    pub fn from_json(text: &str) -> Result<BudgetLedger, DpError> {
        let l: BudgetLedger = serde_json::from_str(text).map_err(|e| {
            invalid(format!("this is not a privaudit DP ledger ({e}); it is the .json file privaudit exported"))
        })?;
        if l.schema != LEDGER_SCHEMA {
            return Err(invalid(format!("the schema is `{}`, not `{LEDGER_SCHEMA}`", l.schema)));
        }
        let mut seen = std::collections::HashSet::new();
        for d in &l.datasets {
            if !is_sha256(&d.sha256) || !seen.insert(d.sha256.as_str()) {
                return Err(invalid(format!(
                    "the dataset `{}` is not a lower-case SHA-256, or appears twice",
                    d.sha256
                )));
            }
            for (k, e) in d.releases.iter().enumerate() {
                let charge = charge_in(d.measure, &e.loss, e.delta)?;
                if charge != e.charged || !is_sha256(&e.summary_sha256) {
                    return Err(invalid(format!(
                        "release {} of dataset {}…: the charge {} does not follow from its loss ({}), or its id is not a SHA-256",
                        k + 1,
                        &d.sha256[..12],
                        e.charged,
                        charge
                    )));
                }
            }
        }
        Ok(l)
    }

    /// The ledger as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The dataset with this SHA-256, if any.
    pub fn dataset(&self, sha256: &str) -> Option<&DatasetBudget> {
        self.datasets.iter().find(|d| d.sha256 == sha256)
    }

    fn dataset_mut(&mut self, sha256: &str, measure: DpMeasure) -> Result<&mut DatasetBudget, DpError> {
        if !is_sha256(sha256) {
            return Err(invalid(format!("`{sha256}` is not a lower-case SHA-256")));
        }
        let i = match self.datasets.iter().position(|d| d.sha256 == sha256) {
            Some(i) => i,
            None => {
                self.datasets.push(DatasetBudget {
                    sha256: sha256.into(),
                    file_name: None,
                    measure,
                    cap: None,
                    releases: Vec::new(),
                });
                self.datasets.len() - 1
            }
        };
        Ok(&mut self.datasets[i])
    }

    /// Sets (or removes) the cap of a dataset, in `measure`.
    ///
    /// # Errors
    /// When the dataset's releases are kept in the other measure, or the cap is zero.
    pub fn set_cap(&mut self, sha256: &str, measure: DpMeasure, cap: Option<Rational>) -> Result<(), DpError> {
        if cap.as_ref().is_some_and(Rational::is_zero) {
            return Err(invalid("a cap must be greater than 0 (remove it instead)".into()));
        }
        let d = self.dataset_mut(sha256, measure)?;
        if d.measure != measure {
            if !d.releases.is_empty() {
                let (has, want) = (symbol(d.measure).symbol(), symbol(measure).symbol());
                return Err(invalid(format!(
                    "this file's budget is kept in {has} (its releases are); give the cap in {has}, not {want}"
                )));
            }
            d.measure = measure;
        }
        d.cap = cap;
        Ok(())
    }

    /// Where a dataset stands (an empty status in `measure` when it has no entry).
    pub fn status(&self, sha256: &str, measure: DpMeasure) -> BudgetStatus {
        let Some(d) = self.dataset(sha256) else {
            return BudgetStatus {
                measure,
                cap: None,
                spent: Rational::zero(),
                remaining: None,
                releases: 0,
                epsilon: 0.0,
                delta: 0.0,
            };
        };
        let spent = d.releases.iter().fold(Rational::zero(), |acc, e| acc.add(&e.charged));
        let remaining = d.cap.as_ref().map(|c| c.checked_sub(&spent).unwrap_or_else(Rational::zero));
        let (epsilon, delta) = match d.measure {
            DpMeasure::Pure => (spent.to_f64_up(), d.releases.iter().map(|e| e.delta).sum()),
            DpMeasure::Zcdp => {
                let delta = d.releases.iter().map(|e| e.delta).filter(|&x| x > 0.0).fold(f64::INFINITY, f64::min);
                let delta = if delta.is_finite() { delta } else { DEFAULT_DELTA };
                (zcdp_to_approx_dp(&spent, delta).unwrap_or(f64::INFINITY), delta)
            }
        };
        BudgetStatus {
            measure: d.measure,
            cap: d.cap.clone(),
            spent,
            remaining,
            releases: d.releases.len(),
            epsilon,
            delta,
        }
    }

    /// Whether a summary of loss `loss` (with δ `delta`) may be released on this dataset:
    /// its cost in the dataset's measure, or the refusal with the numbers.
    ///
    /// # Errors
    /// [`DpError::OverCap`] when it would exceed the cap; [`DpError::IncompatibleMeasure`]
    /// (or [`DpError::Ledger`]) when it cannot be charged to this budget.
    pub fn check(&self, sha256: &str, loss: &PrivacyLoss, delta: f64) -> Result<Rational, DpError> {
        let own = match loss {
            PrivacyLoss::Pure { .. } => DpMeasure::Pure,
            PrivacyLoss::Zcdp { .. } => DpMeasure::Zcdp,
        };
        let measure = self.dataset(sha256).map_or(own, |d| d.measure);
        let charge = charge_in(measure, loss, delta)?;
        let status = self.status(sha256, measure);
        if let (Some(cap), Some(remaining)) = (&status.cap, &status.remaining) {
            if charge > *remaining {
                return Err(DpError::OverCap {
                    measure: symbol(measure),
                    cap: cap.to_f64(),
                    spent: status.spent.to_f64_up(),
                    requested: charge.to_f64_up(),
                    remaining: remaining.to_f64_down(),
                    releases: status.releases,
                });
            }
        }
        Ok(charge)
    }

    /// Records a released summary (its JSON text as written) against the dataset, after
    /// [`BudgetLedger::check`]. `file_name`: only when the user opted in.
    ///
    /// # Errors
    /// As [`BudgetLedger::check`]; nothing is recorded then. Recording the same summary
    /// twice is an error too.
    pub fn record(
        &mut self,
        sha256: &str,
        file_name: Option<&str>,
        summary: &DpSummary,
        json: &str,
    ) -> Result<(), DpError> {
        let loss = &summary.privacy.total;
        let charged = self.check(sha256, loss, summary.privacy.delta)?;
        let id: String = sha2::Sha256::digest(json.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let own = if matches!(loss, PrivacyLoss::Pure { .. }) { DpMeasure::Pure } else { DpMeasure::Zcdp };
        let d = self.dataset_mut(sha256, own)?;
        if d.releases.iter().any(|e| e.summary_sha256 == id) {
            return Err(invalid("this summary is already in the ledger".into()));
        }
        if let Some(name) = file_name {
            d.file_name = Some(name.into());
        }
        d.releases.push(BudgetEntry {
            summary_sha256: id,
            released_at: summary.created_at.clone(),
            tool: summary.tool.clone(),
            loss: loss.clone(),
            charged,
            epsilon: summary.privacy.epsilon,
            delta: summary.privacy.delta,
            queries: summary.releases.iter().map(|r| r.label.clone()).collect(),
        });
        Ok(())
    }
}
