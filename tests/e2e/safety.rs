//! User text is only ever text: markup in a spec is shown, never run or parsed as HTML.
use crate::harness::App;

#[tokio::test]
async fn markup_in_a_spec_renders_as_text_and_runs_nothing() {
    let app = App::open().await;
    let spec = "version: 1\nname: \"<img src=x onerror=window.__xss=1>\"\nreason: \"<script>window.__xss=2</script>\"\n\
                backfills:\n  - feeds: [\"<b>bold</b>\"]\n    dates: \"2022-08-10\"\n";
    app.paste_spec(spec).await;
    let finding = app
        .wait_text(".diagnostic-list", |t| t.contains("<b>bold</b>"))
        .await;
    assert!(finding.contains("unknown-feed"), "{finding}");
    let name = app
        .wait_text(".diagnostic-list", |t| t.contains("<img src=x"))
        .await;
    assert!(name.contains("invalid-name"), "{name}");
    let ran = app
        .js("return [window.__xss === undefined, document.querySelectorAll('img[src=x], b, main script').length]")
        .await;
    assert_eq!(ran, serde_json::json!([true, 0]));
    app.finish().await;
}
