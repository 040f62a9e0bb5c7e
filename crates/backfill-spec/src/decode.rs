//! Tree → [`Spec`]: the shape of the spec (keys, types, required fields) and the YAML 1.1
//! pitfalls of its scalars. What the values *mean* (dates, feeds, limits) is `rules`' job.
//!
//! Decoding never fails. A field of the wrong type is reported and left out; an item that
//! cannot be read is left out of its list. Alongside the spec comes a [`SpecMap`]: where each
//! decoded field and item is in the text, so that every later finding has a span and a path.

mod section;

use crate::fields::{At, Place};
use crate::yaml::{self, Node, NodeKind, ScalarStyle};
use crate::{Diagnostic, Span, Spec, suggest};

/// A place in the text: the value's span, the key's span when it is a mapping value, and the
/// JSON-pointer-like path the form uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    pub key: Option<Span>,
    pub span: Span,
    pub path: String,
}

impl Loc {
    /// Where to point when the key is the better target (an empty or missing value).
    pub fn key_or_value(&self) -> Span {
        self.key.unwrap_or(self.span)
    }
}

/// Where a decoded field is, and its items when it is a list.
#[derive(Clone, Debug, Default)]
pub struct FieldLoc {
    pub key: &'static str,
    pub loc: Loc,
    /// One per item kept in the decoded list, in order.
    pub items: Vec<Loc>,
}

/// Where the decoded spec's fields are. Lists are parallel to the spec's lists.
#[derive(Clone, Debug, Default)]
pub struct SpecMap {
    /// The spec mapping itself (for findings about the whole spec).
    pub root: Loc,
    /// Top-level, `defaults` and `emr` fields (`/name`, `/emr/step_concurrency`). A few
    /// dozen at most (the known keys), so a list: no hash table in the wasm.
    pub fields: Vec<FieldLoc>,
    /// One per `spec.backfills` item.
    pub entries: Vec<EntryMap>,
    /// One per `spec.emr.tags` item: (key, value).
    pub tags: Vec<(Loc, Loc)>,
}

impl SpecMap {
    /// Where the field at `path` is.
    pub fn field(&self, path: &str) -> Option<&Loc> {
        self.fields
            .iter()
            .find(|f| f.loc.path == path)
            .map(|f| &f.loc)
    }

    /// Where the items of the list at `path` are.
    pub fn items(&self, path: &str) -> &[Loc] {
        self.fields
            .iter()
            .find(|f| f.loc.path == path)
            .map_or(&[], |f| &f.items)
    }
}

/// Where an entry's fields are.
#[derive(Clone, Debug, Default)]
pub struct EntryMap {
    pub loc: Loc,
    pub fields: Vec<FieldLoc>,
}

impl EntryMap {
    /// Where the entry's field `key` is (`dates`).
    pub fn field(&self, key: &str) -> Option<&Loc> {
        self.fields.iter().find(|f| f.key == key).map(|f| &f.loc)
    }

    /// Where the items of the entry's list `key` are.
    pub fn items(&self, key: &str) -> &[Loc] {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or(&[], |f| &f.items)
    }
}

/// Records where a field is; a second one with the same path replaces the first.
pub(crate) fn record(fields: &mut Vec<FieldLoc>, field: FieldLoc) {
    match fields.iter_mut().find(|f| f.loc.path == field.loc.path) {
        Some(old) => *old = field,
        None => fields.push(field),
    }
}

/// Unknown keys reported one by one in a mapping; the rest get one finding.
const MAX_UNKNOWN_KEYS: usize = 20;

/// Decodes a spec from its tree; see the module docs.
pub fn spec(root: &Node) -> (Spec, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let (spec, _) = spec_with_map(root, true, &mut diagnostics);
    (spec, diagnostics)
}

/// As [`spec`], also giving where everything is. `complete` is false when the tree was cut
/// by a syntax error: then a field missing from it is not reported, since it may be in the
/// part of the text that was not read.
pub fn spec_with_map(
    root: &Node,
    complete: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Spec, SpecMap) {
    let mut d = Decoder::new(diagnostics, complete, "");
    let mut spec = Spec {
        version: None,
        ..Spec::default()
    };
    let mut map = SpecMap {
        root: Loc {
            key: None,
            span: root.span,
            path: String::new(),
        },
        ..SpecMap::default()
    };
    if !d.expect_map(
        root,
        "",
        "a spec",
        "`version`, `name`, `reason` and `backfills`",
    ) {
        return (spec, map);
    }
    d.section(root, Place::Spec, "", &mut spec, At::Spec, &mut map);
    d.report_unquoted_dates();
    (spec, map)
}

