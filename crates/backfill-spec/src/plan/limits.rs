//! EMR and SQS limits as data. The rules (Owner A's rules.rs) turn these into diagnostics at
//! the entry or `emr:` field concerned; keeping the arithmetic here keeps it next to the
//! rendering it measures.

use super::{EmrPlan, MAX_BATCH_BYTES, MAX_UNITS, Plan};
use crate::order::sort_keys;

/// EMR: a step Name is at most 256 characters.
pub const MAX_STEP_NAME_CHARS: usize = 256;
/// EMR: all the strings of one step together are at most 10,240 characters.
pub const MAX_STEP_CHARS: usize = 10_240;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LimitKind {
    /// A rendered step Name over 256 characters.
    StepNameTooLong,
    /// A step's strings (Name, ActionOnFailure, Jar, Args) over 10,240 characters in all.
    StepTooLong,
    /// StepConcurrencyLevel outside 1..=256.
    StepConcurrency,
    /// CANCEL_AND_WAIT or TERMINATE_CLUSTER with a step concurrency above 1: EMR refuses it.
    ActionOnFailureWithConcurrency,
    /// A replay message body over 1 MiB: it fits in no batch.
    MessageTooLarge,
    /// Expansion stopped at `MAX_UNITS` feed-days.
    PlanTooLarge,
}

impl LimitKind {
    /// The stable diagnostic code the rules use for this limit.
    pub fn code(self) -> &'static str {
        match self {
            LimitKind::StepNameTooLong => "emr-step-name-too-long",
            LimitKind::StepTooLong => "emr-step-too-long",
            LimitKind::StepConcurrency => "emr-step-concurrency",
            LimitKind::ActionOnFailureWithConcurrency => "emr-action-on-failure-concurrency",
            LimitKind::MessageTooLarge => "replay-message-too-large",
            LimitKind::PlanTooLarge => "plan-too-large",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitViolation {
    pub kind: LimitKind,
    /// The `backfills` entry concerned, when the limit is about steps or messages it made.
    pub entry: Option<u32>,
    /// The spec field concerned when it is not an entry (`/emr/step_concurrency`).
    pub path: Option<&'static str>,
    /// How many steps or messages of that entry break it.
    pub count: usize,
    /// Says what and by how much, ready for a diagnostic.
    pub message: String,
}

pub(super) fn violations(plan: &Plan) -> Vec<LimitViolation> {
    let mut out = Vec::new();
    cluster_violations(&plan.emr, &mut out);
    step_violations(plan, &mut out);
    message_violations(plan, &mut out);
    if plan.truncated {
        out.push(LimitViolation {
            kind: LimitKind::PlanTooLarge,
            entry: None,
            path: Some("/backfills"),
            count: 1,
            message: format!(
                "the plan stops at {MAX_UNITS} feed-days; the rest of the spec is not planned"
            ),
        });
    }
    out
}

fn cluster_violations(emr: &EmrPlan, out: &mut Vec<LimitViolation>) {
    let concurrency = emr.settings.step_concurrency;
    if !(1..=256).contains(&concurrency) {
        out.push(LimitViolation {
            kind: LimitKind::StepConcurrency,
            entry: None,
            path: Some("/emr/step_concurrency"),
            count: 1,
            message: format!("step_concurrency is {concurrency}; EMR accepts 1 to 256"),
        });
    }
    let action = emr.settings.action_on_failure.as_str();
    if concurrency > 1 && matches!(action, "CANCEL_AND_WAIT" | "TERMINATE_CLUSTER") {
        out.push(LimitViolation {
            kind: LimitKind::ActionOnFailureWithConcurrency,
            entry: None,
            path: Some("/emr/action_on_failure"),
            count: 1,
            message: format!("EMR refuses action_on_failure {action} when step_concurrency is above 1 (it is {concurrency})"),
        });
    }
}

/// Worst case per (kind, entry): one finding per entry, however many steps it makes.
struct Worst {
    count: usize,
    max: usize,
}

/// Each case over a limit packed as `group << 64 | length`, sorted (no map: see
/// `crate::order`): one `Worst` per group, in group order.
fn worst_per_group(over: &mut [u128]) -> Vec<(u64, Worst)> {
    sort_keys(over);
    let mut out: Vec<(u64, Worst)> = Vec::new();
    for &key in over.iter() {
        let (group, len) = ((key >> 64) as u64, key as u64 as usize);
        match out.last_mut() {
            Some((last, w)) if *last == group => {
                w.count += 1;
                w.max = w.max.max(len);
            }
            _ => out.push((group, Worst { count: 1, max: len })),
        }
    }
    out
}

fn step_violations(plan: &Plan, out: &mut Vec<LimitViolation>) {
    // Grouped by (kind, entry).
    let mut over: Vec<u128> = Vec::new();
    for step in &plan.emr.steps {
        let (name, all) = plan.emr.step_lengths(step);
        for (kind, len, max) in [
            (LimitKind::StepNameTooLong, name, MAX_STEP_NAME_CHARS),
            (LimitKind::StepTooLong, all, MAX_STEP_CHARS),
        ] {
            if len > max {
                over.push((kind as u128) << 96 | u128::from(step.entry) << 64 | len as u128);
            }
        }
    }
    for (group, w) in worst_per_group(&mut over) {
        let entry = group as u32;
        let kind = if (group >> 32) as u8 == LimitKind::StepNameTooLong as u8 {
            LimitKind::StepNameTooLong
        } else {
            LimitKind::StepTooLong
        };
        let what = match kind {
            LimitKind::StepNameTooLong => format!(
                "step name of up to {} characters; EMR allows {MAX_STEP_NAME_CHARS}",
                w.max
            ),
            _ => format!(
                "steps of up to {} characters in all; EMR allows {MAX_STEP_CHARS}",
                w.max
            ),
        };
        out.push(LimitViolation {
            kind,
            entry: Some(entry),
            path: None,
            count: w.count,
            message: format!("{} {what}", plural(w.count, "step has a", "steps have a")),
        });
    }
}

fn message_violations(plan: &Plan, out: &mut Vec<LimitViolation>) {
    // Batches are cut precisely only when a body could be large; a batch of one message is
    // the only way a body can exceed the limit.
    // Grouped by entry.
    let mut over: Vec<u128> = Vec::new();
    let mut scratch = String::new();
    for batch in plan.replay.batches().filter(|b| b.len() == 1) {
        let len = plan.replay.body_len(batch.start, &mut scratch);
        if len > MAX_BATCH_BYTES {
            let entry = plan.replay.messages[batch.start].entry;
            over.push(u128::from(entry) << 64 | len as u128);
        }
    }
    for (entry, w) in worst_per_group(&mut over) {
        out.push(LimitViolation {
            kind: LimitKind::MessageTooLarge,
            entry: Some(entry as u32),
            path: None,
            count: w.count,
            message: format!(
                "{} body of up to {} bytes; SQS takes at most {MAX_BATCH_BYTES}",
                plural(w.count, "replay message has a", "replay messages have a"),
                w.max
            ),
        });
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}
