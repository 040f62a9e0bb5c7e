use backfill_spec::Severity;
use leptos::prelude::*;

use crate::browser;
use crate::share;
use crate::state::{AppState, Format, new_spec};

/// The spec's file actions: new, download (YAML or JSON), copy, share link.
#[component]
pub fn SpecActions() -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = RwSignal::new(None::<String>);
    let link = RwSignal::new(None::<String>);
    let readable = move || state.analysis.with(|a| a.readable_spec().is_some());

    let new_spec_clicked = move |_| {
        let blank = Format::Yaml.print(&new_spec());
        let current = state.text.get_untracked();
        let has_work = !current.trim().is_empty()
            && current != blank
            && current != Format::Json.print(&new_spec());
        if has_work && !browser::confirm("Start a new spec? The current one will be discarded.") {
            return;
        }
        state.touched.set(Default::default());
        state.set_text(state.format.get_untracked().print(&new_spec()));
        link.set(None);
        message.set(Some("Started a new spec.".into()));
    };
    let download = move |format: Format| {
        // The file is the text in the editor now, even a keystroke after the last analysis.
        state.catch_up();
        let Some((spec, errors)) = state.analysis.with_untracked(|a| {
            a.readable_spec()
                .cloned()
                .map(|s| (s, a.count(Severity::Error)))
        }) else {
            return;
        };
        let stem = if spec.name.trim().is_empty() {
            "spec".to_string()
        } else {
            spec.name.clone()
        };
        let name = format!("{stem}.backfill.{}", format.extension());
        let mime = match format {
            Format::Yaml => "application/yaml",
            Format::Json => "application/json",
        };
        message.set(Some(
            match browser::download(&name, &format.print(&spec), mime) {
                Ok(()) if errors > 0 => {
                    format!("Downloaded {name}; note that it still has {errors} error(s).")
                }
                Ok(()) => format!("Downloaded {name}."),
                Err(e) => format!("The download failed: {e}"),
            },
        ));
    };
    let share_link = move |_| {
        let text = state.text.get_untracked();
        if text.len() > share::MAX_TEXT_BYTES {
            message.set(Some(
                "This spec is too large for a link: download the file and share that.".into(),
            ));
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(fragment) = share::encode(&text).await else {
                message.set(Some("This browser could not compress the spec for a link: download the file instead.".into()));
                return;
            };
            let url = format!("{}#{fragment}", browser::page_url());
            let promise = window().navigator().clipboard().write_text(&url);
            link.set(Some(url));
            let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            message.set(Some(if copied {
                "Share link copied. It carries the spec itself; no server is involved.".into()
            } else {
                "Here is the share link (copy it from the box).".into()
            }));
        });
    };
    view! {
        <div class="spec-actions" role="toolbar" aria-label="Spec actions">
            <button type="button" class="secondary" data-testid="new-spec" on:click=new_spec_clicked>
                "New spec"
            </button>
            <button
                type="button"
                data-testid="download-yaml"
                disabled=move || !readable()
                on:click=move |_| download(Format::Yaml)
            >
                "Download YAML"
            </button>
            <button
                type="button"
                data-testid="download-json"
                disabled=move || !readable()
                on:click=move |_| download(Format::Json)
            >
                "Download JSON"
            </button>
            <button type="button" class="secondary" data-testid="share-link" on:click=share_link>
                "Share link"
            </button>
        </div>
        <p class="action-message" role="status" data-testid="action-message">{move || message.get()}</p>
        <label class="share-box" hidden=move || link.with(Option::is_none)>
            "Share link: "
            <input type="text" readonly data-testid="share-url" prop:value=move || link.get().unwrap_or_default() />
        </label>
    }
}
