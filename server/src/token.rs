//! Form tokens: proof that a submission comes from a form this server served, a few seconds
//! (not milliseconds) and not days ago, and only once.
//!
//! A token is the hex of `nonce (16 bytes) || issued (8 bytes, big-endian Unix seconds) ||
//! HMAC-SHA256(key, nonce || issued)` truncated to 16 bytes. The key lives only in memory and
//! is new at every start, so a restart invalidates every served form (the person presses Send
//! again on a fresh token). The issue time is when the *form* was served; it is checked and
//! forgotten, never stored.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use rand::RngCore;
use seal::{FieldValue, Submission};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::receipt::{RECEIPT_BYTES, Receipt};

type HmacSha256 = Hmac<Sha256>;

const NONCE_LEN: usize = 16;
const ISSUED_LEN: usize = 8;
const TAG_LEN: usize = 16;
const TOKEN_LEN: usize = NONCE_LEN + ISSUED_LEN + TAG_LEN;

/// How far in the future a token's issue time may be (the clock stepped back) before the
/// token is refused instead of asked to wait.
const MAX_CLOCK_STEP_BACK: Duration = Duration::from_secs(60);

/// The secret that signs tokens: 32 random bytes, in memory only, wiped on drop.
pub struct TokenKey {
    key: Zeroizing<[u8; 32]>,
}

/// How old a token must be, and may be, when its form comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPolicy {
    /// Younger than this, the form was sent faster than a person fills it in.
    pub min_age: Duration,
    /// Older than this, the token has expired.
    pub max_age: Duration,
}

/// A token's random part, unique per served form: the key of the replay guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenNonce([u8; NONCE_LEN]);

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// The form came without a token.
    Missing,
    /// Not a token this server (since its last start) issued, or tampered with.
    Invalid,
    /// Genuine, but sent too soon after the form was served; fine after `wait`.
    TooYoung {
        /// How much longer until the token is old enough.
        wait: Duration,
    },
    /// Genuine, but older than the policy's `max_age`.
    Expired,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self {
            min_age: Duration::from_secs(3),
            max_age: Duration::from_secs(24 * 60 * 60),
        }
    }
}

