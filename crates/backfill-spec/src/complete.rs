//! Completion at a caret, from the catalog and the spec's description (`fields.rs`): the
//! catalog's feeds (with their first day) inside `feeds:`, flow or block list; the keys a
//! mapping may still take (with their docs) where a key is typed; the targets in `target:`.
//! It reads the lines around the caret by their indentation, not the parse tree: the text
//! being typed is usually broken.

use crate::fields::{Kind, Place, TARGETS};
use crate::{Catalog, Span};

/// One choice: what is inserted, and a line about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub detail: String,
}

/// The choices at a caret, and the span of the partial word a choice replaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub span: Span,
    pub items: Vec<Item>,
}

/// One line as completion reads it: where its content starts, its `- ` (if any), its key
/// (if it has `key:`), and where the key starts.
struct LineShape<'a> {
    content: usize,
    dash: Option<usize>,
    key: Option<&'a str>,
    key_col: usize,
    /// The text after `key:` (trimmed), or the item after `- `.
    value: &'a str,
}

fn shape(line: &str) -> Option<LineShape<'_>> {
    let content = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[content..];
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let (dash, body, key_col) = match rest
        .strip_prefix("- ")
        .or(rest.strip_prefix('-').filter(|r| r.is_empty()))
    {
        Some(after) => {
            let pad = after.len() - after.trim_start_matches(' ').len();
            (Some(content), &after[pad..], content + 2 + pad)
        }
        None => (None, rest, content),
    };
    let key_end = body
        .find(": ")
        .or_else(|| body.strip_suffix(':').map(str::len));
    let (key, value) = match key_end {
        Some(end) if !body[..end].contains(['[', '{', '"', '\'', ',']) => {
            (Some(body[..end].trim()), body[end + 1..].trim())
        }
        _ => (None, body.trim()),
    };
    Some(LineShape {
        content,
        dash,
        key,
        key_col,
        value,
    })
}

/// The place of the mapping whose keys are at column `col`, holding line `at`.
fn mapping(lines: &[&str], at: usize, col: usize) -> Option<Place> {
    for j in (0..at).rev() {
        let Some(l) = shape(lines[j]) else { continue };
        if l.content >= col {
            continue;
        }
        return match (l.dash, l.key) {
            // The first line of a list item whose mapping this is: the list's key decides.
            (Some(dash), _) if l.key_col == col => item_place(lines, j, dash),
            (_, Some(key)) if l.value.is_empty() || l.value.starts_with(['#', '&']) => {
                let place = mapping(lines, j, l.key_col)?;
                match place.field(key)?.kind {
                    Kind::Section(inner) => Some(inner),
                    _ => None,
                }
            }
            _ => None,
        };
    }
    (col == 0).then_some(Place::Spec)
}

/// The place of the mapping that is an item of the list at column `dash` (line `at` starts
/// the item): an entry, when the list is `backfills`.
fn item_place(lines: &[&str], at: usize, dash: usize) -> Option<Place> {
    let (j, _, key) = parent_key(lines, at, dash)?;
    (place_of_line(lines, j)?.field(key)?.kind == Kind::Entries).then_some(Place::Entry)
}

/// The place of the mapping that holds line `j`'s key (the line may start a list item).
fn place_of_line(lines: &[&str], j: usize) -> Option<Place> {
    let l = shape(lines[j])?;
    match l.dash {
        Some(dash) => item_place(lines, j, dash),
        None => mapping(lines, j, l.key_col),
    }
}

/// The key line (index, key column, key) a list at column `dash` hangs from: the first line
/// above with content left of it, or a key at the same column (`key:` then `- item`).
fn parent_key<'a>(lines: &[&'a str], at: usize, dash: usize) -> Option<(usize, usize, &'a str)> {
    for j in (0..at).rev() {
        let Some(l) = shape(lines[j]) else { continue };
        if l.content < dash || (l.content == dash && l.dash.is_none()) {
            return Some((j, l.key_col, l.key?));
        }
    }
    None
}

