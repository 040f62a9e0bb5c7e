//! Entry point: only mounts the app (see ARCHITECTURE.md).

fn main() {
    leptos::mount::mount_to_body(backfill_builder::App);
    // For the figures in docs/benchmarks.md: when the app became interactive.
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark("backfill-builder:mounted");
    }
}
