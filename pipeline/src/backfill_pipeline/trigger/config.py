"""The trigger's settings, from the Lambda's environment (documented in docs/pipeline.md).
Secrets come from the environment or Secrets Manager, never from the event."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum


class Api(Enum):
    AIRFLOW3 = "airflow3"
    AIRFLOW2 = "airflow2"
    MWAA = "mwaa"


class ConfigError(ValueError):
    """A setting is missing or wrong: the message names the variable."""


@dataclass(frozen=True)
class Settings:
    api: Api
    dag_id: str
    key_prefix: str
    key_pattern: re.Pattern[str] | None
    airflow_url: str
    mwaa_environment: str
    mwaa_airflow_major: int
    timeout_seconds: float

    def fingerprint_from_key(self, key: str) -> str | None:
        """The fingerprint in the key, when the deployment's key pattern has `{fingerprint}`."""
        if self.key_pattern is None:
            return None
        match = self.key_pattern.fullmatch(key)
        return match.group("fingerprint") if match else None


def key_pattern(template: str) -> re.Pattern[str] | None:
    """The catalog's `upload.key` as a regex, if it holds `{fingerprint}` (else None)."""
    if "{fingerprint}" not in template:
        return None
    parts = re.split(r"(\{name\}|\{fingerprint\})", template)
    regex = "".join(
        "(?P<fingerprint>[0-9a-f]{64})"
        if p == "{fingerprint}"
        else "[a-z0-9][a-z0-9-]*"
        if p == "{name}"
        else re.escape(p)
        for p in parts
    )
    return re.compile(regex)


def load(env: Mapping[str, str] = os.environ) -> Settings:
    raw_api = env.get("BACKFILL_AIRFLOW_API", Api.AIRFLOW3.value)
    try:
        api = Api(raw_api)
    except ValueError:
        choices = ", ".join(a.value for a in Api)
        raise ConfigError(f"BACKFILL_AIRFLOW_API={raw_api!r}: use one of {choices}") from None
    url = env.get("BACKFILL_AIRFLOW_URL", "").rstrip("/")
    if api is not Api.MWAA and not url:
        raise ConfigError(f"BACKFILL_AIRFLOW_URL is not set (the {api.value} base URL)")
    mwaa_environment = env.get("BACKFILL_MWAA_ENVIRONMENT", "")
    if api is Api.MWAA and not mwaa_environment:
        raise ConfigError("BACKFILL_MWAA_ENVIRONMENT is not set (the MWAA environment's name)")
    major = env.get("BACKFILL_MWAA_AIRFLOW_MAJOR", "3")
    if major not in ("2", "3"):
        raise ConfigError(f"BACKFILL_MWAA_AIRFLOW_MAJOR={major!r}: use 2 or 3")
    return Settings(
        api=api,
        dag_id=env.get("BACKFILL_DAG_ID", "backfill_runner"),
        key_prefix=env.get("BACKFILL_KEY_PREFIX", "backfills/"),
        key_pattern=key_pattern(env.get("BACKFILL_KEY_PATTERN", "")),
        airflow_url=url,
        mwaa_environment=mwaa_environment,
        mwaa_airflow_major=int(major),
        timeout_seconds=float(env.get("BACKFILL_HTTP_TIMEOUT_SECONDS", "10")),
    )


def credentials(env: Mapping[str, str], get_secret: Callable[[str], str]) -> tuple[str, str]:
    """(username, password) for Airflow 2 or 3: from the secret named by
    BACKFILL_AIRFLOW_SECRET_ID (JSON with `username` and `password`), else from
    BACKFILL_AIRFLOW_USERNAME and BACKFILL_AIRFLOW_PASSWORD."""
    secret_id = env.get("BACKFILL_AIRFLOW_SECRET_ID")
    if secret_id:
        try:
            secret = json.loads(get_secret(secret_id))
            return str(secret["username"]), str(secret["password"])
        except (ValueError, KeyError, TypeError):
            raise ConfigError(
                f"secret {secret_id!r} is not JSON with `username` and `password`"
            ) from None
    user, password = env.get("BACKFILL_AIRFLOW_USERNAME"), env.get("BACKFILL_AIRFLOW_PASSWORD")
    if not user or password is None:
        raise ConfigError(
            "set BACKFILL_AIRFLOW_SECRET_ID, or BACKFILL_AIRFLOW_USERNAME and "
            "BACKFILL_AIRFLOW_PASSWORD"
        )
    return user, password
