use std::cmp::Ordering;
use std::collections::{BTreeSet, BinaryHeap};
use std::ffi::{OsStr, OsString};
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
use crate::input::{self, FileKind, IndexLine, MAX_RECORD_BYTES};
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
        // Counted as files are opened: a folder read again for each share may have changed
        // since it was counted.
        total: 0,
        no_match: false,
    };
    let threads = parallel::threads();
    let opened = files.each_share(NAMES_AT_ONCE, |share| {
        parallel::in_order(
            share,
            threads,
            threads * IN_FLIGHT_PER_THREAD,
            |file| files.open(keyring, file),
            |result| {
                batch.total += 1;
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
        )
    });
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

/// How many file names of one folder are held at once. A folder with more is read again for
/// each next share of its names, in order, so that listing a million records takes no more
/// memory than listing this many (24 bytes each, 1.5 MiB). Each read of a folder takes about
/// 0.4 µs a file in it, where opening a record takes about 50: a folder of 100 000 records is
/// read three times (once to count), 2 % more time; one of a million would be read 17 times,
/// about 10 % by the same figures.
const NAMES_AT_ONCE: usize = 65_536;

/// The record files to open, in order: files given one by one, and each folder's files by name,
/// listed [`NAMES_AT_ONCE`] at a time. A file named like a record (`<id>.age`) is kept as its
/// folder and id; a folder's index is checked when it is listed, and read again and kept only
/// for a record that no identity opens.
#[derive(Debug, Default)]
pub(crate) struct RecordFiles {
    folders: Vec<Folder>,
    inputs: Vec<Input>,
    /// Records never read, even where a folder has their files: a vault's withdrawn ones.
    left_out: BTreeSet<RecordId>,
    /// How many files there were to open when they were counted.
    count: usize,
}

/// What to open next.
#[derive(Debug)]
enum Input {
    /// Files given one by one, in the order given.
    Files(Vec<RecordFile>),
    /// The record files in `folders[folder]`, by name.
    Folder(u32),
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

impl RecordFile {
    /// The file called `name` in `folders[folder]`.
    fn in_folder(folder: u32, name: OsString) -> Self {
        match named_like_a_record(&name) {
            Some(id) => Self::Named { folder, id },
            None => Self::InFolder {
                folder,
                name: name.into_boxed_os_str(),
            },
        }
    }

    /// The record id the file is named after, if it is.
    fn id(&self) -> Option<RecordId> {
        match self {
            Self::Named { id, .. } => Some(*id),
            Self::InFolder { name, .. } => record_id(Path::new(name)),
            Self::Given(path) => record_id(path),
        }
    }
}

/// Two record files in the order of their names, as bytes.
fn by_name(a: &RecordFile, b: &RecordFile) -> Ordering {
    match (a, b) {
        // Lowercase hex digits sort as the bytes they spell.
        (RecordFile::Named { id: a, .. }, RecordFile::Named { id: b, .. }) => a.cmp(b),
        _ => file_name(a, &mut [0; 36]).cmp(file_name(b, &mut [0; 36])),
    }
}

/// A record file ordered by its name, for the heap that keeps a folder's next share of names.
#[derive(Debug)]
struct ByName(RecordFile);

impl Ord for ByName {
    fn cmp(&self, other: &Self) -> Ordering {
        by_name(&self.0, &other.0)
    }
}

impl PartialOrd for ByName {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ByName {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ByName {}

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
    /// How many files there were to open when they were listed.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether `file` is one never to be read.
    fn is_left_out(&self, file: &RecordFile) -> bool {
        !self.left_out.is_empty() && file.id().is_some_and(|id| self.left_out.contains(&id))
    }

    /// Hands every file to `each`, in order, a share at a time: the files given one by one as
    /// they were given, and each folder's files by name, at most `at_once` at a time.
    fn each_share(
        &self,
        at_once: usize,
        mut each: impl FnMut(&[RecordFile]) -> Result<(), Error>,
    ) -> Result<(), Error> {
        for input in &self.inputs {
            match input {
                Input::Files(files) => each(files)?,
                Input::Folder(folder) => {
                    let mut after = None;
                    loop {
                        let share = self.names_after(*folder, after.as_ref(), at_once)?;
                        if share.is_empty() {
                            break;
                        }
                        each(&share)?;
                        if share.len() < at_once {
                            break;
                        }
                        after = share.into_iter().next_back();
                    }
                }
            }
        }
        Ok(())
    }

    /// The first `at_once` record files of `folders[folder]`, by name, after `after`; reads the
    /// whole folder and keeps no more than that many names. Files that are not regular files were
    /// reported when the folder was listed, and are skipped.
    fn names_after(
        &self,
        folder: u32,
        after: Option<&RecordFile>,
        at_once: usize,
    ) -> Result<Vec<RecordFile>, Error> {
        // Its whole size at once (no more than the files counted), so that every share of a
        // large folder takes one allocation of the same size, which the next one reuses.
        let mut first = BinaryHeap::<ByName>::with_capacity(at_once.min(self.count));
        each_named_like_a_record(&self.folder(folder).path, |name, kind| {
            if kind.is_some() {
                return;
            }
            let file = RecordFile::in_folder(folder, name);
            if after.is_some_and(|after| by_name(&file, after).is_le()) || self.is_left_out(&file) {
                return;
            }
            if first.len() == at_once {
                match first.peek_mut() {
                    Some(mut last) if by_name(&file, &last.0).is_lt() => *last = ByName(file),
                    _ => {}
                }
            } else {
                first.push(ByName(file));
            }
        })?;
        Ok(first
            .into_sorted_vec()
            .into_iter()
            .map(|ByName(file)| file)
            .collect())
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
    fn sealed_to(&self, file: &RecordFile) -> Option<RecipientSetFingerprint> {
        let folder = match file {
            RecordFile::Named { folder, .. } | RecordFile::InFolder { folder, .. } => *folder,
            RecordFile::Given(_) => return None,
        };
        let id = file.id()?;
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
        let id = file.id();
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
                sealed_to: self.sealed_to(file),
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
    let mut files = RecordFiles {
        left_out: vault.withdrawn().keys().copied().collect(),
        ..RecordFiles::default()
    };
    let listed = list_folder(&folder, &mut files, &mut problems)?;
    Ok(VaultFiles {
        vault,
        files,
        problems,
        withdrawn: listed.left_out,
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
                if list_folder(input, &mut files, problems)?.named_like_records == 0 {
                    problems.push(Error::EmptyFolder {
                        path: input.clone(),
                    });
                }
            }
            Ok(meta) => match FileKind::of(meta.file_type()) {
                None => {
                    let file = RecordFile::Given(input.clone().into());
                    match files.inputs.last_mut() {
                        Some(Input::Files(given)) => given.push(file),
                        _ => files.inputs.push(Input::Files(vec![file])),
                    }
                    files.count += 1;
                }
                Some(kind) => problems.push(Error::NotARegularFile {
                    path: input.clone(),
                    kind,
                }),
            },
        }
    }
    Ok(files)
}

/// What listing a folder found.
#[derive(Debug)]
struct Listed {
    /// Entries named like records (`*.age`), whatever they are.
    named_like_records: usize,
    /// Record files left out ([`RecordFiles::left_out`]).
    left_out: usize,
}

/// Adds the record files (`*.age`) of `folder` to `files`, to be read by name, with the folder's
/// index; counts them, and checks the index. Entries named like records that are not regular
/// files are reported in `problems`, by name, and skipped; other names are ignored.
fn list_folder(
    folder: &Path,
    files: &mut RecordFiles,
    problems: &mut Vec<Error>,
) -> Result<Listed, Error> {
    let at = u32::try_from(files.folders.len()).map_err(|_| Error::Read {
        path: folder.to_owned(),
        err: io::Error::new(io::ErrorKind::InvalidInput, "too many folders"),
    })?;
    let mut listed = Listed {
        named_like_records: 0,
        left_out: 0,
    };
    let mut to_open = 0;
    let mut skipped = Vec::new();
    each_named_like_a_record(folder, |name, kind| {
        listed.named_like_records += 1;
        match kind {
            Some(kind) => skipped.push((name, kind)),
            None if files.is_left_out(&RecordFile::in_folder(at, name)) => listed.left_out += 1,
            None => to_open += 1,
        }
    })?;
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
    files.inputs.push(Input::Folder(at));
    files.count += to_open;
    Ok(listed)
}

/// Calls `each` with the name of every entry of `folder` named `*.age`, and what kind of thing
/// it is when it is not a regular file (a symbolic link is not followed).
fn each_named_like_a_record(
    folder: &Path,
    mut each: impl FnMut(OsString, Option<FileKind>),
) -> Result<(), Error> {
    let unreadable = |err| Error::Read {
        path: folder.to_owned(),
        err,
    };
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name();
        if !name.as_encoded_bytes().ends_with(b".age") {
            continue;
        }
        // `DirEntry::file_type` does not follow a symbolic link.
        each(name, FileKind::of(entry.file_type().map_err(unreadable)?));
    }
    Ok(())
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
/// file, unreadable) is reported in `problems`, and the records are opened without it: it only
/// names the keys each record was sealed to. A malformed index is an error.
///
/// Read a line at a time (each checked by [`ExportIndex::parse`], as the server's export writes
/// them), and, with `keep`, kept as 24 bytes a record; problems are reported as if it had been
/// read whole first: not UTF-8, then the first line that is not an index line (a line too long
/// to be one among them).
fn read_index(
    folder: &Path,
    problems: &mut Vec<Error>,
    keep: bool,
) -> Result<Option<SealedTo>, Error> {
    let path = folder.join(EXPORT_INDEX_FILE);
    let file = match input::open_regular_file(&path, u64::MAX, "export index") {
        Ok((file, _)) => file,
        Err(Error::Read { err, .. }) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(problem) => {
            problems.push(problem);
            return Ok(None);
        }
    };
    let mut reader = io::BufReader::new(file);
    let mut line = Vec::new();
    let mut number = 0;
    let (mut not_utf8, mut invalid) = (false, None);
    let mut sealed_to = Vec::new();
    loop {
        let read = match input::next_index_line(&mut reader, &mut line) {
            Ok(read) => read,
            Err(err) => {
                problems.push(Error::Read { path, err });
                return Ok(None);
            }
        };
        number += 1;
        match read {
            IndexLine::End => break,
            IndexLine::TooLong => {
                if invalid.is_none() {
                    invalid = Some(seal::Error::InvalidIndexLine { line: number });
                }
                continue;
            }
            IndexLine::Read => {}
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The names `each_share` hands out, a share at a time.
    fn shares(files: &RecordFiles, at_once: usize) -> Vec<Vec<String>> {
        let mut shares = Vec::new();
        files
            .each_share(at_once, |share| {
                shares.push(
                    share
                        .iter()
                        .map(|file| {
                            let name = files.path(file);
                            name.file_name().unwrap().to_string_lossy().into_owned()
                        })
                        .collect(),
                );
                Ok(())
            })
            .unwrap();
        shares
    }

    /// A folder with `records` files named like records, a few other `*.age` names that sort
    /// before, between and after them, and entries that are not to be read.
    fn folder_of_records(records: usize) -> (tempfile::TempDir, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let mut names: Vec<String> = (0..records)
            .map(|_| format!("{}.age", RecordId::random()))
            .collect();
        names.extend(["0.age", "7zz.age", "zz.age", "A.age", "-.age"].map(String::from));
        for name in &names {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        std::fs::create_dir(dir.path().join("sub.age")).unwrap();
        std::os::unix::fs::symlink(
            &names[0],
            dir.path().join(format!("{}.age", RecordId::random())),
        )
        .unwrap();
        names.sort();
        (dir, names)
    }

    #[test]
    fn a_folder_is_handed_out_by_name_a_share_at_a_time() {
        let (dir, names) = folder_of_records(40);
        let mut problems = Vec::new();
        let files = list_records(&[dir.path().to_owned()], &mut problems).unwrap();
        assert_eq!(files.len(), names.len());
        // The folder and the link, reported once, when it was listed.
        assert_eq!(problems.len(), 2, "{problems:?}");

        for at_once in [1, 3, 5, 9, names.len(), 1000] {
            let shares = shares(&files, at_once);
            assert!(shares.iter().all(|share| share.len() <= at_once));
            assert_eq!(
                shares.len(),
                names.len().div_ceil(at_once),
                "{at_once} at once"
            );
            assert_eq!(shares.concat(), names, "{at_once} at once");
        }
    }

    #[test]
    fn given_files_keep_their_order_between_folders() {
        let (first, first_names) = folder_of_records(4);
        let (second, second_names) = folder_of_records(4);
        let given = ["b.age", "a.age"].map(|name| {
            let path = first.path().join("given").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, b"x").unwrap();
            path
        });
        let inputs = [
            given[0].clone(),
            given[1].clone(),
            second.path().to_owned(),
            first.path().to_owned(),
            given[0].clone(),
        ];
        let files = list_records(&inputs, &mut Vec::new()).unwrap();
        let expected: Vec<String> = ["b.age", "a.age"]
            .into_iter()
            .map(String::from)
            .chain(second_names)
            .chain(first_names)
            .chain(["b.age".to_owned()])
            .collect();
        assert_eq!(files.len(), expected.len());
        assert_eq!(shares(&files, 2).concat(), expected);
    }

    #[test]
    fn the_total_is_what_was_opened_when_a_folder_changes_after_it_was_counted() {
        let (dir, names) = folder_of_records(3);
        let files = list_records(&[dir.path().to_owned()], &mut Vec::new()).unwrap();
        assert_eq!(files.len(), names.len());
        std::fs::remove_file(dir.path().join(&names[0])).unwrap();
        for _ in 0..3 {
            std::fs::write(dir.path().join(format!("{}.age", RecordId::random())), b"x").unwrap();
        }
        // No identity opens these files: every one fails, and is counted.
        let batch = open_each(&Keyring::new(), &files, Vec::new(), |_| Ok(())).unwrap();
        assert_eq!((batch.opened, batch.failed), (0, names.len() + 2));
        assert_eq!(batch.total, names.len() + 2);
    }

    #[test]
    fn records_left_out_are_neither_counted_nor_handed_out() {
        let (dir, names) = folder_of_records(12);
        let left_out: BTreeSet<RecordId> = names
            .iter()
            .filter_map(|name| record_id(Path::new(name)))
            .step_by(3)
            .collect();
        assert_eq!(left_out.len(), 4);
        let mut files = RecordFiles {
            left_out: left_out.clone(),
            ..RecordFiles::default()
        };
        let listed = list_folder(dir.path(), &mut files, &mut Vec::new()).unwrap();
        assert_eq!(listed.left_out, 4);
        let kept: Vec<String> = names
            .into_iter()
            .filter(|name| !record_id(Path::new(name)).is_some_and(|id| left_out.contains(&id)))
            .collect();
        assert_eq!(files.len(), kept.len());
        for at_once in [2, 4, 100] {
            assert_eq!(shares(&files, at_once).concat(), kept, "{at_once} at once");
        }
    }
}
