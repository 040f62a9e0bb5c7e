//! `fmt [--check] FILE`: the spec printed in canonical form, YAML staying YAML and JSON
//! staying JSON.

use std::io::{self, Write};

use backfill_spec::{Diagnostic, InputKind, Severity, analyze, catalog, emit, json_writer, report};

use crate::{FOUND_ERRORS, OK, input, options, usage_or_io};

pub fn fmt(out: &mut dyn Write, check: bool, path: &str) -> io::Result<u8> {
    let options = match options() {
        Ok(o) => o,
        Err(message) => return usage_or_io(&message),
    };
    let input = match input::read(path) {
        Ok(input) => input,
        Err(message) => return usage_or_io(&message),
    };
    if let Some(d) = input.encoding_error {
        eprint!("{}", report::text(&input.name, &input.text, &[d], true));
        return Ok(FOUND_ERRORS);
    }
    // Formatting is about form: errors of meaning (an unknown feed, a future day) do not
    // block it, but syntax and shape errors do, since the spec printed from the model would
    // silently drop what could not be read.
    let analysis = analyze(&input.text, catalog::demo(), &options);
    if analysis.kind == InputKind::UploadedObject {
        eprintln!(
            "{}: this is an uploaded object; fmt formats spec files (its spec is under `spec`)",
            input.name
        );
        return Ok(FOUND_ERRORS);
    }
    let blocking = form_errors(&input.text);
    let spec = match analysis.spec {
        Some(spec) if blocking.is_empty() => spec,
        _ => {
            eprint!(
                "{}",
                report::text(&input.name, &input.text, &blocking, true)
            );
            eprintln!("{}: not formatted: fix the errors above first", input.name);
            return Ok(FOUND_ERRORS);
        }
    };
    // Keep what ties the file to its schema in editors: a `$schema` key (which the model
    // does not hold) and, in YAML, the `# yaml-language-server:` comment.
    let schema_key = backfill_spec::yaml::parse_document(&input.text)
        .root
        .and_then(|root| {
            root.get("$schema")
                .and_then(|n| n.scalar())
                .map(str::to_owned)
        });
    let canonical = match analysis.kind {
        InputKind::Json => match &schema_key {
            Some(url) => emit::to_json_with_schema(&spec, url),
            None => emit::to_json(&spec),
        },
        _ => {
            let schema_line = input
                .text
                .lines()
                .next()
                .filter(|l| l.starts_with("# yaml-language-server:"));
            let mut out = String::new();
            if let Some(line) = schema_line {
                out.push_str(line);
                out.push('\n');
            }
            // A JSON string is a valid YAML double-quoted scalar.
            if let Some(url) = &schema_key {
                out.push_str(&format!("$schema: {}\n", json_writer::string(url)));
            }
            out.push_str(&emit::to_yaml(&spec));
            out
        }
    };
    if check {
        if canonical == input.text {
            return Ok(OK);
        }
        eprintln!(
            "{}: not in canonical form (run `backfill-spec fmt {path}`)",
            input.name
        );
        return Ok(FOUND_ERRORS);
    }
    let dropped = comment_lines(&input.text);
    if dropped > 0 && canonical != input.text {
        // Printing from the model cannot keep comments; say so rather than lose them quietly.
        eprintln!(
            "{}: note: {dropped} comment line{} not kept (fmt prints the spec from its content)",
            input.name,
            if dropped == 1 { "" } else { "s" }
        );
    }
    if path == "-" {
        out.write_all(canonical.as_bytes())?;
    } else if canonical != input.text
        && let Err(e) = std::fs::write(path, &canonical)
    {
        return usage_or_io(&format!("{path}: cannot write: {e}"));
    }
    Ok(OK)
}

/// The errors of reading (syntax) and decoding (shape: types, unknown or duplicate keys):
/// those after which the model no longer says all the text says.
fn form_errors(text: &str) -> Vec<Diagnostic> {
    let doc = backfill_spec::yaml::parse_document(text);
    let mut diagnostics = doc.diagnostics;
    match &doc.root {
        Some(root) => diagnostics.extend(backfill_spec::decode::spec(root).1),
        None => diagnostics.push(Diagnostic::error(
            "empty-document",
            "there is no spec here: the text is empty",
            backfill_spec::Span::new(0, 0),
        )),
    }
    diagnostics.retain(|d| d.severity == Severity::Error);
    diagnostics
}

/// Lines holding a YAML comment, apart from a leading `# yaml-language-server:` line. A
/// line-by-line approximation (a `#` at the start or after a blank, outside quotes on that
/// line), good enough for a note; JSON has no comments.
fn comment_lines(text: &str) -> usize {
    let mut count = 0;
    for (n, line) in text.lines().enumerate() {
        if n == 0 && line.starts_with("# yaml-language-server:") {
            continue;
        }
        let (mut single, mut double, mut previous) = (false, false, ' ');
        for c in line.chars() {
            match c {
                '\'' if !double => single = !single,
                '"' if !single && previous != '\\' => double = !double,
                '#' if !single && !double && previous.is_whitespace() => {
                    count += 1;
                    break;
                }
                _ => {}
            }
            previous = c;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    #[test]
    fn comment_lines_are_counted_outside_quotes() {
        let text = "# yaml-language-server: $schema=x\n# head\nname: a # tail\nreason: \"no # here\"\nticket: 'a # b'\nnote: a#b\n";
        assert_eq!(super::comment_lines(text), 2);
    }
}
