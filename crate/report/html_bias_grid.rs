//! The Aequitas-style group × metric grid of one breakdown (inline HTML, no script): one
//! row per known group, one column per compared metric, each cell the ratio group ÷
//! reference with its verdict as a colour and the disadvantaged direction as a mark:
//!
//! * **pass** (green): within the band the `disparity_ratio` check applies
//!   ([`super::bias::RatioBand`]: τ ≤ ratio ≤ 1/τ with the check's `min` τ, default the
//!   four-fifths rule; the four-fifths rule of the options when the check is off);
//! * **warn** (amber): outside the band, but the group is smaller than the check's
//!   `min_group_size` or the difference is not significant (Holm p ≥ 0.05) — possibly noise;
//! * **fail** (red): outside the band, group large enough, Holm p < 0.05;
//! * ▼ the group is the disadvantaged party, ▲ the reference is;
//! * undefined ratios (0/0 rates, a zero reference rate) are shown as "—" with the reason
//!   in the cell's title.
//!
//! The header gives each metric's harm direction ([`crate::fairness::direction`]).

use super::bias::RatioBand;
use super::fmt;
use super::glossary_bias::terms;
use super::html::esc;
use super::{anchors, sentences::SIGNIFICANCE};
use crate::fairness::counts::GroupKey;
use crate::fairness::direction::Harm;
use crate::fairness::versus_reference::{Comparison, MetricVsReference};
use crate::quality::disparity_gates::Band;
use std::fmt::Write;

/// The cell verdict of one comparison in `band`: `pass`, `warn`, `fail`, or None when
/// undefined.
pub fn verdict(c: &Comparison, band: &RatioBand) -> Option<&'static str> {
    let inside = band.inside(c)?;
    Some(if inside {
        "pass"
    } else if band.flagged(c) && c.p_holm.is_some_and(|p| p < SIGNIFICANCE) {
        "fail"
    } else {
        "warn"
    })
}

fn background(verdict: &str) -> &'static str {
    match verdict {
        "pass" => "#dafbe1",
        "fail" => "#ffebe9",
        _ => "#fff8c5",
    }
}

fn short(v: &MetricVsReference) -> &'static str {
    use crate::fairness::metrics::Metric::*;
    match v.metric {
        BaseRate => "base",
        SelectionRate => "SR",
        TruePositiveRate => "TPR",
        FalsePositiveRate => "FPR",
        TrueNegativeRate => "TNR",
        FalseNegativeRate => "FNR",
        PositivePredictiveValue => "PPV",
        NegativePredictiveValue => "NPV",
        FalseDiscoveryRate => "FDR",
        FalseOmissionRate => "FOR",
        Accuracy => "Acc",
    }
}

/// Renders the grid of `vs` over the groups `groups` (in display order), coloured by `band`.
pub fn render(h: &mut String, groups: &[&GroupKey], vs: &[MetricVsReference], band: &RatioBand) {
    let _ = write!(
        h,
        "<p><b><a href=\"#{}\">Group × metric grid</a></b>: each group's rate ÷ the reference group's, green within the disparity_ratio check's {} band ({}), amber outside it for a small group or without significance, red outside it and significant; ▼ this group is disadvantaged, ▲ the reference is.</p><div style=\"overflow-x:auto\"><table class=\"grid\"><thead><tr><th>group</th>",
        anchors::definition(terms::GRID),
        band_name(band),
        esc(&band.span())
    );
    for v in vs {
        let arrow = match v.harm {
            Harm::HigherHarms => "↑ harms",
            Harm::LowerHarms => "↓ harms",
            Harm::NoDirection => "",
        };
        let _ = write!(
            h,
            "<th title=\"{}; {}\"><a href=\"#{}\">{}</a><br><span class=\"muted\">{arrow}</span></th>",
            esc(v.metric.label()),
            esc(v.harm.phrase()),
            anchors::definition(terms::metric(v.metric)),
            short(v)
        );
    }
    h.push_str("</tr></thead><tbody>");
    for g in groups {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(&g.to_string()));
        for v in vs {
            if v.reference.as_ref() == Some(*g) {
                h.push_str("<td class=\"n muted\">reference</td>");
                continue;
            }
            let Some(c) = v.comparisons.iter().find(|c| &&c.group == g) else {
                h.push_str("<td class=\"n muted\">—</td>");
                continue;
            };
            cell(h, v, c, band);
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
}

/// "adverse" or "symmetric".
pub fn band_name(band: &RatioBand) -> &'static str {
    match band.band {
        Band::Adverse => "adverse",
        Band::Symmetric => "symmetric",
    }
}

