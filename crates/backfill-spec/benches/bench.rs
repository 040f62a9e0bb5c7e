//! `cargo bench -p backfill-spec`: wall time and peak memory of the core's heavy paths.
//!
//! Each case runs in a fresh process (this binary re-executes itself with `--case NAME`), so
//! the peak resident memory read from /proc/self/status (VmHWM) belongs to that case alone.
//! Plain std::time: no criterion, to keep the dependency tree small.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use backfill_spec::{
    CatalogEmr, CatalogFeed, Day, EmrSettings, Entry, Feeds, ManagedScalingSettings, Spec, plan,
};

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/mismatch_rows.rs"]
mod mismatch_rows;
#[path = "support/specs.rs"]
mod specs;

const CASES: &[&str] = &[
    "lint-200-lines",
    "lint-1000-entries",
    "plan-1m-feed-days",
    "plan-1m-feed-days-json",
    "expand-one-feed-x-40k-days",
    "expand-50k-dates-50k-excepts",
    "mismatches-100k-rows",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--print") {
        // `--print hostile:NAME` prints a hostile input (scripts/bench-hostile.sh times them);
        // `--print hostile:` lists their names.
        let case = args.get(i + 1).map(String::as_str).unwrap_or("");
        let text = match case.strip_prefix("hostile:") {
            Some("") => Some(
                hostile::cases()
                    .iter()
                    .map(|(n, _)| format!("{n}\n"))
                    .collect(),
            ),
            Some(name) => hostile::text_of(name),
            None => specs::text_of(case),
        };
        print!("{}", text.unwrap_or_default());
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--case") {
        let name = args.get(i + 1).map(String::as_str).unwrap_or("");
        run_case(name);
        return;
    }
    // `cargo bench` passes `--bench`; any other free argument filters the cases.
    let filter: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with("--")).collect();
    let exe = std::env::current_exe().expect("own path");
    println!(
        "{:<26} {:>12} {:>12} {:>14}",
        "case", "median", "min", "peak RSS"
    );
    for case in CASES
        .iter()
        .filter(|c| filter.is_empty() || filter.iter().any(|f| c.contains(f.as_str())))
    {
        let out = Command::new(&exe)
            .args(["--case", case])
            .output()
            .expect("run case");
        print!("{}", String::from_utf8_lossy(&out.stdout));
        if !out.status.success() {
            eprintln!("{case} failed: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
}

fn run_case(name: &str) {
    match name {
        "lint-200-lines" => {
            let text = specs::lines_spec(200);
            measure(name, 2000, || black_box(specs::lint_and_plan(&text)));
        }
        "lint-1000-entries" => {
            let text = specs::entries_spec(1000);
            measure(name, 100, || black_box(specs::lint_and_plan(&text)));
        }
        "plan-1m-feed-days" => {
            let (spec, catalog) = million_feed_days();
            measure(name, 5, || {
                let p = plan::build(&spec, &catalog);
                assert_eq!(p.summary.feed_days, 1_000_000);
                black_box(p.summary.emr_steps)
            });
        }
        "plan-1m-feed-days-json" => {
            // Build plus the whole plan JSON streamed out (to a sink): what `plan --format
            // json` costs apart from the terminal.
            let (spec, catalog) = million_feed_days();
            measure(name, 3, || {
                let p = plan::build(&spec, &catalog);
                p.write_json(&mut std::io::sink()).expect("sink");
                black_box(p.summary.emr_steps)
            });
        }
        // The two shapes that were quadratic in the spec (issue 9): lint + plan of each.
        "expand-one-feed-x-40k-days" => {
            let text = hostile::text_of("one feed x 40k days before since").expect("case");
            measure(name, 10, || black_box(specs::lint_and_plan(&text)));
        }
        "expand-50k-dates-50k-excepts" => {
            let text = hostile::text_of("50k dates and 50k excepts").expect("case");
            measure(name, 10, || black_box(specs::lint_and_plan(&text)));
        }
        // Issue 14: a reconciliation report of 100,000 rows (CSV; 100 feeds, scattered days,
        // a tenth repeated) read against a 100-feed catalog and grouped into entries.
        "mismatches-100k-rows" => {
            let (_, catalog) = million_feed_days();
            let text = mismatch_rows::mismatch_rows(100_000);
            let options = backfill_spec::Options {
                today: Day::parse("2026-01-01").expect("day"),
            };
            measure(name, 10, || {
                let found = backfill_spec::mismatches::read(&text, &catalog, &options);
                assert_eq!(found.refused, 0);
                black_box(backfill_spec::mismatches::entries(&catalog.feeds, &found.set).len())
            });
        }
        other => {
            eprintln!("unknown case {other}; cases: {CASES:?}");
            std::process::exit(2);
        }
    }
}

/// 100 feeds × 10,000 days through one `feeds: all` entry plus a scattered second one that
/// overlaps it (so merging and duplicates are on the measured path).
fn million_feed_days() -> (Spec, backfill_spec::Catalog) {
    let since = Day::parse("1990-01-01").expect("day");
    let feeds = (0..100)
        .map(|i| CatalogFeed {
            name: format!("feed{i:03}"),
            since,
            replay: i % 10 == 0,
            hourly: i % 7 == 0,
            aliases: Vec::new(),
        })
        .collect();
    let catalog = backfill_spec::Catalog {
        feeds,
        emr: CatalogEmr {
            step_name: "backfill {feed} {date}".into(),
            args: [
                "spark-submit",
                "--deploy-mode",
                "cluster",
                "s3://acme-jobs/backfill.py",
                "--feed",
                "{feed}",
                "--date",
                "{date}",
            ]
            .map(String::from)
            .to_vec(),
            hours_args: vec!["--hours".into(), "{hours}".into()],
            max_days_per_step: 1,
            defaults: EmrSettings {
                action_on_failure: "CONTINUE".into(),
                step_concurrency: 1,
                instance_type: "m6g.2xlarge".into(),
                managed_scaling: ManagedScalingSettings {
                    unit_type: "Instances".into(),
                    min_units: 2,
                    max_units: 40,
                },
                tags: Vec::new(),
            },
        },
        replay_message: vec![
            ("feed".into(), "{feed}".into()),
            ("date".into(), "{date}".into()),
        ],
        upload_key: "backfills/{name}/{fingerprint}.json".into(),
        upload_allowed_hosts: Vec::new(),
        upload_presign: None,
    };
    let last = since.plus_days(9_999);
    let spec = Spec {
        name: "million".into(),
        reason: "bench".into(),
        backfills: vec![
            Entry {
                feeds: Feeds::All,
                dates: vec![format!("{since}..{last}")],
                ..Entry::default()
            },
            Entry {
                feeds: Feeds::List(vec!["feed001".into(), "feed050".into()]),
                dates: (0..50)
                    .map(|i| since.plus_days(i * 97).to_string())
                    .collect(),
                ..Entry::default()
            },
        ],
        ..Spec::default()
    };
    (spec, catalog)
}

fn measure<T>(name: &str, iterations: usize, mut f: impl FnMut() -> T) {
    black_box(f()); // warm-up: first-touch page faults and lazy statics are not the subject
    let mut times: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{name:<26} {:>12} {:>12} {:>11} MiB",
        fmt(times[times.len() / 2]),
        fmt(times[0]),
        peak_rss_mib()
    );
}

fn fmt(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.1} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.3} s", us / 1e6)
    }
}

/// VmHWM: the peak resident set of this process so far, in MiB.
fn peak_rss_mib() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or("?".into(), |kb| format!("{:.1}", kb / 1024.0))
}
