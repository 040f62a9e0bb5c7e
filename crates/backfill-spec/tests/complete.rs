//! Completion, data-driven: each case is a text with `|` where the caret is, and the labels
//! offered there (against the demo catalog), with the partial word they replace.

use backfill_spec::catalog;
use backfill_spec::complete::complete;

fn offered(marked: &str) -> Option<(String, Vec<String>)> {
    let caret = marked.find('|').unwrap();
    let text = marked.replace('|', "");
    let c = complete(&text, caret, catalog::demo())?;
    Some((
        text[c.span.start..c.span.end].to_owned(),
        c.items.into_iter().map(|i| i.label).collect(),
    ))
}

fn labels(list: &str) -> Vec<String> {
    list.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn completion_offers_what_the_place_takes() {
    let all_feeds = "clicks impressions conversions pageviews orders refunds sessions payments";
    let cases: &[(&str, &str, &str)] = &[
        // Feeds in a flow list, in a block list, as a scalar.
        (
            "backfills:\n  - feeds: [clicks, im|]\n",
            "im",
            "impressions",
        ),
        ("backfills:\n  - feeds: [|\n", "", all_feeds),
        (
            "backfills:\n  - dates: \"2022-08-10\"\n    feeds:\n      - cl|\n",
            "cl",
            "clicks",
        ),
        ("backfills:\n- feeds:\n  - re|fu\n", "refu", "refunds"),
        ("backfills:\n  - feeds: or|\n", "or", "orders"),
        // Keys of an entry: those not written yet.
        ("backfills:\n  - feeds: [clicks]\n    d|\n", "d", "dates"),
        (
            "backfills:\n  - feeds: [clicks]\n    |\n    dates: x\n",
            "",
            "except hours target note",
        ),
        (
            "backfills:\n  - |\n",
            "",
            "feeds dates except hours target note",
        ),
        // Keys of the spec, of emr and of managed_scaling.
        ("version: 1\nna|\n", "na", "name"),
        (
            "emr:\n  step_concurrency: 2\n  managed_scaling:\n    m|\n",
            "m",
            "min_units max_units",
        ),
        ("emr:\n  in|\n", "in", "instance_type"),
        // Targets, in an entry and in defaults.
        (
            "backfills:\n  - feeds: [orders]\n    target: r|\n",
            "r",
            "replay",
        ),
        ("defaults:\n  target: |\n", "", "emr replay"),
    ];
    let mut failures = Vec::new();
    for (marked, word, expected) in cases {
        let got = offered(marked);
        let want = Some(((*word).to_owned(), labels(expected)));
        if got != want {
            failures.push(format!("{marked:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nothing_is_offered_where_nothing_fits() {
    for marked in [
        "name: cl|",
        "backfills:\n  - dates: 2022-|\n",
        "# feeds: [cl|\n",
        "backfills:\n  - feeds: [zz|]\n",
        "reason: \"text |\"",
    ] {
        assert_eq!(offered(marked), None, "{marked:?}");
    }
}

#[test]
fn any_caret_in_any_text_is_safe() {
    let text =
        "version: 1\nname: é-x\nbackfills:\n  - feeds: [clicks, \"im\n    dates: [\n- - :\n\t: x\n";
    for caret in 0..=text.len() + 2 {
        let _ = complete(text, caret, catalog::demo());
    }
}
