//! The rules of one `backfills` entry: its feeds, dates, `except`, hours and target.

use std::collections::HashSet;

use super::{Context, and_list, with_loc};
use crate::decode::{EntryMap, Loc};
use crate::{CatalogFeed, Day, DayError, Diagnostic, Entry, Feeds, Target, suggest};

/// Unknown feeds reported one by one in an entry; the rest get one finding.
const MAX_UNKNOWN_FEEDS: usize = 20;

/// Why a date item cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateItemError {
    /// Not `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`.
    Format,
    /// One end is not in the calendar: (that end as written, why).
    Impossible(String, String),
    /// The range ends before it starts.
    Reversed(Day, Day),
}

/// A date item as an inclusive pair of days, read exactly as the plan reads it (parts
/// trimmed, `..` between them).
pub fn date_item(text: &str) -> Result<(Day, Day), DateItemError> {
    let (a, b) = match text.split_once("..") {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), text.trim()),
    };
    let day = |t: &str| {
        Day::parse(t).map_err(|e| match e {
            DayError::Format => DateItemError::Format,
            DayError::Impossible(why) => DateItemError::Impossible(t.to_owned(), why),
        })
    };
    let (a, b) = (day(a)?, day(b)?);
    if a > b {
        return Err(DateItemError::Reversed(a, b));
    }
    Ok((a, b))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HourItemError {
    Format,
    OutOfRange(u32),
    Reversed(u8, u8),
}

/// An hours item: `5` or `0-11`, as the plan reads it.
pub fn hour_item(text: &str) -> Result<(u8, u8), HourItemError> {
    let (a, b) = match text.split_once('-') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), text.trim()),
    };
    let hour = |t: &str| {
        if t.is_empty() || t.len() > 9 || !t.bytes().all(|c| c.is_ascii_digit()) {
            return Err(HourItemError::Format);
        }
        let h: u32 = t.parse().map_err(|_| HourItemError::Format)?;
        if h > 23 {
            Err(HourItemError::OutOfRange(h))
        } else {
            Ok(h as u8)
        }
    };
    let (a, b) = (hour(a)?, hour(b)?);
    if a > b {
        return Err(HourItemError::Reversed(a, b));
    }
    Ok((a, b))
}

pub(super) fn target(text: &str, loc: &Loc, out: &mut Vec<Diagnostic>) -> Option<Target> {
    let t = Target::parse(text);
    if t.is_none() {
        let hint = suggest::hint(text, ["emr", "replay"])
            .unwrap_or_else(|| "write `emr` or `replay`".into());
        out.push(with_loc(
            Diagnostic::error(
                "invalid-target",
                format!("`{text}` is not a target"),
                loc.span,
            )
            .with_hint(hint),
            loc,
        ));
    }
    t
}

