//! The plan: what a spec will actually run, expanded against the catalog.
//!
//! Invariants:
//! - Deterministic: units are sorted by (day, feed name, target), steps by (first day, feed),
//!   so the same spec and catalog always give the same plan, byte for byte.
//! - Compact: a unit is 20 bytes and steps and messages are descriptors; step arguments and
//!   message bodies are rendered on demand ([`EmrPlan::step`], [`ReplayPlan::message`]), so a
//!   million feed-days never means a million strings held at once.
//! - Total: `build` never panics and never refuses; what it cannot interpret (an impossible
//!   date, an unknown feed, an unknown target) is left out, and the rules report it.
//! - Bounded: expansion stops at [`MAX_UNITS`] raw units and says so in `truncated`.

mod emr;
mod expand;
mod json;
mod limits;
mod replay;
mod template;

use crate::{Catalog, Day, HourSet, Spec};

pub use emr::{EmrPlan, EmrStep, MAX_STEPS_PER_WAVE, StepDescriptor};
pub use limits::{LimitKind, LimitViolation, MAX_STEP_CHARS, MAX_STEP_NAME_CHARS};
pub use replay::{
    MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, MessageDescriptor, ReplayMessage, ReplayPlan,
};

/// Expansion stops after this many feed-days (before merging), so that a typo such as
/// `1000-01-01..9999-12-31` costs a diagnostic, not the browser tab.
pub const MAX_UNITS: usize = 2_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Names of the feeds that appear in the plan, sorted; `Unit::feed` indexes this.
    pub feeds: Vec<String>,
    /// Sorted by (day, feed, target); one per (day, feed, target) after merging.
    pub units: Vec<Unit>,
    /// Feed-days requested more than once, as runs of consecutive days.
    pub duplicates: Vec<Duplicate>,
    pub emr: EmrPlan,
    pub replay: ReplayPlan,
    pub summary: Summary,
    /// True when expansion stopped at [`MAX_UNITS`]: the plan is then incomplete.
    pub truncated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Index into `Plan::feeds`.
    pub feed: u32,
    pub day: Day,
    pub hours: HourSet,
    pub target: Target,
    /// Index of the first `backfills` entry that asked for it.
    pub entry: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Emr,
    Replay,
}

impl Target {
    pub fn parse(text: &str) -> Option<Target> {
        match text {
            "emr" => Some(Target::Emr),
            "replay" => Some(Target::Replay),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Emr => "emr",
            Target::Replay => "replay",
        }
    }
}

/// The feed-days `day..=last_day` of one feed were asked for by two entries (or twice by the
/// same entry, when `first_entry == second_entry`). With the same target they were merged
/// (hours united); with different targets both run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// Index into `Plan::feeds`.
    pub feed: u32,
    pub day: Day,
    pub last_day: Day,
    pub first_entry: u32,
    pub second_entry: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub feed_days: usize,
    pub emr_steps: usize,
    pub emr_waves: usize,
    pub replay_messages: usize,
    pub replay_batches: usize,
    pub first_day: Option<Day>,
    pub last_day: Option<Day>,
    /// Number of distinct feeds (their names are `Plan::feeds`).
    pub feeds: usize,
    /// Units that cover only some hours of their day.
    pub partial_days: usize,
}

/// Builds the plan of `spec` against `catalog`. Never panics; see the module invariants.
pub fn build(spec: &Spec, catalog: &Catalog) -> Plan {
    let expanded = expand::expand(spec, catalog);
    let render = RenderContext::new(spec, catalog, expanded.feeds.clone());
    let emr = EmrPlan::build(&expanded.units, spec, catalog, render.clone());
    let replay = ReplayPlan::build(&expanded.units, catalog, render);
    let units = &expanded.units;
    let summary = Summary {
        feed_days: units.len(),
        emr_steps: emr.steps.len(),
        emr_waves: emr.wave_count(),
        replay_messages: replay.messages.len(),
        replay_batches: replay.batch_count(),
        first_day: units.first().map(|u| u.day),
        last_day: units.last().map(|u| u.day),
        feeds: expanded.feeds.len(),
        partial_days: units.iter().filter(|u| !u.hours.is_full()).count(),
    };
    Plan {
        feeds: expanded.feeds,
        units: expanded.units,
        duplicates: expanded.duplicates,
        emr,
        replay,
        summary,
        truncated: expanded.truncated,
    }
}

impl Plan {
    /// The plan of an empty spec: what the app shows before anything is typed.
    pub fn empty(catalog: &Catalog) -> Plan {
        build(&Spec::default(), catalog)
    }

    /// EMR and SQS limits this plan would break, as data; the rules turn them into
    /// diagnostics. One violation per (kind, entry), with a count, so that a template that is
    /// too long for every step gives one finding, not a million.
    pub fn limit_violations(&self) -> Vec<LimitViolation> {
        limits::violations(self)
    }
}

/// What every rendered string needs besides the unit itself. Shared by the EMR and replay
/// halves so that each can render on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RenderContext {
    pub feeds: Vec<String>,
    pub name: String,
    /// Computed only when a template uses `{fingerprint}`: it costs a canonical print.
    pub fingerprint: String,
}

impl RenderContext {
    fn new(spec: &Spec, catalog: &Catalog, feeds: Vec<String>) -> RenderContext {
        let uses_fingerprint = std::iter::once(&catalog.emr.step_name)
            .chain(&catalog.emr.args)
            .chain(&catalog.emr.hours_args)
            .chain(catalog.replay_message.iter().map(|(_, v)| v))
            .any(|t| t.contains("{fingerprint}"));
        let fingerprint = if uses_fingerprint {
            crate::emit::fingerprint(spec)
        } else {
            String::new()
        };
        RenderContext {
            feeds,
            name: spec.name.clone(),
            fingerprint,
        }
    }

    pub(crate) fn values(
        &self,
        feed: u32,
        start: Day,
        end: Day,
        hours: HourSet,
    ) -> template::Values<'_> {
        template::Values {
            feed: self.feeds.get(feed as usize).map_or("", String::as_str),
            start,
            end,
            hours,
            name: &self.name,
            fingerprint: &self.fingerprint,
        }
    }
}

#[cfg(test)]
mod tests;
