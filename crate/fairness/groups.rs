//! The streaming side of the bias audit: per-group confusion counts accumulated over
//! batches ([`GroupCountsAcc`]), for each protected attribute and their intersection.
//!
//! A row counts when its label and prediction are both known: a missing label or
//! prediction excludes the row (counted, reported). Without a label column (a
//! selection-only audit) every row with a known prediction counts, as a label-negative row
//! (FP or TN), and only the selection rate is read from the counts
//! ([`super::selection`]); score rows are then all unlabelled. When the spec has a score column, the
//! same pass feeds [`ScoresAcc`] with every row that has a finite score (its label may be
//! missing), grouped by the same keys. A missing protected value puts the row
//! in an explicit *unknown* group. Label and prediction are mapped to the positive class
//! the spec names (`bias.positive_label`, `bias.positive_prediction`, or a score compared
//! with `bias.threshold`); the rest are negatives.
//!
//! # Columns, not cells
//! A batch is read column-wise: the outcome of every row first (label and prediction read
//! once per distinct value, `groups/outcomes.rs`), then per breakdown the key id of every row
//! ([`crate::ingest::keys::TupleKeys`], from the columns' value codes) and its slot in the breakdown's table; the
//! group's text is made once, when the group is first seen. The tables are maps from the
//! group's texts to its counts that keep insertion order ([`IndexMap`]), so a slot stays
//! valid while the state is serialised and merged as the same map as before.
//!
//! # Merge
//! Confusion counts add per group; a breakdown with more than [`MAX_GROUPS`] groups stops
//! counting (deterministically: that depends only on the union of groups) and says so.

pub(crate) use crate::ingest::batch::cell_text;

mod breakdown;
pub mod cube;
mod outcomes;
#[cfg(test)]
mod tests;

use super::counts::{Confusion, GroupKey, Level, WeightedConfusion};
use super::proxy::ProxyAcc;
use super::scores::ScoresAcc;
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::keys::Transient;
use crate::sketch::fast_hash::MixBuild;
use crate::spec::{BiasSpec, Prediction};
use indexmap::IndexMap;
pub(crate) use outcomes::PositiveMemo;
use serde::{Deserialize, Serialize};

/// Group texts (one level per attribute, `None` = unknown) → counts, in insertion order.
type GroupMap<V> = IndexMap<Vec<Option<String>>, V, MixBuild>;

/// Groups a breakdown may have before it is abandoned as too fine.
pub const MAX_GROUPS: usize = 1000;

/// Counts of one breakdown (one attribute, or the intersection of all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownAcc {
    /// Column indices of the attributes.
    pub attributes: Vec<usize>,
    /// Counts per group (keys: one level per attribute, `None` = unknown).
    groups: GroupMap<Confusion>,
    /// More than [`MAX_GROUPS`] groups were seen.
    pub overflow: bool,
    /// Exact weighted counts per group (same keys), with a weight column only.
    weighted: GroupMap<WeightedConfusion>,
    /// Key ids of rows and their slots in `groups`, `weighted` and the score groups.
    #[serde(skip)]
    cache: Transient<breakdown::Slots>,
}

/// A finished breakdown: attribute columns, whether it overflowed, groups and counts.
pub type FinishedBreakdown = (Vec<usize>, bool, Vec<(GroupKey, Confusion)>);

/// A finished breakdown's weighted counts, in the order of [`FinishedBreakdown`]'s groups.
pub type FinishedWeights = Vec<(GroupKey, Confusion, WeightedConfusion)>;

/// Mutable counts of the bias audit. Serialised, compared and finished as if closed
/// ([`GroupCountsAcc::close`]).
#[derive(Clone, Debug, Deserialize)]
pub struct GroupCountsAcc {
    spec: BiasSpec,
    /// One per breakdown.
    pub breakdowns: Vec<BreakdownAcc>,
    /// Rows excluded because the label was missing or not a label value.
    pub missing_label: u64,
    /// Rows excluded because the prediction (or score) was missing or unusable.
    pub missing_prediction: u64,
    /// With a weight column: rows (label and prediction known) excluded because the
    /// weight was missing.
    pub missing_weight: u64,
    /// With a weight column: rows excluded because the weight was unparseable,
    /// negative or ±infinity.
    pub invalid_weight: u64,
    /// Score counts, when the spec has a score column.
    pub scores: Option<Box<ScoresAcc>>,
    /// Proxy-detection counts, unless switched off.
    pub proxies: Option<Box<ProxyAcc>>,
    /// Per-value outcomes of the label and prediction columns, and per-batch scratch.
    #[serde(skip)]
    cache: Transient<Outcomes>,
    /// This range's counts per cell of all protected attributes ([`cube`]).
    #[serde(skip)]
    cube: Transient<Box<cube::Cube>>,
}

