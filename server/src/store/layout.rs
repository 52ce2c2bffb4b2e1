//! How a record and what is kept beside it sit in sled: one tree, `sealed`, with a prefix byte
//! per kind of entry, so that a record is one `insert` and the count one more. A sled
//! transaction over several trees reads every key it writes, which was a seventh of the
//! server's time under load (docs/PERFORMANCE.md).
//!
//! - `r` + record id (16 bytes) → the recipient set's fingerprint (8 bytes), the week it
//!   arrived with whether it counted as a signature (4 bytes, big-endian: the week, plus
//!   [`COUNTED_FLAG`] if it counted), then the sealed record itself. A record stored with a
//!   withdrawal receipt has the id [`record_id_for_receipt`] gives, so that `/withdraw` finds it
//!   without a key of its own: without the second key per record it wrote before, in a leaf
//!   of its own far from the record's, the server signs about a sixth more a second
//!   (docs/PERFORMANCE.md).
//! - `c` + record id → nothing: a signature whose record was purged or expired, so that a later
//!   withdrawal still lowers the count.
//! - `k` + SHA-256 of a withdrawal receipt (32 bytes) → the record id, then 1 if it counted as
//!   a signature. Only in data folders written before record ids came from receipts, whose
//!   records' ids are random and whose weeks never carry the flag; never written now.
//! - `n` → the signature count (8 bytes, big-endian), then the ids of the signatures of the
//!   batch being written (16 bytes each; none between batches): see [`Counter`].

use seal::{RecipientSetFingerprint, RecordId};
use sha2::{Digest, Sha256};

use super::{Beside, Counted};
use crate::Error;

/// The tree holding records, receipts and the signature count.
pub const SEALED_TREE: &str = "sealed";
/// The prefix of every record's key: iterating it visits the records, in id order.
pub const RECORD_PREFIX: &[u8] = b"r";
const RECEIPT_PREFIX: u8 = b'k';
const COUNTED_GONE_PREFIX: u8 = b'c';
/// The signature count's key.
pub const SIGNATURES_KEY: &[u8] = b"n";
/// The fingerprint and the week before a record's bytes.
const HEADER_BYTES: usize = 8 + 4;
/// Set in a record's week when it counted as a signature. Weeks since 1970 stay far below it.
const COUNTED_FLAG: u32 = 1 << 31;

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

/// The id of the record stored with the receipt whose SHA-256 is `receipt_sha256`: receipts
/// are random and differ for every form served, so these ids are as random as drawn ones. Only
/// the same form sent again has the same receipt, and then it is the same record.
pub fn record_id_for_receipt(receipt_sha256: &[u8; 32]) -> RecordId {
    let digest = Sha256::new()
        .chain_update(b"sealform record id v1\0")
        .chain_update(receipt_sha256)
        .finalize();
    RecordId::from_bytes(digest[..16].try_into().expect("16 of 32 bytes"))
}

/// The key that says the record called `id` was a signature, once the record itself is gone.
pub fn counted_gone_key(id: RecordId) -> [u8; 17] {
    let mut key = record_key(id);
    key[0] = COUNTED_GONE_PREFIX;
    key
}

/// The key of the receipt whose SHA-256 is `receipt_sha256`, in data folders written before
/// record ids came from receipts.
pub fn receipt_key(receipt_sha256: &[u8; 32]) -> [u8; 33] {
    let mut key = [0u8; 33];
    key[0] = RECEIPT_PREFIX;
    key[1..].copy_from_slice(receipt_sha256);
    key
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
    let counted = match beside.counted {
        Counted::AsSignature => COUNTED_FLAG,
        Counted::NotAsSignature => 0,
    };
    entry.extend_from_slice(&beside.recipients.to_bytes());
    entry.extend_from_slice(&(beside.week | counted).to_be_bytes());
    entry.extend_from_slice(record);
    entry
}

/// A stored record, read back.
pub struct StoredRecord<'a> {
    pub recipients: RecipientSetFingerprint,
    pub week: u32,
    /// Whether it counted as a signature. Always false for a record of a data folder written
    /// before record ids came from receipts: its receipt's entry says.
    pub counted: bool,
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
        let week = u32::from_be_bytes(week.try_into().expect("4 bytes"));
        Ok(StoredRecord {
            recipients: RecipientSetFingerprint::from_bytes(
                recipients.try_into().expect("8 bytes"),
            ),
            week: week & !COUNTED_FLAG,
            counted: week & COUNTED_FLAG != 0,
            sealed,
        })
    }
}

