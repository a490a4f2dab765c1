//! Detection by content: what a file is, from its first bytes (and, for a zip, the names
//! of its members), never from its name.
//!
//! | first bytes | format |
//! |---|---|
//! | `PK\x03\x04` with `[Content_Types].xml` and `xl/` | Excel 2007+ (`xlsx`, `xlsm`) |
//! | `PK\x03\x04` with a `mimetype` member `application/vnd.oasis.opendocument.spreadsheet` | OpenDocument (`ods`) |
//! | `D0 CF 11 E0 A1 B1 1A E1` (CFB) | Excel 97–2003 (`xls`) |
//! | `1F 8B` | gzip (CSV, TSV or JSON Lines inside) |
//! | `PAR1` followed by binary bytes | Parquet (row groups; see [`super::parquet`]) |
//! | first non-space byte `{` and a first line that is one JSON object | JSON Lines |
//! | anything else without NUL bytes | CSV / TSV (the dialect sniffer decides) |
//!
//! Every other binary gets a message naming what it looks like (PNG, PDF, a zip without a
//! spreadsheet, …) and what to do.

use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

/// What a file holds, as far as privaudit reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Delimited text (CSV, TSV, …).
    #[default]
    Csv,
    /// JSON Lines / NDJSON: one JSON object per line.
    Jsonl,
    /// Excel 2007+ workbook (`xlsx`, `xlsm`).
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Apache Parquet: ranges are row groups.
    Parquet,
}

impl Format {
    /// Every format, as named in specs.
    pub const ALL: [Format; 6] = [Format::Csv, Format::Jsonl, Format::Xlsx, Format::Xls, Format::Ods, Format::Parquet];

    /// The name used in specs (`input.format`) and reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Parquet => "parquet",
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Jsonl => "JSON Lines",
            Format::Xlsx => "Excel workbook (xlsx)",
            Format::Xls => "Excel 97-2003 workbook (xls)",
            Format::Ods => "OpenDocument spreadsheet (ods)",
            Format::Parquet => "Parquet file",
        }
    }

    /// Reads a spec value (`xlsm` and `ndjson` are accepted as aliases).
    pub fn from_name(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" | "tsv" => Ok(Format::Csv),
            "jsonl" | "ndjson" | "json-lines" => Ok(Format::Jsonl),
            "xlsx" | "xlsm" => Ok(Format::Xlsx),
            "xls" => Ok(Format::Xls),
            "ods" => Ok(Format::Ods),
            "parquet" => Ok(Format::Parquet),
            other => Err(Error::spec(
                "input.format",
                format!("unknown format `{other}`; use one of csv, jsonl, xlsx, xls, ods, parquet (or leave it unset: the file's content decides)"),
            )),
        }
    }

    /// True for workbooks: read whole (their directory is at the end, or scattered), one sheet.
    pub fn is_spreadsheet(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xls | Format::Ods)
    }
}

/// The result of looking at a file's first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detected {
    /// The table format.
    pub format: Format,
    /// The bytes are gzip-compressed (the format is that of the decompressed stream).
    pub gzip: bool,
}

const ZIP: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const GZIP: &[u8] = &[0x1F, 0x8B];
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
const PARQUET: &[u8] = b"PAR1";

/// True when the format behind `head` (the first bytes) can only be read from the whole
/// file (a zip or CFB container): front ends then pass the whole file to the preview.
pub fn needs_whole_file(head: &[u8]) -> bool {
    head.starts_with(ZIP) || head.starts_with(CFB)
}

/// The format of a file from its first bytes (`head`; the whole file for a zip, whose
/// member list is at its end). Errs with a sentence for a binary file privaudit cannot read.
pub fn detect(head: &[u8]) -> Result<Detected> {
    let plain = |format| Ok(Detected { format, gzip: false });
    if head.starts_with(GZIP) {
        return Ok(Detected { format: Format::Csv, gzip: true });
    }
    if head.starts_with(ZIP) {
        return zip_kind(head).map(|f| Detected { format: f, gzip: false });
    }
    if head.starts_with(CFB) {
        return plain(Format::Xls);
    }
    if is_parquet(head) {
        return plain(Format::Parquet);
    }
    if let Some(what) = other_binary(head) {
        return Err(format_error(what));
    }
    if looks_like_jsonl(head) {
        return plain(Format::Jsonl);
    }
    plain(Format::Csv)
}

