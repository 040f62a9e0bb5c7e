"""Replay: the plan's batches through SQS SendMessageBatch. The entries a batch answer lists as
Failed are sent again, with backoff; those that still fail, or that SQS calls the sender's
fault (retrying would not help), are recorded."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

ATTEMPTS = 5
FIRST_BACKOFF_SECONDS = 1.0


@dataclass
class ReplayOutcome:
    sent: int = 0
    failed: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (entry, why)


def send_batches(
    sqs: Any,
    queue_url: str,
    batches: list[list[dict[str, Any]]],
    first_batch: int,
    on_batch_done: Callable[[int], None],
    sleep: Callable[[float], None],
    backoff_seconds: float = FIRST_BACKOFF_SECONDS,
) -> ReplayOutcome:
    """Sends `batches[first_batch:]`; `on_batch_done(n)` records that the first n are done, so
    a retried task starts after them."""
    outcome = ReplayOutcome(sent=sum(len(b) for b in batches[:first_batch]))
    for index in range(first_batch, len(batches)):
        entries = batches[index]
        for attempt in range(ATTEMPTS):
            answer = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
            outcome.sent += len(answer.get("Successful", []))
            failures = answer.get("Failed", [])
            by_id = {e["Id"]: e for e in entries}
            retry = []
            for failure in failures:
                entry = by_id[failure["Id"]]
                why = f"{failure.get('Code')}: {failure.get('Message', '')}".strip()
                if failure.get("SenderFault") or attempt == ATTEMPTS - 1:
                    outcome.failed.append((entry, why))
                else:
                    retry.append(entry)
            if not retry:
                break
            delay = backoff_seconds * 2**attempt
            log.warning(
                "batch %d: %d of %d entries failed (%s); again in %.1f s",
                index + 1,
                len(retry),
                len(entries),
                ", ".join(e["Id"] for e in retry),
                delay,
            )
            sleep(delay)
            entries = retry
        on_batch_done(index + 1)
    return outcome
