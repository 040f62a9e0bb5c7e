//! Presigned uploads: the app's upload view reads what the user pasted before anything is
//! sent, and explains what S3 answers when an upload fails.
//!
//! [`read`] takes a presigned PUT URL or a presigned POST form (boto3's
//! `generate_presigned_post`, as JSON) and returns a [`Target`]: where the request goes, the
//! bucket, key and region, the expiry, the Content-Type to send, and findings about what
//! would make S3 refuse the upload. The core has no clock: checks that depend on the time
//! take it as an argument ([`Target::findings_at`]), and so do the hosts the catalog allows
//! uploads to (a host other than S3's or this computer's gets a warning). [`parse_error`] and
//! [`explain`] turn a failed answer into words and a next step; [`cors_rule`] is the bucket
//! rule a CORS refusal asks for. [`endpoint`] is the catalog's presign endpoint, which hands
//! the panel a target. Nothing here keeps the URL: it is a credential.
//!
//! Findings are [`Diagnostic`]s like the spec's, each with a hint and a `presign-…` code
//! (docs/rules.md, "The upload target"). They are about the pasted text as a whole, or about
//! the clock, never about one place in it: their span is the empty span at 0, their path
//! empty.

pub mod endpoint;
mod host;
mod post;
mod put;
mod response;

use crate::{Day, Diagnostic, Severity, Span};

pub use response::{Explanation, MAX_ERROR_ANSWER, S3Error, cors_rule, explain, parse_error};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Put,
    Post,
}

/// What to send for Content-Type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentType {
    /// PUT: content-type is not a signed header: send `application/json`.
    /// POST: the policy says nothing about Content-Type: send no Content-Type field at all
    /// (S3 rejects a form field no policy condition names).
    Free,
    /// Must be sent exactly (POST: a `Content-Type` field in `fields` or an exact policy
    /// condition; the view adds the field if it is not already in `fields`).
    Exact(String),
    /// Content-Type is signed (SigV4 `content-type` in X-Amz-SignedHeaders, or any SigV2 URL)
    /// and its value is not in the URL: the app sends `application/json` and warns.
    SignedUnknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub method: Method,
    /// Where the request goes: the PUT URL exactly as pasted (trimmed), or the POST form's `url`.
    pub url: String,
    /// POST form fields in the pasted order (empty for PUT). The view appends Content-Type if
    /// needed, then the `file` part last.
    pub fields: Vec<(String, String)>,
    /// `https://host[:port]`
    pub endpoint: String,
    /// Empty when it cannot be told.
    pub bucket: String,
    /// Percent-decoded object key. For a POST whose key field contains `${filename}`, still
    /// with `${filename}` in it (see [`Target::key_for`]).
    pub key: String,
    /// From the credential scope (`AKID/20261128/us-east-1/s3/aws4_request`); empty if none.
    pub region: String,
    /// PUT: X-Amz-SignedHeaders split on ';'. POST: the field names the policy's conditions
    /// name (lowercased, in the policy's order), e.g. `["bucket", "key", "x-amz-algorithm", ...]`.
    pub signed_headers: Vec<String>,
    /// Unix seconds; PUT: X-Amz-Date + X-Amz-Expires (SigV2: Expires); POST: the policy's
    /// `expiration`. None if it cannot be read.
    pub expires_at: Option<i64>,
    /// Unix seconds: X-Amz-Date (PUT) or the `x-amz-date` field (POST). None if absent or
    /// unreadable (SigV2 has none).
    pub signed_at: Option<i64>,
    /// A POST policy's `content-length-range` (min, max bytes), for [`Target::size_finding`].
    pub size_range: Option<(u64, u64)>,
    pub content_type: ContentType,
    /// Problems that do not depend on the clock, found while reading.
    pub findings: Vec<Diagnostic>,
}

/// Reads a pasted presigned PUT URL or presigned POST JSON. Never panics on any input.
///
/// `Ok(None)` for blank input (the view shows an empty state); `Err` (an error,
/// `presign-unreadable`) when the text is neither, with the expected shapes in the hint.
pub fn read(input: &str) -> Result<Option<Target>, Box<Diagnostic>> {
    let text = input.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Ok(None);
    }
    if text.starts_with('{') {
        return post::read(text).map(Some);
    }
    // A URL copied out of JSON or a Python repr keeps its quotes.
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|&q| text.strip_prefix(q)?.strip_suffix(q))
        .unwrap_or(text);
    // A URL wrapped when copied is read without its line breaks (and refused, see put::read).
    let joined: String = unquoted.split_whitespace().collect();
    match put::Url::split(&joined) {
        Some(url) => Ok(Some(put::read(unquoted, &url))),
        None => Err(unreadable(
            "This is neither a presigned URL nor a presigned POST form",
        )),
    }
}

