//! The level-0 accumulator: quasi-identifier tuple → (rows, counts of each sensitive
//! value), merged by adding counts.
//!
//! Memory is bounded by the number of distinct tuples: above `max_classes` distinct
//! tuples (or `max_classes` distinct (tuple, sensitive value) pairs of one sensitive
//! attribute) the map is dropped and the report says so — never a silent wrong k. A part
//! drops its map only when its own count exceeds the cap, which the union then exceeds
//! too, so whether the cap was exceeded is a property of the file, not of the split.
//! Rows and rows with a missing quasi-identifier are counted in any case.

use super::key::push_cell;
use super::spec::RiskSpec;
use crate::error::{Error, Result};
use crate::ingest::batch::Batch;
use crate::sketch::fast_hash::MixMap;
use serde::{Deserialize, Serialize};

/// Counts of one equivalence class.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassCounts {
    /// Rows in the class.
    pub rows: u64,
    /// Per sensitive attribute, (value id, rows) sorted by id.
    pub sensitive: Vec<Vec<(u32, u64)>>,
}

/// A dictionary of encoded sensitive values.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Dictionary {
    /// Encoded values by id.
    pub values: Vec<Box<[u8]>>,
    #[serde(skip)]
    index: MixMap<Box<[u8]>, u32>,
}

impl PartialEq for Dictionary {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

impl Dictionary {
    fn id(&mut self, v: &[u8]) -> u32 {
        if self.index.len() != self.values.len() {
            self.reindex();
        }
        if let Some(&i) = self.index.get(v) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(v.into());
        self.index.insert(v.into(), i);
        i
    }
    fn reindex(&mut self) {
        self.index = self.values.iter().enumerate().map(|(i, v)| (v.clone(), i as u32)).collect();
    }
}

/// Mutable state of the re-identification analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskAcc {
    qis: Vec<usize>,
    sensitive: Vec<usize>,
    max_classes: u64,
    /// Rows read.
    pub rows: u64,
    /// Rows with at least one missing quasi-identifier.
    pub rows_missing_qi: u64,
    /// The classes (empty once the cap was exceeded).
    pub classes: MixMap<Box<[u8]>, ClassCounts>,
    /// Sensitive values, one dictionary per sensitive attribute.
    pub dictionaries: Vec<Dictionary>,
    /// Distinct (class, sensitive value) pairs per sensitive attribute.
    pub pairs: Vec<u64>,
    /// The number of classes exceeded the cap: the map was dropped.
    pub over_cap: bool,
    /// The (class, value) pairs of the sensitive attributes exceeded the cap: their counts
    /// were dropped.
    pub sensitive_over_cap: bool,
    #[serde(skip)]
    buf: Vec<u8>,
}

impl RiskAcc {
    /// An empty accumulator for `spec`.
    pub fn new(spec: &RiskSpec) -> Self {
        let s = spec.sensitive.len();
        RiskAcc {
            qis: spec.qis.clone(),
            sensitive: spec.sensitive.clone(),
            max_classes: spec.max_classes,
            rows: 0,
            rows_missing_qi: 0,
            classes: MixMap::default(),
            dictionaries: vec![Dictionary::default(); s],
            pairs: vec![0; s],
            over_cap: false,
            sensitive_over_cap: false,
            buf: Vec::new(),
        }
    }

