//! The deploy-time catalog (v1): which feeds exist since when, the EMR step templates and
//! cluster defaults, the replay message, the upload key and the hosts uploads may go to.
//!
//! A catalog is linted like a spec, and a broken one is still usable: each part that cannot
//! be read falls back to the demo catalog's, so the app keeps working and says why.

use std::sync::OnceLock;

mod hosts;
mod templates;

pub use hosts::connect_sources;

use templates::{lint_step_templates, replay, upload};

use crate::decode::{self, Decoder, Loc, SpecMap};
use crate::yaml::{self, Node, NodeKind, ScalarStyle};
use crate::{Catalog, CatalogEmr, CatalogFeed, Day, Diagnostic, EmrOverrides, EmrSettings, Span};
use crate::{Totals, findings};

/// The demo catalog's text, built in: the app's fallback and the CLI's default.
pub const DEMO_YAML: &str = include_str!("../catalog/demo.yaml");

/// The demo catalog, parsed once.
pub fn demo() -> &'static Catalog {
    static DEMO: OnceLock<Catalog> = OnceLock::new();
    DEMO.get_or_init(|| {
        let doc = yaml::parse_document(DEMO_YAML);
        let mut diags = Vec::new();
        let root = doc.root.expect("the demo catalog is not empty");
        let catalog = decode_catalog(DEMO_YAML, &root, None, true, &mut diags);
        debug_assert!(
            diags.is_empty(),
            "the demo catalog must lint clean: {diags:?}"
        );
        catalog
    })
}

/// Parses and lints a catalog (YAML or JSON). Never fails: see the module docs. The findings
/// are prepared for display as a spec's are (`findings::for_display`): the list shown, and
/// the totals of all of them.
pub fn parse(text: &str) -> (Catalog, Vec<Diagnostic>, Totals) {
    let doc = yaml::parse_document(text);
    let mut diags = doc.diagnostics;
    let Some(root) = doc.root else {
        let d = Diagnostic::error(
            "empty-document",
            "the catalog is empty; the demo catalog is used",
            Span::new(0, 0),
        )
        .with_hint("a catalog starts with `version: 1` and `feeds:`");
        diags.push(d);
        let (shown, totals) = findings::for_display(diags);
        return (demo().clone(), shown, totals);
    };
    let catalog = decode_catalog(text, &root, Some(demo()), doc.complete, &mut diags);
    let (shown, totals) = findings::for_display(diags);
    (catalog, shown, totals)
}

const CATALOG_KEYS: &[&str] = &["version", "feeds", "emr", "replay", "upload", "$schema"];
const FEED_KEYS: &[&str] = &["since", "replay", "hourly", "aliases"];
const CATALOG_EMR_KEYS: &[&str] = &[
    "step_name",
    "args",
    "hours_args",
    "max_days_per_step",
    "defaults",
];

