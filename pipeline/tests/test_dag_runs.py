"""`backfill_runner` run by real Airflow (`airflow dags test`, or the same `dag.test()` in
tests/dag_worker.py) against moto, with EMR behind the fake: what EMR and SQS received is
compared with the object's plan."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import boto3
import pytest
from conftest import BUCKET, PRODUCT_EXAMPLE, REGION, SPECS, received_messages


def key_of(made: Any) -> str:
    return f"backfills/{made.obj['spec']['name']}/{made.fingerprint}.json"


def submitted(fake: Any) -> list[dict[str, Any]]:
    return [step for call in fake.added for step in call]


def assert_ran_exactly_the_plan(fake: Any, made: Any) -> None:
    """Each wave in one AddJobFlowSteps call, in plan order, and no EMR limit breached."""
    assert fake.added == made.obj["plan"]["emr"]["waves"]
    assert fake.breaches == []


def test_product_example(fake, make_object, run_dag, aws, queue_url):
    """Run by `airflow dags test` itself; the other cases use the session's DAG worker."""
    made = make_object(PRODUCT_EXAMPLE)
    fake.reset()
    run = run_dag(made.text, key_of(made), cli=True)
    assert run.state == "success", run.output[-3000:]
    assert_ran_exactly_the_plan(fake, made)
    (job_flow,) = fake.job_flows
    cluster = made.obj["plan"]["emr"]["cluster"]
    assert job_flow["StepConcurrencyLevel"] == cluster["step_concurrency"] == 4
    assert job_flow["ManagedScalingPolicy"] == {
        "ComputeLimits": {
            "UnitType": "Instances",
            "MinimumCapacityUnits": 2,
            "MaximumCapacityUnits": 40,
        }
    }
    tags = {t["Key"]: t["Value"] for t in job_flow["Tags"]}
    assert tags == {**cluster["tags"], "backfill-fingerprint": made.fingerprint}
    assert fake.terminated == list(fake.clusters)
    assert sorted(received_messages(aws, queue_url)) == sorted(
        m["MessageBody"] for m in made.messages
    )
    assert [m["Id"] for call in fake.replay_calls for m in call] == [m["Id"] for m in made.messages]


def test_three_waves_of_600_steps(fake, make_object, run_dag):
    made = make_object(SPECS / "three-waves.yaml")
    assert [len(w) for w in made.obj["plan"]["emr"]["waves"]] == [256, 256, 96]
    fake.reset()
    run = run_dag(made.text, key_of(made))
    assert run.state == "success", run.output[-3000:]
    assert_ran_exactly_the_plan(fake, made)
    assert "EMR steps: 608 in all, 608 completed, 0 failed or not run" in run.output


def test_failing_step_with_continue(fake, make_object, run_dag, aws, queue_url):
    made = make_object(SPECS / "failing-step.yaml")
    failing = "backfill clicks 2021-01-05"
    assert failing in [s["Name"] for s in made.obj["plan"]["emr"]["waves"][0]]
    fake.reset(fail_steps=frozenset({failing}))
    run = run_dag(made.text, key_of(made))
    assert run.state == "failed"
    # The second wave and the replay still ran; only the end says it failed, naming the step.
    assert_ran_exactly_the_plan(fake, made)
    assert len(fake.added) == 2
    assert run.tasks["run_waves"][0] == "success"
    assert run.tasks["send_replay"][0] == "success"
    assert run.tasks["finish"][0] == "failed"
    assert run.tasks["release_cluster"][0] == "success"
    assert f"1 EMR steps failed or did not run: wave 1: '{failing}' FAILED" in run.output
    assert "clicks failed: 1: 2021-01-05" in run.output
    assert sorted(received_messages(aws, queue_url)) == sorted(
        m["MessageBody"] for m in made.messages
    )
    assert fake.terminated == list(fake.clusters)


def test_same_spec_twice_runs_once(fake, make_object, run_dag):
    made = make_object(SPECS / "twice.yaml")
    fake.reset()
    first = run_dag(made.text, key_of(made))
    assert first.state == "success", first.output[-3000:]
    # Uploaded again, under another key: the ledger refuses it, naming the first run.
    second = run_dag(made.text, f"backfills/elsewhere/{made.fingerprint}.json")
    assert second.state == "failed"
    assert second.tasks["claim"][0] == "failed"
    assert "already ran or is running: run 'manual__" in second.output
    assert_ran_exactly_the_plan(fake, made)
    assert len(fake.job_flows) == 1


def test_task_retried_mid_run_submits_no_wave_twice(fake, make_object, run_dag):
    made = make_object(SPECS / "retried.yaml")
    # Once the second wave is submitted, the next ListSteps fails: the task fails and is retried.
    fake.reset(fail_list_steps_after_adds=2)
    run = run_dag(made.text, key_of(made))
    assert run.state == "success", run.output[-3000:]
    assert run.tasks["run_waves"] == ("success", 2)
    assert_ran_exactly_the_plan(fake, made)
    assert "wave 2 of 2: submitted before, not again" in run.output


