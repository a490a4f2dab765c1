//! Attribute disclosure: l-diversity and t-closeness of a sensitive attribute within the
//! equivalence classes (`shared/PRIVACY_RISK.md` §2.4), as ARX defines them.
//!
//! For a class E with value counts sorted descending r₁ ≥ r₂ ≥ … ≥ r_m:
//! - distinct l = min_E m_E (ARX `DistinctLDiversity`, pycanon `l_diversity`);
//! - entropy l = min_E exp(H_E), H_E = −Σ q ln q with the natural log, real-valued (ARX
//!   `EntropyLDiversity`; pycanon floors it to an integer: 1 instead of 1.8899 on §9.2);
//! - recursive (c, l): holds iff r₁ < c·(r_l + … + r_m) in every class (textbook and ARX,
//!   strict); reported as c* = max_E r₁ / (r_l + … + r_m), so it holds for every c > c*
//!   (pycanon sorts the counts ascending and returns another c: 1 on §9.2 where c* = 2);
//! - t-closeness with the equal distance ½ Σ_v |q_{E,v} − p_v| for categorical attributes
//!   (ARX `EqualDistanceTCloseness`) and the ordered distance
//!   (1/(m−1)) Σ_i |Σ_{j≤i} (q_{E,j} − p_j)| over the m values of the whole table in order
//!   for numbers and dates (ARX `OrderedDistanceTCloseness`; rank spacing, not numeric
//!   gaps); t = the largest over classes. Undefined with one value (m − 1 = 0).
//!
//! A missing sensitive value is one more value (it counts as a category; in the ordered
//! distance it ranks below every value, an unparseable one above).

use super::table::ClassTable;
use crate::math::Portable;
use serde::{Deserialize, Serialize};

/// The measures of one sensitive attribute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diversity {
    /// Distinct l.
    pub distinct_l: u64,
    /// Entropy l (real-valued).
    pub entropy_l: f64,
    /// The l of the recursive (c, l) measure.
    pub recursive_l: u64,
    /// c*: recursive (c, l) holds for every c > c*; None when a class has fewer than l values.
    pub recursive_c: Option<f64>,
    /// "equal" or "ordered".
    pub distance: String,
    /// t (None: undefined, one value in the table).
    pub t: Option<f64>,
    /// Largest share of one value in a class (α of (α, k)-anonymity, over all values).
    pub alpha: f64,
}

/// Counts below this get their entropy term cached per class.
const SMALL: usize = 64;

/// The measures of sensitive attribute `a` of `table`; None without classes.
pub fn diversity(table: &ClassTable, a: usize, ordered: bool, recursive_l: u64) -> Option<Diversity> {
    if table.classes.is_empty() || table.sensitive_over_cap {
        return None;
    }
    let m = table.sensitive_values.get(a)?.len();
    // Table-wide counts per value, and the cumulative shares P_i for the ordered distance.
    let mut total = vec![0u64; m];
    for c in &table.classes {
        for &(v, r) in &c.sensitive[a] {
            total[v as usize] += r;
        }
    }
    let n: u64 = total.iter().sum();
    let nf = n as f64;
    let p: Vec<f64> = total.iter().map(|&r| r as f64 / nf).collect();
    let mut cum = Vec::with_capacity(m);
    let mut run = 0u64;
    for &r in &total {
        run += r;
        cum.push(run as f64 / nf);
    }
    // prefix[i] = Σ_{t<i} P_t, to sum |Q − P_t| over a run of indices in O(log m).
    let mut prefix = Vec::with_capacity(m + 1);
    prefix.push(0.0);
    for (i, &c) in cum.iter().enumerate() {
        prefix.push(prefix[i] + c);
    }
    let (mut distinct_l, mut entropy_l, mut c_star, mut t, mut alpha) =
        (u64::MAX, f64::INFINITY, Some(0.0f64), 0.0f64, 0.0f64);
    let mut desc: Vec<u64> = Vec::new();
    // −q ln q of the small counts of the current class, computed once per count (a class
    // of n rows and m values has few distinct counts; the sum keeps its order).
    let mut terms = [f64::NAN; SMALL];
    for class in &table.classes {
        let counts = &class.sensitive[a];
        let size = class.rows as f64;
        distinct_l = distinct_l.min(counts.len() as u64);
        terms.fill(f64::NAN);
        let term = |r: u64, terms: &mut [f64; SMALL]| {
            let q = r as f64 / size;
            match terms.get_mut(r as usize) {
                Some(t) if !t.is_nan() => *t,
                Some(t) => {
                    *t = -q * q.p_ln();
                    *t
                }
                None => -q * q.p_ln(),
            }
        };
        let h: f64 = counts.iter().map(|&(_, r)| term(r, &mut terms)).sum();
        entropy_l = entropy_l.min(h.p_exp());
        desc.clear();
        desc.extend(counts.iter().map(|&(_, r)| r));
        desc.sort_unstable_by(|x, y| y.cmp(x));
        alpha = alpha.max(desc.first().map_or(0.0, |&r| r as f64 / size));
        let tail: u64 = desc.iter().skip(recursive_l.saturating_sub(1) as usize).sum();
        c_star = match (c_star, tail) {
            (Some(c), t) if t > 0 => Some(c.max(desc[0] as f64 / t as f64)),
            _ => None,
        };
        let d = if ordered { ordered_distance(counts, size, &cum, &prefix) } else { equal_distance(counts, size, &p) };
        t = t.max(d);
    }
    Some(Diversity {
        distinct_l,
        entropy_l,
        recursive_l,
        recursive_c: c_star,
        distance: if ordered { "ordered" } else { "equal" }.into(),
        t: if ordered && m < 2 { None } else { Some(t) },
        alpha,
    })
}

