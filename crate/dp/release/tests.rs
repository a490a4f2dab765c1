//! Tests of the release through the engine: privacy audit, noise scales, coverage,
//! contribution bounding, the worker codec.

use super::*;
use crate::dp::rng::test_rng::with_seeded_rng;
use crate::dp::summary::Estimate;
use crate::dp::Rational;
use crate::engine::{drive, plan::Plan, split};
use crate::spec::{Mode, RawSpec};
use std::sync::Arc;

/// Runs a DP-mode spec over CSV text through the engine (k ranges) and returns the plan
/// ready for release.
pub(crate) fn dp_run(csv: &str, toml: &str, ranges: u64) -> (Arc<ValidSpec>, Plan) {
    let mut raw = RawSpec::from_toml(toml).unwrap();
    raw.mode = Mode::Dp;
    let preview = crate::spec::resolve(&raw, csv.as_bytes(), true).unwrap();
    let spec = Arc::new(ValidSpec::try_from_resolved(&preview.spec).unwrap());
    let plans = split::plan_n(csv.len() as u64, ranges);
    let plan = drive::run_bytes(&spec, csv.as_bytes(), plans, 7).unwrap();
    (spec, plan)
}

fn counts_csv(n: usize) -> String {
    let mut s = String::from("g,x\n");
    for i in 0..n {
        s.push_str(&format!("{},{}\n", ["a", "b", "c"][i % 3], i % 50));
    }
    s
}

fn noisy_count(s: &DpSummary) -> i128 {
    match &s.releases[0].result {
        ReleaseResult::Count { count } => i128::from(count.noisy.unwrap()),
        other => panic!("not a count: {other:?}"),
    }
}

#[test]
fn the_count_release_passes_the_privacy_audit_through_the_engine() {
    // Neighbouring files D (30 rows) and D′ (31 rows), released through the same path
    // as the CLI and the browser: DP-mode run, merge, plan, ledger, noise.
    const N: usize = 40_000;
    let toml = "[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"count\"\n";
    let releases = |rows: usize, seed: u64| -> Vec<i64> {
        let (spec, plan) = dp_run(&counts_csv(rows), toml, 2);
        with_seeded_rng(seed, || {
            (0..N).map(|_| noisy_count(&plan.clone().release(&spec, &ReleaseMeta::default()).unwrap()) as i64).collect()
        })
    };
    let (d, d_prime) = (releases(30, 1), releases(31, 2));
    let thresholds: Vec<i64> = (28..=34).collect();
    let eps = crate::dp::audit::epsilon_lower_bound(&d, &d_prime, &thresholds, crate::dp::testing::TEST_ALPHA);
    assert!(eps <= 1.0, "ε lower bound {eps} exceeds the claimed ε = 1");
    assert!(eps > 0.6, "the audit lost its power: {eps}");
}

#[test]
fn histogram_noise_has_the_charged_scale_and_intervals_cover() {
    // ε = 0.5 over 5 cells (3 keys + other + missing): b = 2 per cell.
    let toml =
        "[dp]\nepsilon = 0.5\n[[dp.queries]]\nkind = \"histogram\"\ncolumn = \"g\"\nkeys = [\"a\", \"b\", \"zz\"]\n";
    let (spec, plan) = dp_run(&counts_csv(300), toml, 3);
    let exact = [100i128, 100, 0, 100, 0]; // a, b, zz, (other) = c, (missing)
    let (mut sum_sq, mut covered, mut n) = (0f64, 0u64, 0u64);
    with_seeded_rng(7, || {
        for _ in 0..4000 {
            let s = plan.clone().release(&spec, &ReleaseMeta::default()).unwrap();
            let ReleaseResult::Histogram { cells } = &s.releases[0].result else { panic!() };
            for (c, e) in cells.iter().zip(exact) {
                let z = (i128::from(c.noisy.unwrap()) - e) as f64;
                sum_sq += z * z;
                let [lo, hi] = c.interval.unwrap();
                covered += u64::from(lo as i128 <= e && e <= hi as i128);
                n += 1;
            }
        }
    });
    let q = (-0.5f64).p_exp();
    let variance = 2.0 * q / (1.0 - q).powi(2); // discrete Laplace, b = 2: 7.92
    let measured = sum_sq / n as f64;
    assert!((measured / variance - 1.0).abs() < 0.1, "noise variance {measured}, expected {variance}");
    // Half-width 6 at b = 2: a cell of 100 is covered with P(|Z| ≤ 6) = 1 − 2q⁷/(1 + q) ≈ 0.9624;
    // a cell of 0 has its interval clamped at 0, so only Z > 6 misses it: 1 − q⁷/(1 + q) ≈ 0.9812.
    // Three cells of 100 and two of 0: 0.9699 expected; 20,000 cells give a standard error of
    // 0.0012, and the bounds are 5 of them (the test's old band, 0.955–0.97, had the mean of
    // the clamped cells wrong and sat on its upper edge).
    let tail = q.powi(7) / (1.0 + q);
    let expected = (3.0 * (1.0 - 2.0 * tail) + 2.0 * (1.0 - tail)) / 5.0;
    let coverage = covered as f64 / n as f64;
    assert!((coverage - expected).abs() < 0.006, "coverage {coverage}, expected {expected}");
}

