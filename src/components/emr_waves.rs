use leptos::prelude::*;

use crate::components::json_pager::JsonPager;
use crate::state::AppState;

/// The EMR steps wave by wave (≤256 steps, what a cluster takes PENDING+RUNNING at once), each
/// wave's `Steps` JSON copyable, with the cluster they run on.
#[component]
pub fn EmrWaves() -> impl IntoView {
    let state = expect_context::<AppState>();
    let plan = move |f: fn(&backfill_spec::Plan) -> String| {
        state
            .analysis
            .with(|a| a.analysis.plan.as_ref().map(f).unwrap_or_default())
    };
    let waves = Signal::derive(move || {
        state
            .analysis
            .with(|a| a.analysis.plan.as_ref().map_or(0, |p| p.emr.wave_count()))
    });
    let cluster = move || {
        plan(|p| {
            let s = &p.emr.settings;
            let m = &s.managed_scaling;
            format!(
                "One cluster: {}, step concurrency {}, on failure {}, managed scaling {}–{} {}",
                s.instance_type,
                s.step_concurrency,
                s.action_on_failure,
                m.min_units,
                m.max_units,
                m.unit_type
            )
        })
    };
    let page_json = Callback::new(move |w: usize| {
        state.analysis.with(|a| {
            a.analysis
                .plan
                .as_ref()
                .map(|p| p.emr.wave_json(w))
                .unwrap_or_default()
        })
    });
    view! {
        <section class="plan-part" aria-labelledby="emr-heading">
            <h3 id="emr-heading">"EMR steps"</h3>
            <p class="empty-state" hidden=move || { waves.get() > 0 }>"No EMR steps: every unit goes to replay."</p>
            <div hidden=move || { waves.get() == 0 }>
                <p class="cluster" data-testid="cluster-settings">{cluster}</p>
                <JsonPager noun="Wave" id="wave" pages=waves page_json=page_json copy_label="Copy this wave's Steps JSON" />
            </div>
        </section>
    }
}
