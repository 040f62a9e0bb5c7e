use leptos::prelude::*;

use crate::components::field_problems::FieldProblems;
use crate::state::AppState;

/// Splits a comma-separated field into the spec's list items.
pub fn split_items(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split(',').map(|s| s.trim().to_string()).collect()
}

/// A labelled one-line field bound to one place of the spec, with its findings beside it.
///
/// The input is written from the spec only when the spec no longer says what the input says
/// (`same` decides), so that normalising what the user types (trimming a list item, say)
/// never moves the caret under their fingers.
#[component]
pub fn TextField(
    #[prop(into)] label: String,
    /// The spec path of the field, e.g. `/backfills/0/dates`.
    #[prop(into)]
    path: String,
    /// The field's text as the spec has it now.
    value: Signal<String>,
    /// What typing does to the spec.
    on_edit: Callback<String>,
    /// Whether the input's current text already means `value` (default: equal).
    #[prop(optional)]
    same: Option<fn(&str, &str) -> bool>,
    #[prop(optional, into)] placeholder: String,
    #[prop(optional, into)] help: Option<String>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = format!("field{}", path.replace('/', "-"));
    let problems_id = format!("{id}-problems");
    let help_id = format!("{id}-help");
    let described = if help.is_some() {
        format!("{help_id} {problems_id}")
    } else {
        problems_id.clone()
    };
    let same = same.unwrap_or(|a, b| a == b);
    let touched_path = path.clone();
    let touch = move || state.touch(touched_path.clone());
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let area_ref = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        let wanted = value.get();
        if let Some(el) = input_ref.get()
            && !same(&el.value(), &wanted)
        {
            el.set_value(&wanted);
        }
        if let Some(el) = area_ref.get()
            && !same(&el.value(), &wanted)
        {
            el.set_value(&wanted);
        }
    });
    let touch_on_blur = touch.clone();
    let on_input = move |ev: leptos::ev::Event| {
        touch();
        on_edit.run(event_target_value(&ev));
    };
    let control = if multiline {
        view! {
            <textarea
                node_ref=area_ref
                id=id.clone()
                rows="2"
                placeholder=placeholder
                aria-describedby=described
                on:input=on_input
                on:blur=move |_| touch_on_blur()
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                node_ref=input_ref
                type="text"
                id=id.clone()
                placeholder=placeholder
                aria-describedby=described
                on:input=on_input
                on:blur=move |_| touch_on_blur()
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {help.map(|h| view! { <p class="field-help" id=help_id>{h}</p> })}
            <FieldProblems path=path id=problems_id />
        </div>
    }
}
