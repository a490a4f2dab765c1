//! A small JSON object reader for JSON Lines: one line, one object, its leaves handed out
//! with dotted names (`{"a": {"b": 1}}` gives `a.b`). Numbers are handed out as written,
//! so that they type exactly as the same number in a CSV file; lists are handed out as
//! their JSON text. No allocation for keys and strings without escapes.

use std::borrow::Cow;

/// One leaf value of an object.
#[derive(Clone, Debug, PartialEq)]
pub enum Leaf<'a> {
    /// A string (escapes decoded).
    Str(Cow<'a, str>),
    /// A number, as written (valid JSON number syntax).
    Num(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A list, as its JSON text.
    List(&'a str),
}

/// Why a line is not one JSON object: a reason and the 0-based byte offset in the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// What is wrong, in a few words.
    pub reason: &'static str,
    /// Byte offset in the line.
    pub at: usize,
}

/// Deepest nesting of objects and lists accepted.
pub const MAX_DEPTH: usize = 64;

/// Reads `line` as one JSON object; calls `leaf(name, value)` for every leaf, in order.
pub fn read_object<'a>(line: &'a str, leaf: &mut dyn FnMut(&str, Leaf<'a>)) -> Result<(), Malformed> {
    let mut p = Parser { s: line, b: line.as_bytes(), i: 0, path: String::new() };
    p.ws();
    if p.peek() != Some(b'{') {
        return Err(p.err("the line is not a JSON object (it should start with `{`)"));
    }
    p.object(0, leaf)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("text after the end of the object"));
    }
    Ok(())
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    path: String,
}

