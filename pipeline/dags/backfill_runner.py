"""The DAG `backfill_runner`: runs one uploaded object (conf `{"spec_uri": "s3://…"}`) exactly
as planned. The work is in `backfill_pipeline.runner`; here it is wired into tasks:

    verify → claim → cluster → run_waves → release_cluster (teardown of cluster)
                   │                   ↘
                   └→ send_replay ──────→ finish (the summary; fails if anything failed)

Only small values travel between tasks (ids, counts, a summary); each task that needs the plan
reads the object again and checks it again. Settings: Airflow Variables (docs/pipeline.md).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pendulum
from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook
from airflow.sdk import BaseOperator, Variable, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from backfill_pipeline import uploaded
from backfill_pipeline.runner import emr, replay, settings, summary
from backfill_pipeline.runner.ledger import AlreadyRan, Ledger, NoLedger

log = logging.getLogger(__name__)


def _settings() -> settings.Settings:
    return settings.load(lambda name: Variable.get(name, default=None))


def _client(service: str) -> Any:
    """A boto3 client from the AWS connection (its extra may name an `endpoint_url`)."""
    return AwsBaseHook(aws_conn_id=_settings().aws_conn_id, client_type=service).get_conn()


def _spec_uri() -> str:
    conf = get_current_context()["dag_run"].conf or {}
    uri = conf.get("spec_uri")
    if not isinstance(uri, str) or not uri.startswith("s3://") or "/" not in uri[5:]:
        raise AirflowFailException(f'conf must be {{"spec_uri": "s3://bucket/key"}}, got {conf!r}')
    return uri


def _read_verified() -> uploaded.Verified:
    """The object at conf.spec_uri, checked (version, fingerprint, plan_sha256) before
    anything else touches AWS. A refused object fails the task without retries."""
    uri = _spec_uri()
    bucket, key = uri[5:].split("/", 1)
    body = _client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    try:
        return uploaded.verify(body, uri)
    except uploaded.ObjectRefused as e:
        raise AirflowFailException(str(e)) from None


def _ledger(fingerprint: str) -> Ledger:
    return Ledger(_client("dynamodb"), _settings().ledger_table, fingerprint)


@task
def verify() -> dict[str, Any]:
    obj = _read_verified()
    s = obj.plan["summary"]
    log.info(
        "%s: %s, fingerprint %s: %s EMR steps in %s waves, %s replay messages",
        _spec_uri(),
        obj.name,
        obj.fingerprint,
        s["emr_steps"],
        s["emr_waves"],
        s["replay_messages"],
    )
    return {"fingerprint": obj.fingerprint, "name": obj.name, "feeds": s["feeds"]}


@task
def claim(checked: dict[str, Any]) -> dict[str, Any]:
    run_id = get_current_context()["dag_run"].run_id
    try:
        _ledger(checked["fingerprint"]).claim(run_id, _spec_uri())
    except (AlreadyRan, NoLedger) as e:
        raise AirflowFailException(str(e)) from None
    return checked


@task
def cluster(checked: dict[str, Any]) -> dict[str, Any]:
    """The cluster the waves run on: the configured one, or the one this backfill created
    (recorded in the ledger, so a retry does not create another), or a new one."""
    config = _settings()
    if config.cluster_id:
        return {"cluster_id": config.cluster_id, "created": False}
    ledger = _ledger(checked["fingerprint"])
    existing = ledger.cluster()
    if existing:
        return {"cluster_id": existing, "created": True}
    plan = _read_verified().plan
    if not plan["emr"]["waves"]:
        return {"cluster_id": None, "created": False}
    request = emr.job_flow_request(
        plan["emr"]["cluster"], config.job_flow_template, checked["name"], checked["fingerprint"]
    )
    cluster_id = _client("emr").run_job_flow(**request)["JobFlowId"]
    ledger.set_cluster(cluster_id)
    log.info("created cluster %s", cluster_id)
    return {"cluster_id": cluster_id, "created": True}


class RunWaves(BaseOperator):
    """Submits the waves one at a time and waits for every step of each. Killed, it cancels
    the pending steps of the wave in flight; a retry picks the run up from the ledger."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._in_flight: tuple[str, list[str]] | None = None  # (cluster id, the wave's step ids)

    def execute(self, context: Any) -> dict[str, Any]:
        checked = context["ti"].xcom_pull(task_ids="claim")
        where = context["ti"].xcom_pull(task_ids="cluster")
        plan = _read_verified().plan
        if where["cluster_id"] is None:
            return summary.steps_summary([], checked["feeds"])
        client = _client("emr")
        ledger = _ledger(checked["fingerprint"])

        def in_flight(_index: int, step_ids: list[str]) -> None:
            self._in_flight = (where["cluster_id"], step_ids)

        outcome = emr.run_waves(
            client,
            ledger,
            where["cluster_id"],
            plan["emr"]["waves"],
            _settings().poll_seconds,
            time.sleep,
            in_flight,
        )
        result = summary.steps_summary(outcome.results, checked["feeds"])
        for line in summary.step_lines(result):
            log.info("%s", line)
        return result

    def on_kill(self) -> None:
        if self._in_flight is None:
            return
        cluster_id, step_ids = self._in_flight
        cancelled = emr.cancel_pending(_client("emr"), cluster_id, step_ids)
        log.warning("killed: cancelled %d pending steps on %s", len(cancelled), cluster_id)


