"""An EMR in front of moto, over HTTP: the DAG's clients get only its URL as `endpoint_url`.

moto's EMR keeps clusters but never moves a step, and enforces none of EMR's step limits.
This fake answers the step calls itself (AddJobFlowSteps, ListSteps, DescribeStep,
CancelSteps), moves steps as EMR would, one tick per ListSteps or DescribeStep call (PENDING →
RUNNING up to the cluster's StepConcurrencyLevel → COMPLETED, or FAILED for the names it is
told to fail, with ActionOnFailure applied), and answers a breach of EMR's documented limits
(256 steps per AddJobFlowSteps, 256 active per cluster, 10 StepIds per ListSteps, 256 per
CancelSteps) with EMR's ValidationException. Everything else (RunJobFlow, S3, DynamoDB, SQS)
goes to moto; SendMessageBatch can be made to fail some entries once.

What it received is kept for the tests: the RunJobFlow requests, each AddJobFlowSteps call's
steps in order, the replay batches, every request's service and operation, and breaches."""

from __future__ import annotations

import http.client
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

ACTIVE = {"PENDING", "RUNNING", "CANCEL_PENDING"}
PAGE = 50  # steps per ListSteps page, as EMR


@dataclass
class Step:
    id: str
    config: dict[str, Any]
    state: str = "PENDING"


@dataclass
class Cluster:
    concurrency: int
    steps: list[Step] = field(default_factory=list)
    terminated: bool = False


