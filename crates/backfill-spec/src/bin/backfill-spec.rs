//! The `backfill-spec` CLI, for CI and pre-commit: a thin front-end over the core crate, with
//! the same rules as the web app. `backfill-spec --help` documents it; exit status 0 means
//! no error, 1 errors found, 2 a usage or I/O problem.

#[path = "cli/args.rs"]
mod args;
#[path = "cli/findings.rs"]
mod findings;
#[path = "cli/fmt.rs"]
mod fmt;
#[path = "cli/input.rs"]
mod input;
#[path = "cli/plan_text.rs"]
mod plan_text;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use args::{Command, Format};
use backfill_spec::{Day, Options, Plan, Spec, analyze};
use findings::{Findings, count_line, load_catalog, totals, write_findings};

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
        Command::Object {
            catalog,
            created_at,
            file,
        } => object(&mut out, catalog.as_deref(), created_at.as_deref(), &file)?,
        Command::Fmt { check, file } => fmt::fmt(&mut out, check, &file)?,
        Command::ConnectSrc { catalog } => connect_src(&mut out, &catalog)?,
        Command::FromMismatches {
            catalog,
            name,
            reason,
            ticket,
            json,
            append,
            file,
        } => {
            let given = backfill_spec::mismatches::Given {
                name: name.as_deref(),
                reason: reason.as_deref(),
                ticket: ticket.as_deref(),
            };
            let printed = match append {
                Some(spec) => Printed::AppendedTo(spec),
                None if json => Printed::Json,
                None => Printed::Yaml,
            };
            from_mismatches(&mut out, catalog.as_deref(), given, printed, &file)?
        }
    };
    out.flush()?;
    Ok(code)
}

