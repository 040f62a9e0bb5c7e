//! The end-to-end harness: a static file server for `dist/`, a chromedriver process, and a
//! fantoccini session with Chromium's console and network logs switched on.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// The release site, built by `make test` (trunk build --release) before the tests run;
/// `E2E_DIST` points the tests at another build (one made with `trunk build --dist …`).
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").exists(),
        "{} has no index.html: build the site first (`make test` does it: trunk build --release --offline)",
        dir.display()
    );
    dir
}

/// Serves a folder on 127.0.0.1 on a free port, one thread per connection, for the life of
/// the test process.
pub fn serve_dir(root: PathBuf) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = serve_one(stream, &root);
            });
        }
    });
    addr
}

fn serve_one(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut content_length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header == "\r\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; content_length];
        reader.read_exact(&mut body)?;
        let path = request_line.split_whitespace().nth(1).unwrap_or("/");
        let path = path.split(['?', '#']).next().unwrap_or("/");
        let relative = path.trim_start_matches('/');
        let file = if relative.is_empty() {
            root.join("index.html")
        } else {
            root.join(relative)
        };
        let safe = !relative.split('/').any(|part| part == "..");
        let (status, content_type, bytes) = match std::fs::read(&file) {
            Ok(bytes) if safe && file.ends_with("index.html") => {
                ("200 OK", content_type(&file), local_hosts_allowed(bytes))
            }
            Ok(bytes) if safe => ("200 OK", content_type(&file), bytes),
            _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
        };
        // As the deployment serves them (deploy/backfill-builder.yaml): a file with a hash in
        // its name is kept by the browser, anything else is asked for again.
        let cache = if status.starts_with("200") && hashed_name(relative) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: {cache}\r\n\r\n",
            bytes.len()
        )?;
        stream.write_all(&bytes)?;
    }
}

/// Whether a file's name carries its content's hash, as trunk names the js, wasm, css and
/// icon: `main-4fd6ac98e8debed9.css`, `backfill-builder-6b5c9c377fc39145_bg.wasm`. Trunk
/// prints the hash without its leading zeros: 8 to 16 hex digits, as in scripts/dist.sh's
/// nginx rule.
fn hashed_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split(['.', '_']).next().unwrap_or(name);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[test]
fn only_trunks_hashed_names_are_cached() {
    for hashed in [
        "main-4fd6ac98e8debed9.css",
        "backfill-builder-6b5c9c377fc39145_bg.wasm",
        "backfill-builder-6b5c9c377fc39145.js",
        "favicon-18d3dff32814cda3.svg",
        // A hash with leading zeros is printed shorter.
        "backfill-builder-c377fc39145.js",
    ] {
        assert!(hashed_name(hashed), "{hashed}");
    }
    for asked_again in [
        "",
        "index.html",
        "lint-worker.js",
        "catalog.yaml",
        "backfill-builder.js",
        "main-4fd6ac9.css",
        "main-4fd6ac98e8debed9ff.css",
    ] {
        assert!(!hashed_name(asked_again), "{asked_again}");
    }
}

/// The release build's CSP lets the page connect to its own origin and S3's https endpoints;
/// the tests' S3 runs on 127.0.0.1, so it is added to connect-src as `make serve` adds it
/// (the same build, the hosts put in after it).
fn local_hosts_allowed(page: Vec<u8>) -> Vec<u8> {
    let page = String::from_utf8(page).expect("index.html is UTF-8");
    assert!(
        page.contains("connect-src 'self'") && !page.contains("unsafe-inline"),
        "the built index.html lacks the expected Content-Security-Policy"
    );
    page.replace(
        "connect-src 'self'",
        "connect-src 'self' http://127.0.0.1:* http://localhost:*",
    )
    .into_bytes()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("yaml") => "application/yaml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// A chromedriver process on a free port; killed on drop.
struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    fn start() -> Chromedriver {
        let binary =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        for _ in 0..10 {
            let port = driver_port();
            let mut child = Command::new(&binary)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("cannot start {binary}: {e} (`make test` installs chromium-driver)")
                });
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                // It exits when something took the port first: try another one.
                if child.try_wait().ok().flatten().is_some() {
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Chromedriver { child, port };
                }
                assert!(
                    Instant::now() < deadline,
                    "chromedriver did not listen on port {port} within 20 s"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("chromedriver could not get a port in 10 tries");
    }
}

