use std::io::{self, Write};
use std::iter;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use age::armor::{ArmoredWriter, Format};
use age::secrecy::{ExposeSecret, SecretString};
use age::{Encryptor, scrypt, x25519};
use zeroize::Zeroizing;

use crate::Error;
use crate::escape::ShownPath;
use crate::files;
use crate::identity::SCRYPT_WORK_FACTOR;
use crate::passphrase::{self, PassphraseArgs, Passphrases};

const EXAMPLES: &str = "\
Examples:
  Make an identity protected by six random words, shown once for you to write down:
    sealform-keytool keygen --out organizer.key --generate-passphrase

  Make an identity protected by a passphrase of your own (asked twice; one that is easy to
  guess is refused):
    sealform-keytool keygen --out organizer.key

  Give the public key it prints (age1…) to the server's operator; keep organizer.key and its
  passphrase to yourself, with a backup.

  Unattended, with the passphrase read from file descriptor 3:
    sealform-keytool keygen --out organizer.key --passphrase-fd 3 3< passphrase.txt

  For automation only, without a passphrase (anyone who copies the file can read everything):
    sealform-keytool keygen --out robot.key --no-passphrase";

/// Make a new organizer identity (an age X25519 key pair) and print its public key
///
/// The identity file is in the standard age format, readable only by you (mode 0600), and by
/// default encrypted with a passphrase (age's scrypt, ASCII-armored): the stock `age -d -i` CLI
/// accepts it too. Only the public key (age1…) is printed on standard output.
///
/// A passphrase that is empty or easy to guess (below 3 of 4 by the zxcvbn estimator) is
/// refused: anyone who copies the file can try passphrases on it offline.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Keygen {
    /// Write the new identity to this file; it must not exist yet
    #[arg(short = 'o', long, value_name = "FILE")]
    out: PathBuf,

    /// Write the identity unprotected, for automation. Risky: anyone who copies the file can read
    /// every testimony sealed to its public key
    #[arg(long, conflicts_with_all = ["passphrase_fd", "passphrase_env"])]
    no_passphrase: bool,

    /// Protect the identity with six random words from the EFF's large word list (about 77
    /// bits), printed once on standard error for you to write down
    #[arg(long, conflicts_with_all = ["no_passphrase", "passphrase_fd", "passphrase_env"])]
    generate_passphrase: bool,

    #[command(flatten)]
    passphrase: PassphraseArgs,
}

impl Keygen {
    /// Makes the identity, writes it, prints its public key.
    pub fn run(self) -> Result<(), Error> {
        // Before asking for a passphrase: the file must not exist.
        if std::fs::symlink_metadata(&self.out).is_ok() {
            return Err(Error::IdentityExists { path: self.out });
        }
        let passphrase = if self.no_passphrase {
            None
        } else if self.generate_passphrase {
            Some(passphrase::generate())
        } else {
            Some(Passphrases::new(&self.passphrase).to_protect()?)
        };
        // Kept to be shown once the file is written, and only then.
        let generated = passphrase
            .as_ref()
            .filter(|_| self.generate_passphrase)
            .cloned();

        let identity = x25519::Identity::generate();
        let public_key = identity.to_public().to_string();
        let text = identity_file_text(&identity, &created_now());
        let file = match passphrase {
            Some(passphrase) => Zeroizing::new(
                encrypt_with_passphrase(text.as_bytes(), passphrase).map_err(|e| {
                    Error::Encrypt {
                        reason: e.to_string(),
                    }
                })?,
            ),
            None => Zeroizing::new(text.as_bytes().to_vec()),
        };
        files::write_new_private(&self.out, &file).map_err(|err| match err.kind() {
            io::ErrorKind::AlreadyExists => Error::IdentityExists {
                path: self.out.clone(),
            },
            _ => Error::Write {
                path: self.out.clone(),
                err,
            },
        })?;

        super::print_stdout(format!("{public_key}\n").as_bytes())?;
        match generated {
            Some(passphrase) => show_generated(&self.out, &passphrase),
            None => eprintln!("{}", hints(&self.out, self.no_passphrase)),
        }
        Ok(())
    }
}

