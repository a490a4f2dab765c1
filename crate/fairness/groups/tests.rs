//! The bias counts read by code equal the counts read cell by cell, whatever the
//! dictionaries: several batches, a tiny cap (most values uncoded), a decoded state; and
//! the whole sample's score counts summed from the cube's cells equal row-by-row counting.

use super::GroupCountsAcc;
use crate::fairness::scores::ScoresAcc;
use crate::ingest::batch::Batch;
use crate::ingest::dict::MAX_CODES;
use crate::spec::{resolve, RawSpec, ValidSpec};
use proptest::prelude::*;

fn fixture() -> (ValidSpec, Vec<Vec<String>>) {
    let mut csv = String::from("race,sex,label,decision,score,income,zip\n");
    let mut rows = Vec::new();
    for i in 0..600u32 {
        let race = ["A", "B", "C", "D", "", "E"][(i * 7 % 6) as usize];
        let sex = ["F", "M", "X"][(i % 3) as usize];
        let label = if i % 11 == 0 { "NA".to_string() } else { (i % 2).to_string() };
        let decision = ["yes", "no", "no", "?"][(i * 5 % 4) as usize];
        let score = format!("{}", f64::from(i % 37) / 36.0);
        let income = format!("{}.5", i % 53);
        let zip = format!("Z{}", i * 13 % 41);
        csv.push_str(&format!("{race},{sex},{label},{decision},{score},{income},{zip}\n"));
        rows.push(vec![race.into(), sex.into(), label, decision.into(), score, income, zip]);
    }
    let raw = RawSpec::from_json(
        r#"{"bias": {"protected": ["race", "sex"], "label": "label", "positive_label": "1",
            "prediction": "decision", "positive_prediction": "yes", "score": "score"}}"#,
    )
    .unwrap();
    let preview = resolve(&raw, csv.as_bytes(), true).unwrap();
    (ValidSpec::try_from_resolved(&preview.spec).unwrap(), rows)
}

/// Counts `rows` in batches of `size` rows: through one reused batch (dictionaries kept
/// from batch to batch, as in the decoder; `cap` codes per column), or with `fresh`
/// dictionaries in every batch.
fn count(spec: &ValidSpec, rows: &[Vec<String>], size: usize, cap: usize, fresh: bool) -> GroupCountsAcc {
    let mut acc = GroupCountsAcc::new(spec.bias.as_ref().unwrap());
    let mut b = Batch::new(spec.columns.len());
    b.limit_codes(cap);
    for chunk in rows.chunks(size) {
        let refs: Vec<Vec<&str>> = chunk.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
        if fresh {
            acc.update(&Batch::from_rows(spec, &slices));
        } else {
            b.clear();
            b.push_rows(spec, &slices);
            acc.update(&b);
        }
    }
    acc
}

/// What the report reads: the finished breakdowns, and (after `close`, as the engine's
/// states are) the score and proxy counts.
fn report(acc: &GroupCountsAcc) -> String {
    let finished = acc.finish();
    let mut acc = acc.clone();
    acc.close();
    assert_eq!(acc.finish(), finished, "finish reads a closed copy");
    let proxies =
        acc.proxies.as_ref().map(|p| crate::fairness::proxy_stats::associations(p, &|c| format!("c{c}"), 0.3));
    format!("{:?}\n{:?}\n{:?}", finished, acc.scores.as_ref().map(|s| s.finish()), proxies)
}

#[test]
fn codes_uncoded_values_and_decoded_states_count_alike() {
    let (spec, rows) = fixture();
    let max = MAX_CODES;
    let whole = count(&spec, &rows, 600, max, true);
    assert!(whole.breakdowns.iter().all(|b| !b.overflow));
    let want = report(&whole);
    assert!(want.contains("\"E\"") && want.contains("CramersV"), "{want}");
    assert_eq!(report(&count(&spec, &rows, 97, max, false)), want, "one batch buffer");
    assert_eq!(report(&count(&spec, &rows, 97, max, true)), want, "new dictionaries per batch");
    assert_eq!(report(&count(&spec, &rows, 97, 2, false)), want, "2 codes per column");
    // A state decoded halfway (empty caches) goes on counting the same.
    let mut half = count(&spec, &rows[..300], 150, max, false);
    half = postcard::from_bytes(&postcard::to_stdvec(&half).unwrap()).unwrap();
    let rest = count(&spec, &rows[300..], 150, max, false);
    let refs: Vec<Vec<&str>> = rows[300..].iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    half.update(&Batch::from_rows(&spec, &slices));
    assert_eq!(report(&half), want, "decoded state");
    let mut merged = count(&spec, &rows[..300], 150, 2, false);
    merged.merge(rest);
    assert_eq!(report(&merged), want, "merged");
}