/// A port for a chromedriver, which has to be told one. Not `bind(:0)` and drop: the port
/// is free again until chromedriver binds it, and a test running alongside (its site, its
/// S3 endpoint) could get it from its own `bind(:0)` in between, so two tests ended up
/// talking to one browser. These come from below Linux's ephemeral range (32768–60999),
/// where `bind(:0)` never lands, each once per test process.
fn driver_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    loop {
        let offset = NEXT.fetch_add(1, Ordering::Relaxed) as u32;
        let port = (20_000 + (std::process::id() * 97 + offset) % 12_000) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A POST to one of chromedriver's own endpoints, beside WebDriver's: `se/log`, Chromium's
/// legacy log (console messages and DevTools network events), or `goog/cdp/execute`, a Chrome
/// DevTools Protocol command (the CPU profiles of tests/e2e/profiles.rs).
#[derive(Debug)]
pub struct DriverPost(&'static str, Value);

impl DriverPost {
    fn log(kind: &str) -> DriverPost {
        DriverPost("se/log", json!({ "type": kind }))
    }

    pub fn devtools(command: &str, params: Value) -> DriverPost {
        DriverPost(
            "goog/cdp/execute",
            json!({ "cmd": command, "params": params }),
        )
    }
}

impl WebDriverCompatibleCommand for DriverPost {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.0
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.1.to_string()))
    }
}

/// One browser on the app: the site served from `dist/`, a fresh Chromium profile.
pub struct App {
    pub browser: Client,
    pub origin: String,
    _driver: Chromedriver,
    _profile: TempDir,
    _site: Option<TempDir>,
    downloads: TempDir,
    console: Vec<Value>,
    requests: Vec<String>,
    /// Origins besides the site's own that this test lets the page contact.
    allowed_origins: Vec<String>,
    /// Console errors this test provokes on purpose (substrings of the message).
    expected_console: Vec<String>,
}

impl App {
    /// Opens the app's start page and waits until it has mounted.
    pub async fn open() -> App {
        let mut app = Self::launch().await;
        // What Chromium did before our page (its new-tab page) is not the app's doing.
        app.collect_logs().await;
        app.console.clear();
        app.requests.clear();
        app.browser.goto(&format!("{}/", app.origin)).await.unwrap();
        app.wait_for("header .product").await;
        app
    }

    /// A browser on the served site, on about:blank.
    pub async fn launch() -> App {
        Self::launch_on(dist_dir(), None).await
    }

    /// Opens the app on a copy of the site with this `catalog.yaml` beside `index.html`.
    pub async fn open_with_catalog(catalog: &str) -> App {
        Self::open_on_copy(|site| std::fs::write(site.join("catalog.yaml"), catalog).unwrap()).await
    }

