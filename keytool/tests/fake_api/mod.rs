//! A small organizer API server for the key tool's tests: a real HTTP/1.1 server on
//! 127.0.0.1, answering as `docs/API.md` describes, from state a test sets up and inspects.
//! Tests also make it misbehave (hostile ids, wrong hashes, forged withdrawals, a connection cut
//! mid-pull) to check what the key tool does with an answer it cannot trust.

#![allow(dead_code, reason = "each test uses a different part of this module")]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

use age::armor::{ArmoredWriter, Format};
use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What the fake server holds and what it was asked.
#[derive(Default)]
pub struct State {
    /// The public keys challenges are sealed to.
    pub recipients: Vec<String>,
    /// Records by listed id (a hostile test lists ids that are no record id).
    pub records: BTreeMap<String, Vec<u8>>,
    /// Hashes listed instead of the records' real ones.
    pub listed_hash: BTreeMap<String, String>,
    /// Records per page of the listing.
    pub page_size: usize,
    pub campaign: String,
    /// (receipt, day) pairs posted to /withdraw.
    pub withdrawals: Vec<(String, String)>,
    /// The last signatory list PUT, as JSON.
    pub signatories: Option<serde_json::Value>,
    /// Every request, as `METHOD /path`.
    pub requests: Vec<String>,
    /// Record downloads answered before the server cuts every later connection.
    pub downloads_before_cut: Option<usize>,
    /// Armored age text sent as the challenge instead of a real one.
    pub forged_challenge: Option<String>,
    challenges: BTreeSet<String>,
    sessions: BTreeSet<String>,
    downloads: usize,
}

pub struct FakeServer {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FakeServer {
    /// Starts a server whose challenges are sealed to `recipient`, serving `campaign`.
    pub fn start(recipient: &str, campaign: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            recipients: vec![recipient.to_owned()],
            page_size: 1000,
            campaign: campaign.to_owned(),
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = serve(stream, &shared);
            }
        });
        Self { url, state }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn add_record(&self, id: &str, bytes: Vec<u8>) {
        self.state().records.insert(id.to_owned(), bytes);
    }
}

struct Request {
    method: String,
    path: String,
    query: BTreeMap<String, String>,
    bearer: Option<String>,
    body: Vec<u8>,
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

fn json(status: u16, value: serde_json::Value) -> Response {
    Response {
        status,
        content_type: "application/json",
        body: serde_json::to_vec(&value).unwrap(),
    }
}

fn not_signed_in() -> Response {
    json(401, serde_json::json!({"error": "not signed in"}))
}

/// One connection, one request: `Connection: close` keeps the server simple.
fn serve(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let target = words.next().unwrap_or_default().to_owned();
    let mut length = 0;
    let mut bearer = None;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().unwrap_or(0);
        }
        if name.eq_ignore_ascii_case("authorization") {
            bearer = value.strip_prefix("Bearer ").map(str::to_owned);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), query),
        None => (target.clone(), ""),
    };
    let query = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let request = Request {
        method,
        path,
        query,
        bearer,
        body,
    };
    let response = {
        let mut state = state.lock().unwrap();
        state
            .requests
            .push(format!("{} {}", request.method, request.path));
        match answer(&mut state, &request) {
            Some(response) => response,
            // A cut connection: no answer at all.
            None => return Ok(()),
        }
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    )?;
    stream.write_all(&response.body)?;
    stream.flush()
}

fn random_hex() -> String {
    format!("{}{}", seal::RecordId::random(), seal::RecordId::random())
}

