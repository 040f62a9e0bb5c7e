//! Share links: the spec text, deflated and base64url-encoded, in the URL fragment
//! (`#spec=…`). A fragment never reaches any server, so the link needs none and leaks nothing
//! to one. Pure functions, tested natively.

/// The fragment key of a shared spec.
pub const KEY: &str = "spec=";
/// Texts larger than this are not put in a link (browsers and chat tools cut long URLs).
pub const MAX_TEXT_BYTES: usize = 512 * 1024;

/// The fragment (without `#`) that carries `text`.
pub fn encode(text: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    format!("{KEY}{}", base64url(&packed))
}

/// The text carried by a fragment (with or without `#`), or why there is none.
pub fn decode(fragment: &str) -> Result<Option<String>, &'static str> {
    let fragment = fragment.trim_start_matches('#');
    let Some(payload) = fragment.strip_prefix(KEY) else { return Ok(None) };
    let packed = unbase64url(payload).ok_or("the link's spec is not valid base64url: was it cut short?")?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_TEXT_BYTES * 4)
        .map_err(|_| "the link's spec does not decompress: was it cut short?")?;
    String::from_utf8(bytes).map(Some).map_err(|_| "the link's spec is not UTF-8 text")
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_survive_the_round_trip() {
        for text in ["", "a", "ab", "abc", "version: 1\nname: é😀\n", &"x: [1, 2]\n".repeat(500)] {
            let fragment = encode(text);
            assert!(fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
            assert_eq!(decode(&format!("#{fragment}")), Ok(Some(text.to_string())), "{text:?}");
        }
    }

    #[test]
    fn other_fragments_and_damage_are_told_apart() {
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#section-2"), Ok(None));
        assert!(decode("#spec=***").is_err());
        let cut = encode(&"version: 1\n".repeat(50));
        assert!(decode(&cut[..cut.len() / 2]).is_err());
    }
}
