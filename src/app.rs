use leptos::prelude::*;

use crate::components::catalog_findings::CatalogFindings;
use crate::components::diagnostics_panel::DiagnosticsPanel;
use crate::components::header::Header;
use crate::components::plan_view::PlanView;
use crate::components::set_aside_banner::SetAsideBanner;
use crate::components::shared_link_banner::SharedLinkBanner;
use crate::components::spec_actions::SpecActions;
use crate::components::spec_editor::SpecEditor;
use crate::components::spec_form::SpecForm;
use crate::components::upload_panel::UploadPanel;
use crate::state::{AppState, Format, new_spec};
use crate::{browser, catalog_source, draft, share};

/// Opens the spec of a share link. One that differs from a saved draft does not replace it
/// silently: the draft stays open and a banner offers the link's spec.
fn open_shared_link(
    state: AppState,
    had_draft: bool,
    pending: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
) {
    let fragment = browser::fragment();
    if share::payload(&fragment).is_none() {
        return;
    }
    browser::clear_fragment();
    leptos::task::spawn_local(async move {
        match share::decode(&fragment).await {
            Ok(Some(text)) if had_draft && state.text.get_untracked() != text => {
                pending.set(Some(text))
            }
            Ok(Some(text)) => {
                if text.trim_start().starts_with('{') {
                    state.format.set(Format::Json);
                }
                state.set_text(text);
            }
            Ok(None) => {}
            Err(why) => problem.set(Some(why.to_string())),
        }
    });
}

/// The whole page. State lives in [`AppState`]; every region derives from it.
#[component]
pub fn App() -> impl IntoView {
    // A draft the last page died opening is set aside, not opened again.
    let set_aside = RwSignal::new(draft::take_unopened());
    let found = draft::load().filter(|d| !d.text.trim().is_empty());
    let had_draft = found.is_some();
    let (text, format) = match found {
        Some(d) => (d.text, d.format),
        None => (Format::Yaml.print(&new_spec()), Format::Yaml),
    };
    let state = AppState::new(format, browser::today());
    provide_context(state);
    if had_draft {
        draft::opening();
        // Opened once its analysis is in: at once for a short text, from the worker for a
        // large one.
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || !state.is_current() {
                return done.unwrap_or(false);
            }
            draft::opened();
            true
        });
    }
    state.show_text(text);
    catalog_source::load(state);
    let saved = RwSignal::new(None);
    draft::autosave(state, saved);
    let pending_link = RwSignal::new(None);
    let link_problem = RwSignal::new(None);
    open_shared_link(state, had_draft, pending_link, link_problem);
    // A link pasted into this tab's address bar changes only the fragment: no reload.
    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        open_shared_link(state, true, pending_link, link_problem)
    });
    on_cleanup(move || on_hash.remove());

    view! {
        <Header catalog_status=state.catalog_status.read_only()>
            <SpecActions />
        </Header>
        <SetAsideBanner text=set_aside />
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
                    {move || saved.get()}
                </p>
                <h3>"Problems"</h3>
                <DiagnosticsPanel />
            </section>
            <section class="region region-plan" aria-labelledby="plan-heading">
                <h2 id="plan-heading">"Plan"</h2>
                <PlanView />
            </section>
            <section class="region region-upload" aria-labelledby="upload-heading">
                <h2 id="upload-heading">"Upload"</h2>
                <UploadPanel />
            </section>
        </main>
    }
}
