//! What a pasted target or an answer can do when whoever made it means harm, table-driven:
//!
//! - send the spec elsewhere: every host → the warning it gets before sending (none for AWS
//!   S3's endpoints, this computer and the catalog's `upload.allowed_hosts`), look-alikes
//!   included;
//! - cost time or memory: forms with more fields or policy conditions than are read, error
//!   answers longer than is read, entities that once made decoding quadratic.

use backfill_spec::presign::{MAX_ERROR_ANSWER, S3Error, Target, parse_error, read};
use backfill_spec::{Diagnostic, Severity, Span};

/// 2026-11-28 16:54:54 UTC.
const NOW: i64 = 1_795_884_894;

fn target(text: &str) -> Target {
    match read(text) {
        Ok(Some(target)) => target,
        other => panic!("{text}: {other:?}"),
    }
}

/// The host's finding among all of a target's.
fn host_findings(target: &Target, allowed: &[String]) -> Vec<Diagnostic> {
    target
        .findings_at(NOW, allowed)
        .into_iter()
        .filter(|f| f.message.starts_with("The spec is about to go to "))
        .collect()
}

/// The warning for `shown` (the host, non-ASCII letters as `\u{…}`).
fn warning(shown: &str) -> Vec<Diagnostic> {
    let mut message = format!(
        "The spec is about to go to {shown}, which is not an AWS S3 endpoint (*.amazonaws.com), \
         this computer, or a host this site's catalog allows"
    );
    if shown.contains("\\u{") {
        message.push_str(
            "; its name holds characters outside ASCII (shown as \\u{…}), which can imitate a \
             familiar name",
        );
    }
    vec![
        Diagnostic::new(
            Severity::Warning,
            "presign-unexpected-host",
            message,
            Span::default(),
        )
        .with_hint(format!(
            "Upload only if you trust {shown}: whoever runs it receives the spec. If it is your \
             own S3-compatible endpoint, list it in the catalog's upload.allowed_hosts and this \
             warning goes away."
        )),
    ]
}

const QUIET: &str = "";

