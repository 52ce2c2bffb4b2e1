use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget};
use seal::{EXPORT_INDEX_FILE, ExportIndex, RecipientSetFingerprint, RecordId};

use crate::Error;
use crate::escape::{self, LineFeeds, ShownPath};
use crate::export::{self, Format, Opened, Output};
use crate::files;
use crate::identity::Keyring;
use crate::input::{self, FileKind, MAX_INDEX_BYTES, MAX_RECORD_BYTES};
use crate::passphrase::{PassphraseArgs, Passphrases};
use crate::vault::{self, Vault};
use crate::vault_read::{self, CampaignFiles};

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

/// A record file to open, and the recipient set its folder's index says it was sealed to.
struct RecordFile {
    path: PathBuf,
    sealed_to: Option<RecipientSetFingerprint>,
}

impl Decrypt {
    /// Opens every record it can, writes the export, and fails at the end if any record failed.
    pub fn run(self) -> Result<(), Error> {
        if let Some(out) = &self.out
            && std::fs::symlink_metadata(out).is_ok()
        {
            return Err(Error::OutputExists { path: out.clone() });
        }
        let keyring = load_keyring(&self.identities, &self.passphrase)?;

        let (batch, vault) = match &self.vault {
            Some(root) => {
                let opened = open_vault(&keyring, root)?;
                (opened.batch, Some(opened.vault))
            }
            None => {
                let mut problems: Vec<Error> = Vec::new();
                let files = list_records(&self.inputs, &mut problems)?;
                (open_all(&keyring, &files, problems), None)
            }
        };
        let opened = &batch.opened;
        let campaigns = match &vault {
            Some(vault) => CampaignFiles::load(vault, opened),
            None => CampaignFiles::default(),
        };
        let words = match &vault {
            Some(vault) => {
                let wording =
                    vault_read::wording(vault.root(), opened, &campaigns, self.lang.as_deref());
                for warning in &wording.warnings {
                    warn(warning);
                }
                wording.words
            }
            None => Vec::new(),
        };

        // A terminal acts on control characters in answers; a file or a pipe gets them exactly.
        let output = if self.out.is_none() && io::stdout().is_terminal() {
            Output::Terminal
        } else {
            Output::FileOrPipe
        };
        let export = export::export_worded(self.format, opened, &words, output)
            .map_err(|err| Error::Export { err })?;
        match &self.out {
            Some(out) => files::write_new_private_atomically(out, export.expose()).map_err(
                |err| match err.kind() {
                    io::ErrorKind::AlreadyExists => Error::OutputExists { path: out.clone() },
                    _ => Error::Write {
                        path: out.clone(),
                        err,
                    },
                },
            )?,
            None => super::print_stdout(export.expose())?,
        }
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

/// What opening a batch of record files gave: the records opened, and every problem (each
/// already reported on standard error).
#[derive(Debug)]
pub(crate) struct Batch {
    /// The records opened, in the order of their files.
    pub opened: Vec<Opened>,
    problems: Vec<Error>,
    total: usize,
    no_match: bool,
}

impl Batch {
    /// How many record files could not be opened.
    pub fn failed(&self) -> usize {
        self.problems.len()
    }

    /// `Ok` when every file was opened; otherwise the error that ends the run, after the export
    /// (or report) of the others was written.
    pub fn outcome(&self, keyring: &Keyring) -> Result<(), Error> {
        if self.problems.is_empty() {
            return Ok(());
        }
        Err(Error::SomeRecordsFailed {
            failed: self.problems.len(),
            exported: self.opened.len(),
            total: self.total,
            given: keyring
                .recipient_set()
                .filter(|_| self.no_match)
                .map(|set| set.fingerprint()),
        })
    }
}

/// A vault's records, opened.
#[derive(Debug)]
pub(crate) struct OpenedVault {
    /// The vault, for its campaign files.
    pub vault: Vault,
    /// The records opened, and the problems met.
    pub batch: Batch,
    /// How many record files were left unread, as withdrawn.
    pub withdrawn: usize,
}

/// Opens every record of the vault at `root` (`records/<id>.age`, by name) except those its
/// `withdrawn.tsv` lists, which are never read.
pub(crate) fn open_vault(keyring: &Keyring, root: &Path) -> Result<OpenedVault, Error> {
    let vault = Vault::open(root)?;
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
    let mut files = Vec::new();
    list_folder(&folder, &mut files, &mut problems)?;
    let listed = files.len();
    files
        .retain(|file| record_id(&file.path).is_none_or(|id| !vault.withdrawn().contains_key(&id)));
    let withdrawn = listed - files.len();
    Ok(OpenedVault {
        batch: open_all(keyring, &files, problems),
        vault,
        withdrawn,
    })
}

/// Opens `files`, reporting each problem (those of `problems`, found while listing, first) on
/// standard error as it goes; on a terminal with many files, with a progress bar.
fn open_all(keyring: &Keyring, files: &[RecordFile], mut problems: Vec<Error>) -> Batch {
    for problem in &problems {
        super::report(problem);
    }
    let progress = progress_bar(files.len());
    let mut opened = Vec::with_capacity(files.len());
    let mut no_match = false;
    for file in files {
        match open_file(keyring, file) {
            Ok(record) => opened.push(record),
            Err(problem) => {
                no_match |= matches!(problem, Error::NoMatchingIdentity { .. });
                progress.suspend(|| super::report(&problem));
                problems.push(problem);
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    Batch {
        opened,
        problems,
        total: files.len(),
        no_match,
    }
}

/// Prints `message` on standard error as `warning: …`, escaped like every message.
pub(crate) fn warn(message: &str) {
    eprintln!(
        "warning: {}",
        escape::for_terminal(message, LineFeeds::Keep).as_str()
    );
}

/// The record files the inputs name, in order. Inputs that cannot be listed, and anything that
/// is not a regular file, are added to `problems`; a malformed index.tsv stops everything (it was
/// written by the server's export, so the folder is not what it seems).
fn list_records(inputs: &[PathBuf], problems: &mut Vec<Error>) -> Result<Vec<RecordFile>, Error> {
    let mut files = Vec::new();
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
                None => files.push(RecordFile {
                    path: input.clone(),
                    sealed_to: None,
                }),
                Some(kind) => problems.push(Error::NotARegularFile {
                    path: input.clone(),
                    kind,
                }),
            },
        }
    }
    Ok(files)
}

/// Adds the record files (`*.age`) of `folder` to `files`, by name, each with the recipient set
/// the folder's index says it was sealed to. Entries named like records that are not regular
/// files are reported in `problems`, by name, and skipped; other names are ignored. Returns how
/// many entries were named like records.
fn list_folder(
    folder: &Path,
    files: &mut Vec<RecordFile>,
    problems: &mut Vec<Error>,
) -> Result<usize, Error> {
    let unreadable = |err| Error::Read {
        path: folder.to_owned(),
        err,
    };
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
            None => names.push(name),
            Some(kind) => skipped.push((name, kind)),
        }
    }
    let named_like_records = names.len() + skipped.len();
    names.sort();
    skipped.sort_by(|(a, _), (b, _)| a.cmp(b));
    problems.extend(
        skipped
            .into_iter()
            .map(|(name, kind)| Error::NotARegularFile {
                path: folder.join(name),
                kind,
            }),
    );

