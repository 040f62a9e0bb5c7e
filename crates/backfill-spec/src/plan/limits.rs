//! EMR and SQS limits as data. The rules (Owner A's rules.rs) turn these into diagnostics at
//! the entry or `emr:` field concerned; keeping the arithmetic here keeps it next to the
//! rendering it measures.

use super::{EmrPlan, MAX_BATCH_BYTES, MAX_UNITS, Plan};

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

/// The worst case of one entry: how many of its steps or messages break a limit, and the
/// largest of them.
#[derive(Clone, Copy, Default)]
struct Worst {
    count: usize,
    max: usize,
}

/// [`Worst`] per `backfills` entry, indexed by entry: one finding per entry, however many
/// steps or messages it makes.
#[derive(Default)]
struct WorstPerEntry(Vec<Worst>);

impl WorstPerEntry {
    fn add(&mut self, entry: u32, len: usize) {
        let i = entry as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, Worst::default());
        }
        let w = &mut self.0[i];
        w.count += 1;
        w.max = w.max.max(len);
    }

    /// The entries with a case over the limit, in entry order.
    fn entries(&self) -> impl Iterator<Item = (u32, Worst)> + '_ {
        (0u32..)
            .zip(self.0.iter().copied())
            .filter(|(_, w)| w.count > 0)
    }
}

fn step_violations(plan: &Plan, out: &mut Vec<LimitViolation>) {
    let (mut names, mut steps) = (WorstPerEntry::default(), WorstPerEntry::default());
    for step in &plan.emr.steps {
        let (name, all) = plan.emr.step_lengths(step);
        if name > MAX_STEP_NAME_CHARS {
            names.add(step.entry, name);
        }
        if all > MAX_STEP_CHARS {
            steps.add(step.entry, all);
        }
    }
    for (entry, w) in names.entries() {
        out.push(LimitViolation {
            kind: LimitKind::StepNameTooLong,
            entry: Some(entry),
            path: None,
            count: w.count,
            message: format!(
                "{} step name of up to {} characters; EMR allows {MAX_STEP_NAME_CHARS}",
                plural(w.count, "step has a", "steps have a"),
                w.max
            ),
        });
    }
    for (entry, w) in steps.entries() {
        out.push(LimitViolation {
            kind: LimitKind::StepTooLong,
            entry: Some(entry),
            path: None,
            count: w.count,
            message: format!(
                "{} steps of up to {} characters in all; EMR allows {MAX_STEP_CHARS}",
                plural(w.count, "step has a", "steps have a"),
                w.max
            ),
        });
    }
}

fn message_violations(plan: &Plan, out: &mut Vec<LimitViolation>) {
    // Batches are cut precisely only when a body could be large; a batch of one message is
    // the only way a body can exceed the limit.
    let mut over = WorstPerEntry::default();
    let mut scratch = String::new();
    for batch in plan.replay.batches().filter(|b| b.len() == 1) {
        let len = plan.replay.body_len(batch.start, &mut scratch);
        if len > MAX_BATCH_BYTES {
            over.add(plan.replay.messages[batch.start].entry, len);
        }
    }
    for (entry, w) in over.entries() {
        out.push(LimitViolation {
            kind: LimitKind::MessageTooLarge,
            entry: Some(entry),
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
