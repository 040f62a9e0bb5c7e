//! The fields of spec v1, described once: [`FIELDS`].
//!
//! Everything that knows the spec's keys reads this table: decoding (known keys, "did you
//! mean", required fields, each value's type), the canonical order the printers follow, the
//! JSON Schema (`schema.rs`), the field tables of docs/spec-format.md, the web form's fields
//! (label, placeholder, hint, which row) and the lint worker's wire format. Adding an optional
//! field means a member of the model (`model.rs`) and a row here.
//!
//! A row reads and writes its value on the model through [`Value`], the few shapes a field's
//! value takes.

use crate::{Entry, Feeds, Spec};

/// Which mapping of the spec holds a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The top level.
    Spec,
    /// `defaults:`.
    Defaults,
    /// An item of `backfills:`.
    Entry,
    /// `emr:`, and a catalog's `emr.defaults`.
    Emr,
    /// `emr.managed_scaling`.
    Scaling,
}

impl Place {
    /// How findings name the mapping: "the spec", "`emr`".
    pub fn name(self) -> &'static str {
        match self {
            Place::Spec => "the spec",
            Place::Defaults => "`defaults`",
            Place::Entry => "a backfills entry",
            Place::Emr => "`emr`",
            Place::Scaling => "`managed_scaling`",
        }
    }

    /// The place's fields, in canonical order.
    pub fn fields(self) -> impl Iterator<Item = &'static Field> {
        FIELDS.iter().filter(move |f| f.place == self)
    }

    /// The keys a mapping of this place may hold.
    pub fn keys(self) -> impl Iterator<Item = &'static str> {
        self.fields().map(|f| f.key)
    }

    /// The field `key` of this place.
    pub fn field(self, key: &str) -> Option<&'static Field> {
        self.fields().find(|f| f.key == key)
    }
}

/// The type of a field's value, as the text writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number, unquoted.
    Int,
    /// One text.
    Text,
    /// `emr` or `replay` ([`TARGETS`]).
    Target,
    /// One text or a list of texts.
    Texts,
    /// One hour or a list of hours and ranges: an hour typed as a number prints as one.
    Hours,
    /// `all`, one feed name or a list of them.
    Feeds,
    /// A mapping of the user's keys to texts.
    Tags,
    /// A mapping holding the fields of another place.
    Section(Place),
    /// The list of entries.
    Entries,
}

/// What `target:` may say.
pub const TARGETS: [&str; 2] = ["emr", "replay"];

/// A field's value, in the shape its kind has on the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Not written (an optional field left out, a section not written).
    Absent,
    Int(i64),
    Text(String),
    List(Vec<String>),
    Feeds(Feeds),
    Tags(Vec<(String, String)>),
    /// A section that is written (its fields are values of their own).
    Present,
}

impl Value {
    fn text(self) -> Option<String> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    fn int(self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(n),
            _ => None,
        }
    }

    fn list(self) -> Vec<String> {
        match self {
            Value::List(items) => items,
            _ => Vec::new(),
        }
    }

    fn opt_text(v: &Option<String>) -> Value {
        v.clone().map_or(Value::Absent, Value::Text)
    }

    fn opt_int(v: Option<i64>) -> Value {
        v.map_or(Value::Absent, Value::Int)
    }
}

/// How the web form shows a field.
#[derive(Clone, Copy, Debug)]
pub struct FormField {
    pub label: &'static str,
    pub placeholder: &'static str,
    /// A line under the control.
    pub hint: Option<&'static str>,
    /// Fields next to each other in the table with the same row name share a row.
    pub row: &'static str,
    pub control: Control,
}

/// The control a user sees for a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// A one-line text input.
    Line,
    /// A text area.
    Lines,
    /// A one-line input of days, with a day picker beside it.
    Days,
    /// A choice among [`TARGETS`]; the label says what leaving it empty means.
    Target { unset: &'static str },
    /// The catalog's feeds to tick.
    Feeds,
    /// The section's fields inside a collapsed box titled with the label.
    Collapsed,
    /// The section's fields in place.
    Inline,
    /// The list of entries under a heading.
    Entries,
}

