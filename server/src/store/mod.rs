//! Sealed records on disk, in sled: only ciphertext, its id (as random as a drawn one) and the
//! fingerprint of the recipient set it was sealed to. Nothing here ever sees plaintext.
//!
//! Durability: [`Store::put`] answers only after an `fdatasync` of the file holding the record
//! has returned. Records go through two threads of the store's own ("group commit"): the
//! inserter takes every record waiting, writes them all with the signature count, and hands
//! their writers to the flusher; the flusher takes every writer waiting, calls sled's blocking
//! `flush()` once, then `fdatasync`s sled's log file itself, and answers them all. A writer
//! reaches the flusher only after its record's batch was applied, so the sync that answers it
//! covers it. While one batch is being synced the next is being inserted. The signature
//! counter is written twice per batch, not once per record.
//!
//! Why the extra call: sled 0.34's `flush()` writes the log with `pwrite` and then, on Linux,
//! only `sync_file_range`, which neither writes the file's metadata (its new length) nor flushes
//! the drive's cache; a power cut after it could lose an acknowledged record. sled's own
//! background `fsync` is turned off, so that every sync of a record is the one made here.
//!
//! Where records live: sled writes a value larger than a quarter of its segment to a separate
//! file under `blobs/`, without syncing it. The segment size is set so that no record can take
//! that path ([`MAX_RECORD_BYTES`] is below a quarter of [`SEGMENT_SIZE`]), and `put` refuses a
//! larger record, so every record lives in the one log file synced here. The data folder (and
//! `blobs/`) are fsynced once at opening, when sled has created its files.
//!
//! sled 0.34's `flush_async` is avoided on purpose: it has been seen to hang when many tasks
//! call it at once.
//!
//! Atomicity: a record and what is kept beside it are one sled `insert` ([`layout`]), which a
//! crash leaves whole or not at all. The count of a batch's signatures is written before and
//! after its records ([`write_batch`]), so that whatever part of a batch a crash leaves, opening
//! the store finds the exact count again ([`settle_count`]). Not one `apply_batch` for the whole
//! batch: sled 0.34's `apply_batch` takes its global write lock, which waits while the flusher's
//! `flush()` writes the log (sled holds the lock's read side for that), so the next batch could
//! not be written while the one before was being written out.
//!
//! Beside each record, in clear ([`Beside`]): the fingerprint of its recipients, the week it
//! arrived (for retention), and, keyed by the hash of the person's withdrawal receipt, its id
//! and whether it counted as a signature. What organizers and withdrawals do to the store is in
//! [`organizer`].

mod layout;
mod migrate;
mod organizer;

pub use organizer::{Listed, Withdrawal, Withdrawn};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use seal::{EXPORT_INDEX_FILE, ExportIndex, RecipientSetFingerprint, RecordId};
use tokio::sync::oneshot;

use crate::Error;
use layout::{Counter, RECORD_PREFIX, SEALED_TREE, SIGNATURES_KEY, StoredRecord};

const WITHDRAWALS_TREE: &str = "withdrawals";
const SIGNATORIES_TREE: &str = "signatories";
/// sled's log file inside the data folder.
const LOG_FILE: &str = "db";

/// sled's segment (and IO buffer) size. sled writes values over a quarter of it to unsynced
/// files of their own, so it is set well above four times [`MAX_RECORD_BYTES`]. sled keeps it in
/// the data folder's `conf` and refuses to open a folder made with another size.
pub const SEGMENT_SIZE: usize = 8 * 1024 * 1024;

/// sled's page cache. Its default (1 GiB) keeps every record written since start in memory.
/// With the workspace's sled (its cache in 4 shards, vendor/sled/SEALFORM.md) what sled keeps
/// follows this figure. Records have random ids, so a leaf read back for an insert is rarely
/// wanted again before it is evicted; what the cache must hold is the tree's index nodes, about
/// 30 bytes per leaf of 8–16 records, 2–4 MiB at a million records. 8 MiB held as many
/// submissions a second as 16 MiB, alternated in the same hour, for 5 MiB less
/// (docs/PERFORMANCE.md).
pub const CACHE_BYTES: u64 = 8 * 1024 * 1024;

/// The largest sealed record the store takes: with the default body limits a record is at most
/// about half of this (a form body's text, padded by at most an eighth, plus age's headers).
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// The record store. Cheap to clone; all clones share one database and one flusher.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    /// The data folder, open: the free-space check before every store asks about it without
    /// looking its path up again.
    folder: fs::File,
    /// Shared with the flusher, which counts a signature once its record is synced.
    signatures: Arc<AtomicU64>,
    /// Set by [`Store::close`]: every later write is refused, and nothing is reopened.
    closed: AtomicBool,
    /// The open database; `None` while it is being reopened or after a reopening failed.
    database: RwLock<Option<Arc<Database>>>,
    /// One reopening at a time.
    reopening: Mutex<()>,
    /// The week before which retention last deleted every record, if it has run since opening.
    /// Records arrive in the current week, never an earlier one, so until the cut-off moves on
    /// there is nothing new to delete, and the hourly run need not read every record again.
    retained_from: Mutex<Option<u32>>,
}

