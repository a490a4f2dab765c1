//! Validation of the `[dp]` section: each raw query is checked against the columns and
//! the bias spec and becomes a [`DpQuery`] of a [`DpSpec`].
//!
//! Messages are written for the person in the page as well as for the one writing a spec
//! file: a setting is named in words with its key (`the total privacy budget ε (`epsilon`
//! in [dp]) must be …`), a release by its position counting from 1 and what it releases
//! (`release 2 (histogram of city): …`) — the n-th row of the page's table, the n-th
//! `[[dp.queries]]` of the file.

use super::*;
use crate::error::dp::DpError;

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

fn setting(what: &str, key: &'static str, message: impl Into<String>) -> Error {
    DpError::Setting { what: what.into(), key, message: message.into() }.into()
}

/// A budget (ε or ρ) as an exact rational: a finite number greater than 0.
fn budget(what: &str, key: &'static str, x: f64) -> Result<Rational> {
    if !(x.is_finite() && x > 0.0) {
        return Err(setting(what, key, format!("must be a number greater than 0; got {x}")));
    }
    decimal_rational(key, x).map_err(|e| setting(what, key, e.to_string()))
}

/// What a raw query releases, in words, before its columns are checked.
fn raw_label(q: &RawDpQuery) -> String {
    let of = |what: &str| format!("{what} of {}", q.column.as_deref().unwrap_or("(no column)"));
    match q.kind.as_str() {
        "count" => "number of rows".into(),
        "histogram" => of("histogram"),
        "sum" => of("sum"),
        "mean" => of("mean"),
        "quantiles" => of("quantiles"),
        "categories" => of("categories"),
        "fairness" => format!("fairness by {}", q.protected.as_deref().unwrap_or("the first protected attribute")),
        other => format!("kind `{other}`"),
    }
}

/// Errors of one release: its number (from 1) and label.
struct At<'a> {
    number: usize,
    q: &'a RawDpQuery,
}

impl At<'_> {
    fn err(&self, message: impl Into<String>) -> Error {
        DpError::Release { number: self.number, label: raw_label(self.q), message: message.into() }.into()
    }

    /// A column named in the query: `key` is `column` or `protected`.
    fn column(&self, columns: &[ColumnSpec], key: &str, name: Option<&str>) -> Result<usize> {
        let name = name.ok_or_else(|| self.err(format!("choose the column (`{key}`)")))?;
        crate::spec::bias::find_column(columns, key, name).map_err(|_| {
            let list: Vec<String> = columns.iter().take(20).map(|c| format!("`{}`", c.name)).collect();
            self.err(format!("`{name}` is not a column of this file; its columns are {}", list.join(", ")))
        })
    }

    fn public_keys(&self, what: &str) -> Result<Vec<String>> {
        let keys = self.q.keys.as_ref().ok_or_else(|| {
            self.err(format!(
                "declare the {what} (public: from a code book or the form, never read off the data), or use kind \
                 \"categories\""
            ))
        })?;
        if keys.is_empty() || keys.len() > MAX_KEYS {
            return Err(self.err(format!("declare between 1 and {MAX_KEYS} {what}; got {}", keys.len())));
        }
        let mut seen = std::collections::HashSet::new();
        for k in keys {
            if !seen.insert(k.as_str()) {
                return Err(self.err(format!("`{k}` is declared twice among the {what}")));
            }
            if k.starts_with('(') && k.ends_with(')') {
                return Err(self.err(format!("`{k}`: names in parentheses are reserved for privaudit's own cells")));
            }
        }
        Ok(keys.clone())
    }

    fn bounds(&self) -> Result<(f64, f64)> {
        let lower = self.q.lower.ok_or_else(|| self.err("give a public lower bound (`lower`)"))?;
        let upper = self.q.upper.ok_or_else(|| self.err("give a public upper bound (`upper`)"))?;
        if !(lower.is_finite() && upper.is_finite() && lower < upper) {
            return Err(self.err(format!("the bounds must be finite with lower < upper; got [{lower}, {upper}]")));
        }
        Ok((lower, upper))
    }

    fn numeric(&self, columns: &[ColumnSpec], c: usize) -> Result<()> {
        if columns[c].ty.is_numeric() {
            Ok(())
        } else {
            Err(self.err(format!("`{}` is not numeric (set its type to integer or float)", columns[c].name)))
        }
    }
}

