//! The spec as an ordered document tree: the single definition of the canonical form (key
//! order, what is omitted, which scalars are numbers). The printers lay this tree out.

use crate::{Entry, Feeds, Spec};

pub(super) enum Doc {
    /// Any text: quoted in YAML, a string in JSON.
    Str(String),
    Int(i64),
    /// A keyword written bare in YAML (`all`); a string in JSON.
    Keyword(&'static str),
    Seq(Vec<Doc>),
    /// Keys of the format itself, printed bare in YAML.
    Map(Vec<(&'static str, Doc)>),
    /// Keys the user chose (tags), quoted in YAML like any user text.
    UserMap(Vec<(String, Doc)>),
}

impl Doc {
    pub(super) fn is_scalar(&self) -> bool {
        matches!(self, Doc::Str(_) | Doc::Int(_) | Doc::Keyword(_))
    }
}

fn strs(items: &[String]) -> Doc {
    Doc::Seq(items.iter().map(|s| Doc::Str(s.clone())).collect())
}

/// Hours typed as a number print as a number (`5`), anything else as text (`"0-11"`, `"05"`),
/// so that the model's text survives the round trip exactly.
fn hour(item: &str) -> Doc {
    let canonical_int = !item.is_empty()
        && item.len() <= 9
        && item.bytes().all(|b| b.is_ascii_digit())
        && (item == "0" || !item.starts_with('0'));
    match item.parse::<i64>() {
        Ok(n) if canonical_int => Doc::Int(n),
        _ => Doc::Str(item.to_owned()),
    }
}

fn entry(e: &Entry) -> Doc {
    let mut m = Vec::new();
    m.push((
        "feeds",
        match &e.feeds {
            Feeds::All => Doc::Keyword("all"),
            Feeds::List(names) => strs(names),
        },
    ));
    m.push(("dates", strs(&e.dates)));
    if !e.except.is_empty() {
        m.push(("except", strs(&e.except)));
    }
    if !e.hours.is_empty() {
        m.push(("hours", Doc::Seq(e.hours.iter().map(|h| hour(h)).collect())));
    }
    if let Some(t) = &e.target {
        m.push(("target", Doc::Str(t.clone())));
    }
    if let Some(n) = &e.note {
        m.push(("note", Doc::Str(n.clone())));
    }
    Doc::Map(m)
}

/// The canonical order is the order of docs/spec-format.md's example: identity first, then what to
/// run, then how.
pub(super) fn spec(s: &Spec) -> Doc {
    let mut m = Vec::new();
    if let Some(v) = s.version {
        m.push(("version", Doc::Int(v)));
    }
    m.push(("name", Doc::Str(s.name.clone())));
    m.push(("reason", Doc::Str(s.reason.clone())));
    if let Some(v) = &s.requested_by {
        m.push(("requested_by", Doc::Str(v.clone())));
    }
    if let Some(v) = &s.ticket {
        m.push(("ticket", Doc::Str(v.clone())));
    }
    if let Some(t) = &s.defaults.target {
        m.push(("defaults", Doc::Map(vec![("target", Doc::Str(t.clone()))])));
    }
    m.push((
        "backfills",
        Doc::Seq(s.backfills.iter().map(entry).collect()),
    ));
    if let Some(o) = &s.emr {
        let mut e = Vec::new();
        if let Some(v) = &o.action_on_failure {
            e.push(("action_on_failure", Doc::Str(v.clone())));
        }
        if let Some(v) = o.step_concurrency {
            e.push(("step_concurrency", Doc::Int(v)));
        }
        if let Some(v) = &o.instance_type {
            e.push(("instance_type", Doc::Str(v.clone())));
        }
        if let Some(ms) = &o.managed_scaling {
            let mut sc = Vec::new();
            if let Some(v) = &ms.unit_type {
                sc.push(("unit_type", Doc::Str(v.clone())));
            }
            if let Some(v) = ms.min_units {
                sc.push(("min_units", Doc::Int(v)));
            }
            if let Some(v) = ms.max_units {
                sc.push(("max_units", Doc::Int(v)));
            }
            e.push(("managed_scaling", Doc::Map(sc)));
        }
        if !o.tags.is_empty() {
            e.push((
                "tags",
                Doc::UserMap(
                    o.tags
                        .iter()
                        .map(|(k, v)| (k.clone(), Doc::Str(v.clone())))
                        .collect(),
                ),
            ));
        }
        m.push(("emr", Doc::Map(e)));
    }
    Doc::Map(m)
}
