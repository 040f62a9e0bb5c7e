"""The reference presign endpoint (backfill_pipeline.presign): the protocol's answers, CORS for
the site's origin only, and the URLs it makes, used for real: against moto in server mode
(the object lands with its Content-Type) and against `local-s3`, which verifies SigV4 and so
refuses an upload sent with another Content-Type than the one signed."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from conftest import BUCKET, REPO, free_port, start_group, stop_group, wait_http

from backfill_pipeline.presign import config, handler
from backfill_pipeline.presign.config import ConfigError, Method, Settings

ORIGIN = "https://backfills.example.com"
FINGERPRINT = "0123456789abcdef" * 4
GOOD = {"name": "orders-2025", "fingerprint": FINGERPRINT, "content_type": "application/json"}
ENV = {"BACKFILL_UPLOAD_BUCKET": BUCKET, "BACKFILL_SITE_ORIGIN": ORIGIN}
LOCAL_S3_KEYS = {  # local-s3's fixed development keys (crates/local-s3/src/lib.rs)
    "AWS_ACCESS_KEY_ID": "LOCALS3DEVACCESSKEY0",
    "AWS_SECRET_ACCESS_KEY": "local-s3-dev-secret-never-valid-on-aws",
}


def event(
    method: str = "POST",
    body: Any = GOOD,
    origin: str | None = ORIGIN,
    base64_body: bool = False,
) -> dict[str, Any]:
    """A function URL / HTTP API event, payload format 2.0."""
    text = body if isinstance(body, str | bytes) else json.dumps(body)
    raw = text.encode() if isinstance(text, str) else text
    headers = {"content-type": "application/json"}
    if origin is not None:
        headers["origin"] = origin
    return {
        "version": "2.0",
        "rawPath": "/",
        "headers": headers,
        "requestContext": {"http": {"method": method, "path": "/"}},
        "body": base64.b64encode(raw).decode() if base64_body else raw.decode("latin-1"),
        "isBase64Encoded": base64_body,
    }


def settings(**env: str) -> Settings:
    return config.load({**ENV, **env})


@pytest.fixture
def s3_env(monkeypatch: pytest.MonkeyPatch, moto_url: str) -> str:
    """The handler's own client (handler.s3_client), pointed at moto by the environment."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", moto_url)
    return moto_url


def call(ev: dict[str, Any], **env: str) -> tuple[int, dict[str, str], Any]:
    s = settings(**env)
    # A fresh session: boto3's default one keeps the credentials it first read.
    answer = handler.answer(ev, s, handler.s3_client(s, boto3.session.Session()))
    body = json.loads(answer["body"]) if answer["body"] else None
    return answer["statusCode"], answer["headers"], body


