//! Helpers shared by the CLI and interop tests: fixed test keys, records sealed with the seal
//! crate, and running the built binary in a temporary folder.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of this module"
)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use seal::{Field, FieldValue, RecipientSet, Submission};

/// Test-only identities (made with age-keygen for these tests; they protect nothing).
pub const KEY_1: &str =
    "AGE-SECRET-KEY-1JCMP7L8K5LJGT9AKZ0ZD0ED6VKPZGE7THQ206G5N4TMYH9YJLR0SSAK6SL";
pub const PUBLIC_1: &str = "age13lh7lq357q9lqrze52n6kvx2e4lpp4h4alv9d483cn37ekx6s4xs3hkth5";
pub const KEY_2: &str =
    "AGE-SECRET-KEY-1H23RT5VXTE8Q9463564HYFWJKY0DEA4V6NVSG5TJUXF7PLHLL4DSRVCYL3";
pub const PUBLIC_2: &str = "age16v026v49vgvmwl4jzftuclkapa7utujx2n3fgjh3ep0cd2nsvajq5gn3sf";

/// The recipient set fingerprints of `{PUBLIC_1}` and `{PUBLIC_2}`, as seal computes them.
pub const SET_1: &str = "437b607bb9eb06d1";
pub const SET_2: &str = "cae866e07f7207b0";

pub const ID_A: &str = "3f9c1a2b0000000000000000000000aa";
pub const ID_B: &str = "7d02e4f1000000000000000000000bbb";
pub const ID_C: &str = "c0ffee00000000000000000000000ccc";

/// An identity file in age-keygen's layout.
pub fn identity_file(secret: &str, public: &str) -> String {
    format!("# created: 2026-11-28T12:00:00Z\n# public key: {public}\n{secret}\n")
}

pub fn set(public: &str) -> RecipientSet {
    RecipientSet::parse([public]).unwrap()
}

pub fn text(value: &str) -> FieldValue {
    FieldValue::Text(value.to_owned())
}

pub fn submission(
    campaign: &str,
    lang: &str,
    day: &str,
    fields: Vec<(&str, FieldValue)>,
) -> Submission {
    Submission::new(
        campaign.to_owned(),
        "0".repeat(64),
        lang.to_owned(),
        day.parse().unwrap(),
        fields
            .into_iter()
            .map(|(name, value)| Field::new(name, value))
            .collect(),
    )
}

/// Record A: a signature with every kind of field.
pub fn record_a() -> Submission {
    submission(
        "open-letter",
        "en",
        "2026-11-28",
        vec![
            ("sign_as", FieldValue::Choice("individual".into())),
            ("name", text("Mai")),
            ("actions", FieldValue::Choices(vec!["a".into(), "b".into()])),
            ("consent_public", FieldValue::Consent(true)),
        ],
    )
}

/// Record B: fields in another order, one missing, one new, quoting and a newline.
pub fn record_b() -> Submission {
    submission(
        "open-letter",
        "th",
        "2026-11-29",
        vec![
            ("name", text("นวด, \"สปา\"")),
            ("sign_as", FieldValue::Choice(String::new())),
            ("testimony", text("line one\nline two")),
            ("consent_public", FieldValue::Consent(false)),
        ],
    )
}

pub fn seal_to(submission: &Submission, public: &str) -> Vec<u8> {
    seal::seal(submission, &set(public)).unwrap()
}

pub fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::write(path, bytes).unwrap();
}

/// The key tool run in `dir`, with no standard input and no inherited passphrase variables.
pub fn keytool(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sealform-keytool"));
    command
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .env_remove("SEALFORM_PASSPHRASE");
    command
}

/// `keygen --out key.age` in `dir`, protected with `passphrase` given through
/// `--passphrase-env SEALFORM_PASSPHRASE`.
pub fn keygen_protected(dir: &Path, passphrase: &str) -> Run {
    run(
        dir,
        keytool(
            dir,
            &[
                "keygen",
                "--out",
                "key.age",
                "--passphrase-env",
                "SEALFORM_PASSPHRASE",
            ],
        )
        .env("SEALFORM_PASSPHRASE", passphrase),
    )
}

/// What a run printed and how it ended, with the temporary folder's path replaced by `<tmp>`.
#[derive(Debug, PartialEq, Eq)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(dir: &Path, command: &mut Command) -> Run {
    finish(dir, command.output().unwrap())
}

/// Runs with `input` on standard input.
pub fn run_with_stdin(dir: &Path, command: &mut Command, input: &[u8]) -> Run {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    finish(dir, child.wait_with_output().unwrap())
}

/// Runs the key tool in `dir` like [`keytool`], but as a test that fails rather than waits forever
/// when it does not finish within `limit`, and with its address space capped at 1 GiB
/// (`ulimit -v`), so a run that reads without bound fails quickly instead of exhausting the
/// machine's memory.
#[cfg(unix)]
pub fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new("/bin/sh")
        .current_dir(dir)
        .args(["-c", "ulimit -v 1048576 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_sealform-keytool"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("SEALFORM_PASSPHRASE")
        .spawn()
        .unwrap();
    // Read both pipes while waiting, so a full pipe cannot block the key tool.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("sealform-keytool {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    assert!(
        status.code().is_some(),
        "sealform-keytool {args:?} was killed ({status}): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    finish(dir, output)
}

fn finish(dir: &Path, output: Output) -> Run {
    let normalize = |bytes: Vec<u8>| {
        String::from_utf8(bytes)
            .unwrap()
            .replace(&dir.display().to_string(), "<tmp>")
    };
    Run {
        code: output.status.code().unwrap(),
        stdout: normalize(output.stdout),
        stderr: normalize(output.stderr),
    }
}

pub fn ok(stdout: &str) -> Run {
    Run {
        code: 0,
        stdout: stdout.to_owned(),
        stderr: String::new(),
    }
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs the key tool on a terminal of its own (util-linux `script` makes one), typing `input`,
/// and returns its exit code and what the terminal showed; `None` (with a note) where `script` is
/// not installed.
pub fn run_on_terminal(dir: &Path, args: &[&str], input: &str) -> Option<(i32, String)> {
    let script = Path::new("/usr/bin/script");
    if !script.is_file() {
        eprintln!("note: skipping a terminal test: util-linux `script` is not installed");
        return None;
    }
    let command_line = std::iter::once(env!("CARGO_BIN_EXE_sealform-keytool"))
        .chain(args.iter().copied())
        .map(|word| format!("'{word}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new(script)
        .current_dir(dir)
        .args(["-q", "-e", "-c", &command_line, "terminal.log"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    // A prompt that never got its line would wait forever: give up after a minute.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let log = dir.join("terminal.log");
            let shown = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned();
            std::fs::remove_file(log).unwrap();
            return Some((status.code().unwrap(), shown));
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("{command_line} did not finish within a minute on a terminal");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
