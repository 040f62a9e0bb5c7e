//! Diagnostics are plain data. Every one has a byte span into the analysed text; lines and
//! columns are computed in one place only: [`LineIndex`].

use std::borrow::Cow;

use serde::Serialize;

/// A byte range `start..end` into the text that was analysed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The name in the contract: the CLI's output, the JSON report, the views' CSS classes
    /// (`diagnostic-info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The mark a view puts before a finding, so that colour is never the only signal.
    pub fn symbol(self) -> &'static str {
        match self {
            Severity::Error => "✕",
            Severity::Warning => "▲",
            Severity::Info => "ℹ",
        }
    }

    /// The word a view shows beside [`Severity::symbol`]: an info is a "note" to a reader of
    /// the page (its counts say "note(s)" too).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        }
    }
}

/// One finding. `code` is stable (kebab-case, documented in docs/rules.md); `path` is the
/// JSON-pointer-like location of the field concerned (`/backfills/2/dates/0`), which the form
/// uses to show the finding beside its field; `related` points at other places that matter
/// (for a duplicate, the other entry). `count` is how many identical findings this one
/// stands for: 1, or more once repeats were collapsed (`findings::for_display`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The code as the rules write it; one read from the lint worker's answer is its own
    /// copy.
    pub code: Cow<'static, str>,
    pub message: String,
    pub hint: Option<String>,
    pub span: Span,
    pub path: String,
    pub related: Vec<(Span, String)>,
    pub count: usize,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Diagnostic {
            severity,
            code: Cow::Borrowed(code),
            message: message.into(),
            hint: None,
            span,
            path: String::new(),
            related: Vec::new(),
            count: 1,
        }
    }
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Error, code, message, span)
    }
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Warning, code, message, span)
    }
    pub fn info(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Info, code, message, span)
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }
}

/// What a column counts. The CLI counts characters (what editors and terminals show); the
/// browser counts UTF-16 code units (what `textarea.setSelectionRange` takes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    Char,
    Utf16,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Converts byte offsets to line/column: the one place that does.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// UTF-16 offset of each line start, made on the first [`LineIndex::utf16_offset`]: one
    /// pass over the text instead of one per finding (500 findings on a 400 KB spec took
    /// 600 ms in the browser when each scanned from the start).
    utf16_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            line_starts,
            utf16_starts: std::cell::OnceCell::new(),
        }
    }

    /// Line and column (both 1-based) of a byte offset; an offset past the end or inside a
    /// character is clamped to a character boundary before it.
    pub fn line_col(&self, offset: usize, unit: ColumnUnit) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let prefix = &self.text[self.line_starts[line]..offset];
        let column = match unit {
            ColumnUnit::Char => prefix.chars().count(),
            ColumnUnit::Utf16 => prefix.encode_utf16().count(),
        };
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// Offset in UTF-16 code units from the start of the text: what a browser text area's
    /// selection takes.
    pub fn utf16_offset(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.utf16_starts.get_or_init(|| {
            let mut units = 0;
            let mut previous = 0;
            self.line_starts
                .iter()
                .map(|&start| {
                    units += self.text[previous..start].encode_utf16().count();
                    previous = start;
                    units
                })
                .collect()
        });
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        starts[line]
            + self.text[self.line_starts[line]..offset]
                .encode_utf16()
                .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_or_utf16() {
        let text = "a: 1\nfeeds: [é😀, x]\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            idx.line_col(x, ColumnUnit::Char),
            LineCol {
                line: 2,
                column: 13
            }
        );
        assert_eq!(
            idx.line_col(x, ColumnUnit::Utf16),
            LineCol {
                line: 2,
                column: 14
            }
        );
        assert_eq!(
            idx.line_col(0, ColumnUnit::Char),
            LineCol { line: 1, column: 1 }
        );
        assert_eq!(
            idx.line_col(text.len(), ColumnUnit::Char),
            LineCol { line: 3, column: 1 }
        );
        assert_eq!(idx.utf16_offset(x), x - 3);
        // Every offset, on every line, as a scan from the start counts it.
        let text = "é😀\nab\n\n😀x\r\ny";
        let idx = LineIndex::new(text);
        for offset in 0..=text.len() + 1 {
            let mut boundary = offset.min(text.len());
            while !text.is_char_boundary(boundary) {
                boundary -= 1;
            }
            assert_eq!(
                idx.utf16_offset(offset),
                text[..boundary].encode_utf16().count(),
                "offset {offset}"
            );
        }
    }
}
