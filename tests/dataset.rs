//! Dataset checks against the pinned pandas reference (`scripts/reference/dataset.py`):
//! duplicate rows and records (`df.duplicated()`), duplicate columns (`df.T.duplicated()`),
//! class balance (`value_counts()`), conflicting labels (`groupby(features)[label]
//! .nunique() > 1`) and target leakage (the proxy-detection reference) on a committed
//! synthetic table, COMPAS and Aequitas' sample files (skipped with a notice when the shared
//! datasets are absent); the examples, as 1-based data rows (pandas index + 1); the capped
//! regime; independence from the split.

mod common;
use privaudit::quality::checks::Status;
use privaudit::quality::dataset::report::DatasetReport;
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;
use serde_json::{json, Value};

const REBUILD: &str = "/tmp/venv-rownums/bin/python scripts/reference/dataset.py --data ../shared/fairness-data";
const SYNTHETIC: &[u8] = include_bytes!("data/reference/dataset_synthetic.csv");

fn fixture() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/dataset.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; rebuild with {REBUILD}", path.display()));
    serde_json::from_str(&text).expect("fixture json")
}

/// The spec of a fixture case: ignored columns, the label, the score columns.
fn case_spec(case: &Value, extra: Value) -> RawSpec {
    let mut columns: Vec<Value> =
        case["ignore"].as_array().unwrap().iter().map(|c| json!({"name": c, "role": "ignore"})).collect();
    columns.push(json!({"name": case["label_column"], "role": "label"}));
    for c in case["not_features"].as_array().unwrap() {
        let role = if c == "score" { "score" } else { "identifier" };
        columns.push(json!({"name": c, "role": role}));
    }
    let mut spec = json!({ "columns": columns });
    if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    RawSpec::from_json(&spec.to_string()).expect("spec")
}

fn audit(raw: &RawSpec, bytes: &[u8], workers: usize) -> Report {
    privaudit::audit_bytes(raw, bytes, InputMeta::default(), workers).expect("audit")
}

fn close(a: Option<f64>, b: &Value, what: &str) -> f64 {
    match (a, b.as_f64()) {
        (Some(a), Some(b)) => {
            let d = (a - b).abs();
            assert!(d <= 1e-12, "{what}: {a} vs {b} (diff {d:e})");
            d
        }
        (None, None) => 0.0,
        (a, b) => panic!("{what}: {a:?} vs {b:?}"),
    }
}