/// The `Err` of [`read`]: `message` says what was found, the hint what was expected.
fn unreadable(message: &str) -> Box<Diagnostic> {
    Box::new(finding(
        Severity::Error,
        "presign-unreadable",
        message,
        "Paste a presigned PUT URL (https://bucket.s3.region.amazonaws.com/key?X-Amz-Algorithm=\
         AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…) or a presigned POST form as JSON \
         ({\"url\": \"https://…\", \"fields\": {\"key\": …, \"policy\": …, …}}), as boto3's \
         generate_presigned_url and generate_presigned_post make them.",
    ))
}

/// An Error naming the parts of `names` that are not `present` in what was pasted (a URL's
/// query parameters, a form's fields): it was cut short. `lacks` starts the message.
fn cut_short(
    lacks: &str,
    names: &[&str],
    present: &dyn Fn(&str) -> bool,
    hint: &str,
    findings: &mut Vec<Diagnostic>,
) {
    let absent: Vec<&str> = names.iter().copied().filter(|n| !present(n)).collect();
    if absent.is_empty() {
        return;
    }
    let mut message = String::from(lacks);
    message.push_str(&absent.join(", "));
    message.push_str(": it was cut short or edited when it was copied");
    findings.push(finding(Severity::Error, "presign-cut-short", message, hint));
}

/// How many form fields, and how many policy conditions, are read: boto3's forms have about
/// ten of each, and checking fields against conditions costs their product.
const MAX_FORM_PARTS: usize = 100;

/// An Error when a form has more than [`MAX_FORM_PARTS`] of `what` (its `fields`, or its
/// policy's `conditions`; `of` starts the message): those beyond are not read, so S3's
/// verdict cannot be told.
fn too_many(count: usize, of: &str, what: &str, findings: &mut Vec<Diagnostic>) {
    if count <= MAX_FORM_PARTS {
        return;
    }
    let mut message = String::from(of);
    message.push_str(&count.to_string());
    message.push(' ');
    message.push_str(what);
    message.push_str(", more than the ");
    message.push_str(&MAX_FORM_PARTS.to_string());
    message.push_str(" this app reads: those beyond are not checked");
    findings.push(finding(
        Severity::Error,
        "presign-too-many-parts",
        message,
        "boto3's generate_presigned_post makes about ten: copy its whole output again, or ask \
         for a new form.",
    ));
}

/// A finding about the pasted text as a whole (or the clock): no place in it, so the empty
/// span at 0.
fn finding(
    severity: Severity,
    code: &'static str,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(severity, code, message, Span::default()).with_hint(hint)
}

const APPLICATION_JSON: &str = "application/json";