/// The format inside a gzip stream (from the first decompressed bytes): CSV or JSON
/// Lines; a compressed binary is refused like a plain one.
pub fn detect_inner(head: &[u8]) -> Result<Format> {
    if head.starts_with(GZIP) {
        return Err(format_error("compressed twice (gzip inside gzip); decompress it once and try again"));
    }
    if head.starts_with(ZIP) || head.starts_with(CFB) {
        return Err(format_error("a gzip-compressed workbook; decompress it (gunzip) and choose the workbook itself"));
    }
    if is_parquet(head) {
        return Err(format_error(
            "a gzip-compressed Parquet file; decompress it (gunzip) and choose the Parquet file itself (Parquet compresses its own pages)",
        ));
    }
    if let Some(what) = other_binary(head) {
        return Err(format_error(&format!("gzip-compressed, and inside is {what}")));
    }
    Ok(if looks_like_jsonl(head) { Format::Jsonl } else { Format::Csv })
}

/// `PAR1` followed by binary bytes (NUL within the first 4 KiB): a Parquet file. A CSV
/// whose header starts `PAR1,` is not one.
pub fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(PARQUET) && head[..head.len().min(4096)].contains(&0)
}

/// An error saying what the file looks like and what to do.
pub fn format_error(what: &str) -> Error {
    Error::kind_only(ErrorKind::Format(what.to_string()))
}

/// The first line (after spaces and a UTF-8 BOM) starts with `{"` or `{}` and, when it is
/// complete in `head`, ends with `}`: one JSON object per line, not a JSON array or a CSV.
fn looks_like_jsonl(head: &[u8]) -> bool {
    let body = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else { return false };
    let after = body[start + 1..].iter().find(|b| !b.is_ascii_whitespace());
    if body[start] != b'{' || !matches!(after, Some(b'"' | b'}') | None) {
        return false;
    }
    match body[start..].iter().position(|&b| b == b'\n') {
        Some(end) => body[start..start + end].trim_ascii_end().ends_with(b"}"),
        None => true,
    }
}

/// What a zip holds: a workbook, or an error naming what it is.
fn zip_kind(bytes: &[u8]) -> Result<Format> {
    // The first member of an OpenDocument file is an uncompressed `mimetype` (ODF 1.2 §3.3).
    if bytes.len() > 38 && &bytes[30..38] == b"mimetype" && contains(&bytes[38..bytes.len().min(200)], ODS_MIME) {
        return Ok(Format::Ods);
    }
    let names = zip_names(bytes);
    let has = |n: &str| names.iter().any(|m| m == n);
    let prefix = |p: &str| names.iter().any(|m| m.starts_with(p));
    if has("[Content_Types].xml") && prefix("xl/") {
        if has("xl/workbook.bin") {
            return Err(format_error(
                "an Excel binary workbook (xlsb), which privaudit does not read; save it as xlsx or CSV in Excel",
            ));
        }
        return Ok(Format::Xlsx);
    }
    if has("mimetype") && has("content.xml") {
        return Err(format_error(
            "an OpenDocument file that is not a spreadsheet (a text document or a presentation?); save the table as ods, xlsx or CSV",
        ));
    }
    if has("[Content_Types].xml") && prefix("word/") {
        return Err(format_error("a Word document, not a table; save the table as xlsx or CSV"));
    }
    if has("[Content_Types].xml") && prefix("ppt/") {
        return Err(format_error("a PowerPoint presentation, not a table; save the table as xlsx or CSV"));
    }
    if names.is_empty() {
        return Err(format_error(
            "a damaged zip archive (its list of members cannot be read); if it is an Excel or OpenDocument file, open and save it again",
        ));
    }
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    Err(format_error(&format!(
        "a zip archive with no spreadsheet in it (it holds {}{}); unzip it and choose the table file",
        shown.join(", "),
        if names.len() > 3 { ", …" } else { "" }
    )))
}