/// `fallback` is the demo catalog, or `None` while decoding the demo itself.
fn decode_catalog(
    source: &str,
    root: &Node,
    fallback: Option<&Catalog>,
    complete: bool,
    diags: &mut Vec<Diagnostic>,
) -> Catalog {
    let mut d = Decoder::new(diags, complete, source);
    let demo = |part: &str| -> &Catalog {
        fallback.unwrap_or_else(|| panic!("the demo catalog lacks {part}"))
    };
    if !d.expect_map(
        root,
        "",
        "a catalog",
        "`version: 1`, `feeds:`, `emr:`, `replay:` and `upload:`",
    ) {
        return demo("a mapping").clone();
    }
    d.unknown_keys(root, "", CATALOG_KEYS, "the catalog");
    match root.entry("version") {
        None => d.missing(root, "", "version", "the catalog"),
        Some((k, v)) => {
            if let Some(version) = d.int(k, v, "/version")
                && version != 1
            {
                d.push(
                    Diagnostic::error(
                        "unsupported-version",
                        format!("catalog version {version} is not supported"),
                        v.span,
                    )
                    .with_hint("this tool reads catalog version 1: write `version: 1`")
                    .with_path("/version"),
                );
            }
        }
    }
    let feeds = match root.get("feeds") {
        Some(v) => feeds(&mut d, v),
        None => {
            d.missing(root, "", "feeds", "the catalog");
            Vec::new()
        }
    };
    let feeds = if feeds.is_empty() && fallback.is_some() {
        if let Some((k, _)) = root.entry("feeds") {
            d.push(
                Diagnostic::error(
                    "empty-value",
                    "the catalog names no usable feed; the demo's feeds are used",
                    k.span,
                )
                .with_hint("list feeds as `name: {since: 2022-01-01}`")
                .with_path("/feeds"),
            );
        }
        demo("feeds").feeds.clone()
    } else {
        feeds
    };
    let emr = match root.get("emr") {
        Some(v) => emr(&mut d, v, fallback.map(|c| &c.emr), &feeds),
        None => {
            d.missing(root, "", "emr", "the catalog");
            demo("emr").emr.clone()
        }
    };
    let replay_message = match root.get("replay") {
        Some(v) => {
            replay(&mut d, v, &feeds).unwrap_or_else(|| demo("replay").replay_message.clone())
        }
        None => demo("replay").replay_message.clone(),
    };
    let upload_node = root.get("upload").filter(|v| !v.is_null());
    let upload_key = upload_node
        .and_then(|v| upload(&mut d, v))
        .unwrap_or_else(|| demo("upload").upload_key.clone());
    // The demo's are not used in place of a deployment's: it has none.
    let upload_allowed_hosts = upload_node
        .filter(|v| matches!(v.kind, NodeKind::Map(_)))
        .and_then(|v| v.entry("allowed_hosts"))
        .map_or_else(Vec::new, |(k, v)| hosts::allowed_hosts(&mut d, k, v));
    let upload_presign = upload_node
        .filter(|v| matches!(v.kind, NodeKind::Map(_)))
        .and_then(|v| v.get("presign"))
        .and_then(|v| hosts::presign(&mut d, v));
    Catalog {
        feeds,
        emr,
        replay_message,
        upload_key,
        upload_allowed_hosts,
        upload_presign,
    }
}

fn feeds(d: &mut Decoder<'_>, node: &Node) -> Vec<CatalogFeed> {
    if !d.expect_map(
        node,
        "/feeds",
        "`feeds`",
        "one `name: {since: 2022-01-01}` line per feed",
    ) {
        return Vec::new();
    }
    let mut out: Vec<CatalogFeed> = Vec::with_capacity(node.entries().len());
    // Where each alias is, in the feeds' order.
    let mut alias_locs = Vec::new();
    // A name's validity depends on the name alone, so the first of equal names is the one
    // kept whether or not it is valid.
    let names: Vec<&str> = node
        .entries()
        .iter()
        .filter_map(|(k, _)| k.scalar())
        .collect();
    let first = crate::order::first_occurrences(&names);
    for (i, (k, v)) in node
        .entries()
        .iter()
        .filter(|(k, _)| k.scalar().is_some())
        .enumerate()
    {
        let name = names[i];
        let path = yaml::child("/feeds", name);
        if !feed_name_ok(d, k, name, &path) || first[i] != i {
            continue;
        }
        let mut feed = CatalogFeed {
            name: name.to_owned(),
            since: Day::EPOCH,
            replay: false,
            hourly: false,
            aliases: Vec::new(),
        };
        let what = format!("feed `{name}`");
        if !d.expect_map(v, &path, &what, "`{since: 2022-01-01}`") {
            continue;
        }
        d.unknown_keys(v, &path, FEED_KEYS, &what);
        match v.entry("since") {
            None => {
                d.missing(v, &path, "since", &what);
                continue;
            }
            Some((sk, sv)) => match since(d, sk, sv, &yaml::child(&path, "since")) {
                Some(day) => feed.since = day,
                None => continue,
            },
        }
        for (flag, slot) in [("replay", &mut feed.replay), ("hourly", &mut feed.hourly)] {
            if let Some((fk, fv)) = v.entry(flag) {
                *slot = boolean(d, fk, fv, &yaml::child(&path, flag));
            }
        }
        if let Some((ak, av)) = v.entry("aliases") {
            let aliases = d.text_list(ak, av, &yaml::child(&path, "aliases"), &mut alias_locs);
            feed.aliases = aliases.unwrap_or_default();
        }
        out.push(feed);
    }
    unique_aliases(d, &mut out, alias_locs);
    out
}

