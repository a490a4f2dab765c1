//! The privacy impact assessment draft (`audit --pia-out`, the page's "Download PIA
//! draft"): the sections of GDPR Art. 35(7), in the order of the ICO's steps and the CNIL
//! PIA method (`shared/PRIVACY_RISK.md` §7), filled with what the audit measured and with
//! clearly marked blanks for what only people can write (purpose, legal basis, retention,
//! consultation, measures chosen, sign-off).
//!
//! Built from the finished report alone: nothing that is not already in it — column names,
//! counts, shares and the bias audit's own sentences (which name the groups compared) —
//! never a row, a raw value of a column or a combination of quasi-identifier values
//! (§8.14).

use super::draft::{Block, Draft};
use super::fmt::{count, number, pct, pct_of};
use super::model::Report;
use crate::privacy::risk::RiskReport;
use crate::quality::checks::Status;
use crate::spec::Role;

/// The parameters of a released DP summary, as the PIA lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct DpParams {
    /// `pure` or `zcdp` and the guarantee.
    pub guarantee: String,
    /// The privacy unit.
    pub unit: String,
    /// The releases (their labels).
    pub releases: Vec<String>,
}

/// Reads the parameters of a DP summary from its JSON (`privaudit dp --json`).
pub fn dp_params_from_json(text: &str) -> crate::error::Result<DpParams> {
    let bad = |why: &str| crate::error::Error::spec("--dp-summary", format!("not a privaudit DP summary: {why}"));
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
    if v["schema"].as_str() != Some(crate::dp::DP_SCHEMA) {
        return Err(bad(&format!("its schema is not {}", crate::dp::DP_SCHEMA)));
    }
    let p = &v["privacy"];
    let (eps, delta) = (p["epsilon"].as_f64().ok_or_else(|| bad("no epsilon"))?, p["delta"].as_f64().unwrap_or(0.0));
    let measure = p["measure"].as_str().unwrap_or("pure");
    Ok(DpParams {
        guarantee: format!("{measure} differential privacy, total ε = {}, δ = {}", number(eps), number(delta)),
        unit: format!(
            "{} (at most {} rows per person)",
            p["unit"].as_str().unwrap_or("one row"),
            p["max_rows_per_person"].as_u64().map_or_else(|| "?".into(), count)
        ),
        releases: v["releases"]
            .as_array()
            .map_or_else(Vec::new, |a| a.iter().filter_map(|r| r["label"].as_str().map(String::from)).collect()),
    })
}

/// The facts line that opens both drafts.
pub(crate) fn provenance(r: &Report) -> String {
    let i = &r.input;
    format!(
        "Drafted by privaudit {} from the audit of {} ({} rows × {} columns, {} bytes, SHA-256 {}) started {}. Everything below is in that audit's report: aggregates only (counts, shares, and the group names the bias audit compares), no row of the file.",
        i.tool_version,
        i.file_name,
        count(i.rows),
        count(i.columns as u64),
        count(i.size_bytes),
        i.sha256.as_deref().unwrap_or("not computed"),
        i.started_at.as_deref().unwrap_or("at an unrecorded time")
    )
}