#[test]
fn exact_tables_do_not_depend_on_the_split() {
    let toml = "[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"quantiles\"\ncolumn = \"x\"\nlower = 0\nupper = 50\nbins = 10\n\
                [[dp.queries]]\nkind = \"categories\"\ncolumn = \"g\"\n[[dp.queries]]\nkind = \"mean\"\ncolumn = \"x\"\nlower = 0\nupper = 40\n";
    let tables = |ranges: u64| {
        let (_, plan) = dp_run(&counts_csv(997), toml, ranges);
        let acc = plan.into_dp_acc().unwrap();
        acc.finish().unwrap().into_inner()
    };
    let one = tables(1);
    assert_eq!(one[0], Table::Cells(vec![100, 100, 100, 100, 100, 100, 100, 100, 100, 97]));
    assert_eq!(one[2], Table::Sum { units: (0..997).map(|i| (i % 50).min(40) as i128).sum(), count: 997 });
    for k in 2..=5 {
        assert_eq!(tables(k), one, "{k} ranges");
    }
}

#[test]
fn over_budget_and_entropy_failures_release_nothing() {
    let toml = "[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"count\"\n";
    let (spec, plan) = dp_run(&counts_csv(10), toml, 1);
    let e = crate::dp::rng::test_rng::with_failing_rng(|| plan.clone().release(&spec, &ReleaseMeta::default()));
    assert!(e.unwrap_err().to_string().contains("random number generator"));
}

#[test]
fn contribution_bounding_keeps_at_most_c_random_rows_per_person() {
    // Person p1 has rows in a, b, c; p2 has one row in a; c = 1 keeps one row of p1,
    // each with probability 1/3, whatever the split.
    let csv = "id,g\np1,a\np2,a\np1,b\np1,c\n";
    let toml = "[dp]\nepsilon = 1.0\nperson_column = \"id\"\n[[dp.queries]]\nkind = \"histogram\"\ncolumn = \"g\"\nkeys = [\"a\", \"b\", \"c\"]\n";
    let mut kept = [0u32; 3];
    for seed in 0..600u64 {
        let cells = with_seeded_rng(seed, || {
            let (_, plan) = dp_run(csv, toml, 1 + seed % 3);
            match &plan.into_dp_acc().unwrap().finish().unwrap().into_inner()[0] {
                Table::Cells(c) => c.clone(),
                _ => unreachable!(),
            }
        });
        assert_eq!(cells.iter().sum::<u64>(), 2, "one row per person: {cells:?}");
        assert!(cells[0] >= 1, "p2's only row is always kept: {cells:?}");
        let p1 = if cells[0] == 2 {
            0
        } else if cells[1] == 1 {
            1
        } else {
            2
        };
        kept[p1] += 1;
    }
    // Each of p1's rows is kept 200 times in expectation (sd 11.5); allow ±5 sd.
    assert!(kept.iter().all(|&k| (143..=257).contains(&k)), "{kept:?}");
}

#[test]
fn dp_states_survive_the_worker_codec() {
    // Browser workers send states as postcard bytes: every DP table and kept row must
    // round-trip, including the person reservoir.
    let toml = "[bias]\nprotected = [\"g\"]\nlabel = \"x\"\npositive_label = \"1\"\nscore = \"x\"\nthreshold = 3\n\
                [dp]\nepsilon = 1.0\nperson_column = \"g\"\nmax_rows_per_person = 2\n\
                [[dp.queries]]\nkind = \"categories\"\ncolumn = \"x\"\n[[dp.queries]]\nkind = \"fairness\"\nkeys = [\"a\"]\n\
                [[dp.queries]]\nkind = \"sum\"\ncolumn = \"x\"\nlower = -5\nupper = 5\ndecimals = 2\n";
    let csv = counts_csv(50);
    let mut raw = RawSpec::from_toml(toml).unwrap();
    raw.mode = Mode::Dp;
    let preview = crate::spec::resolve(&raw, csv.as_bytes(), true).unwrap();
    let spec = ValidSpec::try_from_resolved(&preview.spec).unwrap();
    let mut run = crate::engine::run::Run::new(
        Arc::new(spec.clone()),
        split::RangePlan { start: 0, end: csv.len() as u64, exact_start: true },
    );
    run.feed(csv.as_bytes()).unwrap();
    run.finish_input().unwrap();
    let state = run.into_state().unwrap();
    let bytes = state.encode(&spec).unwrap();
    assert_eq!(crate::engine::state::RunState::decode(&spec, &bytes).unwrap(), state);
}

