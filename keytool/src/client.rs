//! The key tool's side of the organizer API (`docs/API.md`): where it may connect, how it signs
//! in, and every request `pull`, `purge` and `publish` make. Blocking (ureq), so the key tool
//! needs no async runtime.
//!
//! # Connection rules
//!
//! * `https://` anywhere. Plain `http://` only to this computer (127.0.0.0/8, `::1`,
//!   `localhost`) and to `.onion` hosts, whose addresses are their keys: anywhere else, anyone on
//!   the way could read the records' listing and the session, and answer in the server's place.
//! * `--proxy socks5h://HOST:PORT` sends everything through that SOCKS proxy (Tor), which also
//!   resolves the names: `.onion` hosts work, and the server never learns where organizers are.
//!   Only `socks5h` is taken, so a name is never resolved on this computer. Proxy settings in the
//!   environment (`ALL_PROXY`, `HTTPS_PROXY`) are ignored: the route is what the command says.
//! * No redirect is followed (a 3xx is reported with where it pointed), so answers only ever come
//!   from the host named with `--server`.
//! * Every exchange has time limits, and every answer a size limit: a record at most
//!   [`MAX_RECORD_BYTES`] (as the export reader), JSON at most [`MAX_JSON_BYTES`].
//!
//! # Signing in
//!
//! The server seals a challenge to its recipients; the key tool opens it with the organizer's
//! identity and sends the plaintext back. That makes the key tool a decryption service for
//! whoever runs the server, so it answers only what a challenge can be — 64 hex digits, from an
//! armored age file of at most [`MAX_CHALLENGE_BYTES`] — and sends nothing back otherwise: a
//! record passed off as a challenge opens to JSON, which is never sent.
//!
//! Everything a server answers is untrusted: ids are checked to be record ids (32 lowercase hex
//! digits) before they name a file, hashes to be SHA-256 hex, and text from the server is shown
//! escaped and cut short.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::{Duration, Instant};

use seal::{Day, RecordId};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use ureq::http::{self, Method, StatusCode, Uri};
use zeroize::Zeroizing;

use crate::Error;
use crate::escape::{self, LineFeeds};
use crate::identity::Keyring;
pub use crate::input::MAX_RECORD_BYTES;

/// The largest JSON answer read: a page of 1000 records is about 150 KiB, so this is far more
/// than any server sends, while a server that sends without end is cut off.
pub const MAX_JSON_BYTES: u64 = 64 * 1024 * 1024;

/// The largest sign-in challenge opened. A challenge is an armored age file of 64 bytes of
/// plaintext, well under 4 KiB for a few dozen recipients.
pub const MAX_CHALLENGE_BYTES: usize = 64 * 1024;

/// Records asked for per page (the API's maximum).
const PAGE: usize = 1000;

/// A session is renewed this long before the server said it expires, so that a long pull does
/// not meet a 401 half-way.
const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(60);

/// How long to wait, at most, when the server asks to slow down (429 with `Retry-After`) before
/// trying again, and how often.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);
const RETRIES: u32 = 3;

/// Server text shown in a message is cut to this many characters.
const SHOWN_CHARS: usize = 80;

/// A SHA-256 hash: of a record's bytes, of a receipt, or of a campaign file. Written as 64
/// lowercase hex digits; anything else is refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Hex([u8; 32]);

impl Sha256Hex {
    /// The SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(Sha256::digest(bytes).into())
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Hex({self})")
    }
}

impl FromStr for Sha256Hex {
    type Err = &'static str;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0u8; 32];
        if text.len() != 64 || text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err("a SHA-256 is 64 lowercase hex digits");
        }
        hex::decode_to_slice(text, &mut bytes)
            .map_err(|_| "a SHA-256 is 64 lowercase hex digits")?;
        Ok(Self(bytes))
    }
}

/// Text from a server, as a message shows it: on one line, escaped, and cut short.
pub fn shown(text: &str) -> String {
    let mut cut: String = text.chars().take(SHOWN_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    escape::for_terminal(&cut, LineFeeds::Escape).to_string()
}

/// The address of a sealform server, as `--server` gives it and the connection rules allow:
/// `https://HOST[:PORT][/PATH]`, or `http://` to this computer or a `.onion` host. Kept without
/// a trailing `/`; routes are appended to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServerUrl {
    base: String,
}

