//! Reading a FILE (or `-`) into text. Bytes that are not UTF-8 are not an I/O problem but a
//! finding about the file: they become a diagnostic at the first bad byte.

use std::io::Read;

use backfill_spec::{Diagnostic, Span};

pub struct Input {
    /// How the file is named in messages: the path, or `<stdin>`.
    pub name: String,
    /// The text, or the valid UTF-8 prefix when the file is not UTF-8.
    pub text: String,
    /// Set when the bytes are not UTF-8.
    pub encoding_error: Option<Diagnostic>,
}

/// `Err` is an I/O message (exit 2).
pub fn read(path: &str) -> Result<Input, String> {
    let (name, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("<stdin>: cannot read: {e}"))?;
        ("<stdin>".to_owned(), bytes)
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
        (path.to_owned(), bytes)
    };
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Input {
            name,
            text,
            encoding_error: None,
        },
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bad = e.as_bytes()[at];
            let mut bytes = e.into_bytes();
            bytes.truncate(at);
            let text = String::from_utf8(bytes).unwrap_or_default();
            let diagnostic = Diagnostic::error(
                "invalid-utf8",
                format!("the file is not UTF-8: byte 0x{bad:02X} at offset {at} cannot start or continue a character"),
                Span::new(at, at),
            )
            .with_hint("save the file as UTF-8 (specs are text; Latin-1 or UTF-16 editors' defaults are the usual cause)");
            Input {
                name,
                text,
                encoding_error: Some(diagnostic),
            }
        }
    })
}
