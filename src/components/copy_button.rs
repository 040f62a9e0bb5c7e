use leptos::prelude::*;

/// Copies a text to the clipboard and says so (or says why it could not).
#[component]
pub fn CopyButton(text: Signal<String>, label: &'static str) -> impl IntoView {
    let said = RwSignal::new(None::<&'static str>);
    let copy = move |_| {
        let value = text.get_untracked();
        let clipboard = window().navigator().clipboard();
        let promise = clipboard.write_text(&value);
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await;
            said.set(Some(if done.is_ok() {
                "Copied"
            } else {
                "Copy failed: select the text and copy it by hand"
            }));
            set_timeout(move || said.set(None), std::time::Duration::from_secs(3));
        });
    };
    view! {
        <button type="button" class="secondary" on:click=copy>{label}</button>
        <span class="copy-status" role="status">{move || said.get()}</span>
    }
}
