use std::time::Duration;

use backfill_spec::presign::{self, Method, Target};
use backfill_spec::{Diagnostic, Severity, emit};
use leptos::prelude::*;

use crate::browser;
use crate::components::copy_button::CopyButton;
use crate::state::AppState;
use crate::upload::{self, Failure};

/// A line of the panel: a class (which also says the kind in words, for colour is never
/// the only signal) and its text. Every part of the panel is lines of this one shape, which
/// keeps the view code small (see docs/decisions.md, "The bundle budget").
type Line = (&'static str, String);

/// What the panel says after a click: "sending", success, or a failure explained.
#[derive(Clone, Default)]
struct Report {
    lines: Vec<Line>,
    /// The bucket CORS configuration that would fix a refusal (empty: none).
    cors_rule: String,
    retry: bool,
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
    let error = |title: &str| ("upload-title diagnostic-error", format!("✕ {title}"));
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

/// Upload to a presigned PUT URL or POST form: what was understood of it, what stops the
/// upload, one click for one upload, and what came back, explained. The pasted URL is kept
/// in memory only: never in storage, a share link or the console.
#[component]
pub fn UploadPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let panel = RwSignal::new(Panel {
        read: Ok(None),
        sending: false,
        report: Report::default(),
        uploaded: Vec::new(),
    });
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
        let problem = panel.with(|p| match &p.read {
            _ if p.sending => Some("Uploading…"),
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
                Ok(None) => Vec::new(),
                Err(finding) => vec![finding_line(finding)],
            })
        })
    };

    let upload_now = move || {
        // What is sent is the analysis of the text in the editor now, even a keystroke after
        // the last one (a large text's analysis waits for a pause and the worker).
        state.catch_up();
        if untrack(blocker).is_some() {
            return;
        }
        let Some(target) = panel.with_untracked(|p| p.read.clone().ok().flatten()) else {
            return;
        };
        let created_at = presign::rfc3339(js_sys::Date::now() as i64);
        let Some((fingerprint, body, filename)) = state.analysis.with_untracked(|a| {
            let spec = a.readable_spec()?;
            let plan = a.analysis.plan.as_ref()?;
            Some((
                emit::fingerprint(spec),
                backfill_spec::object::uploaded_object(spec, plan, &created_at),
                file_name(&spec.name),
            ))
        }) else {
            return;
        };
        let uri = object_uri(&target, &target.key_for(&filename));
        let mark = format!("{uri} {fingerprint}");
        if panel.with_untracked(|p| p.uploaded.contains(&mark))
            && !browser::confirm(&format!(
                "This spec (fingerprint {}…) was already uploaded to {uri} from this page. Upload it again?",
                &fingerprint[..12]
            ))
        {
            return;
        }
        panel.update(|p| {
            p.sending = true;
            p.report = Report {
                lines: vec![("upload-title", format!("Uploading to {uri}…"))],
                ..Report::default()
            };
        });
        leptos::task::spawn_local(async move {
            let result = upload::send(&target, &body, &filename).await;
            let stored = result.is_ok();
            let done = match result {
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
                                    backfill_spec::object::dag_run_id(&fingerprint)
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
                p.report = done;
            });
        });
    };
    let rule = move || panel.with(|p| p.report.cors_rule.clone());

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
