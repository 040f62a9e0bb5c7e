use backfill_spec::{EmrOverrides, ManagedScaling, Spec};
use leptos::prelude::*;

use crate::components::text_field::{FieldDef, same_items, split_items, text_fields};

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}
fn number(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}
fn opt(v: String) -> Option<String> {
    if v.trim().is_empty() { None } else { Some(v) }
}
fn opt_number(v: &str) -> Option<i64> {
    v.trim().parse().ok()
}

fn scaling(e: &mut EmrOverrides) -> &mut ManagedScaling {
    e.managed_scaling.get_or_insert_with(Default::default)
}

/// Drops the overrides block when nothing is overridden, so the text stays minimal.
fn tidy(emr: &mut Option<EmrOverrides>) {
    if let Some(e) = emr {
        if e.managed_scaling
            .as_ref()
            .is_some_and(|m| *m == ManagedScaling::default())
        {
            e.managed_scaling = None;
        }
        if *e == EmrOverrides::default() {
            *emr = None;
        }
    }
}

fn same_number(a: &str, b: &str) -> bool {
    opt_number(a) == opt_number(b)
}

/// The text of the overrides as `get` reads it (empty when there are none).
fn emr_text(spec: &Spec, get: fn(&EmrOverrides) -> String) -> String {
    spec.emr.as_ref().map(get).unwrap_or_default()
}

/// Changes the overrides (making them if need be), then drops what is left empty.
fn edit_emr(spec: &mut Spec, v: String, change: fn(&mut EmrOverrides, String)) {
    change(spec.emr.get_or_insert_with(Default::default), v);
    tidy(&mut spec.emr);
}

/// The overrides' fields: two rows of three, then the tags.
static EMR_FIELDS: [FieldDef; 7] = [
    FieldDef {
        label: "Action on failure",
        path: "/emr/action_on_failure",
        placeholder: "CONTINUE",
        help: Some("CONTINUE, CANCEL_AND_WAIT or TERMINATE_CLUSTER"),
        get: |s, _| emr_text(s, |e| text(&e.action_on_failure)),
        set: |s, _, v| edit_emr(s, v, |e, v| e.action_on_failure = opt(v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Step concurrency",
        path: "/emr/step_concurrency",
        placeholder: "1",
        help: Some("1 to 256"),
        same: same_number,
        get: |s, _| emr_text(s, |e| number(e.step_concurrency)),
        set: |s, _, v| edit_emr(s, v, |e, v| e.step_concurrency = opt_number(&v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Instance type",
        path: "/emr/instance_type",
        placeholder: "m6g.2xlarge",
        get: |s, _| emr_text(s, |e| text(&e.instance_type)),
        set: |s, _, v| edit_emr(s, v, |e, v| e.instance_type = opt(v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Scaling unit type",
        path: "/emr/managed_scaling/unit_type",
        placeholder: "Instances",
        get: |s, _| {
            emr_text(s, |e| {
                e.managed_scaling
                    .as_ref()
                    .map(|m| text(&m.unit_type))
                    .unwrap_or_default()
            })
        },
        set: |s, _, v| edit_emr(s, v, |e, v| scaling(e).unit_type = opt(v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Scaling min units",
        path: "/emr/managed_scaling/min_units",
        placeholder: "2",
        same: same_number,
        get: |s, _| {
            emr_text(s, |e| {
                e.managed_scaling
                    .as_ref()
                    .map(|m| number(m.min_units))
                    .unwrap_or_default()
            })
        },
        set: |s, _, v| edit_emr(s, v, |e, v| scaling(e).min_units = opt_number(&v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Scaling max units",
        path: "/emr/managed_scaling/max_units",
        placeholder: "40",
        same: same_number,
        get: |s, _| {
            emr_text(s, |e| {
                e.managed_scaling
                    .as_ref()
                    .map(|m| number(m.max_units))
                    .unwrap_or_default()
            })
        },
        set: |s, _, v| edit_emr(s, v, |e, v| scaling(e).max_units = opt_number(&v)),
        ..FieldDef::LINE
    },
    FieldDef {
        label: "Tags",
        path: "/emr/tags",
        placeholder: "team=data-platform, cost-center=42",
        help: Some("key=value pairs, separated by commas"),
        same: same_items,
        get: |s, _| {
            emr_text(s, |e| {
                e.tags
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        },
        set: |s, _, v| {
            edit_emr(s, v, |e, v| {
                e.tags = split_items(&v)
                    .into_iter()
                    .map(|kv| match kv.split_once('=') {
                        Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
                        None => (kv, String::new()),
                    })
                    .collect()
            })
        },
        ..FieldDef::LINE
    },
];

/// The `emr:` overrides, collapsed by default: most specs keep the catalog's cluster.
#[component]
pub fn EmrForm() -> impl IntoView {
    view! {
        <details class="emr-overrides">
            <summary>"EMR cluster overrides (optional)"</summary>
            <div class="field-row">{text_fields(&EMR_FIELDS[..3], None)}</div>
            <div class="field-row">{text_fields(&EMR_FIELDS[3..6], None)}</div>
            {text_fields(&EMR_FIELDS[6..], None)}
        </details>
    }
}
