//! The files in `deploy/` name the server's flags and settings: start the real server with them,
//! so a renamed flag or setting breaks this test rather than someone's deployment.

mod support;

use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// The unit's command line, with the example config file in place of
/// /etc/sealform/sealform.toml (a real key set, a temporary data folder), starts the server.
#[tokio::test]
async fn the_systemd_unit_starts_the_server_with_the_example_config() {
    let unit = std::fs::read_to_string(repo_file("deploy/systemd/sealform.service")).unwrap();
    let exec: Vec<&str> = unit
        .lines()
        .find_map(|line| line.strip_prefix("ExecStart="))
        .expect("the unit has an ExecStart line")
        .split_whitespace()
        .collect();
    assert_eq!(
        exec,
        [
            "/usr/local/bin/sealform-server",
            "--config",
            "/etc/sealform/sealform.toml"
        ],
        "every setting is in the config file, which the package installs there"
    );
    for line in [
        "Environment=RUST_LOG=warn",
        "DynamicUser=yes",
        "StateDirectory=sealform",
        "StateDirectoryMode=0700",
    ] {
        assert!(unit.lines().any(|l| l == line), "the unit sets {line}");
    }
    let example = std::fs::read_to_string(repo_file("deploy/sealform.toml")).unwrap();
    assert!(
        example.contains("data_dir = \"/var/lib/sealform\""),
        "the example config keeps records in the unit's StateDirectory"
    );

    let dir = tempfile::tempdir().unwrap();
    let organizer = Organizer::new(dir.path(), "organizer");
    let config = dir.path().join("sealform.toml");
    std::fs::write(
        &config,
        example.replace(
            "age1-replace-with-your-organizers-public-keys",
            &organizer.recipient,
        ),
    )
    .unwrap();
    let data = dir.path().join("data");
    let server = Server::start(&[
        exec[1],
        config.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    healthy(&server).await;
    let response = reqwest::get(format!("{}/", server.base)).await.unwrap();
    assert!(
        response.headers().contains_key("strict-transport-security"),
        "the unit serves over TLS"
    );
    server.stop();
}

/// The unit passes `systemd-analyze verify` (with a real binary in ExecStart) and its sandbox
/// keeps `systemd-analyze security` at 2.0 or below ("OK"; it is 1.4 as written).
#[test]
fn the_systemd_unit_is_valid_and_tightly_sandboxed() {
    if !support::tool_available("systemd-analyze", "--version", "systemd") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let unit = support::unit_with_binary(
        &repo_file("deploy/systemd/sealform.service"),
        "/usr/local/bin/sealform-server",
        &support::workspace_bin("sealform-server"),
        dir.path(),
    );
    support::systemd_verify(&unit);
    let exposure = support::systemd_exposure(&unit);
    assert!(
        exposure <= 2.0,
        "systemd-analyze security rates the unit {exposure}, above 2.0"
    );
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
    assert!(
        site.contains("upstream sealform {") && site.contains("proxy_pass http://sealform;"),
        "the site proxies to an upstream list that can hold several instances"
    );
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

/// `caddy` with its home, data and config folders in `home`, so that nothing is written to the
/// machine's, and without the variables the Caddyfile reads.
fn caddy(home: &Path) -> Command {
    let mut command = Command::new("caddy");
    command
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("SEALFORM_DOMAIN")
        .env_remove("SEALFORM_UPSTREAM")
        .stdin(Stdio::null());
    command
}

/// The Caddyfile passes `caddy validate` as shipped (the placeholder domain, automatic HTTPS)
/// and with the domain and upstream compose.yaml gives it; as Caddy reads it, no server keeps
/// an access log, the default log drops request logs, and no response header is added.
#[test]
fn the_caddyfile_is_valid_and_logs_no_request() {
    if !support::tool_available("caddy", "version", "caddy") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let caddyfile = repo_file("deploy/caddy/Caddyfile");
    for env in [
        &[][..],
        &[
            ("SEALFORM_DOMAIN", "sign.example.net"),
            ("SEALFORM_UPSTREAM", "sealform:8080"),
        ],
    ] {
        let checked = caddy(dir.path())
            .args(["validate", "--adapter", "caddyfile", "--config"])
            .arg(&caddyfile)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&checked.stdout),
            String::from_utf8_lossy(&checked.stderr)
        );
        assert!(
            checked.status.success() && said.contains("Valid configuration"),
            "{said}"
        );
    }

    let adapted = caddy(dir.path())
        .args(["adapt", "--adapter", "caddyfile", "--config"])
        .arg(&caddyfile)
        .output()
        .unwrap();
    assert!(adapted.status.success());
    let config: serde_json::Value = serde_json::from_slice(&adapted.stdout).unwrap();
    let servers = config["apps"]["http"]["servers"].as_object().unwrap();
    for (name, server) in servers {
        assert!(server.get("logs").is_none(), "{name} keeps an access log");
        assert!(
            server.get("automatic_https").is_none(),
            "{name} changes automatic HTTPS"
        );
        assert_eq!(server["listen"], serde_json::json!([":443"]), "{name}");
    }
    assert_eq!(
        config["logging"]["logs"]["default"]["exclude"],
        serde_json::json!(["http.log.access", "http.log.error"])
    );
    let text = String::from_utf8(adapted.stdout).unwrap();
    assert!(text.contains(r#""host":["sign.example.org"]"#), "{text}");
    assert!(text.contains(r#""dial":"127.0.0.1:8080""#), "{text}");
    assert!(
        !text.contains(r#""response""#) && !text.contains(r#""handler":"headers""#),
        "security headers are the server's: Caddy adds none\n{text}"
    );
}

/// A free TCP port on 127.0.0.1 (free when this returns).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An HTTP client whose connections come from `address` (any 127.x address is this machine).
fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

/// The real server behind the real Caddy with the shipped Caddyfile: pages come through with
/// the server's own headers, the organizer API is reached, each client gets its own rate limit
/// (Caddy passes its address in X-Forwarded-For, and replaces one the client sends), and when
/// sealform is down Caddy logs nothing about the requests it could not serve.
#[tokio::test]
async fn behind_caddy_clients_are_told_apart_and_nothing_about_them_is_logged() {
    if !support::tool_available("caddy", "version", "caddy") {
        return;
    }
    let site = support::Site::new(1);
    let server = site.start_server(&[
        "--trusted-proxy",
        "127.0.0.1",
        "--rate-burst",
        "1",
        "--rate-refill-secs",
        "3600",
    ]);
    let upstream = server.base.strip_prefix("http://").unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    // As shipped, with Caddy's admin endpoint off so that the test needs no fixed port.
    let shipped = std::fs::read_to_string(repo_file("deploy/caddy/Caddyfile")).unwrap();
    let caddyfile = shipped.replacen("\n{\n", "\n{\n\tadmin off\n", 1);
    assert_ne!(caddyfile, shipped);
    std::fs::write(dir.path().join("Caddyfile"), caddyfile).unwrap();
    let port = free_port();
    let log_path = dir.path().join("caddy.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut proxy = caddy(dir.path())
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(dir.path().join("Caddyfile"))
        .env("SEALFORM_DOMAIN", format!("http://127.0.0.1:{port}"))
        .env("SEALFORM_UPSTREAM", &upstream)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "caddy did not start:\n{}",
            std::fs::read_to_string(&log_path).unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let front = format!("http://127.0.0.1:{port}");
    let (one, other) = (client_from("127.0.0.3"), client_from("127.0.0.4"));

    let page = one.get(format!("{front}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()
            .get_all("content-security-policy")
            .iter()
            .count(),
        1,
        "the server's own header, once"
    );

    let challenge = |client: &reqwest::Client, forwarded: Option<&str>| {
        let mut request = client.post(format!("{front}/organizer/challenge"));
        if let Some(address) = forwarded {
            request = request.header("x-forwarded-for", address);
        }
        request.send()
    };
    assert_eq!(challenge(&one, None).await.unwrap().status(), 200);
    assert_eq!(challenge(&one, None).await.unwrap().status(), 429);
    assert_eq!(
        challenge(&other, None).await.unwrap().status(),
        200,
        "another client has its own limit: the server reads the address Caddy passes"
    );
    assert_eq!(
        challenge(&one, Some("203.0.113.7")).await.unwrap().status(),
        429,
        "an address the client makes up does not reach the server"
    );

    server.stop();
    let down = one.get(format!("{front}/privacy")).send().await.unwrap();
    assert!(
        matches!(down.status().as_u16(), 502 | 503),
        "{}",
        down.status()
    );
    proxy.kill().unwrap();
    proxy.wait().unwrap();
    let logged = std::fs::read_to_string(&log_path).unwrap();
    assert!(logged.contains("serving initial configuration"), "{logged}");
    for trace in [
        "127.0.0.3",
        "127.0.0.4",
        "203.0.113.7",
        "/privacy",
        "/organizer",
        "handled request",
    ] {
        assert!(!logged.contains(trace), "caddy logged {trace}:\n{logged}");
    }
}

/// The compose file parses as YAML (no container engine here: see docs/OPERATING.md) and
/// names the image, the data volume, the port and Caddy's address as the Containerfile and
/// the server's settings have them.
#[test]
fn the_compose_file_and_the_containerfile_agree() {
    let containerfile =
        std::fs::read_to_string(repo_file("deploy/container/Containerfile")).unwrap();
    let instructions: Vec<&str> = containerfile
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with(' ') && !line.is_empty())
        .collect();
    let froms: Vec<&&str> = instructions
        .iter()
        .filter(|line| line.starts_with("FROM "))
        .collect();
    assert_eq!(froms.len(), 2, "a build stage and a runtime stage");
    assert!(froms[0].ends_with(" AS build"), "{}", froms[0]);
    for expected in [
        "USER 10001:10001",
        "VOLUME /data",
        "EXPOSE 8080",
        "ENV RUST_LOG=warn",
        "COPY --from=build /src/target/release/sealform-server /usr/local/bin/sealform-server",
        r#"ENTRYPOINT ["/usr/local/bin/sealform-server", "--listen", "0.0.0.0:8080", "--data-dir", "/data"]"#,
    ] {
        assert!(
            instructions.contains(&expected),
            "the Containerfile has {expected}"
        );
    }
    assert!(containerfile.contains("install -d -o sealform -g sealform -m 0700 /data"));
    assert!(containerfile.contains("-t sealform ."));

    if !support::tool_available("python3", "--version", "python3-yaml") {
        return;
    }
    let compose_path = repo_file("deploy/container/compose.yaml");
    let parsed = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
        ])
        .arg(&compose_path)
        .output()
        .unwrap();
    assert!(
        parsed.status.success(),
        "compose.yaml does not parse (python3-yaml installed?): {}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let compose: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
    let sealform = &compose["services"]["sealform"];
    let caddy = &compose["services"]["caddy"];
    let compose_dir = compose_path.parent().unwrap();

    // Built from the repository root with the Containerfile, under the name its comment uses.
    let context = compose_dir.join(sealform["build"]["context"].as_str().unwrap());
    assert_eq!(
        context.canonicalize().unwrap(),
        repo_file("").canonicalize().unwrap()
    );
    let dockerfile = sealform["build"]["dockerfile"].as_str().unwrap();
    assert_eq!(dockerfile, "deploy/container/Containerfile");
    assert_eq!(sealform["image"], "sealform");

    // The data volume on the Containerfile's VOLUME, declared; no host port for the server.
    assert_eq!(
        sealform["volumes"],
        serde_json::json!(["sealform-data:/data"])
    );
    assert!(compose["volumes"].get("sealform-data").is_some());
    assert_eq!(sealform["expose"], serde_json::json!(["8080"]));
    assert!(sealform.get("ports").is_none(), "only Caddy is published");
    assert_eq!(sealform["environment"]["RUST_LOG"], "warn");
    assert_eq!(sealform["read_only"], true);
    assert_eq!(sealform["cap_drop"], serde_json::json!(["ALL"]));

    // Caddy: the shipped Caddyfile, pointed at the server's service name and EXPOSE port,
    // from the one address the server trusts.
    assert_eq!(caddy["environment"]["SEALFORM_UPSTREAM"], "sealform:8080");
    let mount = "../caddy/Caddyfile:/etc/caddy/Caddyfile:ro";
    assert!(
        caddy["volumes"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(mount))
    );
    assert!(compose_dir.join("../caddy/Caddyfile").is_file());
    let caddyfile = std::fs::read_to_string(repo_file("deploy/caddy/Caddyfile")).unwrap();
    assert!(caddyfile.contains("{$SEALFORM_DOMAIN:") && caddyfile.contains("{$SEALFORM_UPSTREAM:"));
    let caddy_address = caddy["networks"]["sealform"]["ipv4_address"]
        .as_str()
        .unwrap();
    assert_eq!(
        sealform["environment"]["SEALFORM_TRUSTED_PROXY"],
        caddy_address
    );
    let subnet = compose["networks"]["sealform"]["ipam"]["config"][0]["subnet"]
        .as_str()
        .unwrap();
    assert!(caddy_address.starts_with(subnet.strip_suffix("0/24").unwrap()));
    for port in ["80:80", "443:443"] {
        assert!(
            caddy["ports"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!(port))
        );
    }
}
