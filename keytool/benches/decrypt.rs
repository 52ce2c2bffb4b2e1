//! `cargo bench -p sealform-keytool --bench decrypt`: how fast the release `sealform-keytool`
//! opens many one-recipient records, and in how much memory, beside Debian's `age` CLI opening the
//! same records one process at a time.
//!
//! The benchmark makes an X25519 identity and seals 100,000 realistic submissions to it with the
//! seal crate, as the server does: the built-in campaign's questions, signers and sharers, names,
//! and a testimony or comment of 0.5–8 KiB in several scripts in every record. They go into a temporary export folder
//! (`<id>.age` files and the `index.tsv` the server's export writes) and a vault beside it (the same
//! files, hard-linked, with the campaign file), and the first 10,000 and 50,000 into folders of
//! their own. It then runs, for each size:
//!
//! - `decrypt -i key.txt --out letter.csv export/` (CSV, the organizer's usual export);
//! - `report --vault vault/ -i key.txt` (counts and charts, one HTML file);
//!
//! each measured for wall time, records per second, user and system CPU seconds and peak resident
//! memory (`/usr/bin/time`, or `/proc` sampling where it is missing). Memory that does not grow
//! from 10,000 to 100,000 records shows the tool streams. Last, it times `age -d -i key.txt FILE`
//! over a sample of 1,000 records, one process each, and gives the ratio.
//!
//! Everything happens in one temporary folder (under `TMPDIR`), removed at the end. Each run
//! is stopped after [`RUN_TIME_LIMIT`]. `SEALFORM_BENCH_RECORDS=2000,5000` runs other sizes (the
//! largest is generated). Results and method: docs/PERFORMANCE.md.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use age::secrecy::ExposeSecret;
use age::x25519;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use seal::{Day, ExportIndex, Field, FieldValue, RecipientSet, RecordId, Submission};
use sealform_campaign::{Campaign, FieldKind, Intent};
use sha2::{Digest, Sha256};

/// The sizes measured, unless `SEALFORM_BENCH_RECORDS` says otherwise.
const SIZES: [usize; 3] = [10_000, 50_000, 100_000];
/// How many records the `age` CLI opens, one process each.
const AGE_SAMPLE: usize = 1_000;
/// A run of the key tool is stopped after this, whatever it reached.
const RUN_TIME_LIMIT: Duration = Duration::from_secs(600);
/// The `age` sample stops after this.
const AGE_TIME_LIMIT: Duration = Duration::from_secs(120);
/// Where Debian's `age` is installed.
const AGE_CLI: &str = "/usr/bin/age";
/// GNU time, which reports a child's CPU time and peak memory.
const GNU_TIME: &str = "/usr/bin/time";

