//! The C2SP CCTV age test vectors (public domain; see `tests/data/cctv/README.md`), every one of
//! them, through the key tool's opening path ([`Keyring::decrypt_bytes`]).
//!
//! A vector that expects success must give exactly its payload (by SHA-256); every other one must
//! be refused with an error, never a panic. The few places where the age crate knowingly differs
//! from the vectors are listed below, as in the age crate's own `tests/testkit.rs`.

use std::io::{BufRead, BufReader, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use sealform_keytool::Keyring;
use sha2::{Digest, Sha256};

/// How many vectors the copied directory holds; a lost file fails the test.
const VECTOR_COUNT: usize = 123;

/// The age crate still accepts stanzas without a final short body line (files written by early
/// age versions), so these two header failures may decrypt.
const LEGACY_STANZAS: [&str; 2] = ["stanza_missing_body", "stanza_missing_final_line"];

/// The age crate detects armor by its first bytes, so armor with a bad begin line is read as a
/// binary file and refused as "not an age file" instead of as bad armor.
const BAD_BEGIN_LINES: [&str; 4] = [
    "armor_garbage_leading",
    "armor_lowercase",
    "armor_whitespace_begin",
    "armor_wrong_type",
];

/// Armor after leading whitespace is valid by the spec, but the age crate refuses it (for the
/// same reason as above): a refusal is accepted here, never a wrong payload.
const LEADING_WHITESPACE: &str = "armor_whitespace_outside";

#[derive(Debug, PartialEq, Eq)]
enum Expect {
    Success { payload_sha256: [u8; 32] },
    ArmorFailure,
    HeaderFailure,
    HmacFailure,
    NoMatch,
    PayloadFailure,
}

struct Vector {
    name: String,
    expect: Expect,
    identities: Vec<String>,
    passphrases: Vec<String>,
    age_file: Vec<u8>,
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cctv")
}

fn parse(path: &Path) -> Vector {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut reader = BufReader::new(std::fs::File::open(path).unwrap());
    let mut expect = None;
    let mut payload_sha256 = None;
    let mut identities = Vec::new();
    let mut passphrases = Vec::new();
    let mut compressed = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{name}: header line {line:?}"));
        match key {
            "expect" => expect = Some(value.to_owned()),
            "payload" => {
                payload_sha256 = Some(<[u8; 32]>::try_from(hex::decode(value).unwrap()).unwrap())
            }
            "identity" => identities.push(value.to_owned()),
            "passphrase" => passphrases.push(value.to_owned()),
            "compressed" => {
                assert_eq!(value, "zlib", "{name}");
                compressed = true;
            }
            "file key" | "armored" | "comment" => {}
            other => panic!("{name}: unknown header {other:?}"),
        }
    }
    let mut age_file = Vec::new();
    if compressed {
        flate2::read::ZlibDecoder::new(reader)
            .read_to_end(&mut age_file)
            .unwrap();
    } else {
        reader.read_to_end(&mut age_file).unwrap();
    }
    let expect = match expect.as_deref() {
        Some("success") => Expect::Success {
            payload_sha256: payload_sha256.expect("a success has a payload"),
        },
        Some("armor failure") => Expect::ArmorFailure,
        Some("header failure") => Expect::HeaderFailure,
        Some("HMAC failure") => Expect::HmacFailure,
        Some("no match") => Expect::NoMatch,
        Some("payload failure") => Expect::PayloadFailure,
        other => panic!("{name}: unknown expectation {other:?}"),
    };
    Vector {
        name,
        expect,
        identities,
        passphrases,
        age_file,
    }
}

/// The keyring a vector names: its X25519 identities, parsed as an identity file, and its
/// passphrase (only one can be held; the one vector with two is invalid either way).
fn keyring(vector: &Vector) -> Keyring {
    let mut keyring = Keyring::new();
    if !vector.identities.is_empty() {
        let text = vector.identities.join("\n");
        keyring.extend(Keyring::parse_identity_file(&text, Path::new(&vector.name)).unwrap());
    }
    if let Some(passphrase) = vector.passphrases.first() {
        keyring.extend(Keyring::with_passphrase(passphrase.as_str().into()));
    }
    keyring
}

