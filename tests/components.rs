//! Components in a real browser: `cargo test --target wasm32-unknown-unknown` runs these in
//! headless Chromium (see .cargo/config.toml and webdriver.json).
#![cfg(target_arch = "wasm32")]

use backfill_builder::components::header::Header;
use backfill_builder::state::CatalogStatus;
use leptos::{prelude::*, task::tick};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page's body to mount one component into.
pub fn fresh_root() -> web_sys::HtmlElement {
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root.unchecked_into()
}

#[wasm_bindgen_test]
async fn header_follows_the_catalog_status() {
    let root = fresh_root();
    let status = RwSignal::new(CatalogStatus::Loading);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <Header catalog_status=status.read_only() /> },
    );

    let shown = || {
        root.query_selector("[data-testid=catalog-status]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(
        root.query_selector("h1")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "backfill-builder"
    );
    assert_eq!(shown(), "Loading catalog…");

    status.set(CatalogStatus::Demo);
    tick().await;
    assert_eq!(shown(), "Demo catalog: no catalog.yaml on this site");

    status.set(CatalogStatus::Broken { errors: 2 });
    tick().await;
    assert_eq!(shown(), "Catalog has 2 error(s): using what could be read");
}

mod diagnostics {
    use backfill_builder::components::diagnostics_panel::DiagnosticsPanel;
    use backfill_builder::components::plan_view::PlanView;
    use backfill_builder::state::{AppState, Format};
    use backfill_spec::Day;
    use leptos::{prelude::*, task::tick};
    use wasm_bindgen_test::*;

    /// The unknown feed stands after an emoji on its line: two UTF-16 units, one character.
    const SPEC: &str = "version: 1\nname: ok\nreason: test\nbackfills:\n  - {note: \"é😀\", feeds: [clickz], dates: \"2022-08-10\"}\n";

    fn mounted(text: &str, view: fn() -> AnyView) -> (web_sys::HtmlElement, AppState) {
        let root = super::fresh_root();
        let state = AppState::new(Format::Yaml, Day::parse("2026-11-28").unwrap());
        state.set_text(text.to_string());
        let handle = mount_to(root.clone(), move || {
            provide_context(state);
            view()
        });
        handle.forget();
        (root, state)
    }

    fn text(root: &web_sys::HtmlElement, css: &str) -> String {
        root.query_selector(css)
            .unwrap()
            .map(|e| e.text_content().unwrap())
            .unwrap_or_default()
    }

    #[wasm_bindgen_test]
    async fn findings_show_where_in_utf16_columns_and_clear_when_fixed() {
        let (root, state) = mounted(SPEC, || view! { <DiagnosticsPanel /> }.into_any());
        tick().await;
        let row = text(&root, ".diagnostic-error .diagnostic-jump");
        assert!(row.contains("[unknown-feed]"), "{row}");
        assert!(row.contains("Ln 5, Col 27"), "{row}");
        assert!(text(&root, ".hint").contains("clicks"));

        state.set_text(SPEC.replace("clickz", "clicks"));
        tick().await;
        assert_eq!(
            text(&root, "[data-testid=all-clear]"),
            "✓ No problems found: the spec is valid against the catalog."
        );
    }

    #[wasm_bindgen_test]
    async fn the_plan_summary_counts_feed_days() {
        let spec = SPEC
            .replace("[clickz]", "all")
            .replace("\"2022-08-10\"}", "\"2022-08-10..2022-08-11\"}");
        let (root, _) = mounted(&spec, || view! { <PlanView /> }.into_any());
        tick().await;
        assert_eq!(text(&root, "[data-testid=sum-feed-days]"), "16");
        assert_eq!(text(&root, "[data-testid=sum-waves]"), "1");
        assert_eq!(text(&root, "[data-testid=sum-first]"), "2022-08-10");
    }
}
