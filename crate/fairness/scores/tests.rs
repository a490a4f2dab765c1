//! Keys, binning and the level of the score counts.

use super::*;

#[test]
fn keys_order_and_round_trip() {
    let xs = [-1e300, -2.5, -1e-300, 0.0, 5e-324, 0.1, 1.0, 7.0, f64::MAX];
    for w in xs.windows(2) {
        assert!(key(w[0]) < key(w[1]));
    }
    for x in xs {
        assert_eq!(value(key(x)), x);
    }
    assert_eq!(key(-0.0), key(0.0));
    // Binning keeps 12 mantissa bits and never moves a score up.
    let x = 0.123456789;
    let r = value(truncate(key(x), 1));
    assert!(r <= x && (x - r) / x < 2f64.powi(-12));
    let y = -0.123456789;
    let r = value(truncate(key(y), 1));
    assert!(r <= y && (y - r) / -y < 2f64.powi(-12));
}

#[test]
fn the_level_depends_only_on_the_union() {
    let rows: Vec<(f64, usize)> = (0..500).map(|i| ((i as f64 * 0.7919).fract(), i)).collect();
    let build = |xs: &[(f64, usize)]| {
        let mut a = ScoresAcc::with_cap(1, 100);
        for &(x, i) in xs {
            a.add_group(0, &[Some(format!("g{}", i % 3))], x, Some(i % 2 == 0));
            a.add_overall(x, Some(i % 2 == 0));
        }
        a
    };
    let whole = build(&rows);
    assert!(whole.level() > 0);
    let mut parts = build(&rows[..7]);
    parts.merge(build(&rows[7..]));
    assert_eq!(parts.finish(), whole.finish());
}
