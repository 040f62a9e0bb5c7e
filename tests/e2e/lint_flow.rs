//! Paste a broken spec → the finding shows with its line → clicking it puts the cursor on
//! the span → fixing it gives the all-clear.
use crate::harness::App;

const BROKEN: &str = "version: 1
name: clicks-recon
reason: \"mismatch in silver (INC-1) — ünïcode first\"
backfills:
  - feeds: [clicks, clickz]
    dates: \"2022-08-10\"
";

#[tokio::test]
async fn a_finding_jumps_to_its_span_and_fixing_it_clears_the_list() {
    let app = App::open().await;
    app.paste_spec(BROKEN).await;
    let finding = app
        .wait_text(".diagnostic-error .diagnostic-jump", |t| {
            t.contains("unknown-feed")
        })
        .await;
    assert!(finding.contains("Ln 5, Col 21"), "{finding}");
    assert!(finding.contains("clickz"), "{finding}");
    let hint = app.text(".diagnostic-error .hint").await;
    assert!(
        hint.contains("clicks"),
        "the hint suggests the near name: {hint}"
    );

    app.wait_for(".diagnostic-error .diagnostic-jump")
        .await
        .click()
        .await
        .unwrap();
    // The selection is in UTF-16 units: the non-ASCII line above must not shift it.
    let selection = app
        .js("const t = document.getElementById('spec-text'); \
             return [document.activeElement === t, t.value.substring(t.selectionStart, t.selectionEnd)];")
        .await;
    assert_eq!(selection, serde_json::json!([true, "clickz"]));

    app.paste_spec(&BROKEN.replace("clickz", "impressions"))
        .await;
    app.wait_text("[data-testid=all-clear]", |t| {
        t.contains("No problems found")
    })
    .await;
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "2")
        .await;
    app.finish().await;
}

#[tokio::test]
async fn a_syntax_error_points_at_its_line() {
    let app = App::open().await;
    app.paste_spec("version: 1\nname: x\nbackfills: [\n").await;
    let list = app
        .wait_text(".diagnostic-list", |t| t.contains("syntax-error"))
        .await;
    let finding = list
        .lines()
        .skip_while(|l| !l.contains("syntax-error"))
        .nth(1)
        .unwrap_or_default();
    assert!(
        finding.starts_with("Ln 4, Col 1"),
        "at the end of the text, where `]` is missing: {list}"
    );
    // The form keeps its last good state, marked stale and read-only.
    app.wait_text("[data-testid=form-stale]", |t| t.contains("does not parse"))
        .await;
    let disabled = app
        .js("return document.querySelector('fieldset.spec-form').disabled")
        .await;
    assert_eq!(disabled, serde_json::json!(true));
    app.finish().await;
}

#[tokio::test]
async fn an_uploaded_object_pastes_back_to_its_spec_and_plan() {
    let spec = "version: 1\nname: pasted-object\nreason: \"replay check\"\nbackfills:\n  - feeds: [clicks, orders]\n    dates: \"2022-08-10..2022-08-11\"\n";
    let options = backfill_spec::Options {
        today: backfill_spec::Day::from_ymd(2026, 11, 28).unwrap(),
    };
    let analysis = backfill_spec::analyze(spec, backfill_spec::catalog::demo(), &options);
    let object = backfill_spec::object::uploaded_object(
        analysis.spec.as_ref().unwrap(),
        analysis.plan.as_ref().unwrap(),
        "2026-11-28T17:00:00Z",
    );
    let app = App::open().await;
    app.paste_spec(&object).await;
    app.wait_text("[data-testid=all-clear]", |t| !t.is_empty())
        .await;
    assert_eq!(app.text("[data-testid=sum-feed-days]").await, "4");
    let name = app
        .js("return document.getElementById('field-name').value")
        .await;
    assert_eq!(name, "pasted-object");
    app.finish().await;
}
