//! Fill the form from empty → the plan shows the expected figures → the downloaded file is
//! the canonical spec, and pasting it back gives the all-clear.
use crate::harness::App;

#[tokio::test]
async fn the_form_from_empty_to_a_downloaded_spec() {
    let app = App::open().await;
    app.wait_for("[data-testid=new-spec]")
        .await
        .click()
        .await
        .unwrap();
    app.wait_for("#field-name")
        .await
        .send_keys("form-test")
        .await
        .unwrap();
    app.wait_for("#field-reason")
        .await
        .send_keys("silver/gold mismatch (INC-1)")
        .await
        .unwrap();
    // `notify` comes from the field description like every field: its input is in the form.
    app.wait_for("#field-notify")
        .await
        .send_keys("#data-oncall, oncall@example.com")
        .await
        .unwrap();
    app.wait_for("#entry-0-feed-clicks")
        .await
        .click()
        .await
        .unwrap();
    app.wait_for("#entry-0-feed-orders")
        .await
        .click()
        .await
        .unwrap();
    app.wait_for("#field-backfills-0-dates")
        .await
        .send_keys("2022-08-10..2022-08-12")
        .await
        .unwrap();

    app.wait_text("[data-testid=sum-feed-days]", |t| t == "6")
        .await;
    assert_eq!(app.text("[data-testid=sum-emr-steps]").await, "6");
    assert_eq!(app.text("[data-testid=sum-first]").await, "2022-08-10");
    assert_eq!(app.text("[data-testid=sum-last]").await, "2022-08-12");
    app.wait_text("[data-testid=all-clear]", |t| !t.is_empty())
        .await;
    // The text view follows the form: the name typed is in the canonical YAML.
    let text = app
        .js("return document.getElementById('spec-text').value")
        .await;
    let text = text.as_str().unwrap().to_string();
    assert!(text.contains("name: \"form-test\""), "{text}");
    assert!(
        text.contains("notify: [\"#data-oncall\", \"oncall@example.com\"]"),
        "{text}"
    );

    app.wait_for("[data-testid=download-yaml]")
        .await
        .click()
        .await
        .unwrap();
    let file = app.downloaded("form-test.backfill.yaml").await;
    assert_eq!(
        file, text,
        "the download is the canonical spec the text shows"
    );
    app.paste_spec(&format!("# pasted back\n{file}")).await;
    app.wait_text("[data-testid=all-clear]", |t| {
        t.contains("No problems found")
    })
    .await;

    // A field's finding shows beside it once touched.
    app.wait_for("#field-name")
        .await
        .send_keys(" BAD")
        .await
        .unwrap();
    app.wait_text("#field-name-problems", |t| t.contains("✕"))
        .await;
    app.wait_for("#field-notify")
        .await
        .send_keys(", data-oncall")
        .await
        .unwrap();
    app.wait_text("#field-notify-problems", |t| {
        t.contains("`data-oncall` is not a Slack channel")
    })
    .await;
    app.finish().await;
}
