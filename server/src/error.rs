use std::path::PathBuf;

/// What went wrong in the server, said for the operator. No variant carries submission content.
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

    /// A form body is not a well-formed submission of this campaign's form (→ HTTP 400). The
    /// reason is for the person and never quotes what they typed.
    #[error("{0}")]
    BadForm(String),
}
