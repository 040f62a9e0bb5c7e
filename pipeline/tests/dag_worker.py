"""Runs `backfill_runner` once per request, in one process for the whole session: what
`airflow dags test backfill_runner -c CONF` does (`dag.test()`), without starting Airflow, the
DAG and the in-process execution API again for every run (~6 s each; docs/decisions.md).

Protocol: once the DAG is loaded (which writes to Airflow's database), one line
`{"ready": true}` on the fd given as the first argument; then one JSON line per request on
stdin, `{"conf": {...}, "env": {...}, "log": PATH}`; the run's output (fds 1 and 2) goes to
PATH, `env` is set for the run only, and one line `{"run_id": ..., "state": ...}` answers on
that fd."""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def main() -> None:
    answers = os.fdopen(int(sys.argv[1]), "w")
    from airflow.sdk import timezone
    from airflow.utils.cli import get_bagged_dag

    dag: Any = get_bagged_dag(bundle_names=None, dag_id="backfill_runner")
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    for line in sys.stdin:
        request = json.loads(line)
        saved = {k: os.environ.get(k) for k in request["env"]}
        os.environ.update(request["env"])
        sys.stdout.flush()
        sys.stderr.flush()
        kept = os.dup(1), os.dup(2)
        with open(request["log"], "wb") as log:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                run = dag.test(logical_date=timezone.utcnow(), run_conf=request["conf"])
                answer = {"run_id": run.run_id, "state": str(run.state)}
            except Exception as e:  # the run's own failures are states; this is the harness's
                answer = {"run_id": None, "state": f"error: {e!r}"}
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(kept[0], 1)
                os.dup2(kept[1], 2)
                for fd in kept:
                    os.close(fd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
