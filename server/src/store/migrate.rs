//! Data folders written before the one-tree layout ([`super::layout`]) kept each kind of entry
//! in a tree of its own. Opening such a folder moves its entries into the `sealed` tree, then
//! drops the old trees. Every step can be repeated: a crash part way through leaves a folder
//! the next opening finishes moving.

use super::layout::{self, SIGNATURES_KEY};
use super::{Beside, Counted};
use seal::{RecipientSetFingerprint, RecordId};

/// The trees of the earlier layout, by their names in sled.
const OLD_RECORDS: &str = "records";
const OLD_RECIPIENTS: &str = "recipients";
const OLD_WEEKS: &str = "weeks";
const OLD_RECEIPTS: &str = "receipts";
const OLD_META: &str = "meta";
const OLD_SIGNATURES_KEY: &[u8] = b"signatures";

/// Moves an earlier layout's entries into `sealed`; returns how many records moved (none when
/// the folder has no earlier layout). The caller syncs the log afterwards.
pub fn from_separate_trees(db: &sled::Db, sealed: &sled::Tree) -> Result<usize, String> {
    let has_old_layout = db
        .tree_names()
        .iter()
        .any(|name| name.as_ref() == OLD_RECORDS.as_bytes());
    if !has_old_layout {
        return Ok(0);
    }
    let tree = |name: &str| db.open_tree(name).map_err(|e| e.to_string());
    let (records, recipients, weeks) =
        (tree(OLD_RECORDS)?, tree(OLD_RECIPIENTS)?, tree(OLD_WEEKS)?);
    let (receipts, meta) = (tree(OLD_RECEIPTS)?, tree(OLD_META)?);
    let storage = |e: sled::Error| e.to_string();

    if sealed.get(SIGNATURES_KEY).map_err(storage)?.is_none()
        && let Some(count) = meta.get(OLD_SIGNATURES_KEY).map_err(storage)?
    {
        layout::Counter::read(Some(&count))?;
        sealed.insert(SIGNATURES_KEY, count).map_err(storage)?;
    }
    for entry in receipts.iter() {
        let (receipt, value) = entry.map_err(storage)?;
        let receipt: [u8; 32] = receipt
            .as_ref()
            .try_into()
            .map_err(|_| damaged("receipt"))?;
        // The entry's bytes are unchanged: the record's id and whether it counted.
        layout::read_receipt_entry(&value).map_err(|_| damaged("receipt"))?;
        sealed
            .insert(layout::receipt_key(&receipt), value)
            .map_err(storage)?;
    }
    let mut moved = 0;
    for entry in records.iter() {
        let (key, record) = entry.map_err(storage)?;
        let id: [u8; 16] = key.as_ref().try_into().map_err(|_| damaged("record key"))?;
        let fingerprint: [u8; 8] = recipients
            .get(key.as_ref())
            .map_err(storage)?
            .and_then(|bytes| bytes.as_ref().try_into().ok())
            .ok_or_else(|| damaged("record's recipient fingerprint"))?;
        let week: [u8; 4] = weeks
            .get(key.as_ref())
            .map_err(storage)?
            .and_then(|bytes| bytes.as_ref().try_into().ok())
            .ok_or_else(|| damaged("record's week"))?;
        let beside = Beside {
            recipients: RecipientSetFingerprint::from_bytes(fingerprint),
            // Neither is kept in a record's entry: the receipts moved above.
            counted: Counted::NotAsSignature,
            receipt: None,
            week: u32::from_be_bytes(week),
        };
        let id = RecordId::from_bytes(id);
        sealed
            .insert(
                layout::record_key(id),
                layout::record_entry(&beside, &record),
            )
            .map_err(storage)?;
        // Only once it is in `sealed`: a crash in between leaves it in both, and the next
        // opening writes the same entry again.
        records.remove(&key).map_err(storage)?;
        moved += 1;
    }
    for name in [
        OLD_RECIPIENTS,
        OLD_WEEKS,
        OLD_RECEIPTS,
        OLD_META,
        OLD_RECORDS,
    ] {
        db.drop_tree(name).map_err(storage)?;
    }
    Ok(moved)
}

