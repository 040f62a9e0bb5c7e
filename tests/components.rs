//! Components in a real browser: `cargo test --target wasm32-unknown-unknown` runs these in
//! headless Chromium (see .cargo/config.toml and webdriver.json).
#![cfg(target_arch = "wasm32")]

use backfill_builder::components::header::{CatalogStatus, Header};
use leptos::{prelude::*, task::tick};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page's body to mount one component into.
fn fresh_root() -> web_sys::HtmlElement {
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
