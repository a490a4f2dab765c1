//! What each row of a batch contributes to each query, column by column: key and group
//! positions, label and prediction read once per distinct value through the columns'
//! codes ([`CodeMemo`]), numbers read from the typed cells; nothing is formatted per row.

use super::{bin_of, number, Contribution};
use crate::fairness::groups::{cell_text, PositiveMemo};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::dict::NO_VALUE;
use crate::ingest::keys::CodeMemo;
use crate::ingest::value::parse_bool;
use crate::spec::DpQuery;

/// The per-value caches of one query.
#[derive(Clone, Debug, Default)]
pub(super) struct QueryMemo {
    /// Histogram key or fairness group of a value's code (`keys.len()` = `(other)`).
    position: CodeMemo<u32>,
    label: PositiveMemo,
    prediction: PositiveMemo,
    labels: Vec<Option<bool>>,
    predictions: Vec<Option<bool>>,
}

/// One query's contributions for every row of a batch.
pub(super) enum Column {
    /// Every row counts 1.
    One,
    /// A cell index per row (`None`: nothing).
    Cells(Vec<Option<u32>>),
    /// Fixed-point units per row.
    Units(Vec<Option<i64>>),
    /// The value's code per row ([`NO_VALUE`]: nothing); texts from the batch.
    Codes(usize),
}

impl Column {
    /// Row `r`'s contribution (a category's text is made here).
    pub(super) fn row(&self, batch: &Batch, r: usize) -> Contribution {
        match self {
            Column::One => Contribution::One,
            Column::Cells(v) => Contribution::Cell(v.get(r).copied().flatten()),
            Column::Units(v) => Contribution::Units(v.get(r).copied().flatten()),
            Column::Codes(c) => Contribution::Category(batch.column(*c).get(r).and_then(|cell| cell_text(batch, cell))),
        }
    }
}

/// The position of the row's value among `keys` (`keys.len()` when it is not one of them,
/// `keys.len() + 1` when it is missing), by code. A boolean cell is matched by its truth
/// value: the declared keys are the file's own words (`yes`/`no`, `Y`/`N`, `1`/`0`, …), while
/// the cell's text is `true`/`false`; without this every row of a boolean column spelled
/// `yes`/`no` fell into "(other)".
fn positions(memo: &mut CodeMemo<u32>, batch: &Batch, column: usize, keys: &[String]) -> Vec<u32> {
    memo.sync(batch.dict_id(column));
    let n = keys.len() as u32;
    let cells = batch.column(column);
    let mut out: Vec<u32> = batch
        .codes(column)
        .iter()
        .enumerate()
        .map(|(r, &code)| {
            if code == NO_VALUE {
                return n + 1;
            }
            memo.get(code, || match cells.get(r) {
                Some(Cell::Bool(b)) => keys.iter().position(|k| parse_bool(k) == Some(*b)).map_or(n, |i| i as u32),
                cell => match cell.and_then(|cell| cell_text(batch, cell)) {
                    None => n + 1,
                    Some(t) => keys.iter().position(|k| *k == t).map_or(n, |i| i as u32),
                },
            })
        })
        .collect();
    out.resize(batch.rows(), n + 1);
    out
}

