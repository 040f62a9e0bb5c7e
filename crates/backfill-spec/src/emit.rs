//! Canonical printing of a spec: YAML and JSON for the download, compact JSON for the
//! fingerprint. The uploaded object, which holds the plan too, is `object.rs`'s: this module
//! knows nothing of the plan (the plan's templates use the fingerprint).
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
mod yaml;

use sha2::{Digest, Sha256};

use crate::Spec;

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
    json::print(&doc::spec(spec), true, None)
}

/// The spec as pretty JSON whose first key is `"$schema": URL`, so that editors validate and
/// complete it (`backfill-spec fmt` keeps a `$schema` the file had).
pub fn to_json_with_schema(spec: &Spec, schema_url: &str) -> String {
    json::print(&doc::spec(spec), true, Some(schema_url))
}

/// The spec as compact JSON in canonical key order: the bytes the fingerprint hashes.
pub fn canonical_json(spec: &Spec) -> String {
    json::print(&doc::spec(spec), false, None)
}

/// Lowercase hex SHA-256 of [`canonical_json`].
pub fn fingerprint(spec: &Spec) -> String {
    sha256_hex(canonical_json(spec).as_bytes())
}

/// Lowercase hex SHA-256 of `bytes`: the uploaded object's `plan_sha256` is this of the
/// compact plan JSON it carries (`object::uploaded_object`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(bytes) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        hex.push(HEX[usize::from(byte >> 4)] as char);
        hex.push(HEX[usize::from(byte & 15)] as char);
    }
    hex
}
