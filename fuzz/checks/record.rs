// What must hold for any bytes given to the key tool as a record: the `record` fuzz target
// (fuzz/fuzz_targets/record.rs) and the corpus replay test (keytool/tests/fuzz_corpus.rs) both
// `include!` this file, inside a module, so the two cannot drift apart. Items only: an included
// file cannot carry inner attributes or `//!` comments.
//
// Each check panics with what broke; a panic is what libFuzzer reports as a crash.

use std::io::Write;
use std::path::Path;

use age::x25519;
use seal::{FieldValue, RecipientSet, Submission};
use sealform_keytool::Keyring;
use sealform_keytool::escape::is_unsafe;
use sealform_keytool::export::{self, Format, Opened, Output};

/// The test identity the record corpus is sealed to (the one in seal/tests/data).
const IDENTITY: &str = include_str!("../identity.txt");

/// How an age file starts, binary or armored: anything else is not a record at all.
const AGE_STARTS: [&[u8]; 2] = [
    b"age-encryption.org/",
    b"-----BEGIN AGE ENCRYPTED FILE-----",
];

/// The key tool's keyring with the test identity, and its public key to seal to.
pub struct RecordChecker {
    keyring: Keyring,
    recipient: x25519::Recipient,
}

impl RecordChecker {
    pub fn new() -> Self {
        let keyring = Keyring::parse_identity_file(IDENTITY, Path::new("identity.txt"))
            .expect("the test identity file is valid");
        let recipient = keyring.public_keys()[0].clone();
        Self { keyring, recipient }
    }

    /// Opens `data` as a record, as `sealform-keytool decrypt` does. Bytes that are not an age
    /// file are also taken as a record's plaintext: sealed to the test identity (with the
    /// format's padding) and opened, so that the layers under age's authentication — padding,
    /// version, JSON, day, and the exports — meet arbitrary input too.
    pub fn check(&self, data: &[u8]) {
        let looks_like_age = AGE_STARTS.iter().any(|start| data.starts_with(start));
        match self.keyring.open_record(data) {
            Ok(submission) => {
                assert!(looks_like_age, "something that is not an age file opened");
                check_opened(submission);
            }
            Err(error) => {
                assert!(
                    looks_like_age || matches!(error, seal::Error::NotAge),
                    "not an age file, yet refused as {error:?}"
                );
                let _ = error.to_string();
            }
        }
        if !looks_like_age {
            self.check_plaintext(data);
        }
    }

    /// `json` as a record's plaintext: sealed with the format's padding, it opens exactly when it
    /// is a version 1 or 2 submission, and never fails in the age layer.
    fn check_plaintext(&self, json: &[u8]) {
        let record = self.seal_raw(&seal::pad(json));
        let up_to_nul = &json[..json.iter().position(|&b| b == 0).unwrap_or(json.len())];
        match self.keyring.open_record(&record) {
            Ok(submission) => {
                let value: serde_json::Value = serde_json::from_slice(up_to_nul)
                    .expect("a record opened whose plaintext is not JSON");
                let version = value["v"].as_u64();
                assert!(
                    matches!(version, Some(1 | 2)),
                    "a record opened whose version is not 1 or 2"
                );
                self.check_reseal(&submission);
                check_opened(submission);
            }
            Err(seal::Error::BadPadding { .. }) => {
                assert!(json.contains(&0), "the format's own padding was refused");
            }
            Err(seal::Error::UnsupportedVersion { found }) => {
                assert!(found != 1 && found != 2, "version {found} refused as unsupported");
            }
            Err(seal::Error::Malformed(reason)) => {
                assert!(reason.starts_with("not a version "), "{reason}");
            }
            Err(seal::Error::InvalidDay(_)) => {}
            Err(other) => panic!("a correctly sealed record failed in the age layer: {other:?}"),
        }
    }

    /// A submission opened from a record, sealed again with `seal::seal`, opens to the same.
    fn check_reseal(&self, submission: &Submission) {
        let recipients = RecipientSet::new(vec![self.recipient.clone()]).expect("one recipient");
        let record = seal::seal(submission, &recipients).expect("sealing cannot fail");
        let again = self
            .keyring
            .open_record(&record)
            .expect("what was opened, sealed again, opens");
        assert_eq!(again.campaign(), submission.campaign());
        assert_eq!(again.language(), submission.language());
        assert_eq!(again.received(), submission.received());
        assert_eq!(
            fields_of(&again),
            fields_of(submission),
            "sealed again, the fields changed"
        );
    }

    /// An age file of `plaintext` for the test identity, written with the age library directly.
    fn seal_raw(&self, plaintext: &[u8]) -> Vec<u8> {
        let recipient = &self.recipient as &dyn age::Recipient;
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(recipient)).expect("one recipient");
        let mut record = Vec::new();
        let mut writer = encryptor
            .wrap_output(&mut record)
            .expect("writing to memory");
        writer.write_all(plaintext).expect("writing to memory");
        writer.finish().expect("writing to memory");
        record
    }
}

