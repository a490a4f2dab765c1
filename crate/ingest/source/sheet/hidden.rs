//! Hidden rows and columns of a sheet (xlsx/xlsm and ods), and ods' merged cells, which
//! calamine does not expose:
//! read from the sheet's own XML so the preview can say that they were read. A hidden row
//! is still data (pandas, polars and DuckDB read it too), but a person who audits a
//! workbook usually means what they see; the notice names the rows and columns.
//!
//! xlsx: `xl/workbook.xml` names the sheet's relationship id, `xl/_rels/workbook.xml.rels`
//! its part; in that part `<col min max hidden="1">` and `<row r hidden="1">` (filtered
//! rows are hidden rows too). ods: `content.xml`, the `<table:table table:name>` of the
//! sheet, whose `<table:table-column>` and `<table:table-row>` elements carry
//! `table:visibility="collapse"` or `"filter"` and repeat counts. xls is not read (its
//! row records are in a binary stream calamine does not hand out).
//!
//! Best effort: a part that cannot be read gives no notice (calamine has already read the
//! cells, and they are the data).

use super::super::detect::Format;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::{BufReader, Cursor, Read};

/// Hidden rows and columns as inclusive, 0-based, sorted, non-overlapping ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Hidden rows.
    pub rows: Vec<(u32, u32)>,
    /// Hidden columns.
    pub cols: Vec<(u32, u32)>,
    /// Merged cell ranges, first and last cell as 0-based (row, column) — ods only (calamine
    /// gives xlsx's and xls' merges): a `table:table-cell` spanning rows or columns.
    pub merged: Vec<((u32, u32), (u32, u32))>,
}

impl Hidden {
    /// Only the parts inside rows `r0..=r1` and columns `c0..=c1`.
    pub fn within(&self, (r0, r1): (u32, u32), (c0, c1): (u32, u32)) -> Hidden {
        let clip = |v: &[(u32, u32)], lo: u32, hi: u32| -> Vec<(u32, u32)> {
            v.iter().filter(|&&(a, b)| b >= lo && a <= hi).map(|&(a, b)| (a.max(lo), b.min(hi))).collect()
        };
        Hidden { rows: clip(&self.rows, r0, r1), cols: clip(&self.cols, c0, c1), merged: self.merged.clone() }
    }

    /// Nothing hidden.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.cols.is_empty()
    }
}

/// Total size of ranges.
pub fn count(ranges: &[(u32, u32)]) -> u64 {
    ranges.iter().map(|&(a, b)| u64::from(b - a) + 1).sum()
}

/// The hidden rows and columns of `sheet`, where the format keeps them where we can read them.
pub fn hidden(bytes: &[u8], format: Format, sheet: &str) -> Option<Hidden> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut h = match format {
        Format::Xlsx => {
            let part = xlsx_part(&mut zip, sheet)?;
            xlsx_sheet(zip.by_name(&part).ok()?)?
        }
        Format::Ods => ods_sheet(zip.by_name("content.xml").ok()?, sheet)?,
        _ => return None,
    };
    h.rows = normalise(h.rows);
    h.cols = normalise(h.cols);
    Some(h)
}

fn normalise(mut v: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn read_all(mut r: impl Read) -> Option<Vec<u8>> {
    let mut v = Vec::new();
    r.read_to_end(&mut v).ok()?;
    Some(v)
}

/// The attribute whose local name (prefix ignored) is `name`, unescaped.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).and_then(|a| {
        let raw = std::str::from_utf8(&a.value).ok()?;
        quick_xml::escape::unescape(raw).ok().map(|v| v.into_owned())
    })
}

/// Calls `f` on every start (or empty) element of an XML stream; stops when it says so.
fn each_element(r: impl Read, mut f: impl FnMut(&BytesStart<'_>, bool) -> bool) -> Option<()> {
    let mut reader = Reader::from_reader(BufReader::new(r));
    let mut buf = Vec::new();
    loop {
        let go = match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) => f(&e, false),
            Event::Empty(e) => f(&e, true),
            Event::Eof => return Some(()),
            _ => true,
        };
        if !go {
            return Some(());
        }
        buf.clear();
    }
}

/// The zip part of the xlsx sheet named `sheet` (`xl/worksheets/sheet1.xml`).
fn xlsx_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, sheet: &str) -> Option<String> {
    let workbook = read_all(zip.by_name("xl/workbook.xml").ok()?)?;
    let mut id = None;
    each_element(workbook.as_slice(), |e, _| {
        if e.local_name().as_ref() == b"sheet" && attr(e, b"name").as_deref() == Some(sheet) {
            id = attr(e, b"id");
            return false;
        }
        true
    })?;
    let id = id?;
    let rels = read_all(zip.by_name("xl/_rels/workbook.xml.rels").ok()?)?;
    let mut target = None;
    each_element(rels.as_slice(), |e, _| {
        if e.local_name().as_ref() == b"Relationship" && attr(e, b"Id").as_deref() == Some(id.as_str()) {
            target = attr(e, b"Target");
            return false;
        }
        true
    })?;
    let target = target?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    })
}

fn is_true(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "true"))
}

