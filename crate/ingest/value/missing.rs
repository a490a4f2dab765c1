//! Missing values: the tokens that mean "no value" (compared trimmed and
//! case-insensitively) and the codes a missing cell carries (which token, an absent field,
//! NaN, a JSON null, a spreadsheet error cell).

/// The default missing-value tokens (compared trimmed and case-insensitively).
pub const DEFAULT_MISSING: [&str; 9] = ["", "NA", "N/A", "null", "NULL", "NaN", "None", "?", "-"];

/// A set of missing tokens, stored trimmed and lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MissingTokens {
    tokens: Vec<String>,
    max_len: usize,
    /// First bytes (lower-cased) of the non-empty tokens: a fast "cannot be missing" test.
    first: [bool; 256],
}

impl MissingTokens {
    /// Builds the set from user tokens.
    pub fn new<S: AsRef<str>>(tokens: &[S]) -> Self {
        let mut t: Vec<String> = tokens.iter().map(|s| s.as_ref().trim().to_ascii_lowercase()).collect();
        t.sort();
        t.dedup();
        let max_len = t.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut first = [false; 256];
        for b in t.iter().filter_map(|s| s.bytes().next()) {
            first[usize::from(b)] = true;
            first[usize::from(b.to_ascii_uppercase())] = true;
        }
        MissingTokens { tokens: t, max_len, first }
    }
    /// True when `field` is a missing token.
    #[inline]
    pub fn is_missing(&self, field: &str) -> bool {
        self.which_bytes(field.as_bytes()).is_some()
    }

    /// [`MissingTokens::is_missing`] on the bytes of a field (the same test: trimming and
    /// case folding are ASCII-only, so they need no decoding).
    #[inline]
    pub fn is_missing_bytes(&self, b: &[u8]) -> bool {
        self.which_bytes(b).is_some()
    }

    /// The [`crate::ingest::batch::Cell::Missing`] code of `field` when it is a missing
    /// token: 1 + the token's index in [`MissingTokens::tokens`] (at most 254).
    #[inline]
    pub fn which(&self, field: &str) -> Option<u8> {
        self.which_bytes(field.as_bytes())
    }

    /// [`MissingTokens::which`] on the bytes of a field.
    #[inline]
    pub fn which_bytes(&self, b: &[u8]) -> Option<u8> {
        // Fast path: no space at either end (so `b` is its own trimmed form), and it
        // starts with a byte no token starts with, or is longer than every token.
        match (b.first(), b.last()) {
            (Some(&a), Some(&z)) if !a.is_ascii_whitespace() && !z.is_ascii_whitespace() => {
                if !self.first[usize::from(a)] || b.len() > self.max_len {
                    return None;
                }
                self.position(b)
            }
            _ => self.which_trimmed(b),
        }
    }

    #[inline]
    fn position(&self, f: &[u8]) -> Option<u8> {
        let i = self.tokens.iter().position(|t| t.as_bytes().eq_ignore_ascii_case(f))?;
        Some(u8::try_from(i + 1).unwrap_or(MISSING_LAST_TOKEN).min(MISSING_LAST_TOKEN))
    }

    #[inline(never)]
    fn which_trimmed(&self, field: &[u8]) -> Option<u8> {
        let f = field.trim_ascii();
        if f.len() > self.max_len {
            return None;
        }
        self.position(f)
    }

    /// The tokens, trimmed, lower-cased, sorted and without repeats (code `i + 1` is
    /// `tokens()[i]`).
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }
}

/// What a [`crate::ingest::batch::Cell::Missing`] code stands for, for the report, given
/// [`MissingTokens::tokens`].
pub fn missing_label(tokens: &[String], code: u8) -> String {
    match code {
        MISSING_ABSENT => "field absent (short row)".into(),
        MISSING_NAN => "number NaN (not a token)".into(),
        MISSING_NULL => "null (a typed source's empty value: JSON null, Parquet null)".into(),
        c @ MISSING_ERROR_FIRST..MISSING_NULL => match SHEET_ERRORS.get(usize::from(c - MISSING_ERROR_FIRST)) {
            Some(e) => format!("error cell {e}"),
            None => format!("error cell (code {c})"),
        },
        MISSING_LAST_TOKEN if tokens.len() > usize::from(MISSING_LAST_TOKEN) => {
            format!("tokens {MISSING_LAST_TOKEN} and later")
        }
        c => match tokens.get(usize::from(c) - 1).map(String::as_str) {
            Some("") => "token \"\" (empty field)".into(),
            Some(t) => format!("token \"{t}\""),
            None => format!("code {c}"),
        },
    }
}

/// [`crate::ingest::batch::Cell::Missing`] code: no field (a short row), or a column a
/// later pass does not read.
pub const MISSING_ABSENT: u8 = 0;
/// [`crate::ingest::batch::Cell::Missing`] code: a number that parses as NaN without being a
/// missing token.
pub const MISSING_NAN: u8 = 255;
/// The largest token code: tokens from the 239th on share it (codes above are kept for
/// the typed sources' missing kinds below).
pub const MISSING_LAST_TOKEN: u8 = 239;
/// [`crate::ingest::batch::Cell::Missing`] codes `MISSING_ERROR_FIRST + i`: a spreadsheet
/// error cell of kind [`SHEET_ERRORS`]`[i]` (a formula's cached error value).
pub const MISSING_ERROR_FIRST: u8 = 240;
/// [`crate::ingest::batch::Cell::Missing`] code: a typed source's null (JSON `null`).
pub const MISSING_NULL: u8 = 253;
/// The error values a spreadsheet cell can hold, in code order (Excel's names; OpenDocument
/// uses the same).
pub const SHEET_ERRORS: [&str; 8] =
    ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"];

impl Default for MissingTokens {
    fn default() -> Self {
        MissingTokens::new(&DEFAULT_MISSING)
    }
}
