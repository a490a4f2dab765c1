//! Shared helpers for the integration tests: the four execution strategies of
//! STYLE §12, and access to the shared real datasets.
#![allow(dead_code)]

use privaudit::engine::{drive, run::Run, split, state::RunState};
use privaudit::report::{InputMeta, Report};
use privaudit::spec::{resolve, RawSpec, ValidSpec};
use std::path::PathBuf;
use std::sync::Arc;

pub mod formats;

/// A small deterministic PRNG for test-only choices (chunk sizes, orders).
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub fn spec_for(bytes: &[u8], raw: &RawSpec) -> (Arc<ValidSpec>, InputMeta) {
    let sample = &bytes[..bytes.len().min(privaudit::ingest::sniff::SAMPLE_BYTES)];
    let p = resolve(raw, sample, sample.len() == bytes.len()).expect("preview");
    let meta = InputMeta {
        file_name: "fixture.csv".into(),
        file_size: bytes.len() as u64,
        notices: p.notices.clone(),
        bom: p.encoding.bom,
        line_ending: Some(p.dialect.line_ending),
        ..Default::default()
    };
    (Arc::new(ValidSpec::try_from_resolved(&p.spec).expect("valid")), meta)
}

/// (a) one pass, the whole file as one chunk.
pub fn one_pass(spec: &Arc<ValidSpec>, bytes: &[u8]) -> RunState {
    let never = std::sync::atomic::AtomicBool::new(false);
    drive::coordinate(split::plan_n(bytes.len() as u64, 1), |p| {
        drive::run_range(spec, &mut std::io::Cursor::new(bytes), p, None, bytes.len().max(1), &|_| {}, &never)
    })
    .expect("one pass")
}

/// (b) one pass fed in random-sized chunks (1 byte when `max_chunk` is 1).
pub fn random_chunks(spec: &Arc<ValidSpec>, bytes: &[u8], max_chunk: u64, seed: u64) -> RunState {
    let mut rng = Lcg(seed);
    let mut run = Run::new(Arc::clone(spec), split::plan_n(bytes.len() as u64, 1)[0]);
    let mut i = 0usize;
    while i < bytes.len() {
        let n = (1 + rng.below(max_chunk)) as usize;
        let j = (i + n).min(bytes.len());
        if run.feed(&bytes[i..j]).expect("feed") {
            break;
        }
        i = j;
    }
    if !run.is_done() {
        run.finish_input().expect("finish");
    }
    run.into_state().expect("state")
}

/// (e) one pass whose value dictionaries code at most `cap` values per column: every
/// analysis that groups by value also reads uncoded cells (by their text).
pub fn few_codes(spec: &Arc<ValidSpec>, bytes: &[u8], cap: usize) -> RunState {
    let mut run = Run::new(Arc::clone(spec), split::plan_n(bytes.len() as u64, 1)[0]);
    run.limit_codes(cap);
    for chunk in bytes.chunks(1 << 12) {
        if run.feed(chunk).expect("feed") {
            break;
        }
    }
    if !run.is_done() {
        run.finish_input().expect("finish");
    }
    run.into_state().expect("state")
}

/// (c) k ranges, checked and re-run, merged in file order.
pub fn ranges(spec: &Arc<ValidSpec>, bytes: &[u8], k: u64, chunk: usize) -> RunState {
    let never = std::sync::atomic::AtomicBool::new(false);
    drive::coordinate(split::plan_n(bytes.len() as u64, k), |p| {
        drive::run_range(spec, &mut std::io::Cursor::new(bytes), p, None, chunk, &|_| {}, &never)
    })
    .expect("ranges")
}

/// (d) k ranges; every state serialised, decoded and merged in a shuffled order.
pub fn serialised_shuffled(spec: &Arc<ValidSpec>, bytes: &[u8], k: u64, seed: u64) -> RunState {
    let never = std::sync::atomic::AtomicBool::new(false);
    let collected = std::sync::Mutex::new(Vec::new());
    drive::coordinate(split::plan_n(bytes.len() as u64, k), |p| {
        let st = drive::run_range(spec, &mut std::io::Cursor::new(bytes), p, None, 1 << 12, &|_| {}, &never)?;
        collected.lock().expect("lock").push((p, st.encode(spec)?));
        Ok(st)
    })
    .expect("coordinate");
    // Keep the states of the verified chain: from byte 0, each next state starts where the
    // previous one's `next_start` says (discarded wrong guesses start elsewhere).
    let mut encoded = collected.into_inner().expect("lock");
    let segs: Vec<_> = encoded.iter().map(|(_, b)| RunState::decode(spec, b).expect("decode").segments[0]).collect();
    let mut keep = Vec::new();
    let mut expected = 0u64;
    while let Some(i) = (0..segs.len()).find(|&i| segs[i].start == expected && !keep.contains(&i)) {
        keep.push(i);
        if segs[i].next_start == expected {
            // an empty segment; the next one starts at the same place
            if (0..segs.len()).all(|j| keep.contains(&j) || segs[j].start != expected) {
                break;
            }
        }
        expected = segs[i].next_start;
    }
    let mut rng = Lcg(seed);
    let mut chosen: Vec<Vec<u8>> = keep.into_iter().map(|i| std::mem::take(&mut encoded[i].1)).collect();
    for i in (1..chosen.len()).rev() {
        chosen.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut it = chosen.into_iter();
    let mut acc = RunState::decode(spec, &it.next().expect("one state")).expect("decode");
    for b in it {
        acc.merge(RunState::decode(spec, &b).expect("decode")).expect("merge");
    }
    acc
}

/// Finishes the planned passes over `bytes` (exact ranges, 7-byte chunks) and builds the report.
pub fn report(spec: &Arc<ValidSpec>, st: RunState, meta: &InputMeta, bytes: &[u8]) -> Report {
    let never = std::sync::atomic::AtomicBool::new(false);
    let plan = drive::finish_passes(privaudit::engine::plan::Plan::new(spec, st).expect("plan"), |p, pass| {
        drive::run_range(spec, &mut std::io::Cursor::new(bytes), p, Some(pass), 7, &|_| {}, &never)
    })
    .expect("later passes");
    plan.finish(spec, meta.clone())
}

/// Path of a shared real dataset, or None (with a notice) when `../shared` is absent.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("notice: {} not found; skipping this part (shared datasets are not in the repository)", p.display());
        None
    }
}

/// A date column with 10,000 distinct days (2000-01-01 onwards, scrambled order), an
/// `as_of` date, and the number of values after it.
pub fn many_days() -> (String, &'static str, u64) {
    let start = privaudit::ingest::value::days_from_civil(2000, 1, 1);
    let as_of = privaudit::ingest::value::days_from_civil(2020, 1, 1);
    let mut csv = String::from("day\n");
    let mut after = 0;
    for i in 0..10_000i64 {
        let d = start + (i * 7919) % 10_000;
        let (y, m, dd) = privaudit::ingest::value::civil_from_days(d);
        csv.push_str(&format!("{y:04}-{m:02}-{dd:02}\n"));
        after += u64::from(d > as_of);
    }
    (csv, "2020-01-01", after)
}
