use std::path::PathBuf;
use std::str::FromStr;

use age::x25519;
use seal::{RecipientSet, Submission};

use crate::Error;
use crate::escape::{self, LineFeeds};
use crate::identity::Keyring;
use crate::input;
use crate::passphrase::PassphraseArgs;
use crate::vault::Vault;

use super::organizer;

const EXAMPLES: &str = "\
Examples:
  A key was lost or is being retired: seal every record in the vault to the new key set,
  opening them with the old identities (and checking each with a new one):
    sealform-keytool reseal --vault letter-vault -i old.key -i new.key \\
      --recipient age1newkey... --recipient age1backupkey...

Each record is opened in memory, sealed again to exactly the given recipients, checked, and
replaced atomically; index.tsv keeps the hash it was pulled with, so `purge` still matches the
server's copy. Give one of the new identities with -i too, so that every new record is opened
once before it replaces the old one; without one, only its age header can be checked.";

/// Seal the vault's records again, to a new set of organizer keys
///
/// For when a key is lost or stolen, or an organizer leaves: opens each record with the old
/// identities, seals it to the new recipients, checks it, and replaces the file atomically.
/// Withdrawn records are skipped. Give the server the new recipients too, so that new
/// submissions are sealed to them.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Reseal {
    /// The vault folder that `pull` filled
    #[arg(long, value_name = "DIR")]
    vault: PathBuf,

    /// An identity file that opens the records now (and, ideally, one of the new ones); repeat
    #[arg(short = 'i', long = "identity", value_name = "FILE", required = true)]
    identities: Vec<PathBuf>,

    /// A public key (age1…) to seal to from now on; repeat for every organizer
    #[arg(long = "recipient", value_name = "AGE1…")]
    recipients: Vec<String>,

    /// A file of public keys, one per line (# comments allowed), as the server's
    #[arg(long = "recipients-file", value_name = "FILE")]
    recipients_file: Option<PathBuf>,

    #[command(flatten)]
    passphrase: PassphraseArgs,
}

impl Reseal {
    /// Reseals every record the identities open; fails at the end if any could not be.
    pub fn run(self) -> Result<(), Error> {
        let recipients = self.new_recipients()?;
        let keyring = organizer::load_keyring(&self.identities, &self.passphrase)?;
        let mut vault = Vault::create(&self.vault)?;
        let fingerprint = recipients.fingerprint().to_string();
        let ids: Vec<_> = vault
            .indexed()
            .keys()
            .filter(|id| !vault.withdrawn().contains_key(id))
            .copied()
            .collect();
        let (mut resealed, mut checked, mut problems) = (0, 0, 0);
        for id in ids {
            let outcome = vault.read_verified(id).and_then(|old| {
                let submission = keyring
                    .open_record(&old)
                    .map_err(|reason| organizer::record_problem(&vault, id, reason))?;
                let new = seal::seal(&submission, &recipients)
                    .map_err(|reason| organizer::record_problem(&vault, id, reason))?;
                let opened_again = verify(&new, &submission, &keyring)
                    .map_err(|reason| organizer::record_problem(&vault, id, reason))?;
                vault.replace_resealed(id, &new, &fingerprint)?;
                Ok(opened_again)
            });
            match outcome {
                Ok(opened_again) => {
                    resealed += 1;
                    checked += usize::from(opened_again);
                }
                Err(problem) => {
                    problems += 1;
                    eprintln!(
                        "error: {}",
                        escape::for_terminal(&problem.to_string(), LineFeeds::Keep).as_str()
                    );
                }
            }
        }
        println!(
            "resealed {resealed} record{} to {} key{} (recipient set {fingerprint}); {checked} opened again with a new identity",
            if resealed == 1 { "" } else { "s" },
            recipients.keys().len(),
            if recipients.keys().len() == 1 {
                ""
            } else {
                "s"
            },
        );
        match problems {
            0 => Ok(()),
            problems => Err(Error::FinishedWithProblems {
                done: format!("resealed {resealed} records"),
                problems,
                resumable: true,
            }),
        }
    }

    /// The recipients from `--recipient` and `--recipients-file`, at least one.
    fn new_recipients(&self) -> Result<RecipientSet, Error> {
        let mut lines: Vec<String> = self.recipients.clone();
        if let Some(path) = &self.recipients_file {
            let bytes = input::read_regular_file(path, 1024 * 1024, "recipients file")?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            lines.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !line.starts_with('#'))
                    .map(str::to_owned),
            );
        }
        let keys = lines
            .iter()
            .map(|line| {
                x25519::Recipient::from_str(line).map_err(|_| Error::BadRecipient {
                    given: escape::for_terminal(line, LineFeeds::Escape)
                        .as_str()
                        .to_owned(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        RecipientSet::new(keys).map_err(|_| Error::NoRecipients)
    }
}

/// Checks a newly sealed record: it opens, with a new identity when one was given, to the very
/// same submission (`true`); otherwise its age header must at least parse (`false`).
fn verify(new: &[u8], before: &Submission, keyring: &Keyring) -> Result<bool, seal::Error> {
    match keyring.open_record(new) {
        Ok(after) => {
            if same(before, &after) {
                Ok(true)
            } else {
                Err(seal::Error::Malformed(
                    "sealed again, it opens to other answers".into(),
                ))
            }
        }
        Err(seal::Error::NoMatchingIdentity) => {
            age::Decryptor::new(new).map_err(|e| seal::Error::Malformed(e.to_string()))?;
            Ok(false)
        }
        Err(other) => Err(other),
    }
}

/// Whether two submissions say the same, field by field.
fn same(a: &Submission, b: &Submission) -> bool {
    a.campaign() == b.campaign()
        && a.campaign_version() == b.campaign_version()
        && a.receipt() == b.receipt()
        && a.language() == b.language()
        && a.received() == b.received()
        && a.expose_fields().len() == b.expose_fields().len()
        && a.expose_fields()
            .iter()
            .zip(b.expose_fields())
            .all(|(x, y)| x.name() == y.name() && x.expose_value() == y.expose_value())
}
