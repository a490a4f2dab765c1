//! The `personal_data` flag: columns whose values are people's names, contact details or
//! free text. Their values are hidden in the report like identifiers' unless
//! `profile.show_sensitive_values` ([`super::flags::protect`]).
//!
//! The rule (documented in the glossary from [`DEFINITION`]):
//! 1. *header*: the column name, lower-cased and split into words at every character that
//!    is not a letter or digit and at lower→upper case changes (`firstName` → `first name`),
//!    is a person's name (`name`, `names`, `first`, `last`, `surname`, `forename`, `first name`,
//!    `last name`, `full name`, `given name`, `family name`, `middle name`, `maiden name`,
//!    `nickname`, `firstname`, `lastname`, `fullname`, `username`, `user name`), or has a
//!    contact word (`email`, `e mail`, `mail`, `address`, `street`, `phone`, `telephone`,
//!    `mobile`) or a free-text word (`comment`, `comments`, `note`, `notes`,
//!    `description`, `remark`, `remarks`, `memo`, `narrative`); such a column is flagged
//!    unless it is boolean, a date or a float (a header like `phone_verified` of type
//!    boolean holds no personal value);
//! 2. *type*: a free-text column (type `text`);
//! 3. *value shape*: a string column whose most frequent values (the top values kept by the
//!    profile) are mostly (by count, over half) e-mail addresses (`x@y.z`) or phone numbers
//!    (7–15 digits with only `+ ( ) -` and spaces besides, not shaped like a date).
//!
//! Declared identifiers (type or role) are hidden already and are not flagged again.
//!
//! **One rule with personal-data detection** (`crate::privacy::detect::protect`): a column
//! detection judges a direct identifier is flagged `personal_data` as well (evidence: the
//! detection's reason) and loses every value whatever `profile.show_sensitive_values`;
//! the rules above are the broader, heuristic half, reversible with that switch, and the
//! only one when detection is off.

use crate::ingest::value::ColumnType;
use crate::quality::profile::ColumnStats;

/// The glossary definition of the flag.
pub const DEFINITION: &str = "values that are people's names, contact details or free text: the header names a person (name, first, last, surname, forename, first/last/full/given/family/middle name, username, …) or contact details (email, mail, address, street, phone, telephone, mobile) or free text (comment, note, description, remark, memo, narrative) — words split at non-letters and case changes, not for boolean, date or float columns; or the column is free text (type text); or most of its top values (by count) look like e-mail addresses or phone numbers. Their top values, ranges and spellings are hidden like identifiers' unless profile.show_sensitive_values. A column that personal-data detection ([privacy] detect) judges a direct identifier carries the flag too, and its values are never shown, whatever profile.show_sensitive_values";

const NAME_PHRASES: &[&str] = &[
    "name",
    "names",
    "first",
    "last",
    "surname",
    "forename",
    "forenames",
    "firstname",
    "lastname",
    "fullname",
    "nickname",
    "username",
    "first name",
    "last name",
    "full name",
    "given name",
    "family name",
    "middle name",
    "maiden name",
    "user name",
];

/// Words that name a person's name wherever they stand in a header (`applicant_surname`).
const NAME_WORDS: &[&str] =
    &["surname", "forename", "forenames", "firstname", "lastname", "fullname", "nickname", "username"];

const CONTACT_WORDS: &[&str] = &["email", "mail", "address", "street", "phone", "telephone", "mobile"];
const TEXT_WORDS: &[&str] =
    &["comment", "comments", "note", "notes", "description", "remark", "remarks", "memo", "narrative"];

/// The words of a column name: lower-case, split at non-alphanumerics and at lower→upper
/// case changes.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Why the header `name` names personal data (a person's name, contact details or free
/// text), if it does (rule 1 of the module doc, without the type condition).
pub fn header_reason(name: &str) -> Option<String> {
    let w = words(name);
    let phrase = w.join(" ");
    // "e mail" and "e-mail" read as "email".
    let joined = phrase.replace("e mail", "email");
    if NAME_PHRASES.contains(&joined.as_str()) || w.iter().any(|x| NAME_WORDS.contains(&x.as_str())) {
        return Some(format!("the header `{name}` names a person's name"));
    }
    let ws: Vec<&str> = joined.split(' ').collect();
    if ws.len() >= 2
        && ws[ws.len() - 1] == "name"
        && matches!(
            ws[ws.len() - 2],
            "first"
                | "last"
                | "full"
                | "given"
                | "family"
                | "middle"
                | "maiden"
                | "user"
                | "person"
                | "customer"
                | "applicant"
                | "patient"
                | "employee"
                | "client"
        )
    {
        return Some(format!("the header `{name}` names a person's name"));
    }
    if let Some(word) = ws.iter().find(|x| CONTACT_WORDS.contains(x)) {
        return Some(format!("the header `{name}` names contact details ({word})"));
    }
    if let Some(word) = ws.iter().find(|x| TEXT_WORDS.contains(x)) {
        return Some(format!("the header `{name}` names free text ({word})"));
    }
    None
}

