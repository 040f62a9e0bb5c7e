//! From a reconciliation report to a spec: [`read`] takes a list of mismatches (feed, day,
//! maybe an hour) in the shapes such jobs print, and [`entries`] groups the good rows into few
//! `backfills` entries whose plan is exactly those feed-days (and hours), no more, no less.
//!
//! Shapes (docs/mismatches.md): CSV or TSV (`,` `;` or tab) with a header naming the feed
//! column (`feed`, `table`, `dataset`, …) and the day column (`date`, `day`, `ds`, …), and
//! maybe `hour`; JSON Lines with those keys; or plain lines `feed day [hours]`. Unknown
//! columns are ignored. A day is `2023-08-26`, `20230826` or a timestamp (its UTC date). A
//! feed is named by its catalog name or one of its `aliases`, or by a qualified table name
//! (`silver.clicks`) whose last part is one of those. Every bad row gets a finding at its line
//! and column (`mismatch-…` codes, docs/rules.md) and the good rows still count; repeated rows
//! are merged.
//!
//! Like the rest of the core, reading never fails and costs time linear in the text (a row's
//! feed is a binary search over the catalog's names).

mod append;
mod group;
mod read;

pub use append::{append, missing_from};
pub use group::entries;
pub use read::read;

use crate::{Day, Diagnostic, HourSet, Totals};

/// One feed-day asked for: the catalog feed (its index), the day, the hours
/// ([`HourSet::FULL`]: the whole day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub feed: u32,
    pub day: Day,
    pub hours: HourSet,
}

/// What [`read`] found.
#[derive(Clone, Debug, Default)]
pub struct Mismatches {
    /// The rows read (header, blank and comment lines not counted).
    pub rows: usize,
    /// Rows refused, each with its finding.
    pub refused: usize,
    /// The good rows, merged: one per (feed, day), sorted by feed then day, hours united.
    pub set: Vec<Mismatch>,
    /// The findings prepared for display (`findings::for_display`) and their totals.
    pub findings: Vec<Diagnostic>,
    pub totals: Totals,
}

impl Mismatches {
    /// The distinct feed-days.
    pub fn feed_days(&self) -> usize {
        self.set.len()
    }

    /// The first and last day, when there is a row.
    pub fn days(&self) -> Option<(Day, Day)> {
        let first = self.set.iter().map(|m| m.day).min()?;
        let last = self.set.iter().map(|m| m.day).max()?;
        Some((first, last))
    }
}

/// A complete spec of the good rows: `name`, `reason` and `ticket` as given, or derived from
/// `source` (the file's name, `-` for standard input, empty for a pasted list) and the days.
/// `None` without a row.
pub fn spec(
    catalog: &crate::Catalog,
    found: &Mismatches,
    source: &str,
    given: Given<'_>,
) -> Option<crate::Spec> {
    let (first, last) = found.days()?;
    let stem = std::path::Path::new(source)
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|_| source != "-" && !source.is_empty())
        .unwrap_or("mismatches");
    let slug = crate::rules::slugify(stem);
    let slug = if slug.is_empty() {
        "mismatches".to_owned()
    } else {
        slug
    };
    let first_text = first.to_string();
    let name = match given.name {
        Some(name) => name.to_owned(),
        None if slug.contains(&first_text) => slug,
        None => {
            let room = 63 - first_text.len() - 1;
            let kept = slug.get(..room.min(slug.len())).unwrap_or(&slug);
            format!("{}-{first_text}", kept.trim_end_matches('-'))
        }
    };
    let feeds = {
        let mut feeds: Vec<u32> = found.set.iter().map(|m| m.feed).collect();
        feeds.dedup();
        feeds.len()
    };
    let reason = given.reason.map(str::to_owned).unwrap_or_else(|| {
        let days = if first == last {
            format!("on {first}")
        } else {
            format!("from {first} to {last}")
        };
        let from = match source {
            "" => String::new(),
            "-" => " in standard input".to_owned(),
            file => format!(" in {file}"),
        };
        format!(
            "reconciliation mismatches{from}: {} feed-day(s) of {feeds} feed(s) {days}",
            found.feed_days()
        )
    });
    Some(crate::Spec {
        name,
        reason,
        ticket: given.ticket.map(str::to_owned),
        backfills: entries(&catalog.feeds, &found.set),
        ..crate::Spec::default()
    })
}

/// What the user gave for the spec's own fields; `None` is derived.
#[derive(Clone, Copy, Debug, Default)]
pub struct Given<'a> {
    pub name: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub ticket: Option<&'a str>,
}
