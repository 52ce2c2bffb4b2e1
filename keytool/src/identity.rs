//! Identities: loading age identity files (plain or passphrase-protected) into a [`Keyring`],
//! and the key tool's one opening path, [`Keyring::decrypt_bytes`] / [`Keyring::open_record`].

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use age::armor::ArmoredReader;
use age::secrecy::SecretString;
use age::{Decryptor, IdentityFile, scrypt, x25519};
use seal::{RecipientSet, Submission};
use zeroize::Zeroizing;

use crate::Error;
use crate::passphrase::Passphrases;
use crate::x25519_identity::X25519Identity;

/// The scrypt work factor (log2 of N) `keygen` protects identity files with: the same fixed
/// value the reference age implementation uses (256 MiB of memory, about a second).
pub const SCRYPT_WORK_FACTOR: u8 = 18;

/// The largest scrypt work factor the key tool will compute when opening a passphrase-encrypted
/// file (1 GiB of memory). Anything higher is refused rather than left to spin: a malicious or
/// corrupt file must not be able to tie up the machine.
pub const MAX_SCRYPT_WORK_FACTOR: u8 = 20;

/// How an age file (binary or armored) begins; an identity file that begins so is encrypted.
const AGE_BINARY_START: &[u8] = b"age-encryption.org/v1";
const AGE_ARMOR_START: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// The identities a run may open records with: X25519 identities from identity files, and
/// optionally a passphrase (for passphrase-encrypted age files). Secret key material stays in
/// age's and x25519-dalek's types, which wipe it on drop. Not `Clone`; prints as
/// `Keyring(..redacted..)`.
#[derive(Default)]
pub struct Keyring {
    identities: Vec<X25519Identity>,
    public_keys: Vec<x25519::Recipient>,
    passphrase: Option<scrypt::Identity>,
}

impl Keyring {
    /// An empty keyring: it opens nothing until identities are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// A keyring that opens files encrypted to `passphrase` (age's scrypt recipient), computing
    /// at most [`MAX_SCRYPT_WORK_FACTOR`].
    pub fn with_passphrase(passphrase: SecretString) -> Self {
        let mut identity = scrypt::Identity::new(passphrase);
        identity.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
        Self {
            passphrase: Some(identity),
            ..Self::default()
        }
    }

    /// Parses the text of a plain identity file: `#` comments, blank lines and
    /// `AGE-SECRET-KEY-1…` lines. Plugin and SSH identities are refused (records are sealed to
    /// X25519 keys only). `path` only names the file in errors.
    pub fn parse_identity_file(text: &str, path: &Path) -> Result<Self, Error> {
        refuse_foreign_keys(text, path)?;
        let file = IdentityFile::from_buffer(text.as_bytes()).map_err(|e| {
            Error::NotAnIdentityFile {
                path: path.to_owned(),
                // age names the line number and never quotes the line.
                reason: e
                    .to_string()
                    .trim_start_matches("identity file ")
                    .to_owned(),
            }
        })?;
        let mut public = Vec::new();
        file.write_recipients_file(&mut public)
            .map_err(|_| Error::NoIdentities {
                path: path.to_owned(),
            })?;
        let public_keys = String::from_utf8_lossy(&public)
            .lines()
            .map(x25519::Recipient::from_str)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Error::NotAnIdentityFile {
                path: path.to_owned(),
                reason: "it holds an identity that is not X25519".to_owned(),
            })?;
        // Every line age accepted above, other than blank lines and comments, is an X25519
        // identity (`refuse_foreign_keys`), read the way age reads it.
        let identities = text
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| {
                x25519::Identity::from_str(line)
                    .ok()
                    .and_then(|id| X25519Identity::new(&id))
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Error::NotAnIdentityFile {
                path: path.to_owned(),
                reason: "it holds an identity that is not X25519".to_owned(),
            })?;
        Ok(Self {
            identities,
            public_keys,
            passphrase: None,
        })
    }

    /// Loads the identity file at `path`. A passphrase-protected one (an age file encrypted to
    /// a passphrase, binary or armored, as `keygen` writes and the stock `age` CLI reads) is
    /// unlocked with a passphrase from `passphrases`.
    pub fn load(path: &Path, passphrases: &mut Passphrases) -> Result<Self, Error> {
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|err| Error::Read {
            path: path.to_owned(),
            err,
        })?);
        if !is_age_file(&bytes) {
            return Self::parse_identity_file(plain_text(&bytes, path)?, path);
        }
        let header = Decryptor::new_buffered(ArmoredReader::new(&bytes[..])).map_err(|_| {
            Error::IdentityFileDamaged {
                path: path.to_owned(),
                reason: "its age header is damaged".to_owned(),
            }
        })?;
        if !header.is_scrypt() {
            return Err(Error::NotPassphraseProtected {
                path: path.to_owned(),
            });
        }
        let unlocker = Self::with_passphrase(passphrases.to_unlock(path)?);
        let inner = unlocker.decrypt_bytes(&bytes).map_err(|e| match e {
            seal::Error::NoMatchingIdentity => Error::WrongPassphrase {
                path: path.to_owned(),
            },
            other => Error::IdentityFileDamaged {
                path: path.to_owned(),
                reason: other.to_string(),
            },
        })?;
        Self::parse_identity_file(plain_text(&inner, path)?, path)
    }

    /// Adds every identity of `other` to this keyring.
    pub fn extend(&mut self, other: Self) {
        self.identities.extend(other.identities);
        self.public_keys.extend(other.public_keys);
        if other.passphrase.is_some() {
            self.passphrase = other.passphrase;
        }
    }

    /// The public keys (`age1…`) of the X25519 identities, in file order.
    pub fn public_keys(&self) -> &[x25519::Recipient] {
        &self.public_keys
    }

    /// The recipient set the X25519 identities make, to compare with the set a record was
    /// sealed to. `None` when the keyring holds no X25519 identity.
    pub fn recipient_set(&self) -> Option<RecipientSet> {
        RecipientSet::new(self.public_keys.clone()).ok()
    }

    /// The age layer: decrypts an age file (binary or armored) with the first identity that
    /// fits, and returns its whole plaintext, wiped on drop. Every failure is an error (never a
    /// panic), and nothing of a payload that fails authentication is returned.
    pub fn decrypt_bytes(&self, age_file: &[u8]) -> Result<Zeroizing<Vec<u8>>, seal::Error> {
        seal::decrypt(age_file, &self.as_identities())
    }

    /// Opens a sealed record: the age layer, then the padding, version and submission checks.
    pub fn open_record(&self, record: &[u8]) -> Result<Submission, seal::Error> {
        seal::open(record, &self.as_identities())
    }

    fn as_identities(&self) -> Vec<&dyn age::Identity> {
        self.identities
            .iter()
            .map(|identity| identity as &dyn age::Identity)
            .chain(
                self.passphrase
                    .as_ref()
                    .map(|identity| identity as &dyn age::Identity),
            )
            .collect()
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("identities", &self.identities.len())
            .field("passphrase", &self.passphrase.is_some())
            .finish_non_exhaustive()
    }
}

