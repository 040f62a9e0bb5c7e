"""The answers: JSON, never cached, with CORS headers only for the site's own origin."""

from __future__ import annotations

import json
from typing import Any

ALLOWED_METHODS = "POST"
PREFLIGHT_MAX_AGE_SECONDS = 600


def cors_headers(origin: str) -> dict[str, str]:
    """What the site's origin gets: the app fetches with `credentials: "include"`, so the
    origin is named (never `*`) and credentials are allowed."""
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
    }


def preflight_headers(origin: str) -> dict[str, str]:
    return {
        **cors_headers(origin),
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": "content-type",
        "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_SECONDS),
    }


def answer(
    status: int,
    body: dict[str, Any] | None = None,
    cors: dict[str, str] | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A Lambda proxy response (payload 2.0; an ALB takes the same shape)."""
    headers = {
        "Cache-Control": "no-store",
        # The answer depends on the Origin header: caches must not mix origins.
        "Vary": "Origin",
        "X-Content-Type-Options": "nosniff",
        **(cors or {}),
        **(extra or {}),
    }
    if body is None:
        return {"statusCode": status, "headers": headers, "body": "", "isBase64Encoded": False}
    headers["Content-Type"] = "application/json"
    return {
        "statusCode": status,
        "headers": headers,
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


def error(status: int, message: str, cors: dict[str, str] | None = None) -> dict[str, Any]:
    return answer(status, {"error": message}, cors)
