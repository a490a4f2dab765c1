//! Role suggestions for the preview: which columns look like protected attributes, the
//! label, the prediction or the score. A suggestion is only offered — the page shows it
//! with its reason and the user applies it (or not); nothing here changes a spec.
//!
//! The rules (also in docs/DESIGN.md):
//! - **protected**, by name: a word of the column name (lower-cased, split at every
//!   character that is not a letter or digit and at lower→upper case changes, as
//!   [`crate::quality::personal::words`]) is in [`PROTECTED_WORDS`] — sex, gender, race,
//!   ethnicity, age, religion, disability, nationality, marital status and their usual
//!   spellings — or the name is one of [`PROTECTED_NAMES`]; only for categorical, boolean or
//!   integer columns (a date of birth or a float is not a grouping);
//! - **protected**, by values: a categorical or boolean column whose distinct sample values
//!   (at most [`crate::ingest::sniff::PREVIEW_VALUES`] of them) are all in one vocabulary
//!   of [`VALUE_VOCABULARIES`] (sex, race/ethnicity, marital status, religion; compared
//!   lower-cased and trimmed), with at least two of them, one being a defining value (a
//!   word: `M`/`F` alone are also the codes of other things, such as charge degrees);
//! - **label**: the name is one of [`LABEL_NAMES`] and the sample has two distinct values;
//! - **prediction**: the name is one of [`PREDICTION_NAMES`] and two distinct values, or a
//!   score name (below) with two distinct values (Aequitas' 0/1 `score`);
//! - **score**: a word of the name is `score`, `probability`, `prob` or `proba`, or the name
//!   is one of [`SCORE_NAMES`], and the column is numeric with more than two distinct values.

use super::Role;
use crate::ingest::sniff::PreviewColumn;
use crate::ingest::value::ColumnType;
use crate::quality::personal::words;
use serde::Serialize;

/// Words that name a protected attribute wherever they stand in a column name.
pub const PROTECTED_WORDS: &[(&str, &str)] = &[
    ("sex", "sex"),
    ("gender", "gender"),
    ("race", "race"),
    ("racial", "race"),
    ("ethnicity", "ethnicity"),
    ("ethnic", "ethnicity"),
    ("age", "age"),
    ("religion", "religion"),
    ("religious", "religion"),
    ("faith", "religion"),
    ("disability", "disability"),
    ("disabled", "disability"),
    ("handicap", "disability"),
    ("nationality", "nationality"),
    ("citizenship", "nationality"),
    ("marital", "marital status"),
    ("married", "marital status"),
];

/// Whole column names (words joined by `_`) that name a protected attribute.
pub const PROTECTED_NAMES: &[(&str, &str)] = &[
    ("agegroup", "age"),
    ("agecat", "age"),
    ("ageband", "age"),
    ("native_country", "nationality"),
    ("country_of_birth", "nationality"),
    ("national_origin", "nationality"),
    ("civil_status", "marital status"),
    ("relationship_status", "marital status"),
];

/// Value vocabularies: (attribute, defining values, other values of the same vocabulary).
pub const VALUE_VOCABULARIES: &[(&str, &[&str], &[&str])] = &[
    (
        "sex",
        &["male", "female", "man", "woman"],
        &["m", "f", "non-binary", "nonbinary", "other", "unknown", "x", "diverse"],
    ),
    (
        "race or ethnicity",
        &[
            "white",
            "black",
            "asian",
            "hispanic",
            "latino",
            "caucasian",
            "african-american",
            "african american",
            "native american",
            "american indian",
            "pacific islander",
            "asian-pac-islander",
            "amer-indian-eskimo",
        ],
        &[
            "other",
            "mixed",
            "multiracial",
            "two or more races",
            "unknown",
            "latina",
            "latinx",
            "middle eastern",
            "arab",
        ],
    ),
    (
        "marital status",
        &["married", "divorced", "widowed", "separated", "never married", "never-married", "married-civ-spouse"],
        &["single", "married-af-spouse", "married-spouse-absent", "domestic partner", "civil partnership", "unknown"],
    ),
    (
        "religion",
        &["christian", "muslim", "jewish", "hindu", "buddhist", "sikh", "catholic", "protestant"],
        &["atheist", "agnostic", "orthodox", "none", "other", "unknown"],
    ),
];

/// Names of a label (the true outcome) column.
pub const LABEL_NAMES: &[&str] =
    &["label", "label_value", "target", "outcome", "y", "y_true", "ytrue", "ground_truth", "true_label", "actual"];
/// Names of a prediction (the model's decision) column.
pub const PREDICTION_NAMES: &[&str] = &[
    "prediction",
    "predictions",
    "predicted",
    "predicted_label",
    "pred",
    "y_pred",
    "ypred",
    "y_hat",
    "yhat",
    "decision",
    "model_decision",
];
/// Names of a score column (besides names with the word score, probability, prob, proba).
pub const SCORE_NAMES: &[&str] = &["y_score", "y_prob", "risk", "propensity", "logit"];

/// A suggested role and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The role.
    pub role: Role,
    /// Why, in words ("the name says sex").
    pub reason: String,
}

fn numeric(ty: ColumnType) -> bool {
    matches!(ty, ColumnType::Integer | ColumnType::Float)
}

