//! Claims of a release's values: every noisy integer is an integer, every estimate lies in
//! its interval, and every stated number — estimate, interval, rate, mean, ±, quantile,
//! four-fifths verdict — is what the release's own post-processing
//! ([`crate::dp::release::post_process`]) gives from the stated noisy integers and the
//! public parameters. The comparison is exact: the same functions on the same inputs give
//! the same bits on every platform (`crate::math::Portable`), so no tolerance is needed.

use serde_json::Value;
use std::collections::HashSet;

use super::check::{short, At, Checker};
use super::components::Expected;
use super::Context;
use crate::dp::fairness::REFERENCE_CHOSEN;
use crate::dp::query::{mean_accuracy, Component, QueryPlan};
use crate::dp::release::{post_process, Noisy};
use crate::spec::{DpQuery, Prediction};

/// Checks the result of one release.
pub(super) fn check(
    ck: &mut Checker,
    cx: &Context,
    at: &At,
    (kind, label): (&str, &str),
    params: &Value,
    parts: Option<(&Expected, Vec<Component>)>,
    result: &Value,
) {
    if let Some(k) = ck.str(at, result, "kind") {
        ck.equal(at, "schema", "the result's kind", k, kind, "the release's kind");
    }
    let mut failed = HashSet::new();
    walk(ck, at, result, &mut Vec::new(), &mut failed);
    let Some((expected, components)) = parts else {
        ck.skipped.push(format!("{}: values not re-derived (its noisy parts could not be read)", name(at)));
        return;
    };
    let Some(query) = query(kind, params, expected, result) else {
        ck.skipped.push(format!("{}: values not re-derived (its parameters could not be read)", name(at)));
        return;
    };
    let mean = match (&expected.units, components.as_slice()) {
        (Some((decimals, bounds)), [s, n]) => mean_accuracy(s, n, cx.alpha, *bounds, *decimals).ok(),
        _ => None,
    };
    let loss = components[0].loss.clone();
    let plan = QueryPlan { index: 0, kind: kind.into(), label: label.into(), weight: 1, loss, components, mean };
    let Some(noisy) = noisy(kind, expected, result) else {
        ck.skipped.push(format!(
            "{}: values derived from suppressed (hidden) noisy counts were checked for containment only",
            name(at)
        ));
        cells_one_by_one(ck, cx, at, &plan, result, &failed);
        return;
    };
    match post_process(cx.alpha, cx.min_noisy_count, &query, &plan, noisy) {
        Ok(rebuilt) => match serde_json::to_value(rebuilt) {
            Ok(want) => compare(ck, at, result, &want, &mut Vec::new(), &failed),
            Err(e) => ck.skipped.push(format!("{}: {e}", name(at))),
        },
        Err(e) => {
            let m = format!("its noisy values do not fit its parameters ({e})");
            ck.fail(at, "schema", m, "(noisy values)".into(), "as many cells as the parameters declare".into());
        }
    }
}

fn name(at: &At) -> String {
    at.release.clone().unwrap_or_else(|| "the summary".into())
}

/// The query as the release's post-processing sees it (columns are irrelevant there).
fn query(kind: &str, params: &Value, expected: &Expected, result: &Value) -> Option<DpQuery> {
    let strings =
        |v: &Value| -> Option<Vec<String>> { v.as_array()?.iter().map(|k| k.as_str().map(String::from)).collect() };
    let bounds = || -> Option<(f64, f64)> {
        let b = params.get("bounds")?.as_array()?;
        Some((b.first()?.as_f64()?, b.get(1)?.as_f64()?))
    };
    Some(match kind {
        "count" => DpQuery::Count,
        "histogram" => DpQuery::Histogram { column: 0, keys: strings(params.get("keys")?)? },
        "sum" | "mean" => {
            let (decimals, [lower_units, upper_units]) = expected.units?;
            DpQuery::Sum { column: 0, lower_units, upper_units, decimals, mean: kind == "mean" }
        }
        "quantiles" => {
            let (lower, upper) = bounds()?;
            let bins = u32::try_from(params.get("bins")?.as_u64()?).ok()?;
            let probabilities =
                params.get("probabilities")?.as_array()?.iter().map(Value::as_f64).collect::<Option<_>>()?;
            DpQuery::Quantiles { column: 0, lower, upper, bins, probabilities }
        }
        "categories" => DpQuery::Categories { column: 0 },
        "fairness" => DpQuery::Fairness {
            protected: 0,
            groups: strings(params.get("keys")?)?,
            label: 0,
            positive_label: String::new(),
            prediction: Prediction::Column { column: 0, positive: String::new() },
            reference_group: (result.get("reference_rule")?.as_str()? == REFERENCE_CHOSEN)
                .then(|| result.get("reference")?.as_str().map(String::from))
                .flatten(),
            positive_is_favourable: result.get("positive_is_favourable")?.as_bool()?,
        },
        _ => return None,
    })
}

