use std::path::PathBuf;

/// What went wrong in the server, said for the operator: at start-up, or in storage. No
/// variant carries submission content. What a person at the browser is told is an
/// [`crate::app_error::AppError`] instead.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data folder could not be opened or written.
    #[error("cannot use the data folder {path}: {reason}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// What the storage engine or file system said.
        reason: String,
    },

    /// The store refused a write or a flush; the submission was not acknowledged.
    #[error("the store could not save a record durably: {0}")]
    Store(String),

    /// A sealed record is larger than the store takes in one piece; it was not stored.
    #[error(
        "a sealed record of {size} bytes is over the store's limit of {limit} bytes; \
         lower --body-limit"
    )]
    RecordTooLarge {
        /// The record's size.
        size: usize,
        /// [`crate::store::MAX_RECORD_BYTES`].
        limit: usize,
    },

    /// Exporting records to a folder failed.
    #[error("export to {path} failed: {reason}")]
    Export {
        /// The target folder or file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },

    /// A campaign file could not be read at all.
    #[error("cannot read the campaign file {path}: {reason}")]
    CampaignRead {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        reason: String,
    },

    /// A campaign file was read but is not a valid campaign.
    #[error("{path}, line {line}: {reason}")]
    Campaign {
        /// The file (or the name of the built-in text).
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong and how to fix it.
        reason: String,
    },

    /// No organizer public key was configured, so there is nothing to seal to.
    #[error(
        "no recipient configured: every submission is sealed to the organizers' public keys\n\
         make a key with `sealform-keytool keygen --out organizer.key` on a computer you trust, \
         then start the server with --recipient age1… (the public key it prints)\n\
         or try sealform first with `sealform-server --demo`"
    )]
    NoRecipients,

    /// A configured recipient is not an age X25519 public key.
    #[error("{origin}: {reason}")]
    Recipient {
        /// Where the key came from: the flag, or a file and line.
        origin: String,
        /// What is wrong with it (never a secret key's text).
        reason: String,
    },

    /// A start-up setting is missing, contradicts another, or cannot be used.
    #[error("{0}")]
    Config(String),

    /// The config file could not be read or is not valid.
    #[error("cannot use the config file {path}: {reason}")]
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, with its line when the TOML parser says.
        reason: String,
    },

    /// The listening socket could not be set up.
    #[error(
        "cannot listen on {address}: {reason}\nis another server using it? choose another with --listen"
    )]
    Listen {
        /// The address asked for.
        address: String,
        /// What the operating system said.
        reason: String,
    },

    /// The handlers for SIGTERM and SIGINT could not be installed.
    #[error("cannot install the shutdown signal handlers: {0}")]
    Signals(String),

    /// The process could not protect its own memory (core dumps, `ptrace`).
    #[error("{0}")]
    Process(String),

    /// The demo folder or its identity file could not be made or read.
    #[error("cannot prepare the demo at {path}: {reason}")]
    Demo {
        /// The folder or file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },

    /// Sealing a submission failed; it was not stored.
    #[error("could not seal a submission: {0}")]
    Seal(String),
}

/// A campaign that cannot be loaded stops the server at start-up, with the campaign crate's own
/// message (the file, the line and the fix), word for word.
impl From<sealform_campaign::Error> for Error {
    fn from(err: sealform_campaign::Error) -> Self {
        match err {
            sealform_campaign::Error::CampaignRead { path, reason } => {
                Error::CampaignRead { path, reason }
            }
            sealform_campaign::Error::Campaign { path, line, reason } => {
                Error::Campaign { path, line, reason }
            }
        }
    }
}
