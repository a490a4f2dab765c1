//! Preview: resolve a spec against the first bytes of a file.
//!
//! [`resolve_csv`] detects the encoding, sniffs the dialect (unless the spec sets it), reads the
//! header, de-duplicates column names the way pandas does (`name`, `name.1`, …; an empty
//! name becomes `Unnamed: i`, 0-based), and infers each column's type from the sample
//! rows. The result is a fully resolved [`RawSpec`] plus what the user should see before
//! running: dialect, encoding, columns and notices.

use super::dialect::{self, LineEnding};
use super::encoding::{self, Encoding};
use super::infer;
use super::value::{ColumnType, DateOrder, MissingTokens, NumberFormat};
use crate::error::{Error, ErrorKind, Result};
use crate::spec::{default_missing_tokens, RawColumn, RawSpec, Role};
use serde::Serialize;

/// The preview of any file (format detected by content; CSV goes to [`resolve_csv`]).
pub use crate::ingest::source::resolve;

/// How many bytes of the file a preview reads.
pub const SAMPLE_BYTES: usize = 1 << 20;
const SAMPLE_RECORDS: usize = 2000;

/// What the user sees before a run.
#[derive(Clone, Debug, Serialize)]
pub struct Preview {
    /// The resolved spec: pass it back to run.
    pub spec: RawSpec,
    /// The table format detected from the content (`csv`, `jsonl`, `xlsx`, `xls`, `ods`).
    pub format: String,
    /// A workbook's sheets, in order (empty for other formats); `spec.input.sheet` names
    /// the one read.
    pub sheets: Vec<String>,
    /// Encoding name and whether a byte-order mark was found.
    pub encoding: EncodingInfo,
    /// Dialect, as strings.
    pub dialect: DialectInfo,
    /// Columns with their types and roles.
    pub columns: Vec<PreviewColumn>,
    /// Things the user should know (renamed columns, ambiguous dates, fallbacks).
    pub notices: Vec<String>,
    /// False when the file must be read in one range (UTF-16, gzip, workbooks). Parquet
    /// is splittable into runs of row groups ([`Preview::cuts`]), not byte ranges.
    pub splittable: bool,
    /// Parquet: the row groups' first bytes, then the footer's: the file's ranges are
    /// runs of row groups between these cuts (empty for other formats, and for a Parquet
    /// file whose row groups are not in file order: then it is one range).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cuts: Vec<u64>,
    /// Data rows seen in the sample.
    pub sample_rows: usize,
    /// Allowed type names.
    pub types: Vec<&'static str>,
    /// Allowed role names.
    pub roles: Vec<&'static str>,
}

/// Encoding as shown to users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct EncodingInfo {
    /// Label, e.g. `utf-8`.
    pub name: String,
    /// Whether the file starts with a byte-order mark.
    pub bom: bool,
}

/// Dialect as shown to users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DialectInfo {
    /// Delimiter (`tab` for a tab).
    pub delimiter: String,
    /// Quote character.
    pub quote: String,
    /// Header present.
    pub header: bool,
    /// Line endings seen in the sample.
    pub line_ending: LineEnding,
}

/// One column in the preview.
#[derive(Clone, Debug, Serialize)]
pub struct PreviewColumn {
    /// 0-based position.
    pub index: usize,
    /// Unique name.
    pub name: String,
    /// Type name.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// Role name.
    pub role: Role,
    /// The distinct non-missing values seen in the sample, most frequent first, when there
    /// are at most [`PREVIEW_VALUES`] of them (empty otherwise, and for identifiers). The
    /// page offers them when the user picks a positive class; they stay in the page and
    /// never reach a DP summary.
    pub values: Vec<String>,
    /// A few values from the first rows ([`super::examples`]); empty when hidden.
    pub examples: Vec<String>,
    /// Why the examples are not shown (identifier-like or personal data), if they are not.
    pub examples_hidden: Option<String>,
    /// A suggested role ([`crate::spec::suggest`]), offered to the user, never applied.
    pub suggestion: Option<crate::spec::Suggestion>,
}