    let index = read_index(folder, problems)?;
    files.extend(names.into_iter().map(|name| {
        let path = folder.join(name);
        let sealed_to = index
            .as_ref()
            .zip(record_id(&path))
            .and_then(|(index, id)| index.recipients_of(id));
        RecordFile { path, sealed_to }
    }));
    Ok(named_like_records)
}

/// The index of `folder`, if it has one. An index that cannot be read (not a regular file, too
/// large, unreadable) is reported in `problems`, and the records are opened without it: it only
/// names the keys each record was sealed to. A malformed index is an error.
fn read_index(folder: &Path, problems: &mut Vec<Error>) -> Result<Option<ExportIndex>, Error> {
    let path = folder.join(EXPORT_INDEX_FILE);
    let bytes = match input::read_regular_file(&path, MAX_INDEX_BYTES, "export index") {
        Ok(bytes) => bytes,
        Err(Error::Read { err, .. }) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(problem) => {
            problems.push(problem);
            return Ok(None);
        }
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| Error::Read {
        path: path.clone(),
        err: io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"),
    })?;
    ExportIndex::parse(text)
        .map(Some)
        .map_err(|reason| Error::InvalidIndex { path, reason })
}

/// The record id a file is named after (`<id>.age`), if it is.
fn record_id(path: &Path) -> Option<RecordId> {
    path.file_stem()?.to_str()?.parse().ok()
}

fn open_file(keyring: &Keyring, file: &RecordFile) -> Result<Opened, Error> {
    let bytes = input::read_regular_file(&file.path, MAX_RECORD_BYTES, "record")?;
    let label = match record_id(&file.path) {
        Some(id) => format!("record {} ({})", id.short(), ShownPath(&file.path)),
        None => ShownPath(&file.path).to_string(),
    };
    match keyring.open_record(&bytes) {
        Ok(submission) => Ok(Opened {
            record: file
                .path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default(),
            submission,
        }),
        Err(seal::Error::NoMatchingIdentity) => Err(Error::NoMatchingIdentity {
            label,
            sealed_to: file.sealed_to,
        }),
        Err(reason) => Err(Error::Record { label, reason }),
    }
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
