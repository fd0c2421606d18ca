//! A real browser for the web UI tests: `chromedriver` on a free loopback
//! port driving headless Chromium with a fresh profile (Debian packages
//! `chromium` and `chromium-driver`; scripts/test.sh installs them).
//!
//! The harness records every URL the page asks for, from chromedriver's
//! performance log (the DevTools `Network.requestWillBeSent` events of the
//! tab: documents, scripts, fetches, event streams, web sockets), so a test
//! can assert that the UI talks to no host but the cluster's. Chromedriver,
//! Chromium and every process Chromium started are killed when the
//! [`Browser`] is dropped.
//!
//! Also used by `examples/bench_webui.rs` (first paint and transferred
//! bytes), so it depends only on the `fantoccini`, `nix`, `serde_json`,
//! `tempfile` and `tokio` crates, not on the other test helpers.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

/// How long a page gets to load, render or change (a loaded 2-core CI
/// machine running hundreds of tests: generous).
pub const PAGE_DEADLINE: Duration = Duration::from_secs(45);

/// Chromium's switches: headless, no sandbox (root in CI), and none of the
/// background traffic (component updates, sync, safe browsing, field
/// trials...) that would hammer a closed network and pollute the request
/// log.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-breakpad",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication",
    "--disable-dev-shm-usage",
    "--no-proxy-server",
    "--password-store=basic",
    "--window-size=1280,900",
];

/// A program on PATH (or in /usr/bin), or a clear failure naming the
/// Debian package to install.
fn program(name: &str, package: &str) -> PathBuf {
    let path = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "`{name}` not found on PATH: the web UI tests drive a real browser; install the \
                 Debian package {package} (apt-get install -y chromium chromium-driver; \
                 scripts/test.sh does it)"
            )
        })
}

/// A headless Chromium driven through chromedriver.
pub struct Browser {
    pub client: Client,
    driver: Driver,
    /// Every URL requested so far (drained from the performance log).
    requests: Mutex<Vec<String>>,
}

/// The chromedriver process (its own process group) and the directory of
/// its log and of Chromium's profile; killed, with every browser process,
/// on drop (also when the session never started).
struct Driver {
    child: Child,
    dir: tempfile::TempDir,
}

