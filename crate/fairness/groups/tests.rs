//! The bias counts read by code equal the counts read cell by cell, whatever the
//! dictionaries: several batches, a tiny cap (most values uncoded), a decoded state.

use super::GroupCountsAcc;
use crate::ingest::batch::Batch;
use crate::spec::{resolve, RawSpec, ValidSpec};

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
    let max = crate::ingest::dict::MAX_CODES;
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
    let mut acc = count(&spec, &rows, 700, crate::ingest::dict::MAX_CODES, false);
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
