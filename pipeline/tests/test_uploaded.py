"""The object checks, on objects our CLI made (the DAG's verify task runs these)."""

from __future__ import annotations

import json

import pytest
from conftest import PRODUCT_EXAMPLE, SPECS

from backfill_pipeline.uploaded import ObjectRefused, compact_sha256, run_id, verify


def test_cli_objects_verify_and_their_digests_are_pythons(make_object):
    made = make_object(PRODUCT_EXAMPLE)
    checked = verify(made.text, "s3://b/k")
    assert checked.fingerprint == made.fingerprint == compact_sha256(made.obj["spec"])
    assert made.obj["plan_sha256"] == compact_sha256(made.obj["plan"])
    assert checked.plan == made.obj["plan"]
    # The object carries the spec and the plan as the exact bytes that are hashed.
    spec_line, plan_line = made.text.decode().splitlines()[4:6]
    assert spec_line == '  "spec": ' + json.dumps(made.obj["spec"], separators=(",", ":")) + ","
    assert plan_line == '  "plan": ' + json.dumps(made.obj["plan"], separators=(",", ":"))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda o: o["spec"].update(version=2), "spec version 2 is not 1"),
        (lambda o: o["spec"].update(reason="edited"), "the fingerprint is not the spec's"),
        (lambda o: o.update(fingerprint="DB1F"), "is not 64 lowercase hex digits"),
        (lambda o: o["plan"]["summary"].update(emr_steps=0), "plan_sha256 is not the plan's"),
        (lambda o: o.pop("plan_sha256"), "has no plan_sha256"),
        (lambda o: o.pop("plan"), "has no `plan` object"),
    ],
)
def test_edited_objects_are_refused(make_object, edit, message):
    obj = json.loads(make_object(PRODUCT_EXAMPLE).text)
    edit(obj)
    with pytest.raises(ObjectRefused, match=message):
        verify(json.dumps(obj, indent=1), "s3://b/k")


def test_not_an_object():
    with pytest.raises(ObjectRefused, match="s3://b/k is not JSON"):
        verify(b"version: 1", "s3://b/k")
    with pytest.raises(ObjectRefused, match="no `spec` object"):
        verify(b"[]", "s3://b/k")


def test_run_id_avoids_airflows_reserved_prefix():
    rid = run_id("db1f9d0fdfec915d6dd79a6defe607d73e4d04c82d11be87e1d2d635ee822e41")
    assert rid == "backfill-db1f9d0fdfec915d"
    assert not rid.startswith("backfill__")


def test_digests_hold_for_any_text(make_object):
    """Non-ASCII, U+2028, control characters, quotes and backslashes, in the spec and (through
    the catalog's templates) in the plan: Python's compact JSON is the core's, byte for byte."""
    made = make_object(SPECS / "unicode.yaml", SPECS / "unicode.catalog.yaml")
    checked = verify(made.text, "s3://b/k")
    assert "\u2028" in checked.plan["emr"]["waves"][0][0]["Name"]
    assert "\U0001f600" in made.obj["spec"]["reason"]
