//! The one JSON writer of the core: every JSON the crate prints (the spec, the plan, the
//! uploaded object, findings, the CORS rule) is written through [`JsonWriter`], and every
//! string through [`push_string`]. A leaf module: it depends on nothing else in the crate.
//!
//! It streams: values are appended to a `String` as they come, so a caller can hand the
//! buffer on (`JsonWriter::buffer`) and clear it between two values of a million-step plan.
//! Each container says how it is laid out ([`Layout`]); a writer made with
//! [`JsonWriter::compact`] ignores that and writes everything without a space, which is how
//! the same code gives both the pretty plan and the compact one that `plan_sha256` hashes.

use std::fmt::Write as _;

/// How a container lays out its items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `{"a":1,"b":[2,3]}`: no space anywhere.
    Compact,
    /// `{"a": 1, "b": [2, 3]}`: one line, a space after each `,` and `:`.
    Inline,
    /// One item per line, two spaces deeper than the line the container opens on.
    Lines,
}

#[derive(Clone, Copy, Debug)]
struct Level {
    layout: Layout,
    empty: bool,
}

/// A streaming JSON writer over a `String`. Containers are opened and closed by the caller
/// (`begin_object` … `end_object`); inside an object, each value follows a [`JsonWriter::key`].
pub struct JsonWriter<'a> {
    out: &'a mut String,
    /// Every container written [`Layout::Compact`], whatever it asks for.
    compact: bool,
    levels: Vec<Level>,
    after_key: bool,
}

impl<'a> JsonWriter<'a> {
    /// A writer that lays out each container as it asks.
    pub fn new(out: &'a mut String) -> Self {
        JsonWriter {
            out,
            compact: false,
            levels: Vec::new(),
            after_key: false,
        }
    }

    /// A writer that writes every container [`Layout::Compact`]: Python's `json.dumps(value,
    /// separators=(",", ":"), ensure_ascii=False)`, byte for byte.
    pub fn compact(out: &'a mut String) -> Self {
        JsonWriter {
            compact: true,
            ..JsonWriter::new(out)
        }
    }

    /// The text written so far, for a caller that streams it out and clears it between two
    /// values.
    pub fn buffer(&mut self) -> &mut String {
        self.out
    }

    pub fn begin_object(&mut self, layout: Layout) {
        self.begin('{', layout);
    }

    pub fn end_object(&mut self) {
        self.end('}');
    }

    pub fn begin_array(&mut self, layout: Layout) {
        self.begin('[', layout);
    }

    pub fn end_array(&mut self) {
        self.end(']');
    }

    /// The key of the object's next value.
    pub fn key(&mut self, key: &str) {
        self.before_value();
        push_string(self.out, key);
        self.out.push(':');
        if self.layout() != Layout::Compact {
            self.out.push(' ');
        }
        self.after_key = true;
    }

    pub fn string(&mut self, text: &str) {
        self.before_value();
        push_string(self.out, text);
    }

    pub fn int(&mut self, n: i64) {
        self.before_value();
        // Writing to a String cannot fail.
        let _ = write!(self.out, "{n}");
    }

    /// A `usize` (a count, a length, a line) as a number.
    pub fn count(&mut self, n: usize) {
        self.before_value();
        let _ = write!(self.out, "{n}");
    }

    pub fn bool(&mut self, b: bool) {
        self.raw(if b { "true" } else { "false" });
    }

    pub fn null(&mut self) {
        self.raw("null");
    }

    /// A value that is JSON already (a number as the user wrote it, or a compact document
    /// made by another writer), copied as is.
    pub fn raw(&mut self, json: &str) {
        self.before_value();
        self.out.push_str(json);
    }

    /// The layout of the innermost open container (or of the top level).
    fn layout(&self) -> Layout {
        match self.levels.last() {
            _ if self.compact => Layout::Compact,
            Some(level) => level.layout,
            None => Layout::Compact,
        }
    }

