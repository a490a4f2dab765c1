//! Unit tests of [`super::correlation`].

use super::correlation::*;
use crate::accumulator::Accumulator;
use crate::spec::CorrSpec;

fn spec() -> CorrSpec {
    CorrSpec {
        numeric: vec![0, 1],
        categorical: vec![2],
        numeric_names: vec!["x".into(), "y".into()],
        categorical_names: vec!["g".into()],
        left_out: Vec::new(),
        max_levels: 3,
        spearman_rows: 10,
    }
}

#[test]
fn pair_indices_are_dense() {
    let n = 5;
    let all: Vec<usize> = (0..n).flat_map(|i| ((i + 1)..n).map(move |j| pair_index(i, j, n))).collect();
    assert_eq!(all, (0..n * (n - 1) / 2).collect::<Vec<_>>());
}

#[test]
fn a_malformed_state_is_refused_not_a_panic() {
    let mut bad = CorrelationAcc::new(&spec());
    bad.sample.push((1, vec![1.0]));
    assert!(CorrelationAcc::new(&spec()).merge(bad).is_err());
    let mut bad = CorrelationAcc::new(&spec());
    bad.eta.clear();
    assert!(CorrelationAcc::new(&spec()).merge(bad).is_err());
    assert!(CorrelationAcc::new(&spec()).merge(CorrelationAcc::new(&spec())).is_ok());
}

#[test]
fn levels_over_the_cap_overflow_whatever_the_order() {
    let mut a = Levels::default();
    for s in ["a", "b", "c"] {
        assert!(a.get_or_add(s, 3).is_some());
    }
    assert!(a.get_or_add("d", 3).is_none() && a.overflow);
    let mut b = Levels::default();
    for s in ["d", "c"] {
        b.get_or_add(s, 3);
    }
    let mut c = Levels::default();
    for s in ["a", "b"] {
        c.get_or_add(s, 3);
    }
    // Merging {d, c} into {a, b} reaches 4 distinct values: overflow, like one pass.
    let mapped: Vec<Option<u32>> = b.names.iter().map(|n| c.get_or_add(n, 3)).collect();
    assert_eq!(mapped, vec![Some(2), None]);
    assert!(c.overflow);
}
