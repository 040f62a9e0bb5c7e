//! The replay half of the plan: one SQS message per unit, rendered from the catalog's
//! message template on demand, cut into SendMessageBatch batches.

use super::template::Template;
use super::{RenderContext, Target, Unit};
use crate::json_writer::{JsonWriter, Layout};
use crate::{Catalog, Day, HourSet};

/// SendMessageBatch takes at most 10 entries…
pub const MAX_BATCH_ENTRIES: usize = 10;
/// …and at most 1 MiB of message bodies in all.
pub const MAX_BATCH_BYTES: usize = 1 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageDescriptor {
    /// Index into `Plan::feeds`.
    pub feed: u32,
    pub day: Day,
    pub hours: HourSet,
    pub entry: u32,
}

/// A rendered SendMessageBatch entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayMessage {
    /// Unique within the plan (so within its batch): `m` and the message's index.
    pub id: String,
    /// A JSON object: the template's keys in catalog order, values rendered.
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayPlan {
    /// Sorted by (day, feed), like the units.
    pub messages: Vec<MessageDescriptor>,
    /// Index of the first message of each batch.
    batch_starts: Vec<u32>,
    template: Vec<(String, Template)>,
    render: RenderContext,
}

impl ReplayPlan {
    pub(super) fn build(units: &[Unit], catalog: &Catalog, render: RenderContext) -> ReplayPlan {
        let messages: Vec<MessageDescriptor> = units
            .iter()
            .filter(|u| u.target == Target::Replay)
            .map(|u| MessageDescriptor {
                feed: u.feed,
                day: u.day,
                hours: u.hours,
                entry: u.entry,
            })
            .collect();
        let template = catalog
            .replay_message
            .iter()
            .map(|(k, v)| (k.clone(), Template::parse(v)))
            .collect();
        let mut plan = ReplayPlan {
            messages,
            batch_starts: Vec::new(),
            template,
            render,
        };
        plan.batch_starts = plan.cut_batches();
        plan
    }

    /// Greedy batches of ≤10 messages and ≤1 MiB. Bodies are rendered only when ten of the
    /// largest possible body could exceed the byte limit; otherwise every batch is ten.
    fn cut_batches(&self) -> Vec<u32> {
        let n = self.messages.len();
        let longest_feed = self.render.feeds.iter().map(String::len).max().unwrap_or(0);
        // Escaping can at most sextuple a character (`\u00XX`); hours print in ≤ 61 chars.
        let bound: usize = 2 + self
            .template
            .iter()
            .map(|(k, t)| 6 * k.len() + 4 + 6 * (t.max_len(longest_feed, 61, &self.render)))
            .sum::<usize>();
        if bound.saturating_mul(MAX_BATCH_ENTRIES) <= MAX_BATCH_BYTES {
            return (0..n)
                .step_by(MAX_BATCH_ENTRIES)
                .map(|i| i as u32)
                .collect();
        }
        let mut starts = Vec::new();
        let (mut count, mut bytes) = (0usize, 0usize);
        let mut body = String::new();
        for i in 0..n {
            body.clear();
            self.body_into(i, &mut body);
            if count == 0 || count == MAX_BATCH_ENTRIES || bytes + body.len() > MAX_BATCH_BYTES {
                starts.push(i as u32);
                count = 0;
                bytes = 0;
            }
            count += 1;
            bytes += body.len();
        }
        starts
    }

    pub fn batch_count(&self) -> usize {
        self.batch_starts.len()
    }

    /// Message indices of each batch, in order.
    pub fn batches(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let n = self.messages.len();
        (0..self.batch_starts.len()).map(move |b| {
            let end = self.batch_starts.get(b + 1).map_or(n, |&e| e as usize);
            self.batch_starts[b] as usize..end
        })
    }

    /// The `Entries` of batch `b` as SendMessageBatch takes them: a JSON array, one entry per
    /// line. Empty for a batch that does not exist.
    pub fn batch_json(&self, b: usize) -> String {
        let Some(batch) = self.batches().nth(b) else {
            return String::new();
        };
        let mut out = String::new();
        let mut json = JsonWriter::new(&mut out);
        json.begin_array(Layout::Lines);
        for i in batch {
            self.write_message_json(i, &mut json);
        }
        json.end_array();
        out.push('\n');
        out
    }

    /// Writes message `i` as SendMessageBatch takes it: `{"Id": …, "MessageBody": …}`.
    pub(crate) fn write_message_json(&self, i: usize, json: &mut JsonWriter<'_>) {
        let m = self.message(i);
        json.begin_object(Layout::Inline);
        json.key("Id");
        json.string(&m.id);
        json.key("MessageBody");
        json.string(&m.body);
        json.end_object();
    }

    /// Renders message `i`. Panics only on an index out of range, like slice indexing.
    pub fn message(&self, i: usize) -> ReplayMessage {
        let mut body = String::new();
        self.body_into(i, &mut body);
        ReplayMessage {
            id: format!("m{i}"),
            body,
        }
    }

    pub(super) fn body_len(&self, i: usize, scratch: &mut String) -> usize {
        scratch.clear();
        self.body_into(i, scratch);
        scratch.len()
    }

    fn body_into(&self, i: usize, out: &mut String) {
        let m = self.messages[i];
        let values = self.render.values(m.feed, m.day, m.day, m.hours);
        let mut value = String::new();
        let mut json = JsonWriter::compact(out);
        json.begin_object(Layout::Compact);
        for (key, template) in &self.template {
            json.key(key);
            value.clear();
            template.render_into(&values, &mut value);
            json.string(&value);
        }
        json.end_object();
    }
}

impl Template {
    /// An upper bound of the rendered length in bytes, for any feed of the plan and any day.
    fn max_len(&self, longest_feed: usize, longest_hours: usize, render: &RenderContext) -> usize {
        let values = super::template::Values {
            feed: "",
            start: Day::EPOCH,
            end: Day::EPOCH,
            hours: crate::HourSet::FULL,
            name: &render.name,
            fingerprint: &render.fingerprint,
        };
        // Rendered with an empty feed and full hours, then the variable parts added back at
        // their longest, once per placeholder; overestimating only costs a precise pass.
        let base = self.render(&values).len();
        base + self.placeholder_count() * (longest_feed + longest_hours)
    }
}
