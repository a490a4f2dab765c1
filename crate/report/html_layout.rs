//! The layout of the HTML report: sections with anchor ids, the table of contents, boxes
//! that let wide tables scroll on their own, and the style sheet (screen and print).
//!
//! Rules (tested in `html_layout_tests.rs` and in Chromium by `tests/browser/layout.test.mjs`):
//! - every section is a `<section id=…>` with an id from [`super::anchors`]; the table of
//!   contents lists exactly the sections rendered, so every link has a target;
//! - every `<table>` sits in a `<div class="tw">` that scrolls horizontally, so the page
//!   itself never overflows (390 px wide phones included); SVG charts shrink to the width;
//! - long parts (every check, each column's details, the glossary) are `<details>`: the
//!   report stays script-free. Printing opens them (`::details-content`: Chrome/Edge 131+,
//!   Firefox 143+, Safari 18.4+); the report says how to print in older browsers.

use super::html::esc;
use std::fmt::Write;

/// The report's style sheet: screen, narrow screens and print.
pub(crate) const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2430;margin:0;background:#f6f7f9}\
main{max-width:1100px;margin:0 auto;padding:24px;overflow-wrap:anywhere}h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dce3;padding-bottom:4px}\
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0}th,td{border:1px solid #e0e4ea;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:normal}\
th{background:#eef1f5;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.muted{color:#5b6574}\
.pass{color:#1a7f37}.warn{color:#9a6700}.fail{color:#cf222e;font-weight:600}.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600}\
.badge.pass{background:#dafbe1}.badge.fail{background:#ffebe9}.badge.warn{background:#fff8c5}code{background:#eef1f5;padding:0 3px;border-radius:3px}\
details{background:#fff;border:1px solid #e0e4ea;margin:6px 0;padding:4px 10px}summary{cursor:pointer;font-weight:600}\
.tw{overflow-x:auto;max-width:100%;margin:6px 0}.tw>table{margin:0}svg{max-width:100%;height:auto}\
nav.toc{background:#fff;border:1px solid #e0e4ea;padding:4px 14px;margin:12px 0}nav.toc ol{margin:4px 0;padding-left:22px}nav.toc li{margin:2px 0}\
a{color:#0b5cad}details.col>summary{font-weight:400}details.col>summary b{font-weight:600}dl.glossary dt{margin-top:6px}\
figure{margin:6px 0}figcaption{font-size:12px;color:#5b6574}\
@media (max-width:600px){main{padding:10px}h1{font-size:19px}th,td{padding:3px 5px}}\
@media print{body{background:#fff;font-size:11px}main{max-width:none;padding:0}.tw{overflow:visible}\
tr,figure,svg,dt,dd,li,summary{break-inside:avoid}h2,h3,h4,summary{break-after:avoid}thead{display:table-header-group}\
details{border:0;padding:0}details::details-content{content-visibility:visible;display:block}\
a{color:inherit;text-decoration:none}.noprint{display:none}}";

/// The sections of a report, rendered in order, and their entries in the table of contents.
#[derive(Default)]
pub(crate) struct Sections {
    toc: Vec<(String, String, String)>,
    html: String,
}

impl Sections {
    /// Renders a section with `render`; when it wrote anything, wraps it in
    /// `<section id="{id}">` and lists it in the contents as `title` (with `note`, e.g. a
    /// count, after it).
    pub fn add(&mut self, id: &str, title: &str, note: &str, render: impl FnOnce(&mut String)) {
        let mut part = String::new();
        render(&mut part);
        if part.is_empty() {
            return;
        }
        let _ = write!(self.html, "<section id=\"{}\">{part}</section>", esc(id));
        self.toc.push((id.to_string(), title.to_string(), note.to_string()));
    }

    /// Lists in the contents a section already written above them (the summary, which
    /// comes before the contents).
    pub fn list_above(&mut self, id: &str, title: &str, note: &str) {
        self.toc.push((id.to_string(), title.to_string(), note.to_string()));
    }

    /// Writes the table of contents, how to print, then the sections with their tables
    /// wrapped in scrolling boxes.
    pub fn finish(self, h: &mut String) {
        h.push_str("<nav class=\"toc\" aria-label=\"Contents\"><b>Contents</b><ol>");
        for (id, title, note) in &self.toc {
            let note =
                if note.is_empty() { String::new() } else { format!(" <span class=\"muted\">{}</span>", esc(note)) };
            let _ = write!(h, "<li><a href=\"#{}\">{}</a>{note}</li>", esc(id), esc(title));
        }
        h.push_str("</ol><p class=\"muted noprint\">Collapsed parts open when clicked. To print or save as PDF, use the browser's Print command: current Chrome, Edge, Firefox and Safari print collapsed parts expanded; older browsers print them as shown, so open them first.</p></nav>");
        h.push_str(&wrap_tables(&self.html));
    }
}

/// Puts every `<table` … `</table>` of `html` inside `<div class="tw">` (a box that scrolls
/// horizontally). Text from the data is escaped, so `<table` only occurs as markup.
pub(crate) fn wrap_tables(html: &str) -> String {
    html.replace("<table", "<div class=\"tw\"><table").replace("</table>", "</table></div>")
}

#[cfg(test)]
#[path = "html_layout_tests.rs"]
pub(crate) mod tests;