#[test]
fn hosts_other_than_s3_this_computer_and_the_allowed_ones_are_warned_about() {
    // (what is pasted, the catalog's allowed hosts, the host warned about or QUIET)
    let cases: &[(&str, &[&str], &str)] = &[
        // AWS S3, every endpoint form.
        ("https://s3.amazonaws.com/b/k", &[], QUIET),
        ("https://b.s3.amazonaws.com/k", &[], QUIET),
        ("https://my.bucket.s3.eu-west-1.amazonaws.com/k", &[], QUIET),
        ("https://b.s3-eu-west-1.amazonaws.com/k", &[], QUIET),
        ("https://s3-external-1.amazonaws.com/b/k", &[], QUIET),
        (
            "https://b.s3.dualstack.eu-west-1.amazonaws.com/k",
            &[],
            QUIET,
        ),
        (
            "https://s3-fips.dualstack.us-gov-west-1.amazonaws.com/b/k",
            &[],
            QUIET,
        ),
        (
            "https://ap-123456789012.s3-accesspoint.eu-west-1.amazonaws.com/k",
            &[],
            QUIET,
        ),
        (
            "https://ap-1.s3-accesspoint.dualstack.eu-west-1.amazonaws.com/k",
            &[],
            QUIET,
        ),
        (
            "https://b.s3-accelerate.dualstack.amazonaws.com/k",
            &[],
            QUIET,
        ),
        (
            "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/k",
            &[],
            QUIET,
        ),
        (
            "https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/k",
            &[],
            QUIET,
        ),
        (
            "https://b.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com/k",
            &[],
            QUIET,
        ),
        ("https://b.s3.cn-north-1.amazonaws.com.cn/k", &[], QUIET),
        ("https://s3.cn-northwest-1.amazonaws.com.cn/b/k", &[], QUIET),
        // Upper case, a port, userinfo and one trailing dot (the same name in DNS) change
        // nothing.
        ("HTTPS://My.Bucket.S3.EU-WEST-1.AmazonAWS.COM/k", &[], QUIET),
        ("https://user:secret@b.s3.amazonaws.com:443/k", &[], QUIET),
        ("https://s3.amazonaws.com./b/k", &[], QUIET),
        ("https://b.s3.eu-west-1.amazonaws.com.:443/k", &[], QUIET),
        // This computer.
        ("http://127.0.0.1:9000/b/k", &[], QUIET),
        ("http://127.1.2.3/b/k", &[], QUIET),
        ("http://localhost:9000/b/k", &[], QUIET),
        ("http://LOCALHOST./b/k", &[], QUIET),
        ("http://[::1]:9000/b/k", &[], QUIET),
        // The catalog's.
        (
            "https://minio.example.com/b/k",
            &["minio.example.com"],
            QUIET,
        ),
        (
            "https://MinIO.Example.COM./b/k",
            &["minio.example.com"],
            QUIET,
        ),
        (
            "https://u@minio.example.com:9000/b/k",
            &["minio.example.com"],
            QUIET,
        ),
        (
            "https://a.b.example.com/k",
            &["other.net", "*.example.com"],
            QUIET,
        ),
        ("https://10.0.0.5:9000/b/k", &["10.0.0.5"], QUIET),
        // Look-alikes: the S3 name is not where the request goes.
        (
            "https://s3.amazonaws.com.evil.net/b/k",
            &[],
            "s3.amazonaws.com.evil.net",
        ),
        (
            "https://b.s3.amazonaws.com.cn.evil.net/k",
            &[],
            "b.s3.amazonaws.com.cn.evil.net",
        ),
        ("https://s3.amazonaws.com@evil.net/b/k", &[], "evil.net"),
        ("https://b.s3.amazonaws.com:443@evil.net/k", &[], "evil.net"),
        ("https://evil.net\\@s3.amazonaws.com/b/k", &[], "evil.net"),
        ("https://evil.net/s3.amazonaws.com/k", &[], "evil.net"),
        ("https://evil.net?s3.amazonaws.com", &[], "evil.net"),
        ("https://s3.amazonaws.com../b/k", &[], "s3.amazonaws.com.."),
        ("https://amazonaws.com/b/k", &[], "amazonaws.com"),
        (
            "https://s3.notamazonaws.com/b/k",
            &[],
            "s3.notamazonaws.com",
        ),
        ("https://s3-amazonaws.com/b/k", &[], "s3-amazonaws.com"),
        ("https://s3.amazonaws.co/b/k", &[], "s3.amazonaws.co"),
        (
            "https://s3.amazonaws.com.cn.x/b/k",
            &[],
            "s3.amazonaws.com.cn.x",
        ),
        // Under amazonaws.com but anyone's: a load balancer named `s3`, an EC2 instance, an
        // API, a PrivateLink service.
        (
            "https://s3-1234567890.us-east-1.elb.amazonaws.com/b/k",
            &[],
            "s3-1234567890.us-east-1.elb.amazonaws.com",
        ),
        (
            "https://ec2-203-0-113-25.compute-1.amazonaws.com/b/k",
            &[],
            "ec2-203-0-113-25.compute-1.amazonaws.com",
        ),
        (
            "https://abc123.execute-api.us-east-1.amazonaws.com/s3/k",
            &[],
            "abc123.execute-api.us-east-1.amazonaws.com",
        ),
        (
            "https://vpce-0123-abcd.vpce-svc-0123.us-east-1.vpce.amazonaws.com/b/k",
            &[],
            "vpce-0123-abcd.vpce-svc-0123.us-east-1.vpce.amazonaws.com",
        ),
        (
            "https://s3.vpce.amazonaws.com/b/k",
            &[],
            "s3.vpce.amazonaws.com",
        ),
        // IDN: a Cyrillic `а` (U+0430), punycode.
        (
            "https://s3.am\u{430}zonaws.com/b/k",
            &[],
            "s3.am\\u{430}zonaws.com",
        ),
        (
            "https://b.s3.amazonaws.com\u{3002}evil.net/k",
            &[],
            "b.s3.amazonaws.com\\u{3002}evil.net",
        ),
        (
            "https://s3.xn--amazonaws-9hd.com/b/k",
            &[],
            "s3.xn--amazonaws-9hd.com",
        ),
        (
            "https://xn--s3-lmc.amazonaws.com/b/k",
            &[],
            "xn--s3-lmc.amazonaws.com",
        ),
        // IP literals other than loopback; a browser reads 0x7f.0.0.1 as 127.0.0.1, but only
        // the plain dotted form is taken for it (a warning too many, never one too few).
        ("http://10.0.0.1:9000/b/k", &[], "10.0.0.1"),
        ("http://127.0.0.256/b/k", &[], "127.0.0.256"),
        ("http://0x7f.0.0.1/b/k", &[], "0x7f.0.0.1"),
        ("http://[::2]/b/k", &[], "[::2]"),
        ("http://[::ffff:127.0.0.1]/b/k", &[], "[::ffff:127.0.0.1]"),
        ("http://127.0.0.1.nip.io/b/k", &[], "127.0.0.1.nip.io"),
        ("http://localhost.evil.net/b/k", &[], "localhost.evil.net"),
        // An S3-compatible endpoint the catalog does not list, or lists otherwise.
        ("https://minio.example.com/b/k", &[], "minio.example.com"),
        ("https://example.com/b/k", &["*.example.com"], "example.com"),
        (
            "https://evil-example.com/b/k",
            &["*.example.com"],
            "evil-example.com",
        ),
        (
            "https://evilminio.example.com/b/k",
            &["minio.example.com"],
            "evilminio.example.com",
        ),
        (
            "https://minio.example.com.evil.net/b/k",
            &["minio.example.com"],
            "minio.example.com.evil.net",
        ),
    ];
    for &(url, allowed, warned) in cases {
        let allowed: Vec<String> = allowed.iter().map(|h| h.to_string()).collect();
        let expected = if warned.is_empty() {
            vec![]
        } else {
            warning(warned)
        };
        assert_eq!(host_findings(&target(url), &allowed), expected, "{url}");
        // The warning never stops the upload: what may be sent does not depend on the hosts.
        let pasted = target(url);
        let errors =
            |findings: Vec<Diagnostic>| findings.iter().any(|f| f.severity == Severity::Error);
        assert_eq!(
            pasted.can_send_at(NOW),
            !errors(pasted.findings_at(NOW, &[])),
            "{url}"
        );
    }
}