/// `Ok(())` if the key tool's outcome is what the vector expects.
fn check(vector: &Vector) -> Result<(), String> {
    let keyring = keyring(vector);
    let outcome = catch_unwind(AssertUnwindSafe(|| keyring.decrypt_bytes(&vector.age_file)))
        .map_err(|_| "panicked".to_owned())?;
    let name = vector.name.as_str();
    match (&vector.expect, outcome) {
        (Expect::Success { payload_sha256 }, Ok(payload)) => {
            let got: [u8; 32] = Sha256::digest(payload.as_slice()).into();
            if got == *payload_sha256 {
                Ok(())
            } else {
                Err(format!("wrong payload (sha256 {})", hex::encode(got)))
            }
        }
        (Expect::HeaderFailure, Ok(_)) if LEGACY_STANZAS.contains(&name) => Ok(()),
        (expect, Ok(_)) => Err(format!("expected {expect:?}, but it decrypted")),
        (_, Err(seal::Error::NotAge)) if name == LEADING_WHITESPACE => Ok(()),
        (Expect::Success { .. }, Err(e)) => Err(format!("expected success, refused: {e}")),
        (Expect::NoMatch, Err(seal::Error::NoMatchingIdentity)) => Ok(()),
        (Expect::HmacFailure, Err(seal::Error::HeaderMac)) => Ok(()),
        (Expect::ArmorFailure, Err(seal::Error::Armor(_))) => Ok(()),
        (Expect::ArmorFailure, Err(seal::Error::NotAge)) if BAD_BEGIN_LINES.contains(&name) => {
            Ok(())
        }
        (
            Expect::HeaderFailure,
            Err(seal::Error::NotAge | seal::Error::ExcessiveWork { .. } | seal::Error::Truncated),
        ) => Ok(()),
        (Expect::PayloadFailure, Err(seal::Error::Damaged(_) | seal::Error::Truncated)) => Ok(()),
        (expect, Err(e)) => Err(format!(
            "expected {expect:?}, refused with another error: {e}"
        )),
    }
}

#[test]
fn every_cctv_vector_opens_or_is_refused_as_expected() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            !name.starts_with('.') && name != "README.md"
        })
        .collect();
    paths.sort();
    assert_eq!(
        paths.len(),
        VECTOR_COUNT,
        "the vector directory is incomplete"
    );

    let mut failures = Vec::new();
    let mut successes = 0;
    for path in &paths {
        let vector = parse(path);
        successes += usize::from(matches!(vector.expect, Expect::Success { .. }));
        if let Err(problem) = check(&vector) {
            failures.push(format!("{}: {problem}", vector.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        successes >= 20,
        "only {successes} success vectors: parsing is off"
    );
}

/// A work factor of 2^23 is refused up front (it would take gigabytes and minutes), not computed.
#[test]
fn an_excessive_scrypt_work_factor_is_refused_quickly() {
    let vector = parse(&vectors_dir().join("scrypt_work_factor_23"));
    let keyring = keyring(&vector);
    let err = keyring.decrypt_bytes(&vector.age_file).unwrap_err();
    assert!(
        matches!(err, seal::Error::ExcessiveWork { required: 23 }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the passphrase work factor 2^23 is more than this tool will spend"
    );
}

/// The plain scrypt vector opens, so the passphrase path is really exercised.
#[test]
fn the_scrypt_vector_opens_with_its_passphrase_only() {
    let vector = parse(&vectors_dir().join("scrypt"));
    assert_eq!(vector.passphrases, ["password"]);
    assert!(keyring(&vector).decrypt_bytes(&vector.age_file).is_ok());
    let wrong = Keyring::with_passphrase("Password".into());
    assert!(matches!(
        wrong.decrypt_bytes(&vector.age_file),
        Err(seal::Error::NoMatchingIdentity)
    ));
}
