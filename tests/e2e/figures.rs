//! Figures measured in the browser, reported, not asserted (docs/benchmarks.md):
//! `cargo test -p backfill-builder --test e2e figures -- --ignored --nocapture`
//! after `trunk build --release --offline`.
use serde_json::{Value, json};

use crate::harness::App;

/// When the app became interactive, from navigation (a mark `main` sets).
const MOUNTED: &str =
    "return performance.getEntriesByName('backfill-builder:mounted')[0].startTime";

/// Replaces the first `from` with `to` in the spec text as typing does (an edit at the caret,
/// `insertText`), and returns `[ms until the findings list says expect, ms the keystroke
/// itself took (the browser's edit and the app's input handler), the longest animation frame
/// in that time (ms), its blocking part (ms)]`. A frame's blocking part is how long it held up
/// a key pressed during it: what "never holding the keyboard up" is about.
const KEYSTROKE: &str = r#"
const [from, to, expect, done] = arguments;
const t = document.getElementById('spec-text');
const list = document.querySelector('.diagnostics');
const frames = [];
const loaf = new PerformanceObserver(l => frames.push(...l.getEntries()));
loaf.observe({ type: 'long-animation-frame' });
const start = performance.now();
const observer = new MutationObserver(() => {
  if (!list.textContent.includes(expect)) return;
  observer.disconnect();
  const ms = performance.now() - start;
  // Frame entries arrive after their frame: wait a moment for the last one.
  setTimeout(() => {
    loaf.disconnect();
    const mine = frames.filter(e => e.startTime + e.duration >= start && e.startTime <= start + ms);
    const longest = mine.reduce((a, e) => e.duration > a.duration ? e : a, { duration: 0, blockingDuration: 0 });
    done([ms, keystroke, longest.duration, longest.blockingDuration]);
  }, 300);
});
observer.observe(list, { subtree: true, childList: true, characterData: true });
t.focus();
const at = t.value.indexOf(from);
t.setSelectionRange(at, at + from.length);
document.execCommand('insertText', false, to);
const keystroke = performance.now() - start;
"#;

/// Pastes `text` and returns the milliseconds until the grid's canvas has been drawn.
pub const GRID: &str = r#"
const [text, done] = arguments;
const t = document.getElementById('spec-text');
const start = performance.now();
t.value = text; t.dispatchEvent(new Event('input', { bubbles: true }));
const poll = () => {
  const c = document.querySelector('[data-testid=plan-grid]');
  if (c && c.width > 300) { requestAnimationFrame(() => done(performance.now() - start)); }
  else { setTimeout(poll, 1); }
};
poll();
"#;

pub fn entries(n: usize) -> String {
    let mut spec = String::from("version: 1\nname: figures\nreason: \"measure\"\nbackfills:\n");
    for i in 0..n {
        let day = 1 + i % 28;
        spec.push_str(&format!(
            "  - feeds: [clicks, impressions]\n    dates: \"2022-{:02}-{day:02}\"\n    note: \"entry {i}\"\n",
            1 + (i / 28) % 12
        ));
    }
    spec
}

/// The demo catalog with 50 feeds instead of its own.
pub fn fifty_feeds() -> String {
    let mut catalog = String::from("version: 1\nfeeds:\n");
    for f in 0..50 {
        catalog.push_str(&format!("  feed{f:02}: {{since: \"2020-01-01\"}}\n"));
    }
    let demo = backfill_spec::catalog::DEMO_YAML;
    catalog.push_str(&demo[demo.find("\nemr:").unwrap()..]);
    catalog
}

/// A year of all feeds: on `fifty_feeds`, 18,250 feed-days.
pub const A_YEAR: &str = "version: 1\nname: a-year\nreason: \"grid\"\nbackfills:\n  - feeds: all\n    dates: \"2021-01-01..2021-12-31\"\n";

/// Pastes `text` (the figures' specs name `clicks`) and lets the page settle (a large text's
/// lint waits for a pause and the worker).
pub async fn paste_and_settle(app: &App, text: &str) {
    app.paste_spec(text).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
}

/// The keystroke of `KEYSTROKE`: the first `clicks` becomes `clickz`, an unknown feed.
pub async fn keystroke(app: &App) -> Value {
    let args = vec![json!("clicks"), json!("clickz"), json!("unknown-feed")];
    app.browser.execute_async(KEYSTROKE, args).await.unwrap()
}

async fn keystroke_ms(app: &App, text: &str) -> String {
    paste_and_settle(app, text).await;
    let ms = keystroke(app).await;
    format!(
        "{:.1} ms (the keystroke itself {:.1} ms; longest frame {:.0} ms, blocking {:.0} ms)",
        ms[0].as_f64().unwrap(),
        ms[1].as_f64().unwrap(),
        ms[2].as_f64().unwrap(),
        ms[3].as_f64().unwrap()
    )
}

#[tokio::test]
#[ignore = "a measurement, run by hand"]
async fn figures() {
    let app = App::open().await;
    let mounted = app.js(MOUNTED).await;
    println!(
        "navigation → interactive: {:.0} ms",
        mounted.as_f64().unwrap()
    );
    // A return visit: the hashed files come from the browser's cache, and the compiled wasm
    // from V8's code cache, which Chromium writes a moment after the first visit compiled it.
    // (`?again`, which the server ignores: a new navigation, not a reload.)
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    app.goto("/?again").await;
    println!(
        "navigation → interactive, a return visit: {:.0} ms",
        app.js(MOUNTED).await.as_f64().unwrap()
    );
    let small = entries(66); // 3 lines an entry: a 202-line spec
    println!(
        "keystroke → findings, {}-line spec: {}",
        small.lines().count(),
        keystroke_ms(&app, &small).await
    );
    let large = entries(5000);
    println!(
        "keystroke → findings, 5,000 entries ({} KB): {}",
        large.len() / 1000,
        keystroke_ms(&app, &large).await
    );
    app.finish().await;

    let app = App::open_with_catalog(&fifty_feeds()).await;
    let ms: Value = app
        .browser
        .execute_async(GRID, vec![json!(A_YEAR)])
        .await
        .unwrap();
    let feed_days = app.text("[data-testid=sum-feed-days]").await;
    println!(
        "paste → grid drawn, 365 days × 50 feeds ({feed_days} feed-days): {:.0} ms",
        ms.as_f64().unwrap()
    );
    app.finish().await;
}
