//! Example values of the preview: a few values of each column from the file's first rows,
//! so that people can check how it was read. It is the user's own file in their own tab,
//! but the report's rule for sensitive values holds here too: values of declared
//! identifiers are never shown, and values of columns that look identifier-like or hold
//! personal data only with `profile.show_sensitive_values`
//! ([`crate::quality::flags::protect`], [`crate::quality::personal`]), judged on the sample:
//! - a declared identifier (type or role `identifier`): never;
//! - a personal-data header (a person's name, contact details, free text), unless the column
//!   is boolean, a date or a float; a free-text column; a string column most of whose sample
//!   values (by count, over half) look like e-mail addresses or phone numbers;
//! - identifier-like in the sample: at least [`IDENTIFIER_MIN_VALUES`] valid values, at
//!   least [`IDENTIFIER_UNIQUE_SHARE`] of them distinct (not floats or booleans);
//! - high-cardinality: a categorical column with more than [`HIGH_CARDINALITY_DISTINCT`]
//!   distinct values, more than half of its valid values distinct.

use super::value::{ColumnType, MissingTokens};
use crate::quality::flags::{HIGH_CARDINALITY_DISTINCT, IDENTIFIER_MIN_VALUES, IDENTIFIER_UNIQUE_SHARE};
use crate::quality::personal::{email_like, header_reason, phone_like};
use crate::spec::Role;
use std::collections::HashSet;

/// Examples shown per column.
pub const EXAMPLES: usize = 3;
/// Characters of an example shown (longer ones end with `…`).
pub const EXAMPLE_CHARS: usize = 40;

/// Why the values of a column are not shown, or None.
fn hidden(name: &str, ty: ColumnType, role: Role, values: &[&str], show: bool) -> Option<String> {
    if ty == ColumnType::Identifier || role == Role::Identifier {
        return Some("a declared identifier: its values are never shown".into());
    }
    if show {
        return None;
    }
    let switch = "shown with “show sensitive values”";
    let numeric_kind = matches!(ty, ColumnType::Boolean | ColumnType::Date | ColumnType::Datetime | ColumnType::Float);
    if let Some(r) = header_reason(name).filter(|_| !numeric_kind) {
        return Some(format!("personal data ({r}); {switch}"));
    }
    if ty == ColumnType::Text {
        return Some(format!("a free-text column; {switch}"));
    }
    let n = values.len();
    if ty == ColumnType::Categorical && n > 0 {
        for (what, test) in [("e-mail addresses", email_like as fn(&str) -> bool), ("phone numbers", phone_like)] {
            if 2 * values.iter().filter(|v| test(v)).count() > n {
                return Some(format!("personal data (most values look like {what}); {switch}"));
            }
        }
    }
    let distinct = values.iter().collect::<HashSet<_>>().len();
    let share = if n == 0 { 0.0 } else { distinct as f64 / n as f64 };
    if !matches!(ty, ColumnType::Float | ColumnType::Boolean)
        && n as u64 >= IDENTIFIER_MIN_VALUES
        && share >= IDENTIFIER_UNIQUE_SHARE
    {
        return Some(format!("identifier-like ({distinct} distinct in {n} values of the sample); {switch}"));
    }
    if ty == ColumnType::Categorical && distinct as u64 > HIGH_CARDINALITY_DISTINCT && share > 0.5 {
        return Some(format!("high-cardinality ({distinct} distinct in {n} values of the sample); {switch}"));
    }
    None
}

fn cut(v: &str) -> String {
    let mut chars = v.chars();
    let head: String = chars.by_ref().take(EXAMPLE_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// The first [`EXAMPLES`] distinct non-missing values of column `i` of the sample rows
/// `data` (in file order, cut to [`EXAMPLE_CHARS`]), or why they are not shown.
pub fn examples(
    name: &str,
    ty: ColumnType,
    role: Role,
    data: &[Vec<String>],
    i: usize,
    missing: &MissingTokens,
    show: bool,
) -> (Vec<String>, Option<String>) {
    let values: Vec<&str> =
        data.iter().filter_map(|r| r.get(i)).map(String::as_str).filter(|v| !missing.is_missing(v)).collect();
    if let Some(why) = hidden(name, ty, role, &values, show) {
        return (Vec::new(), Some(why));
    }
    let mut seen = HashSet::new();
    let out = values.iter().filter(|v| seen.insert(**v)).take(EXAMPLES).map(|v| cut(v)).collect();
    (out, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(values: &[&str]) -> Vec<Vec<String>> {
        values.iter().map(|v| vec![v.to_string()]).collect()
    }

    #[test]
    fn examples_and_the_hidden_rule() {
        let missing = MissingTokens::new(&["", "NA"]);
        let ex = |name: &str, ty, role, data: &[Vec<String>], show| examples(name, ty, role, data, 0, &missing, show);
        let cat = ColumnType::Categorical;
        let (v, why) = ex("city", cat, Role::Feature, &rows(&["Paris", "NA", "Paris", "Lyon", "Nice", "Metz"]), false);
        assert_eq!((v, why), (vec!["Paris".to_string(), "Lyon".into(), "Nice".into()], None));
        let long = "x".repeat(50);
        assert_eq!(ex("c", cat, Role::Feature, &rows(&[&long]), false).0, [format!("{}…", "x".repeat(40))]);
        let names = rows(&["ann", "bob"]);
        assert!(ex("first", cat, Role::Feature, &names, false).1.unwrap().starts_with("personal data"));
        assert_eq!(ex("first", cat, Role::Feature, &names, true).0.len(), 2, "shown on request");
        let id = ex("key", ColumnType::Identifier, Role::Identifier, &names, true);
        assert!(id.0.is_empty() && id.1.unwrap().contains("never"), "declared identifiers stay hidden");
        let mails = rows(&["a@b.org", "c@d.org", "x"]);
        assert!(ex("contact", cat, Role::Feature, &mails, false).1.unwrap().contains("e-mail"));
        let many: Vec<String> = (0..120).map(|i| format!("r{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(ex("code", cat, Role::Feature, &rows(&many), false).1.unwrap().starts_with("identifier-like"));
        assert!(ex("score", ColumnType::Float, Role::Feature, &rows(&many), false).1.is_none());
    }
}
