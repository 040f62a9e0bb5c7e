//! The `backfill-spec` CLI, for CI and pre-commit: a thin front-end over the core crate, with
//! the same rules as the web app. `backfill-spec --help` documents it; exit status 0 means
//! no error, 1 errors found, 2 a usage or I/O problem.

#[path = "cli/args.rs"]
mod args;
#[path = "cli/input.rs"]
mod input;
#[path = "cli/plan_text.rs"]
mod plan_text;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use args::{Command, Format};
use backfill_spec::{
    Catalog, Day, Diagnostic, InputKind, Options, Severity, analyze, catalog, emit, report,
};

const OK: u8 = 0;
const FOUND_ERRORS: u8 = 1;
const USAGE_OR_IO: u8 = 2;

fn main() -> ExitCode {
    let argv: Vec<_> = std::env::args_os().skip(1).collect();
    let code = match args::parse(&argv) {
        Err(message) => {
            eprintln!("backfill-spec: {message}\n\n{}", args::USAGE);
            USAGE_OR_IO
        }
        Ok(command) => match run(command) {
            Ok(code) => code,
            // A closed pipe (`backfill-spec plan x | head`) is the reader's choice, not a failure.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => OK,
            Err(e) => {
                eprintln!("backfill-spec: {e}");
                USAGE_OR_IO
            }
        },
    };
    ExitCode::from(code)
}

fn run(command: Command) -> io::Result<u8> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let code = match command {
        Command::Help => {
            out.write_all(args::USAGE.as_bytes())?;
            OK
        }
        Command::Version => {
            writeln!(out, "backfill-spec {}", env!("CARGO_PKG_VERSION"))?;
            OK
        }
        Command::Schema => {
            out.write_all(backfill_spec::json_schema().as_bytes())?;
            OK
        }
        Command::Lint {
            catalog,
            format,
            files,
        } => lint(&mut out, catalog.as_deref(), format, &files)?,
        Command::Plan {
            catalog,
            format,
            file,
        } => plan(&mut out, catalog.as_deref(), format, &file)?,
        Command::Fmt { check, file } => fmt(&mut out, check, &file)?,
    };
    out.flush()?;
    Ok(code)
}

