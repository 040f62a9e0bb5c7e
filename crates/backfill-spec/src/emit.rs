//! Canonical printing of a spec: YAML and JSON for the download, compact JSON for the
//! fingerprint, and the uploaded object (spec + plan + fingerprint + creation time).
//!
//! Invariants:
//! - One canonical order, defined once ([`doc::spec`]); the three printers only lay it out.
//! - `analyze(print(spec)).spec == spec` for YAML and JSON (tests/roundtrip.rs).
//! - Every string is double-quoted in YAML, so PyYAML reads strings (never a date, a boolean
//!   or a number) on the DAG's side.
//! - The compact JSON is what Python's `json.dumps(spec, separators=(",", ":"),
//!   ensure_ascii=False)` prints for the same object, so the DAG can recompute the
//!   fingerprint from the uploaded object's `spec` (docs/contract.md).

mod doc;
mod json;
mod sha256;
mod yaml;

use crate::Spec;
use crate::plan::Plan;

pub(crate) use json::push_json_string;

/// The spec as canonical YAML, ready to download and re-paste.
pub fn to_yaml(spec: &Spec) -> String {
    yaml::print(&doc::spec(spec))
}

/// The spec as canonical YAML headed by a `# yaml-language-server: $schema=URL` line, so that
/// editors with the YAML extension validate and complete it.
pub fn to_yaml_with_schema(spec: &Spec, schema_url: &str) -> String {
    format!(
        "# yaml-language-server: $schema={schema_url}\n{}",
        to_yaml(spec)
    )
}

/// The spec as pretty JSON (two-space indent, short lists on one line).
pub fn to_json(spec: &Spec) -> String {
    json::print(&doc::spec(spec), true)
}

/// The spec as compact JSON in canonical key order: the bytes the fingerprint hashes.
pub fn canonical_json(spec: &Spec) -> String {
    json::print(&doc::spec(spec), false)
}

/// Lowercase hex SHA-256 of [`canonical_json`].
pub fn fingerprint(spec: &Spec) -> String {
    sha256_hex(canonical_json(spec).as_bytes())
}

/// Lowercase hex SHA-256 of `bytes`: the uploaded object's `plan_sha256` is this of the
/// compact plan JSON it carries ([`Plan::to_compact_json`]).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in sha256::digest(bytes) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        hex.push(HEX[usize::from(byte >> 4)] as char);
        hex.push(HEX[usize::from(byte & 15)] as char);
    }
    hex
}

/// The DAG run the trigger Lambda starts for an object (pipeline/src/backfill_pipeline/
/// uploaded.py, `run_id`): `backfill-` and the fingerprint's first 16 hex digits. Not
/// `backfill__`, a prefix Airflow reserves for its own backfills.
pub fn dag_run_id(fingerprint: &str) -> String {
    format!("backfill-{}", fingerprint.get(..16).unwrap_or(fingerprint))
}

/// The S3 key of the uploaded object: the catalog's `upload.key` with `{name}` and
/// `{fingerprint}` filled in (`backfills/clicks-recon/3f2a….json`). Other placeholders mean
/// nothing for a key and stay as written; the catalog lint reports them.
pub fn upload_key(spec: &Spec, catalog: &crate::Catalog) -> String {
    let template = &catalog.upload_key;
    let key = template.replace("{name}", &spec.name);
    if template.contains("{fingerprint}") {
        key.replace("{fingerprint}", &fingerprint(spec))
    } else {
        key
    }
}

/// The object the app uploads and the DAG reads: `{"fingerprint", "plan_sha256",
/// "created_at", "spec", "plan"}` in that order, one per line. `spec` is the canonical compact
/// JSON, byte for byte what the fingerprint hashes; `plan` is the compact plan JSON, byte for
/// byte what `plan_sha256` hashes. `created_at` is passed in (RFC 3339, UTC) because the core
/// has no clock.
pub fn uploaded_object(spec: &Spec, plan: &Plan, created_at: &str) -> String {
    let canonical = canonical_json(spec);
    let plan_json = plan.to_compact_json();
    let mut out = String::with_capacity(canonical.len() + plan_json.len() + 256);
    out.push_str("{\n  \"fingerprint\": \"");
    out.push_str(&fingerprint(spec));
    out.push_str("\",\n  \"plan_sha256\": \"");
    out.push_str(&sha256_hex(plan_json.as_bytes()));
    out.push_str("\",\n  \"created_at\": ");
    push_json_string(&mut out, created_at);
    out.push_str(",\n  \"spec\": ");
    out.push_str(&canonical);
    out.push_str(",\n  \"plan\": ");
    out.push_str(&plan_json);
    out.push_str("\n}\n");
    out
}
