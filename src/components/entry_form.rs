use backfill_spec::{Entry, Feeds};
use leptos::prelude::*;

use crate::components::feed_picker::FeedPicker;
use crate::components::field_problems::FieldProblems;
use crate::components::text_field::{TextField, split_items};
use crate::state::{AppState, FormSpec};

/// Whether an input's text already says what the spec's list says.
fn same_items(input: &str, joined: &str) -> bool {
    split_items(input) == split_items(joined)
}

/// Reads entry `index` of the form's spec (an empty entry if it is gone).
fn with_entry<T>(form: Memo<FormSpec>, index: usize, read: impl FnOnce(&Entry) -> T) -> T {
    form.with(|f| match f.spec.backfills.get(index) {
        Some(e) => read(e),
        None => read(&Entry::default()),
    })
}

/// Swaps two entries; a stale index (the list changed under the click) does nothing.
fn move_entry(spec: &mut backfill_spec::Spec, from: usize, to: usize) {
    if from < spec.backfills.len() && to < spec.backfills.len() {
        spec.backfills.swap(from, to);
    }
}

/// One backfill entry: feeds, dates (typed in the spec's syntax or picked), except, hours,
/// target, note, and the buttons that move, copy or remove it.
#[component]
pub fn EntryForm(index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.form;
    let base = format!("/backfills/{index}");
    // Plain reads, not memos (see feed_picker.rs).
    let count = move || form.with(|f| f.spec.backfills.len());
    let edit = move |change: fn(&mut Entry, String)| {
        Callback::new(move |v: String| {
            state.edit_spec(|s| {
                if let Some(e) = s.backfills.get_mut(index) {
                    change(e, v)
                }
            })
        })
    };
    let list = move |get: fn(&Entry) -> &Vec<String>| {
        Signal::derive(move || with_entry(form, index, |e| get(e).join(", ")))
    };
    let range_from = RwSignal::new(String::new());
    let range_to = RwSignal::new(String::new());
    let add_dates = move |item: String| {
        state.touch(format!("/backfills/{index}/dates"));
        state.edit_spec(|s| {
            if let Some(e) = s.backfills.get_mut(index) {
                e.dates.retain(|d| !d.is_empty());
                e.dates.push(item);
            }
        });
    };
    let id = |name: &str| format!("entry-{index}-{name}");
    let target_id = id("target");

    view! {
        <li class="entry" aria-label=format!("Backfill entry {}", index + 1)>
            <div class="entry-head">
                <h4>{format!("Entry {}", index + 1)}</h4>
                <div class="entry-actions" role="group" aria-label=format!("Entry {} actions", index + 1)>
                    <button
                        type="button"
                        class="icon"
                        aria-label=format!("Move entry {} up", index + 1)
                        disabled=move || index == 0
                        on:click=move |_| state.edit_spec(|s| move_entry(s, index, index.wrapping_sub(1)))
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="icon"
                        aria-label=format!("Move entry {} down", index + 1)
                        disabled=move || { index + 1 >= count() }
                        on:click=move |_| state.edit_spec(|s| move_entry(s, index, index + 1))
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="icon"
                        aria-label=format!("Duplicate entry {}", index + 1)
                        on:click=move |_| {
                            state.edit_spec(|s| {
                                if let Some(copy) = s.backfills.get(index).cloned() {
                                    s.backfills.insert(index + 1, copy);
                                }
                            })
                        }
                    >
                        "copy"
                    </button>
                    <button
                        type="button"
                        class="icon danger"
                        aria-label=format!("Remove entry {}", index + 1)
                        on:click=move |_| {
                            state.edit_spec(|s| {
                                if index < s.backfills.len() {
                                    s.backfills.remove(index);
                                }
                            })
                        }
                    >
                        "✕"
                    </button>
                </div>
            </div>
            <FeedPicker index=index />
            <TextField
                label="Dates"
                path=format!("{base}/dates")
                placeholder="2022-08-10, 2022-07-01..2022-07-31"
                help="days and inclusive ranges (start..end), separated by commas"
                value=list(|e| &e.dates)
                same=same_items
                on_edit=edit(|e, v| e.dates = split_items(&v))
            />
            <div class="date-pickers" role="group" aria-label="Pick dates">
                <label for=id("pick-from")>"Pick a day"</label>
                <input type="date" id=id("pick-from") on:input=move |ev| range_from.set(event_target_value(&ev)) />
                <label for=id("pick-to")>"to (optional, for a range)"</label>
                <input type="date" id=id("pick-to") on:input=move |ev| range_to.set(event_target_value(&ev)) />
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
                <TextField
                    label="Except"
                    path=format!("{base}/except")
                    placeholder="2022-07-04"
                    help="days left out of the dates"
                    value=list(|e| &e.except)
                    same=same_items
                    on_edit=edit(|e, v| e.except = split_items(&v))
                />
                <TextField
                    label="Hours"
                    path=format!("{base}/hours")
                    placeholder="0-11, 14"
                    help="empty: the whole day; hourly feeds only"
                    value=list(|e| &e.hours)
                    same=same_items
                    on_edit=edit(|e, v| e.hours = split_items(&v))
                />
                <div class="field">
                    <label for=target_id.clone()>"Target"</label>
                    <select
                        id=target_id
                        prop:value=move || with_entry(form, index, |e| e.target.clone().unwrap_or_default())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            state.touch(format!("/backfills/{index}/target"));
                            state.edit_spec(|s| {
                                if let Some(e) = s.backfills.get_mut(index) {
                                    e.target = if v.is_empty() { None } else { Some(v) };
                                }
                            });
                        }
                    >
                        <option value="">"the default"</option>
                        <option value="emr">"emr"</option>
                        <option value="replay">"replay"</option>
                    </select>
                    <FieldProblems path=format!("{base}/target") id=format!("entry-{index}-target-problems") />
                </div>
            </div>
            <TextField
                label="Note"
                path=format!("{base}/note")
                placeholder="apply schema v42"
                value=Signal::derive(move || with_entry(form, index, |e| e.note.clone().unwrap_or_default()))
                on_edit=edit(|e, v| e.note = if v.is_empty() { None } else { Some(v) })
            />
            <p
                class="field-help"
                hidden=move || !with_entry(form, index, |e| matches!(e.feeds, Feeds::List(ref l) if l.is_empty()) && e.dates.is_empty())
            >
                "Pick feeds and dates to add this entry to the plan."
            </p>
        </li>
    }
}