impl ServerUrl {
    /// The address, as written in `index.tsv` and in messages (it holds only the characters a
    /// URL may, so it needs no escaping).
    pub fn as_str(&self) -> &str {
        &self.base
    }

    fn route(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

impl FromStr for ServerUrl {
    type Err = Error;

    fn from_str(given: &str) -> Result<Self, Error> {
        let refuse = |reason: &str| Error::InvalidServer {
            given: shown(given),
            reason: reason.to_owned(),
        };
        if given.contains(['#', '?']) {
            return Err(refuse(
                "it has a query or a fragment\ngive the server's address only, such as https://letter.example.org",
            ));
        }
        let uri: Uri = given.parse().map_err(|_| {
            refuse("it is not a web address\ngive it as https://HOST, such as https://letter.example.org")
        })?;
        let scheme = uri.scheme_str().map(str::to_ascii_lowercase);
        let authority = uri.authority().ok_or_else(|| {
            refuse("it names no host\ngive it as https://HOST, such as https://letter.example.org")
        })?;
        if authority.as_str().contains('@') {
            return Err(refuse(
                "it holds a user name or password\nthe organizer API needs none: you sign in with your key",
            ));
        }
        let host = authority.host().to_ascii_lowercase();
        match scheme.as_deref() {
            Some("https") => {}
            Some("http") if is_loopback(&host) || is_onion(&host) => {}
            Some("http") => {
                return Err(refuse(&format!(
                    "plain http:// is refused for {host}: anyone on the way could read and change what passes\n\
                     use https://, or http:// only to this computer (127.0.0.1, ::1, localhost) or to a .onion address (with --proxy)"
                )));
            }
            _ => {
                return Err(refuse(
                    "it does not start with https://\ngive it as https://HOST, such as https://letter.example.org",
                ));
            }
        }
        let port = authority
            .port_u16()
            .map(|port| format!(":{port}"))
            .unwrap_or_default();
        let path = uri.path().trim_end_matches('/');
        Ok(Self {
            base: format!("{}://{host}{port}{path}", scheme.unwrap_or_default()),
        })
    }
}

/// Whether `host` (as a URL writes it: IPv6 in brackets) is this computer.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Whether `host` is a Tor onion service: its address is its key, so the connection is
/// authenticated and encrypted without TLS.
fn is_onion(host: &str) -> bool {
    host.trim_end_matches('.').ends_with(".onion")
}

/// A `--proxy`: `socks5h://HOST:PORT`, such as Tor's `socks5h://127.0.0.1:9050`.
#[derive(Debug, Clone)]
pub struct ProxyUrl(ureq::Proxy);

impl FromStr for ProxyUrl {
    type Err = Error;

    fn from_str(given: &str) -> Result<Self, Error> {
        let refuse = |reason: &str| Error::InvalidProxy {
            given: shown(given),
            reason: reason.to_owned(),
        };
        let rest = given.strip_prefix("socks5h://").ok_or_else(|| {
            refuse(
                "only socks5h://HOST:PORT is taken, so that names are resolved by the proxy and never on this computer\n\
                 Tor's SOCKS port is usually socks5h://127.0.0.1:9050 (Tor Browser's: socks5h://127.0.0.1:9150)",
            )
        })?;
        if rest.is_empty() || rest.contains(['/', '@', '?', '#']) {
            return Err(refuse(
                "give it as socks5h://HOST:PORT, such as socks5h://127.0.0.1:9050",
            ));
        }
        let proxy = ureq::Proxy::new(given).map_err(|_| {
            refuse("give it as socks5h://HOST:PORT, such as socks5h://127.0.0.1:9050")
        })?;
        Ok(Self(proxy))
    }
}

/// The connection options `pull`, `purge` and `publish` share.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerArgs {
    /// A sealform server's address, such as https://letter.example.org; repeat --server to work
    /// with several instances of the same letter. Plain http:// only to this computer or a
    /// .onion address
    #[arg(long = "server", value_name = "URL", required = true)]
    pub servers: Vec<ServerUrl>,

    /// Connect through this SOCKS proxy, such as Tor's socks5h://127.0.0.1:9050: .onion
    /// addresses work, and the server does not learn where you are
    #[arg(long, value_name = "socks5h://HOST:PORT")]
    pub proxy: Option<ProxyUrl>,
}

/// The HTTP agent every request goes through, set up with the connection rules.
#[derive(Debug)]
pub struct Client {
    agent: ureq::Agent,
}

impl Client {
    /// An agent that connects directly, or through `proxy`.
    pub fn new(proxy: Option<&ProxyUrl>) -> Self {
        let config = ureq::Agent::config_builder()
            .proxy(proxy.map(|proxy| proxy.0.clone()))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent("sealform-keytool")
            // Tor circuits take a while to build; a record of 4 MiB over a slow circuit too.
            .timeout_connect(Some(Duration::from_secs(60)))
            .timeout_send_request(Some(Duration::from_secs(60)))
            .timeout_send_body(Some(Duration::from_secs(120)))
            .timeout_recv_response(Some(Duration::from_secs(120)))
            .timeout_recv_body(Some(Duration::from_secs(300)))
            .build();
        Self {
            agent: config.new_agent(),
        }
    }

