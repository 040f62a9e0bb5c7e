//! `POST /_local-s3/presign`: the presign protocol of the reference endpoint
//! (`pipeline/src/backfill_pipeline/presign/`, docs/pipeline.md "The presign endpoint"),
//! answered here with the same checks, statuses, messages and headers, so the Upload panel
//! can ask for its target locally as it asks the deployed Lambda.
//!
//! `{"name", "fingerprint", "content_type"}` from the site's origin ([`Config::cors_origin`])
//! → `{"url"}`, a presigned PUT URL with `content-type` among its signed headers, or with
//! [`PresignMethod::Post`] `{"url", "fields"}`, a presigned POST form whose policy requires
//! that Content-Type; the key is [`Config::key_pattern`] with `{name}` and `{fingerprint}`
//! filled in. CORS for the site's origin only (credentials allowed); another origin, or
//! none, gets 403 and no CORS header. Every answer has `Cache-Control: no-store` and
//! `Vary: Origin`; errors are `{"error": "…"}`.
//!
//! [`Config::cors_origin`]: crate::Config::cors_origin
//! [`Config::key_pattern`]: crate::Config::key_pattern

mod request;

use std::pin::Pin;
use std::sync::Arc;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use hyper::body::{Body as _, Incoming};
use s3s::Body;
use serde_json::json;
use time::OffsetDateTime;

use self::request::{Asked, Refused};
pub use self::request::{CONTENT_TYPE, MAX_BODY_BYTES};
use crate::sigv4::{self, Credentials};
use crate::store::Activity;

/// The key pattern of the catalog's `upload.key` example, and the reference endpoint's.
pub const DEFAULT_KEY_PATTERN: &str = "backfills/{name}/{fingerprint}.json";
pub const DEFAULT_EXPIRES_MINUTES: u64 = 5;
/// How long a handed-out URL may be valid, in minutes.
pub const EXPIRES_MINUTES: std::ops::RangeInclusive<u64> = 1..=60;
/// How long a browser may keep a preflight's answer.
const PREFLIGHT_MAX_AGE_SECONDS: &str = "600";

/// What the presign endpoint hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresignMethod {
    /// A presigned PUT URL (`{"url"}`).
    Put,
    /// A presigned POST form (`{"url", "fields"}`).
    Post,
}

impl PresignMethod {
    /// `put` or `post`, as `--presign-method` takes it.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "put" => Some(PresignMethod::Put),
            "post" => Some(PresignMethod::Post),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PresignMethod::Put => "put",
            PresignMethod::Post => "post",
        }
    }
}

/// A key pattern must hold `{fingerprint}` (the trigger and the DAG read it from the key), no
/// placeholder but `{name}` and `{fingerprint}`, and not start with `/`.
pub fn check_key_pattern(pattern: &str) -> Result<(), String> {
    if !pattern.contains("{fingerprint}") {
        return Err(format!(
            "--key-pattern {pattern:?} has no {{fingerprint}}: the trigger and the DAG rely on \
             it (e.g. {DEFAULT_KEY_PATTERN})"
        ));
    }
    if let Some(unknown) = placeholders(pattern).find(|p| !matches!(*p, "name" | "fingerprint")) {
        return Err(format!(
            "--key-pattern {pattern:?} has {{{unknown}}}: only {{name}} and {{fingerprint}} \
             are filled in"
        ));
    }
    if pattern.starts_with('/') {
        return Err(format!(
            "--key-pattern {pattern:?} starts with /: an S3 key does not"
        ));
    }
    Ok(())
}

/// What stands between `{` and `}` (no brace inside), as the reference's `\{([^{}]*)\}`.
fn placeholders(pattern: &str) -> impl Iterator<Item = &str> {
    pattern.split('{').skip(1).filter_map(|after| {
        let (inside, _) = after.split_once('}')?;
        Some(inside)
    })
}

pub fn check_expires_minutes(minutes: u64) -> Result<(), String> {
    if EXPIRES_MINUTES.contains(&minutes) {
        return Ok(());
    }
    Err(format!(
        "--presign-expires-minutes {minutes} must be a whole number of minutes from {} to {}",
        EXPIRES_MINUTES.start(),
        EXPIRES_MINUTES.end()
    ))
}

/// The object's key: the pattern with `{name}` and `{fingerprint}` filled in.
pub fn key(pattern: &str, name: &str, fingerprint: &str) -> String {
    pattern
        .replace("{name}", name)
        .replace("{fingerprint}", fingerprint)
}

