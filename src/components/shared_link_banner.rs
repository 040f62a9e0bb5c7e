use leptos::prelude::*;

use crate::state::{AppState, Format};

/// Shown when the page was opened from a share link: offers the link's spec when a different
/// draft was open (so the draft is never replaced silently), or says why the link was broken.
#[component]
pub fn SharedLinkBanner(
    pending: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = move |_| {
        if let Some(text) = pending.get_untracked() {
            if text.trim_start().starts_with('{') {
                state.format.set(Format::Json);
            }
            state.set_text(text);
        }
        pending.set(None);
    };
    view! {
            <div class="banner" role="alertdialog" aria-labelledby="shared-title" data-testid="shared-banner" hidden=move || pending.with(Option::is_none)>
                <p id="shared-title">
                    "This link carries a spec that differs from the draft saved in this browser. "
                    "Your draft is open; opening the link's spec replaces it."
                </p>
                <button type="button" data-testid="open-shared" on:click=open>"Open the link's spec"</button>
                <button type="button" class="secondary" data-testid="keep-draft" on:click=move |_| pending.set(None)>
                    "Keep my draft"
                </button>
            </div>

            <div class="banner banner-error" role="alert" data-testid="link-problem" hidden=move || problem.with(Option::is_none)>
                <p>"✕ The share link could not be read: " {move || problem.get()}</p>
                <button type="button" class="secondary" on:click=move |_| problem.set(None)>"Dismiss"</button>
            </div>

    }
}
