//! One error type for the whole crate: a kind, a position, and a sentence for a person.
//!
//! Bad rows are *findings* (see [`crate::ingest::findings::FindingsAcc`]), not errors. An [`Error`] is
//! returned only when the input cannot be used at all (empty, binary, a field over the
//! size limit), when a spec is invalid, or when two states cannot be merged.
//! `Display` is the message shown to the user; [`Error::kind`] and [`Error::position`]
//! let a front end highlight the place.

pub mod dp;

use std::fmt;

/// Where in the input something happened. Every part is optional; rows are 1-based data
/// rows (the header is not counted), bytes are 0-based offsets into the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// 0-based byte offset in the file.
    pub byte: Option<u64>,
    /// 1-based data row (the header row is not counted).
    pub row: Option<u64>,
    /// Column name.
    pub column: Option<String>,
}

impl Position {
    /// A position at a byte offset only.
    pub fn at_byte(byte: u64) -> Self {
        Position { byte: Some(byte), ..Default::default() }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(r) = self.row {
            parts.push(format!("row {}", thousands(r)));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column `{c}`"));
        }
        if let Some(b) = self.byte {
            parts.push(format!("byte {}", thousands(b)));
        }
        f.write_str(&parts.join(", "))
    }
}

/// Formats an integer with `,` thousands separators, as used in every user message.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// What went wrong. Variants carry the data a front end needs.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file has no bytes (or only a byte-order mark / blank lines).
    EmptyInput,
    /// The file contains NUL bytes and is not UTF-16: it is not a text table.
    Binary,
    /// The file is UTF-16 or UTF-32 without a byte-order mark, which cannot be decoded reliably.
    UnsupportedEncoding(String),
    /// One field is longer than the configured limit.
    FieldTooLong {
        /// The limit in bytes.
        limit: u64,
    },
    /// One record has more fields than privaudit accepts.
    TooManyFields {
        /// The limit.
        limit: u64,
    },
    /// The header row does not end within the sample used for sniffing.
    HeaderTooLong {
        /// Sample size in bytes.
        sample: u64,
    },
    /// A spec value is invalid. `field` names the parameter, e.g. `input.delimiter`.
    Spec {
        /// The spec parameter at fault.
        field: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A serialised state cannot be used (wrong format, kind or spec).
    State(String),
    /// The run was cancelled by the user.
    Cancelled,
    /// Reading or writing a file failed.
    Io(String),
    /// A differential-privacy computation or release could not be carried out.
    Dp(crate::error::dp::DpError),
    /// The file is not in a format privaudit reads, or its container is damaged: what it
    /// looks like (a PNG image, a zip without a spreadsheet, a truncated gzip…) and what to do.
    Format(String),
}

/// The crate's error: a boxed kind plus a position.
#[derive(Clone, Debug, PartialEq)]
pub struct Error(Box<(ErrorKind, Position)>);

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` at `position`.
    pub fn new(kind: ErrorKind, position: Position) -> Self {
        Error(Box::new((kind, position)))
    }
    /// A new error with no position.
    pub fn kind_only(kind: ErrorKind) -> Self {
        Error::new(kind, Position::default())
    }
    /// A spec error naming the parameter.
    pub fn spec(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::kind_only(ErrorKind::Spec { field: field.into(), message: message.into() })
    }
    /// A state (merge) error.
    pub fn state(message: impl Into<String>) -> Self {
        Error::kind_only(ErrorKind::State(message.into()))
    }
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0 .0
    }
    /// Where it went wrong.
    pub fn position(&self) -> &Position {
        &self.0 .1
    }
    /// A short machine-readable name of the kind (`"empty_input"`, `"spec"`, …).
    pub fn kind_name(&self) -> &'static str {
        match self.kind() {
            ErrorKind::EmptyInput => "empty_input",
            ErrorKind::Binary => "binary",
            ErrorKind::UnsupportedEncoding(_) => "unsupported_encoding",
            ErrorKind::FieldTooLong { .. } => "field_too_long",
            ErrorKind::TooManyFields { .. } => "too_many_fields",
            ErrorKind::HeaderTooLong { .. } => "header_too_long",
            ErrorKind::Spec { .. } => "spec",
            ErrorKind::State(_) => "state",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Io(_) => "io",
            ErrorKind::Dp(_) => "dp",
            ErrorKind::Format(_) => "format",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pos = self.position().to_string();
        if !pos.is_empty() {
            write!(f, "{pos}: ")?;
        }
        match self.kind() {
            ErrorKind::EmptyInput => f.write_str(
                "the file is empty (no bytes, or only blank lines); choose a CSV file with a header and data rows",
            ),
            ErrorKind::Binary => f.write_str(
                "the file contains NUL bytes, so it is not a text table; export it as CSV (UTF-8) and try again",
            ),
            ErrorKind::UnsupportedEncoding(what) => write!(f, "{what}; save the file as UTF-8 and try again"),
            ErrorKind::FieldTooLong { limit } => write!(
                f,
                "a single field is longer than {} bytes, which usually means an unbalanced quote; check the quoting of this field or raise `input.max_field_bytes` in the spec",
                thousands(*limit)
            ),
            ErrorKind::TooManyFields { limit } => write!(
                f,
                "a record has more than {} fields, which usually means the delimiter is wrong; check `input.delimiter`",
                thousands(*limit)
            ),
            ErrorKind::HeaderTooLong { sample } => write!(
                f,
                "the header row does not end within the first {} bytes; check the delimiter and quote settings",
                thousands(*sample)
            ),
            ErrorKind::Spec { field, message } => write!(f, "spec `{field}`: {message}"),
            ErrorKind::State(m) => write!(f, "cannot merge: {m}"),
            ErrorKind::Cancelled => f.write_str("the run was cancelled"),
            ErrorKind::Io(m) => f.write_str(m),
            ErrorKind::Dp(e) => write!(f, "{e}"),
            ErrorKind::Format(what) => write!(f, "the file is {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<crate::error::dp::DpError> for Error {
    fn from(e: crate::error::dp::DpError) -> Self {
        Error::kind_only(ErrorKind::Dp(e))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::kind_only(ErrorKind::Io(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place() {
        let e = Error::new(
            ErrorKind::FieldTooLong { limit: 16 * 1024 * 1024 },
            Position { byte: Some(1_234_567), row: Some(1204), column: Some("income".into()) },
        );
        let s = e.to_string();
        assert!(s.starts_with("row 1,204, column `income`, byte 1,234,567: a single field"), "{s}");
        assert!(s.contains("16,777,216"));
        assert_eq!(e.kind_name(), "field_too_long");
    }

    #[test]
    fn thousands_groups() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
