use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use indicatif::{ProgressBar, ProgressDrawTarget};
use seal::{EXPORT_INDEX_FILE, ExportIndex, RecipientSetFingerprint, RecordId};

use crate::Error;
use crate::escape::{self, LineFeeds, ShownPath};
use crate::export::{self, Format, Opened, Output, SecretBuf};
use crate::files;
use crate::identity::Keyring;
use crate::input::{self, FileKind, MAX_INDEX_BYTES, MAX_RECORD_BYTES};
use crate::parallel;
use crate::passphrase::{PassphraseArgs, Passphrases};
use crate::spool;
use crate::vault::{self, VaultToRead};
use crate::vault_read::Wording;

const EXAMPLES: &str = "\
Examples:
  Open every record of an export folder into a spreadsheet file:
    sealform-keytool decrypt -i organizer.key --out letter.csv export/

  With two identities (say, after a key rotation), as JSON Lines on standard output:
    sealform-keytool decrypt -i old.key -i new.key --format jsonl export/ > letter.jsonl

  A few single records:
    sealform-keytool decrypt -i organizer.key 3f9c1a2b….age 7d02e4f1….age

  Every record of a vault kept by pull, except withdrawn ones, with the form's questions as
  column headings and its options' labels as answers:
    sealform-keytool decrypt -i organizer.key --vault letter-vault --out letter.csv

  The same with the questions in French, where the campaign file has a French translation:
    sealform-keytool decrypt -i organizer.key --vault letter-vault --lang fr --out lettre.csv

A record that cannot be opened is reported with the reason (and, from the folder's index.tsv,
the recipient set it was sealed to); the others are still exported, and the exit code is 1.
Only regular files are read: symbolic links, FIFOs, sockets and devices are skipped and
reported, and so is a file larger than any record or index sealform writes.

On a terminal, control characters in answers and file names (which could clear the screen,
hide text or write to the clipboard) are shown escaped, as \\u{1b}; --out keeps the exact text.";

/// More records than this show a progress bar (on a terminal only).
const PROGRESS_AFTER: usize = 8;

/// Open sealed records with your identities and export them as CSV, JSON or JSON Lines
///
/// The export holds the testimony in clear: keep it on an encrypted disk and delete it when done.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Decrypt {
    /// An identity file to open records with; repeat -i for several
    #[arg(short = 'i', long = "identity", value_name = "FILE", required = true)]
    identities: Vec<PathBuf>,

    /// The export format
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,

    /// Write the export to this new file (readable only by you) instead of standard output; an
    /// existing file is never overwritten
    #[arg(short = 'o', long, value_name = "FILE")]
    out: Option<PathBuf>,

    #[command(flatten)]
    passphrase: PassphraseArgs,

    /// A vault kept by `pull --vault DIR`, instead of INPUTs: every record in DIR/records except
    /// those DIR/withdrawn.tsv lists, each shown as its form asked it (the campaign file it names,
    /// from DIR/campaigns): questions as column headings, options by their labels; JSON keeps the
    /// codes and adds "labels" and "option_labels"
    #[arg(long, value_name = "DIR", conflicts_with = "inputs")]
    vault: Option<PathBuf>,

    /// With --vault: the questions and options in this language (a tag such as fr), where the
    /// campaign file has a translation into it; otherwise as the campaign was first written
    // Not `requires = "vault"`: clap does not enforce it on an argument that conflicts with one
    // given (INPUT here); conflicting with INPUT says the same.
    #[arg(long, value_name = "TAG", conflicts_with = "inputs")]
    lang: Option<String>,

    /// Record files (*.age), or folders of them: a folder means every *.age file in it, by name,
    /// and its index.tsv if present. Only regular files are read: links are never followed
    #[arg(value_name = "INPUT", required_unless_present = "vault")]
    inputs: Vec<PathBuf>,
}

