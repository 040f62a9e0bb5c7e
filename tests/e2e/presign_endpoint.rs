//! The catalog's presign endpoint (`upload.presign`): the Upload panel asks it for a target.
//! Here the endpoint is a scripted server, so that each way it can fail is shown: 401, 403,
//! a redirect to a sign-in page (an expired sign-on session), no CORS for the site's origin,
//! an answer that is not a target, and a target for another key than the catalog's. Each
//! failure is explained and nothing is sent anywhere else. The successful path, against
//! local-s3's endpoint and its SigV4-verifying bucket, and the check that no target is kept,
//! are in deployed.rs (the site as `make dist` builds it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::App;

const SPEC: &str = r#"version: 1
name: presign-e2e
reason: "reconciliation found mismatches (INC-5151)"
backfills:
  - feeds: [clicks]
    dates: "2022-08-10"
"#;

/// What the scripted endpoint answers a POST with; its preflight is answered with the CORS
/// headers unless `cors` is false.
#[derive(Clone)]
struct Script {
    cors: bool,
    status: &'static str,
    headers: &'static str,
    body: String,
}

/// The scripted endpoint: answers by the current script and keeps the bodies of the POSTs it
/// got (and the request line of anything else).
struct Endpoint {
    url: String,
    script: Arc<Mutex<Script>>,
    posts: Arc<Mutex<Vec<String>>>,
}

impl Endpoint {
    fn start() -> Endpoint {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/presign", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(Script {
            cors: true,
            status: "500 Internal Server Error",
            headers: "",
            body: String::new(),
        }));
        let posts = Arc::new(Mutex::new(Vec::new()));
        let (s, p) = (script.clone(), posts.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (s, p) = (s.clone(), p.clone());
                std::thread::spawn(move || {
                    let _ = answer(stream, &s, &p);
                });
            }
        });
        Endpoint { url, script, posts }
    }

    fn answer_with(&self, script: Script) {
        *self.script.lock().unwrap() = script;
    }
}