#[test]
fn a_range_with_too_many_cells_counts_the_breakdowns_directly() {
    // 100 × 60 combinations: more cells than the cube keeps, an intersection past its cap,
    // and single attributes well within theirs.
    let mut csv = String::from("a,b,label,decision,score\n");
    let mut rows = Vec::new();
    for i in 0..6000u32 {
        let r = [
            format!("a{}", i % 100),
            format!("b{}", (i / 100) % 60),
            (i % 2).to_string(),
            ["yes", "no"][(i / 3 % 2) as usize].into(),
            format!("0.{}", i % 7),
        ];
        csv.push_str(&format!("{}\n", r.join(",")));
        rows.push(r.to_vec());
    }
    let raw = RawSpec::from_json(
        r#"{"bias": {"protected": ["a", "b"], "label": "label", "positive_label": "1",
            "prediction": "decision", "positive_prediction": "yes", "score": "score", "proxies": false}}"#,
    )
    .unwrap();
    let spec = ValidSpec::try_from_resolved(&resolve(&raw, csv.as_bytes(), true).unwrap().spec).unwrap();
    let mut acc = count(&spec, &rows, 700, MAX_CODES, false);
    assert!(acc.cube.0.off, "the cube gave up");
    acc.close();
    let fin = acc.finish();
    let expected = |col: usize| {
        let mut m: std::collections::BTreeMap<String, crate::fairness::counts::Confusion> = Default::default();
        for r in &rows {
            m.entry(r[col].clone()).or_default().add_row(r[2] == "1", r[3] == "yes");
        }
        m.into_iter().map(|(k, c)| (crate::fairness::counts::GroupKey::known(&[k]), c)).collect::<Vec<_>>()
    };
    assert_eq!(fin[0].2, expected(0));
    assert_eq!(fin[1].2, expected(1));
    assert!(fin[2].1 && fin[2].2.is_empty(), "the intersection is past its cap");
    let scores = acc.scores.as_ref().unwrap().finish();
    assert_eq!(scores.breakdowns[0].1.len(), 100);
    assert_eq!(scores.breakdowns[1].1.len(), 60);
    let n: u64 = scores.breakdowns[1].1.iter().flat_map(|g| g.1.iter()).map(|b| b.positives + b.negatives).sum();
    assert_eq!(n, 6000);
}

/// Counts `rows` split into ranges at `cuts` (each range in batches of `size` rows through
/// one batch buffer; `cube`: the cube on, coding that many values per column, or off),
/// merged in order and closed; score counts capped at `cap`.
fn ranges(
    spec: &ValidSpec,
    rows: &[Vec<String>],
    cap: usize,
    size: usize,
    cuts: &[usize],
    cube: Option<usize>,
) -> GroupCountsAcc {
    let mut bounds: Vec<usize> = cuts.iter().map(|&c| c.min(rows.len())).collect();
    bounds.push(0);
    bounds.push(rows.len());
    bounds.sort_unstable();
    let mut out: Option<GroupCountsAcc> = None;
    for w in bounds.windows(2) {
        let mut acc = GroupCountsAcc::new(spec.bias.as_ref().unwrap());
        acc.scores = Some(Box::new(ScoresAcc::with_cap(acc.breakdowns.len(), cap)));
        acc.cube.0.off = cube.is_none();
        let mut b = Batch::new(spec.columns.len());
        b.limit_codes(cube.unwrap_or(MAX_CODES));
        for chunk in rows[w[0]..w[1]].chunks(size.max(1)) {
            let refs: Vec<Vec<&str>> = chunk.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            b.clear();
            b.push_rows(spec, &slices);
            acc.update(&b);
        }
        match out.as_mut() {
            Some(o) => o.merge(acc),
            None => out = Some(acc),
        }
    }
    let mut acc = out.unwrap();
    acc.close();
    acc
}

