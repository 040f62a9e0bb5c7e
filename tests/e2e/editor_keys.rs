//! The editor keys people expect (`src/editing.rs`): Enter keeps the indentation and
//! continues a list, Tab and Shift+Tab indent and outdent the selected lines, Ctrl+/ toggles
//! a comment, Escape then Tab leaves the editor. Keys are sent through WebDriver (trusted key
//! events, as a user's), not dispatched.
use serde_json::json;

use crate::harness::App;

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
const CTRL_SLASH: &str = "\u{E009}/\u{E000}";
const CTRL_Z: &str = "\u{E009}z\u{E000}";
const ESCAPE: &str = "\u{E00C}";

const STATE: &str = "const t = document.getElementById('spec-text'); \
                     return [t.value, t.selectionStart, t.selectionEnd, document.activeElement === t];";

/// Selects UTF-16 offsets `from..to` of the editor's text (`to` past the end: to the end).
fn select(from: usize, to: usize) -> String {
    format!(
        "const t = document.getElementById('spec-text'); t.focus(); \
         t.setSelectionRange({from}, Math.min({to}, t.value.length));"
    )
}

#[tokio::test]
async fn enter_tab_and_ctrl_slash_edit_as_in_an_editor() {
    let app = App::open().await;
    let text = "backfills:\n  - feeds: [clicks]";
    app.paste_spec(text).await;
    let editor = app.wait_for("#spec-text").await;
    app.js(&select(text.len(), text.len())).await;

    editor.send_keys(ENTER).await.unwrap();
    let listed = format!("{text}\n  - ");
    let end = listed.len();
    assert_eq!(
        app.js(STATE).await,
        json!([listed, end, end, true]),
        "Enter keeps the indentation and continues the list"
    );
    editor.send_keys("orders").await.unwrap();

    app.js(&select(11, usize::MAX)).await;
    editor.send_keys(TAB).await.unwrap();
    let indented = "backfills:\n    - feeds: [clicks]\n    - orders";
    assert_eq!(
        app.js(STATE).await,
        json!([indented, 11, indented.len(), true]),
        "Tab indents the selected lines, which stay selected"
    );
    editor.send_keys(SHIFT_TAB).await.unwrap();
    let typed = "backfills:\n  - feeds: [clicks]\n  - orders";
    assert_eq!(app.js(STATE).await[0], json!(typed), "Shift+Tab outdents");

    editor.send_keys(CTRL_SLASH).await.unwrap();
    assert_eq!(
        app.js(STATE).await[0],
        json!("backfills:\n  # - feeds: [clicks]\n  # - orders"),
        "Ctrl+/ comments the lines at their common indentation"
    );
    editor.send_keys(CTRL_Z).await.unwrap();
    assert_eq!(app.js(STATE).await[0], json!(typed), "Ctrl+Z undoes it");

    // No keyboard trap: after Escape, Tab moves the focus on and leaves the text alone; the
    // editor says so to screen readers.
    assert_eq!(
        app.js("return document.getElementById('spec-text').getAttribute('aria-label');")
            .await,
        json!("Spec text (YAML or JSON); Tab indents, Escape then Tab leaves")
    );
    editor.send_keys(ESCAPE).await.unwrap();
    editor.send_keys(TAB).await.unwrap();
    let after = app.js(STATE).await;
    assert_eq!((&after[0], &after[3]), (&json!(typed), &json!(false)));
    // And Shift+Tab moves it back out (Shift's own keydown comes between).
    app.js(&select(0, 0)).await;
    editor.send_keys(ESCAPE).await.unwrap();
    editor.send_keys(SHIFT_TAB).await.unwrap();
    let after = app.js(STATE).await;
    assert_eq!((&after[0], &after[3]), (&json!(typed), &json!(false)));
    app.finish().await;
}
