//! Grouping feed-days into few entries that cover exactly them.
//!
//! Greedy and deterministic: each feed's days are split by their hours (the whole day, or one
//! set of hours), each part becomes its runs of consecutive days (a run of one is a day, a
//! longer one a range `first..last`), and feeds whose parts are the same days with the same
//! hours share one entry. So N feeds with the same scattered days are one entry, one feed's
//! run of days is one range, and there is never more than one entry per feed and hours: never
//! more than one per feed and run of days. A true minimum (covering with `except`, splitting
//! a feed's days between entries) is a hard covering problem and not attempted.

use super::Mismatch;
use crate::{CatalogFeed, Day, Entry, Feeds, HourSet};

/// One entry in the making: the hours, the runs of days, and the feeds that share them.
struct Part {
    hours: HourSet,
    runs: Vec<(Day, Day)>,
    feeds: Vec<u32>,
}

/// The entries of `set` (as [`super::read`] returns it: sorted by feed then day, one per
/// feed-day), ordered by their first day, then their first feed in catalog order.
pub fn entries(catalog_feeds: &[CatalogFeed], set: &[Mismatch]) -> Vec<Entry> {
    let mut parts: Vec<Part> = Vec::new();
    for feed_days in set.chunk_by(|a, b| a.feed == b.feed) {
        let feed = feed_days[0].feed;
        // The feed's distinct hour sets, in a fixed order.
        let mut hour_sets: Vec<HourSet> = feed_days.iter().map(|m| m.hours).collect();
        hour_sets.sort_unstable_by_key(|h| std::cmp::Reverse(h.0));
        hour_sets.dedup();
        for hours in hour_sets {
            let days = feed_days.iter().filter(|m| m.hours == hours).map(|m| m.day);
            parts.push(Part {
                hours,
                runs: runs(days),
                feeds: vec![feed],
            });
        }
    }
    // Equal days and hours next to each other, then merged into one part.
    parts.sort_by(|a, b| (a.runs.as_slice(), a.hours.0).cmp(&(b.runs.as_slice(), b.hours.0)));
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for part in parts {
        match merged.last_mut() {
            Some(last) if last.runs == part.runs && last.hours == part.hours => {
                last.feeds.extend(part.feeds);
            }
            _ => merged.push(part),
        }
    }
    for part in &mut merged {
        part.feeds.sort_unstable();
    }
    merged.sort_by_key(|p| (p.runs[0].0, p.feeds[0], std::cmp::Reverse(p.hours.0)));
    merged
        .into_iter()
        .map(|part| entry(catalog_feeds, part))
        .collect()
}

/// Consecutive days as (first, last) runs; `days` ascending and distinct.
fn runs(days: impl Iterator<Item = Day>) -> Vec<(Day, Day)> {
    let mut out: Vec<(Day, Day)> = Vec::new();
    for day in days {
        match out.last_mut() {
            Some((_, last)) if last.succ() == day => *last = day,
            _ => out.push((day, day)),
        }
    }
    out
}

fn entry(catalog_feeds: &[CatalogFeed], part: Part) -> Entry {
    let dates = part
        .runs
        .iter()
        .map(|&(first, last)| {
            if first == last {
                first.to_string()
            } else {
                format!("{first}..{last}")
            }
        })
        .collect();
    let hours = if part.hours.is_full() {
        Vec::new()
    } else {
        part.hours
            .to_string()
            .split(',')
            .map(str::to_owned)
            .collect()
    };
    Entry {
        feeds: Feeds::List(
            part.feeds
                .iter()
                .map(|&f| catalog_feeds[f as usize].name.clone())
                .collect(),
        ),
        dates,
        hours,
        ..Entry::default()
    }
}
