"""The ledger: one DynamoDB table, partition key `fingerprint` (string), that makes a backfill
run once. The claim item (key: the fingerprint) names the run that owns it, the cluster it
created and the replay batches sent; one item per submitted wave (key: `<fingerprint>#wave-N`)
holds its step ids and, once every step ended, their states. A retried or cleared task reads
them back instead of submitting again."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any


class AlreadyRan(RuntimeError):
    """The fingerprint belongs to another run."""


class NoLedger(RuntimeError):
    """The ledger table does not exist. It is never created here: a table made on the fly
    (a misspelt name) would let the same spec run twice."""


@dataclass(frozen=True)
class WaveRecord:
    step_ids: list[str]
    states: list[str] | None  # None until every step is terminal


class Ledger:
    def __init__(self, dynamodb: Any, table: str, fingerprint: str) -> None:
        self._db = dynamodb
        self._table = table
        self._fp = fingerprint

    def claim(self, run_id: str, spec_uri: str) -> None:
        """Records that `run_id` runs this fingerprint; refuses if another run did. The same
        run (a retry, or the run cleared and started again) may claim again."""
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    "fingerprint": {"S": self._fp},
                    "run_id": {"S": run_id},
                    "spec_uri": {"S": spec_uri},
                    "claimed_at": {"S": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                },
                ConditionExpression="attribute_not_exists(fingerprint)",
            )
            return
        except self._db.exceptions.ConditionalCheckFailedException:
            pass
        except self._db.exceptions.ResourceNotFoundException:
            raise NoLedger(
                f"the ledger table {self._table!r} does not exist: create it (partition key "
                "`fingerprint`, string; docs/pipeline.md) or name the right one in the Variable "
                "backfill_ledger_table"
            ) from None
        earlier = self._item(self._fp)
        if earlier.get("run_id") == run_id:
            return
        raise AlreadyRan(
            f"this backfill (fingerprint {self._fp}) already ran or is running: run "
            f"{earlier.get('run_id')!r} of {earlier.get('spec_uri')!r}, claimed at "
            f"{earlier.get('claimed_at')!r} (ledger table {self._table}). To run the same spec "
            "again on purpose, change its reason or ticket: that makes a new fingerprint."
        )

    def cluster(self) -> str | None:
        return self._item(self._fp).get("cluster_id")

    def set_cluster(self, cluster_id: str) -> None:
        self._set(self._fp, "cluster_id", {"S": cluster_id})

    def replay_batches_sent(self) -> int:
        return int(self._item(self._fp).get("replay_batches_sent", 0))

    def set_replay_batches_sent(self, count: int) -> None:
        self._set(self._fp, "replay_batches_sent", {"N": str(count)})

    def wave(self, index: int) -> WaveRecord | None:
        item = self._item(self._wave_key(index))
        if not item:
            return None
        return WaveRecord(step_ids=item["step_ids"], states=item.get("states"))

    def wave_submitted(self, index: int, step_ids: list[str]) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                "fingerprint": {"S": self._wave_key(index)},
                "step_ids": {"L": [{"S": s} for s in step_ids]},
            },
        )
        self._set(self._fp, "last_wave", {"N": str(index)})

    def unfinished_wave(self) -> WaveRecord | None:
        """The last wave submitted, if its steps have not all ended."""
        last = self._item(self._fp).get("last_wave")
        record = None if last is None else self.wave(int(last))
        return record if record is not None and record.states is None else None

    def wave_ended(self, index: int, states: list[str]) -> None:
        self._set(self._wave_key(index), "states", {"L": [{"S": s} for s in states]})

    def _wave_key(self, index: int) -> str:
        return f"{self._fp}#wave-{index}"

    def _set(self, key: str, name: str, value: dict[str, Any]) -> None:
        self._db.update_item(
            TableName=self._table,
            Key={"fingerprint": {"S": key}},
            UpdateExpression="SET #n = :v",
            ExpressionAttributeNames={"#n": name},
            ExpressionAttributeValues={":v": value},
        )

    def _item(self, key: str) -> dict[str, Any]:
        item = self._db.get_item(
            TableName=self._table, Key={"fingerprint": {"S": key}}, ConsistentRead=True
        ).get("Item", {})
        return {name: _plain(value) for name, value in item.items()}


def _plain(value: dict[str, Any]) -> Any:
    ((kind, inner),) = value.items()
    if kind == "L":
        return [_plain(v) for v in inner]
    return inner
