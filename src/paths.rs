//! Paths of the spec's fields as findings name them (`/backfills/3/dates`): what the form
//! uses to show a finding beside its field. A leaf module, so that the form's components can
//! share it without depending on each other.

/// A path inside entry `index` of the spec: `/backfills/3/dates`. (One formatting call site
/// for all of them: each `format!` is code of its own in the bundle.)
pub fn entry_path(index: usize, name: &str) -> String {
    format!("/backfills/{index}/{name}")
}
