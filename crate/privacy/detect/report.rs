//! The personal-data section of the report, built from the finished counts.
//!
//! **Decision rules** (thresholds are constants below; the glossary repeats them):
//! - a kind *holds* for a column when validated values / non-missing values ≥ [`HOLD`]
//!   (0.8), or ≥ [`HOLD_NAMED`] (0.5) when the column's name names the kind; dates of
//!   birth, postal codes and person names are only looked for in columns named for them.
//!   Checksums are weak filters — Luhn passes about one random number in ten, mod 11 one
//!   in eleven (PRIVACY_RISK §8.13) — so a few validating values never decide;
//! - **direct identifier**: a directly identifying kind holds, or the values validating as
//!   *any* directly identifying kind reach the same shares (a contact column mixing
//!   e-mails and phone numbers), or, in free text, one cell embeds an e-mail address or at
//!   least [`EMBEDDED_SHARE`] (1 %) of cells embed another direct identifier;
//! - **special-category candidate**: see [`super::special`] (listed separately, with the
//!   evidence, Art. 9 and Art. 10 apart);
//! - **quasi-identifier candidate**: a date of birth, postal code or URL holds, or the
//!   name says age, sex, occupation, nationality, place… ([`super::header`]); racial or
//!   ethnic origin columns are quasi-identifiers too (`quasi_identifier: true`);
//! - otherwise none. Every verdict is a candidate the user confirms.
//!
//! Listed kinds: those that hold, those validating in at least 20 % of values, and those
//! whose *shape* at least half the values have while they fail validation (`holds:
//! false`: the decoys — order numbers failing Luhn, IBAN-shaped codes failing MOD 97).

pub use super::evidence::{Evidence, Source, SpecialFinding};
use super::header;
use super::kinds::{Confidence, Kind, N_KINDS};
use super::special::Category;
use super::{Counts, Mode, PiiCounts, Plan};
use crate::report::fmt;
use crate::spec::{Role, ValidSpec};
use serde::{Deserialize, Serialize};

/// Share of validated values at which a kind holds.
pub const HOLD: f64 = 0.8;
/// The same when the column's name names the kind.
pub const HOLD_NAMED: f64 = 0.5;
/// Share of free-text cells with an embedded direct identifier (other than e-mail) that
/// makes the column a direct identifier.
pub const EMBEDDED_SHARE: f64 = 0.01;
/// Share of values validating as a kind for it to be listed although it does not hold.
pub const LIST_SHARE: f64 = 0.2;

const fn direct_mask() -> u32 {
    let mut m = 0;
    let mut i = 0;
    while i < N_KINDS {
        let k = Kind::ALL[i];
        if k.is_direct() {
            m |= k.bit();
        }
        i += 1;
    }
    m
}

/// The directly identifying kinds as a mask.
pub const DIRECT_MASK: u32 = direct_mask();

/// What a column is judged to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Its values point to people by themselves.
    DirectIdentifier,
    /// It may hold special-category (Art. 9) or criminal-offence (Art. 10) data.
    SpecialCategory,
    /// It may single people out in combination with other columns.
    QuasiIdentifier,
    /// Nothing found.
    None,
}

/// One kind found in a column (counts only; values are never kept).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindFinding {
    /// The kind.
    pub kind: Kind,
    /// Non-missing values shaped like it.
    pub matched: u64,
    /// Of those, values that validate.
    pub validated: u64,
    /// validated / non-missing values.
    pub share: f64,
    /// How sure the finding is.
    pub confidence: Confidence,
    /// Whether the kind holds for the column (see the module's rules).
    pub holds: bool,
}

/// Identifiers embedded in free text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbeddedFinding {
    /// The kind.
    pub kind: Kind,
    /// Cells containing at least one.
    pub cells: u64,
    /// Occurrences.
    pub occurrences: u64,
}

