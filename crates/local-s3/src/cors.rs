//! The bucket's CORS rule, answered the way S3 answers it. s3s-fs has no CORS at all, so
//! this runs in front of it; leaving it off shows what the browser does against a bucket
//! without the rule.

use http::header::{self, HeaderMap, HeaderValue};

/// One CORS rule, as in the bucket's CORS configuration.
#[derive(Debug, Clone)]
pub struct CorsRule {
    /// The dev site's origin, e.g. `http://127.0.0.1:8080`.
    pub allowed_origin: String,
    pub allowed_methods: Vec<&'static str>,
    /// Lowercase.
    pub allowed_headers: Vec<&'static str>,
    pub expose_headers: Vec<&'static str>,
}

impl CorsRule {
    /// The rule the app tells users to put on their bucket: PUT and POST from the site's
    /// origin, the Content-Type header (a presigned POST is a plain form post and needs no
    /// extra header), and ETag readable by the page.
    pub fn for_origin(origin: &str) -> Self {
        CorsRule {
            allowed_origin: origin.trim_end_matches('/').to_owned(),
            allowed_methods: vec!["PUT", "POST"],
            allowed_headers: vec!["content-type"],
            expose_headers: vec!["ETag"],
        }
    }

    /// The rule as the S3 console's JSON editor shows it.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!([{
            "AllowedOrigins": [self.allowed_origin],
            "AllowedMethods": self.allowed_methods,
            "AllowedHeaders": self.allowed_headers,
            "ExposeHeaders": self.expose_headers,
        }])
    }

    fn allows(&self, origin: &str, method: &str) -> bool {
        origin == self.allowed_origin
            && self
                .allowed_methods
                .iter()
                .any(|m| m.eq_ignore_ascii_case(method))
    }
}

