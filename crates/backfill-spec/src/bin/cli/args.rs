//! Command-line parsing, by hand: seven commands and a few options do not justify a
//! dependency. Errors are messages; the caller exits 2 with the usage.

use std::ffi::OsString;

pub const USAGE: &str = "\
backfill-spec: lint, plan and format backfill specs (the same rules as the web app)

Usage:
  backfill-spec lint [--catalog FILE] [--format text|json] FILE...
  backfill-spec lint --catalog FILE [--format text|json]
  backfill-spec plan [--catalog FILE] [--format text|json] FILE
  backfill-spec object [--catalog FILE] [--created-at RFC3339] FILE
  backfill-spec fmt [--check] FILE
  backfill-spec schema
  backfill-spec connect-src --catalog FILE
  backfill-spec from-mismatches [--catalog FILE] [--name N] [--reason R] [--ticket T]
                                [--format yaml|json] FILE
  backfill-spec from-mismatches [--catalog FILE] --append SPEC FILE
  backfill-spec --help | --version

Commands:
  lint    Check specs (YAML, JSON, or an uploaded object). Text: one
          `file:line:col: severity[code]: message` per finding, with its hint.
          JSON: {\"diagnostics\": [{severity, code, message, hint, line, column,
          end_line, end_column, path, file, related?}]}.
          With --catalog and no FILE, checks the catalog alone.
  plan    Print what a spec runs: the summary, the EMR steps in waves (the
          AddJobFlowSteps shape) and the replay messages in batches.
          With errors, prints the diagnostics instead (JSON with --format json).
  object  Print the object the app uploads for this spec: fingerprint,
          plan_sha256, created_at, the canonical spec and its plan (see
          docs/contract.md). With errors, prints the diagnostics instead.
  fmt     Rewrite a spec in canonical form (YAML stays YAML, JSON stays JSON).
          Comments are not kept, except a leading `# yaml-language-server:` line
          (a `$schema` key is kept too).
          --check changes nothing and exits 1 when the file is not canonical.
  schema  Print the JSON Schema of spec v1 (for `# yaml-language-server: $schema=`).
  connect-src
          Print what a site serving this catalog adds to its CSP's connect-src (the
          allowed upload hosts, the presign endpoint's origin), one line; `make dist`
          uses it. With errors in the catalog, prints them instead.
  from-mismatches
          Print a spec that backfills exactly the mismatches a reconciliation job
          listed (CSV or TSV with a header, JSON Lines, or `feed day [hours]`
          lines; docs/mismatches.md), in few entries. Refused rows go to standard
          error as findings; the spec of the good rows is still printed, and the
          exit status is 1. Name and reason come from the file and its days unless
          given. With --append SPEC: SPEC as it is, with entries for the feed-days
          it does not backfill yet added at the end of its `backfills` list
          (comments and layout kept; the file itself is not changed).

Options:
  --catalog FILE   The catalog (YAML or JSON); default: the built-in demo catalog.
  --format FORMAT  text (default) or json.
  --created-at T   The object's creation time, as the app writes it
                   (2026-01-01T12:00:00Z); default: now.
  FILE             A path, or - for standard input.

Exit status: 0 no error, 1 errors found (fmt --check: not canonical),
2 usage or I/O problem.
\"Today\" (for the future-day rule) is the UTC date, or BACKFILL_SPEC_TODAY=YYYY-MM-DD.
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Version,
    Lint {
        catalog: Option<String>,
        format: Format,
        files: Vec<String>,
    },
    Plan {
        catalog: Option<String>,
        format: Format,
        file: String,
    },
    Object {
        catalog: Option<String>,
        created_at: Option<String>,
        file: String,
    },
    Fmt {
        check: bool,
        file: String,
    },
    Schema,
    ConnectSrc {
        catalog: String,
    },
    FromMismatches {
        catalog: Option<String>,
        name: Option<String>,
        reason: Option<String>,
        ticket: Option<String>,
        json: bool,
        /// `--append SPEC`: SPEC's text with the missing feed-days' entries added.
        append: Option<String>,
        file: String,
    },
}

