//! The plan as JSON: the contract the CLI prints and the uploaded object carries (described
//! in docs/contract.md). Streamed through a small buffer: a million steps are written one at
//! a time, never held as one `serde_json::Value` or one string.

use std::io::{self, Write};

use super::Plan;
use super::template::push_day;
use crate::emit::push_json_string;

/// Flush to the writer once the buffer holds this much.
const CHUNK: usize = 64 * 1024;

impl Plan {
    /// Writes the plan JSON: one step or message per line, so that diffs of expected plans
    /// stay readable, in a fixed key order.
    pub fn write_json(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut out = String::with_capacity(CHUNK + 1024);
        let mut scratch = String::new();
        out.push_str("{\n  \"summary\": ");
        self.push_summary(&mut out);
        out.push_str(",\n  \"emr\": {\n    \"cluster\": ");
        self.push_cluster(&mut out);
        out.push_str(",\n    \"waves\": [");
        for (n, wave) in self.emr.waves().enumerate() {
            out.push_str(if n == 0 { "\n      [" } else { ",\n      [" });
            for (k, i) in wave.enumerate() {
                out.push_str(if k == 0 { "\n        " } else { ",\n        " });
                self.emr.push_step_json(i, &mut out, &mut scratch);
                flush_if_full(&mut out, w)?;
            }
            out.push_str("\n      ]");
        }
        out.push_str(if self.emr.steps.is_empty() {
            "]\n  },\n"
        } else {
            "\n    ]\n  },\n"
        });
        out.push_str("  \"replay\": {\n    \"batches\": [");
        for (n, batch) in self.replay.batches().enumerate() {
            out.push_str(if n == 0 { "\n      [" } else { ",\n      [" });
            for (k, i) in batch.enumerate() {
                out.push_str(if k == 0 { "\n        " } else { ",\n        " });
                let m = self.replay.message(i);
                out.push_str("{\"Id\": ");
                push_json_string(&mut out, &m.id);
                out.push_str(", \"MessageBody\": ");
                push_json_string(&mut out, &m.body);
                out.push('}');
                flush_if_full(&mut out, w)?;
            }
            out.push_str("\n      ]");
        }
        out.push_str(if self.replay.messages.is_empty() {
            "]\n  }\n}\n"
        } else {
            "\n    ]\n  }\n}\n"
        });
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
        let mut compact = Compact {
            bytes: Vec::new(),
            in_string: false,
            escaped: false,
        };
        // Writing to a Vec cannot fail.
        let _ = self.write_json(&mut compact);
        String::from_utf8(compact.bytes).unwrap_or_default()
    }

    fn push_summary(&self, out: &mut String) {
        let s = &self.summary;
        let day = |out: &mut String, d: Option<crate::Day>| match d {
            Some(d) => {
                out.push('"');
                push_day(out, d);
                out.push('"');
            }
            None => out.push_str("null"),
        };
        out.push_str(&format!(
            "{{\"feed_days\": {}, \"emr_steps\": {}, \"emr_waves\": {}, \"replay_messages\": {}, \"replay_batches\": {}, \"first_day\": ",
            s.feed_days, s.emr_steps, s.emr_waves, s.replay_messages, s.replay_batches
        ));
        day(out, s.first_day);
        out.push_str(", \"last_day\": ");
        day(out, s.last_day);
        out.push_str(", \"feeds\": [");
        for (i, f) in self.feeds.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_json_string(out, f);
        }
        out.push_str(&format!(
            "], \"partial_days\": {}, \"duplicates\": {}, \"truncated\": {}}}",
            s.partial_days,
            self.duplicates.len(),
            self.truncated
        ));
    }

    fn push_cluster(&self, out: &mut String) {
        let c = &self.emr.settings;
        out.push_str("{\"action_on_failure\": ");
        push_json_string(out, &c.action_on_failure);
        out.push_str(&format!(
            ", \"step_concurrency\": {}, \"instance_type\": ",
            c.step_concurrency
        ));
        push_json_string(out, &c.instance_type);
        out.push_str(", \"managed_scaling\": {\"unit_type\": ");
        push_json_string(out, &c.managed_scaling.unit_type);
        out.push_str(&format!(
            ", \"min_units\": {}, \"max_units\": {}}}, \"tags\": {{",
            c.managed_scaling.min_units, c.managed_scaling.max_units
        ));
        for (i, (k, v)) in c.tags.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_json_string(out, k);
            out.push_str(": ");
            push_json_string(out, v);
        }
        out.push_str("}}");
    }
}

/// Drops the layout (spaces and line breaks outside strings) of the JSON written through it.
/// The writer's own strings never hold a raw space or line break that is not inside quotes.
struct Compact {
    bytes: Vec<u8>,
    in_string: bool,
    escaped: bool,
}

impl Write for Compact {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            if self.in_string {
                self.in_string = self.escaped || b != b'"';
                self.escaped = !self.escaped && b == b'\\';
            } else if b == b'"' {
                self.in_string = true;
            } else if b == b' ' || b == b'\n' {
                continue;
            }
            self.bytes.push(b);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn flush_if_full(out: &mut String, w: &mut dyn Write) -> io::Result<()> {
    if out.len() >= CHUNK {
        w.write_all(out.as_bytes())?;
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
