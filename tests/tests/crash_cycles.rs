//! The store survives being killed again and again: the real server is started on one data
//! folder, many people sign at once, and the server is killed with SIGKILL at a random moment —
//! sometimes while it is still starting (opening the store), sometimes while it is stopping
//! after a SIGTERM (closing the store, which opens it once more for sled's snapshot) — then
//! started again, cycle after cycle. At the end the server must still start and stop cleanly, and the export, opened with
//! the real key tool, must hold every signature that was thanked for exactly once, and nothing
//! that was never sent; and the public count must be the number of records (the count lists a
//! batch's signatures as pending before their records are written, and opening the store adds
//! those it finds). A signature sent but not thanked for may or may not be there (the kill
//! can fall between the write and the answer).
//!
//! A control proves the harness can fail: a fake server that thanks *before* it writes is put
//! through the same cycles and the same comparison, which must find acknowledged signatures
//! missing.
//!
//! The kill schedule comes from a seeded generator; the seed is printed first, and
//! `SEALFORM_CRASH_SEED=<seed>` replays the same schedule (the moments the kills land on still
//! depend on timing). `SEALFORM_CRASH_CYCLES=<n>` runs a longer soak, e.g.
//! `SEALFORM_CRASH_CYCLES=1000 cargo test -p sealform-e2e --test crash_cycles -- --nocapture`.
//!
//! Like `crash.rs`, this catches what a killed process loses (whatever it had not handed to the
//! kernel) and what a store does when reopened after an abrupt stop; what only a power cut would
//! lose is `durability.rs`'s concern.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::ExitStatusExt;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use support::{Site, form_token, workspace_bin};

/// Cycles in the suite; `SEALFORM_CRASH_CYCLES` sets another number.
const DEFAULT_CYCLES: usize = 50;
/// People signing at once in every cycle.
const WRITERS: usize = 6;
/// Once the server serves, it is killed after a random time below this.
const MAX_LOAD: Duration = Duration::from_millis(700);
/// One serving cycle in this many is first asked to stop (SIGTERM), then killed after a random
/// time below [`MAX_STOPPING`], while it finishes requests, syncs and closes the store.
const STOP_KILL_ONE_IN: u64 = 3;
const MAX_STOPPING: Duration = Duration::from_millis(40);
/// One cycle in this many (and always the first, which creates the store) kills the server
/// while it is starting instead.
const STARTUP_KILL_ONE_IN: u64 = 4;
/// The cycles stop by this much time, plus this much per cycle (the 50 cycles of the suite take
/// about 20 s on two cores); a run cut short by it fails.
const TIME_BASE: Duration = Duration::from_secs(30);
const TIME_PER_CYCLE: Duration = Duration::from_secs(2);
/// After the cycles, the final start, stop, export and decryption have this long before the
/// watchdog ends the whole test process.
const TIME_TO_CHECK: Duration = Duration::from_secs(180);
/// How long a start may take before it counts as failed.
const START_LIMIT: Duration = Duration::from_secs(30);
/// A client gives up on a request after this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Cycles of the control, and how long its fake server waits between thanking and writing.
const CONTROL_CYCLES: usize = 8;
const FAKE_WRITE_DELAY: Duration = Duration::from_millis(250);
/// Set in the fake server's environment: the file it appends every thanked-for nonce to.
const FAKE_STORE_ENV: &str = "SEALFORM_CRASH_FAKE_STORE";
/// The test that is the fake server when run with [`FAKE_STORE_ENV`] set.
const FAKE_SERVER_TEST: &str = "fake_server_for_the_control";

