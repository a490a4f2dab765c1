//! The datasheet draft (`audit --datasheet-out`, the page's "Download datasheet draft"):
//! the seven sections of Gebru et al., *Datasheets for Datasets* (arXiv:1803.09010 v8),
//! with what the audit can fill — composition, missing data, the collection period from
//! date columns, sensitive attributes, known quality issues, re-identification — and
//! marked blanks for the rest (motivation, collection, uses, distribution, maintenance).
//!
//! Aggregates only, from the report: the collection period is given by month, and only
//! for date columns whose range the report shows and that are neither quasi-identifiers
//! nor sensitive nor named like a birth date (a birth date's range is a person's value).

use super::draft::{Block, Draft};
use super::fmt::{count, pct_of};
use super::model::Report;
use super::pia::{provenance, risk_blocks};
use crate::ingest::value::ColumnType;
use crate::quality::checks::Status;
use crate::spec::Role;

/// True when a column name says it holds birth dates (whole-word tokens).
fn is_birth_name(name: &str) -> bool {
    crate::privacy::risk::ladder::name_tokens(name).iter().any(|t| {
        matches!(
            t.as_str(),
            "dob"
                | "birth"
                | "birthday"
                | "birthdate"
                | "born"
                | "geburtsdatum"
                | "naissance"
                | "nacimiento"
                | "geboortedatum"
        )
    })
}

fn period(r: &Report) -> Vec<String> {
    let k = r.privacy.as_ref().and_then(|p| p.risk.as_ref());
    let chosen = |name: &str| k.is_some_and(|k| k.quasi_identifiers.iter().chain(&k.sensitive).any(|q| q == name));
    r.columns
        .iter()
        .filter(|c| {
            matches!(c.ty, ColumnType::Date | ColumnType::Datetime)
                && c.role != Role::Identifier
                && c.hidden.is_empty()
                && !chosen(&c.name)
                && !is_birth_name(&c.name)
        })
        .filter_map(|c| {
            let t = c.stats.temporal.as_ref()?;
            Some(format!("{}: {} to {} (by month)", c.name, t.min.get(..7)?, t.max.get(..7)?))
        })
        .collect()
}

/// The datasheet draft of a finished audit report.
pub fn datasheet(r: &Report) -> Draft {
    let k = r.privacy.as_ref().and_then(|p| p.risk.as_ref());
    let mut d = Draft { title: format!("Datasheet (draft) — {}", r.input.file_name), blocks: Vec::new() };
    d.push(Block::Para(provenance(r)));
    d.push(Block::Para("Sections of Gebru et al., Datasheets for Datasets (2021). Sections marked \"To be written by you\" need the people who made the dataset.".into()));
    d.push(Block::Heading(2, "Motivation".into()));
    d.push(Block::Blank("for what purpose the dataset was created, by whom, and who funded it".into()));
    d.push(Block::Heading(2, "Composition".into()));
    d.push(Block::Para(format!(
        "{} instances (rows) with {} attributes (columns). Whether a row is one person or an event is for you to say below.",
        count(r.input.rows),
        count(r.input.columns as u64)
    )));
    d.push(Block::Table(
        vec!["Column".into(), "Type".into(), "Role".into(), "Missing".into(), "Unparseable".into()],
        r.columns
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.ty.name().into(),
                    c.role.name().into(),
                    pct_of(c.stats.missing, c.stats.rows),
                    count(c.stats.unparseable),
                ]
            })
            .collect(),
    ));
    let missing: Vec<String> = r
        .columns
        .iter()
        .filter(|c| c.stats.missing > 0)
        .map(|c| format!("{}: {} missing", c.name, pct_of(c.stats.missing, c.stats.rows)))
        .collect();
    d.push(Block::Heading(3, "Is any information missing from individual instances?".into()));
    d.push(if missing.is_empty() { Block::Para("No column has missing values.".into()) } else { Block::List(missing) });
    d.push(Block::Heading(3, "Are there errors, sources of noise, or redundancies?".into()));
    let mut issues: Vec<String> = r
        .checks
        .iter()
        .filter(|o| matches!(o.status, Status::Warn | Status::Fail))
        .map(|o| {
            format!(
                "{}{}: {}",
                o.title,
                o.column.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(),
                if o.status == Status::Fail { "fails" } else { "warns" }
            )
        })
        .collect();
    issues.extend(r.findings.iter().filter(|f| f.count > 0).map(|f| format!("{}: {}", f.title, count(f.count))));
    d.push(if issues.is_empty() {
        Block::Para("Every check passed; no row-level finding.".into())
    } else {
        Block::List(issues)
    });
    d.push(Block::Heading(3, "Does the dataset identify sub-populations, or contain sensitive data?".into()));
    let mut sensitive: Vec<String> = r
        .columns
        .iter()
        .filter(|c| c.role == Role::Protected)
        .map(|c| format!("{}: protected attribute (a candidate special category, GDPR Art. 9)", c.name))
        .collect();
    sensitive.extend(k.into_iter().flat_map(|k| {
        k.sensitive.iter().map(|s| format!("{s}: sensitive attribute of the re-identification analysis"))
    }));
    d.push(if sensitive.is_empty() {
        Block::Para("No column is marked protected or sensitive in this audit.".into())
    } else {
        Block::List(sensitive)
    });
    d.push(Block::Blank("which other attributes are sensitive (health, finances, government IDs, criminal history…), and which sub-populations the data describe".into()));
    d.push(Block::Heading(3, "Is it possible to identify individuals, directly or indirectly?".into()));
    d.extend_blocks(risk_blocks(k));
    d.push(Block::Heading(2, "Collection process".into()));
    let p = period(r);
    d.push(if p.is_empty() { Block::Para("No date column gives a collection period.".into()) } else { Block::List(p) });
    d.push(Block::Blank("how the data were collected, by whom, over what timeframe, whether people were told and consented, and whether an impact analysis was done".into()));
    d.push(Block::Heading(2, "Preprocessing, cleaning, labeling".into()));
    d.push(Block::Para(format!(
        "As read by privaudit: encoding {}, delimiter {}, missing tokens {}.",
        r.input.encoding,
        r.input.dialect.delimiter,
        r.input.spec.input.missing_tokens.as_ref().map_or_else(|| "the defaults".into(), |t| t.join(", "))
    )));
    d.push(Block::Blank(
        "what preprocessing, cleaning or labeling was done, and whether the raw data were kept".into(),
    ));
    for (h, blank) in [
        ("Uses", "what the dataset has been and should (not) be used for"),
        ("Distribution", "to whom, how and under which licence the dataset is distributed"),
        ("Maintenance", "who maintains the dataset, how errors are corrected, and how long it is kept"),
    ] {
        d.push(Block::Heading(2, h.into()));
        d.push(Block::Blank(blank.into()));
    }
    d
}
