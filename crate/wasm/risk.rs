//! The privacy-risk calls of the page: the panel's suggestions and ladders, the PIA and
//! datasheet drafts, the what-ifs of a report and the generalised table. Translation only:
//! every number comes from [`crate::privacy::risk`] and [`crate::report`].

use super::{js_err, json};
use crate::report::Report;
use crate::spec::{RawSpec, ValidSpec};
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// The panel's options for a resolved spec (JSON): suggested quasi-identifiers and
/// sensitive attributes, and the ladders of the chosen quasi-identifiers.
#[wasm_bindgen]
pub fn privacy_options(spec_json: &str) -> Result<String, JsValue> {
    let raw = RawSpec::from_json(spec_json).map_err(js_err)?;
    json(&crate::privacy::risk::suggest::options(&raw).map_err(js_err)?)
}

/// A draft of a finished report: `kind` `pia` or `datasheet`, `format` `md` or `html`;
/// `dp_json`: a DP summary released for the same file (PIA only), or empty.
#[wasm_bindgen]
pub fn report_draft(report_json: &str, kind: &str, format: &str, dp_json: &str) -> Result<String, JsValue> {
    let r = Report::from_json(report_json).map_err(js_err)?;
    let dp =
        if dp_json.is_empty() { None } else { Some(crate::report::pia::dp_params_from_json(dp_json).map_err(js_err)?) };
    let d = match kind {
        "pia" => crate::report::pia::pia(&r, dp.as_ref()),
        "datasheet" => crate::report::datasheet::datasheet(&r),
        other => return Err(js_err(crate::error::Error::spec("draft", format!("unknown draft `{other}`")))),
    };
    Ok(if format == "html" { d.html() } else { d.markdown() })
}

/// The what-ifs of a finished report, for choosing the generalised table:
/// `[{label, levels: [[column, level], …], suppress_below}]` (suppress_below: the
/// report's target k).
#[wasm_bindgen]
pub fn risk_what_ifs(report_json: &str) -> Result<String, JsValue> {
    let r = Report::from_json(report_json).map_err(js_err)?;
    let Some(k) = r.privacy.as_ref().and_then(|p| p.risk.as_ref()) else { return json(&Vec::<()>::new()) };
    let list: Vec<serde_json::Value> = k
        .what_ifs
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let levels: Vec<(String, u32)> =
                k.quasi_identifiers.iter().cloned().zip(w.levels.iter().copied()).collect();
            serde_json::json!({
                "label": format!("{}. {} (k = {})", i + 1, w.steps.join("; "), w.k),
                "levels": levels,
                "suppress_below": w.target_k,
            })
        })
        .collect();
    json(&list)
}

/// The generalised table of a file ([`crate::privacy::risk::export::Generaliser`]): feed
/// the whole file to `count`, call `end_count`, then feed it again to `feed`.
#[wasm_bindgen]
pub struct Generaliser {
    inner: crate::privacy::risk::export::Generaliser,
}

#[wasm_bindgen]
impl Generaliser {
    /// `levels_json`: `[[column, level], …]`; `suppress_below`: k (0: none); the table holds
    /// the quasi-identifiers and sensitive attributes of the report's spec.
    #[wasm_bindgen(constructor)]
    pub fn new(report_json: &str, levels_json: &str, suppress_below: f64) -> Result<Generaliser, JsValue> {
        let report = Report::from_json(report_json).map_err(js_err)?;
        let spec = ValidSpec::try_from_resolved(&report.input.spec).map(Arc::new).map_err(js_err)?;
        let pairs: Vec<(String, u32)> = serde_json::from_str(levels_json)
            .map_err(|e| js_err(crate::error::Error::spec("levels", e.to_string())))?;
        let levels = crate::privacy::risk::export::levels_from(&spec, &pairs, "levels").map_err(js_err)?;
        let inner = crate::privacy::risk::export::Generaliser::new(spec, levels, suppress_below.max(0.0) as u64, &[])
            .map_err(js_err)?;
        Ok(Generaliser { inner })
    }
    /// First read: the next chunk from byte 0.
    pub fn count(&mut self, chunk: &[u8]) -> Result<bool, JsValue> {
        self.inner.count(chunk).map_err(js_err)
    }
    /// Ends the first read.
    pub fn end_count(&mut self) -> Result<(), JsValue> {
        self.inner.end_count().map_err(js_err)
    }
    /// Second read: the next chunk from byte 0; returns the CSV bytes of the rows completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.inner.feed(chunk, &mut out).map_err(js_err)?;
        Ok(out)
    }
    /// Ends the second read; returns the last rows' CSV bytes.
    pub fn finish_input(&mut self) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.inner.finish_input(&mut out).map_err(js_err)?;
        Ok(out)
    }
    /// Rows written so far.
    pub fn rows(&self) -> f64 {
        self.inner.counts().0 as f64
    }
    /// Rows suppressed so far.
    pub fn suppressed(&self) -> f64 {
        self.inner.counts().1 as f64
    }
}
