//! The EMR half of the plan: resolved cluster settings, step descriptors and waves. A step is
//! rendered (name and arguments from the catalog templates) only when asked for.

use super::template::Template;
use super::{RenderContext, Target, Unit};
use crate::json_writer::{JsonWriter, Layout};
use crate::{Catalog, Day, EmrSettings, HourSet, Spec};

/// EMR keeps at most 256 steps PENDING or RUNNING on a cluster (and AddJobFlowSteps takes at
/// most 256 per call), so the DAG submits the plan one wave at a time.
pub const MAX_STEPS_PER_WAVE: usize = 256;

/// One step before rendering: a feed, a run of days `start..=end` (one day unless the catalog
/// groups days), the hours, and the entry that asked for its first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepDescriptor {
    /// Index into `Plan::feeds`.
    pub feed: u32,
    pub start: Day,
    pub end: Day,
    pub hours: HourSet,
    pub entry: u32,
}

/// A rendered step, in the shape AddJobFlowSteps and EmrAddStepsOperator take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmrStep {
    pub name: String,
    pub action_on_failure: String,
    pub args: Vec<String>,
}

impl EmrStep {
    pub const JAR: &'static str = "command-runner.jar";
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmrPlan {
    /// Catalog defaults with the spec's `emr:` overrides applied.
    pub settings: EmrSettings,
    /// Sorted by (start, feed).
    pub steps: Vec<StepDescriptor>,
    step_name: Template,
    args: Vec<Template>,
    hours_args: Vec<Template>,
    render: RenderContext,
}

impl EmrPlan {
    pub(super) fn build(
        units: &[Unit],
        spec: &Spec,
        catalog: &Catalog,
        render: RenderContext,
    ) -> EmrPlan {
        let max_days = catalog.emr.max_days_per_step.max(1) as i32;
        let mut steps: Vec<StepDescriptor> = Vec::new();
        // Per feed, the step that may still take the next day: units come in day order, so a
        // step is created at its first day and steps come out sorted by (start, feed).
        let mut open: Vec<Option<usize>> = Vec::new();
        for unit in units.iter().filter(|u| u.target == Target::Emr) {
            let feed = unit.feed as usize;
            if open.len() <= feed {
                open.resize(feed + 1, None);
            }
            if max_days > 1
                && let Some(step) = open[feed].map(|i| &mut steps[i])
                && step.hours == unit.hours
                && step.end.succ() == unit.day
                && step.end.days_since(step.start) + 1 < max_days
            {
                step.end = unit.day;
                continue;
            }
            open[feed] = Some(steps.len());
            steps.push(StepDescriptor {
                feed: unit.feed,
                start: unit.day,
                end: unit.day,
                hours: unit.hours,
                entry: unit.entry,
            });
        }
        EmrPlan {
            settings: resolve_settings(spec, catalog),
            steps,
            step_name: Template::parse(&catalog.emr.step_name),
            args: catalog
                .emr
                .args
                .iter()
                .map(|a| Template::parse(a))
                .collect(),
            hours_args: catalog
                .emr
                .hours_args
                .iter()
                .map(|a| Template::parse(a))
                .collect(),
            render,
        }
    }

    pub fn wave_count(&self) -> usize {
        self.steps.len().div_ceil(MAX_STEPS_PER_WAVE)
    }

    /// Step indices of each wave, in order.
    pub fn waves(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        (0..self.wave_count())
            .map(|w| w * MAX_STEPS_PER_WAVE..((w + 1) * MAX_STEPS_PER_WAVE).min(self.steps.len()))
    }

    /// Renders step `i`. Panics only on an index out of range, like slice indexing.
    pub fn step(&self, i: usize) -> EmrStep {
        let d = self.steps[i];
        let values = self.render.values(d.feed, d.start, d.end, d.hours);
        let hours_args = if d.hours.is_full() {
            &[][..]
        } else {
            &self.hours_args[..]
        };
        EmrStep {
            name: self.step_name.render(&values),
            action_on_failure: self.settings.action_on_failure.clone(),
            args: self
                .args
                .iter()
                .chain(hours_args)
                .map(|t| t.render(&values))
                .collect(),
        }
    }

