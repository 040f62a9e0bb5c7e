//! JSON layout of a [`Doc`]: compact (the fingerprinted form) or pretty (the download).

use super::doc::Doc;
use crate::json_writer::{JsonWriter, Layout};

/// `doc` as JSON; pretty is two-space indented with lists of scalars on one line, and ends
/// with a line break. `schema`, if any, is written first as a `$schema` key of the top-level
/// object (the model does not hold it; `backfill-spec fmt` keeps it).
pub(super) fn print(doc: &Doc, pretty: bool, schema: Option<&str>) -> String {
    let mut out = String::new();
    let mut w = if pretty {
        JsonWriter::new(&mut out)
    } else {
        JsonWriter::compact(&mut out)
    };
    match (doc, schema) {
        (Doc::Map(entries), Some(url)) => {
            w.begin_object(Layout::Lines);
            w.key("$schema");
            w.string(url);
            for (key, value) in entries {
                w.key(key);
                write(&mut w, value);
            }
            w.end_object();
        }
        _ => write(&mut w, doc),
    }
    if pretty {
        out.push('\n');
    }
    out
}

fn write(w: &mut JsonWriter<'_>, doc: &Doc) {
    match doc {
        Doc::Str(s) => w.string(s),
        Doc::Keyword(s) => w.string(s),
        Doc::Int(n) => w.int(*n),
        Doc::Seq(items) => {
            // Lists of scalars (feeds, dates, hours) stay on one line even when pretty.
            let layout = if items.iter().all(Doc::is_scalar) {
                Layout::Inline
            } else {
                Layout::Lines
            };
            w.begin_array(layout);
            for item in items {
                write(w, item);
            }
            w.end_array();
        }
        Doc::Map(entries) => {
            w.begin_object(Layout::Lines);
            for (key, value) in entries {
                w.key(key);
                write(w, value);
            }
            w.end_object();
        }
        Doc::UserMap(entries) => {
            w.begin_object(Layout::Lines);
            for (key, value) in entries {
                w.key(key);
                write(w, value);
            }
            w.end_object();
        }
    }
}
