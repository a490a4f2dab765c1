//! Kamiran & Calders (2012) reweighing, as AIF360 `Reweighing`
//! (`aif360/algorithms/preprocessing/reweighing.py`).
//!
//! Each row of group g with label y gets the weight
//! w(g, y) = n_y · n_g / (n · n_{g,y}) — the count expected if label and group were
//! independent, over the count observed. After weighting, every group has the overall
//! base rate. AIF360 does this for one privileged and one unprivileged group; here every
//! group of the breakdown gets its weights (n counts every row passed in, as AIF360's n
//! counts every row of the data set). The weight is undefined (None) when n_{g,y} = 0:
//! no row would carry it.

use super::counts::{Confusion, GroupKey};
use serde::{Deserialize, Serialize};

/// The reweighing weight of one (group, label) cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReweighingWeight {
    /// The group.
    pub group: GroupKey,
    /// The label (true = positive class).
    pub label: bool,
    /// n_{g,y}: rows of the group with this label.
    pub count: u64,
    /// n_y · n_g / (n · n_{g,y}), None when n_{g,y} = 0.
    pub weight: Option<f64>,
}

/// Reweighing weights for every group and both labels, from per-group confusion counts
/// (only the label counts are used).
pub fn reweighing(groups: &[(GroupKey, Confusion)]) -> Vec<ReweighingWeight> {
    let n: u64 = groups.iter().map(|g| g.1.n()).sum();
    let n_pos: u64 = groups.iter().map(|g| g.1.label_positive()).sum();
    let n_neg = n - n_pos;
    let mut out = Vec::with_capacity(groups.len() * 2);
    for (key, c) in groups {
        for (label, n_y, n_gy) in [(true, n_pos, c.label_positive()), (false, n_neg, c.label_negative())] {
            let weight = if n_gy == 0 { None } else { Some((n_y as f64 * c.n() as f64) / (n as f64 * n_gy as f64)) };
            out.push(ReweighingWeight { group: key.clone(), label, count: n_gy, weight });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_base_rates_equal_overall() {
        let groups = vec![
            (GroupKey::known(&["a"]), Confusion::new(30, 10, 50, 10)),
            (GroupKey::known(&["b"]), Confusion::new(2, 1, 6, 1)),
        ];
        let w = reweighing(&groups);
        // overall base rate: 43 / 110
        for g in 0..2 {
            let (pos, neg) = (&w[2 * g], &w[2 * g + 1]);
            let wp = pos.weight.unwrap() * pos.count as f64;
            let wn = neg.weight.unwrap() * neg.count as f64;
            assert!((wp / (wp + wn) - 43.0 / 110.0).abs() < 1e-15);
        }
        let empty = reweighing(&[(GroupKey::known(&["c"]), Confusion::new(0, 0, 3, 0))]);
        assert_eq!(empty[0].weight, None);
        assert_eq!(empty[1].weight, Some(1.0));
    }
}
