//! backfill-builder, the web app: a thin Leptos UI over the `backfill-spec` core.
//!
//! `state.rs` holds the state (`text_arrival.rs` how a new text reaches it); `components/` has
//! one component per file, named for what the user sees (the form's layout comes from the
//! core's field description: `components/form_fields.rs`); `browser.rs`, `draft.rs`,
//! `share.rs`, `catalog_source.rs`, `upload.rs` and `lint_worker.rs` are the app's dealings with the outside world.

mod app;
mod browser;
mod catalog_source;
pub mod components;
mod draft;
pub mod editing;
pub mod history;
pub mod lint_worker;
pub mod share;
pub mod state;
mod text_arrival;
mod upload;

pub use app::App;
