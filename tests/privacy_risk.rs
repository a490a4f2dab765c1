//! Re-identification risk (issue 16 items 2–4) through the whole engine: the worked
//! examples of `shared/PRIVACY_RISK.md` (§8.1, §9.2, §9.3), the gates, the memory cap and
//! the person check.

use privaudit::privacy::risk::RiskReport;
use privaudit::quality::checks::Status;
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;

fn audit(csv: &str, toml: &str, workers: usize) -> Report {
    let spec = RawSpec::from_toml(toml).unwrap();
    privaudit::audit_bytes(&spec, csv.as_bytes(), InputMeta::default(), workers).unwrap()
}

fn risk(r: &Report) -> &RiskReport {
    r.privacy.as_ref().and_then(|p| p.risk.as_ref()).expect("a risk section")
}

/// §9.2: QI = age, zip (already generalised); SA = disease (text), salary (integer).
const EXAMPLE: &str = "age,zip,disease,salary
20-29,130**,flu,3
20-29,130**,flu,4
20-29,130**,cancer,5
30-39,148**,flu,6
30-39,148**,hiv,8
30-39,148**,flu,11
30-39,148**,cancer,9
40-49,130**,flu,7
40-49,130**,flu,10
40-49,130**,hiv,3
";

const EXAMPLE_SPEC: &str =
    "[privacy]\nquasi_identifiers = [\"age\", \"zip\"]\nsensitive = [\"disease\", \"salary\"]\nrisk_threshold = 0.3\n";

