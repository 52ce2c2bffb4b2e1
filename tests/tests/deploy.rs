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

#[test]
fn the_tor_configuration_is_valid() {
    if !support::tool_available("tor", "--version", "tor") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let service = dir.path().join("onion-service");
    std::fs::create_dir(&service).unwrap();
    std::fs::set_permissions(
        &service,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let torrc = std::fs::read_to_string(repo_file("deploy/tor/torrc"))
        .unwrap()
        .replace("/var/lib/tor/sealform/", &format!("{}/", service.display()));
    assert!(torrc.contains("HiddenServiceExportCircuitID haproxy"));
    let config = dir.path().join("torrc");
    std::fs::write(&config, torrc).unwrap();
    let checked = std::process::Command::new("tor")
        .arg("--verify-config")
        .arg("-f")
        .arg(&config)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success() && said.contains("Configuration was valid"),
        "{said}"
    );
}

#[test]
fn the_nginx_site_is_valid() {
    if !support::tool_available("nginx", "-v", "nginx-light")
        || !support::tool_available("openssl", "version", "openssl")
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args([
            "-nodes",
            "-subj",
            "/CN=sign.example.org",
            "-days",
            "1",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(made.status.success());
    // The site as shipped, with a throwaway certificate and logs in the test's folder.
    let site = std::fs::read_to_string(repo_file("deploy/nginx/sealform.conf"))
        .unwrap()
        .replace(
            "/etc/letsencrypt/live/sign.example.org/fullchain.pem",
            cert.to_str().unwrap(),
        )
        .replace(
            "/etc/letsencrypt/live/sign.example.org/privkey.pem",
            key.to_str().unwrap(),
        )
        .replace(
            "/var/log/nginx/sealform-error.log",
            dir.path().join("error.log").to_str().unwrap(),
        );
    assert!(site.contains("limit_conn sealform_per_client"));
    std::fs::write(dir.path().join("site.conf"), site).unwrap();
    let main = format!(
        "pid {0}/nginx.pid;\nerror_log {0}/main-error.log;\nevents {{}}\nhttp {{\n  access_log off;\n  include {0}/site.conf;\n}}\n",
        dir.path().display()
    );
    std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
    let checked = std::process::Command::new("nginx")
        .arg("-t")
        .arg("-c")
        .arg(dir.path().join("nginx.conf"))
        .arg("-p")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}
