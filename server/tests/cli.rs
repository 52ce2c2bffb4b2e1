//! The `sealform-server` binary: start-up refusals, `--demo`, `export`, signals and logs.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use age::x25519;

const BIN: &str = env!("CARGO_BIN_EXE_sealform-server");

/// The binary, run in `dir`, with no `SEALFORM_*` or `RUST_LOG` from the environment.
fn server(dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command.current_dir(dir).env_remove("RUST_LOG");
    for (name, _) in std::env::vars() {
        if name.starts_with("SEALFORM_") {
            command.env_remove(name);
        }
    }
    command
}

fn run(command: &mut Command) -> Output {
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn public_key() -> String {
    x25519::Identity::generate().to_public().to_string()
}

/// A server process and what it printed before listening.
struct Running {
    child: Child,
    base: String,
    printed: String,
}

/// Starts the binary and waits for `listening on http://ADDR`.
fn start(command: &mut Command) -> Running {
    let mut running = Running {
        child: command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
        base: String::new(),
        printed: String::new(),
    };
    let stdout = running.child.stdout.take().unwrap();
    let (lines, received) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    while let Ok(line) = received.recv_timeout(Duration::from_secs(20)) {
        running.printed.push_str(&line);
        running.printed.push('\n');
        if let Some(address) = line.strip_prefix("listening on ") {
            running.base = address.to_owned();
            return running;
        }
    }
    let _ = running.child.kill();
    let output = running.child.wait_with_output().unwrap();
    panic!(
        "the server did not start:\n{}\n{}",
        running.printed,
        text(&output.stderr)
    );
}

impl Running {
    /// Sends SIGTERM and returns the exit status's success and everything logged.
    fn terminate(self) -> (bool, String) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let output = self.child.wait_with_output().unwrap();
        (output.status.success(), text(&output.stderr))
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .user_agent("SecretAgent/1.0 (sealform test)")
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// Fetches a form, fills it in as `name`, sends it; returns the status.
async fn sign(base: &str, name: &str) -> u16 {
    let client = client();
    let page = client
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"token\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let token = &page[start..start + page[start..].find('"').unwrap()];
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("token", token),
            ("intent", "sign_and_share"),
            ("sign_as", "individual"),
            ("name", name),
            ("harm", "SECRETTESTIMONY"),
        ])
        .finish();
    client
        .post(format!("{base}/sign"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn refuses_to_start_without_recipients_and_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(server(dir.path()).args(["--data-dir", "data"]));
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with("sealform-server: no recipient configured"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sealform-keytool keygen --out organizer.key"),
        "{stderr}"
    );
    assert!(stderr.contains("--recipient age1"), "{stderr}");
    assert_eq!(
        stderr.matches("sealform-server:").count(),
        1,
        "printed once: {stderr}"
    );
    assert!(
        !dir.path().join("data").exists(),
        "nothing made before refusing"
    );
}

#[test]
fn refuses_a_bad_campaign_file_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("campaign.toml"),
        "id = \"x\"\ntitle = \"t\"\nlanguage = = \"en\"\n",
    )
    .unwrap();
    let key = public_key();
    let output = run(server(dir.path()).args([
        "--data-dir",
        "data",
        "--recipient",
        &key,
        "--campaign",
        "campaign.toml",
    ]));
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("campaign.toml"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
}

#[test]
fn a_flag_beats_its_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let key = public_key();
    let refused = run(server(dir.path())
        .env("SEALFORM_LISTEN", "not-an-address")
        .env("SEALFORM_RECIPIENT", &key)
        .args(["--data-dir", "data"]));
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("not-an-address"));

    let running = start(
        server(dir.path())
            .env("SEALFORM_LISTEN", "not-an-address")
            .env("SEALFORM_RECIPIENT", &key)
            .env("SEALFORM_DATA_DIR", "data")
            .args(["--listen", "127.0.0.1:0"]),
    );
    let (clean, _) = running.terminate();
    assert!(clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_then_export_gives_records_the_demo_identity_opens() {
    let dir = tempfile::tempdir().unwrap();
    let demo = start(server(dir.path()).args([
        "--demo",
        "--listen",
        "127.0.0.1:0",
        "--min-form-secs",
        "0",
    ]));
    assert!(
        demo.printed.contains("NOT FOR REAL USE"),
        "{}",
        demo.printed
    );
    assert!(demo.printed.contains(
        "sealform-server export --data-dir sealform-demo/data --out sealform-demo/export"
    ));
    assert!(demo.printed.contains(
        "sealform-keytool decrypt -i sealform-demo/demo-identity.txt sealform-demo/export"
    ));
    assert_eq!(sign(&demo.base, "Demo Person").await, 200);
    let (clean, logs) = demo.terminate();
    assert!(clean, "{logs}");
    assert!(logs.contains("stopped"), "{logs}");

    let exported = run(server(dir.path()).args([
        "export",
        "--data-dir",
        "sealform-demo/data",
        "--out",
        "sealform-demo/export",
    ]));
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    assert!(text(&exported.stdout).contains("exported 1 record(s)"));

    let export_dir = dir.path().join("sealform-demo/export");
    let index = std::fs::read_to_string(export_dir.join("index.tsv")).unwrap();
    let index = seal::ExportIndex::parse(&index).unwrap();
    let identity_text =
        std::fs::read_to_string(dir.path().join("sealform-demo/demo-identity.txt")).unwrap();
    let identity: x25519::Identity = identity_text
        .lines()
        .find(|line| line.starts_with("AGE-SECRET-KEY-"))
        .unwrap()
        .parse()
        .unwrap();
    let records: Vec<_> = std::fs::read_dir(&export_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "age"))
        .collect();
    assert_eq!(records.len(), 1);
    let id = records[0]
        .file_stem()
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(index.recipients_of(id).is_some());
    let opened = seal::open(
        &std::fs::read(&records[0]).unwrap(),
        &[&identity as &dyn age::Identity],
    )
    .unwrap();
    assert_eq!(
        opened.expose_field("name"),
        Some(&seal::FieldValue::Text("Demo Person".into()))
    );

    // Starting the demo again reuses its identity.
    let again = start(server(dir.path()).args(["--demo", "--listen", "127.0.0.1:0"]));
    assert!(
        again.printed.contains("reusing the throwaway key"),
        "{}",
        again.printed
    );
    let (clean, _) = again.terminate();
    assert!(clean);
}

