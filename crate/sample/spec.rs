//! The suggested audit spec for the sample table: column roles and the DP summary.

use super::loan::RACES;

/// The suggested spec for [`loan_applications`](super::loan_applications): column roles an auditor would set
/// (protected attributes, outcome, decision, score, identifier). Types are still detected.
pub fn sample_spec() -> crate::spec::RawSpec {
    use crate::spec::{RawColumn, RawSpec, Role};
    let col = |name: &str, role| RawColumn { name: name.into(), role: Some(role), ..Default::default() };
    RawSpec {
        columns: vec![
            col("application_id", Role::Identifier),
            col("sex", Role::Protected),
            col("race", Role::Protected),
            col("repaid", Role::Label),
            col("decision", Role::Prediction),
            col("model_score", Role::Score),
        ],
        // repaid = 1 is the positive class and favourable; decision = approved likewise.
        bias: Some(crate::spec::RawBias {
            positive_label: Some("1".into()),
            positive_prediction: Some("approved".into()),
            positive_is_favourable: Some(true),
            ..Default::default()
        }),
        dp: Some(sample_dp()),
        ..Default::default()
    }
}

/// The sample's DP summary: keys, groups and bounds come from the generator's code book
/// (public knowledge about the form), never from the generated data.
fn sample_dp() -> crate::spec::RawDp {
    use crate::spec::{RawDp, RawDpQuery};
    let keys = |k: &[&str]| Some(k.iter().map(|s| s.to_string()).collect());
    let q = |kind: &str, column: Option<&str>| RawDpQuery {
        kind: kind.into(),
        column: column.map(Into::into),
        ..Default::default()
    };
    RawDp {
        epsilon: Some(1.0),
        dataset: Some("Synthetic loan applications (privaudit sample)".into()),
        queries: vec![
            q("count", None),
            RawDpQuery { keys: keys(&["Female", "Male", "Non-binary"]), ..q("histogram", Some("sex")) },
            RawDpQuery { lower: Some(0.0), upper: Some(300_000.0), ..q("mean", Some("income")) },
            RawDpQuery { lower: Some(18.0), upper: Some(98.0), bins: Some(40), ..q("quantiles", Some("age")) },
            RawDpQuery {
                keys: keys(&RACES.map(|(r, _)| r)),
                protected: Some("race".into()),
                weight: Some(2),
                ..q("fairness", None)
            },
        ],
        ..Default::default()
    }
}
