use std::sync::Arc;

use leptos::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::lint_worker;
use crate::state::{AppState, Format};

/// How long typing must pause before a large text is linted (`lint_worker::LARGE_TEXT`).
const LINT_PAUSE_MS: u64 = 150;
/// Must match `.editor textarea { line-height }` in style/main.css.
pub const LINE_HEIGHT_PX: i32 = 20;

/// The text view: a plain text area with line numbers. The text is the source of truth; the
/// DOM value is only written when the text changed from elsewhere, so the caret stays put
/// while the user types.
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
        state.text.set(value);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let typed = move || {
            let text = Arc::from(state.text.get_untracked());
            lint_worker::lint(state, text, lint_worker::Arrival::Typed)
        };
        if large {
            let pause = std::time::Duration::from_millis(LINT_PAUSE_MS);
            pending.set_value(set_timeout_with_handle(typed, pause).ok());
        } else {
            typed();
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
                aria-label="Spec text (YAML or JSON)"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                placeholder="Paste a YAML or JSON spec, or an uploaded object"
                on:input=on_input
                on:scroll=on_scroll
            ></textarea>
        </div>
    }
}
