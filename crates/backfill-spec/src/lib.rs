//! The backfill spec core: text in, `Analysis { spec, plan, diagnostics }` out.
//!
//! Architecture invariants (see ARCHITECTURE.md): no browser code here; parsing never fails
//! (it returns what it understood plus diagnostics); every diagnostic carries a byte span.

pub mod base64;
pub mod catalog;
pub mod complete;
mod dates;
pub mod decode;
mod diagnostic;
pub mod emit;
pub mod example;
pub mod fields;
pub mod findings;
pub mod json_writer;
pub mod mismatches;
mod model;
pub mod object;
mod order;
pub mod plan;
pub mod presign;
pub mod report;
pub mod rules;
mod schema;
pub mod suggest;
pub mod tokens;
mod uploaded;
pub mod wire;
pub mod yaml;

pub use dates::{Day, DayError, HourSet};
pub use diagnostic::{ColumnUnit, Diagnostic, LineCol, LineIndex, Severity, Span};
pub use findings::Totals;
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
    /// An uploaded object (`{"fingerprint", "plan_sha256", "created_at", "spec", "plan"}`)
    /// pasted back: it is analysed through its `spec`, with spans in the full text.
    UploadedObject,
}

impl InputKind {
    /// Every kind, in declaration order.
    pub const ALL: [InputKind; 4] = [
        InputKind::Empty,
        InputKind::Yaml,
        InputKind::Json,
        InputKind::UploadedObject,
    ];
}

#[derive(Clone, Debug)]
pub struct Analysis {
    pub kind: InputKind,
    /// The spec as far as it could be understood; `None` when the text holds no mapping.
    pub spec: Option<Spec>,
    /// Built whenever a spec was decoded, from what could be understood of it.
    pub plan: Option<Plan>,
    /// What to show: sorted by span, then code; repeats collapsed; at most
    /// [`findings::MAX_SHOWN`] (errors kept before warnings and notes) and one that counts
    /// the rest. Decide nothing from its length: read `totals`.
    pub diagnostics: Vec<Diagnostic>,
    /// Every finding, counted before anything was collapsed or cut.
    pub totals: Totals,
    /// The whole text was read: no finding of [`READING_ERRORS`] (decided before the cut).
    pub read_whole: bool,
}

/// Codes of "reading the text" findings (docs/rules.md) after which the spec is not the text's
/// whole content: what was decoded stops where reading stopped.
pub const READING_ERRORS: &[&str] = &[
    "syntax-error",
    "duplicate-key",
    "alias-limit",
    "nesting-too-deep",
    "multiple-documents",
    "input-too-large",
    "too-many-values",
    "invalid-utf8",
];

impl Analysis {
    /// The spec when the whole text could be read, errors of meaning or shape allowed: what a
    /// second view of the text (the app's form) may show and rewrite without losing anything.
    pub fn readable_spec(&self) -> Option<&Spec> {
        if self.read_whole {
            self.spec.as_ref()
        } else {
            None
        }
    }

    /// Whether any finding, shown or not, is an error: what refuses an upload, a download
    /// and the CLI's exit status 0.
    pub fn has_errors(&self) -> bool {
        self.totals.errors > 0
    }
}

fn read_whole(diagnostics: &[Diagnostic]) -> bool {
    !diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && READING_ERRORS.contains(&d.code.as_ref()))
}

const UPLOADED_KEYS: &[&str] = &["fingerprint", "plan_sha256", "created_at", "spec", "plan"];

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
        return finish(kind, None, None, diagnostics);
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
        return finish(kind, None, None, diagnostics);
    }
    // Whatever clock the caller has, day arithmetic stays within the supported years.
    let cx = rules::Context::new(catalog, options.today.clamped());
    let understood = rules::check(&spec, &map, &cx, &mut diagnostics);
    let plan = plan::build(&spec, catalog);
    rules::plan_findings(&plan, &spec, &map, &understood, &mut diagnostics);
    if let Some((fingerprint, plan_node)) = uploaded {
        uploaded::check_plan_sha256(root.get("plan_sha256"), plan_node, &mut diagnostics);
        let same_spec =
            fingerprint.is_none_or(|f| uploaded::check_fingerprint(f, &spec, &mut diagnostics));
        if let (true, Some(p)) = (same_spec, plan_node) {
            uploaded::check_plan(p, &plan, &mut diagnostics);
        }
    }
    finish(kind, Some(spec), Some(plan), diagnostics)
}

/// Counts every finding and decides whether the text was read whole, then prepares what is
/// shown: the order matters (see [`findings`]).
fn finish(
    kind: InputKind,
    spec: Option<Spec>,
    plan: Option<Plan>,
    all: Vec<Diagnostic>,
) -> Analysis {
    let read_whole = read_whole(&all);
    let (diagnostics, totals) = findings::for_display(all);
    Analysis {
        kind,
        spec,
        plan,
        diagnostics,
        totals,
        read_whole,
    }
}

#[cfg(test)]
mod readable_tests {
    use super::*;

    fn analysis(text: &str) -> Analysis {
        analyze(
            text,
            catalog::demo(),
            &Options {
                today: Day::EPOCH.plus_days(20_000),
            },
        )
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
