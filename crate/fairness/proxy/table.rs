//! A contingency table (protected level, column value) → rows, as proxy detection counts it:
//! each side's texts are interned once ([`IndexSet`]) and a cell is addressed by the two
//! indices, so counting a row is an indexed add: in a dense array (value-major, one row of
//! `stride` levels per value) while the table is small and at least 1/8 full, else in an
//! integer-keyed map. It is serialised as the map of maps it stands for (protected level →
//! column value → rows; levels without a cell are left out), so states keep their format;
//! equality compares the cells by text.

use crate::sketch::fast_hash::{MixBuild, MixMap};
use indexmap::IndexSet;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// Interned texts of one side of the table.
type Side = IndexSet<String, MixBuild>;

/// Counts per (protected level, column value); see the module docs.
#[derive(Clone, Debug, Default)]
pub struct Contingency {
    levels: Side,
    values: Side,
    cells: Cells,
}

/// Most cells of a dense table.
const DENSE_CELLS: usize = 1 << 18;

/// The counts, dense or sparse.
#[derive(Clone, Debug)]
enum Cells {
    /// `counts[value * stride + level]`; `pairs` cells are non-zero.
    Dense { stride: usize, counts: Vec<u64>, pairs: usize },
    /// (level << 32 | value) → rows.
    Sparse(MixMap<u64, u64>),
}

impl Default for Cells {
    fn default() -> Self {
        Cells::Dense { stride: 4, counts: Vec::new(), pairs: 0 }
    }
}

fn cell_key(level: u32, value: u32) -> u64 {
    u64::from(level) << 32 | u64::from(value)
}

impl Cells {
    /// Adds `n` rows to (level, value); true when the cell was empty.
    #[inline]
    fn add(&mut self, level: u32, value: u32, n: u64) -> bool {
        if n == 0 {
            return false;
        }
        if let Cells::Dense { stride, counts, pairs } = self {
            let (l, v) = (level as usize, value as usize);
            if let Some(c) = counts.get_mut(v * *stride + l).filter(|_| l < *stride) {
                *c += n;
                *pairs += usize::from(*c == n);
                return *c == n;
            }
            self.grow(level, value);
            return self.add(level, value, n);
        }
        let Cells::Sparse(map) = self else { return false };
        let e = map.entry(cell_key(level, value)).or_insert(0);
        *e += n;
        *e == n
    }

    /// Makes room for (level, value): a wider stride or more values, or the sparse map once
    /// the dense array would be too large or less than 1/8 full.
    #[cold]
    fn grow(&mut self, level: u32, value: u32) {
        let Cells::Dense { stride, counts, pairs } = self else { return };
        let new_stride = if (level as usize) < *stride { *stride } else { (level as usize + 1).next_power_of_two() };
        let values = (counts.len() / *stride).max(value as usize + 1);
        let len = (values * 2).max(64) * new_stride;
        if len > DENSE_CELLS || len > 8 * *pairs + 4096 {
            let map = self.iter().map(|(l, v, n)| (cell_key(l, v), n)).collect();
            *self = Cells::Sparse(map);
            return;
        }
        let mut grown = vec![0u64; len];
        for (i, &c) in counts.iter().enumerate().filter(|e| *e.1 > 0) {
            grown[(i / *stride) * new_stride + i % *stride] = c;
        }
        (*stride, *counts) = (new_stride, grown);
    }

    fn len(&self) -> usize {
        match self {
            Cells::Dense { pairs, .. } => *pairs,
            Cells::Sparse(map) => map.len(),
        }
    }

    /// Every non-empty cell: (level, value, rows).
    fn iter(&self) -> Box<dyn Iterator<Item = (u32, u32, u64)> + '_> {
        match self {
            Cells::Dense { stride, counts, .. } => Box::new(
                counts
                    .iter()
                    .enumerate()
                    .filter(|e| *e.1 > 0)
                    .map(move |(i, &n)| ((i % stride) as u32, (i / stride) as u32, n)),
            ),
            Cells::Sparse(map) => Box::new(map.iter().map(|(&k, &n)| ((k >> 32) as u32, k as u32, n))),
        }
    }
}

impl Contingency {
    /// Distinct (level, value) pairs with a row.
    pub fn pairs(&self) -> usize {
        self.cells.len()
    }

    /// The index of protected level `text` (added when new).
    pub fn level(&mut self, text: &str) -> u32 {
        intern(&mut self.levels, text)
    }

    /// The index of column value `text` (added when new).
    pub fn value(&mut self, text: &str) -> u32 {
        intern(&mut self.values, text)
    }

    /// Adds `n` rows to (level, value) by index; returns true when the pair is new.
    #[inline]
    pub fn add(&mut self, level: u32, value: u32, n: u64) -> bool {
        self.cells.add(level, value, n)
    }

