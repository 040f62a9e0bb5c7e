"""The trigger against a real Airflow 3.3.2 `api-server` on 127.0.0.1, fed the S3 event that
moto's S3 → SQS notification delivers for an object our CLI made."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SPECS, VENV_BIN, free_port, start_group, stop_group, wait_http

from backfill_pipeline.trigger import handler as trigger

EVENTS_BUCKET = "backfill-uploads-with-events"
USER, PASSWORD = "backfill-lambda", "not-a-real-secret"


@pytest.fixture(scope="session")
def api_server(airflow_env: dict[str, str]) -> Iterator[str]:
    home = airflow_env["AIRFLOW_HOME"]
    passwords = os.path.join(home, "passwords.json")
    with open(passwords, "w") as f:
        json.dump({USER: PASSWORD}, f)
    env = {
        **airflow_env,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": passwords,
    }
    # The DAG must be in the database for the API to know it.
    subprocess.run(
        [str(VENV_BIN / "airflow"), "dags", "reserialize"], env=env, check=True, capture_output=True
    )
    port = free_port()
    process = start_group(
        [str(VENV_BIN / "airflow"), "api-server", "-H", "127.0.0.1", "-p", str(port), "-w", "1"],
        env,
        Path(home) / "api-server.log",
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/api/v2/monitor/health", 90, process)
        yield url
    finally:
        stop_group(process)


def s3_event_messages(aws: Any, made: Any) -> list[dict[str, Any]]:
    """Uploads the object to a bucket that notifies a queue, and returns the queue's messages
    as the SQS → Lambda integration hands them over (the first is s3:TestEvent)."""
    s3, sqs = aws("s3"), aws("sqs")
    queue_url = sqs.create_queue(QueueName="upload-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    s3.create_bucket(Bucket=EVENTS_BUCKET)
    s3.put_bucket_notification_configuration(
        Bucket=EVENTS_BUCKET,
        NotificationConfiguration={
            "QueueConfigurations": [
                {"QueueArn": arn["Attributes"]["QueueArn"], "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    key = f"backfills/{made.obj['spec']['name']}/{made.fingerprint}.json"
    s3.put_object(Bucket=EVENTS_BUCKET, Key=key, Body=made.text)
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    return [{"eventSource": "aws:sqs", "body": m["Body"]} for m in messages]


def test_s3_event_starts_one_run(api_server, aws, make_object, moto_url, monkeypatch):
    made = make_object(SPECS / "rest-trigger.yaml")
    records = s3_event_messages(aws, made)
    assert "s3:TestEvent" in records[0]["body"]
    # The password comes from Secrets Manager (moto), as in a deployment.
    secret = json.dumps({"username": USER, "password": PASSWORD})
    aws("secretsmanager").create_secret(Name="airflow/backfill-trigger", SecretString=secret)
    monkeypatch.setenv("BACKFILL_AIRFLOW_SECRET_ID", "airflow/backfill-trigger")
    monkeypatch.setenv("BACKFILL_AIRFLOW_URL", api_server)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    for name, value in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ]:
        monkeypatch.setenv(name, value)
    run_id = f"backfill-{made.fingerprint[:16]}"
    uri = f"s3://{EVENTS_BUCKET}/backfills/rest-trigger/{made.fingerprint}.json"

    first = trigger.handler({"Records": records})
    assert first == {"runs": [{"spec_uri": uri, "dag_run_id": run_id, "outcome": "triggered"}]}
    # S3 delivers at least once: the same event again is a 409, taken as success.
    again = trigger.handler({"Records": records})
    assert again["runs"][0]["outcome"] == "already triggered"

    token = _token(api_server)
    request = urllib.request.Request(
        f"{api_server}/api/v2/dags/backfill_runner/dagRuns/{run_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request) as response:
        run = json.load(response)
    assert (run["dag_run_id"], run["conf"], run["logical_date"]) == (
        run_id,
        {"spec_uri": uri},
        None,
    )


def _token(url: str) -> str:
    request = urllib.request.Request(
        f"{url}/auth/token",
        data=json.dumps({"username": USER, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        return str(json.load(response)["access_token"])