def put(url: str, data: bytes, content_type: str) -> int:
    req = urllib.request.Request(
        url, data=data, method="PUT", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def test_good_request_gives_a_put_url_that_uploads(s3_env: str, aws: Any) -> None:
    status, headers, body = call(event())
    assert status == 200, body
    assert set(body) == {"url"}
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert headers["Cache-Control"] == "no-store"
    url = urlsplit(body["url"])
    assert url.path == f"/{BUCKET}/backfills/orders-2025/{FINGERPRINT}.json"
    query = parse_qs(url.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["300"]  # the default: 5 minutes
    # Signed: S3 refuses the PUT with any other Content-Type (test_signed_content_type_on_put).
    assert "content-type" in query["X-Amz-SignedHeaders"][0].split(";")

    data = json.dumps({"fingerprint": FINGERPRINT}).encode()
    assert put(body["url"], data, "application/json") == 200
    key = f"backfills/orders-2025/{FINGERPRINT}.json"
    got = aws("s3").get_object(Bucket=BUCKET, Key=key)
    assert got["Body"].read() == data
    assert got["ContentType"] == "application/json"


def test_key_pattern_from_the_environment(s3_env: str) -> None:
    _, _, body = call(event(), BACKFILL_KEY_PATTERN="in/{fingerprint}-{name}.json")
    assert urlsplit(body["url"]).path == f"/{BUCKET}/in/{FINGERPRINT}-orders-2025.json"


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("name", "Orders", "is not a slug"),
        ("name", "-orders", "is not a slug"),
        ("name", "orders_2025", "is not a slug"),
        ("name", "a" * 64, "is not a slug"),
        ("name", "../etc", "is not a slug"),
        ("name", "", "is not a slug"),
        ("name", 7, "'name' is not a string"),
        ("name", None, "'name' is missing"),
        ("fingerprint", FINGERPRINT.upper(), "is not 64 lowercase hex digits"),
        ("fingerprint", FINGERPRINT[:63], "is not 64 lowercase hex digits"),
        ("fingerprint", FINGERPRINT + "0", "is not 64 lowercase hex digits"),
        ("fingerprint", "g" * 64, "is not 64 lowercase hex digits"),
        ("fingerprint", None, "'fingerprint' is missing"),
        ("content_type", "text/plain", "is refused"),
        ("content_type", "application/json; charset=utf-8", "is refused"),
        ("content_type", "application/x-yaml", "is refused"),
        ("content_type", None, "'content_type' is missing"),
    ],
)
def test_bad_fields_are_refused(s3_env: str, field: str, value: Any, says: str) -> None:
    body = {**GOOD, field: value}
    if value is None:
        del body[field]
    status, headers, answer = call(event(body=body))
    assert status == 400
    assert says in answer["error"]
    assert set(answer) == {"error"}
    # The site can read the explanation.
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("body", "base64_body", "status", "says"),
    [
        ("not json", False, 400, "not JSON"),
        ("", False, 400, "not JSON"),
        (b"\xff\xfe", True, 400, "not JSON"),
        ("[1, 2]", False, 400, "must be a JSON object"),
        (json.dumps({**GOOD, "pad": "x" * 5000}), False, 413, "at most 4096 bytes"),
        (json.dumps({**GOOD, "pad": "x" * 5000}), True, 413, "at most 4096 bytes"),
        (json.dumps(GOOD), True, 200, None),
    ],
)
def test_body(s3_env: str, body: Any, base64_body: bool, status: int, says: str | None) -> None:
    got, _, answer = call(event(body=body, base64_body=base64_body))
    assert got == status, answer
    if says:
        assert says in answer["error"]


def test_expiry_is_the_configured_minutes(s3_env: str) -> None:
    _, _, body = call(event(), BACKFILL_PRESIGN_EXPIRES_MINUTES="15")
    assert parse_qs(urlsplit(body["url"]).query)["X-Amz-Expires"] == ["900"]


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"BACKFILL_PRESIGN_EXPIRES_MINUTES": "0"}, "from 1 to 60"),
        ({"BACKFILL_PRESIGN_EXPIRES_MINUTES": "61"}, "from 1 to 60"),
        ({"BACKFILL_PRESIGN_EXPIRES_MINUTES": "5m"}, "from 1 to 60"),
        ({"BACKFILL_KEY_PATTERN": "backfills/{name}.json"}, "has no {fingerprint}"),
        ({"BACKFILL_KEY_PATTERN": "b/{date}/{fingerprint}.json"}, "has {date}"),
        ({"BACKFILL_KEY_PATTERN": "/b/{fingerprint}.json"}, "starts with /"),
        ({"BACKFILL_SITE_ORIGIN": "https://backfills.example.com/"}, "is not an origin"),
        ({"BACKFILL_SITE_ORIGIN": "backfills.example.com"}, "is not an origin"),
        ({"BACKFILL_SITE_ORIGIN": ""}, "BACKFILL_SITE_ORIGIN is not set"),
        ({"BACKFILL_UPLOAD_BUCKET": ""}, "BACKFILL_UPLOAD_BUCKET is not set"),
        ({"BACKFILL_PRESIGN_METHOD": "get"}, "must be put"),
    ],
)
def test_wrong_settings_are_refused_at_start(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=r".*") as refused:
        config.load({**ENV, **env})
    assert says in str(refused.value)


