//! `cargo bench -p sealform-server --bench signing`: signatures per second through the real
//! release binary on loopback, with rate limits off, and the server's peak memory; then the same
//! load against two baselines kept here, in the same run, and the ratios:
//!
//! - (a) a bare axum handler that parses the form body and answers 200: the price of privacy
//!   and durability;
//! - (b) a bare handler that parses, seals with age to the same keys and stores with the
//!   product's own `Store` (the same group commit and `fdatasync`), with no validation,
//!   templates, tokens or limits: the practical ceiling.
//!
//! Each simulated person fetches the form (for its token) and posts a signature with a
//! 2,000-character testimony; the server seals it to three organizer keys and answers only once
//! the record is fsynced. Every round is bounded in count and time, and the run ends by itself.
//! Results and method: docs/PERFORMANCE.md.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use age::x25519;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use seal::{Day, Field, FieldValue, RecipientSet, Submission};
use sealform_server::store::{Beside, Counted, Store, week_of};

/// Signatures per round.
const SIGNATURES: usize = 1_500;
/// A round stops early past this, whatever it reached.
const ROUND_TIME_LIMIT: Duration = Duration::from_secs(60);

fn start_server(data_dir: &std::path::Path, recipients: &[String]) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sealform-server"));
    command
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .args([
            "--no-rate-limit",
            "--min-form-secs",
            "0",
            "--max-in-flight",
            "4096",
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for recipient in recipients {
        command.args(["--recipient", recipient]);
    }
    let mut child = command.spawn().expect("the server starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        if let Some(address) = line.strip_prefix("listening on ") {
            break address.trim().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

fn token_of(html: &str) -> &str {
    let at =
        html.find("name=\"token\" value=\"").expect("a token") + "name=\"token\" value=\"".len();
    &html[at..at + html[at..].find('"').unwrap()]
}

async fn one_signature(client: &reqwest::Client, base: &str, testimony: &str) -> Duration {
    let page = client
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token_of(&page))
        .append_pair("intent", "sign_and_share")
        .append_pair("sign_as", "individual")
        .append_pair("name", "Benchmark Person")
        .append_pair("email", "bench@example.org")
        .append_pair("harm", testimony)
        .append_pair("consent_public", "on")
        .finish();
    let started = Instant::now();
    let response = client
        .post(format!("{base}/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap();
    started.elapsed()
}

async fn round(
    base: &str,
    concurrency: usize,
    testimony: &str,
) -> (usize, Duration, Vec<Duration>) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let client = client.clone();
            let base = base.to_string();
            let testimony = testimony.to_string();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mine =
                    SIGNATURES / concurrency + usize::from(worker < SIGNATURES % concurrency);
                for _ in 0..mine {
                    if started.elapsed() > ROUND_TIME_LIMIT {
                        break;
                    }
                    latencies.push(one_signature(&client, &base, &testimony).await);
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    (latencies.len(), elapsed, latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn status_kib(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The concurrencies every server is measured at.
const CONCURRENCIES: [usize; 4] = [1, 8, 32, 64];

/// A baseline's page for `GET /`: just a token field, so the client's loop is the product's.
const BASELINE_PAGE: &str = "<input type=\"hidden\" name=\"token\" value=\"0\">";

/// What baseline (b) needs: the keys and the product's store.
struct Ceiling {
    recipients: RecipientSet,
    store: Store,
}

/// Baseline (a): parse the form body, answer 200.
async fn parse_only(body: Bytes) -> &'static str {
    let fields = form_urlencoded::parse(&body).count();
    assert!(fields > 0);
    "ok"
}

/// Baseline (b): parse, seal, store durably, answer 200.
async fn seal_and_store(
    State(ceiling): State<std::sync::Arc<Ceiling>>,
    body: Bytes,
) -> &'static str {
    let fields: Vec<Field> = form_urlencoded::parse(&body)
        .map(|(name, value)| Field::new(name.into_owned(), FieldValue::Text(value.into_owned())))
        .collect();
    let submission = Submission::new(
        "open-letter".into(),
        "0".repeat(64),
        "en".into(),
        Day::of(std::time::SystemTime::now()),
        fields,
    );
    let sealing = std::sync::Arc::clone(&ceiling);
    let record = tokio::task::spawn_blocking(move || seal::seal(&submission, &sealing.recipients))
        .await
        .unwrap()
        .unwrap();
    ceiling
        .store
        .put(
            record,
            Beside {
                recipients: ceiling.recipients.fingerprint(),
                counted: Counted::AsSignature,
                receipt: None,
                week: week_of(std::time::SystemTime::now()),
            },
        )
        .await
        .unwrap();
    "ok"
}

/// Serves `app` on a loopback port from a runtime of its own (two workers, as the product's
/// machine has two cores) on its own thread; returns the base URL.
fn serve_baseline(app: Router) -> String {
    let (address_sender, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            address_sender.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{}", address.recv().unwrap())
}

/// Runs every concurrency against `base`, prints a row each, returns the rates and the count.
async fn measure(label: &str, base: &str, testimony: &str) -> (Vec<f64>, usize) {
    let mut rates = Vec::new();
    let mut total = 0;
    for concurrency in CONCURRENCIES {
        let (signed, elapsed, latencies) = round(base, concurrency, testimony).await;
        total += signed;
        let rate = signed as f64 / elapsed.as_secs_f64();
        rates.push(rate);
        println!(
            "{:<28} {:>11} {:>10} {:>12.0} {:>10.2?} {:>10.2?} {:>10.2?}",
            label,
            concurrency,
            signed,
            rate,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            latencies.last().unwrap(),
        );
    }
    (rates, total)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<x25519::Recipient> = (0..3)
        .map(|_| x25519::Identity::generate().to_public())
        .collect();
    let recipients: Vec<String> = keys.iter().map(ToString::to_string).collect();
    let (mut server, base) = start_server(&dir.path().join("data"), &recipients);
    let testimony: String = "Testimony — ça, مرحبا, 他们. "
        .chars()
        .cycle()
        .take(2_000)
        .collect();

    println!(
        "{SIGNATURES} signatures per round; each = GET / + POST /sign (2,000-character testimony, 3 recipients, fsync before the answer)"
    );
    println!(
        "{:<28} {:>11} {:>10} {:>12} {:>10} {:>10} {:>10}",
        "server", "concurrency", "signed", "per second", "p50", "p99", "max"
    );
    let (product, total) = measure("sealform-server", &base, &testimony).await;
    let pid = server.id();
    println!(
        "server memory: peak resident {} KiB, resident now {} KiB, after {total} signatures",
        status_kib(pid, "VmHWM:"),
        status_kib(pid, "VmRSS:")
    );
    let data_bytes: u64 = walk(&dir.path().join("data"));
    println!("data folder: {} KiB for {total} records", data_bytes / 1024);
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = server.wait();

    let parse_base = serve_baseline(
        Router::new()
            .route("/", get(|| async { BASELINE_PAGE }))
            .route("/sign", post(parse_only)),
    );
    let (parse_rates, _) = measure("(a) parse, answer 200", &parse_base, &testimony).await;
    let ceiling = std::sync::Arc::new(Ceiling {
        recipients: RecipientSet::new(keys).unwrap(),
        store: Store::open(&dir.path().join("baseline-data")).unwrap(),
    });
    let ceiling_base = serve_baseline(
        Router::new()
            .route("/", get(|| async { BASELINE_PAGE }))
            .route("/sign", post(seal_and_store))
            .with_state(ceiling),
    );
    let (ceiling_rates, _) =
        measure("(b) parse, seal, store, sync", &ceiling_base, &testimony).await;

    println!("ratios of sealform-server's signatures per second:");
    for (i, concurrency) in CONCURRENCIES.iter().enumerate() {
        println!(
            "  at {concurrency:>2} at once: {:.2} of (b), {:.2} of (a)",
            product[i] / ceiling_rates[i],
            product[i] / parse_rates[i]
        );
    }
}

fn walk(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| {
                    let path = entry.path();
                    if path.is_dir() {
                        walk(&path)
                    } else {
                        entry.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
