//! The release: exact tables in, the DP summary out. This is the only place noise is
//! drawn, once per cell, after the final merge of every worker's state.
//!
//! Order of events: the public plan ([`crate::dp::query::plan`]) fixes each query's
//! share, scale and accuracy; each query is charged to a fresh [`Ledger`] *before* its
//! noise is drawn (a release that does not fit is refused); then every cell of the exact
//! table gets independent noise of exactly the charged scale; then post-processing
//! ([`crate::dp::derive`]) turns noisy integers into estimates and intervals.

#[cfg(test)]
use crate::math::Portable;
use num_traits::ToPrimitive;

use crate::dp::collect::{Exact, Table};
use crate::dp::derive;
use crate::dp::query::{plan, Component, QueryPlan};
use crate::dp::sampler::{sample_discrete_gaussian, sample_discrete_laplace};
use crate::dp::summary::*;
use crate::dp::{DpError, Ledger};
use crate::error::{Error, Result};
use crate::spec::{DpQuery, DpSpec, Prediction, ValidSpec};

/// One draw of the component's noise.
fn noise(c: &Component) -> std::result::Result<i128, DpError> {
    let z = if c.mechanism == "discrete_gaussian" {
        sample_discrete_gaussian(&c.scale)?
    } else {
        sample_discrete_laplace(&c.scale)?
    };
    z.to_i128().ok_or(DpError::Numerical { what: "the noise" })
}

fn noisy_cells(exact: &[u64], c: &Component) -> std::result::Result<Vec<i128>, DpError> {
    exact.iter().map(|&x| Ok(i128::from(x) + noise(c)?)).collect()
}

/// What the caller knows about the input besides its bytes.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReleaseMeta {
    /// SHA-256 of the input (used only with `dp.include_sha256`).
    pub sha256: Option<String>,
    /// Release time (ISO 8601).
    pub created_at: Option<String>,
}

/// Releases the summary of `spec`'s `[dp]` section from the exact tables.
///
/// # Errors
/// When the spec has no `[dp]` section, a parameter is out of range, the budget does not
/// cover a query, or the CSPRNG fails. Nothing is released on error.
pub fn release(spec: &ValidSpec, exact: Exact<Vec<Table>>, meta: &ReleaseMeta) -> Result<DpSummary> {
    let dp = spec.dp.as_ref().ok_or_else(|| Error::spec("dp", "the spec has no [dp] section"))?;
    let tables = exact.into_inner();
    let public = plan(dp, &spec.columns)?;
    let mut ledger = Ledger::new(public.total.clone());
    let mut releases = Vec::with_capacity(dp.queries.len());
    for (((q, _), qp), table) in dp.queries.iter().zip(&public.queries).zip(&tables) {
        ledger.spend(qp.label.clone(), qp.loss.clone())?;
        let result = release_one(dp, q, qp, table)?;
        releases.push(Release {
            index: qp.index,
            kind: qp.kind,
            label: qp.label.clone(),
            parameters: parameters(spec, q),
            loss: qp.loss.clone(),
            components: qp.components.clone(),
            result,
        });
    }
    let name = |c: usize| spec.columns[c].name.clone();
    let mut columns_used: Vec<String> = Vec::new();
    let mut use_col = |c: usize| {
        if !columns_used.contains(&name(c)) {
            columns_used.push(name(c));
        }
    };
    dp.person_column.into_iter().for_each(&mut use_col);
    for (q, _) in &dp.queries {
        match q {
            DpQuery::Count => {}
            DpQuery::Histogram { column, .. }
            | DpQuery::Sum { column, .. }
            | DpQuery::Quantiles { column, .. }
            | DpQuery::Categories { column } => use_col(*column),
            DpQuery::Fairness { protected, label, prediction, .. } => {
                use_col(*protected);
                use_col(*label);
                match prediction {
                    Prediction::Column { column, .. } | Prediction::Score { column, .. } => use_col(*column),
                }
            }
        }
    }
    let c = dp.max_rows_per_person;
    let unit = match dp.person_column {
        None => "one row is one person: the guarantee covers adding or removing any one row".to_string(),
        Some(p) => format!(
            "one person is all rows with the same `{}`, at most {c} of them kept (chosen at random): \
             the guarantee covers adding or removing any one person",
            name(p)
        ),
    };
    Ok(DpSummary {
        schema: DP_SCHEMA,
        tool: format!("privaudit {}", crate::report::build::VERSION),
        created_at: meta.created_at.clone(),
        dataset: DatasetBlock {
            description: dp.dataset.clone(),
            sha256: if dp.include_sha256 { meta.sha256.clone() } else { None },
            columns_used,
        },
        privacy: PrivacyBlock {
            measure: dp.measure,
            unit,
            person_column: dp.person_column.map(name),
            max_rows_per_person: c,
            total: public.total.clone(),
            epsilon: public.epsilon,
            delta: public.delta,
            alpha: dp.alpha,
            min_noisy_count: dp.min_noisy_count,
            ledger: ledger.entries().to_vec(),
        },
        reveals: reveals(dp, &public.queries),
        does_not_reveal: does_not_reveal(dp),
        notes: notes(dp),
        releases,
    })
}

