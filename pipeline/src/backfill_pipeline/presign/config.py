"""The presign endpoint's settings, from the Lambda's environment (docs/pipeline.md). A wrong
setting is refused when the function starts, naming the variable."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

DEFAULT_KEY_PATTERN = "backfills/{name}/{fingerprint}.json"
DEFAULT_EXPIRES_MINUTES = 5
MIN_EXPIRES_MINUTES = 1
MAX_EXPIRES_MINUTES = 60
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PLACEHOLDERS = ("name", "fingerprint")


class Method(Enum):
    PUT = "put"
    POST = "post"


class ConfigError(ValueError):
    """A setting is missing or wrong: the message names the variable."""


@dataclass(frozen=True)
class Settings:
    bucket: str
    key_pattern: str
    site_origin: str
    expires_minutes: int
    method: Method
    region: str | None

    @property
    def expires_seconds(self) -> int:
        return self.expires_minutes * 60

    def key(self, name: str, fingerprint: str) -> str:
        """The object's key: the pattern with `{name}` and `{fingerprint}` filled in."""
        return self.key_pattern.replace("{name}", name).replace("{fingerprint}", fingerprint)


def key_pattern(value: str) -> str:
    """The catalog's `upload.key`: it must hold `{fingerprint}` (the trigger and the DAG rely
    on it) and no placeholder other than `{name}` and `{fingerprint}`."""
    if "{fingerprint}" not in value:
        raise ConfigError(
            f"BACKFILL_KEY_PATTERN {value!r} has no {{fingerprint}}: the trigger and the DAG "
            f"rely on it (e.g. {DEFAULT_KEY_PATTERN})"
        )
    unknown = [p for p in _PLACEHOLDER.findall(value) if p not in _PLACEHOLDERS]
    if unknown:
        raise ConfigError(
            f"BACKFILL_KEY_PATTERN {value!r} has {{{unknown[0]}}}: only {{name}} and "
            "{fingerprint} are filled in"
        )
    if value.startswith("/"):
        raise ConfigError(f"BACKFILL_KEY_PATTERN {value!r} starts with /: an S3 key does not")
    return value


def site_origin(value: str) -> str:
    """An origin exactly as a browser sends it: `https://host[:port]`, no path, no slash."""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("https", "http")
        or not parts.netloc
        or parts.path
        or parts.query
        or parts.fragment
        or value != value.strip()
        or value != value.lower()
    ):
        raise ConfigError(
            f"BACKFILL_SITE_ORIGIN {value!r} is not an origin: write it as the browser sends "
            "it, e.g. https://backfills.example.com (lowercase, no path, no trailing slash)"
        )
    return value


def expires_minutes(value: str) -> int:
    try:
        minutes = int(value)
    except ValueError:
        minutes = 0
    if not MIN_EXPIRES_MINUTES <= minutes <= MAX_EXPIRES_MINUTES:
        raise ConfigError(
            f"BACKFILL_PRESIGN_EXPIRES_MINUTES {value!r} must be a whole number of minutes from "
            f"{MIN_EXPIRES_MINUTES} to {MAX_EXPIRES_MINUTES}"
        )
    return minutes


def load(env: Mapping[str, str] = os.environ) -> Settings:
    bucket = env.get("BACKFILL_UPLOAD_BUCKET", "")
    if not bucket:
        raise ConfigError("BACKFILL_UPLOAD_BUCKET is not set: the bucket uploads go to")
    origin = env.get("BACKFILL_SITE_ORIGIN", "")
    if not origin:
        raise ConfigError(
            "BACKFILL_SITE_ORIGIN is not set: the site's origin, e.g. https://backfills.example.com"
        )
    raw_method = env.get("BACKFILL_PRESIGN_METHOD", Method.PUT.value)
    try:
        method = Method(raw_method)
    except ValueError:
        raise ConfigError(
            f"BACKFILL_PRESIGN_METHOD {raw_method!r} must be put (a presigned PUT URL) or post "
            "(a presigned POST form)"
        ) from None
    return Settings(
        bucket=bucket,
        key_pattern=key_pattern(env.get("BACKFILL_KEY_PATTERN", DEFAULT_KEY_PATTERN)),
        site_origin=site_origin(origin),
        expires_minutes=expires_minutes(
            env.get("BACKFILL_PRESIGN_EXPIRES_MINUTES", str(DEFAULT_EXPIRES_MINUTES))
        ),
        method=method,
        region=env.get("BACKFILL_UPLOAD_REGION") or None,
    )
