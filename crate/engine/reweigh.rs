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
use crate::fairness::counts::{Confusion, GroupKey};
use crate::fairness::groups::{cell_text, is_positive, predicted_positive, weight_of};
use crate::fairness::reweighing::reweighing;
use crate::ingest::batch::Batch;
use crate::ingest::findings::FindingsAcc;
use crate::ingest::source::Source;
use crate::sketch::fast_hash::MixMap;
use crate::spec::{BiasSpec, ValidSpec};
use std::io::{Read, Write};
use std::sync::Arc;

pub use crate::report::tables::csv_field;

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
                weights.insert((w.group.texts(), w.label), x);
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

impl RowWeigher {
    /// The weigher of a finished audit `report` made with `spec`: the counts of its
    /// breakdown over all protected attributes together. Errs, saying what to change, when
    /// the report has no bias audit, no such breakdown, or no label; `option` names what
    /// asked for the weights (`--reweigh-out`, …) in those messages.
    pub fn for_report(spec: &ValidSpec, report: &crate::report::Report, option: &str) -> Result<Self> {
        let no_bias = || Error::spec(option, "reweighing needs a bias audit (--protected, --label, ...)");
        let (b, bias) = spec.bias.as_ref().zip(report.bias.as_ref()).ok_or_else(no_bias)?;
        let names: Vec<String> = b.protected.iter().map(|&i| spec.columns[i].name.clone()).collect();
        let breakdown = bias.breakdowns.iter().find(|br| br.attributes == names).ok_or_else(|| {
            Error::spec(option, "reweighing uses all protected attributes together: set bias.intersections = true")
        })?;
        let audit = breakdown.audit.as_ref().ok_or_else(|| {
            let why = breakdown.note.clone().unwrap_or_else(|| "no label column (a selection-only audit)".into());
            Error::spec(option, format!("reweighing needs the full audit of the groups: {why}"))
        })?;
        // The report names a boolean attribute's groups as the file spells them; rows are
        // keyed by the cell (`true`/`false`).
        let key = |k: &GroupKey| GroupKey {
            levels: k
                .levels
                .iter()
                .zip(&b.protected)
                .map(|(l, &c)| match l {
                    crate::fairness::counts::Level::Known(v) => {
                        crate::fairness::counts::Level::Known(spec.level_key(c, v).to_string())
                    }
                    u => u.clone(),
                })
                .collect(),
        };
        let groups: Vec<_> = audit.groups.iter().map(|g| (key(&g.group), g.confusion)).collect();
        Self::new(b, &groups).map_err(|_| Error::spec(option, "reweighing needs a label column (bias.label)"))
    }
}

/// The `row,weight` CSV of a whole file, produced as its bytes are fed in order (the
/// browser feeds `File.slice()` chunks; [`write_row_weights`] feeds a `Read`).
pub struct WeightStream {
    decoder: Source,
    findings: FindingsAcc,
    weigher: RowWeigher,
    row: u64,
    weighted: u64,
    started: bool,
}

impl WeightStream {
    /// A stream over the file read with `spec` (the audit's).
    pub fn new(spec: Arc<ValidSpec>, weigher: RowWeigher) -> Self {
        let decoder = Source::new(spec, 0, u64::MAX, true);
        WeightStream { decoder, findings: FindingsAcc::default(), weigher, row: 0, weighted: 0, started: false }
    }

    /// Feeds the next bytes of the file; appends the CSV lines of the rows they complete
    /// (the header line first) to `out`. True once the file is complete.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<u8>) -> Result<bool> {
        self.header(out);
        let WeightStream { decoder, findings, weigher, row, weighted, .. } = self;
        decoder.feed(bytes, findings, &mut |batch| lines(weigher, batch, row, weighted, out))
    }

    /// Signals the end of the file; appends the last rows' lines to `out`.
    pub fn finish_input(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.header(out);
        let WeightStream { decoder, findings, weigher, row, weighted, .. } = self;
        decoder.finish_input(findings, &mut |batch| lines(weigher, batch, row, weighted, out))
    }

    /// (rows written, rows with a weight) so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.row, self.weighted)
    }

    fn header(&mut self, out: &mut Vec<u8>) {
        if !self.started {
            out.extend_from_slice(b"row,weight\n");
            self.started = true;
        }
    }
}

fn lines(weigher: &RowWeigher, batch: &Batch, row: &mut u64, weighted: &mut u64, out: &mut Vec<u8>) {
    use std::fmt::Write as _;
    let mut text = String::new();
    for r in 0..batch.rows() {
        *row += 1;
        let w = weigher.weight(batch, r);
        *weighted += u64::from(w.is_some());
        let field = w.map_or_else(String::new, |x| csv_field(&x.to_string()));
        // Writing to a String cannot fail.
        let _ = writeln!(text, "{row},{field}");
    }
    out.extend_from_slice(text.as_bytes());
}

/// Reads the whole file sequentially from `input` and writes `row,weight` to `out`.
/// Returns (rows written, rows with a weight).
pub fn write_row_weights(
    spec: &Arc<ValidSpec>,
    weigher: &RowWeigher,
    mut input: impl Read + std::io::Seek,
    out: &mut impl Write,
) -> Result<(u64, u64)> {
    let mut stream = WeightStream::new(Arc::clone(spec), weigher.clone());
    if spec.source.format == crate::ingest::source::Format::Parquet {
        let mut lines = Vec::new();
        crate::ingest::source::parquet::for_each_group(&mut input, 0, u64::MAX, &mut |msg, _| {
            stream.feed(msg, &mut lines)?;
            out.write_all(&lines)?;
            lines.clear();
            Ok(())
        })?;
        stream.finish_input(&mut lines)?;
        out.write_all(&lines)?;
        return Ok(stream.counts());
    }
    let mut buf = vec![0u8; super::drive::CHUNK_BYTES];
    let mut lines = Vec::new();
    loop {
        let n = input.read(&mut buf)?;
        let done = n == 0 || stream.feed(&buf[..n], &mut lines)?;
        out.write_all(&lines)?;
        lines.clear();
        if done {
            break;
        }
    }
    stream.finish_input(&mut lines)?;
    out.write_all(&lines)?;
    Ok(stream.counts())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_formula_safe_and_quoted() {
        assert_eq!(csv_field("1.25"), "1.25");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2"), "-2", "a plain number stays a number");
        assert_eq!(csv_field("-2+1"), "'-2+1");
        assert_eq!(csv_field("@x"), "'@x");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
