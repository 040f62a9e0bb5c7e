//! Shared by the integration tests: docs/spec-format.md's example spec built in Rust, so the emit
//! tests do not depend on the parser they are checking against, and the small deterministic
//! random generator the property tests draw from.

#![allow(dead_code)]

use backfill_spec::{Defaults, EmrOverrides, Entry, Feeds, ManagedScaling, Spec};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn product_example() -> Spec {
    Spec {
        version: Some(1),
        name: "clicks-recon-2022-08".into(),
        reason: "silver/gold mismatch for clicks (INC-4821)".into(),
        requested_by: Some("oncall@example.com".into()),
        ticket: Some("INC-4821".into()),
        notify: Vec::new(),
        defaults: Defaults {
            target: Some("emr".into()),
        },
        backfills: vec![
            Entry {
                feeds: Feeds::All,
                dates: strings(&["2022-08-10"]),
                ..Entry::default()
            },
            Entry {
                feeds: Feeds::List(strings(&["clicks", "impressions"])),
                dates: strings(&["2022-08-11"]),
                ..Entry::default()
            },
            Entry {
                feeds: Feeds::List(strings(&["clicks"])),
                dates: strings(&["2022-07-01..2022-07-31"]),
                except: strings(&["2022-07-04"]),
                note: Some("apply schema v42".into()),
                ..Entry::default()
            },
            Entry {
                feeds: Feeds::List(strings(&["orders"])),
                dates: strings(&["2022-06-03", "2022-06-09", "2022-06-20..2022-06-22"]),
                target: Some("replay".into()),
                ..Entry::default()
            },
            Entry {
                feeds: Feeds::List(strings(&["sessions"])),
                dates: strings(&["2022-08-12"]),
                hours: strings(&["0-11"]),
                ..Entry::default()
            },
        ],
        emr: Some(EmrOverrides {
            action_on_failure: Some("CONTINUE".into()),
            step_concurrency: Some(4),
            instance_type: Some("m6g.2xlarge".into()),
            managed_scaling: Some(ManagedScaling {
                unit_type: Some("Instances".into()),
                min_units: Some(2),
                max_units: Some(40),
            }),
            tags: vec![("team".into(), "data-platform".into())],
        }),
    }
}

/// xorshift64*: small, deterministic on every machine, good enough to draw random specs.
/// The seed must not be 0.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}
