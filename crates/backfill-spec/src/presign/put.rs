//! Presigned PUT URLs, read by hand (a URL crate would cost the bundle more than this):
//! SigV4 or legacy SigV2, path-style or virtual-hosted, AWS or any S3-compatible endpoint.

use super::{
    ContentType, Method, Target, cut_short, finding, number, parse_time, region_of,
    scheme_findings, signed_content_type,
};
use crate::{Diagnostic, Severity};

/// The parts of an `http(s)://` URL this module needs.
pub(super) struct Url<'a> {
    /// `http` or `https`, lowercase.
    pub scheme: &'static str,
    /// ASCII-lowercased; an IPv6 address keeps its brackets.
    pub host: String,
    /// `scheme://host[:port]`
    pub endpoint: String,
    pub path: &'a str,
    pub query: &'a str,
}

impl<'a> Url<'a> {
    /// None unless `text` is `http(s)://host[:port][/path][?query][#fragment]`.
    pub fn split(text: &'a str) -> Option<Url<'a>> {
        let (scheme, rest) = text.split_once("://")?;
        let scheme = ["https", "http"]
            .into_iter()
            .find(|s| s.eq_ignore_ascii_case(scheme))?;
        // A browser ends the authority at a backslash too: `https://evil.net\@s3.amazonaws.com`
        // goes to evil.net.
        let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
        let authority = rest[..end].rsplit('@').next().unwrap_or_default();
        let (host, port) = match authority.find(']') {
            Some(close) if authority.starts_with('[') => authority.split_at(close + 1),
            _ => authority.split_at(authority.rfind(':').unwrap_or(authority.len())),
        };
        // Letters outside ASCII are kept: a browser sends such a name (as punycode), so it is
        // read, and warned about as a look-alike (see `host`).
        let host_ok = host.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || !b.is_ascii()
                || matches!(b, b'-' | b'.' | b'_' | b'[' | b']' | b':')
        });
        let port_ok = port.is_empty() || port.strip_prefix(':').and_then(number).is_some();
        if host.is_empty() || !host_ok || !port_ok {
            return None;
        }
        let host = host.to_ascii_lowercase();
        let mut endpoint = String::from(scheme);
        endpoint.push_str("://");
        endpoint.push_str(&host);
        endpoint.push_str(port);
        let rest = &rest[end..];
        let rest = rest.split('#').next().unwrap_or_default();
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        Some(Url {
            scheme,
            host,
            endpoint,
            path,
            query,
        })
    }

    /// The bucket and the percent-decoded key: from a virtual-hosted AWS name
    /// (`bucket.s3.region.amazonaws.com/key`), else path-style (`/bucket/key`).
    pub fn bucket_and_key(&self) -> (String, String) {
        let path = self.path.strip_prefix('/').unwrap_or(self.path);
        if let Some(bucket) = virtual_hosted_bucket(&self.host) {
            return (bucket.to_owned(), percent_decode(path));
        }
        let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
        (percent_decode(bucket), percent_decode(key))
    }
}

/// `bucket.s3.amazonaws.com`, `bucket.s3.eu-west-1…`, `bucket.s3-eu-west-1…`,
/// `bucket.s3.dualstack.eu-west-1…`: what comes before the last `s3` or `s3-*` label.
/// Bucket names may hold dots, so it is the last such label, not the first.
fn virtual_hosted_bucket(host: &str) -> Option<&str> {
    let base = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))?;
    let mut at = None;
    let mut offset = 0;
    for label in base.split('.') {
        if label == "s3" || label.starts_with("s3-") {
            at = Some(offset);
        }
        offset += label.len() + 1;
    }
    at.filter(|&at| at > 0).map(|at| &base[..at - 1])
}

/// `%XX` → the byte; anything else as it is (`+` stays `+`: in a path it is a plus sign).
pub(super) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|&b| char::from(b).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (hex(i + 1), hex(i + 2))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

