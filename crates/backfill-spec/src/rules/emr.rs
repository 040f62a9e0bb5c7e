//! EMR cluster settings: the values EMR's API would refuse, caught before the DAG runs.
//! Used for a spec's `emr:` overrides and for a catalog's `emr.defaults`.

use crate::decode::{Loc, SpecMap};
use crate::yaml;
use crate::{Diagnostic, EmrOverrides, EmrSettings, suggest};

/// ActionOnFailure values EMR accepts (TERMINATE_JOB_FLOW is the deprecated spelling of
/// TERMINATE_CLUSTER; we ask for the current one).
pub const ACTIONS: &[&str] = &["CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER"];
/// ComputeLimits UnitType values.
pub const UNIT_TYPES: &[&str] = &["Instances", "InstanceFleetUnits", "VCPU"];
/// EMR tags: at most 50, keys up to 128 characters, values up to 256, `aws:` reserved.
const MAX_TAGS: usize = 50;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;

pub struct EmrChecks<'a> {
    /// The values written (only these are blamed).
    pub values: &'a EmrOverrides,
    /// The settings in force after defaults are applied: a min written in the spec is
    /// compared with the catalog's max when the spec sets no max.
    pub resolved: &'a EmrSettings,
    /// `/emr` for a spec, `/emr/defaults` for a catalog.
    pub base: &'a str,
    pub map: &'a SpecMap,
    /// Check step concurrency and its conflict with action_on_failure here. For a spec the
    /// plan's limit checks do it, on the resolved settings.
    pub concurrency: bool,
}

impl EmrChecks<'_> {
    fn loc(&self, field: &str) -> Option<&Loc> {
        self.map.field(&format!("{}/{field}", self.base))
    }
}

pub fn check(c: &EmrChecks<'_>, out: &mut Vec<Diagnostic>) {
    let v = c.values;
    if let (Some(action), Some(loc)) = (&v.action_on_failure, c.loc("action_on_failure"))
        && !ACTIONS.contains(&action.as_str())
    {
        let hint = suggest::hint(action, ACTIONS.iter().copied())
            .unwrap_or_else(|| "use CONTINUE, CANCEL_AND_WAIT or TERMINATE_CLUSTER".into());
        out.push(at(
            loc,
            Diagnostic::error(
                "emr-invalid-action-on-failure",
                format!("`{action}` is not an EMR ActionOnFailure"),
                loc.span,
            )
            .with_hint(hint),
        ));
    }
    if c.concurrency {
        concurrency(c, out);
    }
    if let (Some(t), Some(loc)) = (&v.instance_type, c.loc("instance_type"))
        && !instance_type_ok(t)
    {
        out.push(at(
            loc,
            Diagnostic::warning(
                "emr-invalid-instance-type",
                format!("`{t}` does not look like an EC2 instance type"),
                loc.span,
            )
            .with_hint("instance types are written family.size, e.g. `m6g.2xlarge`"),
        ));
    }
    scaling(c, out);
    tags(c, out);
}

fn concurrency(c: &EmrChecks<'_>, out: &mut Vec<Diagnostic>) {
    let n = c.resolved.step_concurrency;
    let loc = c.loc("step_concurrency");
    if let Some(loc) = loc
        && c.values.step_concurrency.is_some()
        && !(1..=256).contains(&n)
    {
        out.push(at(
            loc,
            Diagnostic::error(
                "emr-step-concurrency",
                format!("step_concurrency is {n}; EMR accepts 1 to 256"),
                loc.span,
            )
            .with_hint("1 runs steps one at a time; a full-day cluster usually runs 4 to 16"),
        ));
    }
    let action = c.resolved.action_on_failure.as_str();
    if n > 1 && matches!(action, "CANCEL_AND_WAIT" | "TERMINATE_CLUSTER") {
        let Some(loc) = c.loc("action_on_failure").or(loc) else {
            return;
        };
        out.push(at(loc, Diagnostic::error(
            "emr-action-on-failure-concurrency",
            format!("EMR refuses action_on_failure {action} when step_concurrency is above 1 (it is {n})"),
            loc.span,
        ).with_hint("use CONTINUE, or set step_concurrency: 1")));
    }
}

