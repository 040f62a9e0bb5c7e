//! From mismatch lists to specs. Data-driven: every `tests/mismatches/*` but the catalog is
//! read against `tests/mismatches/catalog.yaml`, and its findings, counts and generated spec
//! are compared with the `.expected` file beside it (`UPDATE_EXPECT=1` rewrites them). Each
//! generated spec must lint with no error and plan exactly the rows read. Then the property:
//! for random sets of feed-days (runs, gaps, hours), the plan of the generated spec is the set,
//! and there are never more entries than one per feed, hours and run of days.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use backfill_spec::mismatches::{self, Given, Mismatch, Mismatches};
use backfill_spec::{Catalog, Day, HourSet, Options, Severity, analyze, catalog, emit, report};
use common::Rng;

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mismatches")
}

fn options() -> Options {
    Options {
        today: Day::parse("2026-01-01").unwrap(),
    }
}

fn test_catalog() -> Catalog {
    let text = fs::read_to_string(dir().join("catalog.yaml")).unwrap();
    let (catalog, findings, _) = catalog::parse(&text);
    assert!(findings.is_empty(), "{findings:?}");
    catalog
}

/// The plan of `spec` as (feed, day, hours), asserting that it lints with no error.
fn planned(catalog: &Catalog, spec: &backfill_spec::Spec) -> Vec<(String, Day, HourSet)> {
    planned_text(catalog, &emit::to_yaml(spec))
}

/// The plan of a spec's text as (feed, day, hours), asserting that it lints with no error.
fn planned_text(catalog: &Catalog, text: &str) -> Vec<(String, Day, HourSet)> {
    plan_units(catalog, text, true)
}

/// The plan of a spec's text as (feed, day, hours); with `clean`, asserting no error.
fn plan_units(catalog: &Catalog, text: &str, clean: bool) -> Vec<(String, Day, HourSet)> {
    let analysis = analyze(text, catalog, &options());
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(!clean || errors.is_empty(), "{text}\n{errors:#?}");
    let plan = analysis.plan.expect("a plan");
    let mut units: Vec<(String, Day, HourSet)> = plan
        .units
        .iter()
        .map(|u| (plan.feeds[u.feed as usize].clone(), u.day, u.hours))
        .collect();
    units.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    units
}

fn as_units(catalog: &Catalog, set: &[Mismatch]) -> Vec<(String, Day, HourSet)> {
    let mut units: Vec<(String, Day, HourSet)> = set
        .iter()
        .map(|m| (catalog.feeds[m.feed as usize].name.clone(), m.day, m.hours))
        .collect();
    units.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    units
}

