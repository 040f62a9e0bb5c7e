use backfill_spec::fields::{At, Field, TARGETS};
use leptos::prelude::*;

use crate::components::field_problems::FieldProblems;
use crate::state::AppState;

/// A choice of target (`emr`, `replay`) for one target field of the spec: the default
/// target, or an entry's. `unset` says what leaving it empty means.
#[component]
pub fn TargetSelect(
    field: &'static Field,
    at: At,
    label: &'static str,
    unset: &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let path = field.path(at);
    let id = format!("field{}", path.replace('/', "-"));
    let problems_id = format!("{id}-problems");
    let value = move || {
        state
            .form
            .with(|f| field.form_text(&field.get(&f.spec, at)))
    };
    let touched = path.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                prop:value=value
                on:change=move |ev| {
                    let text = event_target_value(&ev);
                    state.touch(touched.clone());
                    state.edit_spec(|s| field.set_from_form(s, at, &text));
                }
            >
                <option value="">{unset}</option>
                {TARGETS.map(|t| view! { <option value=t>{t}</option> })}
            </select>
            <FieldProblems path=path id=problems_id />
        </div>
    }
}
