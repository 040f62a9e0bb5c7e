//! The draft survives a reload; a share link carries the spec and never overwrites a
//! different draft silently.
use crate::harness::App;

const SPEC: &str = "version: 1\nname: draft-test\nreason: \"keep me\"\nbackfills:\n  - feeds: [clicks]\n    dates: \"2022-08-10\"\n";

#[tokio::test]
async fn reload_keeps_the_draft() {
    let app = App::open().await;
    app.paste_spec(SPEC).await;
    app.wait_text("[data-testid=save-status]", |t| t.contains("saved"))
        .await;
    app.goto("/").await;
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "1")
        .await;
    let text = app
        .js("return document.getElementById('spec-text').value")
        .await;
    assert_eq!(text, SPEC);
    // The form opens filled from the draft: each text field writes its control once mounted.
    let fields = app
        .js(
            "return ['field-name', 'field-reason', 'field-backfills-0-dates']\
             .map(id => document.getElementById(id).value)",
        )
        .await;
    assert_eq!(
        fields,
        serde_json::json!(["draft-test", "keep me", "2022-08-10"])
    );
    app.finish().await;
}

#[tokio::test]
async fn a_share_link_round_trips_and_asks_before_replacing_a_draft() {
    let app = App::open().await;
    app.paste_spec(SPEC).await;
    app.wait_for("[data-testid=share-link]")
        .await
        .click()
        .await
        .unwrap();
    let url = share_url(&app).await;
    let fragment = url.split_once('#').map(|(_, f)| format!("#{f}")).unwrap();
    assert!(fragment.starts_with("#spec="), "{url}");
    assert!(
        !fragment.contains("draft-test"),
        "the spec travels compressed: {fragment}"
    );

    // The same browser, a different draft: the link does not replace it silently.
    let other = SPEC.replace("draft-test", "other-draft");
    app.paste_spec(&other).await;
    app.wait_text("[data-testid=save-status]", |t| t.contains("saved"))
        .await;
    app.goto(&format!("/{fragment}")).await;
    app.wait_text("[data-testid=shared-banner]", |t| t.contains("differs"))
        .await;
    let text = app
        .js("return document.getElementById('spec-text').value")
        .await;
    assert_eq!(text, other.as_str(), "the draft is still open");
    let address = app.js("return location.hash").await;
    assert_eq!(address, "", "the fragment is removed once read");
    app.wait_for("[data-testid=open-shared]")
        .await
        .click()
        .await
        .unwrap();
    let text = app
        .js("return document.getElementById('spec-text').value")
        .await;
    assert_eq!(text, SPEC, "the link's spec, byte for byte");
    app.finish().await;
}

#[tokio::test]
async fn a_share_link_opens_straight_away_in_a_fresh_browser() {
    let first = App::open().await;
    first.paste_spec(SPEC).await;
    first
        .wait_for("[data-testid=share-link]")
        .await
        .click()
        .await
        .unwrap();
    let url = share_url(&first).await;
    first.finish().await;

    let second = App::launch().await;
    let fragment = url.split_once('#').map(|(_, f)| f.to_string()).unwrap();
    second.goto(&format!("/#{fragment}")).await;
    second
        .wait_text("[data-testid=sum-feed-days]", |t| t == "1")
        .await;
    let text = second
        .js("return document.getElementById('spec-text').value")
        .await;
    assert_eq!(text, SPEC);
    second.finish().await;
}

#[tokio::test]
async fn a_damaged_share_link_says_so() {
    let app = App::launch().await;
    app.goto("/#spec=AAAA").await;
    app.wait_text("[data-testid=link-problem]", |t| {
        t.contains("could not be read")
    })
    .await;
    app.finish().await;
}

/// The share link the page shows, once it has made one.
async fn share_url(app: &App) -> String {
    for _ in 0..200 {
        let url = app
            .js("return document.querySelector('[data-testid=share-url]').value")
            .await;
        if let Some(url) = url.as_str().filter(|u| !u.is_empty()) {
            return url.to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no share link within 10 s");
}

#[tokio::test]
async fn new_spec_asks_before_discarding_the_current_one() {
    let app = App::open().await;
    app.paste_spec(SPEC).await;
    app.wait_text("[data-testid=save-status]", |t| t.contains("saved"))
        .await;
    // From a timer: a dialog opened inside a WebDriver script call would block the call.
    let click_new = "setTimeout(() => document.querySelector('[data-testid=new-spec]').click(), 0)";
    app.js(click_new).await;
    let question = app.wait_dialog().await;
    assert!(question.contains("discarded"), "{question}");
    app.browser.dismiss_alert().await.unwrap();
    let text = app
        .js("return document.getElementById('spec-text').value")
        .await;
    assert_eq!(text, SPEC, "cancel keeps the spec");

    app.js(click_new).await;
    app.wait_dialog().await;
    app.browser.accept_alert().await.unwrap();
    let fresh = app
        .wait_text("[data-testid=action-message]", |t| t.contains("new spec"))
        .await;
    assert!(fresh.contains("Started a new spec"), "{fresh}");
    let text = app
        .js("return document.getElementById('spec-text').value")
        .await;
    assert!(!text.as_str().unwrap().contains("draft-test"), "{text}");
    app.finish().await;
}

/// A link whose spec inflates past what any link is made from (a deflate bomb: 2 MB of one
/// letter in 2 KB) is refused with a message, not inflated.
#[tokio::test]
async fn a_link_that_inflates_too_far_is_refused() {
    let app = App::open().await;
    app.wait_for("#spec-text").await;
    app.js("(async () => { \
              const s = new Blob(['a'.repeat(2000000)]).stream().pipeThrough(new CompressionStream('deflate-raw')); \
              const b = new Uint8Array(await new Response(s).arrayBuffer()); \
              let bin = ''; for (const x of b) bin += String.fromCharCode(x); \
              location.hash = 'spec=' + btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''); \
            })()")
        .await;
    let said = app
        .wait_text("[data-testid=link-problem]", |t| t.contains("larger"))
        .await;
    assert!(said.contains("512 KB"), "{said}");
    app.finish().await;
}

/// A draft whose opening did not finish last time (the marker set before it is analysed is
/// still there) is set aside: the page opens with a new spec and offers the draft as a file.
#[tokio::test]
async fn a_draft_that_did_not_finish_opening_is_set_aside() {
    let app = App::open().await;
    app.paste_spec(SPEC).await;
    app.wait_text("[data-testid=save-status]", |t| t.contains("saved"))
        .await;
    // What a page that died while analysing the draft leaves behind.
    app.js("localStorage.setItem('backfill-builder.draft.opening', '1')")
        .await;
    app.goto("/").await;
    app.wait_text("[data-testid=set-aside-banner]", |t| {
        t.contains("set aside")
    })
    .await;
    let text = app
        .js("return document.getElementById('spec-text').value")
        .await;
    assert!(!text.as_str().unwrap().contains("draft-test"), "{text}");
    app.wait_for("[data-testid=download-set-aside]")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(app.downloaded("set-aside-draft.backfill.txt").await, SPEC);
    // Once set aside, the next load opens normally.
    app.goto("/").await;
    app.wait_for("#spec-text").await;
    let hidden = app
        .js("return document.querySelector('[data-testid=set-aside-banner]').hidden")
        .await;
    assert_eq!(hidden, true);
    app.finish().await;
}