/// The protected attribute a column's name or values suggest, with the reason.
fn protected(c: &PreviewColumn, w: &[String]) -> Option<String> {
    if !matches!(c.ty, ColumnType::Categorical | ColumnType::Boolean | ColumnType::Integer) {
        return None;
    }
    let joined = w.join("_");
    let by_name = w
        .iter()
        .find_map(|x| PROTECTED_WORDS.iter().find(|(k, _)| k == x))
        .or_else(|| PROTECTED_NAMES.iter().find(|(k, _)| *k == joined));
    if let Some((_, what)) = by_name {
        let many = c.values.is_empty() && c.ty == ColumnType::Integer;
        let note = if many {
            " (more than 20 values in the sample: each is a group; a banded column suits better)"
        } else {
            ""
        };
        return Some(format!("the name says {what}{note}"));
    }
    if c.ty == ColumnType::Integer || c.values.len() < 2 {
        return None;
    }
    let values: Vec<String> = c.values.iter().map(|v| v.trim().to_lowercase()).collect();
    VALUE_VOCABULARIES.iter().find_map(|(what, defining, other)| {
        let all = values.iter().all(|v| defining.contains(&v.as_str()) || other.contains(&v.as_str()));
        let some = values.iter().any(|v| defining.contains(&v.as_str()));
        (all && some).then(|| format!("its values look like {what} ({})", c.values.join(", ")))
    })
}

/// The role suggested for one preview column, if any.
pub fn suggest_column(c: &PreviewColumn) -> Option<Suggestion> {
    let w = words(&c.name);
    let joined = w.join("_");
    let two = c.values.len() == 2 || c.ty == ColumnType::Boolean;
    let scoreish = w.iter().any(|x| matches!(x.as_str(), "score" | "probability" | "prob" | "proba"))
        || SCORE_NAMES.contains(&joined.as_str());
    let s = |role: Role, reason: String| Some(Suggestion { role, reason });
    if let Some(reason) = protected(c, &w) {
        return s(Role::Protected, reason);
    }
    if LABEL_NAMES.contains(&joined.as_str()) && two {
        return s(Role::Label, format!("the name `{}` is a usual label name and it has two values", c.name));
    }
    if PREDICTION_NAMES.contains(&joined.as_str()) && two {
        return s(Role::Prediction, format!("the name `{}` is a usual prediction name and it has two values", c.name));
    }
    if scoreish && two {
        return s(
            Role::Prediction,
            format!("the name `{}` says score, but it has only two values: a decision", c.name),
        );
    }
    if scoreish && numeric(c.ty) {
        return s(Role::Score, format!("the name `{}` says score and it is numeric", c.name));
    }
    None
}

/// Suggestions for every column of a preview (in column order).
pub fn suggest(columns: &[PreviewColumn]) -> Vec<Option<Suggestion>> {
    columns.iter().map(suggest_column).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, ty: ColumnType, values: &[&str]) -> PreviewColumn {
        PreviewColumn {
            index: 0,
            name: name.into(),
            ty,
            role: Role::Feature,
            values: values.iter().map(|v| v.to_string()).collect(),
            examples: Vec::new(),
            examples_hidden: None,
            suggestion: None,
        }
    }

    fn role(name: &str, ty: ColumnType, values: &[&str]) -> Option<Role> {
        suggest_column(&col(name, ty, values)).map(|s| s.role)
    }

    #[test]
    fn compas_columns() {
        use ColumnType::*;
        assert_eq!(role("sex", Categorical, &["Male", "Female"]), Some(Role::Protected));
        assert_eq!(role("race", Categorical, &["African-American", "Caucasian"]), Some(Role::Protected));
        assert_eq!(role("age", Integer, &[]), Some(Role::Protected));
        assert_eq!(role("age_cat", Categorical, &["25 - 45", "Less than 25"]), Some(Role::Protected));
        assert_eq!(role("dob", Date, &[]), None, "a date is not a grouping");
        assert_eq!(role("decile_score", Integer, &["1", "2", "3", "4"]), Some(Role::Score));
        assert_eq!(role("score_text", Categorical, &["Low", "Medium", "High"]), None);
        assert_eq!(role("score", Integer, &["0", "1"]), Some(Role::Prediction), "Aequitas' score is a decision");
        assert_eq!(role("label_value", Integer, &["0", "1"]), Some(Role::Label));
        assert_eq!(role("two_year_recid", Integer, &["0", "1"]), None);
        assert_eq!(role("usage", Integer, &["1", "2", "3"]), None, "whole words only");
        assert_eq!(role("firstName", Categorical, &[]), None);
    }

    #[test]
    fn by_values_and_camel_case() {
        use ColumnType::*;
        assert_eq!(role("col3", Categorical, &["Male", "F"]), Some(Role::Protected));
        assert_eq!(role("c_charge_degree", Categorical, &["F", "M"]), None, "letters alone are not sex");
        assert_eq!(
            role("status", Categorical, &["Married-civ-spouse", "Never-married", "Divorced"]),
            Some(Role::Protected)
        );
        assert_eq!(role("answer", Categorical, &["Other", "Unknown"]), None, "no defining value");
        assert_eq!(role("maritalStatus", Categorical, &["a", "b"]), Some(Role::Protected));
        let s = suggest_column(&col("applicant_gender", Categorical, &["F", "M"])).unwrap();
        assert_eq!(s.reason, "the name says gender");
    }
}
