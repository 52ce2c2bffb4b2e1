//! Form tokens: proof that a submission comes from a form this site served, a few seconds
//! (not milliseconds) and not days ago, and only once.
//!
//! A token is the hex of 40 bytes:
//!
//! ```text
//! epoch (8) || serial (8) || issued (8, big-endian Unix seconds) || HMAC-SHA256(key, the 24 before)[..16]
//! ```
//!
//! - `epoch` is 8 random bytes chosen when the process starts, and `serial` counts the forms it
//!   has served. Together they name one served form without a random nonce per form, so the
//!   replay guard can keep used forms as bits ([`UsedTokens`]).
//! - `issued` is when the *form* was served. It is checked, and otherwise kept only as the newest
//!   issue time of a chunk of the replay guard, in memory.
//! - The key is random at every start, so a restart invalidates every served form (the person
//!   presses Send again on a fresh token), unless it is read from a key file
//!   (`--token-key-file`, [`TokenKey::load_or_create`]): instances that read the same file accept
//!   one another's forms, and forms outlive a restart. Instances sharing a file must run the same
//!   layout; a change to it is a change of the key file's contract too.
//!
//! The key file's key only signs tokens. Receipts and the digests of answers are keyed with a
//! second key that each process makes for itself and never writes down. Serials are easy to
//! guess, so a receipt derived from them with the key on disk could be recomputed, by whoever
//! takes the disk, for every form served, and matched against the receipt hashes the store keeps:
//! that would give each record the moment its form was served, where the host keeps only a week.
//!
//! Per process, then: the epoch, the serial counter, the receipt key and the replay guard. Each
//! instance (and an instance after a restart with a key file) accepts a form once; the same form
//! sent to two instances is stored by both (docs/OPERATING.md says what that means behind a load
//! balancer).

use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use rand::RngCore;
use seal::{FieldValue, Submission};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::Error;
use crate::receipt::{RECEIPT_BYTES, Receipt};

type HmacSha256 = Hmac<Sha256>;

const EPOCH_LEN: usize = 8;
const SERIAL_LEN: usize = 8;
const ISSUED_LEN: usize = 8;
const TAG_LEN: usize = 16;
/// What the tag covers: epoch, serial and issue time.
const SIGNED_LEN: usize = EPOCH_LEN + SERIAL_LEN + ISSUED_LEN;
const TOKEN_LEN: usize = SIGNED_LEN + TAG_LEN;

const KEY_LEN: usize = 32;
/// A key file holds the key as this many hex digits, then a newline.
const KEY_FILE_DIGITS: usize = KEY_LEN * 2;
/// What is read of a key file at most: the digits and some white space after them.
const KEY_FILE_MAX: usize = 80;

/// How far in the future a token's issue time may be (the clock stepped back, or another
/// instance's clock is ahead) before the token is refused instead of asked to wait.
const MAX_CLOCK_STEP_BACK: Duration = Duration::from_secs(60);

/// The keys and counter that issue and check tokens. Both keys are wiped on drop.
pub struct TokenKey {
    /// Signs and checks tokens: random per start, or read from the key file.
    shared: Zeroizing<[u8; KEY_LEN]>,
    /// Keys receipts and digests of answers: this process's own, never written anywhere.
    local: Zeroizing<[u8; KEY_LEN]>,
    /// This process's epoch.
    epoch: u64,
    /// The serial of the next form served.
    next_serial: AtomicU64,
}

/// How old a token must be, and may be, when its form comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPolicy {
    /// Younger than this, the form was sent faster than a person fills it in.
    pub min_age: Duration,
    /// Older than this, the token has expired.
    pub max_age: Duration,
}

/// Which served form a genuine token belongs to, and when it was served: what the replay guard
/// keeps, and what a receipt is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenId {
    epoch: u64,
    serial: u64,
    /// Unix seconds.
    issued: u64,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// The form came without a token.
    Missing,
    /// Not signed with this server's key (a restart without a key file, another site), or
    /// tampered with.
    Invalid,
    /// Genuine, but sent too soon after the form was served; fine after `wait`.
    TooYoung {
        /// How much longer until the token is old enough.
        wait: Duration,
    },
    /// Genuine, but older than the policy's `max_age`.
    Expired,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self {
            min_age: Duration::from_secs(3),
            max_age: Duration::from_secs(24 * 60 * 60),
        }
    }
}

impl TokenKey {
    /// A fresh random key, for this process alone.
    pub fn generate() -> Self {
        let mut shared = Zeroizing::new([0u8; KEY_LEN]);
        rand::rng().fill_bytes(shared.as_mut());
        Self::with_shared(shared)
    }

