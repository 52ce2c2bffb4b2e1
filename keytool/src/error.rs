//! The key tool's one error type. Each message says what went wrong, in lowercase, and on the
//! following line what to do about it. No variant carries submission content or key material.
//!
//! File names come from outside (an export folder holds whatever names its maker chose), so every
//! message shows them through [`ShownPath`]: control, bidirectional and invisible characters
//! escaped, line feeds too. Whole messages are escaped once more where they are printed.

use std::io;
use std::path::{Path, PathBuf};

use seal::RecipientSetFingerprint;

use crate::escape::ShownPath;
use crate::input::FileKind;

/// Everything that can go wrong in the key tool.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `keygen --out` names a file that already exists.
    #[error(
        "{} already exists\nthe key tool never overwrites a file: choose another --out path, or move the old file away first",
        shown(.path)
    )]
    IdentityExists {
        /// The file that is in the way.
        path: PathBuf,
    },

    /// `decrypt --out` names a file that already exists.
    #[error(
        "{} already exists\nthe key tool never overwrites an export: choose another --out path, or delete the old export first",
        shown(.path)
    )]
    OutputExists {
        /// The file that is in the way.
        path: PathBuf,
    },

    /// A file could not be written.
    #[error("could not write {}: {}", shown(.path), io_reason(.err))]
    Write {
        /// The file being written.
        path: PathBuf,
        /// Why the system refused.
        err: io::Error,
    },

    /// Writing to standard output failed (for example, the reading end of a pipe closed).
    #[error("could not write to standard output: {}", io_reason(.err))]
    Stdout {
        /// Why the system refused.
        err: io::Error,
    },

    /// A file or folder could not be read.
    #[error("could not read {}: {}", shown(.path), io_reason(.err))]
    Read {
        /// The file or folder being read.
        path: PathBuf,
        /// Why the system refused.
        err: io::Error,
    },

    /// An identity file holds something that is not an age identity.
    #[error(
        "{} is not an age identity file: {reason}\nan identity file holds AGE-SECRET-KEY-1… lines, as written by `sealform-keytool keygen` or age-keygen",
        shown(.path)
    )]
    NotAnIdentityFile {
        /// The identity file.
        path: PathBuf,
        /// Where it went wrong, without quoting the file.
        reason: String,
    },

    /// An identity file holds a public key instead of a secret one.
    #[error(
        "{} holds a public key (age1…), not an identity\npass the identity file with the AGE-SECRET-KEY-1… line; the public key is what the server seals to",
        shown(.path)
    )]
    PublicKeyGiven {
        /// The file given as an identity.
        path: PathBuf,
    },

    /// An identity file holds an age plugin identity, which the key tool does not run.
    #[error(
        "{} holds an age plugin identity (AGE-PLUGIN-…)\nthe key tool only uses native X25519 identities (AGE-SECRET-KEY-1…): records are sealed to those",
        shown(.path)
    )]
    PluginIdentity {
        /// The identity file.
        path: PathBuf,
    },

    /// An identity file holds an SSH key, which sealform never seals to.
    #[error(
        "{} holds an SSH key\nsealform seals records to age X25519 keys only: pass the identity made by `sealform-keytool keygen`",
        shown(.path)
    )]
    SshIdentity {
        /// The identity file.
        path: PathBuf,
    },

    /// An identity file parses but holds no identity at all.
    #[error(
        "{} holds no identity\nan identity file has an AGE-SECRET-KEY-1… line; make one with `sealform-keytool keygen`",
        shown(.path)
    )]
    NoIdentities {
        /// The identity file.
        path: PathBuf,
    },

    /// An age-encrypted identity file is encrypted to keys rather than to a passphrase.
    #[error(
        "{} is encrypted to a key, not to a passphrase\ndecrypt it first with the key it was encrypted to, and pass the result",
        shown(.path)
    )]
    NotPassphraseProtected {
        /// The identity file.
        path: PathBuf,
    },

    /// The passphrase given for a protected identity file is not the one it was made with.
    #[error(
        "the passphrase does not open {}\ncheck the passphrase (and the keyboard layout) and try again",
        shown(.path)
    )]
    WrongPassphrase {
        /// The protected identity file.
        path: PathBuf,
    },

    /// A passphrase-protected identity file is damaged, or needs more work than allowed.
    #[error(
        "could not unlock {}: {reason}\nrestore the identity file from your backup",
        shown(.path)
    )]
    IdentityFileDamaged {
        /// The protected identity file.
        path: PathBuf,
        /// What the age layer reported.
        reason: String,
    },

    /// A protected identity file needs a passphrase, but there is no terminal to ask on.
    #[error(
        "{} is protected by a passphrase, and standard input is not a terminal to ask for it\npass it with --passphrase-fd N (a file descriptor to read it from) or --passphrase-env VAR (the name of an environment variable holding it)",
        shown(.path)
    )]
    NoPassphraseSource {
        /// The protected identity file.
        path: PathBuf,
    },

    /// `keygen` must protect the new identity, but there is no terminal to ask for a passphrase.
    #[error(
        "standard input is not a terminal to ask for the new identity's passphrase\npass it with --passphrase-fd N or --passphrase-env VAR, or use --no-passphrase for an unprotected identity (risky: see --help)"
    )]
    NoNewPassphraseSource,

    /// The terminal prompt for a passphrase failed.
    #[error("could not read the passphrase from the terminal: {}", io_reason(.err))]
    Prompt {
        /// Why the terminal could not be used.
        err: io::Error,
    },

    /// The passphrase is empty.
    #[error(
        "the passphrase is empty\nan identity file protects every testimony: choose a long passphrase"
    )]
    EmptyPassphrase,

    /// A new identity's passphrase scores below `passphrase::MIN_STRENGTH` with zxcvbn.
    #[error(
        "the passphrase is too easy to guess (strength {score} of 4, at least 3 needed){}\nanyone who copies the identity file can try passphrases on it offline, without limit: run keygen again with --generate-passphrase for six random words to write down, or choose a longer passphrase of several unrelated words",
        if .feedback.is_empty() { String::new() } else { format!(": {}", .feedback) }
    )]
    WeakPassphrase {
        /// zxcvbn's score, 0 to 4.
        score: u8,
        /// zxcvbn's warning and suggestions, lowercase, joined by `; ` (never the passphrase).
        feedback: String,
    },

    /// The passphrase and its confirmation differ.
    #[error("the two passphrases differ\nnothing was written: run the command again")]
    PassphraseMismatch,

    /// The environment variable named by `--passphrase-env` is missing or not text.
    #[error(
        "the environment variable {var} is {problem}\n--passphrase-env takes the name of a variable that holds the passphrase, not the passphrase itself"
    )]
    PassphraseEnv {
        /// The variable's name.
        var: String,
        /// `not set` or `not valid UTF-8`.
        problem: &'static str,
    },

    /// The file descriptor named by `--passphrase-fd` could not be read, or held no usable line.
    #[error(
        "could not read a passphrase from file descriptor {fd}: {reason}\nwrite the passphrase, then a newline, to that descriptor"
    )]
    PassphraseFd {
        /// The file descriptor.
        fd: u32,
        /// What went wrong.
        reason: String,
    },

    /// The age library refused to encrypt the new identity.
    #[error("could not encrypt the new identity: {reason}")]
    Encrypt {
        /// What the age library reported.
        reason: String,
    },

    /// An export folder's index is malformed.
    #[error(
        "{} is not a valid export index: {reason}\nexport the records from the server again, or remove the index to go on without it",
        shown(.path)
    )]
    InvalidIndex {
        /// The `index.tsv` file.
        path: PathBuf,
        /// Which line is wrong.
        reason: seal::Error,
    },

    /// An input of `decrypt`, or an entry of an input folder named like a record or the index, is
    /// not a regular file. It is skipped unopened: a link can lead outside the folder (or to
    /// `/dev/zero`), a FIFO blocks whoever reads it, and none of them is a record.
    #[error("skipped {}: it is {kind}, not a regular file\n{}", shown(.path), .kind.fix())]
    NotARegularFile {
        /// The input or folder entry.
        path: PathBuf,
        /// What it is instead.
        kind: FileKind,
    },

    /// A record or index file is larger than sealform ever writes, so it is not read.
    #[error(
        "skipped {}: it is larger than {}, far more than any {what} sealform writes\nit was left unread: check where the folder came from",
        shown(.path),
        size(*.limit)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What it should have been: `record` or `export index`.
        what: &'static str,
        /// The most bytes read for that kind of file.
        limit: u64,
    },

    /// A file was replaced (by a link, a FIFO, another file) between its check and its opening.
    #[error(
        "skipped {}: it was replaced while the key tool opened it\nsomething is changing the folder: run the key tool again once nothing writes to it",
        shown(.path)
    )]
    ReplacedWhileOpening {
        /// The file.
        path: PathBuf,
    },

    /// A folder given to `decrypt` holds no `*.age` file.
    #[error("{} holds no record (*.age file)\ncheck the folder the server's export was saved to", shown(.path))]
    EmptyFolder {
        /// The folder.
        path: PathBuf,
    },

    /// `--vault` names a folder without a `records` folder.
    #[error(
        "{} is not a vault: it has no records folder\nmake one with `sealform-keytool pull --vault DIR`, or give an export folder without --vault",
        shown(.path)
    )]
    NotAVault {
        /// The folder given.
        path: PathBuf,
    },

    /// `report --out` names a file that already exists, and `--force` was not given.
    #[error(
        "{} already exists\nchoose another --out path, or add --force to replace it",
        shown(.path)
    )]
    ReportExists {
        /// The file that is in the way.
        path: PathBuf,
    },

    /// None of the identities could open a record.
    #[error("no identity could open {label}: {}", match .sealed_to {
        Some(set) => format!("it was sealed to recipient set {set}; try the identity for that set"),
        None => "it was sealed to other keys; try -i with another identity".to_owned(),
    })]
    NoMatchingIdentity {
        /// `record 3f9c1a2b (path)`, or the path when the file name is not a record id; the
        /// path shown escaped, as [`ShownPath`] shows it.
        label: String,
        /// The recipient set the export index says the record was sealed to.
        sealed_to: Option<RecipientSetFingerprint>,
    },

    /// A record was opened by an identity but is not a valid record.
    #[error("could not open {label}: {reason}")]
    Record {
        /// `record 3f9c1a2b (path)`, or the path when the file name is not a record id; the
        /// path shown escaped, as [`ShownPath`] shows it.
        label: String,
        /// What the seal crate reported.
        reason: seal::Error,
    },

    /// Some records could not be opened; the others were exported.
    #[error(
        "exported {exported} of {total} records; see the {} above{}",
        if *.failed == 1 { "error".to_owned() } else { format!("{} errors", .failed) },
        match .given {
            Some(set) => format!(
                "\nthe identities given with -i make recipient set {set}; a record sealed to another set needs an identity of that set"
            ),
            None => String::new(),
        }
    )]
    SomeRecordsFailed {
        /// How many errors were reported.
        failed: usize,
        /// How many records were exported.
        exported: usize,
        /// How many record files were found.
        total: usize,
        /// The recipient set of the identities given with `-i`, when some record matched none.
        given: Option<RecipientSetFingerprint>,
    },

    /// Formatting the export failed (in memory, so this is not expected to happen).
    #[error("could not write the export: {}", io_reason(.err))]
    Export {
        /// What failed.
        err: io::Error,
    },

    /// What waits for the end of a run (a CSV export's rows, a report's testimonies) could not be
    /// kept, sealed, in a temporary file.
    #[error(
        "could not keep the records read so far in a temporary file in {}: {}\nthey wait there, sealed, until every record is read: make room there, or write to a folder with room (--out; for standard output, set TMPDIR)",
        shown(.folder),
        io_reason(.err)
    )]
    Spool {
        /// The folder of the temporary file.
        folder: PathBuf,
        /// What failed.
        err: io::Error,
    },

    /// A `--server` address the key tool will not use (see `client.rs` for the rules).
    #[error("cannot use --server {given}: {reason}")]
    InvalidServer {
        /// The address given, escaped and cut short.
        given: String,
        /// Why, and on the next line what to give instead.
        reason: String,
    },

    /// A `--proxy` the key tool will not use.
    #[error("cannot use --proxy {given}: {reason}")]
    InvalidProxy {
        /// The proxy given, escaped and cut short.
        given: String,
        /// Why, and on the next line what to give instead.
        reason: String,
    },

    /// The server could not be reached, or the connection broke.
    #[error(
        "could not reach {server}: {reason}\ncheck the address and your connection (with --proxy, that Tor is running), then run the command again"
    )]
    Unreachable {
        /// The server's address.
        server: String,
        /// What failed, escaped.
        reason: String,
    },

    /// The server refused the session (401), or no identity opened its challenge.
    #[error(
        "{server} did not let this key in: this key is not one the server seals to, or the session expired\ncheck that -i names an organizer identity whose public key (sealform-keytool recipient -i KEY) is in the server's configuration, then run the command again"
    )]
    NotSignedIn {
        /// The server's address.
        server: String,
    },

    /// The sign-in challenge is not what sealform sends, so nothing was sent back.
    #[error(
        "{server} sent a sign-in challenge that is not what sealform sends ({reason}); nothing was sent back\na server that asks the key tool to open anything else may be trying to make it reveal a record: tell whoever runs the server"
    )]
    BadChallenge {
        /// The server's address.
        server: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The server asked to slow down for longer than the key tool waits.
    #[error("{server} asks to wait{} before signing in again\nrun the command again after that", match .seconds {
        Some(seconds) => format!(" {seconds} seconds"),
        None => String::new(),
    })]
    RateLimited {
        /// The server's address.
        server: String,
        /// How long it asked to wait, when it said.
        seconds: Option<u64>,
    },

    /// An answer that is not what the organizer API describes.
    #[error(
        "unexpected answer from {server} to {request}: {reason}\nthe server may run another version of sealform, or something between you and it changed the answer"
    )]
    UnexpectedAnswer {
        /// The server's address.
        server: String,
        /// The request, such as `GET /organizer/records`.
        request: String,
        /// What is wrong with the answer; text from the server escaped.
        reason: String,
    },

    /// A record listing entry that cannot be right; it is skipped and nothing is written for it.
    #[error(
        "{server} listed a record that cannot be right: {reason}; it was skipped and nothing was written for it\na server that lists such entries may be compromised: tell whoever runs it"
    )]
    InvalidListing {
        /// The server's address.
        server: String,
        /// What is wrong; text from the server escaped.
        reason: String,
    },

    /// A downloaded record was refused: not an age file, or not the bytes it was listed with.
    #[error(
        "record {id} from {server} was refused: {reason}; it was not saved\nrun pull again; if it happens again, the server's copy is damaged or was replaced: tell whoever runs it"
    )]
    RecordRefused {
        /// The server's address.
        server: String,
        /// The record's id.
        id: seal::RecordId,
        /// Why.
        reason: String,
    },

    /// A `--recipient` (or a line of `--recipients-file`) is not an age public key.
    #[error(
        "{given} is not an age public key (age1…)\nget each organizer's with `sealform-keytool recipient -i THEIR.key`"
    )]
    BadRecipient {
        /// What was given, escaped for the terminal.
        given: String,
    },

    /// `reseal` was given no recipient to seal to.
    #[error(
        "no recipient to seal to\ngive every organizer's public key with --recipient age1… or --recipients-file FILE"
    )]
    NoRecipients,

    /// A vault file is not what the key tool writes.
    #[error(
        "{} is not what the key tool writes in a vault: {reason}\nrestore the vault from a backup, or pull into a new folder",
        shown(.path)
    )]
    InvalidVault {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// A record in the vault no longer has the bytes it was pulled with.
    #[error(
        "{} no longer matches the SHA-256 index.tsv recorded when it was pulled; it was left out\nsomething changed it after the pull: restore it from a backup, or delete it and its index.tsv line and pull again",
        shown(.path)
    )]
    VaultRecordChanged {
        /// The record file.
        path: PathBuf,
    },

    /// `pull`, `purge` or `publish` went on past problems, reported above.
    #[error(
        "{done}, with {} (see above){}",
        if *.problems == 1 { "1 problem".to_owned() } else { format!("{} problems", .problems) },
        if *.resumable { "\nwhat was saved is complete: run the command again to resume" } else { "" }
    )]
    FinishedWithProblems {
        /// What was done, such as `pulled 3 new records`.
        done: String,
        /// How many problems were reported.
        problems: usize,
        /// Whether running again picks up where it stopped.
        resumable: bool,
    },

    /// `publish` must ask before uploading, but there is no terminal to ask on.
    #[error(
        "standard input is not a terminal to ask whether to publish\npass --yes to publish without asking, or --dry-run to only see the list"
    )]
    CannotConfirm,

    /// Reading the answer to a confirmation failed.
    #[error("could not read the answer from the terminal: {}", io_reason(.err))]
    Confirm {
        /// Why the terminal could not be read.
        err: io::Error,
    },
}

