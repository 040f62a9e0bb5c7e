//! The spec "Start from an example" gives: built from the catalog it will be checked
//! against, so that it has no error and a plan. Yesterday (UTC) for every feed that had
//! partitions then, up to three of them; with none, the catalog's first feed on its first day.

use crate::{Catalog, Day, Entry, Feeds, Spec};

/// Feeds the example names at most: enough to show a list, few enough to read.
const FEEDS: usize = 3;

pub fn example_spec(catalog: &Catalog, today: Day) -> Spec {
    let yesterday = today.plus_days(-1);
    let mut feeds: Vec<&str> = catalog
        .feeds
        .iter()
        .filter(|f| f.since <= yesterday)
        .map(|f| f.name.as_str())
        .take(FEEDS)
        .collect();
    let mut day = yesterday;
    if feeds.is_empty()
        && let Some(first) = catalog.feeds.first()
    {
        feeds.push(&first.name);
        day = first.since;
    }
    let names = feeds.join(", ");
    Spec {
        name: "example-backfill".into(),
        reason: format!(
            "example: reprocess {names} for {day} (replace with the incident or ticket)"
        ),
        backfills: vec![Entry {
            feeds: Feeds::List(feeds.into_iter().map(str::to_owned).collect()),
            dates: vec![day.to_string()],
            ..Entry::default()
        }],
        ..Spec::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, Severity, analyze, catalog, emit};

    #[test]
    fn the_example_has_no_error_and_a_plan_whatever_the_day() {
        // Days when the demo catalog has feeds (the first since 2020).
        for days in [19_000, 20_500, 21_000] {
            let today = Day::EPOCH.plus_days(days);
            let spec = example_spec(catalog::demo(), today);
            let text = emit::to_yaml(&spec);
            let a = analyze(&text, catalog::demo(), &Options { today });
            let errors: Vec<_> = a
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{text}\n{errors:?}");
            assert!(!a.plan.unwrap().units.is_empty(), "{text}");
        }
    }
}
