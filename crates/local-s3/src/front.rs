//! What runs in front of s3s: the bucket's CORS rule, a count and a log line per request,
//! and the server's own `/_local-s3/` endpoints (not a valid bucket name, so they cannot
//! clash with S3 paths). `POST /_local-s3/presign` and its preflight are the presign
//! protocol ([`crate::presign`]); a GET there is this module's query-string presign.

use std::sync::Arc;

use http::{HeaderMap, Method, Request, Response, StatusCode, header};
use s3s::service::S3Service;
use s3s::{Body, HttpError};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::cors::{self, CorsRule, Preflight};
use crate::presign;
use crate::sigv4::Credentials;
use crate::store::Activity;

pub(crate) struct Front {
    pub s3: S3Service,
    pub cors: Option<CorsRule>,
    pub activity: Arc<Activity>,
    pub credentials: Credentials,
    pub endpoint: String,
    pub bucket: String,
    pub expires_secs: u64,
    /// `POST /_local-s3/presign` (and its preflight).
    pub presign: presign::Endpoint,
}

impl Front {
    pub async fn handle(
        self: Arc<Self>,
        req: Request<hyper::body::Incoming>,
    ) -> Result<Response<Body>, HttpError> {
        let path = req.uri().path().to_owned();
        if path == "/_local-s3/presign" && req.method() != Method::GET {
            return Ok(self.presign.answer(req).await);
        }
        if let Some(endpoint) = path.strip_prefix("/_local-s3/") {
            return Ok(self.own_endpoint(endpoint, req.uri().query().unwrap_or("")));
        }
        let method = req.method().clone();
        self.activity.count_request(method.as_str());
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let response = if method == Method::OPTIONS {
            preflight_response(cors::preflight(self.cors.as_ref(), req.headers()))
        } else {
            let mut response = with_s3_message(self.s3.call(req.map(Body::from)).await?);
            let headers =
                cors::response_headers(self.cors.as_ref(), origin.as_deref(), method.as_str());
            response.headers_mut().extend(headers);
            response
        };
        // The path only: the query of a presigned URL carries its signature.
        let failed = response.status().is_client_error() || response.status().is_server_error();
        let error = failed.then(|| response.body().bytes()).flatten();
        let error = error.as_deref().and_then(s3_error);
        self.activity.log(&Logged {
            request: RequestLine {
                method: method.as_str(),
                path: &path,
                status: response.status().as_u16(),
                origin: origin.as_deref(),
                error: error
                    .as_ref()
                    .map(|(code, message)| ErrorLine { code, message }),
            },
        });
        Ok(response)
    }

    fn own_endpoint(&self, endpoint: &str, query: &str) -> Response<Body> {
        match endpoint {
            "stats" => json_response(StatusCode::OK, &self.activity.stats()),
            "objects" => json_response(StatusCode::OK, &Value::from(self.activity.objects())),
            "presign" => match self.presign(query) {
                Ok(value) => json_response(StatusCode::OK, &value),
                Err(message) => {
                    json_response(StatusCode::BAD_REQUEST, &json!({ "error": message }))
                }
            },
            _ => json_response(
                StatusCode::NOT_FOUND,
                &json!({ "error": "known: /_local-s3/stats, /_local-s3/objects, /_local-s3/presign" }),
            ),
        }
    }

    /// `?key=…&expires=…&content_type=…&signed_at=<unix seconds>`, all optional: a fresh
    /// presigned PUT URL and POST form. A `signed_at` in the past makes an expired one.
    fn presign(&self, query: &str) -> Result<Value, String> {
        let params = parse_query(query);
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let signed_at = match param("signed_at") {
            Some(at) => at
                .parse::<i64>()
                .ok()
                .and_then(|at| OffsetDateTime::from_unix_timestamp(at).ok())
                .ok_or("signed_at: unix seconds")?,
            None => OffsetDateTime::now_utc(),
        };
        let expires = match param("expires") {
            Some(secs) => secs.parse::<u64>().map_err(|_| "expires: seconds")?,
            None => self.expires_secs,
        };
        let key = param("key").map_or_else(|| crate::demo_key(signed_at), str::to_owned);
        Ok(crate::presigned(
            &self.credentials,
            &self.endpoint,
            &self.bucket,
            &key,
            signed_at,
            expires,
            param("content_type"),
        ))
    }
}

