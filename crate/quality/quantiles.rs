//! Exact quantiles of numeric columns (p01, p05, p25, p50, p75, p95, p99): the search that turns radix
//! tallies ([`crate::sketch::quantile`]) into order statistics, pass after pass, and the
//! numpy-compatible interpolation.

use crate::quality::histogram::{
    edges, fences, histogram, outliers, robust_z_defined, Histogram, IqrOutliers, Outliers, RobustZOutliers,
    MAD_ZERO_NOTE,
};
use crate::quality::histogram_pass::{histogram_of, ShapeCounts, ShapeProbe};
use crate::sketch::log_buckets::{LogBuckets, ALPHA};
pub(crate) use crate::sketch::quantile::{lerp, ranks};
use crate::sketch::quantile::{value_of, Probe, Tally, COLLECT_CAP, PROBS};
use crate::spec::{Role, ValidSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One quantile of a column.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuantilePoint {
    /// Probability.
    pub q: f64,
    /// Value (linear interpolation, numpy/pandas default).
    pub value: f64,
    /// For an estimate from the [`LogBuckets`] sketch, its guaranteed accuracy α:
    /// `|value − exact| ≤ α·max(|x₍⌊h⌋₎|, |x₍⌊h⌋+1₎|)` (see [`crate::sketch::log_buckets`]);
    /// absent for exact quantiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_error: Option<f64>,
}

/// One wanted order statistic and where the radix selection has narrowed it to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Target {
    pub(crate) rank: u64,
    pub(crate) len: u8,
    pub(crate) prefix: u64,
    pub(crate) below: u64,
    pub(crate) count: u64,
    pub(crate) key: Option<u64>,
}

impl Target {
    /// The first target for `rank` among `n` keys.
    pub(crate) fn new(rank: u64, n: u64) -> Self {
        Target { rank, len: 0, prefix: 0, below: 0, count: n, key: None }
    }
}

/// Histogram, outlier counts and the occurrences of the exact median of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    /// numpy.histogram.
    pub histogram: Option<Histogram>,
    /// Tukey and robust-z counts.
    pub outliers: Option<Outliers>,
    /// Finite values equal to the exact median (p50): the most frequent value whenever one
    /// holds more than half of them (see [`crate::quality::flags::mode_count`]).
    pub at_median: u64,
}

/// The state of the search for every numeric column.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuantileSearch {
    columns: BTreeMap<u32, (u64, Vec<Target>)>,
    skipped: Vec<u32>,
    /// Sketch estimates `(q, value)` of the skipped columns.
    approximate: BTreeMap<u32, Vec<(f64, f64)>>,
    /// Histogram and outlier counts of the columns whose values were all kept in memory.
    #[serde(default)]
    shapes: BTreeMap<u32, Shape>,
    /// Columns searched over extra passes, for the histogram pass: `(min, max, integral)`.
    #[serde(default)]
    pending: BTreeMap<u32, (f64, f64, bool)>,
    /// Whether the histogram pass was made.
    #[serde(default)]
    shape_pass_done: bool,
    /// The MAD searches of the pending columns (started once every quantile is known).
    #[serde(default)]
    mad: Option<BTreeMap<u32, mad::MadSearch>>,
}

#[path = "quantiles_mad.rs"]
mod mad;
pub use mad::{DeviationAcc, DeviationSpec};

/// The probes of the first pass: one per numeric column, counting the top digit and keeping
/// up to `profile.quantile_values_in_memory` keys (default [`crate::sketch::quantile::FIRST_PASS_CAP`]),
/// and, when extra passes are off, a [`LogBuckets`] sketch for the columns that overflow.
pub fn first_pass_probes(spec: &ValidSpec) -> Vec<Probe> {
    spec.columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.ty.is_numeric() && c.role != Role::Ignore)
        .map(|(i, _)| Probe {
            column: i as u32,
            len: 0,
            prefix: 0,
            collect: true,
            cap: spec.resolved.profile.quantile_values_in_memory,
            sketch: !spec.resolved.profile.quantile_passes,
        })
        .collect()
}