/// ½ Σ_v |q_v − p_v| = ½ (Σ_{v in E} |q_v − p_v| + 1 − Σ_{v in E} p_v).
fn equal_distance(counts: &[(u32, u64)], size: f64, p: &[f64]) -> f64 {
    let (mut inside, mut covered) = (0.0, 0.0);
    for &(v, r) in counts {
        let pv = p[v as usize];
        inside += (r as f64 / size - pv).abs();
        covered += pv;
    }
    0.5 * (inside + (1.0 - covered).max(0.0))
}

/// (1/(m−1)) Σ_i |Q_i − P_i|, Q the class's cumulative shares (a step function of the
/// table's value order), summed run by run.
fn ordered_distance(counts: &[(u32, u64)], size: f64, cum: &[f64], prefix: &[f64]) -> f64 {
    let m = cum.len();
    if m < 2 {
        return 0.0;
    }
    let mut sum = 0.0;
    let mut acc = 0u64;
    let mut start = 0usize;
    let mut runs = counts.iter().peekable();
    while start < m {
        // Q is constant from `start` up to the next value of the class (exclusive).
        let end = runs.peek().map_or(m, |&&(v, _)| v as usize);
        if end > start {
            sum += run_abs(acc as f64 / size, start, end, cum, prefix);
            start = end;
        }
        if let Some(&(v, r)) = runs.next() {
            acc += r;
            sum += (acc as f64 / size - cum[v as usize]).abs();
            start = v as usize + 1;
        }
    }
    sum / (m - 1) as f64
}

/// Σ_{i in [lo, hi)} |q − P_i| with P non-decreasing.
fn run_abs(q: f64, lo: usize, hi: usize, cum: &[f64], prefix: &[f64]) -> f64 {
    let split = lo + cum[lo..hi].partition_point(|&c| c <= q);
    let below = (split - lo) as f64 * q - (prefix[split] - prefix[lo]);
    let above = (prefix[hi] - prefix[split]) - (hi - split) as f64 * q;
    below + above
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::risk::table::Class;

    /// `shared/PRIVACY_RISK.md` §9.2 as a table: disease (cancer 0, flu 1, hiv 2) and
    /// salary (values 3..11 → indices 0..8).
    fn example() -> ClassTable {
        let class = |key: u8, rows, d: Vec<(u32, u64)>, s: Vec<(u32, u64)>| Class {
            key: Box::new([key]),
            rows,
            sensitive: vec![d, s],
        };
        let sal = |v: &[u64]| {
            let mut m = std::collections::BTreeMap::new();
            for &x in v {
                *m.entry((x - 3) as u32).or_insert(0u64) += 1;
            }
            m.into_iter().collect::<Vec<_>>()
        };
        // Salaries 3..11 without 10? The table's values: 3,4,5,6,7,8,9,10,11 (m = 9).
        ClassTable {
            rows: 10,
            rows_missing_qi: 0,
            over_cap: false,
            sensitive_over_cap: false,
            classes: vec![
                class(0, 3, vec![(0, 1), (1, 2)], sal(&[3, 4, 5])),
                class(1, 4, vec![(0, 1), (1, 2), (2, 1)], sal(&[6, 8, 11, 9])),
                class(2, 3, vec![(1, 2), (2, 1)], sal(&[7, 10, 3])),
            ],
            sensitive_values: vec![
                vec![Box::new([0]), Box::new([1]), Box::new([2])],
                (0..9u8).map(|i| Box::new([i]) as Box<[u8]>).collect(),
            ],
        }
    }

    #[test]
    fn worked_example_matches_the_textbook_and_arx() {
        let t = example();
        let d = diversity(&t, 0, false, 2).unwrap();
        assert_eq!(d.distinct_l, 2);
        assert!((d.entropy_l - 1.889_881_574_842_31).abs() < 1e-12, "{}", d.entropy_l);
        assert!((d.recursive_c.unwrap() - 2.0).abs() < 1e-15);
        assert!((d.t.unwrap() - 0.2).abs() < 1e-12, "{:?}", d.t);
        assert!((d.alpha - 2.0 / 3.0).abs() < 1e-15);
        let s = diversity(&t, 1, true, 2).unwrap();
        assert!((s.t.unwrap() - 0.325).abs() < 1e-12, "{:?}", s.t);
        assert_eq!(diversity(&t, 0, false, 3).unwrap().recursive_c, None, "class A has 2 values");
    }

    #[test]
    fn sparse_ordered_distance_equals_the_dense_sum() {
        let t = example();
        let total = [2u64, 1, 1, 1, 1, 1, 1, 1, 1];
        let n = 10.0;
        let mut best = 0.0f64;
        for c in &t.classes {
            let mut q = [0u64; 9];
            for &(v, r) in &c.sensitive[1] {
                q[v as usize] = r;
            }
            let (mut cq, mut cp, mut s) = (0.0, 0.0, 0.0);
            for i in 0..9 {
                cq += q[i] as f64 / c.rows as f64;
                cp += total[i] as f64 / n;
                s += f64::abs(cq - cp);
            }
            best = best.max(s / 8.0);
        }
        assert!((diversity(&t, 1, true, 2).unwrap().t.unwrap() - best).abs() < 1e-12);
    }
}
