"""The run's summary for the task log: EMR steps completed and failed by feed and day, replay
messages sent and failed. Steps and messages do not name their feed and day as fields (the
catalog's templates write them), so they are found among the plan's feed names and the
YYYY-MM-DD days in a step's name and arguments, or in a message's values."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from typing import Any

from .emr import StepResult
from .replay import ReplayOutcome

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
LISTED = 50  # failures named one by one in the log; the rest are counted


def feed_and_day(strings: list[str], feeds: list[str]) -> tuple[str, str]:
    """The first plan feed among `strings` (or among their words) and the days in them
    (`2022-07-01`, or `2022-07-01..2022-07-03` for a step over several days)."""
    feed = next((s for s in strings if s in feeds), None)
    if feed is None:
        words = [w for s in strings for w in re.split(r"[\s/=:,]+", s)]
        feed = next((w for w in words if w in feeds), "?")
    days = sorted({d for s in strings for d in _DAY.findall(s)})
    day = "?" if not days else days[0] if len(days) == 1 else f"{days[0]}..{days[-1]}"
    return feed, day


def step_label(step: dict[str, Any], feeds: list[str]) -> tuple[str, str]:
    return feed_and_day([step["Name"], *step["HadoopJarStep"]["Args"]], feeds)


def message_label(entry: dict[str, Any], feeds: list[str]) -> tuple[str, str]:
    try:
        body = json.loads(entry["MessageBody"])
        values = [str(v) for v in body.values()] if isinstance(body, dict) else [str(body)]
    except ValueError:
        values = [entry["MessageBody"]]
    return feed_and_day(values, feeds)


def steps_summary(results: list[StepResult], feeds: list[str]) -> dict[str, Any]:
    """A small, JSON-able summary (it travels as the task's XCom, never the plan itself)."""
    by_feed: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    failed = []
    for r in results:
        feed, day = step_label(r.step, feeds)
        by_feed[feed][r.state].append(day)
        if r.state != "COMPLETED":
            failed.append(f"wave {r.wave + 1}: {r.step['Name']!r} {r.state}")
    return {
        "steps": len(results),
        "completed": sum(r.state == "COMPLETED" for r in results),
        "failed": len(failed),
        "failed_steps": failed[:LISTED],
        "by_feed": {
            feed: {state: _days(days) for state, days in sorted(states.items())}
            for feed, states in sorted(by_feed.items())
        },
    }


def replay_summary(outcome: ReplayOutcome, feeds: list[str]) -> dict[str, Any]:
    failed = []
    for entry, why in outcome.failed:
        feed, day = message_label(entry, feeds)
        failed.append(f"{entry['Id']} ({feed} {day}): {why}")
    return {"sent": outcome.sent, "failed": len(failed), "failed_messages": failed[:LISTED]}


def _days(days: list[str]) -> str:
    """`2022-07-01..2022-07-03, 2022-07-05` (a run of consecutive days as one range): a
    feed-day count can reach millions, its runs are few."""
    parsed = sorted({d for d in days if _DAY.fullmatch(d)})
    others = sorted({d for d in days if not _DAY.fullmatch(d)})
    runs: list[list[str]] = []
    for d in parsed:
        if runs and dt.date.fromisoformat(d) - dt.date.fromisoformat(runs[-1][-1]) == dt.timedelta(
            1
        ):
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [r[0] if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs] + others
    return f"{len(days)}: " + ", ".join(parts)


def step_lines(steps: dict[str, Any]) -> list[str]:
    lines = [
        f"EMR steps: {steps['steps']} in all, {steps['completed']} completed, "
        f"{steps['failed']} failed or not run"
    ]
    for feed, states in steps["by_feed"].items():
        for state, days in states.items():
            lines.append(f"  {feed} {state.lower()}: {days}")
    return lines + _listed(steps["failed_steps"], steps["failed"])


def replay_lines(replay: dict[str, Any]) -> list[str]:
    lines = [f"replay messages: {replay['sent']} sent, {replay['failed']} failed"]
    return lines + _listed(replay["failed_messages"], replay["failed"])


def log_lines(
    name: str, fingerprint: str, steps: dict[str, Any], replay: dict[str, Any]
) -> list[str]:
    header = f"backfill {name} (fingerprint {fingerprint[:16]}…)"
    return [header, *step_lines(steps), *replay_lines(replay)]


def _listed(named: list[str], count: int) -> list[str]:
    more = [f"  … and {count - len(named)} more"] if count > len(named) else []
    return [f"  {n}" for n in named] + more