#[test]
fn zcdp_histogram_noise_has_the_charged_variance() {
    // ρ = 0.02 over one histogram, Δ₂ = 1: σ² = 1/(2ρ) = 25. The discrete Gaussian's
    // variance is below σ² by less than 1e-100 here (CKS20 Cor. 9), so ≈ 25.
    let toml = "[dp]\nmeasure = \"zcdp\"\nrho = 0.02\n[[dp.queries]]\nkind = \"histogram\"\ncolumn = \"g\"\nkeys = [\"a\", \"b\"]\n";
    let (spec, plan) = dp_run(&counts_csv(300), toml, 2);
    let exact = [100i128, 100, 100, 0];
    let (mut sum_sq, mut n) = (0f64, 0u64);
    with_seeded_rng(11, || {
        for _ in 0..3000 {
            let s = plan.clone().release(&spec, &ReleaseMeta::default()).unwrap();
            let ReleaseResult::Histogram { cells } = &s.releases[0].result else { panic!() };
            for (c, e) in cells.iter().zip(exact) {
                sum_sq += ((i128::from(c.noisy.unwrap()) - e) as f64).powi(2);
                n += 1;
            }
        }
    });
    // 12,000 draws: the sample variance has a relative sd of √(2/n) ≈ 1.3 %.
    let measured = sum_sq / n as f64;
    assert!((measured / 25.0 - 1.0).abs() < 0.07, "variance {measured}, expected 25");
    let c = &plan.clone().release(&spec, &ReleaseMeta::default()).unwrap().releases[0].components[0];
    assert_eq!(c.mechanism, "discrete_gaussian");
    assert_eq!(c.scale, Rational::from(25));
    assert!(c.implied_epsilon.is_some());
}

#[test]
fn fairness_intervals_cover_the_exact_values() {
    // Group a: 400 rows, selection 0.5, TPR 0.75, FPR 0.25 (200 positives);
    // group b: 200 rows, selection 0.25, TPR 0.5, FPR 0.0 (100 positives).
    let mut csv = String::from("g,y,p\n");
    let mut rows = |g: &str, y: u8, p: u8, n: usize| (0..n).for_each(|_| csv.push_str(&format!("{g},{y},{p}\n")));
    rows("a", 1, 1, 150);
    rows("a", 1, 0, 50);
    rows("a", 0, 1, 50);
    rows("a", 0, 0, 150);
    rows("b", 1, 1, 50);
    rows("b", 1, 0, 50);
    rows("b", 0, 0, 100);
    let toml = "[bias]\nprotected = [\"g\"]\nlabel = \"y\"\npositive_label = \"1\"\nprediction = \"p\"\npositive_prediction = \"1\"\n\
                [dp]\nepsilon = 0.5\n[[dp.queries]]\nkind = \"fairness\"\nkeys = [\"a\", \"b\"]\nreference_group = \"a\"\n";
    let (spec, plan) = dp_run(&csv, toml, 2);
    let inside =
        |e: &Estimate, x: f64| e.lower.is_none_or(|l| l <= x + 1e-12) && e.upper.is_none_or(|u| x <= u + 1e-12);
    let (mut misses, mut statements) = ([0u32; 5], 0u32);
    with_seeded_rng(5, || {
        for _ in 0..400 {
            let s = plan.clone().release(&spec, &ReleaseMeta::default()).unwrap();
            let ReleaseResult::Fairness { groups, disparities, between_groups, four_fifths, .. } =
                &s.releases[0].result
            else {
                panic!()
            };
            statements += 1;
            let (a, b) = (&groups[0], &groups[1]);
            let rates_ok = inside(&a.selection_rate, 0.5)
                && inside(&a.true_positive_rate, 0.75)
                && inside(&b.selection_rate, 0.25)
                && inside(&b.false_positive_rate, 0.0);
            misses[0] += u32::from(!rates_ok);
            let sel = disparities.iter().find(|d| d.metric == "selection_rate").unwrap();
            misses[1] += u32::from(!(inside(&sel.ratio, 0.5) && inside(&sel.difference, -0.25)));
            let dp = between_groups.iter().find(|b| b.metric == "selection_rate").unwrap();
            misses[2] += u32::from(!(inside(&dp.difference, 0.25) && inside(dp.ratio.as_ref().unwrap(), 0.5)));
            let eo = between_groups.iter().find(|b| b.metric == "equalized_odds").unwrap();
            misses[3] += u32::from(!inside(&eo.difference, 0.25));
            // Four-fifths: b's favourable rate 0.25 ÷ the highest (a's 0.5) = 0.5; a's = 1.
            let ff = |g: &str| four_fifths.iter().find(|f| f.group == g).unwrap();
            misses[4] += u32::from(!(inside(&ff("b").impact_ratio, 0.5) && inside(&ff("a").impact_ratio, 1.0)));
            assert_ne!(ff("b").verdict, "not_below", "{:?}", ff("b"));
        }
    });
    // Each statement (or small family) holds with probability ≥ 95 %; the union bound
    // makes misses rarer still. 400 trials: ≥ 40 misses would be a 4-sd excess over 20.
    assert!(misses.iter().all(|&m| m < 40), "misses {misses:?} of {statements}");
}

