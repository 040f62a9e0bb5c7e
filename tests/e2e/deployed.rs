//! The site as a team deploys it: `make dist` (scripts/dist.sh, run by `make test` into
//! target/e2e-site with tests/e2e/deployed-catalog.yaml and PUBLIC_URL=/backfills/) served by
//! nginx from Debian with the nginx snippet it wrote, at /backfills/ and at /. The headers,
//! the precompressed files, the catalog, and an upload through the catalog's presign endpoint
//! (local-s3's, on the port the catalog names) to the SigV4-verifying bucket, in Chromium,
//! under the header CSP.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{App, TempDir};

/// The presign endpoint's port in tests/e2e/deployed-catalog.yaml.
const PRESIGN_PORT: u16 = 19321;

fn site() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, headers) = (
        root.join("target/e2e-site"),
        root.join("target/e2e-site-headers"),
    );
    assert!(
        site.join("index.html").exists() && headers.join("nginx.conf").exists(),
        "{} is not built: `make test` builds it (DIST=target/e2e-site PUBLIC_URL=/backfills/ \
         CATALOG=tests/e2e/deployed-catalog.yaml scripts/dist.sh)",
        site.display()
    );
    (site, headers)
}

/// nginx on a free port, with the generated snippet included as it is (the site at
/// /backfills/) and again with its location moved to / (the same directives at the root).
struct Nginx {
    child: Child,
    port: u16,
    _dir: TempDir,
}

