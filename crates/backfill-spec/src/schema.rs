//! The JSON Schema of spec v1, for editors (yaml-language-server's `# yaml-language-server:
//! $schema=…` comment) and generic validators, generated from the field description
//! (`fields.rs`); schema/spec-v1.schema.json is this text, committed (tests/generated.rs). It
//! checks shape only; the catalog-dependent rules need `analyze`.

use crate::fields::{Field, Kind, Place, TARGETS};
use crate::json_writer::{self, JsonWriter, Layout};

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
    for (name, description, keywords) in definitions() {
        w.key(name);
        w.begin_object(Layout::Lines);
        if let Some(d) = description {
            w.key("description");
            w.string(d);
        }
        for (keyword, value) in &keywords {
            w.key(keyword);
            match value {
                Keyword::Json(json) => w.raw(json),
                Keyword::AnyOf(schemas) => {
                    w.begin_array(Layout::Lines);
                    for schema in schemas {
                        w.raw(schema);
                    }
                    w.end_array();
                }
            }
        }
        w.end_object();
    }
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

/// A definition of the schema: its name, its description, and its keywords.
type Definition = (
    &'static str,
    Option<&'static str>,
    Vec<(&'static str, Keyword)>,
);

/// A keyword's value: JSON on one line, or an `anyOf` list of schemas, one per line.
enum Keyword {
    Json(String),
    AnyOf(Vec<String>),
}

fn json(text: &str) -> Keyword {
    Keyword::Json(text.to_owned())
}

/// The value shapes that several fields share.
fn definitions() -> Vec<Definition> {
    let targets: Vec<String> = TARGETS.iter().map(|t| json_writer::string(t)).collect();
    let pattern = |p: String| Keyword::Json(json_writer::string(&p));
    let mut feeds = vec!["{\"const\": \"all\"}".to_owned()];
    feeds.extend(one_or_list("feedName"));
    vec![
        (
            "target",
            Some("emr (reprocess on the cluster) or replay (re-send through SQS)."),
            vec![("enum", Keyword::Json(format!("[{}]", targets.join(", "))))],
        ),
        (
            "feedName",
            Some(
                "A feed of the catalog. Quote names like no, on, yes, off, y, n: YAML 1.1 readers take them for booleans.",
            ),
            vec![("type", json("\"string\"")), ("minLength", json("1"))],
        ),
        (
            "feeds",
            Some("all (every catalog feed that exists on the day), one feed, or a list of feeds."),
            vec![("anyOf", Keyword::AnyOf(feeds))],
        ),
        (
            "dateItem",
            Some(
                "A day YYYY-MM-DD or an inclusive range YYYY-MM-DD..YYYY-MM-DD. Quote it: PyYAML reads an unquoted date as a date, not a string.",
            ),
            vec![
                ("type", json("\"string\"")),
                ("pattern", pattern(format!("^{DAY}(\\.\\.{DAY})?$"))),
            ],
        ),
        (
            "dates",
            None,
            vec![("anyOf", Keyword::AnyOf(one_or_list("dateItem").into()))],
        ),
        (
            "hourItem",
            Some("An hour 0-23 or a range like 0-11."),
            vec![(
                "anyOf",
                Keyword::AnyOf(vec![
                    "{\"type\": \"integer\", \"minimum\": 0, \"maximum\": 23}".to_owned(),
                    format!(
                        "{{\"type\": \"string\", \"pattern\": {}}}",
                        json_writer::string(&format!("^{HOUR}(-{HOUR})?$"))
                    ),
                ]),
            )],
        ),
        (
            "hours",
            None,
            vec![("anyOf", Keyword::AnyOf(one_or_list("hourItem").into()))],
        ),
    ]
}

/// One `item`, or a list of at least one.
fn one_or_list(item: &str) -> [String; 2] {
    let reference = format!("{{\"$ref\": \"#/definitions/{item}\"}}");
    let list = format!("{{\"type\": \"array\", \"minItems\": 1, \"items\": {reference}}}");
    [reference, list]
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_is_json() {
        let v: serde_json::Value = serde_json::from_str(&super::json_schema()).expect("valid JSON");
        assert_eq!(v["title"], "Backfill spec v1");
    }
}
