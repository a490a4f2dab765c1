//! The bias counts of a range, kept per cell of *all* protected attributes at once (sex ×
//! race, missing values included): a row updates one cell — its confusion counts, weighted
//! counts and score counts — instead of one group in every breakdown. When the range is
//! complete ([`GroupCountsAcc::close`], called by `Run::into_state` and before any merge,
//! finish or serialisation), every cell is added to the group it projects onto in each
//! breakdown (sex = Σ over race, race = Σ over sex, sex × race itself): the same counts as
//! row by row, since counts and score counts add. A range with more than [`MAX_CELLS`]
//! cells closes the cube and counts each breakdown directly from then on.
//!
//! The whole sample's score counts are the sum of the cells' too (every row with a finite
//! score lands in one cell): while the cube is on, rows are not added to them one by one;
//! closing adds each cell's table once, then raises the level as the union needs (it
//! depends only on the union, [`crate::fairness::scores`]). So that the level still rises
//! in a range with many distinct scores, the cells are closed early, and counting goes
//! on in an empty cube, when they hold more distinct keys together than the cap
//! (checked after each batch).

use super::{GroupCountsAcc, Outcomes, MAX_GROUPS};
use crate::fairness::counts::{Confusion, WeightedConfusion};
use crate::fairness::scores::{ScoreMap, ScoresAcc};
use crate::ingest::batch::Batch;
use crate::ingest::keys::{CodeSlots, TupleKeys, NO_SLOT};

/// Most cells a range keeps before it counts the breakdowns directly.
pub const MAX_CELLS: usize = 4 * MAX_GROUPS;

/// One cell: the texts of its key (one per protected attribute) and its counts.
#[derive(Clone, Debug, Default)]
struct CubeCell {
    key: Vec<Option<String>>,
    /// Counted rows (label and prediction known), if any.
    confusion: Option<Confusion>,
    weighted: Option<WeightedConfusion>,
    scores: ScoreMap,
}

/// The cells of a range (a cache of [`GroupCountsAcc`]; empty once closed).
#[derive(Clone, Debug, Default)]
pub(super) struct Cube {
    keys: TupleKeys,
    slots: CodeSlots,
    cells: Vec<CubeCell>,
    /// The score level the cells' score counts are binned at.
    level: usize,
    /// Too many cells in this range: breakdowns are counted directly.
    pub(super) off: bool,
}

impl Cube {
    /// True when cells hold counts not yet added to the breakdowns.
    pub(super) fn pending(&self) -> bool {
        !self.cells.is_empty()
    }

    /// Reads the key ids of a batch's rows over `columns` (all protected attributes).
    pub(super) fn read(&mut self, columns: &[usize], batch: &Batch) {
        if self.keys.columns() != columns {
            self.keys = TupleKeys::new(columns);
        }
        self.keys.read(batch);
    }

    /// The key ids last read.
    pub(super) fn keys(&self) -> &TupleKeys {
        &self.keys
    }

    /// Counts the batch last [`Cube::read`], whose outcomes are `o` (`scores`: the score
    /// counts, for their level).
    pub(super) fn count(&mut self, o: &Outcomes, scores: Option<&ScoresAcc>) {
        self.slots.sync(self.keys.generation());
        if let Some(acc) = scores {
            if acc.level() > self.level {
                self.level = acc.level();
                self.cells.iter_mut().for_each(|c| acc.rebin_map(&mut c.scores));
            }
        }
        for (r, &id) in self.keys.ids().iter().enumerate() {
            let counted = o.counted[r];
            let score = o.scores[r].filter(|_| scores.is_some());
            if counted.is_none() && score.is_none() {
                continue;
            }
            let mut slot = self.slots.get(id);
            if slot == NO_SLOT {
                slot = self.cells.len() as u32;
                self.cells.push(CubeCell { key: self.keys.texts(id).to_vec(), ..Default::default() });
                self.slots.set(id, slot);
            }
            let Some(cell) = self.cells.get_mut(slot as usize) else { continue };
            if let Some((l, p, w)) = counted {
                cell.confusion.get_or_insert_with(Confusion::default).add_row(l, p);
                if let Some(w) = w {
                    cell.weighted.get_or_insert_with(WeightedConfusion::default).add_row(l, p, w);
                }
            }
            if let (Some(s), Some(acc)) = (score, scores) {
                acc.add_to_map(&mut cell.scores, s, o.labels[r]);
            }
        }
    }

    /// Takes the cells, leaving the cube empty.
    fn take(&mut self) -> Vec<CubeCell> {
        self.slots.forget();
        std::mem::take(&mut self.cells)
    }

    /// Distinct score keys over all cells (each cell's counted once per key).
    pub(super) fn score_keys(&self) -> usize {
        self.cells.iter().map(|c| c.scores.len()).sum()
    }

    /// Cells kept.
    pub(super) fn len(&self) -> usize {
        self.cells.len()
    }
}

impl GroupCountsAcc {
    /// Adds the cube's cells to every breakdown and empties it (see the module docs). Runs
    /// of the engine do this when a range is complete; call it before reading
    /// `breakdowns` or `scores` of an accumulator updated by hand.
    pub fn close(&mut self) {
        let cells = self.cube.0.take();
        if cells.is_empty() {
            return;
        }
        let positions: Vec<Vec<usize>> = self
            .breakdowns
            .iter()
            .map(|b| {
                b.attributes.iter().map(|c| self.spec.protected.iter().position(|p| p == c).unwrap_or(0)).collect()
            })
            .collect();
        for cell in cells {
            if let Some(acc) = self.scores.as_deref_mut().filter(|_| !cell.scores.is_empty()) {
                acc.add_overall_map(&cell.scores);
            }
            for (i, (b, pos)) in self.breakdowns.iter_mut().zip(&positions).enumerate() {
                let key: Vec<Option<String>> = pos.iter().map(|&p| cell.key.get(p).cloned().flatten()).collect();
                if !cell.scores.is_empty() {
                    if let Some(acc) = self.scores.as_deref_mut() {
                        if let Some(slot) = acc.group_slot(i, &key) {
                            acc.add_map_at(i, slot, &cell.scores);
                        }
                    }
                }
                if b.overflow {
                    continue;
                }
                if let Some(w) = &cell.weighted {
                    b.weighted.entry(key.clone()).or_default().merge(w);
                }
                if let Some(c) = cell.confusion {
                    *b.groups.entry(key).or_default() += c;
                    if b.groups.len() > MAX_GROUPS {
                        b.abandon();
                    }
                }
            }
        }
        if let Some(acc) = self.scores.as_deref_mut() {
            acc.fit();
        }
    }
}
