"""The Lambda's entry point: `backfill_pipeline.presign.handler.handler`.

`POST {"name", "fingerprint", "content_type"}` from the site's origin → `{"url"}` (a presigned
PUT URL that signs the Content-Type) or `{"url", "fields"}` (a presigned POST form), for the
key the deployment's pattern gives. Anything else is answered `{"error": …}`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import Any

import boto3
from botocore.config import Config

from . import config, request, response
from .config import Method, Settings

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)


def s3_client(settings: Settings, session: Any = None) -> Any:
    """SigV4: a PUT URL then signs the Content-Type (`content-type` in X-Amz-SignedHeaders),
    so S3 refuses the upload sent as anything else. `session`: a boto3 Session (default:
    boto3's own)."""
    return (session or boto3).client(
        "s3", region_name=settings.region, config=Config(signature_version="s3v4")
    )


@functools.cache
def _deployed() -> tuple[Settings, Any]:
    # Read once per Lambda instance; a wrong setting raises here, naming the variable.
    settings = config.load()
    return settings, s3_client(settings)


def handler(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    settings, s3 = _deployed()
    return answer(event, settings, s3)


def answer(event: Mapping[str, Any], settings: Settings, s3: Any) -> dict[str, Any]:
    """The handler with its settings and S3 client given (the tests call this)."""
    try:
        http = request.http_request(event)
    except request.Refused as e:
        return response.error(e.status, e.message)
    from_site = http.origin == settings.site_origin
    cors = response.cors_headers(settings.site_origin) if from_site else None
    if http.method == "OPTIONS":
        if not from_site:
            return response.error(403, _foreign(http.origin, settings))
        return response.answer(204, cors=response.preflight_headers(settings.site_origin))
    if http.method != "POST":
        return response.answer(
            405,
            {"error": f"{http.method or 'this method'} is not answered: send a POST"},
            cors,
            {"Allow": "POST, OPTIONS"},
        )
    if not from_site:
        return response.error(403, _foreign(http.origin, settings))
    try:
        asked = request.presign_request(http.body)
    except request.Refused as e:
        return response.error(e.status, e.message, cors)
    key = settings.key(asked.name, asked.fingerprint)
    body = _presign(s3, settings, key, asked.content_type)
    log.info("presigned %s s3://%s/%s", settings.method.value.upper(), settings.bucket, key)
    return response.answer(200, body, cors)


def _presign(s3: Any, settings: Settings, key: str, content_type: str) -> dict[str, Any]:
    if settings.method is Method.POST:
        form = s3.generate_presigned_post(
            Bucket=settings.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}],
            ExpiresIn=settings.expires_seconds,
        )
        return {"url": form["url"], "fields": form["fields"]}
    url = s3.generate_presigned_url(
        "put_object",
        Params={"Bucket": settings.bucket, "Key": key, "ContentType": content_type},
        ExpiresIn=settings.expires_seconds,
    )
    return {"url": url}


def _foreign(origin: str | None, settings: Settings) -> str:
    got = f"the origin {origin!r}" if origin else "a request without an Origin header"
    return f"this endpoint answers only the site {settings.site_origin}, not {got}"