impl Target {
    pub(crate) fn resolve(&mut self, tally: &Tally) {
        if let Some((lo, hi)) = tally.range.filter(|(lo, hi)| lo == hi) {
            debug_assert_eq!(lo, hi);
            self.key = Some(lo);
            return;
        }
        if let Some(keys) = &tally.keys {
            // `keys` is sorted by the caller (once per tally, not once per target).
            self.key = keys.get((self.rank - self.below) as usize).copied();
            return;
        }
        let Some(hist) = &tally.hist else { return };
        let mut digits: Vec<(&u16, &u64)> = hist.iter().collect();
        digits.sort();
        let width = crate::sketch::quantile::DIGIT_BITS.min(64 - self.len);
        let mut cum = 0;
        for (&d, &c) in digits {
            if self.below + cum + c > self.rank {
                self.prefix = if self.len == 0 { u64::from(d) } else { (self.prefix << width) | u64::from(d) };
                self.len += width;
                self.below += cum;
                self.count = c;
                if self.len == 64 {
                    self.key = Some(self.prefix);
                }
                return;
            }
            cum += c;
        }
    }

    pub(crate) fn probe(&self, column: u32) -> Probe {
        let collect = self.count <= COLLECT_CAP;
        Probe {
            column,
            len: self.len,
            prefix: self.prefix,
            collect,
            cap: if collect { self.count } else { 0 },
            sketch: false,
        }
    }
}

impl QuantileSearch {
    /// Starts from the first pass's tallies. Without `more_passes`, columns whose values
    /// did not all fit in memory are left without quantiles (see [`QuantileSearch::skipped`]).
    pub fn start(first: Vec<(Probe, Tally)>, more_passes: bool) -> Self {
        let mut s = QuantileSearch::default();
        for (p, mut t) in first {
            if let Some(k) = t.keys.as_mut() {
                k.sort_unstable();
            }
            let n: u64 = t.hist.as_ref().map_or(0, |h| h.values().sum());
            if n == 0 {
                s.columns.insert(p.column, (0, Vec::new()));
                continue;
            }
            let mut wanted: Vec<u64> = PROBS
                .iter()
                .flat_map(|&q| {
                    let (lo, hi, _) = ranks(n, q);
                    [lo, hi]
                })
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            let mut targets: Vec<Target> = wanted.into_iter().map(|rank| Target::new(rank, n)).collect();
            targets.iter_mut().for_each(|tg| tg.resolve(&t));
            if let Some(keys) = t.keys.as_ref().filter(|k| k.len() as u64 == n) {
                let sorted: Vec<f64> = keys.iter().map(|&k| value_of(k)).collect();
                let median = mad::median_of(&sorted);
                let at_median = sorted.iter().filter(|&&x| Some(x) == median).count() as u64;
                s.shapes
                    .insert(p.column, Shape { histogram: histogram(&sorted), outliers: outliers(&sorted), at_median });
            }
            if !more_passes && targets.iter().any(|tg| tg.key.is_none()) {
                s.skipped.push(p.column);
                if let Some(points) = t.sketch.as_ref().and_then(|sk| approximate(sk, t.range)) {
                    s.approximate.insert(p.column, points);
                }
                continue;
            }
            if let (None, Some((lo, hi))) = (&t.keys, t.range) {
                s.pending.insert(p.column, (value_of(lo), value_of(hi), !t.fractional));
            }
            s.columns.insert(p.column, (n, targets));
        }
        s
    }

    /// The probes of the histogram pass, once every quantile and MAD is known: one per
    /// column searched over extra passes (empty when there is none or the pass was made).
    pub fn shape_probes(&self) -> Vec<ShapeProbe> {
        if self.shape_pass_done || !self.probes().is_empty() || self.deviation_pass().is_some() {
            return Vec::new();
        }
        self.pending
            .iter()
            .filter_map(|(&column, &(min, max, integral))| {
                let q = self.result(column)?;
                let at = |p: f64| q.iter().find(|x| x.q == p).map(|x| x.value);
                let (low_fence, high_fence) = fences(at(0.25)?, at(0.75)?);
                let median = at(0.5)?;
                let mad = self.mad.as_ref().and_then(|m| m.get(&column)).and_then(|m| m.mad());
                Some(ShapeProbe {
                    column,
                    edges: edges(min, max, integral).unwrap_or_default(),
                    low_fence,
                    high_fence,
                    median,
                    mad,
                })
            })
            .collect()
    }