/// The re-identification blocks shared by the PIA and the datasheet.
pub(crate) fn risk_blocks(r: Option<&RiskReport>) -> Vec<Block> {
    let Some(k) = r else {
        return vec![Block::Para("No quasi-identifiers were chosen, so the re-identification risk was not measured. Choose them (privacy.quasi_identifiers, --quasi-identifiers, or the page's Privacy risk panel) and run the audit again.".into())];
    };
    let mut v = vec![Block::Para(format!(
        "Quasi-identifiers: {}. {} rows; {} have a missing quasi-identifier ({}).",
        k.quasi_identifiers.join(", "),
        count(k.rows),
        count(k.rows_missing_qi.rows),
        k.missing_convention
    ))];
    if let Some(n) = &k.note {
        v.push(Block::Para(n.clone()));
    }
    if let (Some(c), Some(p)) = (&k.classes, &k.prosecutor) {
        v.push(Block::Table(
            vec!["Measure".into(), "Value".into()],
            vec![
                vec!["k (smallest class)".into(), count(c.k)],
                vec!["Equivalence classes".into(), count(c.classes)],
                vec!["Sample uniques".into(), pct_of(c.sample_uniques.rows, c.rows)],
                vec!["Rows in classes below 5".into(), pct_of(c.below_5.rows, c.rows)],
                vec!["Prosecutor risk, highest (1 / k)".into(), number(p.highest)],
                vec!["Prosecutor risk, average (over rows)".into(), number(p.average)],
                vec![
                    format!("Records at risk (1 / class size > {})", number(p.threshold)),
                    pct_of(p.records_at_risk.rows, c.rows),
                ],
            ],
        ));
        v.push(Block::Para(k.journalist_marketer.clone()));
    }
    if let Some(p) = &k.population {
        let est = match (p.uniques, p.share) {
            (Some(u), Some(s)) => format!("{} people ({} of the population)", number(u), pct(s)),
            _ => "not estimable".into(),
        };
        v.push(Block::Para(format!(
            "Population uniques, assuming a simple random sample of {} people (π = {}): {est}, by {}. {}",
            count(p.population),
            number(p.sampling_fraction),
            p.model.as_deref().unwrap_or("no model"),
            p.rule
        )));
    }
    let sens: Vec<Vec<String>> = k
        .sensitive_measures
        .iter()
        .map(|s| match &s.measures {
            Some(d) => vec![
                s.column.clone(),
                count(d.distinct_l),
                number(d.entropy_l),
                d.t.map_or_else(|| "undefined".into(), number),
            ],
            None => vec![s.column.clone(), "not computed".into(), String::new(), String::new()],
        })
        .collect();
    if !sens.is_empty() {
        v.push(Block::Table(
            vec!["Sensitive attribute".into(), "Distinct l".into(), "Entropy l".into(), "t-closeness".into()],
            sens,
        ));
    }
    v
}

/// The what-if generalisations as a table.
pub(crate) fn what_if_table(k: &RiskReport) -> Option<Block> {
    let first = k.what_ifs.first()?;
    let rows = k
        .what_ifs
        .iter()
        .map(|w| {
            vec![
                w.steps.join("; "),
                count(w.k),
                pct_of(w.sample_uniques.rows, k.rows),
                pct_of(w.rows_to_suppress.rows, k.rows),
                number(w.non_uniform_entropy),
                number(w.precision),
            ]
        })
        .collect();
    let head = [
        "Generalisation",
        "k",
        "Sample uniques",
        &format!("Rows to suppress for k ≥ {}", first.target_k),
        "Non-uniform entropy (bits)",
        "Precision",
    ];
    Some(Block::Table(head.iter().map(|s| s.to_string()).collect(), rows))
}

