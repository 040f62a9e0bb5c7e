"""Session-wide servers and helpers, started once: moto in server mode, the EMR fake in front
of it, an Airflow home with its database migrated, and the `backfill-spec` CLI that makes the
objects (as the app would upload them) from the checked-in specs."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from emr_fake import EmrFake

PIPELINE = Path(__file__).resolve().parents[1]
REPO = PIPELINE.parent
SPECS = PIPELINE / "tests" / "specs"
PRODUCT_EXAMPLE = REPO / "crates" / "backfill-spec" / "tests" / "emit" / "product-example.yaml"
VENV_BIN = Path(sys.executable).parent
REGION = "us-east-1"
BUCKET = "backfill-uploads"
LEDGER = "backfill-ledger"
TODAY = "2026-01-01"  # the specs' "today", for the CLI's future-day rule
CREATED_AT = "2026-01-01T12:00:00Z"
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, seconds: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # answering at all is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {seconds} s")


def start_group(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A server in its own process group, so that it and its children end together."""
    with log.open("wb") as out:
        return subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `backfill-spec` binary (scripts/pipeline-test.sh builds it; BACKFILL_SPEC names
    another)."""
    path = Path(os.environ.get("BACKFILL_SPEC", REPO / "target" / "debug" / "backfill-spec"))
    if not path.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "backfill-spec"], cwd=REPO, check=True)
    return path


@dataclass(frozen=True)
class Made:
    text: bytes
    obj: dict[str, Any]

    @property
    def fingerprint(self) -> str:
        return str(self.obj["fingerprint"])

    @property
    def steps(self) -> list[dict[str, Any]]:
        return [s for wave in self.obj["plan"]["emr"]["waves"] for s in wave]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [m for batch in self.obj["plan"]["replay"]["batches"] for m in batch]


@pytest.fixture(scope="session")
def make_object(cli: Path) -> Any:
    def make(spec: Path, catalog: Path | None = None) -> Made:
        with_catalog = ["--catalog", str(catalog)] if catalog else []
        out = subprocess.run(
            [str(cli), "object", *with_catalog, "--created-at", CREATED_AT, str(spec)],
            env={**os.environ, "BACKFILL_SPEC_TODAY": TODAY},
            capture_output=True,
            check=True,
        )
        return Made(out.stdout, json.loads(out.stdout))

    return make


@pytest.fixture(scope="session")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    process = start_group(
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        {**os.environ, **AWS_ENV},
        log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/moto-api/", 30, process)
        yield url
    finally:
        stop_group(process)


@pytest.fixture(scope="session")
def aws(moto_url: str) -> Any:
    """boto3 clients straight to moto, for the tests' own set-up and reading back."""
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )

    def client(service: str) -> Any:
        return session.client(service, endpoint_url=moto_url)

    client("s3").create_bucket(Bucket=BUCKET)
    client("dynamodb").create_table(
        TableName=LEDGER,
        KeySchema=[{"AttributeName": "fingerprint", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "fingerprint", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


@pytest.fixture(scope="session")
def fake(moto_url: str) -> Iterator[EmrFake]:
    server = EmrFake(moto_url)
    yield server
    server.close()


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory: pytest.TempPathFactory, fake: EmrFake) -> dict[str, str]:
    """One Airflow home for the session: SQLite, the repo's dags folder, the AWS connection's
    endpoint_url pointing at the fake, tasks retried after 1 s."""
    home = tmp_path_factory.mktemp("airflow-home")
    env = {
        **os.environ,
        **AWS_ENV,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PIPELINE / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TASK_RETRY_DELAY": "1",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "PYTHONPATH": str(PIPELINE / "src"),
        "AIRFLOW_CONN_AWS_DEFAULT": json.dumps(
            {"conn_type": "aws", "extra": {"endpoint_url": fake.url, "region_name": REGION}}
        ),
        "AIRFLOW_VAR_BACKFILL_LEDGER_TABLE": LEDGER,
        "AIRFLOW_VAR_BACKFILL_POLL_SECONDS": "0.02",
    }
    subprocess.run(
        [str(VENV_BIN / "airflow"), "db", "migrate"], env=env, check=True, capture_output=True
    )
    return env


@dataclass(frozen=True)
class DagRun:
    state: str
    tasks: dict[str, tuple[str, int]]  # task id → (state, try number)
    output: str


@pytest.fixture
def queue_url(aws: Any) -> str:
    return str(aws("sqs").create_queue(QueueName=f"replay-{uuid.uuid4().hex[:8]}")["QueueUrl"])


class DagWorker:
    """tests/dag_worker.py, started once: runs `backfill_runner` per request (dag.test())."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        read, write = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, str(PIPELINE / "tests" / "dag_worker.py"), str(write)],
            env=env,
            stdin=subprocess.PIPE,
            pass_fds=(write,),
            start_new_session=True,
        )
        os.close(write)
        self._answers = os.fdopen(read)
        self._logs = logs
        self._count = 0
        # Loading the DAG writes to Airflow's SQLite database: a test's `airflow dags test`
        # writing at the same moment failed with "database is locked" (SQLAlchemy's
        # OperationalError). The worker is ready, and done writing, before any test runs.
        if not self._answers.readline():
            raise RuntimeError(f"the DAG worker exited with {self._process.wait()}")

    def run(self, conf: dict[str, Any], env: dict[str, str]) -> tuple[str, str]:
        """(state, output) of one run."""
        self._count += 1
        log = self._logs / f"run-{self._count}.log"
        request = {"conf": conf, "env": env, "log": str(log)}
        assert self._process.stdin is not None
        self._process.stdin.write((json.dumps(request) + "\n").encode())
        self._process.stdin.flush()
        line = self._answers.readline()
        if not line:
            raise RuntimeError(f"the DAG worker exited with {self._process.wait()}")
        return json.loads(line)["state"], log.read_text(errors="replace")

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            stop_group(self._process)


@pytest.fixture(scope="session")
def dag_worker(
    airflow_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DagWorker]:
    worker = DagWorker(airflow_env, tmp_path_factory.mktemp("dag-runs"))
    yield worker
    worker.close()


@pytest.fixture
def run_dag(airflow_env: dict[str, str], aws: Any, dag_worker: DagWorker, queue_url: str) -> Any:
    """Uploads an object and runs `backfill_runner` on it, as `airflow dags test` does: in the
    session's DAG worker, or with `cli=True` by the command itself."""

    def run(
        text: bytes, key: str, variables: dict[str, str] | None = None, cli: bool = False
    ) -> DagRun:
        """`variables`: more Airflow Variables for this run, by name."""
        aws("s3").put_object(Bucket=BUCKET, Key=key, Body=text)
        env = {"AIRFLOW_VAR_BACKFILL_REPLAY_QUEUE_URL": queue_url}
        env.update({f"AIRFLOW_VAR_{k.upper()}": v for k, v in (variables or {}).items()})
        conf = {"spec_uri": f"s3://{BUCKET}/{key}"}
        if cli:
            done = subprocess.run(
                [
                    str(VENV_BIN / "airflow"),
                    "dags",
                    "test",
                    "backfill_runner",
                    "-c",
                    json.dumps(conf),
                ],
                env={**airflow_env, **env},
                capture_output=True,
                text=True,
                timeout=600,
            )
            output = done.stdout + done.stderr
        else:
            _, output = dag_worker.run(conf, env)
        return _last_run(Path(airflow_env["AIRFLOW_HOME"]), output)

    return run


def _last_run(home: Path, output: str) -> DagRun:
    with sqlite3.connect(home / "airflow.db") as db:
        run_id, state = db.execute(
            "SELECT run_id, state FROM dag_run WHERE dag_id = 'backfill_runner' ORDER BY id DESC"
        ).fetchone()
        tasks = {
            task: (task_state, tries)
            for task, task_state, tries in db.execute(
                "SELECT task_id, state, try_number FROM task_instance WHERE run_id = ?", (run_id,)
            )
        }
    return DagRun(state, tasks, output)


def received_messages(aws: Any, queue_url: str) -> list[str]:
    """Every message body in the queue (moto), read once."""
    bodies: list[str] = []
    sqs = aws("sqs")
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return bodies
        bodies += [m["Body"] for m in got]
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
            ],
        )
