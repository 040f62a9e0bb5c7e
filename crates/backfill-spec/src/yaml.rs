//! YAML (and so JSON) text → a small tree whose every node knows its byte span.
//!
//! Built on saphyr-parser's event stream. Parsing never fails: a syntax error ends the tree
//! where it happened (open collections are closed), and everything found is reported as a
//! diagnostic. Hostile input is bounded: the text size, the number of values, the nesting
//! depth and what aliases may copy (nodes and their text, in bytes) all have limits, each reported with its own code.
//!
//! The tree keeps every scalar as the text written plus its style; what a scalar *means*
//! (a day, a number, a boolean) is decided by the decoder that knows what the field expects.

mod builder;

use crate::{Diagnostic, Span};

/// Larger texts are refused: a spec is a few kilobytes, an uploaded object with its plan a few
/// megabytes.
pub const MAX_INPUT_BYTES: usize = 8 << 20;
/// Values (scalars, lists, mappings) read from one text, aliases' copies aside: past this, the
/// rest of the text is not read. A spec of 20,000 entries of three fields has about 160,000;
/// every value costs memory and, when it is wrong, a finding, so this bounds both whatever the
/// text repeats (two million `- a` lines in 8 MiB once took 2.7 GB and 10 s; now 270 MB).
pub const MAX_VALUES: usize = 200_000;
/// Deeper collections are cut off. A spec is 4 levels deep, an uploaded object about 10;
/// the limit also keeps every recursive walk over the tree (drop included) shallow.
pub const MAX_DEPTH: usize = 64;
/// What aliases may copy in one document, and anchors may hold, in bytes: each node costs
/// [`NODE_BYTES`] plus the length of its text. Generous for a spec that reuses a date list in
/// every entry (a thousand copies of 500 days is about 4 MiB); an alias bomb hits it after
/// microseconds, whether it multiplies nodes (billion laughs) or a long string (10,000
/// aliases of 100 KB would be a gigabyte).
pub const ALIAS_BUDGET_BYTES: usize = 16 << 20;
/// What one node of a copy is charged besides its text: about its size in memory.
pub const NODE_BYTES: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    /// Unquoted: YAML resolvers may read it as a number, boolean, null or (PyYAML) a date.
    Plain,
    /// Single or double quoted, or tagged `!!str`: always a string.
    Quoted,
    /// A `|` or `>` block: always a string.
    Block,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Scalar { value: String, style: ScalarStyle },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

/// The result of [`parse_document`].
#[derive(Debug)]
pub struct Document {
    /// `None` when the text holds no document (empty, or only comments).
    pub root: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
    /// False after a syntax error: the tree stops where the error is, so a field "missing"
    /// from it may well be in the text further down.
    pub complete: bool,
}

/// Parses the first document of `text`; see [`parse_document`].
pub fn parse(text: &str) -> (Option<Node>, Vec<Diagnostic>) {
    let doc = parse_document(text);
    (doc.root, doc.diagnostics)
}

pub fn parse_document(text: &str) -> Document {
    if text.len() > MAX_INPUT_BYTES {
        let mut at = MAX_INPUT_BYTES;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let d = Diagnostic::error(
            "input-too-large",
            format!(
                "the text is {} bytes long; at most {} are read",
                text.len(),
                MAX_INPUT_BYTES
            ),
            Span::new(at, text.len()),
        )
        .with_hint("a spec is a few kilobytes: split the backfill into several specs");
        return Document {
            root: None,
            diagnostics: vec![d],
            complete: false,
        };
    }
    // saphyr's scanner reads a flow collection (`[…]`, `{…}`) ahead to its end while it could
    // still be a key, holding a token for every item: a one-line list of millions of items took
    // gigabytes before the builder's count of values could stop it. So a text with more commas
    // than values allowed is parsed only up to the comma past the limit.
    if let Some((cut, _)) = text.match_indices(',').nth(MAX_VALUES) {
        let mut doc = builder::Builder::new(&text[..cut]).run();
        doc.complete = false;
        if !doc.diagnostics.iter().any(|d| d.code == "too-many-values") {
            doc.diagnostics
                .push(too_many_values(Span::new(cut, cut + 1), String::new()));
        }
        return doc;
    }
    builder::Builder::new(text).run()
}

/// The finding that says reading stopped at [`MAX_VALUES`].
fn too_many_values(span: Span, path: String) -> Diagnostic {
    Diagnostic::error(
        "too-many-values",
        format!(
            "the text holds more than {MAX_VALUES} values; it is read up to here, and the rest is not"
        ),
        span,
    )
    .with_hint("a spec is a few thousand values: split the backfill into several specs, or write ranges instead of lists of days")
    .with_path(path)
}

impl Node {
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn style(&self) -> Option<ScalarStyle> {
        match &self.kind {
            NodeKind::Scalar { style, .. } => Some(*style),
            _ => None,
        }
    }

