//! Withdrawal receipts: the code the thank-you page shows, with which a person can later take
//! back what they sent at `/withdraw`.
//!
//! A receipt is 160 bits written in Crockford's base32 — 32 characters in eight groups of four,
//! without the letters I, L, O and U, so that it is easy to copy and to read aloud. It is
//! derived from the form's token with a key held only in memory ([`crate::token::TokenKey`]),
//! so a double-clicked send shows the same receipt. The record carries the SHA-256 of the
//! receipt inside its ciphertext; the host keeps the same hash beside the record id. Neither
//! gives the receipt back.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

/// Crockford's base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// The receipt's length in characters, without separators.
const CHARACTERS: usize = 32;
/// The receipt's random bytes: 32 characters of 5 bits.
pub const RECEIPT_BYTES: usize = CHARACTERS * 5 / 8;

/// A receipt, in its normal form: 32 characters, uppercase, without separators. Wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Receipt(Zeroizing<String>);

impl Receipt {
    /// The receipt for `bytes` (from the token key).
    pub fn from_bytes(bytes: &[u8; RECEIPT_BYTES]) -> Self {
        let mut text = Zeroizing::new(String::with_capacity(CHARACTERS));
        let mut buffer = 0u64;
        let mut bits = 0;
        for &byte in bytes {
            buffer = (buffer << 8) | u64::from(byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                text.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
            }
        }
        buffer.zeroize();
        Self(text)
    }

    /// A receipt that belongs to nothing, for answers that were not stored (the trap field was
    /// filled): the page looks the same as for a stored form.
    pub fn random() -> Self {
        let mut bytes = Zeroizing::new([0u8; RECEIPT_BYTES]);
        rand::RngCore::fill_bytes(&mut rand::rng(), bytes.as_mut());
        Self::from_bytes(&bytes)
    }

    /// A receipt as a person typed it: spaces and hyphens ignored, any letter case, and the
    /// letters people confuse read as Crockford says (O as 0, I and L as 1). `None` if it is
    /// not 32 such characters.
    pub fn parse(typed: &str) -> Option<Self> {
        let mut text = Zeroizing::new(String::with_capacity(CHARACTERS));
        for c in typed.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
                _ => return None,
            };
            if text.len() == CHARACTERS {
                return None;
            }
            text.push(c);
        }
        (text.len() == CHARACTERS).then_some(Self(text))
    }

    /// The normal form: what withdrawal markers keep and what is hashed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SHA-256 of the normal form: sealed in the record and kept beside it.
    pub fn sha256(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }

    /// Eight groups of four, for people to read.
    pub fn grouped(&self) -> String {
        let mut out = String::with_capacity(CHARACTERS + 7);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }
}

/// `N` bytes written as `2·N` lowercase hex digits — how receipt hashes, record hashes and
/// record ids travel — or `None` for anything else (upper case included).
pub fn lowercase_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    let lowercase = text
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (lowercase && hex::decode_to_slice(text, &mut bytes).is_ok()).then_some(bytes)
}

impl fmt::Debug for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Receipt(..redacted..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_reads_back_however_it_is_typed() {
        let receipt = Receipt::from_bytes(&[0xA5; RECEIPT_BYTES]);
        assert_eq!(receipt.as_str().len(), 32);
        let grouped = receipt.grouped();
        assert_eq!(grouped.len(), 39);
        assert_eq!(grouped.matches('-').count(), 7);
        for typed in [
            grouped.clone(),
            grouped.to_lowercase(),
            grouped.replace('-', " "),
            format!("  {}  ", receipt.as_str()),
        ] {
            assert_eq!(Receipt::parse(&typed), Some(receipt.clone()), "{typed}");
        }
        assert_eq!(
            Receipt::parse("oooo-iiii-llll-0000-1111-2222-3333-4444")
                .unwrap()
                .as_str(),
            "00001111111100001111222233334444"
        );
        for wrong in [
            "",
            "ABC",
            &"A".repeat(33),
            &"U".repeat(32),
            "é".repeat(32).as_str(),
        ] {
            assert_eq!(Receipt::parse(wrong), None, "{wrong}");
        }
        // 160 bits: different bytes, different receipts, all 32 characters used.
        let zero = Receipt::from_bytes(&[0; RECEIPT_BYTES]);
        let ones = Receipt::from_bytes(&[0xFF; RECEIPT_BYTES]);
        assert_eq!(zero.as_str(), "0".repeat(32));
        assert_eq!(ones.as_str(), "Z".repeat(32));
        assert_ne!(receipt.sha256(), zero.sha256());
        assert_eq!(format!("{receipt:?}"), "Receipt(..redacted..)");
    }
}