fn is_age_file(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_BINARY_START) || bytes.starts_with(AGE_ARMOR_START)
}

fn plain_text<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|_| Error::NotAnIdentityFile {
        path: path.to_owned(),
        reason: "it is not text".to_owned(),
    })
}

/// Names the kind of key when a file holds one the key tool does not use, instead of age's
/// generic "non-identity data" message.
fn refuse_foreign_keys(text: &str, path: &Path) -> Result<(), Error> {
    for line in text.lines().map(str::trim) {
        let path = path.to_owned();
        if line.starts_with("AGE-PLUGIN-") {
            return Err(Error::PluginIdentity { path });
        }
        if line.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
            || line.starts_with("-----BEGIN RSA PRIVATE KEY-----")
            || line.starts_with("ssh-")
        {
            return Err(Error::SshIdentity { path });
        }
        if line.starts_with("age1") {
            return Err(Error::PublicKeyGiven { path });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    fn parse(text: &str) -> Result<Keyring, Error> {
        Keyring::parse_identity_file(text, Path::new("key.txt"))
    }

    #[test]
    fn reads_identities_and_their_public_keys_in_order() {
        let a = x25519::Identity::generate();
        let b = x25519::Identity::generate();
        let text = format!(
            "# created: 2026-01-01T00:00:00Z\n# public key: {}\n{}\n\n{}\n",
            a.to_public(),
            a.to_string().expose_secret(),
            b.to_string().expose_secret()
        );
        let keyring = parse(&text).unwrap();
        let keys: Vec<String> = keyring
            .public_keys()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(keys, [a.to_public().to_string(), b.to_public().to_string()]);
        assert_eq!(
            keyring.recipient_set().unwrap().fingerprint(),
            RecipientSet::new(vec![b.to_public(), a.to_public()])
                .unwrap()
                .fingerprint()
        );
        assert_eq!(
            format!("{keyring:?}"),
            "Keyring { identities: 2, passphrase: false, .. }"
        );
    }

    #[test]
    fn refuses_other_kinds_of_keys_by_name() {
        let public = x25519::Identity::generate().to_public().to_string();
        let cases = [
            (
                "AGE-PLUGIN-YUBIKEY-1QQQQQQ\n",
                "holds an age plugin identity",
            ),
            ("ssh-ed25519 AAAAC3Nza\n", "holds an SSH key"),
            (
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n",
                "holds an SSH key",
            ),
            (
                public.as_str(),
                "holds a public key (age1…), not an identity",
            ),
            ("# only a comment\n", "holds no identity"),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.starts_with(&format!("key.txt {expected}")), "{err}");
        }
    }

    #[test]
    fn garbage_is_refused_without_quoting_it() {
        let err = parse("# fine\nmy secret garbage\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "key.txt is not an age identity file: contains non-identity data on line 2\n"
            ),
            "{err}"
        );
        assert!(!err.contains("garbage"));
    }

    #[test]
    fn encrypted_identity_files_that_no_passphrase_opens_are_refused_before_asking() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let someone = x25519::Identity::generate();
        let inner = x25519::Identity::generate();
        let mut encrypted = Vec::new();
        let mut writer = age::Encryptor::with_recipients(std::iter::once(
            &someone.to_public() as &dyn age::Recipient
        ))
        .unwrap()
        .wrap_output(&mut encrypted)
        .unwrap();
        writer
            .write_all(inner.to_string().expose_secret().as_bytes())
            .unwrap();
        writer.finish().unwrap();
        let to_key = dir.path().join("to-key.age");
        std::fs::write(&to_key, &encrypted).unwrap();
        let damaged = dir.path().join("damaged.age");
        std::fs::write(&damaged, b"age-encryption.org/v1\n-> nonsense\n").unwrap();

        // No passphrase source and no terminal: both fail before a passphrase is wanted.
        let mut passphrases = Passphrases::new(&crate::passphrase::PassphraseArgs::default());
        let err = Keyring::load(&to_key, &mut passphrases).unwrap_err();
        assert!(matches!(err, Error::NotPassphraseProtected { .. }), "{err}");
        let err = Keyring::load(&damaged, &mut passphrases).unwrap_err();
        assert!(
            err.to_string().starts_with("could not unlock ")
                && err
                    .to_string()
                    .contains("damaged.age: its age header is damaged\n"),
            "{err}"
        );
    }
}