/// Leaves out each alias that is a feed's name or an earlier alias: a mismatch list's row
/// must stand for one feed. `locs` are the aliases' places, in the feeds' order.
fn unique_aliases(d: &mut Decoder<'_>, feeds: &mut [CatalogFeed], locs: Vec<Loc>) {
    let mut names: Vec<&str> = feeds.iter().map(|f| f.name.as_str()).collect();
    // The feed each name belongs to.
    let mut owner: Vec<usize> = (0..feeds.len()).collect();
    for (i, feed) in feeds.iter().enumerate() {
        names.extend(feed.aliases.iter().map(String::as_str));
        owner.resize(names.len(), i);
    }
    let first = crate::order::first_occurrences(&names);
    // Whether each alias is kept, in the feeds' order.
    let mut keep = Vec::with_capacity(locs.len());
    for (i, loc) in (feeds.len()..).zip(locs) {
        let taken = first[i];
        keep.push(taken == i);
        if taken != i {
            let how = if taken < feeds.len() {
                "is the name of"
            } else {
                "already stands for"
            };
            d.push(
                Diagnostic::error(
                    "feed-alias-taken",
                    format!(
                        "`{}` {how} feed `{}`; this alias is left out",
                        names[i], names[owner[taken]]
                    ),
                    loc.span,
                )
                .with_hint("give each name of a mismatch list to one feed only")
                .with_path(loc.path),
            );
        }
    }
    let mut keep = keep.into_iter();
    for feed in feeds {
        feed.aliases.retain(|_| keep.next().unwrap_or(true));
    }
}

fn feed_name_ok(d: &mut Decoder<'_>, key: &Node, name: &str, path: &str) -> bool {
    let (code, message, hint) = if name == "all" {
        (
            "reserved-feed-name",
            "`all` cannot name a feed: `feeds: all` means every feed",
            "rename the feed",
        )
    } else if name.trim().is_empty()
        || name.contains(|c: char| c.is_whitespace() || c == '{' || c == '}')
    {
        (
            "invalid-feed-name",
            "a feed name cannot be empty or hold spaces or braces",
            "use letters, digits, `-` and `_`",
        )
    } else {
        if key.style() == Some(ScalarStyle::Plain) && decode::is_yaml11_bool(name) {
            d.push(
                Diagnostic::warning(
                    "yaml-boolean",
                    format!("unquoted feed name `{name}` is a boolean to PyYAML and other YAML 1.1 readers"),
                    key.span,
                )
                .with_hint(format!("quote it: \"{name}\""))
                .with_path(path),
            );
        }
        return true;
    };
    d.push(
        Diagnostic::error(code, message, key.span)
            .with_hint(hint)
            .with_path(path),
    );
    false
}

fn since(d: &mut Decoder<'_>, key: &Node, value: &Node, path: &str) -> Option<Day> {
    let text = d.text(key, value, path)?;
    match Day::parse(text.trim()) {
        Ok(day) => Some(day),
        Err(e) => {
            let (code, why) = match e {
                crate::DayError::Format => (
                    "invalid-date",
                    "is not a date of the form YYYY-MM-DD".to_owned(),
                ),
                crate::DayError::Impossible(why) => {
                    ("impossible-date", format!("is not in the calendar: {why}"))
                }
            };
            d.push(
                Diagnostic::error(
                    code,
                    format!("`{text}` {why}; the feed is left out"),
                    value.span,
                )
                .with_hint("write the first partition day, e.g. `since: 2022-01-01`")
                .with_path(path),
            );
            None
        }
    }
}

