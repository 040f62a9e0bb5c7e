//! The spec as an ordered document tree: the single definition of the canonical form (key
//! order, what is omitted, which scalars are numbers). The printers lay this tree out.

use crate::fields::{At, Kind, Place, Value};
use crate::{Feeds, Spec};

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

/// The fields of `place` written in `spec` (of entry `at`), in the description's order
/// (docs/spec-format.md's example: identity first, then what to run, then how).
fn section(spec: &Spec, place: Place, at: At) -> Doc {
    let mut m = Vec::new();
    for f in place.fields() {
        let value = f.get(spec, at);
        if f.omitted(&value) {
            continue;
        }
        let doc = match (f.kind, value) {
            (Kind::Section(inner), _) => section(spec, inner, at),
            (Kind::Entries, _) => Doc::Seq(
                (0..spec.backfills.len())
                    .map(|i| section(spec, Place::Entry, At::Entry(i)))
                    .collect(),
            ),
            (Kind::Hours, Value::List(items)) => Doc::Seq(items.iter().map(|h| hour(h)).collect()),
            (_, Value::List(items)) => Doc::Seq(items.into_iter().map(Doc::Str).collect()),
            (_, Value::Feeds(Feeds::All)) => Doc::Keyword("all"),
            (_, Value::Feeds(Feeds::List(names))) => {
                Doc::Seq(names.into_iter().map(Doc::Str).collect())
            }
            (_, Value::Int(n)) => Doc::Int(n),
            (_, Value::Text(t)) => Doc::Str(t),
            (_, Value::Tags(tags)) => {
                Doc::UserMap(tags.into_iter().map(|(k, v)| (k, Doc::Str(v))).collect())
            }
            (_, Value::Absent | Value::Present) => continue,
        };
        m.push((f.key, doc));
    }
    Doc::Map(m)
}

/// The spec as its canonical document.
pub(super) fn spec(s: &Spec) -> Doc {
    section(s, Place::Spec, At::Spec)
}
