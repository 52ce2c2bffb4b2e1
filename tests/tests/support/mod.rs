//! What the end-to-end tests share: the workspace's binaries, a real server process on a
//! loopback port, organizer keys made by the real key tool, and a browser.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support module"
)]

pub mod webdriver;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// A binary of this workspace, built by `cargo test --workspace` next to the test executables.
pub fn workspace_bin(name: &str) -> PathBuf {
    // target/<profile>/deps/<test-exe> → target/<profile>/<name>
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().parent().unwrap().join(name);
    assert!(
        path.exists(),
        "{} is missing: run the whole suite with `cargo test --workspace`, which builds it",
        path.display()
    );
    path
}

/// Runs a workspace binary to completion.
pub fn run(name: &str, args: &[&str]) -> Output {
    Command::new(workspace_bin(name))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Whether an external tool answers `command version_flag`. In CI a missing tool fails the
/// test (CI installs it); elsewhere the test is skipped with a note naming the Debian packages.
pub fn tool_available(command: &str, version_flag: &str, packages: &str) -> bool {
    let found = Command::new(command)
        .arg(version_flag)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{command} is required in CI: apt-get install {packages}"
        );
        eprintln!("skipping: {command} is not installed (apt-get install {packages})");
    }
    found
}

/// Whether the slow checks that build release binaries (the Debian package) run: in CI, or when
/// `SEALFORM_PACKAGE_TEST=1` asks for them. A release build takes minutes.
pub fn slow_checks_wanted() -> bool {
    let wanted = std::env::var_os("CI").is_some()
        || std::env::var_os("SEALFORM_PACKAGE_TEST").is_some_and(|v| v == "1");
    if !wanted {
        eprintln!("skipping: a release build takes minutes; set SEALFORM_PACKAGE_TEST=1 to run it");
    }
    wanted
}

/// A copy of the systemd unit at `unit`, in `dir` under the same file name, with its
/// `ExecStart` program (`binary_in_unit`) replaced by `binary`: `systemd-analyze verify`
/// checks that the program exists.
pub fn unit_with_binary(unit: &Path, binary_in_unit: &str, binary: &Path, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(unit).unwrap();
    let needle = format!("ExecStart={binary_in_unit} ");
    assert!(
        text.contains(&needle),
        "{} starts {binary_in_unit}",
        unit.display()
    );
    let copy = dir.join(unit.file_name().unwrap());
    std::fs::write(
        &copy,
        text.replace(&needle, &format!("ExecStart={} ", binary.display())),
    )
    .unwrap();
    copy
}

/// `systemd-analyze verify` of a unit file: it must pass without a word about the unit. The
/// manual page its `Documentation=` names comes with the Debian package, so it is not looked
/// up here (the package test checks that the package has it).
pub fn systemd_verify(unit: &Path) {
    let checked = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(unit)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    let name = unit.file_name().unwrap().to_str().unwrap();
    assert!(
        checked.status.success() && !said.contains(name),
        "systemd-analyze verify {}:\n{said}",
        unit.display()
    );
}

/// The overall exposure level (0 to 10, lower is safer) `systemd-analyze security
/// --offline=true` gives a unit file, read from its "Overall exposure level" line.
pub fn systemd_exposure(unit: &Path) -> f64 {
    let rated = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--no-pager"])
        .arg(unit)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&rated.stdout);
    assert!(
        rated.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&rated.stderr)
    );
    let line = said
        .lines()
        .find(|line| line.contains("Overall exposure level for "))
        .unwrap_or_else(|| panic!("no overall exposure level in:\n{said}"));
    // "→ Overall exposure level for sealform.service: 1.4 OK 🙂"
    line.rsplit_once(": ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|level| level.parse().ok())
        .unwrap_or_else(|| panic!("cannot read the level in {line:?}"))
}

/// An organizer identity made with `sealform-keytool keygen --no-passphrase`.
pub struct Organizer {
    pub identity: PathBuf,
    pub recipient: String,
}