/// A flag. YAML 1.1 spellings (`yes`, `on`) are read as PyYAML would, with a warning.
fn boolean(d: &mut Decoder<'_>, key: &Node, value: &Node, path: &str) -> bool {
    if let NodeKind::Scalar {
        value: text,
        style: ScalarStyle::Plain,
    } = &value.kind
    {
        match text.as_str() {
            "true" | "True" | "TRUE" => return true,
            "false" | "False" | "FALSE" => return false,
            t if decode::is_yaml11_bool(t) => {
                let truth = matches!(t.to_ascii_lowercase().as_str(), "y" | "yes" | "on");
                d.push(
                    Diagnostic::warning(
                        "yaml-boolean",
                        format!(
                            "`{t}` is a boolean only to YAML 1.1 readers; it is read as {truth}"
                        ),
                        value.span,
                    )
                    .with_hint(format!("write `{truth}`"))
                    .with_path(path),
                );
                return truth;
            }
            _ => {}
        }
    }
    let name = key.scalar().unwrap_or("this flag");
    d.push(
        Diagnostic::error(
            "wrong-type",
            format!("`{name}` must be true or false"),
            value.span,
        )
        .with_hint(format!("write `{name}: true` or leave it out"))
        .with_path(path),
    );
    false
}

fn emr(
    d: &mut Decoder<'_>,
    node: &Node,
    fallback: Option<&CatalogEmr>,
    feeds: &[CatalogFeed],
) -> CatalogEmr {
    let demo = |what: &str| fallback.unwrap_or_else(|| panic!("the demo catalog lacks emr.{what}"));
    if !d.expect_map(node, "/emr", "`emr`", "`step_name`, `args` and `defaults`") {
        return demo("").clone();
    }
    d.unknown_keys(node, "/emr", CATALOG_EMR_KEYS, "the catalog's `emr`");
    let mut templates: Vec<(String, &Node, String)> = Vec::new(); // (text, node, path)
    let step_name = match node.entry("step_name") {
        Some((k, v)) => d
            .text(k, v, "/emr/step_name")
            .inspect(|t| templates.push((t.clone(), v, "/emr/step_name".into()))),
        None => {
            d.missing(node, "/emr", "step_name", "the catalog's `emr`");
            None
        }
    };
    let mut lists: [Option<Vec<String>>; 2] = [None, None];
    for (i, field) in ["args", "hours_args"].into_iter().enumerate() {
        let Some((k, v)) = node.entry(field) else {
            if field == "args" {
                d.missing(node, "/emr", field, "the catalog's `emr`");
            }
            continue;
        };
        let path = yaml::child("/emr", field);
        let mut locs = Vec::new();
        let values = d.text_list(k, v, &path, &mut locs).unwrap_or_default();
        if values.is_empty() && field == "args" && !v.is_null() {
            d.push(
                Diagnostic::error("empty-list", "`args` is empty; the demo catalog's arguments are used", v.span)
                    .with_hint("list the step's command, e.g. `[spark-submit, job.py, --feed, \"{feed}\", --date, \"{date}\"]`")
                    .with_path(path.clone()),
            );
        }
        for (value, loc) in values.iter().zip(&locs) {
            let item = node_at(v, &loc.path, &path);
            templates.push((value.clone(), item, loc.path.clone()));
        }
        lists[i] = Some(values);
    }
    let [args, hours_args] = lists;
    let mut max_days = 1u32;
    let mut max_days_loc = None;
    if let Some((k, v)) = node.entry("max_days_per_step") {
        max_days_loc = Some(v.span);
        match d.int(k, v, "/emr/max_days_per_step") {
            Some(n) if (1..=366).contains(&n) => max_days = n as u32,
            Some(n) => d.push(
                Diagnostic::error(
                    "max-days-out-of-range",
                    format!("max_days_per_step is {n}; it must be 1 to 366"),
                    v.span,
                )
                .with_hint("1 runs one step per feed-day; more groups contiguous days of a feed")
                .with_path("/emr/max_days_per_step"),
            ),
            None => {}
        }
    }
    let (defaults, settings_map, overrides) = match node.get("defaults").filter(|v| !v.is_null()) {
        Some(v) => {
            let mut map = SpecMap::default();
            let o = d.emr(v, "/emr/defaults", &mut map);
            (o, map, true)
        }
        None => (None, SpecMap::default(), false),
    };
    let base = fallback.map_or_else(EmrSettings::empty, |f| f.defaults.clone());
    let mut settings = resolve(base, defaults.as_ref());
    if overrides {
        let none = EmrOverrides::default();
        let checks = crate::rules::emr::EmrChecks {
            values: defaults.as_ref().unwrap_or(&none),
            resolved: &settings,
            base: "/emr/defaults",
            map: &settings_map,
            concurrency: true,
        };
        let mut found = Vec::new();
        crate::rules::emr::check(&checks, &mut found);
        // Values EMR would refuse fall back to the demo's, so specs are not blamed for them.
        if let Some(f) = fallback {
            for diag in found
                .iter()
                .filter(|x| x.severity == crate::Severity::Error)
            {
                match diag.path.rsplit('/').next() {
                    Some("action_on_failure") => {
                        settings.action_on_failure = f.defaults.action_on_failure.clone()
                    }
                    Some("step_concurrency") => {
                        settings.step_concurrency = f.defaults.step_concurrency
                    }
                    Some("unit_type" | "min_units" | "max_units") => {
                        settings.managed_scaling = f.defaults.managed_scaling.clone()
                    }
                    _ => {}
                }
            }
        }
        for diag in found {
            d.push(diag);
        }
    }
    let emr = CatalogEmr {
        step_name: step_name.unwrap_or_else(|| demo("step_name").step_name.clone()),
        args: args
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| demo("args").args.clone()),
        hours_args: hours_args.unwrap_or_default(),
        max_days_per_step: max_days,
        defaults: settings,
    };
    let fallback_span = node.entries().first().map_or(node.span, |(k, _)| k.span);
    lint_step_templates(d, &templates, &emr, max_days_loc, feeds, fallback_span);
    emr
}