    /// Every cell with a row: (protected level, column value, rows), in no set order.
    pub fn cells(&self) -> impl Iterator<Item = (&str, &str, u64)> + '_ {
        self.cells.iter().filter_map(|(l, v, n)| {
            let l = self.levels.get_index(l as usize)?;
            let v = self.values.get_index(v as usize)?;
            Some((l.as_str(), v.as_str(), n))
        })
    }

    /// Adds another table's counts.
    pub fn merge(&mut self, other: &Contingency) {
        for (l, v, n) in other.cells() {
            let (l, v) = (self.level(l), self.value(v));
            self.add(l, v, n);
        }
    }

    /// The cells by text, sorted.
    fn sorted(&self) -> BTreeMap<(&str, &str), u64> {
        self.cells().map(|(l, v, n)| ((l, v), n)).collect()
    }
}

fn intern(side: &mut Side, text: &str) -> u32 {
    match side.get_index_of(text) {
        Some(i) => i as u32,
        None => side.insert_full(text.to_owned()).0 as u32,
    }
}

impl PartialEq for Contingency {
    fn eq(&self, other: &Self) -> bool {
        self.sorted() == other.sorted()
    }
}

impl Serialize for Contingency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut rows: Vec<Vec<(&str, u64)>> = vec![Vec::new(); self.levels.len()];
        for (l, v, n) in self.cells.iter() {
            let v = self.values.get_index(v as usize).map_or("", String::as_str);
            if let Some(row) = rows.get_mut(l as usize) {
                row.push((v, n));
            }
        }
        let used = rows.iter().filter(|r| !r.is_empty()).count();
        let mut map = s.serialize_map(Some(used))?;
        for (level, row) in self.levels.iter().zip(&rows) {
            if !row.is_empty() {
                map.serialize_entry(level, &Row(row))?;
            }
        }
        map.end()
    }
}

/// One protected level's row, serialised as a map.
struct Row<'a>(&'a [(&'a str, u64)]);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(v, n)| (v, n)))
    }
}

impl<'de> Deserialize<'de> for Contingency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Tables;
        impl<'de> Visitor<'de> for Tables {
            type Value = Contingency;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from protected levels to maps from values to counts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Contingency, A::Error> {
                let mut t = Contingency::default();
                while let Some((level, row)) = m.next_entry::<String, MixMap<String, u64>>()? {
                    let l = t.level(&level);
                    for (v, n) in row {
                        let v = t.value(&v);
                        t.add(l, v, n);
                    }
                }
                Ok(t)
            }
        }
        d.deserialize_map(Tables)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_a_map_of_maps_and_merges_by_text() {
        let mut a = Contingency::default();
        let (f, m, x, y) = (a.level("F"), a.level("M"), a.value("x"), a.value("y"));
        assert!(a.add(f, x, 2));
        assert!(!a.add(f, x, 1));
        assert!(a.add(m, y, 1));
        a.level("empty");
        let json = serde_json::to_string(&a).unwrap();
        let as_maps: BTreeMap<String, BTreeMap<String, u64>> = serde_json::from_str(&json).unwrap();
        let want: BTreeMap<String, BTreeMap<String, u64>> =
            [("F".into(), [("x".into(), 3)].into()), ("M".into(), [("y".into(), 1)].into())].into();
        assert_eq!(as_maps, want);
        let back: Contingency = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        let bytes = postcard::to_stdvec(&a).unwrap();
        assert_eq!(postcard::from_bytes::<Contingency>(&bytes).unwrap(), a);
        // The same table with its texts interned in another order.
        let mut b = Contingency::default();
        let (y2, m2) = (b.value("y"), b.level("M"));
        b.add(m2, y2, 1);
        let mut c = Contingency::default();
        let (f3, x3) = (c.level("F"), c.value("x"));
        c.add(f3, x3, 3);
        b.merge(&c);
        assert_eq!(b, a);
        assert_eq!(b.pairs(), 2);
    }

    #[test]
    fn dense_and_sparse_count_alike() {
        // Many levels and a sparse diagonal: the table turns sparse on the way.
        let mut t = Contingency::default();
        let mut want = BTreeMap::new();
        for i in 0..3000u32 {
            let (l, v) = (format!("L{}", i % 300), format!("V{}", (i * 7) % 1000));
            *want.entry((l.clone(), v.clone())).or_insert(0u64) += 1;
            let (l, v) = (t.level(&l), t.value(&v));
            t.add(l, v, 1);
        }
        assert!(matches!(t.cells, Cells::Sparse(_)));
        let got: BTreeMap<(String, String), u64> = t.cells().map(|(l, v, n)| ((l.into(), v.into()), n)).collect();
        assert_eq!(got, want);
        assert_eq!(t.pairs(), want.len());
        // Few levels, many rows: it stays dense.
        let mut d = Contingency::default();
        for i in 0..5000u32 {
            let (l, v) = (d.level(["a", "b"][(i % 2) as usize]), d.value(&(i % 40).to_string()));
            d.add(l, v, 1);
        }
        assert!(matches!(d.cells, Cells::Dense { .. }));
        assert_eq!((d.pairs(), d.cells().map(|c| c.2).sum::<u64>()), (40, 5000));
    }
}
