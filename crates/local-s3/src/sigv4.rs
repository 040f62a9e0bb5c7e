//! SigV4 presigning: what an AWS SDK does to make a presigned PUT URL or a presigned POST
//! form, written out so the dev server needs no SDK. Times are passed in, so the same
//! inputs always give the same URL (and AWS's published example can be checked).

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

/// A key pair and the region it signs for.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
}

/// SigV4's longest allowed expiry (7 days).
pub const MAX_EXPIRES_SECS: u64 = 7 * 24 * 3600;

/// A presigned URL for `method` on `endpoint` + `path` (path-style: `/bucket/key`, not yet
/// encoded). With `content_type`, the Content-Type header is signed too and the upload
/// must send exactly that type.
pub fn presign_url(
    creds: &Credentials,
    method: &str,
    endpoint: &str,
    path: &str,
    signed_at: OffsetDateTime,
    expires_secs: u64,
    content_type: Option<&str>,
) -> String {
    let host = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    let host = host.trim_end_matches('/');
    let (date, amz_date) = amz_dates(signed_at);
    let scope = format!("{date}/{}/s3/aws4_request", creds.region);
    let signed_headers = if content_type.is_some() {
        "content-type;host"
    } else {
        "host"
    };
    let mut query = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256".to_owned()),
        ("X-Amz-Credential", format!("{}/{scope}", creds.access_key)),
        ("X-Amz-Date", amz_date.clone()),
        ("X-Amz-Expires", expires_secs.to_string()),
        ("X-Amz-SignedHeaders", signed_headers.to_owned()),
    ]
    .map(|(name, value)| format!("{}={}", uri_encode(name, true), uri_encode(&value, true)));
    query.sort();
    let query = query.join("&");
    let canonical_uri = uri_encode(path, false);
    let mut canonical_headers = String::new();
    if let Some(content_type) = content_type {
        canonical_headers.push_str(&format!("content-type:{}\n", content_type.trim()));
    }
    canonical_headers.push_str(&format!("host:{host}\n"));
    let canonical_request = format!(
        "{method}\n{canonical_uri}\n{query}\n{canonical_headers}\n{signed_headers}\nUNSIGNED-PAYLOAD"
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let signature = hex(&hmac(&signing_key(creds, &date), string_to_sign.as_bytes()));
    format!(
        "{}{canonical_uri}?{query}&X-Amz-Signature={signature}",
        endpoint.trim_end_matches('/')
    )
}

/// A presigned POST form, in the shape boto3's `generate_presigned_post` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostForm {
    pub url: String,
    /// In boto3's order: (Content-Type, when the policy requires one,) key, x-amz-algorithm,
    /// x-amz-credential, x-amz-date, policy, x-amz-signature.
    pub fields: Vec<(String, String)>,
}

impl PostForm {
    /// `{"url": ..., "fields": {...}}`, as `json.dumps(generate_presigned_post(...))` prints.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("strings serialise")
    }
}

/// In order: `url`, then `fields` in boto3's order (what `serde_json::to_string` prints).
impl serde::Serialize for PostForm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Fields<'a>(&'a [(String, String)]);
        impl serde::Serialize for Fields<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("url", &self.url)?;
        map.serialize_entry("fields", &Fields(&self.fields))?;
        map.end()
    }
}

/// A presigned POST form for `key` in `bucket` (path-style URL `endpoint/bucket`), valid for
/// `expires_secs` after `signed_at`. The policy has boto3's conditions: bucket, key and the
/// three x-amz-* fields.
pub fn presign_post(
    creds: &Credentials,
    endpoint: &str,
    bucket: &str,
    key: &str,
    signed_at: OffsetDateTime,
    expires_secs: u64,
) -> PostForm {
    post_form(creds, endpoint, bucket, key, signed_at, expires_secs, None)
}

/// [`presign_post`] whose policy also requires the form's `Content-Type` field to be
/// `content_type`, given in the fields: boto3's `generate_presigned_post` with
/// `Fields={"Content-Type": …}, Conditions=[{"Content-Type": …}]` (the presign endpoint's form).
pub fn presign_post_with_content_type(
    creds: &Credentials,
    endpoint: &str,
    bucket: &str,
    key: &str,
    signed_at: OffsetDateTime,
    expires_secs: u64,
    content_type: &str,
) -> PostForm {
    post_form(
        creds,
        endpoint,
        bucket,
        key,
        signed_at,
        expires_secs,
        Some(content_type),
    )
}

/// boto3's order: the caller's fields and conditions (here the Content-Type) come first.
fn post_form(
    creds: &Credentials,
    endpoint: &str,
    bucket: &str,
    key: &str,
    signed_at: OffsetDateTime,
    expires_secs: u64,
    content_type: Option<&str>,
) -> PostForm {
    let (date, amz_date) = amz_dates(signed_at);
    let credential = format!(
        "{}/{date}/{}/s3/aws4_request",
        creds.access_key, creds.region
    );
    let expiration =
        signed_at + time::Duration::seconds(i64::try_from(expires_secs).unwrap_or(i64::MAX));
    let expiration = expiration
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .expect("a UTC time formats");
    let mut conditions = Vec::new();
    if let Some(content_type) = content_type {
        conditions.push(serde_json::json!({"Content-Type": content_type}));
    }
    conditions.extend([
        serde_json::json!({"bucket": bucket}),
        serde_json::json!({"key": key}),
        serde_json::json!({"x-amz-algorithm": "AWS4-HMAC-SHA256"}),
        serde_json::json!({"x-amz-credential": credential}),
        serde_json::json!({"x-amz-date": amz_date}),
    ]);
    let policy = serde_json::json!({
        "expiration": expiration,
        "conditions": conditions,
    });
    let policy = base64_simd::STANDARD.encode_to_string(policy.to_string());
    let signature = hex(&hmac(&signing_key(creds, &date), policy.as_bytes()));
    let content_type = content_type.map(|value| ("Content-Type", value.to_owned()));
    let fields = content_type.into_iter().chain([
        ("key", key.to_owned()),
        ("x-amz-algorithm", "AWS4-HMAC-SHA256".to_owned()),
        ("x-amz-credential", credential),
        ("x-amz-date", amz_date),
        ("policy", policy),
        ("x-amz-signature", signature),
    ]);
    PostForm {
        url: format!("{}/{bucket}", endpoint.trim_end_matches('/')),
        fields: fields.map(|(k, v)| (k.to_owned(), v)).collect(),
    }
}

