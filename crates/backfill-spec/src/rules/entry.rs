//! The rules of one `backfills` entry: its feeds, dates, `except`, hours and target.

use super::dates::{days, except_rules, overlaps};
use super::{Context, and_list, and_list_of, with_loc};
use crate::decode::{EntryMap, Loc};
use crate::{CatalogFeed, Day, Diagnostic, Entry, Feeds, Target, suggest};

/// Unknown feeds reported one by one in an entry; the rest get one finding.
const MAX_UNKNOWN_FEEDS: usize = 20;

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
    let target = match (&e.target, em.field("target")) {
        (Some(t), Some(loc)) => target(t, loc, out).map(|t| (t, loc)),
        _ => match default_target {
            Some((t, loc)) => Target::parse(t).map(|t| (t, loc)),
            None => None,
        },
    };
    let feeds = feeds(e, em, cx, out);
    let dates = days(
        &e.dates,
        em.items("dates"),
        em.field("dates"),
        "dates",
        cx.today,
        out,
    );
    let except = days(&e.except, em.items("except"), None, "except", cx.today, out);
    overlaps(&dates, em.items("dates"), out);
    except_rules(&dates, &except, em, out);
    let hours = hours(e, em, out);
    since(&feeds, &dates, e, em, cx, out);
    if hours && let Some(loc) = em.field("hours") {
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
        // `all` is handled from the catalog facts in `Context`, not feed by feed.
        Feeds::All => return Vec::new(),
        Feeds::List(names) => names,
    };
    if names.is_empty() && em.items("feeds").is_empty() {
        if let Some(loc) = em.field("feeds")
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
    let listed: Vec<&str> = names
        .iter()
        .zip(em.items("feeds"))
        .map(|(n, _)| n.as_str())
        .collect();
    let first = crate::order::first_occurrences(&listed);
    let mut unknown = 0usize;
    let mut unreported: Option<&Loc> = None;
    for (i, (name, loc)) in names.iter().zip(em.items("feeds")).enumerate() {
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
        if first[i] != i {
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
                let hint = cx
                    .suggest_feed(name)
                    .unwrap_or_else(|| format!("the catalog's feeds: {}", and_list(&cx.names, 8)));
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

/// Reads the hours; true when at least one item is a readable hour or range.
fn hours(e: &Entry, em: &EntryMap, out: &mut Vec<Diagnostic>) -> bool {
    if e.hours.is_empty() {
        if let Some(loc) = em.field("hours")
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
    for (text, loc) in e.hours.iter().zip(em.items("hours")) {
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
///
/// The feeds too early for a date item are those whose `since` is after its first day: a
/// prefix of the feeds sorted by `since`, latest first. So each item costs a binary search,
/// not a pass over the feeds (thousands of items naming thousands of feeds once took the
/// product).
fn since(
    feeds: &[(&CatalogFeed, Option<&Loc>)],
    dates: &[Option<(Day, Day)>],
    e: &Entry,
    em: &EntryMap,
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let by_since =
        crate::order::stable_order(feeds.len(), &|x, y| feeds[x].0.since > feeds[y].0.since);
    // For each prefix of `by_since`: its first three feeds in the order written.
    let mut first_three: Vec<[Option<usize>; 3]> = Vec::with_capacity(by_since.len());
    let mut three = [None; 3];
    for &i in &by_since {
        let mut carry = Some(i);
        for slot in &mut three {
            if carry.is_some_and(|c| slot.is_none_or(|s| c < s)) {
                std::mem::swap(slot, &mut carry);
            }
        }
        first_three.push(three);
    }
    for (days, loc) in dates.iter().zip(em.items("dates")) {
        let Some((a, b)) = *days else { continue };
        if matches!(e.feeds, Feeds::All) {
            if let Some(first) = cx.first_since
                && first > b
            {
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
        let early = by_since.partition_point(|&i| feeds[i].0.since > a);
        if early == 0 {
            continue;
        }
        let shown: Vec<usize> = first_three[early - 1].iter().flatten().copied().collect();
        let (first, first_loc) = feeds[shown[0]];
        let names: Vec<&str> = shown.iter().map(|&i| feeds[i].0.name.as_str()).collect();
        let message = if early == 1 {
            format!(
                "`{}` has no partitions before {} (catalog `since`)",
                first.name, first.since
            )
        } else {
            format!(
                "{} have no partitions this early (catalog `since`: {} for `{}`)",
                and_list_of(&names, early),
                first.since,
                first.name
            )
        };
        let hint = if first.since > b {
            "remove the feed from this entry, or check the year".to_owned()
        } else {
            // The latest `since` of all the feeds is the first of `by_since`.
            format!("start at {} or later", feeds[by_since[0]].0.since)
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
    let is_all = matches!(e.feeds, Feeds::All);
    let names: Vec<&str> = if is_all {
        cx.daily.clone()
    } else {
        daily.iter().map(|(f, _)| f.name.as_str()).collect()
    };
    if names.is_empty() {
        return;
    }
    let hourly = &cx.hourly;
    let (message, hint) = if matches!(e.feeds, Feeds::All) {
        (
            format!(
                "`hours` with `feeds: all`, but {} have only daily partitions",
                and_list(&names, 3)
            ),
            format!("name the hourly feeds instead: {}", and_list(hourly, 5)),
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
    if is_all {
        if let Some(feeds) = em.field("feeds") {
            d = d.with_related(feeds.span, "every feed, daily ones included");
        }
    } else {
        for (_, loc) in daily.iter().take(3) {
            if let Some(loc) = loc {
                d = d.with_related(loc.span, "daily feed");
            }
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
    let list = if cx.replayable.is_empty() {
        "no feed of the catalog can".to_owned()
    } else {
        format!("{} can", and_list(&cx.replayable, 5))
    };
    if matches!(e.feeds, Feeds::All) {
        let blocked = &cx.not_replayable;
        if let (false, Some(loc)) = (blocked.is_empty(), em.field("feeds")) {
            out.push(with_loc(
                Diagnostic::error(
                    "replay-not-supported",
                    format!(
                        "target replay with `feeds: all`, but {} cannot be replayed",
                        and_list(blocked, 3)
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
