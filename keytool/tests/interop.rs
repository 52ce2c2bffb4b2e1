//! Interoperability with the reference age implementation (Debian's `age` and `age-keygen`):
//! records and identities go both ways. Without `/usr/bin/age` these tests skip with a note,
//! except under CI (the `CI` variable set), where a missing binary is a failure.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;

const AGE: &str = "/usr/bin/age";
const AGE_KEYGEN: &str = "/usr/bin/age-keygen";

/// The path of a reference binary, or `None` (with a note) to skip outside CI.
fn reference(binary: &str) -> Option<PathBuf> {
    let path = PathBuf::from(binary);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "CI is set but {binary} is missing: install Debian's `age` package (apt-get install age)"
        );
    }
    eprintln!("note: skipping: {binary} is not installed (apt-get install age); CI must have it");
    None
}

fn run_ok(command: &mut Command) -> Vec<u8> {
    let output = command.stdin(Stdio::null()).output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The padded plaintext of a record, through the key tool's own opening path.
fn padded_plaintext(record: &[u8], secret: &str, public: &str) -> Vec<u8> {
    let keyring = sealform_keytool::Keyring::parse_identity_file(
        &identity_file(secret, public),
        Path::new("key.txt"),
    )
    .unwrap();
    keyring.decrypt_bytes(record).unwrap().to_vec()
}

#[test]
fn stock_age_opens_a_sealed_record_with_a_keygen_identity() {
    let Some(age) = reference(AGE) else { return };
    let dir = tempfile::tempdir().unwrap();
    let made = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["keygen", "--out", "key.txt", "--no-passphrase"],
        ),
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let public = made.stdout.trim_end();
    write(&dir.path().join("record.age"), seal_to(&record_b(), public));

    let plaintext = run_ok(Command::new(age).current_dir(dir.path()).args([
        "-d",
        "-i",
        "key.txt",
        "record.age",
    ]));
    assert!(plaintext.starts_with(br#"{"v":2,"campaign":"open-letter","campaign_version":""#));
    assert_eq!(plaintext.last(), Some(&0), "Padmé padding is zero bytes");
    let json_end = plaintext.iter().position(|&b| b == 0).unwrap();
    assert!(plaintext[json_end..].iter().all(|&b| b == 0));
    let json: serde_json::Value = serde_json::from_slice(&plaintext[..json_end]).unwrap();
    assert_eq!(json["fields"][2]["value"], "line one\nline two");
}

#[test]
fn the_keytool_opens_files_that_stock_age_encrypted() {
    let Some(age) = reference(AGE) else { return };
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("key1.txt"), identity_file(KEY_1, PUBLIC_1));
    // A record's padded plaintext, re-encrypted by the reference implementation, binary and
    // armored: the key tool must open both exactly as it opens its own.
    let padded = padded_plaintext(&seal_to(&record_a(), PUBLIC_1), KEY_1, PUBLIC_1);
    write(&dir.path().join("plain.bin"), &padded);
    for (name, armor) in [(ID_A, false), (ID_B, true)] {
        let mut command = Command::new(&age);
        command.current_dir(dir.path()).args(["-r", PUBLIC_1]);
        if armor {
            command.arg("-a");
        }
        run_ok(command.args(["-o", &format!("{name}.age"), "plain.bin"]));
    }
    let armored = fs::read_to_string(dir.path().join(format!("{ID_B}.age"))).unwrap();
    assert!(armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));

    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &[
                "decrypt",
                "-i",
                "key1.txt",
                "--format",
                "jsonl",
                &format!("{ID_A}.age"),
                &format!("{ID_B}.age"),
            ],
        ),
    );
    let fields = r#""campaign":"open-letter","campaign_version":"0000000000000000000000000000000000000000000000000000000000000000","language":"en","received":"2026-11-28","fields":{"sign_as":"individual","name":"Mai","actions":["a","b"],"consent_public":true}}"#;
    assert_eq!(
        out,
        ok(&format!(
            "{{\"record\":\"{ID_A}\",{fields}\n{{\"record\":\"{ID_B}\",{fields}\n"
        ))
    );

    // Arbitrary age files open through the library's age layer, byte for byte.
    write(&dir.path().join("note.txt"), "not a record, just bytes\n");
    run_ok(
        Command::new(&age)
            .current_dir(dir.path())
            .args(["-r", PUBLIC_1, "-o", "note.age", "note.txt"]),
    );
    let keyring = sealform_keytool::Keyring::parse_identity_file(
        &identity_file(KEY_1, PUBLIC_1),
        Path::new("key1.txt"),
    )
    .unwrap();
    let note = fs::read(dir.path().join("note.age")).unwrap();
    assert_eq!(
        keyring.decrypt_bytes(&note).unwrap().as_slice(),
        b"not a record, just bytes\n"
    );
    // ... and the record layer refuses it as a record, with a reason.
    assert!(matches!(
        keyring.open_record(&note),
        Err(seal::Error::BadPadding { .. } | seal::Error::Malformed(_))
    ));
}

