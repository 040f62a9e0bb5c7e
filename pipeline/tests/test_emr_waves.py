"""The wave runner on its own (no Airflow), against the EMR fake and moto: what a failure
with CANCEL_AND_WAIT stops, and what a cancel reaches."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from conftest import LEDGER, REGION

from backfill_pipeline.runner import emr
from backfill_pipeline.runner.ledger import Ledger, NoLedger


def step(name: str, action: str = "CONTINUE") -> dict[str, Any]:
    return {
        "Name": name,
        "ActionOnFailure": action,
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["echo", name]},
    }


@pytest.fixture
def client(fake: Any, aws: Any) -> Any:
    """An EMR client through the fake, and a cluster of concurrency 2 on it."""
    fake.reset()
    return boto3.client(
        "emr",
        endpoint_url=fake.url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def cluster(client: Any) -> str:
    request = emr.job_flow_request(
        {
            "instance_type": "m6g.xlarge",
            "step_concurrency": 2,
            "managed_scaling": {"unit_type": "Instances", "min_units": 1, "max_units": 4},
            "tags": {"team": "t"},
        },
        None,
        "waves",
        "f" * 64,
    )
    return str(client.run_job_flow(**request)["JobFlowId"])


def ledger(aws: Any, name: str) -> Ledger:
    return Ledger(aws("dynamodb"), LEDGER, name)


def test_a_failure_that_cancels_stops_the_later_waves(client, fake, aws):
    waves = [
        [step("a1"), step("a2", "CANCEL_AND_WAIT"), step("a3"), step("a4")],
        [step("b1")],
    ]
    fake.reset(fail_steps=frozenset({"a2"}))
    cluster_id = cluster(client)
    out = emr.run_waves(
        client, ledger(aws, "cancel-and-wait"), cluster_id, waves, 0, lambda _: None
    )
    assert [(r.step["Name"], r.state) for r in out.results] == [
        ("a1", "COMPLETED"),
        ("a2", "FAILED"),
        ("a3", "CANCELLED"),  # EMR cancels what is pending after a CANCEL_AND_WAIT failure
        ("a4", "CANCELLED"),
        ("b1", "NOT_RUN"),
    ]
    assert fake.added == waves[:1]
    assert fake.breaches == []


def test_states_are_read_ten_ids_at_a_time(client, fake, aws):
    wave = [step(f"s{i}") for i in range(25)]
    cluster_id = cluster(client)
    out = emr.run_waves(client, ledger(aws, "ten-at-a-time"), cluster_id, [wave], 0, lambda _: None)
    assert {r.state for r in out.results} == {"COMPLETED"}
    assert fake.breaches == []  # more than 10 StepIds in one ListSteps would be one


def test_cancel_pending_reaches_only_pending_steps_of_the_wave(client, fake):
    cluster_id = cluster(client)
    ids = client.add_job_flow_steps(JobFlowId=cluster_id, Steps=[step(f"c{i}") for i in range(5)])[
        "StepIds"
    ]
    # Its ListSteps is the fake's first tick: two steps start running, three stay pending,
    # of which the last is not among those to cancel.
    assert emr.cancel_pending(client, cluster_id, ids[:4]) == [ids[3], ids[2]]
    assert fake.cancelled == [ids[2], ids[3]]


def test_a_missing_ledger_table_is_named_not_created(aws):
    with pytest.raises(NoLedger, match="the ledger table 'no-such-table' does not exist"):
        Ledger(aws("dynamodb"), "no-such-table", "f" * 64).claim("run", "s3://b/k")
    assert "no-such-table" not in aws("dynamodb").list_tables()["TableNames"]


def test_a_killed_waves_task_cancels_the_pending_steps_of_its_wave(
    client, fake, monkeypatch, airflow_env
):
    """What Airflow calls when the task is killed (the run marked failed, the task cleared)."""
    for name in ("AIRFLOW_HOME", "AIRFLOW__CORE__DAGS_FOLDER", "AIRFLOW__CORE__LOAD_EXAMPLES"):
        monkeypatch.setenv(name, airflow_env[name])  # Airflow reads them on first import
    import backfill_runner  # the DAG file (pipeline/dags is on pytest's pythonpath)

    cluster_id = cluster(client)
    ids = client.add_job_flow_steps(JobFlowId=cluster_id, Steps=[step(f"k{i}") for i in range(4)])[
        "StepIds"
    ]
    monkeypatch.setattr(backfill_runner, "_client", lambda _service: client)
    task = backfill_runner.RunWaves(task_id="run_waves")
    task.on_kill()  # nothing in flight yet: nothing to cancel
    assert fake.cancelled == []
    task._in_flight = (cluster_id, ids)
    task.on_kill()
    assert fake.cancelled == ids[2:]  # the first two were running
