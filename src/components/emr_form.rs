use backfill_spec::{EmrOverrides, ManagedScaling};
use leptos::prelude::*;

use crate::components::text_field::{TextField, split_items};
use crate::state::AppState;

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

/// The `emr:` overrides, collapsed by default: most specs keep the catalog's cluster.
#[component]
pub fn EmrForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.form;
    let get = move |f: fn(&EmrOverrides) -> String| {
        Signal::derive(move || form.with(|s| s.spec.emr.as_ref().map(f).unwrap_or_default()))
    };
    let edit = move |change: fn(&mut EmrOverrides, String)| {
        Callback::new(move |v: String| {
            state.edit_spec(|s| {
                change(s.emr.get_or_insert_with(Default::default), v);
                tidy(&mut s.emr);
            })
        })
    };
    view! {
        <details class="emr-overrides">
            <summary>"EMR cluster overrides (optional)"</summary>
            <div class="field-row">
                <TextField
                    label="Action on failure"
                    path="/emr/action_on_failure"
                    placeholder="CONTINUE"
                    help="CONTINUE, CANCEL_AND_WAIT or TERMINATE_CLUSTER"
                    value=get(|e| text(&e.action_on_failure))
                    on_edit=edit(|e, v| e.action_on_failure = opt(v))
                />
                <TextField
                    label="Step concurrency"
                    path="/emr/step_concurrency"
                    placeholder="1"
                    help="1 to 256"
                    value=get(|e| number(e.step_concurrency))
                    same=|a, b| opt_number(a) == opt_number(b)
                    on_edit=edit(|e, v| e.step_concurrency = opt_number(&v))
                />
                <TextField
                    label="Instance type"
                    path="/emr/instance_type"
                    placeholder="m6g.2xlarge"
                    value=get(|e| text(&e.instance_type))
                    on_edit=edit(|e, v| e.instance_type = opt(v))
                />
            </div>
            <div class="field-row">
                <TextField
                    label="Scaling unit type"
                    path="/emr/managed_scaling/unit_type"
                    placeholder="Instances"
                    value=get(|e| e.managed_scaling.as_ref().map(|m| text(&m.unit_type)).unwrap_or_default())
                    on_edit=edit(|e, v| scaling(e).unit_type = opt(v))
                />
                <TextField
                    label="Scaling min units"
                    path="/emr/managed_scaling/min_units"
                    placeholder="2"
                    value=get(|e| e.managed_scaling.as_ref().map(|m| number(m.min_units)).unwrap_or_default())
                    same=|a, b| opt_number(a) == opt_number(b)
                    on_edit=edit(|e, v| scaling(e).min_units = opt_number(&v))
                />
                <TextField
                    label="Scaling max units"
                    path="/emr/managed_scaling/max_units"
                    placeholder="40"
                    value=get(|e| e.managed_scaling.as_ref().map(|m| number(m.max_units)).unwrap_or_default())
                    same=|a, b| opt_number(a) == opt_number(b)
                    on_edit=edit(|e, v| scaling(e).max_units = opt_number(&v))
                />
            </div>
            <TextField
                label="Tags"
                path="/emr/tags"
                placeholder="team=data-platform, cost-center=42"
                help="key=value pairs, separated by commas"
                value=get(|e| e.tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "))
                same=|a, b| split_items(a) == split_items(b)
                on_edit=edit(|e, v| {
                    e.tags = split_items(&v)
                        .into_iter()
                        .map(|kv| match kv.split_once('=') {
                            Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
                            None => (kv, String::new()),
                        })
                        .collect()
                })
            />
        </details>
    }
}
