//! Assembles a [`Report`] from a finished run state.

use super::fmt;
use super::model::{definitions, Finding, InputBlock, InputMeta, Report, SCHEMA};
use crate::engine::state::RunState;
use crate::engine::Accumulator;
use crate::engine::Analysis;
use crate::error::Position;
use crate::ingest::findings::{Sampled, Spans};
use crate::ingest::sniff::DialectInfo;
use crate::quality::checks::{self, Status};
use crate::quality::quantiles::QuantileSearch;
use crate::quality::text::TextCounts;
use crate::spec::ValidSpec;

/// privaudit's version (kept here for existing callers; defined in [`crate::version`]).
pub use crate::version::VERSION;

fn show(b: u8) -> String {
    if b == b'\t' {
        "tab".into()
    } else {
        (b as char).to_string()
    }
}

fn finding(state: &RunState, spec: &ValidSpec, id: &str, title: &str, s: &Sampled) -> Finding {
    let first = s
        .first
        .iter()
        .map(|l| Position {
            byte: (!spec.encoding.is_utf16()).then_some(l.byte),
            row: Some(state.global_row(l)),
            column: l.column.and_then(|c| spec.columns.get(c as usize)).map(|c| c.name.clone()),
        })
        .collect();
    Finding { id: id.into(), title: title.into(), count: s.count, first, lines: Vec::new() }
}

/// A finding about rows spanning lines: positions and the lines each spans.
fn spans(state: &RunState, spec: &ValidSpec, id: &str, title: &str, s: &Spans) -> Finding {
    let as_sampled = Sampled { count: s.count, first: s.first.iter().map(|x| x.loc).collect() };
    Finding { lines: s.first.iter().map(|x| x.lines).collect(), ..finding(state, spec, id, title, &as_sampled) }
}

/// "row 12 (byte 340)": where the i-th first position of `s` is.
fn span_at(state: &RunState, spec: &ValidSpec, i: usize, s: &Spans) -> String {
    let Some(x) = s.first.get(i) else { return String::new() };
    let row = format!("row {}", fmt::count(state.global_row(&x.loc)));
    if spec.encoding.is_utf16() {
        row
    } else {
        format!("{row} at byte {}", fmt::count(x.loc.byte))
    }
}