    /// YAML's null: an empty plain scalar, `~` or `null` in its three spellings.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, style: ScalarStyle::Plain }
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The key and value for `key` in a mapping. The last one wins, as in PyYAML and JSON
    /// readers (a duplicate is reported by the parser).
    pub fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.entries()
            .iter()
            .rev()
            .find(|(k, _)| k.scalar() == Some(key))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Follows a JSON-pointer-like path (`/backfills/2/dates/0`, `~1` for `/` and `~0` for
    /// `~` in keys) to a node.
    pub fn pointer(&self, path: &str) -> Option<&Node> {
        self.pointer_entry(path).map(|(_, v)| v)
    }

    /// Like [`Node::pointer`], also giving the key node when the last step is a mapping key:
    /// the place to point at when the value is missing or empty.
    pub fn pointer_entry(&self, path: &str) -> Option<(Option<&Node>, &Node)> {
        if path.is_empty() {
            return Some((None, self));
        }
        let mut key = None;
        let mut node = self;
        for raw in path.strip_prefix('/')?.split('/') {
            let step = raw.replace("~1", "/").replace("~0", "~");
            match &node.kind {
                NodeKind::Map(_) => {
                    let (k, v) = node.entry(&step)?;
                    key = Some(k);
                    node = v;
                }
                NodeKind::Seq(items) => {
                    node = items.get(step.parse::<usize>().ok()?)?;
                    key = None;
                }
                NodeKind::Scalar { .. } => return None,
            }
        }
        Some((key, node))
    }

    /// What copying this subtree costs against [`ALIAS_BUDGET_BYTES`]: [`NODE_BYTES`] a node
    /// plus its text, counting no further than past `limit`.
    fn cost(&self, limit: usize) -> usize {
        match &self.kind {
            NodeKind::Scalar { value, .. } => NODE_BYTES + value.len(),
            NodeKind::Seq(items) => {
                let mut n = NODE_BYTES;
                for item in items {
                    if n > limit {
                        break;
                    }
                    n += item.cost(limit - n);
                }
                n
            }
            NodeKind::Map(entries) => {
                let mut n = NODE_BYTES;
                for (k, v) in entries {
                    if n > limit {
                        break;
                    }
                    n += k.cost(limit - n);
                    n += v.cost(limit.saturating_sub(n));
                }
                n
            }
        }
    }

    fn height(&self) -> usize {
        match &self.kind {
            NodeKind::Scalar { .. } => 0,
            NodeKind::Seq(items) => 1 + items.iter().map(Node::height).max().unwrap_or(0),
            NodeKind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.height().max(v.height()))
                    .max()
                    .unwrap_or(0)
            }
        }
    }
}

/// Appends a path step in JSON-pointer form.
pub fn push_key(path: &mut String, key: &str) {
    path.push('/');
    if !key.contains(['~', '/']) {
        path.push_str(key);
        return;
    }
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

/// A path step: a key or a list index.
pub trait Step {
    fn push_to(&self, path: &mut String);
}

impl Step for &str {
    fn push_to(&self, path: &mut String) {
        push_key(path, self);
    }
}

impl Step for usize {
    fn push_to(&self, path: &mut String) {
        use std::fmt::Write as _;
        let _ = write!(path, "/{self}");
    }
}

/// A child path: `child("/backfills", 2)` is `/backfills/2`. Paths are built for every field
/// decoded, so this allocates once.
pub fn child(path: &str, step: impl Step) -> String {
    let mut p = String::with_capacity(path.len() + 16);
    p.push_str(path);
    step.push_to(&mut p);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        parse(text).1.iter().map(|d| d.code.to_string()).collect()
    }

    #[test]
    fn spans_are_bytes_and_paths_find_nodes() {
        let text = "é: 1\nbackfills:\n  - feeds: [clicks, 'no']\n    dates: 2022-08-10\n";
        let (root, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        let root = root.unwrap();
        let no = root.pointer("/backfills/0/feeds/1").unwrap();
        assert_eq!(&text[no.span.start..no.span.end], "'no'");
        assert_eq!(no.style(), Some(ScalarStyle::Quoted));
        let (key, value) = root.pointer_entry("/backfills/0/dates").unwrap();
        assert_eq!(
            &text[key.unwrap().span.start..key.unwrap().span.end],
            "dates"
        );
        assert_eq!(&text[value.span.start..value.span.end], "2022-08-10");
        let entry = root.pointer("/backfills/0").unwrap();
        assert_eq!(
            &text[entry.span.start..entry.span.end],
            "feeds: [clicks, 'no']\n    dates: 2022-08-10"
        );
        assert!(root.pointer("/backfills/1").is_none());
    }

    #[test]
    fn limits_and_structure_are_reported() {
        assert_eq!(codes("a: 1\na: 2\n"), ["duplicate-key"]);
        assert_eq!(codes("a: 1\n---\nb: 2\n"), ["multiple-documents"]);
        assert_eq!(codes("a: [1, 2\nb: 3\n"), ["syntax-error"]);
        assert_eq!(
            codes(&"[".repeat(100)),
            ["nesting-too-deep", "syntax-error"]
        );
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
        assert_eq!(codes(bomb), ["alias-limit"]);
        // Too many values, in block lines (counted by the builder) and on one line (cut at
        // the comma past the limit, before saphyr reads the whole list ahead).
        assert_eq!(codes(&"- a\n".repeat(MAX_VALUES + 1)), ["too-many-values"]);
        let one_line = format!("[{}1]", "1,".repeat(MAX_VALUES + 1));
        let found = codes(&one_line);
        assert!(found.iter().any(|c| c == "too-many-values"), "{found:?}");
        let bytes = "a: &a \"".to_owned()
            + &"x".repeat(100_000)
            + "\"\nb: ["
            + &vec!["*a"; 200].join(",")
            + "]\n";
        assert_eq!(codes(&bytes), ["alias-limit"]);
        assert!(parse("").0.is_none());
        assert!(parse("# only a comment\n").0.is_none());
    }

    #[test]
    fn merge_keys_follow_pyyaml() {
        let (root, diags) = parse("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n");
        assert!(diags.is_empty(), "{diags:?}");
        let x = root.unwrap().get("x").unwrap().clone();
        let pairs: Vec<_> = x
            .entries()
            .iter()
            .map(|(k, v)| (k.scalar().unwrap(), v.scalar().unwrap()))
            .collect();
        assert_eq!(pairs, [("a", "1"), ("b", "3")]);
    }
}
