//! Kamiran–Calders reweighing weights per row: a second, sequential read of the file
//! after the audit, writing `row,weight` as CSV.
//!
//! The weight of a row of group g with label y is w(g, y) = n_y·n_g / (n·n_{g,y})
//! ([`crate::fairness::reweighing`]) from the audit's counts, where g is the row's values of
//! *all* protected attributes together (the intersection breakdown, or the single
//! attribute). Rows the audit did not count (label, prediction or `bias.weight` missing) get an empty
//! weight. `row` is the 1-based data row number, as in every finding of the report (the
//! header is not a row; blank lines are not rows).
//!
//! The output is formula-safe: a field that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is prefixed with an apostrophe (OWASP "CSV injection"), and fields
//! with a comma, quote or line break are quoted ([`csv_field`]).

use crate::error::{Error, Result};
use crate::fairness::counts::{Confusion, GroupKey, Level};
use crate::fairness::groups::{cell_text, is_positive, predicted_positive, weight_of};
use crate::fairness::reweighing::reweighing;
use crate::ingest::batch::Batch;
use crate::ingest::decoder::Decoder;
use crate::ingest::findings::FindingsAcc;
use crate::sketch::fast_hash::MixMap;
use crate::spec::{BiasSpec, ValidSpec};
use std::io::{Read, Write};
use std::sync::Arc;

/// A CSV field, quoted when needed and defused against formula injection.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Row weights from the audit's counts of the breakdown over all protected attributes.
#[derive(Clone, Debug)]
pub struct RowWeigher {
    spec: BiasSpec,
    label: usize,
    positive_label: String,
    weights: MixMap<(Vec<Option<String>>, bool), f64>,
}

impl RowWeigher {
    /// `groups`: the per-group confusion counts of the breakdown whose attributes are
    /// `spec.protected`, in that order.
    pub fn new(spec: &BiasSpec, groups: &[(GroupKey, Confusion)]) -> Result<Self> {
        let (Some(label), Some(positive_label)) = (spec.label, spec.positive_label.clone()) else {
            return Err(Error::spec("--reweigh-out", "reweighing needs a label column (bias.label)"));
        };
        let mut weights = MixMap::default();
        for w in reweighing(groups) {
            if let Some(x) = w.weight {
                let key = w
                    .group
                    .levels
                    .iter()
                    .map(|l| match l {
                        Level::Known(v) => Some(v.clone()),
                        Level::Unknown => None,
                    })
                    .collect();
                weights.insert((key, w.label), x);
            }
        }
        Ok(Self { spec: spec.clone(), label, positive_label, weights })
    }

    /// The weight of row `r` of the batch (None when the audit did not count the row).
    pub fn weight(&self, batch: &Batch, r: usize) -> Option<f64> {
        let y = batch.column(self.label).get(r).and_then(|c| is_positive(batch, c, &self.positive_label))?;
        predicted_positive(batch, r, &self.spec.prediction)?;
        if let Some(c) = self.spec.weight {
            // The audit left out rows without a usable row weight (`bias.weight`).
            weight_of(batch.column(c).get(r)).ok()?;
        }
        let key: Vec<Option<String>> = self
            .spec
            .protected
            .iter()
            .map(|&c| batch.column(c).get(r).and_then(|cell| cell_text(batch, cell)))
            .collect();
        self.weights.get(&(key, y)).copied()
    }
}

/// Reads the whole file sequentially from `input` and writes `row,weight` to `out`.
/// Returns (rows written, rows with a weight).
pub fn write_row_weights(
    spec: &Arc<ValidSpec>,
    weigher: &RowWeigher,
    mut input: impl Read,
    out: &mut impl Write,
) -> Result<(u64, u64)> {
    let mut decoder = Decoder::new(Arc::clone(spec), 0, u64::MAX, true);
    let mut findings = FindingsAcc::default();
    let (mut row, mut weighted) = (0u64, 0u64);
    let mut failed: Option<std::io::Error> = None;
    out.write_all(b"row,weight\n")?;
    let mut sink = |batch: &Batch| {
        for r in 0..batch.rows() {
            row += 1;
            let w = weigher.weight(batch, r);
            weighted += u64::from(w.is_some());
            let text = w.map_or_else(String::new, |x| csv_field(&x.to_string()));
            if failed.is_none() {
                if let Err(e) = writeln!(out, "{row},{text}") {
                    failed = Some(e);
                }
            }
        }
    };
    let mut buf = vec![0u8; super::drive::CHUNK_BYTES];
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            break;
        }
        if decoder.feed(&buf[..n], &mut findings, &mut sink)? {
            break;
        }
    }
    decoder.finish_input(&mut findings, &mut sink)?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    Ok((row, weighted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_formula_safe_and_quoted() {
        assert_eq!(csv_field("1.25"), "1.25");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@x"), "'@x");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
