use std::time::Duration;

use backfill_spec::presign::{self, Explanation, Method, Target, endpoint};
use backfill_spec::{Diagnostic, Severity, emit, object};
use leptos::prelude::*;

use crate::browser;
use crate::components::copy_button::CopyButton;
use crate::state::AppState;
use crate::upload::{self, Failure, NoTarget};

/// A line of the panel: a class (which also says the kind in words, for colour is never
/// the only signal) and its text. Every part of the panel is lines of this one shape, which
/// keeps the view code small (see docs/decisions.md, "The bundle budget").
type Line = (&'static str, String);

/// What the panel says after a click: "sending", success, or a failure explained.
#[derive(Clone, Default)]
struct Report {
    lines: Vec<Line>,
    /// The bucket CORS configuration (or the presign endpoint's CORS headers) that would fix
    /// a refusal (empty: none).
    cors_rule: String,
    /// Where to sign in, when an expired sign-on session kept the presign endpoint from
    /// answering (empty: none).
    sign_in: String,
    retry: bool,
}

impl Report {
    fn line(class: &'static str, text: String) -> Report {
        Report {
            lines: vec![(class, text)],
            ..Report::default()
        }
    }
}

fn error_title(title: &str) -> Line {
    ("upload-title diagnostic-error", format!("✕ {title}"))
}

/// An explained failure: its title, what happened, what to do.
fn explained(explanation: Explanation) -> Vec<Line> {
    vec![
        error_title(&explanation.title),
        ("", explanation.detail),
        ("", explanation.next),
    ]
}

/// The presign endpoint gave no target: nothing was sent.
fn no_target_report(no: NoTarget) -> Report {
    Report {
        retry: no.explanation.retry,
        lines: explained(no.explanation),
        cors_rule: no.cors_headers.unwrap_or_default(),
        sign_in: no.sign_in.unwrap_or_default(),
    }
}

/// Unix seconds: what presign's clock-dependent checks take.
fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn finding_line(f: &Diagnostic) -> Line {
    let class = match f.severity {
        Severity::Error => "diagnostic-error",
        Severity::Warning => "diagnostic-warning",
        Severity::Info => "diagnostic-info",
    };
    let text = format!(
        "{} {}: {} {}",
        f.severity.symbol(),
        f.severity.label(),
        f.message,
        f.hint.as_deref().unwrap_or_default()
    );
    (class, text)
}

/// `<name>.backfill.json`: what a POST form's `${filename}` becomes.
fn file_name(name: &str) -> String {
    let stem = if name.trim().is_empty() { "spec" } else { name };
    format!("{stem}.backfill.json")
}

/// `s3://bucket/key`, or the endpoint and key when the bucket cannot be told.
fn object_uri(target: &Target, key: &str) -> String {
    if target.bucket.is_empty() {
        format!("{}/{key}", target.endpoint)
    } else {
        format!("s3://{}/{key}", target.bucket)
    }
}

/// What was understood of the pasted target, then what is wrong with it now (a host that is
/// neither S3's, this computer's nor one of `allowed_hosts` is warned about before sending).
fn target_lines(target: &Target, key: &str, now: i64, allowed_hosts: &[String]) -> Vec<Line> {
    let or_unknown = |v: &str| {
        if v.is_empty() {
            "(not in the URL)".to_string()
        } else {
            v.to_string()
        }
    };
    let expires = match target.expires_at {
        Some(at) if at > now => format!(
            "in {} ({})",
            presign::duration_text(at - now),
            presign::utc_text(at)
        ),
        Some(at) => format!(
            "expired {} ago ({})",
            presign::duration_text(now - at),
            presign::utc_text(at)
        ),
        None => "unknown: the URL does not say".into(),
    };
    let facts = [
        (
            "Method",
            if target.method == Method::Put {
                "PUT".into()
            } else {
                "POST (form)".into()
            },
        ),
        ("Endpoint", target.endpoint.clone()),
        ("Bucket", or_unknown(&target.bucket)),
        ("Key", key.to_string()),
        ("Region", or_unknown(&target.region)),
        ("Signed", target.signed_headers.join(", ")),
        (
            "Content-Type",
            target
                .content_type_to_send()
                .unwrap_or("(none)")
                .to_string(),
        ),
        ("Expires", expires),
    ];
    let mut lines: Vec<Line> = facts
        .into_iter()
        .map(|(label, value)| ("upload-fact", format!("{label}: {value}")))
        .collect();
    lines.extend(
        target
            .findings_at(now, allowed_hosts)
            .iter()
            .map(finding_line),
    );
    lines
}

fn failure_report(failure: Failure, method: Method, origin: &str) -> Report {
    let error = error_title;
    match failure {
        Failure::Refused {
            error: s3,
            explanation,
            ..
        } => {
            let mut lines = vec![error(&explanation.title), ("", explanation.detail)];
            // The explanation's detail quotes S3's code and message; its other fields follow,
            // without the byte dumps a signature error adds, which are noise to a person.
            if let Some(s3) = s3 {
                lines.extend(
                    s3.details
                        .into_iter()
                        .filter(|(name, _)| !name.ends_with("Bytes"))
                        .map(|(name, value)| ("upload-fact", format!("{name}: {value}"))),
                );
            }
            lines.push(("", explanation.next));
            Report {
                lines,
                retry: explanation.retry,
                ..Report::default()
            }
        }
        Failure::Unreadable { offline: true } => Report {
            lines: vec![
                error("You are offline"),
                ("", "The browser reports no network connection: nothing reached the bucket. Reconnect, then upload again.".into()),
            ],
            retry: true,
            ..Report::default()
        },
        Failure::Unreadable { offline: false } => Report {
            lines: vec![
                error("The browser refused the answer: most likely the bucket's CORS rule"),
                ("", format!("The upload failed with a bare TypeError and no HTTP status. Browsers do that when the bucket has no CORS rule for this site's origin ({origin}); an unreachable host looks the same.")),
                ("", match method {
                    Method::Put => "For a PUT the browser asks the bucket first (a CORS preflight), so nothing was stored.",
                    Method::Post => "A form POST needs no preflight: the bucket may have stored the object and fired its event even though this page could not read the answer. Look in the bucket before you upload again.",
                }.into()),
                ("", "Fix: give the bucket this CORS configuration (aws s3api put-bucket-cors --bucket <bucket> --cors-configuration file://cors.json), then upload again.".into()),
            ],
            cors_rule: presign::cors_rule(origin),
            retry: true,
            ..Report::default()
        },
        Failure::NotSent => Report {
            lines: vec![
                error("The browser would not send this request"),
                ("", "The URL or a header is not valid for fetch: copy the presigned URL again, whole.".into()),
            ],
            ..Report::default()
        },
    }
}

fn lines_view(lines: Vec<Line>) -> impl IntoView {
    lines
        .into_iter()
        .map(|(class, text)| view! { <p class=class>{text}</p> })
        .collect_view()
}

/// The panel's state, in one signal (each signal of a new type costs the bundle its own copy
/// of Leptos's reactive code).
#[derive(Clone)]
struct Panel {
    /// What the pasted text is: `Ok(None)` while it is blank. Kept in memory only.
    read: Result<Option<Target>, Box<Diagnostic>>,
    sending: bool,
    report: Report,
    /// "s3://bucket/key fingerprint" of what this page uploaded: the same again asks first.
    uploaded: Vec<String>,
}

/// What one upload sends, taken from the analysis when the button is pressed.
struct Upload {
    fingerprint: String,
    body: String,
    filename: String,
    name: String,
    /// The catalog's `upload.key` for this spec (where a presign endpoint's target must
    /// write) and its `upload.allowed_hosts`.
    key: String,
    allowed_hosts: Vec<String>,
}

/// Upload to a presigned PUT URL or POST form: what was understood of it, what stops the
/// upload, one click for one upload, and what came back, explained. With a presign endpoint
/// in the catalog (`upload.presign`), the click asks it for the target first; pasting still
/// works. The URL is kept in memory only: never in storage, a share link or the console.
#[component]
pub fn UploadPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let panel = RwSignal::new(Panel {
        read: Ok(None),
        sending: false,
        report: Report::default(),
        uploaded: Vec::new(),
    });
    let presign_url = move || state.catalog.with(|c| c.upload_presign.clone());
    // The clock is a signal of its own: its ticks must not re-render the report, which is a
    // live region (a screen reader would read it out every second). It ticks only while there
    // is an expiry to count down.
    let clock = RwSignal::new(now_secs());
    let tick = set_interval_with_handle(
        move || {
            if panel.with_untracked(|p| matches!(p.read, Ok(Some(_)))) {
                clock.set(now_secs());
            }
        },
        Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(tick) = tick {
            tick.clear();
        }
    });

    // What stops an upload now, in words; None when the button may send.
    let blocker = move || -> Option<String> {
        let asks = presign_url().is_some();
        let problem = panel.with(|p| match &p.read {
            _ if p.sending => Some("Uploading…"),
            Ok(None) if asks => None,
            Ok(None) => Some("Paste a presigned PUT URL or POST form above to upload."),
            Err(_) => Some("What is pasted above is not a presigned URL or POST form."),
            Ok(Some(t)) if !t.can_send_at(clock.get()) => Some("Fix the error above first."),
            Ok(Some(_)) => None,
        });
        if let Some(problem) = problem {
            return Some(problem.into());
        }
        // A large text typed a moment ago is checked when the button is pressed (catch_up):
        // the analysis before it does not hold the button.
        if !state.is_current() {
            return None;
        }
        state.analysis.with(|a| {
            let errors = a.count(Severity::Error);
            if a.readable_spec().is_none() || a.analysis.plan.is_none() {
                Some("The spec cannot be read whole: fix it first.".into())
            } else if errors > 0 {
                Some(format!(
                    "The spec has {errors} error(s): nothing is sent until they are fixed."
                ))
            } else {
                None
            }
        })
    };
    let understood = move || {
        state.analysis.with(|a| {
            let spec = a.readable_spec();
            let filename = file_name(spec.map(|s| s.name.as_str()).unwrap_or_default());
            panel.with(|p| match &p.read {
                Ok(Some(target)) => state.catalog.with(|catalog| {
                    target_lines(
                        target,
                        &target.key_for(&filename),
                        clock.get(),
                        &catalog.upload_allowed_hosts,
                    )
                }),
                Ok(None) => presign_url()
                    .map(|url| vec![("hint", format!("Upload asks {url} for an upload URL (the catalog's upload.presign), with your sign-in. Or paste one above."))])
                    .unwrap_or_default(),
                Err(finding) => vec![finding_line(finding)],
            })
        })
    };

    // Sets the report and ends the "sending" state.
    let done = move |report: Report| {
        panel.update(|p| {
            p.sending = false;
            p.report = report;
        })
    };
    let upload_now = move || {
        // What is sent is the analysis of the text in the editor now, even a keystroke after
        // the last one (a large text's analysis waits for a pause and the worker).
        state.catch_up();
        if untrack(blocker).is_some() {
            return;
        }
        let pasted = panel.with_untracked(|p| p.read.clone().ok().flatten());
        let Some(upload) = state.analysis.with_untracked(|a| {
            let spec = a.readable_spec()?;
            let plan = a.analysis.plan.as_ref()?;
            let created_at = presign::rfc3339(js_sys::Date::now() as i64);
            let (key, allowed_hosts) = state.catalog.with_untracked(|catalog| {
                (
                    object::upload_key(spec, catalog),
                    catalog.upload_allowed_hosts.clone(),
                )
            });
            Some(Upload {
                fingerprint: emit::fingerprint(spec),
                body: object::uploaded_object(spec, plan, &created_at),
                filename: file_name(&spec.name),
                name: spec.name.clone(),
                key,
                allowed_hosts,
            })
        }) else {
            return;
        };
        let ask = match (&pasted, presign_url()) {
            (None, Some(url)) => Some(url),
            _ => None,
        };
        panel.update(|p| {
            p.sending = true;
            p.report = match &ask {
                Some(url) => {
                    Report::line("upload-title", format!("Asking {url} for an upload URL…"))
                }
                None => Report::default(),
            };
        });
        leptos::task::spawn_local(async move {
            let target = match (pasted, ask) {
                (Some(target), _) => target,
                (None, Some(url)) => {
                    match upload::ask_target(&url, &upload.name, &upload.fingerprint).await {
                        Ok(mut target) => {
                            target.findings.extend(endpoint::key_finding(
                                &target,
                                &upload.filename,
                                &upload.key,
                            ));
                            if !target.can_send_at(now_secs()) {
                                // What was understood of it and what is wrong, as for a
                                // pasted target; nothing was sent.
                                let mut lines = vec![error_title(
                                    "The presign endpoint's target cannot be used: nothing was sent",
                                )];
                                lines.extend(target_lines(
                                    &target,
                                    &target.key_for(&upload.filename),
                                    now_secs(),
                                    &upload.allowed_hosts,
                                ));
                                return done(Report {
                                    lines,
                                    ..Report::default()
                                });
                            }
                            target
                        }
                        Err(no_target) => return done(no_target_report(no_target)),
                    }
                }
                (None, None) => return done(Report::default()),
            };
            send(target, upload, panel).await;
        });
    };
    let rule = move || panel.with(|p| p.report.cors_rule.clone());
    let sign_in = move || panel.with(|p| p.report.sign_in.clone());

    view! {
        <label for="upload-target">"Presigned PUT URL, or presigned POST as JSON (url and fields)"</label>
        <textarea
            id="upload-target"
            class="upload-target"
            data-testid="upload-target"
            rows="3"
            spellcheck="false"
            autocomplete="off"
            placeholder="https://bucket.s3.region.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&…"
            on:input=move |ev| {
                let read = presign::read(&event_target_value(&ev));
                clock.set(now_secs());
                panel.update(|p| {
                    p.read = read;
                    p.report = Report::default();
                });
            }
        ></textarea>
        <p class="hint">"Kept in this page only: never saved, never put in a share link."</p>
        <div class="upload-understood" data-testid="upload-summary">{move || lines_view(understood())}</div>
        <button type="button" data-testid="upload-button" disabled=move || blocker().is_some() on:click=move |_| upload_now()>
            "Upload"
        </button>
        <span class="upload-blocker" data-testid="upload-blocker">
            {move || blocker().or_else(|| (!state.is_current()).then(|| "Checking the latest edit…".to_owned()))}
        </span>
        <div class="upload-report" role="status" data-testid="upload-report">
            {move || lines_view(panel.with(|p| p.report.lines.clone()))}
        </div>
        <a data-testid="sign-in" hidden=move || sign_in().is_empty() href=sign_in target="_blank" rel="noopener noreferrer">
            "Sign in (opens a new tab)"
        </a>
        <div hidden=move || rule().is_empty()>
            <pre data-testid="cors-rule">{rule}</pre>
            <CopyButton text=Signal::derive(rule) label="Copy CORS rule" />
        </div>
        <button
            type="button"
            class="secondary"
            data-testid="upload-retry"
            hidden=move || !panel.with(|p| p.report.retry)
            disabled=move || blocker().is_some()
            on:click=move |_| upload_now()
        >
            "Try again"
        </button>
    }
}

