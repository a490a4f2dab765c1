//! Tests of the report's layout: every link has a target, ids are unique, tables scroll in
//! their own box, long parts are collapsible, print CSS is there.

use super::*;
use crate::report::{anchors, Report};
use std::collections::BTreeSet;

fn report(csv: &str, raw: &crate::spec::RawSpec) -> Report {
    crate::audit_bytes(raw, csv.as_bytes(), crate::report::InputMeta::default(), 1).expect("audit")
}

/// The values of attribute `attr` (double-quoted) in `html`.
pub(crate) fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(j) = rest.find('"') {
            out.push(rest[..j].to_string());
            rest = &rest[j..];
        }
    }
    out
}

/// Asserts that every `href="#x"` of `html` has an element with `id="x"`, that ids are
/// unique, and that every table sits in a scrolling box.
pub(crate) fn assert_navigable(html: &str) {
    let ids = attr_values(html, "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    let links: Vec<String> = attr_values(html, "href");
    assert!(!links.is_empty(), "no links");
    for l in &links {
        let target = l.strip_prefix('#').unwrap_or_else(|| panic!("a link leaves the report: {l}"));
        assert!(unique.contains(&target.to_string()), "link #{target} has no target");
    }
    assert_eq!(html.matches("<table").count(), html.matches("<div class=\"tw\"><table").count(), "unwrapped table");
    assert!(!html.contains("<script"), "the report stays script-free");
}

fn messy_csv() -> String {
    let mut csv = String::from("id,first,age,score,when,group,flag,notes\n");
    for i in 0..150 {
        csv.push_str(&format!(
            "{i},name{},{},{}.5,2024-01-{:02},{},{},note {}\n",
            i % 40,
            20 + i % 7,
            i % 11,
            1 + i % 28,
            ["a", "b", "<b>c</b>"][i % 3],
            ["yes", "no"][i % 2],
            i % 5
        ));
    }
    csv
}

#[test]
fn every_link_has_a_target_and_every_section_is_listed() {
    let r = report(&messy_csv(), &crate::spec::RawSpec::default());
    let h = r.to_html();
    assert_navigable(&h);
    // Every section rendered is in the contents, and the contents lists nothing else.
    let sections: Vec<String> = h
        .match_indices("<section id=\"")
        .map(|(i, _)| {
            let rest = &h[i + 13..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .collect();
    let toc = &h[h.find("<nav class=\"toc\"").expect("contents")..h.find("</nav>").expect("end of contents")];
    let listed: Vec<String> = attr_values(toc, "href").iter().map(|l| l.trim_start_matches('#').to_string()).collect();
    assert_eq!(sections, listed);
    for id in [anchors::CHECKS, anchors::COLUMNS, anchors::GLOSSARY, anchors::INPUT, anchors::SCORECARD] {
        assert!(listed.iter().any(|l| l == id), "{id} not listed");
    }
    // Each column, glossary term and check row has its anchor.
    for c in &r.columns {
        assert!(h.contains(&format!("id=\"{}\"", anchors::column(&c.name))), "column {}", c.name);
    }
    for d in &r.definitions {
        assert!(h.contains(&format!("id=\"{}\"", anchors::definition(&d.term))), "term {}", d.term);
    }
    for c in &r.checks {
        assert!(h.contains(&format!("id=\"{}\"", anchors::check_outcome(c))), "check {} {:?}", c.id, c.column);
    }
}

#[test]
fn long_parts_collapse_and_print_expands_them() {
    let r = report(&messy_csv(), &crate::spec::RawSpec::default());
    let h = r.to_html();
    // Passing checks are listed (collapsed), each column and the glossary are collapsible.
    assert!(h.contains("<details><summary>Passed ("), "passing checks are listed");
    assert_eq!(h.matches("<details class=\"col\"").count(), r.columns.len());
    assert!(h.contains("<h2>Definitions</h2><details>"));
    assert!(CSS.contains("@media print"));
    assert!(CSS.contains("details::details-content{content-visibility:visible"));
    assert!(CSS.contains("break-inside:avoid") && CSS.contains("break-after:avoid"));
    assert!(h.contains("To print or save as PDF"), "the report says how to print");
}

#[test]
fn wrapping_tables_leaves_text_alone() {
    assert_eq!(
        wrap_tables("<p>&lt;table&gt;</p><table><tr></tr></table>"),
        "<p>&lt;table&gt;</p><div class=\"tw\"><table><tr></tr></table></div>"
    );
}

#[test]
fn the_empty_file_still_has_a_navigable_report() {
    let h = report("a,b\n", &crate::spec::RawSpec::default()).to_html();
    assert_navigable(&h);
}
