//! The one error type of `dp`: every variant carries the numbers a person needs, and
//! `Display` is a sentence written for that person (the lead wraps it into
//! `crate::error::Error`).

use crate::math::Portable;
use std::fmt;

/// Which privacy measure a number is expressed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Pure differential privacy, ε.
    Epsilon,
    /// Zero-concentrated differential privacy, ρ.
    Rho,
}

impl Measure {
    /// The Greek letter used in messages.
    pub fn symbol(self) -> &'static str {
        match self {
            Measure::Epsilon => "ε",
            Measure::Rho => "ρ",
        }
    }
}

/// Why a DP computation or release could not be carried out. No variant ever carries a
/// value computed from private data: only public parameters appear in messages.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DpError {
    /// The operating system's random number generator failed; nothing was released.
    Entropy {
        /// The platform's description of the failure.
        detail: String,
    },
    /// A public parameter (ε, ρ, δ, a scale, α, a weight…) is out of its domain.
    InvalidParameter {
        /// The parameter's name as the user knows it ("epsilon", "alpha", …).
        name: &'static str,
        /// The offending value, as text.
        value: String,
        /// What the value must satisfy ("a positive finite number").
        requirement: &'static str,
    },
    /// A release would spend more than what remains of the privacy budget.
    BudgetExceeded {
        /// The measure the budget is kept in.
        measure: Measure,
        /// What the release needs (rounded for display).
        requested: f64,
        /// What remains of the budget (rounded for display).
        remaining: f64,
    },
    /// A release accounted in one measure was charged to a budget that cannot hold it.
    IncompatibleMeasure {
        /// The measure of the budget.
        budget: Measure,
        /// The measure of the release.
        release: Measure,
    },
    /// A numerical routine could not reach a conservative answer for these parameters.
    Numerical {
        /// What was being computed.
        what: &'static str,
    },
    /// A setting of the `[dp]` section is invalid (said in the page's words, with the spec
    /// key for people who write spec files).
    Setting {
        /// The setting in words ("the total privacy budget ε").
        what: String,
        /// Its key in `[dp]` (`epsilon`).
        key: &'static str,
        /// What is wrong and what to do ("must be greater than 0; got 0").
        message: String,
    },
    /// One release (query) of the `[dp]` section is invalid.
    Release {
        /// Its position, counting from 1 (the n-th `[[dp.queries]]`, the n-th row of the page's table).
        number: usize,
        /// What it releases, in words ("histogram of city").
        label: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A DP ledger file is invalid, or cannot take this release.
    Ledger {
        /// What is wrong and what to do.
        message: String,
    },
    /// A DP ledger refuses a release: it would spend more than the cap of the file's budget.
    OverCap {
        /// The measure of the cap.
        measure: Measure,
        /// The cap (rounded for display).
        cap: f64,
        /// Already spent on this file (rounded up for display).
        spent: f64,
        /// What the release needs (rounded up).
        requested: f64,
        /// What remains (rounded down).
        remaining: f64,
        /// Releases already recorded for this file.
        releases: usize,
    },
}

impl DpError {
    /// Shorthand for [`DpError::InvalidParameter`].
    pub(crate) fn invalid(name: &'static str, value: impl fmt::Display, requirement: &'static str) -> Self {
        DpError::InvalidParameter { name, value: value.to_string(), requirement }
    }
}

impl fmt::Display for DpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DpError::Entropy { detail } => write!(
                f,
                "the operating system's random number generator failed ({detail}); \
                 no private value was released — try again, or use another browser or machine"
            ),
            DpError::InvalidParameter { name, value, requirement } => {
                write!(f, "`{name}` must be {requirement}, got {value}")
            }
            DpError::BudgetExceeded { measure, requested, remaining } => {
                let (s, req, rem) = (measure.symbol(), significant(*requested), significant(*remaining));
                write!(
                    f,
                    "this release needs {s} = {req} but only {s} = {rem} of the privacy budget remains; \
                     lower this release's {s}, drop another release, or raise the total budget"
                )
            }
            DpError::IncompatibleMeasure { budget, release } => write!(
                f,
                "a release accounted in {} cannot be charged to a budget kept in {}; \
                 keep the budget in ρ (zero-concentrated DP) to mix Laplace and Gaussian releases",
                release.symbol(),
                budget.symbol()
            ),
            DpError::Ledger { message } => write!(f, "DP ledger: {message}"),
            DpError::Setting { what, key, message } => write!(f, "{what} (`{key}` in [dp]) {message}"),
            DpError::Release { number, label, message } => write!(f, "release {number} ({label}): {message}"),
            DpError::OverCap { measure, cap, spent, requested, remaining, releases } => {
                let s = measure.symbol();
                let plural = if *releases == 1 { "" } else { "s" };
                write!(
                    f,
                    "refused: this summary needs {s} = {} but the ledger caps this file at {s} = {}, of which {s} = {} \
                     is already spent by {releases} release{plural}, leaving {s} = {}; lower the summary's {s} to at most \
                     the remainder, or raise the cap if you accept the weaker guarantee",
                    significant(*requested),
                    significant(*cap),
                    significant(*spent),
                    significant(*remaining)
                )
            }
            DpError::Numerical { what } => write!(
                f,
                "could not compute {what} conservatively for these parameters; \
                 choose less extreme privacy parameters"
            ),
        }
    }
}

impl std::error::Error for DpError {}

/// `x` with four significant digits and no trailing zeros ("0.25", "0.001235", "12.5").
pub(crate) fn significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    let decimals = (3 - x.abs().p_log10().floor() as i64).clamp(0, 15) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_sentences() {
        let e = DpError::BudgetExceeded { measure: Measure::Epsilon, requested: 0.5, remaining: 0.25 };
        assert_eq!(
            e.to_string(),
            "this release needs ε = 0.5 but only ε = 0.25 of the privacy budget remains; \
             lower this release's ε, drop another release, or raise the total budget"
        );
        assert_eq!(
            (significant(0.001_234_56), significant(12.5), significant(1234.6)),
            ("0.001235".into(), "12.5".into(), "1235".into())
        );
        assert_eq!(significant(1.0 / 3.0), "0.3333");
        let e = DpError::invalid("epsilon", -1, "a positive finite number");
        assert_eq!(e.to_string(), "`epsilon` must be a positive finite number, got -1");
    }
}
