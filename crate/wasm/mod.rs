//! The browser binding: a thin translation layer over the library (no statistics here).
//!
//! Strings in and out are JSON; state bytes are `Uint8Array`s. Every error crosses as a
//! plain object `{kind, message, row, column, byte}` built from [`crate::error::Error`],
//! never as a `{:?}` string and never as a panic.

use crate::engine::plan::{PassSpec, Plan};
use crate::engine::{run::Run, split, state::RunState};
use crate::error::Error;
use crate::report::{InputMeta, Report};
use crate::spec::{RawSpec, ValidSpec};
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

mod bench;
mod dp;
mod extras;
mod risk;

pub use dp::{dp_plan, ledger_empty, ledger_merge, ledger_set_cap, ledger_view, verify_summary};
pub use extras::{check_registry, report_csv, sample_csv, sample_file_name, sample_spec_json, Reweigher, Sha256};
pub use risk::{privacy_options, report_draft, risk_what_ifs, Generaliser};

#[derive(Serialize)]
struct JsError<'a> {
    kind: &'a str,
    message: String,
    row: Option<u64>,
    column: Option<&'a str>,
    byte: Option<u64>,
}

pub(crate) fn js_err(e: Error) -> JsValue {
    let p = e.position();
    let obj =
        JsError { kind: e.kind_name(), message: e.to_string(), row: p.row, column: p.column.as_deref(), byte: p.byte };
    let ser = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    obj.serialize(&ser).unwrap_or_else(|_| JsValue::from_str(&e.to_string()))
}

pub(crate) fn json<T: Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v).map_err(|e| js_err(Error::state(e.to_string())))
}

fn valid(spec_json: &str) -> Result<Arc<ValidSpec>, JsValue> {
    let raw = RawSpec::from_json(spec_json).map_err(js_err)?;
    ValidSpec::try_from_resolved(&raw).map(Arc::new).map_err(js_err)
}

/// privaudit's version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::version::VERSION.into()
}

/// Resolves a spec against the first bytes of a file; returns the page's preview as JSON
/// ([`crate::preview::page_preview`]: with the structure of those bytes, the row
/// estimate, examples, suggested roles and the header's key).
#[wasm_bindgen]
pub fn preview(sample: &[u8], file_name: &str, file_size: f64, spec_json: &str) -> Result<String, JsValue> {
    let _ = file_name;
    let raw =
        if spec_json.trim().is_empty() { RawSpec::default() } else { RawSpec::from_json(spec_json).map_err(js_err)? };
    let whole = sample.len() as f64 >= file_size;
    json(&crate::preview::page_preview(&raw, sample, whole, file_size as u64).map_err(js_err)?)
}

/// True when the preview of a file starting with `head` needs the whole file (a workbook:
/// zip or CFB, whose directory is at the end); the worker then reads all of it.
#[wasm_bindgen]
pub fn needs_whole_file(head: &[u8]) -> bool {
    crate::ingest::source::detect::needs_whole_file(head)
}

/// True when a file starting with `head` is Parquet: the worker then reads it through the
/// Parquet module (footer, then one row group at a time) and feeds its wire messages.
#[wasm_bindgen]
pub fn is_parquet(head: &[u8]) -> bool {
    crate::ingest::source::detect::is_parquet(head)
}

/// The ranges of a Parquet file from the Parquet module's meta message: runs of adjacent
/// row groups, at most `workers`, as JSON like [`plan_ranges`].
#[wasm_bindgen]
pub fn plan_parquet(meta: &[u8], file_size: f64, workers: u32) -> Result<String, JsValue> {
    let (meta, _) = crate::ingest::source::parquet::wire::Meta::read(meta).map_err(js_err)?;
    let size = file_size as u64;
    let plans: Vec<split::RangePlan> = split::plan_cuts(&meta.cuts(), workers.max(1) as usize)
        .into_iter()
        .map(|p| split::RangePlan { end: p.end.min(size), ..p })
        .collect();
    json(&plans)
}