fn main() {
    let sizes = sizes();
    let largest = *sizes.iter().max().expect("at least one size");
    let dir = tempfile::Builder::new()
        .prefix("sealform-keytool-bench")
        .tempdir()
        .expect("a temporary folder");
    let root = dir.path();
    let tool = env!("CARGO_BIN_EXE_sealform-keytool");
    println!("key tool: {tool}");
    println!(
        "cores: {}, load average before: {}",
        std::thread::available_parallelism().map_or(1, usize::from),
        load_average()
    );

    let identity = x25519::Identity::generate();
    let key = root.join("key.txt");
    fs::write(
        &key,
        format!(
            "# public key: {}\n{}\n",
            identity.to_public(),
            identity.to_string().expose_secret()
        ),
    )
    .unwrap();
    let recipients = RecipientSet::new(vec![identity.to_public()]).unwrap();
    let campaign = Campaign::builtin();

    let started = Instant::now();
    let all = root.join("all");
    fs::create_dir(&all).unwrap();
    let records = generate(&all, largest, &campaign, &recipients);
    let bytes: u64 = records.iter().map(|r| r.bytes).sum();
    println!(
        "sealed {largest} records ({:.1} MiB, {:.1} KiB each on average) in {:.1} s",
        mib(bytes),
        bytes as f64 / 1024.0 / largest as f64,
        started.elapsed().as_secs_f64()
    );

    let mut rows = Vec::new();
    for &size in &sizes {
        let export = root.join(format!("export-{size}"));
        let vault = root.join(format!("vault-{size}"));
        lay_out(
            &all,
            &records[..size],
            &recipients,
            &campaign,
            &export,
            &vault,
        );

        let csv = root.join(format!("letter-{size}.csv"));
        let measured = run_measured(
            Command::new(tool)
                .args(["decrypt", "-i"])
                .arg(&key)
                .arg("--out")
                .arg(&csv)
                .arg(&export),
        );
        let csv_bytes = fs::metadata(&csv).map_or(0, |m| m.len());
        rows.push(Row {
            what: "decrypt --out x.csv export/",
            records: size,
            measured,
            output: csv_bytes,
        });
        fs::remove_file(&csv).ok();

        let html = root.join(format!("report-{size}.html"));
        let measured = run_measured(
            Command::new(tool)
                .args(["report", "--vault"])
                .arg(&vault)
                .arg("-i")
                .arg(&key)
                .arg("--out")
                .arg(&html),
        );
        let html_bytes = fs::metadata(&html).map_or(0, |m| m.len());
        rows.push(Row {
            what: "report --vault vault/",
            records: size,
            measured,
            output: html_bytes,
        });
        fs::remove_file(&html).ok();
        println!(
            "{size} records measured; load average now {}",
            load_average()
        );
    }

    println!();
    println!(
        "{:<30} {:>8} {:>8} {:>10} {:>9} {:>9} {:>10} {:>11}",
        "run", "records", "wall s", "records/s", "user s", "sys s", "CPU/wall", "peak MiB"
    );
    for row in &rows {
        let m = &row.measured;
        println!(
            "{:<30} {:>8} {:>8.2} {:>10.0} {:>9} {:>9} {:>10} {:>11.1}",
            row.what,
            row.records,
            m.wall.as_secs_f64(),
            row.records as f64 / m.wall.as_secs_f64(),
            m.user.map_or("-".into(), |s| format!("{s:.2}")),
            m.sys.map_or("-".into(), |s| format!("{s:.2}")),
            m.user.zip(m.sys).map_or("-".into(), |(u, s)| format!(
                "{:.2}",
                (u + s) / m.wall.as_secs_f64()
            )),
            m.peak_kib as f64 / 1024.0,
        );
    }
    for row in &rows {
        println!(
            "{} over {} records wrote {:.1} MiB",
            row.what,
            row.records,
            mib(row.output)
        );
    }

    let decrypt_rate = rows
        .iter()
        .filter(|row| row.what.starts_with("decrypt") && row.records == largest)
        .map(|row| row.records as f64 / row.measured.wall.as_secs_f64())
        .next()
        .unwrap();
    println!();
    match age_cli(&key, &all, &records) {
        None => println!("age CLI: {AGE_CLI} is missing; its comparison is skipped"),
        Some((opened, elapsed)) => {
            let rate = opened as f64 / elapsed.as_secs_f64();
            println!(
                "age CLI: {opened} records, one `age -d -i key.txt FILE` each, in {:.2} s: {rate:.0} records/s",
                elapsed.as_secs_f64()
            );
            println!(
                "key tool decrypt ÷ age CLI: {:.1}× (target: at least 20×)",
                decrypt_rate / rate
            );
        }
    }
    println!(
        "key tool decrypt at {largest} records: {decrypt_rate:.0} records/s (target: at least 10,000)"
    );
    for what in ["decrypt", "report"] {
        let peaks: Vec<String> = rows
            .iter()
            .filter(|row| row.what.starts_with(what))
            .map(|row| {
                format!(
                    "{:.1} MiB at {}",
                    row.measured.peak_kib as f64 / 1024.0,
                    row.records
                )
            })
            .collect();
        println!("{what} peak memory: {}", peaks.join(", "));
    }
    println!("load average after: {}", load_average());
}

/// The sizes to measure, smallest first.
fn sizes() -> Vec<usize> {
    let mut sizes = match std::env::var("SEALFORM_BENCH_RECORDS") {
        Ok(list) => list
            .split(',')
            .map(|n| {
                n.trim()
                    .replace('_', "")
                    .parse()
                    .expect("a number of records")
            })
            .collect(),
        Err(_) => SIZES.to_vec(),
    };
    sizes.sort_unstable();
    sizes.dedup();
    sizes
}

/// One generated record file.
struct Record {
    id: RecordId,
    sha256: String,
    bytes: u64,
}

/// Seals `count` submissions into `dir` as `<id>.age`, on every core; returns them in the order
/// made.
fn generate(
    dir: &Path,
    count: usize,
    campaign: &Campaign,
    recipients: &RecipientSet,
) -> Vec<Record> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per_thread = count.div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut rng = StdRng::seed_from_u64(0x5ea1_f0e3 + t as u64);
                    let start = t * per_thread;
                    let end = count.min(start + per_thread);
                    (start..end)
                        .map(|_| {
                            let submission = submission(&mut rng, campaign);
                            let record = seal::seal(&submission, recipients).unwrap();
                            let id = RecordId::random();
                            fs::write(dir.join(format!("{id}.age")), &record).unwrap();
                            Record {
                                id,
                                sha256: hex::encode(Sha256::digest(&record)),
                                bytes: record.len() as u64,
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    })
}

