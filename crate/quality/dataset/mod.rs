//! Dataset-level checks: exact duplicate rows, duplicate columns, class balance of the
//! label, conflicting labels and target leakage, in one mergeable accumulator
//! ([`DatasetAcc`]). Definitions: [`rows`] (duplicates), [`labels`] (balance, conflicts);
//! leakage reuses proxy detection ([`crate::fairness::proxy`]) with the label in the place
//! of the protected attribute: bias-corrected Cramér's V for categorical and boolean
//! features; for numeric ones the larger of the correlation ratio η and V over the values
//! read as categories (η misses a leak such as "the amount is zero iff the loan was
//! repaid", whose non-zero amounts vary; V's 50-level cap pools them into `(other)`).
//!
//! Columns with role `ignore` take no part. The *label* is `[bias].label`, else the first
//! column with role `label`; the *features* are every column but the label, prediction,
//! score, identifier, ignored and weight columns (and the bias audit's prediction and
//! score).

pub mod examples;
#[cfg(test)]
mod fast_tests;
pub mod labels;
pub mod overlap;
pub mod report;
pub mod rows;
pub mod test_side;

use crate::accumulator::Accumulator;
use crate::error::Result;
use crate::fairness::proxy::ProxyAcc;
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::value::ColumnType;
use crate::spec::{ProxyKind, ProxySpec, Role, ValidSpec};
use labels::{ClassCounts, Conflicts};
use rows::{ColumnSums, RowCounts};
use serde::{Deserialize, Serialize};

pub use report::{attach_overlap, dataset_report, definitions, DatasetReport};

/// The label part of the dataset checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelAcc {
    /// Label column.
    pub column: usize,
    /// Feature columns (conflicting labels).
    pub features: Vec<usize>,
    /// Rows per label value.
    pub classes: ClassCounts,
    /// Feature combinations and their labels.
    pub conflicts: Conflicts,
    /// Association counts of each feature with the label.
    pub leakage: ProxyAcc,
    /// Features examined for leakage (kind) and skipped (why).
    pub leakage_spec: ProxySpec,
}

/// Mutable state of the dataset checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetAcc {
    /// Compared columns (all but `ignore`).
    pub columns: Vec<usize>,
    /// Row hashes.
    pub rows: RowCounts,
    /// Column fingerprints (indexed by position in `columns`).
    pub sums: ColumnSums,
    /// The label part, when the spec has a label.
    pub label: Option<LabelAcc>,
    /// Per compared column: cell hashes by value code (a cache).
    #[serde(skip)]
    pub hashes: crate::ingest::keys::Transient<Vec<crate::ingest::keys::CodeMemo<u64>>>,
}

/// The label column of the dataset checks: `[bias].label`, else the first `label` role.
pub fn label_column(spec: &ValidSpec) -> Option<usize> {
    spec.bias.as_ref().and_then(|b| b.label).or_else(|| spec.columns.iter().position(|c| c.role == Role::Label))
}

fn features(spec: &ValidSpec, label: usize) -> Vec<usize> {
    let mut used = vec![label];
    if let Some(b) = &spec.bias {
        used.extend(b.score);
        let (crate::spec::Prediction::Column { column, .. } | crate::spec::Prediction::Score { column, .. }) =
            b.prediction;
        used.push(column);
    }
    (0..spec.columns.len())
        .filter(|i| !used.contains(i))
        .filter(|&i| {
            !matches!(
                spec.columns[i].role,
                Role::Label | Role::Prediction | Role::Score | Role::Identifier | Role::Ignore | Role::Weight
            )
        })
        .collect()
}

