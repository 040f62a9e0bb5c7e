use crate::harness::App;

#[tokio::test]
async fn the_app_mounts_with_its_regions_and_a_clean_console() {
    let app = App::open().await;
    assert_eq!(app.text("header .product").await, "backfill-builder");
    app.wait_text("[data-testid=catalog-status]", |t| {
        t == "Demo catalog: no catalog.yaml on this site"
    })
    .await;
    assert_eq!(app.text("#spec-heading").await, "Spec");
    assert_eq!(app.text("#plan-heading").await, "Plan");
    // A first visit starts from a new spec, whose empty fields are the first findings.
    app.wait_text("[data-testid=diagnostics-summary]", |t| {
        t == "4 error(s), 0 warning(s), 0 note(s)"
    })
    .await;
    app.finish().await;
}
