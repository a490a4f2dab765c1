//! Drivers that read ranges from a `Read + Seek` source and coordinate the check/re-run
//! loop. The CLI runs them on threads; tests run them in memory. (The browser does the
//! same with workers in `www/pool.js`, calling the same functions through `wasm/`.)

use super::plan::{PassSpec, Plan};
use super::run::Run;
use super::split::{check, RangePlan};
use super::state::RunState;
use crate::error::{Error, ErrorKind, Result};
use crate::spec::ValidSpec;
use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Bytes read per chunk.
pub const CHUNK_BYTES: usize = 4 << 20;

/// Reads one range from `src` in chunks of `chunk` bytes, for the main pass (`pass` is
/// `None`) or a planned later pass. `progress` receives the number of bytes just fed;
/// `cancel` stops the run with [`ErrorKind::Cancelled`].
pub fn run_range<R: Read + Seek>(
    spec: &Arc<ValidSpec>,
    src: &mut R,
    plan: RangePlan,
    pass: Option<&PassSpec>,
    chunk: usize,
    progress: &dyn Fn(u64),
    cancel: &AtomicBool,
) -> Result<RunState> {
    let mut run = match pass {
        None => Run::new(Arc::clone(spec), plan),
        Some(p) => Run::for_pass(Arc::clone(spec), plan, p),
    };
    if spec.source.format == crate::ingest::source::Format::Parquet {
        // Row groups: each read whole and decoded into a wire message (one in memory).
        crate::ingest::source::parquet::for_each_group(src, plan.start, plan.end, &mut |msg, n| {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::kind_only(ErrorKind::Cancelled));
            }
            progress(n);
            run.feed(msg).map(|_| ())
        })?;
        run.finish_input()?;
        return run.into_state();
    }
    src.seek(SeekFrom::Start(plan.start))?;
    let mut buf = vec![0u8; chunk.max(1)];
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::kind_only(ErrorKind::Cancelled));
        }
        let n = read_full(src, &mut buf)?;
        if n == 0 {
            run.finish_input()?;
            break;
        }
        progress(n as u64);
        if run.feed(&buf[..n])? {
            break;
        }
    }
    run.into_state()
}

/// Reads until `buf` is full or the source ends; returns the bytes read.
pub(super) fn read_full<R: Read>(src: &mut R, buf: &mut [u8]) -> Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match src.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(n)
}

/// Runs `plans` with `run_one` (in parallel on threads when there are several), then
/// checks the chain of segments and re-runs misaligned ranges until it is exact; returns
/// the merged state.
pub fn coordinate<F>(plans: Vec<RangePlan>, run_one: F) -> Result<RunState>
where
    F: Fn(RangePlan) -> Result<RunState> + Sync,
{
    // A range whose start was guessed may have parsed from inside a quoted field and hit
    // an error that the true parse would not (e.g. a "field" spanning the rest of the
    // range). Such an error is dropped: the chain check re-runs that part from an exact
    // start, and an error there is real.
    let mut states = Vec::with_capacity(plans.len());
    for (plan, res) in plans.iter().zip(run_all_results(&plans, &run_one)) {
        match res {
            Ok(s) => states.push(s),
            Err(e) if !plan.exact_start && is_data_error(&e) => {}
            Err(e) => return Err(e),
        }
    }
    loop {
        let segments: Vec<_> = states.iter().map(|s| s.segments.first().copied().unwrap_or_default()).collect();
        let c = check(&segments);
        if c.ok {
            break;
        }
        let mut kept: Vec<RunState> = Vec::with_capacity(c.keep.len() + c.redo.len());
        let mut all: Vec<Option<RunState>> = states.into_iter().map(Some).collect();
        for i in c.keep {
            if let Some(s) = all.get_mut(i).and_then(Option::take) {
                kept.push(s);
            }
        }
        kept.extend(run_all(&c.redo, &run_one)?);
        states = kept;
    }
    let mut it = states.into_iter();
    let mut acc = it.next().ok_or_else(|| Error::state("no ranges were run"))?;
    for s in it {
        acc.merge(s)?;
    }
    Ok(acc)
}

