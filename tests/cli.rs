//! The `privaudit` binary on the messy corpus: exit codes (0 passed, 1 a failed gate,
//! 2 unusable input or bad usage), outputs (JSON, HTML, JUnit), the spec round trip, the
//! sample writer, and identical reports whatever the number of workers.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn messy(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/messy").join(name)
}

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{test}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn privaudit<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_privaudit")).args(args).output().expect("run privaudit")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing stderr when it differs; never a panic in the binary.
fn expect_code(o: &Output, code: i32) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "the binary panicked: {err}");
}

/// `profile DATA --json -` (plus `extra`) as JSON.
fn profile_json(data: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["profile".as_ref(), data.as_os_str(), "--json".as_ref(), "-".as_ref()];
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    let o = privaudit(&args);
    expect_code(&o, 0);
    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(&o)))
}

/// A report without its timing fields.
fn untimed(mut v: Value) -> Value {
    let input = v["input"].as_object_mut().expect("input block");
    input.remove("started_at").expect("started_at");
    input.remove("duration_ms").expect("duration_ms");
    v
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn profile_prints_the_json_report() {
    let v = profile_json(&messy("quoted.csv"), &[]);
    assert_eq!(v["schema"], "privaudit.report/2");
    assert_eq!(v["input"]["rows"], 4);
    assert_eq!(v["input"]["columns"], 3);
    assert_eq!(v["input"]["file_name"], "quoted.csv");
    assert!(v["input"]["duration_ms"].is_number());
    let n = v["columns"].as_array().unwrap().iter().find(|c| c["name"] == "n").expect("column n");
    assert_eq!(n["numeric"]["mean"], 25.0);
}

#[test]
fn profile_exits_0_even_when_a_gate_would_fail() {
    let d = scratch("profile-ragged");
    let json = d.join("r.json");
    let o = privaudit(&["profile".as_ref(), messy("ragged.csv").as_os_str(), "--json".as_ref(), json.as_os_str()]);
    expect_code(&o, 0);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["passed"], false);
    assert!(stderr(&o).contains("ragged.csv: 4 rows × 3 columns"), "{}", stderr(&o));
}

#[test]
fn html_report_escapes_markup_from_the_data() {
    let d = scratch("html");
    let html = d.join("report.html");
    let o = privaudit(&["profile".as_ref(), messy("xss_header.csv").as_os_str(), "--html".as_ref(), html.as_os_str()]);
    expect_code(&o, 0);
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert!(h.contains("&lt;img src=x onerror=alert(1)&gt;"), "the header name must appear, escaped");
    assert!(!h.contains("<img") && !h.contains("<script"), "raw markup from the data reached the HTML");
}