/// The stated noisy integers; `None` when one is hidden (suppressed) or not an integer.
fn noisy(kind: &str, expected: &Expected, result: &Value) -> Option<Noisy> {
    let int = |c: &Value| c.get("noisy")?.as_i64().map(i128::from);
    let list = |key: &str| -> Option<Vec<i128>> { result.get(key)?.as_array()?.iter().map(int).collect() };
    Some(match kind {
        "count" => Noisy::Count(int(result.get("count")?)?),
        "histogram" => Noisy::Cells(list("cells")?),
        "quantiles" => Noisy::Cells(list("bins")?),
        "fairness" => Noisy::Cells(
            result
                .get("table")?
                .as_array()?
                .iter()
                .map(|row| row.as_array())
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .flatten()
                .map(int)
                .collect::<Option<_>>()?,
        ),
        "categories" => Noisy::Categories(
            result
                .get("kept")?
                .as_array()?
                .iter()
                .map(|c| Some((c.get("key")?.as_str()?.to_string(), int(c)?)))
                .collect::<Option<_>>()?,
        ),
        "sum" | "mean" => {
            let (decimals, _) = expected.units?;
            let unit = 10f64.powi(decimals as i32);
            let value = result.get("sum")?.get("value")?.as_f64()?;
            let units = (value * unit).round();
            if units.is_nan() || units.abs() >= 2f64.powi(63) {
                return None;
            }
            let count = if kind == "mean" { Some(int(result.get("count")?)?) } else { None };
            Noisy::Sum { units: units as i128, count }
        }
        _ => return None,
    })
}

/// With hidden cells: each visible noisy count is still re-derived on its own.
fn cells_one_by_one(
    ck: &mut Checker,
    cx: &Context,
    at: &At,
    plan: &QueryPlan,
    result: &Value,
    failed: &HashSet<String>,
) {
    let h = u128::from(plan.components[0].half_width);
    let check_cell = |ck: &mut Checker, c: &Value, path: &mut Vec<String>| {
        let Some(noisy) = c.get("noisy").and_then(Value::as_i64) else { return };
        let key = c.get("key").and_then(Value::as_str).map(String::from);
        if let Ok(want) = serde_json::to_value(crate::dp::derive::count(key, i128::from(noisy), h, cx.min_noisy_count))
        {
            compare(ck, at, c, &want, path, failed);
        }
    };
    for key in ["cells", "bins", "kept", "table"] {
        let Some(items) = result.get(key).and_then(Value::as_array) else { continue };
        for item in items {
            match item.as_array() {
                Some(row) => row.iter().for_each(|c| check_cell(ck, c, &mut vec![key.into(), segment(c, 0)])),
                None => check_cell(ck, item, &mut vec![key.into(), segment(item, 0)]),
            }
        }
    }
}

/// A path segment for an array item: its key or group when it has one.
fn segment(item: &Value, i: usize) -> String {
    match item.get("key").or_else(|| item.get("group")).and_then(Value::as_str) {
        Some(k) => format!("`{k}`"),
        None => format!("#{}", i + 1),
    }
}

fn path_text(path: &[String]) -> String {
    if path.is_empty() {
        "the result".into()
    } else {
        path.join(" › ")
    }
}

/// Integrality and containment of every noisy count and estimate in the result.
fn walk(ck: &mut Checker, at: &At, v: &Value, path: &mut Vec<String>, failed: &mut HashSet<String>) {
    match v {
        Value::Object(map) => {
            let count_like = ["noisy", "estimate", "interval"].iter().any(|k| map.contains_key(*k));
            if map.contains_key("suppressed") && count_like {
                noisy_count(ck, at, v, path, failed);
            } else if map.contains_key("value") && map.contains_key("lower") && map.contains_key("upper") {
                estimate(ck, at, v, path, failed);
            }
            for (k, child) in map {
                path.push(k.clone());
                walk(ck, at, child, path, failed);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(segment(child, i));
                walk(ck, at, child, path, failed);
                path.pop();
            }
        }
        _ => {}
    }
}

