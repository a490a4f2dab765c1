//! Tests of [`super`]: unit weights reproduce the row-count audit; weights move rates.
use super::*;
use crate::fairness::disparity::audit_breakdown;
use crate::fairness::interval::{newcombe_difference, Z95};

#[test]
fn unit_weights_give_the_row_count_numbers() {
    let groups = vec![
        (GroupKey::known(&["a"]), Confusion::new(30, 10, 50, 10)),
        (GroupKey::known(&["b"]), Confusion::new(20, 2, 70, 9)),
        (GroupKey::known(&["c"]), Confusion::new(5, 3, 7, 1)),
    ];
    let with: Vec<_> = groups.iter().map(|(k, c)| (k.clone(), *c, WeightedConfusion::unit(c))).collect();
    let opts = DisparityOptions::default();
    let (w, u) = (weighted_audit(&with, &opts, false), audit_breakdown(&groups, &opts));
    for (wg, ug) in w.groups.iter().zip(&u.groups) {
        assert_eq!(
            (wg.n, wg.weight, wg.effective_n),
            (ug.metrics.count, ug.metrics.count as f64, ug.metrics.count as f64)
        );
        for (m, r) in &wg.rates {
            let ur = ug.metrics.get(*m);
            assert_eq!((r.value, r.wilson95, r.effective_n), (ur.value, ur.wilson95, ur.denominator as f64));
        }
    }
    assert_eq!(w.fairlearn.demographic_parity_difference, u.fairlearn.demographic_parity_difference);
    assert_eq!(w.fairlearn.equalized_odds_ratio, u.fairlearn.equalized_odds_ratio);
    for (wv, uv) in w.vs_reference.iter().zip(&u.vs_reference) {
        for (a, b) in wv.comparisons.iter().zip(&uv.comparisons) {
            assert_eq!((a.difference, a.ratio), (b.difference, b.ratio), "{:?}", wv.metric);
        }
    }
    // b (101 rows) is the largest group, the reference; a is compared first.
    assert_eq!(w.vs_reference[0].reference, Some(GroupKey::known(&["b"])));
    let (x1, n1) = Metric::SelectionRate.counts(&groups[0].1);
    let (x2, n2) = Metric::SelectionRate.counts(&groups[1].1);
    assert_eq!(w.vs_reference[0].comparisons[0].difference_ci95, newcombe_difference(x1, n1, x2, n2, Z95));
    for (a, b) in w.ll144.iter().zip(&u.ll144.rows) {
        assert_eq!(a.impact_ratio, b.impact_ratio);
    }
}

#[test]
fn weights_move_rates_and_zero_weight_groups_are_undefined() {
    let mut a = WeightedConfusion::default();
    a.add_row(true, true, 3.0); // selected, weight 3
    a.add_row(false, false, 1.0);
    let mut zero = WeightedConfusion::default();
    zero.add_row(true, true, 0.0);
    let groups = vec![
        (GroupKey::known(&["a"]), Confusion::new(1, 0, 1, 0), a),
        (GroupKey::known(&["z"]), Confusion::new(1, 0, 0, 0), zero),
    ];
    let w = weighted_audit(&groups, &DisparityOptions::default(), true);
    let sr = &w.groups[0].rates[&Metric::SelectionRate];
    assert_eq!((sr.value, sr.numerator, sr.denominator), (Some(0.75), 3.0, 4.0));
    assert_eq!(w.groups[0].effective_n, 16.0 / 10.0);
    assert_eq!(w.groups[1].rates[&Metric::SelectionRate].value, None);
    assert_eq!(w.fairlearn.demographic_parity_difference, None, "one defined group only");
    assert_eq!(w.vs_reference[0].reference, Some(GroupKey::known(&["a"])), "largest Σw, not most rows");
}