#[test]
fn audit_exits_1_on_a_failed_gate_and_writes_junit() {
    let d = scratch("audit-fail");
    let spec = d.join("spec.toml");
    write(&spec, "[checks.missing_share]\nseverity = \"fail\"\nthreshold = 0.5\n");
    let junit = d.join("junit.xml");
    let data = messy("all_missing.csv");
    let o = privaudit(&[
        "audit".as_ref(),
        data.as_os_str(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--junit".as_ref(),
        junit.as_os_str(),
    ]);
    expect_code(&o, 1);
    let x = std::fs::read_to_string(&junit).unwrap();
    assert!(x.starts_with("<?xml"), "{x}");
    assert!(x.contains("<failure"), "{x}");
    assert!(x.contains("missing_share [empty]"), "the failing column is named: {x}");
    assert_eq!(x.matches("<failure").count(), 1, "only the all-missing column fails: {x}");

    // Without the spec the same file only warns: exit 0.
    let o = privaudit(&["audit".as_ref(), data.as_os_str(), "--junit".as_ref(), junit.as_os_str()]);
    expect_code(&o, 0);
    assert!(!std::fs::read_to_string(&junit).unwrap().contains("<failure"));

    // Default gates: ragged rows fail, a header-only file fails min_rows.
    for name in ["ragged.csv", "header_only.csv"] {
        let o = privaudit(&["audit".as_ref(), messy(name).as_os_str()]);
        expect_code(&o, 1);
    }
}

#[test]
fn unusable_inputs_exit_2_with_a_sentence() {
    let cases = [
        ("empty.csv", "the file is empty"),
        ("blank_lines.csv", "the file is empty"),
        ("binary.png", "a PNG image, not a table"),
        ("utf16le_no_bom.csv", "UTF-16 without a byte-order mark"),
        ("no-such-file.csv", "no-such-file.csv"),
    ];
    for (name, words) in cases {
        for cmd in ["profile", "audit", "spec"] {
            let o = privaudit(&[cmd.as_ref(), messy(name).as_os_str()]);
            expect_code(&o, 2);
            let err = stderr(&o);
            assert!(err.starts_with("privaudit: "), "{cmd} {name}: {err}");
            assert!(err.contains(words), "{cmd} {name}: {err}");
            assert!(err.trim_end().lines().count() == 1, "{cmd} {name}: one sentence, got {err}");
            assert!(o.stdout.is_empty(), "{cmd} {name}: nothing on stdout");
        }
    }
}

#[test]
fn a_field_over_the_limit_names_row_and_column() {
    let d = scratch("field-limit");
    let data = d.join("long.csv");
    write(&data, &format!("k,v\n1,a\n2,{}\n3,c\n", "z".repeat(2000)));
    let spec = d.join("spec.toml");
    write(&spec, "[input]\nmax_field_bytes = 1024\n");
    let o = privaudit(&["profile".as_ref(), data.as_os_str(), "--spec".as_ref(), spec.as_os_str()]);
    expect_code(&o, 2);
    let err = stderr(&o);
    assert!(
        err.starts_with("privaudit: row 2, column `v`, byte 8: a single field is longer than 1,024 bytes"),
        "{err}"
    );
}

#[test]
fn bad_spec_exits_2_naming_the_key() {
    let d = scratch("bad-spec");
    let spec = d.join("spec.toml");
    write(&spec, "[input]\ndelimeter = \";\"\n");
    for cmd in ["profile", "audit", "spec"] {
        let o = privaudit(&[cmd.as_ref(), messy("quoted.csv").as_os_str(), "--spec".as_ref(), spec.as_os_str()]);
        expect_code(&o, 2);
        let err = stderr(&o);
        assert!(err.starts_with("privaudit: ") && err.contains("delimeter"), "{cmd}: {err}");
    }
    // A check on a column the file does not have.
    write(&spec, "[checks.missing_share.columns]\nincome = 0.1\n");
    let o = privaudit(&["audit".as_ref(), messy("quoted.csv").as_os_str(), "--spec".as_ref(), spec.as_os_str()]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("income"), "{}", stderr(&o));
}

#[test]
fn the_printed_spec_feeds_back_to_the_same_report() {
    let d = scratch("spec-roundtrip");
    for name in [
        "semicolon_decimal_comma.csv",
        "dates.csv",
        "numbers.csv",
        "tab.tsv",
        "quoted.csv",
        "latin1.csv",
        "utf16be_bom.csv",
        "duplicate_headers.csv",
        "empty_header.csv",
        "all_missing.csv",
    ] {
        let data = messy(name);
        let o = privaudit(&["spec".as_ref(), data.as_os_str()]);
        expect_code(&o, 0);
        let toml = stdout(&o);
        assert!(toml.contains("[input]") && toml.contains("[[columns]]"), "{name}: {toml}");
        let spec = d.join(format!("{name}.toml"));
        write(&spec, &toml);

        let mut detected = untimed(profile_json(&data, &[]));
        let mut pinned = untimed(profile_json(&data, &["--spec", spec.to_str().unwrap()]));
        // Detection notices (ambiguous dates, decimal comma, all-missing sample) are about
        // guesses; with every setting pinned there is nothing left to guess.
        let pinned_notices = pinned.as_object_mut().unwrap().remove("notices").unwrap();
        let detected_notices = detected.as_object_mut().unwrap().remove("notices").unwrap();
        for n in pinned_notices.as_array().unwrap() {
            assert!(detected_notices.as_array().unwrap().contains(n), "{name}: new notice {n}");
        }
        assert_eq!(pinned, detected, "{name}: the printed spec gives another report");
    }
}

#[test]
fn sample_writes_the_requested_rows() {
    let o = privaudit(&["sample", "--rows", "100"]);
    expect_code(&o, 0);
    let csv = stdout(&o);
    assert_eq!(csv.lines().count(), 101, "header + 100 rows");
    let width = csv.lines().next().unwrap().split(',').count();
    assert!(width >= 10, "{width} columns");

    // Deterministic, and a valid input for profile.
    let d = scratch("sample");
    let path = d.join("sample.csv");
    let o = privaudit(&["sample".as_ref(), "--rows".as_ref(), "100".as_ref(), "-o".as_ref(), path.as_os_str()]);
    expect_code(&o, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), csv);
    let v = profile_json(&path, &[]);
    assert_eq!(v["input"]["rows"], 100);
    assert_eq!(v["findings"].as_array().unwrap().iter().map(|f| f["count"].as_u64().unwrap()).sum::<u64>(), 0);
}

