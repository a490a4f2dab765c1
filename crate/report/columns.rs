//! One column of the report: the profile's statistics with the string and date checks,
//! the flags and their gates, and the privacy rules applied.

use super::model::ColumnReport;
use crate::error::thousands;
use crate::ingest::value::ColumnType;
use crate::quality::checks::{self, CheckOutcome};
use crate::quality::flags;
use crate::quality::profile::{present, ColumnStats};
use crate::quality::text::{self, StringChecks, TextCounts};
use crate::spec::{ColumnSpec, Role, ValidSpec};

/// The `as_of` date of the report: `profile.as_of`, else the date of the front end's
/// `started_at` (ISO 8601, its first ten characters), as text and days since 1970-01-01.
pub fn as_of(spec: &ValidSpec, started_at: Option<&str>) -> Option<(String, i64)> {
    let pick = spec.resolved.profile.as_of.as_deref().or_else(|| started_at.and_then(|s| s.get(..10)))?;
    text::parse_as_of(pick).map(|d| (pick.to_string(), d))
}

/// Assembles one column from its finished statistics `full` (complete value counts,
/// before truncation and hiding) and its string/date counts; returns it with the
/// outcomes of its flag gates.
pub fn column(
    spec: &ValidSpec,
    c: &ColumnSpec,
    mut full: ColumnStats,
    counts: Option<&TextCounts>,
    as_of: Option<(&str, i64)>,
) -> (ColumnReport, Vec<CheckOutcome>) {
    let mut strings = match counts {
        Some(TextCounts::Strings { padded, leading, trailing, numeric }) => {
            let (case_groups, case_note) = match &full.top_values {
                Some(values) => (Some(text::case_groups(values)), None),
                None => (
                    None,
                    Some(format!(
                        "case-inconsistent groups not computed: more than {} distinct values",
                        crate::sketch::top_k::COUNT_CAP
                    )),
                ),
            };
            let numeric_share = if full.valid == 0 { 0.0 } else { *numeric as f64 / full.valid as f64 };
            Some(StringChecks {
                whitespace: *padded,
                leading_whitespace: *leading,
                trailing_whitespace: *trailing,
                numeric_looking: *numeric,
                numeric_share,
                case_groups,
                case_note,
            })
        }
        _ => None,
    };
    let dates = match counts {
        Some(TextCounts::Dates(late)) => {
            Some(text::date_checks(late, as_of, full.unparseable, full.unparseable + full.valid))
        }
        _ => None,
    };
    // A HyperLogLog estimate can exceed the valid values: cap it there and keep the estimate.
    let distinct_estimate = (!full.distinct.exact && full.distinct.value > full.valid).then(|| {
        let e = full.distinct.value;
        full.distinct.value = full.valid;
        e
    });
    let mut flags = flags::flags(c.ty, &full);
    let declared = c.ty == ColumnType::Identifier || c.role == Role::Identifier;
    if !declared {
        if let Some(evidence) = crate::quality::personal::personal_data(&c.name, c.ty, &full) {
            flags.push(flags::ColumnFlag { id: "personal_data".into(), evidence });
        }
    }
    let raw = &spec.resolved.checks;
    let mut outcomes = flags::outcomes(raw, &c.name, c.ty, &full);
    if let Some(st) = &strings {
        outcomes.extend(checks::outcome(raw, "whitespace_values", Some(&c.name), st.whitespace, full.valid));
    }
    if let Some(d) = &dates {
        outcomes.extend(match d.future {
            Some(n) => checks::outcome(raw, "future_dates", Some(&c.name), n, full.valid),
            None => checks::evaluate(raw, "future_dates", Some(&c.name), None, (0, 0)).map(|mut o| {
                o.note = d.note.clone();
                o
            }),
        });
    }
    let mut stats = present(full, c.ty, c.role, spec.resolved.profile.top_k);
    let hidden =
        flags::protect(&mut stats, strings.as_mut(), &flags, declared, spec.resolved.profile.show_sensitive_values);
    let report = ColumnReport {
        name: c.name.clone(),
        ty: c.ty,
        role: c.role,
        stats,
        strings,
        dates,
        flags,
        distinct_estimate,
        hidden,
    };
    (report, outcomes)
}

