//! `[bias]`: what the bias audit needs from the spec, and its validation. Columns default
//! to those with the matching role; positive values are always explicit.

use super::{ColumnSpec, Role};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// `[bias]`: the bias audit. Columns default to those with the matching role.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawBias {
    /// Protected attributes (default: the columns with role `protected`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub protected: Vec<String>,
    /// The true outcome (default: the column with role `label`). Optional: without it the
    /// audit is selection-only (selection rates, impact ratios, their differences).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The label value of the positive class (required with a label column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positive_label: Option<String>,
    /// The model's decision (default: the column with role `prediction`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prediction: Option<String>,
    /// The prediction value of the positive class (required with a prediction column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positive_prediction: Option<String>,
    /// A score to threshold instead of a prediction column (default: role `score`); next
    /// to a prediction column, the score of the score metrics (AUC, calibration, sweep).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    /// The score threshold: positive when score >= threshold (or > with `score_direction`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// `">="` (default) or `">"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_direction: Option<String>,
    /// Whether the positive class is the favourable outcome (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positive_is_favourable: Option<bool>,
    /// Reference group policy: `largest` (default), `best_rate`, `lowest_rate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// A chosen reference group (a value of a single protected attribute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_group: Option<String>,
    /// Groups smaller than this are listed but never flagged (default 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_group_size: Option<u64>,
    /// LL144's optional rule: exclude categories below this share from impact ratios (0.02).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ll144_exclude_below_share: Option<f64>,
    /// Also audit the intersection of all protected attributes (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intersections: Option<bool>,
    /// Proxy detection: the association of every other column with each protected
    /// attribute (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxies: Option<bool>,
    /// Associations (Cramér's V, η) at or above this are flagged as proxies (default 0.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_threshold: Option<f64>,
    /// A numeric column of row weights (default: the column with role `weight`): adds the
    /// weighted audit (Σw rates, Kish n_eff intervals) next to the row-count audit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
}

/// How proxy detection reads a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProxyKind {
    /// Categorical or boolean: contingency counts, bias-corrected Cramér's V.
    Categorical,
    /// Integer or float: per-group exact moments, correlation ratio η.
    Numeric,
}

/// The columns proxy detection examines, and those it skips with the reason.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProxySpec {
    /// Flag associations at or above this.
    pub threshold: f64,
    /// Examined columns: index and kind.
    pub columns: Vec<(usize, ProxyKind)>,
    /// Skipped columns: index and why.
    pub skipped: Vec<(usize, String)>,
}

/// How the prediction of a row is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Prediction {
    /// A column whose value `positive` is the positive class.
    Column {
        /// Column index.
        column: usize,
        /// The positive value.
        positive: String,
    },
    /// A score: positive when `score >= threshold` (`score > threshold` when `strict`).
    Score {
        /// Column index.
        column: usize,
        /// The threshold.
        threshold: f64,
        /// Strict comparison.
        strict: bool,
    },
}

/// A validated bias audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BiasSpec {
    /// Protected attribute column indices.
    pub protected: Vec<usize>,
    /// Label column index; None for a selection-only audit (no true outcome).
    pub label: Option<usize>,
    /// The positive label value (Some exactly when `label` is).
    pub positive_label: Option<String>,
    /// The prediction.
    pub prediction: Prediction,
    /// The score column of the score-based metrics (AUC, calibration, sweep, LL144 scoring
    /// rates): the thresholded score, or with a prediction column the score named in
    /// `bias.score` (or the only numeric column with the role `score`).
    pub score: Option<usize>,
    /// Disparity options (reference policy, minimum group size, orientation, LL144 rule).
    pub options: crate::fairness::disparity::DisparityOptions,
    /// The chosen reference value, if any.
    pub reference_group: Option<String>,
    /// Whether the intersection of all protected attributes is audited.
    pub intersections: bool,
    /// Proxy detection (None when switched off).
    pub proxies: Option<ProxySpec>,
    /// Row-weight column of the weighted audit (`bias.weight`, or role `weight`).
    pub weight: Option<usize>,
}

