//! Suggestions for the page's "Privacy risk" panel: which columns look like
//! quasi-identifiers or sensitive attributes (from whole-word tokens of their names and
//! their types — the user chooses), and the generalisation ladders of the chosen ones.

use super::ladder::name_tokens;
use super::report::{ladder_infos, LadderInfo};
use crate::error::Result;
use crate::ingest::value::ColumnType;
use crate::spec::{ColumnSpec, RawSpec, Role, ValidSpec};
use serde::Serialize;

/// What the panel offers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrivacyOptions {
    /// Columns that look like quasi-identifiers (file order).
    pub suggested_quasi_identifiers: Vec<String>,
    /// Columns that look like sensitive attributes (file order).
    pub suggested_sensitive: Vec<String>,
    /// The ladders of the chosen quasi-identifiers (spec order).
    pub ladders: Vec<LadderInfo>,
}

const QI_WORDS: &[&str] = &[
    "age",
    "sex",
    "gender",
    "zip",
    "zipcode",
    "postcode",
    "postal",
    "plz",
    "dob",
    "birth",
    "birthday",
    "birthdate",
    "born",
    "race",
    "ethnicity",
    "ethnic",
    "occupation",
    "job",
    "profession",
    "nationality",
    "citizenship",
    "city",
    "town",
    "county",
    "country",
    "region",
    "marital",
    "education",
    "language",
    "religion",
];
const SENSITIVE_WORDS: &[&str] = &[
    "diagnosis",
    "disease",
    "condition",
    "health",
    "medical",
    "treatment",
    "medication",
    "salary",
    "income",
    "wage",
    "charge",
    "offence",
    "offense",
    "crime",
    "conviction",
    "hiv",
    "disability",
    "debt",
    "sexuality",
    "orientation",
];

fn named(c: &ColumnSpec, words: &[&str]) -> bool {
    c.role != Role::Identifier
        && c.role != Role::Ignore
        && name_tokens(&c.name).iter().any(|t| words.contains(&t.as_str()))
}

/// The panel's options for a resolved spec (its `[privacy]` validated with the columns).
pub fn options(raw: &RawSpec) -> Result<PrivacyOptions> {
    let spec = ValidSpec::try_from_resolved(raw)?;
    let pick = |words: &[&str]| spec.columns.iter().filter(|c| named(c, words)).map(|c| c.name.clone()).collect();
    let mut qis: Vec<String> = pick(QI_WORDS);
    // Dates of birth are the classic quasi-identifier even when named otherwise.
    for c in &spec.columns {
        if c.ty == ColumnType::Date && name_tokens(&c.name).iter().any(|t| t == "dob") && !qis.contains(&c.name) {
            qis.push(c.name.clone());
        }
    }
    Ok(PrivacyOptions {
        suggested_quasi_identifiers: qis,
        suggested_sensitive: pick(SENSITIVE_WORDS),
        ladders: spec.risk.as_ref().map(|r| ladder_infos(r, &spec.columns)).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_suggest_and_chosen_columns_get_ladders() {
        let mut raw = RawSpec::default();
        raw.privacy.quasi_identifiers = vec!["Age".into(), "zip_code".into()];
        let csv = b"id,Age,zip_code,Sex,page,diagnosis\n1,30,13053,F,2,flu\n";
        let spec = crate::spec::resolve(&raw, csv, true).unwrap().spec;
        let o = options(&spec).unwrap();
        assert_eq!(o.suggested_quasi_identifiers, vec!["Age", "zip_code", "Sex"]);
        assert_eq!(o.suggested_sensitive, vec!["diagnosis"]);
        assert_eq!(o.ladders.len(), 2);
        assert_eq!((o.ladders[0].kind.as_str(), o.ladders[1].kind.as_str()), ("age", "mask"));
    }
}
