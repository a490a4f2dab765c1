//! The DP part of the browser binding: the public plan, the release with the ledger, the
//! ledger's operations and the validator's check. Translation only: every number and
//! sentence comes from `dp` and `report`.

use super::{js_err, json};
use crate::dp::budget::BudgetLedger;
use crate::engine::plan::Plan;
use crate::error::Error;
use crate::spec::{DpMeasure, RawSpec, ValidSpec};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The validated spec of a DP run.
fn dp_spec(spec_json: &str) -> Result<ValidSpec, JsValue> {
    let mut raw = RawSpec::from_json(spec_json).map_err(js_err)?;
    raw.mode = crate::spec::Mode::Dp;
    ValidSpec::try_from_resolved(&raw).map_err(js_err)
}

fn public_plan(spec: &ValidSpec) -> Result<crate::dp::query::DpPlan, JsValue> {
    let dp = spec.dp.as_ref().ok_or_else(|| js_err(Error::spec("dp", "the spec has no [dp] section")))?;
    crate::dp::query::plan(dp, &spec.columns).map_err(|e| js_err(e.into()))
}

fn ledger_of(text: &str) -> Result<BudgetLedger, JsValue> {
    if text.trim().is_empty() {
        return Ok(BudgetLedger::default());
    }
    BudgetLedger::from_json(text).map_err(|e| js_err(e.into()))
}

#[derive(Serialize)]
struct PlanView<'a> {
    #[serde(flatten)]
    plan: &'a crate::dp::query::DpPlan,
    /// Each query's accuracy in words (report::html_dp::plan_accuracy).
    accuracy: Vec<String>,
    /// The guarantee in one sentence (report::html_dp::plan_guarantee).
    guarantee: String,
}

/// The public plan of the spec's `[dp]` section: each query's share of the budget, its
/// sensitivity, noise scale and accuracy (and `accuracy`: each in words), and warnings.
/// Reads nothing from the data, spends nothing.
#[wasm_bindgen]
pub fn dp_plan(spec_json: &str) -> Result<String, JsValue> {
    let plan = public_plan(&dp_spec(spec_json)?)?;
    let accuracy = plan.queries.iter().map(crate::report::html_dp::plan_accuracy).collect();
    json(&PlanView { plan: &plan, accuracy, guarantee: crate::report::html_dp::plan_guarantee(&plan) })
}

/// What the page knows besides the bytes: the release meta and, on opt-in, the file name
/// for the ledger.
#[derive(serde::Deserialize)]
struct PageMeta {
    #[serde(flatten)]
    meta: crate::dp::ReleaseMeta,
    #[serde(default)]
    ledger_file_name: Option<String>,
}

#[derive(Serialize)]
struct Released {
    json: String,
    html: String,
    /// The ledger with this release recorded (empty when no ledger was given).
    ledger: String,
}

/// The release of a merged DP run: checks the ledger (refused over the file's cap before
/// any noise is drawn), releases, records. Returns `{json, html, ledger}`.
pub(super) fn release(plan: Plan, spec: &ValidSpec, meta_json: &str, ledger_json: &str) -> Result<String, JsValue> {
    let page: PageMeta = serde_json::from_str(meta_json).map_err(|e| js_err(Error::spec("(input)", e.to_string())))?;
    let mut ledger = if ledger_json.trim().is_empty() { None } else { Some(ledger_of(ledger_json)?) };
    let sha = page.meta.sha256.clone();
    if let (Some(l), Some(sha)) = (ledger.as_ref(), sha.as_deref()) {
        let public = public_plan(spec)?;
        l.check(sha, &public.total, public.delta).map_err(|e| js_err(e.into()))?;
    }
    let summary = plan.release(spec, &page.meta).map_err(js_err)?;
    let text = summary.to_json();
    let ledger = match (ledger.as_mut(), sha.as_deref()) {
        (Some(l), Some(sha)) => {
            l.record(sha, page.ledger_file_name.as_deref(), &summary, &text).map_err(|e| js_err(e.into()))?;
            l.to_json()
        }
        _ => String::new(),
    };
    json(&Released { json: text, html: crate::report::html_dp::render(&summary), ledger })
}

/// An empty ledger (JSON).
#[wasm_bindgen]
pub fn ledger_empty() -> String {
    BudgetLedger::default().to_json()
}

/// What the page shows about the file `sha256` in the ledger before releasing the spec's
/// summary: where its budget stands, what this summary costs or why it is refused, and its
/// releases (`report::ledger::View` as JSON).
#[wasm_bindgen]
pub fn ledger_view(ledger_json: &str, sha256: &str, spec_json: &str) -> Result<String, JsValue> {
    let ledger = ledger_of(ledger_json)?;
    let plan = public_plan(&dp_spec(spec_json)?)?;
    json(&crate::report::ledger::view(&ledger, sha256, &plan.total, plan.delta))
}

/// Sets the cap of the file `sha256` (in the spec's measure: ε or ρ); `cap` ≤ 0 or not a
/// number removes it. Returns the ledger.
#[wasm_bindgen]
pub fn ledger_set_cap(ledger_json: &str, sha256: &str, spec_json: &str, cap: f64) -> Result<String, JsValue> {
    let mut ledger = ledger_of(ledger_json)?;
    let raw = RawSpec::from_json(spec_json).map_err(js_err)?;
    let zcdp = raw.dp.as_ref().and_then(|d| d.measure.as_deref()) == Some("zcdp");
    let measure = if zcdp { DpMeasure::Zcdp } else { DpMeasure::Pure };
    let cap = if cap > 0.0 { Some(crate::spec::decimal_rational("cap", cap).map_err(js_err)?) } else { None };
    ledger.set_cap(sha256, measure, cap).map_err(|e| js_err(e.into()))?;
    Ok(ledger.to_json())
}

#[derive(Serialize)]
struct Merged {
    ledger: String,
    notes: Vec<String>,
}

/// Imports a ledger (its JSON text) into this one: `{ledger, notes}`. Nothing changes on
/// error.
#[wasm_bindgen]
pub fn ledger_merge(ledger_json: &str, imported: &str) -> Result<String, JsValue> {
    let mut ledger = ledger_of(ledger_json)?;
    let other = BudgetLedger::from_json(imported).map_err(|e| js_err(e.into()))?;
    let notes = ledger.merge(other).map_err(|e| js_err(e.into()))?;
    json(&Merged { ledger: ledger.to_json(), notes })
}

#[derive(Serialize)]
struct Checked {
    consistent: bool,
    headline: String,
    html: String,
}

/// The validator's check of a DP summary (its JSON text): `{consistent, headline, html}`,
/// the page being the verdict followed by the summary. An unreadable file is an error.
#[wasm_bindgen]
pub fn verify_summary(text: &str, file_name: &str) -> Result<String, JsValue> {
    let verdict = crate::dp::verify::verify(text)
        .map_err(|e| js_err(Error::kind_only(crate::error::ErrorKind::Io(format!("{file_name}: {e}")))))?;
    let headline = crate::report::html_verify::verdict_text(&verdict, file_name);
    let headline = headline.lines().next().unwrap_or_default().to_string();
    json(&Checked {
        consistent: verdict.consistent,
        headline,
        html: crate::report::html_verify::render(&verdict, text),
    })
}
