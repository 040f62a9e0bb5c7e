"""Airflow 2 and MWAA are not run here: the trigger's requests are checked against the shapes
they take (Airflow 2.11's stable REST API; MWAA's InvokeRestApi in botocore's model), through
a stub HTTP server and a stubbed botocore client."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from backfill_pipeline.trigger import airflow_api, config
from backfill_pipeline.trigger.airflow_api import Outcome, TriggerFailed

RUN_ID = "backfill-db1f9d0fdfec915d"
CONF = {"spec_uri": "s3://uploads/backfills/x/db1f.json"}


@pytest.fixture
def stub_airflow() -> Iterator[tuple[str, list[dict[str, Any]], list[int]]]:
    """Records each request; answers with the next status of `answers`."""
    requests: list[dict[str, Any]] = []
    answers: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "body": json.loads(body),
                }
            )
            status = answers.pop(0)
            data = json.dumps({"detail": "stub"}).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests, answers
    server.shutdown()


def test_airflow2_posts_to_api_v1_with_basic_auth(stub_airflow):
    url, requests, answers = stub_airflow
    settings = config.load({"BACKFILL_AIRFLOW_API": "airflow2", "BACKFILL_AIRFLOW_URL": url})
    answers += [200, 409, 400]
    assert airflow_api.trigger_rest(settings, "u", "p", RUN_ID, CONF) is Outcome.TRIGGERED
    assert airflow_api.trigger_rest(settings, "u", "p", RUN_ID, CONF) is Outcome.ALREADY_TRIGGERED
    with pytest.raises(TriggerFailed, match="answered 400"):
        airflow_api.trigger_rest(settings, "u", "p", RUN_ID, CONF)
    assert requests[0] == {
        "path": "/api/v1/dags/backfill_runner/dagRuns",
        "authorization": "Basic " + base64.b64encode(b"u:p").decode(),
        "content_type": "application/json",
        "body": {"dag_run_id": RUN_ID, "conf": CONF},
    }


def test_airflow3_refused_token_is_an_error(stub_airflow):
    url, requests, answers = stub_airflow
    settings = config.load({"BACKFILL_AIRFLOW_URL": url})
    answers.append(401)
    with pytest.raises(TriggerFailed, match="POST /auth/token answered 401"):
        airflow_api.trigger_rest(settings, "u", "wrong", RUN_ID, CONF)
    assert requests[0]["path"] == "/auth/token"
    assert requests[0]["body"] == {"username": "u", "password": "wrong"}


@pytest.mark.parametrize(
    ("major", "body"),
    [
        ("3", {"dag_run_id": RUN_ID, "logical_date": None, "conf": CONF}),
        ("2", {"dag_run_id": RUN_ID, "conf": CONF}),
    ],
)
def test_mwaa_invokes_the_rest_api(major, body):
    settings = config.load(
        {
            "BACKFILL_AIRFLOW_API": "mwaa",
            "BACKFILL_MWAA_ENVIRONMENT": "data-platform",
            "BACKFILL_MWAA_AIRFLOW_MAJOR": major,
        }
    )
    mwaa = boto3.client(
        "mwaa", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    expected = {
        "Name": "data-platform",
        "Path": "/dags/backfill_runner/dagRuns",
        "Method": "POST",
        "Body": body,
    }
    with Stubber(mwaa) as stub:
        stub.add_response(
            "invoke_rest_api",
            {"RestApiStatusCode": 200, "RestApiResponse": {"dag_run_id": RUN_ID}},
            expected,
        )
        stub.add_client_error(
            "invoke_rest_api",
            service_error_code="RestApiClientException",
            http_status_code=400,
            modeled_fields={"RestApiStatusCode": 409, "RestApiResponse": {"detail": "exists"}},
            expected_params=expected,
        )
        assert airflow_api.trigger_mwaa(settings, mwaa, RUN_ID, CONF) is Outcome.TRIGGERED
        assert airflow_api.trigger_mwaa(settings, mwaa, RUN_ID, CONF) is Outcome.ALREADY_TRIGGERED
        stub.assert_no_pending_responses()