    /// The key in the file at `path`: 64 hex digits and a newline, readable by its owner only.
    /// If there is no such file, makes one with a fresh key (mode 0600, on stable storage) and
    /// logs that it did — never the key. A file that group or others can open, or that does not
    /// hold a key, is refused with what to do.
    pub fn load_or_create(path: &Path) -> Result<Self, Error> {
        let refuse = |reason: String| {
            Error::Config(format!(
                "cannot use the form-token key file {}: {reason}",
                path.display()
            ))
        };
        let shared = match read_key_file(path).map_err(refuse)? {
            Some(key) => {
                tracing::info!("form tokens are signed with the key in {}", path.display());
                key
            }
            None => match create_key_file(path).map_err(refuse)? {
                Some(key) => {
                    tracing::info!(
                        "made a new form-token key in {}: give every instance of this site a \
                         copy of this file (mode 0600)",
                        path.display()
                    );
                    key
                }
                // Another instance made it first.
                None => read_key_file(path)
                    .map_err(refuse)?
                    .ok_or_else(|| refuse("it vanished as it was being made".into()))?,
            },
        };
        Ok(Self::with_shared(shared))
    }

    fn with_shared(shared: Zeroizing<[u8; KEY_LEN]>) -> Self {
        let mut local = Zeroizing::new([0u8; KEY_LEN]);
        rand::rng().fill_bytes(local.as_mut());
        Self {
            shared,
            local,
            epoch: rand::rng().next_u64(),
            next_serial: AtomicU64::new(0),
        }
    }

    /// The withdrawal receipt for the form whose token is `id`: the same for every send of that
    /// form to this process, unguessable without this process's own key (which no file holds).
    pub fn receipt_for(&self, id: &TokenId) -> Receipt {
        let tag = mac(&self.local, b"sealform receipt v1\0")
            .chain_update(id.epoch.to_be_bytes())
            .chain_update(id.serial.to_be_bytes())
            .finalize();
        let mut bytes = Zeroizing::new([0u8; RECEIPT_BYTES]);
        bytes.copy_from_slice(&tag.into_bytes()[..RECEIPT_BYTES]);
        Receipt::from_bytes(&bytes)
    }

    /// A token for a form served at `now`.
    pub fn issue(&self, now: SystemTime) -> String {
        let serial = self.next_serial.fetch_add(1, Ordering::Relaxed);
        let issued = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let mut token = [0u8; TOKEN_LEN];
        token[..EPOCH_LEN].copy_from_slice(&self.epoch.to_be_bytes());
        token[EPOCH_LEN..EPOCH_LEN + SERIAL_LEN].copy_from_slice(&serial.to_be_bytes());
        token[EPOCH_LEN + SERIAL_LEN..SIGNED_LEN].copy_from_slice(&issued.to_be_bytes());
        let tag = mac(&self.shared, &token[..SIGNED_LEN])
            .finalize()
            .into_bytes();
        token[SIGNED_LEN..].copy_from_slice(&tag[..TAG_LEN]);
        hex::encode(token)
    }

    /// Checks `token` at `now`: its MAC (in constant time), then its age. A token of another
    /// process signed with the same key (another instance, or this one before a restart) is as
    /// good as one of this process.
    pub fn verify(
        &self,
        token: &str,
        now: SystemTime,
        policy: &TokenPolicy,
    ) -> Result<TokenId, TokenProblem> {
        if token.is_empty() {
            return Err(TokenProblem::Missing);
        }
        let mut bytes = [0u8; TOKEN_LEN];
        if token.len() != TOKEN_LEN * 2 || hex::decode_to_slice(token, &mut bytes).is_err() {
            return Err(TokenProblem::Invalid);
        }
        let (signed, tag) = bytes.split_at(SIGNED_LEN);
        mac(&self.shared, signed)
            .verify_truncated_left(tag)
            .map_err(|_| TokenProblem::Invalid)?;

        let word = |at: usize| {
            let mut word = [0u8; 8];
            word.copy_from_slice(&signed[at..at + 8]);
            u64::from_be_bytes(word)
        };
        let id = TokenId {
            epoch: word(0),
            serial: word(EPOCH_LEN),
            issued: word(EPOCH_LEN + SERIAL_LEN),
        };
        let issued = UNIX_EPOCH
            .checked_add(Duration::from_secs(id.issued))
            .ok_or(TokenProblem::Invalid)?;
        match now.duration_since(issued) {
            Ok(age) if age < policy.min_age => Err(TokenProblem::TooYoung {
                wait: policy.min_age - age,
            }),
            // [`UsedTokens::prune`] forgets claims by this same rule.
            Ok(age) if age > policy.max_age => Err(TokenProblem::Expired),
            Ok(_) => Ok(id),
            // Issued "in the future": the clock stepped back since. A small step only delays.
            Err(ahead) if ahead.duration() <= MAX_CLOCK_STEP_BACK => Err(TokenProblem::TooYoung {
                wait: policy.min_age + ahead.duration(),
            }),
            Err(_) => Err(TokenProblem::Invalid),
        }
    }

    /// The digest of `submission`'s answers (not of the day it arrived), fed to the MAC field
    /// by field so that no copy of the answers is assembled.
    pub fn digest_answers(&self, submission: &Submission) -> AnswersDigest {
        let digest = self.mac_answers(submission);
        // SHA-256 keeps the last partial block of what it hashed — answers — in its state on
        // the stack.
        seal::scrub_stack();
        digest
    }

