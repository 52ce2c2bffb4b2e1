//! A minimal W3C WebDriver client for Debian's chromedriver: enough to load a page, fill a form
//! as a person would, press a button and read what the browser shows. Headless Chromium, with
//! JavaScript switched off like Tor Browser's "safest" level.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key W3C WebDriver uses for element references in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session in it; both end on drop.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

/// An element on the current page.
#[derive(Clone, Debug)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a headless Chromium session with
    /// JavaScript disabled. Returns `None` outside CI when chromedriver is not installed.
    pub async fn start() -> Option<Browser> {
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
        let profile = tempfile::tempdir().unwrap().keep();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--blink-settings=scriptEnabled=false",
                    format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": {"profile.managed_default_content_settings.javascript": 2}
            }
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            http,
        };
        let created = browser.call("POST", "/session", capabilities).await;
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        Some(browser)
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        match self.try_call(method, path, body).await {
            Ok(value) => value,
            Err(error) => panic!("webdriver {method} {path}: {error}"),
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
            &self.session_path(&format!("/element/{}/value", element.0)),
            json!({"text": text}),
        )
        .await;
    }

    /// Clicks an element (a radio button, a checkbox, a submit button).
    pub async fn click(&self, element: &Element) {
        self.call(
            "POST",
            &self.session_path(&format!("/element/{}/click", element.0)),
            json!({}),
        )
        .await;
    }

    /// Clicks a submit button and waits until the browser has left the current page and shows
    /// the next one (the old page's body goes stale once the new page has replaced it).
    pub async fn submit(&self, button: &Element) {
        let old_body = self.find("body").await;
        self.click(button).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let probe = self
                .try_call(
                    "GET",
                    &self.session_path(&format!("/element/{}/name", old_body.0)),
                    Value::Null,
                )
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
        self.call(
            "GET",
            &self.session_path(&format!("/element/{}/property/value", element.0)),
            Value::Null,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Whether a checkbox or radio button is checked.
    pub async fn is_selected(&self, element: &Element) -> bool {
        self.call(
            "GET",
            &self.session_path(&format!("/element/{}/selected", element.0)),
            Value::Null,
        )
        .await
        .as_bool()
        .unwrap()
    }

    /// Whether a person can see the element.
    pub async fn is_displayed(&self, element: &Element) -> bool {
        self.call(
            "GET",
            &self.session_path(&format!("/element/{}/displayed", element.0)),
            Value::Null,
        )
        .await
        .as_bool()
        .unwrap()
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> String {
        let body = self.find("body").await;
        self.call(
            "GET",
            &self.session_path(&format!("/element/{}/text", body.0)),
            Value::Null,
        )
        .await
        .as_str()
        .unwrap()
        .to_string()
    }

    /// The URL the browser is on.
    pub async fn current_url(&self) -> String {
        self.call("GET", &self.session_path("/url"), Value::Null)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Ends the session and chromedriver.
    pub async fn quit(mut self) {
        let path = self.session_path("");
        self.call("DELETE", &path, Value::Null).await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // After quit() the process is gone already; kill is then a no-op error.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
