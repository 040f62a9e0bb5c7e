//! The catalog's presign endpoint (`upload.presign.url`): the Upload panel asks it for a
//! target instead of making the user paste one. What the panel sends it, what its answers
//! mean, and the check of the URL in the catalog. The protocol is in docs/deploy.md, "The
//! presign endpoint"; the reference handler is pipeline/src/backfill_pipeline/presign/.
//!
//! The panel POSTs [`request_body`] with the browser's cookies (`credentials: "include"`: a
//! team puts the endpoint behind its single sign-on) and without following redirects. A 2xx
//! answer is read by [`read_answer`] into the same [`Target`] a pasted one becomes, so the
//! same pre-checks run before anything is uploaded; every other outcome has its explanation.

use super::put::Url;
use super::{APPLICATION_JSON, Explanation, Target, finding, host, post};
use crate::json_writer::{JsonWriter, Layout};
use crate::{Diagnostic, Severity};

/// The request's JSON body: `{"name", "fingerprint", "content_type"}`.
pub fn request_body(name: &str, fingerprint: &str) -> String {
    let mut out = String::new();
    let mut json = JsonWriter::new(&mut out);
    json.begin_object(Layout::Compact);
    for (key, value) in [
        ("name", name),
        ("fingerprint", fingerprint),
        ("content_type", APPLICATION_JSON),
    ] {
        json.key(key);
        json.string(value);
    }
    json.end_object();
    out
}

const PASTE_INSTEAD: &str = "Meanwhile, paste a presigned URL above: that still works.";
const SIGN_IN: &str = "Sign in with the link below (a new tab), then upload again.";

/// An explanation whose next step ends with the way around the endpoint.
fn explained(title: String, detail: String, next: &str, retry: bool) -> Explanation {
    Explanation {
        title,
        detail,
        next: format!("{next} {PASTE_INSTEAD}"),
        retry,
    }
}

/// A 2xx answer read as a target: `{"url": …}` (a presigned PUT URL) or `{"url": …,
/// "fields": {…}}` (a presigned POST form). Anything else is explained.
pub fn read_answer(endpoint: &str, body: &str) -> Result<Target, Explanation> {
    let malformed = |what: &str| {
        explained(
            "The presign endpoint's answer is not an upload target".into(),
            format!(
                "{endpoint} answered with success, but {what}. Expected JSON: {{\"url\": …}} (a \
                 PUT URL) or {{\"url\": …, \"fields\": {{…}}}} (a POST form)."
            ),
            "Tell the team that runs the endpoint.",
            false,
        )
    };
    let Some(root) = post::parse_map(body) else {
        return Err(malformed("its body is not a JSON object"));
    };
    let read = if root.get("fields").is_some() {
        super::read(body)
    } else {
        match root.get("url").and_then(|url| url.scalar()) {
            Some(url) => super::read(url),
            None => return Err(malformed("it has no \"url\" text")),
        }
    };
    match read {
        Ok(Some(target)) => Ok(target),
        Ok(None) => Err(malformed("its \"url\" is empty")),
        Err(finding) => Err(malformed(&format!(
            "what it holds cannot be used: {}",
            finding.message
        ))),
    }
}

/// Any status but 2xx (the body's `{"error": …}` is quoted when there is one).
pub fn refused(endpoint: &str, status: u16, body: &str) -> Explanation {
    let said = post::parse_map(body)
        .and_then(|root| {
            root.get("error")?
                .scalar()
                .map(|error| format!(": \"{}\"", cut(error)))
        })
        .unwrap_or_default();
    let (title, why, next, retry) = match status {
        401 => (
            "says you are not signed in",
            "Your sign-in there is missing or has expired.",
            SIGN_IN,
            true,
        ),
        403 => (
            "refused this request",
            "Your account may not upload, or the endpoint does not accept requests from this \
             site's origin.",
            "Ask the team that runs the endpoint for access.",
            false,
        ),
        400..=499 => (
            "refused the request",
            "It did not accept the spec's name or fingerprint, or expects another protocol \
             (docs/deploy.md).",
            "Fix what it names, or tell the team that runs it.",
            false,
        ),
        _ => (
            "failed",
            "The failure is on its side, not in the spec.",
            "Try again in a moment; if it keeps failing, tell the team that runs it.",
            true,
        ),
    };
    explained(
        format!("The presign endpoint {title} ({status})"),
        format!("{endpoint} answered {status}{said}. {why}"),
        next,
        retry,
    )
}