    #[inline(never)]
    fn mac_answers(&self, submission: &Submission) -> AnswersDigest {
        let mut mac = mac(&self.local, b"sealform answers v1\0");
        for field in submission.expose_fields() {
            mac.update(field.name().as_bytes());
            let text = |mac: &mut HmacSha256, kind: u8, text: &str| {
                mac.update(&[0, kind]);
                mac.update(&(text.len() as u64).to_be_bytes());
                mac.update(text.as_bytes());
            };
            match field.expose_value() {
                FieldValue::Text(value) => text(&mut mac, b't', value),
                FieldValue::Choice(value) => text(&mut mac, b'c', value),
                FieldValue::Choices(values) => {
                    mac.update(&[0, b'm']);
                    mac.update(&(values.len() as u64).to_be_bytes());
                    for value in values {
                        text(&mut mac, b'o', value);
                    }
                }
                FieldValue::Consent(ticked) => mac.update(&[0, b'b', u8::from(*ticked)]),
            }
        }
        let tag = mac.finalize().into_bytes();
        let mut digest = [0u8; TAG_LEN];
        digest.copy_from_slice(&tag[..TAG_LEN]);
        AnswersDigest(digest)
    }
}

fn mac(key: &[u8; KEY_LEN], data: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey(..redacted..)")
    }
}

/// The key in the file at `path`, or `None` if there is no such file. Refuses a file that
/// group or others can open, and one that holds anything but 64 hex digits (and white space
/// after them); never says what it holds.
fn read_key_file(path: &Path) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, String> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?;
    if !meta.is_file() {
        return Err("it is not a file".into());
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "other users of this machine can open it (mode {mode:o}); it must be the server's \
             alone, since whoever reads it can make forms the server accepts\nrun: chmod 600 {}",
            path.display()
        ));
    }
    // Into a fixed buffer that is wiped, so that no growing buffer leaves copies behind.
    let mut text = Zeroizing::new([0u8; KEY_FILE_MAX]);
    let mut len = 0;
    while len < KEY_FILE_MAX {
        match file.read(&mut text[len..]) {
            Ok(0) => break,
            Ok(read) => len += read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read it: {e}")),
        }
    }
    let digits = text[..len].trim_ascii_end();
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    if len == KEY_FILE_MAX
        || digits.len() != KEY_FILE_DIGITS
        || hex::decode_to_slice(digits, key.as_mut()).is_err()
    {
        return Err(format!(
            "it does not hold a key (a key file is {KEY_FILE_DIGITS} hexadecimal digits and a \
             newline)\ncopy the file the other instances use, or move this one away and start \
             again to make a new key"
        ));
    }
    Ok(Some(key))
}

/// Makes the file at `path` with a fresh key, mode 0600, on stable storage; `None` if the name
/// is taken (another instance made it first). The key appears under that name only complete:
/// it is written to a new temporary file beside it (`O_EXCL`, 0600) and synced, then linked to
/// the name, which fails if the name exists; then the folder is synced.
fn create_key_file(path: &Path) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, String> {
    let name = path
        .file_name()
        .ok_or_else(|| "it names a folder, not a file".to_owned())?;
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    rand::rng().fill_bytes(key.as_mut());
    let mut text = Zeroizing::new([b'\n'; KEY_FILE_DIGITS + 1]);
    hex::encode_to_slice(&key[..], &mut text[..KEY_FILE_DIGITS])
        .expect("32 bytes are 64 hex digits");

    let temporary = folder.join(format!(
        ".{}.{:016x}.tmp",
        name.to_string_lossy(),
        rand::rng().next_u64()
    ));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .map_err(|e| format!("cannot make it in {}: {e}", folder.display()))?;
    let linked = file
        .write_all(&text[..])
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::hard_link(&temporary, path));
    drop(file);
    let _ = fs::remove_file(&temporary);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(None),
        Err(e) => return Err(format!("cannot make it: {e}")),
    }
    File::open(folder)
        .and_then(|folder| folder.sync_all())
        .map_err(|e| format!("made it, but cannot sync its folder: {e}"))?;
    Ok(Some(key))
}

/// Serials per chunk of the replay guard: 512 bits, eight words.
const CHUNK_SERIALS: u64 = 512;
const CHUNK_WORDS: usize = (CHUNK_SERIALS / 64) as usize;
/// Slots of the table of answer digests: 2^16 slots of 32 bytes, 2 MiB.
const DIGEST_SLOTS: usize = 1 << 16;