fn answer(state: &mut State, request: &Request) -> Option<Response> {
    let route = (request.method.as_str(), request.path.as_str());
    if route == ("POST", "/organizer/challenge") {
        let plaintext = random_hex();
        let armored = match &state.forged_challenge {
            Some(forged) => forged.clone(),
            None => seal_armored(&state.recipients, plaintext.as_bytes()),
        };
        state.challenges.insert(plaintext);
        return Some(json(200, serde_json::json!({ "challenge": armored })));
    }
    if route == ("POST", "/organizer/session") {
        let body: serde_json::Value = serde_json::from_slice(&request.body).ok()?;
        let answer = body["answer"].as_str().unwrap_or_default().to_owned();
        if !state.challenges.remove(&answer) {
            return Some(not_signed_in());
        }
        let session = random_hex();
        state.sessions.insert(session.clone());
        return Some(json(
            200,
            serde_json::json!({"session": session, "expires_in_secs": 600}),
        ));
    }
    if !request
        .bearer
        .as_ref()
        .is_some_and(|token| state.sessions.contains(token))
    {
        return Some(not_signed_in());
    }
    match route {
        ("GET", "/organizer/records") => {
            let after = request.query.get("after").cloned().unwrap_or_default();
            let ids: Vec<&String> = state
                .records
                .keys()
                .filter(|id| after.is_empty() || id.as_str() > after.as_str())
                .collect();
            let page: Vec<serde_json::Value> = ids
                .iter()
                .take(state.page_size)
                .map(|id| {
                    let bytes = &state.records[*id];
                    let sha256 = state
                        .listed_hash
                        .get(*id)
                        .cloned()
                        .unwrap_or_else(|| sha256_hex(bytes));
                    serde_json::json!({
                        "id": id, "sha256": sha256, "size": bytes.len(),
                        "recipients": "0000000000000000"
                    })
                })
                .collect();
            let mut listing = serde_json::json!({ "records": page });
            if ids.len() > state.page_size {
                listing["next_after"] = serde_json::json!(ids[state.page_size - 1]);
            }
            Some(json(200, listing))
        }
        ("GET", "/organizer/campaign") => Some(json(
            200,
            serde_json::json!({
                "version": sha256_hex(state.campaign.as_bytes()),
                "toml": state.campaign,
            }),
        )),
        ("GET", "/organizer/withdrawals") => {
            let withdrawals: Vec<serde_json::Value> = state
                .withdrawals
                .iter()
                .map(|(receipt, day)| serde_json::json!({"receipt": receipt, "day": day}))
                .collect();
            Some(json(200, serde_json::json!({ "withdrawals": withdrawals })))
        }
        ("POST", "/organizer/purge") => {
            let body: serde_json::Value = serde_json::from_slice(&request.body).ok()?;
            let (mut deleted, mut kept) = (Vec::new(), Vec::new());
            for record in body["records"].as_array()? {
                let id = record["id"].as_str()?.to_owned();
                let sha256 = record["sha256"].as_str()?;
                let matches = state
                    .records
                    .get(&id)
                    .is_some_and(|bytes| sha256_hex(bytes) == sha256);
                if matches {
                    state.records.remove(&id);
                    deleted.push(id);
                } else {
                    kept.push(id);
                }
            }
            Some(json(
                200,
                serde_json::json!({"deleted": deleted, "kept": kept}),
            ))
        }
        ("PUT", "/organizer/signatories") => {
            state.signatories = Some(serde_json::from_slice(&request.body).ok()?);
            Some(Response {
                status: 204,
                content_type: "application/json",
                body: Vec::new(),
            })
        }
        ("DELETE", "/organizer/signatories") => {
            state.signatories = None;
            Some(Response {
                status: 204,
                content_type: "application/json",
                body: Vec::new(),
            })
        }
        ("GET", path) if path.starts_with("/organizer/records/") => {
            let id = &path["/organizer/records/".len()..];
            if state
                .downloads_before_cut
                .is_some_and(|limit| state.downloads >= limit)
            {
                return None;
            }
            state.downloads += 1;
            match state.records.get(id) {
                Some(bytes) => Some(Response {
                    status: 200,
                    content_type: "application/octet-stream",
                    body: bytes.clone(),
                }),
                None => Some(json(404, serde_json::json!({"error": "no such record"}))),
            }
        }
        _ => Some(json(404, serde_json::json!({"error": "no such route"}))),
    }
}

/// `plaintext` as an armored age file sealed to `recipients`.
pub fn seal_armored(recipients: &[String], plaintext: &[u8]) -> String {
    let recipients: Vec<age::x25519::Recipient> =
        recipients.iter().map(|key| key.parse().unwrap()).collect();
    let mut out = Vec::new();
    let armor = ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor).unwrap();
    let mut writer =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .unwrap()
            .wrap_output(armor)
            .unwrap();
    writer.write_all(plaintext).unwrap();
    writer.finish().unwrap().finish().unwrap();
    String::from_utf8(out).unwrap()
}
