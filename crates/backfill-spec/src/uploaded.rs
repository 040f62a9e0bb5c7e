//! An uploaded object pasted back (`{"fingerprint", "created_at", "spec", "plan"}`): its spec
//! is analysed like any spec; here, what the object claims is checked against that spec.

use crate::yaml::Node;
use crate::{Diagnostic, Plan, Spec, emit};

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