    /// Opens the app on a copy of the site, after `change` has changed the copy's folder.
    pub async fn open_on_copy(change: impl FnOnce(&Path)) -> App {
        let site = TempDir::new("e2e-site");
        for entry in std::fs::read_dir(dist_dir()).unwrap().flatten() {
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), site.0.join(entry.file_name())).unwrap();
            }
        }
        change(&site.0);
        let mut app = Self::launch_on(site.0.clone(), Some(site)).await;
        app.collect_logs().await;
        app.console.clear();
        app.requests.clear();
        app.goto("/").await;
        app
    }

    /// Opens the app served by another server (nginx, tests/e2e/deployed.rs) at `url`, whose
    /// origin is then the site's own.
    #[allow(dead_code)] // for the deployed site's test
    pub async fn open_at(url: &str) -> App {
        let origin = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        let mut app = Self::launch_with(origin, None).await;
        app.collect_logs().await;
        app.console.clear();
        app.requests.clear();
        app.browser.goto(url).await.unwrap();
        app.wait_for("header .product").await;
        app
    }

    async fn launch_on(site: PathBuf, site_dir: Option<TempDir>) -> App {
        let addr = serve_dir(site);
        Self::launch_with(format!("http://{addr}"), site_dir).await
    }

    async fn launch_with(origin: String, site_dir: Option<TempDir>) -> App {
        let profile = TempDir::new("e2e-profile");
        let downloads = TempDir::new("e2e-downloads");
        let mut args: Vec<String> = chromium_flags();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        args.push("--window-size=1280,900".into());
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "args": args,
                "binary": chromium_binary(),
                "prefs": {
                    "download.default_directory": downloads.0.display().to_string(),
                    "download.prompt_for_download": false,
                },
            },
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
        });
        // A chromedriver that had answered the port probe once refused the session's
        // connection a moment later (CI, 2026-12-02): that one is let go and another started
        // on another port, twice at most. Any other failure is the test's.
        let mut refused = 0;
        let (driver, browser) = loop {
            let mut driver = Chromedriver::start();
            let session =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.as_object().unwrap().clone())
                    .connect(&format!("http://127.0.0.1:{}", driver.port))
                    .await;
            match session {
                Ok(browser) => break (driver, browser),
                Err(e @ fantoccini::error::NewSessionError::FailedC(_)) if refused < 2 => {
                    refused += 1;
                    let exited = driver.child.try_wait().ok().flatten();
                    eprintln!(
                        "chromedriver on port {} refused the session ({e}; its process: {}); starting another",
                        driver.port,
                        exited.map_or("still running".to_string(), |s| format!("exited, {s}"))
                    );
                }
                Err(e) => panic!("WebDriver session: {e:?}"),
            }
        };
        App {
            browser,
            origin,
            _driver: driver,
            _profile: profile,
            _site: site_dir,
            downloads,
            console: Vec::new(),
            requests: Vec::new(),
            allowed_origins: Vec::new(),
            expected_console: Vec::new(),
        }
    }

    /// Waits (up to 20 s) for an element matching a CSS selector.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.browser
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element `{css}` within 20 s: {e}"))
    }

    /// The text of the first element matching a CSS selector.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    /// Replaces the spec text as a paste would: sets the text area's value and fires `input`.
    pub async fn paste_spec(&self, text: &str) {
        self.wait_for("#spec-text").await;
        self.browser
            .execute(
                "const t = document.getElementById('spec-text'); t.value = arguments[0]; \
                 t.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![json!(text)],
            )
            .await
            .unwrap();
    }

    /// The contents of a downloaded file, once the download has finished (up to 10 s).
    ///
    /// Chromium first creates an empty file under the final name (to reserve it) and writes
    /// into a `.crdownload` beside it, so the file counts as finished only when it is not
    /// empty and no `.crdownload` is left in the folder.
    pub async fn downloaded(&self, name: &str) -> String {
        let path = self.downloads.0.join(name);
        for _ in 0..200 {
            let in_progress = std::fs::read_dir(&self.downloads.0)
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"));
            match std::fs::read_to_string(&path) {
                Ok(text) if !text.is_empty() && !in_progress => return text,
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        let found: Vec<_> = std::fs::read_dir(&self.downloads.0)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        panic!("no download `{name}` within 10 s; the folder has {found:?}");
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.browser.execute(script, vec![]).await.unwrap()
    }

    /// Waits (up to 10 s) until the text of `css` satisfies `ok`, and returns it.
    pub async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = match self.browser.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if ok(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "`{css}` never matched; last text: {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens a page of the served site in the same browser (same storage).
    pub async fn goto(&self, path_and_fragment: &str) {
        self.browser
            .goto(&format!("{}{path_and_fragment}", self.origin))
            .await
            .unwrap();
        self.wait_for("header .product").await;
    }

    /// Collects the console and network logs gathered since the last call.
    pub async fn collect_logs(&mut self) {
        let console = self
            .browser
            .issue_cmd(DriverPost::log("browser"))
            .await
            .unwrap();
        self.console
            .extend(console.as_array().cloned().unwrap_or_default());
        let performance = self
            .browser
            .issue_cmd(DriverPost::log("performance"))
            .await
            .unwrap();
        for entry in performance.as_array().cloned().unwrap_or_default() {
            let message: Value = entry["message"]
                .as_str()
                .and_then(|m| serde_json::from_str(m).ok())
                .unwrap_or_default();
            if message["message"]["method"] == "Network.requestWillBeSent"
                && let Some(url) = message["message"]["params"]["request"]["url"].as_str()
            {
                self.requests.push(url.to_string());
            }
        }
    }

    /// Every URL the page requested so far.
    #[allow(dead_code)] // for flows that assert on what was requested mid-test
    pub async fn requests(&mut self) -> Vec<String> {
        self.collect_logs().await;
        self.requests.clone()
    }

    /// Lets the page contact another origin (an upload's S3 endpoint) without failing
    /// [`App::finish`].
    #[allow(dead_code)] // for the upload flows
    pub fn allow_origin(&mut self, origin: &str) {
        self.allowed_origins
            .push(format!("{}/", origin.trim_end_matches('/')));
    }

    /// A console error the test provokes on purpose (Chromium logs a refused or failed
    /// request itself): messages containing `substring` do not fail [`App::finish`].
    #[allow(dead_code)] // for the upload flows
    pub fn expect_console(&mut self, substring: &str) {
        self.expected_console.push(substring.to_string());
    }

    /// The text of the browser's dialog (`confirm`), once one is open (up to 5 s). Open it
    /// from a timer: a dialog opened inside a WebDriver script call blocks that call.
    #[allow(dead_code)] // for the flows that answer a dialog
    pub async fn wait_dialog(&self) -> String {
        for _ in 0..100 {
            if let Ok(text) = self.browser.get_alert_text().await {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no dialog within 5 s");
    }

    /// Every console message so far.
    #[allow(dead_code)] // for the upload flows
    pub async fn console(&mut self) -> Vec<Value> {
        self.collect_logs().await;
        self.console.clone()
    }

    /// Ends the session, asserting that the console had no errors and that only the site's
    /// own origin was contacted over the network.
    pub async fn finish(mut self) {
        self.collect_logs().await;
        // The app asks its own origin for ./catalog.yaml by design; a site without one answers
        // 404, which Chromium logs. That one line is expected; any other error is not.
        let expected = |e: &Value| {
            let message = e["message"].as_str().unwrap_or_default();
            (message.contains("/catalog.yaml") && message.contains("404"))
                || self
                    .expected_console
                    .iter()
                    .any(|s| message.contains(s.as_str()))
        };
        let errors: Vec<&Value> = self
            .console
            .iter()
            .filter(|e| e["level"] == "SEVERE" && !expected(e))
            .collect();
        let foreign: Vec<&String> = self
            .requests
            .iter()
            .filter(|u| {
                is_network_url(u)
                    && !u.starts_with(&format!("{}/", self.origin))
                    && !self
                        .allowed_origins
                        .iter()
                        .any(|o| u.starts_with(o.as_str()))
            })
            .collect();
        let _ = self.browser.clone().close().await;
        assert!(errors.is_empty(), "console errors: {errors:#?}");
        assert!(foreign.is_empty(), "requests to other hosts: {foreign:#?}");
    }
}

/// Whether a URL leaves the browser (not data:, blob: or Chromium's own chrome:// pages).
fn is_network_url(url: &str) -> bool {
    ["http:", "https:", "ws:", "wss:", "ftp:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

/// The flags our machines need for headless Chromium as root, shared with webdriver.json
/// (which the wasm-bindgen-test runner reads).
fn chromium_flags() -> Vec<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("webdriver.json");
    let config: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    config["goog:chromeOptions"]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

fn chromium_binary() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// A folder removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        // A counter, not only the clock: tests run in parallel threads, and two browsers given
        // one profile folder become one browser (Chromium hands the second launch over).
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