impl Decrypt {
    /// Opens every record it can, writes the export, and fails at the end if any record failed.
    ///
    /// Records are opened on every core and written in the order of their files, as they are
    /// opened: only a few are in memory at a time (`open_each`). A CSV export's rows go
    /// straight to a file while no record brings a new column, and otherwise wait, sealed, for
    /// the header ([`export::Streaming`]).
    pub fn run(self) -> Result<(), Error> {
        if let Some(out) = &self.out
            && std::fs::symlink_metadata(out).is_ok()
        {
            return Err(Error::OutputExists { path: out.clone() });
        }
        let keyring = load_keyring(&self.identities, &self.passphrase)?;

        let (files, problems, vault) = match &self.vault {
            Some(root) => {
                let listed = list_vault(root)?;
                (listed.files, listed.problems, Some(listed.vault))
            }
            None => {
                let mut problems: Vec<Error> = Vec::new();
                let files = list_records(&self.inputs, &mut problems)?;
                (files, problems, None)
            }
        };

        // A terminal acts on control characters in answers; a file or a pipe gets them exactly.
        let output = if self.out.is_none() && io::stdout().is_terminal() {
            Output::Terminal
        } else {
            Output::FileOrPipe
        };
        let (mut sink, spool_folder) = match &self.out {
            Some(out) => (Sink::new_file(out)?, files::folder_of(out).to_owned()),
            None => (Sink::stdout()?, std::env::temp_dir()),
        };
        let mut export =
            export::Streaming::new(self.format, output, spool_folder, self.out.is_some());
        let mut wording = Wording::new(self.lang.as_deref());
        let mut pending = SecretBuf::new();
        let batch = open_each(&keyring, &files, problems, |opened| {
            let words = match &vault {
                Some(vault) => wording.words_for(vault, &opened.submission),
                None => None,
            };
            export
                .add(&mut pending, &opened, words)
                .map_err(export_error)?;
            if pending.expose().len() >= export::DRAIN_AT {
                sink.drain(&mut pending)?;
            }
            Ok(())
        })?;
        if let Some(vault) = &vault {
            for warning in wording.warnings(vault.root()) {
                warn(&warning);
            }
        }
        export
            .finish(&mut pending, |name| wording.label(name), &mut sink)
            .map_err(|err| sink.take_error().unwrap_or_else(|| export_error(err)))?;
        sink.drain(&mut pending)?;
        sink.finish()?;
        batch.outcome(&keyring)
    }
}

/// The identities of every `-i` file, each protected one unlocked with a passphrase from where
/// `passphrase` says.
pub(crate) fn load_keyring(
    identities: &[PathBuf],
    passphrase: &PassphraseArgs,
) -> Result<Keyring, Error> {
    let mut passphrases = Passphrases::new(passphrase);
    let mut keyring = Keyring::new();
    for path in identities {
        keyring.extend(Keyring::load(path, &mut passphrases)?);
    }
    Ok(keyring)
}

/// What failed while an export or a report was made: the spool that keeps what waits for the
/// end of the run, or the export itself.
pub(crate) fn export_error(err: io::Error) -> Error {
    match spool::Failed::from_io(err) {
        Ok(spool::Failed { folder, err }) => Error::Spool { folder, err },
        Err(err) => Error::Export { err },
    }
}

/// Where an export or a report goes: standard output, or a new private file that appears whole
/// at its path only at the end ([`files::NewPrivateFile`]). Plaintext reaches it from
/// [`SecretBuf`]s, and never waits in a buffer that is not wiped: standard output is written
/// through a descriptor of its own, not Rust's buffered handle.
#[derive(Debug)]
pub(crate) struct Sink {
    target: Target,
    /// The error that stopped a write made through an `io::Result` path ([`Sink::drain_io`]).
    failed: Option<Error>,
}

#[derive(Debug)]
enum Target {
    Stdout(std::fs::File),
    File {
        path: PathBuf,
        file: files::NewPrivateFile,
        /// What `report --force` replaces, removed just before the new file takes its place.
        replacing: bool,
    },
}

