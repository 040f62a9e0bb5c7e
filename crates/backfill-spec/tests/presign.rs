//! Data-driven tests of `presign`, whole values compared:
//!
//! - pasted texts → the whole `Target` or error: the boto3-made fixtures in
//!   `tests/fixtures/presign/` (`generate.py` made them with the clock at 2026-11-28 16:54:54
//!   UTC; `put-local.txt` and `post-local.json` have the shapes local-s3 prints) and edited
//!   or junk texts inline;
//! - the clock-dependent findings, the key, Content-Type and size helpers, the time texts;
//! - S3's XML error bodies → the parsed error and its whole explanation;
//! - no panic on any prefix of any fixture, or on junk.

use std::fs;

use backfill_spec::presign::{
    ContentType, Explanation, Method, S3Error, Target, cors_rule, duration_text, explain,
    parse_error, read, rfc3339, utc_text,
};
use backfill_spec::{Diagnostic, Severity, Span};

/// 2026-11-28 16:54:54 UTC: when the fixtures were signed.
const SIGNED: i64 = 1_795_884_894;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/presign/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixtures() -> Vec<(String, String)> {
    let dir = format!("{}/tests/fixtures/presign", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt") || n.ends_with(".json"))
        .collect();
    names.sort();
    names.into_iter().map(|n| (fixture(&n), n)).collect()
}

/// The `policy` field of a fixture form, as it is (base64).
fn policy_of(name: &str) -> String {
    let form: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
    let fields = form["fields"].as_object().unwrap();
    let (_, policy) = fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("policy"))
        .unwrap();
    policy.as_str().unwrap().to_owned()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A finding as presign makes them: with a hint, about no one place (the empty span at 0).
fn finding(severity: Severity, code: &'static str, message: &str, hint: &str) -> Diagnostic {
    Diagnostic::new(severity, code, message, Span::default()).with_hint(hint)
}

const READ_HINT: &str = "Paste a presigned PUT URL (https://bucket.s3.region.amazonaws.com/key?\
    X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…) or a presigned POST \
    form as JSON ({\"url\": \"https://…\", \"fields\": {\"key\": …, \"policy\": …, …}}), as boto3's \
    generate_presigned_url and generate_presigned_post make them.";

fn unreadable(message: &str) -> Read {
    Err(Box::new(finding(
        Severity::Error,
        "presign-unreadable",
        message,
        READ_HINT,
    )))
}

fn content_type_signed() -> Diagnostic {
    finding(
        Severity::Warning,
        "presign-content-type-signed",
        "Content-Type is signed: this app sends application/json, so the URL must have been \
         presigned for exactly that (boto3: Params={..., \"ContentType\": \"application/json\"}); \
         otherwise S3 answers SignatureDoesNotMatch",
        "If the upload fails with SignatureDoesNotMatch, ask for a URL presigned with ContentType \
         application/json.",
    )
}

fn copy_form_again(message: &str) -> Diagnostic {
    finding(
        Severity::Error,
        "presign-field-mismatch",
        message,
        "The form was edited: copy the whole output of generate_presigned_post again.",
    )
}

fn local_put() -> Target {
    Target {
        method: Method::Put,
        url: fixture("put-local.txt").trim().into(),
        fields: vec![],
        endpoint: "http://127.0.0.1:9000".into(),
        bucket: "backfills".into(),
        key: "backfills/demo/20261128T165454Z.json".into(),
        region: "us-east-1".into(),
        signed_headers: strings(&["host"]),
        expires_at: Some(SIGNED + 3600),
        signed_at: Some(SIGNED),
        size_range: None,
        content_type: ContentType::Free,
        findings: vec![],
    }
}

fn aws_put_with_content_type() -> Target {
    Target {
        method: Method::Put,
        url: fixture("put-aws-token-content-type.txt").trim().into(),
        fields: vec![],
        endpoint: "https://acme-backfills.s3.eu-west-1.amazonaws.com".into(),
        bucket: "acme-backfills".into(),
        key: "backfills/clicks recon/été+1.json".into(),
        region: "eu-west-1".into(),
        signed_headers: strings(&["content-type", "host"]),
        expires_at: Some(SIGNED + 900),
        signed_at: Some(SIGNED),
        size_range: None,
        content_type: ContentType::SignedUnknown,
        findings: vec![content_type_signed()],
    }
}

fn local_post_fields() -> Vec<(String, String)> {
    let mut fields = pairs(&[
        ("key", "backfills/demo/20261128T165454Z.json"),
        ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
        (
            "x-amz-credential",
            "LOCALS3DEVACCESSKEY0/20261128/us-east-1/s3/aws4_request",
        ),
        ("x-amz-date", "20261128T165454Z"),
        ("policy", ""),
        (
            "x-amz-signature",
            "c6d1989f89418d1d72bb2a00587b56cca5cb1507eb35dd891d56db99f00d13fb",
        ),
    ]);
    fields[4].1 = policy_of("post-local.json");
    fields
}

fn local_post() -> Target {
    Target {
        method: Method::Post,
        url: "http://127.0.0.1:9000/backfills".into(),
        fields: local_post_fields(),
        endpoint: "http://127.0.0.1:9000".into(),
        bucket: "backfills".into(),
        key: "backfills/demo/20261128T165454Z.json".into(),
        region: "us-east-1".into(),
        signed_headers: strings(&[
            "bucket",
            "key",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
        ]),
        expires_at: Some(SIGNED + 3600),
        signed_at: Some(SIGNED),
        size_range: None,
        content_type: ContentType::Free,
        findings: vec![],
    }
}

const TOKEN: &str =
    "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMSJHMEUCIQDexample+token/with=chars";
const AWS_CREDENTIAL: &str = "ASIAEXAMPLEEXAMPLE12/20261128/eu-west-1/s3/aws4_request";

fn aws_post() -> Target {
    Target {
        method: Method::Post,
        url: "https://acme-backfills.s3.eu-west-1.amazonaws.com/".into(),
        fields: pairs(&[
            ("Content-Type", "application/json"),
            ("key", "backfills/${filename}"),
            ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            ("x-amz-credential", AWS_CREDENTIAL),
            ("x-amz-date", "20261128T165454Z"),
            ("x-amz-security-token", TOKEN),
            ("policy", &policy_of("post-aws.json")),
            (
                "x-amz-signature",
                "2c02cb06a4d7e792041f2bdbff6e54d459bfdb60621bb72cb5afc0e0bf586048",
            ),
        ]),
        endpoint: "https://acme-backfills.s3.eu-west-1.amazonaws.com".into(),
        bucket: "acme-backfills".into(),
        key: "backfills/${filename}".into(),
        region: "eu-west-1".into(),
        signed_headers: strings(&[
            "content-type",
            "key",
            "bucket",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "x-amz-security-token",
        ]),
        expires_at: Some(SIGNED + 600),
        signed_at: Some(SIGNED),
        size_range: Some((1, 262_144)),
        content_type: ContentType::Exact("application/json".into()),
        findings: vec![finding(
            Severity::Info,
            "presign-size-limit",
            "The policy accepts at most 262144 bytes (content-length-range)",
            "A larger spec is refused with EntityTooLarge.",
        )],
    }
}

/// What `read` gives.
type Read = Result<Option<Target>, Box<Diagnostic>>;

fn read_cases() -> Vec<(&'static str, String, Read)> {
    let local_url = fixture("put-local.txt").trim().to_owned();
    let local_form = fixture("post-local.json");
    vec![
        (
            "put-local.txt",
            fixture("put-local.txt"),
            Ok(Some(local_put())),
        ),
        (
            "put-aws-token-content-type.txt",
            fixture("put-aws-token-content-type.txt"),
            Ok(Some(aws_put_with_content_type())),
        ),
        (
            "put-aws-acl.txt",
            fixture("put-aws-acl.txt"),
            Ok(Some(Target {
                url: fixture("put-aws-acl.txt").trim().into(),
                key: "a.json".into(),
                signed_headers: strings(&["host", "x-amz-server-side-encryption"]),
                expires_at: Some(SIGNED + 604_800),
                content_type: ContentType::Free,
                findings: vec![finding(
                    Severity::Error,
                    "presign-unsendable-header",
                    "The URL signs header x-amz-server-side-encryption whose value is not in the \
                     URL; a browser upload cannot know it — presign without it",
                    "Presign with only Bucket, Key and ContentType in Params; set encryption or \
                     ACLs as bucket defaults instead.",
                )],
                ..aws_put_with_content_type()
            })),
        ),
        (
            "put-sigv2.txt",
            fixture("put-sigv2.txt"),
            Ok(Some(Target {
                method: Method::Put,
                url: fixture("put-sigv2.txt").trim().into(),
                fields: vec![],
                endpoint: "https://acme-backfills.s3.amazonaws.com".into(),
                bucket: "acme-backfills".into(),
                key: "a.json".into(),
                region: "".into(),
                signed_headers: vec![],
                expires_at: Some(SIGNED + 3600),
                signed_at: None,
                size_range: None,
                content_type: ContentType::SignedUnknown,
                findings: vec![
                    finding(
                        Severity::Warning,
                        "presign-sigv2",
                        "This URL has a legacy SigV2 signature: S3 regions opened since 2014 \
                         accept only SigV4, and SigV2 signs the Content-Type too",
                        "Presign with SigV4: boto3.client(\"s3\", \
                         config=Config(signature_version=\"s3v4\")).",
                    ),
                    content_type_signed(),
                ],
            })),
        ),
        (
            "post-local.json",
            local_form.clone(),
            Ok(Some(local_post())),
        ),
        (
            "post-aws.json",
            fixture("post-aws.json"),
            Ok(Some(aws_post())),
        ),
        (
            "post-aws-text-only.json",
            fixture("post-aws-text-only.json"),
            Ok(Some(Target {
                fields: pairs(&[
                    ("key", "a.json"),
                    ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
                    ("x-amz-credential", AWS_CREDENTIAL),
                    ("x-amz-date", "20261128T165454Z"),
                    ("x-amz-security-token", TOKEN),
                    ("policy", &policy_of("post-aws-text-only.json")),
                    (
                        "x-amz-signature",
                        "9d9d901383fd395b7feeb348d3bd4b025a938faedb0f6a7df307833cbc2385f7",
                    ),
                ]),
                key: "a.json".into(),
                signed_headers: strings(&[
                    "content-type",
                    "bucket",
                    "key",
                    "x-amz-algorithm",
                    "x-amz-credential",
                    "x-amz-date",
                    "x-amz-security-token",
                ]),
                size_range: None,
                content_type: ContentType::Free,
                findings: vec![finding(
                    Severity::Error,
                    "presign-content-type-refused",
                    "The policy allows only a Content-Type starting with text/; a backfill spec \
                     is application/json",
                    "Presign with Conditions=[{\"Content-Type\": \"application/json\"}] and \
                     Fields={\"Content-Type\": \"application/json\"}.",
                )],
                ..aws_post()
            })),
        ),
        (
            "post-content-type-condition.json",
            fixture("post-content-type-condition.json"),
            Ok(Some(Target {
                method: Method::Post,
                url: "https://s3.eu-west-1.amazonaws.com/acme-backfills".into(),
                fields: pairs(&[
                    ("key", "backfills/spec.json"),
                    ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
                    (
                        "X-Amz-Credential",
                        "AKIAEXAMPLEEXAMPLE12/20261128/eu-west-1/s3/aws4_request",
                    ),
                    ("X-Amz-Date", "20261128T165454Z"),
                    ("Policy", &policy_of("post-content-type-condition.json")),
                    ("X-Amz-Signature", &"0".repeat(64)),
                ]),
                endpoint: "https://s3.eu-west-1.amazonaws.com".into(),
                bucket: "acme-backfills".into(),
                key: "backfills/spec.json".into(),
                region: "eu-west-1".into(),
                signed_headers: strings(&[
                    "bucket",
                    "key",
                    "content-type",
                    "x-amz-algorithm",
                    "x-amz-credential",
                    "x-amz-date",
                ]),
                expires_at: Some(SIGNED + 3600),
                signed_at: Some(SIGNED),
                size_range: Some((1, 10_485_760)),
                content_type: ContentType::Exact("application/json".into()),
                findings: vec![],
            })),
        ),
        // The shapes around the fixtures.
        ("blank", " \n\t".into(), Ok(None)),
        ("empty", "".into(), Ok(None)),
        (
            "quoted URL, as JSON or a Python repr prints it",
            format!(" '{local_url}'\n"),
            Ok(Some(local_put())),
        ),
        (
            "compact JSON, as local-s3's /_local-s3/presign gives it",
            local_form.replace("\": ", "\":").replace(", \"", ",\""),
            Ok(Some(local_post())),
        ),
        (
            "Python repr of the form",
            local_form.replace('"', "'"),
            Ok(Some(local_post())),
        ),
        (
            "lowercase parameter names, an IPv6 loopback",
            local_url
                .replace("127.0.0.1", "[::1]")
                .replace("X-Amz-", "x-amz-"),
            Ok(Some(Target {
                url: local_url
                    .replace("127.0.0.1", "[::1]")
                    .replace("X-Amz-", "x-amz-"),
                endpoint: "http://[::1]:9000".into(),
                ..local_put()
            })),
        ),
        (
            "http to another host, expiry over 7 days",
            local_url
                .replace("127.0.0.1", "minio.internal")
                .replace("Expires=3600", "Expires=691200"),
            Ok(Some(Target {
                url: local_url
                    .replace("127.0.0.1", "minio.internal")
                    .replace("Expires=3600", "Expires=691200"),
                endpoint: "http://minio.internal:9000".into(),
                expires_at: Some(SIGNED + 691_200),
                findings: vec![
                    finding(
                        Severity::Warning,
                        "presign-not-https",
                        "The URL is http://, not https://: the spec and the signature travel \
                         unencrypted, and a page served over https cannot call an http URL \
                         (mixed content)",
                        "Presign an https:// URL.",
                    ),
                    finding(
                        Severity::Warning,
                        "presign-expiry-too-long",
                        "X-Amz-Expires is more than 7 days (604800 seconds): S3 refuses such a URL",
                        "Presign with ExpiresIn of at most 604800.",
                    ),
                ],
                ..local_put()
            })),
        ),
        (
            "cut short in the signature",
            local_url[..local_url.len() - 20].to_owned(),
            Ok(Some(Target {
                url: local_url[..local_url.len() - 20].to_owned(),
                findings: vec![finding(
                    Severity::Error,
                    "presign-invalid-signature",
                    "X-Amz-Signature is not 64 hexadecimal digits: the URL was cut short or \
                     edited when it was copied",
                    "Copy the whole URL again.",
                )],
                ..local_put()
            })),
        ),
        (
            "cut short before the signature, wrapped on two lines",
            local_url[..local_url.find("&X-Amz-Expires").unwrap()].replace("?", "?\n"),
            Ok(Some(Target {
                url: local_url[..local_url.find("&X-Amz-Expires").unwrap()].replace("?", "?\n"),
                signed_headers: vec![],
                expires_at: None,
                findings: vec![
                    finding(
                        Severity::Error,
                        "presign-url-wrapped",
                        "The URL contains spaces or line breaks: it was wrapped or edited when it \
                         was copied",
                        "Copy the URL again, on one line.",
                    ),
                    finding(
                        Severity::Error,
                        "presign-cut-short",
                        "The URL lacks X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature: it \
                         was cut short or edited when it was copied",
                        "Copy the whole URL again: a presigned URL ends with its signature.",
                    ),
                ],
                ..local_put()
            })),
        ),
        (
            "the object's plain URL",
            "https://acme-backfills.s3.amazonaws.com/backfills/a.json".into(),
            Ok(Some(Target {
                method: Method::Put,
                url: "https://acme-backfills.s3.amazonaws.com/backfills/a.json".into(),
                fields: vec![],
                endpoint: "https://acme-backfills.s3.amazonaws.com".into(),
                bucket: "acme-backfills".into(),
                key: "backfills/a.json".into(),
                region: "".into(),
                signed_headers: vec![],
                expires_at: None,
                signed_at: None,
                size_range: None,
                content_type: ContentType::Free,
                findings: vec![finding(
                    Severity::Error,
                    "presign-unsigned",
                    "This is not a presigned URL: it has no signature (X-Amz-Signature). Did you \
                     paste the object's plain URL?",
                    "Presign it, e.g. boto3: s3.generate_presigned_url(\"put_object\", \
                     Params={\"Bucket\": …, \"Key\": …, \"ContentType\": \"application/json\"}, \
                     ExpiresIn=3600).",
                )],
            })),
        ),
        (
            "a bucket URL without a key",
            local_url.replace("/backfills/demo/20261128T165454Z.json", ""),
            Ok(Some(Target {
                url: local_url.replace("/backfills/demo/20261128T165454Z.json", ""),
                key: "".into(),
                findings: vec![finding(
                    Severity::Error,
                    "presign-no-key",
                    "The URL names no object key",
                    "A presigned PUT URL is made for one object: \
                     https://bucket.s3.region.amazonaws.com/path/to/key.json?X-Amz-…",
                )],
                ..local_put()
            })),
        ),
        (
            "an edited form: another key, an extra field",
            local_form.replace(
                "\"key\": \"backfills/demo/20261128T165454Z.json\"",
                "\"key\": \"other.json\", \"acl\": \"private\"",
            ),
            Ok(Some(Target {
                fields: {
                    let mut fields = local_post_fields();
                    fields[0].1 = "other.json".into();
                    fields.insert(1, ("acl".into(), "private".into()));
                    fields
                },
                key: "other.json".into(),
                findings: vec![
                    copy_form_again(
                        "The form's field key differs from the value its policy requires, \
                         backfills/demo/20261128T165454Z.json",
                    ),
                    finding(
                        Severity::Error,
                        "presign-extra-field",
                        "The form's field acl is not named in its policy: S3 refuses the form \
                         (\"Invalid according to Policy: Extra input fields\")",
                        "Presign with a condition for every field, e.g. \
                         Conditions=[{\"Content-Type\": \"application/json\"}] beside \
                         Fields={\"Content-Type\": \"application/json\"}.",
                    ),
                ],
                ..local_post()
            })),
        ),
        (
            "a form cut short inside its policy",
            {
                let policy = policy_of("post-local.json");
                local_form.replace(&policy, &policy[..40])
            },
            Ok(Some(Target {
                fields: {
                    let mut fields = local_post_fields();
                    fields[4].1.truncate(40);
                    fields
                },
                signed_headers: vec![],
                expires_at: None,
                findings: vec![finding(
                    Severity::Error,
                    "presign-invalid-policy",
                    "The policy field is not base64-encoded JSON: the form was cut short or edited",
                    "Copy the whole output of generate_presigned_post again.",
                )],
                ..local_post()
            })),
        ),
        (
            "junk",
            "hello world".into(),
            unreadable("This is neither a presigned URL nor a presigned POST form"),
        ),
        (
            "an s3:// URI",
            "s3://acme-backfills/a.json".into(),
            unreadable("This is neither a presigned URL nor a presigned POST form"),
        ),
        (
            "a backfill spec",
            "{\"version\": 1, \"name\": \"x\", \"backfills\": []}".into(),
            unreadable("This JSON is not a presigned POST form: it has no \"url\""),
        ),
        (
            "a form cut short",
            local_form[..100].to_owned(),
            unreadable("This is not valid JSON: a presigned POST form was expected"),
        ),
        (
            "a form without fields",
            "{\"url\": \"https://acme-backfills.s3.amazonaws.com/\"}".into(),
            unreadable("This JSON is not a presigned POST form: it has no \"fields\" object"),
        ),
        (
            "a form whose url is not http",
            "{\"url\": \"s3://acme-backfills\", \"fields\": {}}".into(),
            unreadable("The form's \"url\" is not an http:// or https:// URL"),
        ),
        (
            "a form with a nested field",
            "{\"url\": \"https://b.s3.amazonaws.com/\", \"fields\": {\"key\": [\"a\"]}}".into(),
            unreadable("The form's \"fields\" hold something other than text"),
        ),
    ]
}

#[test]
fn pasted_texts_are_read_whole() {
    for (name, text, expected) in read_cases() {
        assert_eq!(read(&text), expected, "{name}");
    }
}

#[test]
fn findings_at_a_time_add_expiry_and_put_errors_first() {
    let expired_put = |ago: &str| {
        finding(
            Severity::Error,
            "presign-expired",
            &format!("This URL expired at 2026-11-28 17:09:54 UTC ({ago} ago)"),
            "Ask whoever made it for a new one (a presigned URL cannot be extended) and paste it \
             here.",
        )
    };
    let cases: Vec<(&str, Target, i64, Vec<Diagnostic>)> = vec![
        ("fresh", local_put(), SIGNED + 10, vec![]),
        (
            "59 s left",
            local_put(),
            SIGNED + 3600 - 59,
            vec![finding(
                Severity::Warning,
                "presign-expires-soon",
                "This URL expires in 59 s",
                "Upload now; if S3 answers that the request has expired, ask for a new one.",
            )],
        ),
        ("60 s left", local_put(), SIGNED + 3600 - 60, vec![]),
        (
            "expired just now",
            local_put(),
            SIGNED + 3600,
            vec![finding(
                Severity::Error,
                "presign-expired",
                "This URL expired at 2026-11-28 17:54:54 UTC (0 s ago)",
                "Ask whoever made it for a new one (a presigned URL cannot be extended) and paste \
                 it here.",
            )],
        ),
        (
            "expired, with a warning that comes after the error",
            aws_put_with_content_type(),
            SIGNED + 900 + 252,
            vec![expired_put("4 min 12 s"), content_type_signed()],
        ),
        (
            "expired long ago",
            aws_put_with_content_type(),
            SIGNED + 900 + 3 * 86_400 + 4 * 3600 + 59,
            vec![expired_put("3 d 4 h"), content_type_signed()],
        ),
        (
            "a form",
            aws_post(),
            SIGNED + 601,
            vec![
                finding(
                    Severity::Error,
                    "presign-expired",
                    "This form expired at 2026-11-28 17:04:54 UTC (1 s ago)",
                    "Ask whoever made it for a new one (a presigned URL cannot be extended) and \
                     paste it here.",
                ),
                aws_post().findings[0].clone(),
            ],
        ),
        (
            "signed an hour ahead of this computer's clock",
            local_put(),
            SIGNED - 3600,
            vec![finding(
                Severity::Warning,
                "presign-signed-in-future",
                "This URL is signed for 2026-11-28 16:54:54 UTC, 1 h from now by this \
                 computer's clock",
                "S3 refuses it as not yet valid until then. If it was just made, this computer's \
                 clock is behind, and the expiry shown is off by as much.",
            )],
        ),
        (
            "signed 15 minutes ahead: within S3's skew",
            local_put(),
            SIGNED - 900,
            vec![],
        ),
    ];
    for (name, target, now, expected) in cases {
        assert_eq!(target.findings_at(now, &[]), expected, "{name}");
        let blocked = expected.iter().any(|f| f.severity == Severity::Error);
        assert_eq!(target.can_send_at(now), !blocked, "{name}");
    }
    let unknown = Target {
        expires_at: None,
        signed_at: None,
        ..local_put()
    };
    assert_eq!(unknown.findings_at(i64::MAX, &[]), vec![]);
    assert_eq!(unknown.findings_at(i64::MIN, &[]), vec![]);
}

#[test]
fn key_content_type_and_size_for_the_request() {
    let post = aws_post();
    assert_eq!(post.key_for("spec.json"), "backfills/spec.json");
    assert_eq!(local_put().key_for("x.json"), local_put().key);
    let free_post = local_post();
    for (name, target, expected) in [
        ("PUT, unsigned", &local_put(), Some("application/json")),
        (
            "PUT, signed",
            &aws_put_with_content_type(),
            Some("application/json"),
        ),
        ("POST, free", &free_post, None),
        ("POST, exact", &post, Some("application/json")),
    ] {
        assert_eq!(target.content_type_to_send(), expected, "{name}");
    }
    let too_large = finding(
        Severity::Error,
        "presign-size-out-of-range",
        "The upload is 262145 bytes; this form's policy accepts at most 262144 \
         (content-length-range)",
        "Ask for a form whose content-length-range fits this spec, or split the backfill.",
    );
    let too_small = finding(
        Severity::Error,
        "presign-size-out-of-range",
        "The upload is 0 bytes; this form's policy needs at least 1 (content-length-range)",
        "Ask for a form whose content-length-range fits this spec, or split the backfill.",
    );
    for (target, len, expected) in [
        (&post, 262_144, None),
        (&post, 1, None),
        (&post, 262_145, Some(too_large)),
        (&post, 0, Some(too_small)),
        (&free_post, u64::MAX, None),
    ] {
        assert_eq!(target.size_finding(len), expected, "{len}");
    }
}

#[test]
fn times_and_durations_in_words() {
    for (secs, text) in [
        (0, "0 s"),
        (59, "59 s"),
        (-59, "59 s"),
        (60, "1 min"),
        (252, "4 min 12 s"),
        (3600, "1 h"),
        (7380, "2 h 3 min"),
        (7399, "2 h 3 min"),
        (86_400 * 3 + 3600 * 4 + 1, "3 d 4 h"),
        (86_400 * 400, "400 d"),
        (i64::MIN, "106751991167300 d 15 h"),
    ] {
        assert_eq!(duration_text(secs), text, "{secs}");
    }
    assert_eq!(rfc3339(1_795_885_323_456), "2026-11-28T17:02:03Z");
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(utc_text(1_795_885_323), "2026-11-28 17:02:03 UTC");
    assert_eq!(utc_text(951_825_600), "2000-02-29 12:00:00 UTC");
}

const EXPIRED_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires><Expires>2026-11-28T17:54:54Z</Expires><ServerTime>2026-11-28T18:00:01Z</ServerTime><RequestId>6H4N2Y8QFJZ1V0CE</RequestId><HostId>q5dbkGDWZ3w9n2aV8XQy1mCt4L0eR7sJ+UhPfXo6iYkT3bNzA=</HostId></Error>";

const SIGNATURE_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>ASIAEXAMPLEEXAMPLE12</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n20261128T165454Z\n20261128/eu-west-1/s3/aws4_request\n0d6b4c5e</StringToSign><SignatureProvided>219b3b04</SignatureProvided><StringToSignBytes>41 57 53 34</StringToSignBytes><CanonicalRequest>PUT\n/a.json\nX-Amz-Algorithm=AWS4-HMAC-SHA256&amp;X-Amz-Expires=900\ncontent-type:text/plain;charset=UTF-8\nhost:acme-backfills.s3.eu-west-1.amazonaws.com\n\ncontent-type;host\nUNSIGNED-PAYLOAD</CanonicalRequest><CanonicalRequestBytes>50 55 54</CanonicalRequestBytes><RequestId>K2H6N9Y1QF0Z3V8C</RequestId><HostId>Zm9vYmFy</HostId></Error>";

const POLICY_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$Content-Type&quot;, &quot;application/json&quot;]</Message><RequestId>A1B2C3D4E5F6G7H8</RequestId><HostId>aG9zdA==</HostId></Error>";

