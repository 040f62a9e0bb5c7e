"""Starting a DAG run: Airflow 3 (`/auth/token`, then `/api/v2`), Airflow 2 (`/api/v1`, basic
auth) or Amazon MWAA (`InvokeRestApi`). A 409 means the run id exists: the run was already
triggered (S3 events arrive at least once), which is success."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from enum import Enum
from typing import Any
from urllib.parse import quote

from .config import Api, Settings


class Outcome(Enum):
    TRIGGERED = "triggered"
    ALREADY_TRIGGERED = "already triggered"


class TriggerFailed(RuntimeError):
    """Airflow refused the trigger (other than 409): the message has its status and answer."""


def request_body(airflow3: bool, run_id: str, conf: dict[str, Any]) -> dict[str, Any]:
    """The body of POST .../dags/{dag_id}/dagRuns. Airflow 3 requires `logical_date`; null
    makes a run of no particular date, so two backfills never collide on one."""
    if airflow3:
        return {"dag_run_id": run_id, "logical_date": None, "conf": conf}
    return {"dag_run_id": run_id, "conf": conf}


def dag_runs_path(dag_id: str) -> str:
    return f"/dags/{quote(dag_id, safe='')}/dagRuns"


def trigger_rest(
    settings: Settings, username: str, password: str, run_id: str, conf: dict[str, Any]
) -> Outcome:
    """Airflow 2 or 3 over HTTP."""
    body = request_body(settings.api is Api.AIRFLOW3, run_id, conf)
    if settings.api is Api.AIRFLOW3:
        status, text = _post(
            f"{settings.airflow_url}/auth/token",
            {"username": username, "password": password},
            {},
            settings.timeout_seconds,
        )
        if status not in (200, 201):
            raise TriggerFailed(f"POST /auth/token answered {status}: {text[:500]}")
        token = json.loads(text)["access_token"]
        url = f"{settings.airflow_url}/api/v2{dag_runs_path(settings.dag_id)}"
        auth = f"Bearer {token}"
    else:
        url = f"{settings.airflow_url}/api/v1{dag_runs_path(settings.dag_id)}"
        auth = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    status, text = _post(url, body, {"Authorization": auth}, settings.timeout_seconds)
    return _outcome(status, text)


def trigger_mwaa(settings: Settings, mwaa: Any, run_id: str, conf: dict[str, Any]) -> Outcome:
    """Amazon MWAA through `InvokeRestApi` (IAM `airflow:InvokeRestApi`); `mwaa` is a boto3
    client. MWAA answers a 4xx from Airflow with RestApiClientException."""
    body = request_body(settings.mwaa_airflow_major >= 3, run_id, conf)
    try:
        answer = mwaa.invoke_rest_api(
            Name=settings.mwaa_environment,
            Path=dag_runs_path(settings.dag_id),
            Method="POST",
            Body=body,
        )
    except mwaa.exceptions.RestApiClientException as e:
        return _outcome(
            int(e.response.get("RestApiStatusCode", 400)),
            json.dumps(e.response.get("RestApiResponse")),
        )
    return _outcome(int(answer["RestApiStatusCode"]), json.dumps(answer.get("RestApiResponse")))


def _outcome(status: int, text: str) -> Outcome:
    if status in (200, 201):
        return Outcome.TRIGGERED
    if status == 409:
        return Outcome.ALREADY_TRIGGERED
    raise TriggerFailed(f"starting the DAG run answered {status}: {text[:500]}")


def _post(
    url: str, body: dict[str, Any], headers: dict[str, str], timeout: float
) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