/// The node of a list item by its path (a bare scalar is its own item).
fn node_at<'n>(list: &'n Node, item_path: &str, list_path: &str) -> &'n Node {
    item_path
        .strip_prefix(list_path)
        .and_then(|rest| list.pointer(rest))
        .unwrap_or(list)
}

impl EmrSettings {
    fn empty() -> EmrSettings {
        EmrSettings {
            action_on_failure: String::new(),
            step_concurrency: 1,
            instance_type: String::new(),
            managed_scaling: crate::ManagedScalingSettings {
                unit_type: String::new(),
                min_units: 1,
                max_units: 1,
            },
            tags: Vec::new(),
        }
    }
}

fn resolve(mut s: EmrSettings, o: Option<&EmrOverrides>) -> EmrSettings {
    let Some(o) = o else { return s };
    if let Some(v) = &o.action_on_failure {
        s.action_on_failure = v.clone();
    }
    if let Some(v) = o.step_concurrency {
        s.step_concurrency = v;
    }
    if let Some(v) = &o.instance_type {
        s.instance_type = v.clone();
    }
    if let Some(ms) = &o.managed_scaling {
        if let Some(v) = &ms.unit_type {
            s.managed_scaling.unit_type = v.clone();
        }
        if let Some(v) = ms.min_units {
            s.managed_scaling.min_units = v;
        }
        if let Some(v) = ms.max_units {
            s.managed_scaling.max_units = v;
        }
    }
    // The catalog's own tags replace the demo's: a deployment does not inherit our tags.
    s.tags = o.tags.clone();
    s
}
