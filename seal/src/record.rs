use std::fmt;
use std::io::{self, Read, Write};
use std::str::FromStr;

use age::armor::ArmoredReader;
use age::{DecryptError, Decryptor, Encryptor};
use rand::RngCore;
use zeroize::Zeroizing;

use crate::{Error, RecipientSet, RecipientSetFingerprint, Submission, padding};

/// Seals a submission: JSON, Padmé padding, then a binary age file to every recipient. What
/// the encryption left on the stack is wiped before it returns.
pub fn seal(submission: &Submission, recipients: &RecipientSet) -> Result<Vec<u8>, Error> {
    let sealed = encrypt(submission, recipients);
    crate::scrub_stack();
    sealed
}

#[inline(never)]
fn encrypt(submission: &Submission, recipients: &RecipientSet) -> Result<Vec<u8>, Error> {
    let json = submission.to_json();
    let padded = padding::pad(&json);
    drop(json);
    let encryptor = Encryptor::with_recipients(
        recipients
            .keys()
            .iter()
            .map(|key| key as &dyn age::Recipient),
    )
    .map_err(|e| Error::Encrypt(e.to_string()))?;
    // age adds a 16-byte tag per 64 KiB chunk and a header of roughly 200 bytes.
    let mut record = Vec::with_capacity(padded.len() + padded.len() / 4096 + 512);
    let mut writer = encryptor
        .wrap_output(&mut record)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    writer
        .write_all(&padded)
        .and_then(|()| writer.finish().map(drop))
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    Ok(record)
}

/// Opens a record: decrypts it with the first identity that fits, checks the padding and the
/// version, and parses the submission.
pub fn open(record: &[u8], identities: &[&dyn age::Identity]) -> Result<Submission, Error> {
    let padded = decrypt(record, identities);
    crate::scrub_stack();
    Submission::from_json(padding::unpad(&padded?)?)
}

/// The age layer alone: decrypts any age file, binary or ASCII-armored, with the first identity
/// that fits, and returns the whole plaintext (wiped on drop). The payload is authenticated
/// chunk by chunk; a failure anywhere discards everything read so far.
pub fn decrypt(
    record: &[u8],
    identities: &[&dyn age::Identity],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    if !record.starts_with(AGE_MAGIC) && !record.starts_with(ARMOR_BEGIN) {
        return Err(Error::NotAge);
    }
    // Buffered: age then parses the header once, instead of reading it a few bytes at a time
    // and parsing it again from its start after each read.
    let decryptor =
        Decryptor::new_buffered(ArmoredReader::new(record)).map_err(map_header_error)?;
    let mut reader = decryptor
        .decrypt(identities.iter().copied())
        .map_err(map_header_error)?;
    let mut plaintext = Zeroizing::new(Vec::with_capacity(record.len()));
    reader
        .read_to_end(&mut plaintext)
        .map_err(|e| payload_error(&e))?;
    Ok(plaintext)
}

/// How every binary age file starts (<https://c2sp.org/age#header>).
const AGE_MAGIC: &[u8] = b"age-encryption.org/";
/// How every ASCII-armored age file starts.
const ARMOR_BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

fn map_header_error(e: DecryptError) -> Error {
    match e {
        DecryptError::NoMatchingKeys
        | DecryptError::DecryptionFailed
        | DecryptError::KeyDecryptionFailed => Error::NoMatchingIdentity,
        DecryptError::InvalidHeader | DecryptError::UnknownFormat => Error::NotAge,
        DecryptError::InvalidMac => Error::HeaderMac,
        DecryptError::ExcessiveWork { required, .. } => Error::ExcessiveWork { required },
        DecryptError::Io(e) => payload_error(&e),
        other => Error::Damaged(other.to_string()),
    }
}

fn payload_error(e: &io::Error) -> Error {
    if let Some(armor) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<age::armor::ArmoredReadError>())
    {
        return Error::Armor(armor.to_string());
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => Error::Truncated,
        _ => Error::Damaged("a payload chunk failed authentication".into()),
    }
}

/// A record's id: 128 random bits, shown as 32 lowercase hex digits. Random, never sequential,
/// so that ids do not reveal the order in which people signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId([u8; 16]);

impl RecordId {
    /// A fresh id from the operating system's random source.
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The raw 16 bytes, as used for a store key.
    pub fn to_bytes(self) -> [u8; 16] {
        self.0
    }

    /// From raw bytes read back from a store key.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The first 8 hex digits: enough to tell records apart in messages.
    pub fn short(&self) -> String {
        hex::encode(&self.0[..4])
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl FromStr for RecordId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let mut bytes = [0u8; 16];
        if s.len() != 32 || s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(Error::InvalidRecordId(s.chars().take(40).collect()));
        }
        hex::decode_to_slice(s, &mut bytes)
            .map_err(|_| Error::InvalidRecordId(s.chars().take(40).collect()))?;
        Ok(Self(bytes))
    }
}

/// The name of the file, in an export folder, that lists each record's recipient set.
pub const EXPORT_INDEX_FILE: &str = "index.tsv";

/// An export folder's index: one line per record, `<record id>\t<recipient set fingerprint>`.
/// Records themselves are `<record id>.age` beside it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportIndex {
    entries: Vec<(RecordId, RecipientSetFingerprint)>,
}

