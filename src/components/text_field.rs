use leptos::html::{Custom, custom};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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
    // One element for both kinds, its tag chosen at run time: an `<input>` and a `<textarea>`
    // built as two view types cost the bundle a second copy of all of this.
    let control_ref = NodeRef::<Custom<&'static str>>::new();
    // Both elements have a `value` property, and web-sys reads it structurally (leptos's own
    // `event_target_value` reads a textarea's value through `HtmlInputElement` the same way).
    let element = move || {
        control_ref
            .get()
            .map(|el| el.unchecked_into::<web_sys::HtmlInputElement>())
    };
    Effect::new(move |_| {
        let wanted = value.get();
        if let Some(el) = element()
            && !same(&el.value(), &wanted)
        {
            el.set_value(&wanted);
        }
    });
    let touch_on_blur = touch.clone();
    let control = custom(if multiline { "textarea" } else { "input" })
        .node_ref(control_ref)
        .attr("type", (!multiline).then_some("text"))
        .attr("rows", multiline.then_some("2"))
        .id(id.clone())
        .attr("placeholder", placeholder)
        .attr("aria-describedby", described)
        .on(leptos::ev::input, move |ev| {
            touch();
            on_edit.run(event_target_value(&ev));
        })
        .on(leptos::ev::blur, move |_| touch_on_blur());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {help.map(|h| view! { <p class="field-help" id=help_id>{h}</p> })}
            <FieldProblems path=path id=problems_id />
        </div>
    }
}