/// The catalog (and its findings) and the options: what every command that reads specs or
/// rows needs first.
fn catalog_and_options(
    catalog_path: Option<&str>,
) -> Result<(backfill_spec::Catalog, Option<Findings>, Options), String> {
    let (catalog, findings) = load_catalog(catalog_path)?;
    Ok((catalog, findings, options()?))
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

fn lint(
    out: &mut dyn Write,
    catalog_path: Option<&str>,
    format: Format,
    files: &[String],
) -> io::Result<u8> {
    let (catalog, catalog_findings, options) = match catalog_and_options(catalog_path) {
        Ok(loaded) => loaded,
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
        all.push(match input.encoding_error {
            Some(d) => Findings::unreadable(input.name, input.text, d),
            None => {
                let a = analyze(&input.text, &catalog, &options);
                Findings {
                    file: input.name,
                    text: input.text,
                    diagnostics: a.diagnostics,
                    totals: a.totals,
                }
            }
        });
    }
    write_findings(out, format, &all)?;
    if format == Format::Text && !all.is_empty() {
        eprintln!("{}", count_line(&all));
    }
    if code == OK && totals(&all).errors > 0 {
        code = FOUND_ERRORS;
    }
    Ok(code)
}

/// The text of the spec file at `spec` with entries for the feed-days of `found` that its plan
/// lacks, appended as text (`mismatches::append`), and a line saying what was added.
fn append_to(
    spec: &str,
    catalog: &backfill_spec::Catalog,
    options: &backfill_spec::Options,
    found: &backfill_spec::mismatches::Mismatches,
) -> Result<(String, Option<String>), (u8, String)> {
    use backfill_spec::mismatches;
    let input = input::read(spec).map_err(|message| (USAGE_OR_IO, message))?;
    if input.encoding_error.is_some() {
        return Err((FOUND_ERRORS, format!("{spec} is not UTF-8 text")));
    }
    let analysis = backfill_spec::analyze(&input.text, catalog, options);
    let missing = match &analysis.plan {
        Some(plan) => mismatches::missing_from(plan, catalog, &found.set),
        None => found.set.clone(),
    };
    let entries = mismatches::entries(&catalog.feeds, &missing);
    let in_spec = found.set.len() - missing.len();
    if entries.is_empty() {
        let note = format!(
            "every feed-day of the list ({in_spec}) is already in {spec}: nothing appended"
        );
        return Ok((input.text, Some(note)));
    }
    let appended = match analysis.kind {
        backfill_spec::InputKind::Yaml | backfill_spec::InputKind::Json => {
            mismatches::append(&input.text, &entries)
        }
        _ => None,
    };
    let text = appended.ok_or_else(|| {
        let why = format!(
            "{spec} is not a spec whose `backfills` is a list, read without a syntax error: \
             fix it (`backfill-spec lint {spec}`), or make a new spec without --append"
        );
        (FOUND_ERRORS, why)
    })?;
    let note = format!(
        "appended {} entr{} for {} feed-day(s); {in_spec} were already in {spec}",
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" },
        missing.len()
    );
    Ok((text, Some(note)))
}

/// What `from-mismatches` prints.
enum Printed {
    Yaml,
    Json,
    /// This spec file's text, with the entries of the feed-days it lacks appended.
    AppendedTo(String),
}

/// The spec of a mismatch list's good rows on standard output (or a spec file's text with
/// them appended); the refused rows' findings (and the catalog's) on standard error.
fn from_mismatches(
    out: &mut dyn Write,
    catalog_path: Option<&str>,
    given: backfill_spec::mismatches::Given<'_>,
    printed: Printed,
    path: &str,
) -> io::Result<u8> {
    let (catalog, catalog_findings, options) = match catalog_and_options(catalog_path) {
        Ok(loaded) => loaded,
        Err(message) => return usage_or_io(&message),
    };
    let input = match input::read(path) {
        Ok(input) => input,
        Err(message) => return usage_or_io(&message),
    };
    let mut all: Vec<Findings> = catalog_findings.into_iter().collect();
    if let Some(d) = input.encoding_error {
        all.push(Findings::unreadable(input.name, input.text, d));
        write_findings(&mut io::stderr(), Format::Text, &all)?;
        return Ok(FOUND_ERRORS);
    }
    let found = backfill_spec::mismatches::read(&input.text, &catalog, &options);
    let (rows, refused) = (found.rows, found.refused);
    // What goes to standard output and a line about it, or why nothing does (and the status).
    let printed = match printed {
        Printed::AppendedTo(spec) => append_to(&spec, &catalog, &options, &found),
        Printed::Yaml | Printed::Json => {
            // The name and reason come from the path as given (`-`: standard input).
            match backfill_spec::mismatches::spec(&catalog, &found, path, given) {
                Some(spec) if matches!(printed, Printed::Json) => {
                    Ok((backfill_spec::emit::to_json(&spec), None))
                }
                Some(spec) => Ok((backfill_spec::emit::to_yaml(&spec), None)),
                None => Err((
                    FOUND_ERRORS,
                    "no mismatch could be read, so there is no spec".to_owned(),
                )),
            }
        }
    };
    all.push(Findings {
        file: input.name,
        text: input.text,
        diagnostics: found.findings,
        totals: found.totals,
    });
    write_findings(&mut io::stderr(), Format::Text, &all)?;
    eprintln!("{rows} row(s) read, {refused} refused");
    let text = match printed {
        Ok((text, note)) => {
            if let Some(note) = note {
                eprintln!("{note}");
            }
            text
        }
        Err((code, message)) => {
            eprintln!("backfill-spec: {message}");
            return Ok(code);
        }
    };
    out.write_all(text.as_bytes())?;
    Ok(if refused > 0 || totals(&all).errors > 0 {
        FOUND_ERRORS
    } else {
        OK
    })
}

/// The catalog's additions to a site's connect-src, on one line; its findings instead when
/// it has errors (a site is not built on a broken catalog).
fn connect_src(out: &mut dyn Write, catalog_path: &str) -> io::Result<u8> {
    let (catalog, findings) = match load_catalog(Some(catalog_path)) {
        Ok(c) => c,
        Err(message) => return usage_or_io(&message),
    };
    let all: Vec<Findings> = findings.into_iter().collect();
    if totals(&all).errors > 0 {
        write_findings(&mut io::stderr(), Format::Text, &all)?;
        eprintln!("{}", count_line(&all));
        return Ok(FOUND_ERRORS);
    }
    writeln!(
        out,
        "{}",
        backfill_spec::catalog::connect_sources(&catalog).join(" ")
    )?;
    Ok(OK)
}

fn plan(
    out: &mut dyn Write,
    catalog_path: Option<&str>,
    format: Format,
    path: &str,
) -> io::Result<u8> {
    let (name, _, plan) = match planned(out, catalog_path, format, path)? {
        Ok(planned) => planned,
        Err(code) => return Ok(code),
    };
    match format {
        Format::Json => plan.write_json(out)?,
        Format::Text => plan_text::write(out, &name, &plan)?,
    }
    Ok(OK)
}

/// The uploaded object, byte for byte what the app uploads for the same spec, catalog and
/// time (`backfill_spec::object::uploaded_object`, called the same way by src/components/upload_panel.rs).
fn object(
    out: &mut dyn Write,
    catalog_path: Option<&str>,
    created_at: Option<&str>,
    path: &str,
) -> io::Result<u8> {
    let created_at = match created_at {
        Some(text) => text.to_owned(),
        None => {
            let ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            backfill_spec::presign::rfc3339(ms)
        }
    };
    let (_, spec, plan) = match planned(out, catalog_path, Format::Text, path)? {
        Ok(planned) => planned,
        Err(code) => return Ok(code),
    };
    out.write_all(backfill_spec::object::uploaded_object(&spec, &plan, &created_at).as_bytes())?;
    Ok(OK)
}

/// The file's spec and plan, with its warnings on stderr; or, with errors (or an unreadable
/// file or catalog), the findings and the exit status instead. A plan from a spec with errors
/// would run something the user did not mean, so there is none: the findings are the output
/// (on stdout in JSON, for tools; exit 1 says which).
fn planned(
    out: &mut dyn Write,
    catalog_path: Option<&str>,
    format: Format,
    path: &str,
) -> io::Result<Result<(String, Spec, Plan), u8>> {
    let (catalog, catalog_findings) = match load_catalog(catalog_path) {
        Ok(c) => c,
        Err(message) => return usage_or_io(&message).map(Err),
    };
    let options = match options() {
        Ok(o) => o,
        Err(message) => return usage_or_io(&message).map(Err),
    };
    let input = match input::read(path) {
        Ok(input) => input,
        Err(message) => return usage_or_io(&message).map(Err),
    };
    let mut all: Vec<Findings> = catalog_findings.into_iter().collect();
    let analysed = match input.encoding_error {
        Some(d) => {
            all.push(Findings::unreadable(input.name.clone(), input.text, d));
            None
        }
        None => {
            let a = analyze(&input.text, &catalog, &options);
            all.push(Findings {
                file: input.name.clone(),
                text: input.text,
                diagnostics: a.diagnostics,
                totals: a.totals,
            });
            a.spec.zip(a.plan)
        }
    };
    match analysed {
        Some((spec, plan)) if totals(&all).errors == 0 => {
            if totals(&all).all() > 0 {
                write_findings(&mut io::stderr().lock(), Format::Text, &all)?;
            }
            Ok(Ok((input.name, spec, plan)))
        }
        _ => {
            match format {
                Format::Json => write_findings(out, Format::Json, &all)?,
                Format::Text => {
                    write_findings(&mut io::stderr().lock(), Format::Text, &all)?;
                    eprintln!("{}; no plan", count_line(&all));
                }
            }
            Ok(Err(FOUND_ERRORS))
        }
    }
}

fn usage_or_io(message: &str) -> io::Result<u8> {
    eprintln!("backfill-spec: {message}");
    Ok(USAGE_OR_IO)
}
