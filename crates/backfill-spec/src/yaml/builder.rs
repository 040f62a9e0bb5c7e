//! Events → tree: the part of [`super::parse_document`] that walks saphyr's event stream,
//! converts its character offsets to bytes, resolves anchors under a budget, applies merge
//! keys, reports duplicate keys, and explains syntax errors.

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, ScanError};

use super::{
    ALIAS_BUDGET_BYTES, Document, MAX_DEPTH, MAX_VALUES, Node, NodeKind, ScalarStyle, child,
    push_key,
};
use crate::order::first_occurrences;
use crate::{Diagnostic, Span};

struct Anchored {
    node: Node,
    size: usize,
    height: usize,
}

/// Duplicate keys reported one by one in a mapping.
const MAX_DUPLICATE_KEYS: usize = 20;

/// saphyr counts characters; spans here are bytes. Events arrive nearly in text order, so a
/// cursor that walks from the last position makes the whole conversion linear.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> Offsets<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Offsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars / 2 {
            self.chars = 0;
            self.bytes = 0;
        }
        while self.chars > char_index {
            self.bytes -= 1;
            while !self.text.is_char_boundary(self.bytes) {
                self.bytes -= 1;
            }
            self.chars -= 1;
        }
        let mut rest = self.text[self.bytes..].chars();
        while self.chars < char_index {
            match rest.next() {
                Some(c) => {
                    self.bytes += c.len_utf8();
                    self.chars += 1;
                }
                None => break,
            }
        }
        self.bytes
    }

    fn span(&mut self, s: saphyr_parser::Span) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span::new(start, end)
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
        flow: bool,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        start: usize,
        anchor: usize,
        flow: bool,
    },
}

pub(super) struct Builder<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    stack: Vec<Frame>,
    root: Option<Node>,
    diagnostics: Vec<Diagnostic>,
    /// Anchored nodes with their size and height, measured once: an alias then costs O(1)
    /// checks plus the copy it is charged for.
    /// By anchor id (the parser numbers anchors 1, 2, 3, …).
    anchors: Vec<Option<Anchored>>,
    /// Bytes left that aliases may copy or anchors may hold (see `Node::cost`).
    budget: usize,
    alias_reported: bool,
    /// Inside a subtree cut off for depth: how many collections deep, and where it began.
    skipping: usize,
    skip_start: usize,
    documents: usize,
    /// Values read so far (see `MAX_VALUES`).
    values: usize,
    complete: bool,
}

