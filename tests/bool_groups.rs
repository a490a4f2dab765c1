//! Boolean-typed protected columns keep the file's own spelling as group names (issue 13):
//! a column of `yes`/`no` (or `Y`/`N`) is typed boolean, its cells are keyed `true`/`false`,
//! and every part of the report — groups, comparisons, disparity checks, sentences, the
//! grid, charts, quality by group, the score section — names the groups `yes`/`no`.
//!
//! The file is Aequitas' COMPAS sample (`compas_for_aequitas.csv`: binary score = decile
//! ≥ 5, label = two-year recidivism) with race written as a boolean `african_american`
//! column; the verdict must name the `yes` group as disadvantaged whichever group is the
//! reference, with the counts of the African-American rows.

mod common;
use privaudit::fairness::metrics::Metric;
use privaudit::quality::checks::{CheckOutcome, Status};
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;

/// Per side (no, yes): false positives and label negatives.
type Fpr = [(u64, u64); 2];

/// The derived file with `african_american` spelled `yes`/`no`, and per side the
/// (false positives, label negatives) of the rows.
fn file(yes: &str, no: &str) -> Option<(Vec<u8>, Fpr)> {
    let text = std::fs::read_to_string(common::shared("fairness-data/aequitas/compas_for_aequitas.csv")?).ok()?;
    let mut out = String::from("entity_id,score,label_value,african_american,sex\n");
    let mut fpr = [(0u64, 0u64); 2];
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let aa = f[3] == "African-American";
        if f[2] == "0" {
            fpr[usize::from(aa)].1 += 1;
            fpr[usize::from(aa)].0 += u64::from(f[1] == "1.0");
        }
        out.push_str(&format!("{},{},{},{},{}\n", f[0], f[1], f[2], if aa { yes } else { no }, f[4]));
    }
    Some((out.into_bytes(), fpr))
}

fn spec(reference: Option<&str>) -> RawSpec {
    let reference = reference.map_or(String::new(), |r| format!(r#", "reference_group": "{r}""#));
    RawSpec::from_json(&format!(
        r#"{{"bias": {{"protected": ["african_american", "sex"], "label": "label_value", "positive_label": "1",
        "prediction": "score", "positive_prediction": "1", "positive_is_favourable": false{reference}}}}}"#
    ))
    .expect("spec")
}

fn audit(bytes: &[u8], raw: &RawSpec) -> Report {
    privaudit::audit_bytes(raw, bytes, InputMeta::default(), 2).expect("audit")
}

fn fpr_gate<'a>(r: &'a Report, group: &str) -> &'a CheckOutcome {
    r.checks
        .iter()
        .find(|c| {
            c.id == "disparity_ratio"
                && c.group.as_deref() == Some(group)
                && c.disparity.as_ref().is_some_and(|d| d.metric == Metric::FalsePositiveRate)
        })
        .unwrap_or_else(|| panic!("no FPR outcome for {group}"))
}

/// Checks one spelling: group names, verdict both ways round, and no `true`/`false` group
/// anywhere in the JSON, HTML and CSV tables.
fn spelled(yes: &str, no: &str) {
    let Some((bytes, fpr)) = file(yes, no) else { return };
    let col = |v: &str| format!("african_american = {v}");
    let default = audit(&bytes, &spec(None));
    let resolved = default.input.spec.columns.iter().find(|c| c.name == "african_american").expect("column");
    assert_eq!((resolved.true_value.as_deref(), resolved.false_value.as_deref()), (Some(yes), Some(no)));
    let bias = default.bias.as_ref().expect("bias");
    let groups: Vec<String> =
        bias.breakdowns[0].audit.as_ref().expect("audit").groups.iter().map(|g| g.group.to_string()).collect();
    let mut want = vec![yes.to_string(), no.to_string()];
    want.sort();
    let mut got = groups.clone();
    got.sort();
    assert_eq!(got, want, "the file's spelling names the groups");
    // The largest group (yes: 3,696 of 7,214) is the reference; the `no` comparison names it.
    let by_default = fpr_gate(&default, &col(no));
    // Reference `no` (as the file spells it), and `false` (any boolean word names the group).
    for reference in [no, "false", "0"] {
        let other = audit(&bytes, &spec(Some(reference)));
        let o = fpr_gate(&other, &col(yes));
        let (da, db) = (o.disparity.as_ref().expect("detail"), by_default.disparity.as_ref().expect("detail"));
        assert_eq!((o.status, by_default.status), (Status::Warn, Status::Warn));
        let named = (Some(col(yes)), Some(col(no)));
        assert_eq!((da.disadvantaged.clone(), da.comparator.clone()), named, "reference {reference}");
        assert_eq!((db.disadvantaged.clone(), db.comparator.clone()), named, "the largest group as reference");
        assert_eq!(da.effect, db.effect, "the same effect both ways round");
        let (fp_yes, neg_yes) = fpr[1];
        let (fp_no, neg_no) = fpr[0];
        let effect = o.disparity.as_ref().and_then(|d| d.effect).expect("effect");
        assert!((effect - (fp_yes as f64 / neg_yes as f64) / (fp_no as f64 / neg_no as f64)).abs() < 1e-12);
    }
    // The reference may also be the true side written as a boolean word.
    let by_word = audit(&bytes, &spec(Some("true")));
    assert!(
        by_word.checks.iter().any(|c| c.group.as_deref() == Some(col(no).as_str())),
        "`true` names the {yes} group"
    );
    // Nowhere a group called true/false: JSON strings, HTML, CSV tables.
    let json = default.to_json();
    let groups =
        ["african_american = true", "african_american = false", "[\"true\"", "\"true\"]", "[\"false\"", "\"false\"]"];
    for bad in groups.iter().chain(&["\"true\",", "\"false\",", "\"group\":\"true\"", "\"group\":\"false\""]) {
        let at = json.find(bad).map(|i| &json[i.saturating_sub(200)..(i + 50).min(json.len())]);
        assert!(at.is_none(), "JSON has {bad}: {at:?}");
    }
    let html = privaudit::report::html::render(&default);
    for bad in groups.iter().take(2).chain(&["“true”", "“false”", ">true<", ">false<"]) {
        assert!(!html.contains(bad), "HTML has {bad}");
    }
    assert!(html.contains(&format!("“{yes}”")), "sentences name the group");
    for t in ["checks", "bias_groups"] {
        let csv = privaudit::report::tables::table(&default, t).expect("table");
        assert!(!csv.contains(groups[0]) && !csv.contains(groups[1]), "{t} CSV");
        let named = if t == "checks" { format!(",{}", col(yes)) } else { format!("african_american,{yes},") };
        assert!(csv.contains(&named), "{t} CSV names {yes}");
    }
    // Quality by group names the spelled groups too.
    let gq = default.group_quality.as_ref().expect("quality by group");
    let a = gq.attributes.iter().find(|a| a.attribute == "african_american").expect("attribute");
    let mut names: Vec<&str> = a.groups.iter().map(|g| g.group.as_str()).collect();
    names.sort_unstable();
    let mut want = [yes, no];
    want.sort_unstable();
    assert_eq!(names, want);
}

