//! Unit checks of the plan on a catalog built in code (the data-driven fixtures live in
//! tests/plan/).

use super::*;
use crate::{CatalogEmr, CatalogFeed, EmrSettings, Entry, Feeds, ManagedScalingSettings};

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

pub(crate) fn catalog(max_days_per_step: u32) -> Catalog {
    let feed = |name: &str, since: &str, replay, hourly| CatalogFeed {
        name: name.into(),
        since: day(since),
        replay,
        hourly,
        aliases: Vec::new(),
    };
    Catalog {
        feeds: vec![
            feed("clicks", "2020-01-01", false, false),
            feed("orders", "2021-03-15", true, false),
            feed("sessions", "2022-01-01", false, true),
            feed("impressions", "2022-08-11", false, false),
        ],
        emr: CatalogEmr {
            step_name: if max_days_per_step > 1 {
                "backfill {feed} {start}..{end}"
            } else {
                "backfill {feed} {date}"
            }
            .into(),
            args: [
                "spark-submit",
                "--feed",
                "{feed}",
                "--start",
                "{start}",
                "--end",
                "{end}",
            ]
            .map(String::from)
            .to_vec(),
            hours_args: vec!["--hours".into(), "{hours}".into()],
            max_days_per_step,
            defaults: EmrSettings {
                action_on_failure: "CONTINUE".into(),
                step_concurrency: 1,
                instance_type: "m6g.2xlarge".into(),
                managed_scaling: ManagedScalingSettings {
                    unit_type: "Instances".into(),
                    min_units: 2,
                    max_units: 40,
                },
                tags: vec![("owner".into(), "platform".into())],
            },
        },
        replay_message: vec![
            ("feed".into(), "{feed}".into()),
            ("date".into(), "{date}".into()),
            ("hours".into(), "{hours}".into()),
        ],
        upload_key: "backfills/{name}/{fingerprint}.json".into(),
        upload_allowed_hosts: Vec::new(),
        upload_presign: None,
    }
}

fn entry(feeds: &[&str], dates: &[&str]) -> Entry {
    Entry {
        feeds: if feeds == ["*"] {
            Feeds::All
        } else {
            Feeds::List(feeds.iter().map(|s| s.to_string()).collect())
        },
        dates: dates.iter().map(|s| s.to_string()).collect(),
        ..Entry::default()
    }
}

fn spec(entries: Vec<Entry>) -> Spec {
    Spec {
        name: "t".into(),
        reason: "r".into(),
        backfills: entries,
        ..Spec::default()
    }
}

#[test]
fn all_means_feeds_existing_that_day_sorted_by_day_then_name() {
    let plan = build(
        &spec(vec![entry(&["*"], &["2022-08-10..2022-08-11"])]),
        &catalog(1),
    );
    assert_eq!(plan.feeds, ["clicks", "impressions", "orders", "sessions"]);
    let got: Vec<(String, &str)> = plan
        .units
        .iter()
        .map(|u| (u.day.to_string(), plan.feeds[u.feed as usize].as_str()))
        .collect();
    let want = [
        ("2022-08-10", "clicks"),
        ("2022-08-10", "orders"),
        ("2022-08-10", "sessions"),
        ("2022-08-11", "clicks"),
        ("2022-08-11", "impressions"),
        ("2022-08-11", "orders"),
        ("2022-08-11", "sessions"),
    ];
    assert_eq!(got, want.map(|(d, f)| (d.to_string(), f)));
    assert_eq!(plan.summary.emr_steps, 7);
    assert_eq!(plan.emr.step(0).name, "backfill clicks 2022-08-10");
}

#[test]
fn duplicates_merge_hours_and_are_reported_as_runs() {
    let mut a = entry(&["sessions"], &["2022-08-01..2022-08-05"]);
    a.hours = vec!["0-5".into()];
    let mut b = entry(&["sessions"], &["2022-08-03..2022-08-09"]);
    b.hours = vec!["20".into()];
    let plan = build(&spec(vec![a, b]), &catalog(1));
    assert_eq!(plan.units.len(), 9);
    assert_eq!(plan.units[2].hours.to_string(), "0-5,20");
    assert_eq!(plan.units[2].entry, 0);
    assert_eq!(
        plan.duplicates,
        [Duplicate {
            feed: 0,
            day: day("2022-08-03"),
            last_day: day("2022-08-05"),
            first_entry: 0,
            second_entry: 1
        }]
    );
    let step = plan.emr.step(2);
    assert_eq!(step.args[step.args.len() - 2..], ["--hours", "0-5,20"]);
    assert_eq!(plan.summary.partial_days, 9);
}

#[test]
fn different_targets_do_not_merge_but_are_reported() {
    let a = entry(&["orders"], &["2022-06-03"]);
    let mut b = entry(&["orders"], &["2022-06-03"]);
    b.target = Some("replay".into());
    let plan = build(&spec(vec![a, b]), &catalog(1));
    assert_eq!(plan.units.len(), 2);
    assert_eq!(
        (plan.summary.emr_steps, plan.summary.replay_messages),
        (1, 1)
    );
    assert_eq!(plan.duplicates.len(), 1);
    assert_eq!(
        plan.replay.message(0).body,
        r#"{"feed":"orders","date":"2022-06-03","hours":"0-23"}"#
    );
}

