//! The few things the app asks of the browser besides the DOM: storage, the clock, the URL
//! fragment and file downloads. Failures here are reported to the caller, never thrown.

use backfill_spec::Day;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Saves a value; false when storage is full or switched off.
pub fn save(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes a value (nothing to do when storage is off).
pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Reads a stream's bytes, at most `cap` of them: the bytes, and whether they are all there
/// were. Past `cap` the stream is cancelled, so a hostile sender cannot make the page hold
/// more.
pub async fn read_capped(
    stream: web_sys::ReadableStream,
    cap: usize,
) -> Result<(Vec<u8>, bool), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read()).await?;
        if js_sys::Reflect::get(&chunk, &"done".into())?.is_truthy() {
            return Ok((out, true));
        }
        let bytes = js_sys::Uint8Array::new(&js_sys::Reflect::get(&chunk, &"value".into())?);
        let room = cap - out.len();
        if bytes.length() as usize > room {
            out.extend(bytes.subarray(0, room as u32).to_vec());
            let _ = reader.cancel();
            return Ok((out, false));
        }
        out.extend(bytes.to_vec());
    }
}

/// Today's date in UTC.
pub fn today() -> Day {
    Day::from_unix_seconds((js_sys::Date::now() / 1000.0) as i64)
}

pub fn fragment() -> String {
    window().location().hash().unwrap_or_default()
}

/// Removes the fragment without a reload or a history entry.
pub fn clear_fragment() {
    let location = window().location();
    let path = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

/// The page's address without its fragment.
pub fn page_url() -> String {
    let href = window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Offers `contents` as a file download named `name`.
pub fn download(name: &str, contents: &str, mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not offer the file".to_string())?;
    let link: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "the browser could not offer the file".to_string())?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Asks the user a yes/no question (the browser's own dialog).
pub fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}