/// Asserts the report equals the reference case; returns the largest |difference| of the
/// leakage statistics (every count must be equal).
fn compare(name: &str, d: &DatasetReport, want: &Value) -> f64 {
    let r = &d.duplicate_rows;
    assert!(r.exact, "{name}");
    assert_eq!(r.count, want["duplicate_rows"].as_u64().unwrap(), "{name}: duplicate rows");
    assert_eq!(r.distinct, want["distinct_rows"].as_u64().unwrap(), "{name}: distinct rows");
    assert_eq!(r.duplicated_records, want["duplicated_records"].as_u64(), "{name}: duplicated records");
    let rows = want["rows"].as_u64().unwrap();
    assert_eq!(r.share, r.count as f64 / rows as f64);
    let cols: Vec<(String, String)> =
        d.duplicate_columns.iter().map(|c| (c.column.clone(), c.duplicate_of.clone())).collect();
    let want_cols: Vec<(String, String)> = want["duplicate_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["column"].as_str().unwrap().into(), c["duplicate_of"].as_str().unwrap().into()))
        .collect();
    assert_eq!(cols, want_cols, "{name}: duplicate columns");
    let examples: Vec<Value> = r.examples.iter().map(|e| json!(e.rows)).collect();
    assert_eq!(Value::from(examples), want["duplicate_examples"], "{name}: duplicate examples");
    let (l, w) = (d.label.as_ref().expect("label section"), &want["label"]);
    assert_eq!(l.column, w["column"].as_str().unwrap());
    assert_eq!(l.missing, w["missing"].as_u64().unwrap(), "{name}: missing labels");
    let classes: Vec<Value> = l.classes.as_ref().unwrap().iter().map(|c| json!([c.value, c.rows])).collect();
    assert_eq!(Value::from(classes), w["classes"], "{name}: classes");
    let feats: Vec<Value> = l.features.iter().map(|f| json!(f)).collect();
    assert_eq!(Value::from(feats), w["features"], "{name}: features");
    let c = l.conflicting_labels.as_ref().expect("conflicts computed");
    let wc = &w["conflicts"];
    assert_eq!(
        (c.feature_groups, c.conflicting_groups, c.rows),
        (
            wc["feature_groups"].as_u64().unwrap(),
            wc["conflicting_groups"].as_u64().unwrap(),
            wc["rows"].as_u64().unwrap()
        ),
        "{name}: conflicting labels"
    );
    let examples: Vec<Value> = c.examples.iter().map(|e| json!({"rows": e.rows, "labels": e.labels})).collect();
    assert_eq!(Value::from(examples), wc["examples"], "{name}: conflict examples");
    let mut max_diff = 0.0f64;
    for wl in w["leakage"].as_array().unwrap() {
        let col = wl["column"].as_str().unwrap();
        let got = l.leakage.iter().find(|x| x.column == col).unwrap_or_else(|| panic!("{name}: no leakage for {col}"));
        max_diff = max_diff.max(close(got.cramers_v, &wl["cramers_v"], &format!("{name}: V of {col}")));
        if let Some(e) = wl.get("correlation_ratio") {
            max_diff = max_diff.max(close(got.correlation_ratio, e, &format!("{name}: η of {col}")));
        } else {
            assert_eq!(got.correlation_ratio, None, "{name}: {col} is not numeric");
        }
        let best = [got.cramers_v, got.correlation_ratio]
            .into_iter()
            .flatten()
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        assert_eq!(got.value, best, "{name}: {col} reports the larger measure");
    }
    max_diff
}

#[test]
fn synthetic_matches_pandas() {
    let f = fixture();
    let case = &f["cases"]["synthetic"];
    let r = audit(&case_spec(case, json!({})), SYNTHETIC, 1);
    let d = r.dataset.as_ref().expect("dataset section");
    let diff = compare("synthetic", d, case);
    assert!(
        !d.duplicate_rows.examples.is_empty()
            && !d.label.as_ref().unwrap().conflicting_labels.as_ref().unwrap().examples.is_empty()
    );
    // Split into three ranges: the same examples (row numbers are global).
    let three = audit(&case_spec(case, json!({})), SYNTHETIC, 3);
    compare("synthetic, 3 workers", three.dataset.as_ref().unwrap(), case);
    eprintln!("synthetic: max |privaudit − python| = {diff:e}");
    // The leaky feature is flagged and gated; the rest are not.
    let leak = d.label.as_ref().unwrap().leakage.iter().find(|l| l.column == "leak").unwrap();
    assert!(leak.flagged, "{leak:?}");
    let gated: Vec<_> = r.checks.iter().filter(|c| c.id == "target_leakage" && c.status != Status::Pass).collect();
    assert_eq!(gated.len(), 1, "{gated:?}");
}

#[test]
fn shared_datasets_match_pandas() {
    let f = fixture();
    let mut ran = 0;
    for name in ["compas", "compas_few", "compas_for_aequitas", "adult_rf_binary", "nyc_sqf"] {
        let Some(case) = f["cases"].get(name) else { panic!("the fixture has no {name}; rebuild with {REBUILD}") };
        let rel = case["file"].as_str().unwrap().trim_start_matches("fairness-data/");
        let Some(path) = common::shared(&format!("fairness-data/{rel}")) else { continue };
        let bytes = std::fs::read(path).expect("read");
        let r = audit(&case_spec(case, json!({})), &bytes, 2);
        let diff = compare(name, r.dataset.as_ref().expect("dataset section"), case);
        eprintln!("{name}: max |privaudit − python| = {diff:e}");
        ran += 1;
    }
    if ran == 0 {
        eprintln!("notice: ../shared/fairness-data is absent; the shared-dataset comparisons were skipped");
    }
}

#[test]
fn past_the_cap_duplicates_are_estimated_and_conflicts_not_computed() {
    let f = fixture();
    let case = &f["cases"]["synthetic"];
    let want = case["duplicate_rows"].as_u64().unwrap() as f64;
    let raw = case_spec(case, json!({"dataset": {"max_distinct_rows": 100}}));
    let one = audit(&raw, SYNTHETIC, 1);
    let d = one.dataset.as_ref().unwrap();
    let r = &d.duplicate_rows;
    assert!(!r.exact && r.duplicated_records.is_none() && r.note.is_some() && r.examples.is_empty(), "{r:?}");
    // Within four standard errors of the distinct count (HyperLogLog, 0.81 %).
    let se = r.standard_error.unwrap();
    assert!((r.count as f64 - want).abs() <= 4.0 * se.max(1.0), "{} vs {want} (se {se})", r.count);
    let l = d.label.as_ref().unwrap();
    assert!(l.conflicting_labels.is_none());
    assert!(l.notes.iter().any(|n| n.contains("conflicting labels not computed")), "{:?}", l.notes);
    assert!(!one.checks.iter().any(|c| c.id == "conflicting_labels"));
    // The capped regime does not depend on the split either.
    assert_eq!(audit(&raw, SYNTHETIC, 3).to_json(), one.to_json());
    let bad = case_spec(case, json!({"dataset": {"max_distinct_rows": 0}}));
    let e = privaudit::audit_bytes(&bad, SYNTHETIC, InputMeta::default(), 1).unwrap_err();
    assert!(e.to_string().contains("dataset.max_distinct_rows"), "{e}");
}

#[test]
fn sample_data_leak_is_flagged() {
    let bytes = privaudit::sample::loan_applications(5000, privaudit::sample::SAMPLE_SEED);
    let r = audit(&privaudit::sample::sample_spec(), &bytes, 2);
    let l = r.dataset.as_ref().unwrap().label.as_ref().unwrap();
    let flagged: Vec<&str> = l.leakage.iter().filter(|x| x.flagged).map(|x| x.column.as_str()).collect();
    assert_eq!(flagged, ["collections_after_default"]);
    let c = l.leakage.iter().find(|x| x.column == "collections_after_default").unwrap();
    assert!(c.correlation_ratio.unwrap() < 0.95, "η alone would miss it: {c:?}");
}

#[test]
fn class_imbalance_and_switch() {
    let mut csv = String::from("x,y\n");
    for i in 0..100 {
        csv.push_str(&format!("{},{}\n", i % 7, if i < 95 { "a" } else { "b" }));
    }
    let raw = RawSpec::from_json(r#"{"columns": [{"name": "y", "role": "label"}]}"#).unwrap();
    let r = audit(&raw, csv.as_bytes(), 1);
    let l = r.dataset.as_ref().unwrap().label.as_ref().unwrap();
    assert_eq!((l.minority_share, l.majority_minority_ratio), (Some(0.05), Some(19.0)));
    let o = r.checks.iter().find(|c| c.id == "class_imbalance").unwrap();
    assert_eq!((o.status, o.numerator, o.denominator), (Status::Warn, 5, 100));
    let off = RawSpec::from_json(r#"{"dataset": {"enabled": false}}"#).unwrap();
    let r = audit(&off, csv.as_bytes(), 1);
    assert!(r.dataset.is_none() && !r.checks.iter().any(|c| c.id == "duplicate_rows"));
}

#[test]
fn dataset_html_is_escaped() {
    let csv = "<b>x</b>,<i>y</i>\n1,<s>p</s>\n1,<s>p</s>\n2,q\n1,<u>r</u>\n";
    let raw = RawSpec::from_json(r#"{"columns": [{"name": "<i>y</i>", "role": "label"}]}"#).unwrap();
    let r = audit(&raw, csv.as_bytes(), 1);
    let h = r.to_html();
    assert!(h.contains("<h2>Dataset</h2>"));
    assert!(h.contains("&lt;s&gt;p&lt;/s&gt;") && !h.contains("<s>p"), "label values are escaped");
    assert!(h.contains("&lt;i&gt;y&lt;/i&gt;") && !h.contains("<i>y"));
    assert!(h.contains("<li>rows 1, 2</li>"), "duplicate example");
    let p = "<code>&lt;s&gt;p&lt;/s&gt;</code>";
    assert!(
        h.contains(&format!("<li>rows 1 ({p}), 2 ({p}), 4 (<code>&lt;u&gt;r&lt;/u&gt;</code>)</li>")),
        "conflict example"
    );
    assert_eq!(Report::from_json(&r.to_json()).unwrap(), r, "the report reads back");
}

/// Header plus data rows `[a, b)` of a file without quoted newlines.
fn data_rows(bytes: &[u8], (a, b): (usize, usize)) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let mut it = text.lines();
    let mut out = format!("{}\n", it.next().expect("header"));
    for l in it.skip(a).take(b - a) {
        out.push_str(l);
        out.push('\n');
    }
    out.into_bytes()
}

/// What `audit TRAIN --test TEST` does: the test file read with the training file's columns.
fn audit_with_test(raw: &RawSpec, train: &[u8], test: &[u8], workers: usize) -> privaudit::error::Result<Report> {
    use privaudit::engine::{drive, split};
    use std::sync::Arc;
    let run = |raw: &RawSpec, bytes: &[u8]| {
        let sample = &bytes[..bytes.len().min(privaudit::ingest::sniff::SAMPLE_BYTES)];
        let preview = privaudit::spec::resolve(raw, sample, sample.len() == bytes.len()).expect("preview");
        let spec = Arc::new(privaudit::spec::ValidSpec::try_from_resolved(&preview.spec).expect("spec"));
        let plans = split::plan_ranges(bytes.len() as u64, workers, preview.splittable);
        let plan = drive::run_bytes(&spec, bytes, plans, drive::CHUNK_BYTES).expect("run");
        (spec, plan)
    };
    let (spec, plan) = run(raw, train);
    let mut test_raw = raw.clone();
    test_raw.columns = spec.resolved.columns.clone();
    let (test_spec, test_plan) = run(&test_raw, test);
    let (tr, _) = plan.dataset_side().expect("train side");
    let (te, n) = test_plan.dataset_side().expect("test side");
    let mut r = plan.finish(&spec, InputMeta::default());
    privaudit::quality::dataset::attach_overlap(&mut r, (&spec, &tr), (&test_spec, &te), n, "test.csv")?;
    Ok(r)
}

fn compare_overlap(name: &str, case: &Value, bytes: &[u8], want: &Value) {
    let span = |k: &str| (want[k][0].as_u64().unwrap() as usize, want[k][1].as_u64().unwrap() as usize);
    let (train, test) = (data_rows(bytes, span("train_rows")), data_rows(bytes, span("test_rows")));
    let r = audit_with_test(&case_spec(case, json!({})), &train, &test, 2).expect("audit --test");
    let o = r.dataset.as_ref().unwrap().overlap.as_ref().expect("overlap");
    let test_rows = (span("test_rows").1 - span("test_rows").0) as u64;
    assert_eq!(o.test_rows, test_rows);
    assert_eq!(o.rows_in_train, want["rows_in_train"].as_u64(), "{name}: rows in both");
    assert_eq!(o.conflicting_groups, want["conflicting_groups"].as_u64(), "{name}: conflicting combinations");
    assert_eq!(o.conflicting_rows, want["conflicting_rows"].as_u64(), "{name}: conflicting test rows");
    let c = r.checks.iter().find(|c| c.id == "train_test_overlap").expect("gate");
    assert_eq!((c.numerator, c.denominator, c.status), (o.rows_in_train.unwrap(), test_rows, Status::Warn));
    assert!(r.to_html().contains("Overlap with the test file <code>test.csv</code>"));
    assert_eq!(Report::from_json(&r.to_json()).unwrap(), r, "the report reads back");
}

#[test]
fn train_test_overlap_matches_pandas() {
    let f = fixture();
    compare_overlap("synthetic", &f["cases"]["synthetic"], SYNTHETIC, &f["overlap"]["synthetic"]);
    let Some(path) = common::shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(path).expect("read COMPAS");
    compare_overlap("compas_few", &f["cases"]["compas_few"], &bytes, &f["overlap"]["compas_few"]);
}

#[test]
fn train_test_overlap_needs_the_same_columns_and_respects_the_cap() {
    let f = fixture();
    let case = &f["cases"]["synthetic"];
    let train = data_rows(SYNTHETIC, (0, 400));
    // The training file's columns in another order.
    let other = b"size,colour,size_copy,amount,note,outcome,leak\n1,red,1,10,late,yes,3\n";
    let e = audit_with_test(&case_spec(case, json!({})), &train, other, 1).unwrap_err();
    assert!(e.to_string().contains("--test"), "{e}");
    let capped = case_spec(case, json!({"dataset": {"max_distinct_rows": 100}}));
    let r = audit_with_test(&capped, &train, &data_rows(SYNTHETIC, (300, 600)), 1).expect("audit --test");
    let o = r.dataset.unwrap().overlap.unwrap();
    assert_eq!((o.rows_in_train, o.conflicting_rows), (None, None));
    assert_eq!(o.notes.len(), 2, "{:?}", o.notes);
    assert!(!r.checks.iter().any(|c| c.id == "train_test_overlap"));
}

/// The browser's path for `--test`: the test run's side travels as bytes
/// (`TestSide::encode/decode`) and gives the same overlap as the CLI's direct call.
#[test]
fn a_test_side_read_back_gives_the_clis_overlap() {
    use privaudit::engine::plan::Plan;
    use privaudit::quality::dataset::test_side::TestSide;
    let raw = privaudit::spec::RawSpec::from_json(r#"{"columns": [{"name": "y", "role": "label"}]}"#).expect("spec");
    let (train, test) = (&b"a,b,y\n1,x,0\n2,x,1\n3,z,0\n3,z,0\n"[..], &b"a,b,y\n1.0,x,0\n3,z,1\n9,q,1\n"[..]);
    let (train_spec, meta) = common::spec_for(train, &raw);
    let mut test_raw = raw.clone();
    test_raw.columns = train_spec.resolved.columns.clone();
    let (test_spec, _) = common::spec_for(test, &test_raw);
    let test_plan = Plan::new(&test_spec, common::one_pass(&test_spec, test)).expect("plan");
    let side = test_plan.test_side(&test_spec, "test.csv").expect("a dataset side");
    let bytes = side.encode().expect("encode");
    let back = TestSide::decode(&bytes).expect("decode");
    assert_eq!(back, side);
    assert!(TestSide::decode(&bytes[..bytes.len() / 2]).is_err() && TestSide::decode(b"nonsense").is_err());

    let train_plan = Plan::new(&train_spec, common::one_pass(&train_spec, train)).expect("plan");
    let (train_acc, _) = train_plan.dataset_side().expect("train side");
    let mut via_bytes = train_plan.clone().finish(&train_spec, meta.clone());
    back.attach(&mut via_bytes, &train_spec, &train_acc).expect("attach");
    let mut direct = train_plan.finish(&train_spec, meta);
    let (test_acc, test_rows) = test_plan.dataset_side().expect("test side");
    privaudit::quality::dataset::attach_overlap(
        &mut direct,
        (&train_spec, &train_acc),
        (&test_spec, &test_acc),
        test_rows,
        "test.csv",
    )
    .expect("attach");
    assert_eq!(via_bytes.to_json(), direct.to_json());
    let ov = via_bytes.dataset.as_ref().and_then(|d| d.overlap.as_ref()).expect("overlap");
    let v = serde_json::to_value(ov).expect("json");
    assert_eq!((v["test_rows"].as_u64(), v["rows_in_train"].as_u64()), (Some(3), Some(1)), "{v}");
}
