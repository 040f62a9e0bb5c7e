//! The spec's lists and sections: `backfills` entries and the `emr:` overrides (also read for
//! a catalog's `emr.defaults`).

use super::{Decoder, EMR_KEYS, ENTRY_KEYS, EntryMap, Loc, SCALING_KEYS, SpecMap, kind_name, loc};
use crate::yaml::{self, Node, NodeKind};
use crate::{Diagnostic, EmrOverrides, Entry, Feeds, ManagedScaling, Spec};

/// Tags read from `emr.tags`; the rest are left out.
const MAX_TAGS_READ: usize = 100;

impl Decoder<'_> {
    pub(super) fn backfills(&mut self, node: &Node, spec: &mut Spec, map: &mut SpecMap) {
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
                .with_hint("start each entry with `- feeds: …` on its own line")
                .with_path("/backfills");
                self.push(d);
                return;
            }
        };
        for (i, item) in items.iter().enumerate() {
            let path = yaml::child("/backfills", i);
            let mut entry = Entry::default();
            let mut em = EntryMap {
                loc: Loc {
                    key: None,
                    span: item.span,
                    path: path.clone(),
                },
                ..EntryMap::default()
            };
            // A malformed entry stays in the list (empty) so indices match the text's.
            if self.expect_map(item, &path, "a backfills entry", "`feeds:` and `dates:`") {
                self.entry(item, &path, &mut entry, &mut em);
            }
            spec.backfills.push(entry);
            map.entries.push(em);
        }
    }

    fn entry(&mut self, node: &Node, path: &str, entry: &mut Entry, em: &mut EntryMap) {
        self.unknown_keys(node, path, ENTRY_KEYS, "a backfills entry");
        for required in ["feeds", "dates"] {
            if node.entry(required).is_none() {
                self.missing(node, path, required, "this entry");
            }
        }
        if let Some((k, v)) = node.entry("feeds") {
            let p = yaml::child(path, "feeds");
            em.feeds = Some(loc(k, v, &p));
            let is_all = matches!(&v.kind, NodeKind::Scalar { value, .. } if value == "all");
            entry.feeds = if is_all {
                Feeds::All
            } else {
                match self.text_list(k, v, &p, &mut em.feed_items) {
                    Some(names) => Feeds::List(names),
                    None => {
                        em.feeds = None;
                        Feeds::default()
                    }
                }
            };
        }
        let lists = [
            ("dates", &mut entry.dates, &mut em.dates, &mut em.date_items),
            (
                "except",
                &mut entry.except,
                &mut em.except,
                &mut em.except_items,
            ),
            ("hours", &mut entry.hours, &mut em.hours, &mut em.hour_items),
        ];
        for (field, values, field_loc, items) in lists {
            if let Some((k, v)) = node.entry(field) {
                let p = yaml::child(path, field);
                if let Some(list) = self.text_list(k, v, &p, items) {
                    *field_loc = Some(loc(k, v, &p));
                    *values = list;
                }
            }
        }
        if let Some((k, v)) = node.entry("target") {
            let p = yaml::child(path, "target");
            em.target = Some(loc(k, v, &p));
            entry.target = self.text(k, v, &p);
        }
        if let Some((k, v)) = node.entry("note") {
            entry.note = self.text(k, v, &yaml::child(path, "note"));
        }
    }

    /// The `emr:` overrides of a spec, or (with `base` = `/emr/defaults`) a catalog's defaults.
    pub fn emr(&mut self, node: &Node, base: &str, map: &mut SpecMap) -> Option<EmrOverrides> {
        if !self.expect_map(
            node,
            base,
            "`emr`",
            "overrides such as `step_concurrency: 4`",
        ) {
            return None;
        }
        self.unknown_keys(node, base, EMR_KEYS, "`emr`");
        let mut emr = EmrOverrides::default();
        if let Some((k, v, p)) = field(node, map, base, "action_on_failure") {
            emr.action_on_failure = self.text(k, v, &p);
        }
        if let Some((k, v, p)) = field(node, map, base, "step_concurrency") {
            emr.step_concurrency = self.int(k, v, &p);
        }
        if let Some((k, v, p)) = field(node, map, base, "instance_type") {
            emr.instance_type = self.text(k, v, &p);
        }
        if let Some((_, v, p)) = field(node, map, base, "managed_scaling")
            && self.expect_map(v, &p, "`managed_scaling`", SCALING_EXAMPLE)
        {
            self.unknown_keys(v, &p, SCALING_KEYS, "`managed_scaling`");
            let mut ms = ManagedScaling::default();
            if let Some((k, x, p)) = field(v, map, &p, "unit_type") {
                ms.unit_type = self.text(k, x, &p);
            }
            if let Some((k, x, p)) = field(v, map, &p, "min_units") {
                ms.min_units = self.int(k, x, &p);
            }
            if let Some((k, x, p)) = field(v, map, &p, "max_units") {
                ms.max_units = self.int(k, x, &p);
            }
            emr.managed_scaling = Some(ms);
        }
        if let Some((_, v, p)) = field(node, map, base, "tags")
            && self.expect_map(v, &p, "`tags`", "`{team: data-platform}`")
        {
            // EMR takes 50 tags (the rules say so at the 51st); reading thousands more would
            // only make every later step slower.
            for (k, x) in v.entries().iter().take(MAX_TAGS_READ) {
                let Some(name) = k.scalar() else { continue };
                let path = yaml::child(&p, name);
                let value = self.text(k, x, &path).unwrap_or_default();
                emr.tags.push((name.to_owned(), value));
                map.tags.push((
                    Loc {
                        key: None,
                        span: k.span,
                        path: path.clone(),
                    },
                    loc(k, x, &path),
                ));
            }
        }
        Some(emr)
    }
}

const SCALING_EXAMPLE: &str = "`{unit_type: Instances, min_units: 2, max_units: 40}`";

/// A non-null field of an `emr:` mapping, recorded in the map; gives its path too.
fn field<'n>(
    node: &'n Node,
    map: &mut SpecMap,
    base: &str,
    name: &str,
) -> Option<(&'n Node, &'n Node, String)> {
    let (k, v) = node.entry(name)?;
    let path = yaml::child(base, name);
    map.set_field(&path, loc(k, v, &path));
    (!v.is_null()).then_some((k, v, path))
}
