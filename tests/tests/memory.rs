//! Nothing a person typed is left in the server's memory once their request is over, and the
//! server's memory never reaches disk in a core dump.
//!
//! - Started with a core limit of "unlimited", the server still leaves no core file when it
//!   aborts: it turns core dumps off for itself (and a control process in the same setting does
//!   leave one, so the test can see a core when there is one).
//! - A `gcore` of the live server, taken after ten people have signed and their connections have
//!   closed, contains none of the values they typed, in UTF-8 or UTF-16.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{Site, contains_bytes, form_token, front_page, tool_available};

/// A launcher that lifts the core limit, moves into `dir`, and runs the program it is given.
fn with_cores_allowed(dir: &Path) -> Vec<String> {
    vec![
        "sh".into(),
        "-c".into(),
        format!(
            "ulimit -c unlimited && cd '{}' && exec \"$0\" \"$@\"",
            dir.display()
        ),
    ]
}

/// How many sockets process `pid` has open.
fn open_sockets(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|fds| {
            fds.filter_map(Result::ok)
                .filter(|fd| {
                    std::fs::read_link(fd.path())
                        .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"))
                })
                .count()
        })
        .unwrap_or(0)
}

fn core_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("core"))
        .collect()
}

fn signal(pid: u32, name: &str) {
    assert!(
        Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
}

/// Waits until `dir` has a core file or `limit` passes.
fn wait_for_core(dir: &Path, limit: Duration) -> Vec<String> {
    let started = Instant::now();
    loop {
        let cores = core_files(dir);
        if !cores.is_empty() || started.elapsed() > limit {
            return cores;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_aborting_server_leaves_no_core_file() {
    let site = Site::new(1);
    let cwd = site.dir.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();

    // The control: the same launcher, an ordinary process, the same signal.
    let launcher = with_cores_allowed(&cwd);
    let mut control = Command::new(&launcher[0])
        .args(&launcher[1..])
        .arg("sleep")
        .arg("30")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    signal(control.id(), "ABRT");
    control.wait().unwrap();
    let control_cores = wait_for_core(&cwd, Duration::from_secs(5));
    if control_cores.is_empty() {
        // Cores go elsewhere here (a core_pattern pipe to a crash collector): nothing to see.
        assert!(
            std::env::var_os("CI").is_none()
                || !std::fs::read_to_string("/proc/sys/kernel/core_pattern")
                    .unwrap_or_default()
                    .starts_with("core"),
            "a plain process left no core file although core_pattern writes one"
        );
        eprintln!("skipping: this machine does not write core files into the working folder");
        return;
    }
    for name in control_cores {
        std::fs::remove_file(cwd.join(name)).unwrap();
    }

    let launcher: Vec<&str> = launcher.iter().map(String::as_str).collect();
    let server = site.start_server_under(&launcher, &["--min-form-secs", "0"]);
    // The launcher `exec`s, so its process is the server.
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.child_id())).unwrap();
    let core_limit = limits
        .lines()
        .find(|line| line.starts_with("Max core file size"))
        .unwrap();
    assert!(
        core_limit
            .split_whitespace()
            .skip(4)
            .take(2)
            .all(|v| v == "0"),
        "{core_limit}"
    );
    signal(server.child_id(), "ABRT");
    server.wait();
    assert_eq!(
        wait_for_core(&cwd, Duration::from_secs(3)),
        Vec::<String>::new(),
        "the server left a core file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_core_of_the_live_server_holds_nothing_anyone_typed() {
    if !tool_available("gdb", "--version", "gdb") {
        return;
    }
    let site = Site::new(1);
    let server = site.start_server(&["--min-form-secs", "0", "--no-rate-limit"]);
    let idle_sockets = open_sockets(server.child_id());
    let mut canaries = Vec::new();
    for n in 0..10 {
        // Each person's own client: its connection closes when it is dropped.
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        let canary = |field: &str| format!("Canary{field}{n}Xq7 \u{7530}\u{4e2d}");
        let (name, org, email, harm, comment) = (
            canary("Name"),
            canary("Org"),
            format!("canary{n}@mail.example"),
            canary("Harm").repeat(20),
            canary("Comment"),
        );
        let page = front_page(&client, &server.base).await;
        let mut body = form_urlencoded::Serializer::new(String::new());
        body.append_pair("token", &form_token(&page))
            .append_pair("intent", "sign_and_share")
            .append_pair("sign_as", "organization")
            .append_pair("name", &name)
            .append_pair("organization_name", &org)
            .append_pair("email", &email)
            .append_pair("harm", &harm)
            .append_pair("comment", &comment);
        // Every other person first makes a mistake, so the form comes back with their answers.
        if n % 2 == 1 {
            let mut wrong = form_urlencoded::Serializer::new(String::new());
            wrong
                .append_pair("token", &form_token(&page))
                .append_pair("intent", "sign_and_share")
                .append_pair("sign_as", "organization")
                .append_pair("name", &name)
                .append_pair("email", "not an address")
                .append_pair("harm", &harm);
            let answer = client
                .post(format!("{}/sign", server.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(wrong.finish())
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 422);
            assert!(answer.text().await.unwrap().contains(&name));
        }
        let answer = client
            .post(format!("{}/sign", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.finish())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        answer.text().await.unwrap();
        drop(client);
        canaries.extend([name, org, email, harm, comment]);
    }
    // Wait until the server has closed every signer's connection (and so freed its buffers).
    let waiting = std::time::Instant::now();
    while open_sockets(server.child_id()) > idle_sockets
        && waiting.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    let prefix = site.dir.path().join("live");
    let gcore = Command::new("gcore")
        .arg("-o")
        .arg(&prefix)
        .arg(server.child_id().to_string())
        .output()
        .unwrap();
    let core_path = prefix.with_extension(server.child_id().to_string());
    assert!(
        core_path.exists(),
        "gcore wrote no core: {}",
        String::from_utf8_lossy(&gcore.stderr)
    );
    let core = std::fs::read(&core_path).unwrap();
    std::fs::remove_file(&core_path).unwrap();
    server.stop();

    // The check can see a value that is there: the server's own address is in its memory.
    assert!(contains_bytes(&core, b"127.0.0.1"));
    let mut found = Vec::new();
    for canary in &canaries {
        // The first 12 characters are enough to find any copy, whole or cut.
        let probe: String = canary.chars().take(12).collect();
        let utf16: Vec<u8> = probe.encode_utf16().flat_map(u16::to_le_bytes).collect();
        if contains_bytes(&core, probe.as_bytes()) || contains_bytes(&core, &utf16) {
            found.push(probe);
        }
    }
    assert!(
        found.is_empty(),
        "the live server's memory still holds what people typed: {found:?}"
    );
}
