use backfill_spec::fields::{At, Place};
use leptos::prelude::*;

use crate::components::form_fields::fields_view;
use crate::state::AppState;

/// The form view of the spec: its fields as the description lays them out. Edits print the
/// spec canonically into the text; while the text does not parse, the form shows the last
/// spec that did, marked stale and read-only, so nothing typed in the text is overwritten.
#[component]
pub fn SpecForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let stale = move || state.form.with(|f| f.stale);
    view! {
        <p class="notice notice-stale" role="status" data-testid="form-stale" hidden=move || !stale()>
            "⏸ The text does not parse right now: the form shows the last version that did, "
            "read-only. Fix the text (see the problems below it) and the form follows again."
        </p>
        <fieldset class="spec-form" disabled=stale aria-label="Spec form">
            {fields_view(Place::Spec, At::Spec)}
        </fieldset>
    }
}
