//! The mismatch list of the `mismatches-100k-rows` case, shared by the native benchmark
//! (`benches/bench.rs`) and the same case in Chromium (the app's `tests/browser_figures.rs`).

use backfill_spec::Day;

/// `feed,date,rows_silver,rows_gold` rows over `feed000`… `feed099` and about 1,000 days from
/// 2023-01-01 (every feed of the benchmark's catalog exists from 1990), with repeats.
pub fn mismatch_rows(rows: usize) -> String {
    let start = Day::parse("2023-01-01").expect("day");
    let mut out = String::from("feed,date,rows_silver,rows_gold\n");
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..rows {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let feed = x % 100;
        let day = start.plus_days(((x >> 8) % 1000) as i32);
        out.push_str(&format!("feed{feed:03},{day},10,9\n"));
    }
    out
}