def test_edited_objects_are_refused_before_any_aws_call(fake, make_object, run_dag):
    made = make_object(SPECS / "edited.yaml")
    refusals = {
        "spec": "the fingerprint is not the spec's",
        "plan": "plan_sha256 is not the plan's",
    }
    for what, message in refusals.items():
        obj = json.loads(made.text)
        if what == "spec":
            obj["spec"]["backfills"][0]["dates"] = ["2022-08-11"]
        else:
            obj["plan"]["emr"]["waves"][0][0]["HadoopJarStep"]["Args"][-1] = "2022-08-11"
        fake.reset()
        run = run_dag(json.dumps(obj).encode(), f"backfills/edited/{what}.json")
        assert run.state == "failed"
        assert run.tasks["verify"] == ("failed", 1)  # refused: no retry
        assert message in run.output
        # The only request was reading the object.
        assert fake.requests == [f"s3 GET /{BUCKET}/backfills/edited/{what}.json"]


def test_replay_entries_that_fail_are_sent_again(fake, make_object, run_dag, aws, queue_url):
    made = make_object(SPECS / "replay-retry.yaml")
    assert made.obj["plan"]["emr"]["waves"] == []
    fake.reset(fail_replay_ids_once=frozenset({"m3", "m14"}))
    run = run_dag(made.text, key_of(made))
    assert run.state == "success", run.output[-3000:]
    ids = [[e["Id"] for e in call] for call in fake.replay_calls]
    batches = [[e["Id"] for e in b] for b in made.obj["plan"]["replay"]["batches"]]
    assert ids == [batches[0], ["m3"], batches[1], ["m14"], batches[2]]
    assert sorted(received_messages(aws, queue_url)) == sorted(
        m["MessageBody"] for m in made.messages
    )
    assert fake.job_flows == []


def test_configured_cluster_failed_run_cancels_its_pending_steps(fake, make_object, run_dag):
    made = make_object(SPECS / "configured-cluster.yaml")
    fake.reset(fail_list_steps_after_adds=1, list_steps_failures=3)  # every try of run_waves
    emr = boto3.client(
        "emr",
        endpoint_url=fake.url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    cluster_id = emr.run_job_flow(
        Name="shared",
        ReleaseLabel="emr-7.5.0",
        StepConcurrencyLevel=2,
        Instances={
            "MasterInstanceType": "m5.xlarge",
            "InstanceCount": 1,
            "KeepJobFlowAliveWhenNoSteps": True,
        },
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
    )["JobFlowId"]
    run = run_dag(made.text, key_of(made), {"backfill_cluster_id": cluster_id})
    assert run.state == "failed"
    assert run.tasks["run_waves"] == ("failed", 3)
    assert run.tasks["release_cluster"][0] == "success"
    (wave,) = made.obj["plan"]["emr"]["waves"]
    assert fake.added == [wave]  # submitted once, by the first try
    assert len(fake.job_flows) == 1  # the test's own: none created by the run
    # The teardown cancelled what was still pending (two were running), and left the cluster.
    steps = fake.clusters[cluster_id].steps
    assert [s.state for s in steps] == ["RUNNING", "RUNNING"] + ["CANCELLED"] * (len(wave) - 2)
    assert fake.terminated == []


def specs_from_elsewhere() -> list[Path]:
    """Specs outside the repo, to run the same way: BACKFILL_PIPELINE_SPECS=DIR (its *.yaml,
    *.yml and *.json), with BACKFILL_PIPELINE_CATALOG=FILE for the CLI if they need one."""
    folder = os.environ.get("BACKFILL_PIPELINE_SPECS")
    if not folder:
        return []
    return sorted(p for p in Path(folder).iterdir() if p.suffix in (".yaml", ".yml", ".json"))


@pytest.mark.parametrize("spec", specs_from_elsewhere(), ids=lambda p: p.name)
def test_spec_from_elsewhere_runs_exactly_its_plan(
    spec, fake, make_object, run_dag, aws, queue_url
):
    catalog = os.environ.get("BACKFILL_PIPELINE_CATALOG")
    made = make_object(spec, Path(catalog) if catalog else None)
    fake.reset()
    run = run_dag(made.text, key_of(made))
    assert run.state == "success", run.output[-3000:]
    assert_ran_exactly_the_plan(fake, made)
    assert [m["Id"] for call in fake.replay_calls for m in call] == [m["Id"] for m in made.messages]
    assert sorted(received_messages(aws, queue_url)) == sorted(
        m["MessageBody"] for m in made.messages
    )
    assert fake.terminated == list(fake.clusters)
