//! An uploaded object pasted back (`{"fingerprint", "plan_sha256", "created_at", "spec",
//! "plan"}`): its spec is analysed like any spec; here, what the object claims is checked
//! against that spec and its own plan.

use crate::json_writer::{JsonWriter, Layout};
use crate::yaml::{Node, NodeKind, ScalarStyle};
use crate::{Diagnostic, Plan, Spec, emit};

/// The DAG refuses an object whose plan is not the one `plan_sha256` was made from (or that
/// has no `plan_sha256`): say so before upload. The digest is recomputed as the DAG does it,
/// from the plan as read (Python's compact `json.dumps`), so a re-indented object still passes.
pub(crate) fn check_plan_sha256(
    digest: Option<&Node>,
    plan: Option<&Node>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(plan) = plan else { return };
    let mut compact = String::new();
    write_compact(plan, &mut JsonWriter::compact(&mut compact));
    let expected = emit::sha256_hex(compact.as_bytes());
    let (message, span) = match digest {
        Some(d) if d.scalar() == Some(expected.as_str()) => return,
        Some(d) => (
            "plan_sha256 is not the plan's: the plan was changed after this object was made",
            d.span,
        ),
        None => (
            "the object has no plan_sha256: it was made by an older version, and the DAG refuses it",
            plan.span,
        ),
    };
    out.push(
        Diagnostic::warning("plan-digest-mismatch", message, span)
            .with_hint(format!(
                "the plan's SHA-256 is {expected}; make the object again (upload from the app, or `backfill-spec object`)"
            ))
            .with_path("/plan_sha256"),
    );
}

/// A node as compact JSON: strings quoted and escaped as the core writes them, plain scalars
/// (numbers, `true`, `false`, `null`) as written.
fn write_compact(node: &Node, json: &mut JsonWriter<'_>) {
    match &node.kind {
        NodeKind::Scalar {
            value,
            style: ScalarStyle::Plain,
        } => json.raw(value),
        NodeKind::Scalar { value, .. } => json.string(value),
        NodeKind::Seq(items) => {
            json.begin_array(Layout::Compact);
            for item in items {
                write_compact(item, json);
            }
            json.end_array();
        }
        NodeKind::Map(entries) => {
            json.begin_object(Layout::Compact);
            for (key, value) in entries {
                json.key(key.scalar().unwrap_or_default());
                write_compact(value, json);
            }
            json.end_object();
        }
    }
}

/// The DAG refuses an object whose fingerprint is not its spec's: say so before upload.
pub(crate) fn check_fingerprint(node: &Node, spec: &Spec, out: &mut Vec<Diagnostic>) -> bool {
    let expected = emit::fingerprint(spec);
    if node.scalar() == Some(expected.as_str()) {
        return true;
    }
    out.push(
        Diagnostic::warning(
            "fingerprint-mismatch",
            "the fingerprint is not the spec's: the spec was changed after this object was made",
            node.span,
        )
        .with_hint(format!(
            "the spec's fingerprint is {expected}; download the spec again to get a matching object"
        ))
        .with_path("/fingerprint"),
    );
    false
}

/// The DAG runs the object's plan, the app shows the plan of today's catalog: when the two
/// disagree (the catalog changed since), say so.
pub(crate) fn check_plan(node: &Node, plan: &Plan, out: &mut Vec<Diagnostic>) {
    let s = &plan.summary;
    let ours = [
        ("feed_days", "feed-days", s.feed_days),
        ("emr_steps", "EMR steps", s.emr_steps),
        ("replay_messages", "replay messages", s.replay_messages),
    ];
    let mut differences = Vec::new();
    for (field, what, now) in ours {
        let Some(theirs) = node.pointer(&format!("/summary/{field}")) else {
            continue;
        };
        let written = theirs.scalar().and_then(|v| v.parse::<usize>().ok());
        if written != Some(now) {
            let was = theirs.scalar().unwrap_or("?");
            differences.push(format!("{was} {what} in the object, {now} now"));
        }
    }
    if differences.is_empty() {
        return;
    }
    let span = node.get("summary").map_or(node.span, |n| n.span);
    out.push(
        Diagnostic::warning(
            "plan-mismatch",
            format!(
                "the object's plan is not what its spec plans with this catalog: {}",
                differences.join(", ")
            ),
            span,
        )
        .with_hint("the catalog changed since the object was made; the DAG would run the object's plan, so make the object again")
        .with_path("/plan/summary"),
    );
}
