//! The backfill spec core: text in, `Analysis { spec, plan, diagnostics }` out.
//!
//! Architecture invariants (see ARCHITECTURE.md): no browser code here; parsing never fails
//! (it returns what it understood plus diagnostics); every diagnostic carries a byte span.

pub mod catalog;
mod dates;
pub mod decode;
mod diagnostic;
pub mod emit;
mod model;
mod order;
pub mod plan;
pub mod presign;
pub mod report;
pub mod rules;
mod schema;
pub mod suggest;
mod uploaded;
pub mod wire;
pub mod yaml;

pub use dates::{Day, DayError, HourSet};
pub use diagnostic::{ColumnUnit, Diagnostic, LineCol, LineIndex, Severity, Span};
pub use model::*;
pub use plan::{Plan, Target, Unit};
pub use schema::json_schema;

/// What [`analyze`] needs besides the text and the catalog. The core never reads the clock:
/// the caller passes today's UTC date (tests pass a fixed one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub today: Day,
}

/// What the text turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// Nothing but whitespace and comments.
    Empty,
    Yaml,
    Json,
    /// An uploaded object (`{"fingerprint", "created_at", "spec", "plan"}`) pasted back: it is
    /// analysed through its `spec`, with spans in the full text.
    UploadedObject,
}

#[derive(Clone, Debug)]
pub struct Analysis {
    pub kind: InputKind,
    /// The spec as far as it could be understood; `None` when the text holds no mapping.
    pub spec: Option<Spec>,
    /// Built whenever a spec was decoded, from what could be understood of it.
    pub plan: Option<Plan>,
    /// Sorted by span, then code; at most [`MAX_DIAGNOSTICS`] and one that counts the rest.
    pub diagnostics: Vec<Diagnostic>,
}

/// Codes of "reading the text" findings (docs/rules.md) after which the spec is not the text's
/// whole content: what was decoded stops where reading stopped.
const READING_ERRORS: &[&str] = &[
    "syntax-error",
    "duplicate-key",
    "alias-limit",
    "nesting-too-deep",
    "multiple-documents",
    "input-too-large",
    "invalid-utf8",
];

impl Analysis {
    /// The spec when the whole text could be read, errors of meaning or shape allowed: what a
    /// second view of the text (the app's form) may show and rewrite without losing anything.
    pub fn readable_spec(&self) -> Option<&Spec> {
        let cut_short = self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && READING_ERRORS.contains(&d.code));
        if cut_short { None } else { self.spec.as_ref() }
    }
}

const UPLOADED_KEYS: &[&str] = &["fingerprint", "created_at", "spec", "plan"];