/// About 3.2 MB of CSV with quoted newlines, embedded delimiters, missing values, dates and
/// a few unparseable cells, so that range splits fall inside quoted fields.
fn big_csv() -> Vec<u8> {
    let mut s = String::from("id,amount,comment,when,flag\n");
    let mut x: u64 = 42;
    let mut i = 0u64;
    while s.len() < 3_200_000 {
        i += 1;
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let r = x >> 33;
        let amount = match r % 200 {
            0..=3 => "NA".to_string(),
            4 => "n/a!".to_string(), // 0.5 %: the column stays numeric, these are findings
            k => format!("{}.{:02}", r % 100_000, k % 100),
        };
        let comment = match r % 7 {
            0 => format!("\"line one\nline \"\"{}\"\", two\"", r % 13),
            1 => String::new(),
            _ => format!("note {}", r % 1000),
        };
        let when = format!("2024-{:02}-{:02}", 1 + r % 12, 1 + r % 28);
        s.push_str(&format!("{i},{amount},{comment},{when},{}\n", if r % 3 == 0 { "yes" } else { "no" }));
    }
    s.into_bytes()
}

#[test]
fn workers_give_the_same_report_and_the_right_sha256() {
    let d = scratch("workers");
    let bytes = big_csv();
    assert!(bytes.len() >= 3_000_000);
    let path = d.join("big.csv");
    std::fs::write(&path, &bytes).unwrap();
    let sha: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();

    let one = untimed(profile_json(&path, &["--workers", "1"]));
    let four = untimed(profile_json(&path, &["--workers", "4"]));
    assert_eq!(one["input"]["sha256"], sha.as_str());
    assert_eq!(sha.len(), 64);
    assert!(one["input"]["rows"].as_u64().unwrap() > 50_000);
    let amount = one["columns"].as_array().unwrap().iter().find(|c| c["name"] == "amount").unwrap();
    assert_eq!(amount["type"], "float");
    assert!(amount["unparseable"].as_u64().unwrap() > 100, "{}", amount["unparseable"]);
    assert!(one == four, "--workers 1 and --workers 4 differ");

    let unhashed = untimed(profile_json(&path, &["--workers", "2", "--no-hash"]));
    assert_eq!(unhashed["input"]["sha256"], Value::Null);
}

