use leptos::prelude::*;

use crate::{browser, draft};

/// Shown when the last page died while opening the saved draft (a text too hostile to
/// analyse): the app opened with a new spec instead, and the draft waits, set aside, to be
/// downloaded. It is never analysed again by itself.
#[component]
pub fn SetAsideBanner(text: RwSignal<Option<String>>) -> impl IntoView {
    let download = move |_| {
        if let Some(t) = text.get_untracked()
            && browser::download("set-aside-draft.backfill.txt", &t, "text/plain").is_ok()
        {
            draft::forget_set_aside();
            text.set(None);
        }
    };
    let dismiss = move |_| {
        draft::forget_set_aside();
        text.set(None);
    };
    view! {
        <div class="banner banner-error" role="alert" data-testid="set-aside-banner" hidden=move || text.with(Option::is_none)>
            <p>
                "✕ The draft saved in this browser could not be opened last time (the page stopped while checking it), "
                "so a new spec is open instead. The draft is set aside: download it to look at it in an editor."
            </p>
            <button type="button" data-testid="download-set-aside" on:click=download>"Download the set-aside draft"</button>
            <button type="button" class="secondary" data-testid="dismiss-set-aside" on:click=dismiss>"Discard it"</button>
        </div>
    }
}
