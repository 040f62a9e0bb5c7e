//! Findings of one file (a spec or the catalog) and how they are printed: the text lines of
//! report.rs, or the JSON contract with the file added to each item.

use std::io::{self, Write};

use backfill_spec::{Catalog, ColumnUnit, Diagnostic, LineIndex, Totals, catalog, report};
use serde::Serialize;

use crate::args::Format;
use crate::input;

/// One file's findings, ready to print in either format: those shown, and the totals of
/// all of them (what the exit status follows).
pub struct Findings {
    pub file: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    pub totals: Totals,
}

impl Findings {
    /// A file that could not be read as text: its one finding.
    pub fn unreadable(file: String, text: String, finding: Diagnostic) -> Findings {
        let diagnostics = vec![finding];
        Findings {
            file,
            text,
            totals: Totals::of(&diagnostics),
            diagnostics,
        }
    }
}

/// All the files' totals added up.
pub fn totals(all: &[Findings]) -> Totals {
    all.iter().fold(Totals::default(), |t, f| Totals {
        errors: t.errors + f.totals.errors,
        warnings: t.warnings + f.totals.warnings,
        infos: t.infos + f.totals.infos,
    })
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
            Some(Findings::unreadable(input.name, input.text, d)),
        ));
    }
    let (catalog, diagnostics, totals) = catalog::parse(&input.text);
    Ok((
        catalog,
        Some(Findings {
            file: input.name,
            text: input.text,
            diagnostics,
            totals,
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
            /// Every finding counted by severity, including those collapsed or cut.
            #[derive(Serialize)]
            struct OutTotals {
                error: usize,
                warning: usize,
                info: usize,
            }
            #[derive(Serialize)]
            struct Out<'a> {
                diagnostics: Vec<Item<'a>>,
                totals: OutTotals,
            }
            let mut diagnostics = Vec::new();
            for f in all {
                let index = LineIndex::new(&f.text);
                diagnostics.extend(f.diagnostics.iter().map(|d| Item {
                    located: report::locate(&index, d, ColumnUnit::Char),
                    file: &f.file,
                }));
            }
            let t = totals(all);
            let totals = OutTotals {
                error: t.errors,
                warning: t.warnings,
                info: t.infos,
            };
            serde_json::to_writer(
                &mut *out,
                &Out {
                    diagnostics,
                    totals,
                },
            )?;
            writeln!(out)
        }
    }
}

/// `2 errors, 1 warning, 0 info`: every finding, shown or not.
pub fn count_line(all: &[Findings]) -> String {
    let t = totals(all);
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {} info",
        plural(t.errors, "error"),
        plural(t.warnings, "warning"),
        t.infos
    )
}
