//! `cargo bench -p sealform-server --bench signing`: durable submissions per second through the
//! real release `sealform-server` on loopback, beside two baselines measured the same way in the
//! same run, then `GET /` pages per second and a memory soak of the product and of (b). Method
//! and results: docs/PERFORMANCE.md.
//!
//! Every server under test runs as its own process with the runtime it would have in production
//! (one worker per core), so their CPU time and memory are their own:
//!
//! - the product, with rate limits off (`--no-rate-limit`) and the form's minimum age at 0;
//! - (a) this same benchmark binary as a bare axum handler that parses the form body and
//!   answers 200: the price of privacy and durability is the gap to it;
//! - (b) this binary as a bare handler that parses, seals with age to the same keys, inserts the
//!   record into one sled tree and waits for a group commit (one `flush()` and one `fdatasync`
//!   of sled's log per batch of waiting writers, the product's durability rule), with no
//!   validation, templates, tokens, limits or bookkeeping: the practical ceiling.
//!
//! Each simulated person fetches the form (its token), then posts a realistic submission: a
//! signature, a signature with an account of harm, or only an account (0.5–8 KiB, in several
//! scripts). Latency is the POST alone. After each server stops, the benchmark opens its data
//! folder and checks that every acknowledged submission is there.
//!
//! Settings (environment): `SEALFORM_BENCH_SUBMISSIONS` per round (default 4000),
//! `SEALFORM_BENCH_SOAK_SECS` for the memory soak (default 120; 0 skips it),
//! `SEALFORM_BENCH_STARTUP_RECORDS` for the start-up measure (default 100000; 0 skips it),
//! `SEALFORM_BENCH_CONCURRENCIES` (default `1,8,32,64`),
//! `SEALFORM_BENCH_ONLY=product` to measure the product alone (for profiling), `=soak` for the
//! memory soaks alone, `=pairs` for the product and (b) in turn `SEALFORM_BENCH_PAIRS` times
//! (default 5) with one key, (b) first in every other pair, and the median of their ratios.
//! Every round is bounded in count and time; the run ends by itself and touches only loopback.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use age::x25519;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use seal::{Day, Field, FieldValue, RecipientSet, Submission};
use sealform_server::store::{Beside, CACHE_BYTES, Counted, SEGMENT_SIZE, Store, week_of};
use support::{cpu_seconds, folder_bytes, memory_kib};

mod support;

/// A round stops early past this, whatever it reached.
const ROUND_TIME_LIMIT: Duration = Duration::from_secs(60);
/// The concurrencies every server is measured at.
const CONCURRENCIES: [usize; 4] = [1, 8, 32, 64];
/// `GET /` requests in the page round.
const PAGE_REQUESTS: usize = 30_000;
/// Which role this process plays when started by the benchmark itself.
const ROLE_VARIABLE: &str = "SEALFORM_BENCH_BASELINE";

fn main() {
    match std::env::var(ROLE_VARIABLE).as_deref() {
        Ok("parse") => serve_baseline(Router::new().route("/sign", post(parse_only))),
        Ok("store") => serve_ceiling(),
        _ => run_benchmark(),
    }
}

// ---------------------------------------------------------------------------------------------
// The baselines, each in a process of its own.

/// A baseline's page for `GET /`: just a token field, so the client's loop is the product's.
const BASELINE_PAGE: &str = "<input type=\"hidden\" name=\"token\" value=\"0\">";

fn serve_baseline(app: Router) {
    let app = app.route("/", get(|| async { BASELINE_PAGE }));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("listening on http://{}", listener.local_addr().unwrap());
        axum::serve(listener, app).await.unwrap();
    });
}

/// Baseline (a): parse the form body, answer 200.
async fn parse_only(body: Bytes) -> &'static str {
    let fields = form_urlencoded::parse(&body).count();
    assert!(fields > 0);
    "ok"
}

/// What baseline (b) needs: the keys, one sled tree, and the group commit's queue.
struct Ceiling {
    recipients: RecipientSet,
    records: sled::Tree,
    commits: std::sync::mpsc::Sender<tokio::sync::oneshot::Sender<()>>,
}

