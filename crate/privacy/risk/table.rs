//! The frozen class table: every equivalence class with its rows and sensitive-value
//! counts, sorted by the encoded tuple (so every statistic is summed in one order,
//! whatever the split of the file), and the generalisation of a table through ladders.

use super::acc::{pair_parts, RiskAcc};
use super::key::{decode, push_value, split};
use super::ladder::Ladder;
use crate::sketch::fast_hash::MixMap;

/// Rows per encoded value of one quasi-identifier, sorted by value.
pub type ValueCounts = Vec<(Box<[u8]>, u64)>;

/// The distinct values of the quasi-identifiers of a class table, and each class's value
/// indices ([`ClassTable::intern`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Interned {
    /// Per quasi-identifier: its distinct values (sorted) with the rows holding each.
    pub values: Vec<ValueCounts>,
    /// Classes × quasi-identifiers: the index of each class's value.
    ids: Vec<u32>,
    qis: usize,
}

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
    pub fn from_acc(mut acc: RiskAcc) -> Self {
        acc.flush();
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
        let mut keyed: Vec<(Box<[u8]>, super::acc::ClassCounts)> = acc.classes.into_iter().collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Position in the sorted table of each class id.
        let mut position = vec![usize::MAX; keyed.len()];
        for (i, (_, c)) in keyed.iter().enumerate() {
            if let Some(p) = position.get_mut(c.id as usize) {
                *p = i;
            }
        }
        let s = remaps.len();
        let mut classes: Vec<Class> =
            keyed.into_iter().map(|(key, c)| Class { key, rows: c.rows, sensitive: vec![Vec::new(); s] }).collect();
        for (a, (counts, remap)) in acc.sensitive_counts.into_iter().zip(&remaps).enumerate() {
            for (k, n) in counts {
                let (c, v) = pair_parts(k);
                let class = position.get(c as usize).and_then(|&p| classes.get_mut(p));
                if let (Some(class), Some(&v)) = (class, remap.get(v as usize)) {
                    class.sensitive[a].push((v, n));
                }
            }
            classes.iter_mut().for_each(|c| c.sensitive[a].sort_unstable());
        }
        ClassTable {
            rows: acc.rows,
            rows_missing_qi: acc.rows_missing_qi,
            over_cap: acc.over_cap,
            sensitive_over_cap: acc.sensitive_over_cap,
            classes,
            sensitive_values,
        }
    }

    /// The distinct values of every quasi-identifier and each class's value indices,
    /// computed once for all what-ifs.
    pub fn intern(&self, qis: usize) -> Interned {
        let mut maps: Vec<MixMap<&[u8], u32>> = vec![MixMap::default(); qis];
        let mut found: Vec<Vec<(&[u8], u64)>> = vec![Vec::new(); qis];
        let mut ids = Vec::with_capacity(self.classes.len() * qis);
        for c in &self.classes {
            for (q, v) in split(&c.key).enumerate().take(qis) {
                let next = found[q].len() as u32;
                let id = *maps[q].entry(v).or_insert(next);
                if id == next {
                    found[q].push((v, 0));
                }
                found[q][id as usize].1 += c.rows;
                ids.push(id);
            }
        }
        // Renumber each quasi-identifier's values in sorted order.
        let mut values = Vec::with_capacity(qis);
        let mut renumber = Vec::with_capacity(qis);
        for f in found {
            let mut order: Vec<u32> = (0..f.len() as u32).collect();
            order.sort_unstable_by(|&a, &b| f[a as usize].0.cmp(f[b as usize].0));
            let mut to = vec![0u32; order.len()];
            for (new, &old) in order.iter().enumerate() {
                to[old as usize] = new as u32;
            }
            values.push(
                order.iter().map(|&o| (Box::<[u8]>::from(f[o as usize].0), f[o as usize].1)).collect::<ValueCounts>(),
            );
            renumber.push(to);
        }
        for (k, id) in ids.iter_mut().enumerate() {
            *id = renumber[k % qis][*id as usize];
        }
        Interned { values, ids, qis }
    }

    /// The table at `levels` (one per quasi-identifier) of `ladders`: every class's tuple
    /// generalised, classes with equal generalised tuples merged by adding their counts.
    /// Classes come out in no particular order (every measure is order-free); their keys
    /// (the generalised tuples) are filled only when `keys` is set.
    pub fn generalise(&self, interned: &Interned, ladders: &[Ladder], levels: &[u32], keys: bool) -> ClassTable {
        let qis = interned.qis;
        // Per quasi-identifier: value index → generalised index, and the generalised values.
        let mut to: Vec<Vec<u32>> = Vec::with_capacity(qis);
        let mut labels: Vec<Vec<Box<[u8]>>> = Vec::with_capacity(qis);
        for (q, vals) in interned.values.iter().enumerate() {
            let mut index: MixMap<Box<[u8]>, u32> = MixMap::default();
            let mut out = Vec::new();
            let map = vals
                .iter()
                .map(|(v, n)| {
                    let mut b = Vec::new();
                    push_value(&mut b, &ladders[q].generalise(levels[q], &decode(v), *n));
                    let next = out.len() as u32;
                    *index.entry(b.clone().into_boxed_slice()).or_insert_with(|| {
                        out.push(b.into_boxed_slice());
                        next
                    })
                })
                .collect();
            to.push(map);
            labels.push(out);
        }
        // Mixed-radix u64 keys when the product of the sizes fits, else the index tuples.
        let mut strides = Some(Vec::with_capacity(qis));
        let mut acc: u64 = 1;
        for l in &labels {
            strides = strides.and_then(|mut s: Vec<u64>| {
                s.push(acc);
                acc = acc.checked_mul(l.len().max(1) as u64)?;
                Some(s)
            });
        }
        let mut first: Vec<usize> = Vec::new();
        let mut classes: Vec<Class> = Vec::with_capacity(self.classes.len());
        let mut by_u64: MixMap<u64, usize> = MixMap::default();
        if strides.is_some() {
            by_u64.reserve(self.classes.len());
        }
        let mut by_tuple: MixMap<Box<[u32]>, usize> = MixMap::default();
        let mut tuple = vec![0u32; qis];
        for (i, c) in self.classes.iter().enumerate() {
            let ids = &interned.ids[i * qis..(i + 1) * qis];
            for q in 0..qis {
                tuple[q] = to[q][ids[q] as usize];
            }
            let slot = match &strides {
                Some(s) => {
                    *by_u64.entry(tuple.iter().zip(s).map(|(&t, &m)| u64::from(t) * m).sum()).or_insert(classes.len())
                }
                None => match by_tuple.get(&tuple[..]) {
                    Some(&k) => k,
                    None => *by_tuple.entry(tuple.clone().into_boxed_slice()).or_insert(classes.len()),
                },
            };
            if slot == classes.len() {
                let sensitive = if c.sensitive.is_empty() { Vec::new() } else { vec![Vec::new(); c.sensitive.len()] };
                classes.push(Class { key: Box::default(), rows: 0, sensitive });
                if keys {
                    first.push(i);
                }
            }
            let class = &mut classes[slot];
            class.rows += c.rows;
            for (mine, theirs) in class.sensitive.iter_mut().zip(&c.sensitive) {
                add_counts(mine, theirs);
            }
        }
        for (class, &i) in classes.iter_mut().zip(&first).filter(|_| keys) {
            let ids = &interned.ids[i * qis..(i + 1) * qis];
            let mut key = Vec::new();
            for q in 0..qis {
                key.extend_from_slice(&labels[q][to[q][ids[q] as usize] as usize]);
            }
            class.key = key.into_boxed_slice();
        }
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
