//! What organizers and withdrawals do to the store: list and read records, delete the ones a
//! vault holds, honour a withdrawal, keep the published signatory list, and forget what
//! retention says to. Every change is on stable storage (the same group commit as `put`)
//! before it returns.

use std::sync::atomic::Ordering;

use seal::{RecipientSetFingerprint, RecordId};
use sha2::{Digest, Sha256};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::layout::{self, Counter, RECORD_PREFIX, SIGNATURES_KEY, StoredRecord};
use super::{Database, Store, lock};
use crate::Error;

/// Deletes the record called `id` if it is still stored and `still_wanted` says so of it, in one
/// transaction that also leaves the mark of a signature ([`layout::counted_gone_key`]) if it
/// was one, so that a withdrawal, before or after, lowers the count exactly once. Returns
/// whether it deleted the record.
fn delete_record(
    sealed: &sled::Tree,
    id: RecordId,
    still_wanted: impl Fn(&StoredRecord) -> bool,
) -> Result<bool, Error> {
    let key = layout::record_key(id);
    sealed
        .transaction(|sealed| {
            let Some(entry) = sealed.get(key)? else {
                return Ok(false);
            };
            let record = StoredRecord::read(&entry).map_err(ConflictableTransactionError::Abort)?;
            if !still_wanted(&record) {
                return Ok(false);
            }
            sealed.remove(&key)?;
            if record.counted {
                sealed.insert(&layout::counted_gone_key(id), &[])?;
            }
            Ok(true)
        })
        .map_err(store_error)
}

/// One record as the organizer API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The record's id.
    pub id: RecordId,
    /// The SHA-256 of its bytes as stored.
    pub sha256: [u8; 32],
    /// Its size in bytes.
    pub size: usize,
    /// The recipient set it was sealed to.
    pub recipients: RecipientSetFingerprint,
}

/// A receipt posted to `/withdraw`, kept for organizers to check against their records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// The receipt as posted (normalized).
    pub receipt: String,
    /// The day it was posted, in days since 1970-01-01.
    pub day: u32,
}

/// What a withdrawal found on this host (the person is told the same whatever it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawn {
    /// The receipt was one this host gave, and the count went down if it was a signature.
    Known {
        /// Whether the record counted as a signature.
        counted: bool,
    },
    /// No record here has this receipt (wrong, already withdrawn, or from another instance).
    Unknown,
}

fn store_error(error: TransactionError<Error>) -> Error {
    match error {
        TransactionError::Abort(error) => error,
        TransactionError::Storage(e) => Error::Store(e.to_string()),
    }
}

impl Store {
    fn database(&self) -> Result<std::sync::Arc<Database>, Error> {
        self.inner
            .current()
            .ok_or_else(|| Error::Store("the store is not open".into()))
    }

    /// Up to `limit` records after `after` (from the first without it), in id order.
    pub fn list(&self, after: Option<RecordId>, limit: usize) -> Result<Vec<Listed>, Error> {
        let database = self.database()?;
        let start = after.map_or_else(
            || RECORD_PREFIX.to_vec(),
            |id| layout::record_key(id).to_vec(),
        );
        let records = database
            .sealed
            .range::<&[u8], _>((
                std::ops::Bound::Excluded(&start[..]),
                std::ops::Bound::Unbounded,
            ))
            .take_while(|entry| {
                entry
                    .as_ref()
                    .map_or(true, |(key, _)| key.starts_with(RECORD_PREFIX))
            });
        let mut listed = Vec::new();
        for entry in records.take(limit) {
            let (key, entry) = entry.map_err(|e| Error::Store(e.to_string()))?;
            let record = StoredRecord::read(&entry)?;
            listed.push(Listed {
                id: layout::record_id(&key)?,
                sha256: Sha256::digest(record.sealed).into(),
                size: record.sealed.len(),
                recipients: record.recipients,
            });
        }
        Ok(listed)
    }

    /// The record called `id`, if this host still has it.
    pub fn get(&self, id: RecordId) -> Result<Option<Vec<u8>>, Error> {
        let database = self.database()?;
        let entry = database
            .sealed
            .get(layout::record_key(id))
            .map_err(|e| Error::Store(e.to_string()))?;
        entry
            .map(|entry| StoredRecord::read(&entry).map(|record| record.sealed.to_vec()))
            .transpose()
    }

