use backfill_spec::fields::{At, Field, Value};
use leptos::prelude::*;

use crate::state::AppState;

/// Days picked from a calendar and added to a days field of entry `index` (its `dates`): one
/// day, or a range when the second day is given.
#[component]
pub fn DayPicker(field: &'static Field, index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let at = At::Entry(index);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let add = move |item: String| {
        state.touch(field.path(at));
        state.edit_spec(|s| {
            let mut items = match field.get(s, at) {
                Value::List(items) => items,
                _ => Vec::new(),
            };
            items.retain(|d| !d.is_empty());
            items.push(item);
            field.set(s, at, Value::List(items));
        });
    };
    // One handler type for both inputs.
    let pick = |day: RwSignal<String>| move |ev| day.set(event_target_value(&ev));
    let id = |name: &str| format!("entry-{index}-{name}");
    view! {
        <div class="date-pickers" role="group" aria-label="Pick dates">
            <label for=id("pick-from")>"Pick a day"</label>
            <input type="date" id=id("pick-from") on:input=pick(from) />
            <label for=id("pick-to")>"to (optional, for a range)"</label>
            <input type="date" id=id("pick-to") on:input=pick(to) />
            <button
                type="button"
                class="secondary"
                disabled=move || from.with(String::is_empty)
                on:click=move |_| {
                    let (first, last) = (from.get_untracked(), to.get_untracked());
                    add(if last.is_empty() || last == first { first } else { format!("{first}..{last}") })
                }
            >
                "Add to dates"
            </button>
        </div>
    }
}