const SIGV4: [&str; 6] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
];
const SIGV2: [&str; 3] = ["AWSAccessKeyId", "Signature", "Expires"];
/// SigV4's longest expiry: 7 days.
const MAX_EXPIRES: i64 = 604_800;

/// `text` is the URL as pasted; `url` was split from it without its whitespace.
pub(super) fn read(text: &str, url: &Url) -> Target {
    let params: Vec<(String, String)> = url
        .query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect();
    // AWS spells the names one way; hand-made URLs sometimes lowercase them.
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let (bucket, key) = url.bucket_and_key();
    let mut findings = Vec::new();
    scheme_findings(url, &mut findings);
    if text.contains(char::is_whitespace) {
        findings.push(finding(
            Severity::Error,
            "presign-url-wrapped",
            "The URL contains spaces or line breaks: it was wrapped or edited when it was copied",
            "Copy the URL again, on one line.",
        ));
    }
    if key.is_empty() {
        findings.push(finding(
            Severity::Error,
            "presign-no-key",
            "The URL names no object key",
            "A presigned PUT URL is made for one object: \
             https://bucket.s3.region.amazonaws.com/path/to/key.json?X-Amz-…",
        ));
    }
    let mut target = Target {
        method: Method::Put,
        url: text.to_owned(),
        fields: Vec::new(),
        endpoint: url.endpoint.clone(),
        bucket,
        key,
        region: String::new(),
        signed_headers: Vec::new(),
        expires_at: None,
        signed_at: None,
        size_range: None,
        content_type: ContentType::Free,
        findings: Vec::new(),
    };
    if SIGV4.iter().any(|name| param(name).is_some()) {
        sigv4(&param, &mut target, &mut findings);
    } else if param("AWSAccessKeyId").is_some() || param("Signature").is_some() {
        missing(&SIGV2, &param, &mut findings);
        findings.push(finding(
            Severity::Warning,
            "presign-sigv2",
            "This URL has a legacy SigV2 signature: S3 regions opened since 2014 accept only \
             SigV4, and SigV2 signs the Content-Type too",
            "Presign with SigV4: boto3.client(\"s3\", config=Config(signature_version=\"s3v4\")).",
        ));
        target.expires_at = param("Expires").and_then(number);
        target.content_type = ContentType::SignedUnknown;
        findings.push(signed_content_type());
    } else {
        findings.push(finding(
            Severity::Error,
            "presign-unsigned",
            "This is not a presigned URL: it has no signature (X-Amz-Signature). Did you paste \
             the object's plain URL?",
            "Presign it, e.g. boto3: s3.generate_presigned_url(\"put_object\", Params={\"Bucket\": \
             …, \"Key\": …, \"ContentType\": \"application/json\"}, ExpiresIn=3600).",
        ));
    }
    target.findings = findings;
    target
}