#[test]
fn audit_with_reference_reports_drift_and_gates_it() {
    let dir = scratch("drift");
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference");
    let (r, c) = (data.join("drift_small_ref.csv"), data.join("drift_small_cur.csv"));
    let warn = dir.join("warn.toml");
    write(&warn, "[[columns]]\nname = \"id\"\nrole = \"identifier\"\n");
    let html = dir.join("report.html");
    let args = |spec: &Path| {
        vec![
            "audit".into(),
            c.clone().into_os_string(),
            "--reference".into(),
            r.clone().into_os_string(),
            "--spec".into(),
            spec.as_os_str().to_owned(),
            "--json".into(),
            "-".into(),
            "--html".into(),
            html.clone().into_os_string(),
        ]
    };
    let o = privaudit(&args(&warn));
    expect_code(&o, 0);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let d = &v["drift"];
    assert_eq!(d["dataset_drift"], Value::Bool(true));
    assert_eq!(d["counted"], 6);
    for f in ["method", "why", "value", "threshold", "drifted", "psi", "psi_band", "n_ref", "n_cur", "raw"] {
        assert!(!d["columns"][0][f].is_null(), "drift column field {f} missing");
    }
    assert!(d["excluded"].as_array().expect("excluded").iter().any(|e| e["column"] == "when"));
    let gate = v["checks"].as_array().expect("checks").iter().find(|o| o["id"] == "dataset_drift").expect("gate");
    assert_eq!(gate["status"], "warn");
    assert!(std::fs::read_to_string(&html).expect("html").contains("Drift against the reference"));
    let fail = dir.join("fail.toml");
    write(&fail, "[[columns]]\nname = \"id\"\nrole = \"identifier\"\n\n[checks.dataset_drift]\nseverity = \"fail\"\n");
    expect_code(&privaudit(&args(&fail)), 1);
    let lenient = dir.join("lenient.toml");
    write(&lenient, "[[columns]]\nname = \"id\"\nrole = \"identifier\"\n\n[checks.dataset_drift]\nseverity = \"fail\"\nthreshold = 0.9\n");
    expect_code(&privaudit(&args(&lenient)), 0);
    // A reference whose columns the current file lacks is a usage error, not a panic.
    let other = dir.join("other.csv");
    write(&other, "x,y\n1,2\n3,4\n");
    let o = privaudit(&["audit".as_ref(), c.as_os_str(), "--reference".as_ref(), other.as_os_str()]);
    expect_code(&o, 2);
}

/// The built-in sample (3,000 rows) and its spec, in a scratch directory.
fn sample_files(d: &Path) -> (PathBuf, String) {
    let data = d.join("sample.csv");
    let spec = d.join("sample.toml");
    let o = privaudit(&[
        "sample".as_ref(),
        "--rows".as_ref(),
        "3000".as_ref(),
        "-o".as_ref(),
        data.as_os_str(),
        "--spec-out".as_ref(),
        spec.as_os_str(),
    ]);
    expect_code(&o, 0);
    (data, std::fs::read_to_string(&spec).unwrap())
}

