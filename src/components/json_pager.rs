use leptos::prelude::*;

use crate::components::copy_button::CopyButton;

/// A long list shown one page at a time as copyable JSON: EMR waves and replay batches. A plan
/// of any size costs one `<select>` and one text node.
#[component]
pub fn JsonPager(
    /// What a page is called: "Wave", "Batch".
    noun: &'static str,
    /// Used for element ids and test ids: "wave", "batch".
    id: &'static str,
    pages: Signal<usize>,
    /// The JSON of page `n` (0-based).
    page_json: Callback<usize, String>,
    copy_label: &'static str,
) -> impl IntoView {
    let page = RwSignal::new(0usize);
    let current = move || page.get().min(pages.get().saturating_sub(1));
    let text = move || page_json.run(current());
    let select_id = format!("{id}-select");
    view! {
        <div class="wave-controls">
            <label for=select_id.clone()>{noun}</label>
            <select
                id=select_id
                on:change=move |ev| page.set(event_target_value(&ev).parse().unwrap_or(0))
                prop:value=move || current().to_string()
            >
                {move || {
                    let n = pages.get();
                    (0..n)
                        .map(|p| view! { <option value=p.to_string()>{format!("{} of {n}", p + 1)}</option> })
                        .collect_view()
                }}
            </select>
            <CopyButton text=Signal::derive(text) label=copy_label />
        </div>
        <pre class="json" data-testid=format!("{id}-json") tabindex="0" aria-label=format!("{noun} JSON")>
            {text}
        </pre>
    }
}