fn query(at: &At, columns: &[ColumnSpec], bias: Option<&crate::spec::BiasSpec>) -> Result<DpQuery> {
    let q = at.q;
    let col = || at.column(columns, "column", q.column.as_deref());
    Ok(match q.kind.as_str() {
        "count" => DpQuery::Count,
        "histogram" => DpQuery::Histogram { column: col()?, keys: at.public_keys("keys")? },
        "sum" | "mean" => {
            let column = col()?;
            at.numeric(columns, column)?;
            let (lower, upper) = at.bounds()?;
            let decimals = q.decimals.unwrap_or(0);
            if decimals > 9 {
                return Err(at.err(format!("keep at most 9 decimal digits (`decimals`); got {decimals}")));
            }
            let unit = 10f64.powi(decimals as i32);
            let to_units = |x: f64| {
                let u = (x * unit).round();
                if u.abs() > 1e15 {
                    Err(at.err(format!(
                        "the bound {x} is too large for the fixed-point sum (|bound| × 10^decimals must be at most 10^15)"
                    )))
                } else {
                    Ok(u as i64)
                }
            };
            let (lower_units, upper_units) = (to_units(lower)?, to_units(upper)?);
            if lower_units >= upper_units {
                return Err(at.err("the bounds are equal at this number of decimals; keep more decimals"));
            }
            DpQuery::Sum { column, lower_units, upper_units, decimals, mean: q.kind == "mean" }
        }
        "quantiles" => {
            let column = col()?;
            at.numeric(columns, column)?;
            let (lower, upper) = at.bounds()?;
            let bins = q.bins.unwrap_or(20);
            if !(1..=MAX_KEYS as u32).contains(&bins) {
                return Err(at.err(format!("the number of bins must be between 1 and {MAX_KEYS}; got {bins}")));
            }
            let probabilities = q.probabilities.clone().unwrap_or_else(|| vec![0.25, 0.5, 0.75]);
            if probabilities.is_empty() || probabilities.iter().any(|p| !(*p > 0.0 && *p < 1.0)) {
                return Err(at.err("the probabilities must be strictly between 0 and 1"));
            }
            DpQuery::Quantiles { column, lower, upper, bins, probabilities }
        }
        "categories" => DpQuery::Categories { column: col()? },
        "fairness" => {
            let bias = bias.ok_or_else(|| {
                at.err("a fairness release needs the bias settings (label column, positive values, prediction)")
            })?;
            let protected = match &q.protected {
                Some(name) => at.column(columns, "protected", Some(name))?,
                None => bias.protected[0],
            };
            let groups = at.public_keys("groups of the protected attribute")?;
            if let Some(r) = q.reference_group.as_ref().filter(|r| !groups.contains(r)) {
                return Err(at.err(format!("the reference group `{r}` is not one of the declared groups")));
            }
            let (Some(label), Some(positive_label)) = (bias.label, bias.positive_label.clone()) else {
                return Err(
                    at.err("a fairness release needs a label column and its positive value in the bias settings")
                );
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
            return Err(at.err(format!(
                "`{other}` is not a kind of release; use count, histogram, sum, mean, quantiles, categories or fairness"
            )))
        }
    })
}

/// Validates `[dp]` against the columns (and `[bias]`, for fairness releases).
pub fn validate(d: &RawDp, columns: &[ColumnSpec], bias: Option<&crate::spec::BiasSpec>) -> Result<DpSpec> {
    let measure = match d.measure.as_deref().unwrap_or("pure") {
        "pure" => DpMeasure::Pure,
        "zcdp" => DpMeasure::Zcdp,
        other => {
            return Err(setting(
                "the privacy measure",
                "measure",
                format!("must be \"pure\" or \"zcdp\"; got `{other}`"),
            ))
        }
    };
    const EPS: &str = "the total privacy budget ε";
    const RHO: &str = "the total privacy budget ρ";
    let budget = match (measure, d.epsilon, d.rho) {
        (DpMeasure::Pure, Some(e), None) => budget(EPS, "epsilon", e)?,
        (DpMeasure::Zcdp, None, Some(r)) => budget(RHO, "rho", r)?,
        (DpMeasure::Pure, _, _) => return Err(setting(EPS, "epsilon", "must be given (and no ρ) for pure ε-DP")),
        (DpMeasure::Zcdp, _, _) => return Err(setting(RHO, "rho", "must be given (and no ε) for ρ-zCDP")),
    };
    let delta = d.delta.unwrap_or(1e-7);
    if !(delta > 0.0 && delta < 1e-3) {
        return Err(setting("δ", "delta", format!("must be greater than 0 and below 0.001; got {delta}")));
    }
    let alpha = d.alpha.unwrap_or(0.05);
    if !(alpha > 0.0 && alpha <= 0.5) {
        return Err(setting(
            "α, 1 − the confidence of every interval,",
            "alpha",
            format!("must be greater than 0 and at most 0.5; got {alpha}"),
        ));
    }
    let person_column = match d.person_column.as_deref() {
        Some(n) => Some(crate::spec::bias::find_column(columns, "dp.person_column", n).map_err(|_| {
            setting("the person column", "person_column", format!("`{n}` is not a column of this file"))
        })?),
        None => None,
    };
    let max_rows_per_person = d.max_rows_per_person.unwrap_or(1);
    const ROWS: &str = "the most rows kept per person";
    if !(1..=MAX_ROWS_PER_PERSON).contains(&max_rows_per_person) {
        return Err(setting(
            ROWS,
            "max_rows_per_person",
            format!("must be between 1 and {MAX_ROWS_PER_PERSON}; got {max_rows_per_person}"),
        ));
    }
    if person_column.is_none() && max_rows_per_person != 1 {
        return Err(setting(ROWS, "max_rows_per_person", "needs a person column: without one every row is one person"));
    }
    if d.queries.is_empty() || d.queries.len() > MAX_QUERIES {
        return Err(setting(
            "the list of releases",
            "queries",
            format!("must hold between 1 and {MAX_QUERIES} releases; it holds {}", d.queries.len()),
        ));
    }
    let queries = d
        .queries
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let at = At { number: k + 1, q };
            let weight = q.weight.unwrap_or(1);
            if weight == 0 {
                return Err(at.err("its weight (share of the budget) must be a whole number of at least 1"));
            }
            let parsed = query(&at, columns, bias)?;
            if matches!(parsed, DpQuery::Categories { .. }) && measure == DpMeasure::Zcdp {
                return Err(at.err(
                    "category discovery is (ε, δ)-DP and cannot be part of a ρ-zCDP summary; choose the measure \
                     pure ε-DP (`measure = \"pure\"`)",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::value::{ColumnType, DateOrder};
    use crate::spec::Role;

    fn columns() -> Vec<ColumnSpec> {
        let col =
            |name: &str, ty| ColumnSpec { name: name.into(), ty, role: Role::Feature, date_order: DateOrder::Ymd };
        vec![col("city", ColumnType::Categorical), col("income", ColumnType::Float)]
    }

    fn error(toml: &str) -> String {
        let raw: RawDp = toml::from_str(toml).unwrap();
        validate(&raw, &columns(), None).unwrap_err().to_string()
    }

    #[test]
    fn messages_use_words_and_count_releases_from_one() {
        let q = "[[queries]]\nkind = \"count\"\n";
        assert_eq!(
            error(&format!("epsilon = 0.0\n{q}")),
            "the total privacy budget ε (`epsilon` in [dp]) must be a number greater than 0; got 0"
        );
        assert_eq!(
            error(&format!("measure = \"zcdp\"\nrho = -1.0\n{q}")),
            "the total privacy budget ρ (`rho` in [dp]) must be a number greater than 0; got -1"
        );
        let e = error(&format!("epsilon = 1.0\n{q}[[queries]]\nkind = \"histogram\"\ncolumn = \"city\"\n"));
        assert!(e.starts_with("release 2 (histogram of city): declare the keys"), "{e}");
        let e = error(&format!(
            "epsilon = 1.0\n{q}{q}[[queries]]\nkind = \"mean\"\ncolumn = \"city\"\nlower = 0\nupper = 1\n"
        ));
        assert_eq!(e, "release 3 (mean of city): `city` is not numeric (set its type to integer or float)");
        let e = error("epsilon = 1.0\n[[queries]]\nkind = \"sum\"\ncolumn = \"wage\"\n");
        assert!(e.starts_with("release 1 (sum of wage): `wage` is not a column of this file"), "{e}");
        assert!(!e.contains("dp.queries") && !e.contains("[0]"), "{e}");
    }
}
