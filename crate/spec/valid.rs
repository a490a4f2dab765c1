//! The validated spec: [`ValidSpec`] and its columns, built from a resolved [`RawSpec`]
//! with every user-set value checked once (the message names the field and the value).

use super::*;

/// One column of a validated spec.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ColumnSpec {
    /// Unique column name.
    pub name: String,
    /// Type.
    pub ty: ColumnType,
    /// Role.
    pub role: Role,
    /// Field order for dates.
    pub date_order: DateOrder,
}

/// A validated, resolved spec: what every worker parses and analyses with.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidSpec {
    /// The resolved raw spec (every input field and every column filled).
    pub resolved: RawSpec,
    /// Encoding.
    pub encoding: Encoding,
    /// Dialect.
    pub dialect: Dialect,
    /// Columns in file order.
    pub columns: Vec<ColumnSpec>,
    /// Missing tokens.
    pub missing: MissingTokens,
    /// Number format.
    pub number: NumberFormat,
    /// Longest field accepted.
    pub max_field_bytes: u64,
    /// Fingerprint of the resolved spec (stamped on states).
    pub fingerprint: u64,
    /// The bias audit, when the spec asks for one.
    pub bias: Option<BiasSpec>,
    /// The DP summary (validated in DP runs only).
    pub dp: Option<DpSpec>,
    /// What runs with this spec compute.
    pub mode: Mode,
    /// The correlation matrix (None when off).
    pub correlations: Option<CorrSpec>,
    /// Reference shares.
    pub representativeness: Vec<RepresentativenessSpec>,
    /// Re-identification risk over quasi-identifiers (`[privacy]`), when asked for.
    pub risk: Option<crate::privacy::risk::RiskSpec>,
}

/// Default field-size limit: 16 MiB.
pub const DEFAULT_MAX_FIELD_BYTES: u64 = 16 * 1024 * 1024;

/// Parses a one-character spec value (`tab` and `\t` mean a tab).
pub fn one_char_pub(field: &str, v: &str) -> Result<u8> {
    one_char(field, v)
}

/// The number format of `[input]` (decimal and thousands separators).
pub fn number_format(i: &RawInput) -> Result<NumberFormat> {
    let decimal = one_char("input.decimal", i.decimal.as_deref().unwrap_or("."))?;
    if !matches!(decimal, b'.' | b',') {
        return Err(Error::spec("input.decimal", "use `.` or `,`"));
    }
    let thousands = match i.thousands.as_deref().unwrap_or("") {
        "" => None,
        t => Some(one_char("input.thousands", t)?),
    };
    if thousands == Some(decimal) {
        return Err(Error::spec("input.thousands", "must differ from the decimal separator"));
    }
    Ok(NumberFormat { decimal, thousands })
}

fn one_char(field: &str, v: &str) -> Result<u8> {
    let v = if v.eq_ignore_ascii_case("tab") || v == "\\t" { "\t" } else { v };
    match v.as_bytes() {
        [b] if b.is_ascii() && !matches!(b, b'\n' | b'\r') => Ok(*b),
        _ => Err(Error::spec(field, format!("expected one ASCII character (or `tab`), found `{v}`"))),
    }
}

impl ValidSpec {
    /// Validates a resolved spec (as returned by [`resolve`]).
    pub fn try_from_resolved(raw: &RawSpec) -> Result<Self> {
        let i = &raw.input;
        let need = |f: &str| {
            Error::spec(format!("input.{f}"), "not set; the spec must be resolved against the file first (preview)")
        };
        let delimiter = one_char("input.delimiter", i.delimiter.as_deref().ok_or_else(|| need("delimiter"))?)?;
        let quote = one_char("input.quote", i.quote.as_deref().ok_or_else(|| need("quote"))?)?;
        if quote == delimiter {
            return Err(Error::spec("input.quote", "the quote character must differ from the delimiter"));
        }
        let encoding = Encoding::from_label(i.encoding.as_deref().ok_or_else(|| need("encoding"))?)?;
        let number = number_format(i)?;
        let max_field_bytes = i.max_field_bytes.unwrap_or(DEFAULT_MAX_FIELD_BYTES);
        if max_field_bytes < 1024 {
            return Err(Error::spec("input.max_field_bytes", format!("must be at least 1024, got {max_field_bytes}")));
        }
        let columns = validate_columns(raw)?;
        let missing = MissingTokens::new(i.missing_tokens.as_deref().unwrap_or(&[]));
        crate::quality::checks::validate(&raw.checks, &columns)?;
        dataset::validate(&raw.dataset)?;
        if raw.profile.quantile_values_in_memory < 16 {
            return Err(Error::spec("profile.quantile_values_in_memory", "must be at least 16"));
        }
        if let Some(d) = &raw.profile.as_of {
            crate::quality::text::parse_as_of(d)
                .ok_or_else(|| Error::spec("profile.as_of", format!("expected a date as YYYY-MM-DD, got `{d}`")))?;
        }
        let dialect = Dialect { delimiter, quote, header: i.header.unwrap_or(true), line_ending: LineEnding::None };
        let fingerprint = xxhash_rust::xxh3::xxh3_64(raw.to_json().as_bytes());
        let bias = raw.bias.as_ref().map(|b| bias::validate(b, &columns)).transpose()?;
        if bias.is_none() {
            if let Some(id) = raw.checks.keys().find(|id| crate::quality::checks::is_disparity(id)) {
                return Err(Error::spec(
                    format!("checks.{id}"),
                    "a disparity check needs a [bias] section (or the --protected flags)",
                ));
            }
        }
        // `[dp]` matters only to DP runs: an audit is not blocked by a DP query being drafted.
        let dp = match (raw.mode, raw.dp.as_ref()) {
            (Mode::Dp, Some(d)) => Some(dp::validate(d, &columns, bias.as_ref())?),
            (Mode::Dp, None) => {
                return Err(Error::spec("dp", "a DP run needs a [dp] section with a budget and queries"));
            }
            (Mode::Audit, _) => None,
        };
        let correlations = corr::validate_correlations(&raw.correlations, &columns)?;
        let representativeness = corr::validate_representativeness(&raw.representativeness, &columns)?;
        let risk = crate::privacy::risk::spec::validate(&raw.privacy, &columns)?;
        if risk.is_none() {
            if let Some(id) = raw.checks.keys().find(|id| crate::privacy::risk::gates::IDS.contains(&id.as_str())) {
                return Err(Error::spec(
                    format!("checks.{id}"),
                    "a re-identification check needs privacy.quasi_identifiers (or --quasi-identifiers)",
                ));
            }
        }
        Ok(ValidSpec {
            risk,
            correlations,
            representativeness,
            resolved: raw.clone(),
            encoding,
            dialect,
            columns,
            missing,
            number,
            max_field_bytes,
            fingerprint,
            bias,
            dp,
            mode: raw.mode,
        })
    }

