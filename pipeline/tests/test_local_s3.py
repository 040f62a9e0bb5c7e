"""`local-s3` prints the call the trigger makes: the same S3 event and object go to both, and
the requests are compared, for each API (`local-s3 --airflow airflow3|airflow2|mwaa`)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
import pytest
from botocore.stub import ANY, Stubber
from conftest import REPO, SPECS, free_port, start_group, stop_group, wait_http

from backfill_pipeline.trigger import handler as trigger

DEV_KEYS = {  # local-s3's fixed development keys (crates/local-s3/src/lib.rs)
    "AWS_ACCESS_KEY_ID": "LOCALS3DEVACCESSKEY0",
    "AWS_SECRET_ACCESS_KEY": "local-s3-dev-secret-never-valid-on-aws",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def local_s3_bin() -> Path:
    path = Path(os.environ.get("LOCAL_S3", REPO / "target" / "debug" / "local-s3"))
    if not path.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "local-s3"], cwd=REPO, check=True)
    return path


def local_s3(binary: Path, api: str, data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = start_group(
        [str(binary), "--port", str(port), "--data", str(data), "--no-cors", "--airflow", api],
        dict(os.environ),
        data / "local-s3.log",
    )
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/_local-s3/stats", 30, process)
    return process, url


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url) as response:
        return json.load(response)


@pytest.fixture
def airflow_stub() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Answers /auth/token with a token and a dagRuns POST with 200; records the requests."""
    requests: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append(
                {
                    "method": "POST",
                    "path": self.path,
                    "body": body,
                    "authorization": self.headers.get("Authorization", ""),
                }
            )
            answer = {"access_token": "stub-token"} if self.path == "/auth/token" else {}
            data = json.dumps(answer).encode()
            self.send_response(201 if self.path == "/auth/token" else 200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


@pytest.mark.parametrize("api", ["airflow3", "airflow2", "mwaa"])
def test_local_s3_prints_what_the_trigger_sends(
    api, local_s3_bin, make_object, airflow_stub, monkeypatch, tmp_path
):
    made = make_object(SPECS / "rest-trigger.yaml")
    process, endpoint = local_s3(local_s3_bin, api, tmp_path)
    try:
        key = f"backfills/rest trigger/{made.fingerprint}.json"  # a space: URL-encoded in events
        presigned = get_json(f"{endpoint}/_local-s3/presign?key={quote(key)}")
        put = urllib.request.Request(presigned["put_url"], data=made.text, method="PUT")
        urllib.request.urlopen(put).close()
        (seen,) = get_json(f"{endpoint}/_local-s3/objects")

        stub_url, requests = airflow_stub
        for name, value in DEV_KEYS.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)  # the trigger reads the object here
        monkeypatch.setenv("BACKFILL_AIRFLOW_API", api)
        monkeypatch.setenv("BACKFILL_AIRFLOW_URL", stub_url)
        monkeypatch.setenv("BACKFILL_AIRFLOW_USERNAME", "u")
        monkeypatch.setenv("BACKFILL_AIRFLOW_PASSWORD", "p")
        monkeypatch.setenv("BACKFILL_MWAA_ENVIRONMENT", "data-platform")
        if api == "mwaa":
            sent = mwaa_request(monkeypatch, seen["s3_event"])
        else:
            trigger.handler(seen["s3_event"])
            sent = requests[-1]
    finally:
        stop_group(process)

    printed = seen["airflow_call"]
    assert printed["api"] == api
    assert {k: sent[k] for k in ("method", "path", "body")} == {
        k: printed[k] for k in ("method", "path", "body")
    }
    assert printed["body"]["dag_run_id"] == f"backfill-{made.fingerprint[:16]}"
    if api == "airflow3":
        assert requests[0]["path"] == "/auth/token"
        assert sent["authorization"] == "Bearer stub-token"
    elif api == "airflow2":
        assert sent["authorization"].startswith("Basic ")


def mwaa_request(monkeypatch: pytest.MonkeyPatch, event: dict[str, Any]) -> dict[str, Any]:
    """The trigger's InvokeRestApi call, through a stubbed botocore client."""
    mwaa = boto3.client("mwaa", endpoint_url="https://mwaa.invalid")
    captured: dict[str, Any] = {}
    real_client = boto3.client

    def client(service: str, *args: Any, **kwargs: Any) -> Any:
        return mwaa if service == "mwaa" else real_client(service, *args, **kwargs)

    monkeypatch.setattr(boto3, "client", client)
    stub = Stubber(mwaa)
    stub.add_response(
        "invoke_rest_api",
        {"RestApiStatusCode": 200, "RestApiResponse": {}},
        {"Name": "data-platform", "Path": ANY, "Method": "POST", "Body": ANY},
    )
    mwaa.meta.events.register(
        "provide-client-params.mwaa.InvokeRestApi",
        lambda params, **_: captured.update(params),
    )
    with stub:
        trigger.handler(event)
    return {"method": captured["Method"], "path": captured["Path"], "body": captured["Body"]}
