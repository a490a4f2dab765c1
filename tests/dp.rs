//! `privaudit dp`: the DP summary from the command line. The canary test plants a unique
//! rare category, an extreme value and a telling file name; none may appear in the summary
//! (JSON or HTML). Also: the schema and its public parameters, the opt-in SHA-256, and
//! sentences for bad specs.

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

const CANARY_CITY: &str = "Zanzibar-Q7X";
const CANARY_INCOME: &str = "987654321";

fn scratch(test: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("dp-{test}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn privaudit<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_privaudit")).args(args).output().expect("run privaudit")
}

fn expect_ok(o: &Output) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "stderr: {err}");
}

/// 3,001 applicants in three cities, plus one in the canary city with an extreme income.
fn canary_csv() -> String {
    let mut s = String::from("person,city,sex,income,repaid,decision\n");
    let cities = ["Leeds", "York", "Hull"];
    for i in 0..3000 {
        let sex = if i % 7 < 3 { "F" } else { "M" };
        let repaid = u8::from(i % 5 != 0);
        let decision = if (i * 7919) % 10 < 6 { "approved" } else { "denied" };
        s.push_str(&format!("p{i},{},{sex},{},{repaid},{decision}\n", cities[i % 3], 20000 + (i * 37) % 90000));
    }
    s.push_str(&format!("p-canary,{CANARY_CITY},F,{CANARY_INCOME}.5,1,approved\n"));
    s
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
dataset = "canary test"

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

fn run_canary(dir: &std::path::Path, spec: &str) -> (String, String) {
    let data = dir.join("secret-canary-file.csv");
    std::fs::write(&data, canary_csv()).unwrap();
    let spec_path = dir.join("dp.toml");
    std::fs::write(&spec_path, spec).unwrap();
    let (json, html) = (dir.join("summary.json"), dir.join("summary.html"));
    let o = privaudit(&[
        "dp".as_ref(),
        data.as_os_str(),
        "--spec".as_ref(),
        spec_path.as_os_str(),
        "--json".as_ref(),
        json.as_os_str(),
        "--html".as_ref(),
        html.as_os_str(),
        "--workers".as_ref(),
        "2".as_ref(),
    ]);
    expect_ok(&o);
    (std::fs::read_to_string(json).unwrap(), std::fs::read_to_string(html).unwrap())
}

#[test]
fn canaries_never_reach_the_summary() {
    let dir = scratch("canary");
    let (json, html) = run_canary(&dir, SPEC);
    for text in [&json, &html] {
        for canary in [CANARY_CITY, CANARY_INCOME, "secret-canary-file", "p-canary"] {
            assert!(!text.contains(canary), "`{canary}` leaked into the summary");
        }
    }
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "privaudit.dp-summary/1");
    assert_eq!(v["dataset"]["sha256"], Value::Null, "the hash is opt-in");
    // No exact metadata: no row count, file name or size anywhere.
    for key in ["rows", "file_name", "size_bytes", "file_size"] {
        assert!(!json.contains(&format!("\"{key}\"")), "the summary has a `{key}` field");
    }
    // Public parameters are stated; the budget is spent exactly.
    assert_eq!(v["privacy"]["total"]["epsilon"], "2");
    let ledger = v["privacy"]["ledger"].as_array().unwrap();
    assert_eq!(ledger.len(), 6);
    assert_eq!(ledger[5]["charged"], "4/7");
    let releases = v["releases"].as_array().unwrap();
    let hist = &releases[1]["result"]["cells"];
    let keys: Vec<&str> = hist.as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["Leeds", "York", "Hull", "(other)", "(missing)"]);
    // Every release carries mechanism, sensitivity, scale, loss and accuracy.
    for r in releases {
        for c in r["components"].as_array().unwrap() {
            for field in ["mechanism", "l1_sensitivity", "scale", "loss", "half_width"] {
                assert!(!c[field].is_null(), "{} lacks {field}", r["label"]);
            }
        }
    }
    // The mean's sensitivity is the public bound, and the estimate lies within the bounds.
    assert_eq!(releases[3]["components"][0]["l1_sensitivity"], 150000);
    let mean = releases[3]["result"]["mean"]["value"].as_f64().unwrap();
    assert!((0.0..=150000.0).contains(&mean));
    // The fairness release has both groups and a comparison.
    assert_eq!(releases[5]["result"]["groups"].as_array().unwrap().len(), 4);
    assert!(html.contains("What this summary reveals") && html.contains("What it does not reveal"));
}