#[test]
fn every_acknowledged_signature_survives_repeated_kills() {
    let seed = seed();
    let cycles = env_number("SEALFORM_CRASH_CYCLES").map_or(DEFAULT_CYCLES, |n| n as usize);
    println!("crash cycles: seed {seed} (replay with SEALFORM_CRASH_SEED={seed}), {cycles} cycles");
    let started = Instant::now();
    let site = Site::new(1);
    let mut args = vec![
        "--listen".to_string(),
        "127.0.0.1:0".to_string(),
        "--data-dir".to_string(),
        site.data.to_str().unwrap().to_string(),
        "--min-form-secs".to_string(),
        "0".to_string(),
        "--no-rate-limit".to_string(),
    ];
    for organizer in &site.organizers {
        args.extend(["--recipient".to_string(), organizer.recipient.clone()]);
    }
    let server = workspace_bin("sealform-server");
    let command = || {
        let mut command = Command::new(&server);
        command.args(&args).env("RUST_LOG", "trace");
        command
    };
    let plan = Plan::new(cycles, STARTUP_KILL_ONE_IN, STOP_KILL_ONE_IN);
    let watchdog = Watchdog::start(plan.deadline + TIME_TO_CHECK, seed);

    let run = match run_cycles(&command, &plan, "nonce", seed, &watchdog) {
        Ok(run) => run,
        Err(failure) => fail(site, seed, &failure),
    };
    let cycles_took = started.elapsed();

    // The store opens once more after the last kill, and a graceful stop closes it cleanly.
    let last = Launched::spawn(command());
    watchdog.watch(&last);
    let base = match last.wait_listening(START_LIMIT) {
        Ok(base) => base,
        Err(problem) => {
            let log = last.kill().1;
            let failure = format!(
                "after the last cycle the server did not start: {problem}\n\
                 its log:\n{log}\nthe last cycle's log (tail):\n{}",
                tail(run.logs.last().map_or("", String::as_str))
            );
            fail(site, seed, &failure);
        }
    };
    // A kill can cut a batch anywhere; opening the store makes the count that of the records
    // left.
    let counted = public_count(&base);
    if let Err(failure) = last.stop() {
        fail(site, seed, &failure);
    }

    // The key tool exits non-zero (and decrypt_json fails) unless every record opened.
    let opened = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let records = site.export();
        let rows = site.decrypt_json(0);
        let stored: Vec<String> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["fields"]["name"].as_str().unwrap().to_string())
            .collect();
        (records.len(), stored)
    }));
    let Ok((records, stored)) = opened else {
        fail(
            site,
            seed,
            "exporting or opening the records failed: see the message above",
        );
    };
    if stored.len() != records {
        let failure = format!("{records} records exported, but {} opened", stored.len());
        fail(site, seed, &failure);
    }
    // Every form sent is a signature, so the count is the number of records.
    if counted != Some(records as u64) {
        let failure = format!("{records} records stored, but the page counts {counted:?}");
        fail(site, seed, &failure);
    }
    let comparison = compare(&run.tally, &stored);
    println!(
        "crash cycles: seed {seed}, {} of {cycles} cycles, {} kills during start-up ({} tried), \
         {} kills while stopping ({} tried), slowest start {} ms, {} signatures sent, {} acknowledged, {} records ({} stored \
         without a thank-you), {} lost, {} stored twice or more, {} unknown; cycles {:.1} s, in \
         all {:.1} s",
        run.cycles_run,
        run.kills_during_startup,
        run.startup_kills_tried,
        run.kills_while_stopping,
        run.stop_kills_tried,
        run.slowest_start.as_millis(),
        run.tally.sent.len(),
        run.tally.acknowledged.len(),
        stored.len(),
        comparison.unanswered_but_stored,
        comparison.lost.len(),
        comparison.duplicated.len(),
        comparison.unknown.len(),
        cycles_took.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    watchdog.done();

    if !comparison.is_clean() || !run.tally.refusals.is_empty() {
        let failure = format!(
            "{}\nthe logs of the cycles involved (tails):\n{}",
            comparison.describe(&run.tally),
            logs_of_cycles(&run.logs, comparison.cycles_involved())
        );
        fail(site, seed, &failure);
    }
    assert!(
        run.cycles_run == cycles,
        "only {} of {cycles} cycles ran before the time limit ({:?}): starting or loading the \
         server has become slow (seed {seed})",
        run.cycles_run,
        plan.deadline.duration_since(started)
    );
    assert!(
        !run.tally.acknowledged.is_empty(),
        "no signature was ever acknowledged: the harness proved nothing (seed {seed})"
    );
}

