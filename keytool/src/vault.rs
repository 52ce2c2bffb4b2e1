//! The vault: the folder `pull` keeps sealed records in, on the organizer's own computer
//! (`docs/API.md`, "The vault").
//!
//! ```text
//! DIR/                       mode 0700
//!   records/<id>.age         each record as pulled, untouched (never decrypted to disk)
//!   index.tsv                <id> TAB <sha256 as pulled> TAB <server URL>, one line per record
//!   campaigns/<version>.toml every campaign file seen, named by its SHA-256
//!   withdrawn.tsv            <id> TAB <receipt's SHA-256> TAB <day>, one line per honoured withdrawal
//! ```
//!
//! # Durability: an interrupted pull leaves no partial record and resumes
//!
//! A record, a campaign file or a rewritten index is written to a hidden temporary name
//! (`.<name>.tmp`), synced, renamed into place, and the folder synced: a crash leaves either the
//! whole file or none (and perhaps a temporary file, removed on the next pull). Lines are
//! appended to `index.tsv` and `withdrawn.tsv` and synced before the next step; a crash mid-line
//! leaves a last line without its line feed, which readers ignore and the next pull cuts off.
//!
//! The order makes every crash recoverable: a record is renamed into place *before* its index
//! line is appended (a record without a line is hashed again and indexed on the next pull), and
//! a withdrawal's line is appended *before* its record is deleted (a record whose id is in
//! `withdrawn.tsv` is deleted on the next pull, and never downloaded again).
//!
//! # Names
//!
//! Every path is built from a [`RecordId`] (32 lowercase hex digits) or a [`Sha256Hex`] (64),
//! never from text a server sent, so nothing can be written outside the vault. Files are opened
//! without following symbolic links, and read with the export reader's limits.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use seal::{Day, RecordId};
use zeroize::Zeroizing;

use crate::Error;
use crate::client::Sha256Hex;
use crate::input::{self, IndexLine, MAX_INDEX_LINE_BYTES, MAX_RECORD_BYTES};

/// The folder of record files.
pub const RECORDS: &str = "records";
/// One line per record: id, SHA-256 as pulled, server URL.
pub const INDEX: &str = "index.tsv";
/// The folder of campaign files, each named by its SHA-256.
pub const CAMPAIGNS: &str = "campaigns";
/// One line per honoured withdrawal: id, the receipt's SHA-256, the day.
pub const WITHDRAWN: &str = "withdrawn.tsv";
/// One line per record sealed again to other keys: id, the new file's SHA-256, the fingerprint of
/// the recipients it is sealed to now. `index.tsv` keeps the hash as pulled, which the server's
/// copy still has.
pub const RESEALED: &str = "resealed.tsv";

/// The largest campaign file read from the vault (the server's own limit is far lower).
const MAX_CAMPAIGN_BYTES: u64 = 4 * 1024 * 1024;

/// A record the vault holds: its hash as pulled and where from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    /// The SHA-256 of the record's bytes, as pulled (and checked against the listing).
    pub sha256: Sha256Hex,
    /// The server it was pulled from, as `--server` was normalized.
    pub server: String,
}

/// A withdrawal the vault honoured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    /// The SHA-256 of the receipt, which equalled the one sealed in the record.
    pub receipt_sha256: Sha256Hex,
    /// The day the receipt was posted.
    pub day: Day,
}

/// An open vault: its folder, and what `index.tsv` and `withdrawn.tsv` say.
#[derive(Debug)]
pub struct Vault {
    root: PathBuf,
    index: BTreeMap<RecordId, Indexed>,
    withdrawn: BTreeMap<RecordId, Withdrawn>,
    /// Record id → the SHA-256 of its file since it was sealed again (the last line wins).
    resealed: BTreeMap<RecordId, Sha256Hex>,
}