impl DatasetAcc {
    /// Empty state for `spec`.
    pub fn new(spec: &ValidSpec) -> Self {
        let cap = spec.resolved.dataset.max_distinct_rows;
        let columns: Vec<usize> = (0..spec.columns.len()).filter(|&i| spec.columns[i].role != Role::Ignore).collect();
        let label = label_column(spec).map(|column| {
            let features = features(spec, column);
            let mut leakage_spec = ProxySpec::default();
            for &i in &features {
                match spec.columns[i].ty {
                    ColumnType::Categorical | ColumnType::Boolean => {
                        leakage_spec.columns.push((i, ProxyKind::Categorical));
                    }
                    // η for mean shifts, and V over the values as categories for exact
                    // value → label mappings such as "zero iff repaid".
                    ColumnType::Integer | ColumnType::Float => {
                        leakage_spec.columns.push((i, ProxyKind::Numeric));
                        leakage_spec.columns.push((i, ProxyKind::Categorical));
                    }
                    ty => leakage_spec
                        .skipped
                        .push((i, format!("type `{}` is neither categorical nor numeric", ty.name()))),
                }
            }
            LabelAcc {
                column,
                leakage: ProxyAcc::new(&[vec![column]], &leakage_spec),
                leakage_spec,
                features,
                classes: ClassCounts::default(),
                conflicts: Conflicts::new(cap),
            }
        });
        DatasetAcc {
            sums: ColumnSums::new(columns.len()),
            columns,
            rows: RowCounts::new(cap),
            label,
            hashes: Default::default(),
        }
    }
}

impl Accumulator for DatasetAcc {
    type Output = DatasetAcc;

    fn update(&mut self, batch: &Batch) {
        // Column-major: each column's cell hashes are folded into the row hashes (and the
        // feature-combination hashes) of the whole batch.
        let n = batch.rows();
        // Not zeroed first (`hash_column` appends): a calloc + memset per batch cost as
        // much as the folds.
        let mut cells = Vec::with_capacity(self.columns.len() * n);
        let mut row = vec![rows::ROW_SEED; n];
        let mut feat = if self.label.is_some() { vec![rows::ROW_SEED; n] } else { Vec::new() };
        self.hashes.0.resize_with(self.columns.len(), Default::default);
        for (&c, memo) in self.columns.iter().zip(self.hashes.0.iter_mut()) {
            let out = rows::hash_column(batch, c, n, &mut cells, memo);
            rows::fold(&mut row, out);
            if self.label.as_ref().is_some_and(|l| l.features.binary_search(&c).is_ok()) {
                rows::fold(&mut feat, out);
            }
        }
        let mixed: Vec<u64> = row.iter().map(|&h| rows::mix(h)).collect();
        for (k, col) in cells.chunks_exact(n.max(1)).enumerate() {
            self.sums.add_column(k, col, &mixed);
        }
        for (r, &h) in row.iter().enumerate() {
            self.rows.add(h, examples::Pos::of(batch, r));
        }
        if let Some(l) = &mut self.label {
            let labels = batch.column(l.column);
            l.classes.add_cells(batch, labels);
            l.classes.add_n(None, n.saturating_sub(labels.len()) as u64);
            let mut noted = None;
            for (r, (cell, &f)) in labels.iter().zip(&feat).enumerate() {
                if matches!(cell, Cell::Missing(_) | Cell::Invalid(_)) {
                    continue;
                }
                let label = rows::cell_hash(batch, cell);
                if noted != Some(label) {
                    l.conflicts.note_label(label, || crate::ingest::batch::cell_text(batch, cell).unwrap_or_default());
                    noted = Some(label);
                }
                l.conflicts.add_row(f, label, examples::Pos::of(batch, r));
            }
            l.leakage.update(batch);
        }
    }

    fn merge(&mut self, other: Self) -> Result<()> {
        if other.columns != self.columns || other.label.is_some() != self.label.is_some() {
            return Err(crate::error::Error::state("the dataset states were made with different specs"));
        }
        self.rows.merge(other.rows);
        self.sums.merge(&other.sums);
        if let (Some(a), Some(b)) = (&mut self.label, other.label) {
            a.classes.merge(b.classes);
            a.conflicts.merge(b.conflicts);
            a.leakage.merge(b.leakage);
        }
        Ok(())
    }

    fn finish(self) -> Self::Output {
        self
    }
}
