use leptos::prelude::*;

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

impl CatalogStatus {
    fn label(&self) -> String {
        match self {
            CatalogStatus::Loading => "Loading catalog…".into(),
            CatalogStatus::Demo => "Demo catalog: no catalog.yaml on this site".into(),
            CatalogStatus::Site { feeds } => format!("Catalog: {feeds} feeds"),
            CatalogStatus::Broken { errors } => {
                format!("Catalog has {errors} error(s): using what could be read")
            }
            CatalogStatus::Unreachable { why } => {
                format!("Catalog could not be loaded ({why}): using the demo catalog")
            }
        }
    }

    fn class(&self) -> &'static str {
        match self {
            CatalogStatus::Loading | CatalogStatus::Site { .. } => "status status-ok",
            CatalogStatus::Demo => "status status-notice",
            CatalogStatus::Broken { .. } | CatalogStatus::Unreachable { .. } => {
                "status status-error"
            }
        }
    }
}

/// The page header: the product name, where the catalog came from, and the spec's actions.
#[component]
pub fn Header(
    catalog_status: ReadSignal<CatalogStatus>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="app-header">
            <h1 class="product">"backfill-builder"</h1>
            <p class="tagline">"Write, check and preview a backfill spec, then hand it to Airflow."</p>
            <p
                class=move || catalog_status.with(CatalogStatus::class)
                role="status"
                data-testid="catalog-status"
            >
                {move || catalog_status.with(CatalogStatus::label)}
            </p>
            {children.map(|c| c())}
        </header>
    }
}
