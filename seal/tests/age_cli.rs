//! Interoperability with the stock `age` CLI (Debian's `age` package): a sealed record is a
//! standard age file that `age -d -i key.txt` decrypts to the padded JSON.

use std::io::Write;
use std::process::{Command, Stdio};

use age::x25519;
use seal::{Field, FieldValue, RecipientSet, Submission};

/// The `age` binary, or `None` outside CI when it is not installed. In CI a missing tool fails.
fn age_cli() -> Option<&'static str> {
    let found = Command::new("age")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    match (found, std::env::var_os("CI").is_some()) {
        (true, _) => Some("age"),
        (false, true) => panic!("the age CLI is required in CI: apt-get install age"),
        (false, false) => {
            eprintln!("skipping: the age CLI is not installed (apt-get install age)");
            None
        }
    }
}

#[test]
fn age_cli_decrypts_a_sealed_record_to_the_padded_json() {
    let Some(age) = age_cli() else { return };
    let dir = tempfile::tempdir().unwrap();
    let identity = x25519::Identity::generate();
    let key_path = dir.path().join("key.txt");
    std::fs::write(
        &key_path,
        format!(
            "{}\n",
            age::secrecy::ExposeSecret::expose_secret(&identity.to_string())
        ),
    )
    .unwrap();
    let recipients = RecipientSet::new(vec![
        identity.to_public(),
        x25519::Identity::generate().to_public(),
    ])
    .unwrap();
    let testimony = "Quelqu'un m'a dit: « ça suffit » — 他们来了\n第二行";
    let submission = Submission::new(
        "open-letter".into(),
        "0".repeat(64),
        "fr".into(),
        "2026-11-28".parse().unwrap(),
        vec![Field::new("harm", FieldValue::Text(testimony.into()))],
    );
    let record = seal::seal(&submission, &recipients).unwrap();
    let record_path = dir.path().join("record.age");
    std::fs::write(&record_path, &record).unwrap();

    let output = Command::new(age)
        .args(["-d", "-i"])
        .arg(&key_path)
        .arg(&record_path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let plaintext = output.stdout;
    let json_len = plaintext
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(plaintext.len());
    assert_eq!(plaintext.len() as u64, seal::padme(json_len as u64));
    assert!(plaintext[json_len..].iter().all(|&b| b == 0));
    let json: serde_json::Value = serde_json::from_slice(&plaintext[..json_len]).unwrap();
    assert_eq!(json["v"], 2);
    assert_eq!(json["campaign_version"], "0".repeat(64));
    assert_eq!(json["lang"], "fr");
    assert_eq!(json["fields"][0]["value"], testimony);
}

#[test]
fn records_encrypted_by_the_age_cli_open_in_sealform() {
    let Some(age) = age_cli() else { return };
    let identity = x25519::Identity::generate();
    let json = br#"{"v":1,"campaign":"c","lang":"en","received":"2026-01-02","fields":[{"name":"comment","kind":"text","value":"hi"}]}"#;
    let mut child = Command::new(age)
        .args(["-e", "-a", "-r", &identity.to_public().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&seal::pad(json))
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    // Armored, too: the opening path accepts both encodings.
    assert!(
        output
            .stdout
            .starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
    );
    let opened = seal::open(&output.stdout, &[&identity as &dyn age::Identity]).unwrap();
    assert_eq!(
        opened.expose_field("comment"),
        Some(&FieldValue::Text("hi".into()))
    );
}
