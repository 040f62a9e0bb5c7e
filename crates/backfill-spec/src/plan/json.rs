//! The plan as JSON: the contract the CLI prints and the uploaded object carries (described
//! in docs/contract.md). Streamed through a small buffer: a million steps are written one at
//! a time, never held as one `serde_json::Value` or one string.

use std::io::{self, Write};

use super::Plan;
use super::template::push_day;
use crate::json_writer::{JsonWriter, Layout};

/// Flush to the writer once the buffer holds this much.
const CHUNK: usize = 64 * 1024;

impl Plan {
    /// Writes the plan JSON: one step or message per line, so that diffs of expected plans
    /// stay readable, in a fixed key order.
    pub fn write_json(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut out = String::with_capacity(CHUNK + 1024);
        self.write_json_with(&mut JsonWriter::new(&mut out), w)?;
        out.push('\n');
        w.write_all(out.as_bytes())
    }

    /// The plan JSON as a string, for tests.
    pub fn to_json(&self) -> String {
        let mut bytes = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = self.write_json(&mut bytes);
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The plan JSON on one line, without a space outside strings: what the uploaded object
    /// carries and `plan_sha256` hashes. The bytes are what Python's `json.dumps(plan,
    /// separators=(",", ":"), ensure_ascii=False)` prints for the same plan.
    pub fn to_compact_json(&self) -> String {
        let (mut bytes, mut out) = (Vec::new(), String::new());
        // Writing to a Vec cannot fail.
        let _ = self.write_json_with(&mut JsonWriter::compact(&mut out), &mut bytes);
        bytes.extend_from_slice(out.as_bytes());
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Writes the plan through `json`, handing its buffer to `sink` whenever it fills up; the
    /// rest stays in the buffer.
    fn write_json_with(&self, json: &mut JsonWriter<'_>, sink: &mut dyn Write) -> io::Result<()> {
        json.begin_object(Layout::Lines);
        json.key("summary");
        self.write_summary(json);
        json.key("emr");
        json.begin_object(Layout::Lines);
        json.key("cluster");
        self.write_cluster(json);
        json.key("waves");
        json.begin_array(Layout::Lines);
        let mut scratch = String::new();
        for wave in self.emr.waves() {
            json.begin_array(Layout::Lines);
            for i in wave {
                self.emr.write_step_json(i, json, &mut scratch);
                flush_if_full(json, sink)?;
            }
            json.end_array();
        }
        json.end_array();
        json.end_object();
        json.key("replay");
        json.begin_object(Layout::Lines);
        json.key("batches");
        json.begin_array(Layout::Lines);
        for batch in self.replay.batches() {
            json.begin_array(Layout::Lines);
            for i in batch {
                self.replay.write_message_json(i, json);
                flush_if_full(json, sink)?;
            }
            json.end_array();
        }
        json.end_array();
        json.end_object();
        json.end_object();
        Ok(())
    }

    fn write_summary(&self, json: &mut JsonWriter<'_>) {
        let s = &self.summary;
        let day = |json: &mut JsonWriter<'_>, d: Option<crate::Day>| match d {
            Some(d) => {
                let mut text = String::new();
                push_day(&mut text, d);
                json.string(&text);
            }
            None => json.null(),
        };
        json.begin_object(Layout::Inline);
        json.key("feed_days");
        json.count(s.feed_days);
        json.key("emr_steps");
        json.count(s.emr_steps);
        json.key("emr_waves");
        json.count(s.emr_waves);
        json.key("replay_messages");
        json.count(s.replay_messages);
        json.key("replay_batches");
        json.count(s.replay_batches);
        json.key("first_day");
        day(json, s.first_day);
        json.key("last_day");
        day(json, s.last_day);
        json.key("feeds");
        json.begin_array(Layout::Inline);
        for f in &self.feeds {
            json.string(f);
        }
        json.end_array();
        json.key("partial_days");
        json.count(s.partial_days);
        json.key("duplicates");
        json.count(self.duplicates.len());
        json.key("truncated");
        json.bool(self.truncated);
        json.end_object();
    }

    fn write_cluster(&self, json: &mut JsonWriter<'_>) {
        let c = &self.emr.settings;
        json.begin_object(Layout::Inline);
        json.key("action_on_failure");
        json.string(&c.action_on_failure);
        json.key("step_concurrency");
        json.int(c.step_concurrency);
        json.key("instance_type");
        json.string(&c.instance_type);
        json.key("managed_scaling");
        json.begin_object(Layout::Inline);
        json.key("unit_type");
        json.string(&c.managed_scaling.unit_type);
        json.key("min_units");
        json.int(c.managed_scaling.min_units);
        json.key("max_units");
        json.int(c.managed_scaling.max_units);
        json.end_object();
        json.key("tags");
        json.begin_object(Layout::Inline);
        for (k, v) in &c.tags {
            json.key(k);
            json.string(v);
        }
        json.end_object();
        json.end_object();
    }
}

fn flush_if_full(json: &mut JsonWriter<'_>, sink: &mut dyn Write) -> io::Result<()> {
    let out = json.buffer();
    if out.len() >= CHUNK {
        sink.write_all(out.as_bytes())?;
        out.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::plan::tests::catalog;
    use crate::{Entry, Feeds, Spec};

    /// The streamed step JSON and the rendered step are two paths to the same data.
    #[test]
    fn streamed_steps_equal_rendered_steps() {
        let mut entry = Entry {
            feeds: Feeds::All,
            dates: vec!["2022-08-10..2022-08-12".into()],
            ..Entry::default()
        };
        entry.hours = vec!["0-3".into(), "9".into()];
        let spec = Spec {
            name: "x".into(),
            backfills: vec![entry],
            ..Spec::default()
        };
        let plan = crate::plan::build(&spec, &catalog(1));
        let value: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
        let streamed = value["emr"]["waves"][0].as_array().unwrap();
        assert_eq!(streamed.len(), plan.emr.steps.len());
        for (i, json) in streamed.iter().enumerate() {
            let step = plan.emr.step(i);
            assert_eq!(json["Name"], step.name.as_str());
            assert_eq!(json["ActionOnFailure"], step.action_on_failure.as_str());
            assert_eq!(json["HadoopJarStep"]["Args"], serde_json::json!(step.args));
        }
    }
}
