//! Tables of a report as CSV, for spreadsheets: the column profile, the checks, and the
//! bias audit's per-group metrics. Every field is formula-safe ([`csv_field`]): a cell
//! starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe,
//! so a column named `=HYPERLINK(…)` or a value `-1+2` is text in Excel or LibreOffice
//! (OWASP "CSV injection"); plain decimal numbers such as `-30.5` stay numbers. Numbers
//! are written as the JSON report writes them (shortest round-trip).
//!
//! The tables read the report's JSON form, so they follow the report model without a
//! second list of fields to keep in step; absent statistics are empty cells.

use super::model::Report;
use serde_json::Value;

/// The tables [`table`] can write.
pub const TABLES: [&str; 3] = ["columns", "checks", "bias_groups"];

/// A CSV field, quoted when needed and defused against formula injection: a field that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe,
/// unless it is a plain decimal number such as `-30.5` or `-1e-9` (a spreadsheet reads
/// that as the number it is; nothing in it can be evaluated).
pub fn csv_field(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(s);
    let s = if risky { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `-`? digits with at most one `.`, then an optional exponent: what JSON writes.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => digits(a) && (b.is_empty() || digits(b)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => csv_field(s),
        Some(Value::Array(a)) => csv_field(&a.iter().map(|x| cell(Some(x))).collect::<Vec<_>>().join(" | ")),
        Some(other) => csv_field(&other.to_string()),
    }
}

fn write_rows(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut out = header.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for r in rows {
        out.push_str(&r.join(","));
        out.push('\n');
    }
    out
}

const QUANTILES: [(&str, f64); 7] =
    [("p01", 0.01), ("p05", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99)];

fn columns(r: &Value) -> String {
    let mut header =
        vec!["column", "type", "role", "rows", "valid", "missing", "unparseable", "distinct", "distinct_exact"];
    let numeric = ["mean", "std", "min", "max", "sum", "zeros", "negatives", "skewness", "kurtosis"];
    header.extend(numeric);
    header.extend(QUANTILES.iter().map(|q| q.0));
    header.extend([
        "length_min",
        "length_mean",
        "length_max",
        "whitespace",
        "leading_whitespace",
        "trailing_whitespace",
        "numeric_looking",
        "future_dates",
        "flags",
    ]);
    let empty = Vec::new();
    let rows = r["columns"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|c| {
            let mut row: Vec<String> = ["name", "type", "role", "rows", "valid", "missing", "unparseable"]
                .iter()
                .map(|k| cell(c.get(*k)))
                .collect();
            row.push(cell(c.pointer("/distinct/value")));
            row.push(cell(c.pointer("/distinct/exact")));
            row.extend(numeric.iter().map(|k| cell(c.get("numeric").and_then(|n| n.get(*k)))));
            let quantiles = c.get("quantiles").and_then(Value::as_array);
            row.extend(QUANTILES.iter().map(|(_, q)| {
                cell(quantiles.and_then(|qs| {
                    qs.iter().find(|p| p.get("q").and_then(Value::as_f64) == Some(*q)).and_then(|p| p.get("value"))
                }))
            }));
            row.extend(["min", "mean", "max"].iter().map(|k| cell(c.get("lengths").and_then(|l| l.get(*k)))));
            row.push(cell(c.pointer("/strings/whitespace")));
            row.push(cell(c.pointer("/strings/leading_whitespace")));
            row.push(cell(c.pointer("/strings/trailing_whitespace")));
            row.push(cell(c.pointer("/strings/numeric_looking")));
            row.push(cell(c.pointer("/dates/future")));
            let flags: Vec<Value> = c
                .get("flags")
                .and_then(Value::as_array)
                .map(|f| f.iter().filter_map(|x| x.get("id").cloned()).collect())
                .unwrap_or_default();
            row.push(cell(Some(&Value::Array(flags))));
            row
        })
        .collect();
    write_rows(&header, rows)
}

/// The checks table: the outcome's own fields, then its group and, for a disparity check,
/// the `disparity` block (as in the JSON: metric, harm direction, band, disadvantaged party,
/// comparator, effect and its 95 % interval); empty for other checks.
fn checks(r: &Value) -> String {
    const OWN: [&str; 10] =
        ["id", "title", "column", "group", "status", "observed", "bound", "threshold", "numerator", "denominator"];
    const DISPARITY: [&str; 6] = ["metric", "harm", "band", "disadvantaged", "comparator", "effect"];
    let mut header: Vec<&str> = OWN.to_vec();
    header.extend(DISPARITY.iter().map(|k| match *k {
        "metric" => "disparity_metric",
        "harm" => "disparity_harm",
        "band" => "disparity_band",
        other => other,
    }));
    header.extend(["effect_ci95_low", "effect_ci95_high"]);
    let empty = Vec::new();
    let rows = r["checks"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|c| {
            let d = c.get("disparity");
            let mut row: Vec<String> = OWN.iter().map(|k| cell(c.get(*k))).collect();
            row.extend(DISPARITY.iter().map(|k| cell(d.and_then(|d| d.get(*k)))));
            row.extend(["/effect_ci95/0", "/effect_ci95/1"].iter().map(|p| cell(d.and_then(|d| d.pointer(p)))));
            row
        })
        .collect();
    write_rows(&header, rows)
}

const METRICS: [&str; 14] = [
    "base_rate",
    "selection_rate",
    "true_positive_rate",
    "false_positive_rate",
    "true_negative_rate",
    "false_negative_rate",
    "positive_predictive_value",
    "negative_predictive_value",
    "false_discovery_rate",
    "false_omission_rate",
    "accuracy",
    "balanced_accuracy",
    "share",
    "count",
];

fn bias_groups(r: &Value) -> String {
    let mut header = vec!["breakdown".to_string(), "group".to_string(), "n".to_string()];
    for m in &METRICS[..12] {
        header.extend([m.to_string(), format!("{m}_numerator"), format!("{m}_denominator")]);
        header.extend([format!("{m}_wilson95_low"), format!("{m}_wilson95_high")]);
    }
    let empty = Vec::new();
    let mut rows = Vec::new();
    for b in r.pointer("/bias/breakdowns").and_then(Value::as_array).unwrap_or(&empty) {
        let breakdown = b
            .get("attributes")
            .and_then(Value::as_array)
            .map_or_else(String::new, |a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" × "));
        let groups = b
            .pointer("/audit/groups")
            .or_else(|| b.pointer("/selection/groups"))
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        for g in groups {
            let group = g.get("group").and_then(Value::as_array).map_or_else(String::new, |a| {
                a.iter()
                    .map(|v| v.as_str().map_or_else(|| "(unknown)".to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(" | ")
            });
            let metrics = g.get("metrics").unwrap_or(g);
            let n = metrics.get("count").or_else(|| g.get("count"));
            let mut row = vec![csv_field(&breakdown), csv_field(&group), cell(n)];
            for m in &METRICS[..12] {
                let rate = metrics.get(*m);
                row.extend(["value", "numerator", "denominator"].iter().map(|k| cell(rate.and_then(|x| x.get(*k)))));
                row.push(cell(rate.and_then(|x| x.pointer("/wilson95/0"))));
                row.push(cell(rate.and_then(|x| x.pointer("/wilson95/1"))));
            }
            rows.push(row);
        }
    }
    write_rows(&header.iter().map(String::as_str).collect::<Vec<_>>(), rows)
}

/// The report's table `name` (one of [`TABLES`]) as CSV.
pub fn table(report: &Report, name: &str) -> crate::error::Result<String> {
    let v = serde_json::to_value(report).map_err(|e| crate::error::Error::state(e.to_string()))?;
    match name {
        "columns" => Ok(columns(&v)),
        "checks" => Ok(checks(&v)),
        "bias_groups" if report.bias.is_some() => Ok(bias_groups(&v)),
        "bias_groups" => Err(crate::error::Error::spec("table", "the report has no bias audit, so no group table")),
        other => Err(crate::error::Error::spec(
            "table",
            format!("unknown table `{other}`; the tables are {}", TABLES.join(", ")),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_formula_safe_numbers_stay_numbers() {
        for (raw, want) in [
            ("1.25", "1.25"),
            ("-30.5", "-30.5"),
            ("-1e-9", "-1e-9"),
            ("-2", "-2"),
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-1+2", "'-1+2"),
            ("-2-cmd|' /C calc'!A0", "'-2-cmd|' /C calc'!A0"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("-1e", "'-1e"),
            ("-inf", "'-inf"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("a,\"b\"", "\"a,\"\"b\"\"\""),
        ] {
            assert_eq!(csv_field(raw), want, "{raw:?}");
        }
    }
}
