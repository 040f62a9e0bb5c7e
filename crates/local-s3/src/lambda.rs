//! What the S3 event → Lambda → Airflow path does with a stored object: the event record S3
//! sends, and the call the trigger Lambda (pipeline/src/backfill_pipeline/trigger) makes from
//! it, for Airflow 3 (the default), Airflow 2 or MWAA.

use serde::Serialize;
use serde_json::Value;

/// How the object arrived: `ObjectCreated:Put` or `ObjectCreated:Post`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    Put,
    Post,
}

impl Upload {
    pub fn event_name(self) -> &'static str {
        match self {
            Upload::Put => "ObjectCreated:Put",
            Upload::Post => "ObjectCreated:Post",
        }
    }
}

/// One stored object, as the notification sees it.
#[derive(Debug, Clone)]
pub struct Created<'a> {
    pub upload: Upload,
    pub region: &'a str,
    pub bucket: &'a str,
    pub key: &'a str,
    pub size: u64,
    /// The ETag without its quotes, as S3 events carry it.
    pub etag: &'a str,
    /// RFC 3339 with milliseconds, UTC.
    pub event_time: &'a str,
    /// Orders events for the same key (S3's `sequencer`).
    pub sequence: u64,
}

/// The record S3 sends (wrapped in `{"Records": [...]}`) for an object created. Fields are
/// in AWS's order, so the printed line reads like the documentation's example.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRecord {
    pub event_version: &'static str,
    pub event_source: &'static str,
    pub aws_region: String,
    pub event_time: String,
    pub event_name: &'static str,
    pub user_identity: Principal,
    pub request_parameters: RequestParameters,
    pub s3: S3Entity,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestParameters {
    /// Always loopback: the server listens on 127.0.0.1 only.
    #[serde(rename = "sourceIPAddress")]
    pub source_ip_address: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    pub principal_id: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Entity {
    pub s3_schema_version: &'static str,
    pub configuration_id: &'static str,
    pub bucket: BucketEntity,
    pub object: ObjectEntity,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BucketEntity {
    pub name: String,
    pub owner_identity: Principal,
    pub arn: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectEntity {
    /// URL-encoded: see [`event_key`].
    pub key: String,
    pub size: u64,
    pub e_tag: String,
    pub sequencer: String,
}

pub fn event_record(created: &Created<'_>) -> EventRecord {
    EventRecord {
        event_version: "2.1",
        event_source: "aws:s3",
        aws_region: created.region.to_owned(),
        event_time: created.event_time.to_owned(),
        event_name: created.upload.event_name(),
        user_identity: Principal {
            principal_id: "local-s3",
        },
        request_parameters: RequestParameters {
            source_ip_address: "127.0.0.1",
        },
        s3: S3Entity {
            s3_schema_version: "1.0",
            configuration_id: "backfill-upload",
            bucket: BucketEntity {
                name: created.bucket.to_owned(),
                owner_identity: Principal {
                    principal_id: "local-s3",
                },
                arn: format!("arn:aws:s3:::{}", created.bucket),
            },
            object: ObjectEntity {
                key: event_key(created.key),
                size: created.size,
                e_tag: created.etag.to_owned(),
                sequencer: format!("{:016X}", created.sequence),
            },
        },
    }
}

/// The key as S3 puts it in event records: form-encoded, so a space is `+` and the Lambda
/// must `urllib.parse.unquote_plus` it; `/` and `A-Za-z0-9-_.*` stay as they are (the
/// characters Java's URLEncoder keeps, plus the slash).
pub fn event_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for byte in key.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' | b'/' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The key prefix the trigger watches by default (`BACKFILL_KEY_PREFIX`): it ignores others.
pub const KEY_PREFIX: &str = "backfills/";

/// Which Airflow the trigger speaks to (`BACKFILL_AIRFLOW_API` in pipeline/docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `POST /auth/token`, then `POST /api/v2/dags/{id}/dagRuns` with the token.
    Airflow3,
    /// `POST /api/v1/dags/{id}/dagRuns` with basic auth.
    Airflow2,
    /// MWAA's `InvokeRestApi` with `Path=/dags/{id}/dagRuns` (an Airflow 3 environment).
    Mwaa,
}

impl Api {
    pub fn parse(text: &str) -> Option<Api> {
        match text {
            "airflow3" => Some(Api::Airflow3),
            "airflow2" => Some(Api::Airflow2),
            "mwaa" => Some(Api::Mwaa),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Api::Airflow3 => "airflow3",
            Api::Airflow2 => "airflow2",
            Api::Mwaa => "mwaa",
        }
    }
}

/// `^[0-9a-f]{64}$`: a fingerprint as the core writes it (the spec's SHA-256).
pub(crate) fn is_fingerprint(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The uploaded object's `fingerprint` (64 lowercase hex digits, as the core writes it), or
/// why the trigger would refuse the object.
pub fn fingerprint(body: &[u8]) -> Result<String, &'static str> {
    let object: Value = serde_json::from_slice(body)
        .map_err(|_| "not JSON, so not an uploaded object: the trigger refuses it")?;
    let text = object
        .get("fingerprint")
        .and_then(Value::as_str)
        .ok_or("no fingerprint in the object: the trigger refuses it")?;
    if is_fingerprint(text) {
        Ok(text.to_owned())
    } else {
        Err("the fingerprint is not 64 lowercase hex digits: the trigger refuses the object")
    }
}

/// `backfill-` and the first 16 hex digits of the fingerprint: the same spec always gets the
/// same run id, so Airflow itself refuses a second run of it (409 Conflict). Airflow reserves
/// the prefix `backfill__` for its own backfills and refuses manual runs named so.
pub fn dag_run_id(fingerprint: &str) -> String {
    format!("backfill-{}", &fingerprint[..16])
}

/// Airflow's pattern for run ids: `^[A-Za-z0-9_.~:+-]+$`.
pub fn is_valid_run_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.~:+-".contains(&b))
}

/// The request that starts the DAG run, as pipeline/src/backfill_pipeline/trigger sends it
/// (pipeline/tests/test_local_s3.py compares the two).
#[derive(Debug, Clone, Serialize)]
pub struct AirflowCall {
    /// `airflow3`, `airflow2` or `mwaa`.
    pub api: &'static str,
    pub method: &'static str,
    /// The REST path; for MWAA, InvokeRestApi's `Path`.
    pub path: String,
    /// How the request is authorised.
    pub auth: &'static str,
    pub body: DagRunRequest,
    /// Said when the run id was used before: Airflow would refuse the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

/// `{"dag_run_id": ..., "logical_date": null, "conf": {"spec_uri": "s3://bucket/key"}}`;
/// Airflow 2 has no `logical_date`.
#[derive(Debug, Clone, Serialize)]
pub struct DagRunRequest {
    pub dag_run_id: String,
    /// `Some(None)` is written `null`: Airflow 3 requires the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical_date: Option<Option<String>>,
    pub conf: DagRunConf,
}

#[derive(Debug, Clone, Serialize)]
pub struct DagRunConf {
    pub spec_uri: String,
}

/// What the trigger does with an object created at `bucket`/`key` holding `body`: the call
/// it makes, or why it makes none.
pub fn airflow_call(
    api: Api,
    dag_id: &str,
    bucket: &str,
    key: &str,
    body: &[u8],
) -> Result<AirflowCall, &'static str> {
    if !key.starts_with(KEY_PREFIX) {
        return Err("the key is outside backfills/: the trigger ignores it");
    }
    let fingerprint = fingerprint(body)?;
    let (path, auth) = match api {
        Api::Airflow3 => (
            format!("/api/v2/dags/{dag_id}/dagRuns"),
            "Bearer token from POST /auth/token",
        ),
        Api::Airflow2 => (format!("/api/v1/dags/{dag_id}/dagRuns"), "Basic"),
        Api::Mwaa => (
            format!("/dags/{dag_id}/dagRuns"),
            "IAM airflow:InvokeRestApi (MWAA InvokeRestApi)",
        ),
    };
    Ok(AirflowCall {
        api: api.name(),
        method: "POST",
        path,
        auth,
        body: DagRunRequest {
            dag_run_id: dag_run_id(&fingerprint),
            logical_date: (api != Api::Airflow2).then_some(None),
            conf: DagRunConf {
                spec_uri: format!("s3://{bucket}/{key}"),
            },
        },
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_are_form_encoded_like_s3_does() {
        for (key, want) in [
            (
                "backfills/demo/20261128T150000Z.json",
                "backfills/demo/20261128T150000Z.json",
            ),
            ("backfills/my spec/a+b.json", "backfills/my+spec/a%2Bb.json"),
            ("x=1&y:2~", "x%3D1%26y%3A2%7E"),
            ("été", "%C3%A9t%C3%A9"),
        ] {
            assert_eq!(event_key(key), want, "{key}");
        }
    }

    #[test]
    fn fingerprint_comes_from_the_object_or_the_object_is_refused() {
        let fp = "db1f9d0f00000000000000000000000000000000000000000000000000000e41";
        let object = format!(r#"{{"fingerprint":"{fp}","spec":{{}}}}"#);
        assert_eq!(fingerprint(object.as_bytes()), Ok(fp.to_owned()));
        assert_eq!(dag_run_id(fp), "backfill-db1f9d0f00000000");
        assert!(is_valid_run_id(&dag_run_id(fp)));
        for refused in [
            &b"hello"[..],
            b"{}",
            br#"{"fingerprint":"../../etc"}"#,
            br#"{"fingerprint":"DB1F9D0F00000000000000000000000000000000000000000000000000000E41"}"#,
        ] {
            assert!(fingerprint(refused).is_err(), "{}", String::from_utf8_lossy(refused));
        }
    }

    #[test]
    fn each_api_gets_its_own_request() {
        let fp = "db1f9d0f00000000000000000000000000000000000000000000000000000e41";
        let body = format!(r#"{{"fingerprint":"{fp}"}}"#);
        let call = |api| {
            serde_json::to_value(
                airflow_call(api, "d", "b", "backfills/k.json", body.as_bytes()).unwrap(),
            )
            .unwrap()
        };
        let conf = serde_json::json!({"spec_uri": "s3://b/backfills/k.json"});
        let v3 = call(Api::Airflow3);
        assert_eq!(v3["path"], "/api/v2/dags/d/dagRuns");
        assert_eq!(
            v3["body"],
            serde_json::json!({"dag_run_id": "backfill-db1f9d0f00000000", "logical_date": null, "conf": conf})
        );
        let v2 = call(Api::Airflow2);
        assert_eq!(v2["path"], "/api/v1/dags/d/dagRuns");
        assert_eq!(
            v2["body"],
            serde_json::json!({"dag_run_id": "backfill-db1f9d0f00000000", "conf": conf})
        );
        assert_eq!(call(Api::Mwaa)["path"], "/dags/d/dagRuns");
        assert!(airflow_call(Api::Airflow3, "d", "b", "other/k.json", body.as_bytes()).is_err());
    }

    #[test]
    fn run_id_pattern_matches_airflows() {
        for (id, valid) in [
            ("backfill-db1f9d0f00000000", true),
            ("manual__2026-11-28T15:00:00+00:00", true),
            ("a b", false),
            ("a/b", false),
            ("", false),
        ] {
            assert_eq!(is_valid_run_id(id), valid, "{id}");
        }
    }
}
