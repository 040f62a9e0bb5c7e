//! Hostile and arbitrary input: our stand-in for fuzzing on a stable toolchain (the cargo-fuzz
//! target in `fuzz/` runs the same check for whoever has nightly).
//!
//! Every input goes through `analyze` and `catalog::parse`, and their findings through the
//! text and JSON reports (and the decoded spec through `emit`). Nothing may panic, every
//! diagnostic must have a span on character boundaries inside the text, and each input must
//! finish in bounded time. Inputs: the generated hostile shapes (benches/support/hostile.rs:
//! alias bombs by nodes and by bytes, 100,000-deep nesting, multi-megabyte texts, quadratic
//! expansion shapes, NUL, BOM and CRLF), the fuzz target's committed seed corpus
//! (fuzz/seeds), random bytes, and random mutations of the lint fixtures, all from a
//! fixed-seed PRNG so a failure reproduces. `ROBUSTNESS_CASES=N` raises the number of random
//! cases.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use backfill_spec::{Day, Options, analyze, catalog, emit, report};

#[path = "../benches/support/hostile.rs"]
mod hostile;

/// splitmix64: small, fast, good enough to drive mutations, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Characters that steer a YAML parser, plus a few that stress spans (multi-byte).
const SPICE: &[&str] = &[
    "[", "]", "{", "}", ":", ": ", ",", "-", "- ", "#", "&a ", "*a", "!", "!!str ", "|", ">", "'",
    "\"", "\n", "\t", " ", "?", "%", "@", "`", "<<: *a", "---\n", "...\n", "\\", "..", "é", "😀",
    "\u{feff}", "\r\n", "0", "9", "2022-",
];

fn mutate(rng: &mut Rng, base: &str) -> String {
    let mut bytes = base.as_bytes().to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => {
                let s = SPICE[rng.below(SPICE.len())];
                bytes.splice(at..at, s.bytes());
            }
            1 => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 if at < bytes.len() => bytes[at] = (rng.next() & 0xFF) as u8,
            3 => {
                // Duplicate a stretch: repeated keys, entries and brackets.
                let end = (at + rng.below(64)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy);
            }
            4 if at < bytes.len() => bytes[at] = b"0123456789"[rng.below(10)],
            _ => {
                let s = SPICE[rng.below(SPICE.len())];
                let n = rng.below(40);
                let filler: Vec<u8> = s.bytes().cycle().take(s.len() * n).collect();
                bytes.splice(at..at, filler);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn random_text(rng: &mut Rng) -> String {
    let len = rng.below(512);
    let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xFF) as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The committed seed corpus of the fuzz target (crates/backfill-spec/fuzz/seeds): bytes,
/// read as the target reads them.
fn seeds() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut paths: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "the seed corpus is missing");
    paths
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            let name = format!("seed {}", p.file_name().unwrap().to_string_lossy());
            (name, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

fn fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let mut texts = Vec::new();
    for sub in [dir.clone(), dir.join("catalog")] {
        let mut paths: Vec<_> = fs::read_dir(sub)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for p in paths {
            if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            ) {
                texts.push(fs::read_to_string(p).unwrap());
            }
        }
    }
    texts.push(catalog::DEMO_YAML.to_owned());
    texts
}

/// A spec with every kind of entry, analysed against each catalog the inputs yield.
const SPEC_FOR_CATALOGS: &str = "version: 1\nname: c\nreason: catalogs\nbackfills:\n\
  - {feeds: all, dates: 2022-08-01..2022-08-03}\n\
  - {feeds: [clicks, events, orders], dates: 2022-08-04, hours: 0-5}\n\
  - {feeds: [orders], dates: 2022-08-05, target: replay}\n";

/// Runs one input; returns its duration, or what went wrong.
fn run(text: &str) -> Result<Duration, String> {
    let options = Options {
        today: Day::parse("2022-09-01").unwrap(),
    };
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let analysis = analyze(text, catalog::demo(), &options);
        let (broken_catalog, catalog_diags, catalog_totals) = catalog::parse(text);
        // No error is lost on the way to the list shown.
        let shows_error = |ds: &[backfill_spec::Diagnostic]| {
            ds.iter()
                .any(|d| d.severity == backfill_spec::Severity::Error)
        };
        if (analysis.totals.errors > 0) != shows_error(&analysis.diagnostics)
            || (catalog_totals.errors > 0) != shows_error(&catalog_diags)
        {
            return Err("an error was counted but not shown, or shown but not counted".into());
        }
        // Whatever the catalog text was, what it yields must plan a spec without trouble.
        let with_it = analyze(SPEC_FOR_CATALOGS, &broken_catalog, &options);
        if let Some(plan) = &with_it.plan {
            for i in 0..plan.emr.steps.len().min(3) {
                std::hint::black_box(plan.emr.step(i));
            }
        }
        for d in analysis.diagnostics.iter().chain(&catalog_diags) {
            let ok = d.span.start <= d.span.end
                && d.span.end <= text.len()
                && text.is_char_boundary(d.span.start)
                && text.is_char_boundary(d.span.end);
            if !ok {
                return Err(format!(
                    "{} has span {:?} in a text of {} bytes",
                    d.code,
                    d.span,
                    text.len()
                ));
            }
        }
        // What the CLI and the app do next must not break either: the report, the
        // highlighting.
        std::hint::black_box(report::text("f", text, &analysis.diagnostics, true));
        let mut last = 0;
        for t in backfill_spec::tokens::tokens(text) {
            if t.span.start < last || text.get(t.span.start..t.span.end).is_none() {
                return Err(format!("token {t:?} overlaps or cuts a character"));
            }
            last = t.span.end;
        }
        std::hint::black_box(report::json(text, &catalog_diags));
        if let Some(spec) = &analysis.spec {
            std::hint::black_box(emit::to_yaml(spec));
        }
        Ok(())
    }));
    match outcome {
        Ok(Ok(())) => Ok(start.elapsed()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("panicked".into()),
    }
}

