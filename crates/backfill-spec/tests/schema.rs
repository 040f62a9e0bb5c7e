//! The JSON Schema and the linter must agree on the examples that scripts/check-schema.sh
//! runs through check-jsonschema: what the schema accepts lints without error, and what it
//! refuses the linter refuses too. (The linter refuses more: the catalog rules.)

use std::path::Path;

use backfill_spec::{Day, Options, Severity, analyze, catalog};

fn errors_in(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).expect("example");
    let options = Options {
        today: Day::parse("2026-01-01").expect("day"),
    };
    analyze(&text, catalog::demo(), &options)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

fn examples(kind: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema/examples")
        .join(kind);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn linter_accepts_what_the_schema_accepts() {
    for file in examples("good") {
        assert_eq!(errors_in(&file), 0, "{}", file.display());
    }
}

#[test]
fn linter_refuses_what_the_schema_refuses() {
    for file in examples("bad") {
        assert!(errors_in(&file) > 0, "{}", file.display());
    }
}

#[test]
fn schema_is_draft_07_and_closed() {
    let schema: serde_json::Value =
        serde_json::from_str(&backfill_spec::json_schema()).expect("JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(
        schema["required"],
        serde_json::json!(["version", "name", "reason", "backfills"])
    );
}
