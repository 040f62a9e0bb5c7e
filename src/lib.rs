//! backfill-builder, the web app: a thin Leptos UI over the `backfill-spec` core.
//!
//! One component per file under `components/`, named for what the user sees. State lives in
//! `app.rs`; views derive from it.

mod app;
pub mod components;

pub use app::App;