#[test]
fn four_fifths_is_about_the_favourable_decision() {
    // Group a: selection 0.5; group b: selection 0.25. When the positive prediction is
    // unfavourable (say "high risk"), the favourable rates are 0.5 and 0.75: now a is the
    // group below four-fifths (0.5 / 0.75 = 0.67), not b.
    let mut csv = String::from("g,y,p\n");
    let mut rows = |g: &str, p: u8, n: usize| (0..n).for_each(|i| csv.push_str(&format!("{g},{},{p}\n", i % 2)));
    rows("a", 1, 2000);
    rows("a", 0, 2000);
    rows("b", 1, 1000);
    rows("b", 0, 3000);
    let toml = |favourable: bool| {
        format!(
            "[bias]\nprotected = [\"g\"]\nlabel = \"y\"\npositive_label = \"1\"\nprediction = \"p\"\npositive_prediction = \"1\"\n\
             positive_is_favourable = {favourable}\n[dp]\nepsilon = 20.0\n[[dp.queries]]\nkind = \"fairness\"\nkeys = [\"a\", \"b\"]\n"
        )
    };
    for (favourable, below, ratio) in [(true, "b", 0.5), (false, "a", 0.5 / 0.75)] {
        let (spec, plan) = dp_run(&csv, &toml(favourable), 2);
        let s = with_seeded_rng(9, || plan.release(&spec, &ReleaseMeta::default()).unwrap());
        let ReleaseResult::Fairness { four_fifths, positive_is_favourable, .. } = &s.releases[0].result else {
            panic!()
        };
        assert_eq!(*positive_is_favourable, favourable);
        let verdicts: Vec<(&str, &str)> = four_fifths.iter().map(|f| (f.group.as_str(), f.verdict.as_str())).collect();
        let other = if below == "a" { "b" } else { "a" };
        assert_eq!(verdicts.iter().find(|v| v.0 == below).unwrap().1, "below", "{verdicts:?}");
        assert_eq!(verdicts.iter().find(|v| v.0 == other).unwrap().1, "not_below", "{verdicts:?}");
        let r = &four_fifths.iter().find(|f| f.group == below).unwrap().impact_ratio;
        assert!(r.lower.unwrap() <= ratio && ratio <= r.upper.unwrap() && r.upper.unwrap() < 0.8, "{r:?}");
    }
}

/// A `categories` release over a boolean column spelled `yes`/`no` names the kept values
/// as the file spells them (cells are keyed `true`/`false`; before, the release said so).
#[test]
fn categories_of_a_boolean_column_use_the_files_words() {
    let mut csv = String::from("member,x\n");
    for i in 0..3_000 {
        csv.push_str(&format!("{},{}\n", if i % 3 == 0 { "yes" } else { "no" }, i % 7));
    }
    let toml = "[dp]\nepsilon = 2.0\n[[dp.queries]]\nkind = \"categories\"\ncolumn = \"member\"\n";
    let (spec, plan) = dp_run(&csv, toml, 2);
    assert_eq!(spec.columns[0].ty, crate::ingest::value::ColumnType::Boolean, "the sample reads as boolean");
    let summary = with_seeded_rng(5, || plan.release(&spec, &ReleaseMeta::default()).unwrap());
    let ReleaseResult::Categories { kept, .. } = &summary.releases[0].result else {
        panic!("not a categories release: {:?}", summary.releases[0].result);
    };
    let mut names: Vec<&str> = kept.iter().filter_map(|k| k.key.as_deref()).collect();
    names.sort_unstable();
    assert_eq!(names, ["no", "yes"], "1,000 yes and 2,000 no pass any threshold at ε = 2");
}
