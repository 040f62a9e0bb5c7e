use backfill_spec::Spec;
use leptos::prelude::*;

use crate::state::AppState;

/// Swaps two entries; a stale index (the list changed under the click) does nothing.
fn move_entry(spec: &mut Spec, from: usize, to: usize) {
    if from < spec.backfills.len() && to < spec.backfills.len() {
        spec.backfills.swap(from, to);
    }
}

/// `before`, the entry's number as people count (from 1), `after`: "Move entry 2 up".
fn numbered(before: &str, index: usize, after: &str) -> String {
    format!("{before}{}{after}", index + 1)
}

/// What the buttons at the head of an entry do.
#[derive(Clone, Copy)]
enum EntryAction {
    Up,
    Down,
    Duplicate,
    Remove,
}

impl EntryAction {
    fn apply(self, spec: &mut Spec, index: usize) {
        match self {
            EntryAction::Up => move_entry(spec, index, index.wrapping_sub(1)),
            EntryAction::Down => move_entry(spec, index, index + 1),
            EntryAction::Duplicate => {
                if let Some(copy) = spec.backfills.get(index).cloned() {
                    spec.backfills.insert(index + 1, copy);
                }
            }
            EntryAction::Remove => {
                if index < spec.backfills.len() {
                    spec.backfills.remove(index);
                }
            }
        }
    }
}

/// One of an entry's buttons; all four are this one element shape (each shape of element
/// with reactive parts is about 1 KB of the bundle).
fn action_button(state: AppState, index: usize, action: EntryAction) -> impl IntoView {
    let (class, symbol, label) = match action {
        EntryAction::Up => ("icon", "↑", numbered("Move entry ", index, " up")),
        EntryAction::Down => ("icon", "↓", numbered("Move entry ", index, " down")),
        EntryAction::Duplicate => ("icon", "copy", numbered("Duplicate entry ", index, "")),
        EntryAction::Remove => ("icon danger", "✕", numbered("Remove entry ", index, "")),
    };
    let disabled = move || match action {
        EntryAction::Up => index == 0,
        EntryAction::Down => index + 1 >= state.form.with(|f| f.spec.backfills.len()),
        EntryAction::Duplicate | EntryAction::Remove => false,
    };
    view! {
        <button
            type="button"
            class=class
            aria-label=label
            disabled=disabled
            on:click=move |_| state.edit_spec(|s| action.apply(s, index))
        >
            {symbol}
        </button>
    }
}

/// The head of entry `index`: its number and the buttons that move, copy or remove it.
#[component]
pub fn EntryHead(index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="entry-head">
            <h4>{numbered("Entry ", index, "")}</h4>
            <div class="entry-actions" role="group" aria-label=numbered("Entry ", index, " actions")>
                {action_button(state, index, EntryAction::Up)}
                {action_button(state, index, EntryAction::Down)}
                {action_button(state, index, EntryAction::Duplicate)}
                {action_button(state, index, EntryAction::Remove)}
            </div>
        </div>
    }
}
