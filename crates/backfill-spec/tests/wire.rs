//! The lint worker's messages (`wire`): for every spec fixture, what the page reads from the
//! worker's answer is the analysis the page would have made itself, plan included; and no
//! damaged message makes either side panic.

use std::fs;
use std::path::{Path, PathBuf};

use backfill_spec::{Analysis, Catalog, Day, Options, analyze, catalog, wire};

fn today() -> Day {
    Day::parse("2022-09-01").unwrap()
}

/// Every spec fixture of the lint and plan tests, with the catalog text it goes with (the
/// plan fixtures' `<name>.catalog.yaml`, else the demo catalog).
fn cases() -> Vec<(PathBuf, Option<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut cases = Vec::new();
    for dir in ["lint", "plan"] {
        for entry in fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if !(name.ends_with(".yaml") || name.ends_with(".json")) || name.contains(".catalog.") {
                continue;
            }
            let stem = name.trim_end_matches(".yaml").trim_end_matches(".json");
            let catalog = fs::read_to_string(path.with_file_name(format!("{stem}.catalog.yaml")));
            cases.push((path, catalog.ok()));
        }
    }
    cases.sort();
    assert!(cases.len() > 50, "fixtures found: {}", cases.len());
    cases
}

fn same(got: &Analysis, want: &Analysis, what: &str) {
    assert_eq!(got.kind, want.kind, "{what}: kind");
    assert_eq!(got.spec, want.spec, "{what}: spec");
    assert_eq!(got.diagnostics, want.diagnostics, "{what}: diagnostics");
    assert_eq!(got.plan, want.plan, "{what}: plan");
}

#[test]
fn the_page_reads_the_analysis_it_would_have_made() {
    for (path, catalog_text) in cases() {
        let text = fs::read_to_string(&path).unwrap();
        let catalog: Catalog = match &catalog_text {
            Some(c) => catalog::parse(c).0,
            None => catalog::demo().clone(),
        };
        let want = analyze(&text, &catalog, &Options { today: today() });
        let answer = wire::answer(&wire::request(today(), catalog_text.as_deref(), &text));
        let got = wire::read_answer(&answer, &catalog).expect("a whole answer");
        same(&got, &want, &path.display().to_string());
    }
}

#[test]
fn empty_texts_and_every_kind_of_input_cross_over() {
    let spec = "version: 1\nname: x\nreason: \"y\"\nbackfills:\n  - feeds: all\n    dates: \"2022-08-10\"\n";
    let json = r#"{"version": 1, "name": "x", "reason": "y", "backfills": [{"feeds": ["clicks", "ghost"], "dates": ["2022-08-10"]}]}"#;
    for text in [
        "",
        "# only a comment\n",
        "[1, 2]",
        "a: [",
        spec,
        json,
        "naïve: \"é\"\n",
    ] {
        let want = analyze(text, catalog::demo(), &Options { today: today() });
        let answer = wire::answer(&wire::request(today(), None, text));
        let got = wire::read_answer(&answer, catalog::demo()).expect("a whole answer");
        same(&got, &want, text);
    }
}

#[test]
fn damaged_messages_are_refused_without_a_panic() {
    // A spec, its plan and findings with hints: every part of an answer is there to damage.
    let text = "version: 1\nname: x\nbackfills:\n  - feeds: [clickz, clicks]\n    dates: \"2022-08-10\"\n  - feeds: [clicks]\n    dates: [\"2022-08-10\"]\n";
    let request = wire::request(today(), None, text);
    let answer = wire::answer(&request);
    let whole = wire::read_answer(&answer, catalog::demo()).expect("a whole answer");
    assert!(whole.diagnostics.len() >= 3 && whole.plan.is_some());
    for cut in 0..answer.len() {
        assert!(
            wire::read_answer(&answer[..cut], catalog::demo()).is_none(),
            "a cut at {cut} was read as whole"
        );
        assert!(wire::answer(&request[..cut.min(request.len() - 1)]).is_empty());
    }
    let mut longer = answer.clone();
    longer.push(0);
    assert!(wire::read_answer(&longer, catalog::demo()).is_none());
    // Flipped bytes: refused or read, never a panic.
    for i in 0..answer.len() {
        let mut flipped = answer.clone();
        flipped[i] ^= 0xa5;
        let _ = wire::read_answer(&flipped, catalog::demo());
    }
}