#[test]
fn the_harness_catches_a_server_that_thanks_before_it_writes() {
    let seed = seed();
    println!("control: seed {seed} (replay with SEALFORM_CRASH_SEED={seed})");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("acknowledged-first.txt");
    let exe = std::env::current_exe().unwrap();
    let command = || {
        let mut command = Command::new(&exe);
        command
            .args([
                "--exact",
                FAKE_SERVER_TEST,
                "--nocapture",
                "--test-threads=1",
            ])
            .env(FAKE_STORE_ENV, &store);
        command
    };
    // Kills during start-up would only make this slower to find a loss.
    let plan = Plan::new(CONTROL_CYCLES, 0, 0);
    let watchdog = Watchdog::start(plan.deadline + TIME_TO_CHECK, seed);
    let run = run_cycles(&command, &plan, "control", seed, &watchdog)
        .unwrap_or_else(|failure| panic!("control, seed {seed}: {failure}"));
    watchdog.done();

    let stored: Vec<String> = match std::fs::read_to_string(&store) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("{e}"),
    };
    let comparison = compare(&run.tally, &stored);
    println!(
        "control: {} cycles, {} acknowledged, {} written, {} lost",
        run.cycles_run,
        run.tally.acknowledged.len(),
        stored.len(),
        comparison.lost.len()
    );
    assert!(
        !comparison.lost.is_empty(),
        "the harness did not notice a server that thanks before it writes (seed {seed}): \
         {} acknowledged, {} written",
        run.tally.acknowledged.len(),
        stored.len()
    );
    assert!(comparison.duplicated.is_empty() && comparison.unknown.is_empty());
}

#[test]
fn the_comparison_names_lost_duplicated_and_unknown_nonces() {
    let tally = Tally {
        sent: ["nonce-0-0-0", "nonce-0-0-1", "nonce-1-2-0", "nonce-1-2-1"]
            .map(String::from)
            .into(),
        acknowledged: ["nonce-0-0-0", "nonce-0-0-1", "nonce-1-2-0"]
            .map(String::from)
            .into(),
        refusals: Vec::new(),
    };
    let stored = [
        "nonce-0-0-0",
        "nonce-1-2-0",
        "nonce-1-2-0",
        "nonce-1-2-1",
        "stray",
    ]
    .map(String::from);
    let comparison = compare(&tally, &stored);
    assert_eq!(comparison.lost, ["nonce-0-0-1"]);
    assert_eq!(comparison.duplicated, [("nonce-1-2-0".to_string(), 2)]);
    assert_eq!(comparison.unknown, ["stray"]);
    assert_eq!(comparison.unanswered_but_stored, 1);
    assert!(!comparison.is_clean());
    assert_eq!(comparison.cycles_involved(), BTreeSet::from([0, 1]));
    let whole = ["nonce-0-0-0", "nonce-0-0-1", "nonce-1-2-0"].map(String::from);
    assert!(compare(&tally, &whole).is_clean());
}

/// Not a test on its own: with [`FAKE_STORE_ENV`] set, this is the control's fake server (the
/// control runs this test executable again, with only this test); without it, it does nothing.
#[test]
fn fake_server_for_the_control() {
    if let Some(store) = std::env::var_os(FAKE_STORE_ENV) {
        fake_server(Path::new(&store));
    }
}

/// What the cycles do: how many, when they must stop, and how often a kill lands in start-up
/// or in a graceful stop (0: never).
struct Plan {
    cycles: usize,
    startup_kill_one_in: u64,
    stop_kill_one_in: u64,
    deadline: Instant,
}

impl Plan {
    fn new(cycles: usize, startup_kill_one_in: u64, stop_kill_one_in: u64) -> Plan {
        let budget = TIME_BASE + TIME_PER_CYCLE * u32::try_from(cycles).unwrap();
        Plan {
            cycles,
            startup_kill_one_in,
            stop_kill_one_in,
            deadline: Instant::now() + budget,
        }
    }
}

/// Every signature sent, every one thanked for, and every answer that was neither a thank-you
/// nor a cut connection.
#[derive(Debug, Default)]
struct Tally {
    sent: BTreeSet<String>,
    acknowledged: BTreeSet<String>,
    refusals: Vec<String>,
}