    /// Adds a batch of rows.
    pub fn update(&mut self, batch: &Batch) {
        let n = batch.rows();
        self.rows += n as u64;
        let qcols: Vec<&[crate::ingest::batch::Cell]> = self.qis.iter().map(|&c| batch.column(c)).collect();
        let scols: Vec<&[crate::ingest::batch::Cell]> = self.sensitive.iter().map(|&c| batch.column(c)).collect();
        let mut buf = std::mem::take(&mut self.buf);
        let mut sbuf = Vec::new();
        for r in 0..n {
            buf.clear();
            let mut missing = false;
            for col in &qcols {
                if let Some(cell) = col.get(r) {
                    missing |= push_cell(&mut buf, batch, cell);
                }
            }
            self.rows_missing_qi += u64::from(missing);
            if self.over_cap {
                continue;
            }
            let class = match self.classes.get_mut(&buf[..]) {
                Some(c) => c,
                None => {
                    let c = ClassCounts { rows: 0, sensitive: vec![Vec::new(); self.sensitive.len()] };
                    self.classes.entry(buf.clone().into_boxed_slice()).or_insert(c)
                }
            };
            class.rows += 1;
            if self.sensitive_over_cap {
                continue;
            }
            for (a, col) in scols.iter().enumerate() {
                sbuf.clear();
                if let Some(cell) = col.get(r) {
                    push_cell(&mut sbuf, batch, cell);
                }
                let id = self.dictionaries[a].id(&sbuf);
                let counts = &mut class.sensitive[a];
                match counts.binary_search_by_key(&id, |&(i, _)| i) {
                    Ok(i) => counts[i].1 += 1,
                    Err(i) => {
                        counts.insert(i, (id, 1));
                        self.pairs[a] += 1;
                    }
                }
            }
        }
        self.buf = buf;
        self.enforce_cap();
    }

    fn enforce_cap(&mut self) {
        if !self.over_cap && self.classes.len() as u64 > self.max_classes {
            self.drop_classes();
        }
        if !self.sensitive_over_cap && self.pairs.iter().any(|&p| p > self.max_classes) {
            self.drop_sensitive();
        }
    }

    fn drop_classes(&mut self) {
        self.over_cap = true;
        self.sensitive_over_cap = true;
        self.classes = MixMap::default();
        self.dictionaries.iter_mut().for_each(|d| *d = Dictionary::default());
        self.pairs.iter_mut().for_each(|p| *p = 0);
    }

    fn drop_sensitive(&mut self) {
        self.sensitive_over_cap = true;
        for c in self.classes.values_mut() {
            c.sensitive.iter_mut().for_each(|v| *v = Vec::new());
        }
        self.pairs.iter_mut().for_each(|p| *p = 0);
        self.dictionaries.iter_mut().for_each(|d| *d = Dictionary::default());
    }

    /// Merges another accumulator of the same configuration.
    pub fn merge(&mut self, mut other: RiskAcc) -> Result<()> {
        if other.qis != self.qis || other.sensitive != self.sensitive || other.max_classes != self.max_classes {
            return Err(Error::state("the re-identification states were made with different quasi-identifiers"));
        }
        self.rows += other.rows;
        self.rows_missing_qi += other.rows_missing_qi;
        if other.over_cap || self.over_cap {
            self.drop_classes();
            return Ok(());
        }
        if other.sensitive_over_cap && !self.sensitive_over_cap {
            self.drop_sensitive();
        }
        let keep_sensitive = !self.sensitive_over_cap;
        // Ids of the other side's values in this side's dictionaries.
        let remap: Vec<Vec<u32>> = if keep_sensitive {
            let dicts = std::mem::take(&mut other.dictionaries);
            dicts.iter().zip(&mut self.dictionaries).map(|(o, d)| o.values.iter().map(|v| d.id(v)).collect()).collect()
        } else {
            Vec::new()
        };
        for (key, oc) in other.classes {
            let class = self
                .classes
                .entry(key)
                .or_insert_with(|| ClassCounts { rows: 0, sensitive: vec![Vec::new(); self.sensitive.len()] });
            class.rows += oc.rows;
            if !keep_sensitive {
                continue;
            }
            for (a, counts) in oc.sensitive.into_iter().enumerate() {
                let mine = &mut class.sensitive[a];
                for (id, n) in counts {
                    let id = remap[a][id as usize];
                    match mine.binary_search_by_key(&id, |&(i, _)| i) {
                        Ok(i) => mine[i].1 += n,
                        Err(i) => mine.insert(i, (id, n)),
                    }
                }
            }
        }
        self.pairs = (0..self.sensitive.len())
            .map(|a| self.classes.values().map(|c| c.sensitive[a].len() as u64).sum())
            .collect();
        self.enforce_cap();
        Ok(())
    }

    /// Freezes the counts into a sorted class table.
    pub fn finish(self) -> super::table::ClassTable {
        super::table::ClassTable::from_acc(self)
    }
}