fn serve_ceiling() {
    let recipients: Vec<x25519::Recipient> = std::env::var("SEALFORM_BENCH_RECIPIENTS")
        .unwrap()
        .split(',')
        .map(|key| key.parse().unwrap())
        .collect();
    let data = PathBuf::from(std::env::var("SEALFORM_BENCH_DATA").unwrap());
    let db = open_ceiling_db(&data);
    let records = db.open_tree("records").unwrap();
    let log = std::fs::File::open(data.join("db")).unwrap();
    let (commits, waiting) = std::sync::mpsc::channel::<tokio::sync::oneshot::Sender<()>>();
    std::thread::spawn(move || {
        while let Ok(first) = waiting.recv() {
            let batch: Vec<_> = std::iter::once(first).chain(waiting.try_iter()).collect();
            db.flush().unwrap();
            log.sync_data().unwrap();
            for writer in batch {
                let _ = writer.send(());
            }
        }
    });
    let ceiling = Arc::new(Ceiling {
        recipients: RecipientSet::new(recipients).unwrap(),
        records,
        commits,
    });
    serve_baseline(
        Router::new()
            .route("/sign", post(seal_and_store))
            .with_state(ceiling),
    );
}

fn open_ceiling_db(data: &Path) -> sled::Db {
    sled::Config::new()
        .path(data)
        .segment_size(SEGMENT_SIZE)
        .cache_capacity(CACHE_BYTES)
        .flush_every_ms(None)
        .open()
        .unwrap()
}

/// Baseline (b): parse, seal, insert, wait for the group commit's `fdatasync`, answer 200.
async fn seal_and_store(State(ceiling): State<Arc<Ceiling>>, body: Bytes) -> &'static str {
    let fields: Vec<Field> = form_urlencoded::parse(&body)
        .map(|(name, value)| Field::new(name.into_owned(), FieldValue::Text(value.into_owned())))
        .collect();
    let submission = Submission::new(
        "open-letter".into(),
        "0".repeat(64),
        "en".into(),
        Day::of(SystemTime::now()),
        fields,
    );
    let record = seal::seal(&submission, &ceiling.recipients).unwrap();
    let id: [u8; 16] = rand::random();
    ceiling.records.insert(id, record).unwrap();
    let (done, synced) = tokio::sync::oneshot::channel();
    ceiling.commits.send(done).unwrap();
    synced.await.unwrap();
    "ok"
}

// ---------------------------------------------------------------------------------------------
// The load.

/// Realistic submissions: who signs, how, and accounts of 0.5–8 KiB in several scripts.
struct Submissions {
    next: AtomicUsize,
}

/// Phrases accounts are built from: Latin with accents, Chinese, Thai, Korean, Vietnamese,
/// Arabic, Tagalog.
const PHRASES: [&str; 7] = [
    "The raid came at night; they took our phones and our savings, ça n'était pas une aide. ",
    "他们说是来救我们的，可是把我们关了三天，没有翻译，也没有律师。",
    "ตำรวจบอกว่าเราเป็นเหยื่อ แต่กลับยึดเงินและส่งเพื่อนของเรากลับประเทศ ",
    "단속 이후에 우리는 일을 잃었고, 아무도 우리에게 무엇을 원하는지 묻지 않았다. ",
    "Họ nói là giải cứu, nhưng chúng tôi bị giam giữ và mất hết tiền tiết kiệm. ",
    "قالوا إنهم جاؤوا لإنقاذنا، لكنهم أخذوا أوراقنا ولم يسألونا ماذا نريد. ",
    "Sinabi nilang tutulungan kami, pero nawalan kami ng trabaho at tirahan. ",
];
const NAMES: [&str; 6] = [
    "Mei Lin",
    "Nguyễn Thị Hoa",
    "Somchai K.",
    "김지은",
    "Ana María Reyes",
    "فاطمة",
];
/// Account sizes in bytes, cycled: mostly short, some long.
const ACCOUNT_BYTES: [usize; 6] = [512, 1024, 1843, 1843, 4096, 8192];