pub(super) fn check(
    index: usize,
    e: &Entry,
    em: &EntryMap,
    default_target: Option<(&str, &Loc)>,
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Option<(Day, Day)>> {
    let _ = index;
    let target = match (&e.target, &em.target) {
        (Some(t), Some(loc)) => target(t, loc, out).map(|t| (t, loc)),
        _ => match default_target {
            Some((t, loc)) => Target::parse(t).map(|t| (t, loc)),
            None => None,
        },
    };
    let feeds = feeds(e, em, cx, out);
    let dates = days(
        &e.dates,
        &em.date_items,
        em.dates.as_ref(),
        "dates",
        cx.today,
        out,
    );
    let except = days(&e.except, &em.except_items, None, "except", cx.today, out);
    overlaps(&dates, &em.date_items, out);
    except_rules(&dates, &except, em, out);
    let hours = hours(e, em, out);
    since(&feeds, &dates, e, em, cx, out);
    if hours && let Some(loc) = &em.hours {
        daily_feeds(&feeds, e, em, loc, cx, out);
    }
    if let Some((Target::Replay, target_loc)) = target {
        replay(&feeds, e, em, target_loc, cx, out);
    }
    dates
}

/// The known feeds an entry names (or every catalog feed, for `all`), with where each is.
fn feeds<'a>(
    e: &Entry,
    em: &'a EntryMap,
    cx: &Context<'a>,
    out: &mut Vec<Diagnostic>,
) -> Vec<(&'a CatalogFeed, Option<&'a Loc>)> {
    let names = match &e.feeds {
        Feeds::All => return cx.catalog.feeds.iter().map(|f| (f, None)).collect(),
        Feeds::List(names) => names,
    };
    if names.is_empty() && em.feed_items.is_empty() {
        if let Some(loc) = &em.feeds
            && matches!(loc.span, s if s.end > s.start)
        {
            out.push(with_loc(
                Diagnostic::error(
                    "empty-list",
                    "`feeds` is empty: this entry backfills nothing",
                    loc.span,
                )
                .with_hint("name feeds, e.g. `feeds: [clicks]`, or write `feeds: all`"),
                loc,
            ));
        }
        return Vec::new();
    }
    let mut known = Vec::with_capacity(names.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(names.len());
    let mut unknown = 0usize;
    let mut unreported: Option<&Loc> = None;
    for (name, loc) in names.iter().zip(&em.feed_items) {
        if name == "all" {
            out.push(with_loc(
                Diagnostic::error(
                    "all-in-list",
                    "`all` inside a list is read as a feed named `all`",
                    loc.span,
                )
                .with_hint("write `feeds: all` on its own to mean every feed"),
                loc,
            ));
            continue;
        }
        if !seen.insert(name.as_str()) {
            out.push(with_loc(
                Diagnostic::warning(
                    "duplicate-item",
                    format!("`{name}` is listed twice in this entry"),
                    loc.span,
                )
                .with_hint("remove the second one"),
                loc,
            ));
            continue;
        }
        match cx.feed(name) {
            Some(feed) => known.push((feed, Some(loc))),
            None => {
                unknown += 1;
                // A pasted list of thousands gets a few findings, not thousands.
                if unknown > MAX_UNKNOWN_FEEDS {
                    unreported.get_or_insert(loc);
                    continue;
                }
                let names = cx
                    .catalog
                    .feeds
                    .iter()
                    .map(|f| f.name.as_str())
                    .chain(["all"]);
                let hint = suggest::hint(name, names).unwrap_or_else(|| {
                    let all: Vec<&str> = cx.catalog.feeds.iter().map(|f| f.name.as_str()).collect();
                    format!("the catalog's feeds: {}", and_list(&all, 8))
                });
                out.push(with_loc(
                    Diagnostic::error(
                        "unknown-feed",
                        format!("there is no feed `{name}` in the catalog"),
                        loc.span,
                    )
                    .with_hint(hint),
                    loc,
                ));
            }
        }
    }
    if let Some(loc) = unreported {
        out.push(with_loc(
            Diagnostic::error(
                "unknown-feed",
                format!(
                    "{} more feeds of this list are not in the catalog, from this one on",
                    unknown - MAX_UNKNOWN_FEEDS
                ),
                loc.span,
            )
            .with_hint("is this the right list? the catalog's feeds are listed in the hints above"),
            loc,
        ));
    }
    known
}

/// Reads date items (of `dates` or `except`), reporting unreadable ones and days after today.
fn days(
    texts: &[String],
    locs: &[Loc],
    field: Option<&Loc>,
    what: &str,
    today: Day,
    out: &mut Vec<Diagnostic>,
) -> Vec<Option<(Day, Day)>> {
    if texts.is_empty()
        && let Some(loc) = field
        && loc.span.end > loc.span.start
    {
        out.push(with_loc(
            Diagnostic::error(
                "empty-list",
                format!("`{what}` is empty: this entry backfills nothing"),
                loc.span,
            )
            .with_hint(
                "write a day `2022-08-10`, a range `2022-07-01..2022-07-31`, or a list of them",
            ),
            loc,
        ));
    }
    let mut out_days = Vec::with_capacity(texts.len());
    for (text, loc) in texts.iter().zip(locs) {
        let days = match date_item(text) {
            Ok(days) => Some(days),
            Err(err) => {
                out.push(with_loc(date_error(text, &err, loc), loc));
                None
            }
        };
        if let Some((a, b)) = days
            && what == "dates"
        {
            future(a, b, today, text, loc, out);
            long_range(a, b, text, loc, out);
        }
        out_days.push(days);
    }
    out_days
}

fn date_error(text: &str, err: &DateItemError, loc: &Loc) -> Diagnostic {
    match err {
        DateItemError::Format => {
            let hint = if [" - ", "...", " to ", "/", "–"]
                .iter()
                .any(|sep| text.contains(sep))
                && text.len() > 12
            {
                "write a range as `2022-07-01..2022-07-31` (two dots, both ends included)"
                    .to_owned()
            } else if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
                format!(
                    "write it with dashes: `{}-{}-{}`",
                    &text[..4],
                    &text[4..6],
                    &text[6..]
                )
            } else {
                "write a day as YYYY-MM-DD, e.g. `2022-08-10`, or a range `2022-07-01..2022-07-31`"
                    .to_owned()
            };
            Diagnostic::error(
                "invalid-date",
                format!("`{text}` is not a day or a range of days"),
                loc.span,
            )
            .with_hint(hint)
        }
        DateItemError::Impossible(day, why) => {
            let hint = if why.starts_with("there is no month") {
                "months are 01 to 12: the form is YYYY-MM-DD"
            } else if why.starts_with("year") {
                "check the year"
            } else {
                "check the day of the month"
            };
            Diagnostic::error(
                "impossible-date",
                format!("{day} is not a day: {why}"),
                loc.span,
            )
            .with_hint(hint)
        }
        DateItemError::Reversed(a, b) => Diagnostic::error(
            "reversed-range",
            format!("the range `{text}` ends before it starts"),
            loc.span,
        )
        .with_hint(format!("write `{b}..{a}`")),
    }
}

