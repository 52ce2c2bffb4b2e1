/// What can go wrong when sealing or opening a record. No variant carries submission content.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Sealing needs at least one recipient to seal to.
    #[error("no recipient to seal to: add an organizer's age1… public key")]
    NoRecipients,

    /// A recipient string is not an X25519 age public key.
    #[error("`{0}` is not an age X25519 public key (it should start with age1)")]
    InvalidRecipient(String),

    /// The age library refused to encrypt.
    #[error("could not encrypt the record: {0}")]
    Encrypt(String),

    /// The bytes do not start like an age file, or its header is malformed.
    #[error("this is not an age file, or its header is damaged")]
    NotAge,

    /// None of the identities could unwrap the record's file key.
    #[error("none of the given identities can open this record")]
    NoMatchingIdentity,

    /// The header's MAC does not match: the header was altered.
    #[error("the age file's header failed authentication: it was altered or damaged")]
    HeaderMac,

    /// The file is ASCII-armored, but the armor is malformed.
    #[error("the age file's ASCII armor is invalid: {0}")]
    Armor(String),

    /// A passphrase-protected file asks for more scrypt work than this tool will spend.
    #[error("the passphrase work factor 2^{required} is more than this tool will spend")]
    ExcessiveWork {
        /// The work factor (log2 of scrypt's N) the file asks for.
        required: u8,
    },

    /// The payload ends before its final chunk.
    #[error("the age file is truncated: it ends early")]
    Truncated,

    /// A payload chunk failed authentication, or another structural fault.
    #[error("the age file is damaged: {0}")]
    Damaged(String),

    /// After decryption, the padding is not the Padmé padding this format writes.
    #[error("the record's padding is invalid (expected {expected} bytes in all, found {found})")]
    BadPadding {
        /// The padded length the JSON's length calls for.
        expected: u64,
        /// The length actually found.
        found: u64,
    },

    /// The plaintext declares a format version this build does not know.
    #[error(
        "the record uses format version {found}; this build reads versions 1 to {}: upgrade sealform",
        crate::FORMAT_VERSION
    )]
    UnsupportedVersion {
        /// The version the record declares.
        found: u64,
    },

    /// The plaintext is padded correctly but is not a valid submission.
    #[error("the record's content is malformed: {0}")]
    Malformed(String),

    /// A date is not a valid `YYYY-MM-DD` calendar day.
    #[error("`{0}` is not a calendar day in YYYY-MM-DD form")]
    InvalidDay(String),

    /// A record id is not 32 lowercase hex digits.
    #[error("`{0}` is not a record id (32 hex digits)")]
    InvalidRecordId(String),

    /// A line of an export index is not `<id>\t<fingerprint>`.
    #[error("line {line} of the export index is not `<record id> <tab> <recipient set>`")]
    InvalidIndexLine {
        /// 1-based line number.
        line: usize,
    },
}
