//! The Debian package `deploy/build-deb` makes: its files, modes, control fields and conffile;
//! lintian's verdict; and, as root, an install into a throwaway root (`dpkg --root`), whose
//! maintainer scripts run there and whose server starts, then a remove and a purge that keep
//! the records. The host's own dpkg database and systemd are never touched.
//!
//! A release build takes minutes, so this runs in CI, or when `SEALFORM_PACKAGE_TEST=1`.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use support::{Organizer, Server};

fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// Runs a command that must succeed; returns its standard output.
fn ok(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert_success(command, &output);
    String::from_utf8(output.stdout).unwrap()
}

fn assert_success(command: &Command, output: &Output) {
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The workspace's version, as the root Cargo.toml's `[workspace.package]` gives it.
fn workspace_version() -> String {
    let manifest = std::fs::read_to_string(repo_file("Cargo.toml")).unwrap();
    let package = manifest.split("[workspace.package]").nth(1).unwrap();
    let line = package
        .lines()
        .find(|line| line.starts_with("version = "))
        .unwrap();
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .into()
}

/// What the package must hold: path → (mode, kind). Nothing else may be in it.
fn expected_files() -> BTreeMap<&'static str, &'static str> {
    let mut files = BTreeMap::new();
    for dir in [
        "./",
        "./etc/",
        "./etc/sealform/",
        "./lib/",
        "./lib/systemd/",
        "./lib/systemd/system/",
        "./usr/",
        "./usr/bin/",
        "./usr/share/",
        "./usr/share/doc/",
        "./usr/share/doc/sealform/",
        "./usr/share/doc/sealform/examples/",
        "./usr/share/man/",
        "./usr/share/man/man1/",
    ] {
        files.insert(dir, "drwxr-xr-x");
    }
    for bin in ["./usr/bin/sealform-server", "./usr/bin/sealform-keytool"] {
        files.insert(bin, "-rwxr-xr-x");
    }
    for file in [
        "./etc/sealform/sealform.toml",
        "./lib/systemd/system/sealform.service",
        "./usr/share/doc/sealform/OPERATING.md",
        "./usr/share/doc/sealform/ORGANIZERS.md",
        "./usr/share/doc/sealform/THREAT-MODEL.md",
        "./usr/share/doc/sealform/changelog.Debian.gz",
        "./usr/share/doc/sealform/copyright",
        "./usr/share/doc/sealform/examples/Caddyfile",
        "./usr/share/doc/sealform/examples/nginx-sealform.conf",
        "./usr/share/doc/sealform/examples/torrc",
        "./usr/share/man/man1/sealform-server.1.gz",
        "./usr/share/man/man1/sealform-keytool.1.gz",
    ] {
        files.insert(file, "-rw-r--r--");
    }
    files
}

/// Lintian warnings the package is allowed, each with why. Errors are never allowed; info
/// tags are printed, not judged.
const ACCEPTED_WARNINGS: [(&str, &str); 1] = [(
    "initial-upload-closes-no-bugs",
    "the package is built for one's own server, not uploaded to Debian: there is no ITP bug \
     for its changelog to close",
)];

#[test]
fn the_debian_package_builds_installs_and_keeps_the_records() {
    if !support::slow_checks_wanted()
        || !support::tool_available("dpkg-deb", "--version", "dpkg")
        || !support::tool_available("dpkg-shlibdeps", "--version", "dpkg-dev")
        || !support::tool_available("strip", "--version", "binutils")
        || !support::tool_available("help2man", "--version", "help2man")
    {
        return;
    }

    // Build. The time goes to the test's output (cargo test -- --nocapture shows it).
    let started = Instant::now();
    let built = ok(Command::new(repo_file("deploy/build-deb")).env_remove("CARGO_TARGET_DIR"));
    eprintln!("deploy/build-deb took {:.0?}", started.elapsed());
    let deb = PathBuf::from(built.lines().last().unwrap());
    let version = format!("{}-1", workspace_version());
    let arch = ok(Command::new("dpkg").arg("--print-architecture"));
    assert_eq!(
        deb,
        repo_file("").canonicalize().unwrap().join(format!(
            "target/debian/sealform_{version}_{}.deb",
            arch.trim()
        ))
    );

    // Files and modes, owned by root, and nothing else.
    let listing = ok(Command::new("dpkg-deb").arg("-c").arg(&deb));
    let mut found = BTreeMap::new();
    for line in listing.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[1], "root/root", "{line}");
        found.insert(fields[5].to_owned(), fields[0].to_owned());
    }
    let expected: BTreeMap<String, String> = expected_files()
        .into_iter()
        .map(|(path, mode)| (path.to_owned(), mode.to_owned()))
        .collect();
    assert_eq!(found, expected);

    // Control fields.
    let field = |name: &str| ok(Command::new("dpkg-deb").arg("-f").arg(&deb).arg(name));
    assert_eq!(field("Package").trim(), "sealform");
    assert_eq!(field("Version").trim(), version);
    assert_eq!(field("Architecture").trim(), arch.trim());
    let depends = field("Depends");
    assert!(depends.starts_with("libc6 (>= "), "{depends}");
    assert!(!depends.contains("sealform"), "{depends}");
    assert!(field("Installed-Size").trim().parse::<u64>().unwrap() > 1000);
    let info = ok(Command::new("dpkg-deb").arg("-I").arg(&deb));
    for member in ["conffiles", "md5sums", "postinst", "prerm", "postrm"] {
        assert!(info.contains(&format!(" {member} ")), "{info}");
    }
    let conffiles = ok(Command::new("dpkg-deb")
        .arg("-I")
        .arg(&deb)
        .arg("conffiles"));
    assert_eq!(conffiles, "/etc/sealform/sealform.toml\n");

    // The contents, against the files in deploy/.
    let dir = tempfile::tempdir().unwrap();
    let unpacked = dir.path().join("unpacked");
    ok(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&unpacked));
    let read = |path: &str| std::fs::read_to_string(unpacked.join(path)).unwrap();
    assert_eq!(
        read("etc/sealform/sealform.toml"),
        std::fs::read_to_string(repo_file("deploy/sealform.toml")).unwrap()
    );
    let unit = read("lib/systemd/system/sealform.service");
    assert_eq!(
        unit,
        std::fs::read_to_string(repo_file("deploy/systemd/sealform.service"))
            .unwrap()
            .replace("/usr/local/bin/sealform-server", "/usr/bin/sealform-server")
    );
    let copyright = read("usr/share/doc/sealform/copyright");
    assert!(copyright.starts_with(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    ));
    for needle in [
        "\nLicense: AGPL-3.0-or-later\n                     GNU AFFERO GENERAL PUBLIC LICENSE\n",
        "License: CC-BY-3.0\n Creative Commons Legal Code",
        "  age v",
    ] {
        assert!(
            copyright.contains(needle),
            "the copyright file has {needle:?}"
        );
    }
    assert_eq!(
        read("usr/share/doc/sealform/OPERATING.md"),
        std::fs::read_to_string(repo_file("docs/OPERATING.md")).unwrap()
    );

    if support::tool_available("systemd-analyze", "--version", "systemd") {
        let unit = support::unit_with_binary(
            &unpacked.join("lib/systemd/system/sealform.service"),
            "/usr/bin/sealform-server",
            &unpacked.join("usr/bin/sealform-server"),
            dir.path(),
        );
        support::systemd_verify(&unit);
        assert!(support::systemd_exposure(&unit) <= 2.0);
    }

    lintian(&deb);
    install_into_a_throwaway_root(&deb, dir.path());
}