fn sigv4<'p>(
    param: &impl Fn(&str) -> Option<&'p str>,
    target: &mut Target,
    findings: &mut Vec<Diagnostic>,
) {
    missing(&SIGV4, param, findings);
    if let Some(algorithm) = param("X-Amz-Algorithm")
        && algorithm != "AWS4-HMAC-SHA256"
    {
        findings.push(finding(
            Severity::Error,
            "presign-invalid-algorithm",
            "X-Amz-Algorithm is not AWS4-HMAC-SHA256, the only one S3 accepts",
            "Presign with SigV4 (AWS4-HMAC-SHA256).",
        ));
    }
    if let Some(signature) = param("X-Amz-Signature")
        && (signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        findings.push(finding(
            Severity::Error,
            "presign-invalid-signature",
            "X-Amz-Signature is not 64 hexadecimal digits: the URL was cut short or edited when \
             it was copied",
            "Copy the whole URL again.",
        ));
    }
    target.region = region_of(param("X-Amz-Credential"), findings);
    let date = param("X-Amz-Date");
    target.signed_at = date.and_then(parse_time);
    let expires = param("X-Amz-Expires");
    let seconds = expires.and_then(number);
    if (date.is_some() && target.signed_at.is_none()) || (expires.is_some() && seconds.is_none()) {
        findings.push(finding(
            Severity::Error,
            "presign-invalid-time",
            "X-Amz-Date or X-Amz-Expires cannot be read (expected e.g. 20261128T165454Z and \
             3600): the URL was edited",
            "Copy the whole URL again.",
        ));
    }
    if seconds.is_some_and(|s| s > MAX_EXPIRES) {
        findings.push(finding(
            Severity::Warning,
            "presign-expiry-too-long",
            "X-Amz-Expires is more than 7 days (604800 seconds): S3 refuses such a URL",
            "Presign with ExpiresIn of at most 604800.",
        ));
    }
    target.expires_at = target
        .signed_at
        .zip(seconds)
        .map(|(at, s)| at.saturating_add(s));
    target.signed_headers = param("X-Amz-SignedHeaders")
        .unwrap_or_default()
        .split(';')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    for header in &target.signed_headers {
        match header.as_str() {
            "host" => {}
            "content-type" => {
                target.content_type = ContentType::SignedUnknown;
                findings.push(signed_content_type());
            }
            _ => {
                let mut message = String::from("The URL signs header ");
                message.push_str(header);
                message.push_str(
                    " whose value is not in the URL; a browser upload cannot know it — presign \
                     without it",
                );
                findings.push(finding(
                    Severity::Error,
                    "presign-unsendable-header",
                    message,
                    "Presign with only Bucket, Key and ContentType in Params; set encryption or \
                     ACLs as bucket defaults instead.",
                ));
            }
        }
    }
}

/// An Error naming the query parameters of `names` the URL lacks.
fn missing<'p>(
    names: &[&str],
    param: &impl Fn(&str) -> Option<&'p str>,
    findings: &mut Vec<Diagnostic>,
) {
    cut_short(
        "The URL lacks ",
        names,
        &|n| param(n).is_some(),
        "Copy the whole URL again: a presigned URL ends with its signature.",
        findings,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_ports_and_buckets() {
        for (text, endpoint, bucket, key) in [
            (
                "https://b.s3.amazonaws.com/k",
                "https://b.s3.amazonaws.com",
                "b",
                "k",
            ),
            (
                "HTTPS://My.Bucket.S3.eu-west-1.amazonaws.com/a/b%20c+d",
                "https://my.bucket.s3.eu-west-1.amazonaws.com",
                "my.bucket",
                "a/b c+d",
            ),
            (
                "https://b.s3-eu-west-1.amazonaws.com/k",
                "https://b.s3-eu-west-1.amazonaws.com",
                "b",
                "k",
            ),
            (
                "https://b.s3.dualstack.eu-west-1.amazonaws.com/k",
                "https://b.s3.dualstack.eu-west-1.amazonaws.com",
                "b",
                "k",
            ),
            (
                "https://s3.eu-west-1.amazonaws.com/b/k/l",
                "https://s3.eu-west-1.amazonaws.com",
                "b",
                "k/l",
            ),
            (
                "https://b.s3.cn-north-1.amazonaws.com.cn/k",
                "https://b.s3.cn-north-1.amazonaws.com.cn",
                "b",
                "k",
            ),
            ("http://[::1]:9000/b/k?x#f", "http://[::1]:9000", "b", "k"),
            (
                "http://u:p@localhost:9000/b",
                "http://localhost:9000",
                "b",
                "",
            ),
            (
                "https://minio.example.com",
                "https://minio.example.com",
                "",
                "",
            ),
        ] {
            let url = Url::split(text).unwrap();
            assert_eq!(url.endpoint, endpoint, "{text}");
            assert_eq!(url.bucket_and_key(), (bucket.into(), key.into()), "{text}");
        }
        for text in [
            "ftp://x/y",
            "https://",
            "https://a b/k",
            "https://h:port/k",
            "https://h:/k",
        ] {
            assert!(Url::split(text).is_none(), "{text}");
        }
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("%C3%A9t%c3%a9%2B1+%zz%4"), "été+1+%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
    }
}
