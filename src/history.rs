//! One undo history for every change of the text: typing, form edits, files, links, "New
//! spec", the format toggle. A text area's own undo is lost whenever the page sets its
//! value, so the editor's Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y (Cmd on macOS) come here instead
//! (`components::spec_editor`). Steps are whole texts: a spec is small next to the bound
//! below, and a whole text cannot be replayed onto the wrong one.

/// Steps kept back; the oldest go first.
const MAX_STEPS: usize = 200;
/// Bytes of text kept back in all (two hundred steps of a 5,000-entry spec would be
/// hundreds of megabytes); the latest step is kept whatever its size.
const MAX_BYTES: usize = 32 << 20;
/// Keystrokes closer together than this are one step.
const TYPING_STEP_MS: f64 = 1000.0;

/// Where keystrokes land: a run of them is one step, but a run in the form and one in the
/// editor are two.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Typing {
    Editor,
    Form,
}

#[derive(Debug, Default)]
pub struct History {
    /// Oldest first. A `Vec`: dropping the oldest step moves at most 200 pointers.
    undo: Vec<String>,
    redo: Vec<String>,
    /// Bytes in `undo`.
    bytes: usize,
    /// Where and when (ms) the last keystroke was recorded, while typing goes on; `None`
    /// after any other change, so that the next keystroke starts a step of its own.
    typing_since: Option<(Typing, f64)>,
}

impl History {
    /// Before a change that replaces the text (a file, a link, "New spec", the format
    /// toggle): the text as it was is one step back.
    pub fn record(&mut self, before: &str) {
        self.push_undo(before.to_owned());
        self.redo.clear();
        self.typing_since = None;
    }

    /// Before a keystroke's change at `now_ms`: a step back only after a pause in typing or
    /// when it moves between the editor and the form.
    pub fn typed(&mut self, before: &str, at: Typing, now_ms: f64) {
        if self
            .typing_since
            .is_none_or(|(was, since)| was != at || now_ms - since > TYPING_STEP_MS)
        {
            self.push_undo(before.to_owned());
            self.redo.clear();
        }
        self.typing_since = Some((at, now_ms));
    }

    /// The text one step back, `current` becoming the step forward; `None` at the start.
    pub fn undo(&mut self, current: String) -> Option<String> {
        let before = self.undo.pop()?;
        self.bytes -= before.len();
        self.redo.push(current);
        self.typing_since = None;
        Some(before)
    }

    /// The text one step forward again; `None` after the latest change.
    pub fn redo(&mut self, current: String) -> Option<String> {
        let after = self.redo.pop()?;
        self.push_undo(current);
        self.typing_since = None;
        Some(after)
    }

    fn push_undo(&mut self, text: String) {
        if self.undo.last() == Some(&text) {
            return;
        }
        self.bytes += text.len();
        self.undo.push(text);
        while self.undo.len() > MAX_STEPS || (self.bytes > MAX_BYTES && self.undo.len() > 1) {
            self.bytes -= self.undo.remove(0).len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Typing::{Editor, Form};
    use super::*;

    #[test]
    fn typing_is_grouped_by_pauses_and_replacements_are_steps() {
        let mut h = History::default();
        h.typed("", Editor, 1000.0);
        h.typed("a", Editor, 1200.0);
        h.typed("ab", Editor, 1400.0);
        h.record("abc"); // a file opened
        h.typed("abC", Editor, 1500.0);
        h.typed("abCd", Editor, 5000.0); // after a pause
        assert_eq!(h.undo("abCde".into()).as_deref(), Some("abCd"));
        assert_eq!(h.undo("abCd".into()).as_deref(), Some("abC"));
        assert_eq!(h.undo("abC".into()).as_deref(), Some("abc"));
        assert_eq!(h.undo("abc".into()).as_deref(), Some(""));
        assert_eq!(h.undo("".into()), None);
        assert_eq!(h.redo("".into()).as_deref(), Some("abc"));
        assert_eq!(h.redo("abc".into()).as_deref(), Some("abC"));
        h.record("abC");
        assert_eq!(
            h.redo("x".into()),
            None,
            "a new change drops the steps forward"
        );
    }

    #[test]
    fn a_keystroke_after_an_undo_or_elsewhere_starts_a_step() {
        let mut h = History::default();
        h.typed("", Editor, 0.0);
        h.typed("a", Form, 10.0);
        h.typed("ab", Form, 20.0);
        assert_eq!(h.undo("abc".into()).as_deref(), Some("a"));
        assert_eq!(h.undo("a".into()).as_deref(), Some(""));
        h.typed("", Editor, 30.0);
        assert_eq!(h.undo("b".into()).as_deref(), Some(""));
        assert_eq!(h.redo("".into()).as_deref(), Some("b"));
    }

    #[test]
    fn the_history_is_bounded_in_steps_and_bytes() {
        let mut h = History::default();
        for i in 0..MAX_STEPS + 50 {
            h.record(&i.to_string());
        }
        assert_eq!(h.undo.len(), MAX_STEPS);
        assert_eq!(h.undo[0], "50");

        let mut h = History::default();
        let big = "x".repeat(MAX_BYTES / 3 + 1);
        for c in ["a", "b", "c", "d"] {
            h.record(&format!("{c}{big}"));
        }
        assert_eq!(h.undo.len(), 2, "the two latest fit in the bound");
        assert!(h.bytes <= MAX_BYTES);
        assert_eq!(h.bytes, h.undo.iter().map(String::len).sum::<usize>());
        assert!(h.undo("e".into()).is_some_and(|t| t.starts_with('d')));
        assert_eq!(h.bytes, h.undo.iter().map(String::len).sum::<usize>());
    }
}