impl TokenKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(key.as_mut());
        Self { key }
    }

    /// The withdrawal receipt for the form whose token had `nonce`: the same for every send of
    /// that form, unguessable without this key.
    pub fn receipt_for(&self, nonce: &TokenNonce) -> Receipt {
        let tag = self
            .mac(b"sealform receipt v1\0")
            .chain_update(nonce.0)
            .finalize();
        let mut bytes = Zeroizing::new([0u8; RECEIPT_BYTES]);
        bytes.copy_from_slice(&tag.into_bytes()[..RECEIPT_BYTES]);
        Receipt::from_bytes(&bytes)
    }

    /// A token for a form served at `now`.
    pub fn issue(&self, now: SystemTime) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let issued = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let mut token = [0u8; TOKEN_LEN];
        token[..NONCE_LEN].copy_from_slice(&nonce);
        token[NONCE_LEN..NONCE_LEN + ISSUED_LEN].copy_from_slice(&issued.to_be_bytes());
        let tag = self
            .mac(&token[..NONCE_LEN + ISSUED_LEN])
            .finalize()
            .into_bytes();
        token[NONCE_LEN + ISSUED_LEN..].copy_from_slice(&tag[..TAG_LEN]);
        hex::encode(token)
    }

    /// Checks `token` at `now`: its MAC (in constant time), then its age.
    pub fn verify(
        &self,
        token: &str,
        now: SystemTime,
        policy: &TokenPolicy,
    ) -> Result<TokenNonce, TokenProblem> {
        if token.is_empty() {
            return Err(TokenProblem::Missing);
        }
        let mut bytes = [0u8; TOKEN_LEN];
        if token.len() != TOKEN_LEN * 2 || hex::decode_to_slice(token, &mut bytes).is_err() {
            return Err(TokenProblem::Invalid);
        }
        let (signed, tag) = bytes.split_at(NONCE_LEN + ISSUED_LEN);
        self.mac(signed)
            .verify_truncated_left(tag)
            .map_err(|_| TokenProblem::Invalid)?;

        let mut issued = [0u8; ISSUED_LEN];
        issued.copy_from_slice(&signed[NONCE_LEN..]);
        let issued = UNIX_EPOCH
            .checked_add(Duration::from_secs(u64::from_be_bytes(issued)))
            .ok_or(TokenProblem::Invalid)?;
        match now.duration_since(issued) {
            Ok(age) if age < policy.min_age => Err(TokenProblem::TooYoung {
                wait: policy.min_age - age,
            }),
            Ok(age) if age > policy.max_age => Err(TokenProblem::Expired),
            Ok(_) => {
                let mut nonce = [0u8; NONCE_LEN];
                nonce.copy_from_slice(&signed[..NONCE_LEN]);
                Ok(TokenNonce(nonce))
            }
            // Issued "in the future": the clock stepped back since. A small step only delays.
            Err(ahead) if ahead.duration() <= MAX_CLOCK_STEP_BACK => Err(TokenProblem::TooYoung {
                wait: policy.min_age + ahead.duration(),
            }),
            Err(_) => Err(TokenProblem::Invalid),
        }
    }

    /// The digest of `submission`'s answers (not of the day it arrived), fed to the MAC field
    /// by field so that no copy of the answers is assembled.
    pub fn digest_answers(&self, submission: &Submission) -> AnswersDigest {
        let digest = self.mac_answers(submission);
        // SHA-256 keeps the last partial block of what it hashed — answers — in its state on
        // the stack.
        seal::scrub_stack();
        digest
    }

    #[inline(never)]
    fn mac_answers(&self, submission: &Submission) -> AnswersDigest {
        let mut mac = self.mac(b"sealform answers v1\0");
        for field in submission.expose_fields() {
            mac.update(field.name().as_bytes());
            let text = |mac: &mut HmacSha256, kind: u8, text: &str| {
                mac.update(&[0, kind]);
                mac.update(&(text.len() as u64).to_be_bytes());
                mac.update(text.as_bytes());
            };
            match field.expose_value() {
                FieldValue::Text(value) => text(&mut mac, b't', value),
                FieldValue::Choice(value) => text(&mut mac, b'c', value),
                FieldValue::Choices(values) => {
                    mac.update(&[0, b'm']);
                    mac.update(&(values.len() as u64).to_be_bytes());
                    for value in values {
                        text(&mut mac, b'o', value);
                    }
                }
                FieldValue::Consent(ticked) => mac.update(&[0, b'b', u8::from(*ticked)]),
            }
        }
        let tag = mac.finalize().into_bytes();
        let mut digest = [0u8; TAG_LEN];
        digest.copy_from_slice(&tag[..TAG_LEN]);
        AnswersDigest(digest)
    }

    fn mac(&self, data: &[u8]) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(self.key.as_ref()).expect("HMAC takes a key of any length");
        mac.update(data);
        mac
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey(..redacted..)")
    }
}

/// The replay guard: nonces of tokens already used, with when they were claimed. In memory
/// only; tokens die with the key on restart anyway.
#[derive(Debug, Default)]
pub struct UsedTokens {
    claimed: Mutex<HashMap<TokenNonce, (SystemTime, AnswersDigest)>>,
}

/// A keyed digest of a form's answers, kept beside a claimed token to tell a double click (the
/// same answers) from a changed form sent again with the same token. Keyed with the token key,
/// which lives only in memory, so it cannot be matched against guesses of the answers.
#[derive(Clone, Copy)]
pub struct AnswersDigest([u8; TAG_LEN]);

/// Compared in constant time, like every secret comparison here (the token's tag is checked by
/// the HMAC's own constant-time `verify`).
impl PartialEq for AnswersDigest {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for AnswersDigest {}

impl fmt::Debug for AnswersDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AnswersDigest(..)")
    }
}

/// What claiming a token found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Not used before: the form may be stored.
    Fresh,
    /// Already used with the same answers: a double click or a reload.
    SameAnswers,
    /// Already used with other answers: the earlier ones were received, these were not.
    OtherAnswers,
}