/// Generous for a debug build on a shared machine; a release build is ~20 times faster.
const PER_INPUT: Duration = Duration::from_secs(20);

#[test]
fn hostile_and_random_input_never_panics_and_stays_bounded() {
    let cases: usize = std::env::var("ROBUSTNESS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000);
    let mut failures = Vec::new();
    let mut count = 0usize;
    let mut slowest = (Duration::ZERO, String::new());
    let mut check = |label: String, text: &str| {
        count += 1;
        match run(text) {
            Ok(took) => {
                if took > slowest.0 {
                    slowest = (took, label.clone());
                }
                if took > PER_INPUT {
                    failures.push(format!("{label}: took {took:?}"));
                }
            }
            Err(e) => {
                let sample: String = text.chars().take(300).collect();
                failures.push(format!("{label}: {e}\n  input starts: {sample:?}"));
            }
        }
    };
    let generated = hostile::cases()
        .into_iter()
        .map(|(name, text)| (name.to_owned(), text));
    for (label, text) in generated.chain(seeds()) {
        let start = Instant::now();
        check(label.clone(), &text);
        eprintln!("  {label}: {} bytes, {:?}", text.len(), start.elapsed());
    }
    let mut rng = Rng(0x5EED_BAC4_F111);
    for i in 0..cases / 4 {
        let text = random_text(&mut rng);
        check(format!("random bytes #{i}"), &text);
    }
    let bases = fixtures();
    for i in 0..cases {
        let base = &bases[i % bases.len()];
        let text = mutate(&mut rng, base);
        check(
            format!("mutation #{i} of fixture {}", i % bases.len()),
            &text,
        );
    }
    eprintln!(
        "robustness: {count} inputs without a panic; slowest {:?} ({})",
        slowest.0, slowest.1
    );
    assert!(
        failures.is_empty(),
        "{} of {count} inputs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A catalog is deploy-time configuration, but a hostile one is bounded like a spec: 40,000
/// feeds (160,000 values, under the parser's limit), against a spec that names a thousand of them, a thousand unknown ones and thousands
/// of days before their `since`. Work that once was the product of the three (a "did you
/// mean" per unknown feed against every catalog feed, every feed for every date item) is
/// bounded now.
#[test]
fn a_hostile_catalog_is_bounded_like_a_spec() {
    let mut catalog_text = String::from("version: 1\nfeeds:\n");
    for i in 0..40_000 {
        catalog_text.push_str(&format!("  feed{i}: {{since: 2022-01-01}}\n"));
    }
    // The demo catalog's `emr`, `replay` and `upload`, after the feeds.
    let demo = catalog::DEMO_YAML;
    catalog_text.push_str(&demo[demo.find("\nemr:").expect("demo has emr")..]);
    let (catalog, diagnostics, totals) = catalog::parse(&catalog_text);
    assert_eq!(totals.errors, 0, "{diagnostics:#?}");
    assert_eq!(catalog.feeds.len(), 40_000);
    let known: Vec<String> = (0..1_000).map(|i| format!("feed{}", i * 37)).collect();
    let unknown: Vec<String> = (0..1_000).map(|i| format!("fed{}", i * 89)).collect();
    let days: Vec<String> = (0..5_000)
        .map(|i| format!("\"{}\"", Day::parse("2008-01-01").unwrap().plus_days(i)))
        .collect();
    let spec = format!(
        "version: 1\nname: big-catalog\nreason: hostile\nbackfills:\n  - feeds: [{}, {}]\n    dates: [{}]\n",
        known.join(", "),
        unknown.join(", "),
        days.join(", ")
    );
    let start = Instant::now();
    let analysis = analyze(
        &spec,
        &catalog,
        &Options {
            today: Day::parse("2026-11-30").unwrap(),
        },
    );
    let took = start.elapsed();
    assert!(analysis.totals.errors > 5_000, "{:?}", analysis.totals);
    assert!(took < PER_INPUT, "took {took:?}");
    eprintln!("  a 40,000-feed catalog against a hostile spec: {took:?}");
}