/// A check of each item of a text field beyond its type, reported as `invalid-format`.
#[derive(Clone, Copy, Debug)]
pub struct Format {
    /// What an item must look like, for the message ("a Slack channel `#name` or …").
    pub expected: &'static str,
    pub accepts: fn(&str) -> bool,
}

/// Reads and writes a field's value on the model.
#[derive(Clone, Copy)]
pub enum Access {
    Spec {
        get: fn(&Spec) -> Value,
        set: fn(&mut Spec, Value),
    },
    Entry {
        get: fn(&Entry) -> Value,
        set: fn(&mut Entry, Value),
    },
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Access")
    }
}

/// One field of the spec.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: &'static str,
    pub place: Place,
    pub kind: Kind,
    pub required: bool,
    /// One line for the docs, the JSON Schema and editors' hover.
    pub doc: &'static str,
    /// An example value, for hints when the value has the wrong shape.
    pub example: &'static str,
    /// JSON Schema keywords of the value besides its description: (keyword, JSON value).
    pub schema: &'static [(&'static str, &'static str)],
    pub format: Option<Format>,
    /// `None`: not in the form.
    pub form: Option<FormField>,
    pub access: Access,
}

/// Where a field's value is: the spec's own fields, or entry `n`'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Spec,
    Entry(usize),
}

impl Field {
    /// The field's value in `spec` (an entry that is gone reads as an empty one).
    pub fn get(&self, spec: &Spec, at: At) -> Value {
        match (self.access, at) {
            (Access::Spec { get, .. }, _) => get(spec),
            (Access::Entry { get, .. }, At::Entry(i)) => match spec.backfills.get(i) {
                Some(e) => get(e),
                None => get(&Entry::default()),
            },
            (Access::Entry { .. }, At::Spec) => Value::Absent,
        }
    }

    /// Writes the field's value in `spec` (an entry that is gone is left alone).
    pub fn set(&self, spec: &mut Spec, at: At, value: Value) {
        match (self.access, at) {
            (Access::Spec { set, .. }, _) => set(spec, value),
            (Access::Entry { set, .. }, At::Entry(i)) => {
                if let Some(e) = spec.backfills.get_mut(i) {
                    set(e, value)
                }
            }
            (Access::Entry { .. }, At::Spec) => {}
        }
    }

    /// The field's path in findings: `/emr/step_concurrency`, `/backfills/3/dates`.
    pub fn path(&self, at: At) -> String {
        let base = match (self.place, at) {
            (Place::Spec, _) => String::new(),
            (Place::Defaults, _) => "/defaults".to_owned(),
            (Place::Entry, At::Entry(i)) => format!("/backfills/{i}"),
            (Place::Entry, At::Spec) => "/backfills/-".to_owned(),
            (Place::Emr, _) => "/emr".to_owned(),
            (Place::Scaling, _) => "/emr/managed_scaling".to_owned(),
        };
        format!("{base}/{}", self.key)
    }

    /// Whether an absent or empty value is left out of the printed spec.
    pub fn omitted(&self, value: &Value) -> bool {
        match value {
            Value::Absent => true,
            Value::List(items) => items.is_empty() && !self.required,
            Value::Tags(tags) => tags.is_empty(),
            _ => false,
        }
    }

    /// The value as the form's text input shows it: lists joined with `, `, tags as
    /// `key=value`.
    pub fn form_text(&self, value: &Value) -> String {
        match value {
            Value::Int(n) => n.to_string(),
            Value::Text(s) => s.clone(),
            Value::List(items) | Value::Feeds(Feeds::List(items)) => items.join(", "),
            Value::Tags(tags) => tags
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Feeds(Feeds::All) => "all".to_owned(),
            Value::Absent | Value::Present => String::new(),
        }
    }