impl Submissions {
    fn new() -> Self {
        Self {
            next: AtomicUsize::new(0),
        }
    }

    /// The `n`th form body, with `token`.
    fn body(&self, token: &str) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("token", token);
        // Seven in ten sign and share an account, two sign only, one only shares.
        let intent = match n % 10 {
            0 => "share",
            1 | 2 => "sign",
            _ => "sign_and_share",
        };
        form.append_pair("intent", intent);
        if intent != "share" {
            let name = NAMES[n % NAMES.len()];
            form.append_pair("name", name)
                .append_pair("email", &format!("person{n}@example.org"))
                .append_pair("postal_code", "M5V 2T6")
                .append_pair("actions", "share_social_media")
                .append_pair("actions", "join_meeting")
                .append_pair("consent_public", "on");
            if n.is_multiple_of(4) {
                form.append_pair("sign_as", "organization")
                    .append_pair(
                        "organization_name",
                        "Butterfly (Asian and Migrant Sex Workers)",
                    )
                    .append_pair("organization_type", "sex_worker_led");
            } else {
                form.append_pair("sign_as", "individual");
            }
        }
        if intent != "sign" {
            form.append_pair("harm", &account(n))
                .append_pair("consent_quote", "on");
        }
        if n.is_multiple_of(3) {
            form.append_pair(
                "comment",
                "Thank you for writing this letter. Merci. 谢谢。",
            );
        }
        form.finish()
    }
}

/// An account of about `ACCOUNT_BYTES[n % 6]` bytes of UTF-8, cut at a character boundary.
fn account(n: usize) -> String {
    let target = ACCOUNT_BYTES[n % ACCOUNT_BYTES.len()];
    let mut text = String::with_capacity(target + 64);
    let mut phrase = n;
    while text.len() < target {
        text.push_str(PHRASES[phrase % PHRASES.len()]);
        phrase += 1;
    }
    let mut cut = target;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}

fn token_of(html: &str) -> &str {
    let at =
        html.find("name=\"token\" value=\"").expect("a token") + "name=\"token\" value=\"".len();
    &html[at..at + html[at..].find('"').unwrap()]
}

/// What one round measured.
struct Round {
    acknowledged: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Round {
    fn rate(&self) -> f64 {
        self.acknowledged as f64 / self.elapsed.as_secs_f64()
    }

    /// Prints the round as a row under [`print_header`].
    fn print(&self, label: &str, concurrency: usize) {
        println!(
            "{:<34} {:>4} {:>6} {:>4} {:>8.0} {:>8.2?} {:>8.2?} {:>8.2?} {:>8.2?}",
            label,
            concurrency,
            self.acknowledged,
            self.errors,
            self.rate(),
            self.percentile(0.50),
            self.percentile(0.90),
            self.percentile(0.99),
            self.latencies.last().copied().unwrap_or_default(),
        );
    }

    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        self.latencies[((self.latencies.len() as f64 - 1.0) * p).round() as usize]
    }
}