/// The proxy candidates: every column but the protected attributes, the label, the
/// prediction and the score, identifier / ignored / weight columns, and types that are
/// neither categorical nor numeric.
fn proxy_spec(columns: &[ColumnSpec], used: &[(usize, &str)], threshold: f64) -> ProxySpec {
    use crate::ingest::value::ColumnType;
    let mut out = ProxySpec { threshold, ..Default::default() };
    for (i, c) in columns.iter().enumerate() {
        let why = if let Some((_, what)) = used.iter().find(|u| u.0 == i) {
            Some(format!("the {what}"))
        } else {
            match (c.role, c.ty) {
                (Role::Identifier | Role::Ignore | Role::Weight, _) => Some(format!("role `{}`", c.role.name())),
                (_, ColumnType::Identifier) => Some("an identifier column".to_string()),
                (_, ColumnType::Categorical | ColumnType::Boolean) => {
                    out.columns.push((i, ProxyKind::Categorical));
                    None
                }
                (_, ColumnType::Integer | ColumnType::Float) => {
                    out.columns.push((i, ProxyKind::Numeric));
                    None
                }
                (_, ty) => Some(format!("type `{}` is neither categorical nor numeric", ty.name())),
            }
        };
        if let Some(w) = why {
            out.skipped.push((i, w));
        }
    }
    out
}

pub(super) fn find_column(columns: &[ColumnSpec], field: &str, name: &str) -> Result<usize> {
    columns.iter().position(|c| c.name == name).ok_or_else(|| {
        let list: Vec<String> = columns.iter().take(20).map(|c| format!("`{}`", c.name)).collect();
        Error::spec(field, format!("`{name}` is not a column of this file; its columns are {}", list.join(", ")))
    })
}

fn by_role(columns: &[ColumnSpec], role: Role) -> Vec<usize> {
    columns.iter().enumerate().filter(|(_, c)| c.role == role).map(|(i, _)| i).collect()
}

fn one_by_role(columns: &[ColumnSpec], given: Option<&str>, role: Role, field: &str) -> Result<Option<usize>> {
    match given {
        Some(name) => find_column(columns, field, name).map(Some),
        None => match by_role(columns, role)[..] {
            [] => Ok(None),
            [i] => Ok(Some(i)),
            _ => Err(Error::spec(field, format!("several columns have the role `{}`; name one here", role.name()))),
        },
    }
}

