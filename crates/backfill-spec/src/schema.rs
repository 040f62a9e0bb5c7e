//! The JSON Schema of spec v1, for editors (yaml-language-server's `# yaml-language-server:
//! $schema=…` comment) and generic validators, generated from the field description
//! (`fields.rs`); schema/spec-v1.schema.json is this text, committed (tests/generated.rs). It
//! checks shape only; the catalog-dependent rules need `analyze`.

use crate::fields::{Field, Kind, Place, TARGETS};
use crate::json_writer::{JsonWriter, Layout};

const DESCRIPTION: &str = "One file listing every backfill: feeds x days (optionally hours), run on one EMR cluster or replayed through SQS. The catalog-dependent rules (unknown feed, before the feed existed, future days, duplicates, EMR limits) are checked by `backfill-spec lint`, not by this schema.";

/// A day `YYYY-MM-DD`, as the schema's patterns spell it.
const DAY: &str = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";
/// An hour 0-23.
const HOUR: &str = "([01]?[0-9]|2[0-3])";

/// The schema text (draft-07, the draft yaml-language-server supports best).
pub fn json_schema() -> String {
    let mut out = String::new();
    let mut w = JsonWriter::new(&mut out);
    w.begin_object(Layout::Lines);
    w.key("$schema");
    w.string("http://json-schema.org/draft-07/schema#");
    w.key("title");
    w.string("Backfill spec v1");
    w.key("description");
    w.string(DESCRIPTION);
    mapping(&mut w, Place::Spec);
    w.key("definitions");
    w.begin_object(Layout::Lines);
    definitions(&mut w);
    w.key("entry");
    w.begin_object(Layout::Lines);
    mapping(&mut w, Place::Entry);
    w.end_object();
    w.end_object();
    w.end_object();
    out.push('\n');
    out
}

/// The keywords of an object holding `place`'s fields: its type, required keys and
/// properties.
fn mapping(w: &mut JsonWriter, place: Place) {
    w.key("type");
    w.string("object");
    let required: Vec<&str> = place
        .fields()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    if !required.is_empty() {
        w.key("required");
        w.begin_array(Layout::Inline);
        for key in required {
            w.string(key);
        }
        w.end_array();
    }
    w.key("additionalProperties");
    w.bool(false);
    w.key("properties");
    w.begin_object(Layout::Lines);
    for f in place.fields() {
        w.key(f.key);
        property(w, f);
    }
    w.end_object();
}

fn property(w: &mut JsonWriter, f: &Field) {
    w.begin_object(Layout::Lines);
    w.key("description");
    w.string(f.doc);
    if let Kind::Section(inner) = f.kind {
        mapping(w, inner);
    }
    for (keyword, value) in f.schema {
        w.key(keyword);
        w.raw(value);
    }
    w.end_object();
}

/// The value shapes that several fields share.
fn definitions(w: &mut JsonWriter) {
    w.key("target");
    w.begin_object(Layout::Lines);
    w.key("description");
    w.string("emr (reprocess on the cluster) or replay (re-send through SQS).");
    w.key("enum");
    w.begin_array(Layout::Inline);
    for t in TARGETS {
        w.string(t);
    }
    w.end_array();
    w.end_object();

    w.key("feedName");
    w.begin_object(Layout::Lines);
    w.key("description");
    w.string("A feed of the catalog. Quote names like no, on, yes, off, y, n: YAML 1.1 readers take them for booleans.");
    w.key("type");
    w.string("string");
    w.key("minLength");
    w.int(1);
    w.end_object();

    w.key("feeds");
    w.begin_object(Layout::Lines);
    w.key("description");
    w.string("all (every catalog feed that exists on the day), one feed, or a list of feeds.");
    w.key("anyOf");
    w.begin_array(Layout::Lines);
    w.raw("{\"const\": \"all\"}");
    one_or_list(w, "feedName");
    w.end_array();
    w.end_object();

    w.key("dateItem");
    w.begin_object(Layout::Lines);
    w.key("description");
    w.string("A day YYYY-MM-DD or an inclusive range YYYY-MM-DD..YYYY-MM-DD. Quote it: PyYAML reads an unquoted date as a date, not a string.");
    w.key("type");
    w.string("string");
    w.key("pattern");
    w.string(&format!("^{DAY}(\\.\\.{DAY})?$"));
    w.end_object();

    w.key("dates");
    w.begin_object(Layout::Lines);
    w.key("anyOf");
    w.begin_array(Layout::Lines);
    one_or_list(w, "dateItem");
    w.end_array();
    w.end_object();

    w.key("hourItem");
    w.begin_object(Layout::Lines);
    w.key("description");
    w.string("An hour 0-23 or a range like 0-11.");
    w.key("anyOf");
    w.begin_array(Layout::Lines);
    w.raw("{\"type\": \"integer\", \"minimum\": 0, \"maximum\": 23}");
    w.begin_object(Layout::Inline);
    w.key("type");
    w.string("string");
    w.key("pattern");
    w.string(&format!("^{HOUR}(-{HOUR})?$"));
    w.end_object();
    w.end_array();
    w.end_object();

    w.key("hours");
    w.begin_object(Layout::Lines);
    w.key("anyOf");
    w.begin_array(Layout::Lines);
    one_or_list(w, "hourItem");
    w.end_array();
    w.end_object();
}

/// The two items of an `anyOf`: one `item`, or a list of at least one.
fn one_or_list(w: &mut JsonWriter, item: &str) {
    let reference = format!("{{\"$ref\": \"#/definitions/{item}\"}}");
    w.raw(&reference);
    w.raw(&format!(
        "{{\"type\": \"array\", \"minItems\": 1, \"items\": {reference}}}"
    ));
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_is_json() {
        let v: serde_json::Value = serde_json::from_str(&super::json_schema()).expect("valid JSON");
        assert_eq!(v["title"], "Backfill spec v1");
    }
}