fn cell(h: &mut String, v: &MetricVsReference, c: &Comparison, band: &RatioBand) {
    let (Some(ratio), Some(verdict)) = (c.ratio, verdict(c, band)) else {
        let why = if c.value.is_none() || c.reference_value.is_none() {
            "a rate is undefined (0 of 0)"
        } else {
            "the reference rate is 0"
        };
        let _ = write!(h, "<td class=\"n muted\" title=\"{why}\">—</td>");
        return;
    };
    let mark = match &c.disadvantaged {
        Some(d) if d == &c.group => " ▼",
        Some(_) => " ▲",
        None => "",
    };
    let who = match &c.disadvantaged {
        Some(d) if d == &c.group => "this group is disadvantaged".to_string(),
        Some(_) => "the reference is disadvantaged".to_string(),
        None => "equal rates".to_string(),
    };
    let p = match c.p_holm {
        Some(p) if p < 0.001 => "Holm p < 0.001".to_string(),
        Some(p) => format!("Holm p = {}", fmt::p_value(p)),
        None => "not tested".to_string(),
    };
    let small = if c.count < band.min_group_size { "; small group" } else { "" };
    let title = format!(
        "{}: {} vs {} ({who}; {p}{small})",
        v.metric.label(),
        c.value.map_or_else(|| "undefined".into(), fmt::pct),
        c.reference_value.map_or_else(|| "undefined".into(), fmt::pct)
    );
    let _ = write!(
        h,
        "<td class=\"n {verdict}\" style=\"background:{}\" title=\"{}\">{}{mark}</td>",
        background(verdict),
        esc(&title),
        esc(&fmt::ratio(ratio))
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::counts::Confusion;
    use crate::fairness::disparity::{audit_breakdown, DisparityOptions};

    #[test]
    fn cells_show_ratio_verdict_and_direction() {
        let groups = vec![
            (GroupKey::known(&["ref"]), Confusion::new(300, 100, 500, 100)),
            (GroupKey::known(&["<low>"]), Confusion::new(100, 20, 280, 100)),
            (GroupKey::known(&["same"]), Confusion::new(150, 50, 250, 50)),
            (GroupKey::known(&["tiny"]), Confusion::new(1, 0, 3, 1)),
        ];
        let a = audit_breakdown(&groups, &DisparityOptions { positive_is_favourable: false, ..Default::default() });
        let keys: Vec<&GroupKey> = a.groups.iter().map(|g| &g.group).collect();
        let mut h = String::new();
        let band = RatioBand { band: Band::Adverse, min: 0.8, min_group_size: 30 };
        render(&mut h, &keys, &a.vs_reference, &band);
        assert!(h.contains("&lt;low&gt;") && !h.contains("<low>"), "escaped");
        // <low> is selected 24 % vs 40 %: outside the band, significant, the reference is the
        // disadvantaged party (positive unfavourable): red with ▲.
        assert!(h.contains("<td class=\"n fail\" style=\"background:#ffebe9\" title=\"selection rate: 24.0 % vs 40.0 % (the reference is disadvantaged; Holm p &lt; 0.001)\">0.60× ▲</td>"), "{h}");
        assert!(h.contains(">1.00×</td>"), "equal rates: no mark");
        assert!(h.contains("reference</td>"));
        assert!(h.contains("↑ harms") && h.contains("↓ harms"));
        assert_eq!(h.matches("<tr>").count(), 1 + 4);
    }

    /// The grid draws the band the check is configured with: τ = 0.5 passes <low>'s 0.60×
    /// that the four-fifths rule fails, and a group under the check's `min_group_size` is
    /// amber, not red.
    #[test]
    fn the_grid_follows_the_configured_band() {
        let groups = vec![
            (GroupKey::known(&["ref"]), Confusion::new(300, 100, 500, 100)),
            (GroupKey::known(&["<low>"]), Confusion::new(100, 20, 280, 100)),
        ];
        let a = audit_breakdown(&groups, &DisparityOptions { positive_is_favourable: false, ..Default::default() });
        let keys: Vec<&GroupKey> = a.groups.iter().map(|g| &g.group).collect();
        let sr = |band: &RatioBand| {
            let mut h = String::new();
            render(&mut h, &keys, &a.vs_reference, band);
            let at = h.find("title=\"selection rate: 24.0 %").expect("SR cell");
            let start = h[..at].rfind("<td").expect("cell");
            (h[start..at].to_string(), h)
        };
        let (four_fifths, h) = sr(&RatioBand { band: Band::Adverse, min: 0.8, min_group_size: 30 });
        assert!(four_fifths.contains("fail"), "{four_fifths}");
        assert!(h.contains("adverse band (0.80×–1.25×)"), "the band is said");
        let (loose, h) = sr(&RatioBand { band: Band::Adverse, min: 0.5, min_group_size: 30 });
        assert!(loose.contains("pass"), "{loose}");
        assert!(h.contains("(0.50×–2.00×)"));
        let (big_groups, _) = sr(&RatioBand { band: Band::Symmetric, min: 0.8, min_group_size: 10_000 });
        assert!(big_groups.contains("warn"), "a group under the check's min_group_size is amber: {big_groups}");
    }
}