/// The spec as TOML (for the CLI).
#[wasm_bindgen]
pub fn spec_to_toml(spec_json: &str) -> Result<String, JsValue> {
    RawSpec::from_json(spec_json).and_then(|s| s.to_toml()).map_err(js_err)
}

/// A spec file's text (TOML as the CLI reads it, or JSON when it starts with `{`) as JSON
/// for the page; errors name the field or line.
#[wasm_bindgen]
pub fn spec_from_text(text: &str) -> Result<String, JsValue> {
    let raw = if text.trim_start().starts_with('{') { RawSpec::from_json(text) } else { RawSpec::from_toml(text) };
    json(&raw.map_err(js_err)?)
}

/// Byte ranges for `workers` workers, as JSON `[{start, end, exact_start}]` (`end` of the
/// last range is the file size).
#[wasm_bindgen]
pub fn plan_ranges(spec_json: &str, file_size: f64, workers: u32) -> Result<String, JsValue> {
    let spec = valid(spec_json)?;
    let size = file_size as u64;
    let plans: Vec<split::RangePlan> = split::plan_ranges(size, workers as usize, spec.splittable())
        .into_iter()
        .map(|p| split::RangePlan { end: p.end.min(size), ..p })
        .collect();
    json(&plans)
}

/// Checks the states of a set of ranges; returns `{ok, keep, redo}` as JSON.
#[wasm_bindgen]
pub fn check_states(spec_json: &str, states: js_sys::Array, file_size: f64) -> Result<String, JsValue> {
    let spec = valid(spec_json)?;
    let size = file_size as u64;
    let mut segs = Vec::new();
    for v in states.iter() {
        let bytes = js_sys::Uint8Array::new(&v).to_vec();
        let st = RunState::decode(&spec, &bytes).map_err(js_err)?;
        let mut seg = st.segments.first().copied().unwrap_or_default();
        if seg.end >= size {
            seg.end = u64::MAX;
        }
        segs.push(seg);
    }
    let mut c = split::check(&segs);
    for r in &mut c.redo {
        r.end = r.end.min(size);
    }
    json(&c)
}

/// One range being read, or the coordinator of a run: merged states, the pass plan, the
/// report.
#[wasm_bindgen]
pub struct Session {
    spec: Arc<ValidSpec>,
    run: Option<Run>,
    state: Option<RunState>,
    plan: Option<Plan>,
    /// The reference file's drift data, when this run is compared with one.
    reference: Option<crate::drift::DriftSide>,
    /// The test file's dataset state, for the train/test overlap.
    test: Option<crate::quality::dataset::test_side::TestSide>,
}

#[derive(Serialize)]
struct NextPass {
    /// The pass to run next (JSON, opaque to JS), or null when the report can be finished.
    pass: Option<String>,
    ranges: Vec<split::RangePlan>,
}

fn next_pass(plan: &Plan) -> NextPass {
    match plan.next_pass() {
        Some(p) => NextPass { pass: Some(p.to_json()), ranges: plan.ranges() },
        None => NextPass { pass: None, ranges: Vec::new() },
    }
}

#[wasm_bindgen]
impl Session {
    /// Starts reading the range `[start, end)` as planned by `plan_ranges` (the last range
    /// ends at the file size, which is the same as "to the end").
    #[wasm_bindgen(constructor)]
    pub fn new(spec_json: &str, start: f64, end: f64, exact_start: bool) -> Result<Session, JsValue> {
        let spec = valid(spec_json)?;
        let end = end as u64;
        let run = Run::new(Arc::clone(&spec), split::RangePlan { start: start as u64, end, exact_start });
        Ok(Session { spec, run: Some(run), state: None, plan: None, reference: None, test: None })
    }

