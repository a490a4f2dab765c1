//! Opening a workbook held in memory and walking one sheet's rows, through `calamine`:
//! xlsx/xlsm cell by cell as the sheet's XML is read (cells in sheet order, never the
//! whole sheet in memory), xls and ods a sheet at a time (calamine reads those whole).
//! Cells become [`Value`]s: formulas by their cached value, error cells as missing with
//! their kind, Excel serial dates in the workbook's 1900 or 1904 system.

use super::super::cells::Value;
use super::super::detect::{format_error, Format};
use crate::error::Result;
use crate::ingest::value::{days_from_civil, MISSING_ERROR_FIRST};
use calamine::{CellErrorType, Data, DataRef, ExcelDateTime, Ods, Reader, SheetVisible, Xls, Xlsx};
use std::io::Cursor;
use std::ops::ControlFlow;

/// An open workbook.
pub enum Book<'a> {
    /// Excel 2007+.
    Xlsx(Box<Xlsx<Cursor<&'a [u8]>>>),
    /// Excel 97–2003.
    Xls(Box<Xls<Cursor<&'a [u8]>>>),
    /// OpenDocument.
    Ods(Box<Ods<Cursor<&'a [u8]>>>),
}

/// One sheet's name and whether it is hidden.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetInfo {
    /// The sheet's name.
    pub name: String,
    /// Hidden (or very hidden) in the workbook.
    pub hidden: bool,
}

/// One cell of a row: its 0-based column and value.
pub type RowCell<'v> = (u32, Value<'v>);

impl<'a> Book<'a> {
    /// Opens `bytes` as a workbook of `format`.
    pub fn open(bytes: &'a [u8], format: Format) -> Result<Self> {
        let damaged = |e: &dyn std::fmt::Display| {
            format_error(&format!(
                "a damaged or unreadable {} ({e}); open it in a spreadsheet program and save it again",
                format.label()
            ))
        };
        let c = Cursor::new(bytes);
        Ok(match format {
            Format::Xlsx => Book::Xlsx(Box::new(Xlsx::new(c).map_err(|e| damaged(&e))?)),
            Format::Xls => Book::Xls(Box::new(Xls::new(c).map_err(|e| damaged(&e))?)),
            _ => Book::Ods(Box::new(Ods::new(c).map_err(|e| damaged(&e))?)),
        })
    }