@task
def send_replay(checked: dict[str, Any]) -> dict[str, Any]:
    plan = _read_verified().plan
    batches = plan["replay"]["batches"]
    if not batches:
        return summary.replay_summary(replay.ReplayOutcome(), checked["feeds"])
    queue_url = _settings().replay_queue_url
    if not queue_url:
        raise AirflowFailException(
            f"the plan has {len(batches)} replay batches but Variable backfill_replay_queue_url "
            "is not set"
        )
    ledger = _ledger(checked["fingerprint"])
    outcome = replay.send_batches(
        _client("sqs"),
        queue_url,
        batches,
        ledger.replay_batches_sent(),
        ledger.set_replay_batches_sent,
        time.sleep,
    )
    result = summary.replay_summary(outcome, checked["feeds"])
    log.info("replay: %d sent, %d failed", result["sent"], result["failed"])
    return result


@task
def finish(checked: dict[str, Any], steps: dict[str, Any], messages: dict[str, Any]) -> None:
    """The summary, and the run's verdict once everything has run."""
    for line in summary.log_lines(checked["name"], checked["fingerprint"], steps, messages):
        log.info("%s", line)
    problems = []
    if steps["failed"]:
        problems.append(
            f"{steps['failed']} EMR steps failed or did not run: "
            + "; ".join(steps["failed_steps"][:10])
        )
    if messages["failed"]:
        problems.append(
            f"{messages['failed']} replay messages failed: "
            + "; ".join(messages["failed_messages"][:10])
        )
    if problems:
        raise AirflowFailException(" / ".join(problems))


@task
def release_cluster(checked: dict[str, Any], where: dict[str, Any]) -> None:
    """Whatever happened to the waves: ends a cluster this backfill created (which ends its
    steps too), or cancels the pending steps of an unfinished wave on a configured one."""
    cluster_id = where["cluster_id"]
    if cluster_id is None:
        return
    if where["created"]:
        _client("emr").terminate_job_flows(JobFlowIds=[cluster_id])
        log.info("terminated cluster %s", cluster_id)
        return
    unfinished = _ledger(checked["fingerprint"]).unfinished_wave()
    if unfinished:
        cancelled = emr.cancel_pending(_client("emr"), cluster_id, unfinished.step_ids)
        log.warning("cancelled %d pending steps on %s", len(cancelled), cluster_id)


@dag(
    dag_id="backfill_runner",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 2},
    tags=["backfill-builder"],
    doc_md=__doc__,
)
def backfill_runner() -> None:
    # A task called here returns an XComArg that stands for its value when it runs: Any to
    # mypy, which cannot tell the two apart.
    checked: Any = verify()
    claimed: Any = claim(checked)
    where: Any = cluster(claimed)
    waves = RunWaves(task_id="run_waves")
    steps: Any = waves.output
    messages: Any = send_replay(claimed)
    finish(claimed, steps, messages)
    where >> waves >> release_cluster(claimed, where).as_teardown(setups=where)


backfill_runner()
