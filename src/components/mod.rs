//! One component per file, named for what the user sees.

pub mod catalog_findings;
pub mod copy_button;
pub mod day_picker;
pub mod diagnostics_panel;
pub mod emr_waves;
pub mod entry_head;
pub mod feed_picker;
pub mod field_problems;
pub mod form_fields;
pub mod header;
pub mod json_pager;
pub mod plan_grid;
pub mod plan_view;
pub mod replay_batches;
pub mod set_aside_banner;
pub mod shared_link_banner;
pub mod spec_actions;
pub mod spec_editor;
pub mod spec_form;
pub mod target_select;
pub mod text_field;
pub mod upload_panel;
