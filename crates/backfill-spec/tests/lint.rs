//! Data-driven lint tests: every `tests/lint/*.yaml|json` is analysed against the demo
//! catalog (every `tests/lint/catalog/*` is linted as a catalog), and the whole rendered
//! output is compared with the `.expected` file beside it. `UPDATE_EXPECT=1 cargo test`
//! rewrites the expected files; review the diff.
//!
//! Every finding of every fixture is also checked for the invariants the app relies on: a
//! span inside the text that is not the whole document, a path, a documented kebab-case code.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use backfill_spec::{Day, Diagnostic, Options, analyze, catalog, report};

fn today() -> Day {
    Day::parse("2022-09-01").unwrap()
}

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    files.sort();
    files
}

fn render(name: &str, source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&report::text(name, source, std::slice::from_ref(d), true));
        writeln!(
            out,
            "  path: {}",
            if d.path.is_empty() { "(root)" } else { &d.path }
        )
        .unwrap();
    }
    writeln!(out, "-- {}", report::summary(diagnostics)).unwrap();
    out
}

fn documented_codes() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md"))
        .unwrap_or_default()
}

fn check_invariants(
    name: &str,
    source: &str,
    diagnostics: &[Diagnostic],
    docs: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    for d in diagnostics {
        let what = format!("{name}: {} {:?}", d.code, d.message);
        if d.span.end > source.len() || d.span.start > d.span.end {
            problems.push(format!("{what}: span {:?} outside the text", d.span));
        }
        let whole = d.span.start == 0 && d.span.end == source.len() && source.trim().len() > 40;
        if whole {
            problems.push(format!("{what}: points at the whole document"));
        }
        if !d.path.is_empty() && !d.path.starts_with('/') {
            problems.push(format!("{what}: path {:?} is not a pointer", d.path));
        }
        if d.code.is_empty()
            || !d
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            problems.push(format!("{what}: code is not kebab-case"));
        }
        if !docs.contains(&format!("### `{}`", d.code)) {
            problems.push(format!("{what}: code not documented in docs/rules.md"));
        }
        if d.message.is_empty() {
            problems.push(format!("{what}: empty message"));
        }
    }
    problems
}

fn compare(path: &Path, actual: &str, failures: &mut Vec<String>) {
    let expected_path = PathBuf::from(format!("{}.expected", path.display()));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(&expected_path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{} differs from {} (UPDATE_EXPECT=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display(),
            expected_path.display()
        ));
    }
}