/// One opening of sled. A write or sync error marks it failed: sled's errors are sticky (its
/// log is unusable after one), so the next write reopens it, and sled's recovery discards
/// whatever was not synced. Nothing acknowledged is lost: acknowledged means synced.
#[derive(Debug)]
struct Database {
    /// Records, their receipts and the signature count ([`layout`]).
    sealed: sled::Tree,
    /// Held by whoever writes the signature count: the inserter adds to the count it read, so a
    /// withdrawal lowering it meanwhile would be lost.
    counter_writes: Arc<Mutex<()>>,
    /// A receipt posted to /withdraw → the day it was posted (days since 1970, big-endian).
    withdrawals: sled::Tree,
    /// The published signatory list: receipt hash → the entry's public JSON.
    signatories: sled::Tree,
    failed: AtomicBool,
    /// `None` once closed.
    inserter: Mutex<Option<mpsc::Sender<PendingRecord>>>,
    inserter_thread: Mutex<Option<thread::JoinHandle<()>>>,
    /// `None` once closed.
    flusher: Mutex<Option<mpsc::Sender<FlushWait>>>,
    flusher_thread: Mutex<Option<thread::JoinHandle<()>>>,
}

/// What to undo if a record given to [`Store::put_or_undo`] is not stored. It runs once the
/// store knows the record failed, or when the put is dropped before the record reached the
/// store, whether or not anyone still waits for the answer; never once the record is stored.
/// So a request cut short (a timeout, the client leaving) cannot leave a record neither stored
/// nor undone.
pub struct IfNotStored(Option<Box<dyn FnOnce() + Send>>);

impl IfNotStored {
    /// Runs `undo` unless the record is stored.
    pub fn new(undo: impl FnOnce() + Send + 'static) -> Self {
        Self(Some(Box::new(undo)))
    }

    fn stored(mut self) {
        self.0 = None;
    }
}

impl std::fmt::Debug for IfNotStored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IfNotStored")
            .field("armed", &self.0.is_some())
            .finish()
    }
}

impl Drop for IfNotStored {
    fn drop(&mut self) {
        if let Some(undo) = self.0.take() {
            undo();
        }
    }
}

/// A record waiting for the inserter.
struct PendingRecord {
    /// The record's value as stored ([`layout::record_entry`]). It and the id are made on the
    /// request's own worker: the one inserter thread only hands them to sled.
    entry: Vec<u8>,
    writer: RecordWriter,
}

/// Who waits for a record, and what the store does once it knows the outcome.
struct RecordWriter {
    id: RecordId,
    counted: Counted,
    stored: oneshot::Sender<Result<RecordId, String>>,
    if_not_stored: IfNotStored,
}

// Both answers hold whether or not the writer still listens: its request may have been cut
// short.
impl RecordWriter {
    /// The record is synced: counts it if it is a signature, and says so.
    fn stored(self, signatures: &AtomicU64) {
        self.if_not_stored.stored();
        if self.counted == Counted::AsSignature {
            signatures.fetch_add(1, Ordering::Relaxed);
        }
        let _ = self.stored.send(Ok(self.id));
    }

    /// The record is not stored: runs the writer's undo, and says why.
    fn failed(self, error: String) {
        drop(self.if_not_stored);
        let _ = self.stored.send(Err(error));
    }
}

/// Writers waiting for the next fsync.
enum FlushWait {
    /// A writer that changed the store itself (organizers' and withdrawals' writes).
    Change(oneshot::Sender<Result<(), String>>),
    /// The writers of the records the inserter has just written.
    Records(Vec<RecordWriter>),
}

/// The most records in one batch: a bound on the memory a batch holds.
const MAX_BATCH: usize = 256;

impl Store {
    /// Opens (or creates) the store in `dir` and starts its flusher.
    pub fn open(dir: &Path) -> Result<Store, Error> {
        check_private_folder(dir).map_err(|reason| Error::DataDir {
            path: dir.to_path_buf(),
            reason,
        })?;
        let folder = fs::File::open(dir).map_err(|e| Error::DataDir {
            path: dir.to_path_buf(),
            reason: format!("cannot open it: {e}"),
        })?;
        let signatures = Arc::new(AtomicU64::new(0));
        let database = Database::open(dir, Arc::clone(&signatures))?;
        Ok(Store {
            inner: Arc::new(Inner {
                dir: dir.to_path_buf(),
                folder,
                signatures,
                closed: AtomicBool::new(false),
                database: RwLock::new(Some(Arc::new(database))),
                reopening: Mutex::new(()),
                retained_from: Mutex::new(None),
            }),
        })
    }

    /// Stores a sealed record with what is kept beside it and returns its id only once the log
    /// file holding it is synced. The id is [`layout::record_id_for_receipt`] of its receipt
    /// when it has one, a fresh random one otherwise. A record over [`MAX_RECORD_BYTES`] is
    /// refused.
    pub async fn put(&self, record: Vec<u8>, beside: Beside) -> Result<RecordId, Error> {
        self.put_or_undo(record, beside, IfNotStored(None)).await
    }

    /// [`Store::put`], running `if_not_stored` if the record is not stored, even when nobody
    /// waits for the answer any more.
    pub async fn put_or_undo(
        &self,
        record: Vec<u8>,
        beside: Beside,
        if_not_stored: IfNotStored,
    ) -> Result<RecordId, Error> {
        if record.len() > MAX_RECORD_BYTES {
            return Err(Error::RecordTooLarge {
                size: record.len(),
                limit: MAX_RECORD_BYTES,
            });
        }
        let database = self.database_for_writing().await?;
        // Ids are 128 bits as random as drawn ones: a collision with a stored record is not
        // worth a lookup per record. A receipt's id comes back only with the same form sent
        // again, which the replay guard thanks without storing it twice; if that form comes back
        // after its first store failed, its record is written again in its place.
        let id = beside.receipt.map_or_else(RecordId::random, |receipt| {
            layout::record_id_for_receipt(&receipt)
        });
        let entry = layout::record_entry(&beside, &record);
        drop(record);
        let (stored, answer) = oneshot::channel();
        let pending = PendingRecord {
            entry,
            writer: RecordWriter {
                id,
                counted: beside.counted,
                stored,
                if_not_stored,
            },
        };
        // A record the inserter does not take is dropped here, and so undone.
        let sent = lock(&database.inserter)
            .as_ref()
            .map(|inserter| inserter.send(pending));
        let stored = match sent {
            Some(Ok(())) => answer
                .await
                .map_err(|_| Error::Store("the inserter has stopped".into()))
                .and_then(|stored| stored.map_err(Error::Store)),
            _ => Err(Error::Store("the store is closed".into())),
        };
        if stored.is_err() {
            database.failed.store(true, Ordering::Relaxed);
        }
        stored
    }