/// The endpoint answered with a redirect (the page asks fetch not to follow one): what a
/// single sign-on proxy does when the session has expired.
pub fn redirected(endpoint: &str) -> Explanation {
    explained(
        "Your sign-in has expired: the presign endpoint redirected to sign in".into(),
        format!(
            "{endpoint} answered with a redirect, as a sign-on proxy does when the session has \
             expired. Nothing was uploaded."
        ),
        SIGN_IN,
        true,
    )
}

/// fetch failed with a bare TypeError: no CORS answer for this origin, a sign-on proxy's
/// redirect without CORS headers (which looks the same), or no answer at all.
pub fn unreadable(endpoint: &str, origin: &str) -> Explanation {
    explained(
        "The browser refused the presign endpoint's answer: CORS, or an expired sign-in".into(),
        format!(
            "The request to {endpoint} failed with no HTTP status: the endpoint does not answer \
             CORS for this site's origin ({origin}), a sign-on proxy in front of it redirected to \
             its sign-in page, or it cannot be reached. Nothing was uploaded."
        ),
        "If it worked for you before, sign in with the link below, then upload again; otherwise \
         the endpoint must send this origin the headers below.",
        true,
    )
}

/// The CORS headers the endpoint must answer `origin` with, the preflight's included.
pub fn cors_headers(origin: &str) -> String {
    format!(
        "Access-Control-Allow-Origin: {}\nAccess-Control-Allow-Credentials: true\n\
         Access-Control-Allow-Methods: POST\nAccess-Control-Allow-Headers: content-type",
        origin.trim_end_matches('/')
    )
}

/// Where to sign in: the endpoint's site (its sign-on proxy sends the browser on).
pub fn sign_in_url(endpoint: &str) -> String {
    match Url::split(endpoint) {
        Some(url) => format!("{}/", url.endpoint),
        None => "/".into(),
    }
}

/// An Error when the target does not write to `expected` (the catalog's `upload.key` for this
/// spec): the trigger and the DAG find the spec by that key.
pub fn key_finding(target: &Target, filename: &str, expected: &str) -> Option<Diagnostic> {
    let key = target.key_for(filename);
    (key != expected).then(|| {
        finding(
            Severity::Error,
            "presign-key-mismatch",
            format!(
                "The presign endpoint's target writes to `{}`, not to `{}`, the catalog's \
                 upload.key for this spec",
                cut(&key),
                cut(expected)
            ),
            "The endpoint builds the key from its own pattern (BACKFILL_KEY_PATTERN in the \
             reference handler): make it the catalog's upload.key, so that the trigger and the \
             DAG find the spec.",
        )
    })
}

/// What is wrong with the catalog's `upload.presign.url`, or None: an `https://` URL, `http://`
/// only on this computer, or a path on the site's own origin (`/presign`).
pub(crate) fn url_problem(url: &str) -> Option<&'static str> {
    // A browser reads `\` as `/`: `/\evil.example/x` is another site.
    if url.starts_with('/') && !url.starts_with("//") && !url.contains('\\') {
        return None;
    }
    let Some(split) = Url::split(url) else {
        return Some("it is neither an https:// URL nor a path on this site (`/presign`)");
    };
    let authority = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?', '#', '\\']).next())
        .unwrap_or_default();
    if url.contains('#') {
        Some("a URL of a request has no `#fragment`")
    } else if authority.contains('@') {
        Some("a user name or password in the URL would be sent to every reader of the catalog")
    } else if split.scheme == "http" && !host::is_loopback(host::dns_name(&split.host)) {
        Some("`http://` would send the browser's cookies and the upload URL unencrypted")
    } else {
        None
    }
}

/// The origin (`https://host[:port]`) a page must be allowed to connect to for the endpoint
/// (the CSP's connect-src); None for a path on the site's own origin.
pub fn origin_of(url: &str) -> Option<String> {
    Url::split(url).map(|split| split.endpoint)
}