fn has_error(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// The UTC date, unless BACKFILL_SPEC_TODAY pins it (reproducible CI runs and tests).
fn options() -> Result<Options, String> {
    if let Ok(text) = std::env::var("BACKFILL_SPEC_TODAY") {
        let today = Day::parse(&text)
            .map_err(|_| format!("BACKFILL_SPEC_TODAY={text:?} is not a YYYY-MM-DD day"))?;
        return Ok(Options { today });
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(Options {
        today: Day::from_unix_seconds(secs as i64),
    })
}

/// One file's findings, ready to print in either format.
struct Findings {
    file: String,
    text: String,
    diagnostics: Vec<Diagnostic>,
}

/// The catalog and its own findings; `Err` is a usage or I/O message.
fn load_catalog(path: Option<&str>) -> Result<(Catalog, Option<Findings>), String> {
    let Some(path) = path else {
        return Ok((catalog::demo().clone(), None));
    };
    let input = input::read(path)?;
    if let Some(d) = input.encoding_error {
        return Ok((
            catalog::demo().clone(),
            Some(Findings {
                file: input.name,
                text: input.text,
                diagnostics: vec![d],
            }),
        ));
    }
    let (catalog, diagnostics) = catalog::parse(&input.text);
    Ok((
        catalog,
        Some(Findings {
            file: input.name,
            text: input.text,
            diagnostics,
        }),
    ))
}

fn write_findings(out: &mut dyn Write, format: Format, all: &[Findings]) -> io::Result<()> {
    match format {
        Format::Text => {
            for f in all {
                out.write_all(report::text(&f.file, &f.text, &f.diagnostics, true).as_bytes())?;
            }
            Ok(())
        }
        Format::Json => {
            // The contract's items, plus the file each comes from (several files, one object).
            let mut items = Vec::new();
            for f in all {
                let located: serde_json::Value =
                    serde_json::from_str(&report::json(&f.text, &f.diagnostics))
                        .unwrap_or_else(|_| serde_json::json!({"diagnostics": []}));
                if let Some(list) = located["diagnostics"].as_array() {
                    for item in list {
                        let mut item = item.clone();
                        item["file"] = serde_json::Value::String(f.file.clone());
                        items.push(item);
                    }
                }
            }
            serde_json::to_writer(&mut *out, &serde_json::json!({ "diagnostics": items }))?;
            writeln!(out)
        }
    }
}

fn count_line(all: &[Findings]) -> String {
    let count = |s| {
        all.iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let infos = count(Severity::Info);
    format!(
        "{}, {}, {infos} info",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    )
}

fn lint(
    out: &mut dyn Write,
    catalog_path: Option<&str>,
    format: Format,
    files: &[String],
) -> io::Result<u8> {
    let (catalog, catalog_findings) = match load_catalog(catalog_path) {
        Ok(c) => c,
        Err(message) => return usage_or_io(&message),
    };
    let options = match options() {
        Ok(o) => o,
        Err(message) => return usage_or_io(&message),
    };
    let mut code = OK;
    let mut all: Vec<Findings> = catalog_findings.into_iter().collect();
    for path in files {
        let input = match input::read(path) {
            Ok(input) => input,
            Err(message) => {
                eprintln!("backfill-spec: {message}");
                code = USAGE_OR_IO;
                continue;
            }
        };
        let diagnostics = match input.encoding_error {
            Some(d) => vec![d],
            None => analyze(&input.text, &catalog, &options).diagnostics,
        };
        all.push(Findings {
            file: input.name,
            text: input.text,
            diagnostics,
        });
    }
    write_findings(out, format, &all)?;
    if format == Format::Text {
        eprintln!("{}", count_line(&all));
    }
    if code == OK && all.iter().any(|f| has_error(&f.diagnostics)) {
        code = FOUND_ERRORS;
    }
    Ok(code)
}

fn plan(
    out: &mut dyn Write,
    catalog_path: Option<&str>,
    format: Format,
    path: &str,
) -> io::Result<u8> {
    let (catalog, catalog_findings) = match load_catalog(catalog_path) {
        Ok(c) => c,
        Err(message) => return usage_or_io(&message),
    };
    let options = match options() {
        Ok(o) => o,
        Err(message) => return usage_or_io(&message),
    };
    let input = match input::read(path) {
        Ok(input) => input,
        Err(message) => return usage_or_io(&message),
    };
    let (analysis, diagnostics) = match input.encoding_error {
        Some(d) => (None, vec![d]),
        None => {
            let a = analyze(&input.text, &catalog, &options);
            let d = a.diagnostics.clone();
            (Some(a), d)
        }
    };
    let mut all: Vec<Findings> = catalog_findings.into_iter().collect();
    all.push(Findings {
        file: input.name.clone(),
        text: input.text,
        diagnostics,
    });
    let plan = analysis.and_then(|a| a.plan);
    match plan {
        // A plan from a spec with errors would run something the user did not mean: the
        // findings are the output instead (on stdout in JSON, for tools; exit 1 says which).
        Some(plan) if !all.iter().any(|f| has_error(&f.diagnostics)) => {
            let warnings = all.iter().any(|f| !f.diagnostics.is_empty());
            if warnings {
                write_findings(&mut io::stderr().lock(), Format::Text, &all)?;
            }
            match format {
                Format::Json => plan.write_json(out)?,
                Format::Text => plan_text::write(out, &input.name, &plan)?,
            }
            Ok(OK)
        }
        _ => {
            match format {
                Format::Json => write_findings(out, Format::Json, &all)?,
                Format::Text => {
                    write_findings(&mut io::stderr().lock(), Format::Text, &all)?;
                    eprintln!("{}; no plan", count_line(&all));
                }
            }
            Ok(FOUND_ERRORS)
        }
    }
}

fn fmt(out: &mut dyn Write, check: bool, path: &str) -> io::Result<u8> {
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
    let canonical = match analysis.kind {
        InputKind::Json => emit::to_json(&spec),
        _ => {
            // Keep the editor's schema comment: it is the one comment fmt understands.
            let schema_line = input
                .text
                .lines()
                .next()
                .filter(|l| l.starts_with("# yaml-language-server:"));
            match schema_line {
                Some(line) => format!("{line}\n{}", emit::to_yaml(&spec)),
                None => emit::to_yaml(&spec),
            }
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

fn usage_or_io(message: &str) -> io::Result<u8> {
    eprintln!("backfill-spec: {message}");
    Ok(USAGE_OR_IO)
}
