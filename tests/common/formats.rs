//! Helpers of the format tests (tests/inputs.rs, tests/sheets.rs, tests/parquet.rs): the
//! committed fixtures of tests/data/inputs/, the bias spec of their 400-row table, and
//! what must not depend on the format a table is written in.

use privaudit::audit_bytes;
use privaudit::report::{InputMeta, Report};
use privaudit::spec::RawSpec;
use serde_json::Value as Json;

/// The bytes of `tests/data/inputs/NAME` (written by scripts/reference/inputs.py).
pub fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/inputs").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The fixtures' bias audit (sex × group, label, score) with correlations.
pub fn bias_spec() -> RawSpec {
    RawSpec::from_toml(
        "[bias]\nprotected = [\"sex\", \"group\"]\nlabel = \"approved\"\npositive_label = \"yes\"\nscore = \"score\"\nthreshold = 0.5\n[correlations]\nenabled = true\n",
    )
    .unwrap()
}

/// The report of `bytes` in one worker, or a panic naming the error.
pub fn audit(raw: &RawSpec, bytes: &[u8]) -> Report {
    audit_bytes(raw, bytes, InputMeta::default(), 1).unwrap_or_else(|e| panic!("{} error: {e}", e.kind_name()))
}

/// What must not depend on the format: every statistic, check, bias figure.
pub fn answers(r: &Report) -> Json {
    serde_json::json!({
        "rows": r.input.rows, "columns": r.columns, "checks": r.checks, "bias": r.bias,
        "dataset": r.dataset, "correlations": r.correlations, "group_quality": r.group_quality,
        "privacy": r.privacy, "passed": r.passed,
    })
}

/// [`answers`] and the findings' ids, counts and places (their titles name the source's
/// rows: sheet rows, lines, file rows).
pub fn answers_with_findings(r: &Report) -> Json {
    let mut a = answers(r);
    a["findings"] = serde_json::to_value(
        r.findings.iter().map(|f| (&f.id, f.count, serde_json::to_value(&f.first).unwrap())).collect::<Vec<_>>(),
    )
    .unwrap();
    a
}

/// Where two JSON texts first differ, with 200 characters either side.
pub fn first_difference(a: &Json, b: &Json) -> String {
    let (a, b) = (a.to_string(), b.to_string());
    let at = a.chars().zip(b.chars()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let cut = |s: &str| s.chars().skip(at.saturating_sub(200)).take(400).collect::<String>();
    format!("at char {at}:\n{}\n---\n{}", cut(&a), cut(&b))
}

/// The report's column `name` as JSON.
pub fn column(r: &Report, name: &str) -> Json {
    let c = r.columns.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}"));
    serde_json::to_value(c).unwrap()
}