/// Validates `[bias]` against the columns.
pub(super) fn validate(b: &RawBias, columns: &[ColumnSpec]) -> Result<BiasSpec> {
    use crate::fairness::disparity::{DisparityOptions, ReferencePolicy};
    let protected: Vec<usize> = if b.protected.is_empty() {
        by_role(columns, Role::Protected)
    } else {
        b.protected.iter().map(|n| find_column(columns, "bias.protected", n)).collect::<Result<_>>()?
    };
    if protected.is_empty() {
        return Err(Error::spec(
            "bias.protected",
            "name at least one protected attribute (or give a column the role `protected`)",
        ));
    }
    // Without a label the audit is selection-only (LL144 allows it): rates that need the
    // true outcome are absent, with a note.
    let label = one_by_role(columns, b.label.as_deref(), Role::Label, "bias.label")?;
    let positive_label = match (label, b.positive_label.clone()) {
        (Some(_), None) => {
            return Err(Error::spec("bias.positive_label", "say which label value is the positive class, e.g. \"1\""))
        }
        (None, Some(_)) => {
            return Err(Error::spec(
                "bias.positive_label",
                "there is no label column: name it in bias.label (or give a column the role `label`), or drop positive_label for a selection-only audit",
            ))
        }
        (_, p) => p,
    };
    let prediction = match one_by_role(columns, b.prediction.as_deref(), Role::Prediction, "bias.prediction")? {
        Some(column) => Prediction::Column {
            column,
            positive: b.positive_prediction.clone().ok_or_else(|| {
                Error::spec("bias.positive_prediction", "say which prediction value is the positive class")
            })?,
        },
        None => {
            let column = one_by_role(columns, b.score.as_deref(), Role::Score, "bias.score")?.ok_or_else(|| {
                Error::spec("bias.prediction", "name a prediction column, or a score column with a threshold")
            })?;
            if !columns[column].ty.is_numeric() {
                return Err(Error::spec("bias.score", format!("`{}` is not numeric", columns[column].name)));
            }
            let threshold = b.threshold.filter(|t| t.is_finite()).ok_or_else(|| {
                Error::spec("bias.threshold", "give the score threshold (positive when score >= threshold)")
            })?;
            let strict = match b.score_direction.as_deref().unwrap_or(">=") {
                ">=" => false,
                ">" => true,
                other => {
                    return Err(Error::spec("bias.score_direction", format!("use \">=\" or \">\", not `{other}`")))
                }
            };
            Prediction::Score { column, threshold, strict }
        }
    };
    let score = match &prediction {
        Prediction::Score { column, .. } => Some(*column),
        Prediction::Column { .. } => match b.score.as_deref() {
            Some(name) => {
                let c = find_column(columns, "bias.score", name)?;
                if !columns[c].ty.is_numeric() {
                    return Err(Error::spec("bias.score", format!("`{name}` is not numeric")));
                }
                Some(c)
            }
            None => match by_role(columns, Role::Score)[..] {
                [c] if columns[c].ty.is_numeric() => Some(c),
                _ => None,
            },
        },
    };
    let reference = match b.reference.as_deref().unwrap_or("largest") {
        "largest" => ReferencePolicy::Largest,
        "best_rate" => ReferencePolicy::BestRate,
        "lowest_rate" => ReferencePolicy::LowestRate,
        other => {
            return Err(Error::spec("bias.reference", format!("use largest, best_rate or lowest_rate, not `{other}`")))
        }
    };
    if let Some(s) = b.ll144_exclude_below_share.filter(|s| !(0.0..1.0).contains(s)) {
        return Err(Error::spec("bias.ll144_exclude_below_share", format!("a share between 0 and 1, got {s}")));
    }
    let options = DisparityOptions {
        reference,
        min_group_size: b.min_group_size.unwrap_or(30),
        positive_is_favourable: b.positive_is_favourable.unwrap_or(true),
        ll144_exclude_below_share: b.ll144_exclude_below_share,
        ..DisparityOptions::default()
    };
    let weight = one_by_role(columns, b.weight.as_deref(), Role::Weight, "bias.weight")?;
    if let Some(w) = weight {
        let c = &columns[w];
        if !c.ty.is_numeric() {
            return Err(Error::spec(
                "bias.weight",
                format!("`{}` is of type `{}`: row weights must be a numeric column", c.name, c.ty.name()),
            ));
        }
        let mut taken: Vec<(usize, &str)> = protected.iter().map(|&p| (p, "a protected attribute")).collect();
        taken.extend(label.map(|l| (l, "the label")));
        taken.extend(score.map(|s| (s, "the score")));
        if let Prediction::Column { column, .. } = &prediction {
            taken.push((*column, "the prediction"));
        }
        if let Some((_, what)) = taken.iter().find(|t| t.0 == w) {
            return Err(Error::spec(
                "bias.weight",
                format!("`{}` is {what}; row weights need a column of their own", c.name),
            ));
        }
    }
    let threshold = b.proxy_threshold.unwrap_or(0.3);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(Error::spec("bias.proxy_threshold", format!("an association between 0 and 1, got {threshold}")));
    }
    let proxies = b.proxies.unwrap_or(true).then(|| {
        let mut used: Vec<(usize, &str)> = protected.iter().map(|&c| (c, "protected attribute")).collect();
        used.extend(label.map(|c| (c, "label")));
        if let Prediction::Column { column, .. } = &prediction {
            used.push((*column, "prediction"));
        }
        used.extend(score.map(|c| (c, "score")));
        used.extend(weight.map(|c| (c, "row weight")));
        proxy_spec(columns, &used, threshold)
    });
    Ok(BiasSpec {
        proxies,
        protected,
        label,
        positive_label,
        prediction,
        score,
        options,
        reference_group: b.reference_group.clone(),
        intersections: b.intersections.unwrap_or(true),
        weight,
    })
}
