//! After a failed upload: S3's XML error body, what it means and what to do next, and the
//! bucket CORS rule a refused cross-origin request asks for.

use crate::json_writer::{JsonWriter, Layout};

/// S3's XML error body: `<Error><Code>..</Code><Message>..</Message>...</Error>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Error {
    pub code: String,
    pub message: String,
    /// The other child elements in order (name, text), e.g. ("Expires", ...),
    /// ("ServerTime", ...), ("RequestId", ...).
    pub details: Vec<(String, String)>,
}

/// How much of an error answer is read, in bytes. S3's errors are under 2 KB (a signature
/// mismatch's, with its byte dumps, the longest); any other host may send without end.
pub const MAX_ERROR_ANSWER: usize = 64 * 1024;

/// None when the body is not an S3 error. Only its first [`MAX_ERROR_ANSWER`] bytes are read:
/// when the body is longer, the elements read whole before the cut are kept (a Code among
/// them is still explained). Entities are decoded; elements are read flat (S3's errors nest
/// none). Linear in what is read.
pub fn parse_error(body: &str) -> Option<S3Error> {
    let mut end = body.len().min(MAX_ERROR_ANSWER);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let (body, cut) = (&body[..end], end < body.len());
    let start = body.find("<Error>")? + "<Error>".len();
    let mut rest = &body[start..];
    let (mut code, mut message, mut details) = (None, String::new(), Vec::new());
    let whole = loop {
        rest = rest.trim_start();
        if rest.starts_with("</Error>") {
            break true;
        }
        let Some(element) = element(&mut rest) else {
            break false;
        };
        match element {
            ("Code", text) => code = Some(text),
            ("Message", text) => message = text,
            (name, text) => details.push((name.to_owned(), text)),
        }
    };
    // A malformed body is not S3's; one cut by the limit is read as far as it goes.
    if !whole && !cut {
        return None;
    }
    Some(S3Error {
        code: code?,
        message,
        details,
    })
}

/// The element at the start of `rest` (`<Name>text</Name>` or `<Name/>`): its name and
/// decoded text, with `rest` moved past it. None when it is not whole.
fn element<'a>(rest: &mut &'a str) -> Option<(&'a str, String)> {
    let open_end = rest.strip_prefix('<')?.find('>')? + 1;
    let name = &rest[1..open_end];
    if let Some(name) = name.strip_suffix('/') {
        *rest = &rest[open_end + 1..];
        return Some((name, String::new()));
    }
    let mut close = String::from("</");
    close.push_str(name);
    close.push('>');
    let inner = &rest[open_end + 1..];
    let len = inner.find(&close)?;
    *rest = &inner[len + close.len()..];
    Some((name, decode_entities(&inner[..len])))
}

/// The longest reference's name: `#x10FFFF` or `#1114111`, with a few leading zeros.
const MAX_ENTITY: usize = 10;

/// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` and numeric references; anything else as written.
/// Linear: the `;` of a reference is looked for only within [`MAX_ENTITY`] bytes of its `&`,
/// so text full of `&` without `;` is not scanned again for each one.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest
            .bytes()
            .take(MAX_ENTITY + 2)
            .position(|b| b == b';')
            .map(|end| (&rest[1..end], end));
        let decoded = entity.and_then(|(name, _)| match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let number = name.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (decoded, entity) {
            (Some(c), Some((_, end))) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a failed HTTP answer means and what to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub title: String,
    /// What S3 said (status, code, message, as given), then what it means.
    pub detail: String,
    pub next: String,
    /// Sending the same request again may work.
    pub retry: bool,
}

const COPY_AGAIN: &str = "Copy the whole URL again, or ask for a new one, and upload again.";
const ASK_AGAIN: &str = "Ask for a new presigned URL, paste it above and upload again.";

/// `status` and the parsed body (None when there was none); `sent_content_type` is the
/// Content-Type this app sent (None: none), for a signature mismatch.
pub fn explain(
    status: u16,
    error: Option<&S3Error>,
    sent_content_type: Option<&str>,
) -> Explanation {
    let code = error.map_or("", |e| e.code.as_str());
    let message = error.map_or("", |e| e.message.as_str());
    let detail_of = |name: &str| {
        error
            .and_then(|e| e.details.iter().find(|(n, _)| n == name))
            .map(|(_, v)| v.as_str())
    };
    let mut detail = String::from("S3 answered ");
    detail.push_str(&status.to_string());
    for (sep, part) in [(" ", code), (": ", message)] {
        if !part.is_empty() {
            detail.push_str(sep);
            detail.push_str(part);
        }
    }
    if !detail.ends_with('.') {
        detail.push('.');
    }
    detail.push(' ');
    let access_denied = code == "AccessDenied";
    let (title, meaning, next, retry): (&str, &str, &str, bool) = match code {
        _ if access_denied && message.contains("Request has expired") => {
            if let (Some(expires), Some(server)) = (detail_of("Expires"), detail_of("ServerTime")) {
                detail.push_str("It was valid until ");
                detail.push_str(expires);
                detail.push_str("; S3's clock read ");
                detail.push_str(server);
                detail.push_str(". ");
            }
            (
                "The presigned URL has expired",
                "A presigned URL works only until its expiry and cannot be extended.",
                ASK_AGAIN,
                false,
            )
        }
        "SignatureDoesNotMatch" => {
            detail.push_str(
                "Usually the URL was presigned for another Content-Type than the one sent: this \
                 app sent ",
            );
            match sent_content_type {
                Some(sent) => {
                    detail.push_str("Content-Type ");
                    detail.push_str(sent);
                }
                None => detail.push_str("no Content-Type"),
            }
            (
                "S3 did not accept the signature",
                ", and the URL must be presigned for exactly that (boto3: Params={..., \
                 \"ContentType\": \"application/json\"}). Otherwise the URL was altered or cut \
                 short when it was copied.",
                "Ask for a URL presigned with ContentType application/json (or copy the whole \
                 URL again), paste it above and upload again.",
                false,
            )
        }
        _ if access_denied && message.contains("Invalid according to Policy") => (
            "The form does not satisfy its policy",
            "S3 checked the form against its policy and the condition named above failed: the \
             form was edited, or the spec is outside the policy's size range.",
            "Ask for a new presigned POST form for this key, paste it above and upload again.",
            false,
        ),
        "AccessDenied" => (
            "S3 denied access",
            "The identity that signed the URL may lack s3:PutObject on this bucket and key (its \
             IAM policy, the bucket policy or, with SSE-KMS, the KMS key decide), or a POST form \
             does not satisfy its policy.",
            "Ask whoever made the URL to check the signer's permissions for this bucket and key, \
             then presign a new one.",
            false,
        ),
        "InvalidAccessKeyId" => (
            "S3 does not know the access key that signed the URL",
            "The key was deleted or deactivated, or it belongs to another AWS partition or \
             another S3 endpoint.",
            "Ask for a URL signed with valid credentials.",
            false,
        ),
        "ExpiredToken" => (
            "The credentials that signed the URL have expired",
            "The URL was signed with temporary credentials (a role session): it stops working \
             when they expire, even before X-Amz-Expires runs out.",
            "Ask for a new URL signed with credentials that last as long as the URL should.",
            false,
        ),
        "InvalidToken" => (
            "The URL's security token is not valid",
            "X-Amz-Security-Token was altered or cut short when the URL was copied, or it does \
             not belong to the access key.",
            COPY_AGAIN,
            false,
        ),
        "NoSuchBucket" => (
            "The bucket does not exist",
            "The URL names a bucket that was deleted or misspelt, or it was made for another \
             endpoint.",
            "Ask for a URL for an existing bucket.",
            false,
        ),
        "EntityTooLarge" => (
            "The spec is larger than the form allows",
            "The form's policy limits the size of the upload (content-length-range).",
            "Ask for a form that allows a larger upload, or split the backfill.",
            false,
        ),
        "AuthorizationQueryParametersError" => (
            "The URL's signature parameters are malformed",
            "An X-Amz-* parameter is wrong: an expiry over 7 days, a credential for another \
             region, or a part lost when the URL was copied.",
            COPY_AGAIN,
            false,
        ),
        "SlowDown" | "RequestTimeout" => (
            "S3 asks to try again",
            "The request was not stored; sending it again is safe.",
            "Upload again in a few seconds: the same URL works until it expires.",
            true,
        ),
        _ if status >= 500 => (
            "S3 had a problem",
            "The upload was not stored; sending it again is safe.",
            "Upload again in a few seconds: the same URL works until it expires.",
            true,
        ),
        _ if status == 400 => (
            "S3 refused the request",
            "",
            "Fix what S3 names above, or ask for a new URL, and upload again.",
            false,
        ),
        _ => (
            "The upload failed",
            "",
            "Check the URL and the bucket, or ask whoever made the URL.",
            false,
        ),
    };
    detail.push_str(meaning);
    let detail = detail.trim_end().to_owned();
    Explanation {
        title: title.to_owned(),
        detail,
        next: next.to_owned(),
        retry,
    }
}

/// The bucket CORS configuration that lets `origin` upload, for
/// `aws s3api put-bucket-cors --cors-configuration` (JSON, 2-space indent).
pub fn cors_rule(origin: &str) -> String {
    let mut out = String::new();
    let mut json = JsonWriter::new(&mut out);
    let strings = |json: &mut JsonWriter<'_>, key: &str, items: &[&str]| {
        json.key(key);
        json.begin_array(Layout::Lines);
        for item in items {
            json.string(item);
        }
        json.end_array();
    };
    json.begin_object(Layout::Lines);
    json.key("CORSRules");
    json.begin_array(Layout::Lines);
    json.begin_object(Layout::Lines);
    strings(&mut json, "AllowedOrigins", &[origin.trim_end_matches('/')]);
    strings(&mut json, "AllowedMethods", &["PUT", "POST"]);
    strings(&mut json, "AllowedHeaders", &["content-type"]);
    strings(&mut json, "ExposeHeaders", &["ETag"]);
    json.key("MaxAgeSeconds");
    json.count(3000);
    json.end_object();
    json.end_array();
    json.end_object();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_decode_and_stray_ampersands_stay() {
        assert_eq!(
            decode_entities("a &lt;b&gt; &amp;&quot;&apos; &#10;&#x41; & &bogus; &#xZZ;"),
            "a <b> &\"' \nA & &bogus; &#xZZ;"
        );
    }

    /// Linear. When the `;` was looked for up to wherever it was, for every `&`, 256 KB of `&`
    /// then one `;` took 2.3 s in a release build, and 1 MB about 40 s (quadratic); these all
    /// take well under a second in a debug build.
    #[test]
    fn entities_decode_in_one_pass() {
        let amp = "&amp;".repeat(200_000);
        assert_eq!(decode_entities(&amp), "&".repeat(200_000));
        let mut bare = "&".repeat(1 << 20);
        bare.push(';');
        assert_eq!(decode_entities(&bare), bare);
        let far = format!("&{};", "a".repeat(1 << 20));
        assert_eq!(decode_entities(&far), far);
        assert_eq!(decode_entities("&#x0000041;&#00000065;"), "AA");
    }
}
