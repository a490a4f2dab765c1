//! String columns counted from value codes ([`crate::ingest::batch::Batch::code_counts`]): while a column's top
//! values are counted exactly and this batch cannot take them over the cap, each distinct
//! value of the batch is hashed, measured and counted once, with its number of rows, instead
//! of once per row. The state is the same as the row-by-row path's: the same distinct hashes,
//! the same exact value counts (no cap is crossed, so the order of additions does not
//! matter), the same lengths.

use super::{char_count, ColumnAcc, KindAcc};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::keys::CodeMemo;
use crate::sketch::distinct::hash_str;
use crate::sketch::top_k::COUNT_CAP;

/// A string column's per-range cache: each code's (hash, characters).
#[derive(Clone, Debug, Default)]
pub(super) struct Coded {
    facts: CodeMemo<(u64, u64)>,
}

impl ColumnAcc {
    /// Adds a batch of a string column (column `c` of `batch`) from its codes, and returns
    /// true; returns false, having changed nothing, when the batch must be read row by row:
    /// the top values are past (or could cross) the cap, or a code is not a text value.
    pub(super) fn update_strings_coded(&mut self, c: usize, cells: &[Cell], batch: &Batch) -> bool {
        let KindAcc::Strings { top, len_min, len_max, len_sum } = &mut self.kind else { return false };
        if top.overflowed() || top.len() + batch.rows() > COUNT_CAP {
            return false;
        }
        let (codes, seen, other) = batch.code_counts(c);
        let facts = &mut self.coded.0.facts;
        // Every row of a code holds the same kind of value: one text check per code.
        if seen.iter().any(|k| !matches!(cells.get(k.first as usize), Some(Cell::Text(_)))) {
            return false;
        }
        // Pending memo counts belong to the row-by-row path's values: add them first.
        self.memo.flush(top);
        facts.sync(batch.dict_id(c));
        let (mut lo, mut hi, mut sum, mut n) = (u64::MAX, 0u64, 0u64, 0u64);
        for k in seen {
            let Some(&Cell::Text(span)) = cells.get(k.first as usize) else { continue };
            let s = batch.text(span);
            let (h, chars) = facts.get(k.code, || (hash_str(s), char_count(s)));
            let rows = u64::from(k.n);
            lo = lo.min(chars);
            hi = hi.max(chars);
            sum += chars * rows;
            n += rows;
            self.distinct.insert(h);
            top.add_hashed_n(h, s, rows);
        }
        if n > 0 {
            self.valid += n;
            *len_min = Some(len_min.map_or(lo, |m| m.min(lo)));
            *len_max = (*len_max).max(hi);
            *len_sum += sum;
        }
        if other > 0 {
            // No value (missing, unparseable) or past the dictionary's cap: cell by cell.
            for (cell, _) in cells.iter().zip(codes).filter(|(_, &k)| k < crate::ingest::dict::FIRST_CODE) {
                self.update_cell(cell, batch);
            }
        }
        true
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::accumulator::Accumulator;
    use crate::ingest::batch::Batch;
    use crate::ingest::value::ColumnType;
    use crate::quality::profile::ProfileAcc;
    use crate::spec::{RawSpec, ValidSpec};
    use proptest::prelude::*;

    /// A categorical, a text and an integer column; `frequent`: the frequent-values summary.
    fn spec(frequent: bool) -> ValidSpec {
        let head = b"cat,txt,n\na,k1,1\nb,k2,2\n";
        let mut raw = crate::spec::resolve(&RawSpec::default(), head, true).expect("preview").spec;
        raw.profile.quantile_passes = frequent;
        let mut s = ValidSpec::try_from_resolved(&raw).expect("spec");
        s.columns[0].ty = ColumnType::Categorical;
        s.columns[1].ty = ColumnType::Text;
        s
    }

    /// The profile of `batches` (rows of 3 fields) read through one batch buffer whose
    /// dictionaries code at most `cap` values (0: every value uncoded, so every cell takes
    /// the row-by-row path).
    fn profile(spec: &ValidSpec, batches: &[Vec<[String; 3]>], cap: Option<usize>) -> ProfileAcc {
        let mut acc = ProfileAcc::new(spec);
        Batch::read_through(spec, batches, cap, |b| acc.update(b));
        acc
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(&["a", "b", "", "NA", " a", "é", "日本", "x y"][..]).prop_map(str::to_string),
            (0u32..40).prop_map(|v| format!("v{v}")),
        ]
    }

    proptest! {
        #[test]
        fn counting_by_code_equals_counting_cell_by_cell(
            batches in proptest::collection::vec(proptest::collection::vec((value(), value(), 0u8..5), 0..50), 1..4),
            frequent in any::<bool>(),
        ) {
            let spec = spec(frequent);
            let batches: Vec<Vec<[String; 3]>> = batches
                .into_iter()
                .map(|b| b.into_iter().map(|(a, t, n)| [a, t, n.to_string()]).collect())
                .collect();
            let cell_by_cell = profile(&spec, &batches, Some(0));
            prop_assert_eq!(&profile(&spec, &batches, None), &cell_by_cell);
            prop_assert_eq!(&profile(&spec, &batches, Some(3)), &cell_by_cell);
            prop_assert_eq!(profile(&spec, &batches, None).finish(), cell_by_cell.finish());
        }
    }

    #[test]
    fn crossing_the_count_cap_is_the_same_by_code() {
        // 12,000 distinct values in batches of 2,000 rows (each value twice): from the
        // ninth batch on, a batch could take the top values over the exact-count cap and is
        // read row by row; they cross it in the eleventh.
        for frequent in [false, true] {
            let spec = spec(frequent);
            let batches: Vec<Vec<[String; 3]>> = (0..12)
                .map(|k| (0..2000).map(|i| [format!("c{}", k * 1000 + i / 2), "t".into(), "1".into()]).collect())
                .collect();
            let by_code = profile(&spec, &batches, None);
            assert_eq!(by_code, profile(&spec, &batches, Some(0)));
            assert_eq!(by_code.finish(), profile(&spec, &batches, Some(0)).finish());
        }
    }
}