/// The signature count as stored. The store lists a batch's signatures here before it writes
/// their records and adds them to `count` after, so that whatever a crash leaves, the count of
/// the records it left can be told without reading every record.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counter {
    /// Signatures whose records were all written.
    pub count: u64,
    /// Signatures not in `count` whose records a crash may have left written, some or all.
    pub pending: Vec<RecordId>,
}

impl Counter {
    /// The counter as stored (none yet is zero, with nothing pending).
    pub fn read(bytes: Option<&[u8]>) -> Result<Counter, String> {
        let Some(bytes) = bytes else {
            return Ok(Counter::default());
        };
        let damaged = || "the signature counter is damaged".to_string();
        let (count, pending) = bytes.split_first_chunk::<8>().ok_or_else(damaged)?;
        let (ids, rest) = pending.as_chunks::<16>();
        if !rest.is_empty() {
            return Err(damaged());
        }
        Ok(Counter {
            count: u64::from_be_bytes(*count),
            pending: ids.iter().copied().map(RecordId::from_bytes).collect(),
        })
    }

    /// The counter's value as stored.
    pub fn entry(&self) -> Vec<u8> {
        let mut entry = Vec::with_capacity(8 + 16 * self.pending.len());
        entry.extend_from_slice(&self.count.to_be_bytes());
        for id in &self.pending {
            entry.extend_from_slice(&id.to_bytes());
        }
        entry
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_what_was_written() {
        let id = RecordId::random();
        let mut beside = Beside {
            recipients: RecipientSetFingerprint::from_bytes([7; 8]),
            counted: Counted::AsSignature,
            receipt: None,
            week: 2950,
        };
        let entry = record_entry(&beside, b"age-encryption.org/v1");
        let read = StoredRecord::read(&entry).unwrap();
        assert_eq!(read.recipients, beside.recipients);
        assert_eq!((read.week, read.counted), (2950, true));
        assert_eq!(read.sealed, b"age-encryption.org/v1");
        beside.counted = Counted::NotAsSignature;
        let entry = record_entry(&beside, b"age");
        let read = StoredRecord::read(&entry).unwrap();
        assert_eq!((read.week, read.counted), (2950, false));
        assert_eq!(record_id(&record_key(id)).unwrap(), id);
        assert!(record_id(&receipt_key(&[1; 32])).is_err());
        assert!(!counted_gone_key(id).starts_with(RECORD_PREFIX));
        assert!(StoredRecord::read(&[0; 11]).is_err());
        assert_eq!(Counter::read(None), Ok(Counter::default()));
        // As every data folder before pending signatures were listed holds it.
        let nine = Counter::read(Some(&9u64.to_be_bytes())).unwrap();
        assert_eq!((nine.count, nine.pending.len()), (9, 0));
        let counter = Counter {
            count: 9,
            pending: vec![id, RecordId::random()],
        };
        assert_eq!(Counter::read(Some(&counter.entry())), Ok(counter));
        assert!(Counter::read(Some(&[1, 2])).is_err());
        assert!(Counter::read(Some(&[1; 8 + 15])).is_err());
    }

    /// What a data folder written before record ids came from receipts holds still reads.
    #[test]
    fn entries_of_earlier_data_folders_read_back() {
        let id = RecordId::random();
        let mut record = [7u8; 8].to_vec();
        record.extend_from_slice(&2950u32.to_be_bytes());
        record.extend_from_slice(b"age");
        let read = StoredRecord::read(&record).unwrap();
        assert_eq!(
            (read.week, read.counted, read.sealed),
            (2950, false, &b"age"[..])
        );
        let mut receipt = id.to_bytes().to_vec();
        receipt.push(1);
        assert_eq!(
            read_receipt_entry(&receipt).unwrap(),
            (record_key(id), true)
        );
        assert!(read_receipt_entry(&receipt[1..]).is_err());
    }

    #[test]
    fn a_receipt_always_gives_its_record_the_same_id_and_another_receipt_another() {
        let id = record_id_for_receipt(&[1; 32]);
        assert_eq!(id, record_id_for_receipt(&[1; 32]));
        assert_ne!(id, record_id_for_receipt(&[2; 32]));
        // Not the receipt's hash itself, which the withdrawal markers and the published list
        // are keyed by.
        assert_ne!(id.to_bytes()[..], [1; 16]);
    }
}
