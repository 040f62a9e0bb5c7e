//! The app's state, in one place. Views read it through `use_context::<AppState>()` and
//! derive what they show; only the handlers here and in the components write it.

use std::sync::Arc;

use backfill_spec::{Analysis, Catalog, Day, Diagnostic, Options, Severity, Spec, analyze, emit};
use leptos::html::Textarea;
use leptos::prelude::*;

/// How the text view prints what the form writes, and what a download defaults to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    pub fn print(self, spec: &Spec) -> String {
        match self {
            Format::Yaml => emit::to_yaml(spec),
            Format::Json => emit::to_json(spec),
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
        }
    }
}

/// An analysis with the text it is of: spans and line numbers refer to that text, which may
/// be a moment behind the editor's while a large text waits for the lint worker.
#[derive(Clone, Debug)]
pub struct Analyzed {
    pub text: Arc<str>,
    pub analysis: Arc<Analysis>,
}

impl Analyzed {
    /// The spec when the whole text could be read (see `Analysis::readable_spec`).
    pub fn readable_spec(&self) -> Option<&Spec> {
        self.analysis.readable_spec()
    }

    /// Findings of a severity: all of them, shown or not (see `Analysis::totals`).
    pub fn count(&self, severity: Severity) -> usize {
        self.analysis.totals.get(severity)
    }
}

/// Where the feed catalog came from, as the header tells the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogStatus {
    /// Still fetching `./catalog.yaml`.
    Loading,
    /// No `catalog.yaml` beside the site: the built-in demo catalog is in use.
    Demo,
    /// The site's own catalog, with its number of feeds.
    Site { feeds: usize },
    /// The site's catalog has errors; the app works on with what it could read.
    Broken { errors: usize },
    /// The catalog could not be fetched (not a plain "there is none"): the demo is in use.
    Unreachable { why: String },
}

/// The form's view of the spec: the spec of the last text that could be read, and whether
/// the text has moved on since (it does not parse now).
#[derive(Clone, Debug, PartialEq)]
pub struct FormSpec {
    pub spec: Spec,
    pub stale: bool,
}

#[derive(Clone, Copy)]
pub struct AppState {
    /// The spec text: the one source of truth. The form writes it canonically.
    pub text: RwSignal<String>,
    pub format: RwSignal<Format>,
    pub catalog: RwSignal<Arc<Catalog>>,
    pub catalog_status: RwSignal<CatalogStatus>,
    /// The catalog's own findings, with its text so that they can show line and column.
    pub catalog_findings: RwSignal<Option<(Arc<str>, Vec<Diagnostic>)>>,
    /// The site's catalog as fetched (`None`: the demo one): what the lint worker parses.
    pub catalog_text: StoredValue<Option<Arc<str>>>,
    pub today: Day,
    /// The analysis of the text: follows `text` at once for small specs; for large ones,
    /// after a pause in typing and from the lint worker (see `components::spec_editor`).
    pub analysis: RwSignal<Analyzed>,
    pub form: Memo<FormSpec>,
    /// Form fields (by spec path) the user has touched: their findings show beside them.
    pub touched: RwSignal<Vec<String>>,
    pub editor: NodeRef<Textarea>,
    /// Every change of the text, for Ctrl+Z / Ctrl+Shift+Z (`history.rs`).
    pub history: StoredValue<crate::history::History>,
}

impl AppState {
    /// A state with an empty text; the page then sets its first text (`set_text`), which
    /// is analysed where its size says.
    pub fn new(format: Format, today: Day) -> AppState {
        let catalog = RwSignal::new(Arc::new(backfill_spec::catalog::demo().clone()));
        let text = Arc::<str>::from("");
        let analysis = RwSignal::new(Analyzed {
            analysis: Arc::new(catalog.with_untracked(|c| analyze(&text, c, &Options { today }))),
            text,
        });
        let form = Memo::new(move |previous: Option<&FormSpec>| {
            analysis.with(|a| match a.readable_spec() {
                Some(spec) => FormSpec {
                    spec: spec.clone(),
                    stale: false,
                },
                None => FormSpec {
                    spec: previous.map(|p| p.spec.clone()).unwrap_or_else(new_spec),
                    stale: true,
                },
            })
        });
        AppState {
            text: RwSignal::new(String::new()),
            format: RwSignal::new(format),
            catalog,
            catalog_text: StoredValue::new(None),
            catalog_status: RwSignal::new(CatalogStatus::Loading),
            catalog_findings: RwSignal::new(None),
            today,
            analysis,
            form,
            touched: RwSignal::new(Vec::new()),
            editor: NodeRef::new(),
            history: StoredValue::new(Default::default()),
        }
    }

    /// Analyses `text` here and now, and makes that the analysis.
    pub fn analyse(&self, text: Arc<str>) {
        let today = self.today;
        let analysis = self
            .catalog
            .with_untracked(|c| analyze(&text, c, &Options { today }));
        self.analysis.set(Analyzed {
            text,
            analysis: Arc::new(analysis),
        });
    }

    /// Whether the analysis is of the text now in the editor (reactive). While it is not, a
    /// large text waits for its pause or for the lint worker.
    pub fn is_current(&self) -> bool {
        self.text.with(|t| {
            self.analysis
                .with(|a| a.text.len() == t.len() && *a.text == **t)
        })
    }

    /// Makes the analysis the current text's, on the page if it is behind: what anything
    /// that acts on the spec (a form edit, Upload, Download) calls first, so that it never
    /// acts on the text before the last keystroke.
    pub fn catch_up(&self) {
        if !untrack(|| self.is_current()) {
            self.analyse(Arc::from(self.text.get_untracked()));
        }
    }

    pub fn touch(&self, path: impl Into<String>) {
        let path = path.into();
        if !self.touched.with_untracked(|t| t.contains(&path)) {
            self.touched.update(|t| t.push(path));
        }
    }
}

/// What "new spec" starts from: version 1 and one empty entry to fill in.
pub fn new_spec() -> Spec {
    Spec {
        backfills: vec![Default::default()],
        ..Spec::default()
    }
}
