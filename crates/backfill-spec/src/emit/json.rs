//! JSON layout of a [`Doc`]: compact (the fingerprinted form) or pretty (the download).

use super::doc::Doc;

/// Appends `text` as a JSON string, escaped exactly as Python's `json.dumps(...,
/// ensure_ascii=False)` does (short escapes where JSON has them, `\u00xx` for the other
/// control characters, everything else as is), so both sides hash the same bytes.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
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

pub(super) fn print(doc: &Doc, pretty: bool) -> String {
    let mut out = String::new();
    write(&mut out, doc, pretty, 0);
    if pretty {
        out.push('\n');
    }
    out
}

fn write(out: &mut String, doc: &Doc, pretty: bool, indent: usize) {
    match doc {
        Doc::Str(s) => push_json_string(out, s),
        Doc::Keyword(s) => push_json_string(out, s),
        Doc::Int(n) => out.push_str(&n.to_string()),
        Doc::Seq(items) => {
            // Lists of scalars (feeds, dates, hours) stay on one line even when pretty.
            let inline = !pretty || items.iter().all(Doc::is_scalar);
            let entries = items.iter().map(|d| (None, d));
            write_container(
                out,
                ('[', ']'),
                entries,
                items.is_empty(),
                pretty && !inline,
                inline && pretty,
                indent,
            );
        }
        Doc::Map(entries) => {
            let it = entries.iter().map(|(k, d)| (Some(*k), d));
            write_container(
                out,
                ('{', '}'),
                it,
                entries.is_empty(),
                pretty,
                false,
                indent,
            );
        }
        Doc::UserMap(entries) => {
            let it = entries.iter().map(|(k, d)| (Some(k.as_str()), d));
            write_container(
                out,
                ('{', '}'),
                it,
                entries.is_empty(),
                pretty,
                false,
                indent,
            );
        }
    }
}

fn write_container<'a>(
    out: &mut String,
    (open, close): (char, char),
    entries: impl Iterator<Item = (Option<&'a str>, &'a Doc)>,
    empty: bool,
    multiline: bool,
    spaced: bool,
    indent: usize,
) {
    out.push(open);
    if empty {
        out.push(close);
        return;
    }
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
            if spaced {
                out.push(' ');
            }
        }
        if multiline {
            out.push('\n');
            push_indent(out, indent + 2);
        }
        if let Some(key) = key {
            push_json_string(out, key);
            out.push(':');
            if multiline || spaced {
                out.push(' ');
            }
        }
        write(out, value, multiline || spaced, indent + 2);
    }
    if multiline {
        out.push('\n');
        push_indent(out, indent);
    }
    out.push(close);
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_like_python_json_dumps() {
        let mut out = String::new();
        push_json_string(&mut out, "a\"b\\c\nd\te\u{1}f\u{8}\u{c}é😀\u{2028}");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\te\\u0001f\\b\\fé😀\u{2028}\"");
    }
}
