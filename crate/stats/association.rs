//! Measures of association between two columns: bias-corrected Cramér's V (two
//! categorical columns) and the correlation ratio η (a categorical and a numeric one).
//! Shared by proxy detection (`fairness::proxy_stats`) and the correlation matrix
//! (`quality::correlation_stats`).

use crate::sketch::moments::MomentsAcc;

/// Bias-corrected Cramér's V of a table of counts (rows × columns, every margin > 0).
pub fn cramers_v_corrected(table: &[Vec<u64>]) -> Result<f64, String> {
    let r = table.len();
    let k = table.first().map_or(0, Vec::len);
    if r < 2 || k < 2 {
        return Err(format!("only {} protected and {} column levels: no association to measure", r, k));
    }
    let rows: Vec<f64> = table.iter().map(|row| row.iter().sum::<u64>() as f64).collect();
    let cols: Vec<f64> = (0..k).map(|j| table.iter().map(|row| row[j]).sum::<u64>() as f64).collect();
    let n: f64 = rows.iter().sum();
    if n < 2.0 {
        return Err("fewer than 2 rows".into());
    }
    let mut chi2 = 0.0;
    for (i, row) in table.iter().enumerate() {
        for (j, &o) in row.iter().enumerate() {
            let e = rows[i] * cols[j] / n;
            chi2 += (o as f64 - e).powi(2) / e;
        }
    }
    let (rf, kf) = (r as f64, k as f64);
    let phi2 = (chi2 / n - (kf - 1.0) * (rf - 1.0) / (n - 1.0)).max(0.0);
    let rc = rf - (rf - 1.0).powi(2) / (n - 1.0);
    let kc = kf - (kf - 1.0).powi(2) / (n - 1.0);
    let d = (rc - 1.0).min(kc - 1.0);
    if d <= 0.0 {
        return Err("too few rows for the bias correction (min(r̃−1, k̃−1) ≤ 0)".into());
    }
    Ok((phi2 / d).sqrt().min(1.0))
}

/// Correlation ratio η from per-group moments (groups in a fixed order). Returns
/// (η, rows used, infinite values left out).
pub fn correlation_ratio(groups: &[&MomentsAcc]) -> (Result<f64, String>, u64, u64) {
    let mut total = MomentsAcc::new();
    for g in groups {
        total.merge(g);
    }
    let t = total.finish();
    let infinite = t.positive_infinities + t.negative_infinities;
    let per: Vec<_> = groups.iter().map(|g| g.finish()).filter(|m| m.count > 0).collect();
    let result = match (t.mean, t.variance) {
        _ if per.len() < 2 => Err(format!("{} group(s) with a finite value: no association to measure", per.len())),
        (Some(mean), Some(var)) if var > 0.0 && var.is_finite() => {
            let ss_total = (t.count - 1) as f64 * var;
            let ss_between: f64 = per.iter().filter_map(|m| m.mean.map(|g| m.count as f64 * (g - mean).powi(2))).sum();
            Ok((ss_between / ss_total).clamp(0.0, 1.0).sqrt())
        }
        (Some(_), Some(0.0)) => Err("the column is constant".into()),
        _ => Err("fewer than 2 finite values, or a variance that does not fit a double".into()),
    };
    (result, t.count, infinite)
}
