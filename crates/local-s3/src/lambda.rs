//! What the team's S3 event → Lambda → Airflow path would do with a stored object: the event
//! record S3 sends, and the Airflow REST call the Lambda makes from it.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::sigv4::hex;

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

/// Where the DAG run's id comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Lowercase hex.
    pub hex: String,
    /// `"object"` (the uploaded object's `fingerprint` field) or `"sha256-of-body"`.
    pub source: &'static str,
}

/// The uploaded object's `fingerprint` when the body is JSON with a hex one (at least 16
/// digits); otherwise the SHA-256 of the body.
pub fn fingerprint(body: &[u8]) -> Fingerprint {
    let from_object = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|object| {
            let text = object.get("fingerprint")?.as_str()?.to_ascii_lowercase();
            (text.len() >= 16 && text.bytes().all(|b| b.is_ascii_hexdigit())).then_some(text)
        });
    match from_object {
        Some(hex) => Fingerprint {
            hex,
            source: "object",
        },
        None => Fingerprint {
            hex: hex(&Sha256::digest(body)),
            source: "sha256-of-body",
        },
    }
}

/// `backfill__` and the first 16 hex digits of the fingerprint: the same spec always gets
/// the same run id, so Airflow itself refuses a second run of it (409 Conflict).
pub fn dag_run_id(fingerprint: &Fingerprint) -> String {
    format!("backfill__{}", &fingerprint.hex[..16])
}

/// Airflow's pattern for run ids: `^[A-Za-z0-9_.~:+-]+$`.
pub fn is_valid_run_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.~:+-".contains(&b))
}

/// The Airflow stable REST API call the Lambda makes to start the DAG.
#[derive(Debug, Clone, Serialize)]
pub struct AirflowCall {
    pub method: &'static str,
    pub path: String,
    pub body: DagRunRequest,
    /// Where the fingerprint came from (see [`Fingerprint::source`]).
    pub fingerprint_source: &'static str,
    /// Said when the run id was used before: Airflow would refuse the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
}

/// `{"dag_run_id": ..., "conf": {"spec_uri": "s3://bucket/key"}}`.
#[derive(Debug, Clone, Serialize)]
pub struct DagRunRequest {
    pub dag_run_id: String,
    pub conf: DagRunConf,
}

#[derive(Debug, Clone, Serialize)]
pub struct DagRunConf {
    pub spec_uri: String,
}

pub fn airflow_call(
    dag_id: &str,
    bucket: &str,
    key: &str,
    fingerprint: &Fingerprint,
) -> AirflowCall {
    AirflowCall {
        method: "POST",
        path: format!("/api/v1/dags/{dag_id}/dagRuns"),
        body: DagRunRequest {
            dag_run_id: dag_run_id(fingerprint),
            conf: DagRunConf {
                spec_uri: format!("s3://{bucket}/{key}"),
            },
        },
        fingerprint_source: fingerprint.source,
        note: None,
    }
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
    fn fingerprint_comes_from_the_object_when_it_has_one() {
        let fp = "db1f9d0f00000000000000000000000000000000000000000000000000000e41";
        let cases: [(&[u8], &str, &str); 4] = [
            (
                format!(r#"{{"fingerprint":"{fp}","spec":{{}}}}"#)
                    .leak()
                    .as_bytes(),
                fp,
                "object",
            ),
            // Not JSON, no fingerprint field, a fingerprint that is not hex: hash the body.
            (
                b"hello",
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                "sha256-of-body",
            ),
            (
                b"{}",
                "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                "sha256-of-body",
            ),
            (br#"{"fingerprint":"../../etc"}"#, "", "sha256-of-body"),
        ];
        for (body, want_hex, want_source) in cases {
            let got = fingerprint(body);
            assert_eq!(got.source, want_source, "{}", String::from_utf8_lossy(body));
            if !want_hex.is_empty() {
                assert_eq!(got.hex, want_hex);
            }
            assert!(is_valid_run_id(&dag_run_id(&got)), "{}", dag_run_id(&got));
        }
    }

    #[test]
    fn run_id_pattern_matches_airflows() {
        for (id, valid) in [
            ("backfill__db1f9d0f00000000", true),
            ("manual__2026-11-28T15:00:00+00:00", true),
            ("a b", false),
            ("a/b", false),
            ("", false),
        ] {
            assert_eq!(is_valid_run_id(id), valid, "{id}");
        }
    }
}