    /// Bytes free for this process on the data folder's file system.
    pub fn free_bytes(&self) -> std::io::Result<u64> {
        let stats = rustix::fs::fstatvfs(&self.inner.folder)?;
        Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
    }

    /// How many signatures have been stored and acknowledged (records stored
    /// [`Counted::NotAsSignature`] are not counted).
    pub fn signature_count(&self) -> u64 {
        self.inner.signatures.load(Ordering::Relaxed)
    }

    /// How many records are stored, signatures and accounts alike. Walks every record: for
    /// checks and benchmarks, not for pages.
    pub fn record_count(&self) -> Result<usize, Error> {
        let database = self
            .inner
            .current()
            .ok_or_else(|| Error::Store("the store is not open".into()))?;
        Ok(database.sealed.scan_prefix(RECORD_PREFIX).count())
    }

    /// Flushes once more and stops the flusher; later `put`s fail. Then prepares the folder for
    /// a quick next start ([`Inner::snapshot_for_next_start`]). Call on shutdown.
    pub async fn close(&self) -> Result<(), Error> {
        self.inner.closed.store(true, Ordering::Relaxed);
        let Some(database) = self.inner.current() else {
            return Ok(());
        };
        let flushed = database.wait_durable().await;
        tokio::task::spawn_blocking(move || database.stop_writers())
            .await
            .map_err(|e| Error::Store(format!("the flusher did not stop: {e}")))??;
        flushed?;
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.snapshot_for_next_start())
            .await
            .map_err(|e| Error::Store(format!("the last opening of the store failed: {e}")))
    }

    /// Writes every record as `<out>/<id>.age` plus `<out>/index.tsv`; returns how many.
    /// Records are immutable, so exporting again into the same folder rewrites the same bytes.
    pub fn export(&self, out: &Path) -> Result<usize, Error> {
        let database = self
            .inner
            .current()
            .ok_or_else(|| Error::Store("the store is not open".into()))?;
        let export_error = |path: PathBuf, reason: String| Error::Export { path, reason };
        fs::create_dir_all(out).map_err(|e| export_error(out.to_path_buf(), e.to_string()))?;
        let mut index = ExportIndex::default();
        // Counted while writing: sled's `len()` would walk the whole tree again.
        let mut exported = 0;
        for entry in database.sealed.scan_prefix(RECORD_PREFIX) {
            let (key, entry) = entry.map_err(|e| Error::Store(e.to_string()))?;
            let id = layout::record_id(&key)?;
            let record = StoredRecord::read(&entry)?;
            let path = out.join(format!("{id}.age"));
            write_file_synced(&path, record.sealed)
                .map_err(|e| export_error(path, e.to_string()))?;
            index.push(id, record.recipients);
            exported += 1;
        }
        let index_path = out.join(EXPORT_INDEX_FILE);
        write_file_synced(&index_path, index.to_text().as_bytes())
            .map_err(|e| export_error(index_path, e.to_string()))?;
        // The files' names, too, before saying the export is done.
        sync_folder(out).map_err(|e| export_error(out.to_path_buf(), e.to_string()))?;
        Ok(exported)
    }

    /// The open database, reopened first if a write failed on it (or a reopening did).
    async fn database_for_writing(&self) -> Result<Arc<Database>, Error> {
        if self.inner.closed.load(Ordering::Relaxed) {
            return Err(Error::Store("the store is closed".into()));
        }
        match self.inner.current() {
            Some(database) if !database.failed.load(Ordering::Relaxed) => Ok(database),
            failed => {
                let inner = Arc::clone(&self.inner);
                tokio::task::spawn_blocking(move || inner.reopen(failed))
                    .await
                    .map_err(|e| Error::Store(format!("the reopening task failed: {e}")))?
            }
        }
    }
}

impl Inner {
    fn current(&self) -> Option<Arc<Database>> {
        self.database
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// sled 0.34 writes down where each page sits in its log (its snapshot) only when it opens
    /// a folder, so the next start would read back everything written since this opening:
    /// about 0.4 s per 100,000 records on a small machine (docs/PERFORMANCE.md). Opening the
    /// folder once more as the store closes does that work now, while nobody waits for a page.
    /// Best effort: every record is already durable, and the next start reads the log anyway
    /// if this could not be done.
    fn snapshot_for_next_start(&self) {
        let _one_at_a_time = lock(&self.reopening);
        // Every handle to the database must go before sled lets the folder open again.
        let closing = self
            .database
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        drop(closing);
        match open_when_unlocked(&self.dir) {
            Ok(reopened) => drop(reopened),
            Err(e) => tracing::warn!(
                "the store is closed, but its next start will read back its whole log: {}",
                describe_open_error(&e)
            ),
        }
    }

    /// Closes `failed` (unless another writer already replaced it) and opens the folder again.
    fn reopen(&self, failed: Option<Arc<Database>>) -> Result<Arc<Database>, Error> {
        let _one_at_a_time = lock(&self.reopening);
        let current = self.current();
        let same = match (&current, &failed) {
            (Some(current), Some(failed)) => Arc::ptr_eq(current, failed),
            (None, None) => true,
            _ => false,
        };
        if !same && let Some(current) = current {
            return Ok(current);
        }
        drop(current);
        // Every handle to the old database must go before sled lets the folder open again.
        *self
            .database
            .write()
            .unwrap_or_else(PoisonError::into_inner) = None;
        if let Some(failed) = failed {
            failed.stop_writers()?;
        }
        tracing::warn!("a write to the store failed: reopening it");
        let database = Arc::new(Database::open(&self.dir, Arc::clone(&self.signatures))?);
        *self
            .database
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&database));
        tracing::info!("the store is open again");
        Ok(database)
    }
}

