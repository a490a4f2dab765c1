//! The re-identification section of the report (`privacy.risk`): built from the frozen
//! class table. Aggregates only — no quasi-identifier tuple and no value is ever copied
//! into it (§8.14: exact risk numbers are raw facts about the data, not DP; they belong to
//! the data owner's internal report).

use super::diversity::{diversity, Diversity};
use super::ladder::Ladder;
use super::measures::{class_sizes, prosecutor, size_histogram, ClassSizes, ProsecutorRisk, RowShare};
use super::population::{estimate, PopulationEstimate};
use super::spec::RiskSpec;
use super::table::ClassTable;
use super::whatif::{evaluate, level_vectors, WhatIf};
use crate::ingest::value::ColumnType;
use crate::sketch::distinct::Distinct;
use crate::spec::ColumnSpec;
use serde::{Deserialize, Serialize};

/// How missing quasi-identifier values are grouped (named in every report).
pub const MISSING_CONVENTION: &str = "missing is its own value (ARX): a missing quasi-identifier matches only other missing values, whatever the missing token; values are compared as typed (numbers by value, dates by day, text trimmed, case kept)";

/// The measures of one sensitive attribute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitiveMeasures {
    /// The column.
    pub column: String,
    /// Distinct values in the table (missing counts as one).
    pub values: u64,
    /// The measures (None with `note` when not computed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<Diversity>,
    /// Why not computed, or what is undefined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Several rows per person: the person column's distinct count against the rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonCheck {
    /// The person column.
    pub column: String,
    /// Non-missing values of it.
    pub rows: u64,
    /// Distinct persons (exact, or a HyperLogLog estimate).
    pub persons: Distinct,
    /// What it means for the class sizes.
    pub note: String,
}

/// One quasi-identifier's ladder, for the what-if table and the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LadderInfo {
    /// The column.
    pub column: String,
    /// The ladder kind.
    pub kind: String,
    /// What each level does, level 0 first.
    pub levels: Vec<String>,
}

/// The re-identification risk over the quasi-identifiers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskReport {
    /// The quasi-identifiers (the user's choice).
    pub quasi_identifiers: Vec<String>,
    /// The sensitive attributes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive: Vec<String>,
    /// Rows read.
    pub rows: u64,
    /// Rows with at least one missing quasi-identifier.
    pub rows_missing_qi: RowShare,
    /// The convention for missing values.
    pub missing_convention: String,
    /// The memory cap (distinct tuples; and (tuple, sensitive value) pairs per attribute).
    pub max_classes: u64,
    /// True when the file has more distinct tuples than the cap: no class measure.
    pub over_cap: bool,
    /// Why measures are missing, when they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Class sizes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<ClassSizes>,
    /// Prosecutor risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prosecutor: Option<ProsecutorRisk>,
    /// Journalist and marketer risk: what can and cannot be said without a population table.
    pub journalist_marketer: String,
    /// The population-uniqueness estimate (with `population`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<PopulationEstimate>,
    /// l-diversity and t-closeness per sensitive attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive_measures: Vec<SensitiveMeasures>,
    /// Several rows per person (with `person`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonCheck>,
    /// The ladders of the what-if generalisations.
    pub ladders: Vec<LadderInfo>,
    /// The generalisations tried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub what_ifs: Vec<WhatIf>,
}

fn is_ordered(ty: ColumnType) -> bool {
    matches!(ty, ColumnType::Integer | ColumnType::Float | ColumnType::Date | ColumnType::Datetime)
}