impl Sink {
    /// Standard output.
    fn stdout() -> Result<Self, Error> {
        use std::os::fd::AsFd;
        let fd = io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .map_err(|err| Error::Stdout { err })?;
        Ok(Self {
            target: Target::Stdout(fd.into()),
            failed: None,
        })
    }

    /// A new file at `path`, which must not exist.
    fn new_file(path: &Path) -> Result<Self, Error> {
        Self::file(path, false).map_err(|err| match err.kind() {
            io::ErrorKind::AlreadyExists => Error::OutputExists {
                path: path.to_owned(),
            },
            _ => Error::Write {
                path: path.to_owned(),
                err,
            },
        })
    }

    /// A new file at `path`; with `replacing`, whatever is at `path` when it is finished is
    /// removed first.
    pub(crate) fn file(path: &Path, replacing: bool) -> io::Result<Self> {
        let file = if replacing {
            files::NewPrivateFile::create_beside(path)?
        } else {
            files::NewPrivateFile::create(path)?
        };
        Ok(Self {
            target: Target::File {
                path: path.to_owned(),
                file,
                replacing,
            },
            failed: None,
        })
    }

    /// Writes what `buf` holds, and empties it.
    pub(crate) fn drain(&mut self, buf: &mut SecretBuf) -> Result<(), Error> {
        let written = match &mut self.target {
            Target::Stdout(stdout) => stdout
                .write_all(buf.expose())
                .map_err(|err| Error::Stdout { err }),
            Target::File { path, file, .. } => {
                file.write_all(buf.expose()).map_err(|err| Error::Write {
                    path: path.clone(),
                    err,
                })
            }
        };
        buf.clear();
        written
    }

    /// [`Sink::drain`], for a caller that speaks `io::Result`: the error itself is kept, for
    /// [`Sink::take_error`].
    pub(crate) fn drain_io(&mut self, buf: &mut SecretBuf) -> io::Result<()> {
        self.drain(buf).map_err(|problem| {
            self.failed = Some(problem);
            io::Error::other("the output could not be written")
        })
    }

    /// The error [`Sink::drain_io`] met, if it met one.
    pub(crate) fn take_error(&mut self) -> Option<Error> {
        self.failed.take()
    }

    /// Puts a file in place (nothing to do for standard output).
    pub(crate) fn finish(self) -> Result<(), Error> {
        let Target::File {
            path,
            file,
            replacing,
        } = self.target
        else {
            return Ok(());
        };
        let err = |err| Error::Write {
            path: path.clone(),
            err,
        };
        if replacing && std::fs::symlink_metadata(&path).is_ok() {
            // `remove_file` takes away a link itself, never what it points to.
            std::fs::remove_file(&path).map_err(err)?;
        }
        file.persist().map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists if !replacing => {
                Error::OutputExists { path: path.clone() }
            }
            _ => err(e),
        })
    }
}

impl export::ExportTarget for Sink {
    fn write_out(&mut self, buf: &mut SecretBuf) -> io::Result<()> {
        self.drain_io(buf)
    }

    fn start_again(&mut self) -> io::Result<std::fs::File> {
        match &mut self.target {
            Target::Stdout(_) => Err(io::Error::other("standard output cannot be written again")),
            Target::File { path, file, .. } => {
                let fresh = files::NewPrivateFile::create_beside(path)?;
                std::mem::replace(file, fresh).into_written()
            }
        }
    }
}

/// What opening a batch of record files gave: how many were opened, and how many problems
/// there were (each already reported on standard error).
#[derive(Debug)]
pub(crate) struct Batch {
    opened: usize,
    failed: usize,
    total: usize,
    no_match: bool,
}

impl Batch {
    /// How many record files could not be opened.
    pub fn failed(&self) -> usize {
        self.failed
    }

