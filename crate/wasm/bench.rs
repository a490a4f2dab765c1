//! Exports for the benchmark page (`tests/browser/bench/`), not used by the app: the
//! csv-core-only baseline, the decode-only run, and the instance's memory.

use super::{js_err, json, valid};
use crate::engine::{decode_only, split};
use wasm_bindgen::prelude::*;

/// Benchmark baseline: csv-core parsing only (see `ingest::bare`).
#[wasm_bindgen]
pub struct BareParser(crate::ingest::bare::BareParser);

#[wasm_bindgen]
impl BareParser {
    /// A comma/double-quote parser.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> BareParser {
        BareParser(crate::ingest::bare::BareParser::new(b',', b'"'))
    }
    /// Feeds bytes (an empty array ends the input).
    pub fn feed(&mut self, chunk: &[u8]) {
        self.0.feed(chunk);
    }
    /// Records seen.
    pub fn records(&self) -> f64 {
        self.0.records as f64
    }
}

/// Benchmark only: one range decoded and typed exactly like a `Session`'s, with no
/// analyses (see [`crate::engine::decode_only`]). It yields a row count and a segment,
/// never a state.
#[wasm_bindgen]
pub struct DecodeOnly(decode_only::DecodeOnly);

#[wasm_bindgen]
impl DecodeOnly {
    /// Starts decoding `[start, end)` with the spec (JSON, as for `Session`), as planned by
    /// `plan_ranges`.
    #[wasm_bindgen(constructor)]
    pub fn new(spec_json: &str, start: f64, end: f64, exact_start: bool) -> Result<DecodeOnly, JsValue> {
        let spec = valid(spec_json)?;
        let plan = split::RangePlan { start: start as u64, end: end as u64, exact_start };
        Ok(DecodeOnly(decode_only::DecodeOnly::new(spec, plan)))
    }
    /// Feeds the next chunk; true when the range is complete.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<bool, JsValue> {
        self.0.feed(chunk).map_err(js_err)
    }
    /// Signals the end of the file.
    pub fn finish_input(&mut self) -> Result<(), JsValue> {
        self.0.finish_input().map_err(js_err)
    }
    /// Data rows typed so far.
    pub fn rows(&self) -> f64 {
        self.0.rows() as f64
    }
    /// Once complete: the covered segment as JSON `{start, next_start, rows, end}`.
    pub fn segment(&self) -> Result<String, JsValue> {
        json(&self.0.segment().map_err(js_err)?)
    }
}

/// Bytes of linear memory this wasm instance holds (it only grows, so this is its peak).
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}