impl Vault {
    /// Opens the vault at `root` to write to it, making it (mode 0700) if it does not exist.
    /// Removes temporary files an interrupted pull left, and cuts off a half-written last line.
    pub fn create(root: &Path) -> Result<Self, Error> {
        match fs::symlink_metadata(root) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => make_private_folder(root)?,
            Err(err) => {
                return Err(Error::Read {
                    path: root.to_owned(),
                    err,
                });
            }
            Ok(_) => {}
        }
        check_folder(root)?;
        for sub in [RECORDS, CAMPAIGNS] {
            let path = root.join(sub);
            if fs::symlink_metadata(&path).is_err() {
                make_private_folder(&path)?;
            }
            check_folder(&path)?;
        }
        for folder in [root.to_owned(), root.join(RECORDS), root.join(CAMPAIGNS)] {
            remove_temporary_files(&folder)?;
        }
        for name in [INDEX, WITHDRAWN, RESEALED] {
            cut_half_written_line(&root.join(name))?;
        }
        Self::load(root)
    }

    /// Opens the existing vault at `root` to read it.
    pub fn open(root: &Path) -> Result<Self, Error> {
        check_folder(root)?;
        Self::load(root)
    }

    fn load(root: &Path) -> Result<Self, Error> {
        let mut index = BTreeMap::new();
        each_indexed(root, |id, sha256, server| {
            index.insert(
                id,
                Indexed {
                    sha256,
                    server: server.to_owned(),
                },
            );
        })?;
        let withdrawn = read_withdrawn(root)?;
        let mut resealed = BTreeMap::new();
        each_resealed(root, |id, sha256| {
            resealed.insert(id, sha256);
        })?;
        Ok(Self {
            root: root.to_owned(),
            index,
            withdrawn,
            resealed,
        })
    }

    /// The vault's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The records `index.tsv` lists, by id.
    pub fn indexed(&self) -> &BTreeMap<RecordId, Indexed> {
        &self.index
    }

    /// The withdrawals honoured, by record id.
    pub fn withdrawn(&self) -> &BTreeMap<RecordId, Withdrawn> {
        &self.withdrawn
    }

    /// Where record `id` is kept.
    pub fn record_path(&self, id: RecordId) -> PathBuf {
        self.root.join(RECORDS).join(format!("{id}.age"))
    }

    /// Whether a record file for `id` is there (a regular file; links do not count).
    pub fn has_record_file(&self, id: RecordId) -> bool {
        fs::symlink_metadata(self.record_path(id)).is_ok_and(|meta| meta.is_file())
    }

    /// The bytes of record `id`, as stored.
    pub fn read_record(&self, id: RecordId) -> Result<Zeroizing<Vec<u8>>, Error> {
        input::read_regular_file(&self.record_path(id), MAX_RECORD_BYTES, "record")
    }

    /// The bytes of record `id`, only if they still hash to what `index.tsv` recorded when it
    /// was pulled, or to what `resealed.tsv` recorded when it was sealed again.
    pub fn read_verified(&self, id: RecordId) -> Result<Zeroizing<Vec<u8>>, Error> {
        let path = self.record_path(id);
        let bytes = self.read_record(id)?;
        let sha256 = Sha256Hex::of(&bytes);
        let pulled = self.index.get(&id).is_some_and(|i| i.sha256 == sha256);
        let resealed = self.resealed.get(&id) == Some(&sha256);
        match pulled || resealed {
            true => Ok(bytes),
            false => Err(Error::VaultRecordChanged { path }),
        }
    }

    /// Replaces record `id` by `bytes`, the same submission sealed to `recipients` now: the line
    /// in `resealed.tsv` first, then the file, each durably. A crash between the two leaves the
    /// old file, which still matches `index.tsv`.
    pub fn replace_resealed(
        &mut self,
        id: RecordId,
        bytes: &[u8],
        recipients: &str,
    ) -> Result<(), Error> {
        let sha256 = Sha256Hex::of(bytes);
        append_line(
            &self.root.join(RESEALED),
            &format!("{id}\t{sha256}\t{recipients}\n"),
        )?;
        write_durably(&self.root.join(RECORDS), &format!("{id}.age"), bytes)?;
        self.resealed.insert(id, sha256);
        Ok(())
    }

    /// Saves a record pulled from `server`: the file durably first, then its index line.
    pub fn save_record(&mut self, id: RecordId, bytes: &[u8], server: &str) -> Result<(), Error> {
        write_durably(&self.root.join(RECORDS), &format!("{id}.age"), bytes)?;
        self.add_to_index(id, Sha256Hex::of(bytes), server)
    }

    /// Appends the index line of a record whose file is already in place (a pull that stopped
    /// between the two), once its bytes are checked.
    pub fn add_to_index(
        &mut self,
        id: RecordId,
        sha256: Sha256Hex,
        server: &str,
    ) -> Result<(), Error> {
        append_line(
            &self.root.join(INDEX),
            &format!("{id}\t{sha256}\t{server}\n"),
        )?;
        self.index.insert(
            id,
            Indexed {
                sha256,
                server: server.to_owned(),
            },
        );
        Ok(())
    }

    /// Saves a campaign file under its version, unless the vault has it. Returns whether it
    /// was new.
    pub fn save_campaign(&self, version: Sha256Hex, toml: &str) -> Result<bool, Error> {
        let name = format!("{version}.toml");
        let folder = self.root.join(CAMPAIGNS);
        if fs::symlink_metadata(folder.join(&name)).is_ok() {
            return Ok(false);
        }
        write_durably(&folder, &name, toml.as_bytes())?;
        Ok(true)
    }

    /// The campaign file of `version`, if the vault has it and it still hashes to its name.
    pub fn campaign(&self, version: Sha256Hex) -> Result<Option<String>, Error> {
        campaign_file(&self.root, version)
    }

    /// Honours a withdrawal of record `id`: its `withdrawn.tsv` line first, durably, then the
    /// record file goes. Its index line goes at [`Vault::finish_withdrawals`].
    pub fn withdraw(
        &mut self,
        id: RecordId,
        receipt_sha256: Sha256Hex,
        day: Day,
    ) -> Result<(), Error> {
        append_line(
            &self.root.join(WITHDRAWN),
            &format!("{id}\t{receipt_sha256}\t{day}\n"),
        )?;
        self.withdrawn.insert(
            id,
            Withdrawn {
                receipt_sha256,
                day,
            },
        );
        self.remove_record_file(id)
    }

    /// Removes what is left of withdrawn records: a file a crash left behind, and their lines in
    /// `index.tsv` (rewritten whole, durably).
    pub fn finish_withdrawals(&mut self) -> Result<(), Error> {
        let ids: Vec<RecordId> = self.withdrawn.keys().copied().collect();
        for &id in &ids {
            if self.has_record_file(id) {
                self.remove_record_file(id)?;
            }
        }
        if ids.iter().any(|id| self.index.contains_key(id)) {
            for id in &ids {
                self.index.remove(id);
            }
            let text: String = self
                .index
                .iter()
                .map(|(id, indexed)| format!("{id}\t{}\t{}\n", indexed.sha256, indexed.server))
                .collect();
            write_durably(&self.root, INDEX, text.as_bytes())?;
        }
        Ok(())
    }

    fn remove_record_file(&self, id: RecordId) -> Result<(), Error> {
        let path = self.record_path(id);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(err) => return Err(Error::Write { path, err }),
        }
        sync_folder(&self.root.join(RECORDS))
    }
}