impl Target {
    /// Clock-dependent findings (expired, about to expire, signed in the future), the warning
    /// for a host that is not S3's, this computer's or one of `allowed_hosts` (the catalog's
    /// `upload.allowed_hosts`), then `self.findings`; errors first, then warnings, then infos.
    pub fn findings_at(&self, now_unix: i64, allowed_hosts: &[String]) -> Vec<Diagnostic> {
        let mut out = self.clock_findings(now_unix);
        if let Some(url) = put::Url::split(&self.endpoint) {
            out.extend(host::finding(&url.host, allowed_hosts));
        }
        out.extend(self.findings.iter().cloned());
        // Errors, then warnings, then infos; a filter per severity, not a sort: every sort
        // instantiated is code shipped in the app.
        let mut ordered = Vec::with_capacity(out.len());
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            ordered.extend(out.iter().filter(|f| f.severity == severity).cloned());
        }
        ordered
    }

    /// True when no error (from [`Target::findings_at`]) stops the upload. The
    /// host's finding is a warning, so the allowed hosts do not matter here.
    pub fn can_send_at(&self, now_unix: i64) -> bool {
        !self
            .clock_findings(now_unix)
            .iter()
            .chain(&self.findings)
            .any(|f| f.severity == Severity::Error)
    }

    /// Expired, about to expire, signed in the future.
    fn clock_findings(&self, now_unix: i64) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let this = match self.method {
            Method::Put => "This URL",
            Method::Post => "This form",
        };
        if let Some(at) = self.expires_at {
            let left = at.saturating_sub(now_unix);
            if left <= 0 {
                let mut message = String::from(this);
                message.push_str(" expired at ");
                message.push_str(&utc_text(at));
                message.push_str(" (");
                message.push_str(&duration_text(left));
                message.push_str(" ago)");
                out.push(finding(
                    Severity::Error,
                    "presign-expired",
                    message,
                    "Ask whoever made it for a new one (a presigned URL cannot be extended) and \
                     paste it here.",
                ));
            } else if left < 60 {
                let mut message = String::from(this);
                message.push_str(" expires in ");
                message.push_str(&duration_text(left));
                out.push(finding(
                    Severity::Warning,
                    "presign-expires-soon",
                    message,
                    "Upload now; if S3 answers that the request has expired, ask for a new one.",
                ));
            }
        }
        // S3 allows 15 minutes of clock skew.
        if let Some(at) = self.signed_at
            && at.saturating_sub(now_unix) > 900
        {
            let mut message = String::from(this);
            message.push_str(" is signed for ");
            message.push_str(&utc_text(at));
            message.push_str(", ");
            message.push_str(&duration_text(at.saturating_sub(now_unix)));
            message.push_str(" from now by this computer's clock");
            out.push(finding(
                Severity::Warning,
                "presign-signed-in-future",
                message,
                "S3 refuses it as not yet valid until then. If it was just made, this \
                 computer's clock is behind, and the expiry shown is off by as much.",
            ));
        }
        out
    }

    /// The object key that will be written: `key` with `${filename}` replaced by `filename`.
    pub fn key_for(&self, filename: &str) -> String {
        self.key.replace("${filename}", filename)
    }

    /// The Content-Type value to send, if any.
    pub fn content_type_to_send(&self) -> Option<&str> {
        match &self.content_type {
            ContentType::Exact(value) => Some(value),
            ContentType::Free if self.method == Method::Post => None,
            _ => Some(APPLICATION_JSON),
        }
    }

    /// An Error when a body of `body_len` bytes is outside the POST policy's
    /// `content-length-range` (S3 would answer EntityTooLarge or EntityTooSmall).
    pub fn size_finding(&self, body_len: u64) -> Option<Diagnostic> {
        let (min, max) = self.size_range?;
        let (bound, limit) = if body_len > max {
            (" bytes; this form's policy accepts at most ", max)
        } else if body_len < min {
            (" bytes; this form's policy needs at least ", min)
        } else {
            return None;
        };
        let mut message = String::from("The upload is ");
        message.push_str(&body_len.to_string());
        message.push_str(bound);
        message.push_str(&limit.to_string());
        message.push_str(" (content-length-range)");
        Some(finding(
            Severity::Error,
            "presign-size-out-of-range",
            message,
            "Ask for a form whose content-length-range fits this spec, or split the backfill.",
        ))
    }
}

/// The warning for a signed Content-Type whose value the URL does not say.
fn signed_content_type() -> Diagnostic {
    finding(
        Severity::Warning,
        "presign-content-type-signed",
        "Content-Type is signed: this app sends application/json, so the URL must have been \
         presigned for exactly that (boto3: Params={..., \"ContentType\": \"application/json\"}); \
         otherwise S3 answers SignatureDoesNotMatch",
        "If the upload fails with SignatureDoesNotMatch, ask for a URL presigned with \
         ContentType application/json.",
    )
}

/// `http://` other than to this computer: the secrets travel in clear, and the browser
/// blocks the request from an https page.
fn scheme_findings(url: &put::Url, findings: &mut Vec<Diagnostic>) {
    if url.scheme == "http" && !host::is_loopback(host::dns_name(&url.host)) {
        findings.push(finding(
            Severity::Warning,
            "presign-not-https",
            "The URL is http://, not https://: the spec and the signature travel unencrypted, \
             and a page served over https cannot call an http URL (mixed content)",
            "Presign an https:// URL.",
        ));
    }
}

/// `AKID/20261128/us-east-1/s3/aws4_request` → `us-east-1`; an Error when it is not of that form.
fn region_of(credential: Option<&str>, findings: &mut Vec<Diagnostic>) -> String {
    let Some(credential) = credential else {
        return String::new();
    };
    let parts: Vec<&str> = credential.split('/').collect();
    if parts.len() == 5 && parts[4] == "aws4_request" {
        return parts[2].to_owned();
    }
    findings.push(finding(
        Severity::Error,
        "presign-invalid-credential",
        "The credential is not of the form AKID/20261128/us-east-1/s3/aws4_request: it was cut \
         short or edited",
        "Copy the whole URL or form again.",
    ));
    String::new()
}

