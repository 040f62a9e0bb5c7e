//! Meaning rules: what a well-formed spec can still get wrong against the catalog and the
//! calendar. Each finding points at the value concerned; see docs/rules.md for every code.
//!
//! The rules read the decoded [`Spec`] with its [`SpecMap`] (where everything is), never the
//! text, and never the clock: "today" comes in as an argument.

mod dates;
pub mod emr;
mod entry;
mod plan;

use crate::decode::{Loc, SpecMap};
use crate::{Catalog, CatalogFeed, Day, Diagnostic, Spec};

pub use dates::{DateItemError, date_item};
pub use entry::{HourItemError, hour_item};
pub(crate) use plan::plan_findings;

/// Everything the rules need besides the spec.
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub today: Day,
    /// Catalog feeds sorted by name (equal names in catalog order), for binary search.
    by_name: Vec<&'a CatalogFeed>,
    // Catalog facts every entry may ask for, computed once so that the rules stay linear in
    // the spec whatever the catalog's size.
    names: Vec<&'a str>,
    daily: Vec<&'a str>,
    hourly: Vec<&'a str>,
    replayable: Vec<&'a str>,
    not_replayable: Vec<&'a str>,
    first_since: Option<Day>,
    /// "Did you mean" costs a distance per catalog feed: the feeds it may still compare
    /// names with, in all; past that, hints list feeds. A fixed amount of work however many
    /// unknown feeds a spec names and however many feeds a catalog has.
    comparisons_left: std::cell::Cell<usize>,
}

/// Names "did you mean" may compare in one analysis: 500 unknown feeds against a catalog of
/// 1,000 feeds (each comparison at most 64 × 64 steps).
const SUGGESTION_COMPARISONS: usize = 500_000;

impl<'a> Context<'a> {
    pub fn new(catalog: &'a Catalog, today: Day) -> Self {
        let feeds = &catalog.feeds;
        let by_name =
            crate::order::stable_order(feeds.len(), &|a, b| feeds[a].name < feeds[b].name)
                .into_iter()
                .map(|i| &feeds[i])
                .collect();
        let names_where = |keep: fn(&CatalogFeed) -> bool| -> Vec<&'a str> {
            catalog
                .feeds
                .iter()
                .filter(|f| keep(f))
                .map(|f| f.name.as_str())
                .collect()
        };
        Context {
            catalog,
            today,
            by_name,
            names: names_where(|_| true),
            daily: names_where(|f| !f.hourly),
            hourly: names_where(|f| f.hourly),
            replayable: names_where(|f| f.replay),
            not_replayable: names_where(|f| !f.replay),
            first_since: catalog.feeds.iter().map(|f| f.since).min(),
            comparisons_left: std::cell::Cell::new(SUGGESTION_COMPARISONS),
        }
    }

    /// "did you mean `clicks`?" for an unknown feed, while the budget lasts.
    fn suggest_feed(&self, name: &str) -> Option<String> {
        let cost = self.names.len() + 1;
        let left = self.comparisons_left.get();
        if left < cost {
            return None;
        }
        self.comparisons_left.set(left - cost);
        crate::suggest::hint(name, self.names.iter().copied().chain(["all"]))
    }

    fn feed(&self, name: &str) -> Option<&'a CatalogFeed> {
        // Of feeds named alike (a catalog built by hand), the last one, as a map would keep.
        let end = self.by_name.partition_point(|f| f.name.as_str() <= name);
        let feed = *self.by_name.get(end.checked_sub(1)?)?;
        (feed.name == name).then_some(feed)
    }
}

/// What the rules understood of each entry, for the plan findings that follow: the days of
/// each date item (parallel to `EntryMap::date_items`, `None` where unreadable).
#[derive(Debug, Default)]
pub struct Understood {
    pub entry_days: Vec<Vec<Option<(Day, Day)>>>,
}

/// Runs every meaning rule on a decoded spec.
pub fn check(
    spec: &Spec,
    map: &SpecMap,
    cx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) -> Understood {
    header(spec, map, out);
    let default_target = map.field("/defaults/target");
    if let (Some(t), Some(loc)) = (&spec.defaults.target, default_target) {
        entry::target(t, loc, out);
    }
    let mut understood = Understood::default();
    for (i, (e, em)) in spec.backfills.iter().zip(&map.entries).enumerate() {
        let default = spec.defaults.target.as_deref().zip(default_target);
        understood
            .entry_days
            .push(entry::check(i, e, em, default, cx, out));
    }
    if let Some(o) = &spec.emr {
        // The resolved settings (catalog defaults + overrides) for comparisons such as
        // min_units against a max_units the spec does not set.
        let resolved = resolve_for_check(cx.catalog, o);
        let checks = emr::EmrChecks {
            values: o,
            resolved: &resolved,
            base: "/emr",
            map,
            concurrency: false,
        };
        emr::check(&checks, out);
        let targets = spec.backfills.iter().map(|e| {
            let t = e.target.as_deref().or(spec.defaults.target.as_deref());
            crate::Target::parse(t.unwrap_or("emr"))
        });
        let all_replay = !spec.backfills.is_empty()
            && targets
                .into_iter()
                .all(|t| t == Some(crate::Target::Replay));
        if let (true, Some(loc)) = (all_replay, map.field("/emr")) {
            out.push(with_loc(
                Diagnostic::info(
                    "emr-unused",
                    "every entry targets replay: these EMR settings are not used",
                    loc.key_or_value(),
                )
                .with_hint("remove `emr:`, or check the targets"),
                loc,
            ));
        }
    }
    understood
}

