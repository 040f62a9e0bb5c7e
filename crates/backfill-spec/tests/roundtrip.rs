//! parse(print(spec)) == spec, for YAML and JSON, over random specs.
//!
//! A small deterministic PRNG (xorshift64*) generates specs whose strings are built from the
//! characters and words that break printers: quotes, backslashes, line breaks (including
//! NEL and U+2028, which YAML 1.1 folds), control characters, the byte-order mark, YAML
//! indicators, and words YAML readers turn into something else (`no`, `on`, `~`, `0x1F`,
//! dates). Seeded, so a failure reproduces; `ROUNDTRIP_CASES` raises the count.

mod common;

use backfill_spec::{
    Day, Defaults, EmrOverrides, Entry, Feeds, ManagedScaling, Options, Spec, analyze, catalog,
    emit,
};

use common::Rng;

const WORDS: &[&str] = &[
    "",
    " ",
    "clicks",
    "orders",
    "no",
    "on",
    "yes",
    "off",
    "y",
    "n",
    "true",
    "null",
    "~",
    "1",
    "0x1F",
    "1e3",
    "-",
    "2022-08-10",
    "2022-07-01..2022-07-31",
    "0-11",
    "all",
    "- a",
    "? x",
    "&a",
    "*a",
    "!tag",
    "%YAML",
    "@",
    "`",
    "a: b",
    "a #b",
    "[x]",
    "{x}",
    "'",
    "\"",
    "...",
    "---",
];
const CHARS: &[&str] = &[
    "a", "Z", "0", "-", " ", "\"", "\\", "\n", "\r", "\t", "é", "😀", "\u{85}", "\u{2028}",
    "\u{2029}", "\u{1}", "\u{7f}", "\u{feff}", "\u{a0}", ":", "#", "{", "}", "[", "]", ",", "'",
    "&", "*", "!", "|", ">", "%", "@",
];

fn text(rng: &mut Rng) -> String {
    if rng.chance(50) {
        return rng.pick(WORDS).to_owned();
    }
    (0..rng.below(12)).map(|_| rng.pick(CHARS)).collect()
}

fn texts(rng: &mut Rng, max: usize) -> Vec<String> {
    (0..rng.below(max + 1)).map(|_| text(rng)).collect()
}

fn opt_text(rng: &mut Rng) -> Option<String> {
    rng.chance(50).then(|| text(rng))
}

fn int(rng: &mut Rng) -> i64 {
    match rng.below(4) {
        0 => 1,
        1 => rng.below(300) as i64,
        2 => -(rng.below(10) as i64),
        _ => i64::MAX - rng.below(2) as i64,
    }
}

fn hour(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => rng.below(30).to_string(),
        1 => format!("{}-{}", rng.below(24), rng.below(24)),
        2 => format!("0{}", rng.below(10)),
        _ => text(rng),
    }
}

fn entry(rng: &mut Rng) -> Entry {
    Entry {
        feeds: if rng.chance(20) {
            Feeds::All
        } else {
            // `["all"]` is a list naming a feed `all` (an error, but it must survive a round
            // trip as written), distinct from the keyword `feeds: all`.
            Feeds::List(texts(rng, 3))
        },
        dates: texts(rng, 3),
        except: texts(rng, 2),
        hours: (0..rng.below(3)).map(|_| hour(rng)).collect(),
        target: opt_text(rng),
        note: opt_text(rng),
    }
}

fn spec(rng: &mut Rng) -> Spec {
    let emr = rng.chance(50).then(|| {
        let mut tags: Vec<(String, String)> = Vec::new();
        for _ in 0..rng.below(3) {
            let key = text(rng);
            if !tags.iter().any(|(k, _)| *k == key) {
                tags.push((key, text(rng)));
            }
        }
        EmrOverrides {
            action_on_failure: opt_text(rng),
            step_concurrency: rng.chance(50).then(|| int(rng)),
            instance_type: opt_text(rng),
            managed_scaling: rng.chance(50).then(|| ManagedScaling {
                unit_type: opt_text(rng),
                min_units: rng.chance(50).then(|| int(rng)),
                max_units: rng.chance(50).then(|| int(rng)),
            }),
            tags,
        }
    });
    Spec {
        version: if rng.chance(80) {
            Some(1)
        } else {
            rng.chance(50).then(|| int(rng))
        },
        name: text(rng),
        reason: text(rng),
        requested_by: opt_text(rng),
        ticket: opt_text(rng),
        notify: (0..rng.below(3)).map(|_| text(rng)).collect(),
        defaults: Defaults {
            target: opt_text(rng),
        },
        backfills: (0..rng.below(4)).map(|_| entry(rng)).collect(),
        emr,
    }
}