/// The member names of a zip, from its central directory (empty when it cannot be read).
fn zip_names(bytes: &[u8]) -> Vec<String> {
    let Some(eocd) = bytes.len().checked_sub(22).and_then(|last| {
        let from = last.saturating_sub(65_535);
        (from..=last).rev().find(|&i| bytes[i..].starts_with(ZIP_EMPTY))
    }) else {
        return Vec::new();
    };
    let u16_at = |i: usize| bytes.get(i..i + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |i: usize| bytes.get(i..i + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let (count, mut at) = (u16_at(eocd + 10), u32_at(eocd + 16));
    let mut names = Vec::new();
    for _ in 0..count.min(10_000) {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02") {
            break;
        }
        let (n, extra, comment) = (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let Some(name) = bytes.get(at + 46..at + 46 + n) else { break };
        names.push(String::from_utf8_lossy(name).into_owned());
        at += 46 + n + extra + comment;
    }
    names
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Binaries people pick by mistake, by their magic bytes: what they are and what to do.
fn other_binary(head: &[u8]) -> Option<&'static str> {
    const TABLE: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image, not a table; choose the CSV, Excel or JSON Lines file"),
        (&[0xFF, 0xD8, 0xFF], "a JPEG image, not a table; choose the CSV, Excel or JSON Lines file"),
        (b"GIF8", "a GIF image, not a table; choose the CSV, Excel or JSON Lines file"),
        (b"%PDF-", "a PDF document; privaudit reads tables, not PDFs: export the table as CSV or xlsx"),
        (
            b"SQLite format 3\0",
            "an SQLite database; export the table as CSV (sqlite3 -csv -header db 'select * from t')",
        ),
        (b"ARROW1", "an Arrow IPC (Feather) file; export the table as CSV"),
        (b"Obj\x01", "an Avro file; export the table as CSV"),
        (b"ORC", "an ORC file; export the table as CSV"),
        (b"BZh", "a bzip2-compressed file; decompress it (bunzip2) or recompress it with gzip"),
        (&[0xFD, b'7', b'z', b'X', b'Z', 0], "an xz-compressed file; decompress it (unxz) or recompress it with gzip"),
        (&[0x28, 0xB5, 0x2F, 0xFD], "a zstd-compressed file; decompress it (unzstd) or recompress it with gzip"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive; extract the table file from it"),
        (b"Rar!\x1A\x07", "a RAR archive; extract the table file from it"),
        (b"\x7FELF", "a program (ELF executable), not a table"),
        (b"MZ", "a Windows program, not a table"),
    ];
    // A short magic of printable letters (`PAR1`, `ORC`, `MZ`…) could also start a CSV
    // header: it counts only when NUL bytes follow, as they do in those binaries.
    let binary = head[..head.len().min(4096)].contains(&0);
    TABLE
        .iter()
        .find(|(magic, _)| {
            head.starts_with(magic) && (binary || magic.len() >= 5 || !magic.iter().all(|b| b.is_ascii_graphic()))
        })
        .map(|&(_, what)| what)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(head: &[u8]) -> String {
        detect(head).unwrap_err().to_string()
    }

    #[test]
    fn text_formats_by_content() {
        assert_eq!(detect(b"a,b\n1,2\n").unwrap().format, Format::Csv);
        assert_eq!(detect(b"  {\"a\": 1}\n{\"a\": 2}\n").unwrap().format, Format::Jsonl);
        assert_eq!(detect(b"{\"a\": 1, \"b\"").unwrap().format, Format::Jsonl, "first line cut by the sample");
        assert_eq!(detect(b"{a,b}\n1,2\n").unwrap().format, Format::Csv, "a brace-named CSV column");
        assert_eq!(detect(b"[{\"a\": 1}]").unwrap().format, Format::Csv, "a JSON array is not JSON Lines");
        assert!(detect(&[0x1F, 0x8B, 8, 0]).unwrap().gzip);
        assert_eq!(detect(CFB).unwrap().format, Format::Xls);
    }

    #[test]
    fn binaries_are_named() {
        assert!(err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").contains("PNG image"));
        assert!(err(b"%PDF-1.7\n").contains("PDF"));
        assert_eq!(detect(b"PAR1\x15\x04\0\0").unwrap().format, Format::Parquet);
        assert_eq!(detect(b"PAR1,MZ,ORC\n1,2,3\n").unwrap().format, Format::Csv, "letters are a header");
        assert!(err(b"PK\x03\x04 random bytes").contains("damaged zip"));
        assert!(detect_inner(b"PAR1\0").unwrap_err().to_string().contains("gzip-compressed Parquet"));
    }
}
