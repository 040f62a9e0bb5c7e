//! Data-driven plan tests: each `tests/plan/NAME.yaml` spec is analysed against the demo
//! catalog (or `NAME.catalog.yaml` beside it) and its whole plan JSON compared with
//! `NAME.plan.json`. `UPDATE_EXPECT=1 cargo test --test plan` rewrites the expected files;
//! review the diff before committing it.

mod common;

use std::path::{Path, PathBuf};

use backfill_spec::{Day, Options, analyze, catalog};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plan");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/plan")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".yaml") && !name.ends_with(".catalog.yaml")
        })
        .collect();
    specs.sort();
    specs
}

fn plan_json(spec_path: &Path) -> String {
    let text = std::fs::read_to_string(spec_path).expect("fixture");
    let catalog_path = spec_path.with_extension("catalog.yaml");
    let catalog = match std::fs::read_to_string(&catalog_path) {
        Ok(catalog_text) => {
            let (catalog, diagnostics, _) = catalog::parse(&catalog_text);
            assert!(
                diagnostics.is_empty(),
                "{}: {diagnostics:?}",
                catalog_path.display()
            );
            catalog
        }
        Err(_) => catalog::demo().clone(),
    };
    let options = Options {
        today: Day::parse("2026-01-01").expect("day"),
    };
    let analysis = analyze(&text, &catalog, &options);
    analysis
        .plan
        .expect("a plan for every decoded spec")
        .to_json()
}

