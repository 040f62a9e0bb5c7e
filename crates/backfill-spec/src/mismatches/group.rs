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
use crate::{CatalogFeed, Day, Entry, Feeds, HourSet, order};

/// One entry in the making: the hours, the runs of days, and the feeds that share them.
struct Part {
    hours: HourSet,
    runs: Vec<(Day, Day)>,
    feeds: Vec<u32>,
}

/// The entries of `set` (as [`super::read`] returns it: sorted by feed then day, one per
/// feed-day), ordered by their first day, then their first feed in catalog order, then most
/// hours first.
pub fn entries(catalog_feeds: &[CatalogFeed], set: &[Mismatch]) -> Vec<Entry> {
    let mut parts: Vec<Part> = Vec::new();
    for feed_days in set.chunk_by(|a, b| a.feed == b.feed) {
        let feed = feed_days[0].feed;
        // The feed's distinct hour sets, most hours first (the sorts are order.rs's).
        let mut hour_sets: Vec<u128> = feed_days.iter().map(|m| u128::from(!m.hours.0)).collect();
        order::sort_keys(&mut hour_sets);
        hour_sets.dedup();
        for key in hour_sets {
            let hours = HourSet(!(key as u32));
            let days = feed_days.iter().filter(|m| m.hours == hours).map(|m| m.day);
            parts.push(Part {
                hours,
                runs: runs(days),
                feeds: vec![feed],
            });
        }
    }
    // Equal days and hours next to each other, then merged into one part. The order is
    // stable and the parts were made feed by feed, so each part's feeds stay ascending.
    let order = order::stable_order(parts.len(), &|a, b| {
        let (a, b) = (&parts[a], &parts[b]);
        (a.runs.as_slice(), a.hours.0) < (b.runs.as_slice(), b.hours.0)
    });
    let mut parts: Vec<Option<Part>> = parts.into_iter().map(Some).collect();
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for part in order.into_iter().filter_map(|i| parts[i].take()) {
        match merged.last_mut() {
            Some(last) if last.runs == part.runs && last.hours == part.hours => {
                last.feeds.extend(part.feeds);
            }
            _ => merged.push(part),
        }
    }
    let by_first_day = order::sorted_positions(merged.iter().map(|p| {
        let day = order::day_bits(p.runs[0].0) as u64;
        (day << 32 | u64::from(p.feeds[0]), !p.hours.0)
    }));
    let mut merged: Vec<Option<Part>> = merged.into_iter().map(Some).collect();
    by_first_day
        .into_iter()
        .filter_map(|i| merged[i].take())
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