/// A free loopback port (bind to :0, read it, release it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    /// Start chromedriver and a session with a fresh Chromium profile.
    pub async fn start() -> Browser {
        Self::start_with(&[]).await
    }

    /// [`Browser::start`] with extra Chromium switches.
    pub async fn start_with(extra_args: &[&str]) -> Browser {
        let chromium = program("chromium", "chromium");
        let chromedriver = program("chromedriver", "chromium-driver");
        let dir = tempfile::Builder::new()
            .prefix("mesos-browser-")
            .tempdir()
            .expect("tempdir");
        let log = dir.path().join("chromedriver.log");
        let port = free_port();
        // Its own process group: dropping the browser kills the group.
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", chromedriver.display()));
        let mut driver = Driver { child: driver, dir };
        let url = format!("http://127.0.0.1:{port}");
        let client = driver.connect(&url, &chromium, extra_args).await;
        let b = Browser {
            client,
            driver,
            requests: Mutex::new(Vec::new()),
        };
        b.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(30)),
                Some(PAGE_DEADLINE),
                Some(Duration::ZERO),
            ))
            .await
            .expect("set timeouts");
        b
    }

    /// The end of chromedriver's log (for failure messages).
    pub fn driver_log(&self) -> String {
        self.driver.log()
    }

    /// The profile and logs directory (unique to this browser).
    pub fn dir(&self) -> &Path {
        self.driver.dir.path()
    }

    /// Navigate (waits for the document's load event).
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("navigate to {url}: {e}"));
    }

    /// The page's location.
    pub async fn location(&self) -> String {
        self.js("return location.href", vec![])
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Run a script (a function body: `return ...`) in the page.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Like [`Browser::js`], but an error (e.g. the page navigating away
    /// mid-script) is a value, not a panic.
    pub async fn try_js(&self, script: &str) -> Result<Value, String> {
        self.client
            .execute(script, vec![])
            .await
            .map_err(|e| e.to_string())
    }

    /// Evaluate `expr` in the page until `accept` takes its value, within
    /// `deadline`; a timeout names the last value seen. Polls every 50 ms.
    pub async fn wait_for<T>(
        &self,
        deadline: Duration,
        what: &str,
        expr: &str,
        mut accept: impl FnMut(&Value) -> Option<T>,
    ) -> T {
        let script = format!("return ({expr});");
        let end = Instant::now() + deadline;
        loop {
            let seen = match self.try_js(&script).await {
                Ok(v) => {
                    if let Some(t) = accept(&v) {
                        return t;
                    }
                    v.to_string()
                }
                Err(e) => format!("script error: {e}"),
            };
            if Instant::now() >= end {
                panic!(
                    "timed out after {deadline:?} waiting for {what}; last seen: {seen}\n{}",
                    self.describe().await
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The page for a failure message: its location, the start of its
    /// `<main>`, and its console messages.
    pub async fn describe(&self) -> String {
        let page = self
            .try_js(
                "const m = document.querySelector('main'); const a = document.querySelector('[role=alert]'); \
                 const r = performance.getEntriesByType('resource').slice(-20) \
                   .map(e => e.responseStatus + ' ' + e.name).join('\\n'); \
                 return [location.href, m ? m.outerHTML.slice(0, 3000) : document.documentElement.outerHTML.slice(0, 3000), \
                   a ? a.textContent : null, r];",
            )
            .await;
        let console = self.console().await;
        let n = console.len();
        let console = &console[n.saturating_sub(20)..];
        format!("page: {page:#?}\nlast console messages of {n}: {console:#?}")
    }

    /// Wait until `expr` is truthy (in JS terms); its value.
    pub async fn wait_true(&self, what: &str, expr: &str) -> Value {
        self.wait_for(
            PAGE_DEADLINE,
            what,
            &format!("(() => {{ const v = ({expr}); return v ? v : null; }})()"),
            |v| (!v.is_null()).then(|| v.clone()),
        )
        .await
    }

    /// Wait until an element matches `css`.
    pub async fn wait_selector(&self, css: &str) {
        let q = serde_json::to_string(css).unwrap();
        self.wait_true(
            &format!("an element matching {css}"),
            &format!("document.querySelector({q}) !== null"),
        )
        .await;
    }

    /// Wait until the page `name` has rendered the master's data:
    /// `<main data-page="name" data-ready="true">`.
    pub async fn wait_ready(&self, name: &str) {
        self.wait_selector(&format!("main[data-page=\"{name}\"][data-ready=\"true\"]"))
            .await;
    }

    /// The text of the first element matching `css`, if any.
    pub async fn text(&self, css: &str) -> Option<String> {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                vec![json!(css)],
            )
            .await;
        v.as_str().map(|s| s.trim().to_string())
    }

    /// The attribute `attr` of the first element matching `css`, if any.
    pub async fn attr(&self, css: &str, attr: &str) -> Option<String> {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                vec![json!(css), json!(attr)],
            )
            .await;
        v.as_str().map(str::to_string)
    }

    /// The text of `[data-stat=name]`.
    pub async fn stat(&self, name: &str) -> Option<String> {
        self.text(&format!("[data-stat=\"{name}\"]")).await
    }

    /// Every `data-stat` figure on the page: name -> text.
    pub async fn stats(&self) -> BTreeMap<String, String> {
        let v = self
            .js(
                "const o = {}; for (const e of document.querySelectorAll('[data-stat]')) \
                 { o[e.getAttribute('data-stat')] = e.textContent.trim(); } return o;",
                vec![],
            )
            .await;
        serde_json::from_value(v).unwrap_or_default()
    }

    /// Every URL the page requested so far (documents, subresources,
    /// fetches, streams, web sockets), in order, across navigations.
    pub async fn requested_urls(&self) -> Vec<String> {
        let entries = self
            .client
            .issue_cmd(GetLog("performance"))
            .await
            .unwrap_or_else(|e| panic!("read chromedriver's performance log: {e}"));
        let mut all = self.requests.lock().unwrap();
        for e in entries.as_array().into_iter().flatten() {
            let Some(msg) = e["message"].as_str() else {
                continue;
            };
            let Ok(m) = serde_json::from_str::<Value>(msg) else {
                continue;
            };
            let m = &m["message"];
            let url = match m["method"].as_str() {
                Some("Network.requestWillBeSent") => &m["params"]["request"]["url"],
                Some("Network.webSocketCreated") => &m["params"]["url"],
                _ => continue,
            };
            if let Some(u) = url.as_str() {
                all.push(u.to_string());
            }
        }
        all.clone()
    }

    /// The URLs requested so far that reach a network host not in `hosts`
    /// (`host:port`).
    pub async fn foreign_requests(&self, hosts: &[String]) -> Vec<String> {
        let urls = self.requested_urls().await;
        urls.into_iter()
            .filter(|u| url_authority(u).is_some_and(|a| !hosts.contains(&a)))
            .collect()
    }

    /// Panic unless every URL requested so far that reaches a network host
    /// is on one of `hosts` (`host:port`); returns the URLs checked.
    pub async fn assert_requests_only_to(&self, hosts: &[String]) -> Vec<String> {
        let foreign = self.foreign_requests(hosts).await;
        let urls = self.requested_urls().await;
        assert!(
            foreign.is_empty(),
            "the page requested URLs off the cluster's hosts {hosts:?}: {foreign:?}\nall requests: {urls:#?}"
        );
        urls
    }

    /// A DevTools protocol command through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp(cmd.to_string(), params))
            .await
            .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"))
    }

    /// Send `Authorization: Basic ...` with every request of the page from
    /// now on (what the browser does once the user answered its prompt).
    pub async fn basic_auth(&self, user: &str, secret: &str) {
        use base64::Engine;
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        self.cdp("Network.enable", json!({})).await;
        self.cdp(
            "Network.setExtraHTTPHeaders",
            json!({"headers": {"Authorization": format!("Basic {token}")}}),
        )
        .await;
    }

    /// The status code of the current document's response (Navigation
    /// Timing's `responseStatus`).
    pub async fn document_status(&self) -> Option<u64> {
        self.js(
            "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : null;",
            vec![],
        )
        .await
        .as_u64()
    }

    /// The page's console messages since the last call.
    pub async fn console(&self) -> Vec<String> {
        let v = self
            .client
            .issue_cmd(GetLog("browser"))
            .await
            .unwrap_or(Value::Null);
        v.as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                format!(
                    "{} {}",
                    e["level"].as_str().unwrap_or(""),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    }
}

impl Driver {
    async fn connect(&mut self, url: &str, chromium: &Path, extra: &[&str]) -> Client {
        let profile = self.dir.path().join("profile");
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.extend(extra.iter().map(|s| s.to_string()));
        let caps = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "perfLoggingPrefs": {"enableNetwork": true, "enablePage": false},
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        // Wait until chromedriver listens, then open the session (which
        // starts Chromium).
        let addr = url.trim_start_matches("http://").to_string();
        let end = Instant::now() + PAGE_DEADLINE;
        while tokio::net::TcpStream::connect(&addr).await.is_err() {
            if let Ok(Some(st)) = self.child.try_wait() {
                panic!("chromedriver exited at start-up ({st}):\n{}", self.log());
            }
            assert!(
                Instant::now() < end,
                "chromedriver did not listen on {addr} within {PAGE_DEADLINE:?}:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(url)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "no WebDriver session with headless Chromium: {e}\nchromedriver log:\n{}",
                    self.log()
                )
            })
    }

    fn log(&self) -> String {
        let s =
            std::fs::read_to_string(self.dir.path().join("chromedriver.log")).unwrap_or_default();
        let start = s.len().saturating_sub(4000);
        let start = (start..s.len())
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        s[start..].to_string()
    }
}

/// `host:port` of an http(s)/ws(s) URL (the default port spelled out);
/// None for URLs that reach no host (data:, blob:, about:...).
pub fn url_authority(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let default = match scheme {
        "http" | "ws" => 80,
        "https" | "wss" => 443,
        _ => return None,
    };
    let auth = rest.split(['/', '?', '#']).next()?;
    // Without the user information (`user:pass@`).
    let host = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
    let has_port = host
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if has_port && !host.ends_with(']') {
        Some(host.to_string())
    } else {
        Some(format!("{host}:{default}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group (chromedriver and the browser it started), then
        // any Chromium process of this profile that left the group.
        let pgid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
        let _ = self.child.wait();
        kill_processes_mentioning(self.dir.path());
    }
}

/// SIGKILL every process whose command line mentions `dir`, until none is
/// left (a dying browser may still be forking).
pub fn kill_processes_mentioning(dir: &Path) {
    let needle = dir.to_string_lossy().into_owned();
    let me = std::process::id();
    for _ in 0..50 {
        let mut found = false;
        for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            if pid == me {
                continue;
            }
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmd).contains(&needle) {
                found = true;
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
        if !found {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// chromedriver's log endpoint (`POST /session/{id}/se/log`), which
/// drains the log of `type` ("performance", "browser").
#[derive(Debug)]
struct GetLog(&'static str);

impl WebDriverCompatibleCommand for GetLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or("")))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": self.0}).to_string()),
        )
    }
}

/// chromedriver's DevTools pass-through (`POST /session/{id}/goog/cdp/execute`).
#[derive(Debug)]
struct Cdp(String, Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or("")
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"cmd": self.0, "params": self.1}).to_string()),
        )
    }
}
