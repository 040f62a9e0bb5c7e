use leptos::prelude::*;

use crate::components::emr_form::EmrForm;
use crate::components::entry_form::EntryForm;
use crate::components::field_problems::FieldProblems;
use crate::components::text_field::TextField;
use crate::state::AppState;

/// Entries rendered at first; more on request, so that a pasted spec of thousands of entries
/// does not build thousands of forms.
const ENTRIES_PAGE: usize = 50;

fn optional(value: String) -> Option<String> {
    if value.is_empty() { None } else { Some(value) }
}

/// The form view of the spec. Edits print the spec canonically into the text; while the text
/// does not parse, the form shows the last spec that did, marked stale and read-only, so
/// nothing typed in the text is overwritten.
#[component]
pub fn SpecForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.form;
    let stale = move || form.with(|f| f.stale);
    let field = move |get: fn(&backfill_spec::Spec) -> String| {
        Signal::derive(move || form.with(|f| get(&f.spec)))
    };
    // One closure type for every field's edit (each `Callback::new` of a new closure type is
    // compiled again); the field is named by the function it is given.
    let edit = move |change: fn(&mut backfill_spec::Spec, String)| {
        Callback::new(move |v: String| state.edit_spec(|s| change(s, v)))
    };
    let shown = RwSignal::new(ENTRIES_PAGE);
    // A memo: the entries are rebuilt only when their number changes, not on every edit.
    let count = Memo::new(move |_| form.with(|f| f.spec.backfills.len()));

    view! {
            <p class="notice notice-stale" role="status" data-testid="form-stale" hidden=move || !stale()>
                "⏸ The text does not parse right now: the form shows the last version that did, "
                "read-only. Fix the text (see the problems below it) and the form follows again."
            </p>
        <fieldset class="spec-form" disabled=stale aria-label="Spec form">
            <div class="field-row">
                <TextField
                    label="Name"
                    path="/name"
                    placeholder="clicks-recon-2022-08"
                    help="lowercase letters, digits and dashes"
                    value=field(|s| s.name.clone())
                    on_edit=edit(|s, v| s.name = v)
                />
                <TextField
                    label="Requested by"
                    path="/requested_by"
                    placeholder="oncall@example.com"
                    value=field(|s| s.requested_by.clone().unwrap_or_default())
                    on_edit=edit(|s, v| s.requested_by = optional(v))
                />
                <TextField
                    label="Ticket"
                    path="/ticket"
                    placeholder="INC-4821"
                    value=field(|s| s.ticket.clone().unwrap_or_default())
                    on_edit=edit(|s, v| s.ticket = optional(v))
                />
            </div>
            <TextField
                label="Reason"
                path="/reason"
                placeholder="silver/gold mismatch for clicks (INC-4821)"
                multiline=true
                value=field(|s| s.reason.clone())
                on_edit=edit(|s, v| s.reason = v)
            />
            <div class="field">
                <label for="field-defaults-target">"Default target"</label>
                <select
                    id="field-defaults-target"
                    prop:value=move || form.with(|f| f.spec.defaults.target.clone().unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        state.touch("/defaults/target");
                        state.edit_spec(|s| s.defaults.target = optional(v));
                    }
                >
                    <option value="">"emr (the default)"</option>
                    <option value="emr">"emr"</option>
                    <option value="replay">"replay"</option>
                </select>
                <FieldProblems path="/defaults" id="field-defaults-problems" />
            </div>

            <h3 class="entries-heading">"Backfills"</h3>
            <FieldProblems path="/backfills" id="field-backfills-problems" />
            <ol class="entries">
                // Entries are rebuilt only when their number changes (each reads its own).
                {move || (0..count.get().min(shown.get())).map(|index| view! { <EntryForm index=index /> }).collect_view()}
            </ol>
                <button
                    type="button"
                    class="secondary"
                    hidden=move || { count.get() <= shown.get() }
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
            <EmrForm />
        </fieldset>
    }
}
