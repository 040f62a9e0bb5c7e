//! Sends the uploaded object to what the user pasted (a presigned PUT URL or POST form, read
//! by `backfill_spec::presign`), or to what the catalog's presign endpoint answered, and says
//! what came back. The presigned URL lives only in the upload panel's memory: nothing here
//! stores it or prints it.

use backfill_spec::presign::{self, ContentType, Explanation, Method, S3Error, Target, endpoint};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::{RequestCredentials, RequestRedirect, ResponseType};

/// Why the presign endpoint gave no target: explained, with a sign-in link when signing in
/// is the fix, and the CORS headers it must send when CORS is the likely cause.
pub struct NoTarget {
    pub explanation: Explanation,
    pub sign_in: Option<String>,
    pub cors_headers: Option<String>,
}

impl From<Explanation> for NoTarget {
    fn from(explanation: Explanation) -> NoTarget {
        NoTarget {
            explanation,
            sign_in: None,
            cors_headers: None,
        }
    }
}

/// Asks the catalog's presign endpoint for a target for this spec: a POST with the browser's
/// cookies (the endpoint sits behind the team's sign-on), never following a redirect (an
/// expired sign-on session answers with one, to its sign-in page).
pub async fn ask_target(url: &str, name: &str, fingerprint: &str) -> Result<Target, NoTarget> {
    let origin = window().location().origin().unwrap_or_default();
    let request = gloo_net::http::Request::post(url)
        .credentials(RequestCredentials::Include)
        .redirect(RequestRedirect::Manual)
        .header("content-type", "application/json")
        .body(endpoint::request_body(name, fingerprint));
    let sent = match request {
        Ok(request) => request.send().await,
        Err(e) => Err(e),
    };
    let response = match sent {
        Ok(response) => response,
        Err(_) => {
            return Err(NoTarget {
                explanation: endpoint::unreadable(url, &origin),
                sign_in: Some(endpoint::sign_in_url(url)),
                cors_headers: Some(endpoint::cors_headers(&origin)),
            });
        }
    };
    if response.type_() == ResponseType::Opaqueredirect {
        return Err(NoTarget {
            explanation: endpoint::redirected(url),
            sign_in: Some(endpoint::sign_in_url(url)),
            cors_headers: None,
        });
    }
    let text = answer_text(&response).await;
    if response.ok() {
        return endpoint::read_answer(url, &text).map_err(NoTarget::from);
    }
    let status = response.status();
    Err(NoTarget {
        explanation: endpoint::refused(url, status, &text),
        sign_in: (status == 401).then(|| endpoint::sign_in_url(url)),
        cors_headers: None,
    })
}

/// At most the first 64 KB of an answer's body, as text: a presign answer or an S3 error is
/// a few KB, and another host may send without end.
async fn answer_text(response: &gloo_net::http::Response) -> String {
    match response.body() {
        Some(body) => crate::browser::read_capped(body, presign::MAX_ERROR_ANSWER)
            .await
            .map(|(bytes, _)| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default(),
        None => String::new(),
    }
}

/// Why an upload did not go through.
pub enum Failure {
    /// The server answered with an error status the page could read.
    Refused {
        error: Option<S3Error>,
        explanation: Explanation,
    },
    /// No answer the page may read: fetch rejected with a bare `TypeError`.
    Unreadable { offline: bool },
    /// The browser would not even build the request (a URL or header fetch refuses).
    NotSent,
}

/// Sends `body` (the uploaded object) as `filename`. Ok holds the ETag, when the bucket's
/// CORS rule exposes it.
pub async fn send(target: &Target, body: &str, filename: &str) -> Result<Option<String>, Failure> {
    let content_type = target.content_type_to_send();
    let request = match target.method {
        Method::Put => {
            let mut put = gloo_net::http::Request::put(&target.url);
            if let Some(value) = content_type {
                put = put.header("content-type", value);
            }
            put.body(body).ok()
        }
        Method::Post => form(target, body, filename)
            .and_then(|form| gloo_net::http::Request::post(&target.url).body(form).ok()),
    };
    let Some(request) = request else {
        return Err(Failure::NotSent);
    };
    let response = match request.send().await {
        Ok(response) => response,
        Err(_) => return Err(unreadable()),
    };
    if response.ok() {
        return Ok(response.headers().get("etag"));
    }
    let status = response.status();
    let text = answer_text(&response).await;
    let error = presign::parse_error(&text);
    let explanation = presign::explain(status, error.as_ref(), content_type);
    Err(Failure::Refused { error, explanation })
}

fn unreadable() -> Failure {
    Failure::Unreadable {
        offline: !window().navigator().on_line(),
    }
}

/// The multipart form of a presigned POST: its fields in order, the Content-Type the policy
/// asks for (unless a field already carries it), then the file, last, as S3 requires.
fn form(target: &Target, body: &str, filename: &str) -> Option<web_sys::FormData> {
    let form = web_sys::FormData::new().ok()?;
    for (name, value) in &target.fields {
        form.append_with_str(name, value).ok()?;
    }
    let has_field = target
        .fields
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    if let ContentType::Exact(value) = &target.content_type
        && !has_field
    {
        form.append_with_str("Content-Type", value).ok()?;
    }
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(target.content_type_to_send().unwrap_or("application/json"));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    form.append_with_blob_and_filename("file", &blob, filename)
        .ok()?;
    Some(form)
}