#[test]
fn grouping_joins_contiguous_days_with_equal_hours_up_to_the_maximum() {
    let e = entry(&["clicks"], &["2022-07-01..2022-07-08", "2022-07-10"]);
    let plan = build(&spec(vec![e]), &catalog(3));
    let runs: Vec<String> = plan
        .emr
        .steps
        .iter()
        .map(|s| format!("{}..{}", s.start, s.end))
        .collect();
    assert_eq!(
        runs,
        [
            "2022-07-01..2022-07-03",
            "2022-07-04..2022-07-06",
            "2022-07-07..2022-07-08",
            "2022-07-10..2022-07-10"
        ]
    );
    assert_eq!(
        plan.emr.step(0).name,
        "backfill clicks 2022-07-01..2022-07-03"
    );
}

#[test]
fn what_cannot_be_interpreted_is_left_out_without_panicking() {
    let mut bad_hours = entry(&["sessions"], &["2022-08-01"]);
    bad_hours.hours = vec!["25".into()];
    let mut bad_target = entry(&["clicks"], &["2022-08-01"]);
    bad_target.target = Some("lambda".into());
    let entries = vec![
        entry(
            &["nope", "clicks"],
            &["2022-02-30", "2022-08-02..2022-08-01", "x", "2022-08-01"],
        ),
        entry(&["impressions"], &["2022-08-01..2022-08-12"]),
        bad_hours,
        bad_target,
        entry(&[], &[]),
    ];
    let plan = build(&spec(entries), &catalog(1));
    let got: Vec<String> = plan
        .units
        .iter()
        .map(|u| format!("{} {}", plan.feeds[u.feed as usize], u.day))
        .collect();
    assert_eq!(
        got,
        [
            "clicks 2022-08-01",
            "impressions 2022-08-11",
            "impressions 2022-08-12"
        ]
    );
    assert!(plan.limit_violations().is_empty());
}

#[test]
fn waves_and_batches_respect_the_aws_limits() {
    let mut replay = entry(&["orders"], &["2022-01-01..2022-01-25"]);
    replay.target = Some("replay".into());
    let plan = build(
        &spec(vec![
            entry(&["clicks"], &["2021-01-01..2021-12-31"]),
            replay,
        ]),
        &catalog(1),
    );
    let waves: Vec<usize> = plan.emr.waves().map(|w| w.len()).collect();
    assert_eq!(waves, [256, 109]);
    let batches: Vec<usize> = plan.replay.batches().map(|b| b.len()).collect();
    assert_eq!(batches, [10, 10, 5]);
    assert_eq!(
        (plan.summary.emr_waves, plan.summary.replay_batches),
        (2, 3)
    );
}

#[test]
fn limits_are_reported_once_per_entry() {
    let mut cat = catalog(1);
    cat.emr.step_name = format!("{}{{feed}}", "x".repeat(250));
    cat.emr.args.push("y".repeat(10_000));
    let mut s = spec(vec![
        entry(&["clicks"], &["2022-01-01..2022-01-10"]),
        entry(&["sessions"], &["2022-01-01"]),
    ]);
    s.emr = Some(crate::EmrOverrides {
        step_concurrency: Some(4),
        action_on_failure: Some("TERMINATE_CLUSTER".into()),
        ..Default::default()
    });
    let plan = build(&s, &cat);
    let got: Vec<(LimitKind, Option<u32>, usize)> = plan
        .limit_violations()
        .iter()
        .map(|v| (v.kind, v.entry, v.count))
        .collect();
    assert_eq!(
        got,
        [
            (LimitKind::ActionOnFailureWithConcurrency, None, 1),
            (LimitKind::StepNameTooLong, Some(1), 1),
            (LimitKind::StepTooLong, Some(0), 10),
            (LimitKind::StepTooLong, Some(1), 1),
        ]
    );
}

#[test]
fn huge_ranges_stop_at_the_unit_cap() {
    let plan = build(
        &spec(vec![entry(&["*"], &["1000-01-01..9999-12-31"])]),
        &catalog(1),
    );
    assert!(plan.truncated);
    assert_eq!(plan.units.len(), MAX_UNITS);
    assert!(
        plan.limit_violations()
            .iter()
            .any(|v| v.kind == LimitKind::PlanTooLarge)
    );
}

/// The plan and the rules read date and hour items with separate code (the rules also say
/// why an item is wrong); they must accept exactly the same texts, or the plan would run
/// something the linter calls an error, or drop something it calls fine.
#[test]
fn plan_and_rules_read_items_alike() {
    let dates = [
        "2022-08-10",
        " 2022-08-10 ",
        "2022-07-01..2022-07-31",
        "2022-07-01 .. 2022-07-31",
        "2022-07-31..2022-07-01",
        "2022-02-30",
        "2022-02-28..2022-02-30",
        "..",
        "2022-08-10..",
        "..2022-08-10",
        "2022-8-10",
        "0999-01-01",
        "2022-08-10...2022-08-11",
        "2022-08-10..2022-08-10..2022-08-11",
        "",
        "x",
        "２０２２-08-10",
    ];
    for text in dates {
        assert_eq!(
            expand::date_item(text),
            crate::rules::date_item(text).ok(),
            "{text:?}"
        );
    }
    let hours = [
        "0",
        "23",
        "24",
        "5-7",
        "7-5",
        " 5 - 7 ",
        "+5",
        "-5",
        "5-",
        "05",
        "005",
        "0-23",
        "1-2-3",
        "300",
        "",
        "x",
        "٣",
        "99999999999",
    ];
    for text in hours {
        assert_eq!(
            expand::hours_item(text),
            crate::rules::hour_item(text).ok(),
            "{text:?}"
        );
    }
}
