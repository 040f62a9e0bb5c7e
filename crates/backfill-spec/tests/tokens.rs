//! Highlighting tokens, data-driven: every `tests/tokens/*` is cut into tokens
//! (`tokens::tokens`) and the list, one `line:column-column kind text` per token, is compared
//! with the `.expected` file beside it. `UPDATE_EXPECT=1 cargo test --test tokens` rewrites
//! them; review the diff. Includes text after a syntax error, which the parser stops at.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use backfill_spec::tokens::{TokenKind, tokens, tokens_in};
use backfill_spec::{ColumnUnit, LineIndex};

#[test]
fn token_fixtures_match_expected_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tokens");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 4);
    let mut failures = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let index = LineIndex::new(&text);
        let mut rendered = String::new();
        for t in tokens(&text) {
            let (a, b) = (
                index.line_col(t.span.start, ColumnUnit::Char),
                index.line_col(t.span.end, ColumnUnit::Char),
            );
            writeln!(
                rendered,
                "{}:{}-{} {:?} {}",
                a.line,
                a.column,
                b.column,
                t.kind,
                &text[t.span.start..t.span.end]
            )
            .unwrap();
        }
        let expected_path = path.with_extension(format!(
            "{}.expected",
            path.extension().unwrap().to_string_lossy()
        ));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            fs::write(&expected_path, &rendered).unwrap();
        } else if fs::read_to_string(&expected_path).ok().as_deref() != Some(rendered.as_str()) {
            failures.push(format!("{} differs:\n{rendered}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tokens_are_ordered_disjoint_and_on_character_boundaries_whatever_the_text() {
    let mut seed = 0x70C3_u64;
    let alphabet: Vec<char> = "ab1-:. #\"'[]{},&*!|>\n\t\\é~".chars().collect();
    for _ in 0..3_000 {
        let len = (seed % 60) as usize;
        let text: String = (0..len)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                alphabet[(seed >> 33) as usize % alphabet.len()]
            })
            .collect();
        let mut last = 0;
        for t in tokens(&text) {
            assert!(
                t.span.start >= last && t.span.end > t.span.start,
                "{text:?}"
            );
            assert!(text.get(t.span.start..t.span.end).is_some(), "{text:?}");
            last = t.span.end;
        }
    }
}

#[test]
fn tokens_in_a_range_are_those_of_its_lines_with_the_state_before_them() {
    let text = "a: 1\nb: \"open\n  still open\"\nc: |\n  block\nd: 2022-08-10\n";
    let all = tokens(text);
    let start = text.find("  still").unwrap();
    let end = text.find("d:").unwrap() + 1;
    // Whole lines: from the start of the first touched line to the end of the last.
    let first_line = text[..start].rfind('\n').unwrap() + 1;
    let last_line_end = end + text[end..].find('\n').unwrap();
    let touched: Vec<_> = all
        .iter()
        .copied()
        .filter(|t| t.span.end > first_line && t.span.start < last_line_end)
        .collect();
    assert_eq!(
        tokens_in(text, backfill_spec::Span::new(start, end)),
        touched
    );
    assert!(
        touched
            .iter()
            .any(|t| t.kind == TokenKind::String && text[t.span.start..].starts_with("  still"))
    );
}