fn resolve_for_check(catalog: &Catalog, o: &crate::EmrOverrides) -> crate::EmrSettings {
    let mut s = catalog.emr.defaults.clone();
    if let Some(ms) = &o.managed_scaling {
        if let Some(v) = ms.min_units {
            s.managed_scaling.min_units = v;
        }
        if let Some(v) = ms.max_units {
            s.managed_scaling.max_units = v;
        }
    }
    s
}

/// version, name, reason, backfills.
fn header(spec: &Spec, map: &SpecMap, out: &mut Vec<Diagnostic>) {
    if let (Some(v), Some(loc)) = (spec.version, map.field("/version"))
        && v != 1
    {
        out.push(
            Diagnostic::error(
                "unsupported-version",
                format!("spec version {v} is not supported"),
                loc.span,
            )
            .with_hint("this tool writes and reads version 1: write `version: 1`")
            .with_path("/version"),
        );
    }
    if let Some(loc) = map.field("/name")
        && !is_slug(&spec.name)
    {
        let (message, span) = if spec.name.is_empty() {
            ("`name` is empty".to_owned(), loc.key_or_value())
        } else {
            (format!("`{}` is not a valid name", spec.name), loc.span)
        };
        let suggestion = slugify(&spec.name);
        let hint = if suggestion.is_empty() {
            "a name is lower-case letters, digits and `-`, up to 63 characters, e.g. `clicks-recon-2022-08`".to_owned()
        } else {
            format!(
                "a name is lower-case letters, digits and `-` (it names the S3 object), e.g. `{suggestion}`"
            )
        };
        out.push(
            Diagnostic::error("invalid-name", message, span)
                .with_hint(hint)
                .with_path("/name"),
        );
    }
    if let Some(loc) = map.field("/reason")
        && spec.reason.trim().is_empty()
    {
        out.push(
            Diagnostic::error("empty-reason", "`reason` is empty", loc.key_or_value())
                .with_hint("say why this backfill runs, with the incident or ticket, e.g. `silver/gold mismatch (INC-4821)`")
                .with_path("/reason"),
        );
    }
    if let Some(loc) = map.field("/backfills")
        && spec.backfills.is_empty()
    {
        out.push(
            Diagnostic::error(
                "empty-backfills",
                "`backfills` lists no entry: this spec runs nothing",
                loc.key_or_value(),
            )
            .with_hint("add an entry: `- feeds: [clicks]` and `dates: 2022-08-10` under it")
            .with_path("/backfills"),
        );
    }
}

/// `[a-z0-9][a-z0-9-]{0,62}`.
pub fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// The closest slug to `s`, for the hint: `Clicks Recon 2022/08` → `clicks-recon-2022-08`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 63 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// `a, b and c` (at most `max` names, then "and N more").
pub(crate) fn and_list<S: AsRef<str>>(names: &[S], max: usize) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(AsRef::as_ref).collect();
    and_list_of(&shown, names.len())
}

/// [`and_list`] of a list of `total` names of which `shown` are the first.
pub(crate) fn and_list_of(shown: &[&str], total: usize) -> String {
    let shown: Vec<String> = shown.iter().map(|n| format!("`{n}`")).collect();
    let rest = total.saturating_sub(shown.len());
    match (shown.len(), rest) {
        (0, _) => String::new(),
        (1, 0) => shown[0].clone(),
        (_, 0) => format!(
            "{} and {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
        _ => format!("{} and {rest} more", shown.join(", ")),
    }
}

pub(crate) fn with_loc(d: Diagnostic, loc: &Loc) -> Diagnostic {
    d.with_path(loc.path.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("clicks-recon-2022-08"));
        assert!(!is_slug("Clicks"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(&"a".repeat(64)));
        assert_eq!(slugify("Clicks Recon 2022/08"), "clicks-recon-2022-08");
        assert_eq!(slugify("__"), "");
        assert_eq!(and_list(&["a", "b", "c"], 3), "`a`, `b` and `c`");
        assert_eq!(and_list(&["a", "b", "c", "d"], 2), "`a`, `b` and 2 more");
    }
}