#[derive(serde::Serialize)]
struct Logged<'a> {
    request: RequestLine<'a>,
}

/// `{"method", "path", "status", "origin"?, "error"?: {"code", "message"}}`.
#[derive(serde::Serialize)]
struct RequestLine<'a> {
    method: &'a str,
    path: &'a str,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorLine<'a>>,
}

#[derive(serde::Serialize)]
struct ErrorLine<'a> {
    code: &'a str,
    message: &'a str,
}

fn preflight_response(preflight: Preflight) -> Response<Body> {
    let (status, headers, body) = match preflight {
        Preflight::Allowed(headers) => (StatusCode::OK, headers, String::new()),
        Preflight::Forbidden(message) => (
            StatusCode::FORBIDDEN,
            HeaderMap::new(),
            error_xml("AccessForbidden", message),
        ),
        Preflight::BadRequest(message) => (
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            error_xml("BadRequest", message),
        ),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().extend(headers);
    if status != StatusCode::OK {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/xml"),
        );
    }
    response
}

/// Where s3s's error differs from S3's, S3's, so the body the page parses and shows is
/// what S3 would send: `SignatureDoesNotMatch` gets S3's message, and a POST form that
/// breaks a policy condition is 403 `AccessDenied` "Invalid according to Policy" (s3s:
/// 400 `InvalidPolicyDocument`).
fn with_s3_message(mut response: Response<Body>) -> Response<Body> {
    if !response.status().is_client_error() {
        return response;
    }
    let Some(body) = response.body().bytes() else {
        return response;
    };
    let Some((code, message)) = s3_error(&body) else {
        return response;
    };
    let (status, body) = match (code.as_str(), message.as_str()) {
        ("SignatureDoesNotMatch", "") => {
            (StatusCode::FORBIDDEN, error_xml(&code, SIGNATURE_MESSAGE))
        }
        ("InvalidPolicyDocument", condition) if condition.starts_with("Policy condition") => (
            StatusCode::FORBIDDEN,
            error_xml(
                "AccessDenied",
                &format!("Invalid according to Policy: {condition}"),
            ),
        ),
        _ => return response,
    };
    *response.status_mut() = status;
    *response.body_mut() = Body::from(body);
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

const SIGNATURE_MESSAGE: &str = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

fn error_xml(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
}

/// `Code` and `Message` of an S3 error body, when it is one.
fn s3_error(body: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(body).ok()?;
    let element = |name: &str| {
        let start = text.find(&format!("<{name}>"))? + name.len() + 2;
        let end = start + text[start..].find(&format!("</{name}>"))?;
        Some(text[start..end].to_owned())
    };
    Some((element("Code")?, element("Message").unwrap_or_default()))
}

fn json_response(status: StatusCode, value: &Value) -> Response<Body> {
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

/// `a=1&b=x%2Fy` → `[("a", "1"), ("b", "x/y")]` (`+` is a space).
fn parse_query(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    match (
                        bytes.get(i + 1).and_then(|&b| hex(b)),
                        bytes.get(i + 2).and_then(|&b| hex(b)),
                    ) {
                        (Some(high), Some(low)) => {
                            out.push((high * 16 + low) as u8);
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_error_bodies_are_read() {
        let body = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";
        assert_eq!(
            s3_error(body.as_bytes()),
            Some(("AccessDenied".into(), "Request has expired".into()))
        );
        assert_eq!(s3_error(b""), None);
    }

    #[test]
    fn queries_are_decoded() {
        assert_eq!(
            parse_query("key=a%2Fb+c.json&expires=60&x&bad=%zz%4"),
            [
                ("key", "a/b c.json"),
                ("expires", "60"),
                ("x", ""),
                ("bad", "%zz%4")
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }
}
