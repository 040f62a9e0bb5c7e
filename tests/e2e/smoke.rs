use crate::harness::App;

#[tokio::test]
async fn the_app_mounts_with_its_regions_and_a_clean_console() {
    let app = App::open().await;
    assert_eq!(app.text("header .product").await, "backfill-builder");
    assert_eq!(
        app.text("[data-testid=catalog-status]").await,
        "Demo catalog: no catalog.yaml on this site"
    );
    assert_eq!(app.text("#spec-heading").await, "Spec");
    assert_eq!(app.text("#plan-heading").await, "Plan");
    app.finish().await;
}
