//! Proxy detection, categorical pairs: one count per (key id, value code) per batch.
//!
//! The pairs of one candidate column (its value against sex, against race, against
//! sex × race) all count the same rows by the same two things: the row's key id over every
//! protected column ([`crate::ingest::keys::TupleKeys`]) and the column's value code. So
//! the batch is tallied once per column — an array increment per row, in a dense table of
//! (value, key id) — and each pair then adds each distinct (key id, value) of the batch
//! once, with its number of rows, to its contingency table: the per-row work of three
//! pairs becomes one increment, and the per-pair work is per distinct combination.
//!
//! The state is the same as row by row: a pair's table is a set of counts, whatever the
//! order they are added in; a pair is abandoned when the union of its pairs passes
//! [`super::MAX_PAIRS`], which the tally decides on the same union (an abandoned pair then
//! recounts the whole batch the abandoned way, its rows left out as before). Rows with no
//! value are left out of every pair; rows whose value is past the dictionary's cap
//! ([`UNCODED`]) are listed for the pairs to read cell by cell.

use crate::ingest::dict::{FIRST_CODE, NO_VALUE, UNCODED};

/// Most cells of the dense tally (values of the batch × key ids): past it, the column is
/// counted row by row for this batch.
const MAX_CELLS: usize = 1 << 18;

/// One column's batch, counted per (value code, key id) (a cache: holds nothing between
/// batches).
#[derive(Clone, Debug, Default)]
pub(super) struct PairTally {
    /// Per value code: its index among the batch's values + 1 (0: not in this batch).
    local: Vec<u32>,
    /// The batch's values: (code, first row), by index.
    values: Vec<(u32, u32)>,
    /// `counts[value index * keys + key id]`.
    counts: Vec<u32>,
    /// Indices into `counts` with a row, in order of first row.
    touched: Vec<u32>,
    /// Key ids of the batch (ids are below this).
    keys: usize,
    /// Rows with no value ([`NO_VALUE`]).
    pub(super) none: u64,
    /// Rows whose value has no code of its own ([`UNCODED`]).
    pub(super) uncoded: Vec<u32>,
}

/// One distinct (key id, value) of a batch with its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Combo {
    /// The key id over every protected column.
    pub id: u32,
    /// The value code (at least [`FIRST_CODE`]).
    pub code: u32,
    /// The first row of the batch with this value (to read its text once).
    pub first: u32,
    /// Its rows.
    pub n: u32,
}

impl PairTally {
    fn reset(&mut self, keys: usize) {
        for &(code, _) in &self.values {
            if let Some(l) = self.local.get_mut(code as usize) {
                *l = 0;
            }
        }
        for &i in &self.touched {
            if let Some(c) = self.counts.get_mut(i as usize) {
                *c = 0;
            }
        }
        self.values.clear();
        self.touched.clear();
        self.uncoded.clear();
        self.none = 0;
        self.keys = keys.max(1);
    }

    /// Tallies a batch: `codes` (one per row) and `ids` (key ids below `keys`). False when
    /// the batch has too many (value, key id) cells for the dense table: count it row by
    /// row then.
    pub(super) fn count(&mut self, codes: &[u32], ids: &[u32], keys: usize) -> bool {
        self.reset(keys);
        let k = self.keys;
        for (r, (&code, &id)) in codes.iter().zip(ids).enumerate() {
            if code < FIRST_CODE {
                debug_assert!(code == NO_VALUE || code == UNCODED);
                if code == UNCODED {
                    self.uncoded.push(r as u32);
                } else {
                    self.none += 1;
                }
                continue;
            }
            let c = code as usize;
            if c >= self.local.len() {
                self.local.resize(c + 1, 0);
            }
            let mut v = self.local[c];
            if v == 0 {
                self.values.push((code, r as u32));
                v = self.values.len() as u32;
                self.local[c] = v;
                let need = self.values.len() * k;
                if need > MAX_CELLS {
                    return false;
                }
                if self.counts.len() < need {
                    self.counts.resize(need.next_power_of_two().min(MAX_CELLS), 0);
                }
            }
            if id as usize >= k {
                return false; // not a key id of this batch: leave the batch to the row path
            }
            let i = (v as usize - 1) * k + id as usize;
            let Some(slot) = self.counts.get_mut(i) else { return false };
            if *slot == 0 {
                self.touched.push(i as u32);
            }
            *slot += 1;
        }
        true
    }

