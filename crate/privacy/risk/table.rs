//! The frozen class table: every equivalence class with its rows and sensitive-value
//! counts, sorted by the encoded tuple (so every statistic is summed in one order,
//! whatever the split of the file), and the generalisation of a table through ladders.

use super::acc::RiskAcc;
use super::key::{decode, push_value, split};
use super::ladder::Ladder;
use crate::sketch::fast_hash::MixMap;

/// Rows per encoded value of one quasi-identifier, sorted by value.
pub type ValueCounts = Vec<(Box<[u8]>, u64)>;

/// One equivalence class.
#[derive(Clone, Debug, PartialEq)]
pub struct Class {
    /// The encoded quasi-identifier tuple (never shown in a report).
    pub key: Box<[u8]>,
    /// Rows.
    pub rows: u64,
    /// Per sensitive attribute, (value index, rows) sorted by index; indices refer to
    /// [`ClassTable::sensitive_values`], which is sorted by value.
    pub sensitive: Vec<Vec<(u32, u64)>>,
}

/// Every class of a file (or of a generalisation of it).
#[derive(Clone, Debug, PartialEq)]
pub struct ClassTable {
    /// Rows read.
    pub rows: u64,
    /// Rows with at least one missing quasi-identifier.
    pub rows_missing_qi: u64,
    /// The class cap was exceeded: `classes` is empty.
    pub over_cap: bool,
    /// The sensitive-value cap was exceeded: no sensitive counts.
    pub sensitive_over_cap: bool,
    /// The classes, sorted by key.
    pub classes: Vec<Class>,
    /// Per sensitive attribute, its encoded values in ascending order.
    pub sensitive_values: Vec<Vec<Box<[u8]>>>,
}

impl ClassTable {
    /// Freezes an accumulator.
    pub fn from_acc(acc: RiskAcc) -> Self {
        let mut remaps = Vec::new();
        let mut sensitive_values = Vec::new();
        for d in acc.dictionaries {
            let mut order: Vec<u32> = (0..d.values.len() as u32).collect();
            order.sort_by(|&a, &b| d.values[a as usize].cmp(&d.values[b as usize]));
            let mut remap = vec![0u32; order.len()];
            for (new, &old) in order.iter().enumerate() {
                remap[old as usize] = new as u32;
            }
            sensitive_values.push(order.iter().map(|&o| d.values[o as usize].clone()).collect());
            remaps.push(remap);
        }
        let mut classes: Vec<Class> = acc
            .classes
            .into_iter()
            .map(|(key, c)| Class {
                key,
                rows: c.rows,
                sensitive: c
                    .sensitive
                    .into_iter()
                    .enumerate()
                    .map(|(a, counts)| {
                        let mut v: Vec<(u32, u64)> =
                            counts.into_iter().map(|(i, n)| (remaps[a][i as usize], n)).collect();
                        v.sort_unstable();
                        v
                    })
                    .collect(),
            })
            .collect();
        classes.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        ClassTable {
            rows: acc.rows,
            rows_missing_qi: acc.rows_missing_qi,
            over_cap: acc.over_cap,
            sensitive_over_cap: acc.sensitive_over_cap,
            classes,
            sensitive_values,
        }
    }

    /// Rows per distinct value of quasi-identifier `q` (encoded value → rows), sorted.
    pub fn value_counts(&self, q: usize) -> ValueCounts {
        let mut m: MixMap<&[u8], u64> = MixMap::default();
        for c in &self.classes {
            if let Some(v) = split(&c.key).nth(q) {
                *m.entry(v).or_default() += c.rows;
            }
        }
        let mut v: Vec<(Box<[u8]>, u64)> = m.into_iter().map(|(k, n)| (k.into(), n)).collect();
        v.sort_unstable();
        v
    }

    /// The table at `levels` (one per quasi-identifier) of `ladders`: every class's tuple
    /// generalised, classes with equal generalised tuples merged by adding their counts.
    /// `counts[q]`: rows per value of quasi-identifier q ([`ClassTable::value_counts`]).
    pub fn generalise(&self, ladders: &[Ladder], levels: &[u32], counts: &[ValueCounts]) -> ClassTable {
        let mut memo: Vec<MixMap<&[u8], Box<[u8]>>> = vec![MixMap::default(); ladders.len()];
        let mut merged: MixMap<Box<[u8]>, Class> = MixMap::default();
        let mut buf = Vec::new();
        for c in &self.classes {
            buf.clear();
            for (q, v) in split(&c.key).enumerate() {
                let (Some(ladder), Some(&level)) = (ladders.get(q), levels.get(q)) else { continue };
                let out = memo[q].entry(v).or_insert_with(|| {
                    let n =
                        counts.get(q).and_then(|cs| cs.binary_search_by(|(k, _)| (**k).cmp(v)).ok().map(|i| cs[i].1));
                    let mut b = Vec::new();
                    push_value(&mut b, &ladder.generalise(level, &decode(v), n.unwrap_or(0)));
                    b.into_boxed_slice()
                });
                buf.extend_from_slice(out);
            }
            let class = merged.entry(buf.clone().into_boxed_slice()).or_insert_with(|| Class {
                key: Box::default(),
                rows: 0,
                sensitive: vec![Vec::new(); c.sensitive.len()],
            });
            class.rows += c.rows;
            for (mine, theirs) in class.sensitive.iter_mut().zip(&c.sensitive) {
                add_counts(mine, theirs);
            }
        }
        let mut classes: Vec<Class> = merged
            .into_iter()
            .map(|(key, mut c)| {
                c.key = key;
                c
            })
            .collect();
        classes.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        ClassTable { classes, sensitive_values: self.sensitive_values.clone(), ..self.shallow() }
    }

    fn shallow(&self) -> ClassTable {
        ClassTable {
            rows: self.rows,
            rows_missing_qi: self.rows_missing_qi,
            over_cap: self.over_cap,
            sensitive_over_cap: self.sensitive_over_cap,
            classes: Vec::new(),
            sensitive_values: Vec::new(),
        }
    }
}

/// Adds sorted (index, count) lists.
fn add_counts(mine: &mut Vec<(u32, u64)>, theirs: &[(u32, u64)]) {
    if mine.is_empty() {
        mine.extend_from_slice(theirs);
        return;
    }
    let mut out = Vec::with_capacity(mine.len() + theirs.len());
    let (mut i, mut j) = (0, 0);
    while i < mine.len() || j < theirs.len() {
        match (mine.get(i), theirs.get(j)) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                out.push((a.0, a.1 + b.1));
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a.0 < b.0 => {
                out.push(*a);
                i += 1;
            }
            (Some(_), Some(b)) | (None, Some(b)) => {
                out.push(*b);
                j += 1;
            }
            (Some(a), None) => {
                out.push(*a);
                i += 1;
            }
            (None, None) => break,
        }
    }
    *mine = out;
}
