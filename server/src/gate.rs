//! Signing organizers in by proof of possession: the server seals a random challenge to the
//! configured recipients; only the holder of a matching identity can open it and send it back.
//! A correct answer opens a session that lives a few minutes, in memory only. Nothing secret is
//! configured or stored: a seized host holds no password, token or key for the organizer API.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use age::armor::{ArmoredWriter, Format};
use rand::RngCore;
use seal::RecipientSet;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::Error;

/// How long a challenge can be answered.
pub const CHALLENGE_LIFETIME: Duration = Duration::from_secs(120);
/// How long a session lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(600);
/// Unanswered challenges kept at once; the oldest goes first.
const MAX_CHALLENGES: usize = 64;
/// Sessions kept at once; the oldest goes first.
const MAX_SESSIONS: usize = 16;

/// A 32-byte secret and when it stops being valid.
type Secret = (Zeroizing<[u8; 32]>, Instant);

/// The pending challenges and open sessions.
#[derive(Debug, Default)]
pub struct Gate {
    challenges: Mutex<VecDeque<Secret>>,
    sessions: Mutex<VecDeque<Secret>>,
}

impl Gate {
    /// A new challenge sealed to `recipients`: an ASCII-armored age file whose plaintext is 64
    /// hex digits.
    pub fn challenge(&self, recipients: &RecipientSet, now: Instant) -> Result<String, Error> {
        let secret = random_secret();
        let plaintext = Zeroizing::new(hex::encode(*secret));
        let encryptor = age::Encryptor::with_recipients(
            recipients
                .keys()
                .iter()
                .map(|key| key as &dyn age::Recipient),
        )
        .map_err(|e| Error::Seal(e.to_string()))?;
        let mut armored = Vec::new();
        let sealed = (|| {
            let armor = ArmoredWriter::wrap_output(&mut armored, Format::AsciiArmor)?;
            let mut writer = encryptor
                .wrap_output(armor)
                .map_err(std::io::Error::other)?;
            writer.write_all(plaintext.as_bytes())?;
            writer.finish()?.finish().map(drop)
        })();
        sealed.map_err(|e| Error::Seal(e.to_string()))?;
        push_bounded(
            &self.challenges,
            secret,
            now + CHALLENGE_LIFETIME,
            MAX_CHALLENGES,
        );
        String::from_utf8(armored).map_err(|e| Error::Seal(e.to_string()))
    }

    /// A session for the answer to a pending challenge (which is used up), or `None` for a
    /// wrong, reused or expired answer — all alike, compared in constant time.
    pub fn answer(&self, answer: &str, now: Instant) -> Option<String> {
        let answer = decode_secret(answer)?;
        if !take_matching(&self.challenges, &answer, now) {
            return None;
        }
        let session = random_secret();
        let token = hex::encode(*session);
        push_bounded(
            &self.sessions,
            session,
            now + SESSION_LIFETIME,
            MAX_SESSIONS,
        );
        Some(token)
    }

    /// Whether `token` is an open session.
    pub fn is_open(&self, token: &str, now: Instant) -> bool {
        let Some(token) = decode_secret(token) else {
            return false;
        };
        let mut sessions = self.sessions.lock().unwrap_or_else(PoisonError::into_inner);
        sessions.retain(|(_, until)| *until > now);
        let mut found = subtle::Choice::from(0);
        for (secret, _) in sessions.iter() {
            found |= secret.ct_eq(&*token);
        }
        found.into()
    }
}

fn random_secret() -> Zeroizing<[u8; 32]> {
    let mut secret = Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(secret.as_mut());
    secret
}

/// 64 hex digits as 32 bytes.
fn decode_secret(text: &str) -> Option<Zeroizing<[u8; 32]>> {
    let mut secret = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(text.trim(), secret.as_mut()).ok()?;
    Some(secret)
}

fn push_bounded(
    list: &Mutex<VecDeque<Secret>>,
    secret: Zeroizing<[u8; 32]>,
    until: Instant,
    max: usize,
) {
    let mut list = list.lock().unwrap_or_else(PoisonError::into_inner);
    while list.len() >= max {
        list.pop_front();
    }
    list.push_back((secret, until));
}

/// Removes the unexpired secret equal to `wanted`, comparing with every one in constant time.
fn take_matching(list: &Mutex<VecDeque<Secret>>, wanted: &[u8; 32], now: Instant) -> bool {
    let mut list = list.lock().unwrap_or_else(PoisonError::into_inner);
    list.retain(|(_, until)| *until > now);
    let mut matched = None;
    for (i, (secret, _)) in list.iter().enumerate() {
        if bool::from(secret.ct_eq(wanted)) {
            matched = Some(i);
        }
    }
    matched.and_then(|i| list.remove(i)).is_some()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use age::x25519;

    use super::*;

    fn open(armored: &str, identity: &x25519::Identity) -> Option<String> {
        let reader = age::armor::ArmoredReader::new(armored.as_bytes());
        let decryptor = age::Decryptor::new(reader).ok()?;
        let mut plaintext = String::new();
        decryptor
            .decrypt(std::iter::once(identity as &dyn age::Identity))
            .ok()?
            .read_to_string(&mut plaintext)
            .ok()?;
        Some(plaintext)
    }

    #[test]
    fn only_a_recipient_can_answer_and_only_once() {
        let organizer = x25519::Identity::generate();
        let stranger = x25519::Identity::generate();
        let recipients = RecipientSet::new(vec![organizer.to_public()]).unwrap();
        let gate = Gate::default();
        let now = Instant::now();
        let challenge = gate.challenge(&recipients, now).unwrap();
        assert!(challenge.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        assert_eq!(
            open(&challenge, &stranger),
            None,
            "a stranger cannot open it"
        );
        let answer = open(&challenge, &organizer).unwrap();
        assert_eq!(answer.len(), 64);

        assert_eq!(gate.answer(&"0".repeat(64), now), None);
        assert_eq!(gate.answer("not hex", now), None);
        let session = gate.answer(&answer, now).unwrap();
        assert_eq!(
            gate.answer(&answer, now),
            None,
            "a challenge is answered once"
        );
        assert!(gate.is_open(&session, now));
        assert!(!gate.is_open(&"0".repeat(64), now));
        assert!(!gate.is_open(&session, now + SESSION_LIFETIME + Duration::from_secs(1)));

        // An answer after the challenge expired opens nothing.
        let late = gate.challenge(&recipients, now).unwrap();
        let late = open(&late, &organizer).unwrap();
        assert_eq!(
            gate.answer(&late, now + CHALLENGE_LIFETIME + Duration::from_secs(1)),
            None
        );
    }
}