/// A submission's fields as plain data, to compare (field values print redacted).
fn fields_of(submission: &Submission) -> Vec<(String, serde_json::Value)> {
    submission
        .expose_fields()
        .iter()
        .map(|f| (f.name().to_owned(), json_of(f.expose_value())))
        .collect()
}

/// How the JSON exports write a value.
fn json_of(value: &FieldValue) -> serde_json::Value {
    match value {
        FieldValue::Text(text) | FieldValue::Choice(text) => text.as_str().into(),
        FieldValue::Choices(choices) => choices.as_slice().into(),
        FieldValue::Consent(ticked) => (*ticked).into(),
    }
}

/// How the CSV export writes a value, before its formula guard.
fn csv_of(value: Option<&FieldValue>) -> String {
    match value {
        None => String::new(),
        Some(FieldValue::Text(text) | FieldValue::Choice(text)) => text.clone(),
        Some(FieldValue::Choices(choices)) => choices.join("; "),
        Some(FieldValue::Consent(ticked)) => if *ticked { "yes" } else { "no" }.to_owned(),
    }
}

/// Every export of an opened record reads back exactly, is safe on a terminal where it says
/// so, and guards every CSV cell that a spreadsheet would run as a formula.
fn check_opened(submission: Submission) {
    let opened = [Opened {
        record: "0123456789abcdef0123456789abcdef".to_owned(),
        submission,
    }];
    let submission = &opened[0].submission;
    let fixed = [
        opened[0].record.clone(),
        submission.campaign().to_owned(),
        submission.language().to_owned(),
        submission.received().to_string(),
    ];
    // The first value of each name, in order: what every export shows.
    let mut first: Vec<(&str, &FieldValue)> = Vec::new();
    for field in submission.expose_fields() {
        if !first.iter().any(|(name, _)| *name == field.name()) {
            first.push((field.name(), field.expose_value()));
        }
    }

    // CSV to a file: a byte order mark, then rows that read back as the guarded cells.
    let csv = export::export(Format::Csv, &opened, Output::FileOrPipe).expect("CSV export");
    let bytes = csv.expose();
    let body = bytes
        .strip_prefix(export::UTF8_BOM)
        .expect("a CSV file starts with a byte order mark");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|row| {
            row.expect("the CSV export reads back")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    let header: Vec<String> = export::CSV_FIXED_COLUMNS
        .iter()
        .copied()
        .chain(first.iter().map(|(name, _)| *name))
        .map(|cell| export::guard_formula(cell).to_string())
        .collect();
    let row: Vec<String> = fixed
        .iter()
        .cloned()
        .chain(first.iter().map(|(_, value)| csv_of(Some(value))))
        .map(|cell| export::guard_formula(&cell).to_string())
        .collect();
    assert_eq!(
        rows,
        [header, row],
        "the CSV export does not read back as the record"
    );
    for cell in rows.iter().flatten() {
        assert!(
            !export::starts_like_formula(cell),
            "an unguarded formula: {cell:?}"
        );
    }

    // CSV on a terminal: nothing a terminal acts on, but line feeds and the CRLF row ends.
    let shown = export::export(Format::Csv, &opened, Output::Terminal).expect("CSV export");
    let shown = std::str::from_utf8(shown.expose()).expect("the CSV export is UTF-8");
    let mut chars = shown.chars().peekable();
    while let Some(c) = chars.next() {
        let row_end = c == '\r' && chars.peek() == Some(&'\n');
        assert!(
            !is_unsafe(c) || c == '\n' || row_end,
            "the CSV export for a terminal holds U+{:04X}",
            u32::from(c)
        );
    }

    // JSON and JSON Lines: safe anywhere, and read back as the record.
    let expected = serde_json::json!({
        "record": fixed[0],
        "campaign": fixed[1],
        "campaign_version": submission.campaign_version(),
        "language": fixed[2],
        "received": fixed[3],
        "fields": first
            .iter()
            .map(|(name, value)| ((*name).to_owned(), json_of(value)))
            .collect::<serde_json::Map<_, _>>(),
    });
    for format in [Format::Json, Format::Jsonl] {
        let out = export::export(format, &opened, Output::FileOrPipe).expect("JSON export");
        let text = std::str::from_utf8(out.expose()).expect("the JSON export is UTF-8");
        if let Some(c) = text.chars().find(|&c| c != '\n' && is_unsafe(c)) {
            panic!("the {format:?} export holds U+{:04X}", u32::from(c));
        }
        let objects: Vec<serde_json::Value> = match format {
            Format::Json => serde_json::from_str(text).expect("the JSON export reads back"),
            _ => text
                .lines()
                .map(|line| serde_json::from_str(line).expect("each JSON line reads back"))
                .collect(),
        };
        assert_eq!(objects.len(), 1, "the {format:?} export holds one record");
        assert_eq!(
            objects[0], expected,
            "the {format:?} export is not the record"
        );
    }
}
