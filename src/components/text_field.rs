use backfill_spec::Spec;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::field_problems::FieldProblems;
use crate::paths::entry_path;
use crate::state::AppState;

/// Splits a comma-separated field into the spec's list items.
pub fn split_items(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split(',').map(|s| s.trim().to_string()).collect()
}

/// Whether two texts say the same list (see [`FieldDef::same`]).
pub fn same_items(input: &str, spec: &str) -> bool {
    split_items(input) == split_items(spec)
}

fn same_text(input: &str, spec: &str) -> bool {
    input == spec
}

/// One text field of the form, as data: what it says and how it reads and writes the spec.
/// The forms list their fields in tables and [`text_fields`] builds them all, so that the
/// bundle holds one field's code, not one per field (each call site with its own closures
/// is code of its own).
pub struct FieldDef {
    pub label: &'static str,
    /// The spec path of the field (`/name`); inside an entry, its key (`dates`).
    pub path: &'static str,
    pub placeholder: &'static str,
    pub help: Option<&'static str>,
    pub multiline: bool,
    /// Whether the input's current text already means the spec's text.
    pub same: fn(&str, &str) -> bool,
    /// The field's text as the spec has it now (of entry `index` for an entry's field).
    pub get: fn(&Spec, usize) -> String,
    /// What typing does to the spec.
    pub set: fn(&mut Spec, usize, String),
}

impl FieldDef {
    /// A one-line field without help whose text compares as it is.
    pub const LINE: FieldDef = FieldDef {
        label: "",
        path: "",
        placeholder: "",
        help: None,
        multiline: false,
        same: same_text,
        get: |_, _| String::new(),
        set: |_, _, _| {},
    };
}

/// The fields `defs`, in order: the spec's own (`entry` is `None`) or those of one entry.
pub fn text_fields(defs: &'static [FieldDef], entry: Option<usize>) -> AnyView {
    defs.iter()
        .map(|def| view! { <TextField def=def entry=entry /> }.into_any())
        .collect_view()
        .into_any()
}

/// A labelled one-line field bound to one place of the spec, with its findings beside it.
///
/// The input is written from the spec only when the spec no longer says what the input says
/// (`same` decides), so that normalising what the user types (trimming a list item, say)
/// never moves the caret under their fingers.
#[component]
fn TextField(def: &'static FieldDef, entry: Option<usize>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let index = entry.unwrap_or(0);
    let path = match entry {
        Some(index) => entry_path(index, def.path),
        None => def.path.to_string(),
    };
    let id = format!("field{}", path.replace('/', "-"));
    let problems_id = format!("{id}-problems");
    let help_id = format!("{id}-help");
    let described = if def.help.is_some() {
        format!("{help_id} {problems_id}")
    } else {
        problems_id.clone()
    };
    let touched_path = path.clone();
    let touch = move || state.touch(touched_path.clone());
    // The control is found by its id, not through node refs: a `NodeRef` of a new element
    // type is Leptos code of its own in the bundle. Effects first run after the view is
    // mounted. Both controls have a `value` property, and web-sys reads it structurally
    // (leptos's own `event_target_value` reads a textarea through `HtmlInputElement` too).
    let control_id = id.clone();
    Effect::new(move |_| {
        let wanted = state.form.with(|f| (def.get)(&f.spec, index));
        if let Some(el) = document().get_element_by_id(&control_id)
            && let el = el.unchecked_into::<web_sys::HtmlInputElement>()
            && !(def.same)(&el.value(), &wanted)
        {
            el.set_value(&wanted);
        }
    });
    let touch_on_blur = touch.clone();
    let on_input = move |ev: leptos::ev::Event| {
        touch();
        let v = event_target_value(&ev);
        state.edit_spec(|s| (def.set)(s, index, v));
    };
    let control = if def.multiline {
        view! {
            <textarea
                id=id.clone()
                rows="2"
                placeholder=def.placeholder
                aria-describedby=described
                on:input=on_input
                on:blur=move |_| touch_on_blur()
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                type="text"
                id=id.clone()
                placeholder=def.placeholder
                aria-describedby=described
                on:input=on_input
                on:blur=move |_| touch_on_blur()
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{def.label}</label>
            {control}
            {def.help.map(|h| view! { <p class="field-help" id=help_id>{h}</p> })}
            <FieldProblems path=path id=problems_id />
        </div>
    }
}