/// An export folder (hard links to the records, and the server export's `index.tsv`) and a vault
/// (`records/`, its `index.tsv`, and the campaign file the records name).
fn lay_out(
    all: &Path,
    records: &[Record],
    recipients: &RecipientSet,
    campaign: &Campaign,
    export: &Path,
    vault: &Path,
) {
    fs::create_dir(export).unwrap();
    fs::create_dir_all(vault.join("records")).unwrap();
    fs::create_dir(vault.join("campaigns")).unwrap();
    let mut index = ExportIndex::default();
    let mut vault_index = String::new();
    for record in records {
        let name = format!("{}.age", record.id);
        fs::hard_link(all.join(&name), export.join(&name)).unwrap();
        fs::hard_link(all.join(&name), vault.join("records").join(&name)).unwrap();
        index.push(record.id, recipients.fingerprint());
        writeln!(
            vault_index,
            "{}\t{}\thttps://letter.example.org",
            record.id, record.sha256
        )
        .unwrap();
    }
    fs::write(export.join(seal::EXPORT_INDEX_FILE), index.to_text()).unwrap();
    fs::write(vault.join("index.tsv"), vault_index).unwrap();
    fs::write(
        vault
            .join("campaigns")
            .join(format!("{}.toml", campaign.version())),
        campaign.source_text(),
    )
    .unwrap();
}

/// Words in the scripts people write testimonies in, with the punctuation and quotes a CSV
/// export must quote.
const WORDS: &[&str] = &[
    "the",
    "police",
    "came",
    "to",
    "the",
    "parlour",
    "again,",
    "and",
    "asked",
    "for",
    "papers.",
    "We",
    "were",
    "afraid",
    "\"rescue\"",
    "meant",
    "arrest",
    "—",
    "déjà",
    "vu",
    "for",
    "Zoë.",
    "警察",
    "又来了",
    "我们",
    "很害怕",
    "她被罚款",
    "。",
    "경찰이",
    "다시",
    "왔어요",
    "무서웠어요",
    "Cảnh",
    "sát",
    "lại",
    "đến",
    "tiệm",
    "chúng",
    "tôi",
    "sợ",
    "hãi",
    "ตำรวจ",
    "มาอีกแล้ว",
    "Полиция",
    "снова",
    "пришла",
    "الشرطة",
    "جاءت",
    "مرة",
    "أخرى",
    "पुलिस",
    "फिर",
    "आई",
    "😔",
    "✊",
    "=1+1",
];

/// Text of `bytes_min..=bytes_max` bytes of UTF-8, with paragraphs.
fn text(rng: &mut StdRng, bytes_min: usize, bytes_max: usize) -> String {
    let target = rng.random_range(bytes_min..=bytes_max);
    let mut text = String::with_capacity(target + 32);
    while text.len() < target {
        if !text.is_empty() {
            text.push(if rng.random_ratio(1, 40) { '\n' } else { ' ' });
        }
        text.push_str(WORDS[rng.random_range(0..WORDS.len())]);
    }
    text
}

/// A submission as the server's validation makes one from a filled-in form of `campaign`: the
/// intent first, then every question in the form's order, blank where it was not asked.
fn submission(rng: &mut StdRng, campaign: &Campaign) -> Submission {
    let intent = match rng.random_range(0..100) {
        0..70 => Intent::Sign,
        70..85 => Intent::SignAndShare,
        _ => Intent::Share,
    };
    let mut fields = vec![Field::new(
        sealform_campaign::INTENT_FIELD,
        FieldValue::Choice(intent.value().into()),
    )];
    let testimony = campaign.testimony();
    for spec in campaign.fields() {
        let asked = spec.asked.includes(intent);
        let value = match spec.kind {
            _ if !asked => match spec.kind {
                FieldKind::SingleChoice => FieldValue::Choice(String::new()),
                FieldKind::MultiChoice => FieldValue::Choices(Vec::new()),
                FieldKind::Consent => FieldValue::Consent(false),
                _ => FieldValue::Text(String::new()),
            },
            // Everyone writes 0.5–8 KiB: a sharer in the testimony, a signer in a comment.
            FieldKind::LongText if Some(spec.name.as_str()) == testimony => {
                FieldValue::Text(text(rng, 512, 8 * 1024))
            }
            FieldKind::LongText if intent == Intent::Sign => {
                FieldValue::Text(text(rng, 512, 8 * 1024))
            }
            FieldKind::LongText if rng.random_ratio(1, 3) => FieldValue::Text(text(rng, 40, 600)),
            FieldKind::LongText => FieldValue::Text(String::new()),
            FieldKind::ShortText => FieldValue::Text(text(rng, 6, 40)),
            FieldKind::Email => {
                FieldValue::Text(format!("signer{}@example.org", rng.random::<u32>()))
            }
            FieldKind::PostalCode => FieldValue::Text("M5V 2T6".into()),
            FieldKind::SingleChoice => {
                let options = &spec.options;
                FieldValue::Choice(options[rng.random_range(0..options.len())].value.clone())
            }
            FieldKind::MultiChoice => FieldValue::Choices(
                spec.options
                    .iter()
                    .filter(|_| rng.random_ratio(1, 3))
                    .map(|option| option.value.clone())
                    .collect(),
            ),
            FieldKind::Consent => FieldValue::Consent(rng.random_ratio(1, 2)),
        };
        fields.push(Field::new(spec.name.clone(), value));
    }
    let day = Day::from_days_since_epoch(20_758 + rng.random_range(0..45));
    Submission::new(
        campaign.id().to_owned(),
        campaign.version().to_owned(),
        campaign.language().to_owned(),
        day,
        fields,
    )
}

