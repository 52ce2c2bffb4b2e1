//! The sealed-record format: the one contract between sealform's server and its key tool.
//!
//! # Wire format (version 2)
//!
//! A *record* is a standard, binary [age](https://age-encryption.org/v1) file encrypted to one or
//! more X25519 recipients (`age1…`). The stock `age` CLI opens it with `age -d -i key.txt`.
//! Its plaintext is:
//!
//! ```text
//! JSON || 0x00 * (padme(len(JSON)) - len(JSON))
//! ```
//!
//! * `JSON` is UTF-8 JSON produced by this crate, one object:
//!   `{"v":2,"campaign":"…","campaign_version":"<sha256 hex>","lang":"en","received":"2026-11-28","fields":[…]}`,
//!   where `campaign_version` is the SHA-256 of the campaign file the form was built from (so
//!   answers are read against the questions that were asked), an optional `receipt` (after
//!   `campaign_version`) is the SHA-256 of the withdrawal receipt the person was shown, and
//!   each field
//!   is `{"name":"…","kind":"text"|"choice"|"choices"|"consent","value":…}` (a string, a string,
//!   an array of strings, a boolean). Fields keep the order of the campaign's form, so the first
//!   record of a campaign gives an export its column order.
//! * The zero bytes are padding to the [Padmé](https://petsymposium.org/popets/2019/popets-2019-0056.pdf)
//!   length of the JSON (Nikitin et al., PETS 2019): the ciphertext length reveals only
//!   O(log log n) bits of the testimony's length. JSON never contains a raw NUL byte (serde_json
//!   escapes it as `\u0000`), so the first NUL marks the end of the JSON.
//!
//! # Invariants
//!
//! * Opening checks, in this order: the age layer (header, MAC, every STREAM chunk), then the
//!   padding (total length is exactly `padme(len(JSON))` and every padding byte is zero), then the
//!   version (`v` must be 1 or [`FORMAT_VERSION`]), then the JSON shape. Each failure has its own
//!   [`Error`] variant.
//! * The time of day is never recorded: `received` is a UTC calendar day.
//! * Nothing about the submitter is in clear. Beside a record (never inside the age file) a store
//!   keeps only its random [`RecordId`] and the [`RecipientSetFingerprint`] of the keys it was
//!   sealed to, so organizers know which identity opens it after a key rotation. An export folder
//!   carries those two as `<id>.age` files and an [`EXPORT_INDEX_FILE`].
//!
//! # Versioning
//!
//! Each layout is frozen. Version 1 is version 2 without `campaign_version`; openers still
//! read it. A change that an older key tool could misread gets a new `v`; openers
//! refuse versions they do not know ([`Error::UnsupportedVersion`]) rather than guess. The padding
//! and age layers are not versioned by `v`: changing them means a new record file kind.

mod day;
mod error;
mod padding;
mod recipients;
mod record;
mod scrub;
mod submission;

pub use day::Day;
pub use error::Error;
pub use padding::{pad, padme, unpad};
pub use recipients::{RecipientSet, RecipientSetFingerprint};
pub use record::{EXPORT_INDEX_FILE, ExportIndex, RecordId, decrypt, open, seal};
pub use scrub::scrub_stack;
pub use submission::{Field, FieldValue, Submission};

/// The version of the plaintext layout this crate writes; it opens this one and version 1.
pub const FORMAT_VERSION: u32 = 2;
