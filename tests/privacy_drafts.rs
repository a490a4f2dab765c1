//! The PIA and datasheet drafts, the generalised table and the CLI options of issue 16
//! items 3, 5 and 6; and the canary: planted names and a rare combination of
//! quasi-identifier values never appear in the drafts, the report's CSV tables or the
//! generalised table once its small classes are suppressed.

use privaudit::report::datasheet::datasheet;
use privaudit::report::pia::{dp_params_from_json, pia};
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;
use std::process::Command;

/// 600 people; row 17 is the only astronaut, aged 61, living in 99999 and called
/// Zebediah Quornwhistle (a unique combination); everybody has a planted name and e-mail.
fn people() -> String {
    let mut s = String::from("name,email,age,sex,zip,occupation,visit,diagnosis,decision\n");
    let jobs = ["nurse", "teacher", "clerk", "driver"];
    for i in 0..600u32 {
        let (name, age, zip, job) = if i == 17 {
            ("Zebediah Quornwhistle".to_string(), 61, "99999".to_string(), "astronaut")
        } else {
            (format!("Canaryname{i:03} Plantedsurname"), 20 + i % 50, format!("130{:02}", i % 7), jobs[i as usize % 4])
        };
        let sex = if i % 3 == 0 { "F" } else { "M" };
        let diag = ["flu", "asthma", "none"][i as usize % 3];
        let decision = if i % 5 < 2 { "yes" } else { "no" };
        s.push_str(&format!(
            "{name},p{i:03}@plantedmail.org,{age},{sex},{zip},{job},2024-{:02}-{:02},{diag},{decision}\n",
            1 + i % 12,
            1 + i % 28
        ));
    }
    s
}

const SPEC: &str = "[[columns]]\nname = \"sex\"\nrole = \"protected\"\n[bias]\nprotected = [\"sex\"]\nprediction = \"decision\"\npositive_prediction = \"yes\"\n[privacy]\nquasi_identifiers = [\"age\", \"zip\", \"occupation\"]\nsensitive = [\"diagnosis\"]\npopulation = 50000\n";

fn audit() -> Report {
    let spec = RawSpec::from_toml(SPEC).unwrap();
    privaudit::audit_bytes(
        &spec,
        people().as_bytes(),
        InputMeta { file_name: "people.csv".into(), ..Default::default() },
        2,
    )
    .unwrap()
}

const PLANTED: [&str; 5] = ["Zebediah", "Quornwhistle", "Canaryname", "astronaut", "plantedmail"];

#[test]
fn canary_drafts_and_tables_hold_no_planted_value() {
    let r = audit();
    let dp = dp_params_from_json(
        r#"{"schema":"privaudit.dp-summary/1","privacy":{"measure":"pure","epsilon":1.0,"delta":0.0,"unit":"one row","max_rows_per_person":1},"releases":[{"label":"count of rows"}]}"#,
    )
    .unwrap();
    let mut outputs = vec![
        ("pia.md", pia(&r, Some(&dp)).markdown()),
        ("pia.html", pia(&r, None).html()),
        ("datasheet.md", datasheet(&r).markdown()),
        ("datasheet.html", datasheet(&r).html()),
    ];
    for t in privaudit::report::tables::TABLES {
        outputs.push((t, r.to_csv(t).unwrap()));
    }
    for (name, text) in &outputs {
        for p in PLANTED {
            assert!(!text.contains(p), "{name} contains the planted `{p}`");
        }
        // The column profile (columns.csv) shows a numeric column's min and max by design
        // (hidden for identifier-like columns only), so the rare zip, read as a number, is
        // checked in the drafts, which list no value at all.
        if name.contains('.') {
            assert!(!text.contains("99999"), "{name} holds the rare zip");
        }
    }
    // The drafts do carry the measures and the blanks.
    let md = &outputs[0].1;
    let k = r.privacy.as_ref().unwrap().risk.as_ref().unwrap().classes.as_ref().unwrap().k;
    assert!(md.contains(&format!("| k (smallest class) | {k} |")), "{md}");
    assert!(md.contains("> **To be written by you:** the purposes of the processing"));
    assert!(md.contains("A differentially private summary was released: pure differential privacy, total ε = 1, δ = 0"));
    assert!(outputs[1].1.contains("No differentially private summary was released in this run."));
    assert!(md.contains("Bias audit of the decisions by sex"));
    let ds = &outputs[2].1;
    assert!(ds.contains("## Composition") && ds.contains("visit: 2024-01 to 2024-12 (by month)"), "{ds}");
    assert!(ds.contains("> **To be written by you:** for what purpose the dataset was created"));
}

#[test]
fn dp_summary_must_be_one() {
    let e = dp_params_from_json(r#"{"schema":"privaudit.report/1"}"#).unwrap_err().to_string();
    assert!(e.contains("not a privaudit DP summary"), "{e}");
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_privaudit")).args(args).output().expect("run privaudit")
}

#[test]
fn cli_writes_the_drafts_and_the_generalised_table() {
    let dir = std::env::temp_dir().join(format!("privaudit-risk-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("people.csv");
    std::fs::write(&data, people()).unwrap();
    let p = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let out = run(&[
        "audit",
        &p("people.csv"),
        "--no-hash",
        "--quasi-identifiers",
        "age,zip,occupation",
        "--sensitive",
        "diagnosis",
        "--population",
        "50000",
        "--json",
        &p("r.json"),
        "--pia-out",
        &p("pia.md"),
        "--datasheet-out",
        &p("ds.html"),
        "--generalised-out",
        &p("gen.csv"),
        "--levels",
        "age=3,zip=2",
        "--keep-columns",
        "decision",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r = Report::from_json(&std::fs::read_to_string(p("r.json")).unwrap()).unwrap();
    let risk = r.privacy.as_ref().unwrap().risk.as_ref().unwrap();
    assert_eq!(risk.quasi_identifiers, vec!["age", "zip", "occupation"]);
    assert_eq!(risk.population.as_ref().unwrap().population, 50_000);
    assert!(std::fs::read_to_string(p("pia.md"))
        .unwrap()
        .starts_with("# Data protection impact assessment (draft) — people.csv"));
    assert!(std::fs::read_to_string(p("ds.html")).unwrap().starts_with("<!DOCTYPE html>"));
    let gen = std::fs::read_to_string(p("gen.csv")).unwrap();
    let mut lines = gen.lines();
    assert_eq!(lines.next(), Some("age,zip,occupation,diagnosis,decision"));
    assert_eq!(gen.lines().count(), 601);
    assert!(gen.contains("*,*,*,"), "the unique row is suppressed");
    for p in PLANTED {
        assert!(!gen.contains(p), "the generalised table holds `{p}`");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("generalised table: 600 rows written"), "{stderr}");
    // Usage errors name the option.
    let bad = run(&[
        "audit",
        &p("people.csv"),
        "--no-hash",
        "--quasi-identifiers",
        "age",
        "--generalised-out",
        &p("g2.csv"),
        "--levels",
        "zip=1",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("`zip` is not a quasi-identifier"));
    let bad = run(&[
        "audit",
        &p("people.csv"),
        "--no-hash",
        "--quasi-identifiers",
        "age",
        "--generalised-out",
        &p("g3.csv"),
        "--keep-columns",
        "email",
    ]);
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("`email` was judged a direct identifier"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let bad = run(&["audit", &p("people.csv"), "--no-hash", "--levels", "age=1"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("goes with --generalised-out"));
    let _ = std::fs::remove_dir_all(&dir);
}