/// Most distinct values a preview column lists.
pub const PREVIEW_VALUES: usize = 20;

fn few_values(data: &[Vec<String>], i: usize, missing: &MissingTokens, ty: ColumnType, role: Role) -> Vec<String> {
    if ty == ColumnType::Identifier || role == Role::Identifier {
        return Vec::new();
    }
    let mut counts: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for v in data.iter().filter_map(|r| r.get(i)).map(String::as_str).filter(|v| !missing.is_missing(v)) {
        *counts.entry(v).or_insert(0) += 1;
        if counts.len() > PREVIEW_VALUES {
            return Vec::new();
        }
    }
    let mut v: Vec<(&str, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().map(|(s, _)| s.to_string()).collect()
}

fn show_char(b: u8) -> String {
    if b == b'\t' {
        "tab".into()
    } else {
        (b as char).to_string()
    }
}

fn decode_sample(sample: &[u8], det: &encoding::Detected, enc: Encoding) -> Vec<u8> {
    let body = &sample[det.bom_len.min(sample.len())..];
    match enc {
        Encoding::Utf8 => body.to_vec(),
        Encoding::Windows1252 => {
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(body).0.into_owned().into_bytes()
        }
        Encoding::Utf16le => encoding_rs::UTF_16LE.decode_without_bom_handling(body).0.into_owned().into_bytes(),
        Encoding::Utf16be => encoding_rs::UTF_16BE.decode_without_bom_handling(body).0.into_owned().into_bytes(),
    }
}

/// Resolves `raw` against a CSV/TSV `sample` (the first decoded bytes of the stream;
/// `whole` when it is the entire stream). [`crate::ingest::source::resolve`] detects the
/// format first and calls this for delimited text. Errors: empty or binary input, a spec
/// column missing from the file.
pub fn resolve_csv(raw: &RawSpec, sample: &[u8], whole: bool) -> Result<Preview> {
    let det = encoding::detect(sample, whole)?;
    let enc = match raw.input.encoding.as_deref() {
        Some(label) => Encoding::from_label(label)?,
        None => det.encoding,
    };
    let mut notices: Vec<String> = det.notice.iter().cloned().collect();
    let text = decode_sample(sample, &det, enc);
    if text.iter().all(|b| matches!(b, b'\n' | b'\r')) {
        return Err(Error::kind_only(ErrorKind::EmptyInput));
    }
    let spec_char = |f: &str, v: &Option<String>| -> Result<Option<u8>> {
        v.as_deref().map(|s| crate::spec::one_char_pub(f, s)).transpose()
    };
    let quote = spec_char("input.quote", &raw.input.quote)?.unwrap_or_else(|| dialect::sniff_quote(&text));
    let delimiter = spec_char("input.delimiter", &raw.input.delimiter)?
        .unwrap_or_else(|| dialect::sniff_delimiter(&text, quote, whole));
    let records = dialect::sample_records(&text, delimiter, quote, SAMPLE_RECORDS, whole);
    if records.is_empty() {
        return Err(Error::kind_only(ErrorKind::HeaderTooLong { sample: sample.len() as u64 }));
    }
    let header = raw.input.header.unwrap_or_else(|| dialect::sniff_header(&records[..records.len().min(100)]));
    let width = if header { records[0].len() } else { records.iter().map(Vec::len).max().unwrap_or(1) };
    let names = column_names(header.then(|| records[0].as_slice()), width, &mut notices);
    let data = if header { &records[1..] } else { &records[..] };
    if whole && data.is_empty() {
        notices.push("the file has a header but no data rows".into());
    }
    let mut input = raw.input.clone();
    if let Some(example) = (input.decimal.is_none() && delimiter != b',').then(|| comma_decimals(data)).flatten() {
        input.decimal = Some(",".into());
        notices.push(format!("numbers such as `{example}` use a decimal comma; the decimal separator was set to `,`"));
    }
    input.delimiter = Some(show_char(delimiter));
    input.quote = Some(show_char(quote));
    input.header = Some(header);
    input.encoding = Some(enc.label().into());
    let dialect = DialectInfo {
        delimiter: show_char(delimiter),
        quote: show_char(quote),
        header,
        line_ending: dialect::sniff_line_ending(&text),
    };
    let encoding = EncodingInfo { name: enc.label().into(), bom: det.bom_len > 0 };
    let mut p = typed_preview(raw, input, &names, data, notices, encoding, dialect)?;
    p.splittable = !enc.is_utf16();
    Ok(p)
}

/// The preview of a table whose names and sample rows (as text) are known: column types
/// inferred (or taken from the spec), roles, the few values of each column. `input` is
/// `raw.input` with what was detected filled in.
pub(crate) fn typed_preview(
    raw: &RawSpec,
    mut input: crate::spec::RawInput,
    names: &[String],
    data: &[Vec<String>],
    mut notices: Vec<String>,
    encoding: EncodingInfo,
    dialect: DialectInfo,
) -> Result<Preview> {
    let missing_tokens = raw.input.missing_tokens.clone().unwrap_or_else(default_missing_tokens);
    let missing = MissingTokens::new(&missing_tokens);
    let number = crate::spec::number_format(&input)?;
    let columns = resolve_columns(raw, names, data, &missing, number, &mut notices)?;
    input.missing_tokens = Some(missing_tokens);
    input.decimal = Some(show_char(number.decimal));
    input.thousands = Some(number.thousands.map(show_char).unwrap_or_default());
    let spec = RawSpec { input, columns, ..raw.clone() };
    let show = raw.profile.show_sensitive_values;
    let preview_cols = spec
        .columns
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let (ty, role) = (c.ty.unwrap_or(ColumnType::Categorical), c.role.unwrap_or_default());
            let values = few_values(data, index, &missing, ty, role);
            let (examples, examples_hidden) = super::examples::examples(&c.name, ty, role, data, index, &missing, show);
            let mut col = PreviewColumn {
                index,
                name: c.name.clone(),
                ty,
                role,
                values,
                examples,
                examples_hidden,
                suggestion: None,
            };
            col.suggestion = crate::spec::suggest::suggest_column(&col);
            col
        })
        .collect();
    Ok(Preview {
        format: crate::ingest::source::SourceSpec::from_input(&spec.input)?.format.name().into(),
        sheets: Vec::new(),
        spec,
        encoding,
        dialect,
        columns: preview_cols,
        notices,
        splittable: true,
        cuts: Vec::new(),
        sample_rows: data.len(),
        types: ColumnType::ALL.iter().map(|t| t.name()).collect(),
        roles: Role::ALL.iter().map(|r| r.name()).collect(),
    })
}