    /// What the form's text means for the field: the inverse of [`Field::form_text`]. An
    /// optional field left blank is absent; a number that does not parse is absent too (the
    /// text keeps what the form could not say).
    pub fn from_form_text(&self, text: &str) -> Value {
        let blank = text.trim().is_empty();
        match self.kind {
            Kind::Int => text.trim().parse().map_or(Value::Absent, Value::Int),
            Kind::Text | Kind::Target if blank && !self.required => Value::Absent,
            Kind::Text | Kind::Target => Value::Text(text.to_owned()),
            Kind::Texts | Kind::Hours => Value::List(split_items(text)),
            Kind::Feeds => Value::Feeds(Feeds::List(split_items(text))),
            Kind::Tags => Value::Tags(
                split_items(text)
                    .into_iter()
                    .map(|kv| match kv.split_once('=') {
                        Some((k, v)) => (k.trim().to_owned(), v.trim().to_owned()),
                        None => (kv, String::new()),
                    })
                    .collect(),
            ),
            Kind::Section(_) | Kind::Entries => Value::Absent,
        }
    }

    /// What the form does when the user types `text` in the field: writes its value, then
    /// drops `emr:` or `managed_scaling:` when the edit left them overriding nothing.
    pub fn set_from_form(&self, spec: &mut Spec, at: At, text: &str) {
        self.set(spec, at, self.from_form_text(text));
        if matches!(self.place, Place::Emr | Place::Scaling) {
            tidy(spec);
        }
    }

    /// Whether the form's text already says `value`: then the input is left as typed (a
    /// trimmed list item or `07` for `7` must not move the caret).
    pub fn form_says(&self, text: &str, value: &Value) -> bool {
        match self.kind {
            Kind::Text | Kind::Target => text == self.form_text(value),
            _ => self.from_form_text(text) == *value || self.form_text(value) == text,
        }
    }
}

/// A comma-separated input's items, trimmed; blank text is no item.
pub fn split_items(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split(',').map(|s| s.trim().to_owned()).collect()
}

/// A value inside `emr:` (absent when there is none).
fn in_emr(s: &Spec, get: fn(&crate::EmrOverrides) -> Value) -> Value {
    s.emr.as_ref().map_or(Value::Absent, get)
}

/// A value inside `emr.managed_scaling:` (absent when there is none).
fn in_scaling(s: &Spec, get: fn(&crate::ManagedScaling) -> Value) -> Value {
    s.emr
        .as_ref()
        .and_then(|e| e.managed_scaling.as_ref())
        .map_or(Value::Absent, get)
}

/// Makes `emr:` if need be.
fn emr(s: &mut Spec) -> &mut crate::EmrOverrides {
    s.emr.get_or_insert_with(Default::default)
}

/// Makes `emr.managed_scaling:` if need be.
fn scaling(s: &mut Spec) -> &mut crate::ManagedScaling {
    emr(s).managed_scaling.get_or_insert_with(Default::default)
}

fn section(present: bool) -> Value {
    if present {
        Value::Present
    } else {
        Value::Absent
    }
}

/// A Slack channel: `#` and 1 to 80 lowercase letters, digits, `-`, `_` or `.`.
fn is_slack_channel(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|name| {
        (1..=80).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
    })
}

/// An e-mail address as people type them: one `@`, a local part, a domain with a dot, no
/// spaces.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && s.len() <= 254
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

const STRING: (&str, &str) = ("type", "\"string\"");

