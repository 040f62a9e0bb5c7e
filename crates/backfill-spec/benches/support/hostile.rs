//! Hostile inputs, generated: the shapes that once broke a bound (issue 9's list) and the
//! classics of YAML abuse. One list for the robustness test (tests/robustness.rs: no panic,
//! spans on character boundaries, bounded time) and for the hostile-input benchmark
//! (`cargo bench -p backfill-spec --bench bench -- --print hostile:NAME`, timed by
//! scripts/bench-hostile.sh against the release CLI). Each is a spec text; the largest stay
//! under the CLI's and the parser's size limits except the one that tests that limit.

use backfill_spec::Day;

/// (name, text), in a fixed order.
pub fn cases() -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = Vec::new();
    let head = "version: 1\nname: hostile\nreason: hostile input\nbackfills:\n";

    // The trust case: hundreds of repeats first, then errors that a cap once threw away.
    let mut t = head.to_owned();
    t.push_str("  - feeds: [");
    t.push_str(&vec!["clicks"; 600].join(", "));
    t.push_str("]\n    dates: 2022-02-10\n");
    t.push_str("  - {feeds: [clikcs], dates: 2022-02-11}\n");
    t.push_str("  - {feeds: [clicks], dates: 2022-04-31}\n");
    t.push_str("  - {feeds: [clicks, dates: 2022-02-12}\n");
    v.push(("600 repeats then errors", t));

    // Aliases that copy bytes, not nodes.
    let bytes_bomb = |len: usize, aliases: usize| {
        format!(
            "a: &a \"{}\"\nb: [{}]\n",
            "x".repeat(len),
            vec!["*a"; aliases].join(", ")
        )
    };
    v.push(("alias of 100 KB x 10,000", bytes_bomb(100_000, 10_000)));
    v.push(("alias of 1 MB x 10,000", bytes_bomb(1_000_000, 10_000)));

    // One feed listed 40,000 times with 40,000 days before its `since` (clicks: 2020-01-01).
    let repeated_feed = |n: usize| {
        let days: Vec<String> = (0..n as i32)
            .map(|i| format!("\"{}\"", Day::FIRST.plus_days(100_000 + i)))
            .collect();
        format!(
            "{head}  - feeds: [{}]\n    dates: [{}]\n",
            vec!["clicks"; n].join(", "),
            days.join(", ")
        )
    };
    v.push(("one feed x 40k days before since", repeated_feed(40_000)));
    v.push(("one feed x 120k days before since", repeated_feed(120_000)));

    // Many dates and as many excepts in one entry, none of them adjacent: every except item
    // is a hole of its own, and the old subtraction walked every hole for every date item.
    let except = |n: usize| {
        let day = |i: usize| {
            Day::parse("2021-01-01")
                .expect("day")
                .plus_days(4 * i as i32)
        };
        let dates: Vec<String> = (0..n).map(|i| format!("\"{}\"", day(i))).collect();
        let holes: Vec<String> = (0..n)
            .map(|i| format!("\"{}\"", day(i).plus_days(2)))
            .collect();
        format!(
            "{head}  - feeds: [clicks]\n    dates: [{}]\n    except: [{}]\n",
            dates.join(", "),
            holes.join(", ")
        )
    };
    v.push(("50k dates and 50k excepts", except(50_000)));

    // The classics.
    let laughs = |n: usize| {
        let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..n {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        s
    };
    v.push(("billion laughs", laughs(10)));
    v.push(("billion laughs, 30 levels", laughs(30)));
    let mut merge = String::from("b0: &b0 {x: 1, y: 2}\n");
    for i in 1..20 {
        merge.push_str(&format!(
            "b{i}: &b{i}\n  <<: [*b{p}, *b{p}, *b{p}, *b{p}]\n  k{i}: v\n",
            p = i - 1
        ));
    }
    v.push(("merge-key bomb", merge));
    v.push((
        "merge-key loop",
        "a: &a {x: 1}\nb: &b\n  <<: *a\n  <<: *b\nc: {<<: [*a, *b, *a, *b]}\n".to_owned(),
    ));
    let mut keys = String::from("m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n");
    for i in 1..12 {
        let refs: Vec<String> = (0..8).map(|k| format!("k{k}: *m{}", i - 1)).collect();
        keys.push_str(&format!("m{i}: &m{i} {{{}}}\n", refs.join(", ")));
    }
    v.push(("mapping bomb", keys));
    v.push((
        "100k-deep flow lists",
        format!("backfills: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
    ));
    v.push((
        "10k-deep flow maps",
        format!("{}{}", "{a: ".repeat(10_000), "}".repeat(10_000)),
    ));
    v.push((
        "deep maps with multi-byte keys",
        format!("{}{}", "{é😀: ".repeat(100), "}".repeat(100)),
    ));
    v.push(("10k-deep block lists", "- ".repeat(10_000) + "x\n"));
    v.push(("10k unclosed brackets", "[".repeat(10_000)));
    let mut deep_block = String::new();
    for i in 0..2_000 {
        deep_block.push_str(&" ".repeat(i));
        deep_block.push_str("k:\n");
    }
    v.push(("2k-deep block maps", deep_block));
    let entry = "  - feeds: [clicks, impressions]\n    dates: 2022-08-01..2022-08-10\n    except: [2022-08-04]\n";
    let mut big = head.to_owned();
    while big.len() < 3 << 20 {
        big.push_str(entry);
    }
    v.push(("3 MiB spec", big));
    v.push(("a 10 MB line (over the limit)", "x".repeat(10_000_000)));
    v.push(("a 7 MiB line", format!("name: {}\n", "a".repeat(7 << 20))));
    v.push((
        "1 MiB one-line JSON",
        format!("[{}1]", "1,".repeat(1 << 19)),
    ));
    v.push((
        "1 MiB unclosed quote",
        format!("name: \"{}", "a ".repeat(1 << 19)),
    ));
    v.push(("1 MiB of one key", "a: 1\n".repeat(200_000)));
    v.push(("1 MiB of comments", "# c\n".repeat(250_000)));
    v.push((
        "1 MiB multi-byte",
        format!(
            "name: {}\nbackfills: [{{feeds: [é😀], dates: 2022-02-30}}]\n",
            "é😀".repeat(150_000)
        ),
    ));
    v.push((
        "NUL bytes",
        format!("{head}  - {{feeds: [cli\0cks], dates: \"2022-08-10\"}}\n\0\0\0"),
    ));
    v.push((
        "BOM and CRLF",
        format!("\u{feff}{head}  - {{feeds: [clicks], dates: \"2022-08-10\"}}\n")
            .replace('\n', "\r\n"),
    ));
    v.push(("many documents", "a: 1\n---\n".repeat(10_000)));
    v.push((
        "many anchors",
        (0..50_000).map(|i| format!("k{i}: &a{i} [1]\n")).collect(),
    ));
    v.push((
        "100k entries lacking fields",
        format!("backfills:\n{}", "- {x: 1}\n".repeat(100_000)),
    ));
    let feeds: Vec<String> = (0..400_000).map(|i| format!("f{i}")).collect();
    v.push((
        "400k unknown feeds in one entry",
        format!(
            "backfills:\n- dates: 2022-08-10\n  feeds: [{}]\n",
            feeds.join(",")
        ),
    ));
    let tags: Vec<String> = (0..100_000).map(|i| format!("k{i}: v")).collect();
    v.push((
        "100k tags",
        format!("emr:\n  tags: {{{}}}\n", tags.join(", ")),
    ));
    let days: Vec<String> = (0..20_000)
        .map(|i| format!("{}", Day::EPOCH.plus_days(18_000 + i)))
        .collect();
    let mut dup = format!(
        "backfills:\n- feeds: [clicks]\n  dates: [{}]\n",
        days.join(", ")
    );
    dup.push_str(&"- {feeds: [clicks], dates: 2019-04-13}\n".repeat(5_000));
    v.push(("5k entries repeating one of 20k days", dup));
    let items = vec!["1"; 50_000].join(",");
    let aliases = vec!["*a"; 100_000].join(",");
    v.push((
        "100k aliases of a 50k-item list",
        format!("a: &a [{items}]\nb: [{aliases}]\n"),
    ));
    // Values by the million, at the size limit: each costs memory, and a finding when wrong.
    v.push((
        "7 MB JSON array of 3.6M numbers",
        format!("[{}1]", "1,".repeat(3_600_000)),
    ));
    v.push((
        "8 MB list of 2M entries",
        format!("backfills:\n{}", "- a\n".repeat(2_000_000)),
    ));
    v.push((
        "one feed listed 900k times",
        format!(
            "{head}  - feeds: [{}]\n    dates: \"2022-08-10\"\n",
            vec!["clicks"; 900_000].join(", ")
        ),
    ));
    v.push((
        "huge date range",
        format!("{head}  - {{feeds: all, dates: 1000-01-01..9999-12-31}}\n"),
    ));
    v
}

/// The text of one case, by name (for the benchmark's `--print`).
#[allow(dead_code)] // the robustness test, which includes this file too, runs them all
pub fn text_of(name: &str) -> Option<String> {
    cases()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text)
}
