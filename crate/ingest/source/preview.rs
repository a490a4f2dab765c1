//! The preview of any source: detect the format by content, then resolve the spec the way
//! that format needs (the CSV sniffer, the JSON Lines field list, a workbook's sheet).

use super::detect::{self, Format};
use super::json::{read_object, Leaf};
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::sniff::{resolve_csv, typed_preview, DialectInfo, EncodingInfo, Preview, SAMPLE_BYTES};
use crate::spec::RawSpec;

/// Sample rows a preview reads (as for CSV).
const SAMPLE_RECORDS: usize = 2000;

/// Resolves `raw` against `sample`, the first bytes of the file (`whole`: the entire
/// file; a workbook needs the entire file, see [`detect::needs_whole_file`]). Detects the
/// format by content, then reads the sample the way the format needs. Errors: empty,
/// binary or damaged input, a spec column missing from the file, a format that disagrees
/// with `input.format`.
pub fn resolve(raw: &RawSpec, sample: &[u8], whole: bool) -> Result<Preview> {
    if super::parquet::preview::is_preview_input(sample) {
        check_given(raw, Format::Parquet)?;
        return super::parquet::preview::resolve_parquet(raw, sample);
    }
    let found = detect::detect(sample)?;
    if found.format == Format::Parquet {
        check_given(raw, Format::Parquet)?;
        return parquet_bytes(raw, sample, whole);
    }
    let (body, body_whole, format) = if found.gzip {
        let (head, all) = super::gzip::head(sample, whole, SAMPLE_BYTES)?;
        let format = detect::detect_inner(&head)?;
        (std::borrow::Cow::Owned(head), all, format)
    } else {
        (std::borrow::Cow::Borrowed(sample), whole, found.format)
    };
    check_given(raw, format)?;
    let mut p = match format {
        Format::Parquet => return Err(detect::format_error("gzip-compressed Parquet; decompress it")),
        Format::Jsonl => resolve_jsonl(raw, &body, body_whole)?,
        Format::Xlsx | Format::Xls | Format::Ods if !whole => {
            return Err(Error::state(format!(
                "the preview of {} needs the whole file (front ends read it whole: see detect::needs_whole_file)",
                format.label()
            )))
        }
        Format::Xlsx | Format::Xls | Format::Ods => super::sheet::preview::resolve_sheet(raw, sample, format)?,
        Format::Csv => resolve_csv(raw, &body, body_whole)?,
    };
    if found.gzip {
        p.spec.input.compression = Some("gzip".into());
        p.splittable = false;
        p.notices.push(format!(
            "the file is gzip-compressed {}; it is decompressed as it is read, in one pass (not split across workers)",
            format.label()
        ));
    }
    Ok(p)
}

/// Errs when the spec's `input.format` is not the content's.
fn check_given(raw: &RawSpec, format: Format) -> Result<()> {
    if let Some(given) = raw.input.format.as_deref() {
        let given = Format::from_name(given)?;
        if given != format {
            return Err(Error::spec(
                "input.format",
                format!(
                    "is `{}` but the file's content is {}; remove the setting or choose the right file",
                    given.name(),
                    format.label()
                ),
            ));
        }
    }
    Ok(())
}

/// A whole Parquet file in memory (tests, `audit_bytes`): its preview input, made by the
/// linked reader.
fn parquet_bytes(raw: &RawSpec, bytes: &[u8], whole: bool) -> Result<Preview> {
    if !whole {
        return Err(Error::state(
            "the preview of a Parquet file needs its footer: pass the whole file, or the reader's preview input",
        ));
    }
    #[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
    {
        let input = super::parquet::native::preview_input(&mut std::io::Cursor::new(bytes))?;
        super::parquet::preview::resolve_parquet(raw, &input)
    }
    #[cfg(not(all(feature = "parquet", not(target_arch = "wasm32"))))]
    {
        let _ = (raw, bytes);
        Err(super::parquet::no_reader())
    }
}

/// The preview of JSON Lines: the fields of the sample's objects, in order of first
/// appearance (nested objects as dotted names), typed from their values.
fn resolve_jsonl(raw: &RawSpec, sample: &[u8], whole: bool) -> Result<Preview> {
    let body = sample.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(sample);
    // A line cut by the end of the sample is not read.
    let complete = if whole { body } else { &body[..body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)] };
    let text = String::from_utf8_lossy(complete);
    let mut names: Vec<String> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut lists: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<Option<String>>> = Vec::new();
    let mut malformed: Option<(usize, &'static str)> = None;
    for (n, line) in text.split('\n').enumerate() {
        if rows.len() >= SAMPLE_RECORDS {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let mut row: Vec<Option<String>> = vec![None; names.len()];
        let r = read_object(line, &mut |name, leaf| {
            let i = *index.entry(name.to_string()).or_insert_with(|| {
                names.push(name.to_string());
                names.len() - 1
            });
            if row.len() <= i {
                row.resize(i + 1, None);
            }
            row[i] = match leaf {
                Leaf::Str(s) => Some(s.into_owned()),
                Leaf::Num(s) => Some(s.to_string()),
                Leaf::Bool(b) => Some(b.to_string()),
                Leaf::Null => None,
                Leaf::List(s) => {
                    if !lists.iter().any(|l| l == name) {
                        lists.push(name.to_string());
                    }
                    Some(s.to_string())
                }
            };
        });
        match r {
            Ok(()) => rows.push(row),
            Err(m) => {
                malformed.get_or_insert((n + 1, m.reason));
            }
        }
    }
    if names.is_empty() {
        if let Some((line, reason)) = malformed {
            return Err(crate::ingest::source::detect::format_error(&format!(
                "not JSON Lines that privaudit can read: line {line} is not one JSON object ({reason})"
            )));
        }
        return Err(Error::kind_only(ErrorKind::EmptyInput));
    }
    let mut notices = Vec::new();
    if let Some((line, reason)) = malformed {
        notices.push(format!(
            "line {line} of the sample is not one JSON object ({reason}); such lines are counted as malformed lines, not rows"
        ));
    }
    for l in &lists {
        notices.push(format!("field `{l}` holds lists; their values are read as their JSON text"));
    }
    if names.iter().any(|n| n.contains('.')) {
        notices.push("nested objects are read as columns with dotted names (`address.city`)".into());
    }
    // A JSON null is missing whatever the tokens: the sample shows it as the first token.
    let missing = raw.input.missing_tokens.clone().unwrap_or_else(crate::spec::default_missing_tokens);
    let null = missing.first().cloned().unwrap_or_default();
    let data: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| (0..names.len()).map(|i| r.get(i).cloned().flatten().unwrap_or_else(|| null.clone())).collect())
        .collect();
    let mut input = raw.input.clone();
    input.format = Some(Format::Jsonl.name().into());
    input.encoding = Some("utf-8".into());
    let encoding = EncodingInfo { name: "utf-8".into(), bom: body.len() < sample.len() };
    let line_ending = crate::ingest::dialect::sniff_line_ending(complete);
    let dialect = DialectInfo { delimiter: String::new(), quote: String::new(), header: true, line_ending };
    let mut p = typed_preview(raw, input, &names, &data, notices, encoding, dialect)?;
    p.format = Format::Jsonl.name().into();
    Ok(p)
}
