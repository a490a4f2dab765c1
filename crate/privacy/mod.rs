//! Privacy risk for impact assessments (issue 16): what personal data a file holds.
//!
//! - [`detect`]: personal data per column over every cell — e-mails, phones, IBANs, cards,
//!   national identifiers with their check digits, IP/MAC addresses, URLs, dates of birth,
//!   postal codes, person names — with a verdict per column (direct identifier,
//!   special-category candidate, quasi-identifier candidate) for the user to confirm, and
//!   the special categories of GDPR Art. 9 and criminal offences (Art. 10) listed apart.
//!
//! Definitions: `shared/PRIVACY_RISK.md` §1 and §6. The report section is
//! [`PrivacyReport`] (JSON `privacy`), rendered by `report::html_privacy`; the gate
//! `direct_identifiers` warns once per column judged a direct identifier. **No matched
//! value is ever kept or shown**: the accumulator holds counts only, and
//! [`detect::protect`] hides the values of detected identifiers in the column profiles.

pub mod detect;

use crate::quality::checks::{self, CheckOutcome, RawChecks};
use crate::report::model::{ColumnReport, Definition};
use crate::report::Report;
use crate::spec::ValidSpec;
use serde::{Deserialize, Serialize};

/// The privacy section of a report (`privacy`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivacyReport {
    /// Personal data found per column (`[privacy] detect`, on by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<detect::PersonalDataReport>,
}

/// Every rendering of a report a person or a program can receive — JSON, HTML, JUnit and
/// each CSV table — as (name, text). The canary test (`tests/privacy_detect.rs`) checks
/// that no planted personal value appears in any of them: a new export (the PIA and
/// datasheet drafts) must be added here so that the canary covers it.
pub fn renderings(r: &Report) -> Vec<(String, String)> {
    let mut out = vec![("json".to_string(), r.to_json()), ("html".to_string(), r.to_html())];
    out.push(("junit".to_string(), r.to_junit()));
    for t in crate::report::tables::TABLES {
        if let Ok(csv) = r.to_csv(t) {
            out.push((format!("csv:{t}"), csv));
        }
    }
    out
}

/// Builds the privacy section from the run's personal-data counts, hides detected values
/// in the report's `columns` ([`detect::protect`]), and returns the section with the
/// outcomes of its gate. `future(i)`: valid dates of column `i` after the report's as-of
/// date, when counted (not plausible birth dates).
pub fn section(
    spec: &ValidSpec,
    counts: detect::PiiCounts,
    columns: &mut [ColumnReport],
    future: &dyn Fn(usize) -> Option<u64>,
) -> (PrivacyReport, Vec<CheckOutcome>) {
    let pd = detect::report::build(spec, &counts, future);
    detect::protect::protect(columns, &pd, &counts, spec);
    let outcomes = gate_outcomes(&spec.resolved.checks, &pd);
    (PrivacyReport { personal_data: Some(pd) }, outcomes)
}

/// The `direct_identifiers` gate: one outcome per column judged a direct identifier,
/// observed = values validating as a directly identifying kind (free text: cells embedding
/// one) / non-missing values scanned, violated above the threshold (default 0: any such
/// column warns; a per-column threshold of 1 accepts a column the user has confirmed and
/// protects otherwise).
pub fn gate_outcomes(raw: &RawChecks, pd: &detect::PersonalDataReport) -> Vec<CheckOutcome> {
    pd.direct_identifiers()
        .filter_map(|c| {
            checks::outcome(raw, "direct_identifiers", Some(&c.column), c.identifying, c.scanned).map(|mut o| {
                o.note = Some(c.reason.clone());
                o
            })
        })
        .collect()
}

/// The glossary of the privacy section.
pub fn definitions() -> Vec<Definition> {
    let d = |t: &str, s: &str| Definition { term: t.into(), definition: s.into() };
    vec![
        d("personal data detection", "every non-missing cell of every integer, categorical, identifier and free-text column (and date columns named like a date of birth) is checked by hand-written detectors; floats, booleans, other dates and ignored columns are not scanned. Per column and kind: values shaped like the kind (matched) and values that also pass its validation (validated); share = validated / non-missing values scanned. Counts are exact and the same for any split of the file; no value is kept"),
        d("validated", "passes the kind's check: Luhn with issuer ranges (payment cards), ISO 7064 MOD 97-10 with the registry's country length and structure (IBAN), mod 11 (NHS, BSN 11-proof, CPF), Verhoeff (Aadhaar), date + Luhn (personnummer), mod-23 letter (DNI/NIE), mod-97 key (NIR, Corsica 2A/2B), MOD 11,10 + digit repetition (Steuer-ID); structural rules only for US SSN (python-stdnum's: area not 000/666/9xx, group not 00, serial not 0000, three known invalid numbers; 123-45-6789 accepted), UK NINO, phones (E.164 country code and length, listed national forms), e-mails (public suffix from a shipped list), IP/MAC addresses, URLs (known top-level domain), postal codes, person names and dates of birth (1900-01-01 to the as-of date)"),
        d("confidence", "pattern only (shape and structural rules), pattern and column name, checksum, or checksum and column name (the column name's whole-word tokens name the kind: email, phone, ssn, iban, dob, zip…)"),
        d("direct identifier (verdict)", "a column whose values point to a person by themselves: e-mail, phone, IBAN, card, national ID, IP or MAC address, person name. Judged when a kind's validated share is at least 0.8 (0.5 when the column name names it), or the values validating as any such kind reach that share, or free text embeds an e-mail address in one cell or another such identifier in at least 1 % of cells. Its values are never shown. Gate direct_identifiers"),
        d("quasi-identifier candidate", "a column that can single people out in combination with others: a date of birth, postal code or URL holds, or the column name says age, sex, gender, occupation, nationality, place of birth, city…; racial or ethnic origin columns too. Candidates for the re-identification analysis; the user confirms"),
        d("special-category candidate", "GDPR Art. 9(1) (racial or ethnic origin, political opinions, religious or philosophical beliefs, trade-union membership, genetic data, biometric data, health, sex life or sexual orientation) or criminal offences (Art. 10, listed separately): from the column's name (whole words, en/de/fr/es/nl), its values (at least half are terms of a small vocabulary, with two or more distinct terms and one unambiguous; or ICD-10-shaped codes) and its role (declared protected). Cannot be validated by a pattern: always a candidate for the user to confirm"),
        d("direct_identifiers (check)", "per column judged a direct identifier: values validating as a directly identifying kind / non-missing values scanned; violated above the threshold (default 0, warn); set a per-column threshold of 1 to accept a column you have confirmed and protect"),
    ]
}
