//! The pass planner: analyses that need another look at the file declare it here, and the
//! front ends read the file again rather than holding rows in memory.
//!
//! ```text
//! pass 1 states ─merge─► Plan::new ─► next_pass()? ─► PassSpec ─► workers (exact ranges) ─► states
//!                                 ▲                                                       │
//!                                 └────────────── absorb(merged state) ◄──────────────────┘
//! Plan::finish ─► Report
//! ```
//!
//! Its client is the exact quantile search ([`crate::quality::quantiles`]): after
//! the main pass it asks for the probes it still needs, typically zero passes for files
//! up to 250,000 values per column, one or two beyond, then the exact MAD of those columns
//! (radix selection over `|x − median|`, typically two or three passes), then one more pass
//! for their histograms and outlier counts ([`crate::quality::histogram_pass`]). The
//! frequent values of string columns over the exact-count cap
//! ([`crate::quality::frequent_pass`]) are counted in the first later pass, or in a pass of
//! their own when nothing else needs one. Later passes use the record
//! boundaries found by the first pass, so their ranges start exactly.

use super::split::RangePlan;
use super::state::RunState;
use super::Analysis;
use crate::error::{Error, Result};
use crate::quality::frequent_pass::{FrequentProbe, FrequentValues};
use crate::quality::quantiles::QuantileSearch;
use crate::report::{InputMeta, Report};
use crate::sketch::quantile::Probe;
use crate::spec::ValidSpec;
use serde::{Deserialize, Serialize};

/// What a later pass must tally.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassSpec {
    /// Pass number (2, 3, …).
    pub pass: u32,
    /// Quantile probes.
    pub probes: Vec<Probe>,
    /// Histogram and outlier counts (made once the quantiles are known).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shapes: Vec<crate::quality::histogram_pass::ShapeProbe>,
    /// Radix probes over the deviations `|x − median|` (the exact MAD search).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviations: Option<crate::quality::quantiles::DeviationSpec>,
    /// Candidates of frequent values to count (string columns over the exact-count cap).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frequent: Vec<FrequentProbe>,
}

impl PassSpec {
    /// JSON for the browser.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// Reads it back.
    pub fn from_json(s: &str) -> Result<Self> {
        serde_json::from_str(s).map_err(|e| Error::state(format!("bad pass description: {e}")))
    }
}

/// The plan of a run: the main state plus what later passes are still needed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    main: RunState,
    search: QuantileSearch,
    pass: u32,
    /// Frequent-value candidates still to count (in the next pass, whatever else it does).
    frequent: Vec<FrequentProbe>,
    /// Their exact counts, once counted.
    frequent_values: Vec<FrequentValues>,
}

/// Most passes a run will make: the main pass, at most six levels of the quantile search,
/// six of the MAD search and one pass for histograms and outlier counts.
pub const MAX_PASSES: u32 = 14;

impl Plan {
    /// Starts from the merged state of the main pass.
    /// Columns whose values did not fit `profile.quantile_values_in_memory` are searched
    /// further only when `profile.quantile_passes` is set.
    pub fn new(spec: &ValidSpec, mut main: RunState) -> Result<Self> {
        if main.pass != 1 {
            return Err(Error::state("a plan starts from the main pass"));
        }
        let mut search = QuantileSearch::default();
        let frequent = main
            .analyses
            .iter()
            .find_map(|a| match a {
                Analysis::Profile(p) => Some(p.frequent_probes()),
                _ => None,
            })
            .unwrap_or_default();
        main.analyses.retain(|a| match a {
            Analysis::Quantiles(q) => {
                search = QuantileSearch::start(q.clone().finish(), spec.resolved.profile.quantile_passes);
                false
            }
            _ => true,
        });
        Ok(Plan { main, search, pass: 1, frequent, frequent_values: Vec::new() })
    }

    /// The next pass to run, if any.
    pub fn next_pass(&self) -> Option<PassSpec> {
        if self.pass >= MAX_PASSES {
            return None;
        }
        let frequent = self.frequent.clone();
        let pass = self.pass + 1;
        let probes = self.search.probes();
        if !probes.is_empty() {
            return Some(PassSpec { pass, probes, shapes: Vec::new(), deviations: None, frequent });
        }
        if let Some(d) = self.search.deviation_pass() {
            return Some(PassSpec { pass, probes, shapes: Vec::new(), deviations: Some(d), frequent });
        }
        let shapes = self.search.shape_probes();
        (!shapes.is_empty() || !frequent.is_empty()).then_some(PassSpec {
            pass,
            probes,
            shapes,
            deviations: None,
            frequent,
        })
    }

