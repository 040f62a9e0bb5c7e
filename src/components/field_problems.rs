use backfill_spec::Severity;
use leptos::prelude::*;

use crate::state::AppState;

/// Whether a finding's path concerns the field at `path` (itself or anything inside it).
pub fn concerns(finding: &str, path: &str) -> bool {
    finding == path || (finding.starts_with(path) && finding[path.len()..].starts_with('/'))
}

/// The findings of one form field, beside it, once the user has touched the field. `id` lets
/// the field point at them with `aria-describedby`.
#[component]
pub fn FieldProblems(#[prop(into)] path: String, #[prop(into)] id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let field = path.clone();
    let problems = Memo::new(move |_| {
        if !state.touched.with(|t| t.contains(&field)) {
            return Vec::new();
        }
        state.analysis.with(|a| {
            a.analysis
                .diagnostics
                .iter()
                .filter(|d| concerns(&d.path, &field))
                .map(|d| (d.severity, d.code, d.message.clone(), d.hint.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ul class="field-problems" id=id aria-live="polite">
            {move || {
                problems
                    .get()
                    .into_iter()
                    .map(|(severity, code, message, hint)| {
                        let symbol = match severity {
                            Severity::Error => "✕",
                            Severity::Warning => "▲",
                            Severity::Info => "ℹ",
                        };
                        view! {
                            <li class=format!("field-problem diagnostic-{}", severity.as_str()) data-code=code>
                                {symbol}" "{message}
                                {hint.map(|h| view! { <span class="hint">" Fix: "{h}</span> })}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
