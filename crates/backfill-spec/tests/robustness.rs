//! Hostile and arbitrary input: our stand-in for fuzzing on a stable toolchain (the cargo-fuzz
//! target in `fuzz/` runs the same check for whoever has nightly).
//!
//! Every input goes through `analyze` and `catalog::parse`, and their findings through the
//! text and JSON reports (and the decoded spec through `emit`). Nothing may panic, every
//! diagnostic must have a span on character boundaries inside the text, and each input must
//! finish in bounded time. Inputs: alias bombs, 10,000-deep nesting, multi-megabyte texts,
//! random bytes, and random mutations of the lint fixtures, all from a fixed-seed PRNG so a
//! failure reproduces. `ROBUSTNESS_CASES=N` raises the number of random cases.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use backfill_spec::{Day, Options, analyze, catalog, emit, report};

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

fn hostile() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    let laughs = |n: usize| {
        let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..n {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        s
    };
    v.push(("billion laughs".into(), laughs(10)));
    v.push(("billion laughs, 30 levels".into(), laughs(30)));
    let mut merge = String::from("b0: &b0 {x: 1, y: 2}\n");
    for i in 1..20 {
        merge.push_str(&format!(
            "b{i}: &b{i}\n  <<: [*b{p}, *b{p}, *b{p}, *b{p}]\n  k{i}: v\n",
            p = i - 1
        ));
    }
    v.push(("merge-key bomb".into(), merge));
    let mut keys = String::from("m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n");
    for i in 1..12 {
        let refs: Vec<String> = (0..8).map(|k| format!("k{k}: *m{}", i - 1)).collect();
        keys.push_str(&format!("m{i}: &m{i} {{{}}}\n", refs.join(", ")));
    }
    v.push(("mapping bomb".into(), keys));
    v.push((
        "10k-deep flow lists".into(),
        format!("backfills: {}{}", "[".repeat(10_000), "]".repeat(10_000)),
    ));
    v.push((
        "10k-deep flow maps".into(),
        format!("{}{}", "{a: ".repeat(10_000), "}".repeat(10_000)),
    ));
    v.push(("10k-deep block lists".into(), "- ".repeat(10_000) + "x\n"));
    v.push(("10k unclosed brackets".into(), "[".repeat(10_000)));
    let mut deep_block = String::new();
    for i in 0..2_000 {
        deep_block.push_str(&" ".repeat(i));
        deep_block.push_str("k:\n");
    }
    v.push(("2k-deep block maps".into(), deep_block));
    let entry = "  - feeds: [clicks, impressions]\n    dates: 2022-08-01..2022-08-10\n    except: [2022-08-04]\n";
    let mut big = String::from("version: 1\nname: big\nreason: many entries\nbackfills:\n");
    while big.len() < 3 << 20 {
        big.push_str(entry);
    }
    v.push(("3 MiB spec".into(), big));
    v.push(("9 MiB of text (over the limit)".into(), "x".repeat(9 << 20)));
    v.push((
        "3 MiB scalar".into(),
        format!("name: {}\n", "a".repeat(3 << 20)),
    ));
    v.push((
        "1 MiB one-line JSON".into(),
        format!("[{}1]", "1,".repeat(1 << 19)),
    ));
    v.push((
        "1 MiB unclosed quote".into(),
        format!("name: \"{}", "a ".repeat(1 << 19)),
    ));
    v.push(("1 MiB of one key".into(), "a: 1\n".repeat(200_000)));
    v.push(("1 MiB of comments".into(), "# c\n".repeat(250_000)));
    v.push((
        "1 MiB multi-byte".into(),
        format!(
            "name: {}\nbackfills: [{{feeds: [é😀], dates: 2022-02-30}}]\n",
            "é😀".repeat(150_000)
        ),
    ));
    v.push(("many documents".into(), "a: 1\n---\n".repeat(10_000)));
    v.push((
        "many anchors".into(),
        (0..50_000).map(|i| format!("k{i}: &a{i} [1]\n")).collect(),
    ));
    v.push((
        "100k entries lacking fields".into(),
        format!("backfills:\n{}", "- {x: 1}\n".repeat(100_000)),
    ));
    let feeds: Vec<String> = (0..400_000).map(|i| format!("f{i}")).collect();
    v.push((
        "400k feeds in one entry".into(),
        format!(
            "backfills:\n- dates: 2022-08-10\n  feeds: [{}]\n",
            feeds.join(",")
        ),
    ));
    let tags: Vec<String> = (0..100_000).map(|i| format!("k{i}: v")).collect();
    v.push((
        "100k tags".into(),
        format!("emr:\n  tags: {{{}}}\n", tags.join(", ")),
    ));
    let days: Vec<String> = (0..20_000)
        .map(|i| format!("{}", Day(18_000 + i)))
        .collect();
    let mut dup = format!(
        "backfills:\n- feeds: [clicks]\n  dates: [{}]\n",
        days.join(", ")
    );
    dup.push_str(&"- {feeds: [clicks], dates: 2019-04-13}\n".repeat(5_000));
    v.push(("5k entries repeating one of 20k days".into(), dup));
    let items = vec!["1"; 50_000].join(",");
    let aliases = vec!["*a"; 100_000].join(",");
    v.push((
        "100k aliases of a 50k-item list".into(),
        format!("a: &a [{items}]\nb: [{aliases}]\n"),
    ));
    v.push(("huge date range".into(), "version: 1\nname: x\nreason: y\nbackfills:\n  - {feeds: all, dates: 1000-01-01..9999-12-31}\n".into()));
    v
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
        let (broken_catalog, catalog_diags, _) = catalog::parse(text);
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
        // What the CLI and the app do next must not break either.
        std::hint::black_box(report::text("f", text, &analysis.diagnostics, true));
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
    for (label, text) in hostile() {
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
