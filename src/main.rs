//! Entry point: mounts the app (see ARCHITECTURE.md), or, in the lint worker, where there is
//! no window, answers lint requests (`lint_worker.rs`).

fn main() {
    if web_sys::window().is_none() {
        backfill_builder::lint_worker::serve();
        return;
    }
    leptos::mount::mount_to_body(backfill_builder::App);
    // For the figures in docs/benchmarks.md: when the app became interactive.
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark("backfill-builder:mounted");
    }
}
