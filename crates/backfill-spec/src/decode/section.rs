//! The spec's mappings read through the field description (`fields.rs`): the known keys, the
//! required ones and each value's type come from [`FIELDS`](crate::fields::FIELDS). Also
//! reads a catalog's `emr.defaults`, which has the shape of the spec's `emr:`.

use super::{Decoder, EntryMap, FieldLoc, Loc, SpecMap, kind_name, loc, record};
use crate::fields::{At, Field, Kind, Place, Value};
use crate::yaml::{self, Node, NodeKind};
use crate::{Diagnostic, EmrOverrides, Feeds, Span, Spec};

/// Tags read from `emr.tags`; the rest are left out.
const MAX_TAGS_READ: usize = 100;

impl Decoder<'_> {
    /// Reads the fields of `place` from the mapping `node` (at `path`) into `spec`, for the
    /// spec's own fields or those of entry `at`; `map` learns where they are.
    pub(super) fn section(
        &mut self,
        node: &Node,
        place: Place,
        path: &str,
        spec: &mut Spec,
        at: At,
        map: &mut SpecMap,
    ) {
        let known: Vec<&'static str> = place.keys().collect();
        self.unknown_keys(node, path, &known, place.name());
        let whose = if place == Place::Entry {
            "this entry"
        } else {
            place.name()
        };
        for f in place.fields().filter(|f| f.required) {
            if node.entry(f.key).is_none() {
                self.missing(node, path, f.key, whose);
            }
        }
        for f in place.fields() {
            if let Some((k, v)) = node.entry(f.key) {
                let p = yaml::child(path, f.key);
                self.field(f, k, v, &p, spec, at, map);
            }
        }
    }

    /// Reads one field's value and records where it is.
    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        f: &Field,
        key: &Node,
        value: &Node,
        path: &str,
        spec: &mut Spec,
        at: At,
        map: &mut SpecMap,
    ) {
        let scalar = matches!(value.kind, NodeKind::Scalar { .. });
        let mut place = FieldLoc {
            key: f.key,
            loc: loc(key, value, path),
            items: Vec::new(),
        };
        // Recorded only when the shape is right, so that a value of the wrong type gets one
        // finding (wrong-type), not also "empty".
        let mut shape_ok = true;
        match f.kind {
            Kind::Int => {
                if !value.is_null() || f.required {
                    let n = self.int(key, value, path);
                    f.set(spec, at, n.map_or(Value::Absent, Value::Int));
                }
                shape_ok = scalar;
            }
            Kind::Text | Kind::Target => {
                let text = self.text(key, value, path);
                if let Some(t) = &text {
                    self.check_format(f, t, value.span, path);
                }
                f.set(spec, at, text.map_or(Value::Absent, Value::Text));
                shape_ok = scalar;
            }
            Kind::Texts | Kind::Hours => match self.text_list(key, value, path, &mut place.items) {
                Some(items) => {
                    for (item, l) in items.iter().zip(&place.items) {
                        self.check_format(f, item, l.span, &l.path);
                    }
                    f.set(spec, at, Value::List(items))
                }
                None => shape_ok = false,
            },
            Kind::Feeds => {
                let all = matches!(&value.kind, NodeKind::Scalar { value, .. } if value == "all");
                let feeds = if all {
                    Some(Feeds::All)
                } else {
                    self.text_list(key, value, path, &mut place.items)
                        .map(Feeds::List)
                };
                shape_ok = feeds.is_some();
                f.set(spec, at, Value::Feeds(feeds.unwrap_or_default()));
            }
            Kind::Tags => {
                if !value.is_null()
                    && self.expect_map(value, path, &format!("`{}`", f.key), f.example)
                {
                    let tags = self.tags(value, path, map);
                    f.set(spec, at, Value::Tags(tags));
                }
            }
            Kind::Section(inner) => {
                shape_ok = !value.is_null();
                if shape_ok && self.expect_map(value, path, &format!("`{}`", f.key), f.example) {
                    f.set(spec, at, Value::Present);
                    self.section(value, inner, path, spec, at, map);
                }
            }
            Kind::Entries => {
                shape_ok = matches!(value.kind, NodeKind::Seq(_)) || value.is_null();
                self.backfills(f, value, spec, map);
            }
        }
        if shape_ok {
            match at {
                At::Entry(i) => record(&mut map.entries[i].fields, place),
                At::Spec => record(&mut map.fields, place),
            }
        }
    }

    /// Reports an item that its field's [`Format`](crate::fields::Format) refuses.
    fn check_format(&mut self, f: &Field, item: &str, span: Span, path: &str) {
        if let Some(format) = f.format
            && !(format.accepts)(item)
        {
            let d = Diagnostic::error(
                "invalid-format",
                format!("`{item}` is not {}", format.expected),
                span,
            )
            .with_hint(format!("write {}", f.example))
            .with_path(path);
            self.push(d);
        }
    }

    fn backfills(&mut self, f: &Field, node: &Node, spec: &mut Spec, map: &mut SpecMap) {
        let items = match &node.kind {
            NodeKind::Seq(items) => items,
            _ if node.is_null() => return, // an empty list: `rules` says so
            _ => {
                let d = Diagnostic::error(
                    "wrong-type",
                    format!(
                        "`backfills` must be a list of entries, not {}",
                        kind_name(node)
                    ),
                    node.span,
                )
                .with_hint(format!("start each entry with {}", f.example))
                .with_path("/backfills");
                self.push(d);
                return;
            }
        };
        spec.backfills.reserve(items.len());
        map.entries.reserve(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = yaml::child("/backfills", i);
            spec.backfills.push(Default::default());
            map.entries.push(EntryMap {
                loc: Loc {
                    key: None,
                    span: item.span,
                    path: path.clone(),
                },
                fields: Vec::new(),
            });
            // A malformed entry stays in the list (empty) so indices match the text's.
            if self.expect_map(item, &path, "a backfills entry", "`feeds:` and `dates:`") {
                self.section(item, Place::Entry, &path, spec, At::Entry(i), map);
            }
        }
    }

    fn tags(&mut self, node: &Node, path: &str, map: &mut SpecMap) -> Vec<(String, String)> {
        // EMR takes 50 tags (the rules say so at the 51st); reading thousands more would
        // only make every later step slower.
        let mut tags = Vec::new();
        for (k, x) in node.entries().iter().take(MAX_TAGS_READ) {
            let Some(name) = k.scalar() else { continue };
            let path = yaml::child(path, name);
            let value = self.text(k, x, &path).unwrap_or_default();
            tags.push((name.to_owned(), value));
            map.tags.push((
                Loc {
                    key: None,
                    span: k.span,
                    path: path.clone(),
                },
                loc(k, x, &path),
            ));
        }
        tags
    }

    /// A catalog's `emr.defaults` (at `base`): the shape of the spec's `emr:`.
    pub fn emr(&mut self, node: &Node, base: &str, map: &mut SpecMap) -> Option<EmrOverrides> {
        let emr = Place::Spec.field("emr")?;
        if !self.expect_map(node, base, "`emr`", emr.example) {
            return None;
        }
        let mut spec = Spec::default();
        emr.set(&mut spec, At::Spec, Value::Present);
        self.section(node, Place::Emr, base, &mut spec, At::Spec, map);
        spec.emr
    }
}
