//! The "Privacy risk: re-identification" section of the HTML report: class sizes,
//! prosecutor risk, population uniqueness, l-diversity and t-closeness, and the what-if
//! generalisations — aggregates only, no combination of values (`shared/PRIVACY_RISK.md`
//! §8.14). Every name goes through [`esc`].

use super::fmt::{count, number, pct, pct_of};
use super::html::esc;
use crate::privacy::risk::measures::RowShare;
use crate::privacy::risk::RiskReport;
use std::fmt::Write;

fn rows(s: &RowShare, n: u64) -> String {
    pct_of(s.rows, n)
}

fn fact(h: &mut String, k: &str, v: &str) {
    let _ = write!(h, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", esc(k), esc(v));
}

/// Appends the section.
pub fn render(h: &mut String, r: &RiskReport) {
    h.push_str("<h2>Privacy risk: re-identification</h2>");
    h.push_str("<p class=\"muted\">Exact counts for the data owner's impact assessment, not for publication: they are facts about the people in the file. No combination of values is shown.</p><table><tbody>");
    fact(h, "Quasi-identifiers", &r.quasi_identifiers.join(", "));
    if !r.sensitive.is_empty() {
        fact(h, "Sensitive attributes", &r.sensitive.join(", "));
    }
    fact(h, "Rows", &count(r.rows));
    fact(h, "Rows with a missing quasi-identifier", &rows(&r.rows_missing_qi, r.rows));
    fact(h, "Missing values", &r.missing_convention);
    fact(h, "Memory cap", &format!("{} distinct combinations (privacy.max_classes)", count(r.max_classes)));
    h.push_str("</tbody></table>");
    if let Some(n) = &r.note {
        let _ = write!(h, "<p class=\"warn\"><b>{}</b></p>", esc(n));
    }
    if let Some(p) = &r.person {
        let _ =
            write!(h, "<p class=\"{}\">{}</p>", if p.persons.value < p.rows { "warn" } else { "muted" }, esc(&p.note));
    }
    classes(h, r);
    population(h, r);
    sensitive(h, r);
    what_ifs(h, r);
}

fn classes(h: &mut String, r: &RiskReport) {
    let (Some(c), Some(p)) = (&r.classes, &r.prosecutor) else { return };
    h.push_str("<h3>Equivalence classes</h3><table><tbody>");
    fact(h, "k (smallest class)", &count(c.k));
    fact(h, "Classes", &count(c.classes));
    fact(h, "Largest class", &count(c.largest));
    fact(h, "Sample uniques (class of 1)", &rows(&c.sample_uniques, c.rows));
    fact(h, "Rows in classes below 5", &rows(&c.below_5, c.rows));
    fact(h, "Rows in classes below 10", &rows(&c.below_10, c.rows));
    fact(h, "α-distinction (classes / rows)", &number(c.distinction));
    fact(
        h,
        "α-separation (pairs told apart)",
        &c.separation.map_or_else(|| "undefined (fewer than 2 rows)".into(), number),
    );
    h.push_str(
        "</tbody></table><table><thead><tr><th>Class size</th><th>Classes</th><th>Rows</th></tr></thead><tbody>",
    );
    for b in &c.histogram {
        let size = match b.max_size {
            Some(m) if m == b.min_size => count(m),
            Some(m) => format!("{}–{}", count(b.min_size), count(m)),
            None => format!("{} or more", count(b.min_size)),
        };
        let _ = write!(
            h,
            "<tr><td>{size}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            count(b.classes),
            esc(&pct_of(b.rows, c.rows))
        );
    }
    h.push_str("</tbody></table><h3>Prosecutor risk</h3><table><tbody>");
    fact(h, "Highest (1 / k)", &number(p.highest));
    fact(h, "Average (classes / rows, over rows)", &number(p.average));
    fact(h, "Lowest (1 / largest class)", &number(p.lowest));
    fact(
        h,
        &format!("Records at risk (1 / class size > τ = {})", number(p.threshold)),
        &rows(&p.records_at_risk, c.rows),
    );
    fact(h, "Records at the highest risk", &rows(&p.records_at_highest_risk, c.rows));
    h.push_str("</tbody></table>");
    let _ = write!(h, "<p>{}</p>", esc(&r.journalist_marketer));
}

fn estimate_text(u: Option<f64>, share: Option<f64>) -> String {
    match (u, share) {
        (Some(u), Some(s)) => format!("{} people ({} of the population)", number(u), pct(s)),
        _ => "not estimable".into(),
    }
}

fn population(h: &mut String, r: &RiskReport) {
    let Some(p) = &r.population else { return };
    let _ = write!(
        h,
        "<h3>Population uniques</h3><p>Assuming the file is a simple random sample of a population of {} people (π = {}): <b>{}</b>, by {}. {}</p>",
        count(p.population),
        number(p.sampling_fraction),
        esc(&estimate_text(p.uniques, p.share)),
        esc(p.model.as_deref().unwrap_or("no model")),
        esc(&p.rule)
    );
    if p.models.is_empty() {
        return;
    }
    h.push_str("<table><thead><tr><th>Model</th><th>Population uniques</th><th>Detail</th></tr></thead><tbody>");
    for m in &p.models {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&m.model),
            esc(&estimate_text(m.uniques, m.share)),
            esc(&m.detail)
        );
    }
    h.push_str("</tbody></table>");
}

