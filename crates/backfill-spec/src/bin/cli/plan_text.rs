//! `plan --format text`: the summary a person checks before launching, then every step and
//! message, one per line.

use std::io::{self, Write};

use backfill_spec::Plan;

pub fn write(w: &mut dyn Write, file: &str, plan: &Plan) -> io::Result<()> {
    let s = &plan.summary;
    let c = &plan.emr.settings;
    let days = match (s.first_day, s.last_day) {
        (Some(a), Some(b)) if a == b => format!(" on {a}"),
        (Some(a), Some(b)) => format!(", {a} .. {b}"),
        _ => String::new(),
    };
    writeln!(w, "plan of {file}")?;
    writeln!(
        w,
        "  {} ({} partial) over {}{days}",
        plural(s.feed_days, "feed-day"),
        s.partial_days,
        plural(s.feeds, "feed")
    )?;
    if !plan.feeds.is_empty() {
        writeln!(w, "  feeds: {}", plan.feeds.join(", "))?;
    }
    writeln!(
        w,
        "  EMR: {} in {}; {} ({} {}..{}), step concurrency {}, on failure {}",
        plural(s.emr_steps, "step"),
        plural(s.emr_waves, "wave"),
        c.instance_type,
        c.managed_scaling.unit_type,
        c.managed_scaling.min_units,
        c.managed_scaling.max_units,
        c.step_concurrency,
        c.action_on_failure
    )?;
    writeln!(
        w,
        "  replay: {} in {}",
        plural(s.replay_messages, "message"),
        plural(s.replay_batches, "batch")
    )?;
    if plan.truncated {
        writeln!(
            w,
            "  INCOMPLETE: the plan stops at {} feed-days",
            backfill_spec::plan::MAX_UNITS
        )?;
    }
    let waves = s.emr_waves;
    for (n, wave) in plan.emr.waves().enumerate() {
        writeln!(
            w,
            "\nEMR wave {}/{waves} ({})",
            n + 1,
            plural(wave.len(), "step")
        )?;
        for i in wave {
            let step = plan.emr.step(i);
            writeln!(w, "  {}: {}", step.name, step.args.join(" "))?;
        }
    }
    let batches = s.replay_batches;
    for (n, batch) in plan.replay.batches().enumerate() {
        writeln!(
            w,
            "\nreplay batch {}/{batches} ({})",
            n + 1,
            plural(batch.len(), "message")
        )?;
        for i in batch {
            let m = plan.replay.message(i);
            writeln!(w, "  {} {}", m.id, m.body)?;
        }
    }
    Ok(())
}

fn plural(n: usize, what: &str) -> String {
    match (n, what.ends_with('h')) {
        (1, _) => format!("1 {what}"),
        (_, true) => format!("{n} {what}es"),
        _ => format!("{n} {what}s"),
    }
}
