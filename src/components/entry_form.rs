use backfill_spec::{Entry, Feeds};
use leptos::prelude::*;

use crate::components::feed_picker::FeedPicker;
use crate::components::field_problems::FieldProblems;
use crate::components::text_field::{FieldDef, same_items, split_items, text_fields};
use crate::paths::entry_path;
use crate::state::{AppState, FormSpec};

/// Reads entry `index` of the form's spec (an empty entry if it is gone).
fn with_entry<T>(form: Memo<FormSpec>, index: usize, read: impl FnOnce(&Entry) -> T) -> T {
    form.with(|f| match f.spec.backfills.get(index) {
        Some(e) => read(e),
        None => read(&Entry::default()),
    })
}

/// The text of entry `index` as `get` reads it (an empty entry's if it is gone).
fn entry_text(spec: &backfill_spec::Spec, index: usize, get: fn(&Entry) -> String) -> String {
    match spec.backfills.get(index) {
        Some(e) => get(e),
        None => get(&Entry::default()),
    }
}

/// Changes entry `index` (a stale index, the list changed under the user, does nothing).
fn edit_entry(
    spec: &mut backfill_spec::Spec,
    index: usize,
    v: String,
    change: fn(&mut Entry, String),
) {
    if let Some(e) = spec.backfills.get_mut(index) {
        change(e, v)
    }
}

/// An entry's text fields: the dates, then except and hours (in a row with the target), then
/// the note.
static ENTRY_FIELDS: [FieldDef; 4] = [
    FieldDef {
        label: "Dates",
        path: "dates",
        placeholder: "2022-08-10, 2022-07-01..2022-07-31",
        help: Some("days and inclusive ranges (start..end), separated by commas"),
        same: same_items,
        get: |s, i| entry_text(s, i, |e| e.dates.join(", ")),
        set: |s, i, v| edit_entry(s, i, v, |e, v| e.dates = split_items(&v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Except",
        path: "except",
        placeholder: "2022-07-04",
        help: Some("days left out of the dates"),
        same: same_items,
        get: |s, i| entry_text(s, i, |e| e.except.join(", ")),
        set: |s, i, v| edit_entry(s, i, v, |e, v| e.except = split_items(&v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Hours",
        path: "hours",
        placeholder: "0-11, 14",
        help: Some("empty: the whole day; hourly feeds only"),
        same: same_items,
        get: |s, i| entry_text(s, i, |e| e.hours.join(", ")),
        set: |s, i, v| edit_entry(s, i, v, |e, v| e.hours = split_items(&v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Note",
        path: "note",
        placeholder: "apply schema v42",
        get: |s, i| entry_text(s, i, |e| e.note.clone().unwrap_or_default()),
        set: |s, i, v| {
            edit_entry(s, i, v, |e, v| {
                e.note = if v.is_empty() { None } else { Some(v) }
            })
        },
        ..FieldDef::LINE
    },
];

/// Swaps two entries; a stale index (the list changed under the click) does nothing.
fn move_entry(spec: &mut backfill_spec::Spec, from: usize, to: usize) {
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
    fn apply(self, spec: &mut backfill_spec::Spec, index: usize) {
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

/// The target of entry `index`, or with `None` the spec's default target: one element shape
/// for both.
pub fn target_field(entry: Option<usize>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (label, id, path, problems_path, problems_id, default) = match entry {
        Some(index) => (
            "Target",
            format!("entry-{index}-target"),
            entry_path(index, "target"),
            entry_path(index, "target"),
            format!("entry-{index}-target-problems"),
            "the default",
        ),
        None => (
            "Default target",
            "field-defaults-target".to_string(),
            "/defaults/target".to_string(),
            "/defaults".to_string(),
            "field-defaults-problems".to_string(),
            "emr (the default)",
        ),
    };
    let value = move || {
        state.form.with(|f| match entry {
            Some(index) => f.spec.backfills.get(index).and_then(|e| e.target.clone()),
            None => f.spec.defaults.target.clone(),
        })
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                prop:value=move || value().unwrap_or_default()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.touch(path.clone());
                    state.edit_spec(|s| {
                        let target = match entry {
                            Some(index) => s.backfills.get_mut(index).map(|e| &mut e.target),
                            None => Some(&mut s.defaults.target),
                        };
                        if let Some(target) = target {
                            *target = if v.is_empty() { None } else { Some(v) };
                        }
                    });
                }
            >
                <option value="">{default}</option>
                <option value="emr">"emr"</option>
                <option value="replay">"replay"</option>
            </select>
            <FieldProblems path=problems_path id=problems_id />
        </div>
    }
}

/// One backfill entry: feeds, dates (typed in the spec's syntax or picked), except, hours,
/// target, note, and the buttons that move, copy or remove it.
#[component]
pub fn EntryForm(index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.form;
    let range_from = RwSignal::new(String::new());
    let range_to = RwSignal::new(String::new());
    let add_dates = move |item: String| {
        state.touch(entry_path(index, "dates"));
        state.edit_spec(|s| {
            if let Some(e) = s.backfills.get_mut(index) {
                e.dates.retain(|d| !d.is_empty());
                e.dates.push(item);
            }
        });
    };
    // One handler type for both date inputs (one element shape for the two).
    let pick = |day: RwSignal<String>| move |ev| day.set(event_target_value(&ev));
    let id = |name: &str| format!("entry-{index}-{name}");

    view! {
        <li class="entry" aria-label=numbered("Backfill entry ", index, "")>
            <div class="entry-head">
                <h4>{numbered("Entry ", index, "")}</h4>
                <div class="entry-actions" role="group" aria-label=numbered("Entry ", index, " actions")>
                    {action_button(state, index, EntryAction::Up)}
                    {action_button(state, index, EntryAction::Down)}
                    {action_button(state, index, EntryAction::Duplicate)}
                    {action_button(state, index, EntryAction::Remove)}
                </div>
            </div>
            <FeedPicker index=index />
            {text_fields(&ENTRY_FIELDS[..1], Some(index))}
            <div class="date-pickers" role="group" aria-label="Pick dates">
                <label for=id("pick-from")>"Pick a day"</label>
                <input type="date" id=id("pick-from") on:input=pick(range_from) />
                <label for=id("pick-to")>"to (optional, for a range)"</label>
                <input type="date" id=id("pick-to") on:input=pick(range_to) />
                <button
                    type="button"
                    class="secondary"
                    disabled=move || range_from.with(String::is_empty)
                    on:click=move |_| {
                        let (from, to) = (range_from.get_untracked(), range_to.get_untracked());
                        add_dates(if to.is_empty() || to == from { from } else { format!("{from}..{to}") })
                    }
                >
                    "Add to dates"
                </button>
            </div>
            <div class="field-row">
                {text_fields(&ENTRY_FIELDS[1..3], Some(index))}
                {target_field(Some(index))}
            </div>
            {text_fields(&ENTRY_FIELDS[3..], Some(index))}
            <p
                class="field-help"
                hidden=move || !with_entry(form, index, |e| matches!(e.feeds, Feeds::List(ref l) if l.is_empty()) && e.dates.is_empty())
            >
                "Pick feeds and dates to add this entry to the plan."
            </p>
        </li>
    }
}
