//! The editor keys people expect, as pure functions of the text and the selection (byte
//! offsets): Tab / Shift+Tab indent and outdent, Enter keeps the indentation (and continues
//! a `- ` list), Ctrl+/ toggles a comment. `components::spec_editor` maps the keys to a
//! [`Command`] and puts the result in the text area.

/// What a key did: the new text and selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Tab.
    Indent,
    /// Shift+Tab.
    Outdent,
    /// Enter.
    Newline,
    /// Ctrl+/ (Cmd+/ on macOS).
    ToggleComment,
}

const INDENT: &str = "  ";

/// The text and selection after `command` on `text` with bytes `start..end` selected;
/// `None` when it changes nothing.
pub fn edit(command: Command, text: &str, start: usize, end: usize) -> Option<Edited> {
    let edited = match command {
        Command::Indent if start == end => replace(text, start, end, INDENT),
        Command::Indent => each_line(text, start, end, &|line| {
            if line.is_empty() {
                String::new()
            } else {
                [INDENT, line].concat()
            }
        }),
        Command::Outdent => each_line(text, start, end, &|line| {
            let spaces = indentation(line).min(INDENT.len());
            line[spaces..].to_owned()
        }),
        Command::Newline => {
            let from = line_start(text, start);
            let line = &text[from..start];
            let indent = &line[..indentation(line)];
            let line_ends = matches!(text[end..].bytes().next(), None | Some(b'\n'));
            match &line[indent.len()..] {
                // An empty item ends the list: its dash goes.
                "-" | "- " if line_ends => replace(text, from, end, ""),
                item if item.starts_with("- ") => {
                    replace(text, start, end, &["\n", indent, "- "].concat())
                }
                _ => replace(text, start, end, &["\n", indent].concat()),
            }
        }
        Command::ToggleComment => {
            let (from, to) = touched_lines(text, start, end);
            let written = || {
                text[from..to]
                    .split('\n')
                    .map(|line| &line[indentation(line)..])
                    .filter(|content| !content.is_empty())
            };
            // Uncomment when every written line is a comment; else comment them all at their
            // common indentation.
            let uncomment = written().next().is_some() && written().all(|c| c.starts_with('#'));
            let column = text[from..to]
                .split('\n')
                .filter(|line| line.len() > indentation(line))
                .map(indentation)
                .min()
                .unwrap_or(0);
            each_line(text, start, end, &|line| {
                let at = indentation(line);
                if at == line.len() {
                    line.to_owned()
                } else if uncomment {
                    let content = &line[at..];
                    let rest = content.strip_prefix("# ").unwrap_or(&content[1..]);
                    [&line[..at], rest].concat()
                } else {
                    [&line[..column], "# ", &line[column..]].concat()
                }
            })
        }
    };
    (edited.text != text).then_some(edited)
}

/// The leading spaces of a line.
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The start of the line holding byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Bytes `start..end` replaced by `with`, the caret after it.
fn replace(text: &str, start: usize, end: usize, with: &str) -> Edited {
    let caret = start + with.len();
    Edited {
        text: [&text[..start], with, &text[end..]].concat(),
        start: caret,
        end: caret,
    }
}

/// The lines a selection touches, from the first one's start to the last one's end (a
/// selection ending at a line's start does not touch that line).
fn touched_lines(text: &str, start: usize, end: usize) -> (usize, usize) {
    let last = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let to = text[last..].find('\n').map_or(text.len(), |i| last + i);
    (line_start(text, start), to)
}

/// Each line the selection touches rewritten by `f`. A caret moves with its line's change
/// (never before the line's start); a selection covers the rewritten lines.
fn each_line(text: &str, start: usize, end: usize, f: &dyn Fn(&str) -> String) -> Edited {
    let (from, to) = touched_lines(text, start, end);
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..from]);
    for (i, line) in text[from..to].split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&f(line));
    }
    let new_to = out.len();
    out.push_str(&text[to..]);
    let (start, end) = if start == end {
        // Only spaces and `# ` are added or removed, at the line's start: the caret's new
        // place is on a character boundary.
        let caret = (start + new_to).saturating_sub(to).max(from);
        (caret, caret)
    } else {
        (from, new_to)
    };
    Edited {
        text: out,
        start,
        end,
    }
}

#[cfg(test)]
mod tests {
    use super::Command::*;
    use super::*;

    fn at(text: &str, marker: &str) -> usize {
        text.find(marker).unwrap()
    }

    fn text(command: Command, text: &str, start: usize, end: usize) -> String {
        edit(command, text, start, end).unwrap().text
    }

    #[test]
    fn tab_indents_the_caret_or_the_selected_lines_and_shift_tab_outdents() {
        let t = "a:\nb: 1\n\nc: 2\n";
        assert_eq!(text(Indent, t, 3, 3), "a:\n  b: 1\n\nc: 2\n");
        let e = edit(Indent, t, 3, at(t, "2")).unwrap();
        assert_eq!(e.text, "a:\n  b: 1\n\n  c: 2\n", "empty lines stay empty");
        assert_eq!(&e.text[e.start..e.end], "  b: 1\n\n  c: 2");
        let back = edit(Outdent, &e.text, e.start, e.end).unwrap();
        assert_eq!(back.text, t);
        assert_eq!(edit(Outdent, t, 0, 2), None, "nothing to outdent");
        let caret = edit(Outdent, "   x", 4, 4).unwrap();
        assert_eq!((caret.text.as_str(), caret.start), (" x", 2));
        let selected_to_next_line = edit(Indent, t, 0, 3).unwrap();
        assert_eq!(selected_to_next_line.text, "  a:\nb: 1\n\nc: 2\n");
    }

    #[test]
    fn enter_keeps_the_indentation_and_continues_a_list() {
        let t = "feeds:\n  - clicks\n";
        let e = edit(Newline, t, at(t, "clicks") + 6, at(t, "clicks") + 6).unwrap();
        assert_eq!(e.text, "feeds:\n  - clicks\n  - \n");
        assert_eq!(e.start, at(t, "clicks") + 6 + 5);
        let ended = edit(Newline, &e.text, e.start, e.start).unwrap();
        assert_eq!(ended.text, "feeds:\n  - clicks\n\n");
        assert_eq!(ended.start, at(t, "clicks") + 7);
        let item = at(t, "clicks");
        assert_eq!(
            text(Newline, t, item, item),
            "feeds:\n  - \n  - clicks\n",
            "before an item's text, the item moves down: its dash stays"
        );
        let key = "emr:\n  tags: x";
        assert_eq!(
            text(Newline, key, key.len(), key.len()),
            "emr:\n  tags: x\n  "
        );
        assert_eq!(
            text(Newline, "a: xyz", 4, 6),
            "a: x\n",
            "the selection is replaced"
        );
    }

    #[test]
    fn ctrl_slash_comments_and_uncomments_at_the_common_indentation() {
        let t = "a:\n  b: 1\n\n    c: é\nd: 3\n";
        let e = edit(ToggleComment, t, at(t, "b"), at(t, "c") + 1).unwrap();
        assert_eq!(e.text, "a:\n  # b: 1\n\n  #   c: é\nd: 3\n");
        let back = edit(ToggleComment, &e.text, e.start, e.end).unwrap();
        assert_eq!(back.text, t);
        let caret = edit(ToggleComment, "x: é", 5, 5).unwrap();
        assert_eq!((caret.text.as_str(), caret.start), ("# x: é", 7));
        assert_eq!(text(ToggleComment, "  #x", 0, 0), "  x");
        assert_eq!(edit(ToggleComment, "\n\n", 0, 1), None, "no written line");
    }
}