/// The completion at byte `caret` of `text`, if the caret is where one applies.
pub fn complete(text: &str, caret: usize, catalog: &Catalog) -> Option<Completion> {
    let caret = caret.min(text.len());
    if !text.is_char_boundary(caret) {
        return None;
    }
    let line_start = text[..caret].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[caret..].find('\n').map_or(text.len(), |i| caret + i);
    let lines: Vec<&str> = text[..line_start].split('\n').collect();
    let at = lines.len() - 1;
    let before = &text[line_start..caret];
    // The partial word: back to a blank or a list's punctuation, on to the word's end.
    let word_start = line_start
        + before
            .rfind([' ', '[', ',', '"', '\'', '{'])
            .map_or(0, |i| i + 1);
    let word_end = caret
        + text[caret..line_end]
            .find([' ', ']', ',', '"', '\'', '}', ':'])
            .unwrap_or(line_end - caret);
    let word = &text[word_start..caret];
    let span = Span::new(word_start, word_end);
    let shape_now = shape(before).unwrap_or(LineShape {
        content: before.len(),
        dash: None,
        key: None,
        key_col: before.len(),
        value: "",
    });
    let items = match (shape_now.key, shape_now.dash) {
        // `key: …` with the caret in the value.
        (Some(key), dash) => {
            let place = match dash {
                Some(dash) => item_place(&lines, at, dash)?,
                None => mapping(&lines, at, shape_now.key_col)?,
            };
            value_items(place, key, catalog)?
        }
        // `- item` of a block list: the list's key decides.
        (None, Some(dash)) if word_start > dash => {
            let (j, _, key) = parent_key(&lines, at, dash)?;
            match place_of_line(&lines, j)?.field(key)?.kind {
                Kind::Feeds => feed_items(catalog),
                Kind::Entries => {
                    key_items(Place::Entry, &lines, at, shape_now.key_col, text, line_end)
                }
                _ => return None,
            }
        }
        // A key being typed.
        (None, None) if word_start == line_start + shape_now.key_col => {
            let place = mapping(&lines, at, shape_now.key_col)?;
            key_items(place, &lines, at, shape_now.key_col, text, line_end)
        }
        _ => return None,
    };
    let typed = word.to_ascii_lowercase();
    let items: Vec<Item> = items
        .into_iter()
        .filter(|i| i.label.to_ascii_lowercase().starts_with(&typed))
        .collect();
    (!items.is_empty()).then_some(Completion { span, items })
}

fn value_items(place: Place, key: &str, catalog: &Catalog) -> Option<Vec<Item>> {
    Some(match place.field(key)?.kind {
        Kind::Feeds => feed_items(catalog),
        Kind::Target => TARGETS
            .iter()
            .map(|t| Item {
                label: (*t).to_owned(),
                detail: if *t == "emr" {
                    "steps on the EMR cluster".into()
                } else {
                    "messages through SQS, for feeds the catalog marks replayable".into()
                },
            })
            .collect(),
        _ => return None,
    })
}

fn feed_items(catalog: &Catalog) -> Vec<Item> {
    catalog
        .feeds
        .iter()
        .map(|f| Item {
            label: f.name.clone(),
            detail: format!(
                "since {}{}{}",
                f.since,
                if f.hourly { " · hourly" } else { "" },
                if f.replay { " · replayable" } else { "" }
            ),
        })
        .collect()
}

/// The keys of `place` not yet written in the mapping the caret's line belongs to (its lines
/// at column `col`, up to a line left of it either way).
fn key_items(
    place: Place,
    lines: &[&str],
    at: usize,
    col: usize,
    text: &str,
    line_end: usize,
) -> Vec<Item> {
    let mut written: Vec<String> = Vec::new();
    let mut note = |l: &LineShape<'_>| {
        if l.key_col == col
            && let Some(k) = l.key
        {
            written.push(k.to_owned());
        }
    };
    for line in lines[..at].iter().rev() {
        let Some(l) = shape(line) else { continue };
        note(&l);
        if l.content < col {
            break;
        }
    }
    for line in text[line_end..].split('\n').skip(1) {
        let Some(l) = shape(line) else { continue };
        if l.content < col {
            break;
        }
        note(&l);
    }
    place
        .fields()
        .filter(|f| !f.key.starts_with('$') && !written.iter().any(|w| w == f.key))
        .map(|f| Item {
            label: f.key.to_owned(),
            detail: f.doc.to_owned(),
        })
        .collect()
}
