//! Tests of the drift section: ranking, where the test and PSI disagree, the dataset verdict
//! consistent with its gate, and the HTML.

use super::*;
use crate::drift::view::ranked;

fn column(name: &str, method: &str, value: f64, drifted: bool, psi: f64, in_share: bool) -> ColumnDrift {
    let band = if psi < 0.1 {
        "stable"
    } else if psi < 0.25 {
        "moderate"
    } else {
        "significant"
    };
    let threshold = if method.ends_with("test") || method == "ks" || method == "chi_square" { 0.05 } else { 0.1 };
    serde_json::from_value(serde_json::json!({
        "column": name, "type": "integer", "method": method, "why": "> 1,000 reference values, numeric with more than 5 distinct values",
        "value": value, "threshold": threshold, "drifted": drifted, "in_share": in_share, "n_ref": 5000, "n_cur": 4000,
        "distinct": 40, "psi": psi, "psi_band": band, "raw": {}, "exact": true
    }))
    .expect("column")
}

fn report_of(columns: Vec<ColumnDrift>, checks_toml: &str) -> Report {
    let raw = crate::spec::RawSpec::from_toml(checks_toml).expect("spec");
    let mut r = crate::audit_bytes(&raw, b"a,b\n1,2\n", crate::report::InputMeta::default(), 1).expect("audit");
    let counted = columns.iter().filter(|c| c.in_share).count() as u64;
    let drifted = columns.iter().filter(|c| c.in_share && c.drifted).count() as u64;
    let d = DriftReport {
        reference_rows: 5000,
        current_rows: 4000,
        columns,
        counted,
        drifted,
        share: (counted > 0).then(|| drifted as f64 / counted as f64),
        share_threshold: crate::drift::compare::DATASET_SHARE,
        dataset_drift: false,
        excluded: Vec::new(),
        notes: Vec::new(),
    };
    attach(&mut r, d);
    r
}

#[test]
fn columns_rank_by_severity_drifted_first() {
    let cols = vec![
        column("a_mild", "wasserstein_normed", 0.12, true, 0.02, true),
        column("b_none", "wasserstein_normed", 0.01, false, 0.01, true),
        column("c_strong", "wasserstein_normed", 0.9, true, 0.4, true),
        column("d_near", "wasserstein_normed", 0.09, false, 0.3, true),
        column("e_p0", "ks", 0.0, true, 0.5, true),
        column("f_p", "ks", 0.01, true, 0.05, true),
    ];
    let order: Vec<&str> = ranked(&cols).iter().map(|c| c.column.as_str()).collect();
    // Severities: e_p0 ∞ (p = 0), c_strong 9, f_p 5 (0.05 / 0.01), a_mild 1.2; then the
    // columns without drift: d_near 0.9, b_none 0.1.
    assert_eq!(order, ["e_p0", "c_strong", "f_p", "a_mild", "d_near", "b_none"]);
}

#[test]
fn disagreements_say_which_decides_and_why() {
    let w = column("decile_score", "wasserstein_normed", 0.186, true, 0.036, true);
    let text = disagreement(&w).expect("Wasserstein drift, PSI stable");
    assert!(text.starts_with("The normed Wasserstein decides"), "{text}");
    assert!(text.contains("PSI is shown for comparison and does not decide"), "{text}");
    assert!(text.contains("0.186 reference standard deviations"), "{text}");
    let ks = column("x", "ks", 0.2, false, 0.3, true);
    let text = disagreement(&ks).expect("KS no drift, PSI significant");
    assert!(text.contains("could be chance (p = 0.2") && text.contains("5,000 reference"), "{text}");
    assert!(disagreement(&column("y", "ks", 0.01, true, 0.3, true)).is_none(), "both say drift");
    assert!(disagreement(&column("z", "jensen_shannon", 0.01, false, 0.01, true)).is_none(), "both stable");
    let r = report_of(vec![w], "");
    assert!(r.drift.as_ref().unwrap().columns[0].disagreement.is_some(), "attach writes it into the report");
    let h = r.to_html();
    assert!(h.contains("Test and PSI disagree."), "the HTML says so");
    crate::report::html_layout::tests::assert_navigable(&h);
}

#[test]
fn the_dataset_verdict_follows_the_gate_threshold() {
    // 5 of 12 counted columns drift (41.7 %) and 7 of 8 not-counted date-like ones do: 12 of
    // 20 compared columns (60 %) drifted while the counted share is below one half.
    let mut cols = Vec::new();
    for i in 0..12 {
        cols.push(column(&format!("n{i:02}"), "wasserstein_normed", if i < 5 { 0.3 } else { 0.01 }, i < 5, 0.01, true));
    }
    for i in 0..8 {
        cols.push(column(&format!("d{i}"), "wasserstein_normed", if i < 7 { 0.3 } else { 0.01 }, i < 7, 0.01, false));
    }
    let r = report_of(cols.clone(), "");
    let d = r.drift.as_ref().unwrap();
    let gate = r.checks.iter().find(|c| c.id == "dataset_drift").expect("gate");
    assert!(!d.dataset_drift && gate.status == crate::quality::checks::Status::Pass);
    let h = r.to_html();
    assert!(
        h.contains("no dataset drift</span> 5 of 12 counted columns drifted: 41.7 %, below the threshold of 50.0 %"),
        "{h}"
    );
    assert!(h.contains("Of all 20 compared columns, 12 drifted (60.0 %)"), "the compared share is explained");
    // A lower gate threshold moves the section's verdict with it.
    let r = report_of(cols, "[checks.dataset_drift]\nthreshold = 0.4\n");
    let d = r.drift.as_ref().unwrap();
    let gate = r.checks.iter().find(|c| c.id == "dataset_drift").expect("gate");
    assert!(d.dataset_drift && d.share_threshold == 0.4);
    assert_eq!(gate.status, crate::quality::checks::Status::Warn);
    assert!(r.to_html().contains("<span class=\"badge warn\">dataset drift</span>"));
    // Exactly at the threshold is drift, in the section and the gate alike (Evidently: ≥).
    let half: Vec<ColumnDrift> =
        (0..4).map(|i| column(&format!("h{i}"), "wasserstein_normed", 0.2, i < 2, 0.0, true)).collect();
    let r = report_of(half, "");
    let gate = r.checks.iter().find(|c| c.id == "dataset_drift").expect("gate");
    assert!(r.drift.as_ref().unwrap().dataset_drift && gate.status == crate::quality::checks::Status::Warn);
}