    /// `Ok` when every file was opened; otherwise the error that ends the run, after the export
    /// (or report) of the others was written.
    pub fn outcome(&self, keyring: &Keyring) -> Result<(), Error> {
        if self.failed == 0 {
            return Ok(());
        }
        Err(Error::SomeRecordsFailed {
            failed: self.failed,
            exported: self.opened,
            total: self.total,
            given: keyring
                .recipient_set()
                .filter(|_| self.no_match)
                .map(|set| set.fingerprint()),
        })
    }
}

/// How many opened records may wait, in all, for the one before them to be written: enough to
/// keep every core busy while one record takes longer, few enough to hold little plaintext.
const IN_FLIGHT_PER_THREAD: usize = 16;

/// Opens `files` on every core, and hands each record opened to `each`, in the order of the
/// files, on this thread. Reports each problem (those of `problems`, found while listing, first)
/// on standard error in that order too; on a terminal with many files, with a progress bar.
/// Stops at the first error `each` returns.
pub(crate) fn open_each(
    keyring: &Keyring,
    files: &RecordFiles,
    problems: Vec<Error>,
    mut each: impl FnMut(Opened) -> Result<(), Error>,
) -> Result<Batch, Error> {
    for problem in &problems {
        super::report(problem);
    }
    let progress = progress_bar(files.len());
    let mut batch = Batch {
        opened: 0,
        failed: problems.len(),
        total: files.len(),
        no_match: false,
    };
    let threads = parallel::threads();
    let opened = parallel::in_order(
        &files.files,
        threads,
        threads * IN_FLIGHT_PER_THREAD,
        |file| files.open(keyring, file),
        |result| {
            match result {
                Ok(record) => {
                    batch.opened += 1;
                    each(record)?;
                }
                Err(problem) => {
                    batch.no_match |= matches!(problem, Error::NoMatchingIdentity { .. });
                    progress.suspend(|| super::report(&problem));
                    batch.failed += 1;
                }
            }
            progress.inc(1);
            Ok(())
        },
    );
    progress.finish_and_clear();
    opened.map(|()| batch)
}

/// Prints `message` on standard error as `warning: …`, escaped like every message.
pub(crate) fn warn(message: &str) {
    eprintln!(
        "warning: {}",
        escape::for_terminal(message, LineFeeds::Keep).as_str()
    );
}

/// The record files to open, in order, kept small: a folder of a hundred thousand records is
/// listed in a few megabytes. A file named like a record (`<id>.age`) is kept as its folder and
/// id; a folder's index is checked when it is listed, and read again and kept only for a record
/// that no identity opens.
#[derive(Debug, Default)]
pub(crate) struct RecordFiles {
    folders: Vec<Folder>,
    files: Vec<RecordFile>,
}

/// A folder given (or a vault's `records`), and what its index.tsv says, if it has one.
#[derive(Debug)]
struct Folder {
    path: PathBuf,
    /// Whether the index was there and read well when the folder was listed.
    has_index: bool,
    /// The index, read again and kept only once a record fails: it only names the keys a
    /// record was sealed to, and kept from the start it grew with the records.
    index: OnceLock<Option<SealedTo>>,
}

/// One record file: 24 bytes, whatever its name.
#[derive(Debug)]
enum RecordFile {
    /// `<id>.age` in `folders[folder]`.
    Named { folder: u32, id: RecordId },
    /// Another name in `folders[folder]`.
    InFolder { folder: u32, name: Box<OsStr> },
    /// A file given as an input, by its path as given.
    Given(Box<Path>),
}

/// What an export folder's index.tsv says: the recipient set each record was sealed to, sorted
/// by record id (the first line of an id wins, as in [`ExportIndex::recipients_of`]).
#[derive(Debug, Default)]
struct SealedTo(Vec<(RecordId, RecipientSetFingerprint)>);

impl SealedTo {
    fn of(&self, id: RecordId) -> Option<RecipientSetFingerprint> {
        let first = self.0.partition_point(|(known, _)| *known < id);
        self.0
            .get(first)
            .filter(|(known, _)| *known == id)
            .map(|&(_, set)| set)
    }
}

