//! HTML of the correlation matrix (inline SVG heat map and the strongest pairs), quality by
//! protected group and representativeness. Every string from the data goes through [`esc`].

use super::fmt;
use super::html::{esc, num};
use crate::quality::correlation_stats::{CorrMeasure, CorrPair, CorrelationReport};
use crate::quality::group_quality::GroupQualityReport;
use crate::quality::representativeness::RepresentativenessReport;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Pairs listed in the table (all of them are in the JSON).
const LISTED_PAIRS: usize = 30;

fn measure_name(m: CorrMeasure) -> &'static str {
    match m {
        CorrMeasure::Pearson => "Pearson r",
        CorrMeasure::Spearman => "Spearman ρ",
        CorrMeasure::CramersVBiasCorrected => "Cramér's V (corrected)",
        CorrMeasure::CorrelationRatio => "η",
    }
}

/// The value shown in the heat map for two columns: Pearson r for numeric pairs, V for
/// categorical pairs, η for mixed ones; keyed both ways.
fn cells(c: &CorrelationReport) -> BTreeMap<(&str, &str), &CorrPair> {
    let mut m = BTreeMap::new();
    for p in c.pairs.iter().filter(|p| p.measure != CorrMeasure::Spearman) {
        m.insert((p.a.as_str(), p.b.as_str()), p);
        m.insert((p.b.as_str(), p.a.as_str()), p);
    }
    m
}

fn colour(v: f64) -> String {
    // Blue for positive, red for negative, white at 0.
    let t = v.abs().min(1.0);
    let fade = |full: f64| (255.0 - (255.0 - full) * t).round() as u8;
    if v >= 0.0 {
        format!("rgb({},{},{})", fade(33.0), fade(102.0), fade(172.0))
    } else {
        format!("rgb({},{},{})", fade(178.0), fade(24.0), fade(43.0))
    }
}

