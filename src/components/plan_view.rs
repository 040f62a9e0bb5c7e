use backfill_spec::Severity;
use leptos::prelude::*;

use crate::components::emr_waves::EmrWaves;
use crate::components::plan_grid::PlanGrid;
use crate::components::replay_batches::ReplayBatches;
use crate::state::AppState;

/// The expanded plan: summary figures, the feeds × days grid, the EMR waves and the replay
/// batches, all derived from the current analysis.
#[component]
pub fn PlanView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let summary = move || {
        state.analysis.with(|a| {
            a.analysis
                .plan
                .as_ref()
                .map(|p| (p.summary.clone(), p.truncated))
        })
    };
    let errors = move || state.analysis.with(|a| a.count(Severity::Error));
    let figure = |label: &'static str, value: String, testid: &'static str| {
        view! {
            <div class="figure">
                <dt>{label}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let has_plan = Signal::derive(move || summary().is_some_and(|(s, _)| s.feed_days > 0));
    view! {
        <p class="empty-state" data-testid="plan-empty" hidden=move || has_plan.get()>
            "Nothing to run yet: the plan appears here once an entry names feeds and dates."
        </p>
        <div hidden=move || !has_plan.get()>
            <p class="notice notice-error" role="note" hidden=move || { errors() == 0 }>
                "✕ The spec has " {move || errors()}
                " error(s): this is the plan of what could be understood, and it cannot be uploaded."
            </p>
            <p
                class="notice notice-error"
                role="note"
                hidden=move || !summary().is_some_and(|(_, t)| t)
            >
                "✕ The plan is too large and was cut short; narrow the dates."
            </p>
            {move || {
                summary()
                    .map(|(s, _)| {
                        let day = |d: Option<backfill_spec::Day>| d.map(|d| d.to_string()).unwrap_or_default();
                        view! {
                            <dl class="figures" aria-label="Plan summary">
                                {figure("Feed-days", s.feed_days.to_string(), "sum-feed-days")}
                                {figure("EMR steps", s.emr_steps.to_string(), "sum-emr-steps")}
                                {figure("Waves", s.emr_waves.to_string(), "sum-waves")}
                                {figure("Replay messages", s.replay_messages.to_string(), "sum-replay")}
                                {figure("Feeds", s.feeds.to_string(), "sum-feeds")}
                                {figure("Partial days", s.partial_days.to_string(), "sum-partial")}
                                {figure("First day", day(s.first_day), "sum-first")}
                                {figure("Last day", day(s.last_day), "sum-last")}
                            </dl>
                        }
                    })
            }}
            <PlanGrid />
            <EmrWaves />
            <ReplayBatches />
        </div>
    }
}