/// Score counts summed from the cube's cells equal row-by-row counting (cube off), and
/// the rows left out (missing, infinite) alike.
fn same_scores(spec: &ValidSpec, rows: &[Vec<String>], cap: usize, size: usize, cuts: &[usize], codes: usize) -> usize {
    let want = ranges(spec, rows, cap, 1 + size % 7, &[], None);
    let got = ranges(spec, rows, cap, size, cuts, Some(codes));
    let (w, g) = (want.scores.as_ref().unwrap(), got.scores.as_ref().unwrap());
    assert_eq!(g.finish(), w.finish());
    assert_eq!((g.missing_score, g.infinite_score), (w.missing_score, w.infinite_score));
    assert_eq!(report(&got), report(&want));
    g.level()
}

fn score_rows(scores: Vec<String>, seed: u32) -> Vec<Vec<String>> {
    scores
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let i = i as u32 ^ seed;
            let race = ["A", "B", "C", ""][(i * 7 % 4) as usize];
            let sex = ["F", "M", ""][(i / 3 % 3) as usize];
            let label = ["0", "1", "NA"][(i / 2 % 3) as usize];
            let decision = ["yes", "no", "?"][(i / 5 % 3) as usize];
            vec![race.into(), sex.into(), label.into(), decision.into(), s, "1.5".into(), "Z1".into()]
        })
        .collect()
}

#[test]
fn early_folds_keep_the_level_of_the_union() {
    let (spec, _) = fixture();
    // 3,000 distinct scores, cap 40: the cells fold many times within a range, the level
    // rises mid-range, and missing and infinite scores are counted apart.
    let scores: Vec<String> = (0..3000u32)
        .map(|i| match i % 97 {
            0 => "".into(),
            1 => "inf".into(),
            2 => "-inf".into(),
            3 => "NaN".into(),
            _ => format!("{}", f64::from(i * 7919 % 3001) / 3001.0 - 0.25),
        })
        .collect();
    let rows = score_rows(scores, 0);
    let level = same_scores(&spec, &rows, 40, 128, &[1000, 1700], MAX_CODES);
    assert_eq!(same_scores(&spec, &rows, 40, 128, &[1000], 50), level, "50 codes");
    assert!(level > 1, "binned: level {level}");
    // Memory: the cells never hold more than the cap's worth of keys plus one batch.
    let mut acc = GroupCountsAcc::new(spec.bias.as_ref().unwrap());
    acc.scores = Some(Box::new(ScoresAcc::with_cap(acc.breakdowns.len(), 40)));
    let mut folds = 0;
    for chunk in rows.chunks(128) {
        let refs: Vec<Vec<&str>> = chunk.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
        acc.update(&Batch::from_rows(&spec, &slices));
        assert!(!acc.cube.0.off && acc.cube.0.score_keys() <= 40 + 128, "{}", acc.cube.0.score_keys());
        folds += usize::from(acc.cube.0.score_keys() == 0);
    }
    assert!(folds > 3, "{folds} folds");
    let s = acc.scores.as_ref().unwrap();
    assert!(s.missing_score > 0 && s.infinite_score > 0);
    assert_eq!(same_scores(&spec, &rows, 100_000, 3000, &[], MAX_CODES), 0, "exact with the default cap");
}

fn score_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(&["", "NaN", "inf", "-inf", "-0", "0", "x"][..]).prop_map(str::to_string),
        10 => proptest::sample::select(&["0.25", "0.5", "0.75", "1", "-3"][..]).prop_map(str::to_string),
        10 => (-1e3..1e3f64).prop_map(|v| format!("{v}")),
    ]
}

proptest! {
    #[test]
    fn cube_score_counts_equal_row_by_row(
        scores in proptest::collection::vec(score_text(), 0..400),
        seed in 0u32..64,
        cap in prop_oneof![Just(1usize), 2usize..40, Just(100_000)],
        size in 1usize..90,
        cuts in proptest::collection::vec(0usize..400, 0..3),
        codes in prop_oneof![Just(3usize), Just(MAX_CODES)],
    ) {
        let (spec, _) = fixture();
        same_scores(&spec, &score_rows(scores, seed), cap, size, &cuts, codes);
    }
}