/// A vault opened only to read its records, as `decrypt --vault` and `report` do: its folder,
/// its withdrawals and its campaign files. `index.tsv` and `resealed.tsv` are checked line by
/// line as [`Vault::open`] checks them, but not kept: they hold a line per record, and reading
/// records needs neither, so memory does not grow with the vault.
#[derive(Debug)]
pub struct VaultToRead {
    root: PathBuf,
    withdrawn: BTreeMap<RecordId, Withdrawn>,
}

impl VaultToRead {
    /// Opens the existing vault at `root` to read its records.
    pub fn open(root: &Path) -> Result<Self, Error> {
        check_folder(root)?;
        each_indexed(root, |_, _, _| {})?;
        let withdrawn = read_withdrawn(root)?;
        each_resealed(root, |_, _| {})?;
        Ok(Self {
            root: root.to_owned(),
            withdrawn,
        })
    }

    /// The vault's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The withdrawals honoured, by record id.
    pub fn withdrawn(&self) -> &BTreeMap<RecordId, Withdrawn> {
        &self.withdrawn
    }

    /// The campaign file of `version`, if the vault has it and it still hashes to its name.
    pub fn campaign(&self, version: Sha256Hex) -> Result<Option<String>, Error> {
        campaign_file(&self.root, version)
    }
}

