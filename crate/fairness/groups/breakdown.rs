//! One breakdown's counting, column-wise: the key id of every row ([`TupleKeys`]), its
//! slot in each table (made once per group), then one indexed add per row.

use super::{BreakdownAcc, GroupMap, Outcomes, MAX_GROUPS};
use crate::fairness::scores::ScoresAcc;
use crate::ingest::batch::Batch;
use crate::ingest::keys::{CodeSlots, TupleKeys, NO_SLOT};

/// A breakdown's caches: key ids of rows, and each key id's slot in each table.
#[derive(Clone, Debug, Default)]
pub(super) struct Slots {
    keys: TupleKeys,
    groups: CodeSlots,
    weighted: CodeSlots,
    scores: CodeSlots,
}

impl BreakdownAcc {
    pub(super) fn new(attributes: Vec<usize>) -> Self {
        BreakdownAcc { attributes, ..Default::default() }
    }

    /// Drops every group: more than [`MAX_GROUPS`].
    pub(super) fn abandon(&mut self) {
        self.overflow = true;
        self.groups = GroupMap::default();
        self.weighted = GroupMap::default();
        self.cache.0.groups.forget();
        self.cache.0.weighted.forget();
    }
}

/// The slot of key id `id` in `map` (the group is added, with empty counts, when new).
fn slot_of<V: Default>(map: &mut GroupMap<V>, slots: &mut CodeSlots, keys: &TupleKeys, id: u32) -> usize {
    let s = slots.get(id);
    if s != NO_SLOT {
        return s as usize;
    }
    let entry = map.entry(keys.texts(id).to_vec());
    let s = entry.index();
    entry.or_default();
    slots.set(id, s as u32);
    s
}

impl BreakdownAcc {
    /// Counts breakdown `i` of a batch whose outcomes are `o` (`scores`: the score counts,
    /// while they still count this breakdown).
    pub(super) fn count(&mut self, i: usize, batch: &Batch, o: &Outcomes, mut scores: Option<&mut ScoresAcc>) {
        let c = &mut self.cache.0;
        if c.keys.columns() != self.attributes {
            c.keys = TupleKeys::new(&self.attributes); // a decoded state has empty caches
        }
        c.keys.read(batch);
        let generation = c.keys.generation();
        for slots in [&mut c.groups, &mut c.weighted, &mut c.scores] {
            slots.sync(generation);
        }
        for (r, &id) in c.keys.ids().iter().enumerate() {
            if let (Some(s), Some(acc)) = (o.scores[r], scores.as_deref_mut()) {
                let mut slot = c.scores.get(id);
                if slot == NO_SLOT {
                    slot = acc.group_slot(i, c.keys.texts(id)).unwrap_or(NO_SLOT);
                    c.scores.set(id, slot);
                }
                acc.add_at(i, slot, s, o.labels[r]);
            }
            let Some((l, p, w)) = o.counted[r].filter(|_| !self.overflow) else { continue };
            if let Some(w) = w {
                let k = slot_of(&mut self.weighted, &mut c.weighted, &c.keys, id);
                if let Some((_, x)) = self.weighted.get_index_mut(k) {
                    x.add_row(l, p, w);
                }
            }
            let k = slot_of(&mut self.groups, &mut c.groups, &c.keys, id);
            if let Some((_, x)) = self.groups.get_index_mut(k) {
                x.add_row(l, p);
            }
            if self.groups.len() > MAX_GROUPS {
                self.overflow = true;
                self.groups = GroupMap::default();
                self.weighted = GroupMap::default();
                c.groups.forget();
                c.weighted.forget();
            }
        }
    }
}
