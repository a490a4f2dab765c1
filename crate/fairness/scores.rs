//! Score-based bias metrics: the streaming accumulator ([`ScoresAcc`]) and, in [`stats`],
//! the pure statistics computed from it (AUC with Hanley–McNeil and DeLong intervals,
//! calibration, expected calibration error, Brier score, distribution, threshold sweep, the
//! full-sample median for NYC LL144 scoring rates).
//!
//! # State
//! Per group (and for the whole sample), a map from the score to exact counts of rows whose
//! label is positive, negative or missing. A score is keyed by its order-preserving 64-bit
//! image (`-0` is `0`; NaN, missing and unparseable cells are missing scores; ±∞ are counted
//! and left out). Counts add, so merging is exact in any order and any split; every
//! statistic is computed at the end by walking the scores in ascending order.
//!
//! # Bounded memory
//! While the sample has at most [`EXACT_SCORES_CAP`] distinct scores everything is exact.
//! Past that, scores are binned by clearing the low bits of their key (keeping 12, then 8,
//! then 4, then 0 mantissa bits, [`LEVELS`]) until the distinct bins fit: each score is
//! replaced by the lower end of its bin, within a relative 2^−b of it for b kept bits. The
//! level is the smallest whose bins fit the union of all data, whatever the split: every
//! state holds the smallest level that fits its own data, a merge takes the larger of the
//! two, re-bins the finer state (truncation composes, so re-binning equals binning
//! directly) and raises it again while the union does not fit. The report states the
//! level, and per group a bound on the AUC's binning error (pairs tied by binning count ½
//! instead of 0 or 1: |ΔAUC| ≤ Σ_b P_b·N_b / (2·P·N)). At 0 mantissa bits there are at
//! most 4,096 bins (one per binade), below the cap, so binning always ends.
//!
//! # Groups
//! Breakdowns mirror the confusion counts (one per protected attribute and their
//! intersection; a missing protected value is the explicit unknown group); a breakdown with
//! more than [`super::groups::MAX_GROUPS`] groups is dropped, deterministically.

pub mod stats;

use super::counts::{GroupKey, Level};
use super::groups::MAX_GROUPS;
use crate::sketch::fast_hash::{MixBuild, MixMap};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use stats::ScoreBin;

/// Distinct scores (of the whole sample) kept exactly before binning starts.
pub const EXACT_SCORES_CAP: usize = 100_000;

/// Low bits of the 64-bit score key cleared at each binning level (0 = exact; then 12, 8,
/// 4 and 0 mantissa bits kept).
pub const LEVELS: [u32; 5] = [0, 40, 44, 48, 52];

/// Counts of one score: positives, negatives, unlabelled.
pub type Counts = [u64; 3];
/// Score key → counts.
pub type ScoreMap = MixMap<u64, Counts>;

/// Order-preserving key of a finite score (`-0` → `0`).
pub fn key(x: f64) -> u64 {
    let bits = if x == 0.0 { 0 } else { x.to_bits() };
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The score of a key (inverse of [`key`]).
pub fn value(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// The key of the lower end of `k`'s bin at `level`.
pub fn truncate(k: u64, level: usize) -> u64 {
    k & !((1u64 << LEVELS[level]) - 1)
}

/// Mantissa bits kept at `level` (52 when exact).
pub fn kept_bits(level: usize) -> u32 {
    52u32.saturating_sub(LEVELS[level])
}

fn add_to(map: &mut ScoreMap, k: u64, c: Counts) {
    let e = map.entry(k).or_insert([0; 3]);
    for i in 0..3 {
        e[i] += c[i];
    }
}

fn rebin(map: &mut ScoreMap, level: usize) {
    let old = std::mem::take(map);
    add_binned(map, &old, level);
}

/// Adds every count of `from` (keys at `level` or a lower one) to `into`, binned at `level`.
fn add_binned(into: &mut ScoreMap, from: &ScoreMap, level: usize) {
    for (&k, &c) in from {
        add_to(into, truncate(k, level), c);
    }
}

/// Scores of one breakdown, per group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct BreakdownScores {
    /// Group texts → scores, in insertion order (slots stay valid while counting).
    groups: IndexMap<Vec<Option<String>>, ScoreMap, MixBuild>,
    overflow: bool,
}

/// Mutable score counts of the bias audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoresAcc {
    cap: usize,
    level: usize,
    overall: ScoreMap,
    breakdowns: Vec<BreakdownScores>,
    /// Rows without a usable score (missing, unparseable, NaN).
    pub missing_score: u64,
    /// Rows whose score is ±∞ (left out of every score statistic).
    pub infinite_score: u64,
    /// Exact smallest and largest finite score (binning does not move them).
    range: Option<(f64, f64)>,
}

