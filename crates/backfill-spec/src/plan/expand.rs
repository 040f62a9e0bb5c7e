//! Entries → sorted, merged units, plus the duplicates found on the way.
//!
//! Expansion pushes raw units entry by entry, each packed into one 16-byte key that sorts by
//! (day, feed, target, entry), so one sort puts each group's entries in spec order, merging
//! is a single pass and "first entry" means the first in the file. Cost: O(n log n) on
//! 16-byte keys, no hashing per unit, no buffer besides the keys and the merged units.
//!
//! Work follows the spec's length and the units it yields, never their product: an entry's
//! date items are swept into disjoint pieces (overlaps marked, not expanded twice), `except`
//! is taken out in one merge, each feed is visited once however often it is listed, and a
//! feed is never visited for days before its `since`.

use super::{Duplicate, MAX_UNITS, Target, Unit};
use crate::order::{day_bits, day_of_bits, merged_ranges, sort_keys, stable_order};
use crate::{Catalog, Day, Entry, Feeds, HourSet, Spec};

/// A unit as one key, most significant first: day, feed, target, entry, then hours (24 bits),
/// so that keys sort by (day, feed, target, entry) and equal ones differ only in hours.
fn unit_key(u: &Unit) -> u128 {
    day_bits(u.day) << 96
        | u128::from(u.feed) << 64
        | u128::from(u.target as u8) << 56
        | u128::from(u.entry) << 24
        | u128::from(u.hours.0)
}

fn unit_of_key(key: u128) -> Unit {
    Unit {
        day: day_of_bits(key >> 96),
        feed: (key >> 64) as u32,
        target: if (key >> 56) as u8 == Target::Emr as u8 {
            Target::Emr
        } else {
            Target::Replay
        },
        entry: (key >> 24) as u32,
        hours: HourSet(key as u32 & HourSet::FULL.0),
    }
}

pub(super) struct Expanded {
    pub feeds: Vec<String>,
    pub units: Vec<Unit>,
    pub duplicates: Vec<Duplicate>,
    pub truncated: bool,
}

/// A date item as written: `2022-08-10` or `2022-07-01..2022-07-31`, as an inclusive pair.
/// `None` when it is not a day or a forward range (the rules say why).
pub(crate) fn date_item(text: &str) -> Option<(Day, Day)> {
    let (first, last) = match text.split_once("..") {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), text.trim()),
    };
    let (first, last) = (Day::parse(first).ok()?, Day::parse(last).ok()?);
    (first <= last).then_some((first, last))
}

/// An hours item as written: `5` or `0-11`, within 0–23 and forward.
pub(crate) fn hours_item(text: &str) -> Option<(u8, u8)> {
    let (first, last) = match text.split_once('-') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), text.trim()),
    };
    let hour = |t: &str| {
        t.parse::<u8>()
            .ok()
            .filter(|h| *h < 24 && !t.starts_with('+'))
    };
    let (first, last) = (hour(first)?, hour(last)?);
    (first <= last).then_some((first, last))
}

/// Sorted, non-overlapping inclusive day ranges.
fn day_set(items: &[String]) -> Vec<(Day, Day)> {
    merged_ranges(items.iter().filter_map(|t| date_item(t)))
}

/// A stretch of an entry's days, and whether its date items name it more than once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    first: Day,
    last: Day,
    repeated: bool,
}

/// An entry's days: its date items (overlaps kept as `repeated`, so that they are reported
/// like overlapping entries) minus `holes` (sorted, disjoint). Sorted, disjoint pieces; one
/// sort of the items' ends and one merge with the holes, however the items overlap.
fn pieces(items: &[String], holes: &[(Day, Day)]) -> Vec<Piece> {
    // +1 where an item starts, -1 the day after it ends; the low bit orders nothing that
    // matters (equal days are summed before a piece is cut).
    let mut edges: Vec<u128> = Vec::new();
    for (a, b) in items.iter().filter_map(|t| date_item(t)) {
        edges.push(day_bits(a) << 1 | 1);
        edges.push(day_bits(b.succ()) << 1);
    }
    sort_keys(&mut edges);
    let mut covered: Vec<Piece> = Vec::new();
    let mut depth = 0i64;
    let mut i = 0;
    while i < edges.len() {
        let day = day_of_bits(edges[i] >> 1);
        while i < edges.len() && day_of_bits(edges[i] >> 1) == day {
            depth += if edges[i] & 1 == 1 { 1 } else { -1 };
            i += 1;
        }
        if depth > 0 && i < edges.len() {
            let last = day_of_bits(edges[i] >> 1).pred();
            let repeated = depth > 1;
            match covered.last_mut() {
                Some(p) if p.repeated == repeated && p.last.succ() == day => p.last = last,
                _ => covered.push(Piece {
                    first: day,
                    last,
                    repeated,
                }),
            }
        }
    }
    subtract(&covered, holes)
}