#[test]
fn disparity_gates_fail_the_audit_and_list_skipped_groups_in_junit() {
    let d = scratch("disparity-gates");
    let (data, sample_spec) = sample_files(&d);
    let spec = d.join("spec.toml");
    let junit = d.join("junit.xml");
    let audit = |spec_text: &str| {
        write(&spec, spec_text);
        let o = privaudit(&[
            "audit".as_ref(),
            data.as_os_str(),
            "--spec".as_ref(),
            spec.as_os_str(),
            "--junit".as_ref(),
            junit.as_os_str(),
            "--no-hash".as_ref(),
        ]);
        (o, std::fs::read_to_string(&junit).unwrap_or_default())
    };
    // Defaults: selection-rate ratio below 0.8 only warns (LL144 sets no pass mark).
    let (o, x) = audit(&sample_spec);
    expect_code(&o, 0);
    assert!(x.contains("name=\"disparity_ratio [race: race = Black; selection_rate]\""), "{x}");
    assert!(x.contains("warning: Rate ratio to the reference group"), "{x}");
    assert!(!x.contains("<failure"), "{x}");

    // Severity fail: exit 1, a JUnit failure naming the group, the rates and their counts.
    let (o, x) = audit(&format!("{sample_spec}\n[checks.disparity_ratio]\nmin = 0.8\nseverity = \"fail\"\n"));
    expect_code(&o, 1);
    let failure = x
        .lines()
        .find(|l| l.contains("disparity_ratio [race: race = Black; selection_rate]"))
        .expect("Black is compared");
    assert!(failure.contains("<failure message=\"Rate ratio to the reference group: observed 0."), "{failure}");
    assert!(failure.contains("selection rate") && failure.contains(" of "), "{failure}");
    assert!(failure.contains("disadvantaged: race = Black (lower harms)"), "{failure}");

    // Groups below min_group_size are skipped, never passed or failed.
    let (o, x) = audit(&format!(
        "{sample_spec}\n[checks.disparity_difference]\nmetric = \"false_positive_rate\"\nmax = 0.0\nmin_group_size = 1000000\nseverity = \"fail\"\n"
    ));
    expect_code(&o, 0);
    let diff: Vec<&str> = x.lines().filter(|l| l.contains("classname=\"privaudit.disparity_difference\"")).collect();
    assert!(!diff.is_empty());
    assert!(diff.iter().all(|l| l.contains("<skipped message=\"Rate difference to the reference group")), "{x}");
    assert!(
        diff.iter().all(|l| l.contains("fewer than min_group_size 1000000") || l.contains("undefined (0/0)")),
        "{x}"
    );
    assert!(x.contains(&format!("skipped=\"{}\"", x.matches("<skipped").count())), "{x}");

    // Without a bias section a disparity check is a spec error.
    let (o, _) = audit("[checks.disparity_ratio]\nmin = 0.8\n");
    expect_code(&o, 2);
    assert!(stderr(&o).contains("checks.disparity_ratio"), "{}", stderr(&o));
}

#[test]
fn the_label_flag_is_optional_for_a_selection_only_audit() {
    let d = scratch("selection-only");
    let (data, _) = sample_files(&d);
    let html = d.join("r.html");
    let o = privaudit(&[
        "audit".as_ref(),
        data.as_os_str(),
        "--protected".as_ref(),
        "race".as_ref(),
        "--prediction".as_ref(),
        "decision".as_ref(),
        "--positive-prediction".as_ref(),
        "approved".as_ref(),
        "--json".as_ref(),
        "-".as_ref(),
        "--html".as_ref(),
        html.as_os_str(),
    ]);
    expect_code(&o, 0);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let b = &v["bias"];
    assert!(b["label"].is_null() && b["positive_label"].is_null(), "{b}");
    let race = &b["breakdowns"][0];
    assert!(race["audit"].is_null());
    let s = &race["selection"];
    assert!(s["absent"][0].as_str().unwrap().starts_with("no label column"), "{s}");
    let black = s["four_fifths"].as_array().unwrap().iter().find(|f| f["group"][0] == "Black").expect("Black");
    assert_eq!(black["adverse_impact"], true, "{black}");
    assert!(s["between_groups"]["difference"].is_number());
    let sentence = s["vs_reference"][0]["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| c["sentence"].as_str())
        .expect("a sentence on the selection rate");
    assert!(
        sentence.starts_with("The group “Black” was predicted positive (decision = approved, the favourable outcome)"),
        "{sentence}"
    );
    // The disparity gate reads the selection-only audit too.
    let gate =
        v["checks"].as_array().unwrap().iter().find(|c| c["id"] == "disparity_ratio" && c["group"] == "race = Black");
    assert_eq!(gate.expect("gate on Black")["status"], "warn");
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.contains("Bias audit (selection only)") && h.contains("adverse impact"), "html");

    // A label without its positive value is still an error that names the key.
    let o = privaudit(&[
        "audit".as_ref(),
        data.as_os_str(),
        "--protected".as_ref(),
        "race".as_ref(),
        "--label".as_ref(),
        "repaid".as_ref(),
        "--prediction".as_ref(),
        "decision".as_ref(),
        "--positive-prediction".as_ref(),
        "approved".as_ref(),
    ]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("bias.positive_label"), "{}", stderr(&o));
}