/// One person: fetch the form, post it. `Some(latency)` when the server said thank you.
async fn one_submission(
    client: &reqwest::Client,
    base: &str,
    submissions: &Submissions,
) -> Option<Duration> {
    let page = client.get(format!("{base}/")).send().await.ok()?;
    let page = page.text().await.ok()?;
    let body = submissions.body(token_of(&page));
    let started = Instant::now();
    let response = client
        .post(format!("{base}/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .ok()?;
    let ok = response.status() == 200;
    response.bytes().await.ok()?;
    ok.then(|| started.elapsed())
}

/// `count` submissions from `concurrency` people at once, stopping after `time_limit`.
async fn round(base: &str, concurrency: usize, count: usize, time_limit: Duration) -> Round {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let submissions = Arc::new(Submissions::new());
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let client = client.clone();
            let base = base.to_string();
            let submissions = Arc::clone(&submissions);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                let mine = count / concurrency + usize::from(worker < count % concurrency);
                for _ in 0..mine {
                    if started.elapsed() > time_limit {
                        break;
                    }
                    match one_submission(&client, &base, &submissions).await {
                        Some(latency) => latencies.push(latency),
                        None => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (theirs, their_errors) = worker.await.unwrap();
        latencies.extend(theirs);
        errors += their_errors;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Round {
        acknowledged: latencies.len(),
        errors,
        elapsed,
        latencies,
    }
}

// ---------------------------------------------------------------------------------------------
// The servers under test.

/// A server process under test.
struct Server {
    child: Child,
    base: String,
    started: Instant,
}

impl Server {
    fn product(data: &Path, recipients: &[String], extra: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sealform-server"));
        command
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args([
                "--no-rate-limit",
                "--min-form-secs",
                "0",
                "--max-in-flight",
                "4096",
            ])
            .args(extra)
            .env("RUST_LOG", "error");
        for recipient in recipients {
            command.args(["--recipient", recipient]);
        }
        Server::start(command)
    }

    fn baseline(role: &str, data: &Path, recipients: &[String]) -> Server {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .env(ROLE_VARIABLE, role)
            .env("SEALFORM_BENCH_DATA", data)
            .env("SEALFORM_BENCH_RECIPIENTS", recipients.join(","));
        Server::start(command)
    }

    fn start(mut command: Command) -> Server {
        let started = Instant::now();
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
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
        Server {
            child,
            base,
            started,
        }
    }

    /// Peak and current resident memory in KiB.
    fn memory_kib(&self) -> (u64, u64) {
        memory_kib(&self.child.id().to_string())
    }

    /// User plus system CPU seconds the process has used.
    fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&self.child.id().to_string())
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// The run.

/// One server's rounds at every concurrency.
struct Series {
    label: String,
    rounds: Vec<Round>,
    cpu_per_thousand: f64,
    /// The load generator's CPU seconds per 1,000 submissions to this server.
    client_cpu_per_thousand: f64,
    peak_kib: u64,
}

fn print_header() {
    println!(
        "{:<34} {:>4} {:>6} {:>4} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "server", "c", "acked", "err", "per s", "p50", "p90", "p99", "max"
    );
}

async fn measure(label: &str, server: &Server, count: usize) -> Series {
    let cpu_before = server.cpu_seconds();
    let client_cpu_before = cpu_seconds("self");
    let mut rounds = Vec::new();
    for concurrency in concurrencies() {
        let round = round(&server.base, concurrency, count, ROUND_TIME_LIMIT).await;
        round.print(label, concurrency);
        rounds.push(round);
    }
    let acknowledged: usize = rounds.iter().map(|r| r.acknowledged).sum();
    let per_thousand = |seconds: f64| seconds * 1000.0 / acknowledged.max(1) as f64;
    let cpu_per_thousand = per_thousand(server.cpu_seconds() - cpu_before);
    // The load generator shares the cores: a server whose pages are larger costs it more.
    let client_cpu_per_thousand = per_thousand(cpu_seconds("self") - client_cpu_before);
    let (peak_kib, _) = server.memory_kib();
    println!(
        "{label}: {cpu_per_thousand:.2} CPU seconds per 1,000 submissions (server process alone; \
         the load generator {client_cpu_per_thousand:.2}), peak resident {peak_kib} KiB",
    );
    Series {
        label: label.to_string(),
        rounds,
        cpu_per_thousand,
        client_cpu_per_thousand,
        peak_kib,
    }
}

/// The product's rounds on a fresh folder `data`, checked to have stored every acknowledged
/// submission once it stopped.
async fn measure_product(data: &Path, keys: &[String], count: usize) -> Series {
    let server = Server::product(data, keys, &[]);
    let product = measure("sealform-server", &server, count).await;
    server.stop();
    check_product_stored(data, &product);
    product
}

/// Baseline (b)'s rounds on a fresh folder `data`, checked the same way.
async fn measure_ceiling(data: &Path, keys: &[String], count: usize) -> Series {
    let server = Server::baseline("store", data, keys);
    let ceiling = measure("(b) parse, seal, store, sync", &server, count).await;
    server.stop();
    check_ceiling_stored(data, &ceiling);
    ceiling
}

fn acknowledged(series: &Series) -> usize {
    series.rounds.iter().map(|r| r.acknowledged).sum()
}

/// Opens the product's data folder after its server stopped and checks that every acknowledged
/// submission is stored.
fn check_product_stored(data: &Path, series: &Series) {
    let store = Store::open(data).expect("the product's data folder opens");
    let stored = store.record_count().unwrap();
    let acked = acknowledged(series);
    println!(
        "{}: {stored} records stored for {acked} acknowledged{}",
        series.label,
        if stored == acked {
            ""
        } else {
            "  <-- MISMATCH"
        }
    );
    assert_eq!(stored, acked, "every acknowledged submission is stored");
}

fn check_ceiling_stored(data: &Path, series: &Series) {
    let stored = open_ceiling_db(data).open_tree("records").unwrap().len();
    assert_eq!(stored, acknowledged(series), "baseline (b) lost a record");
}

fn keys(count: usize) -> Vec<String> {
    (0..count)
        .map(|_| x25519::Identity::generate().to_public().to_string())
        .collect()
}

/// The concurrencies to measure: `SEALFORM_BENCH_CONCURRENCIES` (say `32` or `8,32`), or
/// [`CONCURRENCIES`].
fn concurrencies() -> Vec<usize> {
    std::env::var("SEALFORM_BENCH_CONCURRENCIES")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .filter(|list: &Vec<usize>| !list.is_empty())
        .unwrap_or_else(|| CONCURRENCIES.to_vec())
}

/// A number from the environment, or its default.
fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn run_benchmark() {
    let count = setting("SEALFORM_BENCH_SUBMISSIONS", 4000);
    let soak_secs = setting("SEALFORM_BENCH_SOAK_SECS", 120) as u64;
    let only = std::env::var("SEALFORM_BENCH_ONLY").ok();
    let only_product = only.as_deref() == Some("product");
    let only_soak = only.as_deref() == Some("soak");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        println!(
            "{count} submissions per round (GET / then POST /sign; latency is the POST), \
             2 cores shared by client and server"
        );
        if only.as_deref() == Some("pairs") {
            pairs(dir.path(), count, setting("SEALFORM_BENCH_PAIRS", 5)).await;
            return;
        }
        let mut parse_series = None;
        let key_counts: &[usize] = if only_soak { &[] } else { &[1, 3] };
        for &recipients in key_counts {
            let keys = keys(recipients);
            println!("\n== {recipients} recipient(s)");
            print_header();
            let data = dir.path().join(format!("product-{recipients}"));
            let product = measure_product(&data, &keys, count).await;

            if only_product {
                continue;
            }
            let data = dir.path().join(format!("ceiling-{recipients}"));
            let ceiling = measure_ceiling(&data, &keys, count).await;

            if parse_series.is_none() {
                let server = Server::baseline("parse", dir.path(), &keys);
                parse_series = Some(measure("(a) parse, answer 200", &server, count).await);
                server.stop();
            }
            let parse = parse_series.as_ref().unwrap();
            println!("ratios, {recipients} recipient(s):");
            for (i, concurrency) in concurrencies().iter().enumerate() {
                println!(
                    "  c={concurrency:>2}: {:.2} of (b), {:.3} of (a)",
                    product.rounds[i].rate() / ceiling.rounds[i].rate(),
                    product.rounds[i].rate() / parse.rounds[i].rate(),
                );
            }
            println!(
                "  CPU per 1,000 (server + load generator): product {:.2} + {:.2} s, (b) {:.2} + {:.2} s, (a) {:.2} + {:.2} s; peak memory: product {} KiB, (b) {} KiB",
                product.cpu_per_thousand,
                product.client_cpu_per_thousand,
                ceiling.cpu_per_thousand,
                ceiling.client_cpu_per_thousand,
                parse.cpu_per_thousand,
                parse.client_cpu_per_thousand,
                product.peak_kib,
                ceiling.peak_kib
            );
        }

        if only_product {
            return;
        }
        let keys = keys(1);
        if !only_soak {
            let data = dir.path().join("pages");
            let server = Server::product(&data, &keys, &[]);
            pages(&server).await;
            server.stop();
        }

        if soak_secs > 0 {
            let data = dir.path().join("soak");
            let length = Duration::from_secs(soak_secs);
            let server = Server::product(&data, &keys, &[]);
            let product = soak("sealform-server", &server, length).await;
            server.stop();
            let data = dir.path().join("soak-ceiling");
            let server = Server::baseline("store", &data, &keys);
            let ceiling = soak("(b)", &server, length).await;
            server.stop();
            if let (Some(product), Some(ceiling)) = (product, ceiling) {
                println!(
                    "soak: the product rose {:.0} bytes a submission where (b), on the same \
                     sled, rose {:.0}",
                    product, ceiling
                );
            }
        }
        if only_soak {
            return;
        }
        two_instances(dir.path(), &keys).await;

        let startup_records = setting("SEALFORM_BENCH_STARTUP_RECORDS", 100_000);
        if startup_records > 0 {
            startup(dir.path(), &keys, startup_records).await;
        }
    });
}

/// `SEALFORM_BENCH_ONLY=pairs`: the product and (b) in turn, `pairs` times, with one key and
/// fresh data folders; each pair's ratio, then the median, lowest and highest. This machine's
/// disk varies more from minute to minute than the servers differ, so one pair says little.
/// Every other pair runs (b) first, so that neither server always meets what the other left
/// behind (a folder being deleted, pages being written back).
async fn pairs(dir: &Path, count: usize, pairs: usize) {
    let pairs = pairs.max(1);
    let keys = keys(1);
    let levels = concurrencies();
    println!("\n== {pairs} pairs, 1 recipient: the product and (b) in turn, (b) first every other");
    print_header();
    let mut ratios = vec![Vec::new(); levels.len()];
    let mut p99s = vec![(Vec::new(), Vec::new()); levels.len()];
    for pair in 0..pairs {
        let product_data = dir.join(format!("pair-{pair}-product"));
        let ceiling_data = dir.join(format!("pair-{pair}-ceiling"));
        // Async blocks start only when awaited, so the order is the one they are awaited in.
        let product = async {
            let series = measure_product(&product_data, &keys, count).await;
            let _ = std::fs::remove_dir_all(&product_data);
            series
        };
        let ceiling = async {
            let series = measure_ceiling(&ceiling_data, &keys, count).await;
            let _ = std::fs::remove_dir_all(&ceiling_data);
            series
        };
        let (product, ceiling) = if pair % 2 == 0 {
            let product = product.await;
            (product, ceiling.await)
        } else {
            let ceiling = ceiling.await;
            (product.await, ceiling)
        };

        for (i, concurrency) in levels.iter().enumerate() {
            let ratio = product.rounds[i].rate() / ceiling.rounds[i].rate();
            println!("  pair {}, c={concurrency}: {ratio:.2} of (b)", pair + 1);
            ratios[i].push(ratio);
            p99s[i].0.push(product.rounds[i].percentile(0.99));
            p99s[i].1.push(ceiling.rounds[i].percentile(0.99));
        }
    }
    for (i, concurrency) in levels.iter().enumerate() {
        ratios[i].sort_by(f64::total_cmp);
        p99s[i].0.sort();
        p99s[i].1.sort();
        println!(
            "c={concurrency}: median {:.2} of (b) over {pairs} pairs (lowest {:.2}, highest {:.2}); \
             median p99 {:.2?} for the product, {:.2?} for (b)",
            ratios[i][pairs / 2],
            ratios[i][0],
            ratios[i][pairs - 1],
            p99s[i].0[pairs / 2],
            p99s[i].1[pairs / 2],
        );
    }
}

/// `GET /` pages per second at 32 at once, and what the letter page weighs.
async fn pages(server: &Server) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(32)
        .build()
        .unwrap();
    let body_of = |path: &str| {
        let request = client.get(format!("{}{path}", server.base));
        async move { request.send().await.unwrap().bytes().await.unwrap() }
    };
    let (page, css) = (body_of("/").await, body_of("/static/style.css").await);
    println!(
        "\nletter page: {} bytes + stylesheet {} bytes = {} bytes",
        page.len(),
        css.len(),
        page.len() + css.len()
    );
    let started = Instant::now();
    let workers: Vec<_> = (0..32)
        .map(|_| {
            let client = client.clone();
            let url = format!("{}/", server.base);
            tokio::spawn(async move {
                let mut served = 0;
                for _ in 0..PAGE_REQUESTS / 32 {
                    let response = client.get(&url).send().await.unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap();
                    served += 1;
                }
                served
            })
        })
        .collect();
    let mut served = 0;
    for worker in workers {
        served += worker.await.unwrap();
    }
    println!(
        "GET /: {served} pages in {:.2?}: {:.0} pages a second at 32 at once",
        started.elapsed(),
        served as f64 / started.elapsed().as_secs_f64()
    );
}

/// Submissions to `label`'s server at 32 at once for `length`, with its resident memory every
/// 10 s. Returns how many bytes it rose a submission from the first sample to the last: what
/// sled keeps for every record the folder holds (docs/PERFORMANCE.md). The baseline (b) keeps
/// records in the same sled, so what both rise is sled's, and only a difference the product's.
async fn soak(label: &str, server: &Server, length: Duration) -> Option<f64> {
    println!(
        "\nsoak, {label}: 32 at once for {length:?}, one recipient; resident memory every 10 s"
    );
    let pid = server.child.id();
    let sample_count = (length.as_secs() / 10) as usize;
    let sampler = tokio::spawn(async move {
        let mut samples = Vec::new();
        let mut ticks = tokio::time::interval(Duration::from_secs(10));
        ticks.tick().await;
        while samples.len() < sample_count {
            ticks.tick().await;
            let (_, now) = memory_kib(&pid.to_string());
            if now == 0 {
                break;
            }
            println!("  resident {now} KiB");
            samples.push(now);
        }
        samples
    });
    let round = round(&server.base, 32, usize::MAX / 2, length).await;
    let (peak, _) = server.memory_kib();
    let samples = sampler.await.unwrap_or_default();
    println!(
        "soak, {label}: {} acknowledged, {} errors, {:.0} a second, p99 {:.2?}, peak resident \
         {peak} KiB",
        round.acknowledged,
        round.errors,
        round.rate(),
        round.percentile(0.99)
    );
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
        return None;
    };
    if samples.len() < 2 {
        return None;
    }
    let seconds = (samples.len() - 1) as f64 * 10.0;
    let submissions = round.rate() * seconds;
    let rise_kib = last.saturating_sub(*first);
    let per_submission = rise_kib as f64 * 1024.0 / submissions;
    println!(
        "soak, {label}: +{rise_kib} KiB from the first sample to the last ({seconds:.0} s, about \
         {submissions:.0} submissions): {per_submission:.0} bytes a submission"
    );
    Some(per_submission)
}

