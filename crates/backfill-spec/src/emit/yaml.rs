//! YAML layout of a [`Doc`]: block maps, flow lists of scalars, every string double-quoted.

use super::doc::Doc;

pub(super) fn print(doc: &Doc) -> String {
    let mut out = String::new();
    match doc {
        Doc::Map(entries) if !entries.is_empty() => {
            let it = entries.iter().map(|(k, d)| (Key::Format(k), d));
            block_map(&mut out, it.collect(), 0, false);
        }
        other => {
            flow(&mut out, other);
            out.push('\n');
        }
    }
    out
}

enum Key<'a> {
    Format(&'a str),
    User(&'a str),
}

/// Writes `key: value` lines at `indent`. With `after_dash`, the first line continues a
/// `- ` already written (a list item that is a map).
fn block_map<'a>(
    out: &mut String,
    entries: Vec<(Key<'a>, &'a Doc)>,
    indent: usize,
    after_dash: bool,
) {
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 || !after_dash {
            push_indent(out, indent);
        }
        match key {
            Key::Format(k) => out.push_str(k),
            Key::User(k) => quoted(out, k),
        }
        out.push(':');
        match value {
            Doc::Map(m) if !m.is_empty() => {
                out.push('\n');
                block_map(
                    out,
                    m.iter().map(|(k, d)| (Key::Format(k), d)).collect(),
                    indent + 2,
                    false,
                );
            }
            Doc::UserMap(m) if !m.is_empty() => {
                out.push('\n');
                block_map(
                    out,
                    m.iter().map(|(k, d)| (Key::User(k), d)).collect(),
                    indent + 2,
                    false,
                );
            }
            Doc::Seq(items) if items.iter().any(|d| matches!(d, Doc::Map(_))) => {
                out.push('\n');
                for item in items {
                    push_indent(out, indent + 2);
                    out.push_str("- ");
                    match item {
                        Doc::Map(m) if !m.is_empty() => block_map(
                            out,
                            m.iter().map(|(k, d)| (Key::Format(k), d)).collect(),
                            indent + 4,
                            true,
                        ),
                        other => {
                            flow(out, other);
                            out.push('\n');
                        }
                    }
                }
            }
            other => {
                out.push(' ');
                flow(out, other);
                out.push('\n');
            }
        }
    }
}

/// Flow style, for scalars and short lists: `["clicks", "orders"]`, `{}`.
fn flow(out: &mut String, doc: &Doc) {
    match doc {
        Doc::Str(s) => quoted(out, s),
        Doc::Int(n) => out.push_str(&n.to_string()),
        Doc::Keyword(k) => out.push_str(k),
        Doc::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(out, item);
            }
            out.push(']');
        }
        Doc::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                flow(out, v);
            }
            out.push('}');
        }
        Doc::UserMap(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                quoted(out, k);
                out.push_str(": ");
                flow(out, v);
            }
            out.push('}');
        }
    }
}

/// A YAML double-quoted scalar. Escaped: quote, backslash, every C0 and C1 control, DEL,
/// the byte-order mark, the non-characters U+FFFE/U+FFFF, and U+2028/U+2029, which YAML 1.1
/// (PyYAML) treats as line breaks and would fold into spaces.
fn quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
                out.push_str(&format!("\\x{:02X}", c as u32))
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_what_yaml_readers_would_change() {
        let mut out = String::new();
        quoted(&mut out, "a\"b\\c\nd\u{1}\u{85}é\u{2028}");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\x01\\x85é\\u2028\"");
    }
}
