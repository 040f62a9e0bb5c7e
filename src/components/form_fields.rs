//! The form's layout, derived from the spec's field description (`backfill_spec::fields`):
//! each field is shown by the component for its control, next to each other when the
//! description puts them in the same row, in the description's order. Entries are here too:
//! an entry is the fields of its place.

use backfill_spec::Feeds;
use backfill_spec::fields::{At, Control, Field, FormField, Kind, Place};
use leptos::prelude::*;

use crate::components::day_picker::DayPicker;
use crate::components::entry_head::EntryHead;
use crate::components::feed_picker::FeedPicker;
use crate::components::field_problems::FieldProblems;
use crate::components::target_select::TargetSelect;
use crate::components::text_field::TextField;
use crate::state::AppState;

/// Entries rendered at first; more on request, so that a pasted spec of thousands of entries
/// does not build thousands of forms.
const ENTRIES_PAGE: usize = 50;

/// The form fields of `place` (of entry `at` for an entry's), grouped into their rows.
pub fn fields_view(place: Place, at: At) -> AnyView {
    let mut rows: Vec<(&str, Vec<AnyView>)> = Vec::new();
    for field in place.fields() {
        let Some(form) = field.form else { continue };
        let view = field_view(field, form, at);
        match rows.last_mut() {
            Some((row, views)) if !form.row.is_empty() && *row == form.row => views.push(view),
            _ => rows.push((form.row, vec![view])),
        }
    }
    rows.into_iter()
        .map(|(row, views)| {
            if row.is_empty() {
                views.collect_view().into_any()
            } else {
                view! { <div class="field-row">{views}</div> }.into_any()
            }
        })
        .collect_view()
        .into_any()
}

/// One field, by the control the description gives it (`fields::tests` checks that each
/// control fits its field's kind and place, so the last arm is never taken).
fn field_view(field: &'static Field, form: FormField, at: At) -> AnyView {
    let inner = match field.kind {
        Kind::Section(inner) => Some(inner),
        _ => None,
    };
    match (form.control, at, inner) {
        (Control::Line | Control::Lines, _, _) => {
            view! { <TextField field=field form=form at=at /> }.into_any()
        }
        (Control::Days, At::Entry(index), _) => view! {
            <TextField field=field form=form at=at />
            <DayPicker field=field index=index />
        }
        .into_any(),
        (Control::Target { unset }, _, _) => {
            view! { <TargetSelect field=field at=at label=form.label unset=unset /> }.into_any()
        }
        (Control::Feeds, At::Entry(index), _) => {
            view! { <FeedPicker field=field index=index /> }.into_any()
        }
        (Control::Inline, _, Some(inner)) => fields_view(inner, at),
        (Control::Collapsed, _, Some(inner)) => view! {
            <details class="emr-overrides">
                <summary>{form.label}</summary>
                {fields_view(inner, at)}
            </details>
        }
        .into_any(),
        (Control::Entries, _, _) => view! { <EntryList heading=form.label /> }.into_any(),
        // A control that does not fit its field (see above).
        _ => ().into_any(),
    }
}

/// The spec's entries under their heading, 50 at a time, and the button that adds one.
#[component]
fn EntryList(heading: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown = RwSignal::new(ENTRIES_PAGE);
    // A memo: the entries are rebuilt only when their number changes, not on every edit
    // (each reads its own fields).
    let count = Memo::new(move |_| state.form.with(|f| f.spec.backfills.len()));
    view! {
        <h3 class="entries-heading">{heading}</h3>
        <FieldProblems path="/backfills" id="field-backfills-problems" />
        <ol class="entries">
            {move || {
                (0..count.get().min(shown.get()))
                    .map(|index| view! { <EntryForm index=index /> })
                    .collect_view()
            }}
        </ol>
        <button
            type="button"
            class="secondary"
            hidden=move || count.get() <= shown.get()
            on:click=move |_| shown.update(|n| *n += ENTRIES_PAGE)
        >
            {move || format!("Show more entries ({} of {} shown)", shown.get(), count.get())}
        </button>
        <button
            type="button"
            data-testid="add-entry"
            on:click=move |_| {
                state.edit_spec(|s| s.backfills.push(Default::default()));
                shown.update(|n| *n = (*n).max(count.get_untracked() + 1));
            }
        >
            "+ Add a backfill entry"
        </button>
    }
}

/// One backfill entry: its head (number and buttons), then its fields.
#[component]
fn EntryForm(index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let empty = move || {
        state.form.with(|f| {
            f.spec.backfills.get(index).is_none_or(|e| {
                matches!(e.feeds, Feeds::List(ref l) if l.is_empty()) && e.dates.is_empty()
            })
        })
    };
    view! {
        <li class="entry" aria-label=format!("Backfill entry {}", index + 1)>
            <EntryHead index=index />
            {fields_view(Place::Entry, At::Entry(index))}
            <p class="field-help" hidden=move || !empty()>
                "Pick feeds and dates to add this entry to the plan."
            </p>
        </li>
    }
}
