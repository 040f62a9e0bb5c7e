//! A large spec (over 40 KB) is linted after a pause in typing, in the lint worker: its
//! findings show with their lines, fixing them gives the all-clear, the form and the plan
//! follow, and a form edit right after typing starts from what was typed. Without the worker
//! (its script missing) the page lints it itself, with the same results.
use backfill_spec::Day;

use crate::harness::App;

/// `entries` entries of one feed and one day each, every day different: 3 lines an entry
/// after a 4-line head, so entry `i` starts on line `5 + 3 i`.
fn spec(entries: usize, feed_of: impl Fn(usize) -> &'static str) -> String {
    let first = Day::parse("2021-01-01").unwrap();
    let mut spec =
        String::from("version: 1\nname: large\nreason: \"a long backfill\"\nbackfills:\n");
    for i in 0..entries {
        spec.push_str(&format!(
            "  - feeds: [{}]\n    dates: \"{}\"\n    note: \"entry {i} of a generated spec\"\n",
            feed_of(i),
            first.plus_days(i as i32)
        ));
    }
    spec
}

/// Runs the flow on `app`: a finding on entry 600, then the fixed spec.
async fn lint_a_large_spec(app: &App) {
    let broken = spec(800, |i| if i == 600 { "clickz" } else { "clicks" });
    assert!(broken.len() > 40_000, "large enough to wait for a pause");
    app.paste_spec(&broken).await;
    let finding = app
        .wait_text(".diagnostic-error .diagnostic-jump", |t| {
            t.contains("unknown-feed")
        })
        .await;
    assert!(finding.contains("Ln 1805, Col 13"), "{finding}");
    assert_eq!(app.text("[data-testid=sum-feed-days]").await, "799");

    app.paste_spec(&spec(800, |_| "clicks")).await;
    app.wait_text("[data-testid=all-clear]", |t| {
        t.contains("No problems found")
    })
    .await;
    assert_eq!(app.text("[data-testid=sum-feed-days]").await, "800");
    assert_eq!(app.text("[data-testid=sum-first]").await, "2021-01-01");
    assert_eq!(app.text("[data-testid=sum-last]").await, "2023-03-11");
    // The form follows the text: the entries are counted, the first 50 shown.
    app.wait_text(".region-form", |t| t.contains("50 of 800 shown"))
        .await;

    // Typed, and the form edited before the pause is over: the edit starts from the typed
    // text, which is not lost.
    app.js("const t = document.getElementById('spec-text'); \
         t.value = t.value.replace('name: large', 'name: typed'); \
         t.dispatchEvent(new Event('input', { bubbles: true })); \
         const r = document.getElementById('field-reason'); \
         r.value = 'edited in the form'; \
         r.dispatchEvent(new Event('input', { bubbles: true }));")
        .await;
    let value = app
        .js("return document.getElementById('spec-text').value")
        .await;
    let value = value.as_str().unwrap();
    assert!(value.contains("name: \"typed\""), "the typed name is kept");
    assert!(
        value.contains("reason: \"edited in the form\""),
        "and the form's edit made"
    );
}

#[tokio::test]
async fn a_large_spec_is_linted_in_the_worker() {
    let app = App::open().await;
    app.wait_for("#spec-text").await;
    // When the first input came, and when the page made its worker.
    app.js("document.addEventListener('input', () => { window.firstInput ??= performance.now(); }, true); \
            const W = window.Worker; \
            window.Worker = class extends W { \
              constructor(...a) { super(...a); window.workerAt ??= performance.now(); } };")
        .await;
    lint_a_large_spec(&app).await;
    let started = app
        .js("return window.workerAt === undefined ? null : window.workerAt - window.firstInput;")
        .await;
    let after_ms = started.as_f64().expect("the worker was started");
    // At the first large input, not after the pause in typing (150 ms, spec_editor.rs).
    assert!(
        after_ms < 150.0,
        "the worker started {after_ms} ms after the first input"
    );
    app.finish().await;
}

#[tokio::test]
async fn without_the_worker_the_page_lints_it_itself() {
    let mut app = App::open_on_copy(|site| {
        std::fs::remove_file(site.join("lint-worker.js")).unwrap();
    })
    .await;
    // Chromium logs the missing script itself.
    app.expect_console("lint-worker.js");
    lint_a_large_spec(&app).await;
    app.finish().await;
}
