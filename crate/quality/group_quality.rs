//! Data quality by protected group: for every protected attribute (role `protected`,
//! `[bias].protected`, or a column with reference shares) and every column, the missing
//! and unparseable cells per group, and the largest gap between groups.
//!
//! Differential missingness is a bias source: a model trained or audited on complete rows
//! sees fewer rows of the group whose values are missing more often, and imputation treats
//! that group differently. Rows whose protected value is missing (or unparseable) form an
//! explicit `(unknown)` group. Counts are integers, so merges are exact. An attribute with
//! more than [`MAX_GROUPS`] distinct values is left out (decided by the union of values,
//! not the split).
//!
//! Rows are grouped by key id ([`TupleKeys`] over the attribute: value codes, the group's
//! text made once per range), per batch into local tallies that are added to the groups'
//! counts once per distinct group.

use crate::accumulator::Accumulator;
use crate::error::Result;
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::keys::{Transient, TupleKeys, NO_SLOT};
use crate::spec::{Role, ValidSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Distinct values of an attribute kept before it is left out.
pub const MAX_GROUPS: usize = 1000;

/// Default minimum group size of the gap (`checks.group_missing_gap.min_group_size`).
pub const DEFAULT_MIN_GROUP_SIZE: u64 = 30;

/// The label of the unknown group.
pub const UNKNOWN: &str = "(unknown)";

/// Counts of one group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupTally {
    /// Rows.
    pub rows: u64,
    /// Missing cells per reported column.
    pub missing: Vec<u64>,
    /// Unparseable cells per reported column.
    pub unparseable: Vec<u64>,
}

impl GroupTally {
    fn add(&mut self, o: &GroupTally) {
        self.rows += o.rows;
        let grow = |v: &mut Vec<u64>, n: usize| v.resize(v.len().max(n), 0);
        grow(&mut self.missing, o.missing.len());
        grow(&mut self.unparseable, o.unparseable.len());
        self.missing.iter_mut().zip(&o.missing).for_each(|(a, b)| *a += b);
        self.unparseable.iter_mut().zip(&o.unparseable).for_each(|(a, b)| *a += b);
    }
}

/// One attribute's groups.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributeTally {
    /// The attribute's column.
    pub column: usize,
    /// Known values.
    pub known: BTreeMap<String, GroupTally>,
    /// Rows whose value is missing or unparseable.
    pub unknown: GroupTally,
    /// More than [`MAX_GROUPS`] values: left out.
    pub overflow: bool,
    /// Key ids of the attribute's values, and each key id's local slot in a batch.
    #[serde(skip)]
    cache: Transient<(TupleKeys, Vec<u32>)>,
}

/// The accumulator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupQualityAcc {
    /// Reported columns (every column but the ignored ones).
    pub columns: Vec<usize>,
    /// Column names (all columns, for the report).
    pub names: Vec<String>,
    /// Smallest group that enters a gap.
    pub min_group_size: u64,
    /// One per attribute.
    pub attributes: Vec<AttributeTally>,
}

impl GroupQualityAcc {
    /// An empty accumulator for the attributes `attrs`.
    pub fn new(spec: &ValidSpec, attrs: &[usize]) -> Self {
        let min_group_size = spec
            .resolved
            .checks
            .get("group_missing_gap")
            .and_then(|c| c.min_group_size)
            .unwrap_or(DEFAULT_MIN_GROUP_SIZE);
        GroupQualityAcc {
            columns: (0..spec.columns.len()).filter(|&i| spec.columns[i].role != Role::Ignore).collect(),
            names: spec.columns.iter().map(|c| c.name.clone()).collect(),
            min_group_size,
            attributes: attrs.iter().map(|&column| AttributeTally { column, ..Default::default() }).collect(),
        }
    }
}

impl Accumulator for GroupQualityAcc {
    type Output = GroupQualityReport;

    fn update(&mut self, batch: &Batch) {
        let ncol = self.columns.len();
        for at in &mut self.attributes {
            if at.overflow {
                continue;
            }
            // Group of each row: index into `local`; `ids[i]` is local group i's key id.
            let (keys, local_of) = &mut at.cache.0;
            if keys.columns() != [at.column] {
                *keys = TupleKeys::new(&[at.column]); // a decoded state has empty caches
            }
            keys.read(batch);
            local_of.resize(keys.len(), NO_SLOT);
            let mut ids: Vec<u32> = Vec::new();
            let rows: Vec<usize> = keys
                .ids()
                .iter()
                .map(|&id| {
                    let slot = &mut local_of[id as usize];
                    if *slot == NO_SLOT {
                        *slot = ids.len() as u32;
                        ids.push(id);
                    }
                    *slot as usize
                })
                .collect();
            let mut local = vec![GroupTally { rows: 0, missing: vec![0; ncol], unparseable: vec![0; ncol] }; ids.len()];
            for &g in &rows {
                local[g].rows += 1;
            }
            for (k, &col) in self.columns.iter().enumerate() {
                for (cell, &g) in batch.column(col).iter().zip(&rows) {
                    match cell {
                        Cell::Missing(_) => local[g].missing[k] += 1,
                        Cell::Invalid(_) => local[g].unparseable[k] += 1,
                        _ => {}
                    }
                }
            }
            for (&id, t) in ids.iter().zip(local) {
                local_of[id as usize] = NO_SLOT;
                match keys.texts(id).first().and_then(Option::as_ref) {
                    None => at.unknown.add(&t),
                    Some(k) => match at.known.get_mut(k) {
                        Some(g) => g.add(&t),
                        None => at.known.entry(k.clone()).or_default().add(&t),
                    },
                }
            }
            if at.known.len() > MAX_GROUPS {
                at.overflow = true;
                at.known.clear();
            }
        }
    }

    fn merge(&mut self, other: Self) -> Result<()> {
        if self.columns != other.columns || self.attributes.len() != other.attributes.len() {
            return Err(crate::error::Error::state("the group-quality states have different settings"));
        }
        for (a, b) in self.attributes.iter_mut().zip(other.attributes) {
            a.overflow |= b.overflow;
            a.unknown.add(&b.unknown);
            for (k, t) in b.known {
                a.known.entry(k).or_default().add(&t);
            }
            if a.overflow || a.known.len() > MAX_GROUPS {
                a.overflow = true;
                a.known.clear();
            }
        }
        Ok(())
    }

    fn finish(self) -> GroupQualityReport {
        super::group_quality_report::build(&self)
    }
}

pub use super::group_quality_report::{AttributeQuality, ColumnGroupQuality, Gap, GroupQualityReport, GroupSize};