/// The endpoint's settings, from the server's [`crate::Config`].
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// The site's origin without a trailing slash; `None` (`--no-cors`) answers no site.
    pub site_origin: Option<String>,
    pub key_pattern: String,
    pub method: PresignMethod,
    pub expires_secs: u64,
    pub credentials: Credentials,
    /// Where the URLs point: `http://127.0.0.1:<port>`.
    pub endpoint: String,
    pub bucket: String,
    pub activity: Arc<Activity>,
}

impl Endpoint {
    /// Any request to `/_local-s3/presign` but a GET (the older query-string endpoint).
    pub async fn answer(&self, req: Request<Incoming>) -> Response<Body> {
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let method = req.method().clone();
        let (response, key) = self.respond(req, origin.as_deref()).await;
        self.log(&method, origin.as_deref(), &response, key.as_deref());
        response
    }

    /// The answer, and the key presigned when there is one.
    async fn respond(
        &self,
        req: Request<Incoming>,
        origin: Option<&str>,
    ) -> (Response<Body>, Option<String>) {
        // The site's origin, when the request comes from it: only then CORS headers.
        let site = self
            .site_origin
            .as_deref()
            .filter(|site| origin == Some(*site));
        let cors = site.map_or_else(HeaderMap::new, cors_headers);
        let method = req.method().clone();
        match (&method, site) {
            (&Method::OPTIONS, Some(site)) => {
                let headers = preflight_headers(site);
                (reply(StatusCode::NO_CONTENT, None, headers), None)
            }
            (&Method::OPTIONS | &Method::POST, None) => {
                let message = self.foreign(origin);
                (error_reply(StatusCode::FORBIDDEN, &message, cors), None)
            }
            (&Method::POST, Some(_)) => self.presign_asked(req.into_body(), cors).await,
            (other, _) => (not_allowed(other, cors), None),
        }
    }

    /// A POST from the site: the body checked, then the URL or form for its key.
    async fn presign_asked(
        &self,
        body: Incoming,
        cors: HeaderMap,
    ) -> (Response<Body>, Option<String>) {
        let asked = match read_body(body).await {
            Ok((body, len)) => request::presign_request(&body, len),
            Err(e) => Err(Refused {
                status: StatusCode::BAD_REQUEST,
                message: format!("the body could not be read: {e}"),
            }),
        };
        match asked {
            Ok(asked) => {
                let key = key(&self.key_pattern, &asked.name, &asked.fingerprint);
                let body = self.presign(&key, &asked, OffsetDateTime::now_utc());
                (reply(StatusCode::OK, Some(body), cors), Some(key))
            }
            Err(refused) => (error_reply(refused.status, &refused.message, cors), None),
        }
    }

    /// `{"url"}` (a PUT URL signing the Content-Type) or `{"url", "fields"}` (a POST form).
    fn presign(&self, key: &str, asked: &Asked, signed_at: OffsetDateTime) -> String {
        match self.method {
            PresignMethod::Put => {
                let url = sigv4::presign_url(
                    &self.credentials,
                    "PUT",
                    &self.endpoint,
                    &format!("/{}/{key}", self.bucket),
                    signed_at,
                    self.expires_secs,
                    Some(&asked.content_type),
                );
                json!({ "url": url }).to_string()
            }
            PresignMethod::Post => {
                let form = sigv4::presign_post_with_content_type(
                    &self.credentials,
                    &self.endpoint,
                    &self.bucket,
                    key,
                    signed_at,
                    self.expires_secs,
                    &asked.content_type,
                );
                serde_json::to_string(&form).expect("strings serialise")
            }
        }
    }

    fn foreign(&self, origin: Option<&str>) -> String {
        let Some(site) = &self.site_origin else {
            return "this endpoint answers no site: local-s3 runs without a site origin \
                    (--no-cors); start it with --origin <the site's origin>"
                .to_owned();
        };
        let got = match origin {
            Some(origin) => format!("the origin {}", request::py_repr(origin)),
            None => "a request without an Origin header".to_owned(),
        };
        format!("this endpoint answers only the site {site}, not {got}")
    }