fn answer(
    stream: TcpStream,
    script: &Mutex<Script>,
    posts: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut origin = String::new();
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header == "\r\n" {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or_default();
            match name.to_ascii_lowercase().as_str() {
                "origin" => origin = value.trim().to_string(),
                "content-length" => length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let script = script.lock().unwrap().clone();
        let cors = if script.cors {
            format!(
                "Access-Control-Allow-Origin: {origin}\r\nAccess-Control-Allow-Credentials: true\r\n\
                 Access-Control-Allow-Methods: POST\r\nAccess-Control-Allow-Headers: content-type\r\n"
            )
        } else {
            String::new()
        };
        let (status, headers, body) = if request_line.starts_with("OPTIONS") {
            ("204 No Content", "", String::new())
        } else if !request_line.starts_with("POST") {
            // Only the app's POST is expected (a redirect must not be followed).
            posts.lock().unwrap().push(request_line.trim().to_string());
            ("404 Not Found", "", String::new())
        } else {
            posts
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            (script.status, script.headers, script.body)
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\n{cors}{headers}Content-Length: {}\r\nCache-Control: no-store\r\n\r\n{body}",
            body.len()
        )?;
    }
}

fn catalog(endpoint: &str) -> String {
    format!(
        "version: 1\nfeeds:\n  clicks: {{since: \"2020-01-01\"}}\nemr:\n  step_name: \"backfill {{feed}} {{date}}\"\n  \
         args: [spark-submit, job.py, --feed, \"{{feed}}\", --date, \"{{date}}\"]\n  hours_args: []\n\
         upload:\n  key: \"backfills/{{name}}/{{fingerprint}}.json\"\n  presign: {{url: \"{endpoint}\"}}\n"
    )
}

/// Clicks Upload and waits for the report that says `title` (not the one before the click).
async fn report_after_click(app: &App, title: &str) -> String {
    app.wait_text("[data-testid=upload-blocker]", str::is_empty)
        .await;
    app.js("document.querySelector('[data-testid=upload-button]').click()")
        .await;
    app.wait_text("[data-testid=upload-report]", |t| t.contains(title))
        .await
}

/// A presigned PUT URL signed now, for `key` on a host nothing listens on.
fn fresh_url(key: &str) -> String {
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    format!(
        "http://127.0.0.1:9/backfills/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIDEXAMPLE%2F{}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={stamp}\
         &X-Amz-Expires=300&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=00",
        &stamp[..8]
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_presign_failure_is_explained_and_nothing_is_sent() {
    let endpoint = Endpoint::start();
    let endpoint_origin = endpoint.url.trim_end_matches("/presign").to_string();
    let mut app = App::open_with_catalog(&catalog(&endpoint.url)).await;
    app.allow_origin(&endpoint_origin);
    app.paste_spec(SPEC).await;
    app.wait_text("[data-testid=all-clear]", |t| !t.is_empty())
        .await;
    // The panel says where a click goes, and the button may send with nothing pasted.
    let says = app
        .js("return document.body.innerText")
        .await
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        says.contains(&format!("Upload asks {} for an upload URL", endpoint.url)),
        "{says}"
    );

    let sign_in = format!("{endpoint_origin}/");
    // (the answer, what the report says (its title first), whether it links to sign in, the
    // console errors Chromium logs for it)
    let wrong_key = format!(r#"{{"url": "{}"}}"#, fresh_url("elsewhere/x.json"));
    let cases: [(Script, &[&str], bool, &[&str]); 6] = [
        (
            Script {
                cors: true,
                status: "401 Unauthorized",
                headers: "",
                body: String::new(),
            },
            &["not signed in (401)", "Sign in with the link below"],
            true,
            &["401"],
        ),
        (
            Script {
                cors: true,
                status: "403 Forbidden",
                headers: "Content-Type: application/json\r\n",
                body: r#"{"error": "origin not allowed"}"#.into(),
            },
            &["refused this request (403)", "\"origin not allowed\""],
            false,
            &["403"],
        ),
        (
            Script {
                cors: true,
                status: "302 Found",
                headers: "Location: /sso/login\r\n",
                body: String::new(),
            },
            &["sign-in has expired", "redirect"],
            true,
            &[],
        ),
        (
            Script {
                cors: true,
                status: "200 OK",
                headers: "Content-Type: text/html\r\n",
                body: "<html>sign in</html>".into(),
            },
            &["not an upload target", "not a JSON object"],
            false,
            &[],
        ),
        (
            Script {
                cors: true,
                status: "200 OK",
                headers: "Content-Type: application/json\r\n",
                body: wrong_key,
            },
            &[
                "target cannot be used: nothing was sent",
                "writes to `elsewhere/x.json`, not to `backfills/presign-e2e/",
            ],
            false,
            &[],
        ),
        (
            Script {
                cors: false,
                status: "200 OK",
                headers: "",
                body: String::new(),
            },
            &["CORS, or an expired sign-in", &app.origin.clone()],
            true,
            &["CORS", "ERR_FAILED"],
        ),
    ];
    for (script, expected, link, console) in cases {
        let no_cors = !script.cors;
        endpoint.answer_with(script);
        for message in console {
            app.expect_console(message);
        }
        let report = report_after_click(&app, expected[0]).await;
        for part in expected {
            assert!(report.contains(part), "{part:?} not in {report}");
        }
        // A refusal says how to go on without the endpoint; an unusable target says, with
        // its finding's hint, what the endpoint must change.
        assert!(
            report.contains("paste a presigned URL") || report.contains("BACKFILL_KEY_PATTERN"),
            "{report}"
        );
        let href = app
            .js("const a = document.querySelector('[data-testid=sign-in]'); return a.hidden ? '' : a.href")
            .await;
        assert_eq!(
            href.as_str().unwrap(),
            if link { sign_in.as_str() } else { "" },
            "{report}"
        );
        if no_cors {
            let rule = app.text("[data-testid=cors-rule]").await;
            assert!(
                rule.contains(&format!("Access-Control-Allow-Origin: {}", app.origin))
                    && rule.contains("Access-Control-Allow-Credentials: true"),
                "{rule}"
            );
        }
    }
    // Each click asked once, with the spec's name and fingerprint; the page contacted
    // nothing else. In the CORS case the POST itself is sent only when Chromium still holds
    // the preflight answer of the cases before (5 s): its answer is refused either way.
    let posts = endpoint.posts.lock().unwrap().clone();
    assert!((5..=6).contains(&posts.len()), "{posts:?}");
    assert!(posts.iter().all(|p| p.starts_with('{')), "{posts:?}");
    let body: serde_json::Value = serde_json::from_str(&posts[0]).unwrap();
    assert_eq!(body["name"], "presign-e2e");
    assert_eq!(body["content_type"], "application/json");
    assert_eq!(body["fingerprint"].as_str().map(str::len), Some(64));
    app.finish().await;
}