/// Text in, analysis out. Never fails and never panics.
///
/// The path: [`yaml::parse_document`] (tree with byte spans; syntax, duplicate keys, alias and
/// size limits) → [`decode::spec_with_map`] (shape and YAML pitfalls; the spec plus where each
/// field is) → [`rules::check`] (meaning, against the catalog and `options.today`) →
/// [`plan::build`] → the plan's duplicates and EMR/SQS limits as findings. Paths are relative
/// to the spec, also inside an uploaded object (so the form can use them as they are); spans
/// are always in `text`.
pub fn analyze(text: &str, catalog: &Catalog, options: &Options) -> Analysis {
    let doc = yaml::parse_document(text);
    let mut diagnostics = doc.diagnostics;
    let head = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let mut kind = if head.starts_with(['{', '[']) {
        InputKind::Json
    } else {
        InputKind::Yaml
    };
    let Some(root) = doc.root else {
        if diagnostics.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    "empty-document",
                    "there is no spec here: the text is empty",
                    Span::new(0, 0),
                )
                .with_hint("start with `version: 1`, `name:`, `reason:` and `backfills:`"),
            );
            kind = InputKind::Empty;
        }
        return Analysis {
            kind,
            spec: None,
            plan: None,
            diagnostics,
        };
    };
    let mut spec_root = &root;
    let mut uploaded = None;
    if let Some(inner) = root.get("spec")
        && root.get("backfills").is_none()
        && (root.get("plan").is_some() || root.get("fingerprint").is_some())
    {
        kind = InputKind::UploadedObject;
        let mut d = decode::Decoder::new(&mut diagnostics, doc.complete, text);
        d.unknown_keys(&root, "", UPLOADED_KEYS, "an uploaded object");
        uploaded = Some((root.get("fingerprint"), root.get("plan")));
        spec_root = inner;
    }
    let (spec, map) = decode::spec_with_map(spec_root, doc.complete, &mut diagnostics);
    if !matches!(spec_root.kind, yaml::NodeKind::Map(_)) {
        sort(&mut diagnostics);
        return Analysis {
            kind,
            spec: None,
            plan: None,
            diagnostics,
        };
    }
    let cx = rules::Context::new(catalog, options.today);
    let understood = rules::check(&spec, &map, &cx, &mut diagnostics);
    let plan = plan::build(&spec, catalog);
    rules::plan_findings(&plan, &spec, &map, &understood, &mut diagnostics);
    if let Some((fingerprint, plan_node)) = uploaded {
        let same_spec =
            fingerprint.is_none_or(|f| uploaded::check_fingerprint(f, &spec, &mut diagnostics));
        if let (true, Some(p)) = (same_spec, plan_node) {
            uploaded::check_plan(p, &plan, &mut diagnostics);
        }
    }
    sort(&mut diagnostics);
    Analysis {
        kind,
        spec: Some(spec),
        plan: Some(plan),
        diagnostics,
    }
}

/// More findings than anyone reads are cut, with one that says how many were left out: a
/// pasted log file must not produce a megabyte of diagnostics in the browser.
pub const MAX_DIAGNOSTICS: usize = 500;

/// Findings in reading order: by span, then code; ties keep the order they were found in.
/// One function for the spec's and the catalog's findings (one copy of the sort in wasm).
pub(crate) fn sort_findings(diagnostics: &mut Vec<Diagnostic>) {
    let found = std::mem::take(diagnostics);
    let order = order::stable_order(found.len(), &|a, b| {
        (found[a].span, found[a].code) < (found[b].span, found[b].code)
    });
    let mut slots: Vec<Option<Diagnostic>> = found.into_iter().map(Some).collect();
    diagnostics.extend(order.iter().filter_map(|&i| slots[i].take()));
}

fn sort(diagnostics: &mut Vec<Diagnostic>) {
    sort_findings(diagnostics);
    if diagnostics.len() > MAX_DIAGNOSTICS {
        let rest = diagnostics.len() - MAX_DIAGNOSTICS;
        let next = &diagnostics[MAX_DIAGNOSTICS];
        let d = Diagnostic::info(
            "too-many-findings",
            format!("{rest} more findings from here on are not shown"),
            next.span,
        )
        .with_hint("fix the ones above first; they often cause the rest")
        .with_path(next.path.clone());
        diagnostics.truncate(MAX_DIAGNOSTICS);
        diagnostics.push(d);
    }
}

#[cfg(test)]
mod readable_tests {
    use super::*;

    fn analysis(text: &str) -> Analysis {
        analyze(text, catalog::demo(), &Options { today: Day(20_000) })
    }

    #[test]
    fn a_spec_is_readable_despite_meaning_errors_but_not_after_a_syntax_error() {
        let ok = "version: 1\nname: x\nreason: y\nbackfills:\n  - {feeds: [nope], dates: \"2022-08-10\"}\n";
        assert!(analysis(ok).readable_spec().is_some());
        assert!(
            analysis(&ok.replace("[nope]", "[nope"))
                .readable_spec()
                .is_none()
        );
        assert!(analysis("a: 1\na: 2\n").readable_spec().is_none());
    }
}