fn s3_error(code: &str, message: &str, details: &[(&str, &str)]) -> S3Error {
    S3Error {
        code: code.into(),
        message: message.into(),
        details: pairs(details),
    }
}

#[test]
fn s3_error_bodies_are_read_whole() {
    let cases: Vec<(&str, Option<S3Error>)> = vec![
        (
            EXPIRED_XML,
            Some(s3_error(
                "AccessDenied",
                "Request has expired",
                &[
                    ("X-Amz-Expires", "3600"),
                    ("Expires", "2026-11-28T17:54:54Z"),
                    ("ServerTime", "2026-11-28T18:00:01Z"),
                    ("RequestId", "6H4N2Y8QFJZ1V0CE"),
                    (
                        "HostId",
                        "q5dbkGDWZ3w9n2aV8XQy1mCt4L0eR7sJ+UhPfXo6iYkT3bNzA=",
                    ),
                ],
            )),
        ),
        (
            SIGNATURE_XML,
            Some(s3_error(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. \
                 Check your key and signing method.",
                &[
                    ("AWSAccessKeyId", "ASIAEXAMPLEEXAMPLE12"),
                    (
                        "StringToSign",
                        "AWS4-HMAC-SHA256\n20261128T165454Z\n20261128/eu-west-1/s3/aws4_request\n0d6b4c5e",
                    ),
                    ("SignatureProvided", "219b3b04"),
                    ("StringToSignBytes", "41 57 53 34"),
                    (
                        "CanonicalRequest",
                        "PUT\n/a.json\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900\n\
                         content-type:text/plain;charset=UTF-8\n\
                         host:acme-backfills.s3.eu-west-1.amazonaws.com\n\ncontent-type;host\n\
                         UNSIGNED-PAYLOAD",
                    ),
                    ("CanonicalRequestBytes", "50 55 54"),
                    ("RequestId", "K2H6N9Y1QF0Z3V8C"),
                    ("HostId", "Zm9vYmFy"),
                ],
            )),
        ),
        (
            POLICY_XML,
            Some(s3_error(
                "AccessDenied",
                "Invalid according to Policy: Policy Condition failed: [\"eq\", \
                 \"$Content-Type\", \"application/json\"]",
                &[("RequestId", "A1B2C3D4E5F6G7H8"), ("HostId", "aG9zdA==")],
            )),
        ),
        (
            // local-s3's body, and the pretty-printed shape with an empty element.
            "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
            Some(s3_error("AccessDenied", "Request has expired", &[])),
        ),
        (
            "<Error>\n  <Code>NoSuchBucket</Code>\n  <Message>The specified bucket does not exist</Message>\n  <BucketName>acme-backfills</BucketName>\n  <Key/>\n</Error>\n",
            Some(s3_error(
                "NoSuchBucket",
                "The specified bucket does not exist",
                &[("BucketName", "acme-backfills"), ("Key", "")],
            )),
        ),
        ("", None),
        ("<html><body>502 Bad Gateway</body></html>", None),
        ("<Error><Message>no code</Message></Error>", None),
        ("<Error><Code>InternalError</Code><Message>cut sh", None),
        ("<Error><Code>X</Code><Message>a</Wrong></Error>", None),
    ];
    for (body, expected) in cases {
        assert_eq!(parse_error(body), expected, "{body}");
    }
}