impl RecordFiles {
    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    fn folder(&self, folder: u32) -> &Folder {
        &self.folders[usize::try_from(folder).expect("a folder index fits in usize")]
    }

    fn path(&self, file: &RecordFile) -> PathBuf {
        match file {
            RecordFile::Named { folder, id } => self.folder(*folder).path.join(format!("{id}.age")),
            RecordFile::InFolder { folder, name } => self.folder(*folder).path.join(&**name),
            RecordFile::Given(path) => path.to_path_buf(),
        }
    }

    /// The recipient set the folder's index says `file` was sealed to.
    fn sealed_to(&self, file: &RecordFile, path: &Path) -> Option<RecipientSetFingerprint> {
        let folder = match file {
            RecordFile::Named { folder, .. } | RecordFile::InFolder { folder, .. } => *folder,
            RecordFile::Given(_) => return None,
        };
        let id = match file {
            RecordFile::Named { id, .. } => *id,
            _ => record_id(path)?,
        };
        let folder = self.folder(folder);
        if !folder.has_index {
            return None;
        }
        folder
            .index
            .get_or_init(|| read_index(&folder.path, &mut Vec::new(), true).ok()?)
            .as_ref()?
            .of(id)
    }

    /// Reads and opens `file`.
    fn open(&self, keyring: &Keyring, file: &RecordFile) -> Result<Opened, Error> {
        let path = self.path(file);
        let bytes = input::read_regular_file(&path, MAX_RECORD_BYTES, "record")?;
        let id = match file {
            RecordFile::Named { id, .. } => Some(*id),
            _ => record_id(&path),
        };
        let label = || match id {
            Some(id) => format!("record {} ({})", id.short(), ShownPath(&path)),
            None => ShownPath(&path).to_string(),
        };
        match keyring.open_record(&bytes) {
            Ok(submission) => Ok(Opened {
                record: match file {
                    RecordFile::Named { id, .. } => id.to_string(),
                    _ => path
                        .file_stem()
                        .map(|stem| stem.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                },
                submission,
            }),
            Err(seal::Error::NoMatchingIdentity) => Err(Error::NoMatchingIdentity {
                label: label(),
                sealed_to: self.sealed_to(file, &path),
            }),
            Err(reason) => Err(Error::Record {
                label: label(),
                reason,
            }),
        }
    }
}

/// A vault's record files, listed.
#[derive(Debug)]
pub(crate) struct VaultFiles {
    /// The vault, for its campaign files.
    pub vault: VaultToRead,
    /// The record files to open: every one in `records/`, by name, except those withdrawn.
    pub files: RecordFiles,
    /// What was found wrong while listing.
    pub problems: Vec<Error>,
    /// How many record files were left unread, as withdrawn.
    pub withdrawn: usize,
}

/// Lists the records of the vault at `root` (`records/<id>.age`, by name) except those its
/// `withdrawn.tsv` lists, which are never read.
pub(crate) fn list_vault(root: &Path) -> Result<VaultFiles, Error> {
    let vault = VaultToRead::open(root)?;
    let folder = root.join(vault::RECORDS);
    match std::fs::symlink_metadata(&folder) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(Error::NotAVault {
                path: root.to_owned(),
            });
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Err(Error::NotAVault {
                path: root.to_owned(),
            });
        }
        Err(err) => return Err(Error::Read { path: folder, err }),
    }
    let mut problems = Vec::new();
    let mut files = RecordFiles::default();
    list_folder(&folder, &mut files, &mut problems)?;
    let listed = files.files.len();
    let withdrawn = |id: Option<RecordId>| id.is_some_and(|id| vault.withdrawn().contains_key(&id));
    files.files.retain(|file| match file {
        RecordFile::Named { id, .. } => !withdrawn(Some(*id)),
        RecordFile::InFolder { name, .. } => !withdrawn(record_id(Path::new(name))),
        RecordFile::Given(path) => !withdrawn(record_id(path)),
    });
    let withdrawn = listed - files.files.len();
    Ok(VaultFiles {
        vault,
        files,
        problems,
        withdrawn,
    })
}

