use leptos::prelude::*;


use crate::components::copy_button::CopyButton;
use crate::state::AppState;

/// The EMR steps wave by wave: one wave (≤256 steps, what a cluster takes PENDING+RUNNING at
/// once) is shown at a time as copyable JSON, so a plan of any size costs one text node.
#[component]
pub fn EmrWaves() -> impl IntoView {
    let state = expect_context::<AppState>();
    let wave = RwSignal::new(0usize);
    let waves = Memo::new(move |_| {
        state.analysis.with(|a| a.analysis.plan.as_ref().map(|p| p.emr.wave_count()).unwrap_or(0))
    });
    let settings = Memo::new(move |_| {
        state.analysis.with(|a| a.analysis.plan.as_ref().map(|p| p.emr.settings.clone()))
    });
    let current = move || wave.get().min(waves.get().saturating_sub(1));
    let text = Memo::new(move |_| {
        let w = current();
        state.analysis.with(|a| {
            a.analysis.plan.as_ref().map(|p| p.emr.wave_json(w))
        })
    });
    let copy_text = Signal::derive(move || text.get().unwrap_or_default());
    view! {
        <section class="plan-part" aria-labelledby="emr-heading">
            <h3 id="emr-heading">"EMR steps"</h3>
            <Show
                when=move || { waves.get() > 0 }
                fallback=|| view! { <p class="empty-state">"No EMR steps: every unit goes to replay."</p> }
            >
                {move || {
                    settings
                        .get()
                        .map(|s| {
                            view! {
                                <p class="cluster" data-testid="cluster-settings">
                                    "One cluster: " {s.instance_type} ", step concurrency "
                                    {s.step_concurrency} ", on failure " {s.action_on_failure}
                                    ", managed scaling " {s.managed_scaling.min_units} "–"
                                    {s.managed_scaling.max_units} " " {s.managed_scaling.unit_type}
                                </p>
                            }
                        })
                }}
                <div class="wave-controls">
                    <label for="wave-select">"Wave"</label>
                    <select
                        id="wave-select"
                        on:change=move |ev| wave.set(event_target_value(&ev).parse().unwrap_or(0))
                        prop:value=move || current().to_string()
                    >
                        {move || {
                            (0..waves.get())
                                .map(|w| {
                                    view! {
                                        <option value=w.to_string()>
                                            {format!("{} of {}", w + 1, waves.get_untracked())}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                    <CopyButton text=copy_text label="Copy this wave's Steps JSON" />
                </div>
                <pre class="json" data-testid="wave-json" tabindex="0" aria-label="Steps JSON of this wave">
                    {move || text.get()}
                </pre>
            </Show>
        </section>
    }
}