fn noisy_count(ck: &mut Checker, at: &At, c: &Value, path: &[String], failed: &mut HashSet<String>) {
    let here = path_text(path);
    let noisy = c.get("noisy").unwrap_or(&Value::Null);
    ck.holds(at, "integrality", noisy.is_null() || noisy.is_i64() || noisy.is_u64(), || {
        (
            format!("the noisy value of {here} is {}, not an integer: discrete Laplace and Gaussian noise added to an integer count gives an integer", short(noisy)),
            short(noisy),
            "an integer".into(),
        )
    });
    let estimate = c.get("estimate").unwrap_or(&Value::Null);
    ck.holds(at, "integrality", estimate.is_null() || estimate.is_u64(), || {
        (
            format!("the estimate of {here} is {}, not a whole number ≥ 0", short(estimate)),
            short(estimate),
            "a whole number ≥ 0".into(),
        )
    });
    let interval =
        c.get("interval").and_then(Value::as_array).and_then(|i| Some((i.first()?.as_u64()?, i.get(1)?.as_u64()?)));
    if let (Some(e), Some((lo, hi))) = (estimate.as_u64(), interval) {
        ck.holds(at, "interval containment", lo <= e && e <= hi, || {
            failed.insert(here.clone());
            (
                format!("the interval [{lo}, {hi}] of {here} does not contain its estimate {e}"),
                format!("[{lo}, {hi}]"),
                format!("an interval containing {e}"),
            )
        });
    }
    let suppressed = c.get("suppressed").and_then(Value::as_bool);
    let hidden = noisy.is_null() && estimate.is_null() && c.get("interval").is_some_and(Value::is_null);
    let shown = !noisy.is_null() && !estimate.is_null() && interval.is_some();
    ck.holds(at, "suppression", (suppressed == Some(true) && hidden) || (suppressed == Some(false) && shown), || {
        (
            format!("{here}: a suppressed count shows no value and a shown count shows its noisy value, estimate and interval"),
            short(c),
            "suppressed with nulls, or not suppressed with all three".into(),
        )
    });
}

fn estimate(ck: &mut Checker, at: &At, e: &Value, path: &[String], failed: &mut HashSet<String>) {
    let here = path_text(path);
    let num = |k: &str| e.get(k).and_then(Value::as_f64);
    if let (Some(v), Some(lo), Some(hi)) = (num("value"), num("lower"), num("upper")) {
        ck.holds(at, "interval containment", lo <= v && v <= hi, || {
            failed.insert(here.clone());
            (
                format!("the interval [{lo}, {hi}] of {here} does not contain its estimate {v}"),
                format!("[{lo}, {hi}]"),
                format!("an interval containing {v}"),
            )
        });
    }
}

/// The claim a stated leaf makes, from its name.
fn claim_of(path: &[String]) -> &'static str {
    let last = path.iter().rev().find(|p| !p.starts_with('#') && !p.ends_with(" end")).map_or("", String::as_str);
    let ends = path.last().is_some_and(|p| p.ends_with(" end"));
    match last {
        _ if ends => "accuracy",
        _ if path.iter().any(|p| p == "accuracy") => "accuracy",
        "interval" | "lower" | "upper" | "plus_minus" => "accuracy",
        "estimate" => "estimate",
        "verdict" => "four-fifths",
        "suppressed" => "suppression",
        "threshold" => "threshold",
        "key" | "group" | "reference" | "reference_rule" | "groups" => "parameters",
        _ => "derived value",
    }
}

/// Reports every leaf where the stated result differs from the re-derived one.
fn compare(ck: &mut Checker, at: &At, stated: &Value, want: &Value, path: &mut Vec<String>, failed: &HashSet<String>) {
    match (stated, want) {
        (Value::Object(s), Value::Object(w)) => {
            for (k, wv) in w {
                path.push(k.clone());
                match s.get(k) {
                    Some(sv) => compare(ck, at, sv, wv, path, failed),
                    None => {
                        let m = format!("{} is missing (schema privaudit.dp-summary/1)", path_text(path));
                        ck.fail(at, "schema", m, "(missing)".into(), short(wv));
                    }
                }
                path.pop();
            }
        }
        (Value::Array(s), Value::Array(w)) if s.len() == w.len() => {
            let ends = path.last().is_some_and(|p| p == "interval") && w.len() == 2;
            for (i, (sv, wv)) in s.iter().zip(w).enumerate() {
                path.push(if ends { ["lower end", "upper end"][i].to_string() } else { segment(wv, i) });
                compare(ck, at, sv, wv, path, failed);
                path.pop();
            }
        }
        _ => {
            ck.checked += 1;
            let same = match (stated.as_i64(), want.as_i64()) {
                (Some(a), Some(b)) => a == b,
                _ => match (stated.as_f64(), want.as_f64()) {
                    (Some(a), Some(b)) => a == b,
                    _ => stated == want,
                },
            };
            let text = path_text(path);
            let reported = failed.iter().any(|f| text.starts_with(&format!("{f} › ")));
            if !same && !reported {
                let m = format!(
                    "{text} is {}, but the release's post-processing of the stated noisy values gives {}",
                    short(stated),
                    short(want)
                );
                ck.fail(at, claim_of(path), m, short(stated), short(want));
            }
        }
    }
}
