"""The DAG's settings: Airflow Variables (or `AIRFLOW_VAR_*` environment variables), read when
a task runs. Documented in docs/pipeline.md."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class SettingsError(ValueError):
    """A Variable is wrong: the message names it."""


@dataclass(frozen=True)
class Settings:
    aws_conn_id: str
    ledger_table: str
    replay_queue_url: str | None
    cluster_id: str | None
    job_flow_template: dict[str, Any] | None
    poll_seconds: float


def load(get: Callable[[str], str | None]) -> Settings:
    """`get(name)` is the Variable's value or None."""
    template = get("backfill_job_flow_template")
    try:
        parsed = json.loads(template) if template else None
    except ValueError as e:
        raise SettingsError(f"Variable backfill_job_flow_template is not JSON: {e}") from None
    if parsed is not None and not isinstance(parsed, dict):
        raise SettingsError("Variable backfill_job_flow_template must be a JSON object")
    poll = get("backfill_poll_seconds") or "30"
    try:
        poll_seconds = float(poll)
    except ValueError:
        raise SettingsError(f"Variable backfill_poll_seconds={poll!r} is not a number") from None
    return Settings(
        aws_conn_id=get("backfill_aws_conn_id") or "aws_default",
        ledger_table=get("backfill_ledger_table") or "backfill-ledger",
        replay_queue_url=get("backfill_replay_queue_url") or None,
        cluster_id=get("backfill_cluster_id") or None,
        job_flow_template=parsed,
        poll_seconds=poll_seconds,
    )