/// Quoted text from the endpoint kept to one line of a readable length.
fn cut(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presign::Method;

    const EP: &str = "https://presign.example.com/backfills";

    #[test]
    fn the_request_body_is_the_protocol() {
        assert_eq!(
            request_body("clicks-recon", "ab12"),
            r#"{"name":"clicks-recon","fingerprint":"ab12","content_type":"application/json"}"#
        );
    }

    #[test]
    fn a_put_url_and_a_post_form_are_targets() {
        let put = "https://b.s3.eu-west-1.amazonaws.com/backfills/x/f.json?X-Amz-Algorithm=AWS4-HMAC-SHA256\
                   &X-Amz-Credential=AKIA%2F20261201%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261201T000000Z\
                   &X-Amz-Expires=300&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=00";
        let target = read_answer(EP, &format!("{{\"url\": \"{put}\"}}")).unwrap();
        assert_eq!(
            (target.method, target.key.as_str()),
            (Method::Put, "backfills/x/f.json")
        );
        let form = r#"{"url": "https://b.s3.amazonaws.com/", "fields": {"key": "backfills/x/f.json",
            "policy": "e30=", "x-amz-algorithm": "AWS4-HMAC-SHA256", "x-amz-credential": "A/20261201/us-east-1/s3/aws4_request",
            "x-amz-date": "20261201T000000Z", "x-amz-signature": "00"}}"#;
        assert_eq!(read_answer(EP, form).unwrap().method, Method::Post);
    }

    #[test]
    fn malformed_answers_say_what_they_hold() {
        for (body, says) in [
            ("<html>sign in</html>", "not a JSON object"),
            ("[1]", "not a JSON object"),
            ("{}", "no \"url\""),
            (r#"{"url": 5}"#, "cannot be used"),
            (r#"{"url": ""}"#, "\"url\" is empty"),
            (r#"{"url": "ftp://x"}"#, "cannot be used"),
            (r#"{"url": "https://x/", "fields": 3}"#, "cannot be used"),
        ] {
            let why = read_answer(EP, body).unwrap_err();
            assert!(why.detail.contains(says), "{body}: {}", why.detail);
            assert!(why.detail.starts_with(EP) && !why.retry, "{body}");
        }
    }

    #[test]
    fn refusals_are_explained_by_status() {
        for (status, body, title, quoted, retry) in [
            (401, "", "not signed in", "answered 401.", true),
            (
                403,
                r#"{"error": "origin"}"#,
                "(403)",
                "403: \"origin\".",
                false,
            ),
            (
                400,
                r#"{"error": "the name 'X' is not a slug"}"#,
                "(400)",
                "is not a slug",
                false,
            ),
            (502, "Bad gateway", "failed (502)", "answered 502.", true),
        ] {
            let why = refused(EP, status, body);
            assert!(why.title.contains(title), "{status}: {}", why.title);
            assert!(why.detail.contains(quoted), "{status}: {}", why.detail);
            assert_eq!(why.retry, retry, "{status}");
            assert!(why.next.contains("paste a presigned URL"), "{status}");
        }
        let long = format!(r#"{{"error": "{}"}}"#, "x".repeat(500));
        assert!(refused(EP, 400, &long).detail.len() < 600);
    }

    #[test]
    fn a_target_for_another_key_is_an_error() {
        let url = |key: &str| {
            format!(
                "{{\"url\": \"https://b.s3.amazonaws.com/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256\
                 &X-Amz-Credential=A%2F20261201%2Fus-east-1%2Fs3%2Faws4_request\
                 &X-Amz-Date=20261201T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host\
                 &X-Amz-Signature=00\"}}"
            )
        };
        let good = read_answer(EP, &url("backfills/x/ab.json")).unwrap();
        assert_eq!(
            key_finding(&good, "x.backfill.json", "backfills/x/ab.json"),
            None
        );
        let other = read_answer(EP, &url("uploads/x.json")).unwrap();
        let finding = key_finding(&other, "x.backfill.json", "backfills/x/ab.json").unwrap();
        assert_eq!(
            (finding.code.as_ref(), finding.severity),
            ("presign-key-mismatch", Severity::Error)
        );
        assert!(
            finding
                .message
                .contains("`uploads/x.json`, not to `backfills/x/ab.json`")
        );
    }

    #[test]
    fn the_catalog_url_is_https_or_local_or_a_path() {
        for ok in [
            "https://presign.example.com/backfills",
            "https://presign.example.com:8443/x?team=data",
            "http://127.0.0.1:9000/_local-s3/presign",
            "http://localhost:9000/p",
            "/presign",
        ] {
            assert_eq!(url_problem(ok), None, "{ok}");
        }
        for (bad, says) in [
            ("http://presign.example.com/", "unencrypted"),
            ("presign.example.com", "neither"),
            ("//presign.example.com/x", "neither"),
            ("/\\evil.example/x", "neither"),
            ("https://user:pw@presign.example.com/", "password"),
            ("https://presign.example.com/#x", "fragment"),
        ] {
            assert!(url_problem(bad).is_some_and(|p| p.contains(says)), "{bad}");
        }
        assert_eq!(
            origin_of("https://Presign.example.com:8443/x").as_deref(),
            Some("https://presign.example.com:8443")
        );
        assert_eq!(origin_of("/presign"), None);
        assert_eq!(sign_in_url(EP), "https://presign.example.com/");
    }
}