impl Database {
    /// Opens sled in `dir`, syncs the folder, starts the flusher. Sets `signatures` to the
    /// stored count, which the flusher then raises as signatures are synced.
    fn open(dir: &Path, signatures: Arc<AtomicU64>) -> Result<Database, Error> {
        let data_dir_error = |reason: String| Error::DataDir {
            path: dir.to_path_buf(),
            reason,
        };
        let db = open_when_unlocked(dir).map_err(|e| data_dir_error(describe_open_error(&e)))?;
        // sled has just created (or found) its files: make their names durable too.
        for folder in [dir.to_path_buf(), dir.join("blobs")] {
            sync_folder(&folder)
                .map_err(|e| data_dir_error(format!("cannot sync {}: {e}", folder.display())))?;
        }
        let log = fs::File::open(dir.join(LOG_FILE))
            .map_err(|e| data_dir_error(format!("cannot open sled's log file: {e}")))?;
        let open_tree = |name: &str| {
            db.open_tree(name)
                .map_err(|e| data_dir_error(e.to_string()))
        };
        let sealed = open_tree(SEALED_TREE)?;
        let withdrawals = open_tree(WITHDRAWALS_TREE)?;
        let signatories = open_tree(SIGNATORIES_TREE)?;
        let moved = migrate::from_separate_trees(&db, &sealed).map_err(data_dir_error)?;
        let (stored_signatures, settled) = settle_count(&sealed).map_err(data_dir_error)?;
        if moved > 0 || settled {
            db.flush()
                .map_err(|e| e.to_string())
                .and_then(|_| log.sync_data().map_err(|e| e.to_string()))
                .map_err(data_dir_error)?;
        }
        if moved > 0 {
            tracing::info!("moved {moved} records into the store's current layout");
        }
        signatures.store(stored_signatures, Ordering::Relaxed);

        let (flusher, flush_waits) = mpsc::channel();
        let flusher_thread = thread::Builder::new()
            .name("sealform-flusher".into())
            .spawn(move || run_flusher(&db, &log, &flush_waits, &signatures))
            .map_err(|e| data_dir_error(format!("cannot start the flusher thread: {e}")))?;
        let (inserter, pending) = mpsc::channel();
        let counter_writes = Arc::new(Mutex::new(()));
        let inserting = Inserting {
            sealed: sealed.clone(),
            counter_writes: Arc::clone(&counter_writes),
        };
        let to_flusher = flusher.clone();
        let inserter_thread = thread::Builder::new()
            .name("sealform-inserter".into())
            .spawn(move || run_inserter(&inserting, &pending, &to_flusher))
            .map_err(|e| data_dir_error(format!("cannot start the inserter thread: {e}")))?;
        let database = Database {
            sealed,
            counter_writes,
            withdrawals,
            signatories,
            failed: AtomicBool::new(false),
            inserter: Mutex::new(Some(inserter)),
            inserter_thread: Mutex::new(Some(inserter_thread)),
            flusher: Mutex::new(Some(flusher)),
            flusher_thread: Mutex::new(Some(flusher_thread)),
        };
        Ok(database)
    }

    async fn wait_durable(&self) -> Result<(), Error> {
        let (done, wait) = oneshot::channel();
        lock(&self.flusher)
            .as_ref()
            .ok_or_else(|| Error::Store("the store is closed".into()))?
            .send(FlushWait::Change(done))
            .map_err(|_| Error::Store("the flusher has stopped".into()))?;
        wait.await
            .map_err(|_| Error::Store("the flusher has stopped".into()))?
            .map_err(Error::Store)
    }

    /// Stops the inserter after its last batch, then the flusher after its last sync, and waits
    /// for both. The inserter goes first: it hands its last writers to the flusher.
    fn stop_writers(&self) -> Result<(), Error> {
        drop(lock(&self.inserter).take());
        let inserter = match lock(&self.inserter_thread).take() {
            Some(handle) => handle
                .join()
                .map_err(|_| Error::Store("the inserter thread panicked".into())),
            None => Ok(()),
        };
        drop(lock(&self.flusher).take());
        let flusher = match lock(&self.flusher_thread).take() {
            Some(handle) => handle
                .join()
                .map_err(|_| Error::Store("the flusher thread panicked".into())),
            None => Ok(()),
        };
        inserter.and(flusher)
    }
}

/// What the host keeps in clear beside a record.
#[derive(Debug, Clone, Copy)]
pub struct Beside {
    /// The recipient set the record was sealed to, so organizers know which key opens it.
    pub recipients: RecipientSetFingerprint,
    /// Whether it adds to the public signature count.
    pub counted: Counted,
    /// The SHA-256 of the withdrawal receipt shown to the person, when one was.
    pub receipt: Option<[u8; 32]>,
    /// The week it arrived, as counted by [`week_of`]: what retention deletes by.
    pub week: u32,
}