impl ExportIndex {
    /// Adds a record to the index.
    pub fn push(&mut self, id: RecordId, recipients: RecipientSetFingerprint) {
        self.entries.push((id, recipients));
    }

    /// The recipient set a record was sealed to, if the index lists it.
    pub fn recipients_of(&self, id: RecordId) -> Option<RecipientSetFingerprint> {
        self.entries
            .iter()
            .find(|(known, _)| *known == id)
            .map(|&(_, fingerprint)| fingerprint)
    }

    /// The index as file text.
    pub fn to_text(&self) -> String {
        self.entries
            .iter()
            .map(|(id, fingerprint)| format!("{id}\t{fingerprint}\n"))
            .collect()
    }

    /// Parses index file text; blank lines are ignored.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let mut index = Self::default();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let invalid = || Error::InvalidIndexLine { line: number + 1 };
            let (id, fingerprint) = line.split_once('\t').ok_or_else(invalid)?;
            index.push(
                id.parse().map_err(|_| invalid())?,
                fingerprint.trim_end().parse().map_err(|_| invalid())?,
            );
        }
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Field, FieldValue};
    use age::x25519;
    use proptest::prelude::*;

    fn text_field(value: String) -> Vec<Field> {
        vec![
            Field::new("testimony", FieldValue::Text(value)),
            Field::new("actions", FieldValue::Choices(vec!["x".into(), "y".into()])),
            Field::new("consent_contact", FieldValue::Consent(false)),
        ]
    }

    /// Text that exercises scripts and marks: right-to-left, emoji with joiners, combining marks.
    fn unicode_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("مرحبا بالعالم".to_string()),
            Just("שלום".to_string()),
            Just("👩🏽‍⚕️🏳️‍⚧️".to_string()),
            Just("e\u{301}\u{302}a\u{308}".to_string()),
            Just("按摩院的工人".to_string()),
            Just("\u{202e}rtl override\u{202c}".to_string()),
            "\\PC{0,40}",
        ];
        // Up to 64 KiB: a few pieces, repeated to reach large sizes.
        (prop::collection::vec(pieces, 0..8), 0usize..1200).prop_map(|(parts, repeat)| {
            let joined = parts.concat();
            let mut text = joined.repeat(repeat.max(1) * usize::from(!joined.is_empty()));
            while text.len() > 64 * 1024 {
                text.pop();
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn seal_then_open_round_trips(text in unicode_text(), recipient_count in 1usize..=5) {
            let identities: Vec<x25519::Identity> =
                (0..recipient_count).map(|_| x25519::Identity::generate()).collect();
            let recipients =
                RecipientSet::new(identities.iter().map(x25519::Identity::to_public).collect())
                    .unwrap();
            let submission = Submission::new(
                "campaign".into(),
                "0".repeat(64),
                "ar".into(),
                "2026-11-28".parse().unwrap(),
                text_field(text.clone()),
            );
            let record = seal(&submission, &recipients).unwrap();
            // Every organizer can open it on their own.
            for identity in &identities {
                let opened = open(&record, &[identity as &dyn age::Identity]).unwrap();
                prop_assert_eq!(opened.expose_field("testimony"), Some(&FieldValue::Text(text.clone())));
                prop_assert_eq!(opened.campaign(), "campaign");
                prop_assert_eq!(opened.language(), "ar");
                prop_assert_eq!(opened.received().to_string(), "2026-11-28");
                prop_assert_eq!(opened.expose_fields().len(), 3);
            }
            // The plaintext inside is exactly Padmé-sized.
            let padded = decrypt(&record, &[&identities[0] as &dyn age::Identity]).unwrap();
            prop_assert_eq!(padded.len() as u64, crate::padme(submission.to_json().len() as u64));
        }
    }

    #[test]
    fn a_stranger_cannot_open() {
        let organizer = x25519::Identity::generate();
        let stranger = x25519::Identity::generate();
        let recipients = RecipientSet::new(vec![organizer.to_public()]).unwrap();
        let submission = Submission::new(
            "c".into(),
            "0".repeat(64),
            "en".into(),
            "2026-01-01".parse().unwrap(),
            text_field("t".into()),
        );
        let record = seal(&submission, &recipients).unwrap();
        assert!(matches!(
            open(&record, &[&stranger as &dyn age::Identity]),
            Err(Error::NoMatchingIdentity)
        ));
    }

    #[test]
    fn record_ids_are_random_and_round_trip() {
        let a = RecordId::random();
        assert_ne!(a, RecordId::random());
        assert_eq!(a.to_string().parse::<RecordId>().unwrap(), a);
        assert!(
            "ABCDEF0123456789abcdef0123456789"
                .parse::<RecordId>()
                .is_err()
        );
        assert!("abc".parse::<RecordId>().is_err());
    }

    #[test]
    fn export_index_round_trips_and_names_bad_lines() {
        let mut index = ExportIndex::default();
        let id = RecordId::random();
        let fingerprint = RecipientSetFingerprint::from_bytes([1, 2, 3, 4, 5, 6, 7, 8]);
        index.push(id, fingerprint);
        let parsed = ExportIndex::parse(&index.to_text()).unwrap();
        assert_eq!(parsed.recipients_of(id), Some(fingerprint));
        assert!(matches!(
            ExportIndex::parse("\nnot a line\n"),
            Err(Error::InvalidIndexLine { line: 2 })
        ));
    }
}
