//! "Thank you" means the record is on stable storage: the real server runs under `strace -f`,
//! people sign one after another, and for every thank-you page the trace must show, in this
//! order: the write of the store's log file, an `fdatasync` (or `fsync`) of that same file that
//! has returned, and only then the response being written to the socket.
//!
//! A killed process cannot lose what reached the kernel, so the crash tests cannot see a missing
//! sync; this test watches the system calls instead, which is where a power cut's promise lives.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::{Site, form_token, front_page, receipt_of, tool_available};

const SIGNERS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_thank_you_follows_a_completed_sync_of_the_record_file() {
    if !tool_available("strace", "-V", "strace") {
        return;
    }
    let site = Site::new(1);
    let (server, trace) = start_traced(&site);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    for n in 0..SIGNERS {
        let page = front_page(&client, &server.base).await;
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("token", &form_token(&page))
            .append_pair("intent", "sign")
            .append_pair("sign_as", "individual")
            .append_pair("name", &format!("durable signer {n}"))
            .finish();
        let answer = client
            .post(format!("{}/sign", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert!(answer.text().await.unwrap().contains("Thank you"));
    }
    stop_traced(&server);
    server.wait();

    let log_file = site.data.join("db");
    let text = std::fs::read_to_string(&trace).unwrap();
    // The folder is synced at opening, so the names of sled's new files survive a power cut too.
    let folder = format!("<{}>)", site.data.display());
    assert!(
        text.lines().any(|line| line.contains("fsync(")
            && line.contains(&folder)
            && line.trim_end().ends_with("= 0")),
        "the data folder itself is fsynced when the store opens"
    );
    let events = parse(&text, &log_file);
    let checked = check_order(&events).unwrap_or_else(|e| panic!("{e}\n\ntrace:\n{text}"));
    assert_eq!(
        checked, SIGNERS,
        "one thank-you page per signer in the trace"
    );
}

/// Starts the server under `strace -f`, tracing writes, sends and syncs into the file returned.
fn start_traced(site: &Site) -> (support::Server, std::path::PathBuf) {
    let trace = site.dir.path().join("trace.txt");
    let server = site.start_server_under(
        &[
            "strace",
            "-f",
            "-qq",
            "-y",
            "-s",
            "2048",
            "-e",
            "trace=pwrite64,pwritev,pwritev2,write,writev,sendto,sendmsg,fsync,fdatasync",
            "-o",
            trace.to_str().unwrap(),
        ],
        &["--min-form-secs", "0", "--no-rate-limit"],
    );
    (server, trace)
}

/// A withdrawal is answered only once its marker is on stable storage, and a wrong receipt
/// costs the same writes and sync as a right one: every answer (its page is titled "Thank
/// you", like the signer's) follows a write of the log and a completed sync, and the answers
/// are the same bytes.
#[tokio::test]
async fn every_withdrawal_right_or_wrong_is_synced_before_its_answer() {
    if !tool_available("strace", "-V", "strace") {
        return;
    }
    let site = Site::new(1);
    let (server, trace) = start_traced(&site);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let page = front_page(&client, &server.base).await;
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("token", &form_token(&page))
        .append_pair("intent", "sign")
        .append_pair("sign_as", "individual")
        .append_pair("name", "Mai")
        .finish();
    let thanks = client
        .post(format!("{}/sign", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let receipt = &receipt_of(&thanks);
    let mut answers = Vec::new();
    for typed in [
        receipt,
        "0000-1111-2222-3333-4444-5555-6666-7777",
        "ZZZZ-1111-2222-3333-4444-5555-6666-7777",
    ] {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("receipt", typed)
            .finish();
        let answer = client
            .post(format!("{}/withdraw", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        answers.push(answer.text().await.unwrap());
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "the same answer");
    stop_traced(&server);
    server.wait();

    let text = std::fs::read_to_string(&trace).unwrap();
    let events = parse(&text, &site.data.join("db"));
    let checked = check_order(&events).unwrap_or_else(|e| panic!("{e}\n\ntrace:\n{text}"));
    assert_eq!(
        checked,
        1 + answers.len(),
        "the signature and three withdrawals"
    );
}

/// Stops the traced server (the launcher's child) with SIGTERM, as systemd would.
fn stop_traced(server: &support::Server) {
    let children = Command::new("pgrep")
        .args(["-P", &server.child_id().to_string()])
        .output()
        .unwrap();
    let pid = String::from_utf8(children.stdout).unwrap();
    let pid = pid.trim();
    assert!(!pid.is_empty(), "the server runs under strace");
    assert!(
        Command::new("kill")
            .args(["-TERM", pid])
            .status()
            .unwrap()
            .success()
    );
}

/// What the order check needs from a trace, in the order each call completed (a write to a
/// socket counts from when it started: nothing of the answer may leave before the sync).
#[derive(Debug, PartialEq, Eq)]
enum Event {
    /// A write to the store's log file returned.
    LogWritten,
    /// An fsync/fdatasync of the log file returned 0.
    LogSynced,
    /// The thank-you page started to be written to a socket.
    ThankYou,
}

/// Reads `strace -f -y` output: one `PID call(args) = ret` line per call, or an
/// `<unfinished ...>` line and a later `<... call resumed>` line when threads interleave.
fn parse(trace: &str, log_file: &Path) -> Vec<Event> {
    let log_fd = format!("<{}>", log_file.display());
    let mut pending: std::collections::HashMap<String, Option<Event>> = Default::default();
    let mut events = Vec::new();
    for line in trace.lines() {
        let Some((pid, call)) = line.split_once(' ') else {
            continue;
        };
        let call = call.trim_start();
        if let Some(resumed) = call.strip_prefix("<... ") {
            if let Some(Some(event)) = pending.remove(pid)
                && succeeded(resumed)
            {
                events.push(event);
            }
            continue;
        }
        let name = call.split('(').next().unwrap_or("");
        let on_log = call.contains(&log_fd);
        let event = match name {
            "pwrite64" | "pwritev" | "pwritev2" | "write" | "writev" if on_log => {
                Some(Event::LogWritten)
            }
            "fsync" | "fdatasync" if on_log => Some(Event::LogSynced),
            "write" | "writev" | "sendto" | "sendmsg" if call.contains("Thank you") => {
                events.push(Event::ThankYou);
                None
            }
            _ => None,
        };
        if call.ends_with("<unfinished ...>") {
            pending.insert(pid.to_owned(), event);
        } else if let Some(event) = event
            && succeeded(call)
        {
            events.push(event);
        }
    }
    events
}

/// Whether a completed call's line ends in a non-negative return value.
fn succeeded(line: &str) -> bool {
    line.rsplit_once(" = ")
        .is_some_and(|(_, ret)| !ret.trim_start().starts_with('-'))
}

/// Checks that every thank-you was preceded by a write of the log and then a completed sync of
/// it, with no write after that sync before the thank-you; returns how many were checked.
fn check_order(events: &[Event]) -> Result<usize, String> {
    let mut written_since_sync = false;
    let mut synced_since_thanks = false;
    let mut written_since_thanks = false;
    let mut thanked = 0;
    for (at, event) in events.iter().enumerate() {
        match event {
            Event::LogWritten => {
                written_since_sync = true;
                written_since_thanks = true;
            }
            Event::LogSynced => {
                if written_since_sync {
                    synced_since_thanks = true;
                }
                written_since_sync = false;
            }
            Event::ThankYou => {
                thanked += 1;
                if !written_since_thanks {
                    return Err(format!(
                        "thank-you {thanked} (event {at}) with no write of the log before it"
                    ));
                }
                if written_since_sync || !synced_since_thanks {
                    return Err(format!(
                        "thank-you {thanked} (event {at}) before the log file's sync returned"
                    ));
                }
                synced_since_thanks = false;
                written_since_thanks = false;
            }
        }
    }
    Ok(thanked)
}

#[test]
fn the_order_check_catches_a_thank_you_before_the_sync() {
    use Event::*;
    assert_eq!(check_order(&[LogWritten, LogSynced, ThankYou]), Ok(1));
    assert!(check_order(&[LogWritten, ThankYou, LogSynced]).is_err());
    assert!(check_order(&[LogSynced, ThankYou]).is_err());
    assert!(check_order(&[LogWritten, LogSynced, LogWritten, ThankYou]).is_err());
    assert!(check_order(&[LogWritten, LogSynced, ThankYou, ThankYou]).is_err());
}

#[test]
fn the_parser_follows_interleaved_threads() {
    let log = Path::new("/d/db");
    let trace = "\
7 pwrite64(5</d/db>, \"x\", 1, 0 <unfinished ...>
8 writev(9<socket:[1]>, [{iov_base=\"HTTP/1.1 200 OK\\r\\n\"}, {iov_base=\"<title>Thank you\"}], 2) = 99
7 <... pwrite64 resumed>) = 1
7 fdatasync(6</d/db>) = 0
8 fdatasync(6</d/db>) = -1 EIO (Input/output error)
";
    assert_eq!(
        parse(trace, log),
        [Event::ThankYou, Event::LogWritten, Event::LogSynced]
    );
}