/// The replay guard: which served forms were already used, exactly, for as long as their
/// tokens live; and, for recent claims, a digest of the answers each was used with.
///
/// **Claims are bits.** Serials come in chunks of 512 (one `[u64; 8]`), kept in a map by epoch
/// and serial / 512; each chunk remembers the newest issue time among its claims, and is
/// forgotten once every token it covers has expired — [`TokenKey::verify`] refuses those
/// before the guard is asked. Where claims are dense (most served forms are sent) that is under
/// two bits per served form: a million claims are 1,954 chunks, under 350 KiB. Where they are
/// sparse, it is at most one chunk (about 100 bytes) per claim, so never more than a chunk per
/// record stored within a token's lifetime. Tokens of other epochs — another instance sharing
/// the key file, or this one before a restart — are kept the same way, under their own epoch.
///
/// **Digests are recent.** What tells a double click (the same answers: thank again) from a
/// changed form (other answers: not stored) lives in a fixed table of 2^16 slots, each holding
/// the last claim whose epoch and serial map to it. The bits decide whether a token was used;
/// the table only says with what. A replayed token whose digest has since been pushed out is
/// answered [`Claim::OtherAnswers`] — never [`Claim::Fresh`] — whose 409 page gives every
/// answer back with a fresh token, so nothing is lost; only a double click after some tens of
/// thousands of other claims is shown that page where it could have been thanked again.
///
/// In memory only: each instance, and each start, has a guard of its own.
pub struct UsedTokens {
    guard: Mutex<Guard>,
}

struct Guard {
    chunks: HashMap<ChunkKey, Chunk>,
    digests: Box<[DigestSlot]>,
}

/// A chunk's place: its epoch, and its serials' number divided by [`CHUNK_SERIALS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ChunkKey {
    epoch: u64,
    index: u64,
}

/// 512 serials' claims, and the newest issue time (Unix seconds) among them.
struct Chunk {
    claimed: [u64; CHUNK_WORDS],
    newest_issued: u64,
}

/// The answers a claim was made with.
#[derive(Clone, Copy)]
struct DigestSlot {
    epoch: u64,
    serial: u64,
    answers: AnswersDigest,
}

/// A slot that names no claim: no process issues serial `u64::MAX` (its counter would first
/// have to count 2^64 forms).
const EMPTY_SLOT: DigestSlot = DigestSlot {
    epoch: 0,
    serial: u64::MAX,
    answers: AnswersDigest([0; TAG_LEN]),
};

impl TokenId {
    fn chunk(&self) -> ChunkKey {
        ChunkKey {
            epoch: self.epoch,
            index: self.serial / CHUNK_SERIALS,
        }
    }

    /// The word of its chunk, and the bit in that word.
    fn bit(&self) -> (usize, u64) {
        let bit = self.serial % CHUNK_SERIALS;
        ((bit / 64) as usize, 1 << (bit % 64))
    }

    /// Its slot in the digest table. 2^16 consecutive serials of one epoch take 2^16 different
    /// slots, so in a surge of one instance's forms a digest lasts until the form served 2^16
    /// forms later is sent; a hash of the epoch spreads other epochs over the table.
    fn slot(&self) -> usize {
        let spread = self.epoch.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48;
        (self.serial ^ spread) as usize & (DIGEST_SLOTS - 1)
    }

    fn names(&self, slot: &DigestSlot) -> bool {
        slot.epoch == self.epoch && slot.serial == self.serial
    }
}

/// A keyed digest of a form's answers, kept beside a claimed token to tell a double click (the
/// same answers) from a changed form sent again with the same token. Keyed with the process's
/// own key, which lives only in memory, so it cannot be matched against guesses of the answers.
#[derive(Clone, Copy)]
pub struct AnswersDigest([u8; TAG_LEN]);

/// Compared in constant time, like every secret comparison here (the token's tag is checked by
/// the HMAC's own constant-time `verify`).
impl PartialEq for AnswersDigest {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for AnswersDigest {}

impl fmt::Debug for AnswersDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AnswersDigest(..)")
    }
}

/// What claiming a token found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Not used before: the form may be stored.
    Fresh,
    /// Already used with the same answers: a double click or a reload.
    SameAnswers,
    /// Already used, with other answers — or with answers no longer remembered: the earlier
    /// ones were received, these were not.
    OtherAnswers,
}

impl Default for UsedTokens {
    fn default() -> Self {
        Self {
            guard: Mutex::new(Guard {
                chunks: HashMap::new(),
                digests: vec![EMPTY_SLOT; DIGEST_SLOTS].into_boxed_slice(),
            }),
        }
    }
}

impl UsedTokens {
    /// An empty guard.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks the form `id` used with `answers`, or says how it was used before.
    pub fn claim(&self, id: TokenId, answers: AnswersDigest) -> Claim {
        let mut guard = self.lock();
        let Guard { chunks, digests } = &mut *guard;
        let (word, bit) = id.bit();
        let chunk = chunks.entry(id.chunk()).or_insert(Chunk {
            claimed: [0; CHUNK_WORDS],
            newest_issued: 0,
        });
        if chunk.claimed[word] & bit == 0 {
            chunk.claimed[word] |= bit;
            chunk.newest_issued = chunk.newest_issued.max(id.issued);
            digests[id.slot()] = DigestSlot {
                epoch: id.epoch,
                serial: id.serial,
                answers,
            };
            return Claim::Fresh;
        }
        let slot = &digests[id.slot()];
        // The digests compare in constant time; whether the slot names this form is no secret
        // from the person who holds its token.
        if id.names(slot) && slot.answers == answers {
            Claim::SameAnswers
        } else {
            Claim::OtherAnswers
        }
    }

