use leptos::prelude::*;

use crate::components::emr_form::EmrForm;
use crate::components::entry_form::{EntryForm, target_field};
use crate::components::field_problems::FieldProblems;
use crate::components::text_field::{FieldDef, text_fields};
use crate::state::AppState;

/// Entries rendered at first; more on request, so that a pasted spec of thousands of entries
/// does not build thousands of forms.
const ENTRIES_PAGE: usize = 50;

fn optional(value: String) -> Option<String> {
    if value.is_empty() { None } else { Some(value) }
}

/// The spec's own text fields: a row of three, then the reason.
static SPEC_FIELDS: [FieldDef; 4] = [
    FieldDef {
        label: "Name",
        path: "/name",
        placeholder: "clicks-recon-2022-08",
        help: Some("lowercase letters, digits and dashes"),
        get: |s, _| s.name.clone(),
        set: |s, _, v| s.name = v,
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Requested by",
        path: "/requested_by",
        placeholder: "oncall@example.com",
        get: |s, _| s.requested_by.clone().unwrap_or_default(),
        set: |s, _, v| s.requested_by = optional(v),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Ticket",
        path: "/ticket",
        placeholder: "INC-4821",
        get: |s, _| s.ticket.clone().unwrap_or_default(),
        set: |s, _, v| s.ticket = optional(v),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Reason",
        path: "/reason",
        placeholder: "silver/gold mismatch for clicks (INC-4821)",
        multiline: true,
        get: |s, _| s.reason.clone(),
        set: |s, _, v| s.reason = v,
        ..FieldDef::LINE
    },
];

/// The form view of the spec. Edits print the spec canonically into the text; while the text
/// does not parse, the form shows the last spec that did, marked stale and read-only, so
/// nothing typed in the text is overwritten.
#[component]
pub fn SpecForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.form;
    let stale = move || form.with(|f| f.stale);
    let shown = RwSignal::new(ENTRIES_PAGE);
    // A memo: the entries are rebuilt only when their number changes, not on every edit.
    let count = Memo::new(move |_| form.with(|f| f.spec.backfills.len()));

    view! {
            <p class="notice notice-stale" role="status" data-testid="form-stale" hidden=move || !stale()>
                "⏸ The text does not parse right now: the form shows the last version that did, "
                "read-only. Fix the text (see the problems below it) and the form follows again."
            </p>
        <fieldset class="spec-form" disabled=stale aria-label="Spec form">
            <div class="field-row">{text_fields(&SPEC_FIELDS[..3], None)}</div>
            {text_fields(&SPEC_FIELDS[3..], None)}
            {target_field(None)}

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