fn explanation(title: &str, detail: &str, next: &str, retry: bool) -> Explanation {
    Explanation {
        title: title.into(),
        detail: detail.into(),
        next: next.into(),
        retry,
    }
}

const ASK_AGAIN: &str = "Ask for a new presigned URL, paste it above and upload again.";
const COPY_AGAIN: &str = "Copy the whole URL again, or ask for a new one, and upload again.";
const SIGNATURE_NEXT: &str = "Ask for a URL presigned with ContentType application/json (or \
    copy the whole URL again), paste it above and upload again.";
const RETRY_NEXT: &str = "Upload again in a few seconds: the same URL works until it expires.";

#[test]
fn failed_answers_are_explained() {
    let body = |code: &str, message: &str| {
        format!(
            "<Error><Code>{code}</Code><Message>{message}</Message><RequestId>R</RequestId></Error>"
        )
    };
    let cases: Vec<(u16, String, Option<&str>, Explanation)> = vec![
        (
            403,
            EXPIRED_XML.into(),
            Some("application/json"),
            explanation(
                "The presigned URL has expired",
                "S3 answered 403 AccessDenied: Request has expired. It was valid until \
                 2026-11-28T17:54:54Z; S3's clock read 2026-11-28T18:00:01Z. A presigned URL \
                 works only until its expiry and cannot be extended.",
                ASK_AGAIN,
                false,
            ),
        ),
        (
            403,
            body("AccessDenied", "Request has expired"),
            None,
            explanation(
                "The presigned URL has expired",
                "S3 answered 403 AccessDenied: Request has expired. A presigned URL works only \
                 until its expiry and cannot be extended.",
                ASK_AGAIN,
                false,
            ),
        ),
        (
            403,
            SIGNATURE_XML.into(),
            Some("application/json"),
            explanation(
                "S3 did not accept the signature",
                "S3 answered 403 SignatureDoesNotMatch: The request signature we calculated does \
                 not match the signature you provided. Check your key and signing method. Usually \
                 the URL was presigned for another Content-Type than the one sent: this app sent \
                 Content-Type application/json, and the URL must be presigned for exactly that \
                 (boto3: Params={..., \"ContentType\": \"application/json\"}). Otherwise the URL \
                 was altered or cut short when it was copied.",
                SIGNATURE_NEXT,
                false,
            ),
        ),
        (
            403,
            body("SignatureDoesNotMatch", ""),
            None,
            explanation(
                "S3 did not accept the signature",
                "S3 answered 403 SignatureDoesNotMatch. Usually the URL was presigned for another \
                 Content-Type than the one sent: this app sent no Content-Type, and the URL must \
                 be presigned for exactly that (boto3: Params={..., \"ContentType\": \
                 \"application/json\"}). Otherwise the URL was altered or cut short when it was \
                 copied.",
                SIGNATURE_NEXT,
                false,
            ),
        ),
        (
            403,
            POLICY_XML.into(),
            None,
            explanation(
                "The form does not satisfy its policy",
                "S3 answered 403 AccessDenied: Invalid according to Policy: Policy Condition \
                 failed: [\"eq\", \"$Content-Type\", \"application/json\"]. S3 checked the form \
                 against its policy and the condition named above failed: the form was edited, or \
                 the spec is outside the policy's size range.",
                "Ask for a new presigned POST form for this key, paste it above and upload again.",
                false,
            ),
        ),
        (
            403,
            body("AccessDenied", "Access Denied"),
            Some("application/json"),
            explanation(
                "S3 denied access",
                "S3 answered 403 AccessDenied: Access Denied. The identity that signed the URL may \
                 lack s3:PutObject on this bucket and key (its IAM policy, the bucket policy or, \
                 with SSE-KMS, the KMS key decide), or a POST form does not satisfy its policy.",
                "Ask whoever made the URL to check the signer's permissions for this bucket and \
                 key, then presign a new one.",
                false,
            ),
        ),
        (
            403,
            body(
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
            ),
            None,
            explanation(
                "S3 does not know the access key that signed the URL",
                "S3 answered 403 InvalidAccessKeyId: The AWS Access Key Id you provided does not \
                 exist in our records. The key was deleted or deactivated, or it belongs to \
                 another AWS partition or another S3 endpoint.",
                "Ask for a URL signed with valid credentials.",
                false,
            ),
        ),
        (
            400,
            body("ExpiredToken", "The provided token has expired."),
            None,
            explanation(
                "The credentials that signed the URL have expired",
                "S3 answered 400 ExpiredToken: The provided token has expired. The URL was signed \
                 with temporary credentials (a role session): it stops working when they expire, \
                 even before X-Amz-Expires runs out.",
                "Ask for a new URL signed with credentials that last as long as the URL should.",
                false,
            ),
        ),
        (
            400,
            body(
                "InvalidToken",
                "The provided token is malformed or otherwise invalid.",
            ),
            None,
            explanation(
                "The URL's security token is not valid",
                "S3 answered 400 InvalidToken: The provided token is malformed or otherwise \
                 invalid. X-Amz-Security-Token was altered or cut short when the URL was copied, \
                 or it does not belong to the access key.",
                COPY_AGAIN,
                false,
            ),
        ),
        (
            400,
            body(
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size",
            ),
            None,
            explanation(
                "The spec is larger than the form allows",
                "S3 answered 400 EntityTooLarge: Your proposed upload exceeds the maximum allowed \
                 size. The form's policy limits the size of the upload (content-length-range).",
                "Ask for a form that allows a larger upload, or split the backfill.",
                false,
            ),
        ),
        (
            400,
            body(
                "AuthorizationQueryParametersError",
                "X-Amz-Expires must be less than a week (in seconds) that is 604800",
            ),
            None,
            explanation(
                "The URL's signature parameters are malformed",
                "S3 answered 400 AuthorizationQueryParametersError: X-Amz-Expires must be less \
                 than a week (in seconds) that is 604800. An X-Amz-* parameter is wrong: an expiry \
                 over 7 days, a credential for another region, or a part lost when the URL was \
                 copied.",
                COPY_AGAIN,
                false,
            ),
        ),
        (
            400,
            body("InvalidArgument", "Invalid Argument"),
            None,
            explanation(
                "S3 refused the request",
                "S3 answered 400 InvalidArgument: Invalid Argument.",
                "Fix what S3 names above, or ask for a new URL, and upload again.",
                false,
            ),
        ),
        (
            404,
            body("NoSuchBucket", "The specified bucket does not exist"),
            None,
            explanation(
                "The bucket does not exist",
                "S3 answered 404 NoSuchBucket: The specified bucket does not exist. The URL names \
                 a bucket that was deleted or misspelt, or it was made for another endpoint.",
                "Ask for a URL for an existing bucket.",
                false,
            ),
        ),
        (
            500,
            body(
                "InternalError",
                "We encountered an internal error. Please try again.",
            ),
            None,
            explanation(
                "S3 had a problem",
                "S3 answered 500 InternalError: We encountered an internal error. Please try \
                 again. The upload was not stored; sending it again is safe.",
                RETRY_NEXT,
                true,
            ),
        ),
        (
            503,
            body("SlowDown", "Please reduce your request rate."),
            None,
            explanation(
                "S3 asks to try again",
                "S3 answered 503 SlowDown: Please reduce your request rate. The request was not \
                 stored; sending it again is safe.",
                RETRY_NEXT,
                true,
            ),
        ),
        (
            502,
            "<html>Bad Gateway</html>".into(),
            None,
            explanation(
                "S3 had a problem",
                "S3 answered 502. The upload was not stored; sending it again is safe.",
                RETRY_NEXT,
                true,
            ),
        ),
        (
            301,
            body(
                "PermanentRedirect",
                "The bucket you are attempting to access must be addressed using the specified \
                 endpoint. Please send all future requests to this endpoint.",
            ),
            None,
            explanation(
                "The upload failed",
                "S3 answered 301 PermanentRedirect: The bucket you are attempting to access must \
                 be addressed using the specified endpoint. Please send all future requests to \
                 this endpoint.",
                "Check the URL and the bucket, or ask whoever made the URL.",
                false,
            ),
        ),
        (
            405,
            "".into(),
            None,
            explanation(
                "The upload failed",
                "S3 answered 405.",
                "Check the URL and the bucket, or ask whoever made the URL.",
                false,
            ),
        ),
    ];
    for (status, body, sent, expected) in cases {
        let error = parse_error(&body);
        assert_eq!(
            explain(status, error.as_ref(), sent),
            expected,
            "{status} {body}"
        );
    }
}