/// An example value when the sample has numbers written with a decimal comma (`12,5`) and
/// none with a decimal point.
fn comma_decimals(data: &[Vec<String>]) -> Option<String> {
    let shape = |v: &str, sep: u8| {
        let b = v.trim().trim_start_matches(['-', '+']).as_bytes();
        let Some(i) = b.iter().position(|&c| c == sep) else { return false };
        i > 0 && i + 1 < b.len() && b.iter().enumerate().all(|(j, c)| j == i || c.is_ascii_digit())
    };
    let mut example = None;
    for v in data.iter().flatten() {
        if shape(v, b'.') {
            return None;
        }
        if example.is_none() && shape(v, b',') {
            example = Some(v.trim().to_string());
        }
    }
    example
}

/// pandas-style unique names: duplicates get `.1`, `.2`…; empty names become `Unnamed: i`.
pub(crate) fn column_names(header: Option<&[String]>, width: usize, notices: &mut Vec<String>) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(width);
    let mut seen = std::collections::HashSet::new();
    for i in 0..width {
        let base = match header.and_then(|h| h.get(i)).map(|s| s.trim()) {
            Some("") => {
                notices.push(format!("column {} has an empty header; it is called `Unnamed: {i}`", i + 1));
                format!("Unnamed: {i}")
            }
            Some(s) => s.to_string(),
            None => format!("column_{}", i + 1),
        };
        let mut name = base.clone();
        let mut k = 1;
        while !seen.insert(name.clone()) {
            name = format!("{base}.{k}");
            k += 1;
        }
        if name != base {
            notices
                .push(format!("the header name `{base}` appears more than once; column {} is called `{name}`", i + 1));
        }
        names.push(name);
    }
    names
}

