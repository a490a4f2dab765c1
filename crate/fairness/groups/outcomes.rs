//! The outcome of every row of a batch, column-wise: whether its label and its prediction
//! are the positive class, read once per distinct value through the columns' codes
//! ([`crate::ingest::keys::CodeMemo`]) instead of once per row.

use super::{is_positive, score_of};
use crate::ingest::batch::Batch;
use crate::ingest::keys::CodeMemo;
use crate::spec::Prediction;

/// Per-value answers of "is this the positive class", for one column (a cache).
#[derive(Clone, Debug, Default)]
pub(crate) struct PositiveMemo(CodeMemo<Option<bool>>);

impl PositiveMemo {
    /// Whether each row's value of `column` is `positive` (`None` when missing or
    /// unparseable), as [`is_positive`] says for the cell; appended to `out`.
    pub(crate) fn rows(&mut self, batch: &Batch, column: usize, positive: &str, out: &mut Vec<Option<bool>>) {
        out.clear();
        self.0.sync(batch.dict_id(column));
        let cells = batch.column(column);
        for (r, &code) in batch.codes(column).iter().enumerate() {
            out.push(self.0.get(code, || cells.get(r).and_then(|c| is_positive(batch, c, positive))));
        }
        out.resize(batch.rows(), None);
    }

    /// Whether each row's prediction is positive (`None` when missing or unusable), as
    /// [`super::predicted_positive`] says; appended to `out`.
    pub(crate) fn predictions(&mut self, batch: &Batch, prediction: &Prediction, out: &mut Vec<Option<bool>>) {
        match prediction {
            Prediction::Column { column, positive } => self.rows(batch, *column, positive, out),
            Prediction::Score { column, threshold, strict } => {
                out.clear();
                let cells = batch.column(*column);
                out.extend(
                    cells.iter().map(|c| score_of(c).map(|s| if *strict { s > *threshold } else { s >= *threshold })),
                );
                out.resize(batch.rows(), None);
            }
        }
    }
}