#[test]
fn the_keytool_uses_identities_made_by_age_keygen() {
    let (Some(age_keygen), Some(_)) = (reference(AGE_KEYGEN), reference(AGE)) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        Command::new(&age_keygen)
            .current_dir(dir.path())
            .args(["-o", "stock.key"]),
    );
    let public = String::from_utf8(run_ok(
        Command::new(&age_keygen)
            .current_dir(dir.path())
            .args(["-y", "stock.key"]),
    ))
    .unwrap();
    assert_eq!(
        run(
            dir.path(),
            &mut keytool(dir.path(), &["recipient", "-i", "stock.key"])
        ),
        ok(&public)
    );

    write(
        &dir.path().join(format!("{ID_A}.age")),
        seal_to(&record_a(), public.trim_end()),
    );
    let out = run(
        dir.path(),
        &mut keytool(
            dir.path(),
            &["decrypt", "-i", "stock.key", &format!("{ID_A}.age")],
        ),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.ends_with(&format!(
        "\r\n{ID_A},open-letter,en,2026-11-28,individual,Mai,a; b,yes\r\n"
    )));
}

/// A passphrase-protected identity from `keygen` opens records in the key tool, and in the stock
/// `age -d -i` too. age 1.1.1 reads passphrases from a terminal only, so that half runs under
/// util-linux `script`, which gives it one; it is skipped (with a note) where `script` is missing.
#[test]
fn a_protected_keygen_identity_works_in_the_keytool_and_in_stock_age() {
    let Some(age) = reference(AGE) else { return };
    let dir = tempfile::tempdir().unwrap();
    let passphrase = "a long passphrase for the test";
    let made = keygen_protected(dir.path(), passphrase);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let public = made.stdout.trim_end().to_owned();
    let record = seal_to(&record_a(), &public);
    write(&dir.path().join("record.age"), &record);

    let opened = run(
        dir.path(),
        keytool(
            dir.path(),
            &[
                "decrypt",
                "-i",
                "key.age",
                "--passphrase-env",
                "SEALFORM_PASSPHRASE",
                "--format",
                "jsonl",
                "record.age",
            ],
        )
        .env("SEALFORM_PASSPHRASE", passphrase),
    );
    assert_eq!(opened.code, 0, "{}", opened.stderr);
    assert!(
        opened
            .stdout
            .starts_with(r#"{"record":"record","campaign":"open-letter""#)
    );

    let script = Path::new("/usr/bin/script");
    if !script.is_file() {
        eprintln!("note: skipping the stock age half: util-linux `script` is not installed");
        return;
    }
    let mut child = Command::new(script)
        .current_dir(dir.path())
        .args(["-q", "-e", "-c"])
        .arg(format!(
            "{} -d -i key.age -o plain.bin record.age",
            age.display()
        ))
        .arg("/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{passphrase}\n").as_bytes())
        .unwrap();
    // A terminal that swallowed the typed line would leave age waiting: give up after a minute.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("stock age did not finish within a minute under `script`");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "stock age refused the protected identity");
    let plaintext = fs::read(dir.path().join("plain.bin")).unwrap();
    assert!(plaintext.starts_with(br#"{"v":2,"campaign":"open-letter","campaign_version":""#));
    let json_end = plaintext
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(plaintext.len());
    assert_eq!(plaintext.len() as u64, seal::padme(json_end as u64));
}