/// Every field of spec v1, in canonical order: a place's fields print in this order, and a
/// section's fields follow the section's own row.
pub static FIELDS: &[Field] = &[
    Field {
        key: "version",
        place: Place::Spec,
        kind: Kind::Int,
        required: true,
        doc: "The format's version: the integer `1`.",
        example: "`version: 1`",
        schema: &[("const", "1")],
        format: None,
        form: None,
        access: Access::Spec {
            get: |s| Value::opt_int(s.version),
            set: |s, v| s.version = v.int(),
        },
    },
    Field {
        key: "name",
        place: Place::Spec,
        kind: Kind::Text,
        required: true,
        doc: "A short slug for the backfill, `[a-z0-9][a-z0-9-]{0,62}`: it names the download (`<name>.backfill.yaml`) and, through the catalog's `upload.key`, the uploaded object.",
        example: "`name: clicks-recon-2022-08`",
        schema: &[STRING, ("pattern", "\"^[a-z0-9][a-z0-9-]{0,62}$\"")],
        format: None,
        form: Some(FormField {
            label: "Name",
            placeholder: "clicks-recon-2022-08",
            hint: Some("lowercase letters, digits and dashes"),
            row: "name",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| Value::Text(s.name.clone()),
            set: |s, v| s.name = v.text().unwrap_or_default(),
        },
    },
    Field {
        key: "reason",
        place: Place::Spec,
        kind: Kind::Text,
        required: true,
        doc: "Why the data is reprocessed, in a sentence; not empty. It is part of the fingerprint, so changing it is how the same backfill is run again on purpose.",
        example: "`reason: silver/gold mismatch for clicks`",
        schema: &[STRING, ("pattern", "\"\\\\S\"")],
        format: None,
        form: Some(FormField {
            label: "Reason",
            placeholder: "silver/gold mismatch for clicks (INC-4821)",
            hint: None,
            row: "reason",
            control: Control::Lines,
        }),
        access: Access::Spec {
            get: |s| Value::Text(s.reason.clone()),
            set: |s, v| s.reason = v.text().unwrap_or_default(),
        },
    },
    Field {
        key: "requested_by",
        place: Place::Spec,
        kind: Kind::Text,
        required: false,
        doc: "Who asked: a person or a team address.",
        example: "`requested_by: oncall@example.com`",
        schema: &[STRING],
        format: None,
        form: Some(FormField {
            label: "Requested by",
            placeholder: "oncall@example.com",
            hint: None,
            row: "who",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| Value::opt_text(&s.requested_by),
            set: |s, v| s.requested_by = v.text(),
        },
    },
    Field {
        key: "ticket",
        place: Place::Spec,
        kind: Kind::Text,
        required: false,
        doc: "The incident or ticket it belongs to.",
        example: "`ticket: INC-4821`",
        schema: &[STRING],
        format: None,
        form: Some(FormField {
            label: "Ticket",
            placeholder: "INC-4821",
            hint: None,
            row: "who",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| Value::opt_text(&s.ticket),
            set: |s, v| s.ticket = v.text(),
        },
    },
    Field {
        key: "notify",
        place: Place::Spec,
        kind: Kind::Texts,
        required: false,
        doc: "Where the run's summary goes: Slack channels (`#data-oncall`) and e-mail addresses, one or a list.",
        example: "`notify: [\"#data-oncall\", \"oncall@example.com\"]`",
        schema: &[(
            "anyOf",
            r##"[{"type": "string", "pattern": "^(#[a-z0-9._-]{1,80}|[^@\\s]+@([^@\\s.]+\\.)+[^@\\s.]+)$"}, {"type": "array", "items": {"type": "string", "pattern": "^(#[a-z0-9._-]{1,80}|[^@\\s]+@([^@\\s.]+\\.)+[^@\\s.]+)$"}}]"##,
        )],
        format: Some(Format {
            expected: "a Slack channel `#name` or an e-mail address",
            accepts: |s| is_slack_channel(s) || is_email(s),
        }),
        form: Some(FormField {
            label: "Notify",
            placeholder: "#data-oncall, oncall@example.com",
            hint: Some("Slack channels and e-mail addresses for the run's summary"),
            row: "who",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| Value::List(s.notify.clone()),
            set: |s, v| s.notify = v.list(),
        },
    },
    Field {
        key: "defaults",
        place: Place::Spec,
        kind: Kind::Section(Place::Defaults),
        required: false,
        doc: "Values an entry takes when it leaves them out: `target` only, today.",
        example: "`target: emr` or `target: replay`",
        schema: &[],
        format: None,
        form: Some(FormField {
            label: "Defaults",
            placeholder: "",
            hint: None,
            row: "",
            control: Control::Inline,
        }),
        access: Access::Spec {
            get: |s| section(s.defaults.target.is_some()),
            set: |_, _| {},
        },
    },
    Field {
        key: "target",
        place: Place::Defaults,
        kind: Kind::Target,
        required: false,
        doc: "The target of the entries that name none: `emr` or `replay`. Left out: `emr`.",
        example: "`target: replay`",
        schema: &[("$ref", "\"#/definitions/target\"")],
        format: None,
        form: Some(FormField {
            label: "Default target",
            placeholder: "",
            hint: None,
            row: "",
            control: Control::Target {
                unset: "emr (the default)",
            },
        }),
        access: Access::Spec {
            get: |s| Value::opt_text(&s.defaults.target),
            set: |s, v| s.defaults.target = v.text(),
        },
    },
    Field {
        key: "backfills",
        place: Place::Spec,
        kind: Kind::Entries,
        required: true,
        doc: "The entries, at least one (below).",
        example: "`- feeds: …` on its own line",
        schema: &[
            ("type", "\"array\""),
            ("minItems", "1"),
            ("items", "{\"$ref\": \"#/definitions/entry\"}"),
        ],
        format: None,
        form: Some(FormField {
            label: "Backfills",
            placeholder: "",
            hint: None,
            row: "",
            control: Control::Entries,
        }),
        access: Access::Spec {
            get: |_| Value::Present,
            set: |_, _| {},
        },
    },
    Field {
        key: "feeds",
        place: Place::Entry,
        kind: Kind::Feeds,
        required: true,
        doc: "`all` (every catalog feed that has partitions on the day), one feed name, or a list of names. Names must be in the catalog (`unknown-feed`, with \"did you mean\").",
        example: "`feeds: [clicks, orders]`",
        schema: &[("$ref", "\"#/definitions/feeds\"")],
        format: None,
        form: Some(FormField {
            label: "Feeds",
            placeholder: "",
            hint: None,
            row: "",
            control: Control::Feeds,
        }),
        access: Access::Entry {
            get: |e| Value::Feeds(e.feeds.clone()),
            set: |e, v| {
                e.feeds = match v {
                    Value::Feeds(f) => f,
                    _ => Feeds::default(),
                }
            },
        },
    },
    Field {
        key: "dates",
        place: Place::Entry,
        kind: Kind::Texts,
        required: true,
        doc: "One day, one range `FIRST..LAST` (both included), or a list of days and ranges. Items may overlap; the days they repeat are reported (`duplicate-feed-day`) and run once.",
        example: "`dates: [\"2022-08-10\", \"2022-07-01..2022-07-31\"]`",
        schema: &[("$ref", "\"#/definitions/dates\"")],
        format: None,
        form: Some(FormField {
            label: "Dates",
            placeholder: "2022-08-10, 2022-07-01..2022-07-31",
            hint: Some("days and inclusive ranges (start..end), separated by commas"),
            row: "",
            control: Control::Days,
        }),
        access: Access::Entry {
            get: |e| Value::List(e.dates.clone()),
            set: |e, v| e.dates = v.list(),
        },
    },
    Field {
        key: "except",
        place: Place::Entry,
        kind: Kind::Texts,
        required: false,
        doc: "Days and ranges removed from `dates`, in the same syntax.",
        example: "`except: [\"2022-07-04\"]`",
        schema: &[("$ref", "\"#/definitions/dates\"")],
        format: None,
        form: Some(FormField {
            label: "Except",
            placeholder: "2022-07-04",
            hint: Some("days left out of the dates"),
            row: "how",
            control: Control::Line,
        }),
        access: Access::Entry {
            get: |e| Value::List(e.except.clone()),
            set: |e, v| e.except = v.list(),
        },
    },
    Field {
        key: "hours",
        place: Place::Entry,
        kind: Kind::Hours,
        required: false,
        doc: "Part of each day: an hour `5`, a range `0-11`, or a list of them (`[0, 5-7]`). Only for feeds the catalog marks `hourly`. Left out: the whole day.",
        example: "`hours: [0, 5-7]`",
        schema: &[("$ref", "\"#/definitions/hours\"")],
        format: None,
        form: Some(FormField {
            label: "Hours",
            placeholder: "0-11, 14",
            hint: Some("empty: the whole day; hourly feeds only"),
            row: "how",
            control: Control::Line,
        }),
        access: Access::Entry {
            get: |e| Value::List(e.hours.clone()),
            set: |e, v| e.hours = v.list(),
        },
    },
    Field {
        key: "target",
        place: Place::Entry,
        kind: Kind::Target,
        required: false,
        doc: "`emr` (steps on the cluster) or `replay` (messages through SQS, for feeds the catalog marks `replay`). Left out: `defaults.target`, then `emr`.",
        example: "`target: replay`",
        schema: &[("$ref", "\"#/definitions/target\"")],
        format: None,
        form: Some(FormField {
            label: "Target",
            placeholder: "",
            hint: None,
            row: "how",
            control: Control::Target {
                unset: "the default",
            },
        }),
        access: Access::Entry {
            get: |e| Value::opt_text(&e.target),
            set: |e, v| e.target = v.text(),
        },
    },
    Field {
        key: "note",
        place: Place::Entry,
        kind: Kind::Text,
        required: false,
        doc: "Free text for the people who read the spec.",
        example: "`note: apply schema v42`",
        schema: &[STRING],
        format: None,
        form: Some(FormField {
            label: "Note",
            placeholder: "apply schema v42",
            hint: None,
            row: "",
            control: Control::Line,
        }),
        access: Access::Entry {
            get: |e| Value::opt_text(&e.note),
            set: |e, v| e.note = v.text(),
        },
    },
    Field {
        key: "emr",
        place: Place::Spec,
        kind: Kind::Section(Place::Emr),
        required: false,
        doc: "Overrides of the catalog's EMR cluster settings (below).",
        example: "overrides such as `step_concurrency: 4`",
        schema: &[
            (
                "if",
                "{\"properties\": {\"step_concurrency\": {\"type\": \"integer\", \"minimum\": 2}}, \"required\": [\"step_concurrency\"]}",
            ),
            (
                "then",
                "{\"properties\": {\"action_on_failure\": {\"const\": \"CONTINUE\"}}}",
            ),
        ],
        format: None,
        form: Some(FormField {
            label: "EMR cluster overrides (optional)",
            placeholder: "",
            hint: None,
            row: "",
            control: Control::Collapsed,
        }),
        access: Access::Spec {
            get: |s| section(s.emr.is_some()),
            set: |s, v| {
                if v == Value::Present {
                    emr(s);
                } else {
                    s.emr = None
                }
            },
        },
    },
    Field {
        key: "action_on_failure",
        place: Place::Emr,
        kind: Kind::Text,
        required: false,
        doc: "`CONTINUE`, `CANCEL_AND_WAIT` or `TERMINATE_CLUSTER`. With `step_concurrency` above 1, EMR accepts only `CONTINUE`.",
        example: "`action_on_failure: CONTINUE`",
        schema: &[(
            "enum",
            "[\"CONTINUE\", \"CANCEL_AND_WAIT\", \"TERMINATE_CLUSTER\"]",
        )],
        format: None,
        form: Some(FormField {
            label: "Action on failure",
            placeholder: "CONTINUE",
            hint: Some("CONTINUE, CANCEL_AND_WAIT or TERMINATE_CLUSTER"),
            row: "cluster",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| in_emr(s, |e| Value::opt_text(&e.action_on_failure)),
            set: |s, v| emr(s).action_on_failure = v.text(),
        },
    },
    Field {
        key: "step_concurrency",
        place: Place::Emr,
        kind: Kind::Int,
        required: false,
        doc: "Steps running at once, 1 to 256.",
        example: "`step_concurrency: 4`",
        schema: &[
            ("type", "\"integer\""),
            ("minimum", "1"),
            ("maximum", "256"),
        ],
        format: None,
        form: Some(FormField {
            label: "Step concurrency",
            placeholder: "1",
            hint: Some("1 to 256"),
            row: "cluster",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| in_emr(s, |e| Value::opt_int(e.step_concurrency)),
            set: |s, v| emr(s).step_concurrency = v.int(),
        },
    },
    Field {
        key: "instance_type",
        place: Place::Emr,
        kind: Kind::Text,
        required: false,
        doc: "The EC2 instance type of the cluster's nodes, e.g. `m6g.2xlarge`.",
        example: "`instance_type: m6g.2xlarge`",
        schema: &[STRING, ("pattern", "\"^[a-z0-9-]+\\\\.[a-z0-9]+$\"")],
        format: None,
        form: Some(FormField {
            label: "Instance type",
            placeholder: "m6g.2xlarge",
            hint: None,
            row: "cluster",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| in_emr(s, |e| Value::opt_text(&e.instance_type)),
            set: |s, v| emr(s).instance_type = v.text(),
        },
    },
    Field {
        key: "managed_scaling",
        place: Place::Emr,
        kind: Kind::Section(Place::Scaling),
        required: false,
        doc: "EMR managed scaling: `unit_type`, `min_units` and `max_units`, with `min_units` ≤ `max_units`.",
        example: "`{unit_type: Instances, min_units: 2, max_units: 40}`",
        schema: &[],
        format: None,
        form: Some(FormField {
            label: "Managed scaling",
            placeholder: "",
            hint: None,
            row: "",
            control: Control::Inline,
        }),
        access: Access::Spec {
            get: |s| section(s.emr.as_ref().is_some_and(|e| e.managed_scaling.is_some())),
            set: |s, v| {
                if v == Value::Present {
                    scaling(s);
                } else if let Some(e) = &mut s.emr {
                    e.managed_scaling = None
                }
            },
        },
    },
    Field {
        key: "unit_type",
        place: Place::Scaling,
        kind: Kind::Text,
        required: false,
        doc: "`Instances`, `InstanceFleetUnits` or `VCPU`.",
        example: "`unit_type: Instances`",
        schema: &[("enum", "[\"Instances\", \"InstanceFleetUnits\", \"VCPU\"]")],
        format: None,
        form: Some(FormField {
            label: "Scaling unit type",
            placeholder: "Instances",
            hint: None,
            row: "scaling",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| in_scaling(s, |m| Value::opt_text(&m.unit_type)),
            set: |s, v| scaling(s).unit_type = v.text(),
        },
    },
    Field {
        key: "min_units",
        place: Place::Scaling,
        kind: Kind::Int,
        required: false,
        doc: "The fewest units the cluster scales down to.",
        example: "`min_units: 2`",
        schema: &[("type", "\"integer\""), ("minimum", "1")],
        format: None,
        form: Some(FormField {
            label: "Scaling min units",
            placeholder: "2",
            hint: None,
            row: "scaling",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| in_scaling(s, |m| Value::opt_int(m.min_units)),
            set: |s, v| scaling(s).min_units = v.int(),
        },
    },
    Field {
        key: "max_units",
        place: Place::Scaling,
        kind: Kind::Int,
        required: false,
        doc: "The most units the cluster scales up to.",
        example: "`max_units: 40`",
        schema: &[("type", "\"integer\""), ("minimum", "1")],
        format: None,
        form: Some(FormField {
            label: "Scaling max units",
            placeholder: "40",
            hint: None,
            row: "scaling",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| in_scaling(s, |m| Value::opt_int(m.max_units)),
            set: |s, v| scaling(s).max_units = v.int(),
        },
    },
    Field {
        key: "tags",
        place: Place::Emr,
        kind: Kind::Tags,
        required: false,
        doc: "A mapping of tag keys to string values, added to the catalog's (the spec's value wins on the same key).",
        example: "`{team: data-platform}`",
        schema: &[
            ("type", "\"object\""),
            ("additionalProperties", "{\"type\": \"string\"}"),
        ],
        format: None,
        form: Some(FormField {
            label: "Tags",
            placeholder: "team=data-platform, cost-center=42",
            hint: Some("key=value pairs, separated by commas"),
            row: "",
            control: Control::Line,
        }),
        access: Access::Spec {
            get: |s| in_emr(s, |e| Value::Tags(e.tags.clone())),
            set: |s, v| {
                emr(s).tags = match v {
                    Value::Tags(tags) => tags,
                    _ => Vec::new(),
                }
            },
        },
    },
    Field {
        key: "$schema",
        place: Place::Spec,
        kind: Kind::Text,
        required: false,
        doc: "Ignored: lets an editor find the JSON Schema. Not printed by `fmt`.",
        example: "`$schema: ./spec-v1.schema.json`",
        schema: &[STRING],
        format: None,
        form: None,
        access: Access::Spec {
            get: |_| Value::Absent,
            set: |_, _| {},
        },
    },
];

/// The Markdown table of `place`'s fields for docs/spec-format.md, which holds one between
/// `<!-- fields: NAME -->` and `<!-- /fields -->` for each place (tests/generated.rs keeps them
/// the same).
pub fn markdown_table(place: Place) -> String {
    let mut out = String::from("| key | required | what it holds |\n|---|---|---|\n");
    for f in place.fields() {
        let required = if f.required { "yes" } else { "no" };
        out.push_str(&format!("| `{}` | {required} | {} |\n", f.key, f.doc));
    }
    out
}

/// Drops `emr:` and `managed_scaling:` when they override nothing.
fn tidy(spec: &mut Spec) {
    if let Some(e) = &mut spec.emr {
        if e.managed_scaling == Some(Default::default()) {
            e.managed_scaling = None;
        }
        if *e == Default::default() {
            spec.emr = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_in_their_place() {
        for f in FIELDS {
            assert_eq!(
                f.place.fields().filter(|g| g.key == f.key).count(),
                1,
                "{}",
                f.key
            );
        }
    }

    #[test]
    fn a_section_comes_before_its_fields() {
        for (i, f) in FIELDS.iter().enumerate() {
            if let Kind::Section(inner) = f.kind {
                let first = FIELDS.iter().position(|g| g.place == inner).unwrap();
                assert!(first > i, "{}", f.key);
            }
        }
    }

    /// The form shows each field by its control: one that does not fit the field's kind or
    /// place would show nothing (src/components/form_fields.rs).
    #[test]
    fn each_control_fits_its_field() {
        for f in FIELDS {
            let Some(form) = f.form else { continue };
            let fits = match form.control {
                Control::Line => !matches!(f.kind, Kind::Section(_) | Kind::Entries),
                Control::Lines => f.kind == Kind::Text,
                Control::Days => f.kind == Kind::Texts && f.place == Place::Entry,
                Control::Feeds => f.kind == Kind::Feeds && f.place == Place::Entry,
                Control::Target { .. } => f.kind == Kind::Target,
                Control::Inline | Control::Collapsed => matches!(f.kind, Kind::Section(_)),
                Control::Entries => f.kind == Kind::Entries,
            };
            assert!(
                fits,
                "{}: {:?} does not fit {:?}",
                f.key, form.control, f.kind
            );
        }
    }

    #[test]
    fn form_text_reads_back() {
        let spec = crate::Spec::default();
        for f in FIELDS.iter().filter(|f| f.form.is_some()) {
            let v = f.get(&spec, At::Entry(0));
            assert!(
                f.form_says(&f.form_text(&v), &v) || v == Value::Absent,
                "{}",
                f.key
            );
        }
        let hours = Place::Entry.field("hours").unwrap();
        assert!(hours.form_says("0-11,5", &Value::List(vec!["0-11".into(), "5".into()])));
        let n = Place::Emr.field("step_concurrency").unwrap();
        assert!(n.form_says("07", &Value::Int(7)));
        assert_eq!(n.from_form_text("x"), Value::Absent);
    }

    #[test]
    fn notify_addresses() {
        assert!(is_slack_channel("#data-oncall"));
        assert!(!is_slack_channel("#Data"));
        assert!(!is_slack_channel("data"));
        assert!(is_email("oncall@example.com"));
        assert!(!is_email("oncall@example"));
        assert!(!is_email("on call@example.com"));
        assert!(!is_email("a@b@c.com"));
    }
}
