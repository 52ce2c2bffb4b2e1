//! How a record and what is kept beside it sit in sled: one tree, `sealed`, with a prefix byte
//! per kind of entry, so that a batch of records is one atomic `apply_batch` on one tree. A
//! sled transaction over several trees reads every key it writes, which was a seventh of the
//! server's time under load (docs/PERFORMANCE.md).
//!
//! - `r` + record id (16 bytes) → the recipient set's fingerprint (8 bytes), the week it
//!   arrived (4 bytes, big-endian), then the sealed record itself.
//! - `k` + SHA-256 of a withdrawal receipt (32 bytes) → the record id, then 1 if it counted as
//!   a signature.
//! - `n` → the signature count (8 bytes, big-endian).

use seal::{RecipientSetFingerprint, RecordId};

use super::{Beside, Counted};
use crate::Error;

/// The tree holding records, receipts and the signature count.
pub const SEALED_TREE: &str = "sealed";
/// The prefix of every record's key: iterating it visits the records, in id order.
pub const RECORD_PREFIX: &[u8] = b"r";
const RECEIPT_PREFIX: u8 = b'k';
/// The signature count's key.
pub const SIGNATURES_KEY: &[u8] = b"n";
/// The fingerprint and the week before a record's bytes.
const HEADER_BYTES: usize = 8 + 4;

/// The key of the record called `id`.
pub fn record_key(id: RecordId) -> [u8; 17] {
    let mut key = [0u8; 17];
    key[0] = RECORD_PREFIX[0];
    key[1..].copy_from_slice(&id.to_bytes());
    key
}

/// The id in a record's key.
pub fn record_id(key: &[u8]) -> Result<RecordId, Error> {
    key.strip_prefix(RECORD_PREFIX)
        .and_then(|id| <[u8; 16]>::try_from(id).ok())
        .map(RecordId::from_bytes)
        .ok_or_else(|| Error::Store("a record key is not a 16-byte id".into()))
}

/// The key of the receipt whose SHA-256 is `receipt_sha256`.
pub fn receipt_key(receipt_sha256: &[u8; 32]) -> [u8; 33] {
    let mut key = [0u8; 33];
    key[0] = RECEIPT_PREFIX;
    key[1..].copy_from_slice(receipt_sha256);
    key
}

/// A receipt's entry: the record's id, then 1 if it counted as a signature.
pub fn receipt_entry(id: RecordId, counted: Counted) -> [u8; 17] {
    let mut entry = [0u8; 17];
    entry[..16].copy_from_slice(&id.to_bytes());
    entry[16] = u8::from(counted == Counted::AsSignature);
    entry
}

/// What a receipt's entry says: the record's key, and whether it counted as a signature.
pub fn read_receipt_entry(entry: &[u8]) -> Result<([u8; 17], bool), Error> {
    match entry {
        [id @ .., counted] if id.len() == 16 => {
            let id = RecordId::from_bytes(id.try_into().expect("16 bytes"));
            Ok((record_key(id), *counted == 1))
        }
        _ => Err(Error::Store("a receipt's entry is damaged".into())),
    }
}

/// A record's value: the header, then the sealed bytes.
pub fn record_entry(beside: &Beside, record: &[u8]) -> Vec<u8> {
    let mut entry = Vec::with_capacity(HEADER_BYTES + record.len());
    entry.extend_from_slice(&beside.recipients.to_bytes());
    entry.extend_from_slice(&beside.week.to_be_bytes());
    entry.extend_from_slice(record);
    entry
}

/// A stored record, read back.
pub struct StoredRecord<'a> {
    pub recipients: RecipientSetFingerprint,
    pub week: u32,
    /// The sealed record, exactly as the server sealed it.
    pub sealed: &'a [u8],
}

impl<'a> StoredRecord<'a> {
    pub fn read(entry: &'a [u8]) -> Result<StoredRecord<'a>, Error> {
        if entry.len() < HEADER_BYTES {
            return Err(Error::Store(
                "a stored record is shorter than its header".into(),
            ));
        }
        let (header, sealed) = entry.split_at(HEADER_BYTES);
        let (recipients, week) = header.split_at(8);
        Ok(StoredRecord {
            recipients: RecipientSetFingerprint::from_bytes(
                recipients.try_into().expect("8 bytes"),
            ),
            week: u32::from_be_bytes(week.try_into().expect("4 bytes")),
            sealed,
        })
    }
}

/// The signature count as stored (none yet is zero).
pub fn read_counter(bytes: Option<&[u8]>) -> Result<u64, String> {
    bytes.map_or(Ok(0), |bytes| {
        <[u8; 8]>::try_from(bytes)
            .map(u64::from_be_bytes)
            .map_err(|_| "the signature counter is damaged".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_what_was_written() {
        let id = RecordId::random();
        let beside = Beside {
            recipients: RecipientSetFingerprint::from_bytes([7; 8]),
            counted: Counted::AsSignature,
            receipt: None,
            week: 2950,
        };
        let entry = record_entry(&beside, b"age-encryption.org/v1");
        let read = StoredRecord::read(&entry).unwrap();
        assert_eq!(read.recipients, beside.recipients);
        assert_eq!(read.week, 2950);
        assert_eq!(read.sealed, b"age-encryption.org/v1");
        assert_eq!(record_id(&record_key(id)).unwrap(), id);
        assert_eq!(
            read_receipt_entry(&receipt_entry(id, Counted::NotAsSignature)).unwrap(),
            (record_key(id), false)
        );
        assert!(record_id(&receipt_key(&[1; 32])).is_err());
        assert!(StoredRecord::read(&[0; 11]).is_err());
        assert!(read_receipt_entry(&[0; 16]).is_err());
        assert_eq!(read_counter(None), Ok(0));
        assert_eq!(read_counter(Some(&9u64.to_be_bytes())), Ok(9));
        assert!(read_counter(Some(&[1, 2])).is_err());
    }
}