/// What to do next, with the generated passphrase, on standard error. Written straight from a
/// buffer wiped on drop.
fn show_generated(path: &Path, passphrase: &SecretString) {
    let path = ShownPath(path);
    let mut text = Zeroizing::new(String::with_capacity(1024));
    text.push_str(&format!(
        "wrote the identity to {path}, protected by the passphrase below\n\
         the line above is its public key: give it to the server's operator (it is not secret)\n\
         the passphrase, shown only this once: write it down now, and keep it apart from {path}\n\n    "
    ));
    text.push_str(passphrase.expose_secret());
    text.push_str(&format!(
        "\n\nkeep a backup of {path} and the written passphrase: without both, testimony sealed to this key cannot be read\n"
    ));
    // Nothing to do if standard error is closed: the file is written, the key printed.
    let _ = io::stderr().write_all(text.as_bytes());
}

/// What to do next, on standard error (standard output carries only the public key).
fn hints(path: &Path, unprotected: bool) -> String {
    let path = ShownPath(path);
    if unprotected {
        format!(
            "wrote the identity to {path}, without a passphrase\n\
             warning: anyone who copies {path} can read every testimony sealed to this key: keep it on an encrypted disk, or make a protected identity without --no-passphrase\n\
             the line above is its public key: give it to the server's operator (it is not secret)"
        )
    } else {
        format!(
            "wrote the identity to {path}, protected by your passphrase\n\
             the line above is its public key: give it to the server's operator (it is not secret)\n\
             keep a backup of {path} and remember the passphrase: without both, testimony sealed to this key cannot be read"
        )
    }
}

/// The identity file, in the layout age-keygen writes. Wiped on drop.
fn identity_file_text(identity: &x25519::Identity, created: &str) -> Zeroizing<String> {
    let secret = identity.to_string();
    let public = identity.to_public().to_string();
    let mut text = Zeroizing::new(String::with_capacity(
        created.len() + public.len() + secret.expose_secret().len() + 40,
    ));
    text.push_str("# created: ");
    text.push_str(created);
    text.push_str("\n# public key: ");
    text.push_str(&public);
    text.push('\n');
    text.push_str(secret.expose_secret());
    text.push('\n');
    text
}

/// Now, in RFC 3339 UTC to the second, like age-keygen's `# created:` line.
fn created_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339_utc(seconds)
}

fn rfc3339_utc(seconds: u64) -> String {
    let day = seal::Day::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0));
    let of_day = seconds % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        of_day / 3_600,
        of_day % 3_600 / 60,
        of_day % 60
    )
}

/// An ASCII-armored age file encrypted to `passphrase` (scrypt): the form of an encrypted
/// identity file that both this tool and the stock `age -d -i` accept.
fn encrypt_with_passphrase(plaintext: &[u8], passphrase: SecretString) -> io::Result<Vec<u8>> {
    let mut recipient = scrypt::Recipient::new(passphrase);
    recipient.set_work_factor(SCRYPT_WORK_FACTOR);
    let encryptor = Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
        .map_err(io::Error::other)?;
    let mut armored = Vec::with_capacity(plaintext.len() * 2 + 512);
    let mut writer = encryptor.wrap_output(ArmoredWriter::wrap_output(
        &mut armored,
        Format::AsciiArmor,
    )?)?;
    writer.write_all(plaintext)?;
    writer.finish()?.finish()?;
    Ok(armored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Keyring;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_764_343_445), "2025-11-28T15:24:05Z");
    }

    #[test]
    fn the_identity_file_is_what_age_keygen_writes() {
        let identity = x25519::Identity::generate();
        let text = identity_file_text(&identity, "2026-01-01T00:00:00Z");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "# created: 2026-01-01T00:00:00Z");
        assert_eq!(lines[1], format!("# public key: {}", identity.to_public()));
        assert_eq!(lines[2], identity.to_string().expose_secret());
        assert_eq!(lines.len(), 3);
        let keyring = Keyring::parse_identity_file(&text, Path::new("k")).unwrap();
        assert_eq!(
            keyring.public_keys()[0].to_string(),
            identity.to_public().to_string()
        );
    }
}
