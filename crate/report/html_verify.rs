//! The validator's view of a received DP summary: the verifier's verdict
//! ([`crate::dp::verify::Verdict`]) as plain text (the command line) and as one
//! self-contained HTML page (the browser), followed by the summary itself with its "what
//! this reveals / does not reveal" sections. Every string goes through [`esc`].

use super::fmt;
use super::html::esc;
use super::html_dp;
use crate::dp::summary::DpSummary;
use crate::dp::verify::Verdict;
use std::fmt::Write;

fn headline(v: &Verdict) -> String {
    let releases = format!("{} release{}", v.releases, if v.releases == 1 { "" } else { "s" });
    if v.consistent {
        format!("consistent: {} claims checked in {releases}, none fails", fmt::count(v.claims_checked as u64))
    } else {
        format!(
            "INCONSISTENT: {} of {} claims checked in {releases} fail",
            fmt::count(v.failures.len() as u64),
            fmt::count(v.claims_checked as u64)
        )
    }
}

/// The verdict for a terminal: the headline, each failing claim, what was skipped, notes.
pub fn verdict_text(v: &Verdict, name: &str) -> String {
    let mut t = format!("{name}: {}\n", headline(v));
    for (k, f) in v.failures.iter().enumerate() {
        let _ = writeln!(t, "  {}. {f}", k + 1);
    }
    for s in &v.skipped {
        let _ = writeln!(t, "skipped: {s}");
    }
    for n in &v.notes {
        let _ = writeln!(t, "note: {n}");
    }
    t
}

/// The validator's page: the verdict, then the summary as its author's page shows it (when
/// it can be read at all).
pub fn render(v: &Verdict, summary_json: &str) -> String {
    let summary: Option<DpSummary> = serde_json::from_str(summary_json).ok();
    let mut h = String::with_capacity(48 * 1024);
    let title = match summary.as_ref().and_then(|s| s.dataset.description.as_deref()) {
        Some(d) => format!("Check of a DP summary — {d}"),
        None => "Check of a DP summary".to_string(),
    };
    html_dp::head(&mut h, &title);
    let _ = write!(h, "<h1>{}</h1>", esc(&title));
    let class = if v.consistent { "pass" } else { "fail" };
    let _ = write!(h, "<p class=\"callout {class}\" id=\"verdict\"><b>{}</b></p>", esc(&headline(v)));
    if !v.failures.is_empty() {
        h.push_str(
            "<table><tr><th>where</th><th>claim</th><th>stated</th><th>follows from the rest</th><th>why</th></tr>",
        );
        for f in &v.failures {
            let place = [f.release.as_deref(), f.part.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                esc(if place.is_empty() { "the summary" } else { &place }),
                esc(&f.claim),
                esc(&f.stated),
                esc(&f.expected),
                esc(&f.message)
            );
        }
        h.push_str("</table>");
    }
    h.push_str("<h2>What was checked</h2><p>Each noisy part's sensitivity, mechanism and noise scale (from its ε or ρ), \
        each accuracy (from its scale and the confidence), every interval, estimate, rate, mean, quantile and four-fifths \
        verdict (re-derived from the stated noisy values), that the budget adds up, that noisy counts are integers and \
        that every field is there. Recomputed with privaudit's own functions, exactly: no tolerance.</p><ul>");
    for s in v.skipped.iter().chain(&v.notes) {
        let _ = write!(h, "<li>{}</li>", esc(s));
    }
    h.push_str("</ul>");
    match &summary {
        Some(s) => {
            h.push_str("<h2>The summary as received</h2>");
            html_dp::body(&mut h, s);
        }
        None => h.push_str(
            "<p class=\"muted\">The summary cannot be shown: it lacks fields the page needs (see above).</p>",
        ),
    }
    h.push_str("</main></body></html>");
    h
}
