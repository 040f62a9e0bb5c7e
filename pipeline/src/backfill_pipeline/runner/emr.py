"""EMR: the cluster a backfill runs on, and its waves, one at a time.

EMR allows at most 256 steps PENDING or RUNNING on a cluster and takes at most 256 per
AddJobFlowSteps; the plan's waves hold at most 256. A wave is submitted only once every step
of the one before is terminal, so at most 256 are ever active. A failed step is recorded, not
raised: with ActionOnFailure CONTINUE the next waves still run."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .ledger import Ledger

log = logging.getLogger(__name__)

ACTIVE = ["PENDING", "RUNNING", "CANCEL_PENDING"]
FAILED = {"FAILED", "CANCELLED", "INTERRUPTED"}
LIST_STEPS_MAX_IDS = 10  # EMR's limit on StepIds per ListSteps call

# The cluster when the deployment gives no template (Variable backfill_job_flow_template):
# EMR's default roles, one primary and the plan's minimum of core nodes, all of the plan's
# instance type. "{instance_type}" and "{name}" are filled in from the plan.
DEFAULT_TEMPLATE: dict[str, Any] = {
    "Name": "backfill {name}",
    "ReleaseLabel": "emr-7.5.0",
    "Applications": [{"Name": "Spark"}],
    "Instances": {
        "InstanceGroups": [
            {
                "Name": "primary",
                "InstanceRole": "MASTER",
                "InstanceType": "{instance_type}",
                "InstanceCount": 1,
            },
            {
                "Name": "core",
                "InstanceRole": "CORE",
                "InstanceType": "{instance_type}",
                "InstanceCount": 1,
            },
        ],
        "KeepJobFlowAliveWhenNoSteps": True,
    },
    "JobFlowRole": "EMR_EC2_DefaultRole",
    "ServiceRole": "EMR_DefaultRole",
    "VisibleToAllUsers": True,
}


def job_flow_request(
    cluster: dict[str, Any], template: dict[str, Any] | None, name: str, fingerprint: str
) -> dict[str, Any]:
    """RunJobFlow's arguments: the template, with the plan's `emr.cluster` applied
    (StepConcurrencyLevel, ManagedScalingPolicy, tags over the template's; the instance type
    where the template says "{instance_type}") and the fingerprint as a tag."""
    request: dict[str, Any] = _fill(
        copy.deepcopy(template or DEFAULT_TEMPLATE), cluster["instance_type"], name
    )
    request["StepConcurrencyLevel"] = cluster["step_concurrency"]
    scaling = cluster["managed_scaling"]
    request["ManagedScalingPolicy"] = {
        "ComputeLimits": {
            "UnitType": scaling["unit_type"],
            "MinimumCapacityUnits": scaling["min_units"],
            "MaximumCapacityUnits": scaling["max_units"],
        }
    }
    tags = {t["Key"]: t["Value"] for t in request.get("Tags", [])}
    tags.update(cluster.get("tags", {}))
    tags["backfill-fingerprint"] = fingerprint
    request["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return request


def _fill(value: Any, instance_type: str, name: str) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, instance_type, name) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, instance_type, name) for v in value]
    if isinstance(value, str):
        return value.replace("{instance_type}", instance_type).replace("{name}", name)
    return value


@dataclass
class StepResult:
    wave: int
    step: dict[str, Any]
    state: str  # a terminal state, or NOT_RUN when an earlier failure stopped the waves


@dataclass
class WavesOutcome:
    results: list[StepResult] = field(default_factory=list)


def run_waves(
    emr: Any,
    ledger: Ledger,
    cluster_id: str,
    waves: list[list[dict[str, Any]]],
    poll_seconds: float,
    sleep: Callable[[float], None],
    on_wave: Callable[[int, list[str]], None] = lambda _i, _ids: None,
) -> WavesOutcome:
    """Runs every wave to its end. A wave the ledger holds was submitted by an earlier try of
    this task: its steps are awaited (or its recorded end is taken), never submitted again.
    After a failed step whose ActionOnFailure is not CONTINUE, EMR cancels the rest (or ends
    the cluster): the waves after it are not submitted and count as NOT_RUN.
    `on_wave(index, step ids)` is called once a wave is submitted or found submitted."""
    outcome = WavesOutcome()
    stopped = False
    for index, wave in enumerate(waves):
        if stopped:
            outcome.results += [StepResult(index, s, "NOT_RUN") for s in wave]
            continue
        record = ledger.wave(index)
        if record is None:
            step_ids = emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=wave)["StepIds"]
            ledger.wave_submitted(index, step_ids)
            log.info("wave %d of %d: %d steps submitted", index + 1, len(waves), len(wave))
        else:
            step_ids = record.step_ids
            log.info("wave %d of %d: submitted before, not again", index + 1, len(waves))
        on_wave(index, step_ids)
        if record is not None and record.states is not None:
            states = record.states
        else:
            states = wait_until_terminal(emr, cluster_id, step_ids, poll_seconds, sleep)
            ledger.wave_ended(index, states)
        results = [StepResult(index, s, state) for s, state in zip(wave, states, strict=True)]
        outcome.results += results
        failed = [r for r in results if r.state != "COMPLETED"]
        if failed:
            log.warning(
                "wave %d: %d of %d steps did not complete", index + 1, len(failed), len(wave)
            )
        stopped = any(
            r.state == "FAILED" and r.step["ActionOnFailure"] != "CONTINUE" for r in failed
        )
    return outcome


def wait_until_terminal(
    emr: Any,
    cluster_id: str,
    step_ids: list[str],
    poll_seconds: float,
    sleep: Callable[[float], None],
) -> list[str]:
    """The terminal state of each step, in order. Polls the cluster's active steps (ListSteps
    by state, paginated) until none of `step_ids` is among them, then reads their states by
    id, at most 10 per call as EMR allows."""
    ours = set(step_ids)
    while True:
        active = ours.intersection(_step_ids(emr, ClusterId=cluster_id, StepStates=ACTIVE))
        if not active:
            break
        sleep(poll_seconds)
    states: dict[str, str] = {}
    for start in range(0, len(step_ids), LIST_STEPS_MAX_IDS):
        chunk = step_ids[start : start + LIST_STEPS_MAX_IDS]
        for step in _steps(emr, ClusterId=cluster_id, StepIds=chunk):
            states[step["Id"]] = step["Status"]["State"]
    return [states[s] for s in step_ids]


def cancel_pending(emr: Any, cluster_id: str, step_ids: list[str]) -> list[str]:
    """Cancels those of `step_ids` still PENDING (running steps are left to end); returns the
    ids it asked to cancel."""
    ours = set(step_ids)
    pending = [s for s in _step_ids(emr, ClusterId=cluster_id, StepStates=["PENDING"]) if s in ours]
    for start in range(0, len(pending), 256):
        emr.cancel_steps(ClusterId=cluster_id, StepIds=pending[start : start + 256])
    return pending


def _steps(emr: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    for page in emr.get_paginator("list_steps").paginate(**kwargs):
        yield from page["Steps"]


def _step_ids(emr: Any, **kwargs: Any) -> Iterator[str]:
    """Ids of the steps listed; with StepStates, only those the answer says are in one of them
    (an endpoint that ignored the filter would otherwise keep a wave waiting forever)."""
    states = kwargs.get("StepStates")
    return (
        s["Id"] for s in _steps(emr, **kwargs) if states is None or s["Status"]["State"] in states
    )
