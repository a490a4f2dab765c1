//! The preview of a workbook: which sheet, where its table starts (title rows above the
//! header skipped), the header, and the column types from the first rows.

use super::super::cells::{date_text, datetime_text, number_text, Value};
use super::super::detect::{format_error, Format};
use super::book::{Book, SheetInfo};
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::sniff::{column_names, typed_preview, DialectInfo, EncodingInfo, Preview};
use crate::spec::{RawInput, RawSpec};
use std::ops::ControlFlow;

/// Sample rows typed by the preview (as for CSV).
const SAMPLE_RECORDS: usize = 2000;
/// Rows looked at to find the header.
const HEADER_SEARCH: usize = 50;
/// Widest table read (Excel's limit is 16,384 columns).
const MAX_COLUMNS: u32 = 16_384;

/// Resolves `raw` against a whole workbook.
pub fn resolve_sheet(raw: &RawSpec, bytes: &[u8], format: Format) -> Result<Preview> {
    let mut book = Book::open(bytes, format)?;
    let sheets = book.sheets();
    let mut notices = Vec::new();
    let (name, rows) = pick(raw.input.sheet.as_deref(), &sheets, &mut book, &mut notices)?;
    let missing = raw.input.missing_tokens.clone().unwrap_or_else(crate::spec::default_missing_tokens);
    let null = missing.first().cloned().unwrap_or_default();
    // The header: the first row at least half as wide as the widest of the first rows
    // (a title above a table has one cell), unless the spec names the table's start.
    let (header_at, c0) = match raw.input.table_start.as_deref() {
        Some(_) => {
            let (r0, c0) = table_start(&raw.input)?;
            (rows.iter().position(|(r, _)| *r >= r0).unwrap_or(rows.len()), c0)
        }
        None => {
            let widest = rows.iter().take(HEADER_SEARCH).map(|(_, c)| c.len()).max().unwrap_or(0);
            let at = rows.iter().position(|(_, c)| c.len() * 2 >= widest).unwrap_or(0);
            let c0 = rows.iter().skip(at).take(100).filter_map(|(_, c)| c.first().map(|x| x.0)).min().unwrap_or(0);
            (at, c0)
        }
    };
    let table = rows.get(header_at..).unwrap_or(&[]);
    let Some(&(r0, _)) = table.first() else {
        return Err(Error::spec(
            "input.table_start",
            format!("sheet `{name}` has no cells at or below the table's start"),
        ));
    };
    if header_at > 0 {
        notices.push(format!(
            "sheet rows {}–{} above the table were skipped (a title or notes); the table starts at cell {} (set input.table_start to change it)",
            rows[0].0 + 1,
            r0,
            cell_name(r0, c0)
        ));
    }
    let c1 = table.iter().filter_map(|(_, c)| c.last().map(|x| x.0)).max().unwrap_or(c0).min(c0 + MAX_COLUMNS - 1);
    let width = (c1 - c0 + 1) as usize;
    // Per column: does any value have a time of day (then its dates are written with one).
    let mut timed = vec![false; width];
    for (_, cells) in table {
        for (c, v) in cells {
            if let (Some(t), Value::Datetime(_)) =
                (c.checked_sub(c0).and_then(|i| timed.get_mut(i as usize)), v.value())
            {
                *t = true;
            }
        }
    }
    let mut records: Vec<Vec<String>> = table
        .iter()
        .map(|(_, cells)| {
            let mut rec = vec![String::new(); width];
            for (c, v) in cells {
                if let Some(i) = c.checked_sub(c0).map(|i| i as usize).filter(|&i| i < width) {
                    rec[i] = text_of(&v.value(), timed[i], &null);
                }
            }
            rec
        })
        .collect();
    let header =
        raw.input.header.unwrap_or_else(|| crate::ingest::dialect::sniff_header(&records[..records.len().min(100)]));
    if header {
        // The header row says how wide the table is: a note right of it is not a column.
        let last = records[0].iter().rposition(|s| !s.is_empty()).map_or(width, |i| i + 1);
        if last < width {
            notices.push(format!(
                "cells right of the header (columns {}–{}) are not part of the table; rows with such cells are ragged rows",
                column_letters(c0 + last as u32),
                column_letters(c1)
            ));
            records.iter_mut().for_each(|r| r.truncate(last));
        }
    }
    let width = records[0].len();
    let names = column_names(header.then(|| records[0].as_slice()), width, &mut notices);
    let data = if header { &records[1..] } else { &records[..] };
    if data.is_empty() {
        notices.push("the file has a header but no data rows".into());
    }
    let xml = super::hidden::hidden(bytes, format, &name);
    let merged: Vec<((u32, u32), (u32, u32))> = match format {
        Format::Ods => xml.as_ref().map(|h| h.merged.clone()).unwrap_or_default(),
        _ => book.merged(&name).into_iter().map(|m| (m.start, m.end)).collect(),
    };
    if let Some(&(a, b)) = merged.first() {
        notices.push(format!(
            "sheet `{name}` has {} merged cell range(s) (first {}:{}); a merged range's value is in its first cell, the others read as empty",
            merged.len(),
            cell_name(a.0, a.1),
            cell_name(b.0, b.1)
        ));
    }
    let last_row = rows.last().map_or(r0, |(r, _)| *r);
    let data_rows = (if header { r0 + 1 } else { r0 }, last_row);
    if let Some(h) = xml.map(|h| h.within(data_rows, (c0, c1))) {
        if !h.is_empty() {
            notices.push(hidden_notice(&name, &h));
        }
    }
    let mut input = raw.input.clone();
    input.format = Some(format.name().into());
    input.sheet = Some(name.clone());
    input.table_start = Some(cell_name(r0, c0));
    input.header = Some(header);
    input.encoding = Some("utf-8".into());
    let encoding = EncodingInfo { name: "utf-8".into(), bom: false };
    let dialect = DialectInfo {
        delimiter: String::new(),
        quote: String::new(),
        header,
        line_ending: crate::ingest::dialect::LineEnding::None,
    };
    let mut p = typed_preview(raw, input, &names, &data[..data.len().min(SAMPLE_RECORDS)], notices, encoding, dialect)?;
    p.format = format.name().into();
    p.sheets = sheets.into_iter().map(|s| s.name).collect();
    p.splittable = false;
    Ok(p)
}

