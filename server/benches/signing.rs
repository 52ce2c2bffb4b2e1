//! `cargo bench -p sealform-server --bench signing`: signatures per second through the real
//! release binary on loopback, with rate limits off, and the server's peak memory.
//!
//! Each simulated person fetches the form (for its token) and posts a signature with a
//! 2,000-character testimony; the server seals it to three organizer keys and answers only once
//! the record is fsynced. Every round is bounded in count and time, and the run ends by itself.
//! Results and method: docs/PERFORMANCE.md.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use age::x25519;

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

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let recipients: Vec<String> = (0..3)
        .map(|_| x25519::Identity::generate().to_public().to_string())
        .collect();
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
        "{:>11} {:>10} {:>12} {:>10} {:>10} {:>10}",
        "concurrency", "signed", "per second", "p50", "p99", "max"
    );
    let mut total = 0;
    for concurrency in [1, 8, 64] {
        let (signed, elapsed, latencies) = round(&base, concurrency, &testimony).await;
        total += signed;
        println!(
            "{:>11} {:>10} {:>12.0} {:>10.2?} {:>10.2?} {:>10.2?}",
            concurrency,
            signed,
            signed as f64 / elapsed.as_secs_f64(),
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            latencies.last().unwrap(),
        );
    }
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
