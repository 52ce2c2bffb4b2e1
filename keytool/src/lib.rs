//! `sealform-keytool`: the organizer's tool. It makes age identities and opens sealform's sealed
//! records locally, into CSV, JSON or JSON Lines exports.
//!
//! The binary only parses arguments and calls [`Cli::run`]. The opening path — the one place
//! records are decrypted — is [`Keyring::open_record`] (and its age layer,
//! [`Keyring::decrypt_bytes`]), so tests and other crates open records exactly as the tool does.
//!
//! Secrets stay in age's and x25519-dalek's types or in buffers wiped on drop
//! ([`zeroize::Zeroizing`], [`export::SecretBuf`]); nothing here prints plaintext except into the
//! export asked for.
//!
//! Records hold text typed by anonymous members of the public, and an export folder holds files
//! named and made by whoever made it: neither is trusted. [`escape`] keeps control characters
//! from reaching a terminal; `input` reads only regular files, never through a link, and never
//! more than sealform writes.
//!
//! `pull`, `purge` and `publish` speak the organizer API (`docs/API.md`) through [`client`], a
//! blocking client with its connection rules, and keep sealed records in a [`vault`]. A server
//! is not trusted either: its ids name no file until they are checked, and what it sends is
//! checked against the hashes it listed and the receipts sealed inside the records.
//!
//! `decrypt --vault` and `report` read a vault's records against the campaign file each names
//! (`vault_read`, [`words`]), so that answers read as the form asked them; [`report`] counts
//! them into one self-contained HTML file that runs and loads nothing.
//!
//! `decrypt` and `report` open records on every core (`parallel`) and take them one by one, in
//! the order of their files, into an export written as it goes ([`export::Streaming`]) or a
//! report's counts ([`report::Counter`]): however many records there are, only a few are in
//! memory at a time. What must wait for the end of the run (a CSV export's rows, for a header
//! naming every column, once a record brings a column the first did not, or whenever the export
//! goes to standard output; a report's testimonies, for the charts) waits sealed (`spool`), never
//! in clear on disk. The identities are loaded once, before any record is read.

pub mod client;
pub mod command;
mod error;
pub mod escape;
pub mod export;
mod files;
pub mod identity;
mod input;
mod parallel;
pub mod passphrase;
pub mod report;
mod spool;
pub mod vault;
mod vault_read;
pub mod words;
mod x25519_identity;

pub use command::Cli;
pub use error::Error;
pub use identity::Keyring;