#[test]
fn fixtures_match_expected_output() {
    let catalog = test_catalog();
    let mut failures = Vec::new();
    let mut inputs: Vec<_> = fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name != "catalog.yaml" && !name.ends_with(".expected")
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 8);
    let rules =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md"))
            .unwrap();
    for path in inputs {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let text = String::from_utf8(fs::read(&path).unwrap()).unwrap();
        let found = mismatches::read(&text, &catalog, &options());
        for finding in &found.findings {
            assert!(
                rules.contains(&format!("### `{}`", finding.code)),
                "{name}: {} is not in docs/rules.md",
                finding.code
            );
        }
        let mut out = report::text(&name, &text, &found.findings, true);
        writeln!(
            out,
            "-- {} row(s), {} refused, {} feed-day(s)",
            found.rows,
            found.refused,
            found.feed_days()
        )
        .unwrap();
        match mismatches::spec(&catalog, &found, &name, Given::default()) {
            Some(spec) => {
                out.push_str(&emit::to_yaml(&spec));
                assert_eq!(
                    planned(&catalog, &spec),
                    as_units(&catalog, &found.set),
                    "{name}"
                );
            }
            None => out.push_str("-- no spec\n"),
        }
        let expected = path.with_file_name(format!("{name}.expected"));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            fs::write(&expected, &out).unwrap();
        } else if fs::read_to_string(&expected).ok().as_deref() != Some(out.as_str()) {
            failures.push(format!(
                "{name}: output differs from {}:\n{out}",
                expected.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Appending, as text (`tests/mismatches-append/`): every spec there gets the entries of
/// `list.txt` and is compared with its `.expected` file (`UPDATE_EXPECT=1` rewrites them).
/// The result is the spec with one insertion, lints with no error and plans what the
/// spec planned plus exactly the list. The
/// `refused-` specs (no mapping, a syntax error, `backfills` not a list) are left alone.
/// `missing_from` gives the whole list before, none of it after.
#[test]
fn appending_keeps_the_text_and_adds_exactly_the_list() {
    let catalog = test_catalog();
    let dir = dir().with_file_name("mismatches-append");
    let list = fs::read_to_string(dir.join("list.txt")).unwrap();
    let found = mismatches::read(&list, &catalog, &options());
    assert_eq!((found.refused, found.feed_days()), (0, 4));
    let entries = mismatches::entries(&catalog.feeds, &found.set);
    let mut specs: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 10);
    let mut failures = Vec::new();
    for path in specs {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let text = fs::read_to_string(&path).unwrap();
        let out = match mismatches::append(&text, &entries) {
            None => {
                assert!(name.starts_with("refused-"), "{name} was not appended to");
                "-- not appended\n".to_owned()
            }
            Some(out) => {
                assert!(
                    !name.starts_with("refused-"),
                    "{name} was appended to:\n{out}"
                );
                // One insertion: the text is the result's start and end, every byte kept.
                let start = text
                    .bytes()
                    .zip(out.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                let end = (text[start..].bytes().rev())
                    .zip(out.bytes().rev())
                    .take_while(|(a, b)| a == b)
                    .count();
                assert_eq!(
                    start + end,
                    text.len(),
                    "{name} was changed, not added to:\n{out}"
                );
                // The spec before may be unfinished (no entry yet); the result is complete.
                let mut expected = plan_units(&catalog, &text, false);
                expected.extend(as_units(&catalog, &found.set));
                expected.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
                assert_eq!(planned_text(&catalog, &out), expected, "{name}:\n{out}");
                let missing = |text: &str| {
                    let plan = analyze(text, &catalog, &options()).plan.unwrap();
                    mismatches::missing_from(&plan, &catalog, &found.set)
                };
                assert_eq!(missing(&text), found.set, "{name}");
                assert_eq!(missing(&out), [], "{name}");
                out
            }
        };
        let expected = path.with_file_name(format!("{name}.expected"));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            fs::write(&expected, &out).unwrap();
        } else if fs::read_to_string(&expected).ok().as_deref() != Some(out.as_str()) {
            failures.push(format!(
                "{name}: differs from {}:\n{out}",
                expected.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A feed-day is in a plan only with every hour asked for, from one entry or several.
#[test]
fn missing_from_a_plan_counts_hours() {
    let catalog = test_catalog();
    let found = mismatches::read(
        "clicks 2023-08-01\nclicks 2023-08-02\nsessions 2023-08-05 3-4\nsessions 2023-08-06 3",
        &catalog,
        &options(),
    );
    let spec = "version: 1\nname: recon\nreason: r\nbackfills:\n\
                - {feeds: [clicks], dates: [2023-08-01]}\n\
                - {feeds: [sessions], dates: [2023-08-05], hours: [3]}\n\
                - {feeds: [sessions], dates: [2023-08-05], hours: [4]}\n\
                - {feeds: [sessions], dates: [2023-08-06], hours: [0-2]}\n";
    let plan = analyze(spec, &catalog, &options()).plan.unwrap();
    let missing = mismatches::missing_from(&plan, &catalog, &found.set);
    let missing: Vec<String> = missing
        .iter()
        .map(|m| format!("{} {}", m.day, m.hours))
        .collect();
    assert_eq!(missing, ["2023-08-02 0-23", "2023-08-06 3"]);
}

/// Random feed-days: each feed gets a few runs of days with gaps between them, some days with
/// hours (on the hourly feed), some feeds copying another's days.
fn random_set(rng: &mut Rng, catalog: &Catalog) -> Vec<Mismatch> {
    let base = Day::parse("2023-01-01").unwrap();
    let mut rows: Vec<Mismatch> = Vec::new();
    let mut previous: Vec<(Day, HourSet)> = Vec::new();
    for (index, feed) in catalog.feeds.iter().enumerate() {
        if rng.chance(20) {
            continue;
        }
        let days: Vec<(Day, HourSet)> = if rng.chance(30) && !previous.is_empty() {
            previous.clone()
        } else {
            let mut days = Vec::new();
            let mut day = base.plus_days(rng.below(20) as i32);
            for _ in 0..1 + rng.below(5) {
                for _ in 0..1 + rng.below(6) {
                    let mut hours = HourSet::FULL;
                    if feed.hourly && rng.chance(40) {
                        hours = HourSet::default();
                        let from = rng.below(20) as u8;
                        hours.insert_range(from, from + rng.below(4) as u8);
                    }
                    days.push((day, hours));
                    day = day.succ();
                }
                day = day.plus_days(1 + rng.below(10) as i32);
            }
            days
        };
        let hourly_ok = |h: HourSet| feed.hourly || h.is_full();
        for &(day, hours) in &days {
            if day >= feed.since && hourly_ok(hours) {
                rows.push(Mismatch {
                    feed: index as u32,
                    day,
                    hours,
                });
            }
        }
        previous = days;
    }
    rows
}

/// The baseline the grouping must never be worse than: one entry per feed, hours and run of
/// consecutive days.
fn baseline(set: &[Mismatch]) -> usize {
    let mut sorted = set.to_vec();
    sorted.sort_by_key(|m| (m.feed, m.hours.0, m.day));
    let mut runs = 0;
    for (i, m) in sorted.iter().enumerate() {
        let continues = i > 0 && {
            let p = sorted[i - 1];
            p.feed == m.feed && p.hours == m.hours && p.day.succ() == m.day
        };
        runs += usize::from(!continues);
    }
    runs
}

#[test]
fn the_plan_of_the_spec_is_exactly_the_mismatches() {
    let catalog = test_catalog();
    let mut rng = Rng(0x5eed_1234);
    for case in 0..400 {
        let mut set = random_set(&mut rng, &catalog);
        if set.is_empty() {
            continue;
        }
        // As read returns it: sorted by feed then day, one per feed-day.
        set.sort_by_key(|m| (m.feed, m.day));
        set.dedup_by_key(|m| (m.feed, m.day));
        let found = Mismatches {
            rows: set.len(),
            set: set.clone(),
            ..Mismatches::default()
        };
        let spec = mismatches::spec(&catalog, &found, "-", Given::default()).unwrap();
        assert_eq!(
            planned(&catalog, &spec),
            as_units(&catalog, &set),
            "case {case}:\n{}",
            emit::to_yaml(&spec)
        );
        assert!(
            spec.backfills.len() <= baseline(&set),
            "case {case}: {} entries, baseline {}",
            spec.backfills.len(),
            baseline(&set)
        );
    }
}

#[test]
fn the_obvious_cases_come_out_whole() {
    let catalog = test_catalog();
    let day = |d: &str| Day::parse(d).unwrap();
    let whole = |feed: u32, d: &str| Mismatch {
        feed,
        day: day(d),
        hours: HourSet::FULL,
    };
    // One feed's run of days: one range.
    let run: Vec<Mismatch> = (1..=9)
        .map(|d| whole(0, &format!("2023-08-0{d}")))
        .collect();
    let entries = mismatches::entries(&catalog.feeds, &run);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].dates, ["2023-08-01..2023-08-09"]);
    // Three feeds with the same scattered days: one entry.
    let mut scattered = Vec::new();
    for feed in 0..3 {
        for d in ["2023-08-01", "2023-08-05", "2023-08-20"] {
            scattered.push(whole(feed, d));
        }
    }
    let entries = mismatches::entries(&catalog.feeds, &scattered);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].dates, ["2023-08-01", "2023-08-05", "2023-08-20"]);
}

#[test]
fn day_forms_and_timestamps_give_the_utc_date() {
    let catalog = test_catalog();
    for (cell, want) in [
        ("2023-08-26", "2023-08-26"),
        ("20230826", "2023-08-26"),
        ("2023-08-26T23:30:00Z", "2023-08-26"),
        ("2023-08-26T23:30:00-02:00", "2023-08-27"),
        ("2023-08-26 01:00:00+0200", "2023-08-25"),
        ("2023-08-26T00:00:00.123456+00", "2023-08-26"),
        ("2023-08-26 12:00", "2023-08-26"),
    ] {
        let found = mismatches::read(&format!("feed,date\nclicks,{cell}\n"), &catalog, &options());
        assert_eq!(found.refused, 0, "{cell}: {:?}", found.findings);
        assert_eq!(found.set[0].day, Day::parse(want).unwrap(), "{cell}");
    }
}
