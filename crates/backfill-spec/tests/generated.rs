//! Files generated from the field description (`fields.rs`) are what it generates today:
//! the JSON Schema and the field tables of docs/spec-format.md. Run with `UPDATE_GENERATED=1`
//! to rewrite them after changing a field (`make generate`).

use backfill_spec::fields::{Place, markdown_table};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// `text` with the block after each `<!-- fields: NAME -->` made anew.
fn with_tables(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!-- fields: ") {
        let (name, after) = rest[start + 13..]
            .split_once(" -->\n")
            .expect("a closed marker");
        let place = match name {
            "spec" => Place::Spec,
            "defaults" => Place::Defaults,
            "entry" => Place::Entry,
            "emr" => Place::Emr,
            "managed_scaling" => Place::Scaling,
            other => panic!("no place named {other}"),
        };
        let end = after.find("<!-- /fields -->").expect("an end marker");
        out.push_str(&rest[..start + 13]);
        out.push_str(name);
        out.push_str(" -->\n");
        out.push_str(&markdown_table(place));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Checks that the file at `path` (from the repository's root) is `wanted`, or with
/// `UPDATE_GENERATED` set, makes it so.
fn check_or_update(path: &str, wanted: impl Fn(&str) -> String) {
    let path = format!("{ROOT}/{path}");
    let text = std::fs::read_to_string(&path).unwrap();
    let wanted = wanted(&text);
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &wanted).unwrap();
    } else {
        assert!(
            text == wanted,
            "{path} differs from what fields.rs gives: run `make generate`"
        );
    }
}

#[test]
fn docs_field_tables_follow_the_description() {
    check_or_update("docs/spec-format.md", with_tables);
}

#[test]
fn committed_schema_is_the_generated_one() {
    check_or_update("crates/backfill-spec/schema/spec-v1.schema.json", |_| {
        backfill_spec::json_schema()
    });
}
