//! Rows and lines: the report's reconciliation of its row count with the file's physical
//! lines, and the quote findings in words (report notices, the CLI, the page's preview).
//!
//! A line ends at LF, CRLF or CR (as rows do) and a last line without a line break counts,
//! so for a file of LF lines `lines` is what `wc -l` prints, plus one when the last line has
//! no line feed. lines = header + data rows + lines inside quoted fields + blank lines:
//! every term is counted by the decoder ([`crate::ingest::findings::LineCounts`]), exactly
//! and independently of how the file was split.

use super::fmt;
use crate::ingest::findings::{FindingsAcc, Spans};
use serde::{Deserialize, Serialize};

/// The file's physical lines and how they divide into the report's rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineAccount {
    /// Physical lines of the file.
    pub lines: u64,
    /// Lines of the header row (with blank lines before it); 0 without a header.
    pub header: u64,
    /// Data rows (each is one line plus the line breaks inside its quoted fields).
    pub rows: u64,
    /// Lines of data rows beyond their first: line breaks inside quoted fields.
    pub in_quoted_fields: u64,
    /// Blank lines (not rows).
    pub blank: u64,
    /// The sum in words.
    pub explanation: String,
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", fmt::count(n), if n == 1 { one } else { many })
}

/// The account of a run's lines: `rows` data rows and the decoder's counts.
pub fn account(rows: u64, f: &FindingsAcc) -> LineAccount {
    let c = f.lines;
    let in_quoted_fields = f.quoted_line_breaks.extra_lines;
    let lines = c.header + rows + in_quoted_fields + c.blank;
    let mut parts = Vec::new();
    if c.header > 0 {
        parts.push(plural(c.header, "header line", "header lines"));
    }
    parts.push(plural(rows, "data row", "data rows"));
    if in_quoted_fields > 0 {
        let rows_with = plural(f.quoted_line_breaks.count, "row", "rows");
        parts.push(format!(
            "{} inside quoted fields (line breaks within the fields of {rows_with})",
            plural(in_quoted_fields, "more line", "more lines")
        ));
    }
    if c.blank > 0 {
        parts.push(plural(c.blank, "blank line", "blank lines"));
    }
    let explanation = format!("{} = {}", plural(lines, "line", "lines"), parts.join(" + "));
    LineAccount { lines, header: c.header, rows, in_quoted_fields, blank: c.blank, explanation }
}

/// Notices about quotes, for the report: the unterminated quote and rows spanning lines.
/// `at(i, spans)` names the i-th first position of `spans` ("row 12 (byte 340)").
pub fn quote_notices(f: &FindingsAcc, at: &dyn Fn(usize, &Spans) -> String) -> Vec<String> {
    let mut out = Vec::new();
    let open = &f.unterminated_quote;
    if let Some(first) = open.first.first() {
        let lost = if first.lines > 1 {
            format!(
                "this one row spans the last {} of the file, and the rows on them are not in the report",
                plural(first.lines, "line", "lines")
            )
        } else {
            "its last field runs to the end of the file".into()
        };
        out.push(format!(
            "{}: a quote opens in this row and is never closed, so {lost}; close the quote in the file (or set input.quote if `\"` is not a quote character in it) and run again",
            at(0, open),
        ));
    }
    let multi = &f.quoted_line_breaks;
    if multi.count > open.count {
        let shown: Vec<String> = (0..multi.first.len().min(3))
            .filter(|&i| !open.first.iter().any(|o| o.loc == multi.first[i].loc))
            .map(|i| format!("{} spans {}", at(i, multi), plural(multi.first[i].lines, "line", "lines")))
            .collect();
        out.push(format!(
            "{} with a quoted field that spans line breaks {} {} than rows{}; if the file has no multi-line text, a stray quote merged lines into one row — check the first of them",
            plural(multi.count, "row", "rows"),
            if multi.count == 1 { "takes" } else { "take" },
            plural(multi.extra_lines, "more line", "more lines"),
            if shown.is_empty() { String::new() } else { format!(" ({})", shown.join("; ")) },
        ));
    }
    out
}

/// What the command line prints on standard error after an audit: the shape and the
/// checks, the rows reconciled with the file's lines, and the report's notices.
pub fn console_summary(r: &super::Report) -> Vec<String> {
    use crate::quality::checks::Status;
    let status = |s: Status| r.checks.iter().filter(|o| o.status == s).count();
    let mut out = vec![format!(
        "{}: {} rows × {} columns; checks: {} failed, {} warnings",
        r.input.file_name,
        r.input.rows,
        r.input.columns,
        status(Status::Fail),
        status(Status::Warn)
    )];
    out.extend(r.input.lines.as_ref().map(|l| format!("lines: {}", l.explanation)));
    out.extend(r.notices.iter().map(|n| format!("note: {n}")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::findings::Loc;

    #[test]
    fn the_sum_is_written_out() {
        let mut f = FindingsAcc::default();
        f.lines.header = 1;
        f.lines.blank = 2;
        f.quoted_line_breaks.add(Loc { byte: 9, column: None, row_in_segment: 4 }, 14);
        let a = account(7_201, &f);
        assert_eq!(a.lines, 7_217);
        assert_eq!(
            a.explanation,
            "7,217 lines = 1 header line + 7,201 data rows + 13 more lines inside quoted fields (line breaks within the fields of 1 row) + 2 blank lines"
        );
        let notes = quote_notices(&f, &|i, s| format!("row {}", s.first[i].loc.row_in_segment));
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].starts_with(
                "1 row with a quoted field that spans line breaks takes 13 more lines than rows (row 4 spans 14 lines)"
            ),
            "{}",
            notes[0]
        );
    }
}
