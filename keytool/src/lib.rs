//! `sealform-keytool`: the organizer's tool. It makes age identities and opens sealform's sealed
//! records locally, into CSV, JSON or JSON Lines exports.
//!
//! The binary only parses arguments and calls [`Cli::run`]. The opening path — the one place
//! records are decrypted — is [`Keyring::open_record`] (and its age layer,
//! [`Keyring::decrypt_bytes`]), so tests and other crates open records exactly as the tool does.
//!
//! Secrets stay in age's types or in buffers wiped on drop ([`zeroize::Zeroizing`],
//! [`export::SecretBuf`]); nothing here prints plaintext except into the export asked for.

pub mod command;
mod error;
pub mod export;
mod files;
pub mod identity;
pub mod passphrase;

pub use command::Cli;
pub use error::Error;
pub use identity::Keyring;
