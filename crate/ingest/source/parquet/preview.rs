//! The preview of a Parquet file, from the reader's meta message (the footer: columns,
//! skipped nested columns, row groups) and the first rows of the first row group: the
//! values become the text a CSV export would hold and are typed by the CSV inference, as
//! for JSON Lines and workbooks, so a table gives the same column types in every format.

use super::super::cells::{date_text, datetime_text, number_text, Value};
use super::wire::{self, Group, Meta};
use crate::error::Result;
use crate::ingest::sniff::{column_names, typed_preview, DialectInfo, EncodingInfo, Preview};
use crate::spec::RawSpec;

/// Sample rows typed by the preview (as for CSV).
pub const SAMPLE_RECORDS: usize = 2000;

/// True when `b` is a preview input: a meta message, then (when the file has a row
/// group) the first row group's first rows.
pub fn is_preview_input(b: &[u8]) -> bool {
    b.starts_with(wire::META_MAGIC)
}

/// Resolves `raw` against a preview input ([`is_preview_input`]).
pub fn resolve_parquet(raw: &RawSpec, input_bytes: &[u8]) -> Result<Preview> {
    let (meta, used) = Meta::read(input_bytes)?;
    let rest = &input_bytes[used..];
    let missing = raw.input.missing_tokens.clone().unwrap_or_else(crate::spec::default_missing_tokens);
    let null = missing.first().cloned().unwrap_or_default();
    let mut data: Vec<Vec<String>> = Vec::new();
    if let Some(len) = wire::group_len(rest)? {
        let g = Group::read(rest.get(..len).unwrap_or(rest))?;
        let mut next = vec![0usize; g.columns.len()];
        for r in 0..(g.rows as usize).min(SAMPLE_RECORDS) {
            let mut rec = Vec::with_capacity(g.columns.len());
            for (i, c) in g.columns.iter().enumerate() {
                rec.push(if c.present(r) {
                    next[i] += 1;
                    text_of(c.value(next[i] - 1)?)
                } else {
                    null.clone()
                });
            }
            data.push(rec);
        }
    }
    let mut notices = Vec::new();
    if meta.columns.is_empty() {
        return Err(super::super::detect::format_error(&format!(
            "a Parquet file with no flat column privaudit can read{}",
            skipped_list(&meta.skipped).map_or_else(String::new, |s| format!(" (it holds {s})"))
        )));
    }
    if let Some(s) = skipped_list(&meta.skipped) {
        notices.push(format!("nested or unsupported columns are skipped: {s}; privaudit reads flat columns"));
    }
    notices.extend(meta.notes.iter().cloned());
    if meta.groups.len() > 1 {
        notices.push(format!(
            "the file has {} row groups; they are read in parallel, and finding rows are the rows' numbers in the file",
            meta.groups.len()
        ));
    }
    let header: Vec<String> = meta.columns.iter().map(|c| c.name.clone()).collect();
    let names = column_names(Some(&header), header.len(), &mut notices);
    let mut input = raw.input.clone();
    input.format = Some(crate::ingest::source::Format::Parquet.name().into());
    input.encoding = Some("utf-8".into());
    input.header = Some(true);
    let encoding = EncodingInfo { name: "utf-8".into(), bom: false };
    let dialect = DialectInfo {
        delimiter: String::new(),
        quote: String::new(),
        header: true,
        line_ending: crate::ingest::dialect::LineEnding::None,
    };
    if data.is_empty() {
        notices.push("the file has columns but no rows".into());
    }
    let mut p = typed_preview(raw, input, &names, &data, notices, encoding, dialect)?;
    p.format = crate::ingest::source::Format::Parquet.name().into();
    // Splittable: into runs of row groups (`cuts`), not into byte ranges.
    p.splittable = true;
    p.cuts = meta.cuts();
    Ok(p)
}

fn skipped_list(skipped: &[(String, String)]) -> Option<String> {
    (!skipped.is_empty())
        .then(|| skipped.iter().map(|(n, why)| format!("`{n}` ({why})")).collect::<Vec<_>>().join(", "))
}

/// A value as a CSV export writes it.
fn text_of(v: Value<'_>) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Float(x) if x.is_nan() => "NaN".into(),
        Value::Float(x) => number_text(x),
        Value::Bool(_, s) | Value::Text(s) | Value::Number(s) | Value::Structured(s) => s.to_string(),
        Value::Date(d) => date_text(d),
        Value::Datetime(t) => datetime_text(t),
        Value::Missing(_) => String::new(),
    }
}
