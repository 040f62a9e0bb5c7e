//! Findings that only the expanded plan reveals: feed-days asked for twice, and EMR/SQS limits
//! the rendered steps and messages would break. The plan says what and which entry; this
//! module says where in the text.

use super::{Understood, and_list};
use crate::decode::{Loc, SpecMap};
use crate::plan::LimitKind;
use crate::{Day, Diagnostic, Plan, Span, Spec, Target};

pub(crate) fn plan_findings(
    plan: &Plan,
    spec: &Spec,
    map: &SpecMap,
    understood: &Understood,
    out: &mut Vec<Diagnostic>,
) {
    duplicates(plan, spec, map, understood, out);
    limits(plan, map, out);
}

#[derive(Default)]
struct Pair {
    feeds: Vec<u32>,
    feed_days: i64,
    first_day: Option<Day>,
    last_day: Option<Day>,
}

/// One warning per pair of entries, at the date item of the later entry that repeats days,
/// with the earlier entry's item as related.
fn duplicates(
    plan: &Plan,
    spec: &Spec,
    map: &SpecMap,
    understood: &Understood,
    out: &mut Vec<Diagnostic>,
) {
    // Duplicates by (first entry, second entry), each pair's in plan order; repeats inside
    // one entry are reported where they are written (a feed listed twice, overlapping date
    // items).
    let order = crate::order::sorted_positions(
        (plan.duplicates.iter()).map(|d| (u64::from(d.first_entry), d.second_entry)),
    );
    let mut pairs: Vec<((u32, u32), Pair)> = Vec::new();
    for i in order {
        let d = &plan.duplicates[i];
        if d.first_entry == d.second_entry {
            continue;
        }
        let pair = (d.first_entry, d.second_entry);
        if pairs.last().is_none_or(|(last, _)| *last != pair) {
            pairs.push((pair, Pair::default()));
        }
        let Some((_, p)) = pairs.last_mut() else {
            continue;
        };
        if !p.feeds.contains(&d.feed) {
            p.feeds.push(d.feed);
        }
        p.feed_days += i64::from(d.last_day.days_since(d.day)) + 1;
        p.first_day = Some(p.first_day.map_or(d.day, |f| f.min(d.day)));
        p.last_day = Some(p.last_day.map_or(d.last_day, |l| l.max(d.last_day)));
    }
    // Every pair is a finding (all are counted), but only as many as can be shown look up
    // the date item they repeat: past that, the later entry's `dates` stands for it.
    for (n, ((first, second), p)) in pairs.into_iter().enumerate() {
        let (Some(day), Some(last)) = (p.first_day, p.last_day) else {
            continue;
        };
        let (first, second) = (first as usize, second as usize);
        let (Some(em2), Some(em1)) = (map.entries.get(second), map.entries.get(first)) else {
            continue;
        };
        let (here, there) = if n < crate::findings::MAX_SHOWN {
            (
                item_with(understood, second, day, em2),
                item_with(understood, first, day, em1),
            )
        } else {
            (
                em2.field("dates").unwrap_or(&em2.loc),
                em1.field("dates").unwrap_or(&em1.loc),
            )
        };
        let names: Vec<&str> = p
            .feeds
            .iter()
            .filter_map(|&f| plan.feeds.get(f as usize))
            .map(String::as_str)
            .collect();
        let days = if day == last {
            day.to_string()
        } else {
            format!("{day}..{last}")
        };
        let targets = [first, second].map(|i| resolved_target(spec, i));
        let (message, hint) = if targets[0] != targets[1] {
            (
                format!(
                    "{} on {days} is also asked for by backfills[{first}] with another target: it would run on both paths",
                    and_list(&names, 3)
                ),
                "keep each feed-day in one entry, with one target",
            )
        } else {
            (
                format!(
                    "{} on {days} {} also asked for by backfills[{first}]{}; they run once",
                    and_list(&names, 3),
                    if names.len() == 1 { "is" } else { "are" },
                    if p.feed_days > 1 {
                        format!(" ({} feed-days in all)", p.feed_days)
                    } else {
                        String::new()
                    },
                ),
                "remove the repeated days from one of the two entries (hours, if any, are merged)",
            )
        };
        out.push(
            Diagnostic::warning("duplicate-feed-day", message, here.span)
                .with_hint(hint)
                .with_related(there.span, format!("backfills[{first}] asks for it here"))
                .with_path(here.path.clone()),
        );
    }
}

fn resolved_target(spec: &Spec, entry: usize) -> Option<Target> {
    let e = spec.backfills.get(entry)?;
    Target::parse(
        e.target
            .as_deref()
            .or(spec.defaults.target.as_deref())
            .unwrap_or("emr"),
    )
}

/// The date item of an entry that holds `day` (else the entry's dates, else the entry).
fn item_with<'a>(
    understood: &Understood,
    entry: usize,
    day: Day,
    em: &'a crate::decode::EntryMap,
) -> &'a Loc {
    let items = understood
        .entry_days
        .get(entry)
        .map_or(&[][..], Vec::as_slice);
    items
        .iter()
        .zip(em.items("dates"))
        .find(|(days, _)| days.is_some_and(|(a, b)| a <= day && day <= b))
        .map(|(_, loc)| loc)
        .or(em.field("dates"))
        .unwrap_or(&em.loc)
}

fn limits(plan: &Plan, map: &SpecMap, out: &mut Vec<Diagnostic>) {
    for v in plan.limit_violations() {
        let loc = match (v.entry, v.path) {
            (Some(e), _) => map
                .entries
                .get(e as usize)
                .map(|em| em.field("feeds").unwrap_or(&em.loc)),
            // A cluster setting may come from the catalog: blame the spec's field when it
            // sets one of the two involved, else leave it to the catalog's own lint.
            (None, Some(path)) => map.field(path).or_else(|| match v.kind {
                LimitKind::ActionOnFailureWithConcurrency => map.field("/emr/step_concurrency"),
                LimitKind::PlanTooLarge => map.field("/backfills"),
                _ => None,
            }),
            (None, None) => None,
        };
        let Some(loc) = loc else { continue };
        let hint = match v.kind {
            LimitKind::StepNameTooLong => {
                "shorten the feed name or the catalog's step_name template"
            }
            LimitKind::StepTooLong => {
                "the catalog's step arguments are too long for EMR; shorten them"
            }
            LimitKind::StepConcurrency => {
                "1 runs steps one at a time; a full-day cluster usually runs 4 to 16"
            }
            LimitKind::ActionOnFailureWithConcurrency => "use CONTINUE, or set step_concurrency: 1",
            LimitKind::MessageTooLarge => {
                "the catalog's replay message template makes bodies too large for SQS"
            }
            LimitKind::PlanTooLarge => {
                "split the backfill into several specs, or check the ranges for a typo in the year"
            }
        };
        let span = if loc.span == Span::default() {
            loc.key_or_value()
        } else {
            loc.span
        };
        out.push(
            Diagnostic::error(v.kind.code(), v.message.clone(), span)
                .with_hint(hint)
                .with_path(loc.path.clone()),
        );
    }
}