    /// Signs in to `server` with the identities of `keyring` (`docs/API.md`, "Signing in").
    pub fn sign_in<'a>(
        &'a self,
        server: &'a ServerUrl,
        keyring: &'a Keyring,
    ) -> Result<Session<'a>, Error> {
        let mut session = Session {
            client: self,
            server,
            keyring,
            token: Zeroizing::new(String::new()),
            renew_at: Instant::now(),
        };
        session.renew()?;
        Ok(session)
    }

    /// One exchange: sends `body` (JSON) with `method` to `url`, and returns the answer, whatever
    /// its status. Waits and tries again when the server asks to slow down.
    fn exchange(
        &self,
        server: &ServerUrl,
        method: Method,
        route: &str,
        body: Option<&[u8]>,
        bearer: Option<&str>,
    ) -> Result<http::Response<ureq::Body>, Error> {
        let mut tries = 0;
        loop {
            let mut request = http::Request::builder()
                .method(method.clone())
                .uri(server.route(route));
            if let Some(token) = bearer {
                request = request.header("Authorization", format!("Bearer {token}"));
            }
            if body.is_some() {
                request = request.header("Content-Type", "application/json");
            }
            let request = request
                .body(body.unwrap_or_default().to_vec())
                .map_err(|err| Error::Unreachable {
                    server: server.to_string(),
                    reason: shown(&err.to_string()),
                })?;
            let response = self.agent.run(request).map_err(|err| Error::Unreachable {
                server: server.to_string(),
                reason: transport_reason(&err),
            })?;
            if response.status() != StatusCode::TOO_MANY_REQUESTS {
                return Ok(response);
            }
            let wait = retry_after(&response);
            tries += 1;
            match wait {
                Some(wait) if tries <= RETRIES && wait <= MAX_RETRY_WAIT => {
                    std::thread::sleep(wait);
                }
                _ => {
                    return Err(Error::RateLimited {
                        server: server.to_string(),
                        seconds: wait.map(|wait| wait.as_secs()),
                    });
                }
            }
        }
    }
}

/// How long a 429 asks to wait, when it says in seconds.
fn retry_after(response: &http::Response<ureq::Body>) -> Option<Duration> {
    let seconds: u64 = response
        .headers()
        .get("Retry-After")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// A receipt in its normal form (`docs/API.md`, "Withdrawals"): Crockford base32, uppercase,
/// without the spaces or dashes people type between its groups. The server already sends it so;
/// normalizing again costs nothing and cannot make a wrong receipt match, since matching needs
/// the receipt whose hash is sealed in the record, not merely its hash.
pub fn normal_receipt(receipt: &str) -> String {
    receipt
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A transport failure as a short lowercase phrase.
fn transport_reason(err: &ureq::Error) -> String {
    match err {
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused (is the server running, at that port?)".to_owned()
        }
        ureq::Error::Timeout(_) => "it did not answer in time".to_owned(),
        ureq::Error::HostNotFound => "its name could not be resolved".to_owned(),
        ureq::Error::ConnectionFailed => "the connection failed".to_owned(),
        other => shown(&lowercase_first(&other.to_string())),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A signed-in session with one server. Renews itself before it expires. Prints as
/// `Session { server: …, .. }`: the token is a credential.
pub struct Session<'a> {
    client: &'a Client,
    server: &'a ServerUrl,
    keyring: &'a Keyring,
    token: Zeroizing<String>,
    renew_at: Instant,
}

impl fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("server", &self.server.as_str())
            .finish_non_exhaustive()
    }
}

