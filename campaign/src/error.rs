use std::path::PathBuf;

/// Why a campaign could not be loaded: its file could not be read, or it breaks a rule. Each
/// message names the file (and the line) and says what to fix; none quotes more of the file than
/// the value at fault.
///
/// The variants keep the names the server's own error gives the same two problems, so that code
/// matching on either reads the same.
#[derive(Debug, thiserror::Error)]
pub enum Error {
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
}
