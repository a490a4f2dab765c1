//! Train/test overlap (`audit TRAIN --test TEST`): both files are read by the same
//! [`super::DatasetAcc`] (the test file with the training file's column types and roles);
//! the finished states are compared here.
//!
//! * **Rows in both**: test rows whose row hash (every compared column, typed values as in
//!   [`super::rows`]) is among the training file's — exact while both files are under the
//!   cap of distinct rows, else not computed.
//! * **Label conflicts across the files**: test rows (with a label) whose feature
//!   combination occurs in the training file with a different label. A combination
//!   conflicts across the files when it occurs in both and the files do not carry the
//!   same single label: either file has two labels for it, or their labels differ
//!   (exact from the per-combination state: smallest label hash and a conflict flag).

use super::DatasetAcc;
use crate::quality::checks::{self, CheckOutcome, RawChecks};
use serde::{Deserialize, Serialize};

/// The `overlap` part of the dataset section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overlap {
    /// The test file's name.
    pub test_file: String,
    /// Test rows.
    pub test_rows: u64,
    /// Test rows equal to a training row (None: not computed, see `notes`).
    pub rows_in_train: Option<u64>,
    /// rows_in_train / test rows.
    pub share: Option<f64>,
    /// Feature combinations in both files whose labels differ between the files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicting_groups: Option<u64>,
    /// Labelled test rows in those combinations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflicting_rows: Option<u64>,
    /// What could not be computed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Compares the finished dataset states of a training and a test file (same spec); returns
/// the overlap and its `train_test_overlap` outcome.
pub fn compare(
    train: &DatasetAcc,
    test: &DatasetAcc,
    test_rows: u64,
    test_file: &str,
    raw: &RawChecks,
) -> (Overlap, Option<CheckOutcome>) {
    let mut notes = Vec::new();
    let rows_in_train = match (train.rows.exact_counts(), test.rows.exact_counts()) {
        (Some(a), Some(b)) => Some(b.iter().filter(|(h, _)| a.contains_key(h)).map(|(_, s)| s.n).sum::<u64>()),
        _ => {
            notes
                .push("a file has more distinct rows than dataset.max_distinct_rows: rows in both not computed".into());
            None
        }
    };
    let (mut conflicting_groups, mut conflicting_rows) = (None, None);
    match (&train.label, &test.label) {
        (Some(a), Some(b)) => match (a.conflicts.groups(), b.conflicts.groups()) {
            (Some(ga), Some(gb)) => {
                let mut groups = 0u64;
                let mut rows = 0u64;
                for (h, g) in gb {
                    if let Some(t) = ga.get(h) {
                        if t.conflict || g.conflict || t.label != g.label {
                            groups += 1;
                            rows += g.rows;
                        }
                    }
                }
                (conflicting_groups, conflicting_rows) = (Some(groups), Some(rows));
            }
            _ => notes.push(
                "a file has more feature combinations than dataset.max_distinct_rows: label conflicts across the files not computed"
                    .into(),
            ),
        },
        _ => notes.push("no label column: label conflicts across the files not computed".into()),
    }
    let outcome = rows_in_train.and_then(|n| checks::outcome(raw, "train_test_overlap", None, n, test_rows));
    let share = rows_in_train.map(|n| if test_rows == 0 { 0.0 } else { n as f64 / test_rows as f64 });
    let o = Overlap {
        test_file: test_file.into(),
        test_rows,
        rows_in_train,
        share,
        conflicting_groups,
        conflicting_rows,
        notes,
    };
    (o, outcome)
}
