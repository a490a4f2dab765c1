//! String and date checks, column flags and hidden values against the pinned pandas
//! reference (`scripts/reference/strings.py`) on a synthetic table (committed) and on
//! COMPAS (skipped with a notice when the shared datasets are absent).

mod common;
use privaudit::quality::checks::Status;
use privaudit::report::{model::ColumnReport, InputMeta, Report};
use privaudit::spec::RawSpec;
use serde_json::Value;

const REBUILD: &str = "/tmp/venv-strprof/bin/python scripts/reference/strings.py --data ../shared/fairness-data";
const SYNTHETIC: &[u8] = include_bytes!("data/reference/strings_synthetic.csv");
const SYNTHETIC_SPEC: &str = r#"{"profile": {"as_of": "2026-12-03"}, "columns": [
    {"name": "visit", "type": "date"}, {"name": "visit_time", "type": "datetime"},
    {"name": "account", "type": "integer"}, {"name": "product", "type": "categorical"},
    {"name": "code", "type": "categorical"}, {"name": "city", "type": "categorical"}]}"#;

fn fixture() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference/strings.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; rebuild with {REBUILD}", path.display()));
    serde_json::from_str(&text).expect("fixture json")
}

fn audit_with(spec: &str, bytes: &[u8], meta: InputMeta) -> Report {
    privaudit::audit_bytes(&RawSpec::from_json(spec).expect("spec"), bytes, meta, 2).expect("audit")
}

fn audit(spec: &str, bytes: &[u8]) -> Report {
    audit_with(spec, bytes, InputMeta::default())
}

fn col<'a>(r: &'a Report, name: &str) -> &'a ColumnReport {
    r.columns.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// Compares every column of the fixture that the report types as string or date; returns
/// how many string and date columns were compared. Every number is a count: exact.
fn compare(r: &Report, want: &Value) -> (usize, usize) {
    let (mut strings, mut dates) = (0, 0);
    for (name, w) in want["columns"].as_object().expect("columns") {
        let Some(c) = r.columns.iter().find(|c| &c.name == name) else { continue };
        let n = |k: &str| w[k].as_u64().unwrap_or_else(|| panic!("{name}.{k}"));
        if let Some(s) = &c.strings {
            assert_eq!(c.stats.valid + c.stats.unparseable, n("present"), "{name}: non-missing values");
            assert_eq!(s.whitespace, n("whitespace"), "{name}: whitespace");
            assert_eq!(s.leading_whitespace, n("leading"), "{name}: leading whitespace");
            assert_eq!(s.trailing_whitespace, n("trailing"), "{name}: trailing whitespace");
            assert_eq!(s.numeric_looking, n("numeric_looking"), "{name}: numeric-looking");
            let g = s.case_groups.as_ref().unwrap_or_else(|| panic!("{name}: case groups not computed"));
            assert_eq!((g.groups, g.rows), (n("case_groups"), n("case_rows")), "{name}: case groups");
            strings += 1;
        }
        if let Some(d) = &c.dates {
            let kind = if c.ty == privaudit::ingest::value::ColumnType::Datetime { "datetime" } else { "date" };
            assert_eq!(c.stats.valid + c.stats.unparseable, n("present"), "{name}: non-missing values");
            assert_eq!(d.future, w[kind]["future"].as_u64(), "{name}: future {kind}s");
            assert_eq!(Some(c.stats.unparseable), w[kind]["unparseable"].as_u64(), "{name}: unparseable");
            assert_eq!(d.as_of.as_deref(), want["as_of"].as_str());
            dates += 1;
        }
    }
    (strings, dates)
}

