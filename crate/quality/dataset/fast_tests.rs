//! The column-major `DatasetAcc::update` against a row-major reference built from the
//! per-row pieces (`rows::combine`, `ColumnSums::add`, `ClassCounts::add`, `Conflicts::add`
//! with the label as written): the whole state must be equal.

use super::examples::Pos;
use super::rows::{self, cell_hash, combine, ColumnSums};
use super::DatasetAcc;
use crate::accumulator::Accumulator;
use crate::ingest::batch::cell_text;
use crate::ingest::batch::{Batch, Cell};
use crate::spec::{Role, ValidSpec};
use proptest::prelude::*;

fn spec(cap: u64, ignore: bool) -> ValidSpec {
    let head = b"n,x,cat,flag,day,lab,id\n1,1.5,a,yes,2024-01-01,0.5,k1\n";
    let mut raw = crate::ingest::sniff::resolve(&crate::spec::RawSpec::default(), head, true).expect("preview").spec;
    raw.dataset.max_distinct_rows = cap;
    let mut s = ValidSpec::try_from_resolved(&raw).expect("spec");
    s.columns[5].role = Role::Label;
    s.columns[6].role = if ignore { Role::Ignore } else { Role::Identifier };
    s
}

/// The row-major definition, one row at a time.
fn reference(spec: &ValidSpec, batches: &[Batch]) -> DatasetAcc {
    let mut d = DatasetAcc::new(spec);
    for batch in batches {
        let at = |c: usize, r: usize| batch.column(c).get(r).copied().unwrap_or(Cell::Missing(0));
        for r in 0..batch.rows() {
            let cells: Vec<u64> = d.columns.iter().map(|&c| cell_hash(batch, &at(c, r))).collect();
            let h = combine(&cells);
            d.rows.add(h, Pos::of(batch, r));
            for (k, &cell) in cells.iter().enumerate() {
                d.sums.add(k, cell, h);
            }
            if let Some(l) = &mut d.label {
                let text = cell_text(batch, &at(l.column, r));
                l.classes.add(text.as_deref());
                if let Some(text) = text {
                    let f: Vec<u64> = l.features.iter().map(|&c| cell_hash(batch, &at(c, r))).collect();
                    l.conflicts.add(combine(&f), cell_hash(batch, &at(l.column, r)), Pos::of(batch, r), &text);
                }
            }
        }
        if let Some(l) = &mut d.label {
            l.leakage.update(batch);
        }
    }
    d
}

fn batch(spec: &ValidSpec, rows: &[[String; 7]], origin: u64) -> Batch {
    let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let mut b = Batch::from_rows(spec, &slices);
    b.set_origin(origin, 1);
    b
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(options).prop_map(str::to_string)
}

fn row() -> impl Strategy<Value = [String; 7]> {
    (
        pick(&["1", "2", "NA", "9007199254740993", "-9007199254740993", "x"]),
        pick(&["1", "1.0", "-0", "0", "1e0", "inf", "", "2.5"]),
        pick(&["a", "a ", "b", "", "NA", "1"]),
        pick(&["yes", "no", "?", ""]),
        pick(&["2024-02-29", "1999-12-31", "2024-13-01", ""]),
        // Label: -0 and 0 hash alike but read differently; more than 8 values per batch.
        prop_oneof![pick(&["0", "-0", "1", "1.0", "NA", "x", "2.5"]), (0u32..30).prop_map(|v| v.to_string())],
        pick(&["k1", "k2", "k3"]),
    )
        .prop_map(|(a, b, c, d, e, f, g)| [a, b, c, d, e, f, g])
}

proptest! {
    #[test]
    fn column_major_update_equals_the_row_major_definition(
        a in proptest::collection::vec(row(), 0..60),
        b in proptest::collection::vec(row(), 0..60),
        cap in prop_oneof![Just(5u64), Just(1000)],
        ignore in any::<bool>(),
    ) {
        let spec = spec(cap, ignore);
        let batches = [batch(&spec, &a, 0), batch(&spec, &b, 1000)];
        let mut fast = DatasetAcc::new(&spec);
        batches.iter().for_each(|x| fast.update(x));
        prop_assert_eq!(fast, reference(&spec, &batches));
    }

    #[test]
    fn cell_hashes_by_value_code_equal_the_definition(
        a in proptest::collection::vec(row(), 0..60),
        b in proptest::collection::vec(row(), 0..60),
        coded in 0u8..128,
        cap in prop_oneof![Just(3usize), Just(1 << 16)],
    ) {
        // One batch buffer (its dictionaries carry over), with the codes of the columns in
        // `coded` made as another analysis would.
        let spec = spec(1000, false);
        let mut fast = DatasetAcc::new(&spec);
        let mut one = Batch::new(7);
        one.limit_codes(cap);
        for (rows, origin) in [(&a, 0), (&b, 1000)] {
            one.clear();
            let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            one.push_rows(&spec, &slices);
            one.set_origin(origin, 1);
            (0..7).filter(|c| coded >> c & 1 == 1).for_each(|c| {
                one.codes(c);
            });
            fast.update(&one);
        }
        let batches = [batch(&spec, &a, 0), batch(&spec, &b, 1000)];
        prop_assert_eq!(fast, reference(&spec, &batches));
    }
}

#[test]
fn cell_hashes_compare_typed_values() {
    let mut b = Batch::new(1);
    let (t1, t2) = (b.push_text("1"), b.push_text("1 "));
    let h = |c: Cell| cell_hash(&b, &c);
    assert_eq!(h(Cell::Int(1)), h(Cell::Float(1.0)));
    assert_eq!(h(Cell::Float(-0.0)), h(Cell::Int(0)));
    assert_ne!(h(Cell::Int((1 << 53) + 1)), h(Cell::Float(((1u64 << 53) + 1) as f64)));
    let distinct = [
        h(Cell::Missing(1)),
        h(Cell::Int(1)),
        h(Cell::Int(1 << 60)),
        h(Cell::Bool(true)),
        h(Cell::Date(1)),
        h(Cell::Datetime(1)),
        h(Cell::Text(t1)),
        h(Cell::Text(t2)),
    ];
    let mut sorted = distinct.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), distinct.len());
    // The folds of a batch equal the one-row combine, and depend on the column order.
    let cols = [vec![1u64, 2, 3], vec![4, 5, 6]];
    let mut row = vec![rows::ROW_SEED; 3];
    cols.iter().for_each(|c| rows::fold(&mut row, c));
    assert_eq!(row, vec![combine(&[1, 4]), combine(&[2, 5]), combine(&[3, 6])]);
    assert_ne!(combine(&[1, 4]), combine(&[4, 1]));
    let (mut a, mut s) = (ColumnSums::new(1), ColumnSums::new(1));
    a.add_column(0, &cols[0], &[rows::mix(7), rows::mix(8), rows::mix(9)]);
    [(1, 7), (2, 8), (3, 9)].iter().for_each(|&(c, r)| s.add(0, c, r));
    assert_eq!(a, s);
}
