//! A small document model for the drafts privaudit writes for people to finish (the PIA
//! draft, the datasheet): headings, paragraphs, lists, tables and clearly marked blanks,
//! rendered once to Markdown and once to self-contained HTML from the same blocks, so the
//! two never say different things. Every string is escaped for its format.

use super::html::esc;
use std::fmt::Write;

/// One block of a draft.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading of level 2 or 3.
    Heading(u8, String),
    /// A paragraph.
    Para(String),
    /// A bulleted list.
    List(Vec<String>),
    /// A table: header, rows.
    Table(Vec<String>, Vec<Vec<String>>),
    /// A blank for people to fill, with what to write.
    Blank(String),
}

/// A draft document.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// Title.
    pub title: String,
    /// Body.
    pub blocks: Vec<Block>,
}

/// Escapes Markdown inline text: characters that format, and `<`, `>`, `&` as entities
/// (Markdown renderers pass raw HTML through).
pub fn md_esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

const MARK: &str = "To be written by you";

impl Draft {
    /// Appends a block.
    pub fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    /// The draft as Markdown (CommonMark with pipe tables).
    pub fn markdown(&self) -> String {
        let mut m = format!("# {}\n\n", md_esc(&self.title));
        for b in &self.blocks {
            match b {
                Block::Heading(l, t) => {
                    let _ = write!(m, "{} {}\n\n", "#".repeat(usize::from((*l).clamp(2, 4))), md_esc(t));
                }
                Block::Para(t) => {
                    let _ = write!(m, "{}\n\n", md_esc(t));
                }
                Block::List(items) => {
                    for i in items {
                        let _ = writeln!(m, "- {}", md_esc(i));
                    }
                    m.push('\n');
                }
                Block::Table(head, rows) => {
                    let line = |cells: &[String]| {
                        format!("| {} |\n", cells.iter().map(|c| md_esc(c)).collect::<Vec<_>>().join(" | "))
                    };
                    m.push_str(&line(head));
                    let _ = writeln!(m, "|{}", " --- |".repeat(head.len()));
                    for r in rows {
                        m.push_str(&line(r));
                    }
                    m.push('\n');
                }
                Block::Blank(t) => {
                    let _ = write!(m, "> **{MARK}:** {}\n>\n> …\n\n", md_esc(t));
                }
            }
        }
        m
    }

    /// The draft as one self-contained HTML document (no script, no external resource).
    pub fn html(&self) -> String {
        let mut h = String::with_capacity(16 * 1024);
        let _ = write!(
            h,
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>{t}</title><style>{css}\
.blank{{border:2px dashed #9a6700;background:#fff8c5;padding:8px 12px;margin:8px 0}}.blank b{{color:#9a6700}}</style></head><body><main><h1>{t}</h1>",
            t = esc(&self.title),
            css = super::html::CSS
        );
        for b in &self.blocks {
            match b {
                Block::Heading(l, t) => {
                    let l = (*l).clamp(2, 4);
                    let _ = write!(h, "<h{l}>{}</h{l}>", esc(t));
                }
                Block::Para(t) => {
                    let _ = write!(h, "<p>{}</p>", esc(t));
                }
                Block::List(items) => {
                    h.push_str("<ul>");
                    for i in items {
                        let _ = write!(h, "<li>{}</li>", esc(i));
                    }
                    h.push_str("</ul>");
                }
                Block::Table(head, rows) => {
                    h.push_str("<table><thead><tr>");
                    for c in head {
                        let _ = write!(h, "<th>{}</th>", esc(c));
                    }
                    h.push_str("</tr></thead><tbody>");
                    for r in rows {
                        h.push_str("<tr>");
                        for c in r {
                            let _ = write!(h, "<td>{}</td>", esc(c));
                        }
                        h.push_str("</tr>");
                    }
                    h.push_str("</tbody></table>");
                }
                Block::Blank(t) => {
                    let _ = write!(h, "<div class=\"blank\"><b>{MARK}:</b> {}</div>", esc(t));
                }
            }
        }
        h.push_str("</main></body></html>");
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_renderings_escape_and_mark_the_blanks() {
        let d = Draft {
            title: "A <b>|x".into(),
            blocks: vec![
                Block::Heading(2, "1 * 2".into()),
                Block::Table(vec!["a|b".into()], vec![vec!["<script>".into()]]),
                Block::Blank("the purpose".into()),
            ],
        };
        let md = d.markdown();
        assert!(md.starts_with("# A &lt;b&gt;\\|x\n"), "{md}");
        assert!(md.contains("## 1 \\* 2") && md.contains("| a\\|b |") && md.contains("| &lt;script&gt; |"), "{md}");
        assert!(md.contains("> **To be written by you:** the purpose"));
        let html = d.html();
        assert!(html.contains("<td>&lt;script&gt;</td>") && !html.contains("<script>"));
        assert!(html.contains("<div class=\"blank\"><b>To be written by you:</b> the purpose</div>"));
    }
}
