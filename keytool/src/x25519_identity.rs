//! The X25519 identity records are opened with: age's own unwrapping of an X25519 stanza, with
//! the identity's public key computed once instead of once per record.
//!
//! `age::x25519::Identity` derives its public key from the secret key for every stanza it tries
//! (a base-point multiplication and a field inversion), because the stanza's key derivation
//! salts with it. Over 100,000 records that was 11 % of `decrypt`'s time, a fifth of its
//! elliptic-curve work, repeated for a value that never changes. [`X25519Identity`] takes the
//! same steps as age 0.12 (<https://c2sp.org/age#x25519-recipient-stanza>), with the same
//! primitives from `age-core` and `x25519-dalek`, and keeps the public key; a test holds it to
//! age's answers on real, damaged and foreign stanzas.

use std::fmt;

use age::DecryptError;
use age::secrecy::ExposeSecret;
use age::x25519;
use age_core::format::{FILE_KEY_BYTES, FileKey, Stanza};
use age_core::primitives::{aead_decrypt, hkdf};
use base64::Engine;
use base64::prelude::BASE64_STANDARD_NO_PAD;
use subtle::ConstantTimeEq;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::{Zeroize, Zeroizing};

/// The stanza tag and key-derivation label of age's X25519 recipient type.
const STANZA_TAG: &str = "X25519";
const KEY_LABEL: &[u8] = b"age-encryption.org/v1/X25519";
/// An X25519 share is 32 bytes: 43 characters of unpadded base64. Decoding into one byte more
/// lets a longer argument show itself by its length.
const SHARE_BYTES: usize = 32;
/// The wrapped file key: the key and its Poly1305 tag.
const WRAPPED_KEY_BYTES: usize = FILE_KEY_BYTES + 16;

/// An age X25519 identity (`AGE-SECRET-KEY-1…`) with its public key. The secret is wiped on
/// drop; prints redacted.
pub struct X25519Identity {
    secret: StaticSecret,
    public: PublicKey,
}

impl X25519Identity {
    /// The same identity as `identity`, which age has already parsed and checked; `None` only
    /// if age's own encoding of it could not be read back, which age's checks rule out.
    pub fn new(identity: &x25519::Identity) -> Option<Self> {
        let encoded = identity.to_string();
        let (_, bytes) = bech32::decode(encoded.expose_secret()).ok()?;
        let bytes = Zeroizing::new(bytes);
        let mut secret = Zeroizing::new([0u8; 32]);
        if bytes.len() != secret.len() {
            return None;
        }
        secret.copy_from_slice(&bytes);
        let secret = StaticSecret::from(*secret);
        let public = PublicKey::from(&secret);
        Some(Self { secret, public })
    }
}

impl age::Identity for X25519Identity {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, DecryptError>> {
        if stanza.tag != STANZA_TAG {
            return None;
        }
        // Only the canonical form is accepted, as age does.
        let ephemeral_share = match &stanza.args[..] {
            [arg] => {
                let mut share = [0u8; SHARE_BYTES + 1];
                match BASE64_STANDARD_NO_PAD.decode_slice(arg, &mut share) {
                    Ok(SHARE_BYTES) => {
                        let mut exact = [0u8; SHARE_BYTES];
                        exact.copy_from_slice(&share[..SHARE_BYTES]);
                        PublicKey::from(exact)
                    }
                    _ => return Some(Err(DecryptError::InvalidHeader)),
                }
            }
            _ => return Some(Err(DecryptError::InvalidHeader)),
        };
        if stanza.body.len() != WRAPPED_KEY_BYTES {
            return Some(Err(DecryptError::InvalidHeader));
        }

        let shared_secret = self.secret.diffie_hellman(&ephemeral_share);
        // A low-order share gives the all-zero secret, which anyone could compute.
        let all_bits = shared_secret.as_bytes().iter().fold(0, |acc, b| acc | b);
        if bool::from(all_bits.ct_eq(&0)) {
            return Some(Err(DecryptError::InvalidHeader));
        }

