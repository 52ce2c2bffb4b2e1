//! A minimal W3C WebDriver client for Debian's chromedriver: enough to load a page, fill a form
//! as a person would (mouse or keyboard), press a button, read what the browser shows, run
//! axe-core on the page and take screenshots. Headless Chromium, with JavaScript switched off
//! like Tor Browser's "safest" level, or on like most people's browsers.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key W3C WebDriver uses for element references in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// axe-core, vendored (see tests/vendor/axe-core/README.md for its version and how to update).
const AXE_SOURCE: &str = include_str!("../../vendor/axe-core/axe.min.js");

/// Whether the page's own scripts may run. The product's pages have none; switching it off
/// proves they need none, switching it on is how most people browse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Javascript {
    On,
    Off,
}

/// A chromedriver process and one browser session in it; both end on drop.
pub struct Browser {
    driver: Child,
    port: u16,
    base: String,
    session: String,
    http: reqwest::Client,
    javascript: Javascript,
    /// Chromium's profile: fresh for each browser, removed after it has quit.
    profile: Option<tempfile::TempDir>,
}

/// An element on the current page.
#[derive(Clone, Debug)]
pub struct Element(String);

/// A keyboard key, as WebDriver names it.
#[derive(Clone, Copy, Debug)]
pub enum Key {
    Tab,
    Enter,
}

impl Key {
    fn code(self) -> &'static str {
        match self {
            Key::Tab => "\u{E004}",
            Key::Enter => "\u{E007}",
        }
    }
}

/// The screen the page is laid out for: its width and height in CSS pixels, its device pixel
/// ratio (2 shows a 200 % zoom of a window `2 × width` wide), and whether it is a phone (which
/// honours the page's viewport meta tag).
#[derive(Clone, Copy, Debug)]
pub struct Screen {
    pub width: u32,
    pub height: u32,
    pub scale: u32,
    pub mobile: bool,
}

impl Screen {
    /// A small phone held upright; WCAG's reflow width (1280 px at 400 %).
    pub const NARROW_PHONE: Screen = Screen {
        width: 320,
        height: 640,
        scale: 1,
        mobile: true,
    };
    /// A common phone held upright.
    pub const PHONE: Screen = Screen {
        width: 360,
        height: 800,
        scale: 1,
        mobile: true,
    };
    /// A 1280 × 900 desktop window at 200 % zoom.
    pub const DESKTOP_ZOOMED_200: Screen = Screen {
        width: 640,
        height: 450,
        scale: 2,
        mobile: false,
    };
    /// A laptop or desktop window.
    pub const DESKTOP: Screen = Screen {
        width: 1280,
        height: 900,
        scale: 1,
        mobile: false,
    };
}

/// One axe-core rule that failed, with the elements that failed it.
#[derive(Debug)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub help_url: String,
    /// Each failing element: its CSS selector, its HTML, and axe's summary of what to fix.
    pub nodes: Vec<(String, String, String)>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} ({}): {}\n  {}",
            self.id, self.impact, self.help, self.help_url
        )?;
        for (target, html, summary) in &self.nodes {
            writeln!(f, "  at {target}\n    {html}")?;
            for line in summary.lines() {
                writeln!(f, "    {line}")?;
            }
        }
        Ok(())
    }
}

impl Browser {
    /// Starts a browser with JavaScript switched off; see [`Browser::start_with`].
    pub async fn start() -> Option<Browser> {
        Self::start_with(Javascript::Off).await
    }

