//! How a new text reaches the state: replaced whole (a file, a link, the draft, the format
//! toggle, "New", the site's catalog arriving) or written by the form. Each goes through
//! `lint_worker::lint`, which decides where it is analysed. These are methods of `AppState`,
//! kept out of state.rs so that the state does not depend on the lint worker (which depends
//! on the state).

use std::sync::Arc;

use backfill_spec::{Catalog, Spec};
use leptos::prelude::*;

use crate::components::spec_editor;
use crate::history::Typing;
use crate::lint_worker::{self, Arrival};
use crate::state::AppState;

impl AppState {
    /// Another catalog (the site's, once fetched): the same text, linted against it.
    pub fn set_catalog(&self, catalog: Catalog, text: Arc<str>) {
        self.catalog_text.set_value(Some(text));
        self.catalog.set(Arc::new(catalog));
        let text = Arc::from(self.text.get_untracked());
        lint_worker::lint(*self, text, Arrival::Replaced);
    }

    /// Replaces the text (a file, a link, a draft, the format toggle, "new spec") and has it
    /// analysed where its size says (`lint_worker::lint`).
    pub fn set_text(&self, text: String) {
        self.text.with_untracked(|before| {
            if *before != text {
                self.history.update_value(|h| h.record(before));
            }
        });
        self.show_text(text);
    }

    /// Makes `text` the text with no step back in the history: the page's first text (a
    /// step back to the empty one would only lose it), an undo or a redo itself.
    pub fn show_text(&self, text: String) {
        let arrived = Arc::from(text.as_str());
        self.text.set(text);
        lint_worker::lint(*self, arrived, Arrival::Replaced);
    }

    /// An edit of the editor's keys (Enter): a keystroke, grouped with the typing around it.
    pub fn type_text(&self, text: String) {
        let now = js_sys::Date::now();
        self.text.with_untracked(|before| {
            self.history
                .update_value(|h| h.typed(before, Typing::Editor, now))
        });
        self.show_text(text);
    }

    /// Ctrl+Z (`back`) or Ctrl+Shift+Z: the text one step back or forward in the history,
    /// with the caret where it starts to differ from the text it replaces.
    pub fn step_history(&self, back: bool) {
        let current = self.text.get_untracked();
        let Some(text) = self
            .history
            .try_update_value(|h| {
                if back {
                    h.undo(current.clone())
                } else {
                    h.redo(current.clone())
                }
            })
            .flatten()
        else {
            return;
        };
        let mut same = current
            .bytes()
            .zip(text.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !text.is_char_boundary(same) {
            same -= 1;
        }
        self.show_text(text);
        spec_editor::select_bytes(self, same, same);
    }

    /// A form edit: change the last good spec, print it canonically, make that the text.
    pub fn edit_spec(&self, change: impl FnOnce(&mut Spec)) {
        // Text typed a moment ago may not be analysed yet (large specs wait for a pause and
        // the worker): the edit must start from it, not from the spec before it.
        self.catch_up();
        let mut spec = self.form.with_untracked(|f| f.spec.clone());
        change(&mut spec);
        self.print_spec(&spec);
    }

    /// The part of [`Self::edit_spec`] that is the same for every edit: kept out of line so
    /// that each of the form's many edits does not carry its own copy of the printer.
    #[inline(never)]
    fn print_spec(&self, spec: &Spec) {
        let text = self.format.get_untracked().print(spec);
        // A form edit is a step like a keystroke: typing a name in its field is one step,
        // not one per letter.
        let now = js_sys::Date::now();
        self.text.with_untracked(|before| {
            if *before != text {
                self.history
                    .update_value(|h| h.typed(before, Typing::Form, now));
            }
        });
        let arrived = Arc::from(text.as_str());
        self.text.set(text);
        lint_worker::lint(*self, arrived, Arrival::FormEdit);
    }
}
