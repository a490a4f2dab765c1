//! The shareable ledger: exact accounting against a cap, refusals with the numbers, the
//! JSON schema, and merging ledgers without counting a release twice.

use super::*;
use crate::dp::release::tests::dp_run;
use crate::dp::rng::test_rng::with_seeded_rng;
use crate::dp::ReleaseMeta;

const FILE: &str = "4c8d3e2f1a0b9c8d7e6f5a4b3c2d1e0f4c8d3e2f1a0b9c8d7e6f5a4b3c2d1e0f";

fn summary(budget: &str, seed: u64) -> (DpSummary, String) {
    let csv: String =
        std::iter::once("g\n".to_string()).chain((0..500).map(|i| format!("{}\n", ["a", "b"][i % 2]))).collect();
    let toml = format!(
        "[dp]\n{budget}\n[[dp.queries]]\nkind = \"count\"\n[[dp.queries]]\nkind = \"categories\"\ncolumn = \"g\"\n"
    );
    let toml = if budget.contains("rho") {
        toml.replace("[[dp.queries]]\nkind = \"categories\"\ncolumn = \"g\"\n", "")
    } else {
        toml
    };
    let (spec, plan) = dp_run(&csv, &toml, 1);
    let s = with_seeded_rng(seed, || plan.release(&spec, &ReleaseMeta::default()).unwrap());
    let json = s.to_json();
    (s, json)
}

fn decimal(x: f64) -> Rational {
    crate::spec::decimal_rational("cap", x).unwrap()
}

#[test]
fn the_cap_is_kept_exactly_and_refusals_give_the_numbers() {
    // 0.1 + 0.2 is exactly 0.3 here; in floating point it is 0.30000000000000004 > 0.3,
    // which would refuse the second release.
    let mut l = BudgetLedger::default();
    l.set_cap(FILE, DpMeasure::Pure, Some(decimal(0.3))).unwrap();
    let (a, a_json) = summary("epsilon = 0.1", 1);
    let (b, b_json) = summary("epsilon = 0.2", 2);
    l.record(FILE, None, &a, &a_json).unwrap();
    l.record(FILE, None, &b, &b_json).unwrap();
    let s = l.status(FILE, DpMeasure::Pure);
    assert_eq!(
        (s.spent.to_string(), s.remaining.clone().unwrap().to_string(), s.releases),
        ("3/10".into(), "0".into(), 2)
    );
    assert!(s.delta > 0.0, "category discoveries add their δ");
    let (c, c_json) = summary("epsilon = 0.1", 3);
    let e = l.record(FILE, None, &c, &c_json).unwrap_err();
    assert_eq!(
        e.to_string(),
        "refused: this summary needs ε = 0.1 but the ledger caps this file at ε = 0.3, of which ε = 0.3 is already \
         spent by 2 releases, leaving ε = 0; lower the summary's ε to at most the remainder, or raise the cap if you \
         accept the weaker guarantee"
    );
    assert_eq!(l.status(FILE, DpMeasure::Pure).releases, 2, "nothing recorded on refusal");
    // The same summary cannot be counted twice.
    l.set_cap(FILE, DpMeasure::Pure, None).unwrap();
    assert!(l.record(FILE, None, &a, &a_json).unwrap_err().to_string().contains("already in the ledger"));
    // Never the file's name unless given.
    assert!(!l.to_json().contains("file_name"));
    l.record(FILE, Some("loans.csv"), &c, &c_json).unwrap();
    assert!(l.to_json().contains("\"file_name\": \"loans.csv\""));
}

#[test]
fn rho_budgets_take_pure_summaries_without_delta_only() {
    let mut l = BudgetLedger::default();
    l.set_cap(FILE, DpMeasure::Zcdp, Some(decimal(1.0))).unwrap();
    let (z, z_json) = summary("measure = \"zcdp\"\nrho = 0.5", 1);
    l.record(FILE, None, &z, &z_json).unwrap();
    // A pure summary with a category discovery has δ > 0: not chargeable in ρ.
    let (p, p_json) = summary("epsilon = 0.5", 2);
    assert!(l.record(FILE, None, &p, &p_json).unwrap_err().to_string().contains("keep this file's budget in ε"));
    // ρ = 0.5 spent of 1: a ρ = 0.6 summary is refused.
    let (big, big_json) = summary("measure = \"zcdp\"\nrho = 0.6", 3);
    assert!(matches!(l.record(FILE, None, &big, &big_json), Err(DpError::OverCap { .. })));
    let s = l.status(FILE, DpMeasure::Zcdp);
    assert_eq!(s.spent.to_string(), "1/2");
    assert_eq!(s.epsilon, crate::dp::accounting::zcdp_to_approx_dp(&decimal(0.5), z.privacy.delta).unwrap());
    // An ε cap on a ρ ledger is refused: its releases are in ρ.
    assert!(l.set_cap(FILE, DpMeasure::Pure, Some(decimal(1.0))).is_err());
}

#[test]
fn json_round_trip_and_tampering() {
    let mut l = BudgetLedger::default();
    let (a, a_json) = summary("epsilon = 1.0", 1);
    l.record(FILE, None, &a, &a_json).unwrap();
    let text = l.to_json();
    assert_eq!(BudgetLedger::from_json(&text).unwrap(), l);
    let cheaper = text.replace("\"charged\": \"1\"", "\"charged\": \"1/10\"");
    assert!(BudgetLedger::from_json(&cheaper).unwrap_err().to_string().contains("does not follow from its loss"));
    let other = text.replace(LEDGER_SCHEMA, "privaudit.dp-ledger/9");
    assert!(BudgetLedger::from_json(&other).is_err());
    assert!(BudgetLedger::from_json("{}").is_err());
}

#[test]
fn merging_counts_each_release_once_and_keeps_the_smaller_cap() {
    let (a, a_json) = summary("epsilon = 1.0", 1);
    let (b, b_json) = summary("epsilon = 0.5", 2);
    let mut page = BudgetLedger::default();
    page.set_cap(FILE, DpMeasure::Pure, Some(decimal(3.0))).unwrap();
    page.record(FILE, None, &a, &a_json).unwrap();
    let mut offline = BudgetLedger::default();
    offline.set_cap(FILE, DpMeasure::Pure, Some(decimal(2.0))).unwrap();
    offline.record(FILE, None, &a, &a_json).unwrap();
    offline.record(FILE, None, &b, &b_json).unwrap();
    let notes = page.merge(offline.clone()).unwrap();
    assert_eq!(notes[0], "1 release added");
    assert!(notes[1].contains("the smaller, 2, is kept"), "{notes:?}");
    let s = page.status(FILE, DpMeasure::Pure);
    assert_eq!((s.releases, s.spent.to_string(), s.cap.unwrap().to_string()), (2, "3/2".into(), "2".into()));
    // Importing again adds nothing.
    assert_eq!(page.merge(offline).unwrap()[0], "0 releases added");
    assert_eq!(page.status(FILE, DpMeasure::Pure).releases, 2);
    // Measures that disagree are refused whole.
    let mut rho = BudgetLedger::default();
    let (z, z_json) = summary("measure = \"zcdp\"\nrho = 0.5", 3);
    rho.record(FILE, None, &z, &z_json).unwrap();
    let before = page.clone();
    assert!(page.merge(rho).is_err());
    assert_eq!(page, before, "a refused import changes nothing");
}