/// `20261128T165454Z` (an X-Amz-Date), `2026-11-28T16:54:54Z` or `2026-11-28T16:54:54.000Z`
/// (a POST policy's expiration) → Unix seconds.
fn parse_time(text: &str) -> Option<i64> {
    if !text.is_ascii() {
        return None;
    }
    let text = text.strip_suffix('Z')?;
    let (text, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let (date, time) = text.split_once('T')?;
    let (d, t) = (date.as_bytes(), time.as_bytes());
    let (y, mo, da) = match d.len() {
        8 => (&date[..4], &date[4..6], &date[6..]),
        10 if d[4] == b'-' && d[7] == b'-' => (&date[..4], &date[5..7], &date[8..]),
        _ => return None,
    };
    let (h, mi, s) = match t.len() {
        6 => (&time[..2], &time[2..4], &time[4..]),
        8 if t[2] == b':' && t[5] == b':' => (&time[..2], &time[3..5], &time[6..]),
        _ => return None,
    };
    number(fraction)?;
    let day = Day::from_ymd(number(y)? as i32, number(mo)? as u32, number(da)? as u32)?;
    let (h, mi, s) = (number(h)?, number(mi)?, number(s)?);
    (h < 24 && mi < 60 && s < 60).then(|| day.unix_seconds() + h * 3600 + mi * 60 + s)
}

/// Decimal digits only (no sign), at most 18 of them.
fn number(text: &str) -> Option<i64> {
    let ok = !text.is_empty() && text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok())?
}

/// "4 min 12 s", "59 s", "2 h 3 min", "3 d 4 h": for the time left or the time ago (the
/// sign is ignored).
pub fn duration_text(secs: i64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, " d"), (3_600, " h"), (60, " min"), (1, " s")];
    let secs = secs.unsigned_abs();
    let i = UNITS
        .iter()
        .position(|&(unit, _)| secs >= unit)
        .unwrap_or(3);
    let (unit, name) = UNITS[i];
    let mut out = (secs / unit).to_string();
    out.push_str(name);
    if let Some(&(next, next_name)) = UNITS.get(i + 1) {
        let rest = secs % unit / next;
        if rest > 0 {
            out.push(' ');
            out.push_str(&rest.to_string());
            out.push_str(next_name);
        }
    }
    out
}

/// `2026-11-28T17:02:03Z` (RFC 3339, UTC, whole seconds) from Unix milliseconds: the uploaded
/// object's `created_at`.
pub fn rfc3339(unix_ms: i64) -> String {
    time_text(unix_ms.div_euclid(1000), 'T', "Z")
}

/// `2026-11-28 17:02:03 UTC`, for messages.
pub fn utc_text(unix_secs: i64) -> String {
    time_text(unix_secs, ' ', " UTC")
}

fn time_text(unix_secs: i64, between: char, after: &str) -> String {
    // The supported years (1000 to 9999, `Day::FIRST` to `Day::LAST`): four digits, and no
    // overflow in the day arithmetic.
    let secs = unix_secs.clamp(
        Day::FIRST.unix_seconds(),
        Day::LAST.succ().unix_seconds() - 1,
    );
    let mut out = Day::from_unix_seconds(secs).to_string();
    out.push(between);
    let of_day = secs.rem_euclid(86_400);
    for (i, part) in [of_day / 3600, of_day / 60 % 60, of_day % 60]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push(':');
        }
        out.push(char::from(b'0' + (part / 10) as u8));
        out.push(char::from(b'0' + (part % 10) as u8));
    }
    out.push_str(after);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_both_forms_and_nothing_else() {
        let at = 1_795_884_894; // 2026-11-28T16:54:54Z
        for text in [
            "20261128T165454Z",
            "2026-11-28T16:54:54Z",
            "2026-11-28T16:54:54.000Z",
        ] {
            assert_eq!(parse_time(text), Some(at), "{text}");
        }
        for text in [
            "",
            "20261128T165454",
            "20261131T165454Z",
            "20261128T245454Z",
            "2026-11-28 16:54:54Z",
            "2026-11-28T16:54:54.Z",
            "+0261128T165454Z",
            "é0261128T16545Z",
        ] {
            assert_eq!(parse_time(text), None, "{text}");
        }
    }

    #[test]
    fn times_print_in_utc_within_four_digit_years() {
        assert_eq!(utc_text(1_795_884_894), "2026-11-28 16:54:54 UTC");
        assert_eq!(rfc3339(1_795_884_894_999), "2026-11-28T16:54:54Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
        assert_eq!(utc_text(i64::MAX), "9999-12-31 23:59:59 UTC");
        assert_eq!(utc_text(i64::MIN), "1000-01-01 00:00:00 UTC");
    }
}