/// `<col min max hidden>` (1-based columns) and `<row r hidden>` (1-based; a row without
/// `r` follows the previous one).
fn xlsx_sheet(part: impl Read) -> Option<Hidden> {
    let mut h = Hidden::default();
    let mut last_row: u32 = 0;
    each_element(part, |e, _| {
        match e.local_name().as_ref() {
            b"col" if is_true(attr(e, b"hidden")) => {
                let n = |k: &[u8]| attr(e, k).and_then(|v| v.trim().parse::<u32>().ok()).filter(|&n| n >= 1);
                if let (Some(a), Some(b)) = (n(b"min"), n(b"max")) {
                    if a <= b {
                        h.cols.push((a - 1, b - 1));
                    }
                }
            }
            b"row" => {
                let r = attr(e, b"r").and_then(|v| v.trim().parse::<u32>().ok()).filter(|&n| n >= 1);
                last_row = r.unwrap_or(last_row.saturating_add(1));
                if is_true(attr(e, b"hidden")) {
                    h.rows.push((last_row - 1, last_row - 1));
                }
            }
            _ => {}
        }
        true
    })?;
    Some(h)
}

/// Rows and columns of the `<table:table table:name=sheet>` with `table:visibility`
/// `collapse` or `filter`, counting repeats.
fn ods_sheet(content: impl Read, sheet: &str) -> Option<Hidden> {
    let mut h = Hidden::default();
    let (mut inside, mut depth_tables, mut found) = (false, 0u32, false);
    let (mut row, mut col) = (0u32, 0u32);
    // The row the cells being read belong to, and the column of the next cell.
    let (mut this_row, mut cell_col) = (0u32, 0u32);
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    loop {
        let (e, empty) = match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) => (e.into_owned(), false),
            Event::Empty(e) => (e.into_owned(), true),
            Event::End(e) if inside && e.local_name().as_ref() == b"table" => {
                if depth_tables == 0 {
                    return Some(h);
                }
                depth_tables -= 1;
                buf.clear();
                continue;
            }
            Event::Eof => return found.then_some(h),
            _ => {
                buf.clear();
                continue;
            }
        };
        buf.clear();
        let name = e.local_name();
        if name.as_ref() == b"table" && !empty {
            if inside {
                depth_tables += 1; // a table inside a cell: its rows are not the sheet's
            } else if attr(&e, b"name").as_deref() == Some(sheet) {
                (inside, found) = (true, true);
            }
            continue;
        }
        if !inside || depth_tables > 0 {
            continue;
        }
        let hidden = matches!(attr(&e, b"visibility").as_deref(), Some("collapse" | "filter"));
        let repeat = |k: &[u8]| attr(&e, k).and_then(|v| v.trim().parse::<u32>().ok()).filter(|&n| n >= 1).unwrap_or(1);
        match name.as_ref() {
            b"table-row" => {
                let n = repeat(b"number-rows-repeated");
                if hidden {
                    h.rows.push((row, row.saturating_add(n - 1)));
                }
                (this_row, cell_col) = (row, 0);
                row = row.saturating_add(n);
            }
            b"table-column" => {
                let n = repeat(b"number-columns-repeated");
                if hidden {
                    h.cols.push((col, col.saturating_add(n - 1)));
                }
                col = col.saturating_add(n);
            }
            b"table-cell" | b"covered-table-cell" => {
                let (rs, cs) = (repeat(b"number-rows-spanned"), repeat(b"number-columns-spanned"));
                if name.as_ref() == b"table-cell" && (rs > 1 || cs > 1) {
                    let end = (this_row.saturating_add(rs - 1), cell_col.saturating_add(cs - 1));
                    h.merged.push(((this_row, cell_col), end));
                }
                cell_col = cell_col.saturating_add(repeat(b"number-columns-repeated"));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_rows_and_columns() {
        let xml = br#"<worksheet xmlns="x"><cols><col min="2" max="3" width="0" hidden="1"/><col min="5" max="5"/></cols>
            <sheetData><row r="1"><c r="A1"/></row><row r="4" hidden="1"/><row hidden="true"><c/></row><row r="9" hidden="0"/></sheetData></worksheet>"#;
        let h = xlsx_sheet(&xml[..]).unwrap();
        assert_eq!(h, Hidden { rows: vec![(3, 3), (4, 4)], cols: vec![(1, 2)], merged: vec![] });
        assert_eq!(normalise(h.rows), vec![(3, 4)]);
    }

    #[test]
    fn ods_rows_and_columns_count_repeats_and_skip_other_sheets() {
        let xml = br#"<office:document-content xmlns:table="t"><office:body><office:spreadsheet>
            <table:table table:name="Other"><table:table-row table:visibility="collapse"/></table:table>
            <table:table table:name="Data"><table:table-column table:number-columns-repeated="2"/>
            <table:table-column table:visibility="collapse"/>
            <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-columns-spanned="2"/><table:covered-table-cell/></table:table-row>
            <table:table-row table:number-rows-repeated="3" table:visibility="filter"><table:table-cell/></table:table-row>
            <table:table-row/></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let h = ods_sheet(&xml[..], "Data").unwrap();
        assert_eq!(h, Hidden { rows: vec![(1, 3)], cols: vec![(2, 2)], merged: vec![((0, 2), (0, 3))] });
        assert_eq!(ods_sheet(&xml[..], "Missing"), None);
        assert_eq!(h.within((2, 10), (0, 1)), Hidden { rows: vec![(2, 3)], cols: vec![], merged: h.merged.clone() });
        assert_eq!(count(&h.rows), 3);
    }
}