/// Runs the passes `plan` asks for (each over the exact ranges of the main pass, in
/// parallel), absorbing each merged pass, until none is left.
pub fn finish_passes<F>(mut plan: Plan, run_one: F) -> Result<Plan>
where
    F: Fn(RangePlan, &PassSpec) -> Result<RunState> + Sync,
{
    while let Some(pass) = plan.next_pass() {
        let mut states = run_all(&plan.ranges(), &|p| run_one(p, &pass))?.into_iter();
        let mut acc = states.next().ok_or_else(|| Error::state("no ranges were run"))?;
        for s in states {
            acc.merge(s)?;
        }
        plan.absorb(acc)?;
    }
    Ok(plan)
}

/// Every pass: the main pass over `plans` (checked and re-run as needed), then the planned
/// passes. `run_one(range, pass)` reads one range (`pass` is `None` for the main pass).
pub fn run_passes<F>(spec: &ValidSpec, plans: Vec<RangePlan>, run_one: F) -> Result<Plan>
where
    F: Fn(RangePlan, Option<&PassSpec>) -> Result<RunState> + Sync,
{
    let main = coordinate(plans, |p| run_one(p, None))?;
    finish_passes(Plan::new(spec, main)?, |p, pass| run_one(p, Some(pass)))
}

fn is_data_error(e: &Error) -> bool {
    matches!(e.kind(), ErrorKind::FieldTooLong { .. } | ErrorKind::TooManyFields { .. })
}

fn run_all<F>(plans: &[RangePlan], run_one: &F) -> Result<Vec<RunState>>
where
    F: Fn(RangePlan) -> Result<RunState> + Sync,
{
    run_all_results(plans, run_one).into_iter().collect()
}

/// Runs `run_one` on every plan, one thread each natively (in order on wasm32), and
/// returns the results in plan order; a panicking thread becomes an error.
pub(super) fn run_all_results<T, F>(plans: &[RangePlan], run_one: &F) -> Vec<Result<T>>
where
    T: Send,
    F: Fn(RangePlan) -> Result<T> + Sync,
{
    if plans.len() <= 1 || cfg!(target_arch = "wasm32") {
        return plans.iter().map(|&p| run_one(p)).collect();
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = plans.iter().map(|&p| s.spawn(move || run_one(p))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(Error::state("a worker thread panicked"))))
            .collect()
    })
}

/// Runs every pass over `bytes` (a whole file in memory) split into the given plans. For
/// tests and small inputs.
pub fn run_bytes(spec: &Arc<ValidSpec>, bytes: &[u8], plans: Vec<RangePlan>, chunk: usize) -> Result<Plan> {
    let never = AtomicBool::new(false);
    run_passes(spec, plans, |p, pass| {
        run_range(spec, &mut std::io::Cursor::new(bytes), p, pass, chunk, &|_| {}, &never)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{resolve, RawSpec};

    #[test]
    fn cancellation_stops_a_run_with_its_own_error() {
        let csv = b"a,b\n1,2\n3,4\n";
        let spec =
            Arc::new(ValidSpec::try_from_resolved(&resolve(&RawSpec::default(), csv, true).unwrap().spec).unwrap());
        let plan = super::super::split::plan_n(csv.len() as u64, 1)[0];
        let cancel = AtomicBool::new(true);
        let err = run_range(&spec, &mut std::io::Cursor::new(&csv[..]), plan, None, 4, &|_| {}, &cancel).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::Cancelled);
        let go = AtomicBool::new(false);
        let fed = std::sync::atomic::AtomicU64::new(0);
        let st = run_range(
            &spec,
            &mut std::io::Cursor::new(&csv[..]),
            plan,
            None,
            4,
            &|n| {
                fed.fetch_add(n, Ordering::Relaxed);
            },
            &go,
        )
        .unwrap();
        assert_eq!(st.rows(), 2);
        assert_eq!(fed.load(Ordering::Relaxed), csv.len() as u64, "progress counts every byte fed");
    }
}