fn resolve_columns(
    raw: &RawSpec,
    names: &[String],
    data: &[Vec<String>],
    missing: &MissingTokens,
    number: NumberFormat,
    notices: &mut Vec<String>,
) -> Result<Vec<RawColumn>> {
    for (k, c) in raw.columns.iter().enumerate() {
        if !names.contains(&c.name) {
            let list = names.iter().take(20).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            return Err(Error::spec(
                format!("columns[{k}].name"),
                format!("`{}` is not a column of this file; its columns are {list}", c.name),
            ));
        }
    }
    Ok(names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let given = raw.columns.iter().find(|c| &c.name == name);
            let values: Vec<&str> = data.iter().map(|r| r.get(i).map_or("", String::as_str)).collect();
            let inferred = infer::infer_column(name, &values, missing, number, raw.input.date_order);
            let ty = given.and_then(|g| g.ty).unwrap_or(inferred.ty);
            if given.and_then(|g| g.ty).is_none() {
                notices.extend(inferred.notes);
            }
            let date_order = given.and_then(|g| g.date_order).or(inferred.date_order);
            let role = given.and_then(|g| g.role).unwrap_or(if ty == ColumnType::Identifier {
                Role::Identifier
            } else {
                Role::Feature
            });
            let spelled = (ty == ColumnType::Boolean).then(|| infer::bool_spellings(&values, missing)).flatten();
            // A spelling given for a column that is not boolean (a resolved spec whose column
            // type was changed since) is dropped with a notice rather than refused.
            let stale =
                given.filter(|g| ty != ColumnType::Boolean && (g.true_value.is_some() || g.false_value.is_some()));
            if stale.is_some() {
                notices.push(format!("column `{name}` is not boolean: its true_value/false_value are ignored"));
            }
            let spelling =
                |g: Option<&String>, i: Option<String>| g.cloned().or(i).filter(|_| ty == ColumnType::Boolean);
            RawColumn {
                name: name.clone(),
                ty: Some(ty),
                role: Some(role),
                date_order: if ty == ColumnType::Date { Some(date_order.unwrap_or(DateOrder::Ymd)) } else { None },
                true_value: spelling(given.and_then(|g| g.true_value.as_ref()), spelled.clone().map(|s| s.0)),
                false_value: spelling(given.and_then(|g| g.false_value.as_ref()), spelled.map(|s| s.1)),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_lists_the_few_values_of_low_cardinality_columns() {
        let mut csv = String::from("id,y,city,note\n");
        for i in 0..60 {
            csv.push_str(&format!("r{i},{},c{},NA\n", i % 3 % 2, i));
        }
        let p = crate::spec::resolve(&RawSpec::default(), csv.as_bytes(), true).unwrap();
        let values: Vec<&[String]> = p.columns.iter().map(|c| c.values.as_slice()).collect();
        assert_eq!(values[1], ["0", "1"], "most frequent first: 0 appears 40 times");
        assert!(values[2].is_empty(), "60 distinct values are not listed");
        assert!(values[3].is_empty(), "missing tokens are not values");
        assert!(values[0].is_empty(), "identifiers are never listed");
    }
}