fn parameters(spec: &ValidSpec, q: &DpQuery) -> Parameters {
    let name = |c: &usize| Some(spec.columns[*c].name.clone());
    match q {
        DpQuery::Count => Parameters::default(),
        DpQuery::Histogram { column, keys } => {
            Parameters { column: name(column), keys: Some(keys.clone()), ..Default::default() }
        }
        DpQuery::Sum { column, lower_units, upper_units, decimals, .. } => {
            let unit = 10f64.powi(*decimals as i32);
            Parameters {
                column: name(column),
                bounds: Some([*lower_units as f64 / unit, *upper_units as f64 / unit]),
                decimals: Some(*decimals),
                ..Default::default()
            }
        }
        DpQuery::Quantiles { column, lower, upper, bins, probabilities } => Parameters {
            column: name(column),
            bounds: Some([*lower, *upper]),
            bins: Some(*bins),
            probabilities: Some(probabilities.clone()),
            ..Default::default()
        },
        DpQuery::Categories { column } => Parameters { column: name(column), ..Default::default() },
        DpQuery::Fairness { protected, groups, label, positive_label, prediction, .. } => {
            let prediction = match prediction {
                Prediction::Column { column, positive } => {
                    format!("{} = {positive}", spec.columns[*column].name)
                }
                Prediction::Score { column, threshold, strict } => {
                    format!("{} {} {threshold}", spec.columns[*column].name, if *strict { ">" } else { ">=" })
                }
            };
            Parameters {
                column: name(protected),
                keys: Some(groups.clone()),
                label: Some(format!("{} = {positive_label}", spec.columns[*label].name)),
                prediction: Some(prediction),
                ..Default::default()
            }
        }
    }
}

fn release_one(dp: &DpSpec, q: &DpQuery, qp: &QueryPlan, table: &Table) -> Result<ReleaseResult> {
    let comp = &qp.components[0];
    let h = u128::from(comp.half_width);
    let min = dp.min_noisy_count;
    let mismatch = || Error::state("the exact tables do not match the [dp] queries");
    Ok(match (q, table) {
        (DpQuery::Count, Table::Count(n)) => {
            let noisy = i128::from(*n) + noise(comp)?;
            ReleaseResult::Count { count: derive::count(None, noisy, h, min) }
        }
        (DpQuery::Histogram { keys, .. }, Table::Cells(cells)) => {
            let noisy = noisy_cells(cells, comp)?;
            let names = keys.iter().cloned().chain(["(other)".to_string(), "(missing)".to_string()]);
            ReleaseResult::Histogram {
                cells: names.zip(noisy).map(|(k, v)| derive::count(Some(k), v, h, min)).collect(),
            }
        }
        (DpQuery::Sum { lower_units, upper_units, decimals, mean, .. }, Table::Sum { units, count }) => {
            let unit = 10f64.powi(*decimals as i32);
            let noisy_sum = units + noise(comp)?;
            if !mean {
                ReleaseResult::Sum { sum: derive::sum(noisy_sum, h, unit) }
            } else {
                let cc = &qp.components[1];
                let noisy_count = i128::from(*count) + noise(cc)?;
                // The mean's interval uses both components at α/2 each.
                let hs = derive::half_width(comp, dp.alpha / 2.0)?;
                let hc = derive::half_width(cc, dp.alpha / 2.0)?;
                let bounds = [*lower_units as f64 / unit, *upper_units as f64 / unit];
                ReleaseResult::Mean {
                    sum: derive::sum(noisy_sum, h, unit),
                    count: derive::count(None, noisy_count, u128::from(cc.half_width), min),
                    mean: derive::mean(noisy_sum, hs, noisy_count, hc, unit, bounds),
                }
            }
        }
        (DpQuery::Quantiles { lower, upper, bins, probabilities, .. }, Table::Cells(cells)) => {
            let noisy = noisy_cells(cells, comp)?;
            let hsim = u128::from(comp.simultaneous_half_width.unwrap_or(comp.half_width));
            let width = (upper - lower) / f64::from(*bins);
            let bins_out = noisy
                .iter()
                .enumerate()
                .map(|(j, &v)| {
                    let key = format!("[{}, {})", lower + width * j as f64, lower + width * (j + 1) as f64);
                    derive::count(Some(key), v, h, min)
                })
                .collect();
            ReleaseResult::Quantiles {
                bins: bins_out,
                estimates: derive::quantiles(&noisy, hsim, *lower, *upper, probabilities),
            }
        }
        (DpQuery::Categories { .. }, Table::Categories(map)) => {
            let tau = comp.threshold.ok_or_else(mismatch)?;
            let mut kept = Vec::new();
            for (value, n) in map {
                let noisy = i128::from(*n) + noise(comp)?;
                if noisy >= tau as i128 {
                    kept.push(derive::count(Some(value.clone()), noisy, h, min));
                }
            }
            kept.sort_by(|a, b| b.noisy.cmp(&a.noisy).then_with(|| a.key.cmp(&b.key)));
            ReleaseResult::Categories { threshold: tau, kept }
        }
        (DpQuery::Fairness { groups, reference_group, positive_is_favourable, .. }, Table::Cells(cells)) => {
            let noisy = noisy_cells(cells, comp)?;
            crate::dp::fairness::summarise(
                dp,
                comp,
                groups,
                reference_group.as_deref(),
                *positive_is_favourable,
                &noisy,
            )?
        }
        _ => return Err(mismatch()),
    })
}