/// The record files the inputs name, in order. Inputs that cannot be listed, and anything that
/// is not a regular file, are added to `problems`; a malformed index.tsv stops everything (it was
/// written by the server's export, so the folder is not what it seems).
fn list_records(inputs: &[PathBuf], problems: &mut Vec<Error>) -> Result<RecordFiles, Error> {
    let mut files = RecordFiles::default();
    for input in inputs {
        // Not `metadata`, which follows a symbolic link: a link is reported, never followed.
        match std::fs::symlink_metadata(input) {
            Err(err) => problems.push(Error::Read {
                path: input.clone(),
                err,
            }),
            Ok(meta) if meta.is_dir() => {
                if list_folder(input, &mut files, problems)? == 0 {
                    problems.push(Error::EmptyFolder {
                        path: input.clone(),
                    });
                }
            }
            Ok(meta) => match FileKind::of(meta.file_type()) {
                None => files.files.push(RecordFile::Given(input.clone().into())),
                Some(kind) => problems.push(Error::NotARegularFile {
                    path: input.clone(),
                    kind,
                }),
            },
        }
    }
    Ok(files)
}

/// Adds the record files (`*.age`) of `folder` to `files`, by name, with the folder's index.
/// Entries named like records that are not regular files are reported in `problems`, by name,
/// and skipped; other names are ignored. Returns how many entries were named like records.
fn list_folder(
    folder: &Path,
    files: &mut RecordFiles,
    problems: &mut Vec<Error>,
) -> Result<usize, Error> {
    let unreadable = |err| Error::Read {
        path: folder.to_owned(),
        err,
    };
    let at = u32::try_from(files.folders.len()).map_err(|_| {
        unreadable(io::Error::new(
            io::ErrorKind::InvalidInput,
            "too many folders",
        ))
    })?;
    let mut names = Vec::new();
    let mut skipped = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name();
        if !name.to_string_lossy().ends_with(".age") {
            continue;
        }
        // `DirEntry::file_type` does not follow a symbolic link.
        match FileKind::of(entry.file_type().map_err(unreadable)?) {
            None => names.push(match named_like_a_record(&name) {
                Some(id) => RecordFile::Named { folder: at, id },
                None => RecordFile::InFolder {
                    folder: at,
                    name: name.into_boxed_os_str(),
                },
            }),
            Some(kind) => skipped.push((name, kind)),
        }
    }
    let named_like_records = names.len() + skipped.len();
    // By name, as bytes: `<id>.age` names sort by their id's hex digits. Names in a folder are
    // unique, so an unstable sort (which needs no memory of its own) gives the one order.
    names.sort_unstable_by(|a, b| file_name(a, &mut [0; 36]).cmp(file_name(b, &mut [0; 36])));
    skipped.sort_by(|(a, _), (b, _)| a.cmp(b));
    problems.extend(
        skipped
            .into_iter()
            .map(|(name, kind)| Error::NotARegularFile {
                path: folder.join(name),
                kind,
            }),
    );
    let has_index = read_index(folder, problems, false)?.is_some();
    files.folders.push(Folder {
        path: folder.to_owned(),
        has_index,
        index: OnceLock::new(),
    });
    if files.files.is_empty() {
        files.files = names;
    } else {
        files.files.extend(names);
    }
    Ok(named_like_records)
}

/// The id of a file named exactly `<id>.age` (as the id prints: 32 lowercase hex digits).
fn named_like_a_record(name: &OsStr) -> Option<RecordId> {
    let id: RecordId = name.to_str()?.strip_suffix(".age")?.parse().ok()?;
    (name.to_str()? == format!("{id}.age")).then_some(id)
}

