//! The quality-by-group section: per attribute the group sizes and, per column, missing
//! and unparseable rates per group with the largest gap between groups.

use super::group_quality::{GroupQualityAcc, GroupTally, UNKNOWN};
use serde::{Deserialize, Serialize};

/// One group of an attribute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSize {
    /// The value (or `(unknown)`).
    pub group: String,
    /// True for the rows whose protected value is missing or unparseable.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
    /// Rows.
    pub rows: u64,
}

/// The largest difference of a rate between two groups (max − min over the groups with at
/// least `min_group_size` rows).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// max − min.
    pub gap: f64,
    /// The group with the highest rate (first in group order on ties).
    pub high: String,
    /// Its rate.
    pub high_rate: f64,
    /// Its rows.
    pub high_n: u64,
    /// The group with the lowest rate.
    pub low: String,
    /// Its rate.
    pub low_rate: f64,
    /// Its rows.
    pub low_n: u64,
}

/// One column's counts per group (aligned with the attribute's `groups`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnGroupQuality {
    /// The column.
    pub column: String,
    /// Missing cells per group.
    pub missing: Vec<u64>,
    /// Unparseable cells per group.
    pub unparseable: Vec<u64>,
    /// Largest missing-rate gap (None with fewer than two groups large enough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_gap: Option<Gap>,
    /// Largest unparseable-rate gap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unparseable_gap: Option<Gap>,
}

/// One attribute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttributeQuality {
    /// The protected attribute.
    pub attribute: String,
    /// Groups: known values in value order, then `(unknown)` when it has rows.
    pub groups: Vec<GroupSize>,
    /// Every other column that is not ignored.
    pub columns: Vec<ColumnGroupQuality>,
    /// Why the attribute has no groups, if it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupQualityReport {
    /// Groups with fewer rows are not compared.
    pub min_group_size: u64,
    /// One per attribute.
    pub attributes: Vec<AttributeQuality>,
}

impl GroupQualityReport {
    /// Names a boolean attribute's groups as the file spells them
    /// ([`crate::spec::ValidSpec::level_name`]), in the group list and the gaps.
    pub fn spell(&mut self, spec: &crate::spec::ValidSpec) {
        for a in &mut self.attributes {
            let Some(c) = spec.column_index(&a.attribute) else { continue };
            let name = |g: &mut String| *g = spec.level_name(c, g).to_string();
            a.groups.iter_mut().filter(|g| !g.unknown).for_each(|g| name(&mut g.group));
            for col in &mut a.columns {
                for gap in col.missing_gap.iter_mut().chain(col.unparseable_gap.iter_mut()) {
                    for g in [&mut gap.high, &mut gap.low] {
                        if g != UNKNOWN {
                            name(g);
                        }
                    }
                }
            }
        }
    }
}

/// The largest gap of `count / rows` over the groups with at least `min` rows.
pub fn gap(groups: &[GroupSize], counts: &[u64], min: u64) -> Option<Gap> {
    let rated: Vec<(&GroupSize, f64)> = groups
        .iter()
        .zip(counts)
        .filter(|(g, _)| g.rows >= min.max(1))
        .map(|(g, &c)| (g, c as f64 / g.rows as f64))
        .collect();
    if rated.len() < 2 {
        return None;
    }
    let mut hi = rated[0];
    let mut lo = rated[0];
    for &r in &rated[1..] {
        if r.1 > hi.1 {
            hi = r;
        }
        if r.1 < lo.1 {
            lo = r;
        }
    }
    Some(Gap {
        gap: hi.1 - lo.1,
        high: hi.0.group.clone(),
        high_rate: hi.1,
        high_n: hi.0.rows,
        low: lo.0.group.clone(),
        low_rate: lo.1,
        low_n: lo.0.rows,
    })
}