pub fn parse(args: &[OsString]) -> Result<Command, String> {
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            a.to_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("argument {a:?} is not valid UTF-8"))
        })
        .collect::<Result<_, _>>()?;
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".into());
    };
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(Command::Help);
    }
    let mut catalog = None;
    let mut created_at = None;
    let mut format = Format::Text;
    let mut check = false;
    let (mut name_given, mut reason, mut ticket, mut json) = (None, None, None, false);
    let mut append = None;
    let mut files = Vec::new();
    let mut options_done = false;
    let mut i = 0;
    while i < rest.len() {
        let arg = rest[i].as_str();
        i += 1;
        if options_done || arg == "-" || !arg.starts_with('-') {
            files.push(arg.to_owned());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (arg, None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            let v = rest
                .get(i)
                .cloned()
                .ok_or_else(|| format!("{name} needs {what}"))?;
            i += 1;
            Ok(v)
        };
        match (command.as_str(), name) {
            (_, "--") => options_done = true,
            ("lint" | "plan" | "object" | "connect-src" | "from-mismatches", "--catalog") => {
                catalog = Some(value("a file")?)
            }
            ("object", "--created-at") => created_at = Some(rfc3339(value("a time")?)?),
            ("lint" | "plan", "--format") => {
                format = match value("text or json")?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => return Err(format!("--format takes text or json, not {other:?}")),
                }
            }
            ("fmt", "--check") if inline.is_none() => check = true,
            ("from-mismatches", "--name") => name_given = Some(value("a name")?),
            ("from-mismatches", "--reason") => reason = Some(value("a reason")?),
            ("from-mismatches", "--ticket") => ticket = Some(value("a ticket")?),
            ("from-mismatches", "--append") => append = Some(value("a spec file")?),
            ("from-mismatches", "--format") => {
                json = match value("yaml or json")?.as_str() {
                    "yaml" => false,
                    "json" => true,
                    other => return Err(format!("--format takes yaml or json, not {other:?}")),
                }
            }
            _ => return Err(format!("unknown option {arg:?} for {command:?}")),
        }
    }
    let one_file = |files: Vec<String>| -> Result<String, String> {
        match <[String; 1]>::try_from(files) {
            Ok([file]) => Ok(file),
            Err(files) if files.is_empty() => {
                Err(format!("{command} needs a FILE (or - for standard input)"))
            }
            Err(_) => Err(format!("{command} takes one FILE")),
        }
    };
    match command.as_str() {
        "--help" | "-h" | "help" => Ok(Command::Help),
        "--version" | "-V" => Ok(Command::Version),
        "lint" if files.is_empty() && catalog.is_none() => Err(
            "lint needs at least one FILE (or - for standard input), or a --catalog to check"
                .into(),
        ),
        "lint" => Ok(Command::Lint {
            catalog,
            format,
            files,
        }),
        "plan" => Ok(Command::Plan {
            catalog,
            format,
            file: one_file(files)?,
        }),
        "object" => Ok(Command::Object {
            catalog,
            created_at,
            file: one_file(files)?,
        }),
        "fmt" => Ok(Command::Fmt {
            check,
            file: one_file(files)?,
        }),
        "schema" if files.is_empty() => Ok(Command::Schema),
        "schema" => Err("schema takes no FILE".into()),
        "connect-src" if !files.is_empty() => Err("connect-src takes no FILE".into()),
        "from-mismatches"
            if append.is_some() && (name_given.is_some() || reason.is_some() || json) =>
        {
            Err("--append keeps the spec's own name, reason and format: drop --name, --reason and --format".into())
        }
        "from-mismatches" if append.as_deref() == Some("-") && files.iter().any(|f| f == "-") => {
            Err("--append - and FILE - cannot both be standard input".into())
        }
        "from-mismatches" => Ok(Command::FromMismatches {
            catalog,
            name: name_given,
            reason,
            ticket,
            json,
            append,
            file: one_file(files)?,
        }),
        "connect-src" => Ok(Command::ConnectSrc {
            catalog: catalog.ok_or("connect-src needs --catalog FILE")?,
        }),
        other => Err(format!("unknown command {other:?}")),
    }
}

/// A time as the app writes it: `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC, whole seconds).
fn rfc3339(text: String) -> Result<String, String> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>, max: u32| {
        b.get(range.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            && text[range].parse::<u32>().is_ok_and(|n| n <= max)
    };
    let well_formed = b.len() == 20
        && backfill_spec::Day::parse(&text[..10]).is_ok()
        && b[10] == b'T'
        && digits(11..13, 23)
        && b[13] == b':'
        && digits(14..16, 59)
        && b[16] == b':'
        && digits(17..19, 59)
        && b[19] == b'Z';
    if well_formed {
        Ok(text)
    } else {
        Err(format!(
            "--created-at takes a UTC time like 2026-01-01T12:00:00Z, not {text:?}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Command, String> {
        parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(
            run(&[
                "lint",
                "--catalog",
                "c.yaml",
                "--format=json",
                "a.yaml",
                "-"
            ]),
            Ok(Command::Lint {
                catalog: Some("c.yaml".into()),
                format: Format::Json,
                files: vec!["a.yaml".into(), "-".into()]
            })
        );
        assert_eq!(
            run(&["plan", "x.yaml"]),
            Ok(Command::Plan {
                catalog: None,
                format: Format::Text,
                file: "x.yaml".into()
            })
        );
        assert_eq!(
            run(&["fmt", "--check", "x.yaml"]),
            Ok(Command::Fmt {
                check: true,
                file: "x.yaml".into()
            })
        );
        assert_eq!(
            run(&["fmt", "--", "-odd.yaml"]),
            Ok(Command::Fmt {
                check: false,
                file: "-odd.yaml".into()
            })
        );
        assert_eq!(
            run(&["object", "--created-at", "2026-01-01T12:00:00Z", "x.yaml"]),
            Ok(Command::Object {
                catalog: None,
                created_at: Some("2026-01-01T12:00:00Z".into()),
                file: "x.yaml".into()
            })
        );
        assert_eq!(run(&["schema"]), Ok(Command::Schema));
        assert_eq!(
            run(&["connect-src", "--catalog", "c.yaml"]),
            Ok(Command::ConnectSrc {
                catalog: "c.yaml".into()
            })
        );
        assert_eq!(
            run(&["lint", "--catalog", "c.yaml"]),
            Ok(Command::Lint {
                catalog: Some("c.yaml".into()),
                format: Format::Text,
                files: Vec::new()
            })
        );
        assert_eq!(run(&["lint", "--help"]), Ok(Command::Help));
    }

    #[test]
    fn refuses_what_is_not_documented() {
        for bad in [
            &[][..],
            &["lint"],
            &["connect-src"],
            &["connect-src", "--catalog", "c.yaml", "spec.yaml"],
            &["lint", "--format", "xml", "a"],
            &["lint", "--catalog"],
            &["plan", "a", "b"],
            &["fmt", "--catalog", "c", "a"],
            &["schema", "x"],
            &["frobnicate"],
            &["lint", "--check", "a"],
            &["object", "--created-at", "2026-01-01 12:00:00", "a"],
            &["object", "--created-at", "2026-13-01T12:00:00Z", "a"],
            &["object", "--format", "json", "a"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
    }
}