const SYNTAX_CODES: &[&str] = &[
    "syntax-error",
    "duplicate-key",
    "multiple-documents",
    "complex-key",
    "alias-limit",
    "empty-document",
];

/// Reads a printed spec back the way the app and the CLI do: through `analyze`.
fn read_back(text: &str) -> Spec {
    let options = Options {
        today: Day::parse("2026-01-01").expect("day"),
    };
    let analysis = analyze(text, catalog::demo(), &options);
    // Whatever the rules say of the content, the text itself must read without complaint.
    let syntax: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| SYNTAX_CODES.contains(&d.code.as_ref()))
        .collect();
    assert!(
        syntax.is_empty(),
        "syntax diagnostics {syntax:?} in\n{text}"
    );
    analysis
        .spec
        .unwrap_or_else(|| panic!("no spec read from\n{text}"))
}

fn cases() -> u64 {
    std::env::var("ROUNDTRIP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

#[test]
fn yaml_round_trips() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..cases() {
        let original = spec(&mut rng);
        let printed = emit::to_yaml(&original);
        assert_eq!(
            read_back(&printed),
            original,
            "case {case}, printed:\n{printed}"
        );
    }
}

#[test]
fn json_round_trips() {
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    for case in 0..cases() {
        let original = spec(&mut rng);
        for printed in [emit::to_json(&original), emit::canonical_json(&original)] {
            assert_eq!(
                read_back(&printed),
                original,
                "case {case}, printed:\n{printed}"
            );
            let value: serde_json::Value = serde_json::from_str(&printed).expect("valid JSON");
            assert!(value.is_object());
        }
    }
}

#[test]
fn printing_is_stable() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let original = spec(&mut rng);
        let yaml = emit::to_yaml(&original);
        assert_eq!(emit::to_yaml(&read_back(&yaml)), yaml);
    }
}

#[test]
fn uploaded_objects_read_back_with_a_matching_fingerprint() {
    let mut rng = Rng(7);
    let options = Options {
        today: Day::parse("2026-01-01").expect("day"),
    };
    for case in 0..200 {
        let original = spec(&mut rng);
        let plan = backfill_spec::plan::build(&original, catalog::demo());
        let object =
            backfill_spec::object::uploaded_object(&original, &plan, "2026-01-01T00:00:00Z");
        let value: serde_json::Value = serde_json::from_str(&object).expect("valid JSON");
        assert_eq!(value["fingerprint"], emit::fingerprint(&original));
        let analysis = analyze(&object, catalog::demo(), &options);
        assert_eq!(
            analysis.kind,
            backfill_spec::InputKind::UploadedObject,
            "case {case}"
        );
        assert_eq!(analysis.spec.as_ref(), Some(&original), "case {case}");
        assert!(
            !analysis
                .diagnostics
                .iter()
                .any(|d| d.code.contains("fingerprint")),
            "case {case}: {:?}",
            analysis.diagnostics
        );
    }
}

/// With ROUNDTRIP_DUMP_DIR set, writes random specs as YAML/JSON pairs there, for
/// scripts/check-yaml-with-pyyaml.sh to check that PyYAML reads the YAML as exactly the JSON
/// (strings stay strings). Without it, does nothing.
#[test]
fn dump_pairs_for_pyyaml() {
    let Some(dir) = std::env::var_os("ROUNDTRIP_DUMP_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("dump dir");
    let mut rng = Rng(0x0bad_cafe);
    for case in 0..cases() {
        let spec = spec(&mut rng);
        std::fs::write(dir.join(format!("{case}.yaml")), emit::to_yaml(&spec)).expect("write");
        std::fs::write(dir.join(format!("{case}.json")), emit::to_json(&spec)).expect("write");
    }
}
