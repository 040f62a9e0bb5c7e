"""The uploaded object (docs/contract.md): read it, check it, name its run.

Pure Python (no AWS, no Airflow): the Lambda and the DAG both import it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

SPEC_VERSION = 1
_HEX64 = re.compile(r"[0-9a-f]{64}")


class ObjectRefused(ValueError):
    """The object must not run: the message says why and what to do."""


def compact_sha256(value: Any) -> str:
    """SHA-256 of `value` as compact JSON, the bytes the core writes (docs/contract.md)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_id(fingerprint: str) -> str:
    """The DAG run id the trigger uses: `backfill-` and the fingerprint's first 16 hex digits.

    Airflow reserves the prefix `backfill__` for its own backfills, hence one dash.
    """
    return f"backfill-{fingerprint[:16]}"


def parse_fingerprint(value: object) -> str:
    """A fingerprint as written by the core: 64 lowercase hex digits."""
    if isinstance(value, str) and _HEX64.fullmatch(value):
        return value
    raise ObjectRefused(f"the fingerprint {value!r} is not 64 lowercase hex digits")


@dataclass(frozen=True)
class Verified:
    """An object whose spec and plan are what the app wrote."""

    fingerprint: str
    name: str
    plan: dict[str, Any]


def verify(text: str | bytes, uri: str) -> Verified:
    """Checks an uploaded object before anything runs: JSON, `spec.version`, the fingerprint
    against the spec and `plan_sha256` against the plan. Raises ObjectRefused naming `uri`."""
    try:
        obj = json.loads(text)
    except ValueError as e:
        raise ObjectRefused(f"{uri} is not JSON: {e}") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("spec"), dict):
        raise ObjectRefused(f"{uri} is not an uploaded object: no `spec` object in it")
    spec, plan = obj["spec"], obj.get("plan")
    if spec.get("version") != SPEC_VERSION:
        raise ObjectRefused(
            f"{uri}: spec version {spec.get('version')!r} is not {SPEC_VERSION}, the only one "
            "this DAG runs"
        )
    fingerprint = parse_fingerprint(obj.get("fingerprint"))
    if compact_sha256(spec) != fingerprint:
        raise ObjectRefused(
            f"{uri}: the fingerprint is not the spec's: the spec was changed after the app "
            "wrote the object; make it again from the spec (app or `backfill-spec object`)"
        )
    if not isinstance(plan, dict):
        raise ObjectRefused(f"{uri} has no `plan` object")
    digest = obj.get("plan_sha256")
    if digest is None:
        raise ObjectRefused(
            f"{uri} has no plan_sha256: it was made by an older backfill-builder; make it again"
        )
    if compact_sha256(plan) != digest:
        raise ObjectRefused(
            f"{uri}: plan_sha256 is not the plan's: the plan was changed after the app wrote "
            "the object; make it again from the spec"
        )
    return Verified(fingerprint=fingerprint, name=str(spec.get("name", "")), plan=plan)