fn scaling(c: &EmrChecks<'_>, out: &mut Vec<Diagnostic>) {
    let Some(ms) = &c.values.managed_scaling else {
        return;
    };
    if let (Some(unit), Some(loc)) = (&ms.unit_type, c.loc("managed_scaling/unit_type"))
        && !UNIT_TYPES.contains(&unit.as_str())
    {
        let hint = suggest::hint(unit, UNIT_TYPES.iter().copied())
            .unwrap_or_else(|| "use Instances, InstanceFleetUnits or VCPU".into());
        out.push(at(
            loc,
            Diagnostic::error(
                "emr-invalid-unit-type",
                format!("`{unit}` is not a managed scaling unit type"),
                loc.span,
            )
            .with_hint(hint),
        ));
    }
    let mut bad_range = false;
    for (field, value) in [("min_units", ms.min_units), ("max_units", ms.max_units)] {
        if let (Some(n), Some(loc)) = (value, c.loc(&format!("managed_scaling/{field}")))
            && n < 1
        {
            bad_range = true;
            out.push(at(
                loc,
                Diagnostic::error(
                    "emr-scaling-out-of-range",
                    format!("{field} is {n}; managed scaling needs at least 1"),
                    loc.span,
                )
                .with_hint("the cluster keeps at least one core unit"),
            ));
        }
    }
    let (min, max) = (
        c.resolved.managed_scaling.min_units,
        c.resolved.managed_scaling.max_units,
    );
    if !bad_range && min > max {
        // Blame the value the user wrote: min if written, else max.
        let field = if ms.min_units.is_some() {
            "managed_scaling/min_units"
        } else {
            "managed_scaling/max_units"
        };
        let Some(loc) = c.loc(field) else { return };
        let mut d = Diagnostic::error(
            "emr-scaling-min-above-max",
            format!("managed scaling min_units ({min}) is above max_units ({max})"),
            loc.span,
        )
        .with_hint("raise max_units or lower min_units");
        if let Some(other) = c
            .loc("managed_scaling/max_units")
            .filter(|_| field.ends_with("min_units"))
        {
            d = d.with_related(other.span, "max_units is set here");
        }
        out.push(at(loc, d));
    }
}

fn tags(c: &EmrChecks<'_>, out: &mut Vec<Diagnostic>) {
    for (i, ((key, value), (key_loc, value_loc))) in
        c.values.tags.iter().zip(&c.map.tags).enumerate()
    {
        let problem = if i == MAX_TAGS {
            Some((
                key_loc,
                format!("more than {MAX_TAGS} tags; EMR takes at most {MAX_TAGS}"),
            ))
        } else if key.is_empty() || key.chars().count() > MAX_TAG_KEY {
            Some((
                key_loc,
                format!("a tag key must be 1 to {MAX_TAG_KEY} characters"),
            ))
        } else if key.to_ascii_lowercase().starts_with("aws:") {
            Some((
                key_loc,
                format!("tag keys starting with `aws:` are reserved by AWS (`{key}`)"),
            ))
        } else if value.chars().count() > MAX_TAG_VALUE {
            Some((
                value_loc,
                format!("the value of tag `{key}` is over {MAX_TAG_VALUE} characters"),
            ))
        } else {
            None
        };
        if let Some((loc, message)) = problem {
            out.push(at(
                loc,
                Diagnostic::error("emr-invalid-tag", message, loc.span)
                    .with_hint("EMR rejects the cluster request over this tag"),
            ));
        }
    }
}

/// `family.size` in lower case: `m6g.2xlarge`, `r5d.metal`, `u-6tb1.metal`.
fn instance_type_ok(t: &str) -> bool {
    let Some((family, size)) = t.split_once('.') else {
        return false;
    };
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    ok(family) && ok(size) && family.as_bytes()[0].is_ascii_lowercase()
}

fn at(loc: &Loc, d: Diagnostic) -> Diagnostic {
    let path = if loc.path.is_empty() {
        yaml::child("", "emr")
    } else {
        loc.path.clone()
    };
    d.with_path(path)
}