/// The name of a file in a folder, as bytes; `<id>.age` is written into `buf`.
fn file_name<'b>(file: &'b RecordFile, buf: &'b mut [u8; 36]) -> &'b [u8] {
    use std::os::unix::ffi::OsStrExt;
    match file {
        RecordFile::Named { id, .. } => {
            hex::encode_to_slice(id.to_bytes(), &mut buf[..32]).expect("32 hex digits");
            buf[32..].copy_from_slice(b".age");
            &buf[..]
        }
        RecordFile::InFolder { name, .. } => name.as_bytes(),
        RecordFile::Given(path) => path.as_os_str().as_bytes(),
    }
}

/// What the index of `folder` says, if it has one. An index that cannot be read (not a regular
/// file, too large, unreadable) is reported in `problems`, and the records are opened without it:
/// it only names the keys each record was sealed to. A malformed index is an error.
///
/// Read a line at a time (each checked by [`ExportIndex::parse`], as the server's export writes
/// them), and, with `keep`, kept as 24 bytes a record; problems are reported as if it had been
/// read whole first: too large, then not UTF-8, then the first line that is not an index line.
fn read_index(
    folder: &Path,
    problems: &mut Vec<Error>,
    keep: bool,
) -> Result<Option<SealedTo>, Error> {
    let path = folder.join(EXPORT_INDEX_FILE);
    let file = match input::open_regular_file(&path, MAX_INDEX_BYTES, "export index") {
        Ok((file, _)) => file,
        Err(Error::Read { err, .. }) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(problem) => {
            problems.push(problem);
            return Ok(None);
        }
    };
    // One byte past the limit shows a file that grew past it since it was checked.
    let mut reader = io::BufReader::new(io::Read::take(file, MAX_INDEX_BYTES + 1));
    let mut line = Vec::new();
    let (mut number, mut read) = (0, 0u64);
    let (mut not_utf8, mut invalid) = (false, None);
    let mut sealed_to = Vec::new();
    loop {
        line.clear();
        let n = match io::BufRead::read_until(&mut reader, b'\n', &mut line) {
            Ok(n) => n,
            Err(err) => {
                problems.push(Error::Read { path, err });
                return Ok(None);
            }
        };
        if n == 0 {
            break;
        }
        read += u64::try_from(n).unwrap_or(u64::MAX);
        number += 1;
        let Ok(text) = std::str::from_utf8(&line) else {
            not_utf8 = true;
            continue;
        };
        if not_utf8 || invalid.is_some() {
            continue;
        }
        match ExportIndex::parse(text) {
            Err(seal::Error::InvalidIndexLine { .. }) => {
                invalid = Some(seal::Error::InvalidIndexLine { line: number });
            }
            Err(reason) => invalid = Some(reason),
            Ok(_) if !keep => {}
            Ok(one) => {
                let id = text.split_once('\t').and_then(|(id, _)| id.parse().ok());
                if let Some((id, set)) = id.and_then(|id| Some((id, one.recipients_of(id)?))) {
                    sealed_to.push((id, set));
                }
            }
        }
    }
    if read > MAX_INDEX_BYTES {
        problems.push(Error::TooLarge {
            path,
            what: "export index",
            limit: MAX_INDEX_BYTES,
        });
        return Ok(None);
    }
    if not_utf8 {
        return Err(Error::Read {
            path,
            err: io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"),
        });
    }
    if let Some(reason) = invalid {
        return Err(Error::InvalidIndex { path, reason });
    }
    // Stable: of two lines for one id, the first stays first.
    sealed_to.sort_by_key(|(id, _)| *id);
    sealed_to.shrink_to_fit();
    Ok(Some(SealedTo(sealed_to)))
}

/// The record id a file is named after (`<id>.age`), if it is.
fn record_id(path: &Path) -> Option<RecordId> {
    path.file_stem()?.to_str()?.parse().ok()
}

/// A progress bar on standard error, only on a terminal and for more than a handful of records.
fn progress_bar(records: usize) -> ProgressBar {
    if records > PROGRESS_AFTER && io::stderr().is_terminal() {
        ProgressBar::with_draw_target(
            Some(u64::try_from(records).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr(),
        )
    } else {
        ProgressBar::hidden()
    }
}
