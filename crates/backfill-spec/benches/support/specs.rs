//! Generated spec texts for the lint cases: realistic shapes (named feeds, ranges, scattered
//! days, excepts, hours, replay, notes) over the demo catalog's feeds, all valid, so the
//! whole path (parse, decode, every rule, plan) runs.

use backfill_spec::{Day, Options, analyze, catalog};

const FEEDS: &[&str] = &[
    "clicks",
    "impressions",
    "conversions",
    "pageviews",
    "orders",
    "refunds",
    "sessions",
    "payments",
];

fn day(offset: i32) -> String {
    // From 2022-06-01, inside every demo feed's history and before any "today".
    Day::parse("2022-06-01")
        .expect("day")
        .plus_days(offset)
        .to_string()
}

/// Entry `i`, in one of five shapes; each shape is 4 or 5 lines.
fn entry(i: usize, out: &mut String) {
    let f = |k: usize| FEEDS[(i + k) % FEEDS.len()];
    let base = (i * 11 % 1290) as i32;
    match i % 5 {
        0 => out.push_str(&format!(
            "  - feeds: [{}, {}]\n    dates: \"{}..{}\"\n    except: [\"{}\"]\n    note: \"entry {i}\"\n",
            f(0),
            f(1),
            day(base),
            day(base + 6),
            day(base + 3)
        )),
        1 => out.push_str(&format!(
            "  - feeds: all\n    dates: [\"{}\", \"{}\", \"{}\"]\n    note: \"entry {i}\"\n    target: emr\n",
            day(base),
            day(base + 2),
            day(base + 9)
        )),
        2 => out.push_str(&format!(
            "  - feeds: [sessions, pageviews]\n    dates: \"{}\"\n    hours: [0-5, 12, 20-23]\n    note: \"entry {i}\"\n",
            day(base)
        )),
        3 => out.push_str(&format!(
            "  - feeds: [orders, refunds, payments]\n    dates: \"{}..{}\"\n    target: replay\n    note: \"entry {i}\"\n",
            day(base),
            day(base + 1)
        )),
        _ => out.push_str(&format!("  - feeds: {}\n    dates: \"{}\"\n    note: \"entry {i}\"\n    target: emr\n", f(2), day(base))),
    }
}

fn header(out: &mut String) {
    out.push_str(
        "version: 1\nname: bench-spec\nreason: \"benchmark: silver/gold mismatch (INC-1)\"\n",
    );
    out.push_str("requested_by: oncall@example.com\nticket: INC-1\nbackfills:\n");
}

fn footer(out: &mut String) {
    out.push_str("emr:\n  action_on_failure: CONTINUE\n  step_concurrency: 4\n  tags: {team: data-platform}\n");
}

/// A spec of about `lines` lines.
pub fn lines_spec(lines: usize) -> String {
    let mut out = String::new();
    header(&mut out);
    let mut i = 0;
    while out.lines().count() + 4 < lines {
        entry(i, &mut out);
        i += 1;
    }
    footer(&mut out);
    out
}

/// A spec of exactly `entries` entries.
pub fn entries_spec(entries: usize) -> String {
    let mut out = String::new();
    header(&mut out);
    for i in 0..entries {
        entry(i, &mut out);
    }
    footer(&mut out);
    out
}

/// What `backfill-spec lint` and the app do per keystroke: analyze (which plans).
pub fn lint_and_plan(text: &str) -> usize {
    let options = Options {
        today: Day::parse("2026-01-01").expect("day"),
    };
    let analysis = analyze(text, catalog::demo(), &options);
    analysis.diagnostics.len() + analysis.plan.map_or(0, |p| p.summary.feed_days)
}

/// Prints a generated spec (`bench -- --print lint-200-lines`) to check it lints clean.
pub fn text_of(case: &str) -> Option<String> {
    match case {
        "lint-200-lines" => Some(lines_spec(200)),
        "lint-1000-entries" => Some(entries_spec(1000)),
        _ => None,
    }
}