/// Longer ranges are usually a slip of the year (2021 for 2022), which is cheap to ask about
/// and expensive to run.
const LONG_RANGE_DAYS: i32 = 366;

fn long_range(a: Day, b: Day, text: &str, loc: &Loc, out: &mut Vec<Diagnostic>) {
    let days = b.0 - a.0 + 1;
    if days > LONG_RANGE_DAYS {
        out.push(with_loc(
            Diagnostic::warning(
                "long-range",
                format!("the range `{text}` covers {days} days, more than a year"),
                loc.span,
            )
            .with_hint("check both years; if it is meant, this warning can stay"),
            loc,
        ));
    }
}

fn future(a: Day, b: Day, today: Day, text: &str, loc: &Loc, out: &mut Vec<Diagnostic>) {
    if b > today {
        let message = if a > today {
            format!("{text} is in the future (today is {today}, UTC): it has no data yet")
        } else {
            format!(
                "the range `{text}` runs {} days past today ({today}, UTC)",
                b.0 - today.0
            )
        };
        out.push(with_loc(
            Diagnostic::error("future-date", message, loc.span)
                .with_hint("end it at yesterday at the latest"),
            loc,
        ));
    } else if b == today {
        out.push(with_loc(
            Diagnostic::warning(
                "date-is-today",
                format!("today's partition ({today}, UTC) is still being written"),
                loc.span,
            )
            .with_hint("backfill today once the day is complete, or end at yesterday"),
            loc,
        ));
    }
}

/// Date items of one entry that overlap ask for the same days twice.
fn overlaps(dates: &[Option<(Day, Day)>], locs: &[Loc], out: &mut Vec<Diagnostic>) {
    let mut order: Vec<usize> = (0..dates.len()).filter(|&i| dates[i].is_some()).collect();
    order.sort_by_key(|&i| dates[i]);
    // Sweep by start: the item reaching furthest so far is the one a later start overlaps.
    let mut reach: Option<(Day, usize)> = None;
    for i in order {
        let Some((a, b)) = dates[i] else { continue };
        if let Some((end, j)) = reach
            && a <= end
        {
            let (first, second) = if j < i { (j, i) } else { (i, j) };
            out.push(with_loc(
                Diagnostic::warning(
                    "overlapping-dates",
                    "these days are already in this entry's dates; they run once",
                    locs[second].span,
                )
                .with_hint("remove the repeated days")
                .with_related(locs[first].span, "also listed here"),
                &locs[second],
            ));
        }
        if reach.is_none_or(|(end, _)| b > end) {
            reach = Some((b, i));
        }
    }
}