impl<'a> Parser<'a> {
    fn err(&self, reason: &'static str) -> Malformed {
        Malformed { reason, at: self.i }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }
    fn expect(&mut self, c: u8, reason: &'static str) -> Result<(), Malformed> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(reason))
        }
    }

    /// At `{`: reads the object, its leaves named under the current path.
    fn object(&mut self, depth: usize, leaf: &mut dyn FnMut(&str, Leaf<'a>)) -> Result<(), Malformed> {
        if depth >= MAX_DEPTH {
            return Err(self.err("objects nested too deeply"));
        }
        self.i += 1; // {
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a field name in double quotes"));
            }
            let key = self.string()?;
            self.expect(b':', "expected `:` after the field name")?;
            self.ws();
            let base = self.path.len();
            if base > 0 {
                self.path.push('.');
            }
            self.path.push_str(&key);
            let r = self.value(depth, leaf);
            self.path.truncate(base);
            r?;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected `,` or `}` after a value")),
            }
        }
    }

    fn value(&mut self, depth: usize, leaf: &mut dyn FnMut(&str, Leaf<'a>)) -> Result<(), Malformed> {
        match self.peek() {
            Some(b'"') => {
                let s = self.string()?;
                leaf(&self.path, Leaf::Str(s));
            }
            Some(b'{') => self.object(depth + 1, leaf)?,
            Some(b'[') => {
                let start = self.i;
                self.skip_list(depth + 1)?;
                leaf(&self.path, Leaf::List(&self.s[start..self.i]));
            }
            Some(b't') => self.word("true", Leaf::Bool(true), leaf)?,
            Some(b'f') => self.word("false", Leaf::Bool(false), leaf)?,
            Some(b'n') => self.word("null", Leaf::Null, leaf)?,
            Some(b'-' | b'0'..=b'9') => {
                let n = self.number()?;
                leaf(&self.path, Leaf::Num(n));
            }
            _ => return Err(self.err("expected a value")),
        }
        Ok(())
    }

    fn word(&mut self, w: &'static str, v: Leaf<'a>, leaf: &mut dyn FnMut(&str, Leaf<'a>)) -> Result<(), Malformed> {
        if self.b[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            leaf(&self.path, v);
            Ok(())
        } else {
            Err(self.err("expected a value (true, false, null, a number, a string, an object or a list)"))
        }
    }

    /// A JSON number (RFC 8259 §6), returned as written.
    fn number(&mut self) -> Result<&'a str, Malformed> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let s = p.i;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.i += 1;
            }
            p.i - s
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        let n = digits(self);
        if n == 0 || (n > 1 && self.b[int_start] == b'0') {
            return Err(self.err("not a valid JSON number"));
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(self.err("not a valid JSON number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.err("not a valid JSON number"));
            }
        }
        Ok(&self.s[start..self.i])
    }

    /// At `"`: a string, borrowed when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, Malformed> {
        self.i += 1;
        let start = self.i;
        loop {
            match self.peek() {
                None => return Err(self.err("a string is not closed")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Borrowed(&self.s[start..self.i - 1]));
                }
                Some(b'\\') => break,
                Some(c) if c < 0x20 => return Err(self.err("a control character inside a string")),
                Some(_) => self.i += 1,
            }
        }
        let mut out = String::from(&self.s[start..self.i]);
        loop {
            match self.peek() {
                None => return Err(self.err("a string is not closed")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 1;
                            let c = self.unicode()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.err("an invalid escape in a string")),
                    };
                    self.i += 1;
                    out.push(c);
                }
                Some(c) if c < 0x20 => return Err(self.err("a control character inside a string")),
                Some(_) => {
                    // Copy the run of plain characters (UTF-8 boundaries are kept: the
                    // run ends at an ASCII byte).
                    let s = self.i;
                    while matches!(self.peek(), Some(c) if c != b'"' && c != b'\\' && c >= 0x20) {
                        self.i += 1;
                    }
                    out.push_str(&self.s[s..self.i]);
                }
            }
        }
    }

    /// After `\u`: four hex digits, a surrogate pair joined; a lone surrogate is U+FFFD.
    fn unicode(&mut self) -> Result<char, Malformed> {
        let hex = |p: &mut Self| -> Result<u32, Malformed> {
            let h = p.b.get(p.i..p.i + 4).and_then(|h| std::str::from_utf8(h).ok());
            let v = h.and_then(|h| u32::from_str_radix(h, 16).ok()).ok_or_else(|| p.err("an invalid \\u escape"))?;
            p.i += 4;
            Ok(v)
        };
        let hi = hex(self)?;
        if (0xD800..0xDC00).contains(&hi) && self.b[self.i..].starts_with(b"\\u") {
            let save = self.i;
            self.i += 2;
            let lo = hex(self)?;
            if (0xDC00..0xE000).contains(&lo) {
                return Ok(char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)).unwrap_or('\u{FFFD}'));
            }
            self.i = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }

    /// At `[`: skips a list (strings and nesting respected).
    fn skip_list(&mut self, depth: usize) -> Result<(), Malformed> {
        if depth >= MAX_DEPTH {
            return Err(self.err("lists nested too deeply"));
        }
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            match self.peek() {
                Some(b'[') => self.skip_list(depth + 1)?,
                Some(b'{') => {
                    // An object inside a list is part of the list's text: read it under a
                    // throwaway name.
                    let mut ignore = |_: &str, _: Leaf<'a>| {};
                    self.object(depth + 1, &mut ignore)?;
                }
                Some(b'"') => {
                    self.string()?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.number()?;
                }
                Some(b't') => self.word("true", Leaf::Null, &mut |_, _| {})?,
                Some(b'f') => self.word("false", Leaf::Null, &mut |_, _| {})?,
                Some(b'n') => self.word("null", Leaf::Null, &mut |_, _| {})?,
                _ => return Err(self.err("expected a value in a list")),
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected `,` or `]` in a list")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(line: &str) -> Result<Vec<(String, Leaf<'_>)>, Malformed> {
        let mut v = Vec::new();
        read_object(line, &mut |k, l| v.push((k.to_string(), l)))?;
        Ok(v)
    }

    #[test]
    fn flat_and_nested_objects() {
        let v = leaves(r#" {"a": 1.50, "b": "x\"y\u00e9\ud83d\ude00", "c": {"d": true, "e": {"f": null}}, "g": [1, {"h": 2}], "i": -0e+1} "#)
            .unwrap();
        let names: Vec<&str> = v.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["a", "b", "c.d", "c.e.f", "g", "i"]);
        assert_eq!(v[0].1, Leaf::Num("1.50"), "numbers as written");
        assert_eq!(v[1].1, Leaf::Str("x\"yé😀".into()));
        assert_eq!(v[2].1, Leaf::Bool(true));
        assert_eq!(v[3].1, Leaf::Null);
        assert_eq!(v[4].1, Leaf::List(r#"[1, {"h": 2}]"#));
        assert_eq!(v[5].1, Leaf::Num("-0e+1"));
        assert_eq!(leaves("{}").unwrap(), vec![]);
    }

    #[test]
    fn malformed_lines_say_why_and_where() {
        let e = |s: &str| leaves(s).unwrap_err();
        assert_eq!(e(r#"{"a": 1"#).reason, "expected `,` or `}` after a value");
        assert_eq!(e(r#"{"a": 01}"#).reason, "not a valid JSON number");
        assert_eq!(e(r#"[1, 2]"#).reason, "the line is not a JSON object (it should start with `{`)");
        assert_eq!(e(r#"{"a": 1} x"#), Malformed { reason: "text after the end of the object", at: 9 });
        assert_eq!(e(r#"{"a": "b"#).reason, "a string is not closed");
        assert_eq!(e(r#"{a: 1}"#).reason, "expected a field name in double quotes");
        assert_eq!(e(&format!("{}1{}", "{\"a\":".repeat(70), "}".repeat(70))).reason, "objects nested too deeply");
        assert_eq!(e(r#"{"a": tru}"#).at, 6);
    }
}