/// `pieces` minus `holes`, both sorted and disjoint, in one merge.
fn subtract(pieces: &[Piece], holes: &[(Day, Day)]) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut h = 0;
    for &piece in pieces {
        while h < holes.len() && holes[h].1 < piece.first {
            h += 1;
        }
        let mut start = piece.first;
        for &(a, b) in holes[h..].iter().take_while(|(a, _)| *a <= piece.last) {
            if a > start {
                out.push(Piece {
                    first: start,
                    last: a.pred(),
                    ..piece
                });
            }
            start = start.max(b.succ());
            if b >= piece.last {
                break;
            }
        }
        if start <= piece.last {
            out.push(Piece {
                first: start,
                ..piece
            });
        }
    }
    out
}

fn entry_hours(entry: &Entry) -> Option<HourSet> {
    if entry.hours.is_empty() {
        return Some(HourSet::FULL);
    }
    let mut set = HourSet::default();
    for (a, b) in entry.hours.iter().filter_map(|t| hours_item(t)) {
        set.insert_range(a, b);
    }
    // Hours were asked for but none could be read: running the whole day instead would do
    // more than the user wrote, so the entry is left out until the rules' error is fixed.
    (!set.is_empty()).then_some(set)
}

pub(super) fn expand(spec: &Spec, catalog: &Catalog) -> Expanded {
    // Catalog feeds by name rank, so that a raw unit's feed number already sorts by name.
    let name = |i: usize| catalog.feeds[i].name.as_str();
    let by_name = stable_order(catalog.feeds.len(), &|a, b| name(a) < name(b));
    // A name's rank; of feeds named alike (a catalog built by hand), the last one.
    let rank_of = |n: &str| {
        let end = by_name.partition_point(|&i| name(i) <= n);
        (end > 0 && name(by_name[end - 1]) == n).then(|| end as u32 - 1)
    };
    let since_of_rank: Vec<Day> = by_name.iter().map(|&i| catalog.feeds[i].since).collect();

    let default_target = spec.defaults.target.as_deref().unwrap_or("emr");
    let mut raw: Vec<u128> = Vec::new();
    let mut truncated = false;
    'entries: for (index, entry) in spec.backfills.iter().enumerate() {
        let Some(target) = Target::parse(entry.target.as_deref().unwrap_or(default_target)) else {
            continue;
        };
        let Some(hours) = entry_hours(entry) else {
            continue;
        };
        let holes = day_set(&entry.except);
        let days = pieces(&entry.dates, &holes);
        // Each feed once, with whether it is listed twice; latest `since` last, so that the
        // feeds with partitions on or before a day are a prefix (named feeds before their
        // `since` are the rules' to report; `all` leaves them out).
        let mut feeds: Vec<u128> = match &entry.feeds {
            Feeds::All => (0..since_of_rank.len() as u32).map(u128::from).collect(),
            Feeds::List(names) => names
                .iter()
                .filter_map(|n| rank_of(n))
                .map(u128::from)
                .collect(),
        };
        for key in &mut feeds {
            *key |= day_bits(since_of_rank[*key as usize]) << 32;
        }
        sort_keys(&mut feeds);
        let mut listed: Vec<(u32, Day, bool)> = Vec::with_capacity(feeds.len());
        for key in feeds {
            let feed = key as u32;
            match listed.last_mut() {
                Some(last) if last.0 == feed => last.2 = true,
                _ => listed.push((feed, day_of_bits(key >> 32), false)),
            }
        }
        for piece in &days {
            let can_run = listed.partition_point(|&(_, since, _)| since <= piece.last);
            for &(feed, since, twice) in &listed[..can_run] {
                // Two raw units of one entry are all the merge needs to report a repeat.
                let copies = if twice || piece.repeated { 2 } else { 1 };
                let first = piece.first.max(since);
                for offset in 0..=piece.last.days_since(first) {
                    if raw.len() + copies > MAX_UNITS {
                        truncated = true;
                        break 'entries;
                    }
                    let key = unit_key(&Unit {
                        feed,
                        day: first.plus_days(offset),
                        hours,
                        target,
                        entry: index as u32,
                    });
                    raw.extend(std::iter::repeat_n(key, copies));
                }
            }
        }
    }

    // The entry is in the key so that each group lists its entries in spec order ("first
    // entry" is the first in the file); units equal up to the entry differ only in hours,
    // which merge in any order, so an unstable (in-place, allocation-free) sort is enough.
    sort_keys(&mut raw);
    let (mut units, duplicates) = merge(raw);

    // Renumber feeds from catalog rank to their index among the feeds used; ranks are in
    // name order, so the plan's feed list stays sorted.
    let mut used = vec![false; by_name.len()];
    for u in &units {
        used[u.feed as usize] = true;
    }
    let mut new_index = vec![0u32; by_name.len()];
    let mut feeds = Vec::new();
    for (rank, &is_used) in used.iter().enumerate() {
        if is_used {
            new_index[rank] = feeds.len() as u32;
            feeds.push(catalog.feeds[by_name[rank]].name.clone());
        }
    }
    for u in &mut units {
        u.feed = new_index[u.feed as usize];
    }
    let mut duplicates = duplicates;
    for d in &mut duplicates {
        d.feed = new_index[d.feed as usize];
    }
    Expanded {
        feeds,
        units,
        duplicates,
        truncated,
    }
}

