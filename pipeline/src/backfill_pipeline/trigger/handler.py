"""The Lambda's entry point: `backfill_pipeline.trigger.handler.handler`."""

from __future__ import annotations

import json
import logging
import os
from typing import Any

import boto3

from ..uploaded import ObjectRefused, parse_fingerprint, run_id
from . import airflow_api, config
from .events import S3Object, s3_objects

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)

# An object with a large plan runs to tens of MB: read its head, where the core writes the
# fingerprint first.
_HEAD_BYTES = 4096


def handler(event: Any, context: Any = None) -> dict[str, Any]:
    """Starts `backfill_runner` once per uploaded object in the event. Raises on any failure,
    so that S3 (or SQS) delivers the event again; a repeat is answered 409, taken as success."""
    settings = config.load()
    s3 = boto3.client("s3")
    started = []
    for obj in s3_objects(event):
        if not obj.key.startswith(settings.key_prefix):
            log.info("ignored %s: outside the prefix %r", obj.uri, settings.key_prefix)
            continue
        fingerprint = settings.fingerprint_from_key(obj.key) or _fingerprint_in_object(s3, obj)
        rid = run_id(fingerprint)
        conf = {"spec_uri": obj.uri}
        if settings.api is config.Api.MWAA:
            outcome = airflow_api.trigger_mwaa(settings, boto3.client("mwaa"), rid, conf)
        else:
            user, password = config.credentials(os.environ, _read_secret)
            outcome = airflow_api.trigger_rest(settings, user, password, rid, conf)
        log.info("%s: %s run %s of %s", obj.uri, outcome.value, rid, settings.dag_id)
        started.append({"spec_uri": obj.uri, "dag_run_id": rid, "outcome": outcome.value})
    return {"runs": started}


def _fingerprint_in_object(s3: Any, obj: S3Object) -> str:
    head = s3.get_object(Bucket=obj.bucket, Key=obj.key, Range=f"bytes=0-{_HEAD_BYTES - 1}")
    text = head["Body"].read().decode("utf-8", "replace")
    # `{\n  "fingerprint": "<64 hex>",` opens every object the core writes.
    marker = '"fingerprint": "'
    at = text.find(marker)
    if at >= 0:
        return parse_fingerprint(text[at + len(marker) : at + len(marker) + 64])
    whole = s3.get_object(Bucket=obj.bucket, Key=obj.key)["Body"].read()
    try:
        return parse_fingerprint(json.loads(whole).get("fingerprint"))
    except (ValueError, AttributeError) as e:
        raise ObjectRefused(f"{obj.uri} is not an uploaded object: {e}") from None


def _read_secret(secret_id: str) -> str:
    value = boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)
    return str(value["SecretString"])