    /// The `Steps` of wave `w` as AddJobFlowSteps and EmrAddStepsOperator take them: a JSON
    /// array, one step per line. Empty for a wave that does not exist.
    pub fn wave_json(&self, w: usize) -> String {
        let Some(wave) = self.waves().nth(w) else {
            return String::new();
        };
        let (mut out, mut scratch) = (String::new(), String::new());
        let mut json = JsonWriter::new(&mut out);
        json.begin_array(Layout::Lines);
        for i in wave {
            self.write_step_json(i, &mut json, &mut scratch);
        }
        json.end_array();
        out.push('\n');
        out
    }

    /// Writes step `i` as plan JSON, rendering each string into `scratch` first: the same
    /// output as [`EmrPlan::step`] without a dozen allocations per step.
    pub(crate) fn write_step_json(
        &self,
        i: usize,
        json: &mut JsonWriter<'_>,
        scratch: &mut String,
    ) {
        let d = self.steps[i];
        let values = self.render.values(d.feed, d.start, d.end, d.hours);
        let mut rendered = |t: &Template, json: &mut JsonWriter<'_>| {
            scratch.clear();
            t.render_into(&values, scratch);
            json.string(scratch);
        };
        json.begin_object(Layout::Inline);
        json.key("Name");
        rendered(&self.step_name, json);
        json.key("ActionOnFailure");
        json.string(&self.settings.action_on_failure);
        json.key("HadoopJarStep");
        json.begin_object(Layout::Inline);
        json.key("Jar");
        json.string(EmrStep::JAR);
        json.key("Args");
        json.begin_array(Layout::Inline);
        let hours_args = if d.hours.is_full() {
            &[][..]
        } else {
            &self.hours_args[..]
        };
        for t in self.args.iter().chain(hours_args) {
            rendered(t, json);
        }
        json.end_array();
        json.end_object();
        json.end_object();
    }

    /// (characters of the name, characters of all the step's strings) without rendering:
    /// what the EMR limits are checked against.
    pub(super) fn step_lengths(&self, d: &StepDescriptor) -> (usize, usize) {
        let values = self.render.values(d.feed, d.start, d.end, d.hours);
        let hours_args = if d.hours.is_full() {
            &[][..]
        } else {
            &self.hours_args[..]
        };
        let name = self.step_name.rendered_chars(&values);
        let args: usize = self
            .args
            .iter()
            .chain(hours_args)
            .map(|t| t.rendered_chars(&values))
            .sum();
        let action = self.settings.action_on_failure.chars().count();
        (name, name + action + EmrStep::JAR.len() + args)
    }
}

fn resolve_settings(spec: &Spec, catalog: &Catalog) -> EmrSettings {
    let mut settings = catalog.emr.defaults.clone();
    let Some(o) = &spec.emr else { return settings };
    if let Some(v) = &o.action_on_failure {
        settings.action_on_failure = v.clone();
    }
    if let Some(v) = o.step_concurrency {
        settings.step_concurrency = v;
    }
    if let Some(v) = &o.instance_type {
        settings.instance_type = v.clone();
    }
    if let Some(ms) = &o.managed_scaling {
        if let Some(v) = &ms.unit_type {
            settings.managed_scaling.unit_type = v.clone();
        }
        if let Some(v) = ms.min_units {
            settings.managed_scaling.min_units = v;
        }
        if let Some(v) = ms.max_units {
            settings.managed_scaling.max_units = v;
        }
    }
    // The spec's tags win over the catalog's on the same key; new keys come after, in order.
    for (key, value) in &o.tags {
        match settings.tags.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.clone(),
            None => settings.tags.push((key.clone(), value.clone())),
        }
    }
    settings
}