fn merged(days: &[Option<(Day, Day)>]) -> Vec<(Day, Day)> {
    let mut ranges: Vec<(Day, Day)> = days.iter().flatten().copied().collect();
    ranges.sort_unstable();
    let mut out: Vec<(Day, Day)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a.0 <= last.1.0.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn count(ranges: &[(Day, Day)]) -> i64 {
    ranges
        .iter()
        .map(|(a, b)| i64::from(b.0) - i64::from(a.0) + 1)
        .sum()
}

/// `except` days outside the entry's dates, and an `except` that removes every day.
fn except_rules(
    dates: &[Option<(Day, Day)>],
    except: &[Option<(Day, Day)>],
    em: &EntryMap,
    out: &mut Vec<Diagnostic>,
) {
    let set = merged(dates);
    if set.is_empty() {
        return;
    }
    for (days, loc) in except.iter().zip(&em.except_items) {
        let Some((a, b)) = *days else { continue };
        // First range ending at or after `a`: the only one that can intersect [a, b].
        let i = set.partition_point(|r| r.1 < a);
        if set.get(i).is_none_or(|r| r.0 > b) {
            let mut d = Diagnostic::warning(
                "except-outside",
                "these days are not among this entry's dates, so `except` removes nothing here",
                loc.span,
            )
            .with_hint("check the day: it may belong to another entry, or have a typo");
            if let Some(dates) = &em.dates {
                d = d.with_related(dates.span, "the entry's dates");
            }
            out.push(with_loc(d, loc));
        }
    }
    let holes = merged(except);
    let mut removed = 0;
    for &(a, b) in &holes {
        let i = set.partition_point(|r| r.1 < a);
        for r in set[i..].iter().take_while(|r| r.0 <= b) {
            removed += i64::from(r.1.0.min(b.0)) - i64::from(r.0.0.max(a.0)) + 1;
        }
    }
    if removed >= count(&set)
        && let Some(loc) = &em.except
    {
        out.push(with_loc(
            Diagnostic::error(
                "empty-after-except",
                "`except` removes every day of this entry",
                loc.key_or_value(),
            )
            .with_hint("remove the entry, or narrow `except`"),
            loc,
        ));
    }
}

/// Reads the hours; true when at least one item is a readable hour or range.
fn hours(e: &Entry, em: &EntryMap, out: &mut Vec<Diagnostic>) -> bool {
    if e.hours.is_empty() {
        if let Some(loc) = &em.hours
            && loc.span.end > loc.span.start
        {
            out.push(with_loc(
                Diagnostic::error("empty-list", "`hours` is empty", loc.span)
                    .with_hint("leave `hours` out for the whole day, or write e.g. `hours: 0-11`"),
                loc,
            ));
        }
        return false;
    }
    let mut any = false;
    for (text, loc) in e.hours.iter().zip(&em.hour_items) {
        let d = match hour_item(text) {
            Ok(_) => {
                any = true;
                continue;
            }
            Err(HourItemError::Format) => Diagnostic::error(
                "invalid-hours",
                format!("`{text}` is not an hour or a range of hours"),
                loc.span,
            )
            .with_hint("write an hour 0–23 or a range such as `0-11`; a list: `[0, 5-7]`"),
            Err(HourItemError::OutOfRange(h)) => Diagnostic::error(
                "hours-out-of-range",
                format!("hour {h} does not exist: hours are 0 to 23"),
                loc.span,
            )
            .with_hint("hours are those of the partition day, 0 to 23"),
            Err(HourItemError::Reversed(a, b)) => Diagnostic::error(
                "reversed-hours",
                format!("the hours `{text}` end before they start"),
                loc.span,
            )
            .with_hint(format!(
                "write `{b}-{a}`; a range cannot wrap past midnight: use two entries"
            )),
        };
        out.push(with_loc(d, loc));
    }
    any
}

/// Named feeds asked for before their first partition; `all` entries with no feed at all.
fn since(
    feeds: &[(&CatalogFeed, Option<&Loc>)],
    dates: &[Option<(Day, Day)>],
    e: &Entry,
    em: &EntryMap,
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (days, loc) in dates.iter().zip(&em.date_items) {
        let Some((a, b)) = *days else { continue };
        if matches!(e.feeds, Feeds::All) {
            if !cx.catalog.feeds.is_empty() && cx.catalog.feeds.iter().all(|f| f.since > b) {
                let first = cx.catalog.feeds.iter().map(|f| f.since).min().unwrap_or(b);
                out.push(with_loc(
                    Diagnostic::warning(
                        "no-feed-exists",
                        format!("no feed of the catalog has partitions this early (the first starts {first})"),
                        loc.span,
                    )
                    .with_hint("check the year"),
                    loc,
                ));
            }
            continue;
        }
        let early: Vec<&(&CatalogFeed, Option<&Loc>)> =
            feeds.iter().filter(|(f, _)| f.since > a).collect();
        let Some((first, first_loc)) = early.first() else {
            continue;
        };
        let names: Vec<&str> = early.iter().map(|(f, _)| f.name.as_str()).collect();
        let message = if early.len() == 1 {
            format!(
                "`{}` has no partitions before {} (catalog `since`)",
                first.name, first.since
            )
        } else {
            format!(
                "{} have no partitions this early (catalog `since`: {} for `{}`)",
                and_list(&names, 3),
                first.since,
                first.name
            )
        };
        let hint = if first.since > b {
            "remove the feed from this entry, or check the year".to_owned()
        } else {
            format!(
                "start at {} or later",
                early
                    .iter()
                    .map(|(f, _)| f.since)
                    .max()
                    .unwrap_or(first.since)
            )
        };
        let mut d = Diagnostic::error("before-since", message, loc.span).with_hint(hint);
        if let Some(feed_loc) = first_loc {
            d = d.with_related(feed_loc.span, "feed named here");
        }
        out.push(with_loc(d, loc));
    }
}

fn daily_feeds(
    feeds: &[(&CatalogFeed, Option<&Loc>)],
    e: &Entry,
    em: &EntryMap,
    hours_loc: &Loc,
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let daily: Vec<&(&CatalogFeed, Option<&Loc>)> =
        feeds.iter().filter(|(f, _)| !f.hourly).collect();
    if daily.is_empty() {
        return;
    }
    let names: Vec<&str> = daily.iter().map(|(f, _)| f.name.as_str()).collect();
    let hourly: Vec<&str> = cx
        .catalog
        .feeds
        .iter()
        .filter(|f| f.hourly)
        .map(|f| f.name.as_str())
        .collect();
    let (message, hint) = if matches!(e.feeds, Feeds::All) {
        (
            format!(
                "`hours` with `feeds: all`, but {} have only daily partitions",
                and_list(&names, 3)
            ),
            format!("name the hourly feeds instead: {}", and_list(&hourly, 5)),
        )
    } else {
        (
            format!(
                "`hours` is set, but {} {} only daily partitions",
                and_list(&names, 3),
                if names.len() == 1 { "has" } else { "have" }
            ),
            "move the daily feeds to an entry without `hours`".to_owned(),
        )
    };
    let mut d = Diagnostic::error("hours-on-daily-feed", message, hours_loc.span).with_hint(hint);
    for (_, loc) in daily.iter().take(3) {
        if let Some(loc) = loc {
            d = d.with_related(loc.span, "daily feed");
        } else if let Some(feeds) = &em.feeds {
            d = d.with_related(feeds.span, "every feed, daily ones included");
            break;
        }
    }
    out.push(with_loc(d, hours_loc));
}

fn replay(
    feeds: &[(&CatalogFeed, Option<&Loc>)],
    e: &Entry,
    em: &EntryMap,
    target: &Loc,
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let replayable: Vec<&str> = cx
        .catalog
        .feeds
        .iter()
        .filter(|f| f.replay)
        .map(|f| f.name.as_str())
        .collect();
    let list = if replayable.is_empty() {
        "no feed of the catalog can".to_owned()
    } else {
        format!("{} can", and_list(&replayable, 5))
    };
    if matches!(e.feeds, Feeds::All) {
        let blocked: Vec<&str> = feeds
            .iter()
            .filter(|(f, _)| !f.replay)
            .map(|(f, _)| f.name.as_str())
            .collect();
        if let (false, Some(loc)) = (blocked.is_empty(), &em.feeds) {
            out.push(with_loc(
                Diagnostic::error(
                    "replay-not-supported",
                    format!(
                        "target replay with `feeds: all`, but {} cannot be replayed",
                        and_list(&blocked, 3)
                    ),
                    loc.span,
                )
                .with_hint(format!("name the feeds instead; {list} be replayed"))
                .with_related(target.span, "target set here"),
                loc,
            ));
        }
        return;
    }
    for (feed, loc) in feeds {
        if feed.replay {
            continue;
        }
        let Some(loc) = loc else { continue };
        out.push(with_loc(
            Diagnostic::error(
                "replay-not-supported",
                format!(
                    "`{}` cannot be replayed (the catalog does not allow it)",
                    feed.name
                ),
                loc.span,
            )
            .with_hint(format!(
                "move it to an entry with `target: emr`; {list} be replayed"
            ))
            .with_related(target.span, "target set here"),
            loc,
        ));
    }
}
