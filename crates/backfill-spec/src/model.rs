//! The spec and the catalog as plain data: what the parser produces, what the web form edits
//! and what the printer writes. Scalars the user types in the spec's own syntax (dates, hours,
//! feed names, targets) are kept as the text written, so that a half-typed value survives a
//! round trip and the rules can point at it; the rules and the plan interpret them.

/// A spec, v1. `Spec::default()` is the empty form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// `version:` as written (must be 1); `None` when absent or not an integer.
    pub version: Option<i64>,
    pub name: String,
    pub reason: String,
    pub requested_by: Option<String>,
    pub ticket: Option<String>,
    /// Where the run's summary goes: Slack channels and e-mail addresses, as written.
    pub notify: Vec<String>,
    pub defaults: Defaults,
    pub backfills: Vec<Entry>,
    pub emr: Option<EmrOverrides>,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            version: Some(1),
            name: String::new(),
            reason: String::new(),
            requested_by: None,
            ticket: None,
            notify: Vec::new(),
            defaults: Defaults::default(),
            backfills: Vec::new(),
            emr: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Defaults {
    /// `emr` or `replay` as written.
    pub target: Option<String>,
}

/// One item of `backfills:`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub feeds: Feeds,
    /// Each item as written: a day `2022-08-10` or an inclusive range `2022-07-01..2022-07-31`.
    /// A bare scalar in the text is a list of one.
    pub dates: Vec<String>,
    /// Days removed from `dates`, same syntax.
    pub except: Vec<String>,
    /// Hours as written: `5`, `0-11`; empty means the whole day.
    pub hours: Vec<String>,
    /// `emr` or `replay` as written; `None` takes `defaults.target`, then `emr`.
    pub target: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feeds {
    /// `feeds: all`: every catalog feed that exists on the day.
    All,
    /// Named feeds; a bare string in the text is a list of one.
    List(Vec<String>),
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds::List(Vec::new())
    }
}

/// `emr:` overrides of the catalog's cluster defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmrOverrides {
    pub action_on_failure: Option<String>,
    pub step_concurrency: Option<i64>,
    pub instance_type: Option<String>,
    pub managed_scaling: Option<ManagedScaling>,
    /// In the order written.
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagedScaling {
    pub unit_type: Option<String>,
    pub min_units: Option<i64>,
    pub max_units: Option<i64>,
}

/// The deploy-time catalog, v1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    /// In the order written; names are unique.
    pub feeds: Vec<CatalogFeed>,
    pub emr: CatalogEmr,
    /// The replay message template: keys and values, values may hold placeholders.
    pub replay_message: Vec<(String, String)>,
    /// The S3 key template of the uploaded object, e.g. `backfills/{name}/{fingerprint}.json`.
    pub upload_key: String,
    /// Hosts besides AWS S3's and this computer's that uploads go to without a warning
    /// (`upload.allowed_hosts`): lowercase names, or `*.example.com` for the names under it.
    pub upload_allowed_hosts: Vec<String>,
    /// The presign endpoint the Upload panel asks for a target (`upload.presign.url`): an
    /// https URL, or a path on the site's own origin. None: users paste a presigned URL.
    pub upload_presign: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogFeed {
    pub name: String,
    /// First partition day that exists.
    pub since: crate::Day,
    pub replay: bool,
    pub hourly: bool,
    /// Other names a mismatch list may give the feed (`silver.click_events`), besides its
    /// own and a qualified name ending in it; unique among all feeds' names and aliases.
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogEmr {
    pub step_name: String,
    pub args: Vec<String>,
    pub hours_args: Vec<String>,
    pub max_days_per_step: u32,
    pub defaults: EmrSettings,
}

/// Cluster settings after the spec's overrides are applied to the catalog's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmrSettings {
    pub action_on_failure: String,
    pub step_concurrency: i64,
    pub instance_type: String,
    pub managed_scaling: ManagedScalingSettings,
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedScalingSettings {
    pub unit_type: String,
    pub min_units: i64,
    pub max_units: i64,
}