#[test]
fn plans_match_expected_files() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for spec in fixtures() {
        let actual = plan_json(&spec);
        let expected_path = spec.with_extension("plan.json");
        if update {
            std::fs::write(&expected_path, &actual).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{}\n--- expected\n{expected}\n--- actual\n{actual}",
                spec.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "plans differ (UPDATE_EXPECT=1 to accept):\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_plan_is_valid_json_with_the_contract_keys() {
    for spec in fixtures() {
        let value: serde_json::Value = serde_json::from_str(&plan_json(&spec)).expect("valid JSON");
        for key in [
            "feed_days",
            "emr_steps",
            "emr_waves",
            "replay_messages",
            "replay_batches",
            "first_day",
            "last_day",
            "feeds",
        ] {
            assert!(
                value["summary"].get(key).is_some(),
                "{}: summary.{key}",
                spec.display()
            );
        }
        for wave in value["emr"]["waves"].as_array().expect("waves") {
            let steps = wave.as_array().expect("wave");
            assert!(!steps.is_empty() && steps.len() <= 256);
            for step in steps {
                assert_eq!(step["HadoopJarStep"]["Jar"], "command-runner.jar");
                assert!(step["Name"].is_string() && step["ActionOnFailure"].is_string());
            }
        }
        for batch in value["replay"]["batches"].as_array().expect("batches") {
            let entries = batch.as_array().expect("batch");
            assert!(!entries.is_empty() && entries.len() <= 10);
            for entry in entries {
                let body: serde_json::Value =
                    serde_json::from_str(entry["MessageBody"].as_str().expect("body"))
                        .expect("body is JSON");
                assert!(body.is_object());
            }
        }
    }
}

/// Random specs over random catalogs, checked against a naive expansion (a map from
/// (day, feed, target) to hours, built the obvious way) and against the AWS limits.
mod invariants {
    use std::collections::{BTreeMap, BTreeSet};

    use backfill_spec::plan::{self, Target};
    use backfill_spec::{Catalog, Day, Entry, Feeds, HourSet, Spec};

    use super::common::Rng;

    const NAMES: &[&str] = &["a", "b", "c", "d", "e", "zz"];
    const BASE: i32 = 19_000; // 2022-01-08

    fn day_text(rng: &mut Rng) -> String {
        match rng.below(12) {
            0 => "2022-02-30".into(),
            1 => "garbage".into(),
            _ => Day::EPOCH
                .plus_days(BASE + rng.below(40) as i32)
                .to_string(),
        }
    }

    fn item(rng: &mut Rng) -> String {
        if rng.below(3) == 0 {
            format!("{}..{}", day_text(rng), day_text(rng))
        } else {
            day_text(rng)
        }
    }

    fn random_catalog(rng: &mut Rng) -> Catalog {
        let mut catalog = backfill_spec::catalog::demo().clone();
        catalog.feeds = NAMES[..5]
            .iter()
            .map(|n| backfill_spec::CatalogFeed {
                name: (*n).into(),
                since: Day::EPOCH.plus_days(BASE + rng.below(30) as i32),
                replay: true,
                hourly: true,
                aliases: Vec::new(),
            })
            .collect();
        catalog.emr.max_days_per_step = 1 + rng.below(5) as u32;
        if catalog.emr.max_days_per_step > 1 {
            catalog.emr.step_name = "backfill {feed} {start}..{end}".into();
        }
        catalog
    }

    fn random_spec(rng: &mut Rng) -> Spec {
        let entries = (0..1 + rng.below(5))
            .map(|_| Entry {
                feeds: if rng.below(4) == 0 {
                    Feeds::All
                } else {
                    Feeds::List(
                        (0..rng.below(4))
                            .map(|_| NAMES[rng.below(NAMES.len())].into())
                            .collect(),
                    )
                },
                dates: (0..rng.below(4)).map(|_| item(rng)).collect(),
                except: (0..rng.below(3)).map(|_| item(rng)).collect(),
                hours: (0..rng.below(3))
                    .map(|_| match rng.below(3) {
                        0 => rng.below(26).to_string(),
                        1 => format!("{}-{}", rng.below(24), rng.below(24)),
                        _ => "x".into(),
                    })
                    .collect(),
                target: [None, Some("emr"), Some("replay"), Some("nope")][rng.below(4)]
                    .map(String::from),
                note: None,
            })
            .collect();
        Spec {
            name: "r".into(),
            reason: "r".into(),
            backfills: entries,
            ..Spec::default()
        }
    }

    fn days(items: &[String]) -> BTreeSet<Day> {
        let mut set = BTreeSet::new();
        for text in items {
            let (a, b) = text.split_once("..").unwrap_or((text, text));
            if let (Ok(a), Ok(b)) = (Day::parse(a), Day::parse(b)) {
                set.extend((0..=b.days_since(a)).map(|i| a.plus_days(i)));
            }
        }
        set
    }

    fn hours(items: &[String]) -> Option<HourSet> {
        if items.is_empty() {
            return Some(HourSet::FULL);
        }
        let mut set = HourSet::default();
        for text in items {
            let (a, b) = text.split_once('-').unwrap_or((text, text));
            if let (Ok(a), Ok(b)) = (a.parse::<u8>(), b.parse::<u8>())
                && a <= b
                && b < 24
            {
                set.insert_range(a, b);
            }
        }
        (!set.is_empty()).then_some(set)
    }

    fn naive(spec: &Spec, catalog: &Catalog) -> BTreeMap<(Day, String, Target), HourSet> {
        let mut out: BTreeMap<(Day, String, Target), HourSet> = BTreeMap::new();
        for e in &spec.backfills {
            let Some(target) = Target::parse(e.target.as_deref().unwrap_or("emr")) else {
                continue;
            };
            let Some(h) = hours(&e.hours) else { continue };
            let except = days(&e.except);
            for day in days(&e.dates).difference(&except) {
                for f in &catalog.feeds {
                    let named = match &e.feeds {
                        Feeds::All => true,
                        Feeds::List(names) => names.contains(&f.name),
                    };
                    if named && f.since <= *day {
                        let slot = out.entry((*day, f.name.clone(), target)).or_default();
                        *slot = slot.union(h);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn random_plans_match_a_naive_expansion_and_respect_the_limits() {
        let mut rng = Rng(0x5eed);
        for case in 0..3_000 {
            let catalog = random_catalog(&mut rng);
            let spec = random_spec(&mut rng);
            let plan = plan::build(&spec, &catalog);
            let got: BTreeMap<(Day, String, Target), HourSet> = plan
                .units
                .iter()
                .map(|u| {
                    (
                        (u.day, plan.feeds[u.feed as usize].clone(), u.target),
                        u.hours,
                    )
                })
                .collect();
            assert_eq!(got.len(), plan.units.len(), "case {case}: units not unique");
            assert_eq!(got, naive(&spec, &catalog), "case {case}: {spec:?}");
            let keys: Vec<_> = plan
                .units
                .iter()
                .map(|u| (u.day, u.feed, u.target))
                .collect();
            assert!(
                keys.windows(2).all(|w| w[0] < w[1]),
                "case {case}: units not sorted"
            );

            let max_days = catalog.emr.max_days_per_step as i32;
            let emr_units = plan
                .units
                .iter()
                .filter(|u| u.target == Target::Emr)
                .count();
            let covered: i32 = plan
                .emr
                .steps
                .iter()
                .map(|s| s.end.days_since(s.start) + 1)
                .sum();
            assert_eq!(
                covered as usize, emr_units,
                "case {case}: steps cover the EMR units"
            );
            assert!(
                plan.emr
                    .steps
                    .iter()
                    .all(|s| s.start <= s.end && s.end.days_since(s.start) < max_days)
            );
            let starts: Vec<_> = plan.emr.steps.iter().map(|s| (s.start, s.feed)).collect();
            assert!(
                starts.windows(2).all(|w| w[0] < w[1]),
                "case {case}: steps not sorted"
            );
            let waves: Vec<usize> = plan.emr.waves().map(|w| w.len()).collect();
            assert!(waves.iter().all(|&n| (1..=256).contains(&n)));
            assert_eq!(waves.iter().sum::<usize>(), plan.emr.steps.len());

            let replay_units = plan.units.len() - emr_units;
            let batches: Vec<usize> = plan.replay.batches().map(|b| b.len()).collect();
            assert!(batches.iter().all(|&n| (1..=10).contains(&n)));
            assert_eq!(batches.iter().sum::<usize>(), replay_units);
            assert_eq!(plan.summary.feed_days, plan.units.len());
            let json: serde_json::Value = serde_json::from_str(&plan.to_json()).expect("plan JSON");
            assert_eq!(json["summary"]["emr_steps"], plan.emr.steps.len());
        }
    }
}