    /// Starts reading an exact range for a later pass (`pass_json` from `plan`/`absorb`).
    pub fn for_pass(spec_json: &str, start: f64, end: f64, pass_json: &str) -> Result<Session, JsValue> {
        let spec = valid(spec_json)?;
        let pass = PassSpec::from_json(pass_json).map_err(js_err)?;
        let range = split::RangePlan { start: start as u64, end: end as u64, exact_start: true };
        let run = Run::for_pass(Arc::clone(&spec), range, &pass);
        Ok(Session { spec, run: Some(run), state: None, plan: None, reference: None, test: None })
    }

    /// After merging every main-pass state: plans the later passes. Returns JSON
    /// `{pass, ranges}`; `pass` is null when none is needed.
    pub fn plan(&mut self) -> Result<String, JsValue> {
        let st = self.take_state()?;
        let plan = Plan::new(&self.spec, st).map_err(js_err)?;
        let next = next_pass(&plan);
        self.plan = Some(plan);
        json(&next)
    }

    /// Absorbs the states of the pass returned by `plan`/`absorb`; returns the next one.
    pub fn absorb(&mut self, states: js_sys::Array) -> Result<String, JsValue> {
        let plan = self.plan.as_mut().ok_or_else(|| js_err(Error::state("call plan() before absorb()")))?;
        let mut merged: Option<RunState> = None;
        for v in states.iter() {
            let st = RunState::decode(&self.spec, &js_sys::Uint8Array::new(&v).to_vec()).map_err(js_err)?;
            match merged.as_mut() {
                Some(m) => m.merge(st).map_err(js_err)?,
                None => merged = Some(st),
            }
        }
        plan.absorb(merged.ok_or_else(|| js_err(Error::state("no states to absorb")))?).map_err(js_err)?;
        json(&next_pass(plan))
    }

    /// A session holding a decoded state (for merging and finishing).
    pub fn from_state(spec_json: &str, state: &[u8]) -> Result<Session, JsValue> {
        let spec = valid(spec_json)?;
        let st = RunState::decode(&spec, state).map_err(js_err)?;
        Ok(Session { spec, run: None, state: Some(st), plan: None, reference: None, test: None })
    }

