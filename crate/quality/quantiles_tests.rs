use super::*;
use crate::sketch::quantile::{RadixAcc, FIRST_PASS_CAP};

/// Runs the search to the end over `xs`, returning (quantiles, passes).
fn search(xs: &[f64]) -> (Vec<QuantilePoint>, usize) {
    let tally = |probes: Vec<Probe>| {
        let mut acc = RadixAcc::new(probes);
        xs.iter().for_each(|&x| acc.add(0, x));
        acc.finish()
    };
    let first = vec![Probe { column: 0, len: 0, prefix: 0, collect: true, cap: FIRST_PASS_CAP, sketch: false }];
    let mut s = QuantileSearch::start(tally(first), true);
    let mut passes = 1;
    loop {
        let p = s.probes();
        if p.is_empty() {
            break;
        }
        s.absorb(tally(p));
        passes += 1;
    }
    (s.result(0).unwrap(), passes)
}

fn numpy_linear(xs: &[f64], q: f64) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let (lo, hi, t) = ranks(v.len() as u64, q);
    lerp(v[lo as usize], v[hi as usize], t)
}

#[test]
fn small_columns_are_exact_after_one_pass() {
    let xs = [1.5, 2.5, 10.0, -3.0, 7.25];
    let (q, passes) = search(&xs);
    assert_eq!(passes, 1);
    // numpy.quantile([1.5, 2.5, 10.0, -3.0, 7.25], [.01, .05, .25, .5, .75, .95, .99])
    assert_eq!(q.iter().map(|p| p.value).collect::<Vec<_>>(), vec![-2.82, -2.1, 1.5, 2.5, 7.25, 9.45, 9.89]);
    // numpy.quantile([1, 2, 3, 4], [.01, .05, .25, .5, .75, .95, .99])
    let (q, _) = search(&[4.0, 1.0, 3.0, 2.0]);
    assert_eq!(
        q.iter().map(|p| p.value).collect::<Vec<_>>(),
        vec![1.03, 1.15, 1.75, 2.5, 3.25, 3.8499999999999996, 3.9699999999999998]
    );
}

#[test]
fn large_columns_need_more_passes_and_stay_exact() {
    // 600,000 values (over the first-pass cap), heavy ties and a wide range.
    let mut next = crate::testing::xorshift(0x1234_5678_9abc_def0);
    let xs: Vec<f64> = (0..600_000)
        .map(|i| {
            let state = next();
            match i % 5 {
                0 => 42.0,
                1 => (state % 1000) as f64 / 7.0,
                2 => -((state % 100_000) as f64) * 1e-3,
                _ => (state >> 11) as f64 / (1u64 << 53) as f64 * 1e6,
            }
        })
        .collect();
    let (q, passes) = search(&xs);
    assert!(passes >= 2, "expected extra passes, got {passes}");
    for p in q {
        assert_eq!(p.value.to_bits(), numpy_linear(&xs, p.q).to_bits(), "q = {}", p.q);
    }
}

#[test]
fn single_value_and_all_equal() {
    assert_eq!(search(&[3.0]).0.iter().map(|p| p.value).collect::<Vec<_>>(), vec![3.0; 7]);
    let (q, passes) = search(&[7.0; 300_000]);
    assert_eq!((q[3].value, passes), (7.0, 1));
}
