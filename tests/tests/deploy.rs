//! The files in `deploy/` name the server's flags and settings: start the real server with them,
//! so a renamed flag or setting breaks this test rather than someone's deployment.

mod support;

use std::path::{Path, PathBuf};

use support::{Organizer, Server, run};

fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

async fn healthy(server: &Server) {
    let response = reqwest::get(format!("{}/healthz", server.base))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn the_example_config_file_starts_the_server_once_a_real_key_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let config = repo_file("deploy/sealform.toml");
    let data = dir.path().join("data");
    let refused = run(
        "sealform-server",
        &[
            "--config",
            config.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("placeholder") && said.contains("sealform-keytool keygen"),
        "{said}"
    );
    assert!(!data.exists(), "nothing is created before the key is real");

    let organizer = Organizer::new(dir.path(), "organizer");
    let server = Server::start(&[
        "--config",
        config.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
        "--recipient",
        &organizer.recipient,
    ]);
    healthy(&server).await;
    let log = server.stop();
    assert!(log.contains("trusted proxy"), "{log}");
}

#[tokio::test]
async fn the_systemd_unit_flags_start_the_server() {
    let unit = std::fs::read_to_string(repo_file("deploy/systemd/sealform.service")).unwrap();
    let exec = unit
        .split("ExecStart=")
        .nth(1)
        .unwrap()
        .split("\n#")
        .next()
        .unwrap()
        .replace("\\\n", " ");
    let dir = tempfile::tempdir().unwrap();
    let organizer = Organizer::new(dir.path(), "organizer");
    let recipients = dir.path().join("recipients.txt");
    std::fs::write(
        &recipients,
        format!("# organizer\n{}\n", organizer.recipient),
    )
    .unwrap();
    let data = dir.path().join("data");
    let mut args: Vec<String> = exec
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect();
    // The unit's own paths and port, swapped for this test's.
    for (flag, value) in [
        ("--data-dir", data.to_str().unwrap()),
        ("--recipients-file", recipients.to_str().unwrap()),
    ] {
        let at = args
            .iter()
            .position(|a| a == flag)
            .unwrap_or_else(|| panic!("the unit sets {flag}"));
        args[at + 1] = value.to_string();
    }
    let listen = args
        .iter()
        .position(|a| a == "--listen")
        .expect("the unit sets --listen");
    args.drain(listen..listen + 2);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = Server::start(&args);
    healthy(&server).await;
    let response = reqwest::get(format!("{}/", server.base)).await.unwrap();
    assert!(
        response.headers().contains_key("strict-transport-security"),
        "the unit serves over TLS"
    );
    server.stop();
}