/// Builds the section. `target_k`: the `k_anonymity` gate's minimum; `distinct(c)`: the
/// profile's (non-missing count, distinct count) of column c.
pub fn build(
    spec: &RiskSpec,
    columns: &[ColumnSpec],
    table: ClassTable,
    target_k: u64,
    distinct: &dyn Fn(usize) -> Option<(u64, Distinct)>,
) -> RiskReport {
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let n = table.rows;
    let h = size_histogram(&table);
    let note = if table.over_cap {
        Some(format!("not computed: the quasi-identifiers take more than {} distinct combinations (privacy.max_classes), so k, class sizes and risks are unknown; choose fewer or coarser quasi-identifiers, or raise the cap (about 100 bytes of memory per combination)", crate::report::fmt::count(spec.max_classes)))
    } else if n == 0 {
        Some("undefined: the file has no data rows".into())
    } else {
        None
    };
    let ordered: Vec<bool> = spec.sensitive.iter().map(|&c| is_ordered(columns[c].ty)).collect();
    let sensitive_measures = spec
        .sensitive
        .iter()
        .enumerate()
        .map(|(a, &c)| {
            let measures = diversity(&table, a, ordered[a], spec.recursive_l);
            let why = if table.sensitive_over_cap && !table.over_cap {
                Some(format!("not computed: more than {} distinct (class, value) pairs (privacy.max_classes)", crate::report::fmt::count(spec.max_classes)))
            } else if measures.as_ref().is_some_and(|d| d.t.is_none()) {
                Some("t undefined: the attribute has one value in the whole table (the ordered distance divides by m − 1 = 0)".into())
            } else {
                note.clone()
            };
            SensitiveMeasures { column: names[c].clone(), values: table.sensitive_values.get(a).map_or(0, |v| v.len() as u64), measures, note: why }
        })
        .collect();
    let interned = table.intern(spec.qis.len());
    let what_ifs = if note.is_none() {
        level_vectors(spec)
            .into_iter()
            .filter_map(|(levels, source)| {
                evaluate(&table, spec, &names, &ordered, &interned, &levels, source, target_k)
            })
            .collect()
    } else {
        Vec::new()
    };
    let person = spec.person.and_then(|p| {
        let (rows, persons) = distinct(p)?;
        let several = persons.value < rows;
        let note = if several {
            format!("`{}` has {} distinct values in {} rows: some people have several rows, and every class size counts rows, not people — a class of one person's rows looks safer than it is. Keep one row per person (or group by person) before releasing", names[p], crate::report::fmt::count(persons.value), crate::report::fmt::count(rows))
        } else {
            format!("`{}` has as many distinct values as rows: one row per person", names[p])
        };
        Some(PersonCheck { column: names[p].clone(), rows, persons, note })
    });
    RiskReport {
        quasi_identifiers: spec.qis.iter().map(|&c| names[c].clone()).collect(),
        sensitive: spec.sensitive.iter().map(|&c| names[c].clone()).collect(),
        rows: n,
        rows_missing_qi: RowShare::of(table.rows_missing_qi, n),
        missing_convention: MISSING_CONVENTION.into(),
        max_classes: spec.max_classes,
        over_cap: table.over_cap,
        classes: class_sizes(&h),
        prosecutor: prosecutor(&h, spec.threshold),
        journalist_marketer: "journalist risk: same as prosecutor; marketer risk: same as the prosecutor's average risk — without a population table (the people of the population with each combination) ARX takes the population to be the sample, so these are not separate, lower numbers. With a population size, the population-uniqueness estimate below says how many people of the population are unique".into(),
        population: match (spec.population, note.is_none()) {
            (Some(big), true) => Some(estimate(&h, big)),
            _ => None,
        },
        sensitive_measures,
        person,
        ladders: ladder_infos(spec, columns),
        what_ifs,
        note,
    }
}

/// The ladders a spec would use, for the page (before a run).
pub fn ladder_infos(spec: &RiskSpec, columns: &[ColumnSpec]) -> Vec<LadderInfo> {
    spec.qis
        .iter()
        .zip(&spec.ladders)
        .map(|(&c, l): (&usize, &Ladder)| LadderInfo {
            column: columns[c].name.clone(),
            kind: l.kind().into(),
            levels: (0..=l.height()).map(|lv| l.level_name(lv)).collect(),
        })
        .collect()
}

/// The section and its gates from the run's accumulator (None without quasi-identifiers).
/// `columns`: the report's column profiles (for the person column's distinct count).
pub fn section(
    spec: &crate::spec::ValidSpec,
    acc: Option<super::RiskAcc>,
    columns: &[crate::report::model::ColumnReport],
) -> Option<(RiskReport, Vec<crate::quality::checks::CheckOutcome>)> {
    let (risk, acc) = spec.risk.as_ref().zip(acc)?;
    let raw = &spec.resolved.checks;
    let distinct = |c: usize| {
        let name = &spec.columns.get(c)?.name;
        columns.iter().find(|r| &r.name == name).map(|r| (r.stats.valid, r.stats.distinct))
    };
    let report = build(risk, &spec.columns, acc.finish(), super::gates::target_k(raw), &distinct);
    let gates = super::gates::outcomes(raw, &report);
    Some((report, gates))
}
