use backfill_spec::{ColumnUnit, LineIndex};
use leptos::prelude::*;

use crate::state::AppState;

/// The site catalog's own findings (with line and column in catalog.yaml), shown when it has
/// any, so the person who deployed it can fix it; the app works on meanwhile.
#[component]
pub fn CatalogFindings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        state.catalog_findings.with(|f| {
            f.as_ref()
                .map(|(text, findings)| {
                    let index = LineIndex::new(text);
                    findings
                        .iter()
                        .map(|d| {
                            let at = index.line_col(d.span.start, ColumnUnit::Char);
                            format!(
                                "catalog.yaml:{}:{}: {}[{}]: {}{}",
                                at.line,
                                at.column,
                                d.severity.as_str(),
                                d.code,
                                d.message,
                                d.hint
                                    .as_ref()
                                    .map(|h| format!(" (fix: {h})"))
                                    .unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <details class="banner banner-error" data-testid="catalog-findings" hidden=move || rows().is_empty()>
                <summary>"The site's catalog.yaml has problems (click for details)"</summary>
                <ul>{move || rows().into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
        </details>
    }
}