/// Calls `each` with every line of `index.tsv` in `root`: a record's id, its hash as pulled, and
/// the server.
fn each_indexed(root: &Path, mut each: impl FnMut(RecordId, Sha256Hex, &str)) -> Result<(), Error> {
    read_lines(&root.join(INDEX), |line, [id, sha256, server]| {
        let (id, sha256) = (line.id(id)?, line.sha256(sha256, "the hash")?);
        if server.is_empty() {
            return Err(line.bad("the server is missing"));
        }
        each(id, sha256, server);
        Ok(())
    })
}

/// The withdrawals `withdrawn.tsv` in `root` lists.
fn read_withdrawn(root: &Path) -> Result<BTreeMap<RecordId, Withdrawn>, Error> {
    let mut withdrawn = BTreeMap::new();
    read_lines(&root.join(WITHDRAWN), |line, [id, receipt, day]| {
        let id = line.id(id)?;
        let receipt_sha256 = line.sha256(receipt, "the receipt hash")?;
        let day = day
            .parse()
            .map_err(|_| line.bad("the day is not YYYY-MM-DD"))?;
        withdrawn.insert(
            id,
            Withdrawn {
                receipt_sha256,
                day,
            },
        );
        Ok(())
    })?;
    Ok(withdrawn)
}

/// Calls `each` with every line of `resealed.tsv` in `root` (the last line of an id wins).
fn each_resealed(root: &Path, mut each: impl FnMut(RecordId, Sha256Hex)) -> Result<(), Error> {
    read_lines(&root.join(RESEALED), |line, [id, sha256, _recipients]| {
        each(line.id(id)?, line.sha256(sha256, "the hash")?);
        Ok(())
    })
}

/// The campaign file of `version` in the vault at `root`, if it has it and it still hashes to
/// its name.
fn campaign_file(root: &Path, version: Sha256Hex) -> Result<Option<String>, Error> {
    let path = root.join(CAMPAIGNS).join(format!("{version}.toml"));
    let bytes = match input::read_regular_file(&path, MAX_CAMPAIGN_BYTES, "campaign file") {
        Ok(bytes) => bytes,
        Err(Error::Read { err, .. }) if err.kind() == io::ErrorKind::NotFound => {
            return Ok(None);
        }
        Err(err) => return Err(err),
    };
    if Sha256Hex::of(&bytes) != version {
        return Err(Error::InvalidVault {
            path,
            reason: "its SHA-256 is not its name".to_owned(),
        });
    }
    String::from_utf8(bytes.to_vec())
        .map(Some)
        .map_err(|_| Error::InvalidVault {
            path,
            reason: "it is not UTF-8 text".to_owned(),
        })
}

/// Makes `path` as a folder readable by its owner only.
fn make_private_folder(path: &Path) -> Result<(), Error> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path).map_err(|err| Error::Write {
        path: path.to_owned(),
        err,
    })?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_folder(parent)?;
    }
    Ok(())
}

/// Refuses a vault folder (or sub-folder) that is a link or not a folder.
fn check_folder(path: &Path) -> Result<(), Error> {
    let meta = fs::symlink_metadata(path).map_err(|err| Error::Read {
        path: path.to_owned(),
        err,
    })?;
    match input::FileKind::of(meta.file_type()) {
        Some(input::FileKind::Folder) => Ok(()),
        Some(kind) => Err(Error::InvalidVault {
            path: path.to_owned(),
            reason: format!("it is {kind}, not a folder"),
        }),
        None => Err(Error::InvalidVault {
            path: path.to_owned(),
            reason: "it is a file, not a folder".to_owned(),
        }),
    }
}