        let mut salt = [0u8; 2 * SHARE_BYTES];
        salt[..SHARE_BYTES].copy_from_slice(ephemeral_share.as_bytes());
        salt[SHARE_BYTES..].copy_from_slice(self.public.as_bytes());
        let wrapping_key = Zeroizing::new(hkdf(&salt, KEY_LABEL, shared_secret.as_bytes()));

        // Not this identity's stanza, or damaged: either way another identity may fit, so this
        // is not an error.
        let mut file_key = aead_decrypt(&wrapping_key, FILE_KEY_BYTES, &stanza.body).ok()?;
        let unwrapped = FileKey::init_with_mut(|key| key.copy_from_slice(&file_key));
        file_key.zeroize();
        Some(Ok(unwrapped))
    }
}

impl fmt::Debug for X25519Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("X25519Identity(..redacted..)")
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use age::Identity as _;
    use age::secrecy::ExposeSecret;
    use age_core::format::Stanza;
    use proptest::prelude::*;

    use super::*;

    /// The stanzas of a real age file encrypted to `recipients`.
    fn stanzas_for(recipients: &[x25519::Recipient]) -> Vec<Stanza> {
        let encryptor =
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .unwrap();
        let mut file = Vec::new();
        let mut writer = encryptor.wrap_output(&mut file).unwrap();
        writer.write_all(b"a record").unwrap();
        writer.finish().unwrap();
        parse_stanzas(&file)
    }

    /// The X25519 stanza of a real age file encrypted to `identity` alone.
    fn x25519_stanza(identity: &x25519::Identity) -> Stanza {
        stanzas_for(&[identity.to_public()])
            .into_iter()
            .find(|stanza| stanza.tag == STANZA_TAG)
            .unwrap()
    }

    /// The recipient stanzas of an age file's header, read as the format says
    /// (<https://c2sp.org/age#header>): `-> TAG ARGS…`, then base64 body lines, the last one
    /// shorter than 64 characters.
    fn parse_stanzas(file: &[u8]) -> Vec<Stanza> {
        let text = String::from_utf8_lossy(file);
        let mut stanzas = Vec::new();
        let mut lines = text.lines().skip(1);
        while let Some(line) = lines.next() {
            let Some(rest) = line.strip_prefix("-> ") else {
                break;
            };
            let mut words = rest.split(' ');
            let tag = words.next().unwrap().to_owned();
            let args = words.map(str::to_owned).collect();
            let mut body = String::new();
            for body_line in lines.by_ref() {
                body.push_str(body_line);
                if body_line.len() < 64 {
                    break;
                }
            }
            let body = BASE64_STANDARD_NO_PAD.decode(body).unwrap();
            stanzas.push(Stanza { tag, args, body });
        }
        stanzas
    }

    /// What an identity answered, comparable: `None`, the file key, or the error's text.
    fn answer(result: Option<Result<FileKey, DecryptError>>) -> Option<Result<Vec<u8>, String>> {
        result.map(|r| {
            r.map(|key| key.expose_secret().to_vec())
                .map_err(|e| e.to_string())
        })
    }

    fn both_answer(
        age_identity: &x25519::Identity,
        stanza: &Stanza,
    ) -> [Option<Result<Vec<u8>, String>>; 2] {
        [
            answer(age_identity.unwrap_stanza(stanza)),
            answer(
                X25519Identity::new(age_identity)
                    .unwrap()
                    .unwrap_stanza(stanza),
            ),
        ]
    }

    #[test]
    fn it_unwraps_its_own_stanza_to_the_same_file_key_as_age_and_leaves_others_alone() {
        let mine = x25519::Identity::generate();
        let theirs = x25519::Identity::generate();
        let all = stanzas_for(&[theirs.to_public(), mine.to_public()]);
        // age adds a stanza of a random tag to every header, so that nobody comes to rely
        // on there being only known ones.
        let (stanzas, grease): (Vec<&Stanza>, Vec<&Stanza>) =
            all.iter().partition(|stanza| stanza.tag == STANZA_TAG);
        assert_eq!(stanzas.len(), 2);

        let [age_answer, our_answer] = both_answer(&mine, stanzas[1]);
        assert!(matches!(age_answer, Some(Ok(ref key)) if key.len() == FILE_KEY_BYTES));
        assert_eq!(our_answer, age_answer);
        // Another identity's stanza is not ours to refuse: another identity may open it.
        assert_eq!(both_answer(&mine, stanzas[0]), [None, None]);
        for stanza in grease {
            assert_eq!(both_answer(&mine, stanza), [None, None]);
        }
    }

    #[test]
    fn it_opens_a_whole_record_the_way_age_does() {
        let identity = x25519::Identity::generate();
        let recipients = seal::RecipientSet::new(vec![identity.to_public()]).unwrap();
        let submission = seal::Submission::new(
            "letter".into(),
            "0".repeat(64),
            "en".into(),
            "2026-11-28".parse().unwrap(),
            vec![seal::Field::new(
                "name",
                seal::FieldValue::Text("Mei".into()),
            )],
        );
        let record = seal::seal(&submission, &recipients).unwrap();
        let ours = X25519Identity::new(&identity).unwrap();
        let opened = seal::open(&record, &[&ours]).unwrap();
        assert_eq!(
            opened.expose_fields()[0].expose_value(),
            &seal::FieldValue::Text("Mei".into())
        );
    }

    #[test]
    fn malformed_and_low_order_stanzas_get_age_s_answers() {
        let identity = x25519::Identity::generate();
        let good = x25519_stanza(&identity);
        let with = |edit: &dyn Fn(&mut Stanza)| {
            let mut stanza = Stanza {
                tag: good.tag.clone(),
                args: good.args.clone(),
                body: good.body.clone(),
            };
            edit(&mut stanza);
            stanza
        };
        let cases = [
            ("another tag", with(&|s| s.tag = "scrypt".into())),
            ("no argument", with(&|s| s.args.clear())),
            ("two arguments", with(&|s| s.args.push(s.args[0].clone()))),
            ("padded share", with(&|s| s.args[0].push('='))),
            (
                "short share",
                with(&|s| {
                    s.args[0].pop();
                }),
            ),
            ("long share", with(&|s| s.args[0].push('A'))),
            // The last character's spare bits set: not the canonical encoding of any share.
            (
                "non-canonical share",
                with(&|s| {
                    let last = s.args[0].pop().unwrap();
                    let alphabet =
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                    let index = alphabet.find(last).unwrap();
                    s.args[0].push(alphabet.as_bytes()[index ^ 1] as char);
                }),
            ),
            (
                "share not base64",
                with(&|s| s.args[0].replace_range(0..1, "!")),
            ),
            (
                "short body",
                with(&|s| {
                    s.body.pop();
                }),
            ),
            ("long body", with(&|s| s.body.push(0))),
            ("damaged body", with(&|s| s.body[0] ^= 1)),
            // The identity point has order 1: the shared secret is all zeros.
            (
                "low-order share",
                with(&|s| s.args[0] = BASE64_STANDARD_NO_PAD.encode([0u8; 32])),
            ),
        ];
        for (case, stanza) in cases {
            let [age_answer, our_answer] = both_answer(&identity, &stanza);
            assert_eq!(our_answer, age_answer, "{case}");
            assert!(!matches!(age_answer, Some(Ok(_))), "{case} opened nothing");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_damage_to_a_real_stanza_gets_age_s_answer(
            byte in 0usize..(WRAPPED_KEY_BYTES + 43),
            flip in 1u8..=255,
        ) {
            let identity = x25519::Identity::generate();
            let mut stanza = x25519_stanza(&identity);
            if byte < WRAPPED_KEY_BYTES {
                stanza.body[byte] ^= flip;
            } else {
                let mut share = stanza.args[0].clone().into_bytes();
                share[byte - WRAPPED_KEY_BYTES] ^= flip & 0x7f;
                stanza.args[0] = String::from_utf8_lossy(&share).into_owned();
            }
            let [age_answer, our_answer] = both_answer(&identity, &stanza);
            prop_assert_eq!(our_answer, age_answer);
        }
    }
}