/// An e-mail address: one `@` with text before it and a dot in the domain after it.
pub(crate) fn email_like(v: &str) -> bool {
    let v = v.trim();
    match v.split_once('@') {
        Some((user, domain)) => !user.is_empty() && !v.contains(' ') && domain.contains('.') && !domain.contains('@'),
        None => false,
    }
}

/// A phone number: 7–15 digits, otherwise only `+ ( ) -` and spaces, at least one of them,
/// and not shaped like a date (`2024-01-05`, `05-01-2024`).
pub(crate) fn phone_like(v: &str) -> bool {
    let v = v.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let groups: Vec<usize> = v.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).map(str::len).collect();
    let date_shaped = groups.len() == 3 && (groups[0] == 4 || groups[2] == 4) && groups.iter().all(|&g| g <= 4);
    (7..=15).contains(&digits)
        && v.chars().all(|c| c.is_ascii_digit() || "+()- ".contains(c))
        && v.chars().any(|c| !c.is_ascii_digit())
        && !date_shaped
}

fn shape_reason(stats: &ColumnStats) -> Option<String> {
    let top = stats.top_values.as_ref().or(stats.frequent_values.as_ref())?;
    let total: u64 = top.iter().map(|v| v.count).sum();
    if total == 0 {
        return None;
    }
    for (what, test) in [("e-mail addresses", email_like as fn(&str) -> bool), ("phone numbers", phone_like)] {
        let n: u64 = top.iter().filter(|v| test(&v.value)).map(|v| v.count).sum();
        if 2 * n > total {
            return Some(format!("most of its frequent values look like {what}"));
        }
    }
    None
}

/// Why a column holds personal data (names, contact details, free text), if it does.
/// `stats` has the complete value counts (before the report truncates them).
pub fn personal_data(name: &str, ty: ColumnType, stats: &ColumnStats) -> Option<String> {
    if matches!(ty, ColumnType::Identifier | ColumnType::Boolean | ColumnType::Date | ColumnType::Datetime) {
        return None;
    }
    if ty != ColumnType::Float {
        if let Some(r) = header_reason(name) {
            return Some(r);
        }
    }
    if ty == ColumnType::Text {
        return Some("a free-text column".into());
    }
    if matches!(ty, ColumnType::Categorical) {
        return shape_reason(stats);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[(&str, u64)]) -> ColumnStats {
        let mut s = ColumnStats::counts(
            10,
            10,
            0,
            0,
            crate::sketch::distinct::Distinct { value: values.len() as u64, exact: true, relative_standard_error: 0.0 },
        );
        s.top_values = Some(
            values.iter().map(|(v, c)| crate::sketch::top_k::ValueCount { value: (*v).into(), count: *c }).collect(),
        );
        s
    }

    #[test]
    fn header_hints_name_people_contacts_and_free_text() {
        let s = strings(&[("a", 1)]);
        let cat = ColumnType::Categorical;
        for name in [
            "first",
            "last",
            "name",
            "first_name",
            "LastName",
            "surname",
            "Full Name",
            "email",
            "E-mail",
            "home_address",
            "phone",
            "customer_name",
            "notes",
            "comment",
            "description",
        ] {
            assert!(personal_data(name, cat, &s).is_some(), "{name}");
        }
        for name in
            ["race", "sex", "c_charge_desc", "first_seen", "last_login", "zip_code", "decision", "named_entity_count"]
        {
            assert_eq!(personal_data(name, cat, &s), None, "{name}");
        }
        assert_eq!(words("firstName_2"), vec!["first", "name", "2"]);
        // Booleans and dates hold no personal value even under a personal header.
        assert_eq!(personal_data("phone", ColumnType::Boolean, &s), None);
        assert_eq!(personal_data("email", ColumnType::Date, &s), None);
        assert!(personal_data("phone", ColumnType::Integer, &s).is_some());
        assert!(personal_data("remarks", ColumnType::Text, &s).is_some());
        assert!(personal_data("anything", ColumnType::Text, &s).unwrap().contains("free-text"));
    }

    #[test]
    fn value_shapes_find_emails_and_phones() {
        let cat = ColumnType::Categorical;
        let e = strings(&[("ann@example.org", 5), ("bo@x.co", 3), ("n/a", 2)]);
        assert!(personal_data("contact", cat, &e).unwrap().contains("e-mail"));
        let p = strings(&[("+1 (212) 555-0100", 4), ("030 1234567", 4), ("unknown", 3)]);
        assert!(personal_data("contact", cat, &p).unwrap().contains("phone"));
        let plain = strings(&[("20240101", 6), ("a@b", 5)]);
        assert_eq!(personal_data("contact", cat, &plain), None);
        let dates = strings(&[("2024-01-05", 6), ("05-01-2024", 5), ("01/02/2023", 4)]);
        assert_eq!(personal_data("when", cat, &dates), None);
    }
}