    /// Forgets the claim of `id`, so its form can be sent again (after a failed store).
    pub fn release(&self, id: TokenId) {
        let mut guard = self.lock();
        let Guard { chunks, digests } = &mut *guard;
        let key = id.chunk();
        if let Some(chunk) = chunks.get_mut(&key) {
            let (word, bit) = id.bit();
            chunk.claimed[word] &= !bit;
            if chunk.claimed == [0; CHUNK_WORDS] {
                chunks.remove(&key);
            }
        }
        let slot = &mut digests[id.slot()];
        if id.names(slot) {
            *slot = EMPTY_SLOT;
        }
    }

    /// Forgets every chunk whose tokens have all expired at `now` (the newest was issued more
    /// than `max_age` before), and the digests of the claims in them: [`TokenKey::verify`]
    /// refuses those tokens before the guard is asked.
    pub fn prune(&self, now: SystemTime, max_age: Duration) {
        let mut guard = self.lock();
        let Guard { chunks, digests } = &mut *guard;
        chunks.retain(|_, chunk| !expired(chunk.newest_issued, now, max_age));
        // After a surge, give the map's memory back rather than keep it at its peak.
        if chunks.capacity() > 4 * chunks.len().max(64) {
            chunks.shrink_to(2 * chunks.len());
        }
        for slot in digests.iter_mut() {
            let key = ChunkKey {
                epoch: slot.epoch,
                index: slot.serial / CHUNK_SERIALS,
            };
            if slot.serial != EMPTY_SLOT.serial && !chunks.contains_key(&key) {
                *slot = EMPTY_SLOT;
            }
        }
    }

    /// How many chunks of 512 serials the guard holds.
    pub fn chunks(&self) -> usize {
        self.lock().chunks.len()
    }

    /// The bytes the guard holds, by its own accounting: the chunk map at its capacity (with
    /// hashbrown's control byte per entry) and the fixed table of digests.
    pub fn approximate_bytes(&self) -> usize {
        let guard = self.lock();
        let entry = std::mem::size_of::<(ChunkKey, Chunk)>() + 1;
        guard.chunks.capacity() * entry + guard.digests.len() * std::mem::size_of::<DigestSlot>()
    }

    fn lock(&self) -> MutexGuard<'_, Guard> {
        // The guard stays consistent even if a holder panicked: take it anyway.
        self.guard.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for UsedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsedTokens")
            .field("chunks", &self.chunks())
            .finish_non_exhaustive()
    }
}

