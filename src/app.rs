use leptos::prelude::*;

use crate::components::diagnostics_panel::DiagnosticsPanel;
use crate::components::header::Header;
use crate::components::plan_view::PlanView;
use crate::components::spec_actions::SpecActions;
use crate::components::spec_editor::SpecEditor;
use crate::components::spec_form::SpecForm;
use crate::components::catalog_findings::CatalogFindings;
use crate::components::shared_link_banner::SharedLinkBanner;
use crate::state::{AppState, Format, new_spec};
use crate::{browser, catalog_source, draft, share};

/// What the page opens with: the saved draft, a shared link's spec, or a new spec. A link
/// whose spec differs from a saved draft does not replace it silently: the draft opens and a
/// banner offers the link's spec.
fn initial() -> (String, Format, Option<String>, Option<String>) {
    let draft = draft::load().filter(|d| !d.text.trim().is_empty());
    let (shared, link_problem) = match share::decode(&browser::fragment()) {
        Ok(shared) => (shared, None),
        Err(why) => (None, Some(why.to_string())),
    };
    if shared.is_some() || link_problem.is_some() {
        browser::clear_fragment();
    }
    match (draft, shared) {
        (Some(d), Some(s)) if d.text != s => (d.text, d.format, Some(s), link_problem),
        (_, Some(s)) => {
            let format = if s.trim_start().starts_with('{') { Format::Json } else { Format::Yaml };
            (s, format, None, link_problem)
        }
        (Some(d), None) => (d.text, d.format, None, link_problem),
        (None, None) => (Format::Yaml.print(&new_spec()), Format::Yaml, None, link_problem),
    }
}

/// The whole page. State lives in [`AppState`]; every region derives from it.
#[component]
pub fn App() -> impl IntoView {
    let (text, format, pending_link, link_problem) = initial();
    let state = AppState::new(text, format, browser::today());
    provide_context(state);
    catalog_source::load(state);
    let saved = RwSignal::new(None::<bool>);
    draft::autosave(state, saved);
    let pending_link = RwSignal::new(pending_link);
    let link_problem = RwSignal::new(link_problem);

    view! {
        <Header catalog_status=state.catalog_status.read_only()>
            <SpecActions />
        </Header>
        <SharedLinkBanner pending=pending_link problem=link_problem />
        <CatalogFindings />
        <main class="workspace">
            <section class="region region-form" aria-labelledby="form-heading">
                <h2 id="form-heading">"Form"</h2>
                <SpecForm />
            </section>
            <section class="region region-spec" aria-labelledby="spec-heading">
                <h2 id="spec-heading">"Spec"</h2>
                <SpecEditor />
                <p class="save-status" role="status" data-testid="save-status">
                    {move || match saved.get() {
                        Some(true) => "Draft saved in this browser.",
                        Some(false) => "✕ The draft could not be saved (storage full or off): download it to keep it.",
                        None => "",
                    }}
                </p>
                <h3>"Problems"</h3>
                <DiagnosticsPanel />
            </section>
            <section class="region region-plan" aria-labelledby="plan-heading">
                <h2 id="plan-heading">"Plan"</h2>
                <PlanView />
            </section>
        </main>
    }
}
