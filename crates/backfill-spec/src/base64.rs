//! The one base64 of the project (a leaf): share links are unpadded base64url
//! ([`encode_url`], [`decode`] with [`Alphabet::Url`]); an S3 POST form's policy is standard
//! base64 as people paste it ([`Alphabet::Lenient`]).

const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Which texts [`decode`] takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// Unpadded base64url and nothing else (a share link's payload).
    Url,
    /// Standard or URL-safe letters, mixed or not; padding and line breaks skipped.
    Lenient,
}

/// Unpadded base64url: safe in a URL fragment as it is.
pub fn encode_url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(URL_ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The bytes of `text`; `None` for a character the alphabet does not take.
pub fn decode(text: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.bytes() {
        let value = match (b, alphabet) {
            (b'A'..=b'Z', _) => b - b'A',
            (b'a'..=b'z', _) => b - b'a' + 26,
            (b'0'..=b'9', _) => b - b'0' + 52,
            (b'-', _) | (b'+', Alphabet::Lenient) => 62,
            (b'_', _) | (b'/', Alphabet::Lenient) => 63,
            (b'=' | b'\n' | b'\r', Alphabet::Lenient) => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_decodes_with_or_without_padding_and_refuses_other_bytes() {
        let base64_decode = |text| decode(text, Alphabet::Lenient);
        assert_eq!(base64_decode("eyJhIjogMX0="), Some(b"{\"a\": 1}".to_vec()));
        assert_eq!(base64_decode("eyJhIjogMX0"), Some(b"{\"a\": 1}".to_vec()));
        assert_eq!(base64_decode("+/-_"), Some(vec![0xfb, 0xff, 0xbf]));
        assert_eq!(base64_decode(""), Some(vec![]));
        assert_eq!(base64_decode("ey J"), None);
        assert_eq!(base64_decode("é"), None);
    }

    #[test]
    fn url_round_trips_every_length_and_takes_nothing_else() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(decode(&encode_url(&bytes), Alphabet::Url), Some(bytes));
        }
        assert_eq!(encode_url(b"\xfb\xff"), "-_8");
        assert_eq!(decode("a+b", Alphabet::Url), None);
        assert_eq!(decode("ab==", Alphabet::Url), None);
    }
}