#[test]
fn yes_no_groups_keep_their_spelling() {
    spelled("yes", "no");
}

#[test]
fn y_n_groups_keep_their_spelling() {
    spelled("Y", "N");
}

#[test]
fn spellings_survive_any_split() {
    let Some((bytes, _)) = file("Yes", "No") else { return };
    let (spec, meta) = common::spec_for(&bytes, &spec(None));
    let one = common::report(&spec, common::one_pass(&spec, &bytes), &meta, &bytes).to_json();
    assert!(one.contains("african_american = Yes"));
    for k in [2, 5] {
        let st = common::serialised_shuffled(&spec, &bytes, k, 11 + k);
        assert_eq!(common::report(&spec, st, &meta, &bytes).to_json(), one, "{k} ranges");
    }
}

#[test]
fn bool_names_are_checked() {
    let bytes = b"a,b\nyes,1\nno,2\n";
    let bad = |cols: &str| {
        let raw = RawSpec::from_json(&format!(r#"{{"columns": [{cols}]}}"#)).expect("spec");
        privaudit::audit_bytes(&raw, bytes, InputMeta::default(), 1).expect_err("refused").to_string()
    };
    // On a column that is not boolean (a resolved spec whose type was changed) the
    // spelling is dropped with a notice; a hand-made resolved spec is refused.
    let raw = RawSpec::from_json(r#"{"columns": [{"name": "b", "true_value": "x"}]}"#).expect("spec");
    let p = privaudit::spec::resolve(&raw, bytes, true).expect("preview");
    assert!(p.notices.iter().any(|n| n.contains("`b` is not boolean")), "{:?}", p.notices);
    assert_eq!(p.spec.columns[1].true_value, None);
    let mut resolved = p.spec.clone();
    resolved.columns[1].true_value = Some("x".into());
    let err = privaudit::spec::ValidSpec::try_from_resolved(&resolved).expect_err("refused").to_string();
    assert!(err.contains("not a boolean column"), "{err}");
    assert!(bad(r#"{"name": "a", "true_value": "no"}"#).contains("swap true_value and false_value"));
    assert!(bad(r#"{"name": "a", "true_value": "s", "false_value": "s"}"#).contains("must differ"));
    // A name of one's own choosing is fine.
    let raw = RawSpec::from_json(
        r#"{"columns": [{"name": "a", "true_value": "smoker", "false_value": "non-smoker"}],
        "bias": {"protected": ["a"], "prediction": "b", "positive_prediction": "1"}}"#,
    )
    .expect("spec");
    let r = privaudit::audit_bytes(&raw, bytes, InputMeta::default(), 1).expect("audit");
    let sel = r.bias.as_ref().and_then(|b| b.breakdowns[0].selection.as_ref()).expect("selection");
    let json = serde_json::to_string(&sel).expect("json");
    assert!(json.contains(r#"["smoker"]"#) && json.contains(r#"["non-smoker"]"#), "{json}");
}

/// Row weights (`--reweigh-out`) read the report's spelled group names back to the cells:
/// every counted row of the `yes`/`no` file gets the weight of the same row of the file
/// with `true`/`false`.
#[test]
fn row_weights_follow_the_spelled_groups() {
    let (Some((yes_no, _)), Some((plain, _))) = (file("yes", "no"), file("true", "false")) else { return };
    let weights = |bytes: &[u8]| {
        let (spec, meta) = common::spec_for(bytes, &spec(None));
        let r = common::report(&spec, common::one_pass(&spec, bytes), &meta, bytes);
        let w = privaudit::engine::reweigh::RowWeigher::for_report(&spec, &r, "--reweigh-out").expect("weigher");
        let mut out = Vec::new();
        let n = privaudit::engine::reweigh::write_row_weights(&spec, &w, std::io::Cursor::new(bytes), &mut out)
            .expect("weights");
        (n, String::from_utf8(out).expect("utf-8"))
    };
    let (a, b) = (weights(&yes_no), weights(&plain));
    assert_eq!(a.0, (7214, 7214), "every row weighted");
    assert_eq!(a, b);
}