/// One column's findings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PiiColumn {
    /// Column name.
    pub column: String,
    /// The verdict for the user to confirm.
    pub verdict: Verdict,
    /// Why, in a sentence.
    pub reason: String,
    /// A quasi-identifier candidate for the re-identification analysis.
    pub quasi_identifier: bool,
    /// Non-missing values scanned (0 for a column not scanned, e.g. a float `age`).
    pub scanned: u64,
    /// Values validating as any directly identifying kind (free text: cells embedding one).
    pub identifying: u64,
    /// Kinds found in whole values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<KindFinding>,
    /// Identifiers embedded in free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embedded: Vec<EmbeddedFinding>,
}

/// The personal-data section (`privacy.personal_data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonalDataReport {
    /// Columns scanned (floats, booleans, ignored columns and dates not named like a birth
    /// date are not).
    pub columns_scanned: usize,
    /// Non-missing cells scanned.
    pub cells_scanned: u64,
    /// Columns with a finding, in file order.
    pub columns: Vec<PiiColumn>,
    /// Special-category and criminal-offence candidates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_categories: Vec<SpecialFinding>,
}

impl PersonalDataReport {
    /// The columns judged direct identifiers.
    pub fn direct_identifiers(&self) -> impl Iterator<Item = &PiiColumn> {
        self.columns.iter().filter(|c| c.verdict == Verdict::DirectIdentifier)
    }
}

