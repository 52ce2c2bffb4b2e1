//! Committed test vectors in `tests/data/`, written by the stock age CLI (`make-vectors.sh`).
//! Every `ok_*` record must open; every `fail_*` record must fail with the error its name says.

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::x25519;
use seal::{Error, FieldValue};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn test_identity() -> x25519::Identity {
    let text = fs::read_to_string(data_dir().join("identity.txt")).unwrap();
    let line = text
        .lines()
        .find(|line| line.starts_with("AGE-SECRET-KEY-1"))
        .unwrap();
    x25519::Identity::from_str(line).unwrap()
}

fn open_vector(name: &str) -> Result<seal::Submission, Error> {
    let bytes = fs::read(data_dir().join(name)).unwrap();
    seal::open(&bytes, &[&test_identity() as &dyn age::Identity])
}

#[test]
fn ok_basic_opens_to_exactly_what_was_sealed() {
    // A version 1 record: written before records named their campaign's version.
    let submission = open_vector("ok_basic.age").unwrap();
    assert_eq!(submission.campaign_version(), None);
    check_basic_answers(&submission);
}

#[test]
fn ok_v2_opens_with_its_campaign_version() {
    let submission = open_vector("ok_v2.age").unwrap();
    assert_eq!(
        submission.campaign_version(),
        Some("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    );
    check_basic_answers(&submission);
}

fn check_basic_answers(submission: &seal::Submission) {
    assert_eq!(submission.campaign(), "open-letter");
    assert_eq!(submission.language(), "en");
    assert_eq!(submission.received().to_string(), "2026-11-28");
    let names: Vec<&str> = submission
        .expose_fields()
        .iter()
        .map(|f| f.name())
        .collect();
    assert_eq!(
        names,
        [
            "sign_as",
            "organization_name",
            "name",
            "actions",
            "harm",
            "consent_public",
            "consent_contact"
        ]
    );
    let field = |name| submission.expose_field(name).unwrap();
    assert_eq!(field("sign_as"), &FieldValue::Choice("organization".into()));
    assert_eq!(field("name"), &FieldValue::Text("Mai Nguyễn".into()));
    assert_eq!(
        field("actions"),
        &FieldValue::Choices(vec!["share".into(), "meeting".into()])
    );
    assert_eq!(field("harm"), &FieldValue::Text("línea 1\nمرحبا 👩🏽‍⚕️".into()));
    assert_eq!(field("consent_public"), &FieldValue::Consent(true));
    assert_eq!(field("consent_contact"), &FieldValue::Consent(false));
}

/// What each failing vector must produce. A new `fail_*` file without an entry fails the test.
fn expected_failure(name: &str) -> fn(&Error) -> bool {
    match name {
        // A cut inside the last chunk fails that chunk's tag: age cannot tell it from tampering.
        "fail_truncated.age" => |e| matches!(e, Error::Damaged(_) | Error::Truncated),
        "fail_wrong_key.age" => |e| matches!(e, Error::NoMatchingIdentity),
        "fail_bad_padding_length.age" | "fail_bad_padding_nonzero.age" => {
            |e| matches!(e, Error::BadPadding { .. })
        }
        "fail_wrong_version.age" => |e| matches!(e, Error::UnsupportedVersion { found: 3 }),
        "fail_malformed.age" => |e| matches!(e, Error::Malformed(_)),
        "fail_not_age.age" => |e| matches!(e, Error::NotAge),
        other => panic!("{other} has no expected failure: add it to expected_failure()"),
    }
}

#[test]
fn every_fail_vector_fails_with_the_right_error() {
    let mut names: Vec<String> = fs::read_dir(data_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("fail_"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    for name in names {
        match open_vector(&name) {
            Ok(_) => panic!("{name} opened but must fail"),
            Err(e) => assert!(
                expected_failure(&name)(&e),
                "{name} failed with the wrong error: {e:?}"
            ),
        }
    }
}

#[test]
fn failure_messages_never_quote_the_plaintext() {
    for name in [
        "fail_bad_padding_nonzero.age",
        "fail_wrong_version.age",
        "fail_malformed.age",
    ] {
        let message = open_vector(name).unwrap_err().to_string();
        for secret in ["Mai", "Butterfly", "open-letter", "not a list"] {
            assert!(!message.contains(secret), "{name}: {message}");
        }
    }
}
