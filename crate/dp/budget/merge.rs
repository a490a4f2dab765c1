//! Importing a ledger into another: each release counted once (by the SHA-256 of its
//! summary), caps reconciled to the smaller, a dataset's measure never mixed.

use super::{invalid, symbol, BudgetLedger};
use crate::dp::DpError;

impl BudgetLedger {
    /// Adds another ledger's releases (by their ids: nothing is counted twice). Returns
    /// notes for the user (releases added, caps reconciled).
    ///
    /// # Errors
    /// When a dataset is kept in ε in one ledger and in ρ in the other, both with releases.
    pub fn merge(&mut self, other: BudgetLedger) -> Result<Vec<String>, DpError> {
        // Into a copy: a refused import leaves this ledger as it was.
        let mut merged = self.clone();
        let notes = merged.merge_into(other)?;
        *self = merged;
        Ok(notes)
    }

    fn merge_into(&mut self, other: BudgetLedger) -> Result<Vec<String>, DpError> {
        let mut notes = Vec::new();
        let mut added = 0usize;
        for theirs in other.datasets {
            let Some(ours) = self.datasets.iter_mut().find(|d| d.sha256 == theirs.sha256) else {
                added += theirs.releases.len();
                self.datasets.push(theirs);
                continue;
            };
            if ours.measure != theirs.measure {
                if !(ours.releases.is_empty() || theirs.releases.is_empty()) {
                    return Err(invalid(format!(
                        "dataset {}… is kept in {} here and in {} in the imported ledger; nothing was imported",
                        &ours.sha256[..12],
                        symbol(ours.measure).symbol(),
                        symbol(theirs.measure).symbol()
                    )));
                }
                if ours.releases.is_empty() {
                    ours.measure = theirs.measure;
                    ours.cap = None;
                }
            }
            let cap = match (ours.cap.take(), theirs.cap) {
                (Some(a), Some(b)) if a != b => {
                    let keep = a.clone().min(b.clone());
                    notes.push(format!(
                        "dataset {}…: the caps differ ({a} here, {b} imported); the smaller, {keep}, is kept",
                        &ours.sha256[..12]
                    ));
                    Some(keep)
                }
                (a, b) => a.or(b),
            };
            ours.cap = cap;
            if ours.file_name.is_none() {
                ours.file_name = theirs.file_name;
            }
            for e in theirs.releases {
                if !ours.releases.iter().any(|x| x.summary_sha256 == e.summary_sha256) {
                    ours.releases.push(e);
                    added += 1;
                }
            }
            ours.releases.sort_by(|a, b| a.released_at.cmp(&b.released_at));
        }
        notes.insert(0, format!("{added} release{} added", if added == 1 { "" } else { "s" }));
        Ok(notes)
    }
}
