//! One undo history for the text, whatever changed it: a form edit, typing, "New spec".
//! Keys are sent through WebDriver (trusted key events, as a user's), not dispatched.
use serde_json::json;

use crate::harness::App;

/// Control (or Meta) held down, a key, then every modifier released (the WebDriver null key).
const UNDO: &str = "\u{E009}z\u{E000}";
const REDO: &str = "\u{E009}\u{E008}z\u{E000}";
const REDO_Y: &str = "\u{E009}y\u{E000}";
const UNDO_META: &str = "\u{E03D}z\u{E000}";

const SPEC: &str = "version: 1\nname: undo-test\nreason: \"r\"\nbackfills:\n  # one feed for now\n  - feeds: [clicks]\n    dates: \"2022-08-10\"\n";

const VALUE: &str = "const t = document.getElementById('spec-text'); \
                     return [t.value, t.selectionStart, t.selectionEnd, document.activeElement === t];";

#[tokio::test]
async fn ctrl_z_steps_back_through_form_edits_typing_and_new_spec() {
    let app = App::open().await;
    let opened = app
        .js("const t = document.getElementById('spec-text'); \
             for (let i = 0; i < 100 && !t.value; i++) await new Promise(r => setTimeout(r, 50)); \
             return t.value;")
        .await;
    app.paste_spec(SPEC).await;
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "1")
        .await;

    // A form edit rewrites the text canonically (the comment goes): a step of its own.
    app.wait_for("#entry-0-feed-orders")
        .await
        .click()
        .await
        .unwrap();
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "2")
        .await;
    let edited = app.js(VALUE).await[0].as_str().unwrap().to_string();
    assert!(
        edited.contains("orders") && !edited.contains('#'),
        "{edited}"
    );

    let editor = app.wait_for("#spec-text").await;
    editor.send_keys(UNDO).await.unwrap();
    let now = app.js(VALUE).await;
    assert_eq!(
        now[0],
        json!(SPEC),
        "Ctrl+Z brings back the pasted text, comment and all"
    );
    let differs = SPEC
        .bytes()
        .zip(edited.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        (&now[1], &now[2], &now[3]),
        (&json!(differs), &json!(differs), &json!(true)),
        "the caret is where the texts start to differ"
    );
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "1")
        .await;
    editor.send_keys(REDO).await.unwrap();
    assert_eq!(app.js(VALUE).await[0], json!(edited), "Ctrl+Shift+Z redoes");
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "2")
        .await;

    // Keystrokes in a quick run are one step; Cmd+Z (Meta) undoes as Ctrl+Z does.
    app.js("const t = document.getElementById('spec-text'); t.setSelectionRange(t.value.length, t.value.length);")
        .await;
    editor.send_keys("# ok").await.unwrap();
    assert_eq!(app.js(VALUE).await[0], json!(format!("{edited}# ok")));
    editor.send_keys(UNDO_META).await.unwrap();
    assert_eq!(
        app.js(VALUE).await[0],
        json!(edited),
        "one step for the run"
    );
    editor.send_keys(REDO_Y).await.unwrap();
    assert_eq!(
        app.js(VALUE).await[0],
        json!(format!("{edited}# ok")),
        "Ctrl+Y redoes"
    );

    // "New spec" (confirmed) is a step too: Ctrl+Z brings the discarded spec back.
    let click_new = "setTimeout(() => document.querySelector('[data-testid=new-spec]').click(), 0)";
    app.js(click_new).await;
    app.wait_dialog().await;
    app.browser.accept_alert().await.unwrap();
    app.wait_text("[data-testid=sum-feed-days]", |t| t.is_empty() || t == "0")
        .await;
    editor.send_keys(UNDO).await.unwrap();
    assert_eq!(app.js(VALUE).await[0], json!(format!("{edited}# ok")));
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "2")
        .await;
    // Back to the pasted text, then nothing further: the page's first text is not a step
    // back to an empty editor.
    for _ in 0..5 {
        editor.send_keys(UNDO).await.unwrap();
    }
    assert_eq!(app.js(VALUE).await[0], opened);
    // The context menu's Redo reaches the text area as a `beforeinput` of type historyRedo
    // (WebDriver cannot open that menu: the event is dispatched as Chromium sends it).
    app.js(
        "document.getElementById('spec-text').dispatchEvent(new InputEvent('beforeinput', \
            { inputType: 'historyRedo', bubbles: true, cancelable: true }));",
    )
    .await;
    assert_eq!(app.js(VALUE).await[0], json!(SPEC));
    app.finish().await;
}
