//! The server on a free port, in-process, driven over HTTP like a browser or boto3 would.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use local_s3::{Config, PresignMethod, Running, lambda, sigv4};
use serde_json::{Value, json};
use time::OffsetDateTime;

const SITE: &str = "http://127.0.0.1:8080";

/// A server with its own data directory, removed when the test ends.
struct TestServer(Running);

impl std::ops::Deref for TestServer {
    type Target = Running;
    fn deref(&self) -> &Running {
        &self.0
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0.config.data_dir);
    }
}

async fn server(name: &str, cors: bool) -> TestServer {
    server_with(name, |config| {
        if !cors {
            config.cors_origin = None;
        }
    })
    .await
}

/// A server on a free port, quiet, with `adjust` applied to the defaults.
async fn server_with(name: &str, adjust: impl FnOnce(&mut Config)) -> TestServer {
    let mut config = test_config(name);
    adjust(&mut config);
    TestServer(local_s3::start(config).await.expect("the server starts"))
}

fn test_config(name: &str) -> Config {
    let data_dir =
        std::env::temp_dir().join(format!("local-s3-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let mut config = Config::new(data_dir);
    config.port = 0;
    config.echo = false;
    config
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One HTTP/1.1 request on a fresh connection.
async fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
    let uri: http::Uri = url.parse().expect("a URL");
    let authority = uri.authority().expect("a host").to_string();
    let stream = tokio::net::TcpStream::connect(&authority)
        .await
        .expect("connects");
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(conn);
    let mut request = http::Request::builder()
        .method(method)
        .uri(uri.path_and_query().map_or("/", |p| p.as_str()))
        .header("host", &authority);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Full::new(Bytes::from(body)))
        .expect("a request");
    let response = tokio::time::timeout(Duration::from_secs(10), sender.send_request(request))
        .await
        .expect("answers in time")
        .expect("a response");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("a body").to_bytes().to_vec();
    Reply {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    }
}

fn presign(
    server: &Running,
    method: &str,
    key: &str,
    signed_at: OffsetDateTime,
    content_type: Option<&str>,
) -> String {
    let path = format!("/{}/{key}", server.config.bucket);
    sigv4::presign_url(
        &server.config.credentials,
        method,
        &server.endpoint,
        &path,
        signed_at,
        3600,
        content_type,
    )
}

/// What the app uploads: the object with its fingerprint (abbreviated).
fn uploaded_object(fingerprint: &str) -> Vec<u8> {
    format!(r#"{{"fingerprint":"{fingerprint}","created_at":"2026-11-28T15:00:00Z","spec":{{"version":1}},"plan":{{}}}}"#)
        .into_bytes()
}

const SIGNATURE_MESSAGE: &str =
    "The request signature we calculated does not match the signature you provided.";

const FINGERPRINT: &str = "db1f9d0f4c2b8e1a9f3d5c7b6a8e0f1d2c3b4a5968778695a4b3c2d1e0f1e41a";

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

#[tokio::test]
async fn a_presigned_put_stores_the_exact_bytes_and_fires_the_event_and_the_airflow_call() {
    let server = server("put", true).await;
    let key = "backfills/demo/20261128T150000Z.json";
    let body = uploaded_object(FINGERPRINT);
    let url = presign(&server, "PUT", key, now(), Some("application/json"));
    let put = send(
        "PUT",
        &url,
        &[("content-type", "application/json")],
        body.clone(),
    )
    .await;
    assert_eq!(put.status, 200, "{}", put.text());
    let etag = put
        .header("etag")
        .expect("an ETag")
        .trim_matches('"')
        .to_owned();

    let get = send(
        "GET",
        &presign(&server, "GET", key, now(), None),
        &[],
        vec![],
    )
    .await;
    assert_eq!(get.status, 200);
    assert_eq!(
        get.body, body,
        "the stored bytes are exactly the uploaded ones"
    );

    let objects = server.activity.objects();
    assert_eq!(objects.len(), 1);
    let record = &objects[0]["s3_event"]["Records"][0];
    assert_eq!(record["eventName"], "ObjectCreated:Put");
    assert_eq!(record["awsRegion"], "us-east-1");
    assert_eq!(
        record["s3"]["object"],
        json!({"key": key, "size": body.len(), "eTag": etag, "sequencer": "0000000000000001"})
    );
    assert_eq!(record["s3"]["bucket"]["name"], "backfills");
    assert_eq!(
        objects[0]["airflow_call"],
        json!({
            "api": "airflow3",
            "method": "POST",
            "path": "/api/v2/dags/backfill_runner/dagRuns",
            "auth": "Bearer token from POST /auth/token",
            "body": {
                "dag_run_id": "backfill-db1f9d0f4c2b8e1a",
                "logical_date": null,
                "conf": {"spec_uri": format!("s3://backfills/{key}")}
            },
        })
    );

    // Another process (a browser test) sees the same through the server's own endpoints.
    let stats = send(
        "GET",
        &format!("{}/_local-s3/stats", server.endpoint),
        &[],
        vec![],
    )
    .await;
    let stats: Value = serde_json::from_slice(&stats.body).unwrap();
    assert_eq!(
        stats,
        json!({"requests": {"GET": 1, "PUT": 1}, "objects_created": 1})
    );
    assert_eq!(
        server.activity.requests("PUT"),
        1,
        "exactly one PUT was received"
    );
    let listed = send(
        "GET",
        &format!("{}/_local-s3/objects", server.endpoint),
        &[],
        vec![],
    )
    .await;
    let listed: Value = serde_json::from_slice(&listed.body).unwrap();
    assert_eq!(listed, Value::from(objects));
}

#[tokio::test]
async fn keys_are_url_encoded_in_the_event_and_only_uploaded_objects_start_a_run() {
    let server = server("keys", true).await;
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "backfills/my spec/a+b.json",
            uploaded_object(FINGERPRINT),
            "backfills/my+spec/a%2Bb.json",
        ),
        (
            "backfills/demo/x=1.json",
            b"not json".to_vec(),
            "backfills/demo/x%3D1.json",
        ),
        (
            "backfills/été/1.json",
            br#"{"fingerprint": 42}"#.to_vec(),
            "backfills/%C3%A9t%C3%A9/1.json",
        ),
    ];
    for (key, body, _) in &cases {
        let put = send(
            "PUT",
            &presign(&server, "PUT", key, now(), None),
            &[],
            body.clone(),
        )
        .await;
        assert_eq!(put.status, 200, "{key}: {}", put.text());
    }
    let objects = server.activity.objects();
    assert_eq!(objects.len(), cases.len());
    for ((key, _, event_key), object) in cases.iter().zip(&objects) {
        assert_eq!(
            object["s3_event"]["Records"][0]["s3"]["object"]["key"], *event_key,
            "{key}"
        );
    }
    // The uploaded object starts a run; the others are refused by the trigger, as here.
    assert_eq!(
        objects[0]["airflow_call"]["body"]["conf"]["spec_uri"],
        format!("s3://backfills/{}", cases[0].0)
    );
    let run_id = objects[0]["airflow_call"]["body"]["dag_run_id"]
        .as_str()
        .unwrap();
    assert!(lambda::is_valid_run_id(run_id), "{run_id}");
    assert_eq!(run_id, lambda::dag_run_id(FINGERPRINT));
    for object in &objects[1..] {
        assert!(object.get("airflow_call").is_none(), "{object}");
        assert!(
            object["trigger_ignores"]
                .as_str()
                .unwrap()
                .contains("the trigger refuses")
        );
    }
}

