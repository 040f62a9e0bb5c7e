//! Sends the uploaded object to what the user pasted (a presigned PUT URL or POST form, read
//! by `backfill_spec::presign`) and says what came back. The presigned URL lives only in
//! the upload panel's memory: nothing here stores it or prints it.

use backfill_spec::presign::{self, ContentType, Explanation, Method, S3Error, Target};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

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
    // At most the 64 KB that parse_error reads: S3's answers are a few KB, and a host other
    // than S3 may send without end.
    let text = match response.body() {
        Some(body) => crate::browser::read_capped(body, presign::MAX_ERROR_ANSWER)
            .await
            .map(|(bytes, _)| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default(),
        None => String::new(),
    };
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
