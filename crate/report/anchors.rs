//! Anchor ids of the HTML report: one function per kind of target, so that a link and its
//! target are always spelled the same way (the table of contents, the executive summary's
//! links to sections, and the links from numbers to their glossary definitions).
//!
//! Ids from names (columns, attributes, glossary terms) keep ASCII letters and digits
//! (lower-cased) and turn every other run of characters into one `-`; when that changed the
//! name, a short hash of the exact name is appended, so two names never share an id
//! (`a b` and `a-b` differ). Ids never contain characters that need escaping in HTML.

/// The executive summary at the top.
pub const SUMMARY: &str = "summary";
/// The scorecard (check outcomes by status and by check).
pub const SCORECARD: &str = "scorecard";
/// The input block (file, rows, dialect).
pub const INPUT: &str = "input";
/// Notices.
pub const NOTICES: &str = "notices";
/// The gate checks table.
pub const CHECKS: &str = "checks";
/// Row-level findings.
pub const FINDINGS: &str = "findings";
/// The bias audit.
pub const BIAS: &str = "bias";
/// The LL144 summary of results.
pub const LL144: &str = "ll144";
/// Drift against a reference file.
pub const DRIFT: &str = "drift";
/// Dataset checks (duplicates, labels, leakage).
pub const DATASET: &str = "dataset";
/// Quality by protected group.
pub const GROUP_QUALITY: &str = "group-quality";
/// Representativeness.
pub const REPRESENTATIVENESS: &str = "representativeness";
/// Correlations.
pub const CORRELATIONS: &str = "correlations";
/// Personal data found in the columns (privacy section).
pub const PRIVACY: &str = "privacy";
/// The per-column profile.
pub const COLUMNS: &str = "columns";
/// The glossary of definitions.
pub const GLOSSARY: &str = "glossary";

/// `prefix-slug` of `name` (see the module doc).
pub fn slug(prefix: &str, name: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + name.len() + 8);
    out.push_str(prefix);
    out.push('-');
    let mut changed = false;
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() {
                changed = true;
            }
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            changed = true;
            if !dash {
                out.push('-');
                dash = true;
            }
        }
    }
    if changed || name.is_empty() {
        out.push_str(&format!("-{:06x}", fnv1a(name) & 0xff_ffff));
    }
    out
}

/// A column's details in the profile.
pub fn column(name: &str) -> String {
    slug("col", name)
}

/// A breakdown of the bias audit (one attribute, or an intersection: names in order).
pub fn breakdown(attributes: &[String]) -> String {
    slug("bias", &attributes.join("\u{1f}"))
}

/// A term of the glossary.
pub fn definition(term: &str) -> String {
    slug("def", term)
}

/// A gate check (by check id and the subject it was evaluated on, e.g. a column).
pub fn check(id: &str, subject: &str) -> String {
    slug("check", &format!("{id}\u{1f}{subject}"))
}

/// The subject of a check outcome for [`check`]: its column (for disparity checks, the
/// attributes), then `\u{1f}` and its group when it has one; empty for file-level checks.
pub fn check_subject(column: Option<&str>, group: Option<&str>) -> String {
    match group {
        Some(g) => format!("{}\u{1f}{g}", column.unwrap_or("")),
        None => column.unwrap_or("").to_string(),
    }
}

/// The anchor of a check outcome (its id and [`check_subject`]).
pub fn check_outcome(o: &crate::quality::checks::CheckOutcome) -> String {
    check(&o.id, &check_subject(o.column.as_deref(), o.group.as_deref()))
}

fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_read_as_themselves() {
        assert_eq!(column("age"), "col-age");
        assert_eq!(definition("ddof"), "def-ddof");
    }

    #[test]
    fn different_names_never_share_an_id() {
        let names = ["a b", "a-b", "a_b", "A b", "ä b", "", " ", "a  b", "Age", "age"];
        let ids: std::collections::BTreeSet<String> = names.iter().map(|n| column(n)).collect();
        assert_eq!(ids.len(), names.len());
        for id in &ids {
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{id}");
        }
    }

    #[test]
    fn intersections_differ_from_joined_names() {
        assert_ne!(breakdown(&["race".into(), "sex".into()]), breakdown(&["race sex".into()]));
        assert_ne!(breakdown(&["race".into(), "sex".into()]), breakdown(&["race-sex".into()]));
    }
}