def test_defaults() -> None:
    s = config.load(ENV)
    assert (s.key_pattern, s.expires_minutes, s.method) == (
        "backfills/{name}/{fingerprint}.json",
        5,
        Method.PUT,
    )


def test_preflight_from_the_site(s3_env: str) -> None:
    status, headers, body = call(event("OPTIONS", body=""))
    assert (status, body) == (204, None)
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert headers["Access-Control-Allow-Methods"] == "POST"
    assert headers["Access-Control-Allow-Headers"] == "content-type"
    assert headers["Vary"] == "Origin"
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "origin", ["https://evil.example.com", "http://backfills.example.com", None]
)
@pytest.mark.parametrize("method", ["OPTIONS", "POST"])
def test_other_origins_get_no_cors(s3_env: str, method: str, origin: str | None) -> None:
    status, headers, body = call(event(method, origin=origin))
    assert status == 403
    assert "answers only the site https://backfills.example.com" in body["error"]
    assert not [h for h in headers if h.lower().startswith("access-control-")]
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods(s3_env: str, method: str) -> None:
    status, headers, body = call(event(method))
    assert status == 405
    assert headers["Allow"] == "POST, OPTIONS"
    assert "send a POST" in body["error"]
    assert headers["Cache-Control"] == "no-store"


def test_post_form(s3_env: str, aws: Any) -> None:
    status, _, body = call(event(), BACKFILL_PRESIGN_METHOD="post")
    assert status == 200, body
    assert set(body) == {"url", "fields"}
    fields = body["fields"]
    key = f"backfills/orders-2025/{FINGERPRINT}.json"
    assert fields["key"] == key
    assert fields["Content-Type"] == "application/json"
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert {"Content-Type": "application/json"} in policy["conditions"]
    # The form works: a multipart POST of the fields and the file.
    data = json.dumps({"fingerprint": FINGERPRINT}).encode()
    boundary = "presign-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.json"\r\n'
        "Content-Type: application/json\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    req = urllib.request.Request(
        body["url"],
        data=b"".join(parts),
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status in (200, 204)
    assert aws("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read() == data


def test_handler_reads_its_environment(s3_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**ENV, "BACKFILL_PRESIGN_EXPIRES_MINUTES": "2"}.items():
        monkeypatch.setenv(name, value)
    handler._deployed.cache_clear()
    try:
        answer = handler.handler(event())
        assert answer["statusCode"] == 200
        assert "X-Amz-Expires=120" in json.loads(answer["body"])["url"]
    finally:
        handler._deployed.cache_clear()


def test_alb_event(s3_env: str) -> None:
    ev = event()
    ev = {
        "httpMethod": "POST",
        "headers": ev["headers"],
        "body": ev["body"],
        "isBase64Encoded": False,
    }
    status, _, body = call(ev)
    assert status == 200, body


@pytest.fixture(scope="module")
def local_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`local-s3`, which verifies SigV4 presigned URLs. moto in server mode does not check a
    presigned URL's signature: it stores a PUT sent with another Content-Type (answers 200)."""
    binary = Path(os.environ.get("LOCAL_S3", REPO / "target" / "debug" / "local-s3"))
    if not binary.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "local-s3"], cwd=REPO, check=True)
    data = tmp_path_factory.mktemp("presign-local-s3")
    port = free_port()
    process = start_group(
        [str(binary), "--port", str(port), "--data", str(data), "--bucket", BUCKET],
        dict(os.environ),
        data / "local-s3.log",
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/_local-s3/stats", 30, process)
        yield url
    finally:
        stop_group(process)


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("text/plain", 403),
        ("application/json; charset=utf-8", 403),
    ],
)
def test_signed_content_type_on_put(
    monkeypatch: pytest.MonkeyPatch, local_s3: str, content_type: str, status: int
) -> None:
    for name, value in {**LOCAL_S3_KEYS, "AWS_ENDPOINT_URL_S3": local_s3}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    _, _, body = call(event())
    assert put(body["url"], b'{"fingerprint": "x"}', content_type) == status
