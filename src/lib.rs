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

/// The allocator, in the page and in the lint worker (and in the wasm tests, which link this
/// library): Talc, not the standard library's dlmalloc. docs/decisions.md, "Talc for the
/// allocator".
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
