use backfill_spec::Severity;
use leptos::prelude::*;

use crate::state::AppState;

/// Whether a finding's path concerns the field at `path` (itself or anything inside it).
pub fn concerns(finding: &str, path: &str) -> bool {
    finding == path || (finding.starts_with(path) && finding[path.len()..].starts_with('/'))
}

/// The findings of one form field, beside it, once the user has touched the field: one line
/// each, with its fix. `id` lets the field point at them with `aria-describedby`.
#[component]
pub fn FieldProblems(#[prop(into)] path: String, #[prop(into)] id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    // (the most severe finding, the text of all of them); one text node per field.
    let path: std::sync::Arc<str> = path.into();
    // A closure, not a memo (a memo of a new type costs the bundle ~1 KB): read twice.
    let problems = move || {
        if !state.touched.with(|t| t.iter().any(|p| **p == *path)) {
            return (None, String::new());
        }
        state.analysis.with(|a| {
            let mut worst = None;
            let mut text = String::new();
            for d in a
                .analysis
                .diagnostics
                .iter()
                .filter(|d| concerns(&d.path, &path))
            {
                worst = Some(worst.map_or(d.severity, |w: Severity| w.min(d.severity)));
                text.push_str(&format!("{} {}", d.severity.symbol(), d.message));
                if let Some(hint) = &d.hint {
                    text.push_str(&format!(" Fix: {hint}"));
                }
                text.push('\n');
            }
            (worst, text)
        })
    };
    let class_of = problems.clone();
    view! {
        <p
            class=move || match class_of().0 {
                Some(s) => format!("field-problems diagnostic-{}", s.as_str()),
                None => "field-problems".to_string(),
            }
            id=id
            aria-live="polite"
        >
            {move || problems().1}
        </p>
    }
}
