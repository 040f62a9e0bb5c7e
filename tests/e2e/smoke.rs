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

/// Every control a keyboard reaches has a name a screen reader reads out, and a visible focus
/// style; Tab walks through them in order without getting stuck.
#[tokio::test]
async fn every_control_has_a_label_and_a_visible_focus() {
    let app = App::open().await;
    app.paste_spec("version: 1\nname: labels\nreason: \"a11y\"\nbackfills:\n  - feeds: [clicks]\n    dates: \"2022-08-10\"\n  - feeds: [orders]\n    dates: [\"2022-06-03\"]\n    target: replay\n")
        .await;
    app.wait_text("[data-testid=all-clear]", |t| !t.is_empty())
        .await;
    let unnamed = app
        .js(r#"
const visible = el => el.offsetParent !== null || el.getClientRects().length > 0;
const named = el => {
  if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return true;
  if (el.labels && el.labels.length > 0) return true;
  if (el.tagName === 'BUTTON' || el.tagName === 'SUMMARY') return el.textContent.trim() !== '';
  return !!el.getAttribute('title');
};
return [...document.querySelectorAll('button, input, select, textarea, summary, [tabindex]')]
  .filter(el => visible(el) && !el.disabled && !named(el))
  .map(el => el.outerHTML.slice(0, 120));
"#)
        .await;
    assert_eq!(unnamed, serde_json::json!([]), "controls without a name");
    // Tab through the page: each stop shows an outline (the :focus-visible style).
    let unfocused = app
        .js(r#"
const stops = [...document.querySelectorAll('button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => (el.offsetParent !== null) && !el.disabled);
return stops.filter(el => {
  el.focus({ focusVisible: true });
  const style = getComputedStyle(el);
  return document.activeElement === el && style.outlineStyle === 'none' && style.boxShadow === 'none';
}).map(el => el.outerHTML.slice(0, 120));
"#)
        .await;
    assert_eq!(unfocused, serde_json::json!([]), "focus not visible");
    let checked = app
        .js("return document.querySelectorAll('button, input, select, textarea, summary').length")
        .await;
    assert!(checked.as_u64().unwrap() > 40, "{checked} controls");
    app.finish().await;
}
