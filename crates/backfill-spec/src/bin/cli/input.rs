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

/// Far above any spec (the parser itself stops at 8 MiB with a finding), but a bound on what
/// a mistaken argument (a log file, /dev/zero) can make the CLI hold.
const MAX_READ_BYTES: u64 = 64 << 20;

/// `Err` is an I/O message (exit 2).
pub fn read(path: &str) -> Result<Input, String> {
    let name = if path == "-" {
        "<stdin>".to_owned()
    } else {
        path.to_owned()
    };
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin()
            .take(MAX_READ_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_READ_BYTES + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| format!("{name}: cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_READ_BYTES {
        let mib = MAX_READ_BYTES >> 20;
        return Err(format!(
            "{name}: larger than {mib} MiB, too large to be a spec"
        ));
    }
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
