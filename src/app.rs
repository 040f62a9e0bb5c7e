use leptos::prelude::*;

use crate::components::header::{CatalogStatus, Header};

/// The whole page: a header and the regions the user works in.
#[component]
pub fn App() -> impl IntoView {
    let catalog_status = RwSignal::new(CatalogStatus::Demo);
    view! {
        <Header catalog_status=catalog_status.read_only() />
        <main class="workspace">
            <section class="region region-spec" aria-labelledby="spec-heading">
                <h2 id="spec-heading">"Spec"</h2>
                <p class="empty-state">
                    "Fill in the form or paste a YAML or JSON spec: it is checked as you type."
                </p>
            </section>
            <section class="region region-plan" aria-labelledby="plan-heading">
                <h2 id="plan-heading">"Plan"</h2>
                <p class="empty-state">
                    "The exact EMR steps and replay messages appear here once the spec has a backfill."
                </p>
            </section>
        </main>
    }
}