#[tokio::test]
async fn the_same_spec_twice_gets_the_same_run_id_and_a_note() {
    let server = server("twice", true).await;
    let key = "backfills/demo/same.json";
    for _ in 0..2 {
        let put = send(
            "PUT",
            &presign(&server, "PUT", key, now(), None),
            &[],
            uploaded_object(FINGERPRINT),
        )
        .await;
        assert_eq!(put.status, 200);
    }
    let objects = server.activity.objects();
    assert_eq!(
        objects[0]["airflow_call"]["body"],
        objects[1]["airflow_call"]["body"]
    );
    assert!(objects[0]["airflow_call"].get("note").is_none());
    assert!(
        objects[1]["airflow_call"]["note"]
            .as_str()
            .unwrap()
            .contains("409 Conflict")
    );
}

#[tokio::test]
async fn bad_urls_are_refused_like_s3_refuses_them() {
    let server = server("refused", true).await;
    let key = "backfills/demo/refused.json";
    let hour_ago = now() - time::Duration::hours(2);
    let good = presign(&server, "PUT", key, now(), Some("application/json"));
    let tampered = format!(
        "{}{}",
        &good[..good.len() - 1],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let mut wrong_secret = server.config.credentials.clone();
    wrong_secret.secret_key.push('x');
    let mut unknown_key = server.config.credentials.clone();
    unknown_key.access_key = "AKIAUNKNOWN000000000".into();
    let signed_with = |creds: &sigv4::Credentials| {
        sigv4::presign_url(
            creds,
            "PUT",
            &server.endpoint,
            &format!("/backfills/{key}"),
            now(),
            3600,
            None,
        )
    };
    let cases = [
        (
            "expired",
            presign(&server, "PUT", key, hour_ago, None),
            "application/json",
            "AccessDenied",
            "Request has expired",
        ),
        (
            "tampered signature",
            tampered,
            "application/json",
            "SignatureDoesNotMatch",
            SIGNATURE_MESSAGE,
        ),
        (
            "another Content-Type than signed",
            good.clone(),
            "text/plain",
            "SignatureDoesNotMatch",
            SIGNATURE_MESSAGE,
        ),
        (
            "signed with another secret",
            signed_with(&wrong_secret),
            "application/json",
            "SignatureDoesNotMatch",
            SIGNATURE_MESSAGE,
        ),
        (
            "an unknown access key",
            signed_with(&unknown_key),
            "application/json",
            "InvalidAccessKeyId",
            "",
        ),
    ];
    for (name, url, content_type, code, message) in &cases {
        let put = send(
            "PUT",
            url,
            &[("content-type", content_type), ("origin", SITE)],
            b"{}".to_vec(),
        )
        .await;
        let text = put.text();
        assert_eq!(put.status, 403, "{name}: {text}");
        assert!(
            text.contains(&format!("<Code>{code}</Code>")),
            "{name}: {text}"
        );
        assert!(
            text.contains(&format!("<Message>{message}")),
            "{name}: {text}"
        );
        // The page can read the refusal (and so explain it) because the rule covers errors too.
        assert_eq!(
            put.header("access-control-allow-origin"),
            Some(SITE),
            "{name}"
        );
    }
    assert!(
        server.activity.objects().is_empty(),
        "nothing refused was stored"
    );
    assert_eq!(server.activity.requests("PUT"), cases.len() as u64);
    let put = send(
        "PUT",
        &good,
        &[("content-type", "application/json")],
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(put.status, 200, "the untampered URL works: {}", put.text());
}

#[tokio::test]
async fn the_cors_rule_answers_preflights_from_the_site_only_and_can_be_left_off() {
    let with_rule = server("cors-on", true).await;
    let without_rule = server("cors-off", false).await;
    let preflight = |origin: &'static str, method: &'static str, headers: &'static str| {
        vec![
            ("origin", origin),
            ("access-control-request-method", method),
            ("access-control-request-headers", headers),
        ]
    };
    let cases = [
        (
            "PUT from the site",
            &with_rule,
            preflight(SITE, "PUT", "content-type"),
            200,
            Some(SITE),
        ),
        (
            "POST from the site",
            &with_rule,
            preflight(SITE, "POST", ""),
            200,
            Some(SITE),
        ),
        (
            "PUT from elsewhere",
            &with_rule,
            preflight("http://elsewhere.example", "PUT", "content-type"),
            403,
            None,
        ),
        (
            "DELETE from the site",
            &with_rule,
            preflight(SITE, "DELETE", ""),
            403,
            None,
        ),
        (
            "no rule (--no-cors)",
            &without_rule,
            preflight(SITE, "PUT", "content-type"),
            403,
            None,
        ),
    ];
    for (name, server, headers, status, allow_origin) in &cases {
        let url = format!("{}/backfills/backfills/demo/x.json", server.endpoint);
        let reply = send("OPTIONS", &url, headers, vec![]).await;
        assert_eq!(reply.status, *status, "{name}: {}", reply.text());
        assert_eq!(
            reply.header("access-control-allow-origin"),
            *allow_origin,
            "{name}"
        );
        if *status == 200 {
            assert_eq!(
                reply.header("access-control-allow-methods"),
                Some("PUT, POST"),
                "{name}"
            );
        } else {
            assert!(
                reply.text().contains("<Code>AccessForbidden</Code>"),
                "{name}"
            );
        }
    }

    // The upload itself: ETag readable by the page with the rule, nothing without it.
    for (server, exposed) in [(&with_rule, Some("ETag")), (&without_rule, None)] {
        let url = presign(server, "PUT", "backfills/demo/cors.json", now(), None);
        let put = send("PUT", &url, &[("origin", SITE)], b"{}".to_vec()).await;
        assert_eq!(put.status, 200);
        assert_eq!(put.header("access-control-expose-headers"), exposed);
        assert_eq!(
            put.header("access-control-allow-origin"),
            exposed.map(|_| SITE)
        );
    }
}

fn multipart(fields: &[(String, String)], file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----local-s3-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"spec.json\"\r\n\
             Content-Type: application/json\r\n\r\n"
        )
        .bytes(),
    );
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The form fields of a presigned POST, as the JSON the server prints.
fn post_form(
    server: &Running,
    key: &str,
    signed_at: OffsetDateTime,
) -> (String, Vec<(String, String)>) {
    let form = server.presigned(key, signed_at, 3600, None)["post"].clone();
    let fields = form["fields"].as_object().unwrap();
    let fields = fields
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    (form["url"].as_str().unwrap().to_owned(), fields)
}

