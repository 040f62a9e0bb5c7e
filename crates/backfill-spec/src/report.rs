//! Diagnostics for people and for tools: the CLI's text lines and the JSON contract.
//!
//! Lines and columns come from [`LineIndex`] only. The CLI counts columns in characters
//! (what editors and terminals show); the browser asks [`locate`] for UTF-16.

use crate::json_writer::{JsonWriter, Layout};
use crate::{ColumnUnit, Diagnostic, LineIndex, Severity};

/// A diagnostic with its span turned into 1-based lines and columns: the JSON contract's
/// item (`path` comes last, an addition for forms that show findings beside fields).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<'a> {
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    pub hint: Option<&'a str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub path: &'a str,
    /// Other places that matter (for a duplicate, the first entry), each with a label;
    /// written only when there are some.
    pub related: Vec<Related<'a>>,
    /// How many identical findings this one stands for; written only when more than one.
    pub count: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related<'a> {
    pub message: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn locate<'a>(index: &LineIndex<'_>, d: &'a Diagnostic, unit: ColumnUnit) -> Located<'a> {
    let start = index.line_col(d.span.start, unit);
    let end = index.line_col(d.span.end, unit);
    Located {
        severity: d.severity,
        code: &d.code,
        message: &d.message,
        hint: d.hint.as_deref(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        path: &d.path,
        count: d.count,
        related: d
            .related
            .iter()
            .map(|(span, label)| {
                let (start, end) = (
                    index.line_col(span.start, unit),
                    index.line_col(span.end, unit),
                );
                Related {
                    message: label,
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                }
            })
            .collect(),
    }
}

/// `{"diagnostics": [{severity, code, message, hint, line, column, end_line, end_column,
/// path, related?}, …]}`, columns in characters; `related` only when there are related places.
pub fn json(source: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    let mut json = JsonWriter::compact(&mut out);
    json.begin_object(Layout::Compact);
    json.key("diagnostics");
    json.begin_array(Layout::Compact);
    for d in diagnostics {
        json.begin_object(Layout::Compact);
        locate(&index, d, ColumnUnit::Char).write_fields(&mut json);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    out
}

impl Located<'_> {
    /// The item's keys and values, in the contract's order, into an open object.
    pub fn write_fields(&self, json: &mut JsonWriter<'_>) {
        json.key("severity");
        json.string(self.severity.as_str());
        json.key("code");
        json.string(self.code);
        json.key("message");
        json.string(self.message);
        json.key("hint");
        match self.hint {
            Some(hint) => json.string(hint),
            None => json.null(),
        }
        write_place(json, self.line, self.column, self.end_line, self.end_column);
        json.key("path");
        json.string(self.path);
        if !self.related.is_empty() {
            json.key("related");
            json.begin_array(Layout::Compact);
            for r in &self.related {
                json.begin_object(Layout::Compact);
                json.key("message");
                json.string(r.message);
                write_place(json, r.line, r.column, r.end_line, r.end_column);
                json.end_object();
            }
            json.end_array();
        }
        if self.count != 1 {
            json.key("count");
            json.count(self.count);
        }
    }
}

fn write_place(
    json: &mut JsonWriter<'_>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
) {
    json.key("line");
    json.count(line);
    json.key("column");
    json.count(column);
    json.key("end_line");
    json.count(end_line);
    json.key("end_column");
    json.count(end_column);
}

/// The CLI's text: per finding `file:line:col: severity[code]: message`, then (indented)
/// the source line with the span underlined when `snippets`, the hint, and related places.
pub fn text(file: &str, source: &str, diagnostics: &[Diagnostic], snippets: bool) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for d in diagnostics {
        let at = index.line_col(d.span.start, ColumnUnit::Char);
        let times = if d.count > 1 {
            format!(" ({} times)", d.count)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{file}:{}:{}: {}[{}]: {}{times}\n",
            at.line,
            at.column,
            d.severity.as_str(),
            d.code,
            d.message
        ));
        if snippets {
            snippet(source, &index, d.span.start, d.span.end, &mut out);
        }
        if let Some(hint) = &d.hint {
            out.push_str(&format!("  hint: {hint}\n"));
        }
        for (span, label) in &d.related {
            let at = index.line_col(span.start, ColumnUnit::Char);
            out.push_str(&format!(
                "  note: {file}:{}:{}: {label}\n",
                at.line, at.column
            ));
        }
    }
    out
}

/// `2 errors, 1 warning, 3 notes`, or `no problems`: every finding the list stands for.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    crate::Totals::of(diagnostics).describe()
}

/// Widest stretch of a source line shown: a minified JSON file is one very long line.
const SNIPPET_CHARS: usize = 100;

/// The span's first line, underlined. Lines longer than [`SNIPPET_CHARS`] are cut to a
/// window around the span.
fn snippet(source: &str, index: &LineIndex<'_>, start: usize, end: usize, out: &mut String) {
    let at = index.line_col(start, ColumnUnit::Char);
    let mut start = start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line = source[line_start..line_end].trim_end_matches('\r');
    let col = at.column - 1;
    // A span from elsewhere (the CLI's own findings) may end inside a character: round down.
    let mut end = end.clamp(start, line_end);
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let width = source[start..end].chars().count().max(1);
    let skip = col.saturating_sub(SNIPPET_CHARS / 2);
    let shown: String = line
        .chars()
        .skip(skip)
        .take(SNIPPET_CHARS)
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let shown_len = shown.chars().count();
    let cut = if skip > 0 { "…" } else { "" };
    let gutter = at.line.to_string().len().max(3);
    let shown = format!("  {:>gutter$} | {cut}{shown}", at.line);
    out.push_str(shown.trim_end());
    out.push('\n');
    let pad = " ".repeat(col - skip + cut.chars().count());
    // Underline no further than the part of the line shown.
    let room = shown_len.saturating_sub(col - skip).max(1);
    let carets = "^".repeat(width.min(room));
    out.push_str(&format!("  {:>gutter$} | {pad}{carets}\n", ""));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    #[test]
    fn text_and_json_agree_on_places() {
        let src = "a: 1\nfeeds: [é, clikcs]\n";
        let start = src.find("clikcs").unwrap();
        let d = Diagnostic::error(
            "unknown-feed",
            "there is no feed `clikcs`",
            Span::new(start, start + 6),
        )
        .with_hint("did you mean `clicks`?")
        .with_path("/feeds/1");
        let text = text("s.yaml", src, std::slice::from_ref(&d), true);
        assert_eq!(
            text,
            "s.yaml:2:12: error[unknown-feed]: there is no feed `clikcs`\n    2 | feeds: [é, clikcs]\n      |            ^^^^^^\n  hint: did you mean `clicks`?\n"
        );
        assert_eq!(
            json(src, &[d]),
            r#"{"diagnostics":[{"severity":"error","code":"unknown-feed","message":"there is no feed `clikcs`","hint":"did you mean `clicks`?","line":2,"column":12,"end_line":2,"end_column":18,"path":"/feeds/1"}]}"#
        );
        assert_eq!(summary(&[]), "no problems");
        // Spans inside a character or past the end are rounded, never a panic.
        let odd = Diagnostic::error("x", "y", Span::new(14, 10_000));
        assert!(super::text("s.yaml", src, &[odd], true).starts_with("s.yaml:2:9:"));
    }
}
