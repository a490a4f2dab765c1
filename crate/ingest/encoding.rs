//! Text encodings: detection from the first bytes of a file, and per-field decoding.
//!
//! Policy (stated in the report):
//! - UTF-8, with or without a byte-order mark, is read as is.
//! - A file whose sample is not valid UTF-8 is read as Windows-1252 (the WHATWG superset of
//!   Latin-1 that `encoding_rs` implements; every byte maps to a character), with a notice.
//! - In a UTF-8 file, a single field that is not valid UTF-8 is decoded as Windows-1252 and
//!   counted as a finding ("undecodable bytes"), so one bad byte never stops a run.
//! - UTF-16 with a byte-order mark is transcoded to UTF-8 before parsing (such files are
//!   read in one range, not split across workers). UTF-16 without a BOM, UTF-32 and files
//!   with NUL bytes are refused with a message saying what to do.

use crate::error::{Error, ErrorKind, Position, Result};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The encoding a file is decoded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 (a BOM, if present, is skipped).
    Utf8,
    /// Windows-1252 (covers Latin-1 / ISO-8859-1).
    Windows1252,
    /// UTF-16 little endian, with BOM.
    Utf16le,
    /// UTF-16 big endian, with BOM.
    Utf16be,
}

impl Encoding {
    /// The label used in specs and reports.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf16le => "utf-16le",
            Encoding::Utf16be => "utf-16be",
        }
    }

    /// Parses a user-supplied label (`utf-8`, `latin-1`, `windows-1252`, `utf-16le`, …).
    pub fn from_label(label: &str) -> Result<Self> {
        match label.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin-1" | "latin1" | "iso-8859-1" => Ok(Encoding::Windows1252),
            "utf-16le" | "utf-16" => Ok(Encoding::Utf16le),
            "utf-16be" => Ok(Encoding::Utf16be),
            other => Err(Error::spec(
                "input.encoding",
                format!("unknown encoding `{other}`; use one of utf-8, windows-1252 (latin-1), utf-16le, utf-16be"),
            )),
        }
    }

    /// True when the file is transcoded as a stream (and so read in one range).
    pub fn is_utf16(self) -> bool {
        matches!(self, Encoding::Utf16le | Encoding::Utf16be)
    }
}

/// What [`detect`] found at the start of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    /// The encoding.
    pub encoding: Encoding,
    /// Length of the byte-order mark, 0 if none.
    pub bom_len: usize,
    /// A notice for the report, if the choice is worth telling.
    pub notice: Option<String>,
}

/// Detects the encoding from the first bytes of a file. `whole` is true when `sample` is
/// the entire file (then a truncated UTF-8 sequence at its end is an error, not a cut).
pub fn detect(sample: &[u8], whole: bool) -> Result<Detected> {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) && !sample.contains(&0) {
        return Ok(Detected { encoding: Encoding::Utf8, bom_len: 3, notice: None });
    }
    if sample.starts_with(&[0xFF, 0xFE, 0, 0]) || sample.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(Error::kind_only(ErrorKind::UnsupportedEncoding("the file is UTF-32".into())));
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return Ok(utf16(Encoding::Utf16le));
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return Ok(utf16(Encoding::Utf16be));
    }
    if let Some(pos) = sample.iter().position(|&b| b == 0) {
        let nuls = sample.iter().filter(|&&b| b == 0).count();
        let odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        // UTF-16 text puts its NULs in one byte of each pair (ASCII's high byte); a PNG or
        // ZIP header with many NULs on both sides is binary.
        if nuls * 3 >= sample.len() && odd.max(nuls - odd) * 10 >= nuls * 9 {
            return Err(Error::new(
                ErrorKind::UnsupportedEncoding("the file looks like UTF-16 without a byte-order mark".into()),
                Position::at_byte(pos as u64),
            ));
        }
        return Err(Error::new(ErrorKind::Binary, Position::at_byte(pos as u64)));
    }
    match std::str::from_utf8(sample) {
        Ok(_) => Ok(Detected { encoding: Encoding::Utf8, bom_len: 0, notice: None }),
        Err(e) if !whole && e.error_len().is_none() => {
            Ok(Detected { encoding: Encoding::Utf8, bom_len: 0, notice: None })
        }
        Err(e) => Ok(Detected {
            encoding: Encoding::Windows1252,
            bom_len: 0,
            notice: Some(format!(
                "the file is not valid UTF-8 (first invalid byte at offset {}); it was read as Windows-1252 (Latin-1). If characters look wrong, save the file as UTF-8",
                e.valid_up_to()
            )),
        }),
    }
}

fn utf16(encoding: Encoding) -> Detected {
    Detected {
        encoding,
        bom_len: 2,
        notice: Some(format!(
            "the file is {}; it was transcoded to UTF-8 and read in one pass (not split across workers)",
            encoding.label().to_uppercase()
        )),
    }
}

/// Decodes one field. Returns the text and whether a UTF-8 field had to fall back to
/// Windows-1252 (a finding). UTF-16 input arrives here already transcoded to UTF-8.
pub fn decode_field(encoding: Encoding, bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match encoding {
        Encoding::Windows1252 => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, false)
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), false),
            Err(_) => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                (text, true)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_boms_and_fallbacks() {
        assert_eq!(detect(b"\xEF\xBB\xBFa,b\n", true).unwrap().bom_len, 3);
        assert_eq!(detect(b"\xFF\xFEa\0", true).unwrap().encoding, Encoding::Utf16le);
        assert_eq!(detect(b"\xFE\xFF\0a", true).unwrap().encoding, Encoding::Utf16be);
        let d = detect(b"name\ncaf\xE9\n", true).unwrap();
        assert_eq!(d.encoding, Encoding::Windows1252);
        assert!(d.notice.unwrap().contains("offset 8"));
        // A UTF-8 sequence cut at the end of a sample is not a reason to fall back.
        assert_eq!(detect("é".as_bytes().split_at(1).0, false).unwrap().encoding, Encoding::Utf8);
    }

    #[test]
    fn refuses_binary_and_bomless_utf16() {
        assert_eq!(detect(b"PK\x03\x04\0\0abcdefghijkl", true).unwrap_err().kind_name(), "binary");
        let e = detect(b"a\0,\0b\0\n\0", true).unwrap_err();
        assert!(e.to_string().contains("UTF-16 without a byte-order mark"), "{e}");
    }

    #[test]
    fn field_fallback_is_a_finding() {
        let (t, fb) = decode_field(Encoding::Utf8, b"Jos\xE9");
        assert_eq!((t.as_ref(), fb), ("José", true));
        let (t, fb) = decode_field(Encoding::Windows1252, b"\x80 5");
        assert_eq!((t.as_ref(), fb), ("€ 5", false));
    }
}
