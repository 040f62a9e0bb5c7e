//! Figures of the core measured inside Chromium (the wasm the site runs, with its release
//! profile and flags), reported, not asserted (docs/benchmarks.md, "In the browser"):
//! `cargo test --release --locked --target wasm32-unknown-unknown -p backfill-builder
//! --test browser_figures -- --include-ignored --nocapture`
#![cfg(target_arch = "wasm32")]

// Linked for its global allocator, as in the site (src/lib.rs).
extern crate backfill_builder;

use backfill_spec::{Day, Options, catalog, mismatches};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The native benchmark's input (`cargo bench -p backfill-spec -- mismatches`).
#[path = "../crates/backfill-spec/benches/support/mismatch_rows.rs"]
mod mismatch_rows;

fn now_ms() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// Median and minimum of `runs` timed calls after one warm-up, in ms.
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    std::hint::black_box(f());
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = now_ms();
            std::hint::black_box(f());
            now_ms() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[runs / 2], times[0])
}

#[wasm_bindgen_test]
#[ignore = "a measurement, run by hand"]
fn mismatches_100k_rows_read_and_grouped() {
    let mut yaml = String::from("version: 1\nfeeds:\n");
    for i in 0..100 {
        yaml.push_str(&format!("  feed{i:03}: {{since: \"1990-01-01\"}}\n"));
    }
    let demo = catalog::DEMO_YAML;
    yaml.push_str(&demo[demo.find("\nemr:").unwrap()..]);
    let (catalog, findings, _) = catalog::parse(&yaml);
    assert!(findings.is_empty(), "{findings:?}");
    let text = mismatch_rows::mismatch_rows(100_000);
    let options = Options {
        today: Day::parse("2026-01-01").unwrap(),
    };
    let mut entries = 0;
    let (median, min) = measure(9, || {
        let found = mismatches::read(&text, &catalog, &options);
        assert_eq!(found.refused, 0);
        entries = mismatches::entries(&catalog.feeds, &found.set).len();
    });
    // The wasm memory only grows: its size now bounds what the runs needed at most (the
    // heap at its peak with its free gaps, plus the stack and static data).
    // 16 pages of 64 KiB to the MiB.
    let memory = core::arch::wasm32::memory_size(0) as f64 / 16.0;
    console_log!(
        "mismatches, 100,000 rows ({} KB) read and grouped into {entries} entries: \
         median {median:.0} ms, min {min:.0} ms; wasm memory {memory:.1} MiB",
        text.len() / 1000
    );
}
