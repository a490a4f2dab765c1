//! The DP ledger for people ([`crate::dp::budget`]): where a file's budget stands before a
//! release (spent, cap, remaining, what this summary would cost and leave), and its
//! releases, as sentences for the command line and as a view the page fills in with
//! `textContent` (it computes nothing).

use serde::Serialize;

use super::fmt;
use crate::dp::accounting::PrivacyLoss;
use crate::dp::budget::{BudgetLedger, BudgetStatus};
use crate::dp::{DpError, Rational};
use crate::spec::DpMeasure;

fn symbol(m: DpMeasure) -> &'static str {
    match m {
        DpMeasure::Pure => "ε",
        DpMeasure::Zcdp => "ρ",
    }
}

/// A budget amount for people: the decimal, and the exact fraction when the decimal
/// rounds it (`0.333333 (exactly 1/3)`).
pub fn amount(r: &Rational) -> String {
    let text = fmt::number(r.to_f64());
    let exact = crate::spec::decimal_rational("", r.to_f64()).is_ok_and(|d| d == *r) || r.is_zero();
    if exact {
        text
    } else {
        format!("{text} (exactly {r})")
    }
}

/// A summary's loss as `ε = 1` or `ρ = 0.5`.
pub fn loss(l: &PrivacyLoss) -> String {
    match l {
        PrivacyLoss::Pure { epsilon } => format!("ε = {}", amount(epsilon)),
        PrivacyLoss::Zcdp { rho } => format!("ρ = {}", amount(rho)),
    }
}

/// Where a file's budget stands, in one sentence.
pub fn status_sentence(s: &BudgetStatus) -> String {
    let m = symbol(s.measure);
    let releases = match s.releases {
        0 => "no release yet".to_string(),
        1 => "1 release".to_string(),
        n => format!("{} releases", fmt::count(n as u64)),
    };
    let guarantee = if s.releases == 0 {
        String::new()
    } else {
        let delta = if s.delta == 0.0 { "0".to_string() } else { fmt::number(s.delta) };
        format!(" (together (ε = {}, δ = {delta})-DP)", fmt::number(s.epsilon))
    };
    match (&s.cap, &s.remaining) {
        (Some(cap), Some(rem)) => format!(
            "{releases}; spent {m} = {} of the cap {m} = {}{guarantee}; remaining {m} = {}.",
            amount(&s.spent),
            amount(cap),
            amount(rem)
        ),
        _ => format!(
            "{releases}; spent {m} = {}{guarantee}; no cap set (set one to have releases over it refused).",
            amount(&s.spent)
        ),
    }
}

/// What releasing a summary of `loss` would do: its cost and what would remain, or why it
/// is refused.
pub fn release_sentence(ledger: &BudgetLedger, sha256: &str, loss: &PrivacyLoss, delta: f64) -> (bool, String) {
    match ledger.check(sha256, loss, delta) {
        Ok(charge) => {
            let s = ledger.status(sha256, measure_of(loss));
            let m = symbol(s.measure);
            let after = match &s.remaining {
                Some(rem) => {
                    format!("; {m} = {} would remain", amount(&rem.checked_sub(&charge).unwrap_or_else(Rational::zero)))
                }
                None => String::new(),
            };
            (true, format!("This summary costs {m} = {}{after}.", amount(&charge)))
        }
        Err(e) => (false, capitalise(&e.to_string())),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn measure_of(l: &PrivacyLoss) -> DpMeasure {
    match l {
        PrivacyLoss::Pure { .. } => DpMeasure::Pure,
        PrivacyLoss::Zcdp { .. } => DpMeasure::Zcdp,
    }
}

/// One release of the ledger, as the page's table shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// When.
    pub released_at: String,
    /// Its loss (`ε = 1`).
    pub loss: String,
    /// What it cost in the file's measure.
    pub charged: String,
    /// Its guarantee as (ε, δ).
    pub guarantee: String,
    /// What it released.
    pub queries: String,
}

/// What the page shows about a file's ledger.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    /// The file's identity as shown (`SHA-256 4c8d3e2f…2d1e0f`), with its name when stored.
    pub file: String,
    /// Where the budget stands.
    pub status: String,
    /// What this release would cost and leave, or why it is refused.
    pub release: String,
    /// Whether the release fits.
    pub can_release: bool,
    /// The cap as a number in the file's measure (for the cap field), if set.
    pub cap: Option<f64>,
    /// `ε` or `ρ`.
    pub measure: String,
    /// The releases, oldest first.
    pub rows: Vec<Row>,
}

/// The page's view of the ledger for the file `sha256`, before releasing a summary of
/// `planned` (with δ `delta`).
pub fn view(ledger: &BudgetLedger, sha256: &str, planned: &PrivacyLoss, delta: f64) -> View {
    let d = ledger.dataset(sha256);
    let status = ledger.status(sha256, d.map_or(measure_of(planned), |d| d.measure));
    let (can_release, release) = release_sentence(ledger, sha256, planned, delta);
    let short = format!("SHA-256 {}…{}", &sha256[..sha256.len().min(8)], &sha256[sha256.len().saturating_sub(6)..]);
    let file = match d.and_then(|d| d.file_name.as_deref()) {
        Some(name) => format!("{name} ({short})"),
        None => short,
    };
    let rows = d
        .map(|d| {
            d.releases
                .iter()
                .map(|e| Row {
                    released_at: e.released_at.clone().unwrap_or_else(|| "unknown".into()),
                    loss: loss(&e.loss),
                    charged: format!("{} = {}", symbol(d.measure), amount(&e.charged)),
                    guarantee: format!(
                        "(ε = {}, δ = {})",
                        fmt::number(e.epsilon),
                        if e.delta == 0.0 { "0".into() } else { fmt::number(e.delta) }
                    ),
                    queries: e.queries.join("; "),
                })
                .collect()
        })
        .unwrap_or_default();
    View {
        file,
        status: status_sentence(&status),
        release,
        can_release,
        cap: status.cap.as_ref().map(Rational::to_f64),
        measure: symbol(status.measure).into(),
        rows,
    }
}

/// The whole ledger as text (the command line's `privaudit ledger`).
pub fn ledger_text(ledger: &BudgetLedger) -> String {
    if ledger.datasets.is_empty() {
        return "The ledger has no dataset yet.\n".into();
    }
    let mut t = String::new();
    for d in &ledger.datasets {
        let name = d.file_name.as_deref().map_or_else(String::new, |n| format!(" ({n})"));
        t.push_str(&format!(
            "file SHA-256 {}{name}: {}\n",
            d.sha256,
            status_sentence(&ledger.status(&d.sha256, d.measure))
        ));
        for (k, e) in d.releases.iter().enumerate() {
            t.push_str(&format!(
                "  {}. {}: {} — {}\n",
                k + 1,
                e.released_at.as_deref().unwrap_or("unknown time"),
                loss(&e.loss),
                e.queries.join("; ")
            ));
        }
    }
    t
}

/// A refusal or ledger problem as a sentence (for messages outside a view).
pub fn error_sentence(e: &DpError) -> String {
    capitalise(&e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_say_when_they_are_rounded() {
        assert_eq!(amount(&Rational::from_ratio(3, 2).unwrap()), "1.5");
        assert_eq!(amount(&Rational::from_ratio(1, 10).unwrap()), "0.1");
        assert_eq!(amount(&Rational::from_ratio(1, 3).unwrap()), "0.333333 (exactly 1/3)");
        assert_eq!(amount(&Rational::zero()), "0");
    }
}
