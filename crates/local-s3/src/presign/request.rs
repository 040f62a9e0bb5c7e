//! The protocol's body `{"name", "fingerprint", "content_type"}`, checked as
//! `pipeline/src/backfill_pipeline/presign/request.py` checks it, with its messages (values
//! quoted as Python's `repr` and `json.dumps` quote them).

use crate::lambda::is_fingerprint;
use http::StatusCode;
use serde_json::{Map, Value};

/// A presign request larger than this is refused (413).
pub const MAX_BODY_BYTES: usize = 4096;
/// What the app uploads an object as (src/upload.rs): the only type presigned.
pub const CONTENT_TYPE: &str = "application/json";

/// The request is refused: the status and a message that says what to change.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    pub status: StatusCode,
    pub message: String,
}

impl Refused {
    fn bad(message: String) -> Self {
        Refused {
            status: StatusCode::BAD_REQUEST,
            message,
        }
    }
}

/// A request that passed every check.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Asked {
    pub name: String,
    pub fingerprint: String,
    pub content_type: String,
}

/// The body, checked: at most [`MAX_BODY_BYTES`] (`len` is its whole length, of which
/// `body` may hold only the start), a JSON object, a slug name, a 64-hex fingerprint,
/// `application/json`.
pub(crate) fn presign_request(body: &[u8], len: usize) -> Result<Asked, Refused> {
    if len > MAX_BODY_BYTES {
        return Err(Refused {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!(
                "the body has {len} bytes; a presign request is a small JSON object \
                 (at most {MAX_BODY_BYTES} bytes)"
            ),
        });
    }
    let value: Value = serde_json::from_slice(body).map_err(|_| {
        Refused::bad(
            r#"the body is not JSON: send {"name": …, "fingerprint": …, "content_type": …}"#
                .to_owned(),
        )
    })?;
    let Value::Object(object) = value else {
        return Err(Refused::bad(
            r#"the body must be a JSON object {"name": …, "fingerprint": …, "content_type": …}"#
                .to_owned(),
        ));
    };
    let asked = Asked {
        name: string_field(&object, "name")?,
        fingerprint: string_field(&object, "fingerprint")?,
        content_type: string_field(&object, "content_type")?,
    };
    check(&asked)?;
    Ok(asked)
}

fn string_field(object: &Map<String, Value>, field: &str) -> Result<String, Refused> {
    let what = match object.get(field) {
        Some(Value::String(text)) => return Ok(text.clone()),
        None | Some(Value::Null) => "missing".to_owned(),
        Some(other) => format!("not a string ({})", first_chars(&py_json(other), 40)),
    };
    Err(Refused::bad(format!(
        "the field {} is {what}",
        py_repr(field)
    )))
}

fn check(asked: &Asked) -> Result<(), Refused> {
    if !is_slug(&asked.name) {
        return Err(Refused::bad(format!(
            "the name {} is not a slug: lowercase letters, digits and dashes, starting with a \
             letter or digit, at most 63 characters",
            py_repr(&first_chars(&asked.name, 80))
        )));
    }
    if !is_fingerprint(&asked.fingerprint) {
        return Err(Refused::bad(format!(
            "the fingerprint {} is not 64 lowercase hex digits (the spec's SHA-256, \
             docs/contract.md)",
            py_repr(&first_chars(&asked.fingerprint, 80))
        )));
    }
    if asked.content_type != CONTENT_TYPE {
        return Err(Refused::bad(format!(
            "the content_type {} is refused: an uploaded backfill is {CONTENT_TYPE}",
            py_repr(&first_chars(&asked.content_type, 80))
        )));
    }
    Ok(())
}

/// `^[a-z0-9][a-z0-9-]{0,62}$`.
fn is_slug(name: &str) -> bool {
    let lower_or_digit = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    match name.as_bytes().split_first() {
        Some((first, rest)) => {
            lower_or_digit(first)
                && rest.len() <= 62
                && rest.iter().all(|b| lower_or_digit(b) || *b == b'-')
        }
        None => false,
    }
}

/// Python's `text[:n]`: the first `n` characters.
fn first_chars(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

/// Python's `repr` of a string: single quotes, unless it holds one and no double quote.
pub(crate) fn py_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{a0}').contains(&c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `json.dumps` (`, ` and `: ` separators, ASCII only). Object keys come sorted:
/// serde_json keeps no order.
fn py_json(value: &Value) -> String {
    match value {
        Value::String(text) => py_json_string(text),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(py_json).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(object) => {
            let members: Vec<String> = object
                .iter()
                .map(|(key, value)| format!("{}: {}", py_json_string(key), py_json(value)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        scalar => scalar.to_string(),
    }
}

fn py_json_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_fingerprints_follow_the_protocols_patterns() {
        let long = "a".repeat(63);
        let too_long = "a".repeat(64);
        for (name, want) in [
            ("a", true),
            ("0-a-", true),
            (long.as_str(), true),
            (too_long.as_str(), false),
            ("", false),
            ("-a", false),
            ("A", false),
            ("a_b", false),
            ("é", false),
        ] {
            assert_eq!(is_slug(name), want, "{name:?}");
        }
        assert!(is_fingerprint(&"0af9".repeat(16)));
        for bad in ["0AF9".repeat(16), "0af9".repeat(15), "0ag9".repeat(16)] {
            assert!(!is_fingerprint(&bad), "{bad}");
        }
    }

    #[test]
    fn values_are_quoted_as_python_quotes_them() {
        for (text, want) in [
            ("plain", "'plain'"),
            ("it's", r#""it's""#),
            (r#"it's "x""#, r#"'it\'s "x"'"#),
            ("a\\b\nc\u{1}", r"'a\\b\nc\x01'"),
            ("été", "'été'"),
        ] {
            assert_eq!(py_repr(text), want, "{text:?}");
        }
        let value = serde_json::json!([1, true, {"b": "é", "a": null}, 2.5]);
        assert_eq!(
            py_json(&value),
            r#"[1, true, {"a": null, "b": "\u00e9"}, 2.5]"#
        );
    }
}