/// What the cycles did.
struct Run {
    tally: Tally,
    cycles_run: usize,
    /// Cycles that killed the process while it started, and how many of those kills came
    /// before it said it was listening.
    startup_kills_tried: usize,
    kills_during_startup: usize,
    /// Cycles that asked the process to stop and then killed it, and how many of those kills
    /// came before it had stopped by itself.
    stop_kills_tried: usize,
    kills_while_stopping: usize,
    /// The longest a start took.
    slowest_start: Duration,
    /// Each cycle's log, in order.
    logs: Vec<String>,
}

/// Starts a process from `command` again and again, signs with [`WRITERS`] clients while it
/// serves, and kills it with SIGKILL at a random moment, sometimes while it starts. Fails if a
/// start fails or the process dies before it is killed.
fn run_cycles(
    command: &dyn Fn() -> Command,
    plan: &Plan,
    prefix: &'static str,
    seed: u64,
    watchdog: &Watchdog,
) -> Result<Run, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut random = XorShift::new(seed);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let mut logs: Vec<String> = Vec::new();
    let mut startup_kills_tried = 0;
    let mut kills_during_startup = 0;
    let mut stop_kills_tried = 0;
    let mut kills_while_stopping = 0;
    let mut slowest_start = Duration::ZERO;
    let mut startup_estimate = Duration::from_millis(50);
    let mut cycles_run = 0;
    for cycle in 0..plan.cycles {
        if Instant::now() > plan.deadline {
            break;
        }
        let previous_log = || tail(logs.last().map_or("", String::as_str));
        // The first start creates the store: a kill then is a case of its own.
        let startup_kill = plan.startup_kill_one_in != 0
            && (cycle == 0 || random.below(plan.startup_kill_one_in) == 0);
        let process = Launched::spawn(command());
        watchdog.watch(&process);
        let log = if startup_kill {
            startup_kills_tried += 1;
            let window = startup_estimate.as_micros() as u64 * 3 / 2;
            std::thread::sleep(Duration::from_micros(random.below(window + 1)));
            let (status, log) = process.kill();
            if !log.contains("listening on http://") {
                kills_during_startup += 1;
            }
            if !was_killed(status) {
                return Err(format!(
                    "cycle {cycle}: the process died by itself while starting ({status})\n\
                     its log:\n{log}\nthe previous cycle's log (tail):\n{}",
                    previous_log()
                ));
            }
            log
        } else {
            let base = match process.wait_listening(START_LIMIT) {
                Ok(base) => base,
                Err(problem) => {
                    let log = process.kill().1;
                    return Err(format!(
                        "cycle {cycle}: the process did not start: {problem}\n\
                         its log:\n{log}\nthe previous cycle's log (tail):\n{}",
                        previous_log()
                    ));
                }
            };
            let started = process.spawned.elapsed();
            startup_estimate = (startup_estimate + started) / 2;
            slowest_start = slowest_start.max(started);
            let kill_after = Duration::from_micros(random.below(MAX_LOAD.as_micros() as u64));
            let stopping = (plan.stop_kill_one_in != 0 && random.below(plan.stop_kill_one_in) == 0)
                .then(|| Duration::from_micros(random.below(MAX_STOPPING.as_micros() as u64)));
            let (status, log) = runtime.block_on(sign_then_kill(
                process,
                base,
                format!("{prefix}-{cycle}"),
                kill_after,
                stopping,
                Arc::clone(&tally),
            ));
            if stopping.is_some() {
                stop_kills_tried += 1;
                if was_killed(status) {
                    kills_while_stopping += 1;
                }
            }
            // Asked to stop first, it may have finished stopping before the kill.
            let stopped_by_itself = stopping.is_some() && status.success();
            if !was_killed(status) && !stopped_by_itself {
                return Err(format!(
                    "cycle {cycle}: the process died by itself while serving ({status})\n\
                     its log:\n{log}"
                ));
            }
            log
        };
        logs.push(log);
        cycles_run += 1;
    }
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    Ok(Run {
        tally,
        cycles_run,
        startup_kills_tried,
        kills_during_startup,
        stop_kills_tried,
        kills_while_stopping,
        slowest_start,
        logs,
    })
}

