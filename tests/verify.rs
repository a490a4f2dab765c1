//! `privaudit verify`: a genuine DP summary passes (exit 0); each tampered claim fails
//! (exit 1) with a message naming the release, the claim and the expected value; a file
//! that is not a DP summary is unreadable (exit 2).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn privaudit<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_privaudit")).args(args).output().expect("run privaudit")
}

fn dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("verify");
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

const SPEC: &str = r#"
[bias]
protected = ["sex"]
label = "repaid"
positive_label = "1"
prediction = "decision"
positive_prediction = "approved"

[dp]
epsilon = 2.0

[[dp.queries]]
kind = "count"

[[dp.queries]]
kind = "histogram"
column = "city"
keys = ["Leeds", "York", "Hull"]

[[dp.queries]]
kind = "categories"
column = "city"

[[dp.queries]]
kind = "mean"
column = "income"
lower = 0
upper = 150000

[[dp.queries]]
kind = "quantiles"
column = "income"
lower = 0
upper = 150000
bins = 30

[[dp.queries]]
kind = "fairness"
keys = ["F", "M"]
weight = 2
"#;

/// One genuine summary, released once for all the tests.
fn genuine() -> &'static str {
    static SUMMARY: OnceLock<String> = OnceLock::new();
    SUMMARY.get_or_init(|| {
        let d = dir();
        let mut csv = String::from("city,sex,income,repaid,decision\n");
        for i in 0..4000 {
            let sex = if i % 7 < 3 { "F" } else { "M" };
            let decision = if (i * 7919) % 10 < 6 { "approved" } else { "denied" };
            csv.push_str(&format!(
                "{},{sex},{},{},{decision}\n",
                ["Leeds", "York", "Hull"][i % 3],
                20000 + (i * 37) % 90000,
                u8::from(i % 5 != 0)
            ));
        }
        let (data, spec, out) = (d.join("data.csv"), d.join("spec.toml"), d.join("genuine.json"));
        std::fs::write(&data, csv).unwrap();
        std::fs::write(&spec, SPEC).unwrap();
        let o = privaudit(&[
            "dp".as_ref(),
            data.as_os_str(),
            "--spec".as_ref(),
            spec.as_os_str(),
            "--json".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(out).unwrap()
    })
}

/// Verifies `text` (written to a file); returns (exit code, stdout + stderr).
fn verify_text(name: &str, text: &str) -> (Option<i32>, String) {
    let path = dir().join(name);
    std::fs::write(&path, text).unwrap();
    let o = privaudit(&["verify".as_ref(), path.as_os_str()]);
    (o.status.code(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

/// Tampers the genuine summary with `edit` and expects exit 1 and every `expected` text.
fn tampered(name: &str, edit: impl FnOnce(&mut Value), expected: &[&str]) {
    let mut v: Value = serde_json::from_str(genuine()).unwrap();
    edit(&mut v);
    let (code, out) = verify_text(&format!("{name}.json"), &serde_json::to_string_pretty(&v).unwrap());
    assert_eq!(code, Some(1), "{name}: {out}");
    assert!(out.contains("INCONSISTENT"), "{name}: {out}");
    for e in expected {
        assert!(out.contains(e), "{name}: expected `{e}` in:\n{out}");
    }
}

#[test]
fn a_genuine_summary_is_consistent() {
    let (code, out) = verify_text("genuine.json", genuine());
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("genuine.json: consistent:") && out.contains("claims checked in 6 releases, none fails"),
        "{out}"
    );
    // --json -: the verdict as JSON on standard output.
    let path = dir().join("genuine.json");
    let o = privaudit(&["verify".as_ref(), path.as_os_str(), "--json".as_ref(), "-".as_ref()]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("verdict JSON");
    assert_eq!((v["consistent"].as_bool(), v["releases"].as_u64()), (Some(true), Some(6)));
    assert!(v["claims_checked"].as_u64().unwrap() > 1000, "{v}");
}

#[test]
fn a_tampered_scale_fails() {
    // Histogram: ε = 2 × 1/7 = 2/7 over Δ = 1, so b = 7/2.
    tampered(
        "scale",
        |v| v["releases"][1]["components"][0]["scale"] = "3".into(),
        &["release 2 (histogram of city), part 1 (counts per key): scale claim fails: the noise scale is 3, but Δ₁/ε = 1 / (2/7) gives 7/2"],
    );
}

#[test]
fn a_tampered_accuracy_fails() {
    tampered(
        "accuracy",
        |v| {
            let h = &mut v["releases"][0]["components"][0]["half_width"];
            *h = (h.as_u64().unwrap() - 1).into();
        },
        &["release 1 (number of rows), part 1 (count): accuracy claim fails: the half-width (±) is 9, but the scale at α = 0.05 (95 % confidence) gives 10"],
    );
    // A count's interval narrowed by one: it no longer follows from the half-width.
    tampered(
        "interval",
        |v| {
            let i = &mut v["releases"][1]["result"]["cells"][0]["interval"][1];
            *i = (i.as_u64().unwrap() - 1).into();
        },
        &["release 2 (histogram of city): accuracy claim fails: cells › `Leeds` › interval › upper end is"],
    );
    // The mean's ± shrunk.
    tampered(
        "plus_minus",
        |v| {
            let pm = &mut v["releases"][3]["result"]["plus_minus"];
            *pm = (pm.as_f64().unwrap() / 2.0).into();
        },
        &["release 4 (mean of income): accuracy claim fails: plus_minus is"],
    );
}

#[test]
fn a_tampered_composition_fails() {
    tampered(
        "composition",
        |v| v["privacy"]["total"]["epsilon"] = "1".into(),
        &["privacy: composition claim fails: the total budget is 1, but the sum of the releases' losses gives 2"],
    );
    // A release claims a smaller share than its noise paid for.
    tampered(
        "ledger",
        |v| v["privacy"]["ledger"][5]["charged"] = "1/7".into(),
        &["privacy, ledger, entry 6: composition claim fails: the charge is 1/7, but the release's loss in the budget's measure gives 4/7"],
    );
}

#[test]
fn an_estimate_outside_its_interval_fails() {
    tampered(
        "containment",
        |v| {
            let m = &mut v["releases"][3]["result"]["mean"];
            m["value"] = (m["upper"].as_f64().unwrap() + 1.0).into();
        },
        &[
            "release 4 (mean of income): interval containment claim fails: the interval [",
            "of mean does not contain its estimate",
        ],
    );
}

#[test]
fn a_fractional_noisy_count_fails() {
    tampered(
        "integrality",
        |v| v["releases"][0]["result"]["count"]["noisy"] = 4000.5.into(),
        &["release 1 (number of rows): integrality claim fails: the noisy value of count is 4000.5, not an integer"],
    );
}

#[test]
fn a_missing_field_fails() {
    tampered(
        "missing",
        |v| {
            v["privacy"].as_object_mut().unwrap().remove("alpha");
        },
        &["privacy: schema claim fails: the field `alpha` is missing (schema privaudit.dp-summary/1)"],
    );
    tampered(
        "missing_component",
        |v| {
            v["releases"][4]["components"][0].as_object_mut().unwrap().remove("half_width");
        },
        &["release 5 (quantiles of income), part 1 (counts per bin): schema claim fails: the field `half_width` is missing"],
    );
}

#[test]
fn a_removed_weak_guarantee_warning_fails() {
    let d = dir();
    let (data, spec, out) = (d.join("data.csv"), d.join("weak.toml"), d.join("weak.json"));
    genuine(); // writes data.csv
    std::fs::write(&spec, "[dp]\nepsilon = 40.0\n[[dp.queries]]\nkind = \"count\"\n").unwrap();
    let o = privaudit(&[
        "dp".as_ref(),
        data.as_os_str(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--json".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(verify_text("weak-genuine.json", &v.to_string()).0, Some(0));
    v["warnings"] = serde_json::json!([]);
    let (code, text) = verify_text("weak-tampered.json", &v.to_string());
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("warning claim fails: the warnings are [], but a guarantee of ε = 40 calls for"), "{text}");
}

#[test]
fn other_files_are_unreadable() {
    let (code, out) = verify_text("broken.json", "{\"schema\": ");
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("broken.json: this is not JSON"), "{out}");
    let (code, out) = verify_text("report.json", "{\"schema\": \"privaudit.report/1\"}");
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("not a DP summary"), "{out}");
    let missing = Path::new("/nonexistent/summary.json");
    assert_eq!(privaudit(&["verify".as_ref(), missing.as_os_str()]).status.code(), Some(2));
}