fn sensitive(h: &mut String, r: &RiskReport) {
    if r.sensitive_measures.is_empty() {
        return;
    }
    h.push_str("<h3>Sensitive attributes: l-diversity and t-closeness</h3><table><thead><tr><th>Attribute</th><th>Values</th><th>Distinct l</th><th>Entropy l</th><th>Recursive (c, l)</th><th>t</th><th>α (largest share)</th><th>Note</th></tr></thead><tbody>");
    for s in &r.sensitive_measures {
        let _ = write!(h, "<tr><td>{}</td><td class=\"n\">{}</td>", esc(&s.column), count(s.values));
        match &s.measures {
            Some(d) => {
                let rec = d.recursive_c.map_or_else(
                    || format!("no c: a class has fewer than {} values", d.recursive_l),
                    |c| format!("l = {}: holds for every c > {}", d.recursive_l, number(c)),
                );
                let t = d.t.map_or_else(|| "undefined".into(), |t| format!("{} ({} distance)", number(t), d.distance));
                let _ = write!(
                    h,
                    "<td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>",
                    count(d.distinct_l),
                    number(d.entropy_l),
                    esc(&rec),
                    esc(&t),
                    pct(d.alpha)
                );
            }
            None => h.push_str("<td colspan=\"5\">not computed</td>"),
        }
        let _ = write!(h, "<td>{}</td></tr>", esc(s.note.as_deref().unwrap_or("")));
    }
    h.push_str("</tbody></table>");
}

fn what_ifs(h: &mut String, r: &RiskReport) {
    let Some(first) = r.what_ifs.first() else { return };
    let _ = write!(
        h,
        "<h3>What-if generalisation</h3><p class=\"muted\">Each row regroups the exact counts after generalising the quasi-identifiers (no second read of the file). Rows to suppress: in classes smaller than the target k = {} (the k_anonymity minimum). Information loss without suppression: DM* = Σ class size², non-uniform entropy (bits), precision (mean level / height).</p>",
        count(first.target_k)
    );
    h.push_str("<table><thead><tr><th>#</th><th>Generalisation</th><th>Classes</th><th>k</th><th>Sample uniques</th><th>Rows to suppress</th><th>Highest / average risk</th><th>Records at risk</th>");
    if !first.sensitive.is_empty() {
        h.push_str("<th>l (distinct, entropy) and t</th>");
    }
    h.push_str("<th>DM*</th><th>Non-uniform entropy</th><th>Precision</th></tr></thead><tbody>");
    for (i, w) in r.what_ifs.iter().enumerate() {
        let steps: Vec<String> = w.steps.iter().map(|s| esc(s)).collect();
        let mark = if w.k >= w.target_k { " class=\"pass\"" } else { "" };
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\"{mark}>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} / {}</td><td class=\"n\">{}</td>",
            i + 1,
            steps.join("<br>"),
            if w.source == "spec" { " <span class=\"muted\">(asked for)</span>" } else { "" },
            count(w.classes),
            count(w.k),
            esc(&rows(&w.sample_uniques, r.rows)),
            esc(&rows(&w.rows_to_suppress, r.rows)),
            number(w.highest_risk),
            number(w.average_risk),
            esc(&rows(&w.records_at_risk, r.rows)),
        );
        if !w.sensitive.is_empty() {
            let cells: Vec<String> = w
                .sensitive
                .iter()
                .map(|s| {
                    format!(
                        "{}: l {} / {}, t {}",
                        esc(&s.column),
                        count(s.distinct_l),
                        number(s.entropy_l),
                        s.t.map_or_else(|| "undefined".into(), number)
                    )
                })
                .collect();
            let _ = write!(h, "<td>{}</td>", cells.join("<br>"));
        }
        let _ = write!(
            h,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            count(w.discernibility),
            number(w.non_uniform_entropy),
            number(w.precision)
        );
    }
    h.push_str("</tbody></table>");
}
