"""The uploaded objects an event names: an S3 event as S3 sends it to a Lambda, or wrapped in
an SQS message or an SNS notification (or SNS inside SQS)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus


@dataclass(frozen=True)
class S3Object:
    bucket: str
    key: str

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def s3_objects(event: Any) -> list[S3Object]:
    """Every created object the event names, keys URL-decoded as S3 encodes them in events.

    `s3:TestEvent` (sent when a notification is configured) and other event types name
    nothing."""
    found: list[S3Object] = []
    if not isinstance(event, dict):
        return found
    for record in event.get("Records") or []:
        if not isinstance(record, dict):
            continue
        if record.get("eventSource") == "aws:sqs":
            found += s3_objects(_json(record.get("body")))
        elif record.get("EventSource") == "aws:sns" or "Sns" in record:
            found += s3_objects(_json((record.get("Sns") or {}).get("Message")))
        elif record.get("eventSource") == "aws:s3" and str(record.get("eventName", "")).startswith(
            "ObjectCreated:"
        ):
            s3 = record.get("s3") or {}
            bucket = (s3.get("bucket") or {}).get("name")
            key = (s3.get("object") or {}).get("key")
            if isinstance(bucket, str) and isinstance(key, str):
                found.append(S3Object(bucket, unquote_plus(key)))
    # An SNS notification delivered raw to SQS is the S3 event itself; an SNS envelope in an
    # SQS body (not raw) is {"Type": "Notification", "Message": "<S3 event>"}.
    if event.get("Type") == "Notification":
        found += s3_objects(_json(event.get("Message")))
    return found


def _json(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
