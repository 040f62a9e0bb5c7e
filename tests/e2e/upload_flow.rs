//! Upload to a presigned URL, against a real S3 endpoint that verifies SigV4 signatures and
//! expiry (`crates/local-s3`, started in this process): success for PUT and POST, with the
//! stored bytes checked; an expired URL, before sending and at S3; a tampered signature;
//! a bucket without the CORS rule; a double click; and no trace of the URL afterwards.
use std::time::Duration;

use backfill_spec::{Options, analyze, catalog, object};
use serde_json::Value;
use time::OffsetDateTime;

use crate::harness::{App, TempDir};

const SPEC: &str = r#"version: 1
name: upload-e2e
reason: "reconciliation found mismatches (INC-5150)"
backfills:
  - feeds: [clicks, orders]
    dates: "2022-08-10..2022-08-12"
  - feeds: [orders]
    dates: ["2022-06-03"]
    target: replay
"#;

/// A local S3 endpoint whose CORS rule allows `cors_origin` (None: no rule at all).
async fn s3(cors_origin: Option<&str>) -> (local_s3::Running, TempDir) {
    let data = TempDir::new("e2e-s3");
    let mut config = local_s3::Config::new(data.0.clone());
    config.port = 0;
    config.echo = false;
    config.cors_origin = cors_origin.map(str::to_string);
    let running = local_s3::start(config).await.expect("local S3 starts");
    (running, data)
}

/// A presigned PUT URL and POST form for `key`, signed `age` seconds ago.
fn presigned(s3: &local_s3::Running, key: &str, age: i64, content_type: Option<&str>) -> Value {
    let signed_at = OffsetDateTime::now_utc() - time::Duration::seconds(age);
    s3.presigned(key, signed_at, 3600, content_type)
}

/// The app with SPEC pasted and linted clean, and a local S3 endpoint it may talk to, with
/// the bucket's CORS rule for the app's origin or (`cors` false) without any.
async fn start(cors: bool) -> (App, local_s3::Running, TempDir) {
    let mut app = app_with_spec().await;
    let (s3, data) = s3(cors.then_some(app.origin.as_str())).await;
    app.allow_origin(&s3.endpoint);
    (app, s3, data)
}

/// The app with the spec pasted and linted clean.
async fn app_with_spec() -> App {
    let app = App::open().await;
    app.paste_spec(SPEC).await;
    app.wait_text("[data-testid=all-clear]", |t| !t.is_empty())
        .await;
    app
}

async fn paste_target(app: &App, text: &str) {
    app.browser
        .execute(
            "const t = document.querySelector('[data-testid=upload-target]'); t.value = arguments[0]; \
             t.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(text)],
        )
        .await
        .unwrap();
}

/// Pastes a presigned target and waits until the upload button may send.
async fn paste_ready(app: &App, text: &str) {
    paste_target(app, text).await;
    app.wait_text("[data-testid=upload-blocker]", str::is_empty)
        .await;
}

async fn click_upload(app: &App) {
    app.js("document.querySelector('[data-testid=upload-button]').click()")
        .await;
}

/// The upload button is disabled, and a click on it anyway sends nothing to S3.
async fn refuses_to_send(app: &App, s3: &local_s3::Running) {
    let disabled = app
        .js("return document.querySelector('[data-testid=upload-button]').disabled")
        .await;
    assert_eq!(disabled, true);
    click_upload(app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s3.activity.requests("PUT"), 0);
}

/// Waits for the upload report to settle (not "Uploading…") and returns its text.
async fn report(app: &App) -> String {
    app.wait_text("[data-testid=upload-report]", |t| {
        !t.is_empty() && !t.starts_with("Uploading")
    })
    .await
}