/// One record as the server lists it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The record's id.
    pub id: RecordId,
    /// The SHA-256 of its bytes as stored on the server.
    pub sha256: Sha256Hex,
    /// Its size in bytes.
    pub size: u64,
}

/// The campaign file a server runs, checked against its version.
#[derive(Debug)]
pub struct Campaign {
    /// The SHA-256 of `toml`.
    pub version: Sha256Hex,
    /// The campaign file.
    pub toml: String,
}

/// A receipt posted to a server's `/withdraw`, and the day it was.
#[derive(Debug)]
pub struct Withdrawal {
    /// The SHA-256 of the receipt as posted: what a record's sealed `receipt` must equal.
    pub receipt_sha256: Sha256Hex,
    /// The day it was posted.
    pub day: Day,
}

/// What a server did with a purge request.
#[derive(Debug, Default)]
pub struct Purged {
    /// Records it deleted.
    pub deleted: Vec<RecordId>,
    /// Records it kept: absent, or with other bytes.
    pub kept: Vec<RecordId>,
}

/// One entry of the public signatory list, as sent.
#[derive(Debug, Serialize)]
pub struct SignatoryEntry<'a> {
    /// Public field name → answer.
    pub fields: std::collections::BTreeMap<&'a str, &'a str>,
    /// The receipt hash sealed in the record.
    pub receipt: String,
}