#[test]
fn synthetic_matches_pandas() {
    let r = audit(SYNTHETIC_SPEC, SYNTHETIC);
    assert_eq!(compare(&r, &fixture()["datasets"]["synthetic"]), (4, 2), "sex, code, city, product; visit, visit_time");
    // Spellings are listed, largest group first.
    let sex = col(&r, "sex").strings.as_ref().unwrap().case_groups.as_ref().unwrap();
    let first: Vec<&str> = sex.examples[0].iter().map(|v| v.value.as_str()).collect();
    assert!(first.contains(&"Male") && first.contains(&"male") && first.contains(&" Male"), "{first:?}");
    let code = col(&r, "code").strings.as_ref().unwrap();
    assert_eq!(code.numeric_share, code.numeric_looking as f64 / col(&r, "code").stats.valid as f64);
    // The fixture has values with white space only at the start, only at the end, and at
    // both ends (counted once in each of the three counts).
    let ws = |c: &str| {
        let s = col(&r, c).strings.as_ref().unwrap();
        (s.whitespace, s.leading_whitespace, s.trailing_whitespace)
    };
    let (either, lead, trail) = ws("code");
    assert!(lead + trail > either && either > trail, "code: both ends and leading only ({either}, {lead}, {trail})");
    let (either, lead, trail) = ws("city");
    assert!(lead + trail == either && lead > 0 && trail > 0, "city: one end only ({either}, {lead}, {trail})");
    // The same counts in the HTML and in the columns table, after `whitespace`.
    let (either, lead, trail) = ws("code");
    assert!(r.to_html().contains(&format!("whitespace {either} (leading {lead}, trailing {trail})")));
    let table = r.to_csv("columns").expect("columns table");
    let header: Vec<&str> = table.lines().next().unwrap().split(',').collect();
    let at = |k: &str| header.iter().position(|h| *h == k).unwrap_or_else(|| panic!("no {k}"));
    assert_eq!((at("leading_whitespace"), at("trailing_whitespace")), (at("whitespace") + 1, at("whitespace") + 2));
    let row: Vec<&str> = table.lines().find(|l| l.starts_with("code,")).expect("code row").split(',').collect();
    let got = (row[at("whitespace")], row[at("leading_whitespace")], row[at("trailing_whitespace")]);
    assert_eq!(got, (either.to_string().as_str(), lead.to_string().as_str(), trail.to_string().as_str()));
    assert_eq!(r.input.as_of.as_deref(), Some("2026-12-03"));
}

