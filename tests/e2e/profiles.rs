//! Where the time of the figures' flows goes (tests/e2e/figures.rs), from Chromium's CPU
//! profiler. Reported, not asserted (docs/benchmarks.md, "Where the time goes"):
//! `WASM_NAMES=1 trunk build --release --offline --dist target/named` (the wasm keeps its Rust
//! names, scripts/minify-js.sh; its own folder, for such a build fails the bundle gate), then
//! `E2E_DIST=target/named cargo test -p backfill-builder --test e2e profiles -- --ignored --nocapture`.
use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use crate::figures::{A_YEAR, GRID, entries, fifty_feeds, keystroke, paste_and_settle};
use crate::harness::{App, DriverPost};

/// Starts Chromium's sampling CPU profiler (a sample every 100 µs).
async fn start_profile(app: &App) {
    for (cmd, params) in [
        ("Profiler.enable", json!({})),
        ("Profiler.setSamplingInterval", json!({ "interval": 100 })),
        ("Profiler.start", json!({})),
    ] {
        app.browser
            .issue_cmd(DriverPost::devtools(cmd, params))
            .await
            .unwrap();
    }
}

/// What kind of code a profile node's function is.
fn kind_of(name: &str, url: &str) -> String {
    if name.starts_with('(') {
        name.to_string() // (program): the browser's own work; (idle), (garbage collector)
    } else if url.ends_with(".wasm") || url.starts_with("wasm://") {
        "the app's wasm".to_string()
    } else if url.ends_with(".js") {
        "the JS glue".to_string()
    } else {
        "the browser's DOM and built-ins".to_string()
    }
}

/// Stops the profiler and prints where the time went: by kind of code, the app's functions
/// with their callees, and the functions with the most time of their own. Wasm functions have
/// their Rust names when the site was built with `WASM_NAMES=1` (above).
async fn print_profile(app: &App, what: &str) {
    let stopped = app
        .browser
        .issue_cmd(DriverPost::devtools("Profiler.stop", json!({})))
        .await
        .unwrap();
    let profile = &stopped["profile"];
    let nodes = profile["nodes"].as_array().unwrap();
    // Each node's id: its function's name, its kind and its caller's id.
    let mut node = HashMap::new();
    let mut caller = HashMap::new();
    for n in nodes {
        let frame = &n["callFrame"];
        let url = frame["url"].as_str().unwrap_or_default();
        let function = frame["functionName"].as_str().unwrap_or_default();
        let name = match function {
            "" => format!("(anonymous) {url}"),
            name => name.to_string(),
        };
        let id = n["id"].as_u64().unwrap();
        node.insert(id, (kind_of(function, url), name));
        for child in n["children"].as_array().into_iter().flatten() {
            caller.insert(child.as_u64().unwrap(), id);
        }
    }
    let (mut kinds, mut own, mut with_callees) = (HashMap::new(), HashMap::new(), HashMap::new());
    let samples = profile["samples"].as_array().unwrap();
    let deltas = profile["timeDeltas"].as_array().unwrap();
    // A sample's time is the gap until the next sample.
    for (sample, delta) in samples.iter().zip(deltas.iter().skip(1)) {
        let ms = delta.as_f64().unwrap() / 1000.0;
        let id = sample.as_u64().unwrap();
        let (kind, name) = &node[&id];
        *kinds.entry(kind.as_str()).or_default() += ms;
        *own.entry(name.as_str()).or_default() += ms;
        // Each function on the sample's stack, once.
        let mut on_stack = HashSet::new();
        let mut at = Some(id);
        while let Some(id) = at {
            let name = node[&id].1.as_str();
            if on_stack.insert(name) {
                *with_callees.entry(name).or_default() += ms;
            }
            at = caller.get(&id).copied();
        }
    }
    let idle = kinds.get("(idle)").copied().unwrap_or_default();
    let busy: f64 = kinds.values().sum::<f64>() - idle;
    println!("CPU profile, {what}: {busy:.1} ms busy ({idle:.1} ms idle)");
    for (kind, ms) in largest(kinds, usize::MAX) {
        println!("  {ms:7.1} ms  {kind}");
    }
    println!("  the app's functions, their callees included:");
    with_callees.retain(|name, _| name.contains("backfill_"));
    for (name, ms) in largest(with_callees, 20) {
        println!("  {ms:7.1} ms  {}", short(name));
    }
    println!("  the functions with the most time of their own:");
    for (name, ms) in largest(own, 20) {
        println!("  {ms:7.1} ms  {}", short(name));
    }
}

fn largest(times: HashMap<&str, f64>, n: usize) -> Vec<(&str, f64)> {
    let mut v: Vec<_> = times.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v.truncate(n);
    v
}

fn short(name: &str) -> &str {
    name.get(..110).unwrap_or(name)
}

/// The figures' three flows under the profiler.
#[tokio::test]
#[ignore = "a measurement, run by hand"]
async fn profiles() {
    let app = App::launch().await;
    start_profile(&app).await;
    app.goto("/").await;
    print_profile(&app, "navigation → interactive").await;
    paste_and_settle(&app, &entries(66)).await;
    start_profile(&app).await;
    let ms = keystroke(&app).await;
    println!("keystroke → findings: {:.1} ms", ms[0].as_f64().unwrap());
    print_profile(&app, "keystroke → findings, 202 lines").await;
    app.finish().await;

    let app = App::open_with_catalog(&fifty_feeds()).await;
    start_profile(&app).await;
    let ms: Value = app
        .browser
        .execute_async(GRID, vec![json!(A_YEAR)])
        .await
        .unwrap();
    println!("paste → grid: {:.0} ms", ms.as_f64().unwrap());
    print_profile(&app, "paste → grid drawn, 365 days × 50 feeds").await;
    app.finish().await;
}