/// The serialised fields of [`GroupCountsAcc`] (its derived `Deserialize` reads them).
#[derive(Serialize)]
#[serde(rename = "GroupCountsAcc")]
struct Fields<'a> {
    spec: &'a BiasSpec,
    breakdowns: &'a [BreakdownAcc],
    missing_label: u64,
    missing_prediction: u64,
    missing_weight: u64,
    invalid_weight: u64,
    scores: &'a Option<Box<ScoresAcc>>,
    proxies: &'a Option<Box<ProxyAcc>>,
}

impl GroupCountsAcc {
    /// This accumulator with its cube closed (a copy only when cells are pending).
    fn closed(&self) -> std::borrow::Cow<'_, GroupCountsAcc> {
        if self.cube.0.pending() {
            let mut c = self.clone();
            c.close();
            std::borrow::Cow::Owned(c)
        } else {
            std::borrow::Cow::Borrowed(self)
        }
    }

    fn fields(&self) -> Fields<'_> {
        Fields {
            spec: &self.spec,
            breakdowns: &self.breakdowns,
            missing_label: self.missing_label,
            missing_prediction: self.missing_prediction,
            missing_weight: self.missing_weight,
            invalid_weight: self.invalid_weight,
            scores: &self.scores,
            proxies: &self.proxies,
        }
    }
}

impl Serialize for GroupCountsAcc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.closed().fields().serialize(s)
    }
}

impl PartialEq for GroupCountsAcc {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.closed(), other.closed());
        let (a, b) = (a.fields(), b.fields());
        (a.spec, a.breakdowns, a.scores, a.proxies) == (b.spec, b.breakdowns, b.scores, b.proxies)
            && (a.missing_label, a.missing_prediction, a.missing_weight, a.invalid_weight)
                == (b.missing_label, b.missing_prediction, b.missing_weight, b.invalid_weight)
    }
}

/// Caches and scratch of [`GroupCountsAcc::update`].
#[derive(Clone, Debug, Default)]
struct Outcomes {
    label: PositiveMemo,
    prediction: PositiveMemo,
    labels: Vec<Option<bool>>,
    predictions: Vec<Option<bool>>,
    /// Per row: counted with (label, prediction, weight), or not.
    counted: Vec<Option<(bool, bool, Option<f64>)>>,
    /// Per row: the finite score, if any.
    scores: Vec<Option<f64>>,
}

/// Whether a label/prediction cell is the positive class (`None` when missing).
pub(crate) fn is_positive(batch: &Batch, cell: &Cell, positive: &str) -> Option<bool> {
    match *cell {
        Cell::Missing(_) | Cell::Invalid(_) => None,
        Cell::Bool(b) => crate::ingest::value::parse_bool(positive).map(|p| p == b),
        Cell::Int(v) => Some(positive.trim().parse::<i64>().is_ok_and(|p| p == v)),
        Cell::Float(v) => Some(positive.trim().parse::<f64>().is_ok_and(|p| p == v)),
        Cell::Text(s) => Some(batch.text(s) == positive),
        Cell::Date(_) | Cell::Datetime(_) => cell_text(batch, cell).map(|t| t == positive),
    }
}

/// A row weight: `Ok(w)` for a finite w ≥ 0 (−0 read as 0); `Err(true)` when missing,
/// `Err(false)` when unparseable, negative or infinite.
pub(crate) fn weight_of(cell: Option<&Cell>) -> Result<f64, bool> {
    let w = match cell {
        None | Some(Cell::Missing(_)) => return Err(true),
        Some(Cell::Int(v)) => *v as f64,
        Some(Cell::Float(v)) if v.is_nan() => return Err(true),
        Some(Cell::Float(v)) => *v,
        Some(_) => return Err(false),
    };
    if w.is_finite() && w >= 0.0 {
        Ok(w + 0.0)
    } else {
        Err(false)
    }
}

pub(crate) fn score_of(cell: &Cell) -> Option<f64> {
    match *cell {
        Cell::Int(v) => Some(v as f64),
        Cell::Float(v) if !v.is_nan() => Some(v),
        _ => None,
    }
}

/// Whether row `r`'s prediction is the positive class (`None` when missing or unusable).
pub(crate) fn predicted_positive(batch: &Batch, r: usize, prediction: &Prediction) -> Option<bool> {
    match prediction {
        Prediction::Column { column, positive } => is_positive(batch, batch.column(*column).get(r)?, positive),
        Prediction::Score { column, threshold, strict } => {
            let s = score_of(batch.column(*column).get(r)?)?;
            Some(if *strict { s > *threshold } else { s >= *threshold })
        }
    }
}

impl GroupCountsAcc {
    /// Empty counts for a validated bias spec.
    pub fn new(spec: &BiasSpec) -> Self {
        let mut breakdowns: Vec<BreakdownAcc> = spec.protected.iter().map(|&c| BreakdownAcc::new(vec![c])).collect();
        if spec.protected.len() > 1 && spec.intersections {
            breakdowns.push(BreakdownAcc::new(spec.protected.clone()));
        }
        let scores = spec.score.map(|_| Box::new(ScoresAcc::new(breakdowns.len())));
        let attributes: Vec<Vec<usize>> = breakdowns.iter().map(|b| b.attributes.clone()).collect();
        let proxies = spec.proxies.as_ref().map(|p| Box::new(ProxyAcc::new(&attributes, p)));
        GroupCountsAcc {
            spec: spec.clone(),
            breakdowns,
            missing_label: 0,
            missing_prediction: 0,
            missing_weight: 0,
            invalid_weight: 0,
            scores,
            proxies,
            cache: Transient::default(),
            cube: Transient::default(),
        }
    }