#[test]
fn reweigh_out_writes_kamiran_calders_weights_per_row() {
    let d = scratch("reweigh");
    let data = d.join("small.csv");
    // Counted rows 1, 2, 3, 4, 6, 8: n = 6, 4 positive. w(a, 1) = 4·3/(6·1) = 2,
    // w(a, 0) = 2·3/(6·2) = 0.5, w(b, 1) = 4·2/(6·2) = 2/3, w(unknown, 1) = 4·1/(6·1) = 2/3.
    // Row 5 has no label and row 7 no prediction: not counted, empty weight.
    write(&data, "g,y,p\na,1,1\na,0,0\na,0,1\nb,1,1\nb,,0\nb,1,0\nb,0,\n,1,1\n");
    let out = d.join("weights.csv");
    let args = |extra: &[&str]| {
        let mut v: Vec<std::ffi::OsString> =
            vec!["audit".into(), data.clone().into(), "--protected".into(), "g".into()];
        v.extend(extra.iter().map(|s| std::ffi::OsString::from(*s)));
        v.extend(["--prediction".into(), "p".into(), "--positive-prediction".into(), "1".into()]);
        v.extend(["--reweigh-out".into(), out.clone().into_os_string()]);
        v
    };
    let o = privaudit(&args(&["--label", "y", "--positive", "1"]));
    expect_code(&o, 0);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "row,weight\n1,2\n2,0.5\n3,0.5\n4,0.6666666666666666\n5,\n6,0.6666666666666666\n7,\n8,0.6666666666666666\n"
    );
    assert!(stderr(&o).contains("8 rows written") && stderr(&o).contains("6 weighted, 2 left out"), "{}", stderr(&o));

    // Without a label there is nothing to reweigh: a usage error that says why.
    let o = privaudit(&args(&[]));
    expect_code(&o, 2);
    assert!(stderr(&o).contains("--reweigh-out") && stderr(&o).contains("selection-only"), "{}", stderr(&o));
}

#[test]
fn reweigh_out_on_compas_matches_aif360() {
    let data =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fairness-data/compas/compas-scores-two-years.csv");
    if !data.exists() {
        eprintln!("notice: {} not found; skipping (shared datasets are not in the repository)", data.display());
        return;
    }
    let d = scratch("reweigh-compas");
    let out = d.join("w.csv");
    let o = privaudit(&[
        "audit".as_ref(),
        data.as_os_str(),
        "--protected".as_ref(),
        "race".as_ref(),
        "--label".as_ref(),
        "two_year_recid".as_ref(),
        "--positive".as_ref(),
        "1".as_ref(),
        "--score".as_ref(),
        "decile_score".as_ref(),
        "--threshold".as_ref(),
        "5".as_ref(),
        "--no-hash".as_ref(),
        "--reweigh-out".as_ref(),
        out.as_os_str(),
    ]);
    expect_code(&o, 0);
    let text = std::fs::read_to_string(&out).unwrap();
    let weights: Vec<f64> = text.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse().unwrap()).collect();
    assert_eq!(weights.len(), 7214);
    // Σ w = n for Kamiran–Calders weights.
    assert!((weights.iter().sum::<f64>() - 7214.0).abs() < 1e-8);
    // AIF360 0.6.1 Reweighing on the same file (fixture fairness_compas.json, orientation
    // "favourable = 0": unprivileged_unfavorable is label 1): African-American label 1.
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/fairness_compas.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let aa = &fixture["datasets"]["compas_favourable0"]["breakdowns"]["race"]["aif360"]["groups"]["African-American"]
        ["reweighing"];
    let distinct: std::collections::BTreeSet<u64> = weights.iter().map(|w| w.to_bits()).collect();
    for key in ["unprivileged_favorable", "unprivileged_unfavorable", "privileged_favorable", "privileged_unfavorable"]
    {
        let want = aa[key].as_f64().unwrap();
        assert!(distinct.iter().any(|&b| (f64::from_bits(b) - want).abs() < 1e-15), "{key} {want}");
    }
}