#[test]
fn a_post_form_is_warned_about_by_its_url() {
    let form = |url: &str| format!("{{\"url\": \"{url}\", \"fields\": {{\"key\": \"k\"}}}}");
    assert_eq!(
        host_findings(&target(&form("https://s3.amazonaws.com.evil.net/b")), &[]),
        warning("s3.amazonaws.com.evil.net")
    );
    assert_eq!(
        host_findings(&target(&form("https://b.s3.amazonaws.com/")), &[]),
        vec![]
    );
}

/// Standard base64 with padding, for policies made here.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (0..3).fold(0u32, |n, i| n << 8 | u32::from(*chunk.get(i).unwrap_or(&0)));
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[(n >> shift & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}

/// A SigV4 form with `extra` fields named `x-ignore-N` (S3 does not check those against the
/// policy) and a policy of `conditions`.
fn form(extra: usize, conditions: &[serde_json::Value]) -> String {
    let policy = serde_json::json!({
        "expiration": "2026-11-28T17:54:54Z",
        "conditions": conditions,
    });
    let mut fields = serde_json::json!({
        "key": "k",
        "x-amz-algorithm": "AWS4-HMAC-SHA256",
        "x-amz-credential": "AKID/20261128/us-east-1/s3/aws4_request",
        "x-amz-date": "20261128T165454Z",
        "policy": base64(policy.to_string().as_bytes()),
        "x-amz-signature": "0".repeat(64),
    });
    for i in 0..extra {
        fields[format!("x-ignore-{i}")] = "v".into();
    }
    serde_json::json!({"url": "https://b.s3.amazonaws.com/", "fields": fields}).to_string()
}

fn too_many(message: &str) -> Diagnostic {
    Diagnostic::new(
        Severity::Error,
        "presign-too-many-parts",
        message,
        Span::default(),
    )
    .with_hint(
        "boto3's generate_presigned_post makes about ten: copy its whole output again, or ask \
         for a new form.",
    )
}

#[test]
fn forms_are_read_up_to_100_fields_and_100_policy_conditions() {
    let key = |i: usize| serde_json::json!(["starts-with", format!("$x-amz-meta-{i}"), ""]);
    let listed: Vec<serde_json::Value> = (0..150).map(key).collect();
    let mut one_map = serde_json::Map::new();
    for i in 0..150 {
        one_map.insert(format!("x-amz-meta-{i}"), "".into());
    }
    let base = [
        serde_json::json!({"bucket": "b"}),
        serde_json::json!(["eq", "$key", "k"]),
    ];
    // (name, the form, the finding about its size, fields kept, conditions read)
    let cases: Vec<(&str, String, Option<Diagnostic>, usize, usize)> = vec![
        ("a boto3-sized form", form(0, &base), None, 6, 2),
        ("94 + 6 = 100 fields", form(94, &base), None, 100, 2),
        (
            "101 fields",
            form(95, &base),
            Some(too_many(
                "The form has 101 fields, more than the 100 this app reads: those beyond are not \
                 checked",
            )),
            100,
            2,
        ),
        (
            "10,000 fields",
            form(9_994, &base),
            Some(too_many(
                "The form has 10000 fields, more than the 100 this app reads: those beyond are \
                 not checked",
            )),
            100,
            2,
        ),
        ("100 conditions", form(0, &listed[..100]), None, 6, 100),
        (
            "150 conditions, listed",
            form(0, &listed),
            Some(too_many(
                "The form's policy has 150 conditions, more than the 100 this app reads: those \
                 beyond are not checked",
            )),
            6,
            100,
        ),
        (
            "150 conditions in one mapping, after 2",
            form(0, &[base[0].clone(), base[1].clone(), one_map.into()]),
            Some(too_many(
                "The form's policy has 152 conditions, more than the 100 this app reads: those \
                 beyond are not checked",
            )),
            6,
            100,
        ),
    ];
    for (name, text, expected, fields, conditions) in cases {
        let target = target(&text);
        let sized: Vec<&Diagnostic> = target
            .findings
            .iter()
            .filter(|f| f.message.contains("this app reads"))
            .collect();
        assert_eq!(sized, expected.iter().collect::<Vec<_>>(), "{name}");
        assert_eq!(target.fields.len(), fields, "{name}");
        // Each condition here names its own field.
        assert_eq!(target.signed_headers.len(), conditions, "{name}");
    }
}

fn s3_error(code: &str, message: &str, details: &[(&str, &str)]) -> S3Error {
    S3Error {
        code: code.into(),
        message: message.into(),
        details: details
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

#[test]
fn error_answers_are_read_up_to_64_kb() {
    assert_eq!(MAX_ERROR_ANSWER, 65_536);
    let pad = |n: usize| "a".repeat(n);
    // (name, the answer, what is read of it)
    let cases: Vec<(&str, String, Option<S3Error>)> = vec![
        (
            "1 MB of message after the code: the code is explained",
            format!(
                "<Error><Code>SlowDown</Code><RequestId>R</RequestId><Message>{}</Message></Error>",
                pad(1 << 20)
            ),
            Some(s3_error("SlowDown", "", &[("RequestId", "R")])),
        ),
        (
            "a whole answer, with 1 MB of anything after it",
            format!("<Error><Code>SlowDown</Code></Error>{}", pad(1 << 20)),
            Some(s3_error("SlowDown", "", &[])),
        ),
        (
            "the code after 64 KB: not an answer that can be read",
            format!(
                "<Error><Pad>{}</Pad><Code>SlowDown</Code></Error>",
                pad(MAX_ERROR_ANSWER)
            ),
            None,
        ),
        (
            "1 MB of `<Error>` before anything: not read past 64 KB",
            format!("{}<Code>SlowDown</Code></Error>", "<Error>".repeat(150_000)),
            None,
        ),
        (
            "the cut falls inside a two-byte letter",
            format!(
                "<Error><Code>X</Code><Message>a{}</Message></Error>",
                "é".repeat(MAX_ERROR_ANSWER)
            ),
            Some(s3_error("X", "", &[])),
        ),
        (
            "64 KB of `&` without `;`, within the limit: decoded in one pass",
            format!(
                "<Error><Code>X</Code><Message>{}</Message></Error>",
                "&".repeat(60_000)
            ),
            Some(s3_error("X", &"&".repeat(60_000), &[])),
        ),
        (
            "`&amp;` all the way to the cut",
            format!(
                "<Error><Code>X</Code><Message>a</Message><Detail>{}</Detail></Error>",
                "&amp;".repeat(200_000)
            ),
            Some(s3_error("X", "a", &[])),
        ),
    ];
    for (name, body, expected) in cases {
        assert_eq!(parse_error(&body), expected, "{name}");
    }
}
