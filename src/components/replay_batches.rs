use leptos::prelude::*;


use crate::components::copy_button::CopyButton;
use crate::state::AppState;

/// The replay messages, one SendMessageBatch (≤10 entries, ≤1 MiB) at a time.
#[component]
pub fn ReplayBatches() -> impl IntoView {
    let state = expect_context::<AppState>();
    let batch = RwSignal::new(0usize);
    let batches = Memo::new(move |_| {
        state.analysis.with(|a| a.analysis.plan.as_ref().map(|p| p.replay.batch_count()).unwrap_or(0))
    });
    let current = move || batch.get().min(batches.get().saturating_sub(1));
    let text = Memo::new(move |_| {
        let b = current();
        state.analysis.with(|a| {
            a.analysis.plan.as_ref().map(|p| p.replay.batch_json(b))
        })
    });
    let copy_text = Signal::derive(move || text.get().unwrap_or_default());
    view! {
        <section class="plan-part" aria-labelledby="replay-heading">
            <h3 id="replay-heading">"Replay messages"</h3>
            <Show
                when=move || { batches.get() > 0 }
                fallback=|| view! { <p class="empty-state">"No replay messages: every unit runs on EMR."</p> }
            >
                <div class="wave-controls">
                    <label for="batch-select">"Batch"</label>
                    <select
                        id="batch-select"
                        on:change=move |ev| batch.set(event_target_value(&ev).parse().unwrap_or(0))
                        prop:value=move || current().to_string()
                    >
                        {move || {
                            (0..batches.get())
                                .map(|b| {
                                    view! {
                                        <option value=b.to_string()>
                                            {format!("{} of {}", b + 1, batches.get_untracked())}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                    <CopyButton text=copy_text label="Copy this batch's Entries JSON" />
                </div>
                <pre class="json" data-testid="batch-json" tabindex="0" aria-label="Entries JSON of this batch">
                    {move || text.get()}
                </pre>
            </Show>
        </section>
    }
}
