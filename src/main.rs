//! Entry point: only mounts the app (see ARCHITECTURE.md).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(backfill_builder::App);
}