fn reveals(dp: &DpSpec, plans: &[QueryPlan]) -> Vec<String> {
    let pct = (1.0 - dp.alpha) * 100.0;
    let mut v: Vec<String> = plans
        .iter()
        .map(|p| {
            let parts: Vec<String> = p.components.iter().map(|c| format!("{} ±{}", c.what, c.half_width)).collect();
            format!(
                "{}: noisy values, each within the stated ± of the exact value with {pct:.0} % probability ({})",
                p.label,
                parts.join(", ")
            )
        })
        .collect();
    v.push(
        "The public parameters: the columns named, the declared keys, groups, bounds and bins, and the budget.".into(),
    );
    if dp.queries.iter().any(|(q, _)| matches!(q, DpQuery::Categories { .. })) {
        v.push(
            "Values of a `categories` column that enough people share to pass the noisy threshold (partition \
             selection); a value held by one person appears with probability at most δ."
                .into(),
        );
    }
    v
}

fn does_not_reveal(dp: &DpSpec) -> Vec<String> {
    let mut v = vec![
        "Any single record, or whether any one person is in the data (up to the stated ε and δ).".to_string(),
        "The exact number of rows, or any exact count, sum, minimum, maximum or quantile.".into(),
        "Values of a histogram column that were not declared: they are pooled in `(other)`.".into(),
        "The number of rows dropped by contribution bounding or with missing values.".into(),
    ];
    if !dp.include_sha256 {
        v.push("The file's SHA-256 (the hash of a small file can be brute-forced; it is opt-in).".into());
    }
    v
}

fn notes(dp: &DpSpec) -> Vec<String> {
    vec![
        format!(
            "Intervals hold with probability ≥ {:.0} % each; a derived statement that uses several noisy cells \
             splits α equally between them (union bound).",
            (1.0 - dp.alpha) * 100.0
        ),
        "Intervals cover the DP noise only: they bound the exact value in this file, not a population value, and \
         they do not include the bias of clamping values to the public bounds."
            .into(),
        "Noise is drawn once per cell, after all parts of the file were merged; each cell gets integer noise from \
         exact samplers (Canonne, Kamath & Steinke 2020) and the operating system's CSPRNG."
            .into(),
        "Counts are clamped at 0, rates and ratios are computed from noisy counts, and suppression compares noisy \
         counts with the minimum: all post-processing, which costs no privacy."
            .into(),
    ]
}

#[cfg(test)]
mod tests {
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
            ReleaseResult::Count { count } => count.noisy.unwrap(),
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
                (0..N)
                    .map(|_| noisy_count(&plan.clone().release(&spec, &ReleaseMeta::default()).unwrap()) as i64)
                    .collect()
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
        let toml = "[dp]\nepsilon = 0.5\n[[dp.queries]]\nkind = \"histogram\"\ncolumn = \"g\"\nkeys = [\"a\", \"b\", \"zz\"]\n";
        let (spec, plan) = dp_run(&counts_csv(300), toml, 3);
        let exact = [100i128, 100, 0, 100, 0]; // a, b, zz, (other) = c, (missing)
        let (mut sum_sq, mut covered, mut n) = (0f64, 0u64, 0u64);
        with_seeded_rng(7, || {
            for _ in 0..4000 {
                let s = plan.clone().release(&spec, &ReleaseMeta::default()).unwrap();
                let ReleaseResult::Histogram { cells } = &s.releases[0].result else { panic!() };
                for (c, e) in cells.iter().zip(exact) {
                    let z = (c.noisy.unwrap() - e) as f64;
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
        // Half-width 6 at b = 2: P(|Z| ≤ 6) = 1 − 2q⁷/(1 + q) ≈ 0.9626.
        let coverage = covered as f64 / n as f64;
        assert!(coverage > 0.955 && coverage < 0.97, "coverage {coverage}");
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
                    sum_sq += ((c.noisy.unwrap() - e) as f64).powi(2);
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
        let (mut misses, mut statements) = ([0u32; 4], 0u32);
        with_seeded_rng(5, || {
            for _ in 0..400 {
                let s = plan.clone().release(&spec, &ReleaseMeta::default()).unwrap();
                let ReleaseResult::Fairness { groups, disparities, between_groups, .. } = &s.releases[0].result else {
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
            }
        });
        // Each statement (or small family) holds with probability ≥ 95 %; the union bound
        // makes misses rarer still. 400 trials: ≥ 40 misses would be a 4-sd excess over 20.
        assert!(misses.iter().all(|&m| m < 40), "misses {misses:?} of {statements}");
    }
}