/// Removes the hidden temporary files (`.*.tmp`) an interrupted write left in `folder`.
fn remove_temporary_files(folder: &Path) -> Result<(), Error> {
    let unreadable = |err| Error::Read {
        path: folder.to_owned(),
        err,
    };
    let mut removed = false;
    for entry in fs::read_dir(folder).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.')
            && name.ends_with(".tmp")
            && entry.file_type().map_err(unreadable)?.is_file()
        {
            let path = entry.path();
            fs::remove_file(&path).map_err(|err| Error::Write { path, err })?;
            removed = true;
        }
    }
    if removed {
        sync_folder(folder)?;
    }
    Ok(())
}

/// Calls `each` with the lines of a vault TSV file, with their numbers, each split into three
/// fields; none when the file does not exist. A last line without its line feed is a
/// half-written append, and is left out.
///
/// The file is read a line at a time, so that a vault of many records takes little memory, and
/// its problems are reported as if it had been read whole first: a file too large, then one that
/// is not UTF-8, then a line that does not have three fields, then the first line `each` refuses.
/// A line of a vault file, to say what is wrong with it.
struct VaultLine<'a> {
    path: &'a Path,
    number: usize,
}

impl VaultLine<'_> {
    fn bad(&self, what: &str) -> Error {
        Error::InvalidVault {
            path: self.path.to_owned(),
            reason: format!("line {}: {what}", self.number),
        }
    }

    fn id(&self, text: &str) -> Result<RecordId, Error> {
        text.parse()
            .map_err(|_| self.bad("the id is not a record id"))
    }

    /// `text` as a SHA-256; `what` names it in the error.
    fn sha256(&self, text: &str, what: &str) -> Result<Sha256Hex, Error> {
        text.parse()
            .map_err(|_| self.bad(&format!("{what} is not a SHA-256")))
    }
}

