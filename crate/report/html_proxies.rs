//! HTML of proxy detection: how strongly every other column is associated with each
//! protected attribute (bias-corrected Cramér's V or the correlation ratio η), flagged at
//! or above `bias.proxy_threshold`. Every string from the data goes through [`esc`].

use super::fmt;
use super::html::esc;
use crate::fairness::proxy_stats::{Measure, ProxyReport};
use std::fmt::Write;

/// Renders the proxy table.
pub fn render(h: &mut String, p: &ProxyReport) {
    let _ = write!(
        h,
        "<h3>Proxies</h3><p>How strongly every other column is associated with each protected attribute: bias-corrected Cramér's V (Bergsma 2013) for categorical columns (at most {} levels per side, the rest pooled as (other)), correlation ratio η for numeric columns; 0 = none, 1 = the column determines the groups. Flagged at ≥ {}: such a column can stand in for the attribute.</p><table><thead><tr><th>protected</th><th>column</th><th>measure</th><th>value</th><th>n</th><th></th></tr></thead><tbody>",
        p.max_levels,
        fmt::number(p.threshold)
    );
    for a in &p.associations {
        let measure = match a.measure {
            Measure::CramersVBiasCorrected => "Cramér's V",
            Measure::CorrelationRatio => "η",
        };
        let value = a.value.map_or_else(
            || {
                format!(
                    "undefined<br><span class=\"muted\">{}</span>",
                    esc(a.undefined_reason.as_deref().unwrap_or(""))
                )
            },
            |v| format!("{v:.3}"),
        );
        let flag = if a.flagged { "<span class=\"fail\">proxy</span>" } else { "" };
        let pooled =
            a.pooled.as_deref().map_or_else(String::new, |n| format!("<br><span class=\"muted\">{}</span>", esc(n)));
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}{pooled}</td><td>{measure}</td><td class=\"n\">{value}</td><td class=\"n\">{}</td><td>{flag}</td></tr>",
            esc(&a.protected),
            esc(&a.column),
            fmt::count(a.n)
        );
    }
    h.push_str("</tbody></table>");
    if !p.skipped.is_empty() {
        let list: Vec<String> = p.skipped.iter().map(|s| format!("{} ({})", esc(&s.column), esc(&s.reason))).collect();
        let _ = write!(h, "<p class=\"muted\">Not examined: {}.</p>", list.join(", "));
    }
}
