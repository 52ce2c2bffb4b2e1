//! What the host keeps: started under `umask 000`, the server still makes its data folder 0700
//! and every file 0600, writes nothing outside it (not in its working folder, not in `$TMPDIR`),
//! and none of its files or log lines hold what was typed, the user agent or the client's
//! address — in clear, base64, hex or UTF-16. A data folder others can open is refused.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use support::{Site, files_below, form_token, front_page, workspace_bin};

const CANARY: &str = "hostcanary-Vb8Kp2";
const AGENT: &str = "agentcanary-Mf3Qz9/1.0";
const CLIENT_ADDRESS: &str = "127.0.0.77";

/// A launcher: `umask 000`, then the working folder and temporary folder given, then the program.
fn loose_umask(cwd: &Path, tmp: &Path) -> Vec<String> {
    vec![
        "sh".into(),
        "-c".into(),
        format!(
            "umask 000 && cd '{}' && TMPDIR='{}' exec \"$0\" \"$@\"",
            cwd.display(),
            tmp.display()
        ),
    ]
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn assert_private_tree(root: &Path) {
    assert_eq!(mode(root), 0o700, "{}", root.display());
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                assert_eq!(mode(&path), 0o700, "{}", path.display());
                folders.push(path);
            } else {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
            }
        }
    }
}

/// Every way `secret` could be written down: raw, UTF-16 (both byte orders), hex (both cases)
/// and base64 at each of the three alignments.
fn encodings(secret: &str) -> Vec<Vec<u8>> {
    let raw = secret.as_bytes().to_vec();
    let utf16le = secret.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be = secret.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let mut all = vec![
        raw.clone(),
        utf16le,
        utf16be,
        hex.clone().into_bytes(),
        hex.to_uppercase().into_bytes(),
    ];
    for shift in 0..3 {
        let mut shifted = vec![0u8; shift];
        shifted.extend_from_slice(&raw);
        let encoded = base64(&shifted);
        // Skip the characters that also depend on the bytes before the secret, and the end.
        let skip = if shift == 0 { 0 } else { 4 };
        all.push(encoded.as_bytes()[skip..encoded.len() - 4].to_vec());
    }
    all
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn assert_holds_none(what: &str, bytes: &[u8], secrets: &[&str]) {
    for secret in secrets {
        for encoded in encodings(secret) {
            assert!(
                memchr::memmem::find(bytes, &encoded).is_none(),
                "{what} holds {secret} (as {:?})",
                String::from_utf8_lossy(&encoded)
            );
        }
    }
}

#[tokio::test]
async fn whatever_the_umask_the_host_keeps_only_private_ciphertext_in_its_data_folder() {
    let site = Site::new(1);
    let (cwd, tmp) = (site.dir.path().join("cwd"), site.dir.path().join("tmp"));
    std::fs::create_dir(&cwd).unwrap();
    std::fs::create_dir(&tmp).unwrap();
    let launcher = loose_umask(&cwd, &tmp);
    let launcher: Vec<&str> = launcher.iter().map(String::as_str).collect();
    let server = site.start_server_under(&launcher, &["--min-form-secs", "0"]);

    let client = reqwest::Client::builder()
        .local_address(CLIENT_ADDRESS.parse::<std::net::IpAddr>().unwrap())
        .user_agent(AGENT)
        .build()
        .unwrap();
    let page = front_page(&client, &server.base).await;
    let send = |answers: Vec<(&str, String)>| {
        let mut body = form_urlencoded::Serializer::new(String::new());
        body.append_pair("token", &form_token(&page));
        for (name, value) in &answers {
            body.append_pair(name, value);
        }
        client
            .post(format!("{}/sign", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.finish())
            .send()
    };
    let wrong = send(vec![
        ("intent", "sign_and_share".into()),
        ("sign_as", "organization".into()),
        ("name", format!("{CANARY} name")),
        ("harm", format!("{CANARY} harm")),
    ])
    .await
    .unwrap();
    assert_eq!(wrong.status(), 422);
    let signed = send(vec![
        ("intent", "sign_and_share".into()),
        ("sign_as", "organization".into()),
        ("organization_name", format!("{CANARY} org")),
        ("name", format!("{CANARY} name")),
        ("email", format!("{CANARY}@mail.example")),
        ("harm", format!("{CANARY} harm")),
        ("comment", format!("{CANARY} comment")),
    ])
    .await
    .unwrap();
    assert_eq!(signed.status(), 200);
    let log = server.stop();

    assert_private_tree(&site.data);
    assert!(files_below(&cwd).is_empty(), "files in the working folder");
    assert!(
        files_below(&tmp).is_empty(),
        "files in the temporary folder"
    );
    let secrets = [CANARY, AGENT, CLIENT_ADDRESS];
    assert_holds_none("the log", log.as_bytes(), &secrets);
    for file in files_below(&site.data) {
        let what = file.display().to_string();
        assert_holds_none(&what, &std::fs::read(&file).unwrap(), &secrets);
    }

    // The export, under the same umask, is private too.
    let out = site.dir.path().join("export");
    let exported = Command::new(launcher[0])
        .args(&launcher[1..])
        .arg(workspace_bin("sealform-server"))
        .args(["export", "--data-dir"])
        .arg(&site.data)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(exported.status.success());
    assert_private_tree(&out);
    assert_eq!(files_below(&out).len(), 2, "one record and the index");
}

#[test]
fn a_data_folder_others_can_open_is_refused_with_the_fix() {
    let site = Site::new(1);
    std::fs::create_dir(&site.data).unwrap();
    std::fs::set_permissions(&site.data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = Command::new(workspace_bin("sealform-server"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&site.data)
        .args(["--recipient", &site.organizers[0].recipient])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(&format!("chmod 700 {}", site.data.display())),
        "{said}"
    );
    assert!(
        files_below(&site.data).is_empty(),
        "nothing was created in it"
    );
}

#[test]
fn the_encodings_find_what_they_should() {
    assert_eq!(base64(b"Man"), "TWFu");
    assert_eq!(base64(b"Ma"), "TWE");
    let haystack = format!("xx{}yy", base64(b"\0\0secret-value-here"));
    assert!(
        encodings("secret-value-here")
            .iter()
            .any(|e| memchr::memmem::find(haystack.as_bytes(), e).is_some())
    );
}
