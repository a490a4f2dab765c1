//! Validation of the `[dp]` section: each raw query is checked against the columns and
//! the bias spec and becomes a [`DpQuery`] of a [`DpSpec`].

use super::*;

/// The exact rational a decimal number stands for, as the person wrote it: `0.1` is 1/10
/// (not the binary float nearest to it). Uses the shortest decimal that reads back as `x`.
pub fn decimal_rational(field: &str, x: f64) -> Result<Rational> {
    let bad = || Error::spec(field, format!("a positive finite number, got {x}"));
    if !(x.is_finite() && x > 0.0) {
        return Err(bad());
    }
    let text = format!("{x}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let digits = format!("{int}{frac}");
    let den = num_bigint::BigUint::from(10u32).pow(frac.len() as u32);
    let num = num_bigint::BigUint::parse_bytes(digits.as_bytes(), 10).ok_or_else(bad)?;
    Rational::new(num, den).map_err(|e| Error::spec(field, e.to_string()))
}

fn column(columns: &[ColumnSpec], field: &str, name: Option<&str>) -> Result<usize> {
    let name = name.ok_or_else(|| Error::spec(field, "name the column"))?;
    crate::spec::bias::find_column(columns, field, name)
}

fn public_keys(field: &str, keys: Option<&Vec<String>>, what: &str) -> Result<Vec<String>> {
    let keys = keys.ok_or_else(|| {
        Error::spec(
            field,
            format!("declare the {what} (public: from a code book or the form, never read off the data), or use kind = \"categories\""),
        )
    })?;
    if keys.is_empty() || keys.len() > MAX_KEYS {
        return Err(Error::spec(field, format!("declare between 1 and {MAX_KEYS} {what}")));
    }
    let mut seen = std::collections::HashSet::new();
    for k in keys {
        if !seen.insert(k.as_str()) {
            return Err(Error::spec(field, format!("`{k}` is declared twice")));
        }
        if k.starts_with('(') && k.ends_with(')') {
            return Err(Error::spec(
                field,
                format!("`{k}`: names in parentheses are reserved for privaudit's own cells"),
            ));
        }
    }
    Ok(keys.clone())
}

fn bounds(field: &str, q: &RawDpQuery) -> Result<(f64, f64)> {
    let lower = q.lower.ok_or_else(|| Error::spec(format!("{field}.lower"), "give a public lower bound"))?;
    let upper = q.upper.ok_or_else(|| Error::spec(format!("{field}.upper"), "give a public upper bound"))?;
    if !(lower.is_finite() && upper.is_finite() && lower < upper) {
        return Err(Error::spec(field, format!("bounds must be finite with lower < upper, got [{lower}, {upper}]")));
    }
    Ok((lower, upper))
}

fn numeric(columns: &[ColumnSpec], field: &str, c: usize) -> Result<()> {
    if columns[c].ty.is_numeric() {
        Ok(())
    } else {
        Err(Error::spec(field, format!("`{}` is not numeric (type it integer or float)", columns[c].name)))
    }
}

fn query(q: &RawDpQuery, k: usize, columns: &[ColumnSpec], bias: Option<&crate::spec::BiasSpec>) -> Result<DpQuery> {
    let field = format!("dp.queries[{k}]");
    let col = || column(columns, &format!("{field}.column"), q.column.as_deref());
    Ok(match q.kind.as_str() {
        "count" => DpQuery::Count,
        "histogram" => {
            DpQuery::Histogram { column: col()?, keys: public_keys(&format!("{field}.keys"), q.keys.as_ref(), "keys")? }
        }
        "sum" | "mean" => {
            let column = col()?;
            numeric(columns, &field, column)?;
            let (lower, upper) = bounds(&field, q)?;
            let decimals = q.decimals.unwrap_or(0);
            if decimals > 9 {
                return Err(Error::spec(format!("{field}.decimals"), "at most 9 decimal digits"));
            }
            let unit = 10f64.powi(decimals as i32);
            let to_units = |x: f64, name: &str| {
                let u = (x * unit).round();
                if u.abs() > 1e15 {
                    Err(Error::spec(
                        format!("{field}.{name}"),
                        "too large for the fixed-point sum (|bound| · 10^decimals ≤ 1e15)",
                    ))
                } else {
                    Ok(u as i64)
                }
            };
            let (lower_units, upper_units) = (to_units(lower, "lower")?, to_units(upper, "upper")?);
            if lower_units >= upper_units {
                return Err(Error::spec(field, "the bounds are equal at this number of decimals"));
            }
            DpQuery::Sum { column, lower_units, upper_units, decimals, mean: q.kind == "mean" }
        }
        "quantiles" => {
            let column = col()?;
            numeric(columns, &field, column)?;
            let (lower, upper) = bounds(&field, q)?;
            let bins = q.bins.unwrap_or(20);
            if !(1..=MAX_KEYS as u32).contains(&bins) {
                return Err(Error::spec(format!("{field}.bins"), format!("between 1 and {MAX_KEYS}")));
            }
            let probabilities = q.probabilities.clone().unwrap_or_else(|| vec![0.25, 0.5, 0.75]);
            if probabilities.is_empty() || probabilities.iter().any(|p| !(*p > 0.0 && *p < 1.0)) {
                return Err(Error::spec(format!("{field}.probabilities"), "probabilities strictly between 0 and 1"));
            }
            DpQuery::Quantiles { column, lower, upper, bins, probabilities }
        }
        "categories" => DpQuery::Categories { column: col()? },
        "fairness" => {
            let bias = bias.ok_or_else(|| {
                Error::spec(&field, "a fairness release needs the [bias] section (label, positive values, prediction)")
            })?;
            let protected = match &q.protected {
                Some(name) => column(columns, &format!("{field}.protected"), Some(name))?,
                None => bias.protected[0],
            };
            let groups = public_keys(&format!("{field}.keys"), q.keys.as_ref(), "groups of the protected attribute")?;
            if let Some(r) = q.reference_group.as_ref().filter(|r| !groups.contains(r)) {
                return Err(Error::spec(format!("{field}.reference_group"), format!("`{r}` is not one of the keys")));
            }
            let (Some(label), Some(positive_label)) = (bias.label, bias.positive_label.clone()) else {
                return Err(Error::spec(
                    &field,
                    "a fairness release needs a label column in [bias] (bias.label, bias.positive_label)",
                ));
            };
            DpQuery::Fairness {
                protected,
                groups,
                label,
                positive_label,
                prediction: bias.prediction.clone(),
                reference_group: q.reference_group.clone(),
                positive_is_favourable: bias.options.positive_is_favourable,
            }
        }
        other => {
            return Err(Error::spec(
                format!("{field}.kind"),
                format!("`{other}`: use count, histogram, sum, mean, quantiles, categories or fairness"),
            ))
        }
    })
}

/// Validates `[dp]` against the columns (and `[bias]`, for fairness releases).
pub fn validate(d: &RawDp, columns: &[ColumnSpec], bias: Option<&crate::spec::BiasSpec>) -> Result<DpSpec> {
    let measure = match d.measure.as_deref().unwrap_or("pure") {
        "pure" => DpMeasure::Pure,
        "zcdp" => DpMeasure::Zcdp,
        other => return Err(Error::spec("dp.measure", format!("use \"pure\" or \"zcdp\", not `{other}`"))),
    };
    let budget = match (measure, d.epsilon, d.rho) {
        (DpMeasure::Pure, Some(e), None) => decimal_rational("dp.epsilon", e)?,
        (DpMeasure::Zcdp, None, Some(r)) => decimal_rational("dp.rho", r)?,
        (DpMeasure::Pure, _, _) => {
            return Err(Error::spec("dp.epsilon", "give the total ε (and no ρ) for measure \"pure\""))
        }
        (DpMeasure::Zcdp, _, _) => {
            return Err(Error::spec("dp.rho", "give the total ρ (and no ε) for measure \"zcdp\""))
        }
    };
    let delta = d.delta.unwrap_or(1e-7);
    if !(delta > 0.0 && delta < 1e-3) {
        return Err(Error::spec("dp.delta", format!("δ must be in (0, 0.001), got {delta}")));
    }
    let alpha = d.alpha.unwrap_or(0.05);
    if !(alpha > 0.0 && alpha <= 0.5) {
        return Err(Error::spec("dp.alpha", format!("α must be in (0, 0.5], got {alpha}")));
    }
    let person_column = d.person_column.as_deref().map(|n| column(columns, "dp.person_column", Some(n))).transpose()?;
    let max_rows_per_person = d.max_rows_per_person.unwrap_or(1);
    if !(1..=MAX_ROWS_PER_PERSON).contains(&max_rows_per_person) {
        return Err(Error::spec("dp.max_rows_per_person", format!("between 1 and {MAX_ROWS_PER_PERSON}")));
    }
    if person_column.is_none() && max_rows_per_person != 1 {
        return Err(Error::spec(
            "dp.max_rows_per_person",
            "without a person_column every row is one person; set person_column",
        ));
    }
    if d.queries.is_empty() || d.queries.len() > MAX_QUERIES {
        return Err(Error::spec("dp.queries", format!("declare between 1 and {MAX_QUERIES} queries")));
    }
    let queries = d
        .queries
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let weight = q.weight.unwrap_or(1);
            if weight == 0 {
                return Err(Error::spec(format!("dp.queries[{k}].weight"), "a positive integer"));
            }
            let parsed = query(q, k, columns, bias)?;
            if matches!(parsed, DpQuery::Categories { .. }) && measure == DpMeasure::Zcdp {
                return Err(Error::spec(
                    format!("dp.queries[{k}]"),
                    "category discovery is (ε, δ)-DP; use measure = \"pure\" for a summary with kind = \"categories\"",
                ));
            }
            Ok((parsed, weight))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(DpSpec {
        measure,
        budget,
        delta,
        person_column,
        max_rows_per_person,
        min_noisy_count: d.min_noisy_count.unwrap_or(0),
        alpha,
        include_sha256: d.include_sha256.unwrap_or(false),
        dataset: d.dataset.clone(),
        queries,
    })
}