/// Two instances sharing one form-token key file behind Caddy on loopback, which sends each
/// request to the next instance in turn: a form served by one is sent to the other half the
/// time. Checks that every acknowledged submission is in one of the two data folders.
async fn two_instances(dir: &Path, keys: &[String]) {
    if Command::new("caddy").arg("version").output().is_err() {
        println!("\ntwo instances: caddy is not installed, skipped");
        return;
    }
    let key_file = dir.join("token.key");
    let key_flag = key_file.to_str().unwrap();
    let data = [dir.join("instance-1"), dir.join("instance-2")];
    // The first makes the key file; the second reads it.
    let first = Server::product(&data[0], keys, &["--token-key-file", key_flag]);
    let second = Server::product(&data[1], keys, &["--token-key-file", key_flag]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let upstream = |server: &Server| server.base.trim_start_matches("http://").to_string();
    let caddyfile = format!(
        "{{\n\tadmin off\n\tauto_https off\n}}\nhttp://127.0.0.1:{port} {{\n\treverse_proxy {} {} {{\n\t\tlb_policy round_robin\n\t\theader_up -Cookie\n\t}}\n}}\n",
        upstream(&first),
        upstream(&second)
    );
    let home = dir.join("caddy");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("Caddyfile"), caddyfile).unwrap();
    let mut caddy = Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(home.join("Caddyfile"))
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("caddy starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let ready = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            ready.elapsed() < Duration::from_secs(15),
            "caddy did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("\ntwo instances behind Caddy (round robin), one shared --token-key-file:");
    print_header();
    let round = round(&base, 32, 4000, ROUND_TIME_LIMIT).await;
    round.print("2 x sealform-server + caddy", 32);
    let _ = caddy.kill();
    let _ = caddy.wait();
    first.stop();
    second.stop();
    let stored: Vec<usize> = data
        .iter()
        .map(|data| Store::open(data).unwrap().record_count().unwrap())
        .collect();
    println!(
        "two instances: {} and {} records stored, {} acknowledged",
        stored[0], stored[1], round.acknowledged
    );
    assert_eq!(stored.iter().sum::<usize>(), round.acknowledged);
    assert!(
        stored.iter().all(|&n| n > 0),
        "both instances stored records"
    );
}

/// Fetches `GET /` from `server` once; the server is up when it answers.
async fn first_page(client: &reqwest::Client, server: &Server) {
    let page = client
        .get(format!("{}/", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
}

/// Start-up time on a data folder of `records` records: from spawning the server to its first
/// answered `GET /`, best of three.
async fn startup(dir: &Path, keys: &[String], records: usize) {
    let data = dir.join("startup");
    let store = Store::open(&data).unwrap();
    let recipients =
        RecipientSet::new(keys.iter().map(|key| key.parse().unwrap()).collect()).unwrap();
    let started = Instant::now();
    let filling: Vec<_> = (0..64)
        .map(|writer| {
            let store = store.clone();
            let recipients = recipients.clone();
            tokio::spawn(async move {
                for n in (writer..records).step_by(64) {
                    let submission = Submission::new(
                        "open-letter".into(),
                        "0".repeat(64),
                        "en".into(),
                        Day::of(SystemTime::now()),
                        vec![Field::new("harm", FieldValue::Text(account(n)))],
                    );
                    let record = seal::seal(&submission, &recipients).unwrap();
                    let beside = Beside {
                        recipients: recipients.fingerprint(),
                        counted: Counted::AsSignature,
                        receipt: Some(rand::random()),
                        week: week_of(SystemTime::now()),
                    };
                    store.put(record, beside).await.unwrap();
                }
            })
        })
        .collect();
    for writer in filling {
        writer.await.unwrap();
    }
    let written = started.elapsed();
    let closing = Instant::now();
    store.close().await.unwrap();
    drop(store);
    println!(
        "\nstart-up: {records} records written in {written:.1?}, the store closed in {:.1?}, \
         data folder {} MiB",
        closing.elapsed(),
        folder_bytes(&data) / (1024 * 1024)
    );
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for _ in 0..3 {
        let server = Server::product(&data, keys, &[]);
        first_page(&client, &server).await;
        times.push(server.started.elapsed());
        server.stop();
    }
    times.sort();
    println!(
        "start-up on {records} records, spawn to first page: best {:.1?}, worst {:.1?}",
        times[0], times[2]
    );
    // After a crash: the server is killed outright, and the next start recovers sled's log.
    let mut killed = Server::product(&data, keys, &[]);
    first_page(&client, &killed).await;
    let _ = killed.child.kill();
    let _ = killed.child.wait();
    let server = Server::product(&data, keys, &[]);
    first_page(&client, &server).await;
    println!(
        "start-up on {records} records after the server was killed (SIGKILL): {:.1?}",
        server.started.elapsed()
    );
    server.stop();
}