#[test]
fn worked_example_matches_arx_and_the_textbook() {
    let r = audit(EXAMPLE, EXAMPLE_SPEC, 1);
    let k = risk(&r);
    let c = k.classes.as_ref().unwrap();
    assert_eq!((c.rows, c.classes, c.k, c.largest, c.sample_uniques.rows), (10, 3, 3, 4, 0));
    let p = k.prosecutor.as_ref().unwrap();
    assert!((p.highest - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!((p.average, p.lowest, p.records_at_risk.rows), (0.3, 0.25, 6));
    let d = k.sensitive_measures[0].measures.as_ref().unwrap();
    assert_eq!((d.distinct_l, d.distance.as_str()), (2, "equal"));
    assert!(
        (d.entropy_l - 1.889_881_574_842_31).abs() < 1e-12,
        "pycanon floors this to 1; ARX holds at 1.88, fails at 1.90"
    );
    assert!((d.recursive_c.unwrap() - 2.0).abs() < 1e-15, "ARX holds at c = 2.01, fails at 2.0; pycanon says 1");
    assert!((d.t.unwrap() - 0.2).abs() < 1e-12);
    let s = k.sensitive_measures[1].measures.as_ref().unwrap();
    assert_eq!(s.distance, "ordered");
    assert!((s.t.unwrap() - 0.325).abs() < 1e-12, "{:?}", s.t);
    // Gates: k = 3 < 5 warns, no sample unique passes, l = 2 passes.
    let status = |id: &str| r.checks.iter().find(|o| o.id == id).map(|o| (o.status, o.observed));
    assert_eq!(status("k_anonymity"), Some((Status::Warn, Some(3.0))));
    assert_eq!(status("sample_uniques"), Some((Status::Pass, Some(0.0))));
    assert_eq!(r.checks.iter().filter(|o| o.id == "l_diversity" && o.status == Status::Pass).count(), 2);
    assert!(k.journalist_marketer.contains("same as prosecutor"));
    assert!(r.definitions.iter().any(|d| d.term == "prosecutor risk"));
}

/// §8.1: one more row, age missing: ARX highest 1.0, average 4/11, at risk (τ 0.3) 7/11.
#[test]
fn missing_quasi_identifier_is_its_own_value() {
    let csv = format!("{EXAMPLE}NA,130**,hiv,5\n");
    let r = audit(&csv, EXAMPLE_SPEC, 1);
    let k = risk(&r);
    let p = k.prosecutor.as_ref().unwrap();
    assert_eq!((p.highest, p.average), (1.0, 4.0 / 11.0));
    assert_eq!((p.records_at_risk.rows, p.records_at_risk.share), (7, 7.0 / 11.0));
    assert_eq!(k.rows_missing_qi.rows, 1);
    assert!(k.missing_convention.contains("its own value"));
}

/// §9.3: ages and ZIPs generalised with age → decade → * and ZIP → 3 digits → *.
#[test]
fn what_if_reproduces_arx_information_loss() {
    let ages = [23, 27, 29, 31, 35, 35, 38, 41, 44, 47];
    let zips = ["13053", "13068", "13053", "14850", "14853", "14850", "14853", "13053", "13068", "13053"];
    let mut csv = String::from("age,zip\n");
    for (a, z) in ages.iter().zip(zips) {
        csv.push_str(&format!("{a},{z}\n"));
    }
    let toml = "[privacy]\nquasi_identifiers = [\"age\", \"zip\"]\n[privacy.ladders.age]\nkind = \"numeric\"\nwidths = [10]\n[privacy.ladders.zip]\nkind = \"mask\"\nmasks = [2]\n[[privacy.what_if]]\nage = 1\nzip = 1\n[[privacy.what_if]]\nage = 2\nzip = 1\n[[privacy.what_if]]\nage = 1\nzip = 2\n[[privacy.what_if]]\nage = 2\nzip = 2\n";
    let r = audit(&csv, toml, 1);
    let w = &risk(&r).what_ifs;
    let expect = [
        ([1, 1], 34, 25.0196, 0.5),
        ([2, 1], 52, 40.7291, 0.75),
        ([1, 2], 34, 34.7291, 0.75),
        ([2, 2], 100, 50.4386, 1.0),
    ];
    for (i, (levels, dm, nue, precision)) in expect.into_iter().enumerate() {
        assert_eq!(w[i].levels, levels);
        assert_eq!(w[i].source, "spec");
        assert_eq!(w[i].discernibility, dm, "{levels:?}");
        assert!((w[i].non_uniform_entropy - nue).abs() < 5e-5, "{levels:?}: {}", w[i].non_uniform_entropy);
        assert_eq!(w[i].precision, precision);
    }
    assert_eq!((w[0].k, w[0].classes), (3, 3), "[1,1] is the table of §9.2");
    // The default set follows: the original (k = 1) and one level up per quasi-identifier.
    assert_eq!(w[4].levels, vec![0, 0]);
    assert_eq!((w[4].source.as_str(), w[4].k, w[4].sample_uniques.rows), ("default", 1, 10));
    assert_eq!(w[0].rows_to_suppress.rows, 10, "every class is below the target k of 5");
    assert_eq!(w[3].rows_to_suppress.rows, 0);
    assert_eq!(risk(&r).ladders[1].levels, vec!["exact", "last 2 masked", "* (suppressed)"]);
}

#[test]
fn over_the_cap_nothing_is_guessed_and_every_split_agrees() {
    let mut csv = String::from("id,sex\n");
    for i in 0..500 {
        csv.push_str(&format!("{i},{}\n", if i % 2 == 0 { "F" } else { "M" }));
    }
    let toml = "[privacy]\nquasi_identifiers = [\"id\"]\nsensitive = [\"sex\"]\nmax_classes = 300\n";
    let one = audit(&csv, toml, 1);
    let k = risk(&one);
    assert!(k.over_cap && k.classes.is_none() && k.what_ifs.is_empty());
    assert!(k.note.as_deref().unwrap().contains("more than 300"), "{:?}", k.note);
    assert_eq!(k.rows, 500);
    let skipped: Vec<_> = one.checks.iter().filter(|o| o.status == Status::Skipped).map(|o| o.id.as_str()).collect();
    assert_eq!(skipped, vec!["k_anonymity", "sample_uniques", "l_diversity"]);
    for workers in [2, 3, 5] {
        // Each part has fewer than 300 classes; their union has 500.
        assert_eq!(audit(&csv, toml, workers).privacy, one.privacy, "{workers} workers");
    }
    let under = audit(&csv, "[privacy]\nquasi_identifiers = [\"sex\"]\nmax_classes = 2\n", 3);
    assert_eq!(risk(&under).classes.as_ref().unwrap().k, 250);
}

#[test]
fn several_rows_per_person_are_warned_about() {
    let csv = "person,age,sex\np1,30,F\np1,30,F\np2,41,M\n";
    let r = audit(csv, "[privacy]\nquasi_identifiers = [\"age\", \"sex\"]\nperson = \"person\"\n", 1);
    let p = risk(&r).person.as_ref().unwrap();
    assert_eq!((p.rows, p.persons.value), (3, 2));
    assert!(p.note.contains("several rows"), "{}", p.note);
}

#[test]
fn bad_settings_name_the_field() {
    let bad = |toml: &str| {
        let spec = RawSpec::from_toml(toml).unwrap();
        privaudit::audit_bytes(&spec, b"age,zip,d\n1,2,3\n", InputMeta::default(), 1).unwrap_err().to_string()
    };
    assert!(bad("[privacy]\nquasi_identifiers = [\"nope\"]\n").contains("no column named `nope`"));
    assert!(bad("[privacy]\nsensitive = [\"d\"]\n").contains("needs privacy.quasi_identifiers"));
    assert!(
        bad("[privacy]\nquasi_identifiers = [\"age\"]\nsensitive = [\"age\"]\n").contains("already a quasi-identifier")
    );
    assert!(bad("[privacy]\nquasi_identifiers = [\"age\"]\nrisk_threshold = 0\n").contains("(0, 1]"));
    assert!(bad("[privacy]\nquasi_identifiers = [\"age\"]\n[privacy.ladders.age]\nkind = \"date\"\n")
        .contains("does not fit"));
    assert!(bad("[privacy]\nquasi_identifiers = [\"age\"]\n[privacy.ladders.age]\nwidths = [10, 5]\n")
        .contains("increasing"));
    assert!(bad("[privacy]\nquasi_identifiers = [\"age\"]\n[[privacy.what_if]]\nage = 9\n").contains("levels 0 to 5"));
    assert!(bad("[checks.k_anonymity]\nmin = 3\n").contains("needs privacy.quasi_identifiers"));
}