/// The week containing `time`: weeks since Monday 1969-12-29, so that weeks run Monday to
/// Sunday like ISO weeks. The only trace of when a record arrived that the host keeps in clear.
pub fn week_of(time: std::time::SystemTime) -> u32 {
    let days = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400);
    u32::try_from((days + 3) / 7).unwrap_or(u32::MAX)
}

/// Whether a stored record adds to the public signature count. The host learns only this bit
/// of a record, which the public count already shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A signature (with or without an account of what happened).
    AsSignature,
    /// An account of what happened from someone who did not sign.
    NotAsSignature,
}

/// What the inserter writes to.
struct Inserting {
    sealed: sled::Tree,
    counter_writes: Arc<Mutex<()>>,
}

/// The inserter: per batch of waiting records, [`write_batch`], then the batch's writers go to
/// the flusher (or, if the batch failed, are told at once).
fn run_inserter(
    inserting: &Inserting,
    pending: &mpsc::Receiver<PendingRecord>,
    flusher: &mpsc::Sender<FlushWait>,
) {
    while let Ok(first) = pending.recv() {
        let batch: Vec<PendingRecord> = std::iter::once(first)
            .chain(pending.try_iter().take(MAX_BATCH - 1))
            .collect();
        let inserted = insert_batch(inserting, &batch);
        let writers = batch.into_iter().map(|pending| pending.writer);
        match inserted {
            Ok(()) => {
                if let Err(mpsc::SendError(FlushWait::Records(writers))) =
                    flusher.send(FlushWait::Records(writers.collect()))
                {
                    for writer in writers {
                        writer.failed("the flusher has stopped".into());
                    }
                }
            }
            Err(error) => {
                for writer in writers {
                    writer.failed(error.clone());
                }
            }
        }
    }
}

/// Writes `batch` to sled ([`write_batch`]).
fn insert_batch(inserting: &Inserting, batch: &[PendingRecord]) -> Result<(), String> {
    let storage = |e: sled::Error| e.to_string();
    // Held from reading the count to writing it: a withdrawal lowering it meanwhile would be
    // lost, and must never find this batch's signatures pending.
    let _counter = lock(&inserting.counter_writes);
    let any_signature = batch
        .iter()
        .any(|pending| pending.writer.counted == Counted::AsSignature);
    let count = if any_signature {
        let stored = inserting.sealed.get(SIGNATURES_KEY).map_err(storage)?;
        Counter::read(stored.as_deref())?.count
    } else {
        0
    };
    write_batch(count, batch, |key, value| {
        inserting
            .sealed
            .insert(key, value)
            .map(drop)
            .map_err(storage)
    })
}