    /// Exact ranges for a later pass: the record boundaries found by the main pass.
    pub fn ranges(&self) -> Vec<RangePlan> {
        let n = self.main.segments.len();
        self.main
            .segments
            .iter()
            .enumerate()
            .filter(|(i, s)| s.rows > 0 || *i + 1 == n)
            .map(|(i, s)| RangePlan {
                start: s.start,
                end: if i + 1 == n { u64::MAX } else { s.next_start },
                exact_start: true,
            })
            .collect()
    }

    /// Absorbs the merged state of the pass returned by [`Plan::next_pass`].
    pub fn absorb(&mut self, state: RunState) -> Result<()> {
        if state.pass != self.pass + 1 {
            return Err(Error::state(format!("expected a state of pass {}, got pass {}", self.pass + 1, state.pass)));
        }
        if state.rows() != self.main.rows() {
            return Err(Error::state("a later pass read a different number of rows; did the file change?"));
        }
        for a in state.analyses {
            match a {
                Analysis::Quantiles(q) => self.search.absorb(q.finish()),
                Analysis::Shape(s) => self.search.absorb_shapes(super::Accumulator::finish(s)),
                Analysis::Deviation(d) => self.search.absorb_deviations(super::Accumulator::finish(d)),
                Analysis::Frequent(f) => {
                    self.frequent_values = super::Accumulator::finish(f);
                    self.frequent.clear();
                }
                _ => {}
            }
        }
        self.pass += 1;
        Ok(())
    }

    /// Passes made so far.
    pub fn passes(&self) -> u32 {
        self.pass
    }

    /// Releases the DP summary of a [`crate::spec::Mode::Dp`] run: the only way the exact
    /// tables leave the engine, and only with noise.
    ///
    /// # Errors
    /// When the run is not a DP run, or the release fails (see [`crate::dp::release()`]).
    pub fn release(self, spec: &ValidSpec, meta: &crate::dp::ReleaseMeta) -> Result<crate::dp::DpSummary> {
        crate::dp::release(spec, self.into_dp_acc()?.finish()?, meta)
    }

    pub(crate) fn into_dp_acc(self) -> Result<crate::dp::collect::DpAcc> {
        self.main
            .analyses
            .into_iter()
            .find_map(|a| match a {
                Analysis::Dp(d) => Some(d),
                _ => None,
            })
            .ok_or_else(|| Error::state("this run has no DP tables; start it in DP mode"))
    }

    /// The finished drift distributions of this file, when the spec asked for them
    /// (`spec.drift`); compare two of them with [`crate::drift::compare()`].
    /// Its columns carry the profile's identifier-like test (valid and distinct counts of
    /// the same run).
    pub fn drift_side(&self, spec: &ValidSpec) -> Option<crate::drift::DriftSide> {
        let counts = self
            .main
            .analyses
            .iter()
            .find_map(|a| match a {
                Analysis::Profile(p) => Some(p.valid_distinct()),
                _ => None,
            })
            .unwrap_or_default();
        self.main.analyses.iter().find_map(|a| match a {
            Analysis::Drift(d) => Some(d.clone().finish_named(spec, self.main.rows(), &counts)),
            _ => None,
        })
    }

    /// The merged dataset-check state of this file and its rows, when the spec computes
    /// it; compare a training and a test file with [`crate::quality::dataset::attach_overlap`].
    pub fn dataset_side(&self) -> Option<(crate::quality::dataset::DatasetAcc, u64)> {
        self.main.analyses.iter().find_map(|a| match a {
            Analysis::Dataset(d) => Some((d.clone(), self.main.rows())),
            _ => None,
        })
    }

    /// The test file's side of a train/test overlap, when this is a finished test run with
    /// dataset checks (`None` otherwise).
    pub fn test_side(&self, spec: &ValidSpec, file_name: &str) -> Option<crate::quality::dataset::test_side::TestSide> {
        let (acc, rows) = self.dataset_side()?;
        let spec_json = serde_json::to_string(&spec.resolved).ok()?;
        Some(crate::quality::dataset::test_side::TestSide { spec_json, acc, rows, file_name: file_name.to_string() })
    }

    /// Builds the report.
    pub fn finish(self, spec: &ValidSpec, meta: InputMeta) -> Report {
        let passes = self.pass;
        crate::report::build(spec, self.main, &self.search, &self.frequent_values, passes, meta)
    }
}