    /// The separator and line break due before the next item of the open container.
    fn before_value(&mut self) {
        if std::mem::take(&mut self.after_key) {
            return;
        }
        let layout = self.layout();
        let Some(level) = self.levels.last_mut() else {
            return;
        };
        let first = std::mem::replace(&mut level.empty, false);
        if !first {
            self.out.push(',');
        }
        match layout {
            Layout::Compact => {}
            Layout::Inline if first => {}
            Layout::Inline => self.out.push(' '),
            Layout::Lines => self.new_line(self.levels.len()),
        }
    }

    fn begin(&mut self, open: char, layout: Layout) {
        self.before_value();
        self.out.push(open);
        self.levels.push(Level {
            layout,
            empty: true,
        });
    }

    fn end(&mut self, close: char) {
        let layout = self.layout();
        let level = self.levels.pop().expect("a container to close");
        if layout == Layout::Lines && !level.empty {
            self.new_line(self.levels.len());
        }
        self.out.push(close);
    }

    fn new_line(&mut self, depth: usize) {
        self.out.push('\n');
        self.out.extend(std::iter::repeat_n(' ', 2 * depth));
    }
}

/// Appends `text` as a JSON string, escaped exactly as Python's `json.dumps(...,
/// ensure_ascii=False)` does (short escapes where JSON has them, `\u00xx` for the other
/// control characters, everything else as is), so both sides hash the same bytes.
pub fn push_string(out: &mut String, text: &str) {
    // A table lookup per byte keeps the common case (nothing to escape) a tight scan: this
    // runs for every string of a million-step plan.
    const NEEDS_ESCAPE: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = true;
            b += 1;
        }
        table[b'"' as usize] = true;
        table[b'\\' as usize] = true;
        table
    };
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !NEEDS_ESCAPE[usize::from(b)] {
            continue;
        }
        // Every escaped byte is ASCII, so `i` is a character boundary.
        out.push_str(&text[plain_from..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
        plain_from = i + 1;
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}

/// `text` as a JSON string.
pub fn string(text: &str) -> String {
    let mut out = String::new();
    push_string(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_like_python_json_dumps() {
        assert_eq!(
            string("a\"b\\c\nd\te\u{1}f\u{8}\u{c}é😀\u{2028}"),
            "\"a\\\"b\\\\c\\nd\\te\\u0001f\\b\\fé😀\u{2028}\""
        );
    }

    fn sample(w: &mut JsonWriter<'_>) {
        w.begin_object(Layout::Lines);
        w.key("n");
        w.int(-3);
        w.key("inline");
        w.begin_object(Layout::Inline);
        w.key("a");
        w.begin_array(Layout::Inline);
        w.string("x");
        w.bool(true);
        w.null();
        w.end_array();
        w.key("empty");
        w.begin_object(Layout::Inline);
        w.end_object();
        w.end_object();
        w.key("lines");
        w.begin_array(Layout::Lines);
        w.count(1);
        w.begin_array(Layout::Lines);
        w.raw("2.50");
        w.end_array();
        w.begin_array(Layout::Lines);
        w.end_array();
        w.end_array();
        w.end_object();
    }

    #[test]
    fn layouts() {
        let mut out = String::new();
        sample(&mut JsonWriter::new(&mut out));
        assert_eq!(
            out,
            "{\n  \"n\": -3,\n  \"inline\": {\"a\": [\"x\", true, null], \"empty\": {}},\n  \
             \"lines\": [\n    1,\n    [\n      2.50\n    ],\n    []\n  ]\n}"
        );
        let mut compact = String::new();
        sample(&mut JsonWriter::compact(&mut compact));
        assert_eq!(
            compact,
            "{\"n\":-3,\"inline\":{\"a\":[\"x\",true,null],\"empty\":{}},\"lines\":[1,[2.50],[]]}"
        );
    }
}