/// Lintian's tags: no error, no warning but the accepted ones.
fn lintian(deb: &Path) {
    if !support::tool_available("lintian", "--version", "lintian") {
        return;
    }
    let output = Command::new("lintian")
        .args(["--pedantic", "--display-info", "--display-experimental"])
        .arg(deb)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    eprintln!("lintian:\n{said}");
    for line in said.lines() {
        let Some((severity, rest)) = line.split_once(": sealform: ") else {
            continue;
        };
        let tag = rest.split_whitespace().next().unwrap();
        match severity {
            "E" => panic!("lintian error: {line}"),
            "W" => assert!(
                ACCEPTED_WARNINGS
                    .iter()
                    .any(|(accepted, _)| *accepted == tag),
                "lintian warning not accepted: {line}"
            ),
            _ => {}
        }
    }
}

/// As root: `dpkg --root` into a folder that holds only a shell and the tools the maintainer
/// scripts use (they run chrooted there), then checks the install, starts the installed
/// server, reinstalls over an edited conffile, removes and purges. Elsewhere it says why not.
fn install_into_a_throwaway_root(deb: &Path, dir: &Path) {
    let uid = ok(Command::new("id").arg("-u"));
    if uid.trim() != "0" {
        eprintln!(
            "skipping the install: dpkg --root runs the maintainer scripts in a chroot, which needs root"
        );
        return;
    }
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("var/lib/dpkg/info")).unwrap();
    std::fs::create_dir_all(root.join("var/lib/dpkg/updates")).unwrap();
    std::fs::write(root.join("var/lib/dpkg/status"), "").unwrap();
    // The host's /bin, /lib… links to /usr (a merged /usr), so that paths resolve as there.
    for top in ["bin", "sbin", "lib", "lib64"] {
        if let Ok(link) = std::fs::read_link(Path::new("/").join(top))
            && link.is_relative()
        {
            std::fs::create_dir_all(root.join(&link)).unwrap();
            std::os::unix::fs::symlink(link, root.join(top)).unwrap();
        }
    }
    for tool in ["/bin/sh", "cat", "grep"] {
        copy_with_libraries(tool, &root);
    }
    // The scripts send output to /dev/null: a plain file serves, and needs no device node.
    std::fs::create_dir(root.join("dev")).unwrap();
    std::fs::write(root.join("dev/null"), "").unwrap();
    let dpkg = |args: &[&str]| {
        let mut command = Command::new("dpkg");
        command
            .arg(format!("--root={}", root.display()))
            // The throwaway root has no libc6 package to satisfy Depends.
            .arg("--force-depends")
            .args(args);
        let output = command.output().unwrap();
        assert_success(&command, &output);
        String::from_utf8(output.stdout).unwrap()
    };
    let query = |format: &str| {
        ok(Command::new("dpkg-query")
            .arg(format!(
                "--admindir={}",
                root.join("var/lib/dpkg").display()
            ))
            .args(["-W", "-f", format, "sealform"]))
    };

    // Install: the files are there, the conffile is registered, the steps are printed, and
    // nothing is started or enabled (there is no systemd in the root to start anything).
    let said = dpkg(&["-i", deb.to_str().unwrap()]);
    for step in [
        "Three steps are left",
        "sealform-keytool keygen --out organizer.key --generate-passphrase",
        "/etc/sealform/sealform.toml",
        "systemctl enable --now sealform",
    ] {
        assert!(said.contains(step), "postinst says {step:?}:\n{said}");
    }
    assert_eq!(query("${Status}"), "install ok installed");
    assert!(
        query("${Conffiles}").starts_with(" /etc/sealform/sealform.toml "),
        "{}",
        query("${Conffiles}")
    );
    let installed_server = root.join("usr/bin/sealform-server");
    assert!(installed_server.is_file());
    assert!(root.join("lib/systemd/system/sealform.service").is_file());
    assert!(
        !root
            .join("etc/systemd/system/multi-user.target.wants")
            .exists()
    );

    // The installed server refuses the placeholder, and serves once a real key is set.
    let config = root.join("etc/sealform/sealform.toml");
    let data = dir.join("data");
    let refused = Command::new(&installed_server)
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("sealform-keytool keygen"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let organizer = Organizer::new(dir, "organizer");
    let example = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        example.replace(
            "age1-replace-with-your-organizers-public-keys",
            &organizer.recipient,
        ),
    )
    .unwrap();
    let server = Server::start_program(
        &[],
        &installed_server,
        &[
            "--config",
            config.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
    );
    assert_eq!(healthz(&server.base), "HTTP/1.1 200 OK ok");
    server.stop();

    // Reinstalling (as an upgrade does) keeps the edited conffile, and says nothing more.
    let said = dpkg(&["-i", deb.to_str().unwrap()]);
    assert!(!said.contains("Three steps are left"), "{said}");
    assert!(
        std::fs::read_to_string(&config)
            .unwrap()
            .contains(&organizer.recipient)
    );

    // Records the service wrote (DynamicUser keeps them in /var/lib/private/sealform).
    let records = root.join("var/lib/private/sealform");
    std::fs::create_dir_all(&records).unwrap();
    std::fs::write(records.join("db"), "sealed records").unwrap();

    // Remove: the program goes, the configuration and the records stay.
    dpkg(&["-r", "sealform"]);
    assert_eq!(query("${Status}"), "deinstall ok config-files");
    assert!(!installed_server.exists());
    assert!(config.is_file());
    assert!(records.join("db").is_file());

    // Purge: the configuration goes; the records still stay, and the operator is told where.
    let said = dpkg(&["--purge", "sealform"]);
    assert!(!config.exists());
    assert!(records.join("db").is_file());
    assert!(
        said.contains("/var/lib/private/sealform"),
        "postrm says where the records are:\n{said}"
    );
}

/// `GET /healthz` over a plain TCP connection: the status line and the body, space-separated.
fn healthz(base: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    format!("{} {body}", head.lines().next().unwrap())
}

/// Copies the host's `tool` (a path, or a name found on PATH) and the shared libraries `ldd`
/// lists for it into `root`, at the same paths.
fn copy_with_libraries(tool: &str, root: &Path) {
    let path = ok(Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}")));
    let path = PathBuf::from(path.trim());
    let libraries = ok(Command::new("ldd").arg(&path));
    let mut files = vec![path];
    for line in libraries.lines() {
        // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux….so.2 (0x…)"
        let file = line
            .split_once("=> ")
            .map_or(line.trim(), |(_, rest)| rest)
            .split_whitespace()
            .next()
            .unwrap_or("");
        if file.starts_with('/') {
            files.push(PathBuf::from(file));
        }
    }
    for file in files {
        let target = root.join(file.strip_prefix("/").unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
    }
}
