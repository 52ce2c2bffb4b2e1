//! A crash never loses an acknowledged submission nor leaves a half record: many people sign at
//! once, the server is killed with SIGKILL mid-stream, and every signature it had thanked for is
//! then in the store, and every record in the store opens.
//!
//! A killed process loses what it had not handed to the kernel, so this catches a thank-you
//! sent before the record was written. What only a power cut would lose (the kernel's page cache)
//! is covered by the fsync the store makes before answering, which a test on one machine cannot
//! pull the plug on.

mod support;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{Site, form_token};

/// People signing at once.
const WRITERS: usize = 16;
/// The server is killed once this many signatures were acknowledged.
const ACKNOWLEDGED_BEFORE_CRASH: usize = 150;
/// Each writer stops after this many attempts, and everyone after this long.
const ATTEMPTS_PER_WRITER: usize = 40;
const TIME_LIMIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_signature_survives_a_kill() {
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", "0", "--no-rate-limit"]);
    let acknowledged = Arc::new(Mutex::new(HashSet::new()));
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let base = server.base.clone();
            let acknowledged = Arc::clone(&acknowledged);
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .unwrap();
                for attempt in 0..ATTEMPTS_PER_WRITER {
                    if started.elapsed() > TIME_LIMIT {
                        break;
                    }
                    let Ok(page) = client.get(format!("{base}/")).send().await else {
                        break;
                    };
                    let Ok(page) = page.text().await else { break };
                    let name = format!("writer {writer} attempt {attempt}");
                    let body = form_urlencoded::Serializer::new(String::new())
                        .append_pair("token", &form_token(&page))
                        .append_pair("intent", "sign_and_share")
                        .append_pair("sign_as", "individual")
                        .append_pair("name", &name)
                        .append_pair("harm", &"a testimony long enough to span pages ".repeat(40))
                        .finish();
                    let sent = client
                        .post(format!("{base}/sign"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body)
                        .send()
                        .await;
                    match sent {
                        // Only a complete thank-you counts as acknowledged.
                        Ok(response) if response.status() == 200 => {
                            if response.text().await.is_ok() {
                                acknowledged.lock().unwrap().insert(name);
                            }
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();

    while acknowledged.lock().unwrap().len() < ACKNOWLEDGED_BEFORE_CRASH {
        assert!(
            started.elapsed() < TIME_LIMIT,
            "too few signatures were acknowledged"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.crash();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    // Restarted from the same folder, the store holds every acknowledged signature, and every
    // record in it is whole: the key tool opens all of them (it exits non-zero otherwise).
    let records = site.export();
    let rows = site.decrypt_json(0);
    let stored: HashSet<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["fields"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        stored.len(),
        records.len(),
        "every record opened, each once"
    );
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "acknowledged but lost after the crash: {lost:?}"
    );
    assert!(stored.len() >= ACKNOWLEDGED_BEFORE_CRASH);
}