    /// The sheets, in workbook order.
    pub fn sheets(&self) -> Vec<SheetInfo> {
        let meta = match self {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b) => b.sheets_metadata(),
        };
        meta.iter()
            .map(|s| SheetInfo { name: s.name.clone(), hidden: !matches!(s.visible, SheetVisible::Visible) })
            .collect()
    }

    /// Merged cell ranges of a sheet, where the format's reader exposes them (xlsx, xls).
    pub fn merged(&mut self, sheet: &str) -> Vec<calamine::Dimensions> {
        match self {
            Book::Xlsx(b) => b.worksheet_merge_cells(sheet).and_then(|r| r.ok()).unwrap_or_default(),
            Book::Xls(b) => b.worksheet_merge_cells(sheet).unwrap_or_default(),
            Book::Ods(_) => Vec::new(),
        }
    }

    /// Calls `row(r, cells)` for every row of `sheet` that has a non-empty cell, in order
    /// (`r` 0-based; cells in column order). Stops when `row` says so.
    pub fn rows(&mut self, sheet: &str, row: &mut dyn FnMut(u32, &[RowCell<'_>]) -> ControlFlow<()>) -> Result<()> {
        let unreadable = |e: &dyn std::fmt::Display| {
            format_error(&format!(
                "a workbook whose sheet `{sheet}` cannot be read ({e}); open it in a spreadsheet program and save it again"
            ))
        };
        match self {
            Book::Xlsx(b) => {
                let mut rdr = b.worksheet_cells_reader(sheet).map_err(|e| unreadable(&e))?;
                let mut at: Option<u32> = None;
                let mut owned: Vec<(u32, u32, Owned)> = Vec::new();
                while let Some(c) = rdr.next_cell().map_err(|e| unreadable(&e))? {
                    let (r, col) = c.get_position();
                    if at.is_some_and(|a| a != r) && flush_owned(at, &mut owned, row).is_break() {
                        return Ok(());
                    }
                    at = Some(r);
                    if let Some(v) = Owned::of_ref(c.get_value()) {
                        owned.push((r, col, v));
                    }
                }
                let _ = flush_owned(at, &mut owned, row);
            }
            Book::Xls(_) | Book::Ods(_) => {
                let range = match self {
                    Book::Xls(b) => b.worksheet_range(sheet).map_err(|e| unreadable(&e))?,
                    Book::Ods(b) => b.worksheet_range(sheet).map_err(|e| unreadable(&e))?,
                    Book::Xlsx(_) => return Ok(()),
                };
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let mut owned: Vec<(u32, u32, Owned)> = Vec::new();
                for (i, cells_of_row) in range.rows().enumerate() {
                    let r = r0 + i as u32;
                    for (j, d) in cells_of_row.iter().enumerate() {
                        if let Some(v) = Owned::of(d) {
                            owned.push((r, c0 + j as u32, v));
                        }
                    }
                    if flush_owned(Some(r), &mut owned, row).is_break() {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }
}

/// A cell value that outlives the xlsx reader's borrow of one cell.
enum Owned {
    Text(String),
    Value(Value<'static>),
}

impl Owned {
    fn of(d: &Data) -> Option<Owned> {
        Some(match d {
            Data::Empty => return None,
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Owned::Text(s.clone()),
            Data::Int(i) => Owned::Value(Value::Int(*i)),
            Data::Float(x) => Owned::Value(Value::Float(*x)),
            Data::Bool(b) => Owned::Value(bool_value(*b)),
            Data::DateTime(t) => match datetime(t) {
                Ok(v) => Owned::Value(v),
                Err(text) => Owned::Text(text),
            },
            Data::Error(e) => Owned::Value(Value::Missing(error_code(e))),
        })
    }

    fn of_ref(d: &DataRef<'_>) -> Option<Owned> {
        Some(match d {
            DataRef::Empty => return None,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Owned::Text(s.clone()),
            DataRef::SharedString(s) => Owned::Text((*s).to_string()),
            DataRef::Int(i) => Owned::Value(Value::Int(*i)),
            DataRef::Float(x) => Owned::Value(Value::Float(*x)),
            DataRef::Bool(b) => Owned::Value(bool_value(*b)),
            DataRef::DateTime(t) => match datetime(t) {
                Ok(v) => Owned::Value(v),
                Err(text) => Owned::Text(text),
            },
            DataRef::Error(e) => Owned::Value(Value::Missing(error_code(e))),
        })
    }
}

fn flush_owned(
    at: Option<u32>,
    owned: &mut Vec<(u32, u32, Owned)>,
    row: &mut dyn FnMut(u32, &[RowCell<'_>]) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let Some(r) = at else { return ControlFlow::Continue(()) };
    let flow = {
        let view: Vec<RowCell<'_>> = owned
            .iter()
            .map(|(_, c, v)| {
                (
                    *c,
                    match v {
                        Owned::Text(s) => Value::Text(s.as_str()),
                        Owned::Value(v) => *v,
                    },
                )
            })
            .collect();
        if view.is_empty() {
            ControlFlow::Continue(())
        } else {
            row(r, &view)
        }
    };
    owned.clear();
    flow
}

fn bool_value(b: bool) -> Value<'static> {
    Value::Bool(b, if b { "TRUE" } else { "FALSE" })
}

/// The missing code of an error cell (see [`crate::ingest::value::SHEET_ERRORS`]).
fn error_code(e: &CellErrorType) -> u8 {
    MISSING_ERROR_FIRST
        + match e {
            CellErrorType::Div0 => 0,
            CellErrorType::NA => 1,
            CellErrorType::Name => 2,
            CellErrorType::Null => 3,
            CellErrorType::Num => 4,
            CellErrorType::Ref => 5,
            CellErrorType::Value => 6,
            CellErrorType::GettingData => 7,
        }
}

/// An Excel date or date-time cell (serial days in the workbook's 1900 or 1904 system;
/// calamine applies the system and Excel's 1900 leap-year bug) as a date when it has no
/// time of day, else a date-time rounded to the second. A time of day alone (serial
/// below 1) or a duration is its `HH:MM:SS` text.
fn datetime(t: &ExcelDateTime) -> std::result::Result<Value<'static>, String> {
    let x = t.as_f64();
    if t.is_duration() || (0.0..1.0).contains(&x) || !x.is_finite() {
        let secs = (x * 86_400.0).round() as i64;
        return Err(format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60));
    }
    let (y, m, d, h, mi, s, ms) = t.to_ymd_hms_milli();
    let days = days_from_civil(i64::from(y), u32::from(m), u32::from(d));
    let secs = days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s) + i64::from(ms >= 500);
    Ok(if secs.rem_euclid(86_400) == 0 { Value::Date(secs.div_euclid(86_400)) } else { Value::Datetime(secs) })
}