#[test]
fn compas_text_and_date_columns_match_pandas() {
    let Some(path) = common::shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(path).expect("read COMPAS");
    let Some(want) = fixture()["datasets"].get("compas").cloned() else {
        panic!("the fixture has no COMPAS entry; rebuild with {REBUILD}")
    };
    let r = audit(r#"{"profile": {"as_of": "2014-01-01"}}"#, &bytes);
    let (strings, dates) = compare(&r, &want);
    eprintln!("COMPAS: {strings} string and {dates} date columns agree with pandas exactly");
    assert!(strings >= 15 && dates >= 10, "{strings} string, {dates} date columns");
    // A real finding: charge descriptions spelled in different cases.
    let desc = col(&r, "c_charge_desc").strings.as_ref().unwrap().case_groups.as_ref().unwrap();
    assert!(desc.groups > 0 && !desc.examples.is_empty());
}

#[test]
fn future_dates_stay_exact_beyond_the_kept_days_when_as_of_is_recent() {
    let (csv, as_of, after) = common::many_days();
    let r = audit(&format!(r#"{{"profile": {{"as_of": "{as_of}"}}}}"#), csv.as_bytes());
    assert!(after > 0 && after < 4096, "{after}");
    assert_eq!(col(&r, "day").dates.as_ref().unwrap().future, Some(after));
    // An as_of before the days let go: not counted, with the reason.
    let early = audit(r#"{"profile": {"as_of": "2001-01-01"}}"#, csv.as_bytes());
    let d = col(&early, "day").dates.clone().unwrap();
    assert_eq!(d.future, None);
    assert!(d.note.is_some_and(|n| n.contains("more than 4096 distinct days after 2001-01-01")));
}

#[test]
fn as_of_defaults_to_the_front_ends_start_date() {
    let spec = SYNTHETIC_SPEC.replace(r#""profile": {"as_of": "2026-12-03"}, "#, "");
    let started = InputMeta { started_at: Some("2026-12-03T07:05:05Z".into()), ..Default::default() };
    let by_start = audit_with(&spec, SYNTHETIC, started);
    let by_spec = audit(SYNTHETIC_SPEC, SYNTHETIC);
    assert_eq!(by_start.input.as_of.as_deref(), Some("2026-12-03"));
    assert_eq!(col(&by_start, "visit").dates, col(&by_spec, "visit").dates);
    assert!(by_start.to_html().contains("future dates after</th><td>2026-12-03"));
    // Neither: not counted, and the report says why.
    let none = audit(&spec, SYNTHETIC);
    let d = col(&none, "visit").dates.as_ref().unwrap();
    assert_eq!((d.future, none.input.as_of.as_deref()), (None, None));
    assert!(d.note.as_deref().is_some_and(|n| n.contains("profile.as_of")));
    // The spec wins over the start date.
    let later = InputMeta { started_at: Some("2040-01-01T00:00:00Z".into()), ..Default::default() };
    assert_eq!(audit_with(SYNTHETIC_SPEC, SYNTHETIC, later).input.as_of.as_deref(), Some("2026-12-03"));
}

#[test]
fn flagged_columns_hide_values_unless_asked() {
    let r = audit(SYNTHETIC_SPEC, SYNTHETIC);
    let account = col(&r, "account");
    assert!(account.flags.iter().any(|f| f.id == "identifier_like"), "{:?}", account.flags);
    let m = account.stats.numeric.as_ref().unwrap();
    assert_eq!((m.min, m.max, account.stats.quantiles.as_ref()), (None, None, None));
    assert!(account.stats.histogram.is_none() && account.stats.outliers.is_none());
    assert!(
        account.hidden[0]
            .starts_with("min/max, quantiles, histogram and outlier fences hidden: the column is identifier-like"),
        "{}",
        account.hidden[0]
    );
    let product = col(&r, "product");
    assert!(product.flags.iter().any(|f| f.id == "high_cardinality"), "{:?}", product.flags);
    assert!(product.stats.top_values.is_none() && !product.hidden.is_empty());
    let json = r.to_json();
    assert!(!json.contains("\"P0") && !json.contains("\"P1"), "no product value in the report");
    let shown = audit(&SYNTHETIC_SPEC.replace("\"as_of\"", "\"show_sensitive_values\": true, \"as_of\""), SYNTHETIC);
    let account = col(&shown, "account");
    assert!(account.stats.numeric.as_ref().unwrap().min.is_some() && account.hidden.is_empty());
    assert!(col(&shown, "product").stats.top_values.as_ref().is_some_and(|t| t.len() == 10));
}

#[test]
fn flag_gates_reach_the_checks_junit_and_html() {
    let mut csv = String::from("id,empty,same,mostly,n\n");
    for i in 0..120 {
        csv.push_str(&format!("{i},,k,{},{}\n", if i < 118 { "a" } else { "b" }, i % 7));
    }
    let r = audit("{}", csv.as_bytes());
    let status =
        |id: &str, c: &str| r.checks.iter().find(|o| o.id == id && o.column.as_deref() == Some(c)).map(|o| o.status);
    assert_eq!(status("all_missing_column", "empty"), Some(Status::Warn));
    assert_eq!(status("constant_column", "same"), Some(Status::Warn));
    assert_eq!(status("constant_column", "empty"), Some(Status::Skipped));
    assert_eq!(status("near_constant_column", "mostly"), Some(Status::Warn));
    assert_eq!(status("constant_column", "n"), Some(Status::Pass));
    assert!(r.passed, "flag gates warn by default");
    let junit = r.to_junit();
    assert!(junit.contains("constant_column [same]") && junit.contains("near_constant_column [mostly]"));
    let html = r.to_html();
    assert!(html.contains("<h2>Scorecard</h2>") && html.contains("flag constant"));
    // Per-column override and severity from the spec.
    let r = audit(
        r#"{"checks": {"near_constant_column": {"severity": "fail", "columns": {"mostly": 0.99}},
                       "constant_column": {"severity": "fail"}}}"#,
        csv.as_bytes(),
    );
    let o = r.checks.iter().find(|o| o.id == "near_constant_column" && o.column.as_deref() == Some("mostly")).unwrap();
    assert_eq!((o.status, o.threshold), (Status::Pass, 0.99));
    assert!(!r.passed, "constant_column fails on `same`");
}

/// The string and date gates: white space around values and dates after `as_of`, each
/// warning on a share above 0 by default, passing on clean columns, and skipped (with the
/// reason) when future dates were not counted.
#[test]
fn whitespace_and_future_date_gates() {
    let csv = "name,clean,day\nAnn ,a,2026-12-02\n Bob,b,2027-01-01\nCy,c,2026-01-01\nDee,d,2026-12-04\n";
    let spec = r#"{"profile": {"as_of": "2026-12-03"}, "columns": [{"name": "name", "type": "categorical"},
        {"name": "clean", "type": "categorical"}, {"name": "day", "type": "date"}]}"#;
    let r = audit(spec, csv.as_bytes());
    let gate = |id: &str, c: &str| {
        r.checks.iter().find(|o| o.id == id && o.column.as_deref() == Some(c)).map(|o| (o.status, o.observed))
    };
    assert_eq!(gate("whitespace_values", "name"), Some((Status::Warn, Some(0.5))));
    assert_eq!(gate("whitespace_values", "clean"), Some((Status::Pass, Some(0.0))));
    assert_eq!(gate("future_dates", "day"), Some((Status::Warn, Some(0.5))));
    assert_eq!(gate("whitespace_values", "day"), None, "not a string column");
    let later = audit(&spec.replace("2026-12-03", "2027-12-31"), csv.as_bytes());
    let o = later.checks.iter().find(|o| o.id == "future_dates").expect("gate");
    assert_eq!((o.status, o.observed), (Status::Pass, Some(0.0)));
    let unknown = audit(&spec.replace(r#""profile": {"as_of": "2026-12-03"}, "#, ""), csv.as_bytes());
    let o = unknown.checks.iter().find(|o| o.id == "future_dates").expect("gate");
    assert_eq!(o.status, Status::Skipped);
    assert!(o.note.as_deref().is_some_and(|n| n.contains("no as_of date")), "{:?}", o.note);
}

/// Near-constant dates: 96 % of one date (and of one date-time) warns, from exact counts; a
/// column with more than 10,000 distinct dates is skipped with the reason; a split run
/// gives the same report; the HTML shows the count without the date.
#[test]
fn near_constant_dates_are_counted_exactly() {
    let mut csv = String::from("day,stamp,spread\n");
    for i in 0..12_000u32 {
        let day = if i % 25 == 0 { format!("2024-02-{:02}", 1 + i % 28) } else { "1970-01-01".into() };
        let stamp = if i % 25 == 3 { "2024-05-06T07:08:09Z" } else { "2024-05-06T07:08:10Z" };
        let (y, m, d) = privaudit::ingest::value::civil_from_days(i64::from(i));
        csv.push_str(&format!("{day},{stamp},{y:04}-{m:02}-{d:02}\n"));
    }
    let spec = r#"{"columns": [{"name": "day", "type": "date"}, {"name": "stamp", "type": "datetime"},
                               {"name": "spread", "type": "date"}]}"#;
    let r = audit(spec, csv.as_bytes());
    let split =
        privaudit::audit_bytes(&RawSpec::from_json(spec).expect("spec"), csv.as_bytes(), InputMeta::default(), 5)
            .expect("audit");
    assert_eq!(r.to_json(), split.to_json(), "split run differs");
    let gate =
        |c: &str| r.checks.iter().find(|o| o.id == "near_constant_column" && o.column.as_deref() == Some(c)).unwrap();
    let day = col(&r, "day");
    let mode = day.stats.mode.as_ref().expect("mode of day");
    assert_eq!((mode.count, mode.share), (Some(11_520), Some(0.96)));
    assert_eq!((gate("day").status, gate("day").observed), (Status::Warn, Some(0.96)));
    assert!(day.flags.iter().any(|f| f.id == "near_constant"));
    let stamp = col(&r, "stamp").stats.mode.as_ref().expect("mode of stamp");
    assert_eq!(stamp.count, Some(11_520));
    assert_eq!(gate("stamp").status, Status::Warn);
    let spread = &col(&r, "spread").stats;
    assert!(spread.mode.is_none());
    assert_eq!(spread.mode_note.as_deref(), Some("more than 10,000 distinct values: no exact value counts"));
    assert_eq!(gate("spread").status, Status::Skipped);
    let html = r.to_html();
    // A count is labelled as a count (issue 13: "Most frequent date: 32" read like a date).
    assert!(html.contains("most frequent date (not shown) occurs in 11,520 rows (96.0 % of valid dates)"), "date mode");
    assert!(!html.contains("most frequent date: 11,520"));
}

/// A categorical column with 20,000 distinct values over 60,000 rows (so not
/// high-cardinality): with `profile.quantile_passes` the report lists exactly the values
/// holding more than 1/10,001 of the valid values, with their exact counts (counted here
/// independently), the same for 1, 3 and 7 workers; without passes it says how to get them.
#[test]
fn frequent_values_over_the_cap_are_exact_and_split_independent() {
    let mut csv = String::from("city\n");
    let mut want: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for i in 0..60_000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Half the rows: 19,990 rare values (1–2 occurrences); the other half: 10 values
        // with skewed counts, in a scrambled order.
        let v = if i % 2 == 0 {
            format!("rare{}", (i / 2) % 19_990)
        } else {
            format!("city{}", (x % 1024).trailing_zeros().min(9))
        };
        *want.entry(v.clone()).or_default() += 1;
        csv.push_str(&v);
        csv.push('\n');
    }
    let valid = 60_000u64;
    let mut expect: Vec<(String, u64)> = want.into_iter().filter(|(_, c)| c * 10_001 > valid).collect();
    expect.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    assert!(expect.len() >= 8 && expect.iter().all(|(v, _)| v.starts_with("city")));
    let spec =
        r#"{"profile": {"quantile_passes": true, "top_k": 20}, "columns": [{"name": "city", "type": "categorical"}]}"#;
    let raw = RawSpec::from_json(spec).expect("spec");
    let runs: Vec<Report> = [1, 3, 7]
        .iter()
        .map(|&w| privaudit::audit_bytes(&raw, csv.as_bytes(), InputMeta::default(), w).expect("audit"))
        .collect();
    assert!(runs.windows(2).all(|r| r[0].to_json() == r[1].to_json()), "reports differ across splits");
    let s = &col(&runs[0], "city").stats;
    assert!(s.top_values.is_none());
    let got: Vec<(String, u64)> =
        s.frequent_values.as_ref().expect("frequent values").iter().map(|v| (v.value.clone(), v.count)).collect();
    assert_eq!(got, expect);
    assert!(s.top_values_note.as_deref().unwrap().contains("more than 1/10,001 of the 60,000 valid values"));
    let gate = runs[0].checks.iter().find(|o| o.id == "near_constant_column").expect("gate");
    assert_eq!(gate.observed, Some(expect[0].1 as f64 / valid as f64));
    assert!(runs[0].to_html().contains(&format!("frequent: <code>{}</code>", expect[0].0)));
    // Without the pass: no values, and how to get them.
    let off = audit(r#"{"columns": [{"name": "city", "type": "categorical"}]}"#, csv.as_bytes());
    let s = &col(&off, "city").stats;
    assert!(s.frequent_values.is_none() && s.top_values.is_none());
    assert!(s.top_values_note.as_deref().unwrap().contains("set profile.quantile_passes = true"));
    // An identifier column keeps no summary and shows nothing.
    let id = audit(
        r#"{"profile": {"quantile_passes": true}, "columns": [{"name": "city", "type": "identifier"}]}"#,
        csv.as_bytes(),
    );
    assert!(col(&id, "city").stats.frequent_values.is_none());
}

#[test]
fn spec_errors_name_the_field() {
    let err = |spec: &str| {
        privaudit::audit_bytes(&RawSpec::from_json(spec).expect("json"), SYNTHETIC, InputMeta::default(), 1)
            .unwrap_err()
            .to_string()
    };
    let e = err(r#"{"profile": {"as_of": "03/12/2026"}}"#);
    assert!(e.contains("profile.as_of") && e.contains("YYYY-MM-DD"), "{e}");
    let e = err(r#"{"checks": {"constant_column": {"columns": {"nope": 1}}}}"#);
    assert!(e.contains("checks.constant_column.columns.nope") && e.contains("no such column"), "{e}");
    let e = err(r#"{"checks": {"near_constant_column": {"columns": {"sex": 1.5}}}}"#);
    assert!(e.contains("checks.near_constant_column.columns.sex") && e.contains("between 0 and 1"), "{e}");
}

#[test]
fn values_in_the_html_are_escaped() {
    let mut csv = String::from("tag\n");
    for i in 0..40 {
        csv.push_str(if i % 2 == 0 { "<B>x</B>\n" } else { "<b>X</b>\n" });
    }
    let r = audit("{}", csv.as_bytes());
    let g = col(&r, "tag").strings.as_ref().unwrap().case_groups.as_ref().unwrap();
    assert_eq!((g.groups, g.rows), (1, 40));
    let h = r.to_html();
    assert!(h.contains("<code>&lt;B&gt;x&lt;/B&gt;</code>") && !h.contains("<B>x"), "spellings are escaped");
}

#[test]
fn the_readme_spec_reads_and_keeps_the_new_options() {
    let readme = include_str!("../README.md");
    let start = readme.find("```toml\n[input]").expect("README spec block") + "```toml\n".len();
    let block = &readme[start..start + readme[start..].find("```").expect("end of block")];
    let raw = RawSpec::from_toml(block).expect("the README spec reads");
    assert_eq!(raw.profile.as_of.as_deref(), Some("2026-12-03"));
    assert_eq!(raw.checks["near_constant_column"].columns.get("is_fraud"), Some(&1.0));
    assert_eq!(raw.checks["missing_share"].columns.get("income"), Some(&0.5));
}