/// The contributions of query `q` for every row of `batch`.
pub(super) fn column(q: &DpQuery, batch: &Batch, memo: &mut QueryMemo) -> Column {
    let numbers = |c: usize| -> Vec<Option<f64>> {
        let mut v: Vec<Option<f64>> = batch.column(c).iter().map(number).collect();
        v.resize(batch.rows(), None);
        v
    };
    match q {
        DpQuery::Count => Column::One,
        DpQuery::Histogram { column, keys } => {
            Column::Cells(positions(&mut memo.position, batch, *column, keys).into_iter().map(Some).collect())
        }
        DpQuery::Sum { column, lower_units, upper_units, decimals, .. } => {
            let unit = 10f64.powi(*decimals as i32);
            Column::Units(
                numbers(*column)
                    .into_iter()
                    .map(|x| {
                        x.map(|x| {
                            let u = (x * unit).round();
                            // Clamp in the integer domain: the sensitivity is exactly max(|L|, |U|).
                            if u.is_nan() {
                                *lower_units
                            } else {
                                (u.clamp(*lower_units as f64, *upper_units as f64) as i64)
                                    .clamp(*lower_units, *upper_units)
                            }
                        })
                    })
                    .collect(),
            )
        }
        DpQuery::Quantiles { column, lower, upper, bins, .. } => {
            Column::Cells(numbers(*column).into_iter().map(|x| x.map(|x| bin_of(x, *lower, *upper, *bins))).collect())
        }
        DpQuery::Categories { column } => Column::Codes(*column),
        DpQuery::Fairness { protected, groups, label, positive_label, prediction, .. } => {
            memo.label.rows(batch, *label, positive_label, &mut memo.labels);
            memo.prediction.predictions(batch, prediction, &mut memo.predictions);
            let g = positions(&mut memo.position, batch, *protected, groups);
            Column::Cells(
                (0..batch.rows())
                    .map(|r| {
                        let (y, p) = (memo.labels[r]?, memo.predictions[r]?);
                        Some(4 * g[r] + 2 * u32::from(y) + u32::from(p))
                    })
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DpAcc, Table};
    use crate::ingest::batch::Batch;
    use crate::spec::{resolve, Mode, RawSpec, ValidSpec};
    use std::collections::BTreeMap;

    #[test]
    fn tables_by_code_equal_the_rows_counted_by_text() {
        let gs = ["a", "b", "c", "d", "", "a", "NA"];
        let rows: Vec<[String; 3]> = (0..200usize)
            .map(|i| {
                let y = if i % 13 == 0 { "NA".to_string() } else { (i % 2).to_string() };
                [gs[i % 7].to_string(), y, ["yes", "no", "no"][i % 3].to_string()]
            })
            .collect();
        let csv: String = std::iter::once("g,y,p\n".to_string())
            .chain(rows.iter().map(|r| format!("{},{},{}\n", r[0], r[1], r[2])))
            .collect();
        let toml = "[bias]\nprotected = [\"g\"]\nlabel = \"y\"\npositive_label = \"1\"\nprediction = \"p\"\n\
            positive_prediction = \"yes\"\n[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"count\"\n\
            [[dp.queries]]\nkind = \"histogram\"\ncolumn = \"g\"\nkeys = [\"a\", \"b\"]\n\
            [[dp.queries]]\nkind = \"categories\"\ncolumn = \"g\"\n\
            [[dp.queries]]\nkind = \"fairness\"\nprotected = \"g\"\nkeys = [\"a\", \"c\"]\n";
        let mut raw = RawSpec::from_toml(toml).unwrap();
        raw.mode = Mode::Dp;
        let spec = ValidSpec::try_from_resolved(&resolve(&raw, csv.as_bytes(), true).unwrap().spec).unwrap();
        // Expected, row by row from the texts.
        let missing = |s: &str| s.is_empty() || s == "NA";
        let pos = |s: &str, keys: &[&str]| match keys.iter().position(|k| *k == s) {
            _ if missing(s) => keys.len() + 1,
            Some(i) => i,
            None => keys.len(),
        };
        let mut hist = vec![0u64; 4];
        let mut cats: BTreeMap<String, u64> = BTreeMap::new();
        let mut fair = vec![0u64; 16];
        for [g, y, p] in &rows {
            hist[pos(g, &["a", "b"])] += 1;
            if !missing(g) {
                *cats.entry(g.clone()).or_default() += 1;
            }
            if !missing(y) {
                fair[4 * pos(g, &["a", "c"]) + 2 * usize::from(y == "1") + usize::from(p == "yes")] += 1;
            }
        }
        let want = vec![Table::Count(200), Table::Cells(hist), Table::Categories(cats), Table::Cells(fair)];
        let dp = spec.dp.clone().unwrap();
        for (size, cap) in [(200, crate::ingest::dict::MAX_CODES), (7, 2), (31, 1)] {
            let mut acc = DpAcc::new(&dp);
            let mut b = Batch::new(spec.columns.len());
            b.limit_codes(cap);
            for chunk in rows.chunks(size) {
                let refs: Vec<Vec<&str>> = chunk.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
                let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
                b.clear();
                b.push_rows(&spec, &slices);
                acc.update(&b);
            }
            let got = acc.finish().unwrap_or_else(|_| panic!("finish")).into_inner();
            assert_eq!(got, want, "batches of {size}, {cap} codes per column");
        }
    }

    /// A boolean column spelled `yes`/`no` is counted under the declared keys `yes`/`no`
    /// (before, its cells read `true`/`false` and every row fell into "(other)").
    #[test]
    fn boolean_keys_are_the_files_words() {
        let rows: Vec<[&str; 3]> = (0..120)
            .map(|i| {
                [["yes", "no", "no", ""][i % 4], if i % 3 == 0 { "1" } else { "0" }, if i % 5 == 0 { "1" } else { "0" }]
            })
            .collect();
        let csv: String = std::iter::once("member,y,p\n".to_string())
            .chain(rows.iter().map(|r| format!("{},{},{}\n", r[0], r[1], r[2])))
            .collect();
        let toml = "[bias]\nprotected = [\"member\"]\nlabel = \"y\"\npositive_label = \"1\"\nprediction = \"p\"\n\
            positive_prediction = \"1\"\n[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"histogram\"\ncolumn = \"member\"\n\
            keys = [\"yes\", \"no\"]\n[[dp.queries]]\nkind = \"fairness\"\nprotected = \"member\"\nkeys = [\"no\"]\n";
        let mut raw = RawSpec::from_toml(toml).unwrap();
        raw.mode = Mode::Dp;
        let spec = ValidSpec::try_from_resolved(&resolve(&raw, csv.as_bytes(), true).unwrap().spec).unwrap();
        assert_eq!(spec.columns[0].ty, crate::ingest::value::ColumnType::Boolean, "the sample reads as boolean");
        let mut fair = vec![0u64; 12];
        for r in &rows {
            let g = match r[0] {
                "no" => 0,
                "" => 2,
                _ => 1,
            };
            fair[4 * g + 2 * usize::from(r[1] == "1") + usize::from(r[2] == "1")] += 1;
        }
        let want = vec![Table::Cells(vec![30, 60, 0, 30]), Table::Cells(fair)];
        let mut acc = DpAcc::new(spec.dp.as_ref().unwrap());
        let mut b = Batch::new(spec.columns.len());
        let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
        let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
        b.push_rows(&spec, &slices);
        acc.update(&b);
        assert_eq!(acc.finish().unwrap_or_else(|_| panic!("finish")).into_inner(), want);
    }
}