impl UsedTokens {
    /// An empty guard.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `nonce` used at `now`; false if it already was (a replayed or double-sent form).
    pub fn claim(&self, nonce: TokenNonce, answers: AnswersDigest, now: SystemTime) -> Claim {
        let mut claimed = self.claimed.lock().unwrap_or_else(PoisonError::into_inner);
        match claimed.entry(nonce) {
            std::collections::hash_map::Entry::Occupied(earlier) if earlier.get().1 == answers => {
                Claim::SameAnswers
            }
            std::collections::hash_map::Entry::Occupied(_) => Claim::OtherAnswers,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((now, answers));
                Claim::Fresh
            }
        }
    }

    /// Forgets `nonce`, so its form can be sent again (after a failed store).
    pub fn release(&self, nonce: TokenNonce) {
        self.claimed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&nonce);
    }

    /// Forgets nonces claimed more than `max_age` before `now`: their tokens have expired, so
    /// [`TokenKey::verify`] refuses them before the guard is asked.
    pub fn prune(&self, now: SystemTime, max_age: Duration) {
        self.claimed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, (claimed_at, _)| {
                now.duration_since(*claimed_at)
                    .map_or(true, |age| age <= max_age)
            });
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.claimed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    const T0: u64 = 1_800_000_000;

    #[test]
    fn a_token_of_the_right_age_verifies_to_its_nonce() {
        let key = TokenKey::generate();
        let policy = TokenPolicy::default();
        let token = key.issue(at(T0));
        assert_eq!(token.len(), 80);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        let nonce = key.verify(&token, at(T0 + 10), &policy).unwrap();
        assert_eq!(key.verify(&token, at(T0 + 3), &policy), Ok(nonce));
        assert_eq!(key.verify(&token, at(T0 + 86_400), &policy), Ok(nonce));
        // Uppercase hex is the same token.
        assert_eq!(
            key.verify(&token.to_uppercase(), at(T0 + 10), &policy),
            Ok(nonce)
        );
        // Every token has its own nonce.
        let other = key
            .verify(&key.issue(at(T0)), at(T0 + 10), &policy)
            .unwrap();
        assert_ne!(nonce, other);
    }

    #[test]
    fn too_young_says_how_long_to_wait() {
        let key = TokenKey::generate();
        let policy = TokenPolicy::default();
        let token = key.issue(at(T0));
        assert_eq!(
            key.verify(&token, at(T0), &policy),
            Err(TokenProblem::TooYoung {
                wait: Duration::from_secs(3)
            })
        );
        assert_eq!(
            key.verify(&token, at(T0 + 1) + Duration::from_millis(500), &policy),
            Err(TokenProblem::TooYoung {
                wait: Duration::from_millis(1_500)
            })
        );
        // The clock stepped back a little: wait; a lot: refuse.
        assert_eq!(
            key.verify(&token, at(T0 - 10), &policy),
            Err(TokenProblem::TooYoung {
                wait: Duration::from_secs(13)
            })
        );
        assert_eq!(
            key.verify(&token, at(T0 - 3_600), &policy),
            Err(TokenProblem::Invalid)
        );
    }

    #[test]
    fn expired_after_max_age() {
        let key = TokenKey::generate();
        let policy = TokenPolicy {
            min_age: Duration::from_secs(1),
            max_age: Duration::from_secs(60),
        };
        let token = key.issue(at(T0));
        assert!(key.verify(&token, at(T0 + 60), &policy).is_ok());
        assert_eq!(
            key.verify(&token, at(T0 + 61), &policy),
            Err(TokenProblem::Expired)
        );
    }

    #[test]
    fn tampered_foreign_and_malformed_tokens_are_invalid() {
        let key = TokenKey::generate();
        let policy = TokenPolicy::default();
        let token = key.issue(at(T0));
        let now = at(T0 + 10);
        // Flip each hex digit in turn: nonce, issue time and tag are all covered.
        for i in 0..token.len() {
            let mut tampered = token.clone().into_bytes();
            tampered[i] = if tampered[i] == b'0' { b'1' } else { b'0' };
            let tampered = String::from_utf8(tampered).unwrap();
            assert_eq!(
                key.verify(&tampered, now, &policy),
                Err(TokenProblem::Invalid),
                "digit {i}"
            );
        }
        // An older issue time with the old tag (to dodge min_age) is caught.
        let mut backdated = hex::decode(&token).unwrap();
        backdated[NONCE_LEN..NONCE_LEN + ISSUED_LEN].copy_from_slice(&(T0 - 100).to_be_bytes());
        assert_eq!(
            key.verify(&hex::encode(backdated), at(T0), &policy),
            Err(TokenProblem::Invalid)
        );
        let other_key = TokenKey::generate();
        assert_eq!(
            other_key.verify(&token, now, &policy),
            Err(TokenProblem::Invalid)
        );
        for bad in [
            "x",
            &token[..78],
            &format!("{token}00"),
            &token.replace(&token[..2], "zz"),
        ] {
            assert_eq!(
                key.verify(bad, now, &policy),
                Err(TokenProblem::Invalid),
                "{bad}"
            );
        }
        assert_eq!(key.verify("", now, &policy), Err(TokenProblem::Missing));
    }

    #[test]
    fn debug_does_not_print_the_key() {
        assert_eq!(
            format!("{:?}", TokenKey::generate()),
            "TokenKey(..redacted..)"
        );
    }

    #[test]
    fn used_tokens_claim_release_prune() {
        let key = TokenKey::generate();
        let policy = TokenPolicy::default();
        let nonce = |t| key.verify(&key.issue(at(t)), at(t + 5), &policy).unwrap();
        let (a, b) = (nonce(T0), nonce(T0));
        let used = UsedTokens::new();
        let (x, y) = (AnswersDigest([1; TAG_LEN]), AnswersDigest([2; TAG_LEN]));
        assert_eq!(used.claim(a, x, at(T0 + 5)), Claim::Fresh);
        assert_eq!(used.claim(a, x, at(T0 + 6)), Claim::SameAnswers, "a replay");
        assert_eq!(
            used.claim(a, y, at(T0 + 6)),
            Claim::OtherAnswers,
            "a changed form"
        );
        assert_eq!(used.claim(b, x, at(T0 + 100)), Claim::Fresh);
        used.release(a);
        assert_eq!(
            used.claim(a, x, at(T0 + 7)),
            Claim::Fresh,
            "released after a failed store"
        );
        assert_eq!(used.len(), 2);

        used.prune(at(T0 + 7 + 60), Duration::from_secs(60));
        assert_eq!(used.len(), 2, "nothing older than max_age yet");
        used.prune(at(T0 + 8 + 60), Duration::from_secs(60));
        assert_eq!(used.len(), 1, "a was claimed more than max_age ago");
        assert_eq!(used.claim(b, x, at(T0 + 200)), Claim::SameAnswers);
        used.prune(at(T0 + 1_000), Duration::from_secs(60));
        assert_eq!(used.len(), 0);
    }

    #[test]
    fn the_answers_digest_tells_changed_answers_apart_but_not_the_day() {
        use seal::{Day, Field};
        let key = TokenKey::generate();
        let submission = |day: &str, name: &str, actions: &[&str]| {
            Submission::new(
                "c".into(),
                "0".repeat(64),
                "en".into(),
                day.parse::<Day>().unwrap(),
                vec![
                    Field::new("name", FieldValue::Text(name.into())),
                    Field::new(
                        "actions",
                        FieldValue::Choices(actions.iter().map(|a| a.to_string()).collect()),
                    ),
                    Field::new("consent", FieldValue::Consent(true)),
                ],
            )
        };
        let first = key.digest_answers(&submission("2026-11-28", "Mai", &["a", "b"]));
        assert_eq!(
            first,
            key.digest_answers(&submission("2026-11-29", "Mai", &["a", "b"]))
        );
        assert_ne!(
            first,
            key.digest_answers(&submission("2026-11-28", "Mai ", &["a", "b"]))
        );
        assert_ne!(
            first,
            key.digest_answers(&submission("2026-11-28", "Mai", &["ab"]))
        );
        assert_ne!(
            first,
            TokenKey::generate().digest_answers(&submission("2026-11-28", "Mai", &["a", "b"])),
            "keyed"
        );
    }
}