/// What personal-data detection found in a column, in words (empty when not run).
fn found(r: &Report, column: &str) -> String {
    use crate::privacy::detect::report::Verdict;
    let Some(pd) = r.privacy.as_ref().and_then(|p| p.personal_data.as_ref()) else { return String::new() };
    let Some(c) = pd.columns.iter().find(|c| c.column == column) else { return "—".into() };
    let verdict = match c.verdict {
        Verdict::DirectIdentifier => "direct identifier",
        Verdict::SpecialCategory => "special-category candidate",
        Verdict::QuasiIdentifier => "quasi-identifier candidate",
        Verdict::None => "",
    };
    let kinds: Vec<String> =
        c.kinds.iter().filter(|k| k.holds).map(|k| format!("{} ({})", k.kind.name(), pct(k.share))).collect();
    [verdict.to_string(), kinds.join(", ")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(": ")
}

/// The personal-data facts of the inventory: direct identifiers, special categories and
/// quasi-identifier candidates from detection, declared identifiers and protected columns.
fn personal_data(r: &Report, k: Option<&RiskReport>) -> Vec<Block> {
    let pd = r.privacy.as_ref().and_then(|p| p.personal_data.as_ref());
    let mut direct: Vec<String> =
        r.columns.iter().filter(|c| c.role == Role::Identifier).map(|c| format!("{} (declared)", c.name)).collect();
    direct.extend(pd.into_iter().flat_map(|p| p.direct_identifiers().map(|c| format!("{} (detected)", c.column))));
    let mut v = vec![Block::Para(if direct.is_empty() {
        "No column is declared or detected as a direct identifier.".into()
    } else {
        format!("Direct identifiers (values never shown in the report): {}.", direct.join(", "))
    })];
    let mut special: Vec<String> = pd
        .into_iter()
        .flat_map(|p| {
            p.special_categories.iter().map(|s| format!("{}: {} (Art. {})", s.column, s.category.title(), s.article))
        })
        .collect();
    special.extend(
        r.columns.iter().filter(|c| c.role == Role::Protected).map(|c| format!("{}: protected attribute", c.name)),
    );
    if !special.is_empty() {
        v.push(Block::Para(
            "Special categories of personal data (GDPR Art. 9) and criminal offences (Art. 10), candidates to confirm:"
                .into(),
        ));
        v.push(Block::List(special));
    }
    if let Some(p) = pd {
        let chosen = |n: &str| k.is_some_and(|k| k.quasi_identifiers.iter().any(|q| q == n));
        let left: Vec<String> =
            p.columns.iter().filter(|c| c.quasi_identifier && !chosen(&c.column)).map(|c| c.column.clone()).collect();
        if !left.is_empty() {
            v.push(Block::Para(format!(
                "Quasi-identifier candidates found by detection but not among the quasi-identifiers measured: {}.",
                left.join(", ")
            )));
        }
    } else {
        v.push(Block::Para("Personal-data detection was off in this run ([privacy] detect = false).".into()));
    }
    v
}

fn inventory(r: &Report, k: Option<&RiskReport>) -> Block {
    let role = |name: &str, role: Role| {
        let mut v = vec![role.name().to_string()];
        if k.is_some_and(|k| k.quasi_identifiers.iter().any(|q| q == name)) {
            v.push("quasi-identifier".into());
        }
        if k.is_some_and(|k| k.sensitive.iter().any(|q| q == name)) {
            v.push("sensitive attribute".into());
        }
        v.join(", ")
    };
    Block::Table(
        vec![
            "Column".into(),
            "Type".into(),
            "Role in the audit".into(),
            "Missing".into(),
            "Distinct values".into(),
            "Personal data found".into(),
        ],
        r.columns
            .iter()
            .map(|c| {
                let d = &c.stats.distinct;
                let distinct = if d.exact { count(d.value) } else { format!("about {}", count(d.value)) };
                vec![
                    c.name.clone(),
                    c.ty.name().into(),
                    role(&c.name, c.role),
                    pct_of(c.stats.missing, c.stats.rows),
                    distinct,
                    found(r, &c.name),
                ]
            })
            .collect(),
    )
}

fn fairness(r: &Report) -> Vec<Block> {
    let Some(b) = &r.bias else {
        return vec![Block::Para("No bias audit was part of this run.".into())];
    };
    let mut sentences = Vec::new();
    for br in &b.breakdowns {
        let vs = br.audit.as_ref().map(|a| &a.vs_reference).or_else(|| br.selection.as_ref().map(|s| &s.vs_reference));
        for m in vs.into_iter().flatten() {
            sentences.extend(m.comparisons.iter().filter_map(|c| c.sentence.clone()));
        }
    }
    let gates: Vec<String> = r
        .checks
        .iter()
        .filter(|o| o.id.starts_with("disparity") && matches!(o.status, Status::Warn | Status::Fail))
        .map(|o| {
            format!(
                "{} {}: {} (threshold {})",
                o.id,
                o.group.as_deref().unwrap_or(""),
                o.observed.map_or_else(|| "skipped".into(), number),
                number(o.threshold)
            )
        })
        .collect();
    let mut v = vec![Block::Para(format!(
        "Bias audit of {} by {}: {} flagged or significant comparison(s), {} disparity gate(s) violated.",
        b.label.as_deref().unwrap_or("the decisions"),
        b.breakdowns.iter().map(|br| br.attributes.join(" × ")).collect::<Vec<_>>().join(", "),
        count(sentences.len() as u64),
        count(gates.len() as u64)
    ))];
    if !sentences.is_empty() {
        v.push(Block::List(sentences));
    }
    if !gates.is_empty() {
        v.push(Block::List(gates));
    }
    v
}

/// The PIA draft of a finished audit report.
pub fn pia(r: &Report, dp: Option<&DpParams>) -> Draft {
    let k = r.privacy.as_ref().and_then(|p| p.risk.as_ref());
    let mut d = Draft {
        title: format!("Data protection impact assessment (draft) — {}", r.input.file_name),
        blocks: Vec::new(),
    };
    d.push(Block::Para(provenance(r)));
    d.push(Block::Para("Structure: GDPR Art. 35(7) (a)–(d), in the order of the ICO's DPIA steps and the CNIL PIA method. Sections marked \"To be written by you\" need the people responsible: privaudit cannot know them.".into()));
    d.push(Block::Heading(2, "1. Description of the processing (Art. 35(7)(a); ICO step 2; CNIL 1)".into()));
    d.push(Block::Blank("the purposes of the processing (and any legitimate interest), the controller, joint controllers and processors, the recipients, and the context (who the people are, what they expect)".into()));
    d.push(Block::Heading(3, "Data inventory".into()));
    d.push(inventory(r, k));
    d.extend_blocks(personal_data(r, k));
    d.push(Block::Blank("retention period, geographical scope, how many people the data concern (the rows count records, not people, when a person can have several), the sources of the data".into()));
    d.push(Block::Heading(2, "2. Necessity and proportionality (Art. 35(7)(b); ICO step 4; CNIL 2)".into()));
    if let Some(t) = k.and_then(what_if_table) {
        d.push(Block::Para("Minimisation: how much re-identification risk each generalisation of the quasi-identifiers removes, and what it costs in detail:".into()));
        d.push(t);
    }
    d.push(Block::Blank("the lawful basis (Art. 6, and Art. 9(2) for special categories), why each column is needed, data quality, how people are informed and exercise their rights, processors' contracts, transfers outside the EU".into()));
    d.push(Block::Heading(
        2,
        "3. Risks to the rights and freedoms of data subjects (Art. 35(7)(c); ICO step 5; CNIL 3)".into(),
    ));
    d.push(Block::Heading(3, "Re-identification (illegitimate access: likelihood)".into()));
    d.extend_blocks(risk_blocks(k));
    d.push(Block::Heading(3, "Fairness findings".into()));
    d.extend_blocks(fairness(r));
    let issues = r.checks.iter().filter(|o| matches!(o.status, Status::Warn | Status::Fail)).count();
    d.push(Block::Heading(3, "Data quality (accuracy)".into()));
    d.push(Block::Para(format!(
        "{} of {} checks warn or fail; see the audit report's scorecard.",
        count(issues as u64),
        count(r.checks.len() as u64)
    )));
    d.push(Block::Blank("for each risk (illegitimate access, unwanted modification, disappearance of data): the impacts on people, the threats and risk sources, severity and likelihood, and the overall risk".into()));
    d.push(Block::Heading(2, "4. Measures envisaged (Art. 35(7)(d); ICO step 6; CNIL 3.1)".into()));
    d.push(Block::Para(match dp {
        Some(p) => format!(
            "A differentially private summary was released: {}; privacy unit: {}; releases: {}.",
            p.guarantee,
            p.unit,
            p.releases.join(", ")
        ),
        None => "No differentially private summary was released in this run.".into(),
    }));
    d.push(Block::Blank("the measures chosen (generalisation levels, suppression, access control, pseudonymisation, a DP release instead of microdata), their effect on each risk, and the residual risk".into()));
    d.push(Block::Heading(2, "5. Sign-off (ICO step 7; CNIL 4)".into()));
    d.push(Block::Blank("measures approved by (name, date); residual risks approved by (name, date); the DPO's advice and whether it was followed; whether the supervisory authority must be consulted (Art. 36: high residual risk)".into()));
    d
}

impl Draft {
    /// Appends several blocks.
    pub fn extend_blocks(&mut self, blocks: Vec<Block>) {
        self.blocks.extend(blocks);
    }
}