    /// `{"presign": {"method", "status", "origin"?, "key"?, "upload"?, "error"?}}`.
    fn log(
        &self,
        method: &Method,
        origin: Option<&str>,
        response: &Response<Body>,
        key: Option<&str>,
    ) {
        #[derive(serde::Serialize)]
        struct Line<'a> {
            presign: Logged<'a>,
        }
        #[derive(serde::Serialize)]
        struct Logged<'a> {
            method: &'a str,
            status: u16,
            #[serde(skip_serializing_if = "Option::is_none")]
            origin: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            key: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            upload: Option<&'static str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<String>,
        }
        let error = response
            .status()
            .is_client_error()
            .then(|| response.body().bytes())
            .flatten()
            .and_then(|body| serde_json::from_slice::<serde_json::Value>(&body).ok())
            .and_then(|body| body["error"].as_str().map(str::to_owned));
        self.activity.log(&Line {
            presign: Logged {
                method: method.as_str(),
                status: response.status().as_u16(),
                origin,
                key,
                upload: key.map(|_| self.method.name()),
                error,
            },
        });
    }
}

/// The body's first [`MAX_BODY_BYTES`] + 1 bytes and its whole length (read to the end, so
/// the 413 can say how large it was).
async fn read_body(mut body: Incoming) -> Result<(Vec<u8>, usize), hyper::Error> {
    let mut kept = Vec::new();
    let mut len = 0;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(data) = frame?.into_data() else {
            continue;
        };
        len += data.len();
        let room = (MAX_BODY_BYTES + 1).saturating_sub(kept.len());
        kept.extend_from_slice(&data[..room.min(data.len())]);
    }
    Ok((kept, len))
}

/// What the site's origin gets: the app fetches with `credentials: "include"`, so the origin
/// is named (never `*`) and credentials are allowed.
fn cors_headers(site: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(origin) = HeaderValue::from_str(site) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    headers
}

fn preflight_headers(site: &str) -> HeaderMap {
    let mut headers = cors_headers(site);
    for (name, value) in [
        (header::ACCESS_CONTROL_ALLOW_METHODS, "POST"),
        (header::ACCESS_CONTROL_ALLOW_HEADERS, "content-type"),
        (header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers
}

/// 405; a GET is answered too, by the query-string endpoint.
fn not_allowed(method: &Method, cors: HeaderMap) -> Response<Body> {
    let mut headers = cors;
    headers.insert(
        header::ALLOW,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    let message = format!("{method} is not answered: send a POST");
    error_reply(StatusCode::METHOD_NOT_ALLOWED, &message, headers)
}

fn error_reply(status: StatusCode, message: &str, headers: HeaderMap) -> Response<Body> {
    reply(
        status,
        Some(json!({ "error": message }).to_string()),
        headers,
    )
}

/// Never cached, and varying with the Origin (caches must not mix origins); JSON when there
/// is a body.
fn reply(status: StatusCode, body: Option<String>, headers: HeaderMap) -> Response<Body> {
    let fixed: [(HeaderName, &str); 3] = [
        (header::CACHE_CONTROL, "no-store"),
        (header::VARY, "Origin"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    let json = body
        .is_some()
        .then_some((header::CONTENT_TYPE, "application/json"));
    let mut response = Response::new(body.map_or_else(Body::empty, Body::from));
    *response.status_mut() = status;
    for (name, value) in fixed.into_iter().chain(json) {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_static(value));
    }
    response.headers_mut().extend(headers);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_patterns_need_the_fingerprint_and_only_known_placeholders() {
        for good in [
            DEFAULT_KEY_PATTERN,
            "{fingerprint}.json",
            "uploads/{fingerprint}/{name}",
        ] {
            assert_eq!(check_key_pattern(good), Ok(()), "{good}");
        }
        for (bad, says) in [
            ("backfills/{name}.json", "has no {fingerprint}"),
            ("b/{fingerprint}/{date}.json", "has {date}: only"),
            ("/b/{fingerprint}.json", "starts with /"),
        ] {
            let message = check_key_pattern(bad).unwrap_err();
            assert!(message.contains(says), "{bad}: {message}");
        }
        assert_eq!(
            key(DEFAULT_KEY_PATTERN, "q3-fix", "ab12"),
            "backfills/q3-fix/ab12.json"
        );
    }

    #[test]
    fn expiry_is_one_to_sixty_minutes() {
        assert!(check_expires_minutes(1).is_ok());
        assert!(check_expires_minutes(60).is_ok());
        assert!(check_expires_minutes(0).is_err());
        assert!(check_expires_minutes(61).is_err());
    }
}