class EmrError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class EmrFake:
    def __init__(self, moto_url: str) -> None:
        self._moto = urlparse(moto_url)
        self._lock = threading.Lock()
        self.reset()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                fake._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()

    def reset(
        self,
        fail_steps: frozenset[str] = frozenset(),
        fail_list_steps_after_adds: int | None = None,
        list_steps_failures: int = 1,
        fail_replay_ids_once: frozenset[str] = frozenset(),
    ) -> None:
        """Forgets what was received; `fail_steps`: step names that end FAILED;
        `fail_list_steps_after_adds`: once that many AddJobFlowSteps calls were made, the next
        `list_steps_failures` ListSteps calls answer an error (the task fails; one failure per
        try of the task, as each try's first ListSteps fails); `fail_replay_ids_once`:
        SendMessageBatch entry Ids that fail the first time they are sent."""
        with self._lock:
            self.clusters: dict[str, Cluster] = {}
            self.job_flows: list[dict[str, Any]] = []
            self.added: list[list[dict[str, Any]]] = []  # each AddJobFlowSteps call's steps
            self.terminated: list[str] = []
            self.cancelled: list[str] = []
            self.replay_calls: list[list[dict[str, Any]]] = []
            self.requests: list[str] = []  # "service Operation"
            self.breaches: list[str] = []
            self._fail_steps = fail_steps
            self._fail_list_after = fail_list_steps_after_adds
            self._list_failures_left = list_steps_failures
            self._fail_replay = set(fail_replay_ids_once)
            self._next_step = 0

    # -- HTTP ------------------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        target = h.headers.get("X-Amz-Target", "")
        with self._lock:
            self.requests.append(_describe(h, target))
        if target.startswith("ElasticMapReduce."):
            operation = target.split(".", 1)[1]
            if operation in ("AddJobFlowSteps", "ListSteps", "DescribeStep", "CancelSteps"):
                try:
                    with self._lock:
                        answer = getattr(self, f"_{operation}")(json.loads(body or b"{}"))
                    _reply(h, 200, answer)
                except EmrError as e:
                    _reply(h, 400, {"__type": e.code, "message": str(e)})
                return
            status, headers, data = self._forward(h, body)
            if status == 200:
                with self._lock:
                    self._after_moto(operation, json.loads(body), json.loads(data))
            _relay(h, status, headers, data)
            return
        if target == "AmazonSQS.SendMessageBatch":
            self._send_message_batch(h, body)
            return
        _relay(h, *self._forward(h, body))

    def _forward(
        self, h: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self._moto.hostname, self._moto.port, timeout=60)
        headers = {k: v for k, v in h.headers.items() if k.lower() != "content-length"}
        headers["Content-Length"] = str(len(body))
        connection.request(h.command, h.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, response.getheaders(), data

    # -- EMR -------------------------------------------------------------------------------

    def _after_moto(self, operation: str, request: dict[str, Any], answer: dict[str, Any]) -> None:
        if operation == "RunJobFlow":
            self.job_flows.append(request)
            concurrency = int(request.get("StepConcurrencyLevel", 1))
            self.clusters[answer["JobFlowId"]] = Cluster(concurrency)
        elif operation == "TerminateJobFlows":
            for cluster_id in request["JobFlowIds"]:
                self.terminated.append(cluster_id)
                cluster = self.clusters.get(cluster_id)
                if cluster:
                    cluster.terminated = True
                    for step in cluster.steps:
                        if step.state in ACTIVE:
                            step.state = "CANCELLED"

    def _cluster(self, cluster_id: str) -> Cluster:
        cluster = self.clusters.get(cluster_id)
        if cluster is None:
            raise EmrError("InvalidRequestException", f"Cluster id '{cluster_id}' is not valid.")
        return cluster

    def _breach(self, message: str) -> EmrError:
        self.breaches.append(message)
        return EmrError("ValidationException", message)

    def _AddJobFlowSteps(self, request: dict[str, Any]) -> dict[str, Any]:
        cluster = self._cluster(request["JobFlowId"])
        steps = request["Steps"]
        if len(steps) > 256:
            raise self._breach(
                "1 validation error detected: Value at 'steps' failed to satisfy constraint: "
                "Member must have length less than or equal to 256"
            )
        if cluster.terminated:
            raise EmrError(
                "ValidationException",
                "A job flow that is shutting down, terminated, or finished may not be modified.",
            )
        active = sum(s.state in ACTIVE for s in cluster.steps)
        if active + len(steps) > 256:
            raise self._breach(
                "Maximum number of active steps(State = 'Running', 'Pending' or "
                "'Cancel_Pending') for cluster exceeded."
            )
        self.added.append(steps)
        ids = []
        for config in steps:
            self._next_step += 1
            step = Step(f"s-FAKE{self._next_step:09d}", config)
            cluster.steps.append(step)
            ids.append(step.id)
        return {"StepIds": ids}

    def _ListSteps(self, request: dict[str, Any]) -> dict[str, Any]:
        cluster = self._cluster(request["ClusterId"])
        ids = request.get("StepIds")
        if ids is not None and len(ids) > 10:
            raise self._breach(
                "1 validation error detected: Value at 'stepIds' failed to satisfy constraint: "
                "Member must have length less than or equal to 10"
            )
        if (
            self._fail_list_after is not None
            and len(self.added) >= self._fail_list_after
            and self._list_failures_left > 0
        ):
            self._list_failures_left -= 1
            raise EmrError("InvalidRequestException", "injected by the test: the task fails")
        self._tick(cluster)
        states = set(request.get("StepStates") or [])
        chosen = [
            s
            for s in reversed(cluster.steps)  # EMR lists the newest first
            if (not ids or s.id in ids) and (not states or s.state in states)
        ]
        start = int(request.get("Marker") or 0)
        answer: dict[str, Any] = {"Steps": [_summary(s) for s in chosen[start : start + PAGE]]}
        if start + PAGE < len(chosen):
            answer["Marker"] = str(start + PAGE)
        return answer

    def _DescribeStep(self, request: dict[str, Any]) -> dict[str, Any]:
        cluster = self._cluster(request["ClusterId"])
        self._tick(cluster)
        for step in cluster.steps:
            if step.id == request["StepId"]:
                return {"Step": _summary(step)}
        raise EmrError("InvalidRequestException", f"Step id '{request['StepId']}' is not valid.")

    def _CancelSteps(self, request: dict[str, Any]) -> dict[str, Any]:
        cluster = self._cluster(request["ClusterId"])
        if len(request["StepIds"]) > 256:
            raise self._breach("CancelSteps takes at most 256 step ids")
        info = []
        for step in cluster.steps:
            if step.id in request["StepIds"]:
                ok = step.state == "PENDING"
                if ok:
                    step.state = "CANCELLED"
                    self.cancelled.append(step.id)
                info.append({"StepId": step.id, "Status": "SUBMITTED" if ok else "FAILED"})
        return {"CancelStepsInfoList": info}

    def _tick(self, cluster: Cluster) -> None:
        """One unit of time: running steps end, then pending ones start, as many as the
        cluster's StepConcurrencyLevel allows."""
        for step in cluster.steps:
            if step.state != "RUNNING":
                continue
            if step.config["Name"] not in self._fail_steps:
                step.state = "COMPLETED"
                continue
            step.state = "FAILED"
            action = step.config.get("ActionOnFailure", "CONTINUE")
            if action in ("CANCEL_AND_WAIT", "TERMINATE_CLUSTER", "TERMINATE_JOB_FLOW"):
                for other in cluster.steps:
                    if other.state == "PENDING":
                        other.state = "CANCELLED"
            if action in ("TERMINATE_CLUSTER", "TERMINATE_JOB_FLOW"):
                cluster.terminated = True
        free = cluster.concurrency
        for step in cluster.steps:
            if free == 0:
                break
            if step.state == "PENDING":
                step.state = "RUNNING"
                free -= 1

    # -- SQS -------------------------------------------------------------------------------

    def _send_message_batch(self, h: BaseHTTPRequestHandler, body: bytes) -> None:
        request = json.loads(body)
        entries = request["Entries"]
        with self._lock:
            self.replay_calls.append(entries)
            failing = [e for e in entries if e["Id"] in self._fail_replay]
            self._fail_replay -= {e["Id"] for e in failing}
        kept = [e for e in entries if e not in failing]
        answer: dict[str, Any] = {"Successful": [], "Failed": []}
        if kept:
            status, headers, data = self._forward(
                h, json.dumps({**request, "Entries": kept}).encode()
            )
            if status != 200:
                _relay(h, status, headers, data)
                return
            answer = json.loads(data)
            answer.setdefault("Failed", [])
        answer["Failed"] += [
            {
                "Id": e["Id"],
                "SenderFault": False,
                "Code": "InternalError",
                "Message": "injected by the test",
            }
            for e in failing
        ]
        _reply(h, 200, answer, "application/x-amz-json-1.0")


def _summary(step: Step) -> dict[str, Any]:
    return {
        "Id": step.id,
        "Name": step.config["Name"],
        "Config": step.config["HadoopJarStep"],
        "ActionOnFailure": step.config.get("ActionOnFailure", "CONTINUE"),
        "Status": {"State": step.state, "StateChangeReason": {}, "Timeline": {}},
    }


def _describe(h: BaseHTTPRequestHandler, target: str) -> str:
    if target:
        prefix, _, operation = target.partition(".")
        return f"{prefix} {operation}"
    scope = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", h.headers.get("Authorization", ""))
    return f"{scope.group(1) if scope else '?'} {h.command} {h.path.split('?')[0]}"


def _reply(
    h: BaseHTTPRequestHandler,
    status: int,
    answer: dict[str, Any],
    content_type: str = "application/x-amz-json-1.1",
) -> None:
    data = json.dumps(answer).encode()
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


def _relay(
    h: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], data: bytes
) -> None:
    h.send_response(status)
    dropped = {"transfer-encoding", "connection", "server", "date"}
    if h.command != "HEAD":  # a HEAD answer keeps the length of what a GET would send
        dropped.add("content-length")
        headers = [*headers, ("Content-Length", str(len(data)))]
    for name, value in headers:
        if name.lower() not in dropped:
            h.send_header(name, value)
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(data)
