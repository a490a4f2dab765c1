//! Numeric proxy pairs, batch side: each protected level's values of a batch are gathered
//! and added at once ([`MomentsAcc::update_slice`]: the same exact sums as value by value).

use crate::ingest::batch::Cell;
use crate::sketch::fast_hash::MixBuild;
use crate::sketch::moments::MomentsAcc;
use indexmap::IndexMap;

/// The number proxy detection reads from a cell (NaN is missing; infinities are counted by
/// the moments and left out of η).
pub(super) fn number(cell: &Cell) -> Option<f64> {
    match *cell {
        Cell::Int(v) => Some(v as f64),
        Cell::Float(v) if !v.is_nan() => Some(v),
        _ => None,
    }
}

/// One batch's values per level index (scratch).
#[derive(Clone, Debug, Default)]
pub(super) struct Gather {
    per_level: Vec<Vec<f64>>,
}

impl Gather {
    /// Empties every level's values, keeping the allocations.
    pub(super) fn clear(&mut self) {
        self.per_level.iter_mut().for_each(Vec::clear);
    }

    /// Adds value `x` of level index `level`.
    #[inline]
    pub(super) fn push(&mut self, level: u32, x: f64) {
        let i = level as usize;
        if i >= self.per_level.len() {
            self.per_level.resize_with(i + 1, Vec::new);
        }
        self.per_level[i].push(x);
    }

    /// Adds every level's values to its moments (`groups`, by level index).
    pub(super) fn flush(&mut self, groups: &mut IndexMap<String, MomentsAcc, MixBuild>) {
        for (i, xs) in self.per_level.iter_mut().enumerate() {
            if xs.is_empty() {
                continue;
            }
            if let Some((_, m)) = groups.get_index_mut(i) {
                m.update_slice(xs);
            }
            xs.clear();
        }
    }
}