#[test]
fn weight_flag_adds_the_weighted_audit() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/weights_synthetic.csv");
    let args = |weight: &str| -> Vec<String> {
        let mut a: Vec<String> =
            ["profile", "", "--json", "-", "--protected", "group", "--label", "label", "--positive", "1"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        a[1] = data.display().to_string();
        a.extend(["--prediction", "decision", "--positive-prediction", "1", "--weight", weight].map(String::from));
        a
    };
    let o = privaudit(&args("weight"));
    expect_code(&o, 0);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["bias"]["weight"]["column"], "weight");
    assert_eq!(v["bias"]["weight"]["excluded_invalid_weight"], 6);
    assert!(v["bias"]["breakdowns"][0]["weighted"]["groups"][0]["effective_n"].is_number());
    let bad = privaudit(&args("sex"));
    expect_code(&bad, 2);
    assert!(stderr(&bad).contains("bias.weight"), "{}", stderr(&bad));
}

#[test]
fn audit_with_test_reports_the_overlap_and_gates_it() {
    let dir = scratch("overlap");
    let (train, test) = (dir.join("train.csv"), dir.join("test.csv"));
    write(&train, "a,b,y\n1,x,0\n2,x,1\n3,z,0\n3,z,0\n");
    write(&test, "a,b,y\n1.0,x,0\n3,z,1\n9,q,1\n");
    let spec = dir.join("spec.toml");
    write(&spec, "[[columns]]\nname = \"y\"\nrole = \"label\"\n\n[checks.train_test_overlap]\nseverity = \"fail\"\n");
    let o = privaudit(&[
        "audit".as_ref(),
        train.as_os_str(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--test".as_ref(),
        test.as_os_str(),
        "--json".as_ref(),
        "-".as_ref(),
    ]);
    expect_code(&o, 1);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let ov = &v["dataset"]["overlap"];
    // `1.0,x,0` equals the training row `1,x,0`; `3,z,1` has the features of `3,z,0`.
    assert_eq!((ov["test_rows"].as_u64(), ov["rows_in_train"].as_u64()), (Some(3), Some(1)), "{ov}");
    assert_eq!((ov["conflicting_groups"].as_u64(), ov["conflicting_rows"].as_u64()), (Some(1), Some(1)));
    assert_eq!(v["dataset"]["duplicate_rows"]["count"], 1);
    let gate = v["checks"].as_array().expect("checks").iter().find(|c| c["id"] == "train_test_overlap").expect("gate");
    assert_eq!(gate["status"], "fail");
    // A test file with other columns is a usage error, not a panic.
    let other = dir.join("other.csv");
    write(&other, "x,y\n1,2\n");
    let o = privaudit(&["audit".as_ref(), train.as_os_str(), "--test".as_ref(), other.as_os_str()]);
    expect_code(&o, 2);
}

#[test]
fn csv_tables_are_formula_safe_and_match_the_json() {
    let dir = scratch("csv-tables");
    let data = dir.join("data.csv");
    let mut text = String::from("\"=HYPERLINK(\"\"http://x\"\")\",g,y,p\n");
    for i in 0..60 {
        text.push_str(&format!("{},{},{},{}\n", i as f64 - 30.5, ["a", "+b"][i % 2], i % 3 == 0, i % 4 == 0));
    }
    write(&data, &text);
    let out = dir.join("tables");
    let o = privaudit(&[
        "audit".as_ref(),
        data.as_os_str(),
        "--protected".as_ref(),
        "g".as_ref(),
        "--label".as_ref(),
        "y".as_ref(),
        "--positive".as_ref(),
        "true".as_ref(),
        "--prediction".as_ref(),
        "p".as_ref(),
        "--positive-prediction".as_ref(),
        "true".as_ref(),
        "--csv".as_ref(),
        out.as_os_str(),
        "--json".as_ref(),
        "-".as_ref(),
    ]);
    expect_code(&o, 0);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let read = |name: &str| -> Vec<Vec<String>> { parse_csv(&std::fs::read_to_string(out.join(name)).expect(name)) };
    let columns = read("columns.csv");
    assert_eq!(columns.len(), 1 + 4, "header and one row per column");
    // The formula-like header is text; so is a negative minimum.
    assert_eq!(&columns[1][0], "'=HYPERLINK(\"http://x\")");
    let header: Vec<&str> = columns[0].iter().map(String::as_str).collect();
    let at = |k: &str| header.iter().position(|h| *h == k).unwrap_or_else(|| panic!("no {k}"));
    assert_eq!(&columns[1][at("min")], "-30.5", "a negative number stays a number");
    assert_eq!(columns[1][at("mean")].parse::<f64>().ok(), v["columns"][0]["numeric"]["mean"].as_f64());
    assert_eq!(&columns[2][at("rows")], "60");
    let checks = read("checks.csv");
    assert_eq!(checks.len(), 1 + v["checks"].as_array().expect("checks").len());
    let groups = read("bias_groups.csv");
    let gh: Vec<&str> = groups[0].iter().map(String::as_str).collect();
    let g = |row: usize, k: &str| {
        groups[row][gh.iter().position(|h| *h == k).unwrap_or_else(|| panic!("no {k}"))].to_string()
    };
    let plus_b =
        (1..groups.len()).find(|&r| g(r, "group") == "'+b" && g(r, "breakdown") == "g").expect("group +b, defused");
    assert_eq!(g(plus_b, "n"), "30");
    let json_groups = v["bias"]["breakdowns"][0]["audit"]["groups"].as_array().expect("groups");
    let want =
        json_groups.iter().find(|x| x["group"][0] == "+b").expect("+b")["metrics"]["selection_rate"]["value"].as_f64();
    assert_eq!(g(plus_b, "selection_rate").parse::<f64>().ok(), want);
    // Without a bias audit there is no group table (and no error).
    let plain = dir.join("plain");
    expect_code(&privaudit(&["profile".as_ref(), data.as_os_str(), "--csv".as_ref(), plain.as_os_str()]), 0);
    assert!(plain.join("columns.csv").exists() && !plain.join("bias_groups.csv").exists());
}

/// RFC 4180 records (quoted fields with doubled quotes; no line breaks inside fields here).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let (mut fields, mut field, mut quoted, mut chars) =
                (Vec::new(), String::new(), false, line.chars().peekable());
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        field.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => fields.push(std::mem::take(&mut field)),
                    _ => field.push(c),
                }
            }
            fields.push(field);
            fields
        })
        .collect()
}