    /// Deletes each record whose stored bytes still hash to the given SHA-256, and nothing
    /// else; returns the ids it deleted, once that is on stable storage. The signature count
    /// does not change: the signatures were given, and a signature's record leaves a mark so
    /// that a later withdrawal still lowers it.
    pub async fn purge(&self, wanted: Vec<(RecordId, [u8; 32])>) -> Result<Vec<RecordId>, Error> {
        let database = self.database_for_writing().await?;
        let deleting = std::sync::Arc::clone(&database);
        let deleted = tokio::task::spawn_blocking(move || {
            let mut deleted = Vec::new();
            for (id, sha256) in wanted {
                let still_stored =
                    |record: &StoredRecord| Sha256::digest(record.sealed)[..] == sha256[..];
                if delete_record(&deleting.sealed, id, still_stored)? {
                    deleted.push(id);
                }
            }
            Ok::<_, Error>(deleted)
        })
        .await
        .map_err(|e| Error::Store(format!("the purge task failed: {e}")))??;
        self.durable(&database).await?;
        Ok(deleted)
    }

    /// A receipt posted to `/withdraw`: deletes the record it belongs to, if this host still
    /// has it, takes it off the published list, lowers the count if it was a signature, and in
    /// every case keeps a marker with the receipt for the organizers' next pull. The same
    /// writes and the same sync happen whether the receipt is known or not.
    pub async fn withdraw(
        &self,
        receipt: &str,
        receipt_sha256: [u8; 32],
        day: u32,
    ) -> Result<Withdrawn, Error> {
        let database = self.database_for_writing().await?;
        let writing = std::sync::Arc::clone(&database);
        let marker = receipt.as_bytes().to_vec();
        let withdrawn = tokio::task::spawn_blocking(move || {
            let receipt_key = layout::receipt_key(&receipt_sha256);
            let id = layout::record_id_for_receipt(&receipt_sha256);
            let trees = (&writing.sealed, &writing.signatories, &writing.withdrawals);
            // The inserter must not write a count read before this lowers it.
            let _counter = lock(&writing.counter_writes);
            trees
                .transaction(|(sealed, signatories, withdrawals)| {
                    withdrawals.insert(&marker[..], &day.to_be_bytes())?;
                    signatories.remove(&receipt_sha256)?;
                    let counted = if let Some(entry) = sealed.remove(&receipt_key[..])? {
                        // A record of a data folder written before ids came from receipts.
                        let (record_key, counted) = layout::read_receipt_entry(&entry)
                            .map_err(ConflictableTransactionError::Abort)?;
                        sealed.remove(&record_key)?;
                        counted
                    } else if let Some(entry) = sealed.remove(&layout::record_key(id))? {
                        StoredRecord::read(&entry)
                            .map_err(ConflictableTransactionError::Abort)?
                            .counted
                    } else if sealed.remove(&layout::counted_gone_key(id))?.is_some() {
                        true
                    } else {
                        return Ok(Withdrawn::Unknown);
                    };
                    if counted {
                        // Nothing is pending: the inserter lists a batch's signatures and adds
                        // them while it holds the lock this holds.
                        let stored = sealed.get(SIGNATURES_KEY)?;
                        let mut counter = Counter::read(stored.as_deref()).unwrap_or_default();
                        counter.count = counter.count.saturating_sub(1);
                        sealed.insert(SIGNATURES_KEY, counter.entry())?;
                    }
                    Ok(Withdrawn::Known { counted })
                })
                .map_err(store_error)
        })
        .await
        .map_err(|e| Error::Store(format!("the withdrawal task failed: {e}")))??;
        self.durable(&database).await?;
        if withdrawn == (Withdrawn::Known { counted: true }) {
            // Saturating, like the stored counter.
            let _ = self
                .inner
                .signatures
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                    Some(n.saturating_sub(1))
                });
        }
        Ok(withdrawn)
    }

    /// Every withdrawal marker kept.
    pub fn withdrawals(&self) -> Result<Vec<Withdrawal>, Error> {
        let database = self.database()?;
        database
            .withdrawals
            .iter()
            .map(|entry| {
                let (key, value) = entry.map_err(|e| Error::Store(e.to_string()))?;
                let day = <[u8; 4]>::try_from(value.as_ref())
                    .map(u32::from_be_bytes)
                    .map_err(|_| Error::Store("a withdrawal marker's day is damaged".into()))?;
                let receipt = String::from_utf8(key.to_vec())
                    .map_err(|_| Error::Store("a withdrawal marker is damaged".into()))?;
                Ok(Withdrawal { receipt, day })
            })
            .collect()
    }

    /// Replaces the published signatory list: entries keyed by their receipt's SHA-256, each
    /// value the entry's public JSON. An empty list unpublishes it.
    pub async fn set_signatories(
        &self,
        entries: Vec<crate::public_list::Entry>,
    ) -> Result<(), Error> {
        let database = self.database_for_writing().await?;
        let writing = std::sync::Arc::clone(&database);
        tokio::task::spawn_blocking(move || {
            let mut batch = sled::Batch::default();
            for key in writing.signatories.iter().keys() {
                batch.remove(key.map_err(|e| Error::Store(e.to_string()))?);
            }
            for (receipt, entry) in entries {
                batch.insert(&receipt[..], entry);
            }
            writing
                .signatories
                .apply_batch(batch)
                .map_err(|e| Error::Store(e.to_string()))
        })
        .await
        .map_err(|e| Error::Store(format!("the publishing task failed: {e}")))??;
        self.durable(&database).await
    }

    /// The published signatory list's entries, as stored.
    pub fn signatories(&self) -> Result<Vec<Vec<u8>>, Error> {
        let database = self.database()?;
        database
            .signatories
            .iter()
            .values()
            .map(|value| {
                value
                    .map(|v| v.to_vec())
                    .map_err(|e| Error::Store(e.to_string()))
            })
            .collect()
    }

    /// Retention: deletes the records that arrived before week `before_week` and the
    /// withdrawal markers posted before day `before_day`; returns how many of each. Records are
    /// read only when `before_week` is later than at the last call (see `Inner::retained_from`).
    pub async fn forget(
        &self,
        before_week: Option<u32>,
        before_day: u32,
    ) -> Result<(usize, usize), Error> {
        let database = self.database_for_writing().await?;
        let writing = std::sync::Arc::clone(&database);
        let retained_from = *lock(&self.inner.retained_from);
        let before_week = before_week.filter(|week| retained_from.is_none_or(|from| *week > from));
        let forgotten = tokio::task::spawn_blocking(move || {
            let mut records = 0;
            if let Some(before_week) = before_week {
                for entry in writing.sealed.scan_prefix(RECORD_PREFIX) {
                    let (key, entry) = entry.map_err(|e| Error::Store(e.to_string()))?;
                    if StoredRecord::read(&entry)?.week < before_week {
                        let expired = |record: &StoredRecord| record.week < before_week;
                        if delete_record(&writing.sealed, layout::record_id(&key)?, expired)? {
                            records += 1;
                        }
                    }
                }
            }
            let mut markers = 0;
            for entry in writing.withdrawals.iter() {
                let (key, day) = entry.map_err(|e| Error::Store(e.to_string()))?;
                let day = <[u8; 4]>::try_from(day.as_ref()).map(u32::from_be_bytes);
                if day.is_ok_and(|day| day < before_day) {
                    writing
                        .withdrawals
                        .remove(key)
                        .map_err(|e| Error::Store(e.to_string()))?;
                    markers += 1;
                }
            }
            Ok::<_, Error>((records, markers))
        })
        .await
        .map_err(|e| Error::Store(format!("the retention task failed: {e}")))??;
        self.durable(&database).await?;
        if before_week.is_some() {
            *lock(&self.inner.retained_from) = before_week;
        }
        Ok(forgotten)
    }

    /// Waits for the next sync of `database`; a failure marks it for reopening.
    async fn durable(&self, database: &Database) -> Result<(), Error> {
        let synced = database.wait_durable().await;
        if synced.is_err() {
            database.failed.store(true, Ordering::Relaxed);
        }
        synced
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Beside, Counted};
    use super::*;

    fn beside(n: u8, week: u32, counted: Counted) -> Beside {
        Beside {
            recipients: RecipientSetFingerprint::from_bytes([n; 8]),
            counted,
            receipt: Some([n; 32]),
            week,
        }
    }

    /// Stores the record of `n` bytes `n`, with receipt `n`, arrived in `week`.
    async fn put(store: &Store, n: u8, week: u32, counted: Counted) -> RecordId {
        store
            .put(vec![n; 50], beside(n, week, counted))
            .await
            .unwrap()
    }

    /// Posts receipt `n` (`RECEIPTn`, whose hash the test takes to be `[n; 32]`) on `day`.
    async fn withdraw(store: &Store, n: u8, day: u32) -> Withdrawn {
        store
            .withdraw(&format!("RECEIPT{n}"), [n; 32], day)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn retention_withdrawal_and_purge_change_exactly_what_they_say() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        let old = put(&store, 1, 100, Counted::AsSignature).await;
        let new = put(&store, 2, 200, Counted::AsSignature).await;
        let shared = put(&store, 3, 200, Counted::NotAsSignature).await;
        assert_eq!(store.signature_count(), 2);

        // Retention: the week before 150 goes, with its record's fingerprint and week.
        assert_eq!(store.forget(Some(150), 0).await.unwrap(), (1, 0));
        // Until the cut-off moves on, records are not read again: one from before it (which a
        // server never stores: records arrive in the current week) stays until then.
        let late = put(&store, 4, 100, Counted::NotAsSignature).await;
        assert_eq!(store.forget(Some(150), 0).await.unwrap(), (0, 0));
        assert!(store.get(late).unwrap().is_some());
        assert_eq!(store.forget(Some(151), 0).await.unwrap(), (1, 0));
        assert_eq!(store.get(late).unwrap(), None);
        assert_eq!(store.get(old).unwrap(), None);
        let listed: Vec<RecordId> = store.list(None, 10).unwrap().iter().map(|l| l.id).collect();
        assert_eq!(listed.len(), 2);
        assert!(listed.contains(&new) && listed.contains(&shared));

        // A withdrawal of a record already gone still lowers the count; markers are kept.
        assert_eq!(
            withdraw(&store, 1, 10).await,
            Withdrawn::Known { counted: true }
        );
        assert_eq!(store.signature_count(), 1);
        assert_eq!(
            withdraw(&store, 3, 11).await,
            Withdrawn::Known { counted: false }
        );
        assert_eq!(store.get(shared).unwrap(), None);
        assert_eq!(store.signature_count(), 1);
        assert_eq!(
            store.withdraw("WRONG", [9; 32], 12).await.unwrap(),
            Withdrawn::Unknown
        );
        assert_eq!(withdraw(&store, 3, 12).await, Withdrawn::Unknown);
        let markers: Vec<String> = store
            .withdrawals()
            .unwrap()
            .into_iter()
            .map(|w| w.receipt)
            .collect();
        assert_eq!(markers, ["RECEIPT1", "RECEIPT3", "WRONG"]);
        // Markers older than day 11 go.
        assert_eq!(store.forget(None, 11).await.unwrap(), (0, 1));

        // Purge deletes only with the right hash.
        let right: [u8; 32] = Sha256::digest([2u8; 50]).into();
        assert_eq!(store.purge(vec![(new, [0; 32])]).await.unwrap(), []);
        assert_eq!(store.purge(vec![(new, right)]).await.unwrap(), [new]);
        assert!(store.list(None, 10).unwrap().is_empty());
        store.close().await.unwrap();
        drop(store);

        // All of it survived a restart.
        let reopened = Store::open(&dir.path().join("data")).unwrap();
        assert_eq!(reopened.signature_count(), 1);
        assert_eq!(reopened.withdrawals().unwrap().len(), 2);
    }

    /// Organizers purge what they pulled; a person may withdraw later. A signature's record
    /// leaves a mark that lowers the count once; an account that did not count leaves nothing.
    #[tokio::test]
    async fn a_purged_signature_is_still_withdrawn_once_and_a_purged_account_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        let signature = put(&store, 1, 100, Counted::AsSignature).await;
        let account = put(&store, 2, 100, Counted::NotAsSignature).await;
        assert_eq!(signature, layout::record_id_for_receipt(&[1; 32]));
        let hash = |n: u8| -> [u8; 32] { Sha256::digest([n; 50]).into() };
        assert_eq!(
            store
                .purge(vec![(signature, hash(1)), (account, hash(2))])
                .await
                .unwrap(),
            [signature, account]
        );
        assert_eq!(store.signature_count(), 1);
        // Beside the count, only the signature's mark is left: nothing of the account.
        let database = store.database().unwrap();
        let keys: Vec<Vec<u8>> = database
            .sealed
            .iter()
            .keys()
            .map(|key| key.unwrap().to_vec())
            .collect();
        let mark = layout::counted_gone_key(signature).to_vec();
        assert_eq!(keys, [mark, SIGNATURES_KEY.to_vec()]);
        drop(database);

        assert_eq!(withdraw(&store, 2, 1).await, Withdrawn::Unknown);
        assert_eq!(
            withdraw(&store, 1, 1).await,
            Withdrawn::Known { counted: true }
        );
        assert_eq!(store.signature_count(), 0);
        assert_eq!(withdraw(&store, 1, 2).await, Withdrawn::Unknown);
        assert_eq!(store.signature_count(), 0);
        store.close().await.unwrap();
        drop(store);
        let reopened = Store::open(&dir.path().join("data")).unwrap();
        assert_eq!(reopened.signature_count(), 0);
    }

    /// A data folder written before record ids came from receipts: random ids, a key per
    /// receipt, weeks without the flag. Its receipts still withdraw their records, purged or
    /// not, and lower the count exactly when they counted.
    #[tokio::test]
    async fn receipts_of_a_folder_written_before_ids_came_from_receipts_still_withdraw() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let ids = [RecordId::random(), RecordId::random(), RecordId::random()];
        {
            let store = Store::open(&data).unwrap();
            store.close().await.unwrap();
            let db = super::super::open_when_unlocked(&data).unwrap();
            let sealed = db.open_tree(layout::SEALED_TREE).unwrap();
            for (n, id) in ids.iter().enumerate() {
                let n = n as u8;
                // Written as back then: the week alone, and the receipt's own key.
                let mut entry = [n; 8].to_vec();
                entry.extend_from_slice(&100u32.to_be_bytes());
                entry.extend_from_slice(&[n; 50]);
                sealed.insert(layout::record_key(*id), entry).unwrap();
                let mut receipt = id.to_bytes().to_vec();
                receipt.push(u8::from(n < 2));
                sealed
                    .insert(layout::receipt_key(&[n; 32]), receipt)
                    .unwrap();
            }
            sealed.insert(SIGNATURES_KEY, &2u64.to_be_bytes()).unwrap();
            db.flush().unwrap();
        }
        let store = Store::open(&data).unwrap();
        assert_eq!(store.signature_count(), 2);
        let hash: [u8; 32] = Sha256::digest([1u8; 50]).into();
        assert_eq!(store.purge(vec![(ids[1], hash)]).await.unwrap(), [ids[1]]);
        for (n, counted) in [(0u8, true), (1, true), (2, false)] {
            assert_eq!(
                store.withdraw(&format!("R{n}"), [n; 32], 1).await.unwrap(),
                Withdrawn::Known { counted },
                "receipt {n}"
            );
            assert_eq!(store.get(ids[usize::from(n)]).unwrap(), None);
        }
        assert_eq!(store.signature_count(), 0);
        assert_eq!(
            store.withdraw("R0", [0; 32], 2).await.unwrap(),
            Withdrawn::Unknown
        );
        assert_eq!(store.signature_count(), 0);
    }

    /// The inserter adds to the stored count while withdrawals lower it: with both at once, the
    /// count kept on disk must still be exactly what was added and taken away.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn signing_and_withdrawing_at_once_lose_no_change_to_the_count() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        for n in 0..60u8 {
            store
                .put(vec![n; 50], beside(n, 100, Counted::AsSignature))
                .await
                .unwrap();
        }
        let mut writers = Vec::new();
        for n in 0..60u8 {
            let signing = store.clone();
            writers.push(tokio::spawn(async move {
                signing
                    .put(vec![n; 50], beside(100 + n, 100, Counted::AsSignature))
                    .await
                    .map(drop)
            }));
            let withdrawing = store.clone();
            writers.push(tokio::spawn(async move {
                let withdrawn = withdrawing.withdraw(&format!("R{n}"), [n; 32], 1).await?;
                assert_eq!(withdrawn, Withdrawn::Known { counted: true });
                Ok(())
            }));
        }
        for writer in writers {
            writer.await.unwrap().unwrap();
        }
        assert_eq!(store.signature_count(), 60);
        store.close().await.unwrap();
        drop(store);
        let reopened = Store::open(&dir.path().join("data")).unwrap();
        assert_eq!(reopened.signature_count(), 60);
    }
}
