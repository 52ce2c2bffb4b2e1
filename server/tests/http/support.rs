//! A real server on a loopback port, with a real sled folder in a temporary directory and
//! real age keys, driven over HTTP.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use age::x25519;
use seal::{RecipientSet, RecordId};
use sealform_server::campaign::Campaign;
use sealform_server::config::{Config, HEADER_READ_TIMEOUT, MAX_CONNECTIONS};
use sealform_server::rate_limit::RateLimits;
use sealform_server::store::Store;
use sealform_server::token::TokenPolicy;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The headers every response must carry, exactly.
pub const EXPECTED_HEADERS: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ),
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// A test server's settings: permissive defaults, so each test turns on what it checks.
pub fn config(data_dir: &Path, identity: &x25519::Identity) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.to_path_buf(),
        recipients: RecipientSet::new(vec![identity.to_public()]).unwrap(),
        campaign: Campaign::builtin(),
        rate_limits: None,
        trusted_proxies: Vec::new(),
        body_limit: 64 * 1024,
        token_policy: TokenPolicy {
            min_age: Duration::ZERO,
            ..TokenPolicy::default()
        },
        tls_served: false,
        request_timeout: Duration::from_secs(30),
        max_in_flight: 256,
        header_read_timeout: HEADER_READ_TIMEOUT,
        max_connections: MAX_CONNECTIONS,
        max_conns_per_client: Some(64),
        disk_reserve_bytes: 0,
        onion_listen: None,
        onion_address: None,
        delete_after_days: None,
        token_key_file: None,
    }
}

/// Rate limits that never refill during a test.
pub fn limits(burst: u32, global_burst: u32) -> RateLimits {
    RateLimits {
        burst: NonZeroU32::new(burst).unwrap(),
        refill: Duration::from_secs(600),
        global_burst: NonZeroU32::new(global_burst).unwrap(),
        global_per_sec: NonZeroU32::new(1).unwrap(),
    }
}

/// A running server and what it needs.
pub struct TestServer {
    pub base: String,
    pub address: SocketAddr,
    pub dir: TempDir,
    pub identity: x25519::Identity,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), sealform_server::Error>>>,
}

impl TestServer {
    /// Starts a server with the default test settings.
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// Starts a server with the test settings as changed by `adjust`.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let identity = x25519::Identity::generate();
        let mut config = config(&dir.path().join("data"), &identity);
        adjust(&mut config);
        let listener = TcpListener::bind(config.listen).await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(sealform_server::run(config, listener, async {
            let _ = stopped.await;
        }));
        TestServer {
            base: format!("http://{address}"),
            address,
            dir,
            identity,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends the shutdown signal without waiting.
    pub fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops the server, waits until it has closed the store, and returns the records it
    /// stored, opened with the organizer's identity.
    pub async fn stop(mut self) -> (Vec<seal::Submission>, TempDir) {
        self.signal_stop();
        self.task
            .take()
            .unwrap()
            .await
            .unwrap()
            .expect("the server stops cleanly");
        let records = read_records(&self.dir.path().join("data"), &self.identity);
        (records, self.dir)
    }
}

/// Every record in a (stopped) server's data folder, exported and opened.
pub fn read_records(data_dir: &Path, identity: &x25519::Identity) -> Vec<seal::Submission> {
    let export = tempfile::tempdir().unwrap();
    let store = Store::open(data_dir).unwrap();
    let count = store.export(export.path()).unwrap();
    drop(store);
    let index = std::fs::read_to_string(export.path().join(seal::EXPORT_INDEX_FILE)).unwrap();
    let index = seal::ExportIndex::parse(&index).unwrap();
    let mut records = Vec::new();
    for entry in std::fs::read_dir(export.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "age") {
            let id: RecordId = path.file_stem().unwrap().to_str().unwrap().parse().unwrap();
            assert!(
                index.recipients_of(id).is_some(),
                "the index lists every record"
            );
            let bytes = std::fs::read(&path).unwrap();
            records.push(seal::open(&bytes, &[identity as &dyn age::Identity]).unwrap());
        }
    }
    assert_eq!(records.len(), count);
    records
}

/// A client with no proxy, no redirects, a short timeout.
pub fn client() -> reqwest::Client {
    client_builder().build().unwrap()
}

/// A client that opens a new connection for every request. After a hostile request the server
/// may close its connection just as a pooled client reuses it, which fails the next request
/// with nothing to do with the server's health.
pub fn client_without_reuse() -> reqwest::Client {
    client_builder().pool_max_idle_per_host(0).build().unwrap()
}

/// A client whose connections come from `local` (e.g. 127.0.0.2).
pub fn client_from(local: &str) -> reqwest::Client {
    client_builder()
        .local_address(local.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
}

/// The form token in a form page.
pub fn token_in(html: &str) -> String {
    let marker = "name=\"token\" value=\"";
    let start = html.find(marker).expect("the page has a token") + marker.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_owned()
}

/// The page at `path`, as text.
pub async fn get_text(client: &reqwest::Client, server: &TestServer, path: &str) -> String {
    client
        .get(server.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A fresh token from `GET /`.
pub async fn fresh_token(client: &reqwest::Client, server: &TestServer) -> String {
    token_in(&get_text(client, server, "/").await)
}

/// A URL-encoded form body.
pub fn encode(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A valid signature for the built-in campaign, with `token`.
pub fn valid_form(token: &str, name: &str) -> String {
    encode(&[
        ("token", token),
        ("intent", "sign_and_share"),
        ("sign_as", "individual"),
        ("name", name),
        ("harm", "They came at night. Ça suffit. 我们受够了。"),
        ("actions", "share_social_media"),
        ("actions", "talk_to_media"),
        ("consent_contact", "on"),
        ("website", ""),
    ])
}

/// POSTs a form body to /sign.
pub async fn post_form(
    client: &reqwest::Client,
    server: &TestServer,
    body: String,
) -> reqwest::Response {
    client
        .post(server.url("/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Sends raw bytes on a new connection and reads until the server closes it or `wait` passes.
pub async fn raw_exchange(address: SocketAddr, request: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request).await.unwrap();
    read_for(&mut stream, wait).await
}

/// Reads what arrives on `stream` until it closes or `wait` passes.
pub async fn read_for(stream: &mut TcpStream, wait: Duration) -> String {
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

/// Checks the security headers, the absence of `Server` and `Set-Cookie`, and `no-store`
/// on every HTML page.
pub fn assert_security_headers(response: &reqwest::Response, what: &str) {
    let headers = response.headers();
    for (name, value) in EXPECTED_HEADERS {
        assert_eq!(
            headers.get(*name).map(|v| v.to_str().unwrap()),
            Some(*value),
            "{name} on {what}"
        );
    }
    let permissions = headers
        .get("permissions-policy")
        .unwrap_or_else(|| panic!("permissions-policy on {what}"))
        .to_str()
        .unwrap();
    for feature in [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "interest-cohort=()",
    ] {
        assert!(permissions.contains(feature), "{feature} denied on {what}");
    }
    assert!(
        headers.get("server").is_none(),
        "no Server header on {what}"
    );
    assert!(headers.get("set-cookie").is_none(), "no cookie on {what}");
    let is_html = headers
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().starts_with("text/html"));
    if is_html {
        assert_eq!(
            headers.get("cache-control").unwrap(),
            "no-store",
            "no-store on {what}"
        );
    }
}