impl<'a> Builder<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Builder {
            text,
            offsets: Offsets::new(text),
            stack: Vec::new(),
            root: None,
            diagnostics: Vec::new(),
            anchors: Vec::new(),
            budget: ALIAS_BUDGET_BYTES,
            alias_reported: false,
            skipping: 0,
            skip_start: 0,
            documents: 0,
            values: 0,
            complete: true,
        }
    }

    pub(super) fn run(mut self) -> Document {
        let text = self.text;
        for event in Parser::new_from_str(text) {
            match event {
                Ok((event, span)) => {
                    let span = self.offsets.span(span);
                    if !self.event(event, span) {
                        break;
                    }
                }
                Err(error) => {
                    self.syntax_error(&error);
                    break;
                }
            }
        }
        // Close what a syntax error left open, so the tree holds everything read so far.
        while !self.stack.is_empty() {
            let end = self.text.len();
            self.close(end);
        }
        let root = self
            .root
            .filter(|r| !r.is_null() || r.span.start < r.span.end);
        Document {
            root,
            diagnostics: self.diagnostics,
            complete: self.complete,
        }
    }

    /// Handles one event; false stops the parse (a second document was found).
    fn event(&mut self, event: Event<'_>, span: Span) -> bool {
        if self.skipping > 0 {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => self.skipping += 1,
                Event::SequenceEnd | Event::MappingEnd => {
                    self.skipping -= 1;
                    if self.skipping == 0 {
                        let span = Span::new(self.skip_start, span.end);
                        self.push(null(span));
                    }
                }
                _ => {}
            }
            return true;
        }
        if matches!(
            event,
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..)
        ) {
            self.values += 1;
            if self.values > MAX_VALUES {
                self.too_many_values(span);
                return false;
            }
        }
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    self.diagnostics.push(
                        Diagnostic::error(
                            "multiple-documents",
                            "a second YAML document starts here; a spec is one document",
                            span,
                        )
                        .with_hint(
                            "remove the `---` line and what follows, or put it in its own file",
                        ),
                    );
                    return false;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let mut style = match style {
                    SaphyrStyle::Plain => ScalarStyle::Plain,
                    SaphyrStyle::SingleQuoted | SaphyrStyle::DoubleQuoted => ScalarStyle::Quoted,
                    SaphyrStyle::Literal | SaphyrStyle::Folded => ScalarStyle::Block,
                };
                if let Some(tag) = tag {
                    if tag.is_yaml_core_schema() && tag.suffix == "str" {
                        style = ScalarStyle::Quoted;
                    } else {
                        self.diagnostics.push(
                            Diagnostic::info(
                                "unsupported-tag",
                                format!("the tag `{}{}` is ignored", tag.handle, tag.suffix),
                                span,
                            )
                            .with_path(self.path()),
                        );
                    }
                }
                let span = if style == ScalarStyle::Block {
                    self.trim_end(span)
                } else {
                    span
                };
                let node = Node {
                    kind: NodeKind::Scalar {
                        value: value.into_owned(),
                        style,
                    },
                    span,
                };
                self.anchor(anchor, &node);
                self.push(node);
            }
            Event::Alias(id) => {
                let node = self.alias(id, span);
                self.push(node);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.too_deep(span);
                    self.skipping = 1;
                    self.skip_start = span.start;
                    return true;
                }
                let flow = self.text[span.start..span.end].contains(['[', '{']);
                let start = span.start;
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq {
                            items: Vec::new(),
                            start,
                            anchor,
                            flow,
                        }
                    } else {
                        Frame::Map {
                            entries: Vec::new(),
                            key: None,
                            start,
                            anchor,
                            flow,
                        }
                    });
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span.end),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        true
    }

    fn close(&mut self, end: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (kind, start, anchor, flow) = match frame {
            Frame::Seq {
                items,
                start,
                anchor,
                flow,
            } => (NodeKind::Seq(items), start, anchor, flow),
            Frame::Map {
                mut entries,
                key,
                start,
                anchor,
                flow,
            } => {
                // A key whose value never came (cut by a syntax error) still counts as a key.
                if let Some(key) = key {
                    let at = Span::new(key.span.end, key.span.end);
                    entries.push((key, null(at)));
                }
                self.check_keys(&entries);
                let entries = self.merge(entries);
                (NodeKind::Map(entries), start, anchor, flow)
            }
        };
        // A flow collection ends at its bracket; a block one's end event sits at the next
        // token, possibly lines further down, so its extent is its children's.
        let end = if flow { end.max(start) } else { start };
        let node = Node {
            kind,
            span: Span::new(start, end),
        };
        let node = Node {
            span: self.tight(&node),
            ..node
        };
        self.anchor(anchor, &node);
        self.push(node);
    }

    /// A block collection's events carry empty spans; its extent is its children's.
    fn tight(&self, node: &Node) -> Span {
        let (first, last) = match &node.kind {
            NodeKind::Seq(items) => (items.first().map(|n| n.span), items.last().map(|n| n.span)),
            NodeKind::Map(entries) => (
                entries.first().map(|e| e.0.span),
                entries.last().map(|e| e.1.span),
            ),
            NodeKind::Scalar { .. } => (None, None),
        };
        let start = node.span.start.min(first.map_or(usize::MAX, |s| s.start));
        let end = node.span.end.max(last.map_or(0, |s| s.end));
        Span::new(start.min(end), end)
    }

    fn push(&mut self, node: Node) {
        let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
        if is_key && !matches!(node.kind, NodeKind::Scalar { .. }) {
            let d = Diagnostic::error(
                "complex-key",
                "a key must be plain text, not a list or a mapping",
                node.span,
            )
            .with_hint("write the key as text before the colon, e.g. `feeds: …`")
            .with_path(self.path());
            self.diagnostics.push(d);
        }
        match self.stack.last_mut() {
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }

    fn anchor(&mut self, id: usize, node: &Node) {
        if id == 0 {
            return;
        }
        let n = node.cost(self.budget);
        if n <= self.budget {
            self.budget -= n;
            let anchored = Anchored {
                node: node.clone(),
                size: n,
                height: node.height(),
            };
            if self.anchors.len() <= id {
                self.anchors.resize_with(id + 1, || None);
            }
            self.anchors[id] = Some(anchored);
        }
        // Over the budget the anchor is not kept; an alias to it reports the limit.
    }

    fn alias(&mut self, id: usize, span: Span) -> Node {
        let Some(Some(target)) = self.anchors.get(id) else {
            self.alias_limit(span);
            return null(span);
        };
        if self.stack.len() + target.height > MAX_DEPTH {
            self.too_deep(span);
            return null(span);
        }
        if target.size > self.budget {
            self.alias_limit(span);
            return null(span);
        }
        self.budget -= target.size;
        target.node.clone()
    }

    fn alias_limit(&mut self, span: Span) {
        self.complete = false;
        if self.alias_reported {
            return;
        }
        self.alias_reported = true;
        let d = Diagnostic::error(
            "alias-limit",
            format!(
                "aliases here would copy more than {} MiB of values; this alias and the rest are read as empty",
                ALIAS_BUDGET_BYTES >> 20
            ),
            span,
        )
        .with_hint(
            "write the values out instead of nesting aliases (this looks like an alias bomb)",
        )
        .with_path(self.path());
        self.diagnostics.push(d);
    }

    fn too_many_values(&mut self, span: Span) {
        self.complete = false;
        let d = super::too_many_values(self.at_least_one_char(span), self.path());
        self.diagnostics.push(d);
    }

    /// `span`, or the character at its start when it is empty: never ending inside one.
    fn at_least_one_char(&self, span: Span) -> Span {
        if span.end > span.start {
            return span;
        }
        let len = self.text[span.start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Span::new(span.start, span.start + len)
    }

    fn too_deep(&mut self, span: Span) {
        self.complete = false;
        let d = Diagnostic::error(
            "nesting-too-deep",
            format!(
                "collections nest more than {MAX_DEPTH} levels deep here; the rest is not read"
            ),
            self.at_least_one_char(span),
        )
        .with_hint("a spec is only a few levels deep: look for unbalanced brackets")
        .with_path(self.path());
        self.diagnostics.push(d);
    }

    /// Reports each key written twice in one mapping, pointing at the second with the first
    /// as related.
    fn check_keys(&mut self, entries: &[(Node, Node)]) {
        // A plain `<<` is a merge key, which may be repeated; a quoted one is a key.
        let keys: Vec<(&str, Span)> = entries
            .iter()
            .filter_map(|(k, _)| {
                let name = k.scalar()?;
                (name != "<<" || k.style() != Some(ScalarStyle::Plain)).then_some((name, k.span))
            })
            .collect();
        let names: Vec<&str> = keys.iter().map(|&(name, _)| name).collect();
        let first = first_occurrences(&names);
        let mut found = Vec::new();
        for (i, &(name, span)) in keys.iter().enumerate() {
            if first[i] != i {
                found.push((name.to_owned(), keys[first[i]].1, span));
            }
        }
        // A thousand duplicates say nothing more than twenty.
        let more = found.len().saturating_sub(MAX_DUPLICATE_KEYS);
        found.truncate(MAX_DUPLICATE_KEYS);
        for (name, first, second) in found {
            let mut path = self.path();
            push_key(&mut path, &name);
            let d = Diagnostic::error(
                "duplicate-key",
                format!(
                    "`{name}` is written twice in this mapping; YAML readers keep only the last one"
                ),
                second,
            )
            .with_hint("remove one of them, or merge their values into one")
            .with_related(first, "first written here")
            .with_path(path);
            self.diagnostics.push(d);
        }
        if more > 0
            && let Some(last) = self.diagnostics.last_mut()
        {
            last.message.push_str(&format!(
                " ({more} more duplicate keys in this mapping are not listed)"
            ));
        }
    }

    /// YAML merge keys (`<<: *defaults`), as PyYAML applies them: keys written in the mapping
    /// win over merged ones, and earlier merged mappings win over later ones.
    fn merge(&mut self, entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
        let is_merge = |k: &Node| k.scalar() == Some("<<") && k.style() == Some(ScalarStyle::Plain);
        if !entries.iter().any(|(k, _)| is_merge(k)) {
            return entries;
        }
        // Every entry in place, merged ones marked; then a merged key is kept when no key of
        // the mapping's own, nor an earlier merged one, has its name.
        let mut out = Vec::with_capacity(entries.len());
        let mut merged_from = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            if !is_merge(&k) {
                out.push((k, v));
                merged_from.push(false);
                continue;
            }
            let sources = match v.kind {
                NodeKind::Map(_) => vec![v],
                NodeKind::Seq(items)
                    if items.iter().all(|i| matches!(i.kind, NodeKind::Map(_))) =>
                {
                    items
                }
                _ => {
                    let d = Diagnostic::error(
                        "wrong-type",
                        "`<<` merges a mapping or a list of mappings",
                        v.span,
                    )
                    .with_hint("write `<<: *anchor` where the anchor is on a mapping")
                    .with_path(child(&self.path(), "<<"));
                    self.diagnostics.push(d);
                    continue;
                }
            };
            for source in sources {
                if let NodeKind::Map(merged) = source.kind {
                    for (mk, mv) in merged {
                        if mk.scalar().is_some() {
                            out.push((mk, mv));
                            merged_from.push(true);
                        }
                    }
                }
            }
        }
        // Own names first, then merged ones in order: a merged key is kept when it is the
        // first of its name.
        let (entries, from) = (&out, &merged_from);
        let by_origin = |merged: bool| {
            (0..entries.len())
                .filter(move |&i| from[i] == merged && entries[i].0.scalar().is_some())
        };
        let at: Vec<usize> = by_origin(false).chain(by_origin(true)).collect();
        let names: Vec<&str> = at.iter().filter_map(|&i| out[i].0.scalar()).collect();
        let first = first_occurrences(&names);
        let mut keep = vec![true; out.len()];
        for (n, &i) in at.iter().enumerate() {
            keep[i] = !merged_from[i] || first[n] == n;
        }
        drop(names);
        let mut kept = keep.into_iter();
        out.retain(|_| kept.next().unwrap_or(true));
        out
    }

    fn syntax_error(&mut self, error: &ScanError) {
        self.complete = false;
        let mut at = self
            .offsets
            .byte(error.marker().index())
            .min(self.text.len());
        let (mut message, mut hint) = explain(error.info());
        // A control character (NUL, a terminal's escape) is no token: saphyr says so in words
        // about tabs, which would send the user looking for one.
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        if let Some((i, c)) = self.text[line_start..line_end]
            .char_indices()
            .find(|&(_, c)| is_forbidden_control(c))
        {
            at = line_start + i;
            message = format!(
                "this line contains a control character ({}) that YAML does not allow",
                control_name(c)
            );
            hint = Some(
                "delete it: it usually comes from pasting binary data or a terminal's output"
                    .to_owned(),
            );
        } else if error.info().contains("tab") {
            // saphyr marks a tab after it; point at the tab itself.
            if let Some(i) = self.text[line_start..].find('\t') {
                at = line_start + i;
            }
        }
        let len = self.text[at..].chars().next().map_or(0, char::len_utf8);
        // An unclosed bracket is the usual cause of a confusing error further down.
        let open = self.stack.iter().rev().find_map(|f| match f {
            Frame::Seq {
                flow: true, start, ..
            } => Some((*start, '[', ']')),
            Frame::Map {
                flow: true, start, ..
            } => Some((*start, '{', '}')),
            _ => None,
        });
        let mut d = Diagnostic::error("syntax-error", String::new(), Span::new(at, at + len))
            .with_path(self.path());
        if let Some((start, open, close)) = open {
            if self
                .text
                .get(start..at)
                .is_some_and(|between| between.contains('\n'))
                && !message.starts_with("expected")
            {
                message = format!(
                    "the `{open}` opened above is not closed, so this line is read as part of it ({message})"
                );
                hint = Some(format!("close it with `{close}` at the end of its line"));
            }
            hint.get_or_insert_with(|| {
                format!("check that the `{open}` opened earlier is closed with `{close}`")
            });
            d = d.with_related(Span::new(start, start + 1), format!("`{open}` opened here"));
        }
        d.message = message;
        if let Some(hint) = hint {
            d = d.with_hint(hint);
        }
        self.diagnostics.push(d);
    }

    fn trim_end(&self, span: Span) -> Span {
        let trimmed = self.text[span.start..span.end].trim_end();
        Span::new(span.start, span.start + trimmed.len())
    }

    /// The path of the node being built, for diagnostics raised while parsing.
    fn path(&self) -> String {
        let mut path = String::new();
        for frame in &self.stack {
            match frame {
                Frame::Seq { items, .. } => push_key(&mut path, &items.len().to_string()),
                Frame::Map { key: Some(k), .. } => push_key(&mut path, k.scalar().unwrap_or("?")),
                Frame::Map { key: None, .. } => break,
            }
        }
        path
    }
}