impl Session<'_> {
    /// The server this session is with.
    pub fn server(&self) -> &ServerUrl {
        self.server
    }

    /// Signs in (again): challenge, open it, answer.
    fn renew(&mut self) -> Result<(), Error> {
        #[derive(Deserialize)]
        struct Challenge {
            challenge: String,
        }
        #[derive(Deserialize)]
        struct Granted {
            session: String,
            expires_in_secs: u64,
        }
        let server = self.server;
        let bad = |reason: &str| Error::BadChallenge {
            server: server.to_string(),
            reason: reason.to_owned(),
        };
        let started = Instant::now();
        let response =
            self.client
                .exchange(server, Method::POST, "/organizer/challenge", None, None)?;
        let Challenge { challenge } = self.json(response, "POST /organizer/challenge")?;
        if challenge.len() > MAX_CHALLENGE_BYTES {
            return Err(bad("it is larger than any challenge"));
        }
        if !challenge.starts_with("-----BEGIN AGE ENCRYPTED FILE-----") {
            return Err(bad("it is not an armored age file"));
        }
        let plaintext =
            self.keyring
                .decrypt_bytes(challenge.as_bytes())
                .map_err(|err| match err {
                    seal::Error::NoMatchingIdentity => Error::NotSignedIn {
                        server: server.to_string(),
                    },
                    _ => bad("it could not be opened"),
                })?;
        // Only what a challenge can be is ever sent back (see the module documentation).
        if plaintext.len() != 64
            || !plaintext
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        {
            return Err(bad("it does not hold 64 hex digits"));
        }
        let answer = Zeroizing::new(
            serde_json::to_vec(&serde_json::json!({
                "answer": std::str::from_utf8(&plaintext).unwrap_or_default()
            }))
            .unwrap_or_default(),
        );
        let response = self.client.exchange(
            server,
            Method::POST,
            "/organizer/session",
            Some(&answer),
            None,
        )?;
        let granted: Granted = self.json(response, "POST /organizer/session")?;
        if granted.session.len() != 64 || !granted.session.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.unexpected(
                "POST /organizer/session",
                "the session is not 64 hex digits",
            ));
        }
        self.token = Zeroizing::new(granted.session);
        let lifetime = Duration::from_secs(granted.expires_in_secs);
        self.renew_at = started + lifetime.saturating_sub(RENEW_BEFORE_EXPIRY);
        Ok(())
    }

    /// An exchange with the session's token, renewing it first when it is about to expire.
    fn call(
        &mut self,
        method: Method,
        route: &str,
        body: Option<&[u8]>,
    ) -> Result<http::Response<ureq::Body>, Error> {
        if Instant::now() >= self.renew_at {
            self.renew()?;
        }
        self.client
            .exchange(self.server, method, route, body, Some(&self.token))
    }

    /// Every record the server holds, in id order, page by page. A listed entry that is not a
    /// record id and a SHA-256 is reported in `problems` and left out: nothing is ever written
    /// under a name a server chose.
    pub fn list_records(&mut self, problems: &mut Vec<Error>) -> Result<Vec<Listed>, Error> {
        #[derive(Deserialize)]
        struct Page {
            records: Vec<RawListed>,
            next_after: Option<String>,
        }
        #[derive(Deserialize)]
        struct RawListed {
            id: String,
            sha256: String,
            size: u64,
        }
        const WHAT: &str = "GET /organizer/records";
        let mut listed: Vec<Listed> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let mut after: Option<RecordId> = None;
        loop {
            let route = match after {
                Some(id) => format!("/organizer/records?after={id}&limit={PAGE}"),
                None => format!("/organizer/records?limit={PAGE}"),
            };
            let response = self.call(Method::GET, &route, None)?;
            let page: Page = self.json(response, WHAT)?;
            let page_was_empty = page.records.is_empty();
            for raw in page.records {
                let Ok(id) = raw.id.parse::<RecordId>() else {
                    problems.push(Error::InvalidListing {
                        server: self.server.to_string(),
                        reason: format!(
                            "\"{}\" is not a record id (32 lowercase hex digits)",
                            shown(&raw.id)
                        ),
                    });
                    continue;
                };
                let Ok(sha256) = raw.sha256.parse::<Sha256Hex>() else {
                    problems.push(Error::InvalidListing {
                        server: self.server.to_string(),
                        reason: format!("record {id} is listed with a hash that is not a SHA-256"),
                    });
                    continue;
                };
                if !seen.insert(id) {
                    problems.push(Error::InvalidListing {
                        server: self.server.to_string(),
                        reason: format!("record {id} is listed twice"),
                    });
                    continue;
                }
                listed.push(Listed {
                    id,
                    sha256,
                    size: raw.size,
                });
            }
            let Some(next) = page.next_after else {
                return Ok(listed);
            };
            // Pages that list nothing yet say there is more could go on for ever.
            if page_was_empty {
                return Err(
                    self.unexpected(WHAT, "a page lists no record, yet says there are more")
                );
            }
            let next: RecordId = next
                .parse()
                .map_err(|_| self.unexpected(WHAT, "next_after is not a record id"))?;
            // A listing that does not move forward would never end.
            if after.is_some_and(|after| next <= after) {
                return Err(self.unexpected(WHAT, "next_after does not move forward"));
            }
            after = Some(next);
        }
    }

    /// The bytes of record `id`, at most [`MAX_RECORD_BYTES`]. `None` when the server no longer
    /// has it (404).
    pub fn record(&mut self, id: RecordId) -> Result<Option<Vec<u8>>, Error> {
        let what = "GET /organizer/records/<id>";
        let mut response = self.call(Method::GET, &format!("/organizer/records/{id}"), None)?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        self.check(&mut response, what)?;
        response
            .body_mut()
            .with_config()
            .limit(MAX_RECORD_BYTES)
            .read_to_vec()
            .map(Some)
            .map_err(|err| self.body_error(what, &err, MAX_RECORD_BYTES))
    }

    /// The campaign file the server runs, checked: its SHA-256 must be the version it names.
    pub fn campaign(&mut self) -> Result<Campaign, Error> {
        #[derive(Deserialize)]
        struct Raw {
            version: String,
            toml: String,
        }
        const WHAT: &str = "GET /organizer/campaign";
        let response = self.call(Method::GET, "/organizer/campaign", None)?;
        let raw: Raw = self.json(response, WHAT)?;
        let version: Sha256Hex = raw
            .version
            .parse()
            .map_err(|_| self.unexpected(WHAT, "the version is not a SHA-256"))?;
        if Sha256Hex::of(raw.toml.as_bytes()) != version {
            return Err(self.unexpected(
                WHAT,
                "the campaign file's SHA-256 is not the version it is given as",
            ));
        }
        Ok(Campaign {
            version,
            toml: raw.toml,
        })
    }

    /// Every receipt posted to the server's `/withdraw` that it still keeps, hashed.
    pub fn withdrawals(&mut self) -> Result<Vec<Withdrawal>, Error> {
        #[derive(Deserialize)]
        struct Raw {
            withdrawals: Vec<RawWithdrawal>,
        }
        #[derive(Deserialize)]
        struct RawWithdrawal {
            receipt: String,
            day: String,
        }
        const WHAT: &str = "GET /organizer/withdrawals";
        let response = self.call(Method::GET, "/organizer/withdrawals", None)?;
        let raw: Raw = self.json(response, WHAT)?;
        raw.withdrawals
            .into_iter()
            .map(|raw| {
                let day = raw
                    .day
                    .parse()
                    .map_err(|_| self.unexpected(WHAT, "a day is not YYYY-MM-DD"))?;
                Ok(Withdrawal {
                    receipt_sha256: Sha256Hex::of(normal_receipt(&raw.receipt).as_bytes()),
                    day,
                })
            })
            .collect()
    }

    /// Asks the server to delete each of `records` whose bytes still hash as given.
    pub fn purge(&mut self, records: &[(RecordId, Sha256Hex)]) -> Result<Purged, Error> {
        #[derive(Deserialize)]
        struct Raw {
            deleted: Vec<String>,
            kept: Vec<String>,
        }
        const WHAT: &str = "POST /organizer/purge";
        let body = serde_json::json!({
            "records": records
                .iter()
                .map(|(id, sha256)| serde_json::json!({"id": id.to_string(), "sha256": sha256.to_string()}))
                .collect::<Vec<_>>()
        });
        let body = serde_json::to_vec(&body).unwrap_or_default();
        let response = self.call(Method::POST, "/organizer/purge", Some(&body))?;
        let raw: Raw = self.json(response, WHAT)?;
        let asked: std::collections::BTreeSet<RecordId> =
            records.iter().map(|(id, _)| *id).collect();
        let ids = |list: Vec<String>| -> Result<Vec<RecordId>, Error> {
            list.iter()
                .map(|id| {
                    id.parse::<RecordId>()
                        .ok()
                        .filter(|id| asked.contains(id))
                        .ok_or_else(|| {
                            self.unexpected(WHAT, "it names a record that was not asked for")
                        })
                })
                .collect()
        };
        Ok(Purged {
            deleted: ids(raw.deleted)?,
            kept: ids(raw.kept)?,
        })
    }

    /// Replaces the server's public signatory list.
    pub fn put_signatories(&mut self, entries: &[SignatoryEntry<'_>]) -> Result<(), Error> {
        const WHAT: &str = "PUT /organizer/signatories";
        #[derive(Serialize)]
        struct Body<'b> {
            signatories: &'b [SignatoryEntry<'b>],
        }
        // The list is public once sent; still, no copy of it outlives the request.
        let body = Zeroizing::new(
            serde_json::to_vec(&Body {
                signatories: entries,
            })
            .unwrap_or_default(),
        );
        let mut response = self.call(Method::PUT, "/organizer/signatories", Some(&body))?;
        self.check(&mut response, WHAT)
    }

    /// Unpublishes the server's signatory list.
    pub fn clear_signatories(&mut self) -> Result<(), Error> {
        let mut response = self.call(Method::DELETE, "/organizer/signatories", None)?;
        self.check(&mut response, "DELETE /organizer/signatories")
    }

    /// Turns an answer that is not a success into the error it means.
    fn check(&self, response: &mut http::Response<ureq::Body>, what: &str) -> Result<(), Error> {
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        if status == StatusCode::UNAUTHORIZED {
            return Err(Error::NotSignedIn {
                server: self.server.to_string(),
            });
        }
        if status.is_redirection() {
            let location = response
                .headers()
                .get("Location")
                .map(|value| shown(&String::from_utf8_lossy(value.as_bytes())))
                .unwrap_or_default();
            return Err(self.unexpected(
                what,
                &format!(
                    "it redirects (status {}) to \"{location}\", and the key tool follows no redirect\n\
                     if that is the server's real address, pass it with --server",
                    status.as_u16()
                ),
            ));
        }
        // The API's error bodies are {"error": "…"}; show that much of one, escaped.
        let said = response
            .body_mut()
            .with_config()
            .limit(4096)
            .read_to_vec()
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .and_then(|value| value.get("error")?.as_str().map(shown))
            .map(|error| format!(": \"{error}\""))
            .unwrap_or_default();
        Err(self.unexpected(what, &format!("status {}{said}", status.as_u16())))
    }

    /// The JSON of a successful answer, at most [`MAX_JSON_BYTES`].
    fn json<T: DeserializeOwned>(
        &self,
        mut response: http::Response<ureq::Body>,
        what: &str,
    ) -> Result<T, Error> {
        self.check(&mut response, what)?;
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_JSON_BYTES)
            .read_to_vec()
            .map_err(|err| self.body_error(what, &err, MAX_JSON_BYTES))?;
        serde_json::from_slice(&bytes).map_err(|err| {
            // serde_json's messages can quote the answer; keep only where it went wrong.
            self.unexpected(
                what,
                &format!(
                    "it is not the JSON the organizer API describes (line {} column {})",
                    err.line(),
                    err.column()
                ),
            )
        })
    }

    fn body_error(&self, what: &str, err: &ureq::Error, limit: u64) -> Error {
        match err {
            ureq::Error::BodyExceedsLimit(_) => self.unexpected(
                what,
                &format!(
                    "it is larger than {} MiB, far more than sealform sends",
                    limit >> 20
                ),
            ),
            other => Error::Unreachable {
                server: self.server.to_string(),
                reason: transport_reason(other),
            },
        }
    }

    fn unexpected(&self, what: &str, reason: &str) -> Error {
        Error::UnexpectedAnswer {
            server: self.server.to_string(),
            request: what.to_owned(),
            reason: reason.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(given: &str) -> Result<String, String> {
        given
            .parse::<ServerUrl>()
            .map(|url| url.to_string())
            .map_err(|err| err.to_string())
    }

    #[test]
    fn https_anywhere_and_http_only_to_this_computer_or_onion() {
        for (given, kept) in [
            ("https://letter.example.org", "https://letter.example.org"),
            ("https://Letter.Example.org/", "https://letter.example.org"),
            (
                "https://example.org:8443/letter/",
                "https://example.org:8443/letter",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.4.5.6", "http://127.4.5.6"),
            ("http://[::1]:8080/", "http://[::1]:8080"),
            ("http://localhost:8080", "http://localhost:8080"),
            ("HTTP://LOCALHOST", "http://localhost"),
            (
                "http://abcdefghijklmnopabcdefghijklmnopabcdefghijklmnopabcd.onion",
                "http://abcdefghijklmnopabcdefghijklmnopabcdefghijklmnopabcd.onion",
            ),
        ] {
            assert_eq!(server(given).as_deref(), Ok(kept), "{given}");
        }
        for (given, expected) in [
            (
                "http://letter.example.org",
                "plain http:// is refused for letter.example.org",
            ),
            (
                "http://10.0.0.1:8080",
                "plain http:// is refused for 10.0.0.1",
            ),
            ("http://128.0.0.1", "plain http:// is refused for 128.0.0.1"),
            ("http://[::2]", "plain http:// is refused for [::2]"),
            ("http://localhost.example.org", "plain http:// is refused"),
            ("http://onion.example.org", "plain http:// is refused"),
            ("ftp://example.org", "it does not start with https://"),
            ("letter.example.org", "it does not start with https://"),
            (
                "https://me:pw@example.org",
                "it holds a user name or password",
            ),
            ("https://example.org/?x=1", "it has a query or a fragment"),
            ("https://exa mple.org", "it is not a web address"),
        ] {
            let err = server(given).unwrap_err();
            assert!(err.contains(expected), "{given}: {err}");
        }
        let err = server("http://evil\u{1b}[2J.example").unwrap_err();
        assert!(!err.contains('\u{1b}'), "{err}");
    }

    #[test]
    fn only_socks5h_proxies() {
        assert!("socks5h://127.0.0.1:9050".parse::<ProxyUrl>().is_ok());
        for given in [
            "socks5://127.0.0.1:9050",
            "http://127.0.0.1:8118",
            "127.0.0.1:9050",
            "socks5h://",
            "socks5h://u:p@127.0.0.1:9050",
        ] {
            assert!(given.parse::<ProxyUrl>().is_err(), "{given}");
        }
    }

    #[test]
    fn hashes_are_64_lowercase_hex_digits() {
        let hash = Sha256Hex::of(b"abc");
        assert_eq!(
            hash.to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hash.to_string().parse::<Sha256Hex>(), Ok(hash));
        assert!(
            hash.to_string()
                .to_uppercase()
                .parse::<Sha256Hex>()
                .is_err()
        );
        assert!("ab".parse::<Sha256Hex>().is_err());
        assert!(
            format!("{}x", &hash.to_string()[1..])
                .parse::<Sha256Hex>()
                .is_err()
        );
    }

    #[test]
    fn server_text_is_shown_on_one_line_and_short() {
        assert_eq!(shown("a\nb\u{1b}"), "a\\u{a}b\\u{1b}");
        let long = "x".repeat(200);
        assert_eq!(shown(&long).chars().count(), SHOWN_CHARS + 1);
    }
}