#[tokio::test]
async fn a_presigned_post_form_uploads_and_its_refusals_are_s3s() {
    let server = server("post", true).await;
    let key = "backfills/demo/posted.json";
    let body = uploaded_object(FINGERPRINT);

    let (url, fields) = post_form(&server, key, now());
    let (content_type, form) = multipart(&fields, &body);
    let post = send(
        "POST",
        &url,
        &[("content-type", &content_type), ("origin", SITE)],
        form,
    )
    .await;
    assert_eq!(post.status, 204, "{}", post.text());
    let etag = post
        .header("etag")
        .expect("an ETag")
        .trim_matches('"')
        .to_owned();
    assert_eq!(
        post.header("location"),
        Some(format!("{}/backfills/{key}", server.endpoint).as_str())
    );
    assert_eq!(post.header("access-control-allow-origin"), Some(SITE));
    let get = send(
        "GET",
        &presign(&server, "GET", key, now(), None),
        &[],
        vec![],
    )
    .await;
    assert_eq!(get.body, body);
    let objects = server.activity.objects();
    assert_eq!(objects.len(), 1);
    assert_eq!(
        objects[0]["s3_event"]["Records"][0]["eventName"],
        "ObjectCreated:Post"
    );
    assert_eq!(
        objects[0]["s3_event"]["Records"][0]["s3"]["object"]["eTag"],
        etag
    );
    assert_eq!(
        objects[0]["airflow_call"]["body"]["dag_run_id"],
        "backfill-db1f9d0f4c2b8e1a"
    );

    let with = |fields: &[(String, String)], name: &str, value: &str| {
        let mut fields = fields.to_vec();
        match fields.iter_mut().find(|(k, _)| k == name) {
            Some(field) => field.1 = value.to_owned(),
            None => fields.push((name.to_owned(), value.to_owned())),
        }
        fields
    };
    let (_, old_fields) = post_form(&server, key, now() - time::Duration::hours(2));
    let signature = &fields
        .iter()
        .find(|(k, _)| k == "x-amz-signature")
        .unwrap()
        .1;
    let tampered = format!(
        "{}{}",
        &signature[..63],
        if signature.ends_with('0') { '1' } else { '0' }
    );
    let cases = [
        (
            "expired policy",
            old_fields,
            "AccessDenied",
            "Request has expired",
        ),
        (
            "tampered signature",
            with(&fields, "x-amz-signature", &tampered),
            "SignatureDoesNotMatch",
            SIGNATURE_MESSAGE,
        ),
        (
            "another key than the policy's",
            with(&fields, "key", "backfills/other.json"),
            "AccessDenied",
            "Invalid according to Policy",
        ),
        (
            "a field the policy does not name",
            with(&fields, "acl", "public-read"),
            "AccessDenied",
            "Each form field",
        ),
    ];
    for (name, fields, code, message) in &cases {
        let (content_type, form) = multipart(fields, b"{}");
        let post = send("POST", &url, &[("content-type", &content_type)], form).await;
        let text = post.text();
        assert_eq!(post.status, 403, "{name}: {text}");
        assert!(
            text.contains(&format!("<Code>{code}</Code>")),
            "{name}: {text}"
        );
        assert!(
            text.contains(&format!("<Message>{message}")),
            "{name}: {text}"
        );
    }
    assert_eq!(
        server.activity.objects().len(),
        1,
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn the_presign_endpoint_hands_out_working_and_expired_urls() {
    let server = server("presign", true).await;
    let fresh = send(
        "GET",
        &format!(
            "{}/_local-s3/presign?key=backfills%2Fa.json",
            server.endpoint
        ),
        &[],
        vec![],
    )
    .await;
    let fresh: Value = serde_json::from_slice(&fresh.body).unwrap();
    assert_eq!(fresh["key"], "backfills/a.json");
    assert_eq!(
        fresh["post"]["url"],
        format!("{}/backfills", server.endpoint)
    );
    let put = send(
        "PUT",
        fresh["put_url"].as_str().unwrap(),
        &[],
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(put.status, 200, "{}", put.text());

    let signed_at = (now() - time::Duration::hours(2)).unix_timestamp();
    let old = format!(
        "{}/_local-s3/presign?expires=60&signed_at={signed_at}",
        server.endpoint
    );
    let old: Value = serde_json::from_slice(&send("GET", &old, &[], vec![]).await.body).unwrap();
    let put = send("PUT", old["put_url"].as_str().unwrap(), &[], b"{}".to_vec()).await;
    assert_eq!(put.status, 403);
    assert!(put.text().contains("Request has expired"));
}

// The presign protocol (`POST /_local-s3/presign`), as pipeline/'s reference endpoint answers it.

/// The body the app sends for `name` and the test's fingerprint.
fn presign_body(name: &str) -> Vec<u8> {
    json!({"name": name, "fingerprint": FINGERPRINT, "content_type": "application/json"})
        .to_string()
        .into_bytes()
}

/// A presign request from `origin` (none: no Origin header), as the app's fetch sends it.
async fn ask(server: &Running, method: &str, origin: Option<&str>, body: Vec<u8>) -> Reply {
    let mut headers = vec![("content-type", "application/json")];
    headers.extend(origin.map(|origin| ("origin", origin)));
    send(method, &server.presign_endpoint(), &headers, body).await
}

/// A query parameter of a URL (still encoded).
fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// What every answer of the presign endpoint has, and the CORS headers the site gets.
fn assert_presign_headers(reply: &Reply, cors: bool, what: &str) {
    assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
    assert_eq!(reply.header("vary"), Some("Origin"), "{what}");
    let (origin, credentials) = if cors {
        (Some(SITE), Some("true"))
    } else {
        (None, None)
    };
    assert_eq!(
        reply.header("access-control-allow-origin"),
        origin,
        "{what}"
    );
    assert_eq!(
        reply.header("access-control-allow-credentials"),
        credentials,
        "{what}"
    );
}

fn error_of(reply: &Reply) -> String {
    let body: Value = serde_json::from_slice(&reply.body).expect("a JSON error");
    body["error"].as_str().expect("an error message").to_owned()
}

#[tokio::test]
async fn the_presign_endpoint_hands_out_a_put_url_that_signs_the_content_type() {
    let server = server_with("presign-put", |config| {
        config.presign_expires_minutes = 7;
    })
    .await;
    assert_eq!(
        server.presign_endpoint(),
        format!("{}/_local-s3/presign", server.endpoint)
    );
    let reply = ask(&server, "POST", Some(SITE), presign_body("q3-fix")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_presign_headers(&reply, true, "200");
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let answer: Value = serde_json::from_slice(&reply.body).unwrap();
    let url = answer["url"].as_str().expect("a url");
    assert_eq!(answer.as_object().unwrap().len(), 1, "{answer}");
    let key = format!("backfills/q3-fix/{FINGERPRINT}.json");
    assert!(
        url.starts_with(&format!("{}/backfills/{key}?", server.endpoint)),
        "{url}"
    );
    assert_eq!(query_param(url, "X-Amz-Expires"), Some("420"), "7 minutes");
    assert_eq!(
        query_param(url, "X-Amz-SignedHeaders"),
        Some("content-type%3Bhost")
    );

    let other_type = send(
        "PUT",
        url,
        &[("content-type", "text/plain")],
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(other_type.status, 403, "{}", other_type.text());
    assert!(
        other_type
            .text()
            .contains("<Code>SignatureDoesNotMatch</Code>")
    );
    let body = uploaded_object(FINGERPRINT);
    let put = send(
        "PUT",
        url,
        &[("content-type", "application/json"), ("origin", SITE)],
        body.clone(),
    )
    .await;
    assert_eq!(put.status, 200, "{}", put.text());
    let objects = server.activity.objects();
    assert_eq!(objects.len(), 1, "only the upload with the signed type");
    assert_eq!(
        objects[0]["s3_event"]["Records"][0]["s3"]["object"]["key"],
        key
    );
    let path = format!("/backfills/{key}");
    let stored = std::fs::read(server.config.data_dir.join(&path[1..])).unwrap();
    assert_eq!(stored, body);
    assert_eq!(
        server.activity.requests("POST"),
        0,
        "presign requests are not S3 requests"
    );
}

#[tokio::test]
async fn the_presign_endpoint_hands_out_a_post_form_requiring_the_content_type() {
    let server = server_with("presign-post", |config| {
        config.presign_method = PresignMethod::Post;
        config.key_pattern = "uploads/{fingerprint}/{name}.json".to_owned();
        config.presign_expires_minutes = 60;
    })
    .await;
    let reply = ask(&server, "POST", Some(SITE), presign_body("nightly")).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_presign_headers(&reply, true, "200");
    let answer: Value = serde_json::from_slice(&reply.body).unwrap();
    let url = answer["url"].as_str().expect("a url");
    assert_eq!(url, format!("{}/backfills", server.endpoint));
    let fields: Vec<(String, String)> = answer["fields"]
        .as_object()
        .expect("fields")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let key = format!("uploads/{FINGERPRINT}/nightly.json");
    assert_eq!(field("key"), Some(key.as_str()));
    assert_eq!(field("Content-Type"), Some("application/json"));
    let policy = base64_simd::STANDARD
        .decode_to_vec(field("policy").unwrap())
        .unwrap();
    let policy: Value = serde_json::from_slice(&policy).unwrap();
    assert_eq!(
        policy["conditions"][0],
        json!({"Content-Type": "application/json"})
    );
    let signed_at = time::PrimitiveDateTime::parse(
        field("x-amz-date").unwrap(),
        time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"),
    )
    .unwrap()
    .assume_utc();
    let expiration = time::PrimitiveDateTime::parse(
        policy["expiration"].as_str().unwrap(),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
    )
    .unwrap()
    .assume_utc();
    assert_eq!(expiration - signed_at, time::Duration::minutes(60));

    let with_type = |content_type: &str| {
        let mut fields = fields.clone();
        for field in fields.iter_mut().filter(|(k, _)| k == "Content-Type") {
            field.1 = content_type.to_owned();
        }
        fields
    };
    let (form_type, form) = multipart(&with_type("text/plain"), b"{}");
    let refused = send("POST", url, &[("content-type", &form_type)], form).await;
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(refused.text().contains("Invalid according to Policy"));

    let body = uploaded_object(FINGERPRINT);
    let (form_type, form) = multipart(&fields, &body);
    let post = send(
        "POST",
        url,
        &[("content-type", &form_type), ("origin", SITE)],
        form,
    )
    .await;
    assert_eq!(post.status, 204, "{}", post.text());
    let objects = server.activity.objects();
    assert_eq!(objects.len(), 1, "only the form with the required type");
    assert_eq!(
        objects[0]["s3_event"]["Records"][0]["s3"]["object"]["key"],
        key
    );
    let stored = std::fs::read(server.config.data_dir.join("backfills").join(&key)).unwrap();
    assert_eq!(stored, body);
}

#[tokio::test]
async fn presign_requests_are_refused_with_the_reference_endpoints_messages() {
    let server = server("presign-refused", true).await;
    let body = |value: Value| value.to_string().into_bytes();
    let good =
        json!({"name": "q3-fix", "fingerprint": FINGERPRINT, "content_type": "application/json"});
    let with = |field: &str, value: Value| {
        let mut asked = good.clone();
        asked[field] = value;
        body(asked)
    };
    let without = |field: &str| {
        let mut asked = good.clone();
        asked.as_object_mut().unwrap().remove(field);
        body(asked)
    };
    let mut too_large = presign_body("q3-fix");
    too_large.resize(5000, b' ');
    let cases: Vec<(&str, &str, Vec<u8>, u16, String)> = vec![
        (
            "a name that is not a slug",
            "POST",
            with("name", json!("Q3 fix")),
            400,
            "the name 'Q3 fix' is not a slug: lowercase letters, digits and dashes, starting \
             with a letter or digit, at most 63 characters"
                .to_owned(),
        ),
        (
            "a name of 64 characters",
            "POST",
            with("name", json!("a".repeat(64))),
            400,
            format!("the name '{}' is not a slug", "a".repeat(64)),
        ),
        (
            "an upper-case fingerprint",
            "POST",
            with("fingerprint", json!(FINGERPRINT.to_uppercase())),
            400,
            format!(
                "the fingerprint '{}' is not 64 lowercase hex digits (the spec's SHA-256, \
                 docs/contract.md)",
                FINGERPRINT.to_uppercase()
            ),
        ),
        (
            "a short fingerprint",
            "POST",
            with("fingerprint", json!("abc")),
            400,
            "the fingerprint 'abc' is not 64 lowercase hex digits".to_owned(),
        ),
        (
            "another content type",
            "POST",
            with("content_type", json!("text/plain")),
            400,
            "the content_type 'text/plain' is refused: an uploaded backfill is application/json"
                .to_owned(),
        ),
        (
            "a content type with a charset",
            "POST",
            with("content_type", json!("application/json; charset=utf-8")),
            400,
            "the content_type 'application/json; charset=utf-8' is refused".to_owned(),
        ),
        (
            "a missing field",
            "POST",
            without("fingerprint"),
            400,
            "the field 'fingerprint' is missing".to_owned(),
        ),
        (
            "a field that is not a string",
            "POST",
            with("name", json!(["q3", 1])),
            400,
            r#"the field 'name' is not a string (["q3", 1])"#.to_owned(),
        ),
        (
            "a body that is a JSON array",
            "POST",
            body(json!([good])),
            400,
            r#"the body must be a JSON object {"name": …, "fingerprint": …, "content_type": …}"#
                .to_owned(),
        ),
        (
            "a body that is not JSON",
            "POST",
            b"name=q3-fix".to_vec(),
            400,
            r#"the body is not JSON: send {"name": …, "fingerprint": …, "content_type": …}"#
                .to_owned(),
        ),
        (
            "a body over 4 KB",
            "POST",
            too_large,
            413,
            "the body has 5000 bytes; a presign request is a small JSON object (at most 4096 \
             bytes)"
                .to_owned(),
        ),
        (
            "another method",
            "PUT",
            presign_body("q3-fix"),
            405,
            "PUT is not answered: send a POST".to_owned(),
        ),
    ];
    for (what, method, body, status, message) in cases {
        let reply = ask(&server, method, Some(SITE), body).await;
        assert_eq!(reply.status, status, "{what}: {}", reply.text());
        assert!(
            error_of(&reply).starts_with(&message),
            "{what}: {}",
            reply.text()
        );
        // From the site, the page may read why.
        assert_presign_headers(&reply, true, what);
        if status == 405 {
            assert_eq!(reply.header("allow"), Some("GET, POST, OPTIONS"), "{what}");
        }
    }
}

#[tokio::test]
async fn the_presign_endpoint_answers_the_sites_origin_only() {
    let site = server("presign-origin", true).await;
    let no_site = server("presign-no-site", false).await;
    let elsewhere = "http://elsewhere.example";
    let cases = [
        (
            "POST from another origin",
            &site,
            "POST",
            Some(elsewhere),
            format!("this endpoint answers only the site {SITE}, not the origin '{elsewhere}'"),
        ),
        (
            "POST from the site with a trailing slash",
            &site,
            "POST",
            Some("http://127.0.0.1:8080/"),
            format!("this endpoint answers only the site {SITE}, not the origin"),
        ),
        (
            "POST without an Origin",
            &site,
            "POST",
            None,
            format!(
                "this endpoint answers only the site {SITE}, not a request without an Origin \
                 header"
            ),
        ),
        (
            "a preflight from another origin",
            &site,
            "OPTIONS",
            Some(elsewhere),
            format!("this endpoint answers only the site {SITE}, not the origin '{elsewhere}'"),
        ),
        (
            "POST to a server without a site (--no-cors)",
            &no_site,
            "POST",
            Some(SITE),
            "this endpoint answers no site: local-s3 runs without a site origin (--no-cors)"
                .to_owned(),
        ),
    ];
    for (what, server, method, origin, message) in &cases {
        let reply = ask(server, method, *origin, presign_body("q3-fix")).await;
        assert_eq!(reply.status, 403, "{what}: {}", reply.text());
        assert!(
            error_of(&reply).starts_with(message.as_str()),
            "{what}: {}",
            reply.text()
        );
        assert_presign_headers(&reply, false, what);
        for name in [
            "access-control-allow-methods",
            "access-control-allow-headers",
        ] {
            assert_eq!(reply.header(name), None, "{what}: {name}");
        }
    }
    assert!(site.activity.objects().is_empty());
}

#[tokio::test]
async fn the_presign_preflight_allows_the_sites_post_with_a_content_type() {
    let server = server("presign-preflight", true).await;
    let reply = send(
        "OPTIONS",
        &server.presign_endpoint(),
        &[
            ("origin", SITE),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type"),
        ],
        vec![],
    )
    .await;
    assert_eq!(reply.status, 204, "{}", reply.text());
    assert!(reply.body.is_empty());
    assert_presign_headers(&reply, true, "preflight");
    for (name, value) in [
        ("access-control-allow-methods", "POST"),
        ("access-control-allow-headers", "content-type"),
        ("access-control-max-age", "600"),
    ] {
        assert_eq!(reply.header(name), Some(value), "{name}");
    }
}

/// What is wrong, the change to the defaults that makes it so, what the refusal says.
type ConfigCase = (&'static str, fn(&mut Config), &'static str);

#[tokio::test]
async fn a_key_pattern_without_the_fingerprint_or_a_bad_expiry_is_refused_at_start_up() {
    let cases: [ConfigCase; 3] = [
        (
            "no {fingerprint}",
            |config| config.key_pattern = "backfills/{name}.json".to_owned(),
            "--key-pattern \"backfills/{name}.json\" has no {fingerprint}",
        ),
        (
            "an unknown placeholder",
            |config| config.key_pattern = "b/{fingerprint}/{date}.json".to_owned(),
            "has {date}: only {name} and {fingerprint} are filled in",
        ),
        (
            "61 minutes",
            |config| config.presign_expires_minutes = 61,
            "--presign-expires-minutes 61 must be a whole number of minutes from 1 to 60",
        ),
    ];
    for (what, adjust, message) in cases {
        let mut config = test_config("refused-config");
        adjust(&mut config);
        let error = local_s3::start(config).await.expect_err(what);
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{what}");
        assert!(error.to_string().contains(message), "{what}: {error}");
    }
}
