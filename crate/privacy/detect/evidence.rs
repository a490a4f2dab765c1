//! Evidence for special-category (Art. 9) and criminal-offence (Art. 10) candidates: the
//! column's name, values and role (rules in [`super::special`]).

use super::header;
use super::special::{self, Category};
use super::{Counts, Mode, Plan};
use crate::report::fmt;
use crate::spec::{Role, ValidSpec};
use serde::{Deserialize, Serialize};

/// Where evidence for a special category comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The column's role in the spec.
    Role,
    /// The column's name.
    Header,
    /// The column's values.
    Values,
}

/// One piece of evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Where it comes from.
    pub source: Source,
    /// What was seen (never a value).
    pub detail: String,
}

/// A special-category (Art. 9) or criminal-offence (Art. 10) candidate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpecialFinding {
    /// Column name.
    pub column: String,
    /// Category.
    pub category: Category,
    /// GDPR article: 9 or 10.
    pub article: u8,
    /// The evidence.
    pub evidence: Vec<Evidence>,
}

fn share(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// The special-category candidates of column `i`.
pub fn specials(spec: &ValidSpec, i: usize, plan: &Plan, c: &Counts) -> Vec<SpecialFinding> {
    let col = &spec.columns[i];
    let tokens = header::tokens(&col.name);
    let mut found: Vec<SpecialFinding> = Vec::new();
    let mut add =
        |category: Category, source: Source, detail: String| match found.iter_mut().find(|f| f.category == category) {
            Some(f) => f.evidence.push(Evidence { source, detail }),
            None => found.push(SpecialFinding {
                column: col.name.clone(),
                category,
                article: category.article(),
                evidence: vec![Evidence { source, detail }],
            }),
        };
    for (category, word) in special::from_header(&tokens) {
        add(category, Source::Header, format!("the column name holds the word `{word}`"));
    }
    if plan.mode == Mode::Categories && c.present > 0 {
        for &category in &Category::LISTED {
            let (cells, terms) = (c.vocab_cells[category.index()], c.vocab_terms[category.index()]);
            let distinct = terms.count_ones();
            if share(cells, c.present) >= 0.5 && distinct >= 2 && terms & special::strong_mask(category) != 0 {
                let what = category.title();
                add(
                    category,
                    Source::Values,
                    format!(
                        "{} of the non-missing values are {what} terms ({distinct} distinct terms)",
                        fmt::pct_of(cells, c.present)
                    ),
                );
            }
        }
        let (icd, dotted) = (c.icd[0], c.icd[1]);
        if share(icd, c.present) >= 0.8 && dotted * 5 >= icd {
            add(
                Category::Health,
                Source::Values,
                format!("{} of the non-missing values are shaped like ICD-10 codes", fmt::pct_of(icd, c.present)),
            );
        }
    }
    let protected = col.role == Role::Protected || spec.group_attributes().contains(&i);
    if protected {
        let not_special = matches!(
            header::hints(&col.name).qi,
            Some(
                "age"
                    | "ages"
                    | "sex"
                    | "gender"
                    | "geschlecht"
                    | "sexe"
                    | "sexo"
                    | "geslacht"
                    | "alter"
                    | "edad"
                    | "leeftijd"
            )
        );
        if !found.is_empty() {
            for f in &mut found {
                f.evidence.push(Evidence {
                    source: Source::Role,
                    detail: "declared a protected attribute in the spec".into(),
                });
            }
        } else if !not_special {
            found.push(SpecialFinding {
                column: col.name.clone(),
                category: Category::Unspecified,
                article: 9,
                evidence: vec![Evidence {
                    source: Source::Role,
                    detail: "declared a protected attribute in the spec; neither its name nor its values tell which category".into(),
                }],
            });
        }
    }
    found
}