/// One finished breakdown: overflowed or not, groups with their ascending score bins.
pub type FinishedScoreBreakdown = (bool, Vec<(GroupKey, Vec<ScoreBin>)>);

/// The finished state: binning level, whole-sample bins, breakdowns.
#[derive(Clone, Debug, PartialEq)]
pub struct FinishedScores {
    /// Index into [`LEVELS`] (0 = exact).
    pub level: usize,
    /// Distinct scores (or bins) of the whole sample.
    pub distinct: usize,
    /// The cap on distinct scores.
    pub cap: usize,
    /// Exact smallest and largest score of the sample.
    pub range: Option<(f64, f64)>,
    /// Every row with a finite score, ascending.
    pub overall: Vec<ScoreBin>,
    /// One per breakdown, in the order of the confusion counts.
    pub breakdowns: Vec<FinishedScoreBreakdown>,
}

fn bins_of(map: &ScoreMap) -> Vec<ScoreBin> {
    let mut v: Vec<(u64, Counts)> = map.iter().map(|(&k, &c)| (k, c)).collect();
    v.sort_unstable_by_key(|e| e.0);
    v.into_iter()
        .map(|(k, c)| ScoreBin { score: value(k), positives: c[0], negatives: c[1], unlabelled: c[2] })
        .collect()
}

impl ScoresAcc {
    /// Empty counts for `breakdowns` breakdowns with the default cap.
    pub fn new(breakdowns: usize) -> Self {
        Self::with_cap(breakdowns, EXACT_SCORES_CAP)
    }

    /// Empty counts with a chosen cap on distinct scores (tests, small devices).
    pub fn with_cap(breakdowns: usize, cap: usize) -> Self {
        ScoresAcc {
            cap: cap.max(1),
            level: 0,
            overall: ScoreMap::default(),
            breakdowns: vec![BreakdownScores::default(); breakdowns],
            missing_score: 0,
            infinite_score: 0,
            range: None,
        }
    }

    /// The binning level (index into [`LEVELS`]; 0 = exact).
    pub fn level(&self) -> usize {
        self.level
    }

    /// Checks a score: None (and counted) when it is infinite.
    pub fn finite(&mut self, s: f64) -> Option<f64> {
        if s.is_finite() {
            Some(s)
        } else {
            self.infinite_score += 1;
            None
        }
    }

    /// Adds one row's score to a group of breakdown `b` (`label`: None when missing).
    pub fn add_group(&mut self, b: usize, group: &[Option<String>], s: f64, label: Option<bool>) {
        if let Some(slot) = self.group_slot(b, group) {
            self.add_at(b, slot, s, label);
        }
    }

    /// The slot of `group` in breakdown `b`, made (with no scores) when new; `None` when the
    /// breakdown does not count (any more: a new group past [`MAX_GROUPS`] drops them all,
    /// and every slot handed out before).
    pub fn group_slot(&mut self, b: usize, group: &[Option<String>]) -> Option<u32> {
        let br = self.breakdowns.get_mut(b).filter(|br| !br.overflow)?;
        if let Some(i) = br.groups.get_index_of(group) {
            return Some(i as u32);
        }
        if br.groups.len() >= MAX_GROUPS {
            br.overflow = true;
            br.groups = IndexMap::default();
            return None;
        }
        Some(br.groups.insert_full(group.to_vec(), ScoreMap::default()).0 as u32)
    }

    /// Adds one row's score to the group in `slot` of breakdown `b` (nothing once the
    /// breakdown stopped counting).
    #[inline]
    pub fn add_at(&mut self, b: usize, slot: u32, s: f64, label: Option<bool>) {
        let k = truncate(key(s), self.level);
        let Some(br) = self.breakdowns.get_mut(b).filter(|br| !br.overflow) else { return };
        if let Some((_, m)) = br.groups.get_index_mut(slot as usize) {
            add_to(m, k, counts_of(label));
        }
    }

    /// Adds another table of score counts (keys binned at this level or a lower one) to
    /// the group in `slot` of breakdown `b` (nothing once the breakdown stopped counting).
    pub fn add_map_at(&mut self, b: usize, slot: u32, map: &ScoreMap) {
        let level = self.level;
        let Some(br) = self.breakdowns.get_mut(b).filter(|br| !br.overflow) else { return };
        if let Some((_, m)) = br.groups.get_index_mut(slot as usize) {
            add_binned(m, map, level);
        }
    }

    /// Adds one row's score to a table of score counts at this level (a table to be
    /// added to a group later with [`ScoresAcc::add_map_at`]).
    #[inline]
    pub fn add_to_map(&self, map: &mut ScoreMap, s: f64, label: Option<bool>) {
        add_to(map, truncate(key(s), self.level), counts_of(label));
    }