/// Hands `write` the writes of `batch` in the order sled must log them, given the stored
/// signature count: if the batch holds signatures, first the count with their ids pending, then
/// every record, then the count with them added. sled recovers its log up to the first torn
/// message, so a crash leaves a first part of these writes; [`settle_count`] makes the count
/// exact again from any of them.
fn write_batch<E>(
    count: u64,
    batch: &[PendingRecord],
    mut write: impl FnMut(&[u8], &[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let pending: Vec<RecordId> = batch
        .iter()
        .filter(|record| record.writer.counted == Counted::AsSignature)
        .map(|record| record.writer.id)
        .collect();
    let added = pending.len() as u64;
    if added > 0 {
        write(SIGNATURES_KEY, &Counter { count, pending }.entry())?;
    }
    for record in batch {
        write(&layout::record_key(record.writer.id), &record.entry)?;
    }
    if added > 0 {
        let counter = Counter {
            count: count + added,
            pending: Vec::new(),
        };
        write(SIGNATURES_KEY, &counter.entry())?;
    }
    Ok(())
}

/// The signature count as a crash left it ([`write_batch`]): the stored count, plus each pending
/// signature whose record was written before the crash. Stores it back with nothing pending and
/// says whether it had to, so that the caller syncs it.
fn settle_count(sealed: &sled::Tree) -> Result<(u64, bool), String> {
    let storage = |e: sled::Error| e.to_string();
    let counter = Counter::read(sealed.get(SIGNATURES_KEY).map_err(storage)?.as_deref())?;
    if counter.pending.is_empty() {
        return Ok((counter.count, false));
    }
    let mut count = counter.count;
    for id in counter.pending {
        if let Some(entry) = sealed.get(layout::record_key(id)).map_err(storage)? {
            count += u64::from(
                StoredRecord::read(&entry)
                    .map_err(|e| e.to_string())?
                    .counted,
            );
        }
    }
    let settled = Counter {
        count,
        pending: Vec::new(),
    };
    sealed
        .insert(SIGNATURES_KEY, settled.entry())
        .map_err(storage)?;
    Ok((count, true))
}

/// The flusher: per batch of waiting writers, one blocking `flush()` (sled writes its log) and
/// one `fdatasync` of the log file, then every writer of the batch is answered.
fn run_flusher(
    db: &sled::Db,
    log: &fs::File,
    waits: &mpsc::Receiver<FlushWait>,
    signatures: &AtomicU64,
) {
    while let Ok(first) = waits.recv() {
        let mut batch = vec![first];
        batch.extend(waits.try_iter());
        let outcome = db
            .flush()
            .map_err(|e| e.to_string())
            .and_then(|_| log.sync_data().map_err(|e| e.to_string()));
        // A writer that gave up (its request was cancelled) no longer listens.
        for wait in batch {
            match wait {
                FlushWait::Change(writer) => {
                    let _ = writer.send(outcome.clone());
                }
                FlushWait::Records(writers) => {
                    for writer in writers {
                        match &outcome {
                            Ok(()) => writer.stored(signatures),
                            Err(error) => writer.failed(error.clone()),
                        }
                    }
                }
            }
        }
    }
    if let Err(e) = db
        .flush()
        .map(drop)
        .map_err(|e| e.to_string())
        .and_then(|()| log.sync_data().map_err(|e| e.to_string()))
    {
        tracing::error!(error = %e, "final flush of the store failed");
    }
}

/// Creates `dir` (mode 0700, whatever the umask) or checks that an existing one is private:
/// a data folder that group or others can read or write is refused, with the fix.
fn check_private_folder(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    match fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err("it is not a folder".into()),
        Ok(meta) => {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 == 0 {
                Ok(())
            } else {
                Err(format!(
                    "other users of this machine can open it (mode {mode:o}); it must be the \
                     server's alone\nrun: chmod 700 {}",
                    dir.display()
                ))
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("cannot create it: {e}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Makes the names of the files in `folder` durable (Linux: an fsync of the folder itself).
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    match fs::File::open(folder) {
        Ok(handle) => handle.sync_all(),
        // sled makes `blobs/` lazily in some versions; nothing to sync then.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded values stay consistent even if a holder panicked: take them anyway.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How long opening waits for the folder's lock: a store closed in this same process can hold
/// it a moment longer, while sled's own threads let go of the database.
const LOCK_WAIT: Duration = Duration::from_secs(2);

fn open_when_unlocked(dir: &Path) -> sled::Result<sled::Db> {
    let started = Instant::now();
    loop {
        let opened = sled::Config::new()
            .path(dir)
            .segment_size(SEGMENT_SIZE)
            .cache_capacity(CACHE_BYTES)
            // Every sync is the flusher's own, after the records it answers for.
            .flush_every_ms(None)
            .open();
        match opened {
            Err(e) if is_lock_error(&e) && started.elapsed() < LOCK_WAIT => {
                thread::sleep(Duration::from_millis(20));
            }
            opened => return opened,
        }
    }
}

fn is_lock_error(e: &sled::Error) -> bool {
    let text = e.to_string();
    text.contains("lock") || text.contains("WouldBlock") || text.contains("temporarily unavailable")
}

fn describe_open_error(e: &sled::Error) -> String {
    let text = e.to_string();
    if is_lock_error(e) {
        format!("{text} (is a sealform-server already using this folder? stop it first)")
    } else {
        text
    }
}

fn write_file_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(n: u8) -> RecipientSetFingerprint {
        RecipientSetFingerprint::from_bytes([n; 8])
    }

    fn beside(n: u8, counted: Counted) -> Beside {
        Beside {
            recipients: fingerprint(n),
            counted,
            receipt: Some([n; 32]),
            week: 2920,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_puts_are_all_durable_and_signatures_counted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        // One record in four is an account from someone who did not sign.
        let counted = |n: u8| match n % 4 {
            0 => Counted::NotAsSignature,
            _ => Counted::AsSignature,
        };
        let writers: Vec<_> = (0..64u8)
            .map(|n| {
                let store = store.clone();
                tokio::spawn(async move { store.put(vec![n; 100], beside(n, counted(n))).await })
            })
            .collect();
        let mut ids = Vec::new();
        for writer in writers {
            ids.push(writer.await.unwrap().unwrap());
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 64);
        assert_eq!(store.signature_count(), 48);
        store.close().await.unwrap();
        drop(store);

        // Reopen: the counter and every record survived.
        let reopened = Store::open(&dir.path().join("data")).unwrap();
        assert_eq!(reopened.signature_count(), 48);
        let out = dir.path().join("export");
        assert_eq!(reopened.export(&out).unwrap(), 64);
        let index =
            ExportIndex::parse(&fs::read_to_string(out.join(EXPORT_INDEX_FILE)).unwrap()).unwrap();
        for id in &ids {
            let bytes = fs::read(out.join(format!("{id}.age"))).unwrap();
            assert_eq!(bytes.len(), 100);
            assert_eq!(index.recipients_of(*id), Some(fingerprint(bytes[0])));
        }
    }

    /// Each record is one key in sled, beside the one count: a second key per record costs a
    /// read of a leaf of its own (docs/PERFORMANCE.md). Its id is its receipt's.
    #[tokio::test]
    async fn each_record_is_one_key_named_by_its_receipt() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        for n in 0..30 {
            let id = store
                .put(vec![n; 100], beside(n, Counted::AsSignature))
                .await
                .unwrap();
            assert_eq!(id, layout::record_id_for_receipt(&[n; 32]));
        }
        let without_receipt = Beside {
            receipt: None,
            ..beside(99, Counted::NotAsSignature)
        };
        store.put(vec![99; 100], without_receipt).await.unwrap();
        let database = store.inner.current().unwrap();
        assert_eq!(database.sealed.len(), 31 + 1);
        assert_eq!(database.sealed.scan_prefix(RECORD_PREFIX).count(), 31);
    }

    /// A batch waiting for the inserter, as `put` makes it.
    fn pending(n: u8, counted: Counted) -> PendingRecord {
        PendingRecord {
            entry: layout::record_entry(&beside(n, counted), &[n; 100]),
            writer: RecordWriter {
                id: layout::record_id_for_receipt(&[n; 32]),
                counted,
                stored: oneshot::channel().0,
                if_not_stored: IfNotStored(None),
            },
        }
    }

    /// A crash can stop a batch between any two of its writes (sled recovers its log up to
    /// the first torn message): whatever part was written, the store opens with the count of
    /// the signatures it holds, and keeps it so.
    #[tokio::test]
    async fn a_batch_cut_short_at_any_write_opens_with_the_exact_count() {
        let counted = [true, false, true, true];
        let batch: Vec<PendingRecord> = (0..4u8)
            .map(|n| match counted[usize::from(n)] {
                true => pending(100 + n, Counted::AsSignature),
                false => pending(100 + n, Counted::NotAsSignature),
            })
            .collect();
        // The count with the batch pending, four records, the count with the batch added.
        for written in 0..=6usize {
            let dir = tempfile::tempdir().unwrap();
            let data = dir.path().join("data");
            let store = Store::open(&data).unwrap();
            for n in 0..3 {
                let counts = if n < 2 {
                    Counted::AsSignature
                } else {
                    Counted::NotAsSignature
                };
                store.put(vec![n; 100], beside(n, counts)).await.unwrap();
            }
            store.close().await.unwrap();
            drop(store);

            let db = open_when_unlocked(&data).unwrap();
            let sealed = db.open_tree(SEALED_TREE).unwrap();
            let mut left = written;
            let cut = write_batch(2, &batch, |key, value| {
                if left == 0 {
                    return Err("cut");
                }
                left -= 1;
                sealed.insert(key, value).map(drop).map_err(|_| "sled")
            });
            assert_eq!(cut.is_err(), written < 6, "after {written} writes");
            db.flush().unwrap();
            drop((sealed, db));

            let records_written = written.saturating_sub(1).min(4);
            let expected = 2 + counted[..records_written].iter().filter(|&&c| c).count();
            let store = Store::open(&data).unwrap();
            assert_eq!(
                (store.signature_count(), store.record_count().unwrap()),
                (expected as u64, 3 + records_written),
                "after {written} writes"
            );
            store
                .put(vec![9; 100], beside(9, Counted::AsSignature))
                .await
                .unwrap();
            store.close().await.unwrap();
            drop(store);
            let store = Store::open(&data).unwrap();
            assert_eq!(store.signature_count(), expected as u64 + 1);
            let database = store.inner.current().unwrap();
            let stored = database.sealed.get(SIGNATURES_KEY).unwrap();
            assert!(Counter::read(stored.as_deref()).unwrap().pending.is_empty());
        }
    }

    /// A put's undo runs exactly when its record is not stored, whether or not anyone still
    /// waits: a request cut short after its record reached the store leaves the record stored
    /// and counted; one cut short before, or refused, is undone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_puts_undo_runs_exactly_when_its_record_is_not_stored() {
        use std::sync::atomic::AtomicUsize;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        let undone = Arc::new(AtomicUsize::new(0));
        let undo = || {
            let undone = Arc::clone(&undone);
            IfNotStored::new(move || {
                undone.fetch_add(1, Ordering::SeqCst);
            })
        };
        let put = |n: u8, size: usize| {
            store.put_or_undo(vec![n; size], beside(n, Counted::AsSignature), undo())
        };

        put(1, 100).await.unwrap();
        assert_eq!(undone.load(Ordering::SeqCst), 0);

        // Polled once, so its record reaches the inserter, then dropped: cut short.
        let mut cut_short = Box::pin(put(2, 100));
        let first_poll =
            std::future::poll_fn(|cx| std::task::Poll::Ready(cut_short.as_mut().poll(cx))).await;
        assert!(first_poll.is_pending(), "the put was answered at once");
        drop(cut_short);
        // Answered after an fsync that covers the record before it.
        put(3, 100).await.unwrap();
        let cut_short_id = layout::record_id_for_receipt(&[2; 32]);
        assert!(store.get(cut_short_id).unwrap().is_some());
        assert_eq!(store.signature_count(), 3, "the unheard record was counted");
        assert_eq!(undone.load(Ordering::SeqCst), 0);

        // Dropped before it was ever polled: its record never reached the store.
        drop(put(4, 100));
        assert_eq!(undone.load(Ordering::SeqCst), 1);
        // Refused as too large, then by a closed store.
        assert!(put(5, MAX_RECORD_BYTES + 1).await.is_err());
        assert_eq!(undone.load(Ordering::SeqCst), 2);
        store.close().await.unwrap();
        assert!(put(6, 100).await.is_err());
        assert_eq!(undone.load(Ordering::SeqCst), 3);

        let reopened = Store::open(&dir.path().join("data")).unwrap();
        assert_eq!(reopened.signature_count(), 3);
        assert_eq!(reopened.record_count().unwrap(), 3);
    }

    /// The vendored sled hands a log buffer's written pages back to the kernel
    /// (vendor/sled/SEALFORM.md): every byte written across several segments, by writers at once
    /// so that buffers are cut at odd places, must read back the same, before and after reopening.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn records_across_several_log_segments_read_back_byte_for_byte() {
        use rand::{RngCore, SeedableRng};
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let store = Store::open(&data).unwrap();
        // Incompressible bytes, so a page of zeros in the log cannot pass for a record.
        let size = |n: u32| 30_000 + (n as usize * 7_919) % 40_000;
        let record = |n: u32| {
            let mut bytes = vec![0; size(n)];
            rand::rngs::StdRng::seed_from_u64(n.into()).fill_bytes(&mut bytes);
            bytes
        };
        let receipt = |n: u32| {
            let mut receipt = [0; 32];
            receipt[..4].copy_from_slice(&n.to_le_bytes());
            receipt
        };
        let count = 600u32;
        let writers: Vec<_> = (0..count)
            .map(|n| {
                let store = store.clone();
                let beside = Beside {
                    receipt: Some(receipt(n)),
                    ..beside(0, Counted::AsSignature)
                };
                let bytes = record(n);
                tokio::spawn(async move { store.put(bytes, beside).await })
            })
            .collect();
        let mut written = 0;
        for (n, writer) in (0..count).zip(writers) {
            let id = writer.await.unwrap().unwrap();
            assert_eq!(id, layout::record_id_for_receipt(&receipt(n)));
            written += size(n);
        }
        assert!(written > 3 * SEGMENT_SIZE, "only {written} bytes written");

        let read_back = |store: &Store| {
            for n in 0..count {
                let id = layout::record_id_for_receipt(&receipt(n));
                let stored = store.get(id).unwrap().expect("the record is stored");
                assert!(stored == record(n), "record {n} read back changed");
            }
        };
        read_back(&store);
        store.close().await.unwrap();
        drop(store);
        let reopened = Store::open(&data).unwrap();
        assert_eq!(reopened.record_count().unwrap(), count as usize);
        read_back(&reopened);
    }

    /// The log position the newest snapshot sled has written in `dir` covers (0 if none).
    fn newest_snapshot(dir: &Path) -> u64 {
        fs::read_dir(dir)
            .unwrap()
            .filter_map(|entry| {
                let name = entry.unwrap().file_name().into_string().unwrap();
                let lsn = name.strip_prefix("snap.")?;
                u64::from_str_radix(lsn, 16).ok()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn closing_leaves_a_snapshot_of_everything_written() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let store = Store::open(&data).unwrap();
        let at_opening = newest_snapshot(&data);
        for n in 0..50 {
            store
                .put(vec![n; 2000], beside(n, Counted::AsSignature))
                .await
                .unwrap();
        }
        assert_eq!(newest_snapshot(&data), at_opening);
        store.close().await.unwrap();
        // The next start begins from a snapshot past the 100 KB just written, not from the one
        // made when the store opened.
        assert!(newest_snapshot(&data) > at_opening + 100_000);
        let reopened = Store::open(&data).unwrap();
        assert_eq!(reopened.signature_count(), 50);
        assert_eq!(reopened.record_count().unwrap(), 50);
    }

    #[tokio::test]
    async fn a_snapshot_cut_short_by_a_kill_does_not_stop_the_store_from_opening() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let store = Store::open(&data).unwrap();
        for n in 0..20 {
            store
                .put(vec![n; 2000], beside(n, Counted::AsSignature))
                .await
                .unwrap();
        }
        store.close().await.unwrap();
        // What a kill while sled writes its next snapshot leaves: the first half of it, under
        // the name it has until it is complete.
        let newest = newest_snapshot(&data);
        let whole = fs::read(data.join(format!("snap.{newest:016X}"))).unwrap();
        let unfinished = data.join(format!("snap.{:016X}.generating", newest + 4096));
        fs::write(&unfinished, &whole[..whole.len() / 2]).unwrap();

        let reopened = Store::open(&data).unwrap();
        assert_eq!(reopened.signature_count(), 20);
        assert_eq!(reopened.record_count().unwrap(), 20);
        assert!(!unfinished.exists());

        // While a server uses the folder, a snapshot it is writing is left alone (and the
        // second opening is refused as before).
        fs::write(&unfinished, b"in the making").unwrap();
        assert!(Store::open(&data).is_err());
        assert_eq!(fs::read(&unfinished).unwrap(), b"in the making");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn closing_while_the_database_is_in_use_still_closes() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let store = Store::open(&data).unwrap();
        store
            .put(vec![1; 100], beside(1, Counted::AsSignature))
            .await
            .unwrap();
        // A read still running holds the database: the last opening cannot happen, and closing
        // says so in the log after waiting a moment for the folder's lock, rather than failing.
        let reading = store.inner.current().unwrap();
        store.close().await.unwrap();
        drop(reading);
        let reopened = Store::open(&data).unwrap();
        assert_eq!(reopened.record_count().unwrap(), 1);
    }

    #[tokio::test]
    async fn a_closed_store_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        store.close().await.unwrap();
        assert!(matches!(
            store.put(vec![1], beside(1, Counted::AsSignature)).await,
            Err(Error::Store(_))
        ));
    }

    #[test]
    fn a_second_opener_is_refused_with_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Store::open(&dir.path().join("data")).unwrap();
        let second = Store::open(&dir.path().join("data")).unwrap_err();
        assert!(
            second
                .to_string()
                .contains(&dir.path().display().to_string()),
            "{second}"
        );
    }

    #[test]
    fn the_data_folder_is_private_or_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new");
        drop(Store::open(&data).unwrap());
        assert_eq!(
            fs::metadata(&data).unwrap().permissions().mode() & 0o777,
            0o700
        );
        let shared = dir.path().join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o750)).unwrap();
        let refused = Store::open(&shared).unwrap_err().to_string();
        assert!(refused.contains("chmod 700"), "{refused}");
    }

    #[tokio::test]
    async fn a_record_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        assert!(matches!(
            store
                .put(
                    vec![0; MAX_RECORD_BYTES + 1],
                    beside(1, Counted::AsSignature)
                )
                .await,
            Err(Error::RecordTooLarge { .. })
        ));
        assert!(
            store
                .put(vec![0; MAX_RECORD_BYTES], beside(1, Counted::AsSignature))
                .await
                .is_ok()
        );
        assert!(
            !dir.path().join("data/blobs").exists()
                || fs::read_dir(dir.path().join("data/blobs"))
                    .unwrap()
                    .next()
                    .is_none(),
            "the largest record stays in the synced log, not in a blob file"
        );
    }
}
