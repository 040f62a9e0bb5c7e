use leptos::prelude::*;

use crate::state::CatalogStatus;

/// How the header tells the user where the catalog came from.
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