    /// The bias spec.
    pub fn spec(&self) -> &BiasSpec {
        &self.spec
    }

    /// Counts a batch. Confusion counts take rows with a known label and prediction; score
    /// counts take every row with a finite score (its label may be missing).
    pub fn update(&mut self, batch: &Batch) {
        // Counted in the cube (this batch included when it gives up), or directly.
        let direct = self.cube.0.off;
        if !direct {
            self.cube.0.read(&self.spec.protected, batch);
        }
        if let Some(p) = self.proxies.as_mut() {
            // Proxy detection reads the same key ids over all protected attributes.
            p.update_keyed(batch, (!direct).then(|| self.cube.0.keys()));
        }
        let mut o = std::mem::take(&mut self.cache.0);
        self.outcomes(batch, &mut o);
        if !direct {
            self.cube.0.count(&o, self.scores.as_deref());
            if self.cube.0.len() > cube::MAX_CELLS {
                self.close();
                self.cube.0.off = true;
            } else if self.scores.as_ref().is_some_and(|a| self.cube.0.score_keys() > a.cap()) {
                // The cells hold the whole sample's scores until closed: fold them in
                // while they are at most a cap's worth (plus a batch), so the level rises.
                self.close();
            }
        }
        for (i, b) in self.breakdowns.iter_mut().enumerate().filter(|_| direct) {
            let scores = self.scores.as_deref_mut().filter(|a| a.counting(i));
            if (b.overflow || o.counted.iter().all(Option::is_none))
                && (scores.is_none() || o.scores.iter().all(Option::is_none))
            {
                continue;
            }
            b.count(i, batch, &o, scores);
        }
        if let Some(acc) = self.scores.as_mut() {
            if direct {
                for (s, l) in o.scores.iter().zip(&o.labels) {
                    if let Some(s) = *s {
                        acc.add_overall(s, *l);
                    }
                }
            } else {
                // Counted in the cells; the whole sample is their sum, added at close.
                acc.widen_to(&o.scores);
            }
        }
        self.cache.0 = o;
    }

    /// Merges counts made with the same spec.
    pub fn merge(&mut self, mut other: GroupCountsAcc) {
        self.close();
        other.close();
        self.missing_label += other.missing_label;
        self.missing_prediction += other.missing_prediction;
        self.missing_weight += other.missing_weight;
        self.invalid_weight += other.invalid_weight;
        match (self.scores.as_mut(), other.scores) {
            (Some(a), Some(b)) => a.merge(*b),
            (None, b) => self.scores = b,
            (Some(_), None) => {}
        }
        match (self.proxies.as_mut(), other.proxies) {
            (Some(a), Some(b)) => a.merge(*b),
            (None, b) => self.proxies = b,
            (Some(_), None) => {}
        }
        for (a, b) in self.breakdowns.iter_mut().zip(other.breakdowns) {
            if a.overflow || b.overflow {
                a.abandon();
                continue;
            }
            for (k, c) in b.groups {
                *a.groups.entry(k).or_default() += c;
            }
            for (k, w) in b.weighted {
                a.weighted.entry(k).or_default().merge(&w);
            }
            if a.groups.len() > MAX_GROUPS {
                a.abandon();
            }
        }
    }

    /// Each breakdown's groups, sorted by key (unknown levels last).
    pub fn finish(&self) -> Vec<FinishedBreakdown> {
        self.closed()
            .breakdowns
            .iter()
            .map(|b| {
                let mut groups: Vec<(GroupKey, Confusion)> = b
                    .groups
                    .iter()
                    .map(|(k, &c)| {
                        let levels = k.iter().map(|v| v.clone().map_or(Level::Unknown, Level::Known)).collect();
                        (GroupKey { levels }, c)
                    })
                    .collect();
                groups.sort_by(|a, b| a.0.cmp(&b.0));
                (b.attributes.clone(), b.overflow, groups)
            })
            .collect()
    }

    /// Each breakdown's weighted counts (with a weight column; None without), groups in
    /// the order of [`Self::finish`]. A group whose rows all lack a usable weight cannot
    /// exist: rows without one are not counted at all.
    pub fn finish_weights(&self) -> Option<Vec<FinishedWeights>> {
        self.spec.weight?;
        let closed = self.closed();
        let out = closed
            .finish()
            .into_iter()
            .zip(&closed.breakdowns)
            .map(|((_, _, groups), b)| {
                groups
                    .into_iter()
                    .map(|(key, c)| {
                        let raw = key.texts();
                        let w = b.weighted.get(&raw).cloned().unwrap_or_default();
                        (key, c, w)
                    })
                    .collect()
            })
            .collect();
        Some(out)
    }
}
