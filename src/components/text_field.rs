use backfill_spec::fields::{At, Control, Field, FormField};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

use crate::components::field_problems::FieldProblems;
use crate::state::AppState;

/// The two controls a text field uses.
enum TextControl {
    Input(HtmlInputElement),
    Area(HtmlTextAreaElement),
}

impl TextControl {
    /// The control with this id, if it is one of the two.
    fn by_id(id: &str) -> Option<Self> {
        let el = document().get_element_by_id(id)?;
        match el.dyn_into::<HtmlInputElement>() {
            Ok(input) => Some(TextControl::Input(input)),
            Err(el) => el.dyn_into().ok().map(TextControl::Area),
        }
    }

    fn value(&self) -> String {
        match self {
            TextControl::Input(el) => el.value(),
            TextControl::Area(el) => el.value(),
        }
    }

    fn set_value(&self, value: &str) {
        match self {
            TextControl::Input(el) => el.set_value(value),
            TextControl::Area(el) => el.set_value(value),
        }
    }
}

/// A labelled text field bound to one field of the spec (`at` says whose: the spec's or an
/// entry's), with its findings beside it.
///
/// The input is written from the spec only when the spec no longer says what the input says
/// ([`Field::form_says`]), so that normalising what the user types (trimming a list item, say)
/// never moves the caret under their fingers.
#[component]
pub fn TextField(field: &'static Field, form: FormField, at: At) -> impl IntoView {
    let state = expect_context::<AppState>();
    let path = field.path(at);
    let id = format!("field{}", path.replace('/', "-"));
    let problems_id = format!("{id}-problems");
    let help_id = format!("{id}-help");
    let described = if form.hint.is_some() {
        format!("{help_id} {problems_id}")
    } else {
        problems_id.clone()
    };
    let touched_path = path.clone();
    let touch = move || state.touch(touched_path.clone());
    // The control is found by its id, not through node refs: a `NodeRef` of a new element
    // type is Leptos code of its own in the bundle. Effects first run after the view is
    // mounted.
    let control_id = id.clone();
    Effect::new(move |_| {
        let wanted = state.form.with(|f| field.get(&f.spec, at));
        if let Some(control) = TextControl::by_id(&control_id)
            && !field.form_says(&control.value(), &wanted)
        {
            control.set_value(&field.form_text(&wanted));
        }
    });
    let touch_on_blur = touch.clone();
    let on_input = move |ev: leptos::ev::Event| {
        touch();
        let text = event_target_value(&ev);
        state.edit_spec(|s| field.set_from_form(s, at, &text));
    };
    let control = if form.control == Control::Lines {
        view! {
            <textarea
                id=id.clone()
                rows="2"
                placeholder=form.placeholder
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
                placeholder=form.placeholder
                aria-describedby=described
                on:input=on_input
                on:blur=move |_| touch_on_blur()
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{form.label}</label>
            {control}
            {form.hint.map(|h| view! { <p class="field-help" id=help_id>{h}</p> })}
            <FieldProblems path=path id=problems_id />
        </div>
    }
}