fn damaged(what: &str) -> String {
    format!("a {what} in the data folder's earlier layout is damaged")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, Withdrawn, open_when_unlocked};

    /// A folder in the earlier layout with two records, one receipt and a count of one; with
    /// `half_moved`, as a crash part way through moving leaves it: the first record already
    /// in `sealed` and gone from `records`, its fingerprint and week still in theirs.
    fn earlier_layout(dir: &std::path::Path, half_moved: bool) -> [(RecordId, Vec<u8>); 2] {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().mode(0o700).create(dir).unwrap();
        let db = open_when_unlocked(dir).unwrap();
        let tree = |name: &str| db.open_tree(name).unwrap();
        let records = [
            (RecordId::random(), b"age-encryption.org/v1 one".to_vec()),
            (RecordId::random(), b"age-encryption.org/v1 two".to_vec()),
        ];
        for (n, (id, record)) in records.iter().enumerate() {
            let key = id.to_bytes();
            tree(OLD_RECORDS).insert(key, record.as_slice()).unwrap();
            tree(OLD_RECIPIENTS).insert(key, &[n as u8; 8]).unwrap();
            tree(OLD_WEEKS)
                .insert(key, &(100 + n as u32).to_be_bytes())
                .unwrap();
        }
        let (first, _) = &records[0];
        let mut receipt = first.to_bytes().to_vec();
        receipt.push(1);
        tree(OLD_RECEIPTS).insert([7; 32], receipt).unwrap();
        tree(OLD_META)
            .insert(OLD_SIGNATURES_KEY, &1u64.to_be_bytes())
            .unwrap();
        if half_moved {
            move_only_the_first(&db, &records);
        }
        db.flush().unwrap();
        records
    }

    /// Moves only the first record, as the loop does, and stops.
    fn move_only_the_first(db: &sled::Db, records: &[(RecordId, Vec<u8>); 2]) {
        let sealed = db.open_tree(layout::SEALED_TREE).unwrap();
        let (id, record) = &records[0];
        let beside = Beside {
            recipients: RecipientSetFingerprint::from_bytes([0; 8]),
            counted: Counted::NotAsSignature,
            receipt: None,
            week: 100,
        };
        sealed
            .insert(
                layout::record_key(*id),
                layout::record_entry(&beside, record),
            )
            .unwrap();
        db.open_tree(OLD_RECORDS)
            .unwrap()
            .remove(id.to_bytes())
            .unwrap();
    }

    #[tokio::test]
    async fn an_earlier_folder_opens_with_every_record_receipt_and_the_count() {
        for half_moved in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let data = dir.path().join("data");
            let records = earlier_layout(&data, half_moved);
            let store = Store::open(&data).unwrap();
            assert_eq!(store.signature_count(), 1, "half moved: {half_moved}");
            let listed = store.list(None, 10).unwrap();
            assert_eq!(listed.len(), 2);
            for (n, (id, record)) in records.iter().enumerate() {
                assert_eq!(store.get(*id).unwrap().as_ref(), Some(record));
                let entry = listed.iter().find(|listed| listed.id == *id).unwrap();
                assert_eq!(
                    entry.recipients,
                    RecipientSetFingerprint::from_bytes([n as u8; 8])
                );
            }
            // The receipt still withdraws its record and lowers the count.
            assert_eq!(
                store.withdraw("RECEIPT", [7; 32], 1).await.unwrap(),
                Withdrawn::Known { counted: true }
            );
            assert_eq!(store.get(records[0].0).unwrap(), None);
            assert_eq!(store.signature_count(), 0);
            // The second record's week came along: it arrived in week 101.
            assert_eq!(store.forget(Some(101), 0).await.unwrap(), (0, 0));
            assert_eq!(store.forget(Some(102), 0).await.unwrap(), (1, 0));
            store.close().await.unwrap();
            drop(store);

            let db = open_when_unlocked(&data).unwrap();
            let names: Vec<_> = db.tree_names();
            for old in [
                OLD_RECORDS,
                OLD_RECIPIENTS,
                OLD_WEEKS,
                OLD_RECEIPTS,
                OLD_META,
            ] {
                assert!(
                    !names.iter().any(|name| name.as_ref() == old.as_bytes()),
                    "{old} is gone"
                );
            }
        }
    }
}