/// Renders the correlation section.
pub fn render_correlations(h: &mut String, c: &CorrelationReport) {
    h.push_str("<h2>Correlations</h2>");
    let s = &c.spearman;
    let _ = write!(
        h,
        "<p class=\"muted\">Pearson r for numeric pairs, bias-corrected Cramér's V for categorical pairs, η for numeric × categorical; pairwise complete rows. Spearman ρ {}.</p>",
        if s.exact {
            format!("is exact (all {} rows)", s.rows)
        } else {
            format!("is estimated on {} of {} rows (deterministic sample; standard errors in the table)", s.sample_rows, s.rows)
        }
    );
    let cols: Vec<_> = c.columns.iter().filter(|k| k.note.is_none()).take(60).collect();
    if cols.len() >= 2 {
        let lookup = cells(c);
        let (cellw, label) = (22usize, 170usize);
        let size = label + cellw * cols.len() + 10;
        let _ = write!(
            h,
            "<svg role=\"img\" aria-label=\"Correlation heat map\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">"
        );
        for (k, col) in cols.iter().enumerate() {
            let short: String = col.name.chars().take(24).collect();
            let pos = label + k * cellw + cellw / 2;
            let _ = write!(h, "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label - 4, pos + 4, esc(&short));
            let _ = write!(
                h,
                "<text x=\"{pos}\" y=\"{}\" text-anchor=\"end\" transform=\"rotate(-90 {pos} {})\">{}</text>",
                label - 4,
                label - 4,
                esc(&short)
            );
        }
        for (i, a) in cols.iter().enumerate() {
            for (j, b) in cols.iter().enumerate() {
                let (x, y) = (label + j * cellw, label + i * cellw);
                let (fill, title) = if i == j {
                    ("#d0d7de".to_string(), esc(&a.name))
                } else {
                    match lookup.get(&(a.name.as_str(), b.name.as_str())) {
                        Some(p) => match p.value {
                            Some(v) => (
                                colour(v),
                                format!(
                                    "{} ~ {}: {} = {}",
                                    esc(&a.name),
                                    esc(&b.name),
                                    measure_name(p.measure),
                                    num(v)
                                ),
                            ),
                            None => ("#f6f8fa".into(), format!("{} ~ {}: undefined", esc(&a.name), esc(&b.name))),
                        },
                        None => ("#f6f8fa".into(), format!("{} ~ {}", esc(&a.name), esc(&b.name))),
                    }
                };
                let _ = write!(
                    h,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{cellw}\" height=\"{cellw}\" fill=\"{fill}\" stroke=\"#fff\"><title>{title}</title></rect>"
                );
            }
        }
        h.push_str("</svg>");
    }
    let _ = write!(
        h,
        "<table><thead><tr><th>Column</th><th>Column</th><th>Measure</th><th>Value</th><th>Rows</th><th>Note</th></tr></thead><tbody>"
    );
    for p in c.pairs.iter().take(LISTED_PAIRS) {
        let note = match (&p.standard_error, &p.undefined_reason) {
            (Some(se), _) => format!("± {} (standard error, sample)", num(*se)),
            (None, Some(r)) => esc(r),
            _ => String::new(),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{note}</td></tr>",
            esc(&p.a),
            esc(&p.b),
            measure_name(p.measure),
            p.value.map_or("undefined".into(), num),
            num(p.n as f64)
        );
    }
    h.push_str("</tbody></table>");
    if c.pairs.len() > LISTED_PAIRS {
        let _ = write!(h, "<p class=\"muted\">{} more pairs in the JSON report.</p>", c.pairs.len() - LISTED_PAIRS);
    }
    let notes: Vec<String> = c
        .columns
        .iter()
        .filter_map(|k| k.note.as_ref().map(|n| format!("{}: {}", esc(&k.name), esc(n))))
        .chain(c.left_out.iter().map(|(n, why)| format!("{}: {}", esc(n), esc(why))))
        .collect();
    if !notes.is_empty() {
        let _ = write!(h, "<p class=\"muted\">Left out: {}</p>", notes.join("; "));
    }
}

fn rate(n: u64, d: u64) -> String {
    if d == 0 {
        "—".into()
    } else {
        format!("{:.2} %", 100.0 * n as f64 / d as f64)
    }
}

/// Renders quality by protected group: the columns whose missing rates differ most.
pub fn render_group_quality(h: &mut String, g: &GroupQualityReport) {
    h.push_str("<h2>Quality by protected group</h2><p class=\"muted\">Missing and unparseable shares per group; a column missing (or unreadable) more often in one group is a bias source. Groups below ");
    let _ = write!(h, "{} rows are not compared.</p>", fmt::count(g.min_group_size));
    for a in &g.attributes {
        let _ = write!(h, "<h3>{}</h3>", esc(&a.attribute));
        if let Some(n) = &a.note {
            let _ = write!(h, "<p class=\"muted\">{}</p>", esc(n));
            continue;
        }
        gap_table(h, a, "missing", |c| (c.missing_gap.as_ref(), &c.missing));
        gap_table(h, a, "unparseable", |c| (c.unparseable_gap.as_ref(), &c.unparseable));
    }
}

/// The columns of one attribute with a `what`-rate gap between groups, largest first (at
/// most 20), with every group's rate; the largest gap is highlighted.
fn gap_table(
    h: &mut String,
    a: &crate::quality::group_quality::AttributeQuality,
    what: &str,
    pick: impl Fn(
        &crate::quality::group_quality::ColumnGroupQuality,
    ) -> (Option<&crate::quality::group_quality::Gap>, &Vec<u64>),
) {
    let key = |c: &crate::quality::group_quality::ColumnGroupQuality| pick(c).0.map_or(0.0, |x| x.gap);
    let mut cols: Vec<_> = a.columns.iter().filter(|c| key(c) > 0.0).collect();
    cols.sort_by(|x, y| key(y).total_cmp(&key(x)).then(x.column.cmp(&y.column)));
    if cols.is_empty() {
        let _ = write!(h, "<p class=\"muted\">No column has a {what}-rate gap between groups.</p>");
        return;
    }
    let _ = write!(h, "<table><thead><tr><th>Column</th><th>Largest {what}-rate gap</th>");
    for gr in &a.groups {
        let _ = write!(h, "<th>{} <span class=\"muted\">(n = {})</span></th>", esc(&gr.group), fmt::count(gr.rows));
    }
    h.push_str("</tr></thead><tbody>");
    for (k, c) in cols.iter().take(20).enumerate() {
        let (gap, counts) = pick(c);
        let gap =
            gap.map_or(String::new(), |x| format!("{} ({} vs {})", fmt::points(x.gap), esc(&x.high), esc(&x.low)));
        let gap = if k == 0 { format!("<b>{gap}</b>") } else { gap };
        let _ = write!(h, "<tr><td>{}</td><td>{gap}</td>", esc(&c.column));
        for (gr, m) in a.groups.iter().zip(counts) {
            let _ = write!(h, "<td class=\"n\">{}</td>", rate(*m, gr.rows));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
}

/// Renders representativeness.
pub fn render_representativeness(h: &mut String, rs: &[RepresentativenessReport]) {
    h.push_str("<h2>Representativeness</h2>");
    for r in rs {
        let _ = write!(h, "<h3>{}</h3>", esc(&r.attribute));
        if let Some(e) = &r.error {
            let _ = write!(h, "<p class=\"fail\">{}</p>", esc(e));
            continue;
        }
        h.push_str("<table><thead><tr><th>Group</th><th>Observed</th><th>Observed share</th><th>Expected share</th><th>Ratio</th></tr></thead><tbody>");
        for g in &r.groups {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&g.group),
                fmt::count(g.observed),
                fmt::pct(g.observed_share),
                fmt::pct(g.expected_share),
                fmt::ratio(g.ratio)
            );
        }
        h.push_str("</tbody></table>");
        if let Some(c) = &r.chi_square {
            let _ = write!(
                h,
                "<p>χ² = {}, df = {}, p = {} ({} rows with a known value, {} unknown left out).</p>",
                fmt::number(c.statistic),
                c.df,
                fmt::p_value(c.p_value),
                fmt::count(r.rows_used),
                fmt::count(r.unknown_rows)
            );
        }
    }
}
