//! The verifier on genuine summaries of every kind (they must pass) and on a few tampered
//! ones (the command-line tests in `tests/verify.rs` tamper every claim).

use super::*;
use crate::dp::release::tests::dp_run;
use crate::dp::rng::test_rng::with_seeded_rng;
use crate::dp::ReleaseMeta;

fn csv() -> String {
    let mut s = String::from("person,city,x,y,p\n");
    for i in 0..3000 {
        let city = ["Leeds", "York", "Hull", "Ely"][i % 4];
        s.push_str(&format!("p{},{city},{},{},{}\n", i / 2, (i * 37) % 500, i % 3 == 0, (i * 7) % 5 < 2));
    }
    s
}

const QUERIES: &str = "[[dp.queries]]\nkind = \"count\"\n\
[[dp.queries]]\nkind = \"histogram\"\ncolumn = \"city\"\nkeys = [\"Leeds\", \"York\"]\n\
[[dp.queries]]\nkind = \"sum\"\ncolumn = \"x\"\nlower = -10\nupper = 600\ndecimals = 1\n\
[[dp.queries]]\nkind = \"mean\"\ncolumn = \"x\"\nlower = 0\nupper = 500\n\
[[dp.queries]]\nkind = \"quantiles\"\ncolumn = \"x\"\nlower = 0\nupper = 500\nbins = 10\n\
[[dp.queries]]\nkind = \"fairness\"\nkeys = [\"Leeds\", \"York\", \"Hull\"]\nweight = 2\n";

const BIAS: &str = "[bias]\nprotected = [\"city\"]\nlabel = \"y\"\npositive_label = \"true\"\nprediction = \"p\"\npositive_prediction = \"true\"\n";

fn summary(toml: &str, seed: u64) -> String {
    let (spec, plan) = dp_run(&csv(), toml, 2);
    with_seeded_rng(seed, || plan.release(&spec, &ReleaseMeta::default()).unwrap()).to_json()
}

#[test]
fn genuine_summaries_of_every_kind_are_consistent() {
    let cases = [
        format!("{BIAS}[dp]\nepsilon = 1.5\n{QUERIES}[[dp.queries]]\nkind = \"categories\"\ncolumn = \"city\"\n"),
        format!("{BIAS}[dp]\nmeasure = \"zcdp\"\nrho = 0.3\ndelta = 1e-6\n{QUERIES}"),
        format!("{BIAS}[dp]\nepsilon = 0.2\nmin_noisy_count = 200\n{QUERIES}"),
        format!(
            "{BIAS}[dp]\nepsilon = 30.0\nperson_column = \"person\"\nmax_rows_per_person = 2\nalpha = 0.1\n{QUERIES}"
        ),
    ];
    for (k, toml) in cases.iter().enumerate() {
        let text = summary(toml, k as u64);
        let v = verify(&text).unwrap();
        assert!(v.consistent, "case {k}: {:#?}", v.failures);
        assert!(v.claims_checked > 200, "case {k}: only {} claims", v.claims_checked);
        if k == 2 {
            assert!(!v.skipped.is_empty(), "suppressed cells hide noisy values");
        } else {
            assert!(v.skipped.is_empty(), "case {k}: {:?}", v.skipped);
        }
    }
}

fn tampered(text: &str, edit: impl FnOnce(&mut Value)) -> Verdict {
    let mut v: Value = serde_json::from_str(text).unwrap();
    edit(&mut v);
    verify(&v.to_string()).unwrap()
}

#[test]
fn one_wrong_number_is_reported_once_with_the_expected_value() {
    let text = summary(&format!("{BIAS}[dp]\nepsilon = 1.0\n{QUERIES}"), 7);
    // The histogram's scale is 7 (ε = 1/7 over Δ = 1); say 3 instead.
    let v = tampered(&text, |v| v["releases"][1]["components"][0]["scale"] = "3".into());
    assert_eq!(v.failures.len(), 1, "{:#?}", v.failures);
    let f = &v.failures[0];
    assert_eq!((f.claim.as_str(), f.stated.as_str(), f.expected.as_str()), ("scale", "3", "7"));
    assert_eq!(
        f.to_string(),
        "release 2 (histogram of city), part 1 (counts per key): scale claim fails: the noise scale is 3, but Δ₁/ε = 1 / (1/7) gives 7"
    );
    // A fairness rate moved by a hundredth.
    let v = tampered(&text, |v| {
        let r = &mut v["releases"][5]["result"]["groups"][0]["selection_rate"]["value"];
        *r = (r.as_f64().unwrap() + 0.01).into();
    });
    assert_eq!(v.failures.len(), 1, "{:#?}", v.failures);
    assert_eq!(v.failures[0].claim, "derived value");
    assert!(v.failures[0].message.starts_with("groups › `Leeds` › selection_rate › value is"), "{}", v.failures[0]);
    // A four-fifths verdict turned round.
    let v = tampered(&text, |v| {
        let f = &mut v["releases"][5]["result"]["four_fifths"][0]["verdict"];
        *f = if f == "below" { "not_below".into() } else { "below".into() };
    });
    assert_eq!(v.failures.iter().map(|f| f.claim.as_str()).collect::<Vec<_>>(), ["four-fifths"]);
}

#[test]
fn other_documents_are_unreadable() {
    assert!(verify("not json").unwrap_err().0.starts_with("this is not JSON"));
    assert!(verify("{\"schema\": \"privaudit.report/1\"}").unwrap_err().0.contains("not a DP summary"));
    assert!(verify("[1, 2]").is_err());
}

#[test]
fn a_summary_reads_back() {
    let text = summary(
        &format!("{BIAS}[dp]\nepsilon = 1.0\n{QUERIES}[[dp.queries]]\nkind = \"categories\"\ncolumn = \"city\"\n"),
        3,
    );
    let back: Result<crate::dp::DpSummary, _> = serde_json::from_str(&text);
    assert_eq!(back.map(|s| s.to_json()).map_err(|e| e.to_string()), Ok(text));
}
