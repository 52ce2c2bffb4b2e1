use std::fmt;
use std::str::FromStr;

use age::x25519;
use sha2::{Digest, Sha256};

use crate::Error;

/// The organizers' public keys a record is sealed to. Holds no secret: this is all the server
/// ever knows.
#[derive(Clone)]
pub struct RecipientSet {
    keys: Vec<x25519::Recipient>,
}

impl RecipientSet {
    /// Parses `age1…` strings; duplicates are dropped, order is kept. Refuses an empty set.
    pub fn parse<S: AsRef<str>>(keys: impl IntoIterator<Item = S>) -> Result<Self, Error> {
        let mut parsed: Vec<x25519::Recipient> = Vec::new();
        for key in keys {
            let key = key.as_ref().trim();
            let recipient = x25519::Recipient::from_str(key)
                .map_err(|_| Error::InvalidRecipient(key.chars().take(80).collect()))?;
            if !parsed
                .iter()
                .any(|known| known.to_string() == recipient.to_string())
            {
                parsed.push(recipient);
            }
        }
        Self::new(parsed)
    }

    /// A set of already-parsed recipients. Refuses an empty set.
    pub fn new(keys: Vec<x25519::Recipient>) -> Result<Self, Error> {
        if keys.is_empty() {
            return Err(Error::NoRecipients);
        }
        Ok(Self { keys })
    }

    /// The recipients, in the order given.
    pub fn keys(&self) -> &[x25519::Recipient] {
        &self.keys
    }

    /// The set's short fingerprint: the same for the same keys in any order.
    pub fn fingerprint(&self) -> RecipientSetFingerprint {
        let mut encoded: Vec<String> = self.keys.iter().map(ToString::to_string).collect();
        encoded.sort();
        encoded.dedup();
        let mut hash = Sha256::new();
        hash.update(b"sealform recipient set v1\n");
        for key in &encoded {
            hash.update(key.as_bytes());
            hash.update(b"\n");
        }
        let digest = hash.finalize();
        let mut short = [0u8; 8];
        short.copy_from_slice(&digest[..8]);
        RecipientSetFingerprint(short)
    }
}

impl fmt::Debug for RecipientSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.keys.iter().map(ToString::to_string))
            .finish()
    }
}

/// The first 64 bits of a SHA-256 over a recipient set's sorted keys, shown as 16 hex digits.
/// Not a secret; it names which organizer keys a record was sealed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecipientSetFingerprint([u8; 8]);

impl RecipientSetFingerprint {
    /// The raw 8 bytes, as stored beside each record.
    pub fn to_bytes(self) -> [u8; 8] {
        self.0
    }

    /// From the raw 8 bytes stored beside a record.
    pub fn from_bytes(bytes: [u8; 8]) -> Self {
        Self(bytes)
    }
}

impl fmt::Display for RecipientSetFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl FromStr for RecipientSetFingerprint {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let mut bytes = [0u8; 8];
        hex::decode_to_slice(s, &mut bytes).map_err(|_| {
            Error::Malformed("recipient set fingerprint is not 16 hex digits".into())
        })?;
        Ok(Self(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_order_and_duplicates() {
        let a = x25519::Identity::generate().to_public().to_string();
        let b = x25519::Identity::generate().to_public().to_string();
        let ab = RecipientSet::parse([&a, &b]).unwrap().fingerprint();
        let ba = RecipientSet::parse([&b, &a, &b]).unwrap().fingerprint();
        let only_a = RecipientSet::parse([&a]).unwrap().fingerprint();
        assert_eq!(ab, ba);
        assert_ne!(ab, only_a);
        assert_eq!(
            ab.to_string().parse::<RecipientSetFingerprint>().unwrap(),
            ab
        );
    }

    #[test]
    fn refuses_empty_sets_and_non_keys() {
        assert!(matches!(
            RecipientSet::parse(Vec::<&str>::new()),
            Err(Error::NoRecipients)
        ));
        assert!(matches!(
            RecipientSet::parse(["ssh-ed25519 AAAA"]),
            Err(Error::InvalidRecipient(_))
        ));
    }
}