#[test]
fn a_parquet_file_named_csv_is_read_as_parquet_by_row_groups() {
    // Detected by content: the name says CSV, the bytes say Parquet (4 row groups, zstd).
    let d = scratch("parquet");
    let named = d.join("table.csv");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/inputs/table_pyarrow_zstd.parquet");
    std::fs::copy(&src, &named).expect("copy");
    let one = untimed(profile_json(&named, &["--workers", "1", "--no-hash"]));
    assert_eq!(one["input"]["spec"]["input"]["format"], "parquet");
    assert_eq!(one["input"]["rows"], 400);
    let csv = untimed(profile_json(&src.with_file_name("table.csv"), &["--workers", "1", "--no-hash"]));
    assert_eq!(one["columns"].as_array().map(Vec::len), csv["columns"].as_array().map(Vec::len));
    // Row groups read by 3 threads: the same report.
    let mut three = untimed(profile_json(&named, &["--workers", "3", "--no-hash"]));
    let mut one = one;
    for r in [&mut one, &mut three] {
        r["input"].as_object_mut().expect("input").remove("workers");
    }
    assert_eq!(one, three);
    let o = privaudit(&["profile".as_ref(), messy("footer_beyond.parquet").as_os_str()]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("damaged Parquet file"), "{}", stderr(&o));
}