#[test]
fn the_cors_rule_is_the_json_the_aws_cli_takes() {
    assert_eq!(
        cors_rule("https://backfills.example.com/"),
        r#"{
  "CORSRules": [
    {
      "AllowedOrigins": [
        "https://backfills.example.com"
      ],
      "AllowedMethods": [
        "PUT",
        "POST"
      ],
      "AllowedHeaders": [
        "content-type"
      ],
      "ExposeHeaders": [
        "ETag"
      ],
      "MaxAgeSeconds": 3000
    }
  ]
}"#
    );
    let hostile = "http://a\"b\\c\u{1}";
    let parsed: serde_json::Value = serde_json::from_str(&cors_rule(hostile)).unwrap();
    assert_eq!(parsed["CORSRules"][0]["AllowedOrigins"][0], hostile);
}

/// Texts that have broken hand-written readers elsewhere: brackets, escapes, numbers at the
/// edges of their types, policies that are JSON but not a policy.
fn junk() -> Vec<String> {
    let form = |policy_json: &str| {
        // A policy of 3-byte groups only needs no padding; base64 by hand for the test.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut padded = policy_json.to_owned();
        while !padded.len().is_multiple_of(3) {
            padded.push(' ');
        }
        let mut b64 = String::new();
        for chunk in padded.as_bytes().chunks(3) {
            let n = u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]);
            for shift in [18, 12, 6, 0] {
                b64.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            }
        }
        format!(
            "{{\"url\": \"https://b.s3.amazonaws.com/\", \"fields\": {{\"key\": \"${{filename}}\", \"policy\": \"{b64}\", \"Content-Type\": \"text/plain\"}}}}"
        )
    };
    let mut texts: Vec<String> = [
        "{",
        "}",
        "[",
        "{}",
        "[]",
        "http://",
        "https://[",
        "https://[::1",
        "https://]",
        "https://@",
        "https://:1",
        "https://h:99999999999999999999/b/k",
        "https://h/%",
        "https://h/b/%E",
        "?&&==",
        "https://h/b/k?&&==&X-Amz-Date=&X-Amz-Expires=-1&X-Amz-Credential=////",
        "https://h/b/k?X-Amz-Date=99991231T235959Z&X-Amz-Expires=999999999999999999",
        "https://h/b/k?X-Amz-Date=00000101T000000Z&X-Amz-Expires=1&X-Amz-SignedHeaders=;;%3B",
        "https://h/b/k?Expires=-99999999999999999999&Signature=x",
        "https://h/b/k?Expires=999999999999999999&AWSAccessKeyId=é",
        "https://é.s3.amazonaws.com/k",
        "https://.s3.amazonaws.com/k",
        "https://s3.amazonaws.com",
        "{\"url\": 1, \"fields\": []}",
        "{\"url\": \"https://x\", \"fields\": {\"policy\": \"!!!\"}}",
        "{\"url\": \"https://x\", \"fields\": {\"policy\": \"====\"}}",
        "\u{0}",
        "\u{feff}",
        "'",
        "''",
        "\"https://h/b/k\"",
        "{'url': 'https://h', 'fields': {'a': !!binary aGk=}}",
        "{\"url\": \"https://h\", \"fields\": {\"a\": &x 1, \"b\": *x}}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.push("{".repeat(10_000));
    texts.push(format!("https://h/b/k?{}", "X-Amz-Date=1&".repeat(10_000)));
    for policy in [
        "{\"expiration\": \"9999-12-31T23:59:59.999999999999Z\", \"conditions\": [1, [], [\"content-length-range\"], [\"eq\"], [\"starts-with\", \"$key\"], {\"a\": []}, [\"content-length-range\", -1, 99999999999999999999]]}",
        "{\"expiration\": [], \"conditions\": {}}",
        "{\"conditions\": [[\"starts-with\", \"$Content-Type\", \"\"], [\"eq\", \"$key\", \"${filename}\"]]}",
        "[1, 2]",
        "\"text\"",
    ] {
        texts.push(form(policy));
    }
    texts
}

#[test]
fn no_input_panics_every_prefix_of_every_fixture_and_junk() {
    let mut inputs: Vec<String> = Vec::new();
    let whole: Vec<String> = fixtures()
        .into_iter()
        .map(|(text, _)| text)
        .chain(junk())
        .chain([EXPIRED_XML, SIGNATURE_XML, POLICY_XML].map(String::from))
        .collect();
    for text in &whole {
        if text.len() > 5_000 {
            inputs.push(text.clone());
            continue;
        }
        for (at, _) in text.char_indices() {
            inputs.push(text[..at].to_owned());
        }
        inputs.push(text.clone());
    }
    assert!(inputs.len() > 5_000, "{}", inputs.len());
    for text in &inputs {
        if let Ok(Some(target)) = read(text) {
            for now in [i64::MIN, 0, SIGNED, i64::MAX] {
                target.can_send_at(now);
            }
            target.key_for("a.json");
            target.content_type_to_send();
            target.size_finding(u64::MAX);
        }
        let error = parse_error(text);
        explain(403, error.as_ref(), Some(text));
    }
}

/// Every presign code is kebab-case and documented in docs/rules.md, as the lint's are
/// (tests/lint.rs). Read from the sources, so that a code no case above reaches is checked too.
#[test]
fn every_code_is_documented() {
    let root = env!("CARGO_MANIFEST_DIR");
    let docs = fs::read_to_string(format!("{root}/../../docs/rules.md")).unwrap();
    let mut sources = vec![fs::read_to_string(format!("{root}/src/presign.rs")).unwrap()];
    for entry in fs::read_dir(format!("{root}/src/presign")).unwrap() {
        sources.push(fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let mut codes: Vec<&str> = sources
        .iter()
        .flat_map(|source| source.split("\"presign-").skip(1))
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    codes.sort_unstable();
    codes.dedup();
    assert!(codes.len() > 20, "{codes:?}");
    for code in codes {
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "presign-{code} is not kebab-case"
        );
        assert!(
            docs.contains(&format!("### `presign-{code}`")),
            "presign-{code} is not documented in docs/rules.md"
        );
    }
}
