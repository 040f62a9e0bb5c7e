"""The HTTP request as Lambda gets it (API Gateway HTTP API or function URL, payload format
2.0; an ALB target's event too), and the protocol's body `{name, fingerprint, content_type}`."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 4096
CONTENT_TYPE = "application/json"  # what the app sends the object as (src/upload.rs)
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


class Refused(ValueError):
    """The request is refused: `status` and a message that says what to change."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class HttpRequest:
    method: str
    headers: Mapping[str, str]  # names in lowercase
    body: bytes

    @property
    def origin(self) -> str | None:
        return self.headers.get("origin")


@dataclass(frozen=True)
class PresignRequest:
    name: str
    fingerprint: str
    content_type: str


def http_request(event: Mapping[str, Any]) -> HttpRequest:
    """The method, headers and body of a payload 2.0 event (or an ALB / payload 1.0 one)."""
    http = event.get("requestContext", {}).get("http", {})
    method = str(http.get("method") or event.get("httpMethod") or "").upper()
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise Refused(400, "the body is not valid base64") from None
    else:
        body = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    return HttpRequest(method=method, headers=headers, body=body)


def presign_request(body: bytes) -> PresignRequest:
    """The protocol's body, checked: a slug name, a 64-hex fingerprint, application/json."""
    if len(body) > MAX_BODY_BYTES:
        raise Refused(
            413,
            f"the body has {len(body)} bytes; a presign request is a small JSON object "
            f"(at most {MAX_BODY_BYTES} bytes)",
        )
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused(
            400, 'the body is not JSON: send {"name": …, "fingerprint": …, "content_type": …}'
        ) from None
    if not isinstance(value, dict):
        raise Refused(
            400, 'the body must be a JSON object {"name": …, "fingerprint": …, "content_type": …}'
        )
    fields = {}
    for field in ("name", "fingerprint", "content_type"):
        got = value.get(field)
        if not isinstance(got, str):
            what = "missing" if got is None else f"not a string ({json.dumps(got)[:40]})"
            raise Refused(400, f"the field {field!r} is {what}")
        fields[field] = got
    if not _NAME.fullmatch(fields["name"]):
        raise Refused(
            400,
            f"the name {fields['name'][:80]!r} is not a slug: lowercase letters, digits and "
            "dashes, starting with a letter or digit, at most 63 characters",
        )
    if not _FINGERPRINT.fullmatch(fields["fingerprint"]):
        raise Refused(
            400,
            f"the fingerprint {fields['fingerprint'][:80]!r} is not 64 lowercase hex digits "
            "(the spec's SHA-256, docs/contract.md)",
        )
    if fields["content_type"] != CONTENT_TYPE:
        raise Refused(
            400,
            f"the content_type {fields['content_type'][:80]!r} is refused: an uploaded "
            f"backfill is {CONTENT_TYPE}",
        )
    return PresignRequest(**fields)
