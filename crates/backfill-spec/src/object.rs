//! The uploaded object: what the app uploads and the DAG reads (docs/contract.md), the S3 key
//! the catalog gives it, and the Airflow run its upload starts. Built from the canonical spec
//! (`emit`) and the plan.

use crate::json_writer::{JsonWriter, Layout};
use crate::plan::Plan;
use crate::{Spec, emit};

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
        key.replace("{fingerprint}", &emit::fingerprint(spec))
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
    let canonical = emit::canonical_json(spec);
    let plan_json = plan.to_compact_json();
    let mut out = String::with_capacity(canonical.len() + plan_json.len() + 256);
    let mut json = JsonWriter::new(&mut out);
    json.begin_object(Layout::Lines);
    json.key("fingerprint");
    json.string(&emit::fingerprint(spec));
    json.key("plan_sha256");
    json.string(&emit::sha256_hex(plan_json.as_bytes()));
    json.key("created_at");
    json.string(created_at);
    json.key("spec");
    json.raw(&canonical);
    json.key("plan");
    json.raw(&plan_json);
    json.end_object();
    out.push('\n');
    out
}
