//! End-to-end tests: the release build in `dist/` (made by `make test` before this runs),
//! served on 127.0.0.1, driven in headless Chromium through chromedriver.
//!
//! To add a test: write an `async fn` with `#[tokio::test]`, call `App::open().await`, act
//! through `app.browser`, and finish with `app.finish().await`, which checks that the console
//! had no errors and that nothing but the site's own origin was contacted.
#![cfg(not(target_arch = "wasm32"))]

mod catalog;
mod deployed;
mod drafts_and_links;
mod editor_keys;
mod figures;
mod form_flow;
mod harness;
mod large_specs;
mod lint_flow;
mod plan_flow;
mod presign_endpoint;
mod profiles;
mod safety;
mod smoke;
mod undo;
mod upload_flow;