pub(crate) fn loc(key: &Node, value: &Node, path: &str) -> Loc {
    Loc {
        key: Some(key.span),
        span: value.span,
        path: path.to_owned(),
    }
}

/// YAML 1.1 (PyYAML) booleans. YAML 1.2 keeps only true/false, so these are strings to us
/// and booleans to the Python side.
pub fn is_yaml11_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// Booleans to every reader: YAML 1.2's core schema and JSON (`true`, `false`).
pub fn is_yaml12_bool(s: &str) -> bool {
    matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
}

/// What PyYAML's timestamp resolver reads as a date: `2022-08-10`, also `2022-8-1`.
fn looks_like_pyyaml_date(s: &str) -> bool {
    let mut parts = s.split('-');
    let ok = |p: Option<&str>, min: usize, max: usize| {
        p.is_some_and(|p| (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    ok(parts.next(), 4, 4)
        && ok(parts.next(), 1, 2)
        && ok(parts.next(), 1, 2)
        && parts.next().is_none()
}

pub(crate) fn kind_name(node: &Node) -> &'static str {
    match &node.kind {
        NodeKind::Scalar { .. } if node.is_null() => "empty",
        NodeKind::Scalar { .. } => "text",
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
    }
}

/// Shared by the spec and catalog decoders: typed reads that report and carry on.
pub(crate) struct Decoder<'d> {
    pub diags: &'d mut Vec<Diagnostic>,
    pub complete: bool,
    /// Unquoted dates seen: how many, and the first one's place.
    pub unquoted_dates: (usize, Option<(Span, String)>),
    /// The text the tree came from, where a finding needs a span inside a scalar.
    pub source: &'d str,
    /// Fields that the last `unknown_keys` suggested for a typo, with that mapping's path: a
    /// missing field that was suggested is not reported twice.
    pub suggested: Option<(String, Vec<&'static str>)>,
}

impl<'d> Decoder<'d> {
    pub fn new(diags: &'d mut Vec<Diagnostic>, complete: bool, source: &'d str) -> Self {
        Decoder {
            diags,
            complete,
            unquoted_dates: (0, None),
            source,
            suggested: None,
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn expect_map(&mut self, node: &Node, path: &str, what: &str, expected: &str) -> bool {
        if matches!(node.kind, NodeKind::Map(_)) {
            return true;
        }
        let d = Diagnostic::error(
            "wrong-type",
            format!(
                "{what} must be a mapping (`key: value` lines), not {}",
                kind_name(node)
            ),
            node.span,
        )
        .with_hint(format!("write {expected}"))
        .with_path(path);
        self.push(d);
        false
    }

    pub fn unknown_keys(&mut self, node: &Node, path: &str, known: &[&'static str], what: &str) {
        // Most mappings have no unknown key: allocate only when one is suggested.
        self.suggested = None;
        let listed = || {
            known
                .iter()
                .filter(|k| !k.starts_with('$'))
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut reported = 0;
        for (i, (k, _)) in node.entries().iter().enumerate() {
            let Some(name) = k.scalar() else { continue };
            // No `x-…` escape hatch for anchors: `fmt` and the JSON Schema would drop or refuse
            // them. Anchors go on the first use (`- &common {…}`).
            if known.contains(&name) || name == "<<" {
                continue;
            }
            // A pasted file of something else has thousands: a few findings say it all.
            if reported == MAX_UNKNOWN_KEYS {
                let rest = node.entries()[i..]
                    .iter()
                    .filter(|(k, _)| k.scalar().is_some_and(|n| !known.contains(&n)))
                    .count();
                let d = Diagnostic::error(
                    "unknown-key",
                    format!("{what} has {rest} more unknown fields, from this one on"),
                    k.span,
                )
                .with_hint(format!(
                    "is this the right file? known fields: {}",
                    listed()
                ))
                .with_path(yaml::child(path, name));
                self.push(d);
                return;
            }
            reported += 1;
            let typo =
                suggest::did_you_mean(name, known.iter().copied().filter(|k| !k.starts_with('$')));
            if let Some(field) = typo {
                self.suggested
                    .get_or_insert_with(|| (path.to_owned(), Vec::new()))
                    .1
                    .push(field);
            }
            let hint = typo
                .map(|f| format!("did you mean `{f}`?"))
                .or_else(|| misplaced(name, path))
                .unwrap_or_else(|| format!("known fields: {}", listed()));
            let d = Diagnostic::error(
                "unknown-key",
                format!("{what} has no field `{name}`"),
                k.span,
            )
            .with_hint(hint)
            .with_path(yaml::child(path, name));
            self.push(d);
        }
    }

    pub fn missing(&mut self, parent: &Node, path: &str, field: &str, what: &str) {
        // A typo of the field was already reported with "did you mean `field`?".
        let suggested = self
            .suggested
            .as_ref()
            .is_some_and(|(p, fields)| p == path && fields.contains(&field));
        if !self.complete || suggested {
            return;
        }
        // Point at the first key: it names the mapping that lacks the field.
        let span = parent
            .entries()
            .first()
            .map_or(parent.span, |(k, _)| k.span);
        let d = Diagnostic::error("missing-field", format!("{what} has no `{field}`"), span)
            .with_hint(format!("add `{field}:` to it"))
            .with_path(yaml::child(path, field));
        self.push(d);
    }

    /// A text field. Null gives `None` (reported as empty only where a value is required,
    /// which the caller knows); lists and mappings are reported.
    pub fn text(&mut self, key: &Node, node: &Node, path: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar { .. } if node.is_null() => None,
            // YAML 1.2 and JSON read these as booleans too: not a pitfall but a wrong type.
            NodeKind::Scalar {
                value,
                style: ScalarStyle::Plain,
            } if is_yaml12_bool(value) => {
                let name = key.scalar().unwrap_or("this field");
                let d = Diagnostic::error(
                    "wrong-type",
                    format!("`{name}` must be text; unquoted `{value}` is a boolean"),
                    node.span,
                )
                .with_hint(format!("quote it if you mean the text: \"{value}\""))
                .with_path(path);
                self.push(d);
                None
            }
            NodeKind::Scalar { value, style } => {
                if *style == ScalarStyle::Plain {
                    self.plain_pitfalls(value, node.span, path, key);
                }
                Some(value.clone())
            }
            _ => {
                let name = key.scalar().unwrap_or("this field");
                let d = Diagnostic::error(
                    "wrong-type",
                    format!("`{name}` must be text, not {}", kind_name(node)),
                    node.span,
                )
                .with_path(path);
                self.push(d);
                None
            }
        }
    }

    fn plain_pitfalls(&mut self, value: &str, span: Span, path: &str, key: &Node) {
        if is_yaml11_bool(value) {
            let what = key
                .scalar()
                .map_or("this value".to_owned(), |k| format!("`{k}`"));
            let truth = matches!(
                value.to_ascii_lowercase().as_str(),
                "y" | "yes" | "true" | "on"
            );
            let d = Diagnostic::warning(
                "yaml-boolean",
                format!("unquoted `{value}` is the boolean {truth} to PyYAML and other YAML 1.1 readers, not text"),
                span,
            )
            .with_hint(format!("quote it if {what} means the text: \"{value}\""))
            .with_path(path);
            self.push(d);
        } else if looks_like_pyyaml_date(value) {
            self.unquoted_dates.0 += 1;
            self.unquoted_dates
                .1
                .get_or_insert_with(|| (span, path.to_owned()));
        }
    }

    /// One finding for all unquoted dates: they are fine here, and a warning per date would
    /// bury the findings that matter.
    pub fn report_unquoted_dates(&mut self) {
        let (n, Some((first, path))) = self.unquoted_dates.clone() else {
            return;
        };

        let message = if n == 1 {
            "this unquoted date would be read as a date object, not text, by PyYAML".to_owned()
        } else {
            format!(
                "{n} unquoted dates, from this one on, would be read as date objects, not text, by PyYAML"
            )
        };
        let d = Diagnostic::info(
            "yaml-unquoted-date",
            message,
            first,
        )
        .with_hint("fine for this tool; quote dates (or run `backfill-spec fmt`) if Python code reads the file")
        .with_path(path);
        self.push(d);
    }

    /// A whole number. Quoted numbers are wrong: JSON Schema and typed readers refuse them.
    pub fn int(&mut self, key: &Node, node: &Node, path: &str) -> Option<i64> {
        let name = key.scalar().unwrap_or("this field");
        let (message, hint) = match &node.kind {
            NodeKind::Scalar { .. } if node.is_null() => (format!("`{name}` has no value"), None),
            NodeKind::Scalar {
                value,
                style: ScalarStyle::Plain,
            } => match parse_int(value) {
                Some(n) => return Some(n),
                None => (
                    format!("`{name}` must be a whole number, not `{value}`"),
                    None,
                ),
            },
            NodeKind::Scalar { value, .. } if parse_int(value).is_some() => (
                format!("`{name}` must be a number, not the text \"{value}\""),
                Some(format!("remove the quotes: `{name}: {value}`")),
            ),
            _ => (
                format!("`{name}` must be a whole number, not {}", kind_name(node)),
                None,
            ),
        };
        let mut d = Diagnostic::error("wrong-type", message, node.span).with_path(path);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.push(d);
        None
    }

    /// A list of text items; a single scalar is a list of one. Items that are not text are
    /// reported and left out; `out` gets each kept item's place.
    /// `None` when the value is a mapping (reported as wrong-type).
    pub fn text_list(
        &mut self,
        key: &Node,
        node: &Node,
        path: &str,
        out: &mut Vec<Loc>,
    ) -> Option<Vec<String>> {
        let name = key.scalar().unwrap_or("this field");
        match &node.kind {
            NodeKind::Scalar { .. } => {
                if node.is_null() {
                    let d = Diagnostic::error(
                        "empty-value",
                        format!("`{name}` has no value"),
                        key.span,
                    )
                    .with_hint(format!("write a value after `{name}:`, or remove the line"))
                    .with_path(path);
                    self.push(d);
                    return Some(Vec::new());
                }
                let v = self.text(key, node, path)?;
                out.push(loc(key, node, path));
                Some(vec![v])
            }
            NodeKind::Seq(items) => {
                let mut values = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let item_path = yaml::child(path, i);
                    match &item.kind {
                        NodeKind::Scalar { .. } if item.is_null() => {
                            let d = Diagnostic::error(
                                "empty-value",
                                format!("an item of `{name}` is empty"),
                                item.span,
                            )
                            .with_hint("remove the empty item")
                            .with_path(item_path);
                            self.push(d);
                        }
                        NodeKind::Scalar { .. } => {
                            if let Some(value) = self.text(key, item, &item_path) {
                                values.push(value);
                                out.push(Loc {
                                    key: None,
                                    span: item.span,
                                    path: item_path,
                                });
                            }
                        }
                        _ => {
                            let d = Diagnostic::error(
                                "wrong-type",
                                format!("items of `{name}` must be text, not {}", kind_name(item)),
                                item.span,
                            )
                            .with_path(item_path);
                            self.push(d);
                        }
                    }
                }
                Some(values)
            }
            NodeKind::Map(_) => {
                let d = Diagnostic::error(
                    "wrong-type",
                    format!("`{name}` must be one value or a list, not a mapping"),
                    node.span,
                )
                .with_hint(format!("write `{name}: [a, b]`"))
                .with_path(path);
                self.push(d);
                None
            }
        }
    }
}

/// A decimal integer as YAML 1.2's core schema reads it (`+` allowed, no `_`).
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse().ok()
}

/// An entry field written at the top level, or a top-level field inside an entry: say where
/// it belongs.
fn misplaced(name: &str, path: &str) -> Option<String> {
    let at_root = path.is_empty();
    let known = |place: Place| place.keys().any(|k| k == name);
    if at_root && known(Place::Entry) {
        return Some(format!("`{name}` belongs in an entry under `backfills:`"));
    }
    if !at_root && known(Place::Spec) {
        return Some(format!(
            "`{name}` belongs at the top level of the spec, not here"
        ));
    }
    if at_root && known(Place::Emr) {
        return Some(format!("`{name}` belongs under `emr:`"));
    }
    None
}
