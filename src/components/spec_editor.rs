use std::sync::Arc;

use leptos::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::editing::{self, Command};
use crate::history::Typing;
use crate::lint_worker;
use crate::state::{AppState, Format};

/// How long typing must pause before a large text is linted (`lint_worker::LARGE_TEXT`).
const LINT_PAUSE_MS: u64 = 150;
/// Must match `.editor textarea { line-height }` in style/main.css.
pub const LINE_HEIGHT_PX: i32 = 20;

/// Selects UTF-16 offsets `start..end` of the editor's text (what `setSelectionRange`
/// takes), focuses the editor and scrolls `line` (1-based) to a third of its height.
pub fn select(state: &AppState, start: u32, end: u32, line: usize) {
    let Some(el) = state.editor.get_untracked() else {
        return;
    };
    let _ = el.focus();
    let _ = el.set_selection_range(start, end.max(start));
    let visible = el.client_height() / LINE_HEIGHT_PX;
    el.set_scroll_top(((line as i32 - 1 - visible / 3).max(0)) * LINE_HEIGHT_PX);
}

/// Selects bytes `start..end` of the text. The text area's value is brought up to date
/// first: a text set a moment ago is only written to it by the effect below, later.
pub fn select_bytes(state: &AppState, start: usize, end: usize) {
    let (from, to, line) = state.text.with_untracked(|text| {
        if let Some(el) = state.editor.get_untracked()
            && el.value() != *text
        {
            el.set_value(text);
        }
        let units = |at: usize| text[..at].encode_utf16().count() as u32;
        let line = text[..start].bytes().filter(|&b| b == b'\n').count() + 1;
        (units(start), units(end), line)
    });
    select(state, from, to, line);
}

/// The byte offset of UTF-16 offset `units` of `text` (a text area's selection), at the
/// start of the character it falls in.
fn byte_offset(text: &str, units: u32) -> usize {
    let mut seen = 0;
    text.char_indices()
        .find(|(_, c)| {
            seen += c.len_utf16() as u32;
            seen > units
        })
        .map_or(text.len(), |(at, _)| at)
}

/// The text view: a plain text area with line numbers and the app's undo history. The text
/// is the source of truth; the DOM value is only written when the text changed from
/// elsewhere, so the caret stays put while the user types.
#[component]
pub fn SpecEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let editor = state.editor;
    let gutter = NodeRef::<leptos::html::Pre>::new();
    let pending = StoredValue::new(None::<TimeoutHandle>);

    Effect::new(move |_| {
        let text = state.text.get();
        if let Some(el) = editor.get()
            && el.value() != text
        {
            el.set_value(&text);
        }
    });

    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let large = value.len() > lint_worker::LARGE_TEXT;
        let now = js_sys::Date::now();
        state.text.with_untracked(|before| {
            state
                .history
                .update_value(|h| h.typed(before, Typing::Editor, now))
        });
        state.text.set(value);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let typed = move || {
            let text = Arc::from(state.text.get_untracked());
            lint_worker::lint(state, text, lint_worker::Arrival::Typed)
        };
        if large {
            lint_worker::warm_up(state);
            let pause = std::time::Duration::from_millis(LINT_PAUSE_MS);
            pending.set_value(set_timeout_with_handle(typed, pause).ok());
        } else {
            typed();
        }
    };

    // Undo and redo are the app's history, not the text area's: its own is lost whenever the
    // page sets the value (a form edit, a file, "New spec"). Cmd on macOS; Ctrl+Y redoes too.
    // Tab indents; after Escape it moves the focus on, as anywhere else (no keyboard trap).
    let mut tab_leaves = false;
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        // Shift's own keydown comes between Escape and Tab in Escape, Shift+Tab.
        let leave = if key == "Shift" {
            tab_leaves
        } else {
            std::mem::replace(&mut tab_leaves, key == "Escape")
        };
        let command = (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key();
        // Safari ends a composition before the Enter that confirms it: key code 229 says so.
        let plain = !(ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || ev.is_composing()
            || ev.key_code() == 229);
        let edit = match key.as_str() {
            "z" | "Z" | "y" if command => {
                ev.prevent_default();
                return state.step_history(key != "y" && !ev.shift_key());
            }
            "Tab" if plain && !leave && ev.shift_key() => Command::Outdent,
            "Tab" if plain && !leave => Command::Indent,
            "Enter" if plain && !ev.shift_key() => Command::Newline,
            "/" if command => Command::ToggleComment,
            _ => return,
        };
        let Some(el) = state.editor.get_untracked() else {
            return;
        };
        ev.prevent_default();
        let (Ok(Some(start)), Ok(Some(end))) = (el.selection_start(), el.selection_end()) else {
            return;
        };
        let edited = state
            .text
            .with_untracked(|t| editing::edit(edit, t, byte_offset(t, start), byte_offset(t, end)));
        if let Some(e) = edited {
            // A line break is a keystroke of the typing run; the others are steps of their own.
            if edit == Command::Newline {
                state.type_text(e.text);
            } else {
                state.set_text(e.text);
            }
            select_bytes(&state, e.start, e.end);
        }
    };
    // The Edit menu's and the context menu's Undo and Redo reach the text area as input
    // events of these types: the same history.
    let on_before_input = move |ev: leptos::ev::InputEvent| {
        let kind = ev.input_type();
        if kind == "historyUndo" || kind == "historyRedo" {
            ev.prevent_default();
            state.step_history(kind == "historyUndo");
        }
    };
    let line_numbers = move || {
        let lines = state.text.with(|t| t.split('\n').count());
        let mut out = String::with_capacity(lines * 5);
        for n in 1..=lines {
            out.push_str(&n.to_string());
            out.push('\n');
        }
        out
    };
    let on_scroll = move |_| {
        if let (Some(el), Some(g)) = (editor.get(), gutter.get()) {
            g.set_scroll_top(el.scroll_top());
        }
    };
    let set_format = move |format: Format| {
        if state.format.get_untracked() == format {
            return;
        }
        // Only a text that can be read is reprinted; a broken one is left as typed, in the
        // format it is in, and the findings say what to fix first.
        if let Some(spec) = state
            .analysis
            .with_untracked(|a| a.readable_spec().cloned())
        {
            state.format.set(format);
            state.set_text(format.print(&spec));
        }
    };

    view! {
        <div class="editor-toolbar" role="group" aria-label="Text format">
            <span class="toolbar-label" id="format-label">"Format"</span>
            {[Format::Yaml, Format::Json]
                .into_iter()
                .map(|format| {
                    view! {
                        <button
                            type="button"
                            class="toggle"
                            aria-pressed=move || (state.format.get() == format).to_string()
                            on:click=move |_| set_format(format)
                        >
                            {format.as_str()}
                        </button>
                    }
                })
                .collect_view()}
            <CopyButton text=Signal::derive(move || state.text.get()) label="Copy text" />
        </div>
        <div class="editor">
            <pre class="gutter" aria-hidden="true" node_ref=gutter>{line_numbers}</pre>
            <textarea
                node_ref=editor
                id="spec-text"
                aria-label="Spec text (YAML or JSON); Tab indents, Escape then Tab leaves"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                placeholder="Paste a YAML or JSON spec, or an uploaded object"
                on:input=on_input
                on:keydown=on_key
                on:beforeinput=on_before_input
                on:scroll=on_scroll
            ></textarea>
        </div>
    }
}
