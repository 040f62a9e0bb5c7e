use leptos::prelude::*;

use crate::components::json_pager::JsonPager;
use crate::state::AppState;

/// The replay messages, one SendMessageBatch (≤10 entries, ≤1 MiB) at a time.
#[component]
pub fn ReplayBatches() -> impl IntoView {
    let state = expect_context::<AppState>();
    let batches = Signal::derive(move || {
        state.analysis.with(|a| {
            a.analysis
                .plan
                .as_ref()
                .map_or(0, |p| p.replay.batch_count())
        })
    });
    let page_json = Callback::new(move |b: usize| {
        state.analysis.with(|a| {
            a.analysis
                .plan
                .as_ref()
                .map(|p| p.replay.batch_json(b))
                .unwrap_or_default()
        })
    });
    view! {
        <section class="plan-part" aria-labelledby="replay-heading">
            <h3 id="replay-heading">"Replay messages"</h3>
            <p class="empty-state" hidden=move || { batches.get() > 0 }>"No replay messages: every unit runs on EMR."</p>
            <div hidden=move || { batches.get() == 0 }>
                <JsonPager
                    noun="Batch"
                    id="batch"
                    pages=batches
                    page_json=page_json
                    copy_label="Copy this batch's Entries JSON"
                />
            </div>
        </section>
    }
}