#[test]
fn export_refuses_while_the_server_runs_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let key = public_key();
    let running = start(server(dir.path()).args([
        "--data-dir",
        "data",
        "--recipient",
        &key,
        "--listen",
        "127.0.0.1:0",
    ]));
    let refused = run(server(dir.path()).args(["export", "--data-dir", "data", "--out", "out"]));
    assert!(!refused.status.success());
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("stop it first"), "{stderr}");
    let (clean, _) = running.terminate();
    assert!(clean);

    let missing = run(server(dir.path()).args(["export", "--data-dir", "nowhere", "--out", "out"]));
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("there is no data folder at nowhere"));
    assert!(!dir.path().join("nowhere").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_carry_no_address_agent_query_time_or_value() {
    let dir = tempfile::tempdir().unwrap();
    let key = public_key();
    let running = start(
        server(dir.path())
            .env("RUST_LOG", "debug")
            .args(["--data-dir", "data", "--recipient", &key])
            .args(["--listen", "127.0.0.1:0", "--min-form-secs", "0"]),
    );
    let client = client();
    let base = running.base.clone();
    client
        .get(format!("{base}/?q=SECRETQUERY"))
        .send()
        .await
        .unwrap();
    client
        .get(format!("{base}/SECRETPATH"))
        .send()
        .await
        .unwrap();
    assert_eq!(sign(&base, "SECRETNAME").await, 200);
    let (clean, logs) = running.terminate();
    assert!(clean, "{logs}");

    for secret in ["SECRET", "127.0.0.1", "sealform test", "SecretAgent"] {
        assert!(!logs.contains(secret), "{secret} in the logs:\n{logs}");
    }
    assert!(logs.contains("route=\"/\""), "{logs}");
    assert!(logs.contains("route=\"/sign\""), "{logs}");
    assert!(logs.contains("route=\"(no route)\" status=404"), "{logs}");
    // No timestamps: no line starts with a date.
    assert!(!logs.lines().any(|line| line.starts_with("20")), "{logs}");
}

#[test]
fn turning_rate_limits_off_is_said_loudly_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let key = public_key();
    let limited = start(server(dir.path()).args([
        "--data-dir",
        "limited",
        "--recipient",
        &key,
        "--listen",
        "127.0.0.1:0",
    ]));
    let (clean, logs) = limited.terminate();
    assert!(clean, "{logs}");
    assert!(logs.contains("rate limits on POST /sign"), "{logs}");
    assert!(!logs.contains("rate limiting is OFF"), "{logs}");

    let open = start(server(dir.path()).args([
        "--data-dir",
        "open",
        "--recipient",
        &key,
        "--listen",
        "127.0.0.1:0",
        "--no-rate-limit",
    ]));
    let (clean, logs) = open.terminate();
    assert!(clean, "{logs}");
    assert!(
        logs.contains("WARN rate limiting is OFF (--no-rate-limit)"),
        "{logs}"
    );
}