/// The frequent values of a string column over the exact-count cap, counted in the
/// frequent-values pass: those holding more than 1/10,001 of the valid values.
pub fn frequent(s: &mut ColumnStats, values: &[crate::sketch::top_k::ValueCount]) {
    let cap = crate::sketch::top_k::COUNT_CAP as u64;
    let how = format!(
        "more than {} distinct values: the values holding more than 1/{} of the {} valid values (more than {} occurrences), found by a Misra–Gries summary and counted exactly in one more pass",
        thousands(cap),
        thousands(cap + 1),
        thousands(s.valid),
        thousands(s.valid / (cap + 1))
    );
    if values.is_empty() {
        s.top_values_note = Some(format!("{how}: none"));
    } else {
        s.top_values_note = Some(format!("{how}; rarer values are not listed"));
        s.frequent_values = Some(values.to_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ValidSpec {
        let csv = b"names\nann\nbob\n";
        let preview = crate::spec::resolve(&crate::spec::RawSpec::default(), csv, true).expect("preview");
        ValidSpec::try_from_resolved(&preview.spec).expect("spec")
    }

    fn stats(distinct: u64, exact: bool, valid: u64) -> ColumnStats {
        let d = crate::sketch::distinct::Distinct { value: distinct, exact, relative_standard_error: 0.008125 };
        ColumnStats::counts(valid + 10, valid, 10, 0, d)
    }

    #[test]
    fn distinct_estimates_are_capped_at_the_valid_values_and_marked_approximate() {
        let spec = spec();
        let c = &spec.columns[0];
        // Issue 13: 52,494 distinct of 51,920 valid values.
        let (r, _) = column(&spec, c, stats(52_494, false, 51_920), None, None);
        assert_eq!(
            (r.stats.distinct.value, r.stats.distinct.exact, r.distinct_estimate),
            (51_920, false, Some(52_494))
        );
        let text = crate::report::html_columns::distinct(&r);
        assert!(text.starts_with("≈ 51,920 (approximate: the estimate 52,494 ± 0.8 %"), "{text}");
        // Below the valid values, or exact: unchanged.
        let (r, _) = column(&spec, c, stats(40_000, false, 51_920), None, None);
        assert_eq!((r.stats.distinct.value, r.distinct_estimate), (40_000, None));
        assert_eq!(crate::report::html_columns::distinct(&r), "≈ 40,000 (approximate, ± 0.8 %)");
        let (r, _) = column(&spec, c, stats(2, true, 2), None, None);
        assert_eq!((r.stats.distinct.value, r.distinct_estimate), (2, None));
    }

    #[test]
    fn name_columns_hide_their_values_unless_asked() {
        let spec = spec();
        let mut s = stats(2, true, 2);
        s.top_values = Some(vec![
            crate::sketch::top_k::ValueCount { value: "ann".into(), count: 1 },
            crate::sketch::top_k::ValueCount { value: "bob".into(), count: 1 },
        ]);
        let (r, _) = column(&spec, &spec.columns[0], s.clone(), None, None);
        assert!(r.stats.top_values.is_none() && flags::has(&r.flags, "personal_data"), "{r:?}");
        assert!(r.hidden[0].contains("names a person's name") && r.hidden[0].contains("show_sensitive_values"));
        let mut shown = spec.clone();
        shown.resolved.profile.show_sensitive_values = true;
        let (r, _) = column(&shown, &shown.columns[0], s, None, None);
        assert_eq!(r.stats.top_values.as_ref().map(Vec::len), Some(2));
        assert!(r.hidden.is_empty());
    }
}