    /// Re-bins a table of score counts to this level (its keys at a lower one).
    pub fn rebin_map(&self, map: &mut ScoreMap) {
        rebin(map, self.level);
    }

    /// Adds one row's score to the whole sample (call once per row, after the groups).
    pub fn add_overall(&mut self, s: f64, label: Option<bool>) {
        self.widen(Some((s, s)));
        add_to(&mut self.overall, truncate(key(s), self.level), counts_of(label));
        self.fit();
    }

    /// Adds a table of score counts (keys binned at this level or a lower one) to the whole
    /// sample, for rows not given to [`ScoresAcc::add_overall`]; call [`ScoresAcc::fit`]
    /// after the last table, and [`ScoresAcc::widen_to`] with the rows' scores.
    pub fn add_overall_map(&mut self, map: &ScoreMap) {
        add_binned(&mut self.overall, map, self.level);
    }

    /// Widens the exact range to the finite scores among `scores` (rows whose counts reach
    /// the whole sample through [`ScoresAcc::add_overall_map`]).
    pub fn widen_to(&mut self, scores: &[Option<f64>]) {
        let lohi = scores.iter().flatten().fold(None, |r: Option<(f64, f64)>, &s| match r {
            Some((lo, hi)) => Some((lo.min(s), hi.max(s))),
            None => Some((s, s)),
        });
        self.widen(lohi);
    }

    /// The cap on distinct scores (or bins) of the whole sample.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Whether breakdown `b` still counts groups.
    pub fn counting(&self, b: usize) -> bool {
        self.breakdowns.get(b).is_some_and(|br| !br.overflow)
    }

    fn set_level(&mut self, level: usize) {
        if level <= self.level {
            return;
        }
        self.level = level;
        rebin(&mut self.overall, level);
        for br in &mut self.breakdowns {
            for m in br.groups.values_mut() {
                rebin(m, level);
            }
        }
    }

    /// Raises the level while the sample has more distinct bins than the cap.
    pub fn fit(&mut self) {
        while self.overall.len() > self.cap && self.level + 1 < LEVELS.len() {
            self.set_level(self.level + 1);
        }
    }

    fn widen(&mut self, r: Option<(f64, f64)>) {
        let norm = |x: f64| if x == 0.0 { 0.0 } else { x };
        self.range = match (self.range, r) {
            (Some(a), Some(b)) => Some((norm(a.0.min(b.0)), norm(a.1.max(b.1)))),
            (a, b) => a.or(b).map(|(lo, hi)| (norm(lo), norm(hi))),
        };
    }

    /// Merges counts made with the same spec.
    pub fn merge(&mut self, mut other: ScoresAcc) {
        self.widen(other.range);
        let level = self.level.max(other.level);
        self.set_level(level);
        other.set_level(level);
        self.missing_score += other.missing_score;
        self.infinite_score += other.infinite_score;
        for (k, c) in other.overall {
            add_to(&mut self.overall, k, c);
        }
        for (a, b) in self.breakdowns.iter_mut().zip(other.breakdowns) {
            if a.overflow || b.overflow {
                a.overflow = true;
                a.groups = IndexMap::default();
                continue;
            }
            for (g, m) in b.groups {
                let into = a.groups.entry(g).or_default();
                for (k, c) in m {
                    add_to(into, k, c);
                }
            }
            if a.groups.len() > MAX_GROUPS {
                a.overflow = true;
                a.groups = IndexMap::default();
            }
        }
        self.fit();
    }

    /// Ascending bins of the whole sample and of every group (groups sorted by key).
    pub fn finish(&self) -> FinishedScores {
        let breakdowns = self
            .breakdowns
            .iter()
            .map(|br| {
                let mut groups: Vec<(GroupKey, Vec<ScoreBin>)> = br
                    .groups
                    .iter()
                    .map(|(k, m)| {
                        let levels = k.iter().map(|v| v.clone().map_or(Level::Unknown, Level::Known)).collect();
                        (GroupKey { levels }, bins_of(m))
                    })
                    .collect();
                groups.sort_by(|a, b| a.0.cmp(&b.0));
                (br.overflow, groups)
            })
            .collect();
        FinishedScores {
            level: self.level,
            distinct: self.overall.len(),
            cap: self.cap,
            range: self.range,
            overall: bins_of(&self.overall),
            breakdowns,
        }
    }
}

fn counts_of(label: Option<bool>) -> Counts {
    match label {
        Some(true) => [1, 0, 0],
        Some(false) => [0, 1, 0],
        None => [0, 0, 1],
    }
}

#[cfg(test)]
mod tests;