#[test]
fn spec_fixtures_match_expected_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let docs = documented_codes();
    let mut failures = Vec::new();
    let files = fixtures(&dir);
    assert!(files.len() >= 20, "fixtures missing: {}", files.len());
    for path in &files {
        let source = fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let analysis = analyze(&source, catalog::demo(), &Options { today: today() });
        let mut out = render(name, &source, &analysis.diagnostics);
        match &analysis.plan {
            Some(p) => writeln!(
                out,
                "-- {:?}; plan: {} feed-days, {} EMR steps in {} waves, {} replay messages",
                analysis.kind,
                p.summary.feed_days,
                p.summary.emr_steps,
                p.summary.emr_waves,
                p.summary.replay_messages
            )
            .unwrap(),
            None => writeln!(out, "-- {:?}; no plan", analysis.kind).unwrap(),
        }
        failures.extend(check_invariants(
            name,
            &source,
            &analysis.diagnostics,
            &docs,
        ));
        compare(path, &out, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn catalog_fixtures_match_expected_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/catalog");
    let docs = documented_codes();
    let mut failures = Vec::new();
    for path in fixtures(&dir) {
        let source = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let (cat, diagnostics, _) = catalog::parse(&source);
        let mut out = render(name, &source, &diagnostics);
        let feeds: Vec<String> = cat
            .feeds
            .iter()
            .map(|f| match f.aliases.as_slice() {
                [] => format!("{}@{}", f.name, f.since),
                aliases => format!("{}@{} (aka {})", f.name, f.since, aliases.join(", ")),
            })
            .collect();
        writeln!(out, "-- feeds: {}", feeds.join(", ")).unwrap();
        writeln!(
            out,
            "-- emr: step_name {:?}, {} args, max_days_per_step {}, {} / concurrency {}",
            cat.emr.step_name,
            cat.emr.args.len(),
            cat.emr.max_days_per_step,
            cat.emr.defaults.action_on_failure,
            cat.emr.defaults.step_concurrency
        )
        .unwrap();
        if !cat.upload_allowed_hosts.is_empty() {
            let hosts = cat.upload_allowed_hosts.join(", ");
            writeln!(out, "-- upload: allowed hosts {hosts}").unwrap();
        }
        if let Some(url) = &cat.upload_presign {
            writeln!(out, "-- upload: presign {url}").unwrap();
        }
        failures.extend(check_invariants(name, &source, &diagnostics, &docs));
        compare(&path, &out, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_demo_catalog_lints_clean() {
    let (cat, diagnostics, _) = catalog::parse(catalog::DEMO_YAML);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(&cat, catalog::demo());
    assert!(cat.feeds.len() >= 8);
}

#[test]
fn findings_are_sorted_and_capped_after_being_counted() {
    let mut text = String::from("version: 1\nname: many\nreason: many\nbackfills:\n");
    for i in 0..600 {
        text.push_str(&format!("  - {{feeds: [nope{i}], dates: 2022-02-10}}\n"));
    }
    let analysis = analyze(&text, catalog::demo(), &Options { today: today() });
    let d = &analysis.diagnostics;
    assert_eq!(analysis.totals.errors, 600);
    assert_eq!(d.len(), backfill_spec::findings::MAX_SHOWN + 1);
    assert!(
        d[..d.len() - 1]
            .windows(2)
            .all(|w| (w[0].span, &w[0].code) <= (w[1].span, &w[1].code))
    );
    let last = d.last().unwrap();
    assert_eq!(last.code, "too-many-findings");
    assert_eq!(last.message, "and 101 more not shown (100 errors, 1 note)");
}

/// The shape that once showed "0 errors, 500 warnings" and an enabled Upload: hundreds of
/// warnings first, then errors, and a text that does not parse to the end.
#[test]
fn errors_after_hundreds_of_warnings_are_never_dropped() {
    let mut text = String::from("version: 1\nname: many\nreason: many\nbackfills:\n");
    text.push_str("  - feeds: [");
    text.push_str(&vec!["clicks"; 600].join(", "));
    text.push_str("]\n    dates: 2022-02-10\n");
    text.push_str("  - {feeds: [clikcs], dates: 2022-02-11}\n");
    text.push_str("  - {feeds: [clicks], dates: 2022-04-31}\n");
    text.push_str("  - {feeds: [clicks, dates: 2022-02-12}\n");
    let analysis = analyze(&text, catalog::demo(), &Options { today: today() });
    assert!(analysis.has_errors(), "{:?}", analysis.totals);
    assert!(analysis.totals.errors >= 3, "{:?}", analysis.totals);
    assert!(analysis.totals.warnings >= 599, "{:?}", analysis.totals);
    assert!(!analysis.read_whole);
    assert!(analysis.readable_spec().is_none());
    // The repeats are one finding with a count, so every error is in the list shown.
    assert!(
        analysis.diagnostics.len() < 20,
        "{:#?}",
        analysis.diagnostics
    );
    let shown_errors: usize = (analysis.diagnostics.iter())
        .filter(|d| d.severity == backfill_spec::Severity::Error)
        .map(|d| d.count)
        .sum();
    assert_eq!(shown_errors, analysis.totals.errors);
}

#[test]
fn input_kinds() {
    let o = Options { today: today() };
    let kind = |t: &str| analyze(t, catalog::demo(), &o).kind;
    assert_eq!(kind(""), backfill_spec::InputKind::Empty);
    assert_eq!(kind("# a comment\n"), backfill_spec::InputKind::Empty);
    assert_eq!(kind("version: 1\n"), backfill_spec::InputKind::Yaml);
    assert_eq!(
        kind("\u{feff} {\"version\": 1}"),
        backfill_spec::InputKind::Json
    );
    assert_eq!(
        kind("{\"spec\": {}, \"fingerprint\": \"x\"}"),
        backfill_spec::InputKind::UploadedObject
    );
}

#[test]
fn plan_limits_point_at_the_entry_and_huge_text_is_refused() {
    let long_name = format!("backfill {{feed}} {{date}} {}", "x".repeat(300));
    let long_arg = "y".repeat(11_000);
    let catalog_text = format!(
        "version: 1\nfeeds:\n  clicks: {{since: 2020-01-01}}\nemr:\n  step_name: \"{long_name}\"\n  \
         args: [run, \"{{feed}}\", \"{{date}}\", \"{long_arg}\"]\n  defaults: {{action_on_failure: CONTINUE, \
         step_concurrency: 1, instance_type: m6g.xlarge, managed_scaling: {{unit_type: Instances, \
         min_units: 1, max_units: 2}}}}\n"
    );
    let (cat, catalog_diagnostics, _) = catalog::parse(&catalog_text);
    assert!(catalog_diagnostics.is_empty(), "{catalog_diagnostics:?}");
    let spec = "version: 1\nname: x\nreason: long templates\nbackfills:\n  - feeds: [clicks]\n    dates: \"2022-08-10\"\n";
    let analysis = analyze(spec, &cat, &Options { today: today() });
    let found: Vec<(&str, &str, &str)> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_ref(),
                d.path.as_str(),
                &spec[d.span.start..d.span.end],
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("emr-step-name-too-long", "/backfills/0/feeds", "[clicks]"),
            ("emr-step-too-long", "/backfills/0/feeds", "[clicks]"),
        ]
    );

    let huge = "#".repeat(backfill_spec::yaml::MAX_INPUT_BYTES + 1);
    let analysis = analyze(&huge, catalog::demo(), &Options { today: today() });
    assert_eq!(analysis.diagnostics.len(), 1);
    assert_eq!(analysis.diagnostics[0].code, "input-too-large");
    assert!(analysis.diagnostics[0].span.start > 0);
}