#[test]
fn sha256_only_when_opted_in() {
    let dir = scratch("sha");
    let spec = SPEC.replace("dataset = \"canary test\"", "dataset = \"canary test\"\ninclude_sha256 = true");
    let (json, _) = run_canary(&dir, &spec);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["dataset"]["sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn bad_dp_specs_get_sentences() {
    let dir = scratch("bad");
    let data = dir.join("d.csv");
    std::fs::write(&data, canary_csv()).unwrap();
    let cases = [
        (
            "[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"histogram\"\ncolumn = \"city\"\n",
            "release 1 (histogram of city): declare the keys",
        ),
        (
            "[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"mean\"\ncolumn = \"income\"\nlower = 0\n",
            "release 1 (mean of income): give a public upper bound",
        ),
        (
            "[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"mean\"\ncolumn = \"city\"\nlower = 0\nupper = 1\n",
            "not numeric",
        ),
        (
            "[dp]\nrho = 1.0\n[[dp.queries]]\nkind = \"count\"\n",
            "the total privacy budget ε (`epsilon` in [dp]) must be given",
        ),
        (
            "[dp]\nepsilon = 0.0\n[[dp.queries]]\nkind = \"count\"\n",
            "ε (`epsilon` in [dp]) must be a number greater than 0; got 0",
        ),
        ("[dp]\nepsilon = 1.0\n", "between 1 and"),
        ("[dp]\nepsilon = 1.0\n[[dp.queries]]\nkind = \"fairness\"\nkeys = [\"F\"]\n", "needs the bias settings"),
        (
            "[dp]\nmeasure = \"zcdp\"\nrho = 0.5\n[[dp.queries]]\nkind = \"categories\"\ncolumn = \"city\"\n",
            "release 1 (categories of city): category discovery is (ε, δ)-DP",
        ),
    ];
    for (spec, expected) in cases {
        let p = dir.join("s.toml");
        std::fs::write(&p, spec).unwrap();
        let o = privaudit(&["dp".as_ref(), data.as_os_str(), "--spec".as_ref(), p.as_os_str()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{spec}: {err}");
        assert!(err.contains(expected), "{spec}: expected `{expected}` in: {err}");
    }
}

#[test]
fn zcdp_summary_states_its_epsilon_delta() {
    let dir = scratch("zcdp");
    let spec = SPEC
        .replace("epsilon = 2.0", "measure = \"zcdp\"\nrho = 0.5\ndelta = 1e-6")
        .replace("[[dp.queries]]\nkind = \"categories\"\ncolumn = \"city\"\n", "");
    let (json, _) = run_canary(&dir, &spec);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["privacy"]["measure"], "zcdp");
    // CKS20 at δ = 1e-6 for ρ = 0.5 (OpenDP 0.16: 5.22; DEFINITIONS.md §7.1).
    let eps = v["privacy"]["epsilon"].as_f64().unwrap();
    assert!((eps - 5.22).abs() < 0.01, "{eps}");
    assert_eq!(v["releases"][0]["components"][0]["mechanism"], "discrete_gaussian");
}

/// Runs `privaudit dp` on `data` with `spec` (TOML); returns the summary JSON and HTML.
fn release_with(dir: &std::path::Path, data: &std::path::Path, spec: &str) -> (Value, String) {
    let spec_path = dir.join("spec.toml");
    std::fs::write(&spec_path, spec).unwrap();
    let (json, html) = (dir.join("s.json"), dir.join("s.html"));
    let o = privaudit(&[
        "dp".as_ref(),
        data.as_os_str(),
        "--spec".as_ref(),
        spec_path.as_os_str(),
        "--json".as_ref(),
        json.as_os_str(),
        "--html".as_ref(),
        html.as_os_str(),
    ]);
    expect_ok(&o);
    (serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap(), std::fs::read_to_string(html).unwrap())
}

#[test]
fn a_weak_guarantee_is_warned_in_json_and_html() {
    let dir = scratch("weak");
    let data = dir.join("d.csv");
    std::fs::write(&data, canary_csv()).unwrap();
    let (v, html) = release_with(&dir, &data, "[dp]\nepsilon = 50.0\n[[dp.queries]]\nkind = \"count\"\n");
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().unwrap().starts_with("Weak guarantee: ε = 50 is above 10"), "{warnings:?}");
    assert!(html.contains("Weak guarantee: ε = 50 is above 10"));
    let (v, html) = release_with(&dir, &data, "[dp]\nepsilon = 10.0\n[[dp.queries]]\nkind = \"count\"\n");
    assert_eq!(v["warnings"], serde_json::json!([]));
    assert!(!html.contains("Weak guarantee"));
}

#[test]
fn the_mean_states_its_plus_minus_and_how() {
    let dir = scratch("mean");
    let (json, html) = run_canary(&dir, SPEC);
    let v: Value = serde_json::from_str(&json).unwrap();
    let r = &v["releases"][3]["result"];
    let (value, lower, upper) = (
        r["mean"]["value"].as_f64().unwrap(),
        r["mean"]["lower"].as_f64().unwrap(),
        r["mean"]["upper"].as_f64().unwrap(),
    );
    let pm = r["plus_minus"].as_f64().unwrap();
    assert_eq!(pm, (value - lower).max(upper - value));
    // Its bound: (h_S + B·h_N) / Ñ with B = 150,000.
    let acc = &r["accuracy"];
    assert_eq!(acc["bound"], 150000.0);
    let bound = acc["numerator"].as_f64().unwrap() / r["count"]["noisy"].as_f64().unwrap();
    assert!(pm <= bound * 1.1 && pm > 0.0, "± {pm} vs bound {bound}");
    assert!(html.contains("± on the mean") && html.contains("How the ± was derived"));
}

/// COMPAS (ProPublica), decile score ≥ 5 as the positive prediction: the four-fifths rule
/// is about the favourable decision, so with "high risk" unfavourable it is
/// African-American defendants whose favourable rate (41 % scored low) is below 4/5 of the
/// highest (Other, 79 %), and Caucasian defendants (65 %) are not; with the positive
/// prediction called favourable, the verdicts turn round.
#[test]
fn dp_four_fifths_names_the_right_group_on_compas() {
    let Some(path) = common::shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let dir = scratch("compas");
    let spec = |favourable: bool| {
        format!(
            "[bias]\nprotected = [\"race\"]\nlabel = \"two_year_recid\"\npositive_label = \"1\"\nscore = \"decile_score\"\n\
             threshold = 5.0\npositive_is_favourable = {favourable}\n[dp]\nepsilon = 10.0\n[[dp.queries]]\nkind = \"fairness\"\n\
             keys = [\"African-American\", \"Caucasian\", \"Hispanic\", \"Other\"]\n"
        )
    };
    for (favourable, below, not_below) in
        [(false, "African-American", "Caucasian"), (true, "Caucasian", "African-American")]
    {
        let (v, html) = release_with(&dir, &path, &spec(favourable));
        let ff = v["releases"][0]["result"]["four_fifths"].as_array().unwrap();
        let verdict = |g: &str| ff.iter().find(|f| f["group"] == g).map(|f| f["verdict"].as_str().unwrap().to_string());
        assert_eq!(verdict(below).as_deref(), Some("below"), "favourable = {favourable}: {ff:?}");
        assert_eq!(verdict(not_below).as_deref(), Some("not_below"), "favourable = {favourable}: {ff:?}");
        assert!(html.contains("Four-fifths rule") && html.contains("below 0.8 (adverse impact)"));
    }
}

/// `privaudit dp --ledger`: the data file's SHA-256 (never its name unless asked), exact
/// charges, a cap that refuses a release with the numbers before anything is released, and
/// `privaudit ledger` to show it.
#[test]
fn the_ledger_counts_releases_and_refuses_over_the_cap() {
    let dir = scratch("ledger");
    let data = dir.join("secret-canary-file.csv");
    std::fs::write(&data, canary_csv()).unwrap();
    let spec = dir.join("s.toml");
    std::fs::write(&spec, "[dp]\nepsilon = 0.7\n[[dp.queries]]\nkind = \"count\"\n").unwrap();
    let ledger = dir.join("ledger.json");
    let out = dir.join("out.json");
    let dp = |extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> =
            vec!["dp".into(), data.clone().into(), "--spec".into(), spec.clone().into()];
        args.extend(["--json".into(), out.clone().into(), "--ledger".into(), ledger.clone().into()]);
        args.extend(extra.iter().map(|s| s.into()));
        privaudit(&args)
    };
    let o = dp(&["--budget-cap", "2.1"]);
    expect_ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("this file: 1 release; spent ε = 0.7 of the cap ε = 2.1"));
    expect_ok(&dp(&[]));
    // 0.7 + 0.7 + 0.7 = 2.1 exactly: the third fits.
    expect_ok(&dp(&[]));
    let text = std::fs::read_to_string(&ledger).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], "privaudit.dp-ledger/1");
    let sha = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(std::fs::read(&data).unwrap());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    assert_eq!(v["datasets"][0]["sha256"], sha.as_str());
    assert_eq!(v["datasets"][0]["releases"].as_array().unwrap().len(), 3);
    assert!(!text.contains("secret-canary-file"), "the file name is opt-in");
    // The fourth is refused before release: nothing written, the ledger unchanged.
    std::fs::remove_file(&out).unwrap();
    let o = dp(&[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Refused: this summary needs ε = 0.7 but the ledger caps this file at ε = 2.1, of which ε = 2.1 is already spent by 3 releases, leaving ε = 0"),
        "{err}"
    );
    assert!(err.contains("Nothing was released; the ledger is unchanged."));
    assert!(!out.exists());
    assert_eq!(std::fs::read_to_string(&ledger).unwrap(), text);
    // A higher cap and the opt-in name.
    expect_ok(&dp(&["--budget-cap", "3", "--ledger-file-name"]));
    assert!(std::fs::read_to_string(&ledger).unwrap().contains("\"file_name\": \"secret-canary-file.csv\""));
    let o = privaudit(&["ledger".as_ref(), ledger.as_os_str(), "--data".as_ref(), data.as_os_str()]);
    expect_ok(&o);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("4 releases; spent ε = 2.8 of the cap ε = 3"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // A ledger that is not one, and --no-hash, are errors.
    std::fs::write(&ledger, "{\"schema\": \"something else\"}").unwrap();
    let o = dp(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a privaudit DP ledger"));
    let o = dp(&["--no-hash"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("identifies the data file by its SHA-256"));
}
