//! Files generated from the field description (`fields.rs`) are what it generates today:
//! the JSON Schema and the field tables of docs/spec-format.md. Run with `UPDATE_GENERATED=1`
//! to rewrite them after changing a field (`make generate`).

use backfill_spec::fields::{Place, markdown_table};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn update() -> bool {
    std::env::var_os("UPDATE_GENERATED").is_some()
}

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

#[test]
fn docs_field_tables_follow_the_description() {
    let path = format!("{ROOT}/docs/spec-format.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let wanted = with_tables(&text);
    if update() {
        std::fs::write(&path, &wanted).unwrap();
    } else {
        assert!(
            text == wanted,
            "docs/spec-format.md's field tables differ from fields.rs: run `make generate`"
        );
    }
}

#[test]
fn committed_schema_is_the_generated_one() {
    let path = format!("{ROOT}/crates/backfill-spec/schema/spec-v1.schema.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let wanted = backfill_spec::json_schema();
    if update() {
        std::fs::write(&path, &wanted).unwrap();
    } else {
        assert!(
            text == wanted,
            "schema/spec-v1.schema.json differs from the one fields.rs gives: run `make generate`"
        );
    }
}
