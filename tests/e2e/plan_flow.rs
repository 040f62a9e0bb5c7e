//! A valid spec → the plan's figures, its waves and batches.
use crate::harness::App;

const SPEC: &str = r#"version: 1
name: clicks-recon-2022-08
reason: "silver/gold mismatch (INC-4821)"
backfills:
  - feeds: all
    dates: "2022-08-10"
  - feeds: [clicks]
    dates: "2022-07-01..2022-07-31"
    except: ["2022-07-04"]
  - feeds: [orders]
    dates: ["2022-06-03", "2022-06-09"]
    target: replay
  - feeds: [sessions]
    dates: "2022-08-12"
    hours: "0-11"
"#;

#[tokio::test]
async fn the_plan_shows_its_figures_waves_and_batches() {
    let app = App::open().await;
    app.paste_spec(SPEC).await;
    app.wait_text("[data-testid=all-clear]", |t| !t.is_empty())
        .await;
    // 2022-08-10 × the 8 demo feeds + 30 days of clicks + 2 orders + 1 part-day of sessions.
    assert_eq!(app.text("[data-testid=sum-feed-days]").await, "41");
    assert_eq!(app.text("[data-testid=sum-emr-steps]").await, "39");
    assert_eq!(app.text("[data-testid=sum-replay]").await, "2");
    assert_eq!(app.text("[data-testid=sum-partial]").await, "1");
    assert_eq!(app.text("[data-testid=sum-first]").await, "2022-06-03");
    assert_eq!(app.text("[data-testid=sum-last]").await, "2022-08-12");
    assert_eq!(app.text("[data-testid=sum-waves]").await, "1");
    let wave = app.text("[data-testid=wave-json]").await;
    assert!(wave.contains(r#""Jar": "command-runner.jar""#), "{wave}");
    assert!(
        wave.contains(r#""Name": "backfill clicks 2022-07-01""#),
        "{wave}"
    );
    assert!(!wave.contains("2022-07-04"), "except days are not run");
    assert!(
        wave.contains(r#""--hours", "0-11""#),
        "partial days carry their hours: {wave}"
    );
    let batch = app.text("[data-testid=batch-json]").await;
    assert!(
        batch.contains(r#""Id": "m0""#) && batch.contains("orders"),
        "{batch}"
    );
    let grid = app.wait_for("[data-testid=plan-grid]").await;
    // The canvas: 71 days of 12 px, the 8 feeds in rows of 16 px (checked first, so that a
    // change of layout fails as such). Clicks on 2022-07-01 (row 0, day 28) is filled with the
    // EMR colour; orders on 2022-06-03 (row 3, day 0) is replay, hatched: every other pixel
    // row in the replay colour, the rows between left empty. Both are whole days, so their
    // cells start on a whole pixel (a part-day's starts lower, by its share of the hours).
    let drawn = app
        .js(
            "const c = document.querySelector('[data-testid=plan-grid]'); \
             const ctx = c.getContext('2d'); \
             const px = (x, y) => Array.from(ctx.getImageData(x, y, 1, 1).data); \
             const css = n => getComputedStyle(c).getPropertyValue(n).trim(); \
             return [px(340, 8), px(5, 50), px(5, 51), css('--emr'), css('--replay'), \
                     c.width, c.height];",
        )
        .await;
    assert_eq!(drawn[5], 852, "the canvas's width: {drawn}");
    assert_eq!(drawn[6], 128, "the canvas's height: {drawn}");
    let rgba = |hex: &serde_json::Value| {
        let hex = hex.as_str().unwrap().trim_start_matches('#');
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        serde_json::json!([byte(0), byte(2), byte(4), 255])
    };
    assert_eq!(drawn[0], rgba(&drawn[3]), "an EMR cell: {drawn}");
    assert_eq!(drawn[1], rgba(&drawn[4]), "a replay cell's line: {drawn}");
    assert_eq!(
        drawn[2],
        serde_json::json!([0, 0, 0, 0]),
        "between the lines: {drawn}"
    );
    grid.click().await.unwrap();
    grid.send_keys("\u{E014}").await.unwrap(); // ArrowRight
    app.wait_text("[data-testid=grid-detail]", |t| {
        t == "clicks, 2022-06-04: not reprocessed"
    })
    .await;
    grid.send_keys("\u{E014}\u{E015}\u{E015}\u{E015}")
        .await
        .unwrap(); // → ↓ ↓ ↓: orders, 06-05
    grid.send_keys("\u{E012}\u{E012}").await.unwrap(); // ← ←: orders, 06-03
    app.wait_text("[data-testid=grid-detail]", |t| {
        t == "orders, 2022-06-03: replay (whole day)"
    })
    .await;
    app.finish().await;
}