/// LL144 counts the favourable decision: with an unfavourable positive prediction the
/// weighted impact ratios use the predicted-negative share, like the row-count audit.
#[test]
fn unit_weights_give_the_row_count_impact_ratios_in_both_orientations() {
    let groups = vec![
        (GroupKey::known(&["a"]), Confusion::new(30, 10, 50, 10)),
        (GroupKey::known(&["b"]), Confusion::new(20, 2, 70, 9)),
    ];
    let with: Vec<_> = groups.iter().map(|(k, c)| (k.clone(), *c, WeightedConfusion::unit(c))).collect();
    for fav in [true, false] {
        let opts = DisparityOptions { positive_is_favourable: fav, ..Default::default() };
        let (w, u) = (weighted_audit(&with, &opts, false), audit_breakdown(&groups, &opts));
        assert_eq!(u.ll144.selected_is_positive, fav);
        for (a, b) in w.ll144.iter().zip(&u.ll144.rows) {
            assert_eq!((a.selection_rate, a.impact_ratio), (b.rate.value, b.impact_ratio), "favourable {fav}");
        }
    }
    // Unfavourable: b selects (not flagged) 79/101, a 60/100: a's impact ratio 0.6 / (79/101).
    let opts = DisparityOptions { positive_is_favourable: false, ..Default::default() };
    let u = audit_breakdown(&groups, &opts);
    assert!((u.ll144.rows[0].impact_ratio.unwrap() - 0.6 / (79.0 / 101.0)).abs() < 1e-15);
}

/// Weighted comparisons name the disadvantaged party as the row-count ones do: with unit
/// weights the same party, comparator and adverse ratio for every metric and both
/// orientations; a reference that is worse off is named against the other group.
#[test]
fn weighted_comparisons_are_direction_aware() {
    let groups = vec![
        (GroupKey::known(&["big"]), Confusion::new(300, 100, 200, 50)),
        (GroupKey::known(&["low"]), Confusion::new(40, 10, 150, 60)),
        (GroupKey::known(&["same"]), Confusion::new(30, 10, 20, 5)),
    ];
    let with: Vec<_> = groups.iter().map(|(k, c)| (k.clone(), *c, WeightedConfusion::unit(c))).collect();
    for favourable in [false, true] {
        let opts = DisparityOptions { positive_is_favourable: favourable, ..DisparityOptions::default() };
        let (w, u) = (weighted_audit(&with, &opts, false), audit_breakdown(&groups, &opts));
        for uv in &u.vs_reference {
            let Some(wv) = w.vs_reference.iter().find(|v| v.metric == uv.metric) else { continue };
            assert_eq!(wv.harm, uv.harm, "{:?}", uv.metric);
            for (a, b) in wv.comparisons.iter().zip(&uv.comparisons) {
                assert_eq!((&a.disadvantaged, &a.comparator), (&b.disadvantaged, &b.comparator), "{:?}", uv.metric);
                assert_eq!(a.adverse_ratio, b.adverse_ratio, "{:?}", uv.metric);
            }
        }
        // big (650 rows) is the reference; its selection rate 400/650 is above low's 50/260.
        let sr = w.vs_reference.iter().find(|v| v.metric == Metric::SelectionRate).expect("selection rate");
        let low = &sr.comparisons[0];
        let (worse_off, other) = if favourable { ("low", "big") } else { ("big", "low") };
        assert_eq!(low.disadvantaged, Some(GroupKey::known(&[worse_off])), "favourable {favourable}");
        assert_eq!(low.comparator, Some(GroupKey::known(&[other])));
        let ratio = (400.0 / 650.0) / (50.0 / 260.0);
        let want = if favourable { 1.0 / ratio } else { ratio };
        assert!((low.adverse_ratio.expect("ratio") - want).abs() < 1e-12);
    }
    // Weights can move the verdict: low's selected rows weigh 20 each, so low becomes the
    // group labelled (unfavourable positive) more often, and is named.
    let mut heavy = with.clone();
    heavy[1].2 = WeightedConfusion::default();
    let c = groups[1].1;
    for (l, p, n, w) in
        [(true, true, c.tp, 20.0), (false, true, c.fp, 20.0), (false, false, c.tn, 1.0), (true, false, c.fn_, 1.0)]
    {
        for _ in 0..n {
            heavy[1].2.add_row(l, p, w);
        }
    }
    let punitive = DisparityOptions { positive_is_favourable: false, ..DisparityOptions::default() };
    let w = weighted_audit(&heavy, &punitive, false);
    let sr = w.vs_reference.iter().find(|v| v.metric == Metric::SelectionRate).expect("selection rate");
    assert_eq!(sr.harm, Harm::HigherHarms);
    assert_eq!(sr.comparisons[0].disadvantaged, Some(GroupKey::known(&["low"])));
}
