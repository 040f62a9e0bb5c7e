use backfill_spec::{ColumnUnit, Diagnostic, LineIndex, Severity};
use leptos::prelude::*;

use crate::components::spec_editor;
use crate::state::AppState;

/// A finding as the list shows it, with its position in the browser's units.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    severity: Severity,
    code: String,
    message: String,
    hint: Option<String>,
    /// How many identical findings the row stands for.
    count: usize,
    line: usize,
    column: usize,
    /// UTF-16 offsets of the span in the text (what `setSelectionRange` takes).
    start: u32,
    end: u32,
}

fn rows<'a>(text: &str, diagnostics: impl Iterator<Item = &'a Diagnostic>) -> Vec<Row> {
    let index = LineIndex::new(text);
    diagnostics
        .map(|d| {
            let at = index.line_col(d.span.start, ColumnUnit::Utf16);
            Row {
                severity: d.severity,
                code: d.code.to_string(),
                message: d.message.clone(),
                hint: d.hint.clone(),
                count: d.count,
                line: at.line,
                column: at.column,
                start: index.utf16_offset(d.span.start) as u32,
                end: index.utf16_offset(d.span.end) as u32,
            }
        })
        .collect()
}

/// Findings listed at first; the rest on request. Hundreds of rows cost the keyboard tens of
/// milliseconds on every analysis, and nobody reads past the first screenful before fixing.
const FINDINGS_PAGE: usize = 100;

/// The findings of the text: errors first, then warnings, then notes, each by position,
/// with a filter by severity; severity, code, message, hint and where. A click (or Enter)
/// puts the cursor on the finding's span. With none, an explicit all-clear.
#[component]
pub fn DiagnosticsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown = RwSignal::new(FINDINGS_PAGE);
    let only = RwSignal::new(None::<Severity>);
    let listed = move |d: &&Diagnostic| only.get().is_none_or(|s| d.severity == s);
    // Only the rows shown are made: each costs a UTF-16 position and a few strings.
    let rows = move || {
        state.analysis.with(|a| {
            let all = &a.analysis.diagnostics;
            let by_severity = [Severity::Error, Severity::Warning, Severity::Info]
                .into_iter()
                .flat_map(|s| all.iter().filter(move |d| d.severity == s));
            rows(&a.text, by_severity.filter(listed).take(shown.get()))
        })
    };
    let summary = move || {
        state.analysis.with(|a| {
            let totals = a.analysis.totals;
            if totals.all() == 0 {
                return String::new();
            }
            let listed: usize = a.analysis.diagnostics.iter().map(|d| d.count).sum();
            // The totals count every finding; the list may hold fewer rows (repeats are one
            // row with a count; past 500 the rest are counted in the last row).
            let cut = if listed < totals.all() {
                " (not all are listed: the last row says how many are not)"
            } else {
                ""
            };
            format!(
                "{} error(s), {} warning(s), {} note(s){cut}",
                totals.errors, totals.warnings, totals.infos
            )
        })
    };
    let has_rows =
        Signal::derive(move || state.analysis.with(|a| !a.analysis.diagnostics.is_empty()));
    let count = move || {
        state
            .analysis
            .with(|a| a.analysis.diagnostics.iter().filter(listed).count())
    };
    let filter_button = move |severity: Option<Severity>, label: &'static str| {
        let number = move || {
            state.analysis.with(|a| match severity {
                Some(s) => a.count(s),
                None => a.analysis.totals.all(),
            })
        };
        view! {
            <button
                type="button"
                class="toggle"
                data-testid=format!("filter-{label}")
                aria-pressed=move || (only.get() == severity).to_string()
                on:click=move |_| only.set(severity)
            >
                {label}" ("{number}")"
            </button>
        }
    };
    view! {
        <div class="diagnostics" aria-live="polite">
            <p class="all-clear" data-testid="all-clear" hidden=move || has_rows.get()>
                "✓ No problems found: the spec is valid against the catalog."
            </p>
            <div hidden=move || !has_rows.get()>
                <p class="diagnostics-summary" data-testid="diagnostics-summary">{summary}</p>
                <div class="diagnostics-filter" role="group" aria-label="Show findings of">
                    {filter_button(None, "all")}
                    {filter_button(Some(Severity::Error), "errors")}
                    {filter_button(Some(Severity::Warning), "warnings")}
                    {filter_button(Some(Severity::Info), "notes")}
                </div>
                <ul class="diagnostic-list">
                    {move || rows().into_iter().map(|row| {
                            let class = row.severity.as_str();
                            let severity = row.severity.label();
                            let symbol = row.severity.symbol();
                            let where_ = format!("Ln {}, Col {}", row.line, row.column);
                            let hint = row.hint.clone();
                            let code = row.code.clone();
                            let message = row.message.clone();
                            let times = (row.count > 1).then(|| format!(" ×{}", row.count));
                            view! {
                                <li class=format!("diagnostic diagnostic-{class}")>
                                    <button
                                        type="button"
                                        class="diagnostic-jump"
                                        data-line=row.line
                                        data-column=row.column
                                        on:click=move |_| spec_editor::select(&state, row.start, row.end, row.line)
                                    >
                                        <span class="severity" aria-label=severity>{symbol}" "{severity}</span>
                                        <span class="code">"["{code}"]"</span>
                                        <span class="where">{where_}</span>
                                        <span class="message">{message}{times}</span>
                                    </button>
                                    {hint.map(|h| view! { <p class="hint">"Fix: "{h}</p> })}
                                </li>
                            }
                        }).collect_view()}
                </ul>
                <button
                    type="button"
                    class="secondary"
                    data-testid="more-findings"
                    hidden=move || count() <= shown.get()
                    on:click=move |_| shown.set(usize::MAX)
                >
                    {move || format!("Show all {} findings (the first {FINDINGS_PAGE} are listed)", count())}
                </button>
            </div>
        </div>
    }
}