    /// Absorbs the counts of the histogram pass.
    pub fn absorb_shapes(&mut self, counts: Vec<(ShapeProbe, ShapeCounts)>) {
        self.shape_pass_done = true;
        for (p, c) in counts {
            let Some(&n) = self.columns.get(&p.column).map(|(n, _)| n) else { continue };
            let share = |k: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
            let iqr = IqrOutliers {
                low_fence: p.low_fence,
                high_fence: p.high_fence,
                count: c.outside,
                share: share(c.outside),
            };
            let (robust_z, robust_z_note) = match p.mad.filter(|&m| robust_z_defined(m)) {
                Some(mad) => {
                    (Some(RobustZOutliers { median: p.median, mad, count: c.robust, share: share(c.robust) }), None)
                }
                None => (None, Some(MAD_ZERO_NOTE.to_string())),
            };
            let outliers = Outliers { iqr, robust_z, robust_z_note };
            let histogram = (p.edges.len() >= 2).then(|| histogram_of(&p, &c));
            self.shapes.insert(p.column, Shape { histogram, outliers: Some(outliers), at_median: c.at_median });
        }
    }

    /// The probes still needed (empty when every quantile is known).
    pub fn probes(&self) -> Vec<Probe> {
        let mut out: Vec<Probe> = self
            .columns
            .iter()
            .flat_map(|(&c, (_, ts))| ts.iter().filter(|t| t.key.is_none()).map(move |t| t.probe(c)))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Absorbs the tallies of a later pass.
    pub fn absorb(&mut self, mut tallies: Vec<(Probe, Tally)>) {
        for (_, t) in tallies.iter_mut() {
            if let Some(k) = t.keys.as_mut() {
                k.sort_unstable();
            }
        }
        for (&c, (_, ts)) in self.columns.iter_mut() {
            for t in ts.iter_mut().filter(|t| t.key.is_none()) {
                let want = t.probe(c);
                if let Some((_, tally)) = tallies.iter().find(|(p, _)| *p == want) {
                    t.resolve(tally);
                }
            }
        }
    }

    /// True when `column`'s quantiles were not computed because its values did not fit the
    /// memory budget and extra passes were not allowed.
    pub fn skipped(&self, column: u32) -> bool {
        self.skipped.contains(&column)
    }

    /// The histogram, outlier counts and median occurrences of `column`, from the values
    /// kept in memory by the first pass or from the planned passes; `None` otherwise.
    pub fn shape(&self, column: u32) -> Option<&Shape> {
        self.shapes.get(&column)
    }

    /// The quantiles of `column`: exact, or estimated by the sketch when the column was
    /// skipped; `None` when it has no finite value or is not searched.
    pub fn result(&self, column: u32) -> Option<Vec<QuantilePoint>> {
        if let Some(points) = self.approximate.get(&column) {
            return Some(
                points.iter().map(|&(q, value)| QuantilePoint { q, value, relative_error: Some(ALPHA) }).collect(),
            );
        }
        let (n, ts) = self.columns.get(&column)?;
        if *n == 0 {
            return None;
        }
        let at = |rank: u64| ts.iter().find(|t| t.rank == rank).and_then(|t| t.key).map(value_of);
        PROBS
            .iter()
            .map(|&q| {
                let (lo, hi, t) = ranks(*n, q);
                Some(QuantilePoint { q, value: lerp(at(lo)?, at(hi)?, t), relative_error: None })
            })
            .collect()
    }
}

/// The sketch's estimates at [`PROBS`], kept within the exact range `[min, max]` (keys).
fn approximate(sketch: &LogBuckets, range: Option<(u64, u64)>) -> Option<Vec<(f64, f64)>> {
    let (lo, hi) = range?;
    let (min, max) = (value_of(lo), value_of(hi));
    PROBS
        .iter()
        .map(|&q| {
            let v = sketch.quantile(q)?;
            Some((q, v.max(min).min(max)))
        })
        .collect()
}

#[cfg(test)]
#[path = "quantiles_tests.rs"]
mod tests;
