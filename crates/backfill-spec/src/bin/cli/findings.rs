//! Findings of one file (a spec or the catalog) and how they are printed: the text lines of
//! report.rs, or the JSON contract with the file added to each item.

use std::io::{self, Write};

use backfill_spec::{Catalog, ColumnUnit, Diagnostic, LineIndex, Severity, catalog, report};
use serde::Serialize;

use crate::args::Format;
use crate::input;

pub fn has_error(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// One file's findings, ready to print in either format.
pub struct Findings {
    pub file: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// The catalog and its own findings; `Err` is a usage or I/O message.
pub fn load_catalog(path: Option<&str>) -> Result<(Catalog, Option<Findings>), String> {
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

pub fn write_findings(out: &mut dyn Write, format: Format, all: &[Findings]) -> io::Result<()> {
    match format {
        Format::Text => {
            for f in all {
                out.write_all(report::text(&f.file, &f.text, &f.diagnostics, true).as_bytes())?;
            }
            Ok(())
        }
        Format::Json => {
            // The contract's items in the contract's key order, plus the file each comes
            // from (several files, one object).
            #[derive(Serialize)]
            struct Item<'a> {
                #[serde(flatten)]
                located: report::Located<'a>,
                file: &'a str,
            }
            #[derive(Serialize)]
            struct Out<'a> {
                diagnostics: Vec<Item<'a>>,
            }
            let mut diagnostics = Vec::new();
            for f in all {
                let index = LineIndex::new(&f.text);
                diagnostics.extend(f.diagnostics.iter().map(|d| Item {
                    located: report::locate(&index, d, ColumnUnit::Char),
                    file: &f.file,
                }));
            }
            serde_json::to_writer(&mut *out, &Out { diagnostics })?;
            writeln!(out)
        }
    }
}

pub fn count_line(all: &[Findings]) -> String {
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