    /// Starts chromedriver on a free loopback port and opens a headless Chromium session with
    /// JavaScript on or off. Returns `None` outside CI when chromedriver is not installed.
    pub async fn start_with(javascript: Javascript) -> Option<Browser> {
        if !super::tool_available("chromedriver", "--version", "chromium chromium-driver") {
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            // Scrollbars that take no room, as on phones: screenshots and widths then show
            // the page's own layout.
            "--hide-scrollbars".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut prefs = json!({});
        if javascript == Javascript::Off {
            args.push("--blink-settings=scriptEnabled=false".into());
            prefs = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": args,
                "prefs": prefs,
            }
        }}});
        let mut browser = Browser {
            driver,
            port,
            base,
            session: String::new(),
            http,
            javascript,
            profile: Some(profile),
        };
        let created = browser.call("POST", "/session", capabilities).await;
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        // axe on a long page in a slow CI machine takes a few seconds.
        browser
            .call(
                "POST",
                &browser.session_path("/timeouts"),
                json!({"script": 60_000}),
            )
            .await;
        Some(browser)
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        match self.try_call(method, path, body).await {
            Ok(value) => value,
            // The driver's stack trace is addresses only: leave it out.
            Err(error) => panic!(
                "webdriver {method} {path}: {}: {}",
                error["error"].as_str().unwrap_or("error"),
                error["message"].as_str().unwrap_or_default()
            ),
        }
    }

    /// A WebDriver command; `Err` carries the driver's error object.
    async fn try_call(&self, method: &str, path: &str, body: Value) -> Result<Value, Value> {
        let url = format!("{}{}", self.base, path);
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self
                .http
                .post(url)
                .header("content-type", "application/json")
                .body(body.to_string()),
        };
        let response = request.send().await.expect("chromedriver answers");
        let status = response.status();
        let value: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        if status.is_success() {
            Ok(value["value"].clone())
        } else {
            Err(value["value"].clone())
        }
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{}", self.session, rest)
    }

    fn element_path(&self, element: &Element, rest: &str) -> String {
        self.session_path(&format!("/element/{}{rest}", element.0))
    }

    /// Whether the page's scripts may run in this browser.
    pub fn javascript(&self) -> Javascript {
        self.javascript
    }

    /// Loads a page and waits for it.
    pub async fn goto(&self, url: &str) {
        self.call("POST", &self.session_path("/url"), json!({"url": url}))
            .await;
    }

    /// The element matching a CSS selector; panics if there is none.
    pub async fn find(&self, css: &str) -> Element {
        let found = self
            .call(
                "POST",
                &self.session_path("/element"),
                json!({"using": "css selector", "value": css}),
            )
            .await;
        let id = found[ELEMENT_KEY].as_str();
        Element(
            id.unwrap_or_else(|| panic!("no element for {css}: {found}"))
                .to_string(),
        )
    }

    /// The element matching a CSS selector, if there is one.
    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let found = self
            .try_call(
                "POST",
                &self.session_path("/element"),
                json!({"using": "css selector", "value": css}),
            )
            .await
            .ok()?;
        found[ELEMENT_KEY]
            .as_str()
            .map(|id| Element(id.to_string()))
    }

    /// How many elements match a CSS selector.
    pub async fn count(&self, css: &str) -> usize {
        let found = self
            .call(
                "POST",
                &self.session_path("/elements"),
                json!({"using": "css selector", "value": css}),
            )
            .await;
        found.as_array().map_or(0, Vec::len)
    }

    /// Types text into an element, as keystrokes.
    pub async fn type_into(&self, element: &Element, text: &str) {
        self.call(
            "POST",
            &self.element_path(element, "/value"),
            json!({"text": text}),
        )
        .await;
    }

    /// Empties a text field.
    pub async fn clear(&self, element: &Element) {
        self.call("POST", &self.element_path(element, "/clear"), json!({}))
            .await;
    }

    /// Clicks an element (a radio button, a checkbox, a submit button).
    pub async fn click(&self, element: &Element) {
        self.call("POST", &self.element_path(element, "/click"), json!({}))
            .await;
    }

    /// Presses and releases a key on whatever has the keyboard focus.
    pub async fn press(&self, key: Key) {
        let code = key.code();
        self.call(
            "POST",
            &self.session_path("/actions"),
            json!({"actions": [{
                "type": "key",
                "id": "keyboard",
                "actions": [{"type": "keyDown", "value": code}, {"type": "keyUp", "value": code}],
            }]}),
        )
        .await;
        self.call("DELETE", &self.session_path("/actions"), Value::Null)
            .await;
    }

    /// The element that has the keyboard focus (the body when nothing has).
    pub async fn active_element(&self) -> Element {
        let found = self
            .call("GET", &self.session_path("/element/active"), Value::Null)
            .await;
        Element(
            found[ELEMENT_KEY]
                .as_str()
                .unwrap_or_else(|| panic!("no active element: {found}"))
                .to_string(),
        )
    }

    /// Clicks a submit button and waits for the next page; see [`Browser::await_next_page`].
    pub async fn submit(&self, button: &Element) {
        let old_body = self.find("body").await;
        self.click(button).await;
        self.await_next_page(&old_body).await;
    }

    /// Waits until the browser has left the page whose body was `old_body` and shows the next
    /// one (the old page's body goes stale once the new page has replaced it).
    pub async fn await_next_page(&self, old_body: &Element) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let probe = self
                .try_call("GET", &self.element_path(old_body, "/name"), Value::Null)
                .await;
            if probe.is_err() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the form was not sent within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // And the new page has loaded far enough to have a body.
        while self
            .try_call(
                "POST",
                &self.session_path("/element"),
                json!({"using": "css selector", "value": "body"}),
            )
            .await
            .is_err()
        {
            assert!(
                Instant::now() < deadline,
                "the next page did not load within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The current value of a form control, as the browser holds it.
    pub async fn value_of(&self, element: &Element) -> String {
        self.property(element, "value")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// A DOM property of an element (`value`, `checked`, `href` as resolved, …).
    pub async fn property(&self, element: &Element, name: &str) -> Value {
        self.call(
            "GET",
            &self.element_path(element, &format!("/property/{name}")),
            Value::Null,
        )
        .await
    }

    /// An attribute of an element as the page wrote it; `None` when it is absent.
    pub async fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.call(
            "GET",
            &self.element_path(element, &format!("/attribute/{name}")),
            Value::Null,
        )
        .await
        .as_str()
        .map(str::to_string)
    }

    /// A computed CSS value of an element (`outline-style`, `box-shadow`, …).
    pub async fn css_value(&self, element: &Element, property: &str) -> String {
        self.call(
            "GET",
            &self.element_path(element, &format!("/css/{property}")),
            Value::Null,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Where an element is on the page and how big: x, y, width, height in CSS pixels.
    pub async fn rect(&self, element: &Element) -> (f64, f64, f64, f64) {
        let rect = self
            .call("GET", &self.element_path(element, "/rect"), Value::Null)
            .await;
        let get = |key: &str| rect[key].as_f64().unwrap();
        (get("x"), get("y"), get("width"), get("height"))
    }

    /// The element's visible text.
    pub async fn text_of(&self, element: &Element) -> String {
        self.call("GET", &self.element_path(element, "/text"), Value::Null)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The element's tag name, lowercase.
    pub async fn tag_name(&self, element: &Element) -> String {
        self.call("GET", &self.element_path(element, "/name"), Value::Null)
            .await
            .as_str()
            .unwrap()
            .to_lowercase()
    }

    /// Whether two references name the same element (`id` comparison is how WebDriver does it).
    pub fn same(a: &Element, b: &Element) -> bool {
        a.0 == b.0
    }

    /// Whether a checkbox or radio button is checked.
    pub async fn is_selected(&self, element: &Element) -> bool {
        self.call("GET", &self.element_path(element, "/selected"), Value::Null)
            .await
            .as_bool()
            .unwrap()
    }

    /// Whether a person can see the element.
    pub async fn is_displayed(&self, element: &Element) -> bool {
        self.call(
            "GET",
            &self.element_path(element, "/displayed"),
            Value::Null,
        )
        .await
        .as_bool()
        .unwrap()
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> String {
        let body = self.find("body").await;
        self.text_of(&body).await
    }

    /// The URL the browser is on.
    pub async fn current_url(&self) -> String {
        self.call("GET", &self.session_path("/url"), Value::Null)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Runs `script` as the body of a function in the page and returns what it returns.
    /// WebDriver's scripts run even under the page's Content Security Policy (they are not the
    /// page's scripts), but only in a browser started with [`Javascript::On`].
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        assert_eq!(
            self.javascript,
            Javascript::On,
            "scripts need a browser started with Javascript::On"
        );
        self.call(
            "POST",
            &self.session_path("/execute/sync"),
            json!({"script": script, "args": args}),
        )
        .await
    }

    /// Runs `script` as the body of a function whose last argument is a callback; returns the
    /// value passed to the callback.
    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        assert_eq!(
            self.javascript,
            Javascript::On,
            "scripts need a browser started with Javascript::On"
        );
        self.call(
            "POST",
            &self.session_path("/execute/async"),
            json!({"script": script, "args": args}),
        )
        .await
    }

    /// A Chrome DevTools Protocol command, through chromedriver (for what WebDriver lacks:
    /// device emulation, full-page screenshots, the dark colour scheme).
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        self.call(
            "POST",
            &self.session_path("/goog/cdp/execute"),
            json!({"cmd": command, "params": params}),
        )
        .await
    }

    /// Lays pages out for `screen` from now on (the page is laid out again at once).
    pub async fn emulate(&self, screen: Screen) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": screen.width,
                "height": screen.height,
                "deviceScaleFactor": screen.scale,
                "mobile": screen.mobile,
            }),
        )
        .await;
    }

    /// Shows pages as a browser set to prefer a dark (`true`) or light colour scheme does.
    pub async fn prefer_dark(&self, dark: bool) {
        let scheme = if dark { "dark" } else { "light" };
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        )
        .await;
    }

    /// A PNG of the whole page, top to bottom, at the emulated screen's width.
    pub async fn full_page_screenshot(&self) -> Vec<u8> {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let size = &metrics["cssContentSize"];
        let width = size["width"].as_f64().expect("a content width");
        let height = size["height"].as_f64().expect("a content height");
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                }),
            )
            .await;
        base64_decode(shot["data"].as_str().expect("a base64 screenshot"))
    }

    /// Runs axe-core on the current page with the rules for `tags` (e.g. `wcag2aa`) and returns
    /// the rules that failed. Needs [`Javascript::On`]; axe is injected by WebDriver, so it
    /// runs although the page's Content Security Policy forbids every script of its own.
    pub async fn axe(&self, tags: &[&str]) -> Vec<Violation> {
        let loaded = self
            .execute(
                &format!("{AXE_SOURCE}\n;return typeof window.axe;"),
                json!([]),
            )
            .await;
        assert_eq!(loaded, "object", "axe-core did not load into the page");
        let results = self
            .execute_async(
                "const [tags, done] = arguments;
                 axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                   .then(r => done({violations: r.violations.map(v => ({
                       id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
                       nodes: v.nodes.map(n => [n.target.join(' '), n.html, n.failureSummary || ''])
                     })), tested: r.passes.length + r.violations.length}))
                   .catch(e => done({error: String(e)}));",
                json!([tags]),
            )
            .await;
        assert!(
            results["error"].is_null(),
            "axe-core failed: {}",
            results["error"]
        );
        assert!(
            results["tested"].as_u64().unwrap_or(0) > 0,
            "axe-core applied no rule: {results}"
        );
        results["violations"]
            .as_array()
            .expect("a list of violations")
            .iter()
            .map(|v| Violation {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                impact: v["impact"].as_str().unwrap_or_default().to_string(),
                help: v["help"].as_str().unwrap_or_default().to_string(),
                help_url: v["helpUrl"].as_str().unwrap_or_default().to_string(),
                nodes: v["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| {
                        let part = |i: usize| n[i].as_str().unwrap_or_default().to_string();
                        (part(0), part(1), part(2))
                    })
                    .collect(),
            })
            .collect()
    }

    /// Ends the session and chromedriver.
    pub async fn quit(mut self) {
        let path = self.session_path("");
        self.call("DELETE", &path, Value::Null).await;
        self.session.clear();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A test that failed did not quit: end the session first, or Chromium outlives its
        // driver. A plain blocking request, since drop cannot await.
        if !self.session.is_empty()
            && let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port))
        {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
                 Content-Length: 0\r\nConnection: close\r\n\r\n",
                self.session, self.port
            );
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
        // After quit() the process is gone already; kill is then a no-op error.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        drop(self.profile.take());
    }
}

/// Decodes standard base64 (WebDriver's and DevTools' screenshots).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {:?}", char::from(c)),
        }
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | value(c) << (18 - 6 * i));
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