/// The answer to an `OPTIONS` request.
#[derive(Debug, PartialEq, Eq)]
pub enum Preflight {
    /// 200 with these headers.
    Allowed(HeaderMap),
    /// 403 with S3's `AccessForbidden` XML and this message.
    Forbidden(&'static str),
    /// 400: not a CORS preflight at all.
    BadRequest(&'static str),
}

const NOT_ENABLED: &str = "CORSResponse: CORS is not enabled for this bucket.";
const NOT_ALLOWED: &str = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of \
     Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by \
     the resource's CORS spec.";

/// What S3 answers to a preflight, given the bucket's rule (`None`: no CORS configuration).
pub fn preflight(rule: Option<&CorsRule>, request: &HeaderMap) -> Preflight {
    let text = |name| {
        request
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let Some(origin) = text(header::ORIGIN) else {
        return Preflight::BadRequest("Insufficient information. Origin request header needed.");
    };
    let Some(method) = text(header::ACCESS_CONTROL_REQUEST_METHOD) else {
        return Preflight::BadRequest("Invalid Access-Control-Request-Method: null");
    };
    let Some(rule) = rule else {
        return Preflight::Forbidden(NOT_ENABLED);
    };
    let requested_headers: Vec<String> = text(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .unwrap_or("")
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    let headers_allowed = requested_headers
        .iter()
        .all(|h| rule.allowed_headers.contains(&h.as_str()));
    if !rule.allows(origin, method) || !headers_allowed {
        return Preflight::Forbidden(NOT_ALLOWED);
    }
    let mut headers = HeaderMap::new();
    insert(&mut headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    insert(
        &mut headers,
        header::ACCESS_CONTROL_ALLOW_METHODS,
        &rule.allowed_methods.join(", "),
    );
    if !requested_headers.is_empty() {
        insert(
            &mut headers,
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            &requested_headers.join(", "),
        );
    }
    insert(
        &mut headers,
        header::VARY,
        "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    );
    Preflight::Allowed(headers)
}

/// The headers S3 adds to an actual (non-preflight) response when the rule matches, so the
/// page may read the status, the body and the ETag. Empty when it does not match.
pub fn response_headers(rule: Option<&CorsRule>, origin: Option<&str>, method: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let (Some(rule), Some(origin)) = (rule, origin) else {
        return headers;
    };
    if rule.allows(origin, method) {
        insert(&mut headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        insert(
            &mut headers,
            header::ACCESS_CONTROL_ALLOW_METHODS,
            &rule.allowed_methods.join(", "),
        );
        insert(
            &mut headers,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            &rule.expose_headers.join(", "),
        );
        insert(
            &mut headers,
            header::VARY,
            "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
        );
    }
    headers
}

fn insert(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "http://127.0.0.1:8080";

    fn request(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    header::HeaderName::from_static(k),
                    HeaderValue::from_str(v).unwrap(),
                )
            })
            .collect()
    }

    /// Name, the bucket's rule, the preflight's headers, the answer.
    type Case<'a> = (
        &'a str,
        Option<&'a CorsRule>,
        Vec<(&'static str, &'a str)>,
        Preflight,
    );

    #[test]
    fn preflights_are_answered_like_s3() {
        let rule = CorsRule::for_origin(SITE);
        let allowed = |headers: &str| {
            let mut want = HeaderMap::new();
            insert(&mut want, header::ACCESS_CONTROL_ALLOW_ORIGIN, SITE);
            insert(&mut want, header::ACCESS_CONTROL_ALLOW_METHODS, "PUT, POST");
            if !headers.is_empty() {
                insert(&mut want, header::ACCESS_CONTROL_ALLOW_HEADERS, headers);
            }
            insert(
                &mut want,
                header::VARY,
                "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
            );
            Preflight::Allowed(want)
        };
        let cases: Vec<Case> = vec![
            (
                "PUT with Content-Type from the site",
                Some(&rule),
                vec![
                    ("origin", SITE),
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-headers", "Content-Type"),
                ],
                allowed("content-type"),
            ),
            (
                "POST without extra headers",
                Some(&rule),
                vec![("origin", SITE), ("access-control-request-method", "POST")],
                allowed(""),
            ),
            (
                "another origin",
                Some(&rule),
                vec![
                    ("origin", "http://evil.example"),
                    ("access-control-request-method", "PUT"),
                ],
                Preflight::Forbidden(NOT_ALLOWED),
            ),
            (
                "a method the rule does not list",
                Some(&rule),
                vec![
                    ("origin", SITE),
                    ("access-control-request-method", "DELETE"),
                ],
                Preflight::Forbidden(NOT_ALLOWED),
            ),
            (
                "a header the rule does not list",
                Some(&rule),
                vec![
                    ("origin", SITE),
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-headers", "x-amz-acl"),
                ],
                Preflight::Forbidden(NOT_ALLOWED),
            ),
            (
                "no CORS configuration",
                None,
                vec![("origin", SITE), ("access-control-request-method", "PUT")],
                Preflight::Forbidden(NOT_ENABLED),
            ),
            (
                "no Origin",
                Some(&rule),
                vec![("access-control-request-method", "PUT")],
                Preflight::BadRequest("Insufficient information. Origin request header needed."),
            ),
        ];
        for (name, rule, headers, want) in cases {
            assert_eq!(preflight(rule, &request(&headers)), want, "{name}");
        }
    }

    #[test]
    fn actual_responses_expose_etag_only_to_the_site() {
        let rule = CorsRule::for_origin(SITE);
        let headers = response_headers(Some(&rule), Some(SITE), "PUT");
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], SITE);
        assert_eq!(headers[header::ACCESS_CONTROL_EXPOSE_HEADERS], "ETag");
        assert!(response_headers(Some(&rule), Some("http://other"), "PUT").is_empty());
        assert!(response_headers(None, Some(SITE), "PUT").is_empty());
        assert!(response_headers(Some(&rule), None, "PUT").is_empty());
    }
}
