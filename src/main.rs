//! Entry point: only mounts the app (see ARCHITECTURE.md).

fn main() {
    leptos::mount::mount_to_body(backfill_builder::App);
}
