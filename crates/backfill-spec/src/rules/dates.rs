//! The date rules of an entry: reading `dates` and `except` items, and what their days say
//! (the future, today, long ranges, overlaps, `except` outside the dates or removing all).

use super::with_loc;
use crate::decode::{EntryMap, Loc};
use crate::order::{merged_ranges, stable_order};
use crate::{Day, DayError, Diagnostic};

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

/// Reads date items (of `dates` or `except`), reporting unreadable ones and days after today.
pub(super) fn days(
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
    let days = b.days_since(a) + 1;
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
                b.days_since(today)
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
pub(super) fn overlaps(dates: &[Option<(Day, Day)>], locs: &[Loc], out: &mut Vec<Diagnostic>) {
    // By (start, end), then position: one entry's items, a short list.
    let items: Vec<(Day, Day, usize)> = (dates.iter().enumerate())
        .filter_map(|(i, d)| d.map(|(a, b)| (a, b, i)))
        .collect();
    // Sweep by start: the item reaching furthest so far is the one a later start overlaps.
    let mut reach: Option<(Day, usize)> = None;
    for k in stable_order(items.len(), &|x, y| items[x] < items[y]) {
        let (a, b, i) = items[k];
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
    merged_ranges(days.iter().flatten().copied())
}

fn count(ranges: &[(Day, Day)]) -> i64 {
    ranges
        .iter()
        .map(|(a, b)| i64::from(b.days_since(*a)) + 1)
        .sum()
}

/// `except` days outside the entry's dates, and an `except` that removes every day.
pub(super) fn except_rules(
    dates: &[Option<(Day, Day)>],
    except: &[Option<(Day, Day)>],
    em: &EntryMap,
    out: &mut Vec<Diagnostic>,
) {
    let set = merged(dates);
    if set.is_empty() {
        return;
    }
    for (days, loc) in except.iter().zip(em.items("except")) {
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
            if let Some(dates) = em.field("dates") {
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
            removed += i64::from(r.1.min(b).days_since(r.0.max(a))) + 1;
        }
    }
    if removed >= count(&set)
        && let Some(loc) = em.field("except")
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
