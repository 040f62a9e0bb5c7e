//! Where the catalog comes from: `./catalog.yaml` on the site's own origin, else the built-in
//! demo. A broken catalog is linted, reported, and used as far as it could be read.

use std::sync::Arc;

use backfill_spec::catalog;

use crate::state::AppState;
use crate::state::CatalogStatus;
use leptos::prelude::*;

const CATALOG_URL: &str = "./catalog.yaml";

/// What came back from the site, before it is parsed.
enum Fetched {
    Missing,
    Text(String),
    Failed(String),
}

async fn fetch_catalog() -> Fetched {
    let response = match gloo_net::http::Request::get(CATALOG_URL).send().await {
        Ok(r) => r,
        Err(e) => return Fetched::Failed(describe(e)),
    };
    if response.status() == 404 {
        return Fetched::Missing;
    }
    if !response.ok() {
        return Fetched::Failed(format!(
            "HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    // Dev servers answer any unknown path with index.html: that is no catalog either.
    let html = response
        .headers()
        .get("content-type")
        .is_some_and(|t| t.contains("text/html"));
    match response.text().await {
        Ok(_) if html => Fetched::Missing,
        Ok(text) => Fetched::Text(text),
        Err(e) => Fetched::Failed(describe(e)),
    }
}

/// A fetch failure in words. Not `Display`: that drags every serde_json message into the wasm.
fn describe(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(e) => e.message,
        _ => "the response could not be read".into(),
    }
}

/// Fetches the site's catalog once, at start-up, and puts it in the state.
pub fn load(state: AppState) {
    leptos::task::spawn_local(async move {
        match fetch_catalog().await {
            Fetched::Missing => state.catalog_status.set(CatalogStatus::Demo),
            Fetched::Failed(why) => state.catalog_status.set(CatalogStatus::Unreachable { why }),
            Fetched::Text(text) => {
                let text: Arc<str> = Arc::from(text);
                let (parsed, findings, totals) = catalog::parse(&text);
                let errors = totals.errors;
                state.catalog_status.set(if errors > 0 {
                    CatalogStatus::Broken { errors }
                } else {
                    CatalogStatus::Site {
                        feeds: parsed.feeds.len(),
                    }
                });
                if !findings.is_empty() {
                    state.catalog_findings.set(Some((text.clone(), findings)));
                }
                state.set_catalog(parsed, text);
            }
        }
    });
}
