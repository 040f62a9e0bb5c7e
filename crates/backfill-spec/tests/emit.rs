//! The canonical printers, compared whole against checked-in files (`UPDATE_EXPECT=1`
//! rewrites them), plus the properties the DAG relies on.

mod common;

use std::path::Path;

use backfill_spec::emit;

fn expect_file(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/emit")
        .join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_EXPECT=1", path.display()));
    assert_eq!(
        actual,
        expected,
        "{} differs (UPDATE_EXPECT=1 to accept)",
        path.display()
    );
}

#[test]
fn product_example_prints_canonically() {
    let spec = common::product_example();
    expect_file("product-example.yaml", &emit::to_yaml(&spec));
    expect_file("product-example.json", &emit::to_json(&spec));
    expect_file(
        "product-example.canonical.json",
        &emit::canonical_json(&spec),
    );
}

#[test]
fn canonical_json_is_valid_compact_json_in_format_order() {
    let spec = common::product_example();
    let text = emit::canonical_json(&spec);
    assert!(!text.contains('\n') && !text.contains(": "));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["backfills"][0]["feeds"], "all");
    assert_eq!(value["backfills"][4]["hours"][0], "0-11");
    assert!(text.starts_with(r#"{"version":1,"name":"clicks-recon-2022-08","reason":"#));
    let pretty: serde_json::Value = serde_json::from_str(&emit::to_json(&spec)).unwrap();
    assert_eq!(value, pretty);
}

#[test]
fn fingerprint_is_sha256_of_canonical_json_and_tracks_content() {
    let spec = common::product_example();
    let fp = emit::fingerprint(&spec);
    assert_eq!(fp.len(), 64);
    assert!(
        fp.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(fp, emit::fingerprint(&spec.clone()));
    let mut changed = spec.clone();
    changed.backfills[0].dates[0] = "2022-08-09".into();
    assert_ne!(fp, emit::fingerprint(&changed));
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(emit::canonical_json(&spec).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(fp, expected);
}

#[test]
fn hours_typed_as_numbers_print_as_numbers_and_others_as_text() {
    let mut spec = common::product_example();
    spec.backfills[4].hours = vec!["5".into(), "05".into(), "0".into(), "7-9".into(), "".into()];
    let json = emit::canonical_json(&spec);
    assert!(json.contains(r#""hours":[5,"05",0,"7-9",""]"#), "{json}");
    assert!(emit::to_yaml(&spec).contains(r#"hours: [5, "05", 0, "7-9", ""]"#));
}

#[test]
fn yaml_quotes_every_string_and_escapes_line_breaks() {
    let mut spec = common::product_example();
    spec.reason = "no\nyes \"quoted\" \\ tab\t nel\u{85} ls\u{2028} bom\u{feff} é".into();
    spec.backfills[1].feeds = backfill_spec::Feeds::List(vec!["no".into(), "on".into()]);
    let yaml = emit::to_yaml(&spec);
    assert!(
        yaml.contains(r#"reason: "no\nyes \"quoted\" \\ tab\t nel\x85 ls\u2028 bom\uFEFF é""#),
        "{yaml}"
    );
    assert!(yaml.contains(r#"feeds: ["no", "on"]"#));
    assert!(yaml.contains("feeds: all\n"));
    assert!(yaml.contains(r#"dates: ["2022-08-10"]"#));
    assert!(yaml.contains(r#"    "team": "data-platform""#));
}

#[test]
fn schema_comment_heads_the_yaml() {
    let spec = common::product_example();
    let yaml = emit::to_yaml_with_schema(&spec, "https://example.com/spec-v1.schema.json");
    assert!(yaml.starts_with(
        "# yaml-language-server: $schema=https://example.com/spec-v1.schema.json\nversion: 1\n"
    ));
}

#[test]
fn empty_spec_prints_required_fields() {
    let spec = backfill_spec::Spec::default();
    assert_eq!(
        emit::to_yaml(&spec),
        "version: 1\nname: \"\"\nreason: \"\"\nbackfills: []\n"
    );
    assert_eq!(
        emit::canonical_json(&spec),
        r#"{"version":1,"name":"","reason":"","backfills":[]}"#
    );
}

#[test]
fn uploaded_object_carries_spec_plan_and_fingerprint() {
    let spec = common::product_example();
    let plan = backfill_spec::plan::build(&spec, backfill_spec::catalog::demo());
    let object = backfill_spec::object::uploaded_object(&spec, &plan, "2026-01-01T12:00:00Z");
    expect_file("product-example.uploaded.json", &object);
    let value: serde_json::Value = serde_json::from_str(&object).unwrap();
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected_keys = ["created_at", "fingerprint", "plan", "plan_sha256", "spec"];
    expected_keys.sort();
    assert_eq!(keys, expected_keys);
    assert_eq!(value["fingerprint"], emit::fingerprint(&spec));
    assert_eq!(value["created_at"], "2026-01-01T12:00:00Z");
    let plan_json: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    assert_eq!(value["plan"], plan_json);
    // The spec and the plan are embedded as the exact hashed bytes, each on one line.
    assert!(object.contains(&format!("\"spec\": {},\n", emit::canonical_json(&spec))));
    let compact = plan.to_compact_json();
    assert!(object.ends_with(&format!("\"plan\": {compact}\n}}\n")));
    assert_eq!(value["plan_sha256"], emit::sha256_hex(compact.as_bytes()));
}

#[test]
fn compact_plan_is_the_plan_without_layout() {
    let spec = common::product_example();
    let plan = backfill_spec::plan::build(&spec, backfill_spec::catalog::demo());
    let compact = plan.to_compact_json();
    assert!(!compact.contains('\n') && !compact.contains(": ") && !compact.contains(", "));
    let pretty: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    let read: serde_json::Value = serde_json::from_str(&compact).unwrap();
    assert_eq!(read, pretty);
    // Spaces inside strings (step names, message bodies) are kept.
    assert!(
        compact.contains(r#""Name":"backfill clicks 2022-07-01""#),
        "{compact}"
    );
}

#[test]
fn sha256_hex_is_lowercase_sha256() {
    use sha2::Digest;
    let bytes = b"{\"summary\":{}}";
    let expected: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(emit::sha256_hex(bytes), expected);
}

#[test]
fn upload_key_fills_name_and_fingerprint() {
    let spec = common::product_example();
    let key = backfill_spec::object::upload_key(&spec, backfill_spec::catalog::demo());
    assert_eq!(
        key,
        format!(
            "backfills/clicks-recon-2022-08/{}.json",
            emit::fingerprint(&spec)
        )
    );
}

#[test]
fn dag_run_id_is_the_triggers() {
    let fingerprint = emit::fingerprint(&common::product_example());
    assert_eq!(
        backfill_spec::object::dag_run_id(&fingerprint),
        format!("backfill-{}", &fingerprint[..16])
    );
    assert_eq!(
        backfill_spec::object::dag_run_id(&fingerprint),
        "backfill-db1f9d0fdfec915d"
    );
}

#[test]
fn notify_reaches_the_uploaded_object_and_the_fingerprint() {
    let mut spec = common::product_example();
    let without = emit::fingerprint(&spec);
    spec.notify = vec!["#data-oncall".into(), "oncall@example.com".into()];
    let plan = backfill_spec::plan::build(&spec, backfill_spec::catalog::demo());
    let object = backfill_spec::object::uploaded_object(&spec, &plan, "2026-01-01T12:00:00Z");
    let value: serde_json::Value = serde_json::from_str(&object).unwrap();
    assert_eq!(
        value["spec"]["notify"],
        serde_json::json!(["#data-oncall", "oncall@example.com"])
    );
    assert_ne!(value["fingerprint"], without.as_str());
    // In canonical order: after the ticket, before the defaults.
    let canonical = emit::canonical_json(&spec);
    let at = |key: &str| canonical.find(&format!("\"{key}\":")).unwrap();
    assert!(at("ticket") < at("notify") && at("notify") < at("defaults"));
}
