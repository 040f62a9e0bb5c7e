//! One component per file, named for what the user sees.

pub mod header;