/// Sends `upload` to `target` (after asking, when this page already uploaded the same spec
/// there) and reports what came back.
async fn send(target: Target, upload: Upload, panel: RwSignal<Panel>) {
    let uri = object_uri(&target, &target.key_for(&upload.filename));
    let fingerprint = upload.fingerprint;
    let mark = format!("{uri} {fingerprint}");
    if panel.with_untracked(|p| p.uploaded.contains(&mark))
        && !browser::confirm(&format!(
            "This spec (fingerprint {}…) was already uploaded to {uri} from this page. Upload it again?",
            &fingerprint[..12]
        ))
    {
        panel.update(|p| {
            p.sending = false;
            p.report = Report::default();
        });
        return;
    }
    panel.update(|p| p.report = Report::line("upload-title", format!("Uploading to {uri}…")));
    let result = upload::send(&target, &upload.body, &upload.filename).await;
    let stored = result.is_ok();
    let report = match result {
        Ok(etag) => {
            let etag = etag.unwrap_or_else(|| {
                "not readable here (the bucket's CORS rule does not expose ETag)".into()
            });
            Report {
                lines: vec![
                    ("upload-title diagnostic-ok", format!("✓ Uploaded to {uri}")),
                    ("upload-fact", format!("ETag: {etag}")),
                    ("upload-fact", format!("Fingerprint: {fingerprint}")),
                    (
                        "upload-fact",
                        format!(
                            "Airflow run: {} (DAG backfill_runner)",
                            object::dag_run_id(&fingerprint)
                        ),
                    ),
                    (
                        "",
                        format!(
                            "What happens next: S3 tells the Lambda, which starts the DAG backfill_runner in Airflow as the run above, with conf {{\"spec_uri\": \"{uri}\"}}: look for that run id in Airflow. The DAG runs exactly the plan shown here, and refuses a fingerprint it has already run."
                        ),
                    ),
                ],
                ..Report::default()
            }
        }
        Err(failure) => failure_report(
            failure,
            target.method,
            &window().location().origin().unwrap_or_default(),
        ),
    };
    panel.update(|p| {
        if stored {
            p.uploaded.push(mark);
        }
        p.sending = false;
        p.report = report;
    });
}