/// Builds the section.
pub fn build(acc: &GroupQualityAcc) -> GroupQualityReport {
    let name = |i: usize| acc.names.get(i).cloned().unwrap_or_default();
    let attributes = acc
        .attributes
        .iter()
        .map(|at| {
            if at.overflow {
                return AttributeQuality {
                    attribute: name(at.column),
                    groups: Vec::new(),
                    columns: Vec::new(),
                    note: Some(format!(
                        "more than {} distinct values: not broken down",
                        super::group_quality::MAX_GROUPS
                    )),
                };
            }
            let mut tallies: Vec<(GroupSize, &GroupTally)> = at
                .known
                .iter()
                .map(|(k, t)| (GroupSize { group: k.clone(), unknown: false, rows: t.rows }, t))
                .collect();
            if at.unknown.rows > 0 {
                tallies.push((GroupSize { group: UNKNOWN.into(), unknown: true, rows: at.unknown.rows }, &at.unknown));
            }
            let groups: Vec<GroupSize> = tallies.iter().map(|t| t.0.clone()).collect();
            let columns = acc
                .columns
                .iter()
                .enumerate()
                .filter(|(_, &c)| c != at.column)
                .map(|(k, &c)| {
                    let get = |v: &Vec<u64>| v.get(k).copied().unwrap_or(0);
                    let missing: Vec<u64> = tallies.iter().map(|t| get(&t.1.missing)).collect();
                    let unparseable: Vec<u64> = tallies.iter().map(|t| get(&t.1.unparseable)).collect();
                    ColumnGroupQuality {
                        column: name(c),
                        missing_gap: gap(&groups, &missing, acc.min_group_size),
                        unparseable_gap: gap(&groups, &unparseable, acc.min_group_size),
                        missing,
                        unparseable,
                    }
                })
                .collect();
            AttributeQuality { attribute: name(at.column), groups, columns, note: None }
        })
        .collect();
    GroupQualityReport { min_group_size: acc.min_group_size, attributes }
}

/// `group_missing_gap` and `group_unparseable_gap`: one outcome per (attribute, column)
/// with a defined gap whose highest rate is above 0 (columns without such cells in the
/// compared groups are left out, not passed one by one).
pub fn group_gap_outcomes(raw: &super::checks::RawChecks, g: &GroupQualityReport) -> Vec<super::checks::CheckOutcome> {
    let mut out = Vec::new();
    type Pick = fn(&ColumnGroupQuality) -> (Option<&Gap>, &Vec<u64>);
    let kinds: [(&str, &str, Pick); 2] = [
        ("group_missing_gap", "missing", |c| (c.missing_gap.as_ref(), &c.missing)),
        ("group_unparseable_gap", "unparseable", |c| (c.unparseable_gap.as_ref(), &c.unparseable)),
    ];
    for (id, what, pick) in kinds {
        for a in &g.attributes {
            for c in &a.columns {
                let (gap, counts) = pick(c);
                let Some(gap) = gap.filter(|x| x.high_rate > 0.0) else { continue };
                let high = a.groups.iter().position(|x| x.group == gap.high).map_or(0, |k| counts[k]);
                if let Some(mut o) =
                    super::checks::evaluate(raw, id, Some(&c.column), Some(gap.gap), (high, gap.high_n))
                {
                    o.group = Some(a.attribute.clone());
                    o.note = Some(format!(
                        "{} = {}: {:.4} of {} rows {what}; {} = {}: {:.4} of {} rows",
                        a.attribute, gap.high, gap.high_rate, gap.high_n, a.attribute, gap.low, gap.low_rate, gap.low_n
                    ));
                    out.push(o);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_names_both_groups_and_skips_small_ones() {
        let g = |n: &str, rows| GroupSize { group: n.into(), unknown: false, rows };
        let groups = [g("a", 100), g("b", 50), g("c", 5)];
        let x = gap(&groups, &[10, 20, 5], 30).unwrap();
        assert_eq!((x.high.as_str(), x.low.as_str()), ("b", "a"));
        assert!((x.gap - 0.3).abs() < 1e-15);
        assert_eq!((x.high_n, x.low_n), (50, 100));
        assert!(gap(&groups, &[1, 2, 3], 60).is_none());
    }
}
