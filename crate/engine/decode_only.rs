//! Benchmark only: a run over one byte range that decodes and types every cell into
//! [`Batch`]es exactly like [`super::run::Run`], but hands the batches to no analysis.
//!
//! `privaudit bench-parse --decode` and the wasm `DecodeOnly` export measure with it the
//! floor every profile pays before any statistic (the decoder, cell typing, row-level
//! findings), to compare with the csv-core-only baseline ([`crate::ingest::bare`]). It
//! yields a row count and a [`Segment`], never a [`super::state::RunState`], so it cannot
//! reach a merge, a plan or a report, and no spec selects it.
//!
//! ```
//! use privaudit::{engine::decode_only::DecodeOnly, engine::split::plan_n, spec::{resolve, RawSpec, ValidSpec}};
//! use std::sync::Arc;
//! let csv = b"age,sex\n31,F\n42,M\n";
//! let preview = resolve(&RawSpec::default(), csv, true).unwrap();
//! let spec = Arc::new(ValidSpec::try_from_resolved(&preview.spec).unwrap());
//! let mut run = DecodeOnly::new(spec, plan_n(csv.len() as u64, 1)[0]);
//! run.feed(csv).unwrap();
//! run.finish_input().unwrap();
//! assert_eq!((run.rows(), run.segment().unwrap().rows), (2, 2));
//! ```

use super::split::{check, RangePlan};
use super::state::Segment;
use crate::error::{Error, Result};
use crate::ingest::batch::Batch;
use crate::ingest::findings::FindingsAcc;
use crate::ingest::source::Source;
use crate::spec::ValidSpec;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

/// One range being decoded and typed, with no analyses (benchmark only).
pub struct DecodeOnly {
    decoder: Source,
    findings: FindingsAcc,
    plan: RangePlan,
    /// Rows of the batches handed over so far.
    batched: u64,
}

impl DecodeOnly {
    /// Starts decoding `plan` with `spec` (every column typed, as in a main-pass run).
    pub fn new(spec: Arc<ValidSpec>, plan: RangePlan) -> Self {
        let decoder = Source::new(spec, plan.start, plan.end, plan.exact_start);
        DecodeOnly { decoder, findings: FindingsAcc::default(), plan, batched: 0 }
    }

    /// Feeds the next bytes (in file order, from `plan.start`). Returns true when the range
    /// is complete and no more bytes are needed.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<bool> {
        let batched = &mut self.batched;
        self.decoder.feed(bytes, &mut self.findings, &mut |b: &Batch| *batched += b.rows() as u64)
    }

    /// Signals the end of the file.
    pub fn finish_input(&mut self) -> Result<()> {
        let batched = &mut self.batched;
        self.decoder.finish_input(&mut self.findings, &mut |b: &Batch| *batched += b.rows() as u64)
    }

    /// True once the range is complete.
    pub fn is_done(&self) -> bool {
        self.decoder.is_done()
    }

    /// Data rows typed into batches so far.
    pub fn rows(&self) -> u64 {
        self.batched
    }

    /// The part of the file this range covered (as a real run's state would record it).
    /// Errs if the range is not complete yet.
    pub fn segment(&self) -> Result<Segment> {
        let cov = self
            .decoder
            .coverage()
            .ok_or_else(|| Error::state("the range was not read to its end; feed more bytes or call finish_input"))?;
        let end = if self.decoder.reads_to_end() { u64::MAX } else { self.plan.end };
        Ok(Segment { start: cov.start, next_start: cov.next_start, rows: cov.rows, end, lines: cov.lines })
    }
}

/// Decodes one range read from `src` in chunks of `chunk` bytes; returns its segment.
pub fn read_range<R: Read + Seek>(
    spec: &Arc<ValidSpec>,
    src: &mut R,
    plan: RangePlan,
    chunk: usize,
) -> Result<Segment> {
    let mut run = DecodeOnly::new(Arc::clone(spec), plan);
    if spec.source.format == crate::ingest::source::Format::Parquet {
        crate::ingest::source::parquet::for_each_group(src, plan.start, plan.end, &mut |msg, _| {
            run.feed(msg).map(|_| ())
        })?;
        run.finish_input()?;
        return run.segment();
    }
    src.seek(SeekFrom::Start(plan.start))?;
    let mut buf = vec![0u8; chunk.max(1)];
    loop {
        let n = super::drive::read_full(src, &mut buf)?;
        if n == 0 {
            run.finish_input()?;
            break;
        }
        if run.feed(&buf[..n])? {
            break;
        }
    }
    run.segment()
}

/// Runs `plans` with `run_one` on one thread each, checks the chain of segments and re-runs
/// misaligned ranges like [`super::drive::coordinate`]; returns the data rows of the file.
pub fn coordinate<F>(plans: Vec<RangePlan>, run_one: F) -> Result<u64>
where
    F: Fn(RangePlan) -> Result<Segment> + Sync,
{
    let mut segments = run_all(&plans, &run_one)?;
    loop {
        let c = check(&segments);
        if c.ok {
            return Ok(segments.iter().map(|s| s.rows).sum());
        }
        let mut kept: Vec<Segment> = c.keep.iter().filter_map(|&i| segments.get(i).copied()).collect();
        kept.extend(run_all(&c.redo, &run_one)?);
        segments = kept;
    }
}

fn run_all<F>(plans: &[RangePlan], run_one: &F) -> Result<Vec<Segment>>
where
    F: Fn(RangePlan) -> Result<Segment> + Sync,
{
    super::drive::run_all_results(plans, run_one).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::split::plan_n;
    use crate::spec::{resolve, RawSpec};

    #[test]
    fn ranges_with_a_quoted_newline_at_the_split_are_rerun_and_count_every_row() {
        let csv = b"a,b\n1,\"x\ny\"\n2,\"p\nq\"\n3,z\n4,w\n".to_vec();
        let spec =
            Arc::new(ValidSpec::try_from_resolved(&resolve(&RawSpec::default(), &csv, true).unwrap().spec).unwrap());
        for n in 1..=csv.len() as u64 {
            let rows =
                coordinate(plan_n(csv.len() as u64, n), |p| read_range(&spec, &mut std::io::Cursor::new(&csv), p, 3))
                    .unwrap();
            assert_eq!(rows, 4, "{n} ranges");
        }
    }
}