/// A cell value kept after the reader moved on.
enum Kept {
    Text(String),
    Other(Value<'static>),
}

impl Kept {
    fn value(&self) -> Value<'_> {
        match self {
            Kept::Text(s) => Value::Text(s),
            Kept::Other(v) => *v,
        }
    }
}

type Rows = Vec<(u32, Vec<(u32, Kept)>)>;

/// The sheet to read (by name, by 1-based position, or the first visible sheet with
/// cells) and its first rows, as owned values.
fn pick(
    want: Option<&str>,
    sheets: &[SheetInfo],
    book: &mut Book<'_>,
    notices: &mut Vec<String>,
) -> Result<(String, Rows)> {
    let list = || sheets.iter().map(|s| format!("`{}`", s.name)).collect::<Vec<_>>().join(", ");
    if sheets.is_empty() {
        return Err(format_error("a workbook with no sheets"));
    }
    let chosen = match want {
        Some(w) => {
            let by_name = sheets.iter().find(|s| s.name == w);
            let by_index = w.trim().parse::<usize>().ok().and_then(|i| i.checked_sub(1)).and_then(|i| sheets.get(i));
            let s = by_name.or(by_index).ok_or_else(|| {
                Error::spec(
                    "input.sheet",
                    format!(
                        "the workbook has no sheet `{w}`; its sheets are {} (or give a position, 1 = the first)",
                        list()
                    ),
                )
            })?;
            vec![s]
        }
        None => sheets.iter().filter(|s| !s.hidden).chain(sheets.iter().filter(|s| s.hidden)).collect(),
    };
    for s in &chosen {
        let rows = first_rows(book, &s.name)?;
        if rows.is_empty() && want.is_none() {
            continue;
        }
        if rows.is_empty() {
            return Err(Error::spec(
                "input.sheet",
                format!("sheet `{}` is empty; the workbook's sheets are {}", s.name, list()),
            ));
        }
        if sheets.len() > 1 {
            notices.push(format!(
                "the workbook has {} sheets ({}); `{}` is read (choose another with --sheet or the page's sheet list)",
                sheets.len(),
                list(),
                s.name
            ));
        }
        if s.hidden {
            notices.push(format!("sheet `{}` is hidden in the workbook", s.name));
        }
        return Ok((s.name.clone(), rows));
    }
    Err(Error::kind_only(ErrorKind::EmptyInput))
}