/// Whether every token issued at `issued` (Unix seconds) or before has expired at `now`: the
/// rule [`TokenKey::verify`] refuses by, an age over `max_age`.
fn expired(issued: u64, now: SystemTime, max_age: Duration) -> bool {
    UNIX_EPOCH
        .checked_add(Duration::from_secs(issued))
        .and_then(|issued| issued.checked_add(max_age))
        .is_some_and(|last_valid| now > last_valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    const T0: u64 = 1_800_000_000;
    const X: AnswersDigest = AnswersDigest([1; TAG_LEN]);
    const Y: AnswersDigest = AnswersDigest([2; TAG_LEN]);

    fn id(epoch: u64, serial: u64, issued: u64) -> TokenId {
        TokenId {
            epoch,
            serial,
            issued,
        }
    }

    #[test]
    fn a_token_of_the_right_age_verifies_to_its_id() {
        let key = TokenKey::generate();
        let policy = TokenPolicy::default();
        let token = key.issue(at(T0));
        assert_eq!(token.len(), 80);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        let id = key.verify(&token, at(T0 + 10), &policy).unwrap();
        assert_eq!(key.verify(&token, at(T0 + 3), &policy), Ok(id));
        assert_eq!(key.verify(&token, at(T0 + 86_400), &policy), Ok(id));
        // Uppercase hex is the same token.
        assert_eq!(
            key.verify(&token.to_uppercase(), at(T0 + 10), &policy),
            Ok(id)
        );
        // Every form served has its own serial, in this process's epoch.
        let next = key
            .verify(&key.issue(at(T0)), at(T0 + 10), &policy)
            .unwrap();
        assert_ne!(id, next);
        assert_eq!((next.epoch, next.serial), (id.epoch, id.serial + 1));
        assert_eq!(id.issued, T0);
    }

    #[test]
    fn too_young_says_how_long_to_wait() {
        let key = TokenKey::generate();
        let policy = TokenPolicy::default();
        let token = key.issue(at(T0));
        assert_eq!(
            key.verify(&token, at(T0), &policy),
            Err(TokenProblem::TooYoung {
                wait: Duration::from_secs(3)
            })
        );
        assert_eq!(
            key.verify(&token, at(T0 + 1) + Duration::from_millis(500), &policy),
            Err(TokenProblem::TooYoung {
                wait: Duration::from_millis(1_500)
            })
        );
        // The clock stepped back a little: wait; a lot: refuse.
        assert_eq!(
            key.verify(&token, at(T0 - 10), &policy),
            Err(TokenProblem::TooYoung {
                wait: Duration::from_secs(13)
            })
        );
        assert_eq!(
            key.verify(&token, at(T0 - 3_600), &policy),
            Err(TokenProblem::Invalid)
        );
    }

    #[test]
    fn expired_after_max_age() {
        let key = TokenKey::generate();
        let policy = TokenPolicy {
            min_age: Duration::from_secs(1),
            max_age: Duration::from_secs(60),
        };
        let token = key.issue(at(T0));
        assert!(key.verify(&token, at(T0 + 60), &policy).is_ok());
        assert_eq!(
            key.verify(&token, at(T0 + 61), &policy),
            Err(TokenProblem::Expired)
        );
        // The guard forgets by the same rule.
        assert!(!expired(T0, at(T0 + 60), policy.max_age));
        assert!(expired(
            T0,
            at(T0 + 60) + Duration::from_millis(1),
            policy.max_age
        ));
    }

    #[test]
    fn tampered_foreign_and_malformed_tokens_are_invalid() {
        let key = TokenKey::generate();
        let policy = TokenPolicy::default();
        let token = key.issue(at(T0));
        let now = at(T0 + 10);
        // Flip each hex digit in turn: epoch, serial, issue time and tag are all covered.
        for i in 0..token.len() {
            let mut tampered = token.clone().into_bytes();
            tampered[i] = if tampered[i] == b'0' { b'1' } else { b'0' };
            let tampered = String::from_utf8(tampered).unwrap();
            assert_eq!(
                key.verify(&tampered, now, &policy),
                Err(TokenProblem::Invalid),
                "digit {i}"
            );
        }
        // An older issue time with the old tag (to dodge min_age) is caught.
        let mut backdated = hex::decode(&token).unwrap();
        backdated[EPOCH_LEN + SERIAL_LEN..SIGNED_LEN].copy_from_slice(&(T0 - 100).to_be_bytes());
        assert_eq!(
            key.verify(&hex::encode(backdated), at(T0), &policy),
            Err(TokenProblem::Invalid)
        );
        let other_key = TokenKey::generate();
        assert_eq!(
            other_key.verify(&token, now, &policy),
            Err(TokenProblem::Invalid)
        );
        for bad in [
            "x",
            &token[..78],
            &format!("{token}00"),
            &token.replace(&token[..2], "zz"),
        ] {
            assert_eq!(
                key.verify(bad, now, &policy),
                Err(TokenProblem::Invalid),
                "{bad}"
            );
        }
        assert_eq!(key.verify("", now, &policy), Err(TokenProblem::Missing));
    }

    #[test]
    fn debug_does_not_print_the_key() {
        assert_eq!(
            format!("{:?}", TokenKey::generate()),
            "TokenKey(..redacted..)"
        );
    }

    #[test]
    fn used_tokens_claim_and_release() {
        let key = TokenKey::generate();
        let policy = TokenPolicy::default();
        let served = |t| key.verify(&key.issue(at(t)), at(t + 5), &policy).unwrap();
        let (a, b) = (served(T0), served(T0));
        let used = UsedTokens::new();
        assert_eq!(used.claim(a, X), Claim::Fresh);
        assert_eq!(used.claim(a, X), Claim::SameAnswers, "a replay");
        assert_eq!(used.claim(a, Y), Claim::OtherAnswers, "a changed form");
        assert_eq!(used.claim(b, X), Claim::Fresh);
        used.release(a);
        assert_eq!(
            used.claim(a, Y),
            Claim::Fresh,
            "released after a failed store"
        );
        assert_eq!(used.claim(a, Y), Claim::SameAnswers);
        assert_eq!(used.claim(b, X), Claim::SameAnswers, "b kept its claim");
        assert_eq!(used.chunks(), 1, "a and b share a chunk");

        // Releasing a chunk's only claim frees the chunk; releasing what was never claimed
        // changes nothing.
        let far = id(a.epoch, a.serial + 10 * CHUNK_SERIALS, T0);
        assert_eq!(used.claim(far, X), Claim::Fresh);
        assert_eq!(used.chunks(), 2);
        used.release(far);
        assert_eq!(used.chunks(), 1);
        used.release(id(a.epoch, a.serial + 7, T0));
        used.release(id(a.epoch ^ 1, a.serial, T0));
        assert_eq!(used.claim(a, Y), Claim::SameAnswers);
        assert_eq!(used.claim(b, X), Claim::SameAnswers);
    }

    #[test]
    fn a_replay_is_caught_after_its_digest_was_pushed_out() {
        let used = UsedTokens::new();
        let first = id(1, 5, T0);
        assert_eq!(used.claim(first, X), Claim::Fresh);
        assert_eq!(used.claim(first, X), Claim::SameAnswers);
        // Twice as many other claims as there are slots, from another epoch: every slot is
        // taken twice over.
        let others = 2 * DIGEST_SLOTS as u64;
        for serial in 0..others {
            assert_eq!(used.claim(id(2, serial, T0), Y), Claim::Fresh);
        }
        // Its digest is gone, its claim is not: never Fresh.
        assert_eq!(used.claim(first, X), Claim::OtherAnswers);
        assert_eq!(used.claim(first, Y), Claim::OtherAnswers);
        assert_eq!(used.claim(id(2, 0, T0), Y), Claim::OtherAnswers);
        // The last 2^16 serials of an epoch keep their digests.
        assert_eq!(
            used.claim(id(2, others - DIGEST_SLOTS as u64, T0), Y),
            Claim::SameAnswers
        );
        assert_eq!(used.claim(id(2, others - 1, T0), Y), Claim::SameAnswers);
        assert_eq!(
            used.claim(id(2, others - DIGEST_SLOTS as u64 - 1, T0), Y),
            Claim::OtherAnswers
        );
    }

    #[test]
    fn pruning_frees_a_chunk_once_all_its_tokens_expired() {
        let used = UsedTokens::new();
        let max_age = Duration::from_secs(60);
        let old = id(7, 0, T0);
        let newer = id(7, 1, T0 + 30);
        let alone = id(7, CHUNK_SERIALS, T0);
        for claim in [old, newer, alone] {
            assert_eq!(used.claim(claim, X), Claim::Fresh);
        }
        assert_eq!(used.chunks(), 2);

        used.prune(at(T0 + 60), max_age);
        assert_eq!(used.chunks(), 2, "nothing has expired yet");
        used.prune(at(T0 + 61), max_age);
        assert_eq!(used.chunks(), 1, "alone's chunk has only expired tokens");
        assert_eq!(
            used.claim(old, X),
            Claim::SameAnswers,
            "an expired claim stays as long as a newer one in its chunk"
        );
        used.prune(at(T0 + 91), max_age);
        assert_eq!(used.chunks(), 0);
        assert!(
            used.lock()
                .digests
                .iter()
                .all(|slot| slot.serial == EMPTY_SLOT.serial),
            "the digests of forgotten claims are forgotten too"
        );
    }

    #[test]
    fn tokens_of_another_instance_sharing_the_key_file_are_accepted_and_guarded_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.key");
        let a = TokenKey::load_or_create(&path).unwrap();
        let b = TokenKey::load_or_create(&path).unwrap();
        let policy = TokenPolicy::default();
        let from_a = b
            .verify(&a.issue(at(T0)), at(T0 + 5), &policy)
            .expect("b accepts a form a served");
        let from_b = b.verify(&b.issue(at(T0)), at(T0 + 5), &policy).unwrap();
        assert_ne!(from_a.epoch, from_b.epoch);
        assert_eq!(from_a.serial, from_b.serial, "each counts from 0");

        let used = UsedTokens::new();
        assert_eq!(used.claim(from_a, X), Claim::Fresh);
        assert_eq!(used.claim(from_b, X), Claim::Fresh);
        assert_eq!(used.claim(from_a, X), Claim::SameAnswers);
        assert_eq!(used.claim(from_b, Y), Claim::OtherAnswers);
        assert_eq!(used.chunks(), 2, "one chunk per epoch");

        // Receipts come from each process's own key, not from the file: the same on every send
        // to one process, and nothing whoever reads the file could recompute.
        assert_eq!(b.receipt_for(&from_a), b.receipt_for(&from_a));
        assert_ne!(a.receipt_for(&from_a), b.receipt_for(&from_a));
        assert_ne!(b.receipt_for(&from_a), b.receipt_for(&from_b));

        let elsewhere = TokenKey::generate();
        assert_eq!(
            elsewhere.verify(&a.issue(at(T0)), at(T0 + 5), &policy),
            Err(TokenProblem::Invalid)
        );
    }

    #[test]
    fn a_million_dense_claims_take_about_two_thousand_chunks() {
        let table = DIGEST_SLOTS * std::mem::size_of::<DigestSlot>();
        assert_eq!(table, 2 << 20, "the digest table is 2 MiB");

        let used = UsedTokens::new();
        let claims: u64 = 1_000_000;
        for serial in 0..claims {
            assert_eq!(used.claim(id(42, serial, T0), X), Claim::Fresh);
        }
        assert_eq!(used.chunks() as u64, claims.div_ceil(CHUNK_SERIALS));
        assert_eq!(used.chunks(), 1_954);
        let chunk_bytes = used.approximate_bytes() - table;
        assert!(
            chunk_bytes < 350 * 1024,
            "{chunk_bytes} bytes for {claims} claims"
        );

        // One claim in 512 served forms: a chunk a claim, no more.
        let sparse = UsedTokens::new();
        for n in 0..1_000 {
            assert_eq!(
                sparse.claim(id(42, n * CHUNK_SERIALS + n % 7, T0), X),
                Claim::Fresh
            );
        }
        assert_eq!(sparse.chunks(), 1_000);
    }

    #[test]
    fn the_answers_digest_tells_changed_answers_apart_but_not_the_day() {
        use seal::{Day, Field};
        let key = TokenKey::generate();
        let submission = |day: &str, name: &str, actions: &[&str]| {
            Submission::new(
                "c".into(),
                "0".repeat(64),
                "en".into(),
                day.parse::<Day>().unwrap(),
                vec![
                    Field::new("name", FieldValue::Text(name.into())),
                    Field::new(
                        "actions",
                        FieldValue::Choices(actions.iter().map(|a| a.to_string()).collect()),
                    ),
                    Field::new("consent", FieldValue::Consent(true)),
                ],
            )
        };
        let first = key.digest_answers(&submission("2026-11-28", "Mai", &["a", "b"]));
        assert_eq!(
            first,
            key.digest_answers(&submission("2026-11-29", "Mai", &["a", "b"]))
        );
        assert_ne!(
            first,
            key.digest_answers(&submission("2026-11-28", "Mai ", &["a", "b"]))
        );
        assert_ne!(
            first,
            key.digest_answers(&submission("2026-11-28", "Mai", &["ab"]))
        );
        assert_ne!(
            first,
            TokenKey::generate().digest_answers(&submission("2026-11-28", "Mai", &["a", "b"])),
            "keyed"
        );
    }

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn set_mode(path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    /// Whether `a` and `b` sign with the same key.
    fn same_key(a: &TokenKey, b: &TokenKey) -> bool {
        let policy = TokenPolicy::default();
        b.verify(&a.issue(at(T0)), at(T0 + 5), &policy).is_ok()
    }

    #[test]
    fn a_missing_key_file_is_made_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.key");
        let made = TokenKey::load_or_create(&path).unwrap();
        assert_eq!(mode_of(&path), 0o600);
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.len(), 65, "{text:?}");
        assert!(text.ends_with('\n'));
        assert!(text[..64].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file is left"
        );

        let read = TokenKey::load_or_create(&path).unwrap();
        assert!(same_key(&made, &read));
        assert_eq!(fs::read_to_string(&path).unwrap(), text, "kept as it was");
        assert!(!same_key(&made, &TokenKey::generate()));
    }

    #[test]
    fn the_key_file_alone_does_not_give_a_forms_receipt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.key");
        let first = TokenKey::load_or_create(&path).unwrap();
        let second = TokenKey::load_or_create(&path).unwrap();
        assert!(same_key(&first, &second));
        let token = first.issue(at(T0));
        let policy = TokenPolicy::default();
        let id = second.verify(&token, at(T0 + 5), &policy).unwrap();
        assert_eq!(first.verify(&token, at(T0 + 5), &policy), Ok(id));
        assert_eq!(first.receipt_for(&id), first.receipt_for(&id));
        assert_ne!(
            first.receipt_for(&id),
            second.receipt_for(&id),
            "receipts are keyed with each process's own key, which no file holds"
        );
    }

    #[test]
    fn starts_at_the_same_moment_make_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.key");
        let start = std::sync::Barrier::new(8);
        let keys: Vec<TokenKey> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        TokenKey::load_or_create(&path).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(keys.iter().all(|key| same_key(&keys[0], key)));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_key_file_others_can_open_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.key");
        let digits = "ab".repeat(32);
        fs::write(&path, format!("{digits}\n")).unwrap();
        for mode in [0o644, 0o640, 0o604, 0o620] {
            set_mode(&path, mode);
            let error = TokenKey::load_or_create(&path).unwrap_err().to_string();
            assert!(error.contains(&format!("mode {mode:o}")), "{error}");
            assert!(
                error.contains(&format!("run: chmod 600 {}", path.display())),
                "{error}"
            );
            assert!(!error.contains(&digits), "never the key: {error}");
        }
        for mode in [0o600, 0o400] {
            set_mode(&path, mode);
            TokenKey::load_or_create(&path).unwrap();
        }
    }

    #[test]
    fn a_malformed_key_file_is_refused_without_echoing_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.key");
        let digits = "0123456789abcdef".repeat(4);
        for text in [
            String::new(),
            "\n".into(),
            format!("{}\n", &digits[..63]),
            format!("{digits}0\n"),
            format!("{}g\n", &digits[..63]),
            format!("  {digits}\n"),
            format!("{digits}\n{digits}\n"),
            format!("{digits}{}", " ".repeat(40)),
        ] {
            fs::write(&path, &text).unwrap();
            set_mode(&path, 0o600);
            let error = TokenKey::load_or_create(&path).unwrap_err().to_string();
            assert!(error.contains("does not hold a key"), "{text:?}: {error}");
            assert!(!error.contains(&digits[..16]), "{text:?}: {error}");
            assert_eq!(fs::read_to_string(&path).unwrap(), text, "left alone");
        }
        for text in [
            digits.clone(),
            format!("{digits}\n"),
            format!("{digits}\r\n"),
            format!("{}\n", digits.to_uppercase()),
        ] {
            fs::write(&path, &text).unwrap();
            TokenKey::load_or_create(&path).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        }

        let error = TokenKey::load_or_create(dir.path())
            .unwrap_err()
            .to_string();
        assert!(error.contains("not a file"), "{error}");
        let error = TokenKey::load_or_create(&dir.path().join("missing/token.key"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("cannot make it in"), "{error}");
    }
}
