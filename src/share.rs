//! Share links: the spec text, deflated and base64url-encoded, in the URL fragment
//! (`#spec=…`). A fragment never reaches any server, so the link needs none and leaks nothing
//! to one. Deflate is the browser's own (`CompressionStream`), which costs the bundle nothing;
//! the encoding around it is pure and tested natively.

use backfill_spec::base64::{self, Alphabet};

/// The fragment key of a shared spec.
pub const KEY: &str = "spec=";
/// Texts larger than this are not put in a link (browsers and chat tools cut long URLs).
pub const MAX_TEXT_BYTES: usize = 512 * 1024;
/// Longer payloads are refused unread: a link is made from at most `MAX_TEXT_BYTES` of text.
pub const MAX_PAYLOAD_CHARS: usize = 1024 * 1024;

/// The payload of a share-link fragment (with or without `#`), if it is one.
pub fn payload(fragment: &str) -> Option<&str> {
    fragment.trim_start_matches('#').strip_prefix(KEY)
}

/// Unpadded base64url: safe in a URL fragment as it is.
pub fn base64url(bytes: &[u8]) -> String {
    base64::encode_url(bytes)
}

/// The bytes of unpadded base64url text; `None` for any other character.
pub fn unbase64url(text: &str) -> Option<Vec<u8>> {
    base64::decode(text, Alphabet::Url)
}

pub use browser::{decode, encode};

mod browser {
    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Blob, ReadableStream, ReadableWritablePair, Response};

    use super::*;

    #[wasm_bindgen]
    extern "C" {
        // web-sys has these only behind its unstable-APIs flag.
        #[wasm_bindgen(js_name = CompressionStream)]
        type Compression;
        #[wasm_bindgen(constructor, js_class = "CompressionStream")]
        fn new(format: &str) -> Compression;
        #[wasm_bindgen(js_name = DecompressionStream)]
        type Decompression;
        #[wasm_bindgen(constructor, js_class = "DecompressionStream")]
        fn new(format: &str) -> Decompression;
    }

    /// Runs bytes through a browser transform stream.
    async fn transform(bytes: &[u8], stream: &ReadableWritablePair) -> Result<Vec<u8>, JsValue> {
        let response = Response::new_with_opt_readable_stream(Some(&through(bytes, stream)?))?;
        let buffer = JsFuture::from(response.array_buffer()?).await?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }

    fn through(bytes: &[u8], stream: &ReadableWritablePair) -> Result<ReadableStream, JsValue> {
        let blob = Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes)))?;
        Ok(blob.stream().pipe_through(stream))
    }

    /// The fragment (without `#`) that carries `text`.
    pub async fn encode(text: &str) -> Result<String, JsValue> {
        let packed = transform(
            text.as_bytes(),
            Compression::new("deflate-raw").unchecked_ref(),
        )
        .await?;
        Ok(format!("{KEY}{}", base64url(&packed)))
    }

    /// The text a fragment carries: `Ok(None)` when it is no share link, `Err` saying why a
    /// share link could not be read.
    pub async fn decode(fragment: &str) -> Result<Option<String>, &'static str> {
        let Some(payload) = payload(fragment) else {
            return Ok(None);
        };
        if payload.len() > MAX_PAYLOAD_CHARS {
            return Err("the link is longer than any link this app makes");
        }
        let packed = unbase64url(payload)
            .ok_or("the link's spec is not valid base64url: was it cut short?")?;
        // Inflated no further than any text a link is made from: a small link that inflates
        // to gigabytes (a deflate bomb) is refused, not held.
        let broken = "the link's spec does not decompress: was it cut short?";
        let inflated = through(&packed, Decompression::new("deflate-raw").unchecked_ref())
            .map_err(|_| broken)?;
        let (bytes, whole) = crate::browser::read_capped(inflated, MAX_TEXT_BYTES)
            .await
            .map_err(|_| broken)?;
        if !whole {
            return Err(
                "the link's spec is larger than any link this app makes (512 KB): it was not opened",
            );
        }
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| "the link's spec is not UTF-8 text")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url(&bytes);
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert_eq!(text.len(), (len * 4).div_ceil(3));
            assert_eq!(unbase64url(&text), Some(bytes));
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert_eq!(unbase64url("a+b"), None);
    }

    #[test]
    fn only_spec_fragments_are_share_links() {
        assert_eq!(payload("#spec=abc"), Some("abc"));
        assert_eq!(payload("spec="), Some(""));
        assert_eq!(payload("#section-2"), None);
        assert_eq!(payload(""), None);
    }
}
