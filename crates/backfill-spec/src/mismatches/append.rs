//! A mismatch list's entries added to a spec the user already has, as text: the entries go
//! at the end of its `backfills` list, laid out as the canonical printer lays them out and
//! indented like the list, and every other byte of the text (comments, layout, key order)
//! stays where it was. The app's "Import mismatches" appends this way.

use super::Mismatch;
use crate::yaml::{self, Node, NodeKind};
use crate::{Entry, Plan, Spec, emit, order};

/// `text` with `entries` at the end of its `backfills` list (a YAML block or flow list, or a
/// JSON array), or as a new `backfills` key at the end of the spec when it has none.
///
/// `None` when the text is not one mapping read without a syntax error, or its `backfills`
/// is something other than a list or nothing: the caller says so and offers a new spec.
pub fn append(text: &str, entries: &[Entry]) -> Option<String> {
    let document = yaml::parse_document(text);
    let root = document.root.filter(|_| document.complete)?;
    let NodeKind::Map(keys) = &root.kind else {
        return None;
    };
    let printed = Spec {
        backfills: entries.to_vec(),
        ..Spec::default()
    };
    let flow = |node: &Node| text[node.span.start..].starts_with(['[', '{']);
    let (at, insert) = match root.entry("backfills") {
        None if flow(&root) => {
            // `"backfills": [ … ]` after the last key of a JSON (or YAML flow) mapping.
            let json = emit::to_json(&printed);
            let lines = section(&json, "\n  \"backfills\": [\n", "\n  ]\n")?;
            let close = root.span.end.checked_sub(1)?;
            let indent = keys
                .first()
                .map_or(2, |(key, _)| column(text, key.span.start));
            let lines = reindent(&format!("  \"backfills\": [\n{lines}\n  ]"), 2, indent);
            match keys.last() {
                Some((_, value)) => (value.span.end, format!(",\n{lines}")),
                None => (close, format!("\n{lines}\n")),
            }
        }
        None => {
            // A `backfills:` key after the spec's last line.
            let lines = block_entries(&printed)?;
            let indent = column(text, root.span.start);
            let start = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            let key = format!("{start}{:indent$}backfills:\n", "");
            (text.len(), key + &reindent(&lines, 0, indent) + "\n")
        }
        Some((key, list)) => match &list.kind {
            NodeKind::Seq(items) if flow(list) => {
                // JSON objects, one per item, before the closing bracket.
                let json = emit::to_json(&printed);
                let lines = section(&json, "\n  \"backfills\": [\n", "\n  ]\n")?;
                let indent = column(text, key.span.start);
                let lines = reindent(lines, 4, indent + 2);
                match items.last() {
                    Some(last) => (last.span.end, format!(",\n{lines}")),
                    None => (
                        list.span.end.checked_sub(1)?,
                        format!("\n{lines}\n{:indent$}", ""),
                    ),
                }
            }
            NodeKind::Seq(items) => {
                // Block items after the line of the last one, at the list's dash column.
                let first = items.first()?;
                let dash = text[..first.span.start].trim_end_matches(' ');
                if !dash.ends_with('-') {
                    return None;
                }
                let indent = column(text, dash.len() - 1);
                let last = items.last()?;
                let (at, start) = after_line(text, last.span.end);
                let lines = block_entries(&printed)?;
                (at, start + &reindent(&lines, 2, indent) + "\n")
            }
            NodeKind::Scalar { .. } if list.is_null() && list.span.start == list.span.end => {
                // `backfills:` with nothing after it: the items on the lines below.
                let (at, start) = after_line(text, key.span.end);
                let lines = block_entries(&printed)?;
                let indent = column(text, key.span.start) + 2;
                (at, start + &reindent(&lines, 2, indent) + "\n")
            }
            _ => return None,
        },
    };
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..at]);
    out.push_str(&insert);
    out.push_str(&text[at..]);
    Some(out)
}

/// The feed-days of `set` that `plan` does not backfill yet: those whose feed and day are not
/// in it, or not with every hour asked for (for one target or another). Appending only these
/// makes importing the same list twice a no-op.
pub fn missing_from(plan: &Plan, catalog: &crate::Catalog, set: &[Mismatch]) -> Vec<Mismatch> {
    // The plan's feeds as catalog positions, which is what a mismatch holds.
    let feeds: Vec<Option<u32>> = (plan.feeds.iter())
        .map(|name| catalog.feeds.iter().position(|f| f.name == *name))
        .map(|i| i.map(|i| i as u32))
        .collect();
    let mut keys: Vec<u128> = (plan.units.iter())
        .filter_map(|u| {
            let feed = feeds.get(u.feed as usize).copied().flatten()?;
            Some(u128::from(feed) << 64 | order::day_bits(u.day) << 32 | u128::from(u.hours.0))
        })
        .collect();
    order::sort_keys(&mut keys);
    // Both are now ascending by (feed, day): one walk, hours united per feed-day.
    let mut units = keys.into_iter().peekable();
    let mut missing = Vec::new();
    for m in set {
        let wanted = (u128::from(m.feed) << 64 | order::day_bits(m.day) << 32) >> 32;
        let mut hours = 0;
        while let Some(&key) = units.peek() {
            if key >> 32 > wanted {
                break;
            }
            if key >> 32 == wanted {
                hours |= key as u32;
            }
            units.next();
        }
        if hours & m.hours.0 != m.hours.0 {
            missing.push(*m);
        }
    }
    missing
}

/// The entries as the canonical YAML prints them: `  - feeds: …` lines, two spaces in.
fn block_entries(printed: &Spec) -> Option<String> {
    let yaml = emit::to_yaml(printed);
    let (_, after) = yaml.split_once("\nbackfills:\n")?;
    let end = after
        .match_indices('\n')
        .map(|(i, _)| i)
        .find(|&i| !after[i + 1..].starts_with(' '))
        .unwrap_or(after.len());
    Some(after[..end].to_owned())
}

/// The text between `start` and `end` in `printed`.
fn section<'a>(printed: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let (_, after) = printed.split_once(start)?;
    Some(&after[..after.rfind(end)?])
}

/// Each line of `lines` with `from` leading spaces taken off and `to` put on.
fn reindent(lines: &str, from: usize, to: usize) -> String {
    let mut out = String::with_capacity(lines.len());
    for (i, line) in lines.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let kept = line.len() - line.trim_start_matches(' ').len();
        out.extend(std::iter::repeat_n(' ', to + kept.saturating_sub(from)));
        out.push_str(line.trim_start_matches(' '));
    }
    out
}

/// The column (in bytes) of byte `at` on its line.
fn column(text: &str, at: usize) -> usize {
    at - text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Where the line holding byte `at` ends (past its line break), and the line break to write
/// first when the text ends without one.
fn after_line(text: &str, at: usize) -> (usize, String) {
    match text[at..].find('\n') {
        Some(i) => (at + i + 1, String::new()),
        None => (text.len(), "\n".to_owned()),
    }
}