    /// Feeds the next chunk; true when the range is complete.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<bool, JsValue> {
        match self.run.as_mut() {
            Some(r) => r.feed(chunk).map_err(js_err),
            None => Ok(true),
        }
    }

    /// Signals the end of the file.
    pub fn finish_input(&mut self) -> Result<(), JsValue> {
        match self.run.as_mut() {
            Some(r) => r.finish_input().map_err(js_err),
            None => Ok(()),
        }
    }

    fn take_state(&mut self) -> Result<RunState, JsValue> {
        if let Some(run) = self.run.take() {
            self.state = Some(run.into_state().map_err(js_err)?);
        }
        self.state.take().ok_or_else(|| js_err(Error::state("this session has no state")))
    }

    /// The serialised state (confidential: exact statistics of the data).
    pub fn state(&mut self) -> Result<Vec<u8>, JsValue> {
        let st = self.take_state()?;
        let bytes = st.encode(&self.spec).map_err(js_err);
        self.state = Some(st);
        bytes
    }

    /// Merges another state into this session.
    pub fn merge(&mut self, other: &[u8]) -> Result<(), JsValue> {
        let mut st = self.take_state()?;
        let other = RunState::decode(&self.spec, other).map_err(js_err);
        let merged = other.and_then(|o| st.merge(o).map_err(js_err));
        self.state = Some(st);
        merged
    }

    /// Builds the report (after `plan`, and `absorb` until no pass is left); returns its JSON.
    pub fn finish(&mut self, input_json: &str) -> Result<String, JsValue> {
        let meta: InputMeta =
            serde_json::from_str(input_json).map_err(|e| js_err(Error::spec("(input)", e.to_string())))?;
        let plan = self.planned()?;
        let drift = match self.reference.take() {
            Some(reference) => Some((reference, self.drift_data(&plan)?)),
            None => None,
        };
        let train = plan.dataset_side();
        let mut report = plan.finish(&self.spec, meta);
        if let Some((reference, current)) = drift {
            crate::report::drift::attach(&mut report, crate::drift::compare(&reference, &current));
        }
        if let Some(test) = self.test.take() {
            let no_dataset =
                || js_err(Error::spec("dataset.enabled", "the train/test overlap needs the dataset checks"));
            let (train, _) = train.ok_or_else(no_dataset)?;
            test.attach(&mut report, &self.spec, &train).map_err(js_err)?;
        }
        json(&report)
    }

    /// Compares this (training) run with a test file in [`Session::finish`]: `side` is the
    /// test run's [`Session::test_side`] (train/test overlap).
    pub fn set_test(&mut self, side: &[u8]) -> Result<(), JsValue> {
        self.test = Some(crate::quality::dataset::test_side::TestSide::decode(side).map_err(js_err)?);
        Ok(())
    }

    /// After every pass of a test-file run: its dataset state for [`Session::set_test`] of
    /// the training file's run (confidential: row hashes).
    pub fn test_side(&mut self, file_name: &str) -> Result<Vec<u8>, JsValue> {
        let plan = self.planned()?;
        let side = plan
            .test_side(&self.spec, file_name)
            .ok_or_else(|| js_err(Error::spec("dataset.enabled", "the train/test overlap needs the dataset checks")))?;
        side.encode().map_err(js_err)
    }

    /// Compares this run with a reference file in [`Session::finish`]: `side` is the
    /// reference run's [`Session::drift_side`]. Both runs need `"drift": true` in the spec.
    pub fn set_reference(&mut self, side: &[u8]) -> Result<(), JsValue> {
        self.reference = Some(crate::drift::DriftSide::decode(side).map_err(js_err)?);
        Ok(())
    }

    /// After every pass of a reference run (spec `"drift": true`): its distributions for
    /// [`Session::set_reference`] of the current file's run (confidential: exact data).
    pub fn drift_side(&mut self) -> Result<Vec<u8>, JsValue> {
        let plan = self.planned()?;
        self.drift_data(&plan)?.encode().map_err(js_err)
    }

    /// Releases the DP summary of a DP-mode run (spec `"mode": "dp"`) after every state was
    /// merged: noise is drawn here, once. `meta_json`: `{sha256, created_at,
    /// ledger_file_name?}`; `ledger_json`: the page's DP ledger (empty: none), checked
    /// before any noise is drawn (refused over the file's cap) and returned with the release
    /// recorded. Returns `{json, html, ledger}`. The exact tables are dropped whether or not
    /// the release succeeds.
    pub fn release(&mut self, meta_json: &str, ledger_json: &str) -> Result<String, JsValue> {
        let plan = match self.plan.take() {
            Some(p) => p,
            None => {
                let st = self.take_state()?;
                Plan::new(&self.spec, st).map_err(js_err)?
            }
        };
        dp::release(plan, &self.spec, meta_json, ledger_json)
    }
}

impl Session {
    /// The plan with every pass run (the merged state's plan, made now if `plan` was not
    /// called); an error when a planned pass is still pending.
    fn planned(&mut self) -> Result<Plan, JsValue> {
        let plan = match self.plan.take() {
            Some(p) => p,
            None => {
                let st = self.take_state()?;
                Plan::new(&self.spec, st).map_err(js_err)?
            }
        };
        if let Some(p) = plan.next_pass() {
            self.plan = Some(plan);
            return Err(js_err(Error::state(format!("pass {} has not been run yet", p.pass))));
        }
        Ok(plan)
    }

    fn drift_data(&self, plan: &Plan) -> Result<crate::drift::DriftSide, JsValue> {
        plan.drift_side(&self.spec)
            .ok_or_else(|| js_err(Error::state("this run kept no drift data: set \"drift\": true in its spec")))
    }
}

/// Renders a report (JSON) as a self-contained HTML document.
#[wasm_bindgen]
pub fn render_html(report_json: &str) -> Result<String, JsValue> {
    Report::from_json(report_json).map(|r| r.to_html()).map_err(js_err)
}
