//! The engine: accumulators, runs over byte ranges, state merging, range planning.
//!
//! ```text
//!  File ──split──► range k ──► worker k: Run (Decoder ─► Batch ─► analyses.update)
//!                                   │
//!                                   └─► RunState k ──encode──► bytes
//!  bytes 1..N ──decode──► RunState::merge (any order) ──► finish ──► Report
//! ```
//!
//! Every analysis is an [`Accumulator`]: `update` with a typed batch, `merge` with another
//! accumulator of the same kind, `finish` into a frozen, serialisable result. The same code
//! runs in one pass, in N browser workers, or in N CLI threads, and states can be merged in
//! any order: the non-DP report is identical (tested in `tests/equivalence.rs`).
//!
//! Ranges start at guessed record boundaries; [`split::check`] verifies each guess against
//! the previous range's true end and names the ranges to run again if a guess was wrong.

pub mod decode_only;
pub mod drive;
pub mod plan;
pub mod reweigh;
pub mod run;
pub mod split;
pub mod state;

use crate::accumulator::Accumulator;
use crate::error::Result;
use crate::ingest::batch::Batch;

/// The closed set of analyses a run can hold (serde enum; dispatch by `match`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Analysis {
    /// The basic column profile.
    Profile(crate::quality::profile::ProfileAcc),
    /// Radix tallies for exact quantiles (first pass and planned later passes).
    Quantiles(crate::sketch::quantile::RadixAcc),
    /// Per-group confusion counts of the bias audit.
    Bias(crate::fairness::groups::GroupCountsAcc),
    /// The exact tables behind a DP summary (only in runs of [`crate::spec::Mode::Dp`]).
    Dp(crate::dp::collect::DpAcc),
    /// Per-column distributions for a drift comparison (when the spec sets `drift`).
    Drift(crate::drift::side::DriftSideAcc),
    /// Dataset-level checks: duplicates, class balance, conflicting labels, leakage.
    Dataset(crate::quality::dataset::DatasetAcc),
    /// Correlations between columns (when `[correlations]` is on).
    Correlation(crate::quality::correlation::CorrelationAcc),
    /// Missing and unparseable counts per protected group, and group sizes.
    GroupQuality(crate::quality::group_quality::GroupQualityAcc),
    /// String and date checks (whitespace, numeric-looking values, future dates).
    Text(crate::quality::text::TextAcc),
    /// Histogram and IQR outlier counts of a planned pass.
    Shape(crate::quality::histogram_pass::ShapeAcc),
    /// Radix tallies of `|x − median|` of a planned pass (the exact MAD search).
    Deviation(crate::quality::quantiles::DeviationAcc),
    /// Exact counts of the frequent-value candidates of a planned pass.
    Frequent(crate::quality::frequent_pass::FrequentAcc),
    /// Personal-data detection per column (`[privacy] detect`).
    Pii(crate::privacy::detect::PiiAcc),
    /// Re-identification risk: quasi-identifier tuple → counts (`[privacy]`).
    Risk(crate::privacy::risk::RiskAcc),
}

