//! The validated re-identification settings ([`RiskSpec`]), from `[privacy]`.

use super::ladder::{Ladder, DEFAULT_MIN_COUNT, DEFAULT_WIDTHS, HIPAA_TOP_AGE};
use crate::error::{Error, Result};
use crate::ingest::value::ColumnType;
use crate::spec::privacy::{RawLadder, RawPrivacy};
use crate::spec::{ColumnSpec, Role};

/// Default τ (records at risk: class size below 5).
pub const DEFAULT_RISK_THRESHOLD: f64 = 0.2;
/// Default cap on distinct quasi-identifier tuples.
pub const DEFAULT_MAX_CLASSES: u64 = 1_000_000;
/// Most quasi-identifiers.
pub const MAX_QIS: usize = 16;
/// Most sensitive attributes.
pub const MAX_SENSITIVE: usize = 8;
/// Most what-if generalisations evaluated (the user's first, then the default set).
pub const MAX_WHAT_IFS: usize = 32;

/// Validated re-identification settings.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskSpec {
    /// Quasi-identifier columns (in the spec's order).
    pub qis: Vec<usize>,
    /// Sensitive attribute columns.
    pub sensitive: Vec<usize>,
    /// N.
    pub population: Option<u64>,
    /// τ.
    pub threshold: f64,
    /// The class cap.
    pub max_classes: u64,
    /// The person column.
    pub person: Option<usize>,
    /// l of recursive (c, l).
    pub recursive_l: u64,
    /// One ladder per quasi-identifier.
    pub ladders: Vec<Ladder>,
    /// The user's what-ifs: one level per quasi-identifier.
    pub what_ifs: Vec<Vec<u32>>,
}

fn column(columns: &[ColumnSpec], field: &str, name: &str) -> Result<usize> {
    let i = columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| Error::spec(field, format!("no column named `{name}`")))?;
    if columns[i].role == Role::Ignore {
        return Err(Error::spec(
            field,
            format!("`{name}` has the role ignore, so it is not read; give it another role"),
        ));
    }
    Ok(i)
}

fn increasing<T: PartialOrd + Copy>(v: &[T], field: &str, ok: impl Fn(T) -> bool) -> Result<()> {
    if v.is_empty() || !v.iter().all(|&x| ok(x)) || v.windows(2).any(|w| w[1] <= w[0]) {
        return Err(Error::spec(field, "give one or more positive values in increasing order"));
    }
    Ok(())
}

fn ladder(raw: Option<&RawLadder>, col: &ColumnSpec, field: &str) -> Result<Ladder> {
    let default = Ladder::default_for(&col.name, col.ty);
    let Some(raw) = raw else { return Ok(default) };
    let kind = raw.kind.clone().unwrap_or_else(|| default.kind().to_string());
    let numeric = col.ty.is_numeric();
    let widths = raw.widths.clone().unwrap_or_else(|| DEFAULT_WIDTHS.to_vec());
    let bad_type = |k: &str| {
        Error::spec(format!("{field}.kind"), format!("a `{k}` ladder does not fit a {} column", col.ty.name()))
    };
    let unused = [
        ("widths", raw.widths.is_some(), ["numeric", "age"].as_slice()),
        ("top", raw.top.is_some(), &["age"]),
        ("masks", raw.masks.is_some(), &["mask"]),
        ("min_counts", raw.min_counts.is_some(), &["category"]),
    ];
    for (key, set, kinds) in unused {
        if set && !kinds.contains(&kind.as_str()) {
            return Err(Error::spec(
                format!("{field}.{key}"),
                format!("only a {} ladder takes this", kinds.join(" or ")),
            ));
        }
    }
    let out = match kind.as_str() {
        "numeric" | "age" if !numeric => return Err(bad_type(&kind)),
        "numeric" => Ladder::Numeric { widths },
        "age" => Ladder::Age { widths, top: raw.top.unwrap_or(HIPAA_TOP_AGE) },
        "date" if !matches!(col.ty, ColumnType::Date | ColumnType::Datetime) => return Err(bad_type("date")),
        "date" => Ladder::Date { time: col.ty == ColumnType::Datetime },
        "mask" if matches!(col.ty, ColumnType::Date | ColumnType::Datetime | ColumnType::Boolean) => {
            return Err(bad_type("mask"))
        }
        "mask" => Ladder::Mask { masks: raw.masks.clone().unwrap_or_else(|| super::ladder::DEFAULT_MASKS.to_vec()) },
        "category" => {
            Ladder::Category { min_counts: raw.min_counts.clone().unwrap_or_else(|| vec![DEFAULT_MIN_COUNT]) }
        }
        "suppress" => Ladder::Suppress,
        other => {
            return Err(Error::spec(
                format!("{field}.kind"),
                format!("unknown ladder `{other}`; use numeric, age, date, mask, category or suppress"),
            ))
        }
    };
    match &out {
        Ladder::Numeric { widths } | Ladder::Age { widths, .. } => {
            increasing(widths, &format!("{field}.widths"), |w: f64| w.is_finite() && w > 0.0)?
        }
        Ladder::Mask { masks } => increasing(masks, &format!("{field}.masks"), |m: u32| m > 0)?,
        Ladder::Category { min_counts } => increasing(min_counts, &format!("{field}.min_counts"), |m: u64| m > 0)?,
        _ => {}
    }
    if let Some(t) = raw.top {
        if !t.is_finite() {
            return Err(Error::spec(format!("{field}.top"), "must be a number"));
        }
    }
    Ok(out)
}