    /// The columns whose groups the quality-by-group section compares: role `protected`,
    /// `[bias].protected`, and the columns with reference shares (file order).
    pub fn group_attributes(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.columns.len()).filter(|&i| self.columns[i].role == Role::Protected).collect();
        v.extend(self.bias.iter().flat_map(|b| b.protected.iter().copied()));
        v.extend(self.representativeness.iter().map(|r| r.column));
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The name a group level of column `column` gets in reports: a boolean column's
    /// `true`/`false` (how cells are keyed) become the file's own spelling
    /// (`true_value`/`false_value`, e.g. `yes`/`no`); every other level is itself.
    pub fn level_name<'a>(&'a self, column: usize, level: &'a str) -> &'a str {
        let Some(c) = self.resolved.columns.get(column).filter(|c| c.ty == Some(ColumnType::Boolean)) else {
            return level;
        };
        let named = match level {
            "true" => c.true_value.as_deref(),
            "false" => c.false_value.as_deref(),
            _ => None,
        };
        named.unwrap_or(level)
    }

    /// The inverse of [`Self::level_name`]: the cell text a report's group name of
    /// `column` stands for (`yes` → `true` when the column spells true `yes`).
    pub fn level_key<'a>(&'a self, column: usize, name: &'a str) -> &'a str {
        match self.resolved.columns.get(column).filter(|c| c.ty == Some(ColumnType::Boolean)) {
            Some(c) if c.true_value.as_deref() == Some(name) => "true",
            Some(c) if c.false_value.as_deref() == Some(name) => "false",
            _ => name,
        }
    }

    /// Index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// `true_value` / `false_value`: only on boolean columns, non-empty, different, and not
/// the other side's word (`true_value = "no"`).
fn validate_bool_names(k: usize, c: &RawColumn, ty: ColumnType) -> Result<()> {
    for (field, v, side) in [("true_value", &c.true_value, true), ("false_value", &c.false_value, false)] {
        let Some(v) = v else { continue };
        let at = format!("columns[{k}].{field}");
        if ty != ColumnType::Boolean {
            return Err(Error::spec(at, format!("`{}` is not a boolean column; remove `{field}`", c.name)));
        }
        if v.trim().is_empty() {
            return Err(Error::spec(at, "must not be empty"));
        }
        if crate::ingest::value::parse_bool(v) == Some(!side) {
            return Err(Error::spec(at, format!("`{v}` reads as {}; swap true_value and false_value", !side)));
        }
    }
    if c.true_value.is_some() && c.true_value == c.false_value {
        return Err(Error::spec(format!("columns[{k}].false_value"), "must differ from true_value"));
    }
    Ok(())
}

fn validate_columns(raw: &RawSpec) -> Result<Vec<ColumnSpec>> {
    if raw.columns.is_empty() {
        return Err(Error::spec("columns", "no columns; the spec must be resolved against the file first (preview)"));
    }
    let mut seen = std::collections::HashSet::new();
    raw.columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            if !seen.insert(c.name.as_str()) {
                return Err(Error::spec(format!("columns[{k}].name"), format!("`{}` appears twice", c.name)));
            }
            let ty = c.ty.ok_or_else(|| Error::spec(format!("columns[{k}].type"), "not set"))?;
            validate_bool_names(k, c, ty)?;
            Ok(ColumnSpec {
                name: c.name.clone(),
                ty,
                role: c.role.unwrap_or_default(),
                date_order: c.date_order.unwrap_or(DateOrder::Ymd),
            })
        })
        .collect()
}
