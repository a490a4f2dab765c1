//! The outcome of every row of a batch, column-wise: whether its label and its prediction
//! are the positive class, read once per distinct value through the columns' codes
//! ([`crate::ingest::keys::CodeMemo`]) instead of once per row.

use super::{is_positive, score_of, weight_of, GroupCountsAcc, Outcomes};
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

impl GroupCountsAcc {
    /// Every row's outcome (`o.counted`) and finite score (`o.scores`), counting the rows
    /// left out.
    pub(super) fn outcomes(&mut self, batch: &Batch, o: &mut Outcomes) {
        let n = batch.rows();
        match (self.spec.label, self.spec.positive_label.as_deref()) {
            (Some(col), Some(pos)) => o.label.rows(batch, col, pos, &mut o.labels),
            _ => {
                o.labels.clear();
                o.labels.resize(n, None);
            }
        }
        o.prediction.predictions(batch, &self.spec.prediction, &mut o.predictions);
        let selection_only = self.spec.label.is_none();
        let weights = self.spec.weight.map(|c| batch.column(c));
        o.counted.clear();
        for r in 0..n {
            // Selection-only audits count every row as label-negative: only the selection
            // rate (TP+FP)/n is read from those counts.
            let counted = match o.labels[r].or(selection_only.then_some(false)) {
                None => {
                    self.missing_label += 1;
                    None
                }
                Some(l) => match o.predictions[r] {
                    None => {
                        self.missing_prediction += 1;
                        None
                    }
                    Some(p) => match weights.map(|w| weight_of(w.get(r))) {
                        None => Some((l, p, None)),
                        Some(Ok(w)) => Some((l, p, Some(w))),
                        Some(Err(missing)) => {
                            *(if missing { &mut self.missing_weight } else { &mut self.invalid_weight }) += 1;
                            None
                        }
                    },
                },
            };
            o.counted.push(counted);
        }
        o.scores.clear();
        match (self.spec.score, self.scores.as_mut()) {
            (Some(c), Some(acc)) => {
                let cells = batch.column(c);
                for r in 0..n {
                    o.scores.push(match cells.get(r).and_then(score_of) {
                        Some(s) => acc.finite(s),
                        None => {
                            acc.missing_score += 1;
                            None
                        }
                    });
                }
            }
            _ => o.scores.resize(n, None),
        }
    }
}