impl Analysis {
    /// The analyses a spec asks for.
    pub fn for_spec(spec: &crate::spec::ValidSpec) -> Vec<Analysis> {
        if spec.mode == crate::spec::Mode::Dp {
            // A DP run computes nothing but the exact tables it will release with noise.
            return spec.dp.iter().map(|d| Analysis::Dp(crate::dp::collect::DpAcc::new(d))).collect();
        }
        let bias = spec.bias.as_ref().map(|b| Analysis::Bias(crate::fairness::groups::GroupCountsAcc::new(b)));
        let mut v = vec![
            Analysis::Profile(crate::quality::profile::ProfileAcc::new(spec)),
            Analysis::Quantiles(crate::sketch::quantile::RadixAcc::new(crate::quality::quantiles::first_pass_probes(
                spec,
            ))),
        ];
        v.push(Analysis::Text(crate::quality::text::TextAcc::new(spec)));
        v.extend(bias);
        if let Some(c) = &spec.correlations {
            v.push(Analysis::Correlation(crate::quality::correlation::CorrelationAcc::new(c)));
        }
        let groups = spec.group_attributes();
        if !groups.is_empty() {
            v.push(Analysis::GroupQuality(crate::quality::group_quality::GroupQualityAcc::new(spec, &groups)));
        }
        if spec.resolved.drift {
            v.push(Analysis::Drift(crate::drift::side::DriftSideAcc::new(spec)));
        }
        if spec.resolved.dataset.enabled {
            v.push(Analysis::Dataset(crate::quality::dataset::DatasetAcc::new(spec)));
        }
        if spec.resolved.privacy.detect {
            v.push(Analysis::Pii(crate::privacy::detect::PiiAcc::new(spec)));
        }
        if let Some(r) = &spec.risk {
            v.push(Analysis::Risk(crate::privacy::risk::RiskAcc::new(r)));
        }
        v
    }
    /// Updates with a batch.
    pub fn update(&mut self, batch: &Batch) {
        match self {
            Analysis::Profile(p) => p.update(batch),
            Analysis::Quantiles(q) => Accumulator::update(q, batch),
            Analysis::Bias(b) => b.update(batch),
            Analysis::Dp(d) => d.update(batch),
            Analysis::Drift(d) => d.update(batch),
            Analysis::Dataset(d) => d.update(batch),
            Analysis::Correlation(c) => c.update(batch),
            Analysis::GroupQuality(g) => g.update(batch),
            Analysis::Text(t) => t.update(batch),
            Analysis::Shape(s) => Accumulator::update(s, batch),
            Analysis::Deviation(d) => Accumulator::update(d, batch),
            Analysis::Frequent(f) => Accumulator::update(f, batch),
            Analysis::Pii(p) => Accumulator::update(p, batch),
            Analysis::Risk(r) => r.update(batch),
        }
    }
    /// Ends a range: an analysis that keeps per-range tables for speed (the bias counts'
    /// cells, [`crate::fairness::groups::cube`]) adds them to its state. `Run::into_state`
    /// calls it; merging, finishing and serialising also see the closed state.
    pub fn close_range(&mut self) {
        if let Analysis::Bias(b) = self {
            b.close();
        }
    }

    /// Merges an analysis of the same kind.
    pub fn merge(&mut self, other: Analysis) -> Result<()> {
        match (self, other) {
            (Analysis::Profile(a), Analysis::Profile(b)) => a.merge(b),
            (Analysis::Quantiles(a), Analysis::Quantiles(b)) => Accumulator::merge(a, b),
            (Analysis::Bias(a), Analysis::Bias(b)) => {
                a.merge(b);
                Ok(())
            }
            (Analysis::Dp(a), Analysis::Dp(b)) => a.merge(b),
            (Analysis::Drift(a), Analysis::Drift(b)) => a.merge(b),
            (Analysis::Dataset(a), Analysis::Dataset(b)) => a.merge(b),
            (Analysis::Correlation(a), Analysis::Correlation(b)) => a.merge(b),
            (Analysis::GroupQuality(a), Analysis::GroupQuality(b)) => a.merge(b),
            (Analysis::Text(a), Analysis::Text(b)) => a.merge(b),
            (Analysis::Shape(a), Analysis::Shape(b)) => Accumulator::merge(a, b),
            (Analysis::Deviation(a), Analysis::Deviation(b)) => Accumulator::merge(a, b),
            (Analysis::Frequent(a), Analysis::Frequent(b)) => Accumulator::merge(a, b),
            (Analysis::Pii(a), Analysis::Pii(b)) => Accumulator::merge(a, b),
            (Analysis::Risk(a), Analysis::Risk(b)) => a.merge(b),
            _ => Err(crate::error::Error::state("the states hold different analyses")),
        }
    }
}
