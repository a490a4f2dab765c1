//! Byte ranges: planning them, and checking that the guessed record starts were right.
//!
//! A range `k > 0` starts one byte before its nominal start and is *not* known to start at
//! a record: its decoder skips to just after the first line terminator ("align"). That is
//! wrong only when the split falls inside a quoted field containing a newline. Every range
//! also reports `next_start`, the first record start at or after its end, found by parsing
//! from a known record start — so it is exact for range 0 and for every range whose own
//! start was right. [`check`] walks the segments in order and compares each start with the
//! previous `next_start`: a mismatch discards that range and plans a re-run from the exact
//! start. Re-runs have exact starts, so the loop ends; with no quoted newlines at split
//! points it never re-runs anything.

use super::state::Segment;
use serde::{Deserialize, Serialize};

/// Smallest range worth a worker.
pub const MIN_RANGE_BYTES: u64 = 1 << 20;

/// One range to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangePlan {
    /// First byte to feed.
    pub start: u64,
    /// Records whose first byte is before `end` belong to this range.
    pub end: u64,
    /// Whether `start` is known to be a record start.
    pub exact_start: bool,
}

/// Splits a file of `size` bytes into at most `workers` ranges of at least
/// [`MIN_RANGE_BYTES`] (one range when the file cannot be split, e.g. UTF-16).
pub fn plan_ranges(size: u64, workers: usize, splittable: bool) -> Vec<RangePlan> {
    let n = if splittable { (size / MIN_RANGE_BYTES).clamp(1, workers.max(1) as u64) } else { 1 };
    plan_n(size, n)
}

/// The ranges of a file as its preview says: Parquet row groups (the preview's cuts),
/// else byte ranges ([`plan_ranges`]).
pub fn plan_for(preview: &crate::ingest::sniff::Preview, size: u64, workers: usize) -> Vec<RangePlan> {
    if preview.format == crate::ingest::source::Format::Parquet.name() {
        return plan_cuts(&preview.cuts, workers.max(1));
    }
    plan_ranges(size, workers, preview.splittable)
}

/// At most `n` ranges of adjacent row groups between `cuts` (each row group's first
/// byte, then the footer's): range `k` holds groups `[k·g/n, (k+1)·g/n)`; every start is
/// exact, the first is byte 0 and the last ends at the end of the file. No cuts: one
/// range.
pub fn plan_cuts(cuts: &[u64], n: usize) -> Vec<RangePlan> {
    let groups = cuts.len().saturating_sub(1);
    let n = n.clamp(1, groups.max(1));
    (0..n)
        .map(|k| {
            let (a, b) = (k * groups / n, (k + 1) * groups / n);
            RangePlan {
                start: if k == 0 { 0 } else { cuts[a] },
                end: if k + 1 == n { u64::MAX } else { cuts[b] },
                exact_start: true,
            }
        })
        .collect()
}

/// Splits into exactly `n` ranges (no minimum size; for tests).
pub fn plan_n(size: u64, n: u64) -> Vec<RangePlan> {
    let n = n.clamp(1, size.max(1));
    (0..n)
        .map(|k| {
            let nominal = size * k / n;
            let end = if k + 1 == n { u64::MAX } else { size * (k + 1) / n };
            if k == 0 {
                RangePlan { start: 0, end, exact_start: true }
            } else {
                RangePlan { start: nominal - 1, end, exact_start: false }
            }
        })
        .collect()
}

/// What [`check`] decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// True when the kept segments cover the file exactly, in order.
    pub ok: bool,
    /// Indices (into the input) of the states to keep.
    pub keep: Vec<usize>,
    /// Ranges to run again (with exact starts), then check again.
    pub redo: Vec<RangePlan>,
}

/// Checks per-range segments (one per state, any order) for a contiguous chain from byte 0.
pub fn check(segments: &[Segment]) -> Check {
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by_key(|&i| (segments[i].start, segments[i].end));
    let mut expected = 0u64;
    let (mut keep, mut redo) = (Vec::new(), Vec::new());
    let mut complete = false;
    for &i in &order {
        let s = segments[i];
        if !redo.is_empty() {
            keep.push(i); // re-checked after the re-run
            continue;
        }
        if s.start == expected {
            keep.push(i);
            expected = s.next_start;
            complete = s.end == u64::MAX;
        } else if expected < s.end {
            redo.push(RangePlan { start: expected, end: s.end, exact_start: true });
        }
        // else: the previous range already covers all of this one; drop it.
    }
    let ok = redo.is_empty() && keep.len() == segments.len() && complete;
    if !ok && redo.is_empty() && !complete {
        // The range reaching the end of the file was dropped: re-run from the last start.
        redo.push(RangePlan { start: expected, end: u64::MAX, exact_start: true });
    }
    Check { ok, keep, redo }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: u64, next_start: u64, end: u64) -> Segment {
        Segment { start, next_start, rows: 1, end, lines: 1 }
    }

    #[test]
    fn plans_cover_the_file() {
        let p = plan_n(100, 3);
        assert_eq!(p[0], RangePlan { start: 0, end: 33, exact_start: true });
        assert_eq!(p[1], RangePlan { start: 32, end: 66, exact_start: false });
        assert_eq!(p[2].end, u64::MAX);
        assert_eq!(plan_ranges(10 << 20, 4, true).len(), 4);
        assert_eq!(plan_ranges(10 << 20, 4, false).len(), 1);
        assert_eq!(plan_ranges(100, 4, true).len(), 1);
    }

    #[test]
    fn row_groups_are_grouped_into_ranges() {
        let cuts = [4, 100, 200, 300, 400];
        let p = plan_cuts(&cuts, 2);
        assert_eq!(
            p,
            vec![
                RangePlan { start: 0, end: 200, exact_start: true },
                RangePlan { start: 200, end: u64::MAX, exact_start: true }
            ]
        );
        assert_eq!(plan_cuts(&cuts, 9).len(), 4, "one range per row group at most");
        assert_eq!(plan_cuts(&[], 4), vec![RangePlan { start: 0, end: u64::MAX, exact_start: true }]);
    }

    #[test]
    fn a_correct_chain_is_ok_in_any_order() {
        let c = check(&[seg(40, 80, u64::MAX), seg(0, 40, 33), seg(40, 40, 38)]);
        // The empty middle range starts where the chain expects it, so it is kept.
        assert!(c.ok, "{c:?}");
        assert_eq!(c.keep.len(), 3);
    }

    #[test]
    fn a_wrong_guess_is_rerun_from_the_exact_start() {
        let c = check(&[seg(0, 45, 33), seg(36, 90, 66), seg(90, 120, u64::MAX)]);
        assert!(!c.ok);
        assert_eq!(c.keep, vec![0, 2]);
        assert_eq!(c.redo, vec![RangePlan { start: 45, end: 66, exact_start: true }]);
        // After the re-run the chain is complete.
        let c = check(&[seg(0, 45, 33), seg(90, 120, u64::MAX), seg(45, 90, 66)]);
        assert!(c.ok, "{c:?}");
    }

    #[test]
    fn a_range_swallowed_by_its_predecessor_is_dropped() {
        let c = check(&[seg(0, 70, 33), seg(36, 66, 66), seg(70, 90, u64::MAX)]);
        assert!(!c.ok);
        assert_eq!(c.keep, vec![0, 2]);
        assert!(c.redo.is_empty());
        let c = check(&[seg(0, 70, 33), seg(70, 90, u64::MAX)]);
        assert!(c.ok);
    }
}