/// `20130524` and `20130524T000000Z`.
fn amz_dates(at: OffsetDateTime) -> (String, String) {
    let at = at.to_offset(time::UtcOffset::UTC);
    let date = at
        .format(format_description!("[year][month][day]"))
        .expect("a UTC time formats");
    let stamp = at
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .expect("a UTC time formats");
    (date, stamp)
}

fn signing_key(creds: &Credentials, date: &str) -> Vec<u8> {
    let key = hmac(
        format!("AWS4{}", creds.secret_key).as_bytes(),
        date.as_bytes(),
    );
    let key = hmac(&key, creds.region.as_bytes());
    let key = hmac(&key, b"s3");
    hmac(&key, b"aws4_request")
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SigV4's URI encoding: everything but `A-Za-z0-9-._~` as `%XX` (and `/` too when
/// `encode_slash`, as in query values).
pub fn uri_encode(text: &str, encode_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            b'/' if !encode_slash => out.push('/'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws_example() -> Credentials {
        Credentials {
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            region: "us-east-1".into(),
        }
    }

    /// The example in AWS's "Authenticating Requests: Using Query Parameters (AWS Signature
    /// Version 4)": GET examplebucket/test.txt, signed 2013-05-24, valid 24 hours.
    #[test]
    fn matches_the_aws_documentation_example() {
        let signed_at = time::macros::datetime!(2013-05-24 00:00:00 UTC);
        let url = presign_url(
            &aws_example(),
            "GET",
            "https://examplebucket.s3.amazonaws.com",
            "/test.txt",
            signed_at,
            86400,
            None,
        );
        assert_eq!(
            url,
            "https://examplebucket.s3.amazonaws.com/test.txt\
             ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
    }

    #[test]
    fn uri_encoding_keeps_unreserved_and_slashes_in_paths() {
        for (text, encode_slash, want) in [
            ("/backfills/demo/a.json", false, "/backfills/demo/a.json"),
            ("a b+c:d", false, "a%20b%2Bc%3Ad"),
            ("AK/2013/us-east-1", true, "AK%2F2013%2Fus-east-1"),
            ("é~", true, "%C3%A9~"),
        ] {
            assert_eq!(uri_encode(text, encode_slash), want, "{text}");
        }
    }

    #[test]
    fn post_form_has_boto3_fields_and_a_policy_naming_them() {
        let signed_at = time::macros::datetime!(2026-11-28 15:00:00 UTC);
        let form = presign_post(
            &aws_example(),
            "http://127.0.0.1:9000",
            "backfills",
            "a/b.json",
            signed_at,
            3600,
        );
        assert_eq!(form.url, "http://127.0.0.1:9000/backfills");
        let printed = serde_json::to_string(&form).unwrap();
        assert!(printed.starts_with(
            r#"{"url":"http://127.0.0.1:9000/backfills","fields":{"key":"a/b.json","#
        ));
        let names: Vec<&str> = form.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "key",
                "x-amz-algorithm",
                "x-amz-credential",
                "x-amz-date",
                "policy",
                "x-amz-signature"
            ]
        );
        let policy = &form.fields[4].1;
        let policy = base64_simd::STANDARD.decode_to_vec(policy).unwrap();
        let policy: serde_json::Value = serde_json::from_slice(&policy).unwrap();
        assert_eq!(
            policy,
            serde_json::json!({
                "expiration": "2026-11-28T16:00:00Z",
                "conditions": [
                    {"bucket": "backfills"},
                    {"key": "a/b.json"},
                    {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
                    {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/s3/aws4_request"},
                    {"x-amz-date": "20261128T150000Z"},
                ],
            })
        );
    }

    #[test]
    fn a_required_content_type_comes_first_as_boto3_puts_it() {
        let signed_at = time::macros::datetime!(2026-11-28 15:00:00 UTC);
        let form = presign_post_with_content_type(
            &aws_example(),
            "http://127.0.0.1:9000",
            "backfills",
            "a/b.json",
            signed_at,
            300,
            "application/json",
        );
        assert_eq!(
            form.fields[0],
            ("Content-Type".to_owned(), "application/json".to_owned())
        );
        assert_eq!(form.fields[1].0, "key");
        let policy = base64_simd::STANDARD
            .decode_to_vec(&form.fields[5].1)
            .unwrap();
        let policy: serde_json::Value = serde_json::from_slice(&policy).unwrap();
        assert_eq!(policy["expiration"], "2026-11-28T15:05:00Z");
        assert_eq!(
            policy["conditions"][0],
            serde_json::json!({"Content-Type": "application/json"})
        );
        assert_eq!(policy["conditions"].as_array().unwrap().len(), 6);
    }
}