    /// Every distinct (key id, value) of the batch with its rows, in order of first row.
    pub(super) fn combos(&self) -> impl Iterator<Item = Combo> + '_ {
        let k = self.keys;
        self.touched.iter().filter_map(move |&i| {
            let i = i as usize;
            let (code, first) = *self.values.get(i / k)?;
            let n = *self.counts.get(i)?;
            Some(Combo { id: (i % k) as u32, code, first, n })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(t: &PairTally) -> Vec<(u32, u32, u32)> {
        let mut v: Vec<_> = t.combos().map(|c| (c.id, c.code, c.n)).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn counts_each_combination_once_and_sets_aside_rows_without_a_code() {
        let mut t = PairTally::default();
        assert!(t.count(&[5, 2, 5, 0, 1, 5, 9], &[0, 1, 0, 2, 1, 1, 0], 3));
        assert_eq!(sorted(&t), [(0, 5, 2), (0, 9, 1), (1, 2, 1), (1, 5, 1)]);
        assert_eq!(t.none, 1);
        assert_eq!(t.uncoded, [4]);
        let first: Vec<_> = t.combos().filter(|c| c.code == 5).map(|c| c.first).collect();
        assert_eq!(first, [0, 0]);
        // The next batch starts from nothing, with more key ids.
        assert!(t.count(&[2, 2, 3], &[4, 4, 0], 5));
        assert_eq!(sorted(&t), [(0, 3, 1), (4, 2, 2)]);
        assert_eq!((t.none, t.uncoded.len()), (0, 0));
    }

    #[test]
    fn gives_up_past_the_dense_table() {
        let mut t = PairTally::default();
        let keys = MAX_CELLS / 4;
        let codes: Vec<u32> = (0..5).map(|i| FIRST_CODE + i).collect();
        assert!(!t.count(&codes, &[0; 5], keys));
        // A key id the batch did not hand out is not counted into another value's row.
        assert!(!t.count(&[2, 3], &[0, 2], 2));
        // And counts again afterwards.
        assert!(t.count(&[2, 2], &[1, 1], 2));
        assert_eq!(sorted(&t), [(1, 2, 2)]);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod equivalence {
    use crate::fairness::proxy::{ProxyAcc, ProxyValue, LEVEL_SEPARATOR};
    use crate::ingest::batch::Batch;
    use crate::ingest::value::ColumnType;
    use crate::spec::{ProxyKind, ProxySpec, RawSpec, ValidSpec};
    use proptest::prelude::*;

    /// Two protected columns (g, h) and a categorical candidate column (x).
    fn spec() -> ValidSpec {
        let head = b"g,h,x\na,p,k1\nb,q,k2\n";
        let raw = crate::spec::resolve(&RawSpec::default(), head, true).expect("preview").spec;
        let mut s = ValidSpec::try_from_resolved(&raw).expect("spec");
        for c in &mut s.columns {
            c.ty = ColumnType::Categorical;
        }
        s
    }

    /// The pairs of x against g, h and g × h (three pairs sharing the column's tally), or
    /// against g alone (a column with a single pair).
    const THREE: &[&[usize]] = &[&[0], &[1], &[0, 1]];
    const ONE: &[&[usize]] = &[&[0]];

    fn acc(protected: &[&[usize]]) -> ProxyAcc {
        let proxies = ProxySpec { threshold: 0.3, columns: vec![(2, ProxyKind::Categorical)], skipped: Vec::new() };
        let protected: Vec<Vec<usize>> = protected.iter().map(|p| p.to_vec()).collect();
        ProxyAcc::new(&protected, &proxies)
    }

    /// The counts of `batches` through one batch buffer whose dictionaries code at most
    /// `cap` values.
    fn batched(spec: &ValidSpec, batches: &[Vec<[String; 3]>], cap: Option<usize>, pairs: &[&[usize]]) -> ProxyAcc {
        let mut acc = acc(pairs);
        Batch::read_through(spec, batches, cap, |b| acc.update(b));
        acc
    }

    /// The same rows, one by one, by their texts (the definition).
    fn row_by_row(batches: &[Vec<[String; 3]>], pairs: &[&[usize]]) -> ProxyAcc {
        let mut acc = acc(pairs);
        let known = |s: &str| (!s.is_empty() && s != "NA").then(|| s.to_string());
        for [g, h, x] in batches.iter().flatten() {
            let (g, h) = (known(g), known(h));
            let value = known(x).map_or(ProxyValue::Missing, ProxyValue::Level);
            let both = g.as_ref().zip(h.as_ref()).map(|(g, h)| format!("{g}{LEVEL_SEPARATOR}{h}"));
            for (i, level) in [g, h, both].into_iter().enumerate().take(pairs.len()) {
                acc.add(i, level.as_deref(), value.clone());
            }
        }
        acc
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(&["a", "b", "", "NA", "é"][..]).prop_map(str::to_string),
            (0u32..30).prop_map(|v| format!("v{v}")),
        ]
    }

    proptest! {
        #[test]
        fn counting_by_tally_equals_counting_row_by_row(
            batches in proptest::collection::vec(proptest::collection::vec((value(), value(), value()), 0..60), 1..4),
        ) {
            let spec = spec();
            let batches: Vec<Vec<[String; 3]>> =
                batches.into_iter().map(|b| b.into_iter().map(|(g, h, x)| [g, h, x]).collect()).collect();
            for pairs in [THREE, ONE] {
                let want = row_by_row(&batches, pairs);
                for cap in [None, Some(3), Some(0)] {
                    let got = batched(&spec, &batches, cap, pairs);
                    prop_assert_eq!(&got, &want, "cap {:?}, {} pairs", cap, pairs.len());
                }
            }
        }
    }
}
