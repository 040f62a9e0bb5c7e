"""Which objects an event names, and which of them start a run (no Airflow needed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backfill_pipeline.trigger import config, handler
from backfill_pipeline.trigger.airflow_api import Outcome
from backfill_pipeline.trigger.events import S3Object, s3_objects

FP = "db1f9d0fdfec915d6dd79a6defe607d73e4d04c82d11be87e1d2d635ee822e41"


def s3_event(key: str, name: str = "ObjectCreated:Put") -> dict[str, Any]:
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "eventName": name,
                "s3": {"bucket": {"name": "uploads"}, "object": {"key": key, "size": 10}},
            }
        ]
    }


def test_direct_sqs_and_sns_events_name_the_decoded_key():
    direct = s3_event("backfills/my+spec/a%2Bb%C3%A9.json")
    want = [S3Object("uploads", "backfills/my spec/a+bé.json")]
    assert s3_objects(direct) == want
    sns = {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(direct)}}]}
    assert s3_objects(sns) == want
    sqs = {"Records": [{"eventSource": "aws:sqs", "body": json.dumps(direct)}]}
    assert s3_objects(sqs) == want
    envelope = {"Type": "Notification", "Message": json.dumps(direct)}
    sns_in_sqs = {"Records": [{"eventSource": "aws:sqs", "body": json.dumps(envelope)}]}
    assert s3_objects(sns_in_sqs) == want


def test_test_events_and_other_events_name_nothing():
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "uploads"}
    assert s3_objects(test_event) == []
    assert (
        s3_objects({"Records": [{"eventSource": "aws:sqs", "body": json.dumps(test_event)}]}) == []
    )
    assert s3_objects(s3_event("backfills/x.json", "ObjectRemoved:Delete")) == []
    assert s3_objects({"Records": [{"eventSource": "aws:sqs", "body": "not json"}]}) == []
    assert s3_objects(None) == []


def test_key_pattern_gives_the_fingerprint():
    pattern = config.key_pattern("backfills/{name}/{fingerprint}.json")
    assert pattern is not None
    match = pattern.fullmatch(f"backfills/clicks-recon/{FP}.json")
    assert match is not None and match.group("fingerprint") == FP
    assert pattern.fullmatch(f"backfills/clicks-recon/{FP}.yaml") is None
    assert config.key_pattern("backfills/{name}.json") is None


@pytest.fixture
def started(monkeypatch) -> list[tuple[str, dict[str, Any]]]:
    """The handler with Airflow and S3 replaced: records what it would start."""
    calls: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setenv("BACKFILL_AIRFLOW_URL", "http://airflow.invalid")
    monkeypatch.setenv("BACKFILL_AIRFLOW_USERNAME", "u")
    monkeypatch.setenv("BACKFILL_AIRFLOW_PASSWORD", "p")
    monkeypatch.setenv("BACKFILL_KEY_PATTERN", "backfills/{name}/{fingerprint}.json")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

    def trigger(_settings: Any, _user: str, _password: str, run_id: str, conf: Any) -> Outcome:
        calls.append((run_id, conf))
        return Outcome.TRIGGERED

    monkeypatch.setattr(handler.airflow_api, "trigger_rest", trigger)
    return calls


def test_handler_ignores_keys_outside_the_prefix(started):
    assert handler.handler(s3_event("elsewhere/x.json")) == {"runs": []}
    assert started == []


def test_handler_takes_the_fingerprint_from_the_key(started):
    result = handler.handler(s3_event(f"backfills/clicks-recon/{FP}.json"))
    assert started == [
        (
            "backfill-db1f9d0fdfec915d",
            {"spec_uri": f"s3://uploads/backfills/clicks-recon/{FP}.json"},
        )
    ]
    assert result["runs"][0]["outcome"] == "triggered"


def test_settings_say_what_is_missing():
    with pytest.raises(config.ConfigError, match="BACKFILL_AIRFLOW_URL is not set"):
        config.load({})
    with pytest.raises(config.ConfigError, match="BACKFILL_AIRFLOW_API='airflow4'"):
        config.load({"BACKFILL_AIRFLOW_API": "airflow4"})
    with pytest.raises(config.ConfigError, match="BACKFILL_MWAA_ENVIRONMENT"):
        config.load({"BACKFILL_AIRFLOW_API": "mwaa"})
    with pytest.raises(config.ConfigError, match="BACKFILL_AIRFLOW_SECRET_ID, or"):
        config.credentials({}, lambda _: "")


def test_credentials_from_secrets_manager():
    secret = json.dumps({"username": "lambda", "password": "s3cret"})
    env = {"BACKFILL_AIRFLOW_SECRET_ID": "airflow/backfill", "BACKFILL_AIRFLOW_PASSWORD": "no"}
    read: list[str] = []
    assert config.credentials(env, lambda name: read.append(name) or secret) == ("lambda", "s3cret")
    assert read == ["airflow/backfill"]
    with pytest.raises(config.ConfigError, match="is not JSON with `username` and `password`"):
        config.credentials(env, lambda _: "{}")


def test_the_trigger_needs_neither_airflow_nor_the_runner():
    """The Lambda's zip holds this package and relies on the runtime's boto3 alone."""
    code = (
        "import sys, backfill_pipeline.trigger.handler\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('airflow', 'pendulum')\n"
        "       or m.startswith('backfill_pipeline.runner')]\n"
        "assert not bad, bad"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(src)}, check=True)
