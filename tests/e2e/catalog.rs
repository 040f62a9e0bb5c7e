//! The catalog comes from the site's own `catalog.yaml` (its feeds' `aliases` too); a broken one
//! is reported and the app works on with what it could read.
use crate::harness::App;

const SITE_CATALOG: &str = "version: 1
feeds:
  ledger:  {since: \"2021-01-01\", aliases: [finance.ledger_v2]}
  refunds: {since: \"2021-01-01\", replay: true}
emr:
  step_name: \"backfill {feed} {date}\"
  args: [spark-submit, \"s3://jobs/backfill.py\", --feed, \"{feed}\", --date, \"{date}\"]
  hours_args: [--hours, \"{hours}\"]
  max_days_per_step: 1
  defaults: {action_on_failure: CONTINUE, step_concurrency: 1, instance_type: m6g.xlarge,
             managed_scaling: {unit_type: Instances, min_units: 1, max_units: 10}}
replay:
  message: {feed: \"{feed}\", date: \"{date}\"}
upload:
  key: \"backfills/{name}/{fingerprint}.json\"
";

const SPEC: &str = "version: 1\nname: site-catalog\nreason: \"test\"\nbackfills:\n  - feeds: [ledger, clicks]\n    dates: \"2022-08-10\"\n";

#[tokio::test]
async fn the_sites_catalog_is_used() {
    let app = App::open_with_catalog(SITE_CATALOG).await;
    app.wait_text("[data-testid=catalog-status]", |t| t == "Catalog: 2 feeds")
        .await;
    app.paste_spec(SPEC).await;
    // `clicks` is a demo feed, not one of this site's.
    let list = app
        .wait_text(".diagnostic-list", |t| t.contains("unknown-feed"))
        .await;
    assert!(list.contains("there is no feed `clicks`"), "{list}");
    assert!(!list.contains("there is no feed `ledger`"), "{list}");
    app.finish().await;
}

#[tokio::test]
async fn a_broken_catalog_is_reported_and_the_app_works_on() {
    let broken = SITE_CATALOG
        .replace("2021-01-01\", replay", "2021-02-30\", replay")
        .replace("backfill {feed} {date}", "backfill {feed} {dat}")
        .replace("[finance.ledger_v2]", "[finance.ledger_v2, ledger]");
    let app = App::open_with_catalog(&broken).await;
    app.wait_text("[data-testid=catalog-status]", |t| {
        t.starts_with("Catalog has ")
    })
    .await;
    let findings = app
        .wait_text("[data-testid=catalog-findings]", |t| !t.is_empty())
        .await;
    assert!(findings.contains("problems"), "{findings}");
    app.wait_for("[data-testid=catalog-findings] summary")
        .await
        .click()
        .await
        .unwrap();
    let details = app
        .wait_text("[data-testid=catalog-findings] ul", |t| {
            t.contains("catalog.yaml:")
        })
        .await;
    assert!(
        details.contains("unknown-placeholder")
            && details.contains("catalog.yaml:3:")
            && details.contains("feed-alias-taken")
            && details.contains("catalog.yaml:4:")
            && details.contains("catalog.yaml:6:"),
        "{details}"
    );
    app.paste_spec(SPEC).await;
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "1")
        .await;
    app.finish().await;
}