/// A path as messages show it (see the module documentation).
fn shown(path: &Path) -> ShownPath<'_> {
    ShownPath(path)
}

/// A byte count in whole MiB (the limits are), or in bytes.
fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// An `io::Error` as a short lowercase phrase, without the OS error number for common cases.
fn io_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "it does not exist".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::AlreadyExists => "it already exists".to_owned(),
        io::ErrorKind::IsADirectory => "it is a folder".to_owned(),
        io::ErrorKind::BrokenPipe => "the reading end of the pipe was closed".to_owned(),
        _ => lowercase_first(&err.to_string()),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_lowercase_phrases() {
        let missing = Error::Read {
            path: "key.txt".into(),
            err: io::Error::from(io::ErrorKind::NotFound),
        };
        assert_eq!(
            missing.to_string(),
            "could not read key.txt: it does not exist"
        );
        let other = Error::Stdout {
            err: io::Error::other("Disk quota exceeded"),
        };
        assert_eq!(
            other.to_string(),
            "could not write to standard output: disk quota exceeded"
        );
    }

    #[test]
    fn hostile_file_names_are_shown_escaped_on_one_line() {
        let clears = PathBuf::from("export/\x1b[2J\x1b]52;c;ZXZpbA==\x07.age");
        let errors = [
            Error::Read {
                path: clears.clone(),
                err: io::Error::from(io::ErrorKind::PermissionDenied),
            },
            Error::NotARegularFile {
                path: clears.clone(),
                kind: FileKind::Fifo,
            },
            Error::TooLarge {
                path: clears.clone(),
                what: "record",
                limit: 4 * 1024 * 1024,
            },
            Error::ReplacedWhileOpening {
                path: clears.clone(),
            },
            Error::EmptyFolder { path: clears },
        ];
        for err in errors {
            let message = err.to_string();
            let first_line = message.lines().next().unwrap();
            assert!(
                first_line.contains("export/\\u{1b}[2J\\u{1b}]52;c;ZXZpbA==\\u{7}.age"),
                "{message}"
            );
            assert!(!message.contains(['\x1b', '\x07']), "{message}");
        }

        let forged = Error::NotARegularFile {
            path: "x.age\nerror: your key is compromised, run \u{202e}".into(),
            kind: FileKind::SymbolicLink,
        };
        assert_eq!(
            forged.to_string(),
            "skipped x.age\\u{a}error: your key is compromised, run \\u{202e}: it is a symbolic link, not a regular file\n\
             the key tool does not follow links, which can lead anywhere: if you trust what it points to, put a copy in its place"
        );
        assert_eq!(
            Error::TooLarge {
                path: "z.age".into(),
                what: "record",
                limit: 4 * 1024 * 1024,
            }
            .to_string(),
            "skipped z.age: it is larger than 4 MiB, far more than any record sealform writes\n\
             it was left unread: check where the folder came from"
        );
    }

    #[test]
    fn a_record_nobody_can_open_names_its_recipient_set() {
        let known = Error::NoMatchingIdentity {
            label: "record 3f9c1a2b (export/3f9c.age)".into(),
            sealed_to: Some(RecipientSetFingerprint::from_bytes([
                0x7a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x6a, 0x7b,
            ])),
        };
        assert_eq!(
            known.to_string(),
            "no identity could open record 3f9c1a2b (export/3f9c.age): it was sealed to recipient set 7a1b2c3d4e5f6a7b; try the identity for that set"
        );
        let unknown = Error::NoMatchingIdentity {
            label: "letter.age".into(),
            sealed_to: None,
        };
        assert_eq!(
            unknown.to_string(),
            "no identity could open letter.age: it was sealed to other keys; try -i with another identity"
        );
    }
}