fn read_lines(
    path: &Path,
    mut each: impl FnMut(VaultLine<'_>, [&str; 3]) -> Result<(), Error>,
) -> Result<(), Error> {
    let (file, _) = match input::open_regular_file(path, u64::MAX, "vault index") {
        Ok(opened) => opened,
        Err(Error::Read { err, .. }) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    let invalid = |reason: String| Error::InvalidVault {
        path: path.to_owned(),
        reason,
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut number = 0;
    let (mut not_utf8, mut wrong_shape, mut refused) = (false, None, None);
    loop {
        let read = input::next_index_line(&mut reader, &mut line).map_err(|err| Error::Read {
            path: path.to_owned(),
            err,
        })?;
        match read {
            IndexLine::End => break,
            IndexLine::TooLong => {
                number += 1;
                if wrong_shape.is_none() {
                    wrong_shape = Some(invalid(format!(
                        "line {number} is longer than {} KiB",
                        MAX_INDEX_LINE_BYTES / 1024
                    )));
                }
                continue;
            }
            IndexLine::Read => {}
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            not_utf8 = true;
            continue;
        };
        let Some(text) = text.strip_suffix('\n') else {
            // The half-written last line.
            break;
        };
        let text = text.strip_suffix('\r').unwrap_or(text);
        number += 1;
        if not_utf8 || wrong_shape.is_some() {
            continue;
        }
        let mut fields = text.split('\t');
        match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (Some(a), Some(b), Some(c), None) => {
                if refused.is_none() {
                    refused = each(VaultLine { path, number }, [a, b, c]).err();
                }
            }
            _ => {
                wrong_shape = Some(invalid(format!(
                    "line {number} does not have three tab-separated fields"
                )));
            }
        }
    }
    if not_utf8 {
        return Err(invalid("it is not UTF-8 text".to_owned()));
    }
    match wrong_shape.or(refused) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// Cuts off a last line without its line feed (an append a crash interrupted), so that the next
/// append starts a line of its own. Reads only the end of the file: an index holds a line per
/// record.
fn cut_half_written_line(path: &Path) -> Result<(), Error> {
    let (mut file, len) = match input::open_regular_file(path, u64::MAX, "vault index") {
        Ok(opened) => opened,
        Err(Error::Read { err, .. }) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    let unreadable = |err| Error::Read {
        path: path.to_owned(),
        err,
    };
    // The last line, and the line feed before it if it is within the longest line allowed.
    let tail_len = len.min(u64::try_from(MAX_INDEX_LINE_BYTES + 1).unwrap_or(u64::MAX));
    let start = len - tail_len;
    let mut tail = vec![0; usize::try_from(tail_len).unwrap_or(0)];
    file.seek(SeekFrom::Start(start))
        .and_then(|_| file.read_exact(&mut tail))
        .map_err(unreadable)?;
    if tail.is_empty() || tail.ends_with(b"\n") {
        return Ok(());
    }
    let keep = match tail.iter().rposition(|&b| b == b'\n') {
        Some(at) => start + at as u64 + 1,
        None if start == 0 => 0,
        None => {
            return Err(Error::InvalidVault {
                path: path.to_owned(),
                reason: format!(
                    "its last line is longer than {} KiB",
                    MAX_INDEX_LINE_BYTES / 1024
                ),
            });
        }
    };
    let failed = |err| Error::Write {
        path: path.to_owned(),
        err,
    };
    let file = open_no_follow(OpenOptions::new().write(true), path).map_err(failed)?;
    file.set_len(keep).map_err(failed)?;
    file.sync_all().map_err(failed)
}

/// Opens `path` with `options`, never through a symbolic link, creating files with mode 0600.
fn open_no_follow(options: &mut OpenOptions, path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW.bits();
        options
            .mode(0o600)
            .custom_flags(i32::try_from(flags).map_err(io::Error::other)?);
    }
    options.open(path)
}

/// Writes `bytes` as `folder/name`: to a hidden temporary file, synced, renamed into place, the
/// folder synced. A temporary file left by an earlier crash is replaced.
fn write_durably(folder: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let temp = folder.join(format!(".{name}.tmp"));
    let target = folder.join(name);
    let failed = |path: &Path| {
        let path = path.to_owned();
        move |err| Error::Write { path, err }
    };
    match fs::remove_file(&temp) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(failed(&temp)(err)),
        _ => {}
    }
    let written = open_no_follow(OpenOptions::new().write(true).create_new(true), &temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .map_err(failed(&temp));
    if let Err(err) = written {
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    // `rename` replaces the target name itself, never what a link there points to.
    fs::rename(&temp, &target).map_err(failed(&target))?;
    sync_folder(folder)
}

/// Appends `line` to `path` (made with mode 0600 if need be) and syncs it, and the folder when
/// the file is new.
fn append_line(path: &Path, line: &str) -> Result<(), Error> {
    let failed = |err| Error::Write {
        path: path.to_owned(),
        err,
    };
    let is_new = fs::symlink_metadata(path).is_err();
    let mut file =
        open_no_follow(OpenOptions::new().append(true).create(true), path).map_err(failed)?;
    file.write_all(line.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    if is_new && let Some(folder) = path.parent() {
        sync_folder(folder)?;
    }
    Ok(())
}

/// Syncs a folder, so that the names created, renamed or removed in it are on stable storage.
fn sync_folder(folder: &Path) -> Result<(), Error> {
    let failed = |err| Error::Write {
        path: folder.to_owned(),
        err,
    };
    File::open(folder)
        .map_err(failed)?
        .sync_all()
        .map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> RecordId {
        RecordId::from_bytes([n; 16])
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_vault_is_private_and_keeps_what_it_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("vault");
        let mut vault = Vault::create(&root).unwrap();
        #[cfg(unix)]
        {
            assert_eq!(mode(&root), 0o700);
            assert_eq!(mode(&root.join(RECORDS)), 0o700);
        }
        vault
            .save_record(id(1), b"age-encryption.org/v1\none", "http://127.0.0.1:1")
            .unwrap();
        #[cfg(unix)]
        assert_eq!(mode(&vault.record_path(id(1))), 0o600);
        vault
            .withdraw(id(2), Sha256Hex::of(b"r"), "2026-11-29".parse().unwrap())
            .unwrap();

        let reopened = Vault::open(&root).unwrap();
        assert_eq!(reopened.indexed().len(), 1);
        assert_eq!(reopened.indexed()[&id(1)].server, "http://127.0.0.1:1");
        assert_eq!(
            reopened.read_verified(id(1)).unwrap().as_slice(),
            b"age-encryption.org/v1\none"
        );
        assert_eq!(reopened.withdrawn()[&id(2)].day.to_string(), "2026-11-29");
    }

    #[test]
    fn an_interrupted_write_leaves_nothing_half_done_behind() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("vault");
        let mut vault = Vault::create(&root).unwrap();
        vault.save_record(id(1), b"one", "s").unwrap();
        // A crash mid-append, and a temporary record file.
        let mut index = OpenOptions::new()
            .append(true)
            .open(root.join(INDEX))
            .unwrap();
        index
            .write_all(format!("{}\tabc", id(2)).as_bytes())
            .unwrap();
        fs::write(
            root.join(RECORDS).join(format!(".{}.age.tmp", id(2))),
            b"half",
        )
        .unwrap();

        assert_eq!(
            Vault::open(&root).unwrap().indexed().len(),
            1,
            "read as if absent"
        );
        let mut vault = Vault::create(&root).unwrap();
        assert_eq!(
            fs::read_dir(root.join(RECORDS)).unwrap().count(),
            1,
            "temporary file removed"
        );
        vault.save_record(id(3), b"three", "s").unwrap();
        let text = fs::read_to_string(root.join(INDEX)).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert_eq!(Vault::open(&root).unwrap().indexed().len(), 2);
    }

    #[test]
    fn a_changed_record_is_not_verified() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = Vault::create(dir.path()).unwrap();
        vault.save_record(id(1), b"one", "s").unwrap();
        fs::write(vault.record_path(id(1)), b"two").unwrap();
        assert!(matches!(
            vault.read_verified(id(1)),
            Err(Error::VaultRecordChanged { .. })
        ));
    }

    #[test]
    fn withdrawals_remove_the_record_and_its_index_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = Vault::create(dir.path()).unwrap();
        vault.save_record(id(1), b"one", "s").unwrap();
        vault.save_record(id(2), b"two", "s").unwrap();
        vault
            .withdraw(id(1), Sha256Hex::of(b"r"), "2026-11-29".parse().unwrap())
            .unwrap();
        assert!(!vault.has_record_file(id(1)));
        vault.finish_withdrawals().unwrap();
        let vault = Vault::open(dir.path()).unwrap();
        assert_eq!(vault.indexed().keys().collect::<Vec<_>>(), [&id(2)]);
        assert!(vault.withdrawn().contains_key(&id(1)));
    }

    #[test]
    fn malformed_vault_files_are_refused_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(INDEX), "../etc/passwd\tx\ty\n").unwrap();
        let err = Vault::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("line 1: the id is not a record id"), "{err}");
    }

    /// Lines are read one at a time, and problems reported as if the file had been read whole:
    /// not UTF-8, a line without three fields or too long, then the first line refused; and a
    /// vault opened only to read its records checks the same, with the same words.
    #[test]
    fn vault_files_are_read_line_by_line_with_problems_in_a_fixed_order() {
        let dir = tempfile::tempdir().unwrap();
        let line = |n: u8| format!("{}\t{}\ts\n", id(n), Sha256Hex::of(&[n]));
        let refused = format!("{}{}x\ty\tz\n{}", line(1), line(2), line(3));
        let cases = [
            (refused.clone(), Some("line 3: the id is not a record id")),
            (
                format!("{refused}{}\tonly two\n", id(4)),
                Some("line 5 does not have three tab-separated fields"),
            ),
            (
                format!("{}{}\t{}\n{refused}", line(1), id(2), "s".repeat(70_000)),
                Some("line 2 is longer than 64 KiB"),
            ),
            (format!("{}{}\r\n", line(1), line(2).trim_end()), None),
            (format!("{}{}half-writ", line(1), line(2)), None),
        ];
        for (text, problem) in cases {
            fs::write(dir.path().join(INDEX), text.as_bytes()).unwrap();
            for opened in [
                Vault::open(dir.path()).map(|vault| vault.indexed().len()),
                VaultToRead::open(dir.path()).map(|_| 2),
            ] {
                match (opened, problem) {
                    (Ok(records), None) => assert_eq!(records, 2),
                    (Err(err), Some(problem)) => {
                        assert!(err.to_string().contains(problem), "{err}");
                    }
                    (other, _) => panic!("{text:?}: {other:?}"),
                }
            }
        }
        let mut not_utf8 = refused.into_bytes();
        not_utf8.extend(b"\t\n\xff\xfe half-written");
        fs::write(dir.path().join(INDEX), &not_utf8).unwrap();
        for err in [
            Vault::open(dir.path()).unwrap_err(),
            VaultToRead::open(dir.path()).unwrap_err(),
        ] {
            assert!(err.to_string().contains("it is not UTF-8 text"), "{err}");
        }

        fs::write(dir.path().join(INDEX), line(1)).unwrap();
        fs::write(
            dir.path().join(WITHDRAWN),
            format!("{}\t{}\t2026-11-29\n", id(1), Sha256Hex::of(b"r")),
        )
        .unwrap();
        let reading = VaultToRead::open(dir.path()).unwrap();
        assert_eq!(
            reading.withdrawn(),
            Vault::open(dir.path()).unwrap().withdrawn()
        );
        assert_eq!(reading.root(), dir.path());
    }

    /// An index grows by a line per record: a vault of a million records has one of over 100
    /// MiB, which is read a line at a time whatever its size, and whose half-written last line
    /// is cut off by reading only its end.
    #[test]
    fn an_index_of_any_size_is_read_and_mended() {
        let dir = tempfile::tempdir().unwrap();
        let server = "http://sealformexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion";
        let line = format!("{}\t{}\t{server}\n", id(1), Sha256Hex::of(b"one"));
        let lines = (65 << 20) / line.len() + 1;
        let mut index = io::BufWriter::new(File::create(dir.path().join(INDEX)).unwrap());
        for _ in 0..lines {
            index.write_all(line.as_bytes()).unwrap();
        }
        index
            .write_all(format!("{}\tabc", id(2)).as_bytes())
            .unwrap();
        drop(index);
        let size = fs::metadata(dir.path().join(INDEX)).unwrap().len();
        assert!(size > 64 << 20, "{size}");

        VaultToRead::open(dir.path()).unwrap();
        Vault::create(dir.path()).unwrap();
        let mended = fs::metadata(dir.path().join(INDEX)).unwrap().len();
        assert_eq!(mended, (lines * line.len()) as u64);

        // A last line longer than any line is not cut off: that is no interrupted append.
        let mut index = OpenOptions::new()
            .append(true)
            .open(dir.path().join(INDEX))
            .unwrap();
        index.write_all("x".repeat(70_000).as_bytes()).unwrap();
        let err = Vault::create(dir.path()).unwrap_err().to_string();
        assert!(err.contains("its last line is longer than 64 KiB"), "{err}");
        assert_eq!(
            fs::metadata(dir.path().join(INDEX)).unwrap().len(),
            mended + 70_000
        );
    }

    /// Mending reads only the end of an index: one of 64 GiB (sparse, so it takes no disk),
    /// which no reading of the whole file could hold in memory, is mended at once.
    #[test]
    fn only_the_end_of_an_index_is_read_to_mend_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(INDEX);
        let mut index = File::create(&path).unwrap();
        let whole_lines = 64 << 30;
        index.set_len(whole_lines - 1).unwrap();
        index.seek(SeekFrom::End(0)).unwrap();
        index.write_all(b"\nhalf-writ").unwrap();
        drop(index);
        cut_half_written_line(&path).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().len(), whole_lines);
    }

    #[cfg(unix)]
    #[test]
    fn a_vault_that_is_a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = Vault::create(&link).unwrap_err().to_string();
        assert!(err.contains("it is a symbolic link, not a folder"), "{err}");
    }
}