/// Builds the report. `meta` comes from the front end (file name, size, hash, times).
pub fn build(
    spec: &ValidSpec,
    state: RunState,
    quantiles: &QuantileSearch,
    frequent: &[crate::quality::frequent_pass::FrequentValues],
    passes: u32,
    meta: InputMeta,
) -> Report {
    let rows = state.rows();
    let f = &state.findings;
    let findings = vec![
        finding(&state, spec, "ragged_rows", "rows whose field count differs from the header's", &f.ragged_rows),
        finding(
            &state,
            spec,
            "unparseable_cells",
            "cells that do not parse as their column's type",
            &f.unparseable_cells,
        ),
        finding(
            &state,
            spec,
            "undecodable_fields",
            "fields with bytes that are not valid in the file's encoding",
            &f.undecodable_fields,
        ),
        spans(
            &state,
            spec,
            "quoted_line_breaks",
            "rows with a quoted field that spans line breaks (lines the row spans)",
            &f.quoted_line_breaks,
        ),
        spans(
            &state,
            spec,
            "unterminated_quote",
            "rows whose quote is never closed: read to the end of the file (lines swallowed)",
            &f.unterminated_quote,
        ),
    ];
    let mut notices = meta.notices.clone();
    notices.extend(super::lines::quote_notices(f, &|i, s| span_at(&state, spec, i, s)));
    if rows == 0 && !notices.iter().any(|n| n.starts_with("the file has a header but no data rows")) {
        notices.push("the file has a header but no data rows: there is nothing to profile".into());
    }
    if spec.mode != crate::spec::Mode::Dp {
        notices.extend(crate::spec::auto_off_notice(&spec.resolved.correlations, &spec.columns));
    }
    let as_of = super::columns::as_of(spec, meta.started_at.as_deref());
    let counts: Vec<TextCounts> = state
        .analyses
        .iter()
        .find_map(|a| match a {
            Analysis::Text(t) => Some(t.clone().finish()),
            _ => None,
        })
        .unwrap_or_default();
    let risk = state.analyses.iter().find_map(|a| match a {
        Analysis::Risk(r) => Some(r.clone()),
        _ => None,
    });
    let pii = state.analyses.iter().find_map(|a| match a {
        Analysis::Pii(p) => Some(p.clone().finish()),
        _ => None,
    });
    let mut columns = Vec::new();
    let mut flag_outcomes = Vec::new();
    let mut bias = None;
    let mut dataset = None;
    let (mut correlations, mut group_quality) = (None, None);
    for a in state.analyses.iter().cloned() {
        match a {
            Analysis::Profile(p) => {
                (columns, flag_outcomes) = p
                    .finish()
                    .into_iter()
                    .zip(&spec.columns)
                    .enumerate()
                    .filter(|(_, (_, c))| c.role != crate::spec::Role::Ignore)
                    .map(|(i, (mut s, c))| {
                        s.quantiles = quantiles.result(i as u32);
                        if quantiles.skipped(i as u32) {
                            s.quantiles_note = Some(super::html_numeric::skipped_note(
                                spec.resolved.profile.quantile_values_in_memory,
                                s.quantiles.is_some(),
                            ));
                        }
                        match quantiles.shape(i as u32) {
                            Some(sh) => (s.histogram, s.outliers) = (sh.histogram.clone(), sh.outliers.clone()),
                            None if s.numeric.as_ref().is_some_and(|m| m.count > 0) => {
                                s.shape_note = Some(crate::quality::histogram::not_computed_note(
                                    spec.resolved.profile.quantile_values_in_memory,
                                    spec.resolved.profile.quantile_passes,
                                ));
                            }
                            None => {}
                        }
                        let cap = spec.resolved.profile.quantile_values_in_memory;
                        crate::quality::flags::numeric_mode(&mut s, quantiles.shape(i as u32).map(|sh| sh.at_median), || {
                            if quantiles.skipped(i as u32) {
                                format!("more than {cap} values (profile.quantile_values_in_memory) and profile.quantile_passes is off: the occurrences of the exact median were not counted")
                            } else {
                                "the planned passes did not finish: the occurrences of the exact median were not counted".into()
                            }
                        });
                        if let Some(f) = frequent.iter().find(|f| f.column == i as u32) {
                            super::columns::frequent(&mut s, &f.values);
                        }
                        let day = as_of.as_ref().map(|(t, d)| (t.as_str(), *d));
                        super::columns::column(spec, c, s, counts.get(i), day)
                    })
                    .unzip();
            }
            Analysis::Quantiles(_)
            | Analysis::Shape(_)
            | Analysis::Deviation(_)
            | Analysis::Frequent(_)
            | Analysis::Dp(_)
            | Analysis::Drift(_)
            | Analysis::Risk(_)
            | Analysis::Pii(_)
            | Analysis::Text(_) => {}
            Analysis::Bias(b) => {
                let report = super::bias::build(spec, &b);
                if let Some(w) = &report.weight {
                    let left_out = w.excluded_missing_weight + w.excluded_invalid_weight;
                    if left_out > 0 {
                        notices.push(format!(
                            "bias audit: {left_out} rows left out because their weight in `{}` was missing ({}) or unparseable, negative or infinite ({})",
                            w.column, w.excluded_missing_weight, w.excluded_invalid_weight
                        ));
                    }
                }
                bias = Some(report);
            }
            Analysis::Dataset(d) => {
                dataset = Some(crate::quality::dataset::dataset_report(&d, spec, rows, &|l| state.global_row(l)));
            }
            Analysis::Correlation(c) => correlations = Some(c.finish()),
            Analysis::GroupQuality(g) => {
                let mut g = g.finish();
                g.spell(spec);
                group_quality = Some(g);
            }
        }
    }
    let raw = &spec.resolved.checks;
    let mut outcomes: Vec<_> = [
        checks::outcome(raw, "min_rows", None, rows, 1),
        checks::outcome(raw, "ragged_rows", None, f.ragged_rows.count, rows),
        checks::outcome(raw, "quoted_line_breaks", None, f.quoted_line_breaks.count, rows),
        checks::outcome(raw, "unterminated_quote", None, f.unterminated_quote.count, 1),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (c, flagged) in columns.iter().zip(flag_outcomes) {
        outcomes.extend(checks::outcome(
            raw,
            "unparseable_cells",
            Some(&c.name),
            c.stats.unparseable,
            c.stats.unparseable + c.stats.valid,
        ));
        outcomes.extend(checks::outcome(raw, "missing_share", Some(&c.name), c.stats.missing, rows));
        outcomes.extend(flagged);
    }
    if let Some(b) = &bias {
        use crate::quality::disparity_gates::GateView;
        let breakdowns = b.breakdowns.iter().map(|br| {
            let view = match (&br.audit, &br.selection) {
                (Some(a), _) => Some(GateView::of_audit(a)),
                (None, Some(s)) => Some(GateView::of_selection(s)),
                (None, None) => None,
            };
            (&br.attributes[..], view, br.note.as_deref())
        });
        outcomes.extend(crate::quality::disparity_gates::disparity_outcomes(raw, breakdowns));
    }
    let dataset = dataset.map(|(d, o)| {
        outcomes.extend(o);
        d
    });
    if let Some(g) = &group_quality {
        outcomes.extend(crate::quality::group_quality_report::group_gap_outcomes(raw, g));
    }
    let representativeness = crate::quality::representativeness::for_spec(spec, group_quality.as_ref());
    outcomes.extend(crate::quality::representativeness::ratio_outcomes(raw, &representativeness));
    let mut privacy = pii.map(|p| {
        let future = |i: usize| match (counts.get(i), &as_of) {
            (Some(TextCounts::Dates(late)), Some((_, day))) => late.after(*day),
            _ => None,
        };
        let (section, gate) = crate::privacy::section(spec, p, &mut columns, &future);
        outcomes.extend(gate);
        section
    });
    if let Some((risk, gates)) = crate::privacy::risk::report::section(spec, risk, &columns) {
        outcomes.extend(gates);
        privacy.get_or_insert(crate::privacy::PrivacyReport { personal_data: None, risk: None }).risk = Some(risk);
    }
    let passed = outcomes.iter().all(|o| o.status != Status::Fail);
    Report {
        schema: SCHEMA.into(),
        input: InputBlock {
            file_name: meta.file_name,
            size_bytes: meta.file_size,
            sha256: meta.sha256,
            rows,
            columns: spec.columns.len(),
            dialect: DialectInfo {
                delimiter: show(spec.dialect.delimiter),
                quote: show(spec.dialect.quote),
                header: spec.dialect.header,
                line_ending: meta.line_ending.unwrap_or(spec.dialect.line_ending),
            },
            encoding: format!("{}{}", spec.encoding.label(), if meta.bom { " (with BOM)" } else { "" }),
            spec: spec.resolved.clone(),
            tool_version: VERSION.into(),
            started_at: meta.started_at,
            duration_ms: meta.duration_ms,
            passes,
            as_of: as_of.map(|(t, _)| t),
            lines: Some(super::lines::account(rows, f)),
        },
        passed,
        checks: outcomes,
        notices,
        findings,
        columns,
        definitions: {
            let mut d = definitions();
            if let Some(ds) = &dataset {
                d.extend(crate::quality::dataset::definitions(ds.label.is_some()));
            }
            d.extend(super::html_numeric::numeric_definitions());
            d.extend(super::html_histogram::histogram_definitions());
            if let Some(b) = &bias {
                d.extend(super::model::bias_definitions());
                if b.scores.is_some() {
                    d.extend(super::model::score_definitions());
                }
                if b.weight.is_some() {
                    d.extend(super::model::weight_definitions());
                }
            }
            if correlations.is_some() {
                d.extend(super::model::correlation_definitions());
            }
            if group_quality.is_some() {
                d.extend(super::model::group_definitions());
            }
            if privacy.as_ref().is_some_and(|p| p.personal_data.is_some()) {
                d.extend(crate::privacy::definitions());
            }
            if privacy.as_ref().is_some_and(|p| p.risk.is_some()) {
                d.extend(crate::privacy::risk::gates::definitions());
            }
            d
        },
        bias,
        drift: None,
        dataset,
        correlations,
        group_quality,
        representativeness,
        privacy,
    }
}