impl Organizer {
    pub fn new(dir: &Path, name: &str) -> Organizer {
        let identity = dir.join(format!("{name}.key"));
        let output = run(
            "sealform-keytool",
            &[
                "keygen",
                "--no-passphrase",
                "--out",
                identity.to_str().unwrap(),
            ],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let recipient = String::from_utf8(output.stdout).unwrap().trim().to_string();
        assert!(recipient.starts_with("age1"), "{recipient}");
        Organizer {
            identity,
            recipient,
        }
    }
}

/// A running `sealform-server` process on 127.0.0.1, port chosen by the system. Its standard
/// output and error are collected so tests can read every log line it wrote.
pub struct Server {
    child: Child,
    pub base: String,
    log: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts the server with `args` (add `--data-dir`, recipients, …) and `RUST_LOG=trace`, so
    /// that every log line the server could write is captured.
    pub fn start(args: &[&str]) -> Server {
        Self::start_under(&[], args)
    }

    /// Starts the server as [`Server::start`] does, but as the last argument of `launcher`
    /// (e.g. `strace -f -o FILE`): the child is then the launcher, and the server its child.
    pub fn start_under(launcher: &[&str], args: &[&str]) -> Server {
        Self::start_program(launcher, &workspace_bin("sealform-server"), args)
    }

    /// Starts `server`, a `sealform-server` binary from elsewhere (an installed package), as
    /// [`Server::start_under`] does.
    pub fn start_program(launcher: &[&str], server: &Path, args: &[&str]) -> Server {
        let mut command = match launcher.split_first() {
            Some((program, launcher_args)) => {
                let mut command = Command::new(program);
                command.args(launcher_args).arg(server);
                command
            }
            None => Command::new(server),
        };
        let mut child = command
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "trace")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (found, address) = mpsc::channel();
        let mut readers = Vec::new();
        let streams: [Box<dyn Read + Send>; 2] = [
            Box::new(child.stdout.take().unwrap()),
            Box::new(child.stderr.take().unwrap()),
        ];
        for stream in streams {
            let log = Arc::clone(&log);
            let found = found.clone();
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if let Some(at) = line.find("listening on http://") {
                        let _ = found.send(line[at + "listening on ".len()..].trim().to_string());
                    }
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            }));
        }
        let base = match address.recv_timeout(Duration::from_secs(30)) {
            Ok(base) => base,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start:\n{}", log.lock().unwrap());
            }
        };
        Server {
            child,
            base,
            log,
            readers,
        }
    }

    /// Sends SIGTERM (a graceful stop that flushes the store), waits for the process, and returns
    /// everything it logged.
    pub fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        let log = self.log.lock().unwrap().clone();
        assert!(
            exit.success(),
            "the server did not stop cleanly ({exit}):\n{log}"
        );
        log
    }

    /// Kills the server with SIGKILL, as a power cut or an out-of-memory kill would: no flush,
    /// no shutdown. Waits for it to be gone.
    pub fn crash(mut self) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-KILL", &pid]).status().unwrap();
        assert!(status.success());
        self.child.wait().unwrap();
    }

    /// The process id of the launcher given to [`Server::start_under`], or of the server.
    pub fn child_id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the child to exit by itself and returns everything logged.
    pub fn wait(mut self) -> String {
        self.child.wait().unwrap();
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        self.log.lock().unwrap().clone()
    }

    /// What the server has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The front page (the letter and a blank form), as `client` gets it.
pub async fn front_page(client: &reqwest::Client, base: &str) -> String {
    let page = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    page.text().await.unwrap()
}

/// Pulls the value of the hidden form token out of a form page.
pub fn form_token(html: &str) -> String {
    let at = html.find("name=\"token\"").expect("the form has a token");
    let tag_start = html[..at].rfind('<').unwrap();
    let tag_end = at + html[at..].find('>').unwrap();
    let tag = &html[tag_start..tag_end];
    let value = tag.find("value=\"").expect("the token has a value") + "value=\"".len();
    tag[value..value + tag[value..].find('"').unwrap()].to_string()
}

