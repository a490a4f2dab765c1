//! A run over one byte range: owns the source (the decoder of the file's format) and the
//! analyses.
//!
//! ```
//! use privaudit::{engine::run::Run, engine::split::plan_n, spec::{resolve, RawSpec, ValidSpec}};
//! use std::sync::Arc;
//! let csv = b"age,sex\n31,F\n42,M\n";
//! let preview = resolve(&RawSpec::default(), csv, true).unwrap();
//! let spec = Arc::new(ValidSpec::try_from_resolved(&preview.spec).unwrap());
//! let mut run = Run::new(spec.clone(), plan_n(csv.len() as u64, 1)[0]);
//! run.feed(csv).unwrap();
//! run.finish_input().unwrap();
//! assert_eq!(run.into_state().unwrap().rows(), 2);
//! ```

use super::split::RangePlan;
use super::state::{RunState, Segment};
use crate::error::{Error, Result};
use crate::ingest::source::Source;
use crate::spec::ValidSpec;
use std::sync::Arc;

/// One range being read.
pub struct Run {
    decoder: Source,
    state: RunState,
    plan: RangePlan,
}

impl Run {
    /// Starts a run over `plan`.
    pub fn new(spec: Arc<ValidSpec>, plan: RangePlan) -> Self {
        let state = RunState::new(&spec);
        Run { decoder: Source::new(spec, plan.start, plan.end, plan.exact_start), state, plan }
    }

    /// Starts a later pass (see [`super::plan::Plan`]) over `plan`.
    pub fn for_pass(spec: Arc<ValidSpec>, plan: RangePlan, pass: &super::plan::PassSpec) -> Self {
        let mut decoder = Source::new(spec, plan.start, plan.end, plan.exact_start);
        let deviations = pass.deviations.iter().flat_map(|d| d.medians.iter().map(|&(c, _)| c));
        let columns = pass
            .probes
            .iter()
            .map(|p| p.column)
            .chain(pass.shapes.iter().map(|s| s.column))
            .chain(deviations)
            .chain(pass.frequent.iter().map(|f| f.column));
        decoder.only_columns(&columns.collect::<Vec<_>>());
        Run { decoder, state: RunState::for_pass(pass), plan }
    }

    /// Lets the value dictionaries code at most `cap` values per column, so that more
    /// values take the uncoded path (tests: reports must not change).
    pub fn limit_codes(&mut self, cap: usize) {
        self.decoder.limit_codes(cap);
    }

    /// Feeds the next bytes (in file order, starting at `plan.start`). Returns true when the
    /// range is complete and no more bytes are needed.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<bool> {
        let RunState { findings, analyses, .. } = &mut self.state;
        self.decoder.feed(bytes, findings, &mut |b| analyses.iter_mut().for_each(|a| a.update(b)))
    }

    /// Signals the end of the file.
    pub fn finish_input(&mut self) -> Result<()> {
        let RunState { findings, analyses, .. } = &mut self.state;
        self.decoder.finish_input(findings, &mut |b| analyses.iter_mut().for_each(|a| a.update(b)))
    }

    /// Bytes fed so far (for progress).
    pub fn bytes_fed(&self) -> u64 {
        self.decoder.bytes_fed()
    }

    /// True once the range is complete.
    pub fn is_done(&self) -> bool {
        self.decoder.is_done()
    }

    /// The accumulated state. Errs if the range is not complete yet.
    pub fn into_state(self) -> Result<RunState> {
        let cov = self
            .decoder
            .coverage()
            .ok_or_else(|| Error::state("the range was not read to its end; feed more bytes or call finish_input"))?;
        let mut state = self.state;
        state.analyses.iter_mut().for_each(super::Analysis::close_range);
        if state.pass > 1 {
            state.findings = Default::default(); // already counted in the main pass
        }
        let end = if self.decoder.reads_to_end() { u64::MAX } else { self.plan.end };
        state.segments =
            vec![Segment { start: cov.start, next_start: cov.next_start, rows: cov.rows, end, lines: cov.lines }];
        Ok(state)
    }
}
