//! Findings of one file (a spec or the catalog) and how they are printed: the text lines of
//! report.rs, or the JSON contract with the file added to each item.

use std::io::{self, Write};

use backfill_spec::json_writer::{JsonWriter, Layout};
use backfill_spec::{Catalog, ColumnUnit, Diagnostic, LineIndex, Totals, catalog, report};

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
            // from (several files, one object), and every finding counted by severity,
            // including those collapsed or cut.
            let mut text = String::new();
            let mut json = JsonWriter::compact(&mut text);
            json.begin_object(Layout::Compact);
            json.key("diagnostics");
            json.begin_array(Layout::Compact);
            for f in all {
                let index = LineIndex::new(&f.text);
                for d in &f.diagnostics {
                    json.begin_object(Layout::Compact);
                    report::locate(&index, d, ColumnUnit::Char).write_fields(&mut json);
                    json.key("file");
                    json.string(&f.file);
                    json.end_object();
                }
            }
            json.end_array();
            let t = totals(all);
            json.key("totals");
            json.begin_object(Layout::Compact);
            json.key("error");
            json.count(t.errors);
            json.key("warning");
            json.count(t.warnings);
            json.key("info");
            json.count(t.infos);
            json.end_object();
            json.end_object();
            out.write_all(text.as_bytes())?;
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
