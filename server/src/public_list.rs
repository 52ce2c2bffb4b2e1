//! The public signatory list: what organizers publish (only what signers agreed to make
//! public), kept in the store and shown at `/signatories`.
//!
//! Organizers upload entries with `sealform-keytool publish`; each carries the SHA-256 of the
//! signer's withdrawal receipt, so that a withdrawal takes the entry off the list at once. The
//! shown list is cached in memory and rebuilt whenever it changes.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::campaign::Campaign;
use crate::receipt::lowercase_hex;
use crate::store::Store;

/// The longest public answer an entry may carry, in characters.
const MAX_VALUE_CHARS: usize = 500;

/// The list as shown: one line per signatory, in a stable, case-insensitive order.
#[derive(Debug, Default)]
pub struct PublicList {
    shown: RwLock<Arc<Vec<String>>>,
}

/// One entry as organizers upload it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    /// Public field name → answer.
    pub fields: BTreeMap<String, String>,
    /// The SHA-256 of the signer's withdrawal receipt, in hex.
    pub receipt: String,
}

/// What the store keeps of an entry.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    fields: BTreeMap<String, String>,
}

/// Why an uploaded list was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishProblem {
    /// An entry carries a field the campaign does not make public.
    NotPublic(String),
    /// A receipt hash is not 64 lowercase hex digits.
    BadReceipt,
    /// An answer is empty, too long, or holds control characters.
    BadValue(String),
}

impl PublicList {
    /// The list as the store holds it now.
    pub fn load(store: &Store, campaign: &Campaign) -> Result<Self, Error> {
        let list = Self::default();
        list.refresh(store, campaign)?;
        Ok(list)
    }

    /// Rebuilds the shown list from the store (after publishing or a withdrawal).
    pub fn refresh(&self, store: &Store, campaign: &Campaign) -> Result<(), Error> {
        let mut shown: Vec<String> = store
            .signatories()?
            .iter()
            .filter_map(|bytes| serde_json::from_slice::<Stored>(bytes).ok())
            .filter_map(|entry| shown_as(&entry.fields, campaign))
            .collect();
        shown.sort_by_key(|line| line.to_lowercase());
        *self.shown.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(shown);
        Ok(())
    }

    /// The lines shown at `/signatories`.
    pub fn shown(&self) -> Arc<Vec<String>> {
        Arc::clone(&self.shown.read().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A stored entry: the signer's receipt hash, and the entry's public JSON.
pub type Entry = ([u8; 32], Vec<u8>);

/// Checks an uploaded list against the campaign and turns it into the store's entries:
/// receipt hash → the entry's public JSON.
pub fn check(
    signatories: Vec<Signatory>,
    campaign: &Campaign,
) -> Result<Vec<Entry>, PublishProblem> {
    let mut entries = Vec::with_capacity(signatories.len());
    for signatory in signatories {
        let receipt = lowercase_hex(&signatory.receipt).ok_or(PublishProblem::BadReceipt)?;
        for (name, value) in &signatory.fields {
            if !campaign.public_fields().contains(name) {
                return Err(PublishProblem::NotPublic(name.clone()));
            }
            let length = value.chars().count();
            if length > MAX_VALUE_CHARS || value.chars().any(char::is_control) {
                return Err(PublishProblem::BadValue(name.clone()));
            }
        }
        let stored = Stored {
            fields: signatory
                .fields
                .into_iter()
                .map(|(name, value)| (name, value.trim().to_owned()))
                .filter(|(_, value)| !value.is_empty())
                .collect(),
        };
        if stored.fields.is_empty() {
            continue;
        }
        let json = serde_json::to_vec(&stored).expect("serializing strings cannot fail");
        entries.push((receipt, json));
    }
    Ok(entries)
}

/// An entry's line: its public answers in the campaign's order, joined by a dash.
fn shown_as(fields: &BTreeMap<String, String>, campaign: &Campaign) -> Option<String> {
    let parts: Vec<&str> = campaign
        .public_fields()
        .iter()
        .filter_map(|name| fields.get(name))
        .map(|value| value.trim())
        .filter(|value| !value.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" — "))
}