/// Validates the re-identification part of `[privacy]`; None when no quasi-identifier is
/// set.
pub fn validate(raw: &RawPrivacy, columns: &[ColumnSpec]) -> Result<Option<RiskSpec>> {
    let qi_only = [
        ("sensitive", !raw.sensitive.is_empty()),
        ("population", raw.population.is_some()),
        ("person", raw.person.is_some()),
        ("ladders", !raw.ladders.is_empty()),
        ("what_if", !raw.what_if.is_empty()),
    ];
    if raw.quasi_identifiers.is_empty() {
        if let Some((key, _)) = qi_only.iter().find(|(_, set)| *set) {
            return Err(Error::spec(format!("privacy.{key}"), "needs privacy.quasi_identifiers (--quasi-identifiers)"));
        }
        return Ok(None);
    }
    if raw.quasi_identifiers.len() > MAX_QIS {
        return Err(Error::spec("privacy.quasi_identifiers", format!("at most {MAX_QIS} columns")));
    }
    let mut qis = Vec::new();
    for name in &raw.quasi_identifiers {
        let i = column(columns, "privacy.quasi_identifiers", name)?;
        if qis.contains(&i) {
            return Err(Error::spec("privacy.quasi_identifiers", format!("`{name}` appears twice")));
        }
        qis.push(i);
    }
    if raw.sensitive.len() > MAX_SENSITIVE {
        return Err(Error::spec("privacy.sensitive", format!("at most {MAX_SENSITIVE} columns")));
    }
    let mut sensitive = Vec::new();
    for name in &raw.sensitive {
        let i = column(columns, "privacy.sensitive", name)?;
        if qis.contains(&i) || sensitive.contains(&i) {
            return Err(Error::spec(
                "privacy.sensitive",
                format!("`{name}` is already a quasi-identifier or listed twice"),
            ));
        }
        sensitive.push(i);
    }
    let person = raw.person.as_deref().map(|p| column(columns, "privacy.person", p)).transpose()?;
    if person.is_some_and(|p| qis.contains(&p)) {
        return Err(Error::spec("privacy.person", "the person column cannot be a quasi-identifier"));
    }
    let threshold = raw.risk_threshold.unwrap_or(DEFAULT_RISK_THRESHOLD);
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(Error::spec("privacy.risk_threshold", format!("τ is a probability in (0, 1], got {threshold}")));
    }
    let max_classes = raw.max_classes.unwrap_or(DEFAULT_MAX_CLASSES);
    if !(1..=100_000_000).contains(&max_classes) {
        return Err(Error::spec(
            "privacy.max_classes",
            format!("must be between 1 and 100,000,000, got {max_classes}"),
        ));
    }
    if raw.population == Some(0) {
        return Err(Error::spec("privacy.population", "the population size must be at least 1"));
    }
    let recursive_l = raw.recursive_l.unwrap_or(2);
    if recursive_l < 1 {
        return Err(Error::spec("privacy.recursive_l", "l is at least 1"));
    }
    if let Some(name) = raw.ladders.keys().find(|n| !raw.quasi_identifiers.contains(n)) {
        return Err(Error::spec(format!("privacy.ladders.{name}"), "not a quasi-identifier"));
    }
    let ladders = qis
        .iter()
        .map(|&i| {
            ladder(raw.ladders.get(&columns[i].name), &columns[i], &format!("privacy.ladders.{}", columns[i].name))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut what_ifs = Vec::new();
    for (k, w) in raw.what_if.iter().enumerate() {
        let mut levels = vec![0u32; qis.len()];
        for (name, &level) in w {
            let field = format!("privacy.what_if[{k}].{name}");
            let q = raw
                .quasi_identifiers
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| Error::spec(&field, "not a quasi-identifier"))?;
            let top = ladders[q].height();
            if level > top {
                return Err(Error::spec(field, format!("the ladder of `{name}` has levels 0 to {top}")));
            }
            levels[q] = level;
        }
        what_ifs.push(levels);
    }
    if what_ifs.len() > MAX_WHAT_IFS {
        return Err(Error::spec("privacy.what_if", format!("at most {MAX_WHAT_IFS} generalisations")));
    }
    Ok(Some(RiskSpec {
        qis,
        sensitive,
        population: raw.population,
        threshold,
        max_classes,
        person,
        recursive_l,
        ladders,
        what_ifs,
    }))
}