/// The one object stored in the bucket, byte for byte.
fn stored(s3: &local_s3::Running, data: &TempDir, key: &str) -> String {
    let path = data.0.join(&s3.config.bucket).join(key);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The stored object is exactly the uploaded object of SPEC (canonical spec, plan,
/// fingerprint, the created_at it carries) and pastes back to the same spec and plan.
fn assert_is_uploaded_object(body: &str) {
    let options = Options {
        today: backfill_spec::Day::from_ymd(2026, 11, 28).unwrap(),
    };
    let demo = catalog::demo();
    let original = analyze(SPEC, demo, &options);
    let spec = original.spec.as_ref().unwrap();
    let plan = original.plan.as_ref().unwrap();
    let parsed: Value = serde_json::from_str(body).expect("the object is JSON");
    let created_at = parsed["created_at"].as_str().unwrap();
    assert!(
        created_at.len() == 20 && created_at.ends_with('Z'),
        "{created_at}"
    );
    assert_eq!(body, object::uploaded_object(spec, plan, created_at));
    let back = analyze(body, demo, &options);
    assert_eq!(back.kind, backfill_spec::InputKind::UploadedObject);
    assert!(back.diagnostics.is_empty(), "{:#?}", back.diagnostics);
    assert_eq!(back.spec.as_ref(), Some(spec));
    assert_eq!(back.plan.as_ref(), Some(plan));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_presigned_put_uploads_the_object_and_leaves_no_trace_of_the_url() {
    let (mut app, s3, data) = start(true).await;
    let key = "backfills/e2e/put.json";
    let urls = presigned(&s3, key, 0, Some("application/json"));
    let put_url = urls["put_url"].as_str().unwrap();
    paste_target(&app, put_url).await;
    let summary = app
        .wait_text("[data-testid=upload-summary]", |t| t.contains("Expires"))
        .await;
    for part in [
        "PUT",
        &s3.endpoint,
        "backfills",
        key,
        "us-east-1",
        "content-type",
        "Expires: in ",
    ] {
        assert!(summary.contains(part), "{part} not in {summary}");
    }
    let findings = app.text("[data-testid=upload-summary]").await;
    assert!(findings.contains("Content-Type is signed"), "{findings}");

    click_upload(&app).await;
    let done = report(&app).await;
    assert!(
        done.contains(&format!("Uploaded to s3://backfills/{key}")),
        "{done}"
    );
    let body = stored(&s3, &data, key);
    assert!(
        done.contains(&format!("Fingerprint: {}", &body[20..84])),
        "{done}"
    );
    assert!(done.contains("ETag: \""), "{done}");
    assert!(done.contains("What happens next"), "{done}");
    // The run the trigger will start, as the pipeline names it (pipeline/tests).
    let object: Value = serde_json::from_str(&body).unwrap();
    let fingerprint = object["fingerprint"].as_str().unwrap();
    assert!(
        done.contains(&format!("Airflow run: backfill-{}", &fingerprint[..16])),
        "{done}"
    );
    assert_is_uploaded_object(&body);
    assert_eq!(s3.activity.requests("PUT"), 1);
    // The report is a live region: the expiry's clock ticking must not re-render it.
    app.js("window.__report = document.querySelector('[data-testid=upload-report] p')")
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let same = app
        .js("return document.querySelector('[data-testid=upload-report] p') === window.__report")
        .await;
    assert_eq!(same, true, "the report was rebuilt while nothing happened");
    let event = &s3.activity.objects()[0];
    assert_eq!(event["s3_event"]["Records"][0]["s3"]["object"]["key"], key);

    // The URL is in no storage, no share link and not on the console.
    let signature = put_url.rsplit("X-Amz-Signature=").next().unwrap();
    let storage = app
        .js("return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage))")
        .await;
    assert!(!storage.as_str().unwrap().contains(signature), "{storage}");
    app.js("document.querySelector('[data-testid=share-link]').click()")
        .await;
    let link = app
        .wait_text("[data-testid=action-message]", |t| t.contains("link"))
        .await;
    let share = app
        .js("return document.querySelector('[data-testid=share-url]').value")
        .await;
    assert!(share.as_str().unwrap().contains('#'), "{link}: {share}");
    assert!(!share.as_str().unwrap().contains(signature));
    assert!(!share.as_str().unwrap().contains("X-Amz"));
    let console = app.console().await;
    assert!(
        !console.iter().any(|e| e.to_string().contains(signature)),
        "{console:#?}"
    );
    // After a reload the upload box is empty: nothing brought the URL back.
    app.goto("/").await;
    let target = app
        .js("return document.querySelector('[data-testid=upload-target]').value")
        .await;
    assert_eq!(target, "");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_presigned_post_form_uploads_the_object() {
    let (app, s3, data) = start(true).await;
    let key = "backfills/e2e/post.json";
    let post = presigned(&s3, key, 0, None)["post"].to_string();
    paste_target(&app, &post).await;
    let summary = app
        .wait_text("[data-testid=upload-summary]", |t| t.contains("Expires"))
        .await;
    assert!(summary.contains("POST"), "{summary}");
    assert!(summary.contains(key), "{summary}");
    click_upload(&app).await;
    let done = report(&app).await;
    assert!(
        done.contains(&format!("Uploaded to s3://backfills/{key}")),
        "{done}"
    );
    assert_is_uploaded_object(&stored(&s3, &data, key));
    assert_eq!(s3.activity.requests("POST"), 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_url_is_refused_before_sending_and_explained_when_s3_says_so() {
    let (mut app, s3, _data) = start(true).await;
    // Signed two hours ago for one hour: the app refuses it and sends nothing.
    let urls = presigned(&s3, "backfills/e2e/old.json", 7200, None);
    paste_target(&app, urls["put_url"].as_str().unwrap()).await;
    let findings = app
        .wait_text("[data-testid=upload-summary]", |t| t.contains("expired"))
        .await;
    assert!(findings.contains("UTC"), "{findings}");
    refuses_to_send(&app, &s3).await;

    // A browser clock two hours slow lets it through: S3's own check answers 403.
    app.js("const real = Date.now; Date.now = () => real() - 7200 * 1000;")
        .await;
    paste_ready(&app, urls["put_url"].as_str().unwrap()).await;
    app.expect_console("403");
    click_upload(&app).await;
    let explained = report(&app).await;
    assert!(explained.contains("expired"), "{explained}");
    assert!(
        explained.contains("403 AccessDenied: Request has expired"),
        "{explained}"
    );
    assert_eq!(s3.activity.requests("PUT"), 1);
    assert!(s3.activity.objects().is_empty());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_signature_is_explained() {
    let (mut app, s3, _data) = start(true).await;
    let urls = presigned(&s3, "backfills/e2e/tampered.json", 0, None);
    let url = urls["put_url"].as_str().unwrap();
    let last = url.chars().last().unwrap();
    let tampered = format!(
        "{}{}",
        &url[..url.len() - 1],
        if last == '0' { '1' } else { '0' }
    );
    paste_ready(&app, &tampered).await;
    app.expect_console("403");
    click_upload(&app).await;
    let explained = report(&app).await;
    assert!(explained.contains("SignatureDoesNotMatch"), "{explained}");
    assert!(explained.contains("Content-Type"), "{explained}");
    assert!(s3.activity.objects().is_empty());
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_without_the_cors_rule_gets_the_rule_that_fixes_it() {
    let (mut app, s3, _data) = start(false).await;
    app.expect_console("CORS");
    app.expect_console("ERR_FAILED");
    let urls = presigned(&s3, "backfills/e2e/cors.json", 0, None);
    paste_ready(&app, urls["put_url"].as_str().unwrap()).await;
    click_upload(&app).await;
    let explained = report(&app).await;
    assert!(explained.contains("CORS"), "{explained}");
    assert!(explained.contains("nothing was stored"), "{explained}");
    let rule = app.text("[data-testid=cors-rule]").await;
    assert!(rule.contains(&format!("\"{}\"", app.origin)), "{rule}");
    for part in ["\"PUT\"", "\"POST\"", "content-type", "ETag"] {
        assert!(rule.contains(part), "{part} not in {rule}");
    }
    assert_eq!(
        s3.activity.requests("PUT"),
        0,
        "the preflight stops the PUT"
    );
    assert!(
        app.js("return !document.querySelector('[data-testid=upload-retry]').hidden")
            .await
            == true
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_click_sends_one_put_and_sending_again_asks_first() {
    let (app, s3, _data) = start(true).await;
    let urls = presigned(&s3, "backfills/e2e/twice.json", 0, None);
    paste_ready(&app, urls["put_url"].as_str().unwrap()).await;
    app.js("const b = document.querySelector('[data-testid=upload-button]'); b.click(); b.click(); b.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));")
        .await;
    let done = report(&app).await;
    assert!(done.contains("Uploaded to"), "{done}");
    assert_eq!(s3.activity.requests("PUT"), 1);

    // The same spec to the same key again: the app asks; "cancel" sends nothing.
    // (From a timer: a dialog opened inside a WebDriver script call would block the call.)
    app.js("setTimeout(() => document.querySelector('[data-testid=upload-button]').click(), 0)")
        .await;
    let question = app.wait_dialog().await;
    assert!(question.contains("already uploaded"), "{question}");
    app.browser.dismiss_alert().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s3.activity.requests("PUT"), 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_sent_while_the_spec_has_errors() {
    let (app, s3, _data) = start(true).await;
    let urls = presigned(&s3, "backfills/e2e/errors.json", 0, None);
    paste_ready(&app, urls["put_url"].as_str().unwrap()).await;
    app.paste_spec(&SPEC.replace("[clicks, orders]", "[clicks, clickz]"))
        .await;
    let blocker = app
        .wait_text("[data-testid=upload-blocker]", |t| t.contains("error"))
        .await;
    assert!(blocker.contains("nothing is sent"), "{blocker}");
    refuses_to_send(&app, &s3).await;
    app.finish().await;
}

/// A large spec (linted in the worker after a pause), edited and uploaded at once, before the
/// pause is over: what is stored is the uploaded object of the text as edited, not of the
/// analysis before the keystroke.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_right_after_typing_sends_the_text_as_typed() {
    let (app, s3, data) = start(true).await;
    let mut large = SPEC.to_owned();
    for i in 0..5_000 {
        large.push_str(&format!(
            "  - feeds: [clicks]\n    dates: \"{}\"\n    note: \"entry {i} of a large spec\"\n",
            backfill_spec::Day::parse("2021-01-01")
                .unwrap()
                .plus_days(i % 500)
        ));
    }
    assert!(large.len() > 300_000);
    app.paste_spec(&large).await;
    app.wait_text("[data-testid=sum-feed-days]", |t| t == "507")
        .await;
    let key = "backfills/e2e/typed.json";
    let urls = presigned(&s3, key, 0, None);
    paste_ready(&app, urls["put_url"].as_str().unwrap()).await;
    // One keystroke's worth of change, then Upload in the same task: no pause, no worker.
    app.js("const t = document.getElementById('spec-text'); \
         t.value = t.value.replace('name: upload-e2e', 'name: typed-then-sent'); \
         t.dispatchEvent(new Event('input', { bubbles: true })); \
         document.querySelector('[data-testid=upload-button]').click();")
        .await;
    let said = report(&app).await;
    assert!(said.contains("Uploaded"), "{said}");
    let body = stored(&s3, &data, key);
    let object: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(object["spec"]["name"], "typed-then-sent");
    app.finish().await;
}

/// Errors beyond the findings shown (hundreds of repeats first) still hold the upload, and
/// the page says how many there are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_past_the_display_cap_keep_the_upload_disabled() {
    let (app, s3, _data) = start(true).await;
    let urls = presigned(&s3, "backfills/e2e/capped.json", 0, None);
    paste_ready(&app, urls["put_url"].as_str().unwrap()).await;
    let mut spec =
        String::from("version: 1\nname: capped\nreason: \"many findings\"\nbackfills:\n");
    for i in 0..600 {
        spec.push_str(&format!(
            "  - {{feeds: [clicks], dates: \"2022-08-10\", note: \"{i}\"}}\n"
        ));
    }
    for i in 0..3 {
        spec.push_str(&format!(
            "  - {{feeds: [nope{i}], dates: \"2022-08-11\"}}\n"
        ));
    }
    app.paste_spec(&spec).await;
    let blocker = app
        .wait_text("[data-testid=upload-blocker]", |t| t.contains("error"))
        .await;
    assert!(blocker.contains("3 error(s)"), "{blocker}");
    let summary = app.text("[data-testid=diagnostics-summary]").await;
    assert!(
        summary.starts_with("3 error(s), 599 warning(s)"),
        "{summary}"
    );
    // Errors are listed first.
    let first = app.text(".diagnostic-list li").await;
    assert!(first.contains("unknown-feed"), "{first}");
    refuses_to_send(&app, &s3).await;
    app.finish().await;
}
