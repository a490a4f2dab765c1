//! Matched values are never shown: the column profiles lose every value of a column judged
//! a direct identifier, and any listed value (top and frequent values, case-group
//! spellings, min/max/quantiles of integers) that validates as a directly identifying kind
//! in any other column. Date ranges of birth-date columns are hidden too (unless
//! `profile.show_sensitive_values`: they are quasi-identifiers). Applied to the
//! finished columns, so JSON, HTML and the CSV tables (read from the JSON) agree.

use super::classify::{classify_int, classify_text, Ctx};
use super::kinds::{Kind, N_KINDS};
use super::report::{PersonalDataReport, Verdict, DIRECT_MASK};
use super::{text, Mode, PiiCounts, Plan};
use crate::ingest::value::ColumnType;
use crate::quality::flags::ColumnFlag;
use crate::quality::profile::ColumnStats;
use crate::report::model::ColumnReport;
use crate::sketch::top_k::ValueCount;
use crate::spec::{Role, ValidSpec};

const NEVER: &str = "values of columns holding direct identifiers are never shown";

/// How [`crate::quality::flags::protect`] ends a note on values it hid.
const SWITCH: &str = "; set profile.show_sensitive_values = true to show them";

/// What replaces [`SWITCH`] on a column judged a direct identifier.
const DETECTED: &str =
    "; the column is judged a direct identifier (personal data section), so its values are never shown, whatever profile.show_sensitive_values";

/// True when a listed string value is personal data under the column's plan.
pub(crate) fn personal(v: &str, plan: &Plan) -> bool {
    let ctx = Ctx { context: plan.context, disabled: plan.disabled };
    if classify_text(v, &ctx).valid & DIRECT_MASK != 0 {
        return true;
    }
    let mut found = [0u16; N_KINDS];
    text::scan(v.as_bytes(), &mut found);
    Kind::ALL.iter().any(|k| k.is_direct() && found[k.index()] > 0)
}

/// True when a number shown for an integer column is personal data.
fn personal_number(x: f64, plan: &Plan) -> bool {
    let ctx = Ctx { context: plan.context, disabled: plan.disabled };
    x.fract() == 0.0 && (0.0..9.2e18).contains(&x) && classify_int(x as i64, &ctx).valid & DIRECT_MASK != 0
}

fn hide_everything(s: &mut ColumnStats) -> Vec<&'static str> {
    let mut what = Vec::new();
    if s.numeric.take().is_some() {
        what.push("numeric summary");
    }
    if s.quantiles.take().is_some() {
        what.push("quantiles");
    }
    if s.histogram.take().is_some() | s.outliers.take().is_some() {
        what.push("histogram and outlier fences");
    }
    if s.temporal.take().is_some() {
        what.push("date range");
    }
    if s.top_values.take().is_some() | s.frequent_values.take().is_some() {
        what.push("top values");
    }
    what
}

/// Removes the personal values of a value list; returns how many.
fn filter(values: &mut Option<Vec<ValueCount>>, plan: &Plan) -> usize {
    let Some(v) = values.as_mut() else { return 0 };
    let before = v.len();
    v.retain(|x| !personal(&x.value, plan));
    before - v.len()
}

fn filter_numbers(s: &mut ColumnStats, plan: &Plan) -> bool {
    let (mut min_max, mut quantiles) = (false, false);
    if let Some(m) = s.numeric.as_ref() {
        min_max = [m.min, m.max].into_iter().flatten().any(|x| personal_number(x, plan));
    }
    if let Some(q) = &s.quantiles {
        quantiles = q.iter().any(|p| personal_number(p.value, plan));
    }
    if min_max {
        if let Some(m) = s.numeric.as_mut() {
            (m.min, m.max) = (None, None);
        }
        s.histogram = None;
        s.outliers = None;
    }
    if quantiles {
        s.quantiles = None;
    }
    min_max || quantiles
}

/// Applies the rules to the report's columns (`columns` are the non-ignored columns of
/// `spec`, by name).
pub fn protect(columns: &mut [ColumnReport], pd: &PersonalDataReport, counts: &PiiCounts, spec: &ValidSpec) {
    for col in columns.iter_mut() {
        let Some(i) = spec.column_index(&col.name) else { continue };
        let Some(plan) = counts.plans.get(i) else { continue };
        let finding = pd.columns.iter().find(|c| c.column == col.name);
        if let Some(f) = finding.filter(|f| f.verdict == Verdict::DirectIdentifier) {
            // One rule with the `personal_data` flag: a detected direct identifier carries
            // the flag too (so the column's flags and the privacy section agree), and no
            // note says that profile.show_sensitive_values would show its values.
            let c = &spec.columns[i];
            let declared = c.ty == ColumnType::Identifier || c.role == Role::Identifier;
            if !declared && !col.flags.iter().any(|x| x.id == "personal_data") {
                col.flags.push(ColumnFlag {
                    id: "personal_data".into(),
                    evidence: format!("personal-data detection judges it a direct identifier: {}", f.reason),
                });
            }
            for h in &mut col.hidden {
                if let Some(stem) = h.strip_suffix(SWITCH) {
                    *h = format!("{stem}{DETECTED}");
                }
            }
            let mut what = hide_everything(&mut col.stats);
            if let Some(cg) = col.strings.as_mut().and_then(|s| s.case_groups.as_mut()) {
                if !cg.examples.is_empty() {
                    cg.examples.clear();
                    what.push("case-inconsistent spellings");
                }
            }
            if !what.is_empty() {
                col.stats.top_values_note = Some(NEVER.into());
                col.hidden.push(format!(
                    "{} hidden: the column is judged a direct identifier (personal data section); {NEVER}",
                    what.join(", ")
                ));
            }
            continue;
        }
        // Dates of birth are quasi-identifiers, not direct ones: their range follows
        // profile.show_sensitive_values like the other hidden statistics.
        let birth = finding.is_some_and(|f| f.kinds.iter().any(|k| k.kind == Kind::BirthDate && k.holds));
        if birth && !spec.resolved.profile.show_sensitive_values && col.stats.temporal.take().is_some() {
            col.hidden.push(
                "date range hidden: the column holds dates of birth; set profile.show_sensitive_values = true to show it"
                    .into(),
            );
        }
        if plan.mode == Mode::Skip {
            continue;
        }
        let mut n = filter(&mut col.stats.top_values, plan) + filter(&mut col.stats.frequent_values, plan);
        if let Some(cg) = col.strings.as_mut().and_then(|s| s.case_groups.as_mut()) {
            for g in &mut cg.examples {
                let before = g.len();
                g.retain(|x| !personal(&x.value, plan));
                n += before - g.len();
            }
            cg.examples.retain(|g| !g.is_empty());
        }
        if n > 0 {
            col.hidden.push(format!(
                "{n} listed values hidden: they validate as personal data (e-mail, phone, card, IBAN, national ID or name)"
            ));
        }
        if plan.mode == Mode::Numbers && filter_numbers(&mut col.stats, plan) {
            col.hidden.push(
                "min/max, quantiles or histogram hidden: they validate as personal data (e.g. a card number)".into(),
            );
        }
    }
}