/// One pass over sorted raw units: equal (day, feed, target) merge with hours united; any
/// repeat of a (day, feed) is a duplicate, gathered into runs of consecutive days.
fn merge(raw: Vec<u128>) -> (Vec<Unit>, Vec<Duplicate>) {
    let mut duplicates: Vec<Duplicate> = Vec::new();
    // (feed, first entry, second entry) → the run of that pair still open, sorted by pair.
    // Pairs come in feed order on a group's first day, so inserts are nearly all appends.
    let mut open_runs: Vec<((u32, u32, u32), usize)> = Vec::new();
    let mut units: Vec<Unit> = Vec::with_capacity(raw.len());
    // The current (day, feed) group starts at units[group_start].
    let mut kept = 0usize;
    let mut group_start = 0usize;
    for key in raw {
        let unit = unit_of_key(key);
        let same_feed_day = kept > 0 && {
            let last = units[kept - 1];
            last.day == unit.day && last.feed == unit.feed
        };
        if !same_feed_day {
            group_start = kept;
        } else {
            let first = units[group_start].entry;
            let key = (unit.feed, first, unit.entry);
            let slot = open_runs.binary_search_by(|(k, _)| k.cmp(&key));
            match slot.map(|i| &mut duplicates[open_runs[i].1]) {
                Ok(run) if run.last_day.succ() == unit.day => run.last_day = unit.day,
                Ok(run) if run.last_day == unit.day => {}
                _ => {
                    match slot {
                        Ok(i) => open_runs[i].1 = duplicates.len(),
                        Err(i) => open_runs.insert(i, (key, duplicates.len())),
                    }
                    duplicates.push(Duplicate {
                        feed: unit.feed,
                        day: unit.day,
                        last_day: unit.day,
                        first_entry: first,
                        second_entry: unit.entry,
                    });
                }
            }
        }
        if same_feed_day && units[kept - 1].target == unit.target {
            units[kept - 1].hours = units[kept - 1].hours.union(unit.hours);
        } else {
            units.push(unit);
            kept += 1;
        }
    }
    (units, duplicates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_parse_or_are_left_out() {
        let d = |t| Day::parse(t).unwrap();
        assert_eq!(
            date_item("2022-08-10"),
            Some((d("2022-08-10"), d("2022-08-10")))
        );
        assert_eq!(
            date_item("2022-07-01..2022-07-31"),
            Some((d("2022-07-01"), d("2022-07-31")))
        );
        assert_eq!(date_item("2022-07-31..2022-07-01"), None);
        assert_eq!(date_item("2022-02-30"), None);
        assert_eq!(date_item(".."), None);
        assert_eq!(hours_item("0-11"), Some((0, 11)));
        assert_eq!(hours_item("23"), Some((23, 23)));
        for bad in ["24", "5-3", "-1", "+3", "", "x", "1-2-3"] {
            assert_eq!(hours_item(bad), None, "{bad}");
        }
    }

    #[test]
    fn except_cuts_holes() {
        let d = |t| Day::parse(t).unwrap();
        let holes = day_set(&[
            "2022-07-04".into(),
            "2022-07-10..2022-07-12".into(),
            "2022-07-11".into(),
        ]);
        assert_eq!(
            holes,
            vec![
                (d("2022-07-04"), d("2022-07-04")),
                (d("2022-07-10"), d("2022-07-12"))
            ]
        );
        let items = ["2022-07-01..2022-07-11".into(), "2022-07-08".into()];
        let piece = |first, last, repeated| Piece {
            first: d(first),
            last: d(last),
            repeated,
        };
        assert_eq!(
            pieces(&items, &holes),
            vec![
                piece("2022-07-01", "2022-07-03", false),
                piece("2022-07-05", "2022-07-07", false),
                piece("2022-07-08", "2022-07-08", true),
                piece("2022-07-09", "2022-07-09", false),
            ]
        );
    }
}
