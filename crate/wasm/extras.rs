//! The page's helpers outside a run: incremental SHA-256, the built-in sample, the
//! reweighing weights of a second read, the check registry and a report's CSV tables.

use super::{js_err, json};
use crate::report::Report;
use crate::spec::ValidSpec;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// Incremental SHA-256 of a file's bytes.
#[wasm_bindgen]
pub struct Sha256(sha2::Sha256);

#[wasm_bindgen]
impl Sha256 {
    /// A new hasher.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Sha256 {
        use sha2::Digest;
        Sha256(sha2::Sha256::new())
    }
    /// Adds bytes.
    pub fn update(&mut self, chunk: &[u8]) {
        use sha2::Digest;
        self.0.update(chunk);
    }
    /// The digest as lower-case hex (the hasher can keep going).
    pub fn hex(&self) -> String {
        use sha2::Digest;
        self.0.clone().finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The built-in synthetic dataset (deterministic).
#[wasm_bindgen]
pub fn sample_csv() -> Vec<u8> {
    crate::sample::loan_applications(crate::sample::SAMPLE_ROWS, crate::sample::SAMPLE_SEED)
}

/// The suggested spec (JSON) of the built-in dataset: its column roles.
#[wasm_bindgen]
pub fn sample_spec_json() -> String {
    crate::sample::sample_spec().to_json()
}

/// File name of the built-in dataset.
#[wasm_bindgen]
pub fn sample_file_name() -> String {
    crate::sample::SAMPLE_FILE_NAME.into()
}

/// Kamiran–Calders row weights of a finished audit, as a `row,weight` CSV (formula-safe),
/// produced while the worker feeds the whole file in order (see
/// [`crate::engine::reweigh::WeightStream`]).
#[wasm_bindgen]
pub struct Reweigher {
    stream: crate::engine::reweigh::WeightStream,
}

#[wasm_bindgen]
impl Reweigher {
    /// `report_json`: the audit's report (its resolved spec and group counts are used).
    #[wasm_bindgen(constructor)]
    pub fn new(report_json: &str) -> Result<Reweigher, JsValue> {
        let report = Report::from_json(report_json).map_err(js_err)?;
        let spec = ValidSpec::try_from_resolved(&report.input.spec).map(Arc::new).map_err(js_err)?;
        let weigher = crate::engine::reweigh::RowWeigher::for_report(&spec, &report, "row weights").map_err(js_err)?;
        Ok(Reweigher { stream: crate::engine::reweigh::WeightStream::new(spec, weigher) })
    }

    /// Feeds the next chunk of the file (from byte 0, in order); returns the CSV bytes of
    /// the rows it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.stream.feed(chunk, &mut out).map_err(js_err)?;
        Ok(out)
    }

    /// Signals the end of the file; returns the last rows' CSV bytes.
    pub fn finish_input(&mut self) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.stream.finish_input(&mut out).map_err(js_err)?;
        Ok(out)
    }

    /// Rows written so far.
    pub fn rows(&self) -> f64 {
        self.stream.counts().0 as f64
    }

    /// Rows with a weight so far (the others were left out of the audit).
    pub fn weighted(&self) -> f64 {
        self.stream.counts().1 as f64
    }
}

/// The check registry ([`crate::quality::checks::CHECKS`]) as JSON, for the page's checks
/// form: `[{id, title, doc, threshold, severity, per_column, minimum, share, disparity}]`;
/// the disparity checks also list the metrics they can gate (`metrics`: `{name, label}`)
/// and their bands (`bands`).
#[wasm_bindgen]
pub fn check_registry() -> Result<String, JsValue> {
    let metrics: Vec<serde_json::Value> = crate::fairness::metrics::Metric::COMPARED
        .iter()
        .map(|m| serde_json::json!({"name": m.name(), "label": m.label()}))
        .collect();
    let list: Vec<serde_json::Value> = crate::quality::checks::CHECKS
        .iter()
        .map(|d| {
            let mut v = serde_json::json!({
                "id": d.id, "title": d.title, "doc": d.doc, "threshold": d.threshold, "severity": d.severity,
                "per_column": d.per_column, "minimum": d.minimum, "share": d.share, "disparity": d.disparity,
            });
            if d.disparity {
                v["metrics"] = serde_json::Value::Array(metrics.clone());
                v["bands"] = serde_json::json!(["adverse", "symmetric"]);
            }
            v
        })
        .collect();
    json(&list)
}

/// The table `name` (`columns`, `checks`, `bias_groups`) of a finished report (its JSON)
/// as formula-safe CSV ([`crate::report::tables`]).
#[wasm_bindgen]
pub fn report_csv(report_json: &str, name: &str) -> Result<String, JsValue> {
    Report::from_json(report_json).and_then(|r| r.to_csv(name)).map_err(js_err)
}
