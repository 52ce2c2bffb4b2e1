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
}