/// Signs with [`WRITERS`] clients at `base` until the process is killed, `kill_after` from now;
/// with `stopping`, it is first sent SIGTERM then, and killed that much later.
async fn sign_then_kill(
    process: Launched,
    base: String,
    prefix: String,
    kill_after: Duration,
    stopping: Option<Duration>,
    tally: Arc<Mutex<Tally>>,
) -> (ExitStatus, String) {
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            tokio::spawn(sign_until_gone(
                base.clone(),
                format!("{prefix}-{writer}"),
                Arc::clone(&tally),
            ))
        })
        .collect();
    tokio::time::sleep(kill_after).await;
    if let Some(stopping) = stopping {
        process.terminate();
        tokio::time::sleep(stopping).await;
    }
    let killed = process.kill();
    for writer in writers {
        // Every request fails at once when the process is gone; the timeout is a backstop.
        tokio::time::timeout(REQUEST_TIMEOUT * 3, writer)
            .await
            .expect("a writer did not stop after the kill")
            .unwrap();
    }
    killed
}

/// One person after another signs at `base`, each with a fresh form and a unique name
/// (`<prefix>-<n>`), until a request fails.
async fn sign_until_gone(base: String, prefix: String, tally: Arc<Mutex<Tally>>) {
    let client = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .unwrap();
    for n in 0.. {
        let Ok(page) = client.get(format!("{base}/")).send().await else {
            return;
        };
        if page.status() != 200 {
            let refusal = format!("GET / answered {}", page.status());
            tally.lock().unwrap().refusals.push(refusal);
            return;
        }
        let Ok(page) = page.text().await else { return };
        let nonce = format!("{prefix}-{n}");
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("token", &form_token(&page))
            .append_pair("intent", "sign_and_share")
            .append_pair("sign_as", "individual")
            .append_pair("name", &nonce)
            .append_pair("harm", &"a testimony long enough to span pages ".repeat(40))
            .finish();
        tally.lock().unwrap().sent.insert(nonce.clone());
        let Ok(answer) = client
            .post(format!("{base}/sign"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
        else {
            return;
        };
        let status = answer.status();
        // Only a complete thank-you page counts as acknowledged.
        let Ok(text) = answer.text().await else {
            return;
        };
        let mut tally = tally.lock().unwrap();
        if status == 200 && text.contains("Thank you") {
            tally.acknowledged.insert(nonce);
        } else {
            tally
                .refusals
                .push(format!("{nonce}: answered {status} without a thank-you"));
            return;
        }
    }
}

/// The store's content measured against what was sent and acknowledged.
#[derive(Debug, Default)]
struct Comparison {
    /// Acknowledged, not stored.
    lost: Vec<String>,
    /// Stored more than once, with how many times.
    duplicated: Vec<(String, usize)>,
    /// Stored, never sent.
    unknown: Vec<String>,
    /// Sent, not acknowledged, stored: allowed (killed between the write and the answer).
    unanswered_but_stored: usize,
}

/// Compares the names in the store (`stored`, one per record) with `tally`: shared by the real
/// run and the control, so the control proves this very comparison catches a loss.
fn compare(tally: &Tally, stored: &[String]) -> Comparison {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for name in stored {
        *counts.entry(name).or_default() += 1;
    }
    Comparison {
        lost: tally
            .acknowledged
            .iter()
            .filter(|nonce| !counts.contains_key(nonce.as_str()))
            .cloned()
            .collect(),
        duplicated: counts
            .iter()
            .filter(|&(_, &count)| count > 1)
            .map(|(&name, &count)| (name.to_string(), count))
            .collect(),
        unknown: counts
            .keys()
            .filter(|&&name| !tally.sent.contains(name))
            .map(|&name| name.to_string())
            .collect(),
        unanswered_but_stored: counts
            .keys()
            .filter(|&&name| tally.sent.contains(name) && !tally.acknowledged.contains(name))
            .count(),
    }
}

impl Comparison {
    fn is_clean(&self) -> bool {
        self.lost.is_empty() && self.duplicated.is_empty() && self.unknown.is_empty()
    }

    /// The cycles the named nonces (`<prefix>-<cycle>-<writer>-<n>`) were sent in.
    fn cycles_involved(&self) -> BTreeSet<usize> {
        self.lost
            .iter()
            .chain(self.duplicated.iter().map(|(name, _)| name))
            .filter_map(|nonce| nonce.split('-').nth(1)?.parse().ok())
            .collect()
    }

    fn describe(&self, tally: &Tally) -> String {
        format!(
            "{} acknowledged signatures lost: {:?}\n{} stored more than once: {:?}\n\
             {} stored but never sent: {:?}\n{} answers that were neither a thank-you nor a cut \
             connection: {:?}",
            self.lost.len(),
            self.lost,
            self.duplicated.len(),
            self.duplicated,
            self.unknown.len(),
            self.unknown,
            tally.refusals.len(),
            tally.refusals
        )
    }
}

/// A child process that prints `listening on http://ADDR` once it serves — the real server or
/// the control's fake — with everything it printed collected.
struct Launched {
    child: Child,
    spawned: Instant,
    log: Arc<Mutex<String>>,
    address: mpsc::Receiver<String>,
    readers: Vec<JoinHandle<()>>,
}

impl Launched {
    fn spawn(mut command: Command) -> Launched {
        let spawned = Instant::now();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (found, address) = mpsc::channel();
        let streams: [Box<dyn Read + Send>; 2] = [
            Box::new(child.stdout.take().unwrap()),
            Box::new(child.stderr.take().unwrap()),
        ];
        let readers = streams
            .into_iter()
            .map(|stream| {
                let log = Arc::clone(&log);
                let found = found.clone();
                std::thread::spawn(move || {
                    for line in BufReader::new(stream).lines() {
                        let Ok(line) = line else { break };
                        if let Some(at) = line.find("listening on http://") {
                            let base = line[at + "listening on ".len()..].trim().to_string();
                            let _ = found.send(base);
                        }
                        let mut log = log.lock().unwrap();
                        log.push_str(&line);
                        log.push('\n');
                    }
                })
            })
            .collect();
        // Only the readers hold a sender now: when both have seen the process close its output,
        // waiting for the address ends at once.
        drop(found);
        Launched {
            child,
            spawned,
            log,
            address,
            readers,
        }
    }

    /// The address it serves on, once it says so; an error if it exits first or takes longer
    /// than `limit`.
    fn wait_listening(&self, limit: Duration) -> Result<String, String> {
        self.address.recv_timeout(limit).map_err(|e| match e {
            mpsc::RecvTimeoutError::Timeout => format!("not listening after {limit:?}"),
            mpsc::RecvTimeoutError::Disconnected => "it exited before listening".to_string(),
        })
    }

    /// SIGKILL, as a power cut or an out-of-memory kill would stop it; returns how it ended
    /// (a process that had already exited keeps its own status) and everything it printed.
    fn kill(mut self) -> (ExitStatus, String) {
        let _ = self.child.kill();
        let status = self.child.wait().unwrap();
        (status, self.finish())
    }

    /// Sends SIGTERM: asks for a graceful stop, without waiting for it.
    fn terminate(&self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
    }

    /// SIGTERM, a graceful stop: it must exit successfully within [`START_LIMIT`].
    fn stop(mut self) -> Result<String, String> {
        self.terminate();
        let limit = Instant::now() + START_LIMIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > limit {
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        match status {
            Some(status) if status.success() => Ok(self.finish()),
            Some(status) => Err(format!(
                "the server did not stop cleanly ({status}):\n{}",
                self.finish()
            )),
            None => Err(format!(
                "the server did not stop within {START_LIMIT:?} of SIGTERM:\n{}",
                self.kill().1
            )),
        }
    }

    /// Waits for the readers (the process has exited) and returns the whole log.
    fn finish(&mut self) -> String {
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The signature count the letter page at `base` shows, if it answers with one.
fn public_count(base: &str) -> Option<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let page = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("{base}/"))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .ok()?
            .text()
            .await
            .ok()
    })?;
    let marker = "id=\"signature-count\"";
    let at = page.find(marker)? + marker.len();
    let text = &page[at + page[at..].find('>')? + 1..];
    let digits: String = text[..text.find('<')?]
        .split(' ')
        .next()?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn was_killed(status: ExitStatus) -> bool {
    const SIGKILL: i32 = 9;
    status.signal() == Some(SIGKILL)
}

/// Ends the whole test process if the test has not finished by its time limit, first killing
/// the process it was watching, so that a hung start, stop or export cannot hang the suite.
struct Watchdog {
    pid: Arc<AtomicU32>,
    _done: mpsc::Sender<()>,
}

impl Watchdog {
    fn start(deadline: Instant, seed: u64) -> Watchdog {
        let pid = Arc::new(AtomicU32::new(0));
        let (done, finished) = mpsc::channel::<()>();
        let watched = Arc::clone(&pid);
        std::thread::spawn(move || {
            let limit = deadline.saturating_duration_since(Instant::now());
            if finished.recv_timeout(limit) == Err(mpsc::RecvTimeoutError::Timeout) {
                let pid = watched.load(Ordering::SeqCst);
                // Straight to stderr: the test harness's capture dies with the process.
                let _ = writeln!(
                    std::io::stderr(),
                    "crash cycles: not finished within the hard time limit (seed {seed}); \
                     killing process {pid} and ending the test"
                );
                if pid != 0 {
                    let _ = Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .status();
                }
                std::process::exit(1);
            }
        });
        Watchdog { pid, _done: done }
    }

    fn watch(&self, process: &Launched) {
        self.pid.store(process.child.id(), Ordering::SeqCst);
    }

    /// The test is about to finish (or fail) by itself.
    fn done(self) {}
}

/// Keeps the data folder for a look, then fails with `failure`.
fn fail(site: Site, seed: u64, failure: &str) -> ! {
    let Site { dir, data, .. } = site;
    let _ = dir.keep();
    panic!(
        "seed {seed} (replay with SEALFORM_CRASH_SEED={seed}); data folder kept at {}\n{failure}",
        data.display()
    );
}

fn logs_of_cycles(logs: &[String], cycles: BTreeSet<usize>) -> String {
    let mut out = String::new();
    for cycle in cycles.into_iter().take(3) {
        let log = logs.get(cycle).map_or("(no log)", String::as_str);
        out.push_str(&format!("--- cycle {cycle}\n{}\n", tail(log)));
    }
    out
}

/// The last lines of a log.
fn tail(log: &str) -> String {
    const LINES: usize = 40;
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(LINES)..].join("\n")
}

/// `SEALFORM_CRASH_SEED`, or one taken from the clock.
fn seed() -> u64 {
    env_number("SEALFORM_CRASH_SEED").unwrap_or_else(|| {
        let since = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap();
        since.as_secs() ^ (u64::from(since.subsec_nanos()) << 32)
    })
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {value:?}")),
    )
}