/// What one run of the key tool cost.
struct Measured {
    wall: Duration,
    user: Option<f64>,
    sys: Option<f64>,
    peak_kib: u64,
}

struct Row {
    what: &'static str,
    records: usize,
    measured: Measured,
    output: u64,
}

/// Runs `command` (standard output discarded) and measures it: under GNU time when there is one,
/// else by sampling `/proc`. Panics if it fails or outlives [`RUN_TIME_LIMIT`].
fn run_measured(command: &mut Command) -> Measured {
    let stats = tempfile::NamedTempFile::new().unwrap();
    let timed = Path::new(GNU_TIME).exists();
    let mut full = if timed {
        let mut full = Command::new(GNU_TIME);
        full.args(["-f", "%e %U %S %M", "-o"])
            .arg(stats.path())
            .arg(command.get_program())
            .args(command.get_args());
        full
    } else {
        let mut full = Command::new(command.get_program());
        full.args(command.get_args());
        full
    };
    {
        use std::os::unix::process::CommandExt;
        full.process_group(0);
    }
    let started = Instant::now();
    let mut child = full
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let drain = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let pid = child.id();
    let (mut peak_kib, mut cpu) = (0, None);
    let status: ExitStatus = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if !timed {
            peak_kib = peak_kib.max(status_kib(pid, "VmHWM:"));
            cpu = cpu_seconds(pid).or(cpu);
        }
        if started.elapsed() > RUN_TIME_LIMIT {
            let group = rustix::process::Pid::from_raw(pid.try_into().unwrap()).unwrap();
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
            let _ = child.wait();
            panic!("{command:?} ran past {RUN_TIME_LIMIT:?} and was stopped");
        }
        std::thread::sleep(Duration::from_millis(if timed { 20 } else { 5 }));
    };
    let wall = started.elapsed();
    let stderr = drain.join().unwrap();
    assert!(status.success(), "{command:?} failed: {status}\n{stderr}");
    if !timed {
        return Measured {
            wall,
            user: cpu.map(|(user, _)| user),
            sys: cpu.map(|(_, sys)| sys),
            peak_kib,
        };
    }
    let text = fs::read_to_string(stats.path()).unwrap();
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [_elapsed, user, sys, peak] = fields[fields.len() - 4..] else {
        panic!("unexpected output of {GNU_TIME}: {text}");
    };
    Measured {
        wall,
        user: user.parse().ok(),
        sys: sys.parse().ok(),
        peak_kib: peak.parse().unwrap(),
    }
}

/// A `kB` line of `/proc/<pid>/status`, or 0.
fn status_kib(pid: u32, key: &str) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0)
}

/// User and system CPU seconds of a live process, from `/proc/<pid>/stat` (clock ticks of
/// 1/100 s, as on every Linux this runs on).
fn cpu_seconds(pid: u32) -> Option<(f64, f64)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    let ticks = |at: usize| fields.get(at)?.parse::<f64>().ok().map(|t| t / 100.0);
    Some((ticks(11)?, ticks(12)?))
}

/// Opens a sample of the records with Debian's `age` CLI, one process per file, as an organizer
/// without the key tool would: how many it opened, and how long that took. `None` without `age`.
fn age_cli(key: &Path, all: &Path, records: &[Record]) -> Option<(usize, Duration)> {
    if !Path::new(AGE_CLI).exists() {
        return None;
    }
    let sample: Vec<PathBuf> = records
        .iter()
        .take(AGE_SAMPLE)
        .map(|record| all.join(format!("{}.age", record.id)))
        .collect();
    let started = Instant::now();
    let mut opened = 0;
    for file in &sample {
        let status = Command::new(AGE_CLI)
            .arg("-d")
            .arg("-i")
            .arg(key)
            .arg(file)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "age could not open {}", file.display());
        opened += 1;
        if started.elapsed() > AGE_TIME_LIMIT {
            break;
        }
    }
    Some((opened, started.elapsed()))
}

/// `/proc/loadavg`'s first three numbers: how busy the machine was.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1024.0 / 1024.0
}