fn null(span: Span) -> Node {
    Node {
        kind: NodeKind::Scalar {
            value: String::new(),
            style: ScalarStyle::Plain,
        },
        span,
    }
}

/// Characters YAML does not allow in a text: C0 controls but tab, line feed and carriage
/// return, DEL, and C1 controls but NEL.
fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

fn control_name(c: char) -> String {
    match c {
        '\0' => "U+0000, a NUL byte".to_owned(),
        '\u{1b}' => "U+001B, ESC".to_owned(),
        c => format!("U+{:04X}", c as u32),
    }
}

/// saphyr's messages name parser states; these say what the user most likely did.
fn explain(info: &str) -> (String, Option<String>) {
    let hint = |h: &str| Some(h.to_owned());
    let (message, hint) = match info {
        i if i.contains("tab") => (
            "a tab is used for indentation; YAML indents with spaces only",
            hint("replace the tab with spaces"),
        ),
        "mapping values are not allowed in this context" => (
            "unexpected `:` here",
            hint("a value that contains `: ` must be quoted; otherwise check the indentation"),
        ),
        "did not find expected key"
        | "while parsing a block mapping, did not find expected key" => (
            "this line is not a `key: value` at the indentation of the mapping above",
            hint("check the indentation: items of one mapping line up exactly"),
        ),
        "while parsing a block collection, did not find expected '-' indicator" => (
            "this line does not continue the list above",
            hint("list items start with `- ` at the same indentation"),
        ),
        "while parsing node, found unknown anchor" => (
            "this alias names an anchor that is not defined before it",
            hint("define `&name` before using `*name`"),
        ),
        "recursion limit exceeded" => (
            "brackets nest too deeply",
            hint("a spec is only a few levels deep: look for unbalanced brackets"),
        ),
        "while scanning a quoted scalar, found unexpected end of stream" => (
            "a quoted string is not closed",
            hint("add the closing quote"),
        ),
        "while parsing a flow mapping, did not find expected ',' or '}'" => (
            "expected `,` or `}` here",
            hint("a comma is missing between two items, or a `{` is not closed"),
        ),
        "while parsing a flow sequence, expected ',' or ']'" => (
            "expected `,` or `]` here",
            hint("a comma is missing between two items, or a `[` is not closed"),
        ),
        "illegal placement of ':' indicator" => (
            "unexpected `:` here",
            hint("a value that contains `:` must be quoted"),
        ),
        other => return (format!("syntax error: {other}"), None),
    };
    (message.to_owned(), hint)
}