/// xorshift64, seeded through splitmix64 so that any seed (even 0) gives a good start.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> XorShift {
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        XorShift((z ^ (z >> 31)).max(1))
    }

    fn step(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.step() % n
    }
}

/// The control's fake server: thanks for a POST at once, and only then, after
/// [`FAKE_WRITE_DELAY`], appends the name to `store` — a kill in between loses an acknowledged
/// signature. Answers any other request with a form holding a token.
fn fake_server(store: &Path) -> ! {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    let store: Arc<PathBuf> = Arc::new(store.to_path_buf());
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            let _ = fake_answer(stream, &store);
        });
    }
    unreachable!("incoming() never ends")
}

fn fake_answer(mut stream: TcpStream, store: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let post = request_line.starts_with("POST ");
    let page = if post {
        "<h1>Thank you</h1>"
    } else {
        "<form><input type=\"hidden\" name=\"token\" value=\"fake\"></form>"
    };
    write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{page}",
        page.len()
    )?;
    stream.flush()?;
    drop((stream, reader));
    if post {
        let name = form_urlencoded::parse(&body)
            .find(|(key, _)| key == "name")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        std::thread::sleep(FAKE_WRITE_DELAY);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(store)?;
        file.write_all(format!("{name}\n").as_bytes())?;
    }
    Ok(())
}