/// The withdrawal receipt a thank-you page shows.
pub fn receipt_of(thanks: &str) -> String {
    let marker = "<code id=\"receipt\" class=\"receipt-code\">";
    let start = thanks.find(marker).expect("a receipt on the page") + marker.len();
    thanks[start..start + thanks[start..].find('<').unwrap()].to_owned()
}

/// The option values of a choice field, in page order, read from the form page.
pub fn option_values(html: &str, field: &str) -> Vec<String> {
    let needle = format!("name=\"{field}\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let tag_start = rest[..at].rfind('<').unwrap();
        let tag_end = at + rest[at..].find('>').unwrap();
        let tag = &rest[tag_start..tag_end];
        if let Some(v) = tag.find("value=\"") {
            let v = v + "value=\"".len();
            values.push(tag[v..v + tag[v..].find('"').unwrap()].to_string());
        }
        rest = &rest[tag_end..];
    }
    values
}

/// Every file below `dir`, recursively.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Whether `needle` occurs in `haystack`.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    // A core of the server is hundreds of megabytes: a vectorized search, not `windows`.
    memchr::memmem::find(haystack, needle).is_some()
}

/// Undoes HTML character references (`&#60;`, `&#x3C;`, `&lt;`, `&amp;`, `&quot;`, …), so a test
/// can look for what a person typed in the text of a page however the page escaped it.
pub fn html_unescape(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&end| end <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `sealform-server export` of a stopped server's data folder into `out`; returns the record
/// files written.
pub fn export(data: &Path, out: &Path) -> Vec<PathBuf> {
    let output = run(
        "sealform-server",
        &[
            "export",
            "--data-dir",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    files_below(out)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "age"))
        .collect()
}

/// `sealform-keytool decrypt --format json` of a folder with one identity: the rows it printed.
pub fn decrypt_json(identity: &Path, folder: &Path) -> serde_json::Value {
    let opened = run(
        "sealform-keytool",
        &[
            "decrypt",
            "-i",
            identity.to_str().unwrap(),
            "--format",
            "json",
            folder.to_str().unwrap(),
        ],
    );
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    serde_json::from_slice(&opened.stdout).unwrap()
}

/// One test's deployment: a temporary folder with organizer keys, a data folder for the server,
/// and a folder for exports.
pub struct Site {
    pub dir: tempfile::TempDir,
    pub organizers: Vec<Organizer>,
    pub data: PathBuf,
    pub exported: PathBuf,
}

impl Site {
    /// A site with `organizers` organizer keys.
    pub fn new(organizers: usize) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let organizers = (0..organizers)
            .map(|n| Organizer::new(dir.path(), &format!("organizer-{n}")))
            .collect();
        let data = dir.path().join("data");
        let exported = dir.path().join("export");
        Site {
            dir,
            organizers,
            data,
            exported,
        }
    }

    /// Starts the server on this site's data folder, sealing to every organizer; `extra` adds
    /// flags.
    pub fn start_server(&self, extra: &[&str]) -> Server {
        self.start_server_under(&[], extra)
    }

    /// Starts the server as [`Site::start_server`] does, under `launcher`.
    pub fn start_server_under(&self, launcher: &[&str], extra: &[&str]) -> Server {
        let mut args = vec!["--data-dir", self.data.to_str().unwrap()];
        for organizer in &self.organizers {
            args.extend(["--recipient", organizer.recipient.as_str()]);
        }
        args.extend(extra);
        Server::start_under(launcher, &args)
    }

    /// Exports the (stopped) server's records; returns the record files.
    pub fn export(&self) -> Vec<PathBuf> {
        export(&self.data, &self.exported)
    }

    /// The export, opened by organizer `n` with the key tool.
    pub fn decrypt_json(&self, n: usize) -> serde_json::Value {
        decrypt_json(&self.organizers[n].identity, &self.exported)
    }
}