fn first_rows(book: &mut Book<'_>, sheet: &str) -> Result<Rows> {
    let mut out: Rows = Vec::new();
    book.rows(sheet, &mut |r, cells| {
        let owned = cells.iter().map(|&(c, v)| (c, own(v))).collect();
        out.push((r, owned));
        if out.len() > SAMPLE_RECORDS + HEADER_SEARCH {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })?;
    Ok(out)
}

/// A value that no longer borrows the reader.
fn own(v: Value<'_>) -> Kept {
    match v {
        Value::Text(s) | Value::Number(s) | Value::Structured(s) => Kept::Text(s.to_string()),
        Value::Float(x) => Kept::Other(Value::Float(x)),
        Value::Int(i) => Kept::Other(Value::Int(i)),
        Value::Bool(b, _) => Kept::Other(Value::Bool(b, if b { "TRUE" } else { "FALSE" })),
        Value::Date(d) => Kept::Other(Value::Date(d)),
        Value::Datetime(t) => Kept::Other(Value::Datetime(t)),
        Value::Missing(m) => Kept::Other(Value::Missing(m)),
    }
}

/// How a CSV export would write the value (the preview types columns from text).
fn text_of(v: &Value<'_>, timed: bool, null: &str) -> String {
    match *v {
        Value::Text(s) | Value::Number(s) | Value::Structured(s) => s.to_string(),
        Value::Float(x) => number_text(x),
        Value::Int(i) => i.to_string(),
        Value::Bool(_, spelt) => spelt.to_string(),
        Value::Date(d) if timed => datetime_text(d * 86_400),
        Value::Date(d) => date_text(d),
        Value::Datetime(t) => datetime_text(t),
        Value::Missing(_) => null.to_string(),
    }
}

/// `A1` notation of a 0-based (row, column).
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// What the preview says about hidden rows and columns inside the table.
fn hidden_notice(sheet: &str, h: &super::hidden::Hidden) -> String {
    use super::hidden::count;
    const SHOWN: usize = 8;
    let list = |v: &[(u32, u32)], name: &dyn Fn(u32) -> String| {
        let mut parts: Vec<String> = v
            .iter()
            .take(SHOWN)
            .map(|&(a, b)| if a == b { name(a) } else { format!("{}–{}", name(a), name(b)) })
            .collect();
        if v.len() > SHOWN {
            parts.push("…".into());
        }
        parts.join(", ")
    };
    let mut what = Vec::new();
    let (rows, cols) = (count(&h.rows), count(&h.cols));
    if rows > 0 {
        let s = if rows == 1 { "" } else { "s" };
        what.push(format!(
            "{} hidden row{s} (sheet row{s} {})",
            rows,
            list(&h.rows, &|r| (u64::from(r) + 1).to_string())
        ));
    }
    if cols > 0 {
        let s = if cols == 1 { "" } else { "s" };
        what.push(format!("{} hidden column{s} ({})", cols, list(&h.cols, &column_letters)));
    }
    format!(
        "sheet `{sheet}` has {} in the table; they were read like the visible ones (as pandas, polars and DuckDB read them): unhide them in the workbook to see what they hold, and delete them there if they do not belong in the audit",
        what.join(" and ")
    )
}

/// The letters of a 0-based column (`A`, `Z`, `AA`).
fn column_letters(col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

/// The 0-based (row, column) of `input.table_start` (`A1` when unset).
pub fn table_start(input: &RawInput) -> Result<(u32, u32)> {
    let s = input.table_start.as_deref().unwrap_or("A1").trim();
    let bad = || Error::spec("input.table_start", format!("expected a cell such as `A1` or `B3`, got `{s}`"));
    let split = s.find(|c: char| c.is_ascii_digit()).ok_or_else(bad)?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad());
    }
    let col = letters.bytes().fold(0u32, |a, b| a * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)) - 1;
    let row: u32 = digits.parse().ok().filter(|&r| r >= 1).ok_or_else(bad)?;
    if col >= MAX_COLUMNS {
        return Err(bad());
    }
    Ok((row - 1, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_round_trip() {
        for (r, c, s) in [(0, 0, "A1"), (2, 1, "B3"), (9, 25, "Z10"), (0, 26, "AA1"), (0, 16_383, "XFD1")] {
            assert_eq!(cell_name(r, c), s);
            let input = RawInput { table_start: Some(s.into()), ..Default::default() };
            assert_eq!(table_start(&input).unwrap(), (r, c));
        }
        for bad in ["", "1", "A0", "A", "XFE1", "A1B"] {
            let input = RawInput { table_start: Some(bad.into()), ..Default::default() };
            assert!(table_start(&input).is_err(), "{bad}");
        }
    }
}