fn share(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// (matched, validated) of kind `k`; birth dates are plausible unless after `as_of`.
fn counts_of(c: &Counts, k: Kind, future: Option<u64>) -> (u64, u64) {
    match k {
        Kind::BirthDate => (c.dates[0], c.dates[1].saturating_sub(future.unwrap_or(0))),
        _ => (c.matched[k.index()], c.valid[k.index()]),
    }
}

fn kind_findings(plan: &Plan, c: &Counts, future: Option<u64>) -> Vec<KindFinding> {
    let n = c.present;
    Kind::ALL
        .iter()
        .filter_map(|&k| {
            let (matched, validated) = counts_of(c, k, future);
            let named = plan.context & k.bit() != 0;
            let s = share(validated, n);
            let holds = n > 0 && s >= if named { HOLD_NAMED } else { HOLD } && (named || !k.needs_header());
            let listed = holds || (matched > 0 && (s >= LIST_SHARE || share(matched, n) >= 0.5));
            listed.then(|| KindFinding {
                kind: k,
                matched,
                validated,
                share: s,
                confidence: Confidence::of(k, named),
                holds,
            })
        })
        .collect()
}

fn titles(kinds: impl Iterator<Item = Kind>) -> String {
    kinds.map(Kind::title).collect::<Vec<_>>().join(", ")
}

/// The header word behind a kind's context, for sentences.
fn named(plan: &Plan, name: &str) -> String {
    if plan.context == 0 {
        String::new()
    } else {
        format!("; column name `{name}`")
    }
}

/// One column's verdict and finding (None when there is nothing to say); `special`: its
/// special-category candidates.
fn column(
    spec: &ValidSpec,
    i: usize,
    plan: &Plan,
    c: &Counts,
    future: Option<u64>,
    special: &[SpecialFinding],
) -> Option<PiiColumn> {
    let name = &spec.columns[i].name;
    let kinds = kind_findings(plan, c, future);
    let n = c.present;
    let named_direct = plan.context & DIRECT_MASK != 0;
    let any_ok = n > 0 && share(c.any_direct, n) >= if named_direct { HOLD_NAMED } else { HOLD };
    let holding_direct: Vec<Kind> = kinds.iter().filter(|k| k.holds && k.kind.is_direct()).map(|k| k.kind).collect();
    let embedded: Vec<EmbeddedFinding> = Kind::ALL
        .iter()
        .filter(|k| c.embedded_cells[k.index()] > 0)
        .map(|&k| EmbeddedFinding { kind: k, cells: c.embedded_cells[k.index()], occurrences: c.embedded[k.index()] })
        .collect();
    let embedded_direct =
        c.embedded_cells[Kind::Email.index()] > 0 || (c.embedded_any > 0 && share(c.embedded_any, n) >= EMBEDDED_SHARE);
    let holding_quasi: Vec<Kind> = kinds.iter().filter(|k| k.holds && !k.kind.is_direct()).map(|k| k.kind).collect();
    let qi_word = header::hints(name).qi;
    let (verdict, identifying, reason) = if !holding_direct.is_empty() || any_ok {
        let found = if holding_direct.is_empty() {
            titles(Kind::ALL.into_iter().filter(|k| k.is_direct() && c.valid[k.index()] > 0))
        } else {
            titles(holding_direct.iter().copied())
        };
        let conf = kinds.iter().filter(|k| k.holds).map(|k| k.confidence).max().unwrap_or(Confidence::Pattern);
        let reason = format!(
            "{found}: {} of the non-missing values validate ({}){}",
            fmt::pct_of(c.any_direct, n),
            conf.describe(),
            named(plan, name)
        );
        (Verdict::DirectIdentifier, c.any_direct, reason)
    } else if embedded_direct {
        let found = titles(embedded.iter().filter(|e| e.kind.is_direct()).map(|e| e.kind));
        let reason = format!(
            "free text embedding {found}: {} of the non-missing values contain one",
            fmt::pct_of(c.embedded_any, n)
        );
        (Verdict::DirectIdentifier, c.embedded_any, reason)
    } else if !special.is_empty() {
        let cats: Vec<String> =
            special.iter().map(|s| format!("{} (Art. {})", s.category.title(), s.article)).collect();
        let what = if special.iter().all(|s| s.article == 10) { "criminal-offence data" } else { "special-category" };
        (Verdict::SpecialCategory, 0, format!("{what} candidate: {}", cats.join(", ")))
    } else if !holding_quasi.is_empty() {
        let reason =
            format!("quasi-identifier candidate: {}{}", titles(holding_quasi.iter().copied()), named(plan, name));
        (Verdict::QuasiIdentifier, 0, reason)
    } else if let Some(w) = qi_word {
        (Verdict::QuasiIdentifier, 0, format!("quasi-identifier candidate: the column name says `{w}`"))
    } else {
        (Verdict::None, 0, "no kind holds".to_string())
    };
    let race = special.iter().any(|s| s.category == Category::RacialOrEthnicOrigin);
    let quasi_identifier =
        verdict == Verdict::QuasiIdentifier || (verdict == Verdict::SpecialCategory && (race || qi_word.is_some()));
    if verdict == Verdict::None && kinds.is_empty() && embedded.is_empty() {
        return None;
    }
    let reason = if verdict == Verdict::None {
        let shaped = titles(kinds.iter().map(|k| k.kind));
        format!("values shaped like {shaped} mostly fail validation: not judged personal data")
    } else {
        reason
    };
    Some(PiiColumn {
        column: name.clone(),
        verdict,
        reason,
        quasi_identifier,
        scanned: n,
        identifying,
        kinds,
        embedded,
    })
}

/// Builds the section. `future(i)`: valid dates of column `i` after the as-of date, when
/// counted (they are not plausible birth dates).
pub fn build(spec: &ValidSpec, counts: &PiiCounts, future: &dyn Fn(usize) -> Option<u64>) -> PersonalDataReport {
    let mut columns = Vec::new();
    let mut special_categories = Vec::new();
    for (i, (plan, c)) in counts.plans.iter().zip(&counts.counts).enumerate() {
        if spec.columns[i].role == Role::Ignore {
            continue;
        }
        let s = super::evidence::specials(spec, i, plan, c);
        if let Some(col) = column(spec, i, plan, c, future(i), &s) {
            columns.push(col);
        }
        special_categories.extend(s);
    }
    PersonalDataReport {
        columns_scanned: counts.plans.iter().filter(|p| p.mode != Mode::Skip).count(),
        cells_scanned: counts.counts.iter().map(|c| c.present).sum(),
        columns,
        special_categories,
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