impl Nginx {
    fn start(snippet: &str) -> Nginx {
        let dir = TempDir::new("e2e-nginx");
        let at_root = snippet
            .lines()
            .filter(|l| !l.starts_with("location = /backfills "))
            .map(|l| l.replace("location ^~ /backfills/ {", "location ^~ / {"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(
            at_root, snippet,
            "the snippet has no `location /backfills/`"
        );
        std::fs::write(dir.0.join("sub-path.conf"), snippet).unwrap();
        std::fs::write(dir.0.join("root.conf"), at_root).unwrap();
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let d = dir.0.display();
        let conf = format!(
            "load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;\n\
             daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{}}\nhttp {{\n  access_log off;\n  client_body_temp_path {d}/tmp;\n  \
             proxy_temp_path {d}/tmp;\n  fastcgi_temp_path {d}/tmp;\n  uwsgi_temp_path {d}/tmp;\n  \
             scgi_temp_path {d}/tmp;\n  server {{\n    listen 127.0.0.1:{port};\n    \
             include {d}/sub-path.conf;\n    include {d}/root.conf;\n  }}\n}}\n"
        );
        std::fs::write(dir.0.join("nginx.conf"), conf).unwrap();
        let child = Command::new("/usr/sbin/nginx")
            .args(["-e", &format!("{d}/error.log"), "-c"])
            .arg(dir.0.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx from Debian (`make test` installs it: scripts/setup.sh --test)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let log = std::fs::read_to_string(dir.0.join("error.log")).unwrap_or_default();
            assert!(Instant::now() < deadline, "nginx did not start: {log}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET (HTTP/1.1: nginx's gzip_static answers no older request), the connection closed
/// after it: the status line, the headers (names lowercased) and the body.
fn get(port: u16, path: &str, accept_encoding: &str) -> (String, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: {accept_encoding}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> &'h str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// What a browser gets from the deployed site under `base` (`/backfills/` or `/`).
fn check_headers(port: u16, base: &str, site: &Path, csp: &str) {
    let (status, headers, body) = get(port, base, "br, gzip");
    assert!(status.contains("200"), "{base}: {status}");
    assert_eq!(header(&headers, "content-security-policy"), csp, "{base}");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("http://127.0.0.1:19321"));
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
    assert_eq!(header(&headers, "cache-control"), "no-cache", "{base}");
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert_eq!(header(&headers, "content-encoding"), "br", "{base}");
    assert_eq!(body, std::fs::read(site.join("index.html.br")).unwrap());

    let wasm = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .find(|n| n.ends_with("_bg.wasm"))
        .unwrap();
    for (accept, encoding, file) in [
        ("gzip, deflate, br", "br", format!("{wasm}.br")),
        ("gzip", "gzip", format!("{wasm}.gz")),
        ("identity", "", wasm.clone()),
    ] {
        let (status, headers, body) = get(port, &format!("{base}{wasm}"), accept);
        assert!(status.contains("200"), "{status}");
        assert_eq!(header(&headers, "content-type"), "application/wasm");
        assert_eq!(header(&headers, "content-encoding"), encoding, "{accept}");
        assert_eq!(
            header(&headers, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header(&headers, "content-security-policy"), csp);
        assert_eq!(body, std::fs::read(site.join(&file)).unwrap(), "{file}");
    }
    let (_, headers, body) = get(port, &format!("{base}catalog.yaml"), "identity");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    let given = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/deployed-catalog.yaml");
    assert_eq!(
        body,
        std::fs::read(given).unwrap(),
        "catalog.yaml is the given one"
    );
    let (_, headers, _) = get(port, &format!("{base}lint-worker.js"), "identity");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
}

const SPEC: &str = r#"version: 1
name: deployed-e2e
reason: "reconciliation found mismatches (INC-5152)"
backfills:
  - feeds: [clicks, orders]
    dates: "2022-08-10..2022-08-11"
"#;

/// A spec of more than 40 KB (where the app hands the text to its lint worker): 50 more
/// days of `clicks`, each with a long note.
fn large(spec: &str) -> String {
    let june = backfill_spec::Day::from_ymd(2022, 6, 1).unwrap();
    let note = "x".repeat(900);
    let mut out = spec.to_string();
    for i in 0..50 {
        let day = june.plus_days(i);
        out.push_str(&format!(
            "  - feeds: [clicks]\n    dates: \"{day}\"\n    note: \"{note}\"\n"
        ));
    }
    assert!(out.len() > 40_000);
    out
}

/// The app at `url`: it loads under the header CSP, uses the site's catalog, and one click
/// uploads through the presign endpoint; the object lands under the catalog's key. With
/// `worker`, the spec is large enough for the lint worker, which then runs under the CSP the
/// server sends with `lint-worker.js`.
async fn upload_through_presign(
    url: &str,
    s3: &local_s3::Running,
    data: &TempDir,
    name: &str,
    worker: bool,
) {
    let mut app = App::open_at(url).await;
    app.allow_origin(&s3.endpoint);
    let header = app
        .wait_text("header", |t| t.contains("Catalog: 2 feeds"))
        .await;
    assert!(!header.contains("Demo catalog"), "{header}");
    let spec = SPEC.replace("deployed-e2e", name);
    app.paste_spec(&if worker { large(&spec) } else { spec })
        .await;
    app.wait_text("[data-testid=all-clear]", |t| !t.is_empty())
        .await;
    if worker {
        let started = app
            .js("return performance.getEntriesByType('resource').some(e => e.name.includes('/lint-worker.js'))")
            .await;
        assert_eq!(started, true, "the lint worker was not started");
    }
    app.wait_text("[data-testid=upload-blocker]", str::is_empty)
        .await;
    app.js("document.querySelector('[data-testid=upload-button]').click()")
        .await;
    let report = app
        .wait_text("[data-testid=upload-report]", |t| {
            t.contains('✓') || t.contains('✕')
        })
        .await;
    assert!(
        report.contains(&format!("Uploaded to s3://backfills/backfills/{name}/")),
        "{report}"
    );
    let object = s3
        .activity
        .objects()
        .into_iter()
        .map(|o| {
            o["s3_event"]["Records"][0]["s3"]["object"]["key"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .find(|key| key.starts_with(&format!("backfills/{name}/")))
        .unwrap_or_else(|| panic!("no object for {name}"));
    let stored = std::fs::read_to_string(data.0.join(&s3.config.bucket).join(&object)).unwrap();
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let fingerprint = stored["fingerprint"].as_str().unwrap();
    assert_eq!(object, format!("backfills/{name}/{fingerprint}.json"));
    // The target lives in the page's memory only: not in storage, the URL or a cookie.
    let kept = app
        .js("return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage)) + location.href + document.cookie")
        .await;
    assert!(!kept.as_str().unwrap().contains("X-Amz-"), "{kept}");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deployed_site_serves_its_headers_and_uploads_through_the_presign_endpoint() {
    let (site, headers) = site();
    let snippet = std::fs::read_to_string(headers.join("nginx.conf")).unwrap();
    let csp = std::fs::read_to_string(headers.join("csp.txt")).unwrap();
    let nginx = Nginx::start(&snippet);
    let origin = format!("http://127.0.0.1:{}", nginx.port);

    check_headers(nginx.port, "/backfills/", &site, csp.trim());
    check_headers(nginx.port, "/", &site, csp.trim());
    let (status, headers, _) = get(nginx.port, "/backfills", "identity");
    assert!(status.contains("301"), "{status}");
    assert!(header(&headers, "location").ends_with("/backfills/"));

    let data = TempDir::new("e2e-deployed-s3");
    let mut config = local_s3::Config::new(data.0.clone());
    config.port = PRESIGN_PORT;
    config.echo = false;
    config.cors_origin = Some(origin.clone());
    let s3 = start_s3(config.clone()).await;
    upload_through_presign(
        &format!("{origin}/backfills/"),
        &s3,
        &data,
        "deployed-sub-path",
        false,
    )
    .await;
    assert_eq!(s3.activity.requests("PUT"), 1);
    drop(s3);

    // At the root: an endpoint that hands out POST forms, and a spec for the lint worker.
    config.presign_method = local_s3::PresignMethod::Post;
    let s3 = start_s3(config).await;
    upload_through_presign(&format!("{origin}/"), &s3, &data, "deployed-root", true).await;
    assert_eq!(s3.activity.requests("POST"), 1);
}

/// local-s3 on the catalog's port (the one before may still be letting it go).
async fn start_s3(config: local_s3::Config) -> local_s3::Running {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match local_s3::start(config.clone()).await {
            Ok(s3) => return s3,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("local-s3 on port {PRESIGN_PORT} (the catalog's): {e}"),
        }
    }
}
