use std::path::PathBuf;

use crate::Error;
use crate::identity::Keyring;
use crate::passphrase::{PassphraseArgs, Passphrases};

const EXAMPLES: &str = "\
Examples:
  Print the public key of an identity, to give to the server's operator:
    sealform-keytool recipient -i organizer.key

  Unattended, with the passphrase in an environment variable your secret manager sets:
    sealform-keytool recipient -i organizer.key --passphrase-env SEALFORM_PASSPHRASE";

/// Print the public key (age1…) of an identity file, one line per identity
///
/// The public key is not secret: it is what the server seals testimony to. A passphrase-protected
/// identity file asks for its passphrase.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Recipient {
    /// The identity file (from `sealform-keytool keygen` or age-keygen)
    #[arg(short = 'i', long = "identity", value_name = "FILE")]
    identity: PathBuf,

    #[command(flatten)]
    passphrase: PassphraseArgs,
}

impl Recipient {
    /// Prints the public keys.
    pub fn run(self) -> Result<(), Error> {
        let keyring = Keyring::load(&self.identity, &mut Passphrases::new(&self.passphrase))?;
        let lines: String = keyring
            .public_keys()
            .iter()
            .map(|key| format!("{key}\n"))
            .collect();
        super::print_stdout(lines.as_bytes())
    }
}
